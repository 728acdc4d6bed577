"""Country names and CAMEO country codes, taken from ``dyadwatch.codebooks.countries``.

The actor dictionaries never repeat country names or codes: they come from the
countries code table (written in parallel).  Until that module is importable
this bridge falls back to pycountry's ISO 3166 names with CAMEO code = ISO3,
so the actor dictionary works either way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date
from typing import Any


def _module() -> Any | None:
    try:
        from dyadwatch.codebooks import countries  # type: ignore[attr-defined]
    except ImportError:
        return None
    return countries if hasattr(countries, "resolve") else None


def _country_obj(name_or_code: str, year: int | None) -> Any | None:
    mod = _module()
    if mod is None:
        return None
    for args in ((name_or_code, year), (name_or_code,)):
        try:
            return mod.resolve(*args)
        except TypeError:
            continue
        except (LookupError, ValueError):
            return None
    return None


@functools.lru_cache(maxsize=None)
def name_of(iso3: str) -> str:
    """Common English name of ``iso3`` ("Iran"), or ``iso3`` itself if unknown."""
    obj = _country_obj(iso3, None)
    if obj is not None:
        for attr in ("name", "short_name", "common_name"):
            val = getattr(obj, attr, None)
            if isinstance(val, str) and val:
                return val
    import pycountry

    c = pycountry.countries.get(alpha_3=iso3)
    if c is None:
        return iso3
    return getattr(c, "common_name", None) or c.name


@functools.lru_cache(maxsize=None)
def cameo_of(iso3: str) -> str:
    """CAMEO country code of ``iso3`` (equal to ISO3 for almost every country)."""
    obj = _country_obj(iso3, None)
    if obj is not None:
        for attr in ("cameo", "cameo_code"):
            val = getattr(obj, attr, None)
            if isinstance(val, str) and val:
                return val
    return iso3


def resolve_country(name: str, on: date | None) -> tuple[str, str, str] | None:
    """``(iso3, cameo, name)`` for a country name or code valid in ``on``'s year, or None."""
    obj = _country_obj(name, None if on is None else on.year)
    if obj is not None:
        iso3 = getattr(obj, "iso3", None)
        if isinstance(iso3, str) and iso3:
            return iso3, cameo_of(iso3), name_of(iso3)
        return None
    if _module() is not None:
        return None
    import pycountry

    try:
        c = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return c.alpha_3, c.alpha_3, getattr(c, "common_name", None) or c.name


def country_names() -> Iterator[tuple[str, str]]:
    """Every ``(surface name, iso3)`` pair the countries table knows (names and aliases)."""
    mod = _module()
    table = getattr(mod, "countries", None) if mod is not None else None
    if callable(table):
        found = False
        for iso3, obj in table().items():
            for attr in ("name", "official_name"):
                val = getattr(obj, attr, None)
                if isinstance(val, str) and val:
                    found = True
                    yield val, iso3
            for alias in getattr(obj, "aliases", ()) or ():
                if isinstance(alias, str) and alias:
                    yield alias, iso3
        if found:
            return
    if mod is not None and hasattr(mod, "as_arrow"):
        try:
            rows = mod.as_arrow().to_pylist()
        except Exception:  # noqa: BLE001 - a table in an unexpected shape: fall back
            rows = []
        for row in rows:
            iso3 = row.get("iso3")
            if not iso3:
                continue
            for key in ("name", "short_name", "official_name", "common_name"):
                if isinstance(row.get(key), str) and row[key]:
                    yield row[key], iso3
            for key in ("aliases", "names"):
                val = row.get(key)
                if isinstance(val, str):
                    val = val.split("|")
                for alias in val or ():
                    if isinstance(alias, str) and alias:
                        yield alias, iso3
        if rows:
            return
    import pycountry

    for c in pycountry.countries:
        yield c.name, c.alpha_3
        for attr in ("common_name", "official_name"):
            val = getattr(c, attr, None)
            if val:
                yield val, c.alpha_3
