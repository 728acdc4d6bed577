"""Code look-ups for readers, done once per distinct value and joined in SQL.

Readers map millions of rows but only a few hundred distinct codes or names,
so each look-up runs in Python once per distinct value (through the code
tables in :mod:`dyadwatch.codebooks`) and the result is staged as a small
temporary table that the reader's SQL joins. No code list is repeated here:

* CAMEO event codes: :mod:`dyadwatch.codebooks.cameo` (CAMEO 1.1b3);
* countries (names, ISO3, CAMEO country codes) and FIPS 10-4 country codes
  (GDELT ``*Geo_CountryCode``): :mod:`dyadwatch.codebooks.countries`.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Callable, Iterable

import pyarrow as pa

from dyadwatch.codebooks import cameo, countries

#: re-exported for readers: FIPS 10-4 -> ISO3 (GDELT geography fields)
fips_to_iso3 = countries.fips_to_iso3

_seq = itertools.count(1)


def _stage(con, table: str, arrow: pa.Table) -> None:
    view = f"_dw_map_src_{next(_seq)}"
    con.register(view, arrow)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)


_CAMEO_SCHEMA = pa.schema([("raw", pa.string()), ("cameo_code", pa.string()), ("cameo_root", pa.string()),
                           ("quad_class", pa.int8()), ("goldstein", pa.float64()), ("plover_type", pa.string())])


def _stage_cameo_entries(con, table: str, pairs: Iterable[tuple[str, "cameo.CameoCode | None"]]) -> None:
    rows = [{"raw": raw, "cameo_code": e.code if e else None, "cameo_root": e.root if e else None,
             "quad_class": e.quad_class if e else None, "goldstein": e.goldstein if e else None,
             "plover_type": e.plover_type if e else None} for raw, e in pairs]
    _stage(con, table, pa.Table.from_pylist(rows, schema=_CAMEO_SCHEMA))


def stage_cameo(con, table: str, raw_codes: Iterable[str], *, field: str = "EventCode") -> None:
    """Temp table ``table(raw, cameo_code, cameo_root, quad_class, goldstein, plover_type)``.

    ``raw`` is each distinct raw code; ``cameo_code`` its CAMEO 1.1b3 code with
    leading zeros restored (:func:`dyadwatch.codebooks.cameo.normalize_event_code`),
    NULL when it is not a CAMEO code; the other columns come from the codebook.
    """
    def entry(raw):
        code = cameo.normalize_event_code(raw, field=field)
        return cameo.CAMEO.get(code) if code else None

    _stage_cameo_entries(con, table, ((raw, entry(raw)) for raw in raw_codes))


def stage_cameo_names(con, table: str, names: Iterable[str]) -> None:
    """Like :func:`stage_cameo` for CAMEO event *names* (ICEWS ``event_text``),
    via :func:`dyadwatch.codebooks.cameo.by_name`."""
    _stage_cameo_entries(con, table, ((name, cameo.by_name(name)) for name in names))


def stage_map(con, table: str, values: Iterable, fn: Callable[[object], object],
              *, key_type: pa.DataType = pa.string(), value_type: pa.DataType = pa.string()) -> None:
    """Temp table ``table(raw, value)`` with ``value = fn(raw)`` for each distinct raw value."""
    vals = list(values)
    arrow = pa.table({"raw": pa.array(vals, type=key_type),
                      "value": pa.array([fn(v) for v in vals], type=value_type)})
    _stage(con, table, arrow)


@lru_cache(maxsize=200_000)
def country_iso3(name_or_code: str | None, year: int | None = None) -> str | None:
    """ISO 3166-1 alpha-3 code of a country name, alias, ISO or CAMEO country
    code valid in ``year`` (``"Russian Federation"`` -> ``"RUS"``), else None.

    Uses :func:`dyadwatch.codebooks.countries.resolve`; a name it does not
    know (a region such as CAMEO ``"AFR"``, a person) gives None.
    """
    if not name_or_code or not str(name_or_code).strip():
        return None
    try:
        found = countries.resolve(str(name_or_code).strip(), year)
    except (LookupError, ValueError):
        return None
    return found.iso3 if found is not None else None


@lru_cache(maxsize=1)
def _cameo_country_codes() -> frozenset[str]:
    return frozenset(c.cameo for c in countries.countries().values() if c.cameo)


def country_of_actor_code(code: str | None) -> str | None:
    """ISO3 of the country an actor code begins with (``SSDMIL`` -> ``SSD``,
    ``USAGOV`` -> ``USA``), or None when its first three letters are not a
    CAMEO country code (``GOVMIL``, ``IGOUNO``, ``AFR`` ...; type codes that
    happen to be aliases, such as ``MOD`` or ``SUN``, are not countries here).

    CAMEO 1.1b3 actor codes put the country first (ch. 2, "actor codes");
    GDELT 1.0 leaves ``Actor1CountryCode`` blank on some events whose
    ``Actor1Code`` carries it (GDELT Event Codebook V1.03: the country code is
    the first three characters of the actor code)."""
    prefix = str(code or "")[:3].upper()
    if len(prefix) < 3 or prefix not in _cameo_country_codes():
        return None
    return country_iso3(prefix)
