"""Readers for the actor dictionary files (built-in and user-supplied).

Four layouts, told apart by file extension and CSV header (README.md in this
folder documents every column):

* YAML entries (``*.yaml``/``*.yml``): a list of mappings, one per person,
  organisation, armed group or extra country/agent phrase;
* CSV entries: header ``name,kind,...`` -- one row per entry or office;
* CSV country phrases: header ``iso3,type,phrase,...`` (demonyms, capitals, seats);
* CSV sector phrases: header ``sector,phrase,...`` (agent head words).

Each reader returns ``(Actor, surface_forms, line)`` triples; any problem raises
:class:`dyadwatch.errors.InputError` naming the file, the 1-based line and the reason.
"""

from __future__ import annotations

import calendar
import csv
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.codebooks.actors import countries_bridge
from dyadwatch.codebooks.actors.model import KINDS, Actor, combine
from dyadwatch.errors import InputError

Record = tuple[Actor, tuple[str, ...], int]
"""(actor, surface forms that denote it, 1-based source line)."""

SECTOR_NAMES: dict[str, str] = {
    # domestic role codes, CAMEO 1.1b3 actor codebook section 2.2
    "COP": "Police", "GOV": "Government", "INS": "Insurgents", "JUD": "Judiciary",
    "MIL": "Military", "OPP": "Opposition", "REB": "Rebels", "SEP": "Separatist rebels",
    "SPY": "State intelligence", "UAF": "Unaligned armed forces",
    # primary role codes
    "AGR": "Agriculture", "BUS": "Business", "CRM": "Criminal", "CVL": "Civilians",
    "DEV": "Development", "EDU": "Education", "ELI": "Elites", "ENV": "Environment",
    "HLH": "Health", "HRI": "Human rights", "LAB": "Labour", "LEG": "Legislature",
    "MED": "Media", "REF": "Refugees", "MOD": "Moderate", "RAD": "Radical",
    "SET": "Settlers", "PTY": "Political party",
    # international/transnational generic codes
    "IGO": "Intergovernmental organisation", "NGO": "Non-governmental organisation",
    "NGM": "Non-governmental movement", "MNC": "Multinational corporation",
    "IMG": "International militarised group", "PKO": "Peacekeepers",
    "UIS": "Unidentified state actor",
}
"""CAMEO role (sector) codes accepted in the ``sector`` columns, with their labels."""

COUNTRY_PHRASE_TYPES = ("demonym", "capital", "seat", "name")
_CODE = re.compile(r"[A-Z]{3}(?:[A-Z]{3})*")
_ISO3 = re.compile(r"[A-Z]{3}")
_NON_STATE = {"IGO", "IMG", "NGO", "NGM", "INT", "MNC", "UIS"}


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that records the 1-based line of each mapping as ``__line__``."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# keep dates as text so that parse_date() reports a bad date with its line
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()}


def parse_date(value: Any, *, end: bool, path: Path, line: int, what: str
               ) -> tuple[date | None, str | None]:
    """Parse a validity date written as a day, a month or a year.

    ``2013-08-03`` (day precision), ``2013-08`` (month), ``2013`` (year), or
    empty/``null`` (open).  A month or year is widened to its first day for a
    start (``end=False``) and to its last day for an end (``end=True``).

    Returns ``(date or None, precision or None)``; raises :class:`InputError`.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text), "day"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            y, m = int(text[:4]), int(text[5:])
            day = calendar.monthrange(y, m)[1] if end else 1
            return date(y, m, day), "month"
        if re.fullmatch(r"\d{4}", text):
            y = int(text)
            return (date(y, 12, 31) if end else date(y, 1, 1)), "year"
    except ValueError:
        pass
    raise InputError(f"{what} {text!r} is not a date: expected YYYY-MM-DD, YYYY-MM or YYYY",
                     path=path, line=line)


def _coarsest(*precisions: str | None) -> str | None:
    order = {"day": 0, "month": 1, "year": 2}
    known = [p for p in precisions if p]
    return max(known, key=order.__getitem__) if known else None


def _check_code(code: str, path: Path, line: int, what: str = "code") -> str:
    if not _CODE.fullmatch(code):
        raise InputError(f"{what} {code!r} is not a CAMEO code (groups of three upper-case "
                         "letters such as IRN, IRNGOV, IGOUNO)", path=path, line=line)
    return code


def _check_sector(sector: Any, path: Path, line: int) -> str | None:
    if sector in (None, ""):
        return None
    sector = str(sector).strip()
    if sector not in SECTOR_NAMES:
        raise InputError(f"unknown sector {sector!r}; valid: {', '.join(sorted(SECTOR_NAMES))}",
                         path=path, line=line)
    return sector


def _check_country(country: Any, path: Path, line: int) -> str | None:
    if country in (None, ""):
        return None
    country = str(country).strip()
    if not _ISO3.fullmatch(country):
        raise InputError(f"country {country!r} is not an ISO 3166-1 alpha-3 code",
                         path=path, line=line)
    return country


def _aliases(value: Any, path: Path, line: int) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return tuple(a.strip() for a in value.split("|") if a.strip())
    if isinstance(value, list) and all(isinstance(a, (str, int)) for a in value):
        return tuple(str(a).strip() for a in value if str(a).strip())
    raise InputError("aliases must be a list of strings (YAML) or '|'-separated text (CSV)",
                     path=path, line=line)


def _entry_records(item: dict[str, Any], path: Path, line: int) -> list[Record]:
    """Turn one entry mapping (YAML item or CSV entries row) into records."""
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("entry has no 'name'", path=path, line=line)
    name = name.strip()
    kind = item.get("kind")
    if kind not in KINDS:
        raise InputError(f"entry {name!r}: kind {kind!r} is not one of {', '.join(KINDS)}",
                         path=path, line=line)
    forms = (name,) + _aliases(item.get("aliases"), path, line)
    offices = item.get("offices")
    if kind == "person" and offices is None and item.get("country"):
        offices = [{k: item.get(k) for k in ("office", "country", "sector", "code")}
                   | {"from": item.get("valid_from"), "to": item.get("valid_to"),
                      "__line__": line}]
    if kind == "person":
        if not isinstance(offices, list) or not offices:
            raise InputError(f"person {name!r} has no 'offices' list", path=path, line=line)
        out = []
        for off in offices:
            if not isinstance(off, dict):
                raise InputError(f"person {name!r}: each office must be a mapping",
                                 path=path, line=line)
            oline = off.get("__line__", line)
            country = _check_country(off.get("country"), path, oline)
            if country is None and off.get("code") and str(off["code"])[:3] not in _NON_STATE:
                country = str(off["code"])[:3]
            sector = _check_sector(off.get("sector"), path, oline)
            code = off.get("code") or (
                combine(countries_bridge.cameo_of(country), sector) if country else None)
            if not code:
                raise InputError(f"person {name!r}: office needs 'country' or 'code'",
                                 path=path, line=oline)
            _check_code(str(code), path, oline)
            start, p1 = parse_date(off.get("from"), end=False, path=path, line=oline,
                                   what="'from'")
            stop, p2 = parse_date(off.get("to"), end=True, path=path, line=oline, what="'to'")
            if start and stop and start > stop:
                raise InputError(f"person {name!r}: office starts {start} after it ends {stop}",
                                 path=path, line=oline)
            actor = Actor(code=str(code), country=country, sector=sector, kind="person",
                          name=name, valid_from=start, valid_to=stop,
                          office=off.get("office"), precision=_coarsest(p1, p2))
            out.append((actor, forms, oline))
        return out
    country = _check_country(item.get("country"), path, line)
    sector = _check_sector(item.get("sector"), path, line)
    code = item.get("code")
    if not code:
        if kind == "agent" and sector:
            code = sector
        elif country:
            code = combine(countries_bridge.cameo_of(country), sector)
        else:
            raise InputError(f"entry {name!r} needs a 'code' (or a 'country')",
                             path=path, line=line)
    _check_code(str(code), path, line)
    start, p1 = parse_date(item.get("valid_from"), end=False, path=path, line=line,
                           what="'valid_from'")
    stop, p2 = parse_date(item.get("valid_to"), end=True, path=path, line=line,
                          what="'valid_to'")
    ops = item.get("operates_in") or ()
    if isinstance(ops, str):
        ops = [o for o in ops.split("|") if o]
    ops = tuple(_check_country(o, path, line) or "" for o in ops)
    actor = Actor(code=str(code), country=country, sector=sector, kind=kind, name=name,
                  valid_from=start, valid_to=stop, office=item.get("office") or None,
                  precision=_coarsest(p1, p2), operates_in=ops)
    return [(actor, forms, line)]


def read_yaml(path: Path) -> list[Record]:
    """Read a YAML entries file (a list of entry mappings)."""
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except OSError as exc:
        raise InputError(f"cannot read actor file: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("actor file is not UTF-8 text", path=path) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"YAML syntax error: {getattr(exc, 'problem', exc)}", path=path,
                         line=None if mark is None else mark.line + 1) from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError("YAML actor file must be a list of entries ('- name: ...')", path=path,
                         line=1)
    out: list[Record] = []
    for item in data:
        if not isinstance(item, dict):
            raise InputError("each entry must be a mapping with 'name' and 'kind'", path=path)
        out.extend(_entry_records(item, path, item.get("__line__", 0)))
    return out


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """``(file line number, row)`` for each data row; ``#`` comment lines are skipped."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            numbered = [(i, ln) for i, ln in enumerate(fh, 1) if not ln.startswith("#")]
    except OSError as exc:
        raise InputError(f"cannot read actor file: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("actor file is not UTF-8 text", path=path) from exc
    reader = csv.DictReader(ln for _, ln in numbered)
    for row in reader:
        # csv counts the lines it has read (a quoted field may span lines): map back
        line = numbered[reader.line_num - 1][0] if reader.line_num <= len(numbered) else 0
        if None in row:
            raise InputError("row has more fields than the header", path=path, line=line)
        yield line, {k: (v or "").strip() for k, v in row.items()}


def csv_header(path: Path) -> list[str]:
    """The CSV header (first non-comment line), split on commas."""
    try:
        with open(path, encoding="utf-8") as fh:
            for ln in fh:
                if not ln.startswith("#") and ln.strip():
                    return [c.strip() for c in next(csv.reader([ln]))]
    except OSError as exc:
        raise InputError(f"cannot read actor file: {exc.strerror}", path=path) from exc
    except UnicodeDecodeError as exc:
        raise InputError("actor file is not UTF-8 text", path=path) from exc
    return []


def read_country_phrases(path: Path) -> list[Record]:
    """Read ``iso3,type,phrase[,sector,cameo,source]`` rows (demonyms, capitals, seats)."""
    out: list[Record] = []
    for line, row in _csv_rows(path):
        iso3 = _check_country(row.get("iso3"), path, line)
        if iso3 is None:
            raise InputError("empty iso3", path=path, line=line)
        typ = row.get("type", "")
        if typ not in COUNTRY_PHRASE_TYPES:
            raise InputError(f"type {typ!r} is not one of {', '.join(COUNTRY_PHRASE_TYPES)}",
                             path=path, line=line)
        phrase = row.get("phrase", "")
        if not phrase:
            raise InputError("empty phrase", path=path, line=line)
        sector = _check_sector(row.get("sector"), path, line)
        cameo = row.get("cameo") or countries_bridge.cameo_of(iso3)
        _check_code(cameo, path, line, "cameo")
        actor = Actor(code=combine(cameo, sector), country=iso3, sector=sector, kind="country",
                      name=countries_bridge.name_of(iso3))
        out.append((actor, (phrase,), line))
    return out


def read_sector_phrases(path: Path) -> list[Record]:
    """Read ``sector,phrase[,note]`` rows (agent head words and phrases)."""
    out: list[Record] = []
    for line, row in _csv_rows(path):
        sector = _check_sector(row.get("sector"), path, line)
        if sector is None:
            raise InputError("empty sector", path=path, line=line)
        phrase = row.get("phrase", "")
        if not phrase:
            raise InputError("empty phrase", path=path, line=line)
        actor = Actor(code=sector, country=None, sector=sector, kind="agent",
                      name=SECTOR_NAMES[sector])
        out.append((actor, (phrase,), line))
    return out


def read_csv_entries(path: Path) -> list[Record]:
    """Read ``name,kind,code,country,sector,aliases,valid_from,valid_to,office`` rows."""
    out: list[Record] = []
    for line, row in _csv_rows(path):
        item: dict[str, Any] = dict(row)
        out.extend(_entry_records(item, path, line))
    return out


def read_file(path: Path) -> list[Record]:
    """Read one dictionary file in any of the four layouts (see module docstring).

    Raises
    ------
    dyadwatch.errors.InputError
        Missing or unreadable file, unknown layout, or a bad entry (with its line).
    """
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, expected an actor dictionary file", path=path,
                         hint="give each .yaml/.csv file with its own --actors")
    if not path.is_file():
        raise InputError("actor dictionary file not found", path=path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix == ".csv":
        header = set(csv_header(path))
        if {"iso3", "type", "phrase"} <= header:
            return read_country_phrases(path)
        if {"sector", "phrase"} <= header:
            return read_sector_phrases(path)
        if {"name", "kind"} <= header:
            return read_csv_entries(path)
        raise InputError(f"unknown CSV layout, header {sorted(header)}", path=path, line=1,
                         hint="expected columns name,kind,... or iso3,type,phrase or "
                              "sector,phrase")
    raise InputError(f"unknown actor file type {suffix!r}", path=path,
                     hint="use .yaml, .yml or .csv")
