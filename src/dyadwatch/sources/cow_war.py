"""Readers of the COW Inter-State War data (v4.0, 1816–2007).

Sarkees, Meredith Reid and Frank Wayman. 2010. *Resort to War: 1816–2007*.
Washington, DC: CQ Press. An inter-state war is sustained combat between or
among states with at least 1,000 battle-related deaths within a twelve-month
period; a state is a participant when it commits at least 1,000 troops or
suffers at least 100 battle deaths (COW war codebook v4.0).

Two layouts, two readers (codes in :mod:`dyadwatch.store.tables_conflict`):

``cow-war-dyad-years``
    peacesciencer's ``cow_war_inter``: directed war-dyad-years of states on
    opposite sides, ``warnum, ccode1, ccode2, year, cowinterongoing,
    cowinteronset, sidea1, sidea2, initiator1, initiator2, outcome1,
    outcome2, batdeath1, batdeath2, resume`` → ``cow_war_dyad_years``.
``cow-war-participants``
    COW's own ``Inter-StateWarData_v4.0.csv``, one row per state and war:
    ``WarNum, WarName, WarType, ccode, StateName, Side, StartMonth1,
    StartDay1, StartYear1, EndMonth1, EndDay1, EndYear1, StartMonth2 …
    EndYear2, TransFrom, WhereFought, Initiator, Outcome, TransTo, BatDeath,
    Version`` → ``cow_war_participants`` (with the side, so co-belligerents
    can be found), and the directed war-dyad-years of states on opposite
    sides in each year their spells overlap → ``cow_war_dyad_years``
    (``cowinteronset`` = 1 when the year is a start year of either state's
    spell, ``resume`` = 1 in a second spell).

Coverage. The v4.0 data cover 1816–2007, but the last war in them (the
invasion of Iraq) ended in 2003, so the file's last year is 2003. A year
between 2004 and 2007 without a row is a covered year without a war, not
silence: ``source_coverage`` records the domain of the version (from the
``Version`` column, or 4.0 for peacesciencer's copy, which is v4.0), else
the file's own years. −8/−9 (not applicable/unknown) are stored as NULL.
A row is rejected with its line and reason when a field is not a whole
number or out of range, a war-year names the same state twice, a code names
no state, or its key was already read.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import good_records, header_columns, require_header
from dyadwatch.sources.cow_common import (BadValue, Columns, cow_iso3, cow_value, cow_year, int_types,
                                          unmapped_reason)
from dyadwatch.sources.formats import Head, Sink

DATASET = "cow-war"
#: temporal domain of each released version of the COW Inter-State War data (codebooks)
VERSION_DOMAINS = {"4.0": (1816, 2007)}
#: the version of peacesciencer's ``cow_war_inter`` (its documentation: "Data are version 4.0")
PEACESCIENCER_VERSION = "4.0"

DYAD_COLUMNS = ("warnum", "ccode1", "ccode2", "year", "iso3_1", "iso3_2", "cowinterongoing", "cowinteronset",
                "sidea1", "sidea2", "initiator1", "initiator2", "outcome1", "outcome2", "batdeath1", "batdeath2",
                "resume")
DYAD_REQUIRED = ("warnum", "ccode1", "ccode2", "year", "sidea1", "sidea2")
_DYAD_INTS = int_types(("warnum", "ccode1", "ccode2", "year", "batdeath1", "batdeath2"))
_DYAD_TYPES = {**{c: pa.int8() for c in DYAD_COLUMNS if c not in _DYAD_INTS and not c.startswith("iso3")},
               **_DYAD_INTS}
RANGES = {"side": (1, 2), "initiator": (0, 1), "outcome": (1, 8), "batdeath": (0, 10**8), "resume": (0, 1),
          "ongoing": (0, 1), "onset": (0, 1), "wartype": (1, 9), "wherefought": (1, 99), "trans": (1, 10**4),
          "month": (1, 12), "day": (1, 31)}


def _coverage(sink: Sink, table: str, years: list[int], version: str | None, what: str) -> None:
    if not years:
        return
    first, last = min(years), max(years)
    basis = f"the file's {what} ({first}–{last})"
    dom = VERSION_DOMAINS.get(version or "")
    if dom:
        first, last = min(first, dom[0]), max(last, dom[1])
        basis = (f"COW Inter-State War Data v{version} covers {dom[0]}–{dom[1]} (codebook); the file's {what} "
                 f"run {min(years)}–{max(years)}")
    sink.add("source_coverage", pa.table({"table_name": [table], "dataset": [DATASET],
                                          "first_year": pa.array([first], pa.int32()),
                                          "last_year": pa.array([last], pa.int32()), "basis": [basis]}))


def _version(text: str | None) -> str | None:
    """``'4'`` / ``'4.0'`` -> ``'4.0'``; empty -> None."""
    s = (text or "").strip()
    if not s:
        return None
    try:
        return f"{float(s):.1f}"
    except ValueError:
        return s


class WarDyadYearReader:
    name = "cow-war-dyad-years"
    dataset = DATASET
    tables = ("cow_war_dyad_years", "source_coverage")
    description = "COW inter-state war directed dyad-years (peacesciencer cow_war_inter)"

    def sniff(self, path: Path, head: Head) -> bool:
        return set(DYAD_REQUIRED) <= header_columns(head)

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, DYAD_REQUIRED, "COW inter-state war dyad-year")
        cols = Columns(DYAD_COLUMNS, _DYAD_TYPES)
        seen: dict[tuple, int] = {}
        years: list[int] = []
        for line, row, raw in good_records(path, sink):
            try:
                rec = {"warnum": cow_value(row, "warnum", 1, 10**4, missing_ok=False),
                       "ccode1": cow_value(row, "ccode1", 1, 999, missing_ok=False),
                       "ccode2": cow_value(row, "ccode2", 1, 999, missing_ok=False),
                       "year": cow_year(row, "year"),
                       "cowinterongoing": cow_value(row, "cowinterongoing", 0, 1),
                       "cowinteronset": cow_value(row, "cowinteronset", 0, 1),
                       "resume": cow_value(row, "resume", 0, 1)}
                for base, rng in (("sidea", "side"), ("initiator", "initiator"), ("outcome", "outcome"),
                                  ("batdeath", "batdeath")):
                    for k in ("1", "2"):
                        rec[base + k] = cow_value(row, base + k, *RANGES[rng])
                if rec["sidea1"] is None or rec["sidea2"] is None:
                    raise BadValue("sidea1/sidea2 empty: the sides of the dyad are unknown")
                if rec["ccode1"] == rec["ccode2"]:
                    raise BadValue(f"ccode1 and ccode2 are both {rec['ccode1']}: a dyad needs two states")
            except BadValue as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            rec["resume"] = rec["resume"] or 0
            key = (rec["warnum"], rec["ccode1"], rec["ccode2"], rec["year"], rec["resume"])
            if key in seen:
                sink.reject(line, f"duplicate key in file (warnum={key[0]}, ccode1={key[1]}, ccode2={key[2]}, "
                                  f"year={key[3]}, resume={key[4]}); first occurrence kept (line {seen[key]})", raw)
                continue
            rec["iso3_1"], rec["iso3_2"] = cow_iso3(rec["ccode1"], rec["year"]), cow_iso3(rec["ccode2"], rec["year"])
            bad = [(rec[c], rec["year"]) for c, i in (("ccode1", "iso3_1"), ("ccode2", "iso3_2")) if rec[i] is None]
            if bad:
                sink.reject(line, unmapped_reason(bad), raw)
                continue
            seen[key] = line
            years.append(rec["year"])
            cols.add(line, rec)
        sink.add("cow_war_dyad_years", cols.table())
        _coverage(sink, "cow_war_dyad_years", years, PEACESCIENCER_VERSION, "war-years")


PART_COLUMNS = ("warnum", "warname", "wartype", "ccode", "iso3", "statename", "side", "startyear1", "startmonth1",
                "startday1", "endyear1", "endmonth1", "endday1", "startyear2", "startmonth2", "startday2",
                "endyear2", "endmonth2", "endday2", "initiator", "outcome", "batdeath", "wherefought", "transfrom",
                "transto", "version")
PART_REQUIRED = ("warnum", "ccode", "side", "startyear1", "endyear1")
_PART_TYPES = {**{c: pa.int8() for c in PART_COLUMNS
                  if c.startswith(("startmonth", "startday", "endmonth", "endday"))
                  or c in ("wartype", "side", "initiator", "outcome", "wherefought")},
               **int_types(("warnum", "ccode", "startyear1", "endyear1", "startyear2", "endyear2", "batdeath")),
               "transfrom": pa.int16(), "transto": pa.int16()}


class WarParticipantReader:
    name = "cow-war-participants"
    dataset = DATASET
    tables = ("cow_war_participants", "cow_war_dyad_years", "source_coverage")
    description = "COW Inter-State War participants (COW Inter-StateWarData v4.0) and their war-dyad-years"

    def sniff(self, path: Path, head: Head) -> bool:
        cols = header_columns(head)
        return set(PART_REQUIRED) <= cols and "ccode1" not in cols

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, PART_REQUIRED, "COW Inter-State War participant")
        cols = Columns(PART_COLUMNS, _PART_TYPES)
        seen: dict[tuple, int] = {}
        parts: list[tuple[int, dict]] = []
        versions: set[str] = set()
        for line, row, raw in good_records(path, sink):
            try:
                rec = {"warnum": cow_value(row, "warnum", 1, 10**4, missing_ok=False),
                       "ccode": cow_value(row, "ccode", 1, 999, missing_ok=False),
                       "side": cow_value(row, "side", 1, 2, missing_ok=False),
                       "warname": (row.get("warname") or "").strip() or None,
                       "statename": (row.get("statename") or "").strip() or None,
                       "wartype": cow_value(row, "wartype", *RANGES["wartype"]),
                       "initiator": cow_value(row, "initiator", 0, 2),
                       "outcome": cow_value(row, "outcome", *RANGES["outcome"]),
                       "batdeath": cow_value(row, "batdeath", *RANGES["batdeath"]),
                       "wherefought": cow_value(row, "wherefought", *RANGES["wherefought"]),
                       "transfrom": cow_value(row, "transfrom", *RANGES["trans"]),
                       "transto": cow_value(row, "transto", *RANGES["trans"]),
                       "version": _version(row.get("version"))}
                if rec["initiator"] == 2:  # COW codes 1 = initiator, 2 = not (some releases): store 0/1
                    rec["initiator"] = 0
                for n in ("1", "2"):
                    rec["startyear" + n] = cow_year(row, "startyear" + n, missing_ok=n == "2")
                    rec["endyear" + n] = cow_year(row, "endyear" + n, missing_ok=n == "2")
                    for part, rng in (("month", "month"), ("day", "day")):
                        for edge in ("start", "end"):
                            rec[edge + part + n] = cow_value(row, edge + part + n, *RANGES[rng])
                    s, e = rec["startyear" + n], rec["endyear" + n]
                    if s is not None and e is not None and e < s:
                        raise BadValue(f"endyear{n} {e} is before startyear{n} {s}")
            except BadValue as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            key = (rec["warnum"], rec["ccode"], rec["side"])
            if key in seen:
                sink.reject(line, f"duplicate key in file (warnum={key[0]}, ccode={key[1]}, side={key[2]}); "
                                  f"first occurrence kept (line {seen[key]})", raw)
                continue
            rec["iso3"] = cow_iso3(rec["ccode"], rec["startyear1"])
            if rec["iso3"] is None:
                sink.reject(line, unmapped_reason([(rec["ccode"], rec["startyear1"])]), raw)
                continue
            seen[key] = line
            if rec["version"]:
                versions.add(rec["version"])
            parts.append((line, rec))
            cols.add(line, rec)
        sink.add("cow_war_participants", cols.table())
        dyads = _participant_dyad_years(parts)
        sink.add("cow_war_dyad_years", dyads.table())
        version = versions.pop() if len(versions) == 1 else None
        years = [y for _, r in parts for n in ("1", "2") for y in (r["startyear" + n], r["endyear" + n]) if y]
        _coverage(sink, "cow_war_participants", years, version, "participation years")
        _coverage(sink, "cow_war_dyad_years", years, version, "participation years")


def _spells(r: dict) -> list[tuple[int, int, bool]]:
    """(start, end, second spell?) of a participant."""
    out = [(r["startyear1"], r["endyear1"], False)]
    if r["startyear2"] is not None and r["endyear2"] is not None:
        out.append((r["startyear2"], r["endyear2"], True))
    return out


def _participant_dyad_years(parts: list[tuple[int, dict]]) -> Columns:
    """Directed war-dyad-years of participants on opposite sides, per year their spells overlap."""
    by_war: dict[int, list[tuple[int, dict]]] = {}
    for line, r in parts:
        by_war.setdefault(r["warnum"], []).append((line, r))
    out = Columns(DYAD_COLUMNS, _DYAD_TYPES)
    done: set[tuple] = set()
    for war, members in sorted(by_war.items()):
        for la, a in members:
            starts_a = {s for s, _, _ in _spells(a)}
            for _, b in members:
                if a["ccode"] == b["ccode"] or a["side"] == b["side"]:
                    continue
                starts = starts_a | {s for s, _, _ in _spells(b)}
                for sa, ea, second_a in _spells(a):
                    for sb, eb, second_b in _spells(b):
                        for y in range(max(sa, sb), min(ea, eb) + 1):
                            key = (war, a["ccode"], b["ccode"], y, int(second_a or second_b))
                            i1, i2 = cow_iso3(a["ccode"], y), cow_iso3(b["ccode"], y)
                            if key in done or i1 is None or i2 is None:
                                continue
                            done.add(key)
                            out.add(la, {"warnum": war, "ccode1": a["ccode"], "ccode2": b["ccode"], "year": y,
                                         "iso3_1": i1, "iso3_2": i2, "cowinterongoing": 1,
                                         "cowinteronset": int(y in starts), "sidea1": a["side"],
                                         "sidea2": b["side"], "initiator1": a["initiator"],
                                         "initiator2": b["initiator"], "outcome1": a["outcome"],
                                         "outcome2": b["outcome"], "batdeath1": a["batdeath"],
                                         "batdeath2": b["batdeath"], "resume": int(second_a or second_b)})
    return out


DYAD_READER = formats.register(WarDyadYearReader())
PARTICIPANT_READER = formats.register(WarParticipantReader())
