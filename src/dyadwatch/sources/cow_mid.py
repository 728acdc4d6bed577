"""Readers of the COW Militarized Interstate Dispute data (MID 5.0, 1816–2014).

Palmer, Glenn, Roseanne W. McManus, Vito D'Orazio, Michael R. Kenwick,
Mikaela Karstens, Chase Bloch, Nick Dietrich, Kayla Kahn, Kellan Ritter and
Michael J. Soules. 2022. "The MID5 Dataset, 2011–2014: Procedures, coding
rules, and description." *Conflict Management and Peace Science* 39(4):
470–482. A MID is a united historical case in which the threat, display or
use of military force short of war by one state is explicitly directed
towards the government, official representatives, official forces, property
or territory of another state (Jones, Bremer & Singer 1996).

Three layouts, three readers (codes in :mod:`dyadwatch.store.tables_conflict`):

``cow-mid-dyad-years``
    directed dispute-dyad-years, peacesciencer's ``cow_mid_ddydisps`` (no
    duplicate dyad-years) or ``cow_mid_dirdisps`` (``dispongoing``,
    ``disponset``): ``dispnum, ccode1, ccode2, year, cowmidongoing,
    cowmidonset, sidea1, sidea2, fatality1, fatality2, fatalpre1, fatalpre2,
    hiact1, hiact2, hostlev1, hostlev2, orig1, orig2`` and optional
    dispute-level ``fatality, hostlev, mindur, maxdur, recip, stmon`` and
    ``revstate1, revstate2`` → ``cow_mid_dyad_years``.
``cow-mid-disputes``
    dispute level: COW's MIDA (``dispnum, stday, stmon, styear, endday,
    endmon, endyear, outcome, settle, fatality, fatalpre, maxdur, mindur,
    hiact, hostlev, recip, numa, numb, ongo2014, version``; MID 4's
    ``dispnum3``/``dispnum4`` accepted) or peacesciencer's abbreviated
    ``cow_mid_disps`` (``dispnum, styear, stmon, outcome, settle, fatality,
    mindur, maxdur, hiact, hostlev, recip``) → ``cow_mid_disputes``.
``cow-mid-participants``
    participant level: COW's MIDB (``dispnum, stabb, ccode, stday, stmon,
    styear, endday, endmon, endyear, sidea, revstate, revtype1, revtype2,
    fatality, fatalpre, hiact, hostlev, orig, version``) →
    ``cow_mid_participants``, and the directed dyad-years it implies →
    ``cow_mid_dyad_years``: every pair of states on opposite sides of a
    dispute, in every year their participation spells overlap (the
    construction of peacesciencer's ``cow_mid_dirdisps``, Miller 2021;
    ``cowmidonset`` = 1 in the pair's first such year; dispute-level columns
    NULL — they are in ``cow_mid_disputes``).

COW's −9 (missing) and −8 (not applicable) are stored as NULL. A row is
rejected with its line and reason when a field is not a whole number or out
of its codebook range (years 1400–2100, hostility 1–5, fatality band 0–6 …),
the two states are the same, a state code names no state, or the row's key
was already read in the file. Every file also adds its years to
``source_coverage`` (MID 5.0: 1816–2014), so an analysis can tell a year
without a dispute from a year the data do not reach.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import good_records, header_columns, require_columns, require_header
from dyadwatch.sources.cow_common import (BadValue, Columns, cow_iso3, cow_value, cow_year, int_types,
                                          unmapped_reason)
from dyadwatch.sources.formats import Head, Sink

DATASET = "cow-mid"

#: codebook ranges of the coded columns (name -> (lo, hi)); years are checked separately
RANGES = {"hostlev": (1, 5), "fatality": (0, 6), "hiact": (0, 23), "sidea": (0, 1), "orig": (0, 1),
          "revstate": (0, 1), "revtype1": (0, 4), "revtype2": (0, 4), "fatalpre": (0, 10**7),
          "mindur": (0, 10**6), "maxdur": (0, 10**6), "recip": (0, 1), "stmon": (1, 12), "endmon": (1, 12),
          "stday": (1, 31), "endday": (1, 31), "outcome": (1, 9), "settle": (1, 4), "numa": (0, 999),
          "numb": (0, 999), "ongoing": (0, 1), "onset": (0, 1)}

DYAD_COLUMNS = ("dispnum", "ccode1", "ccode2", "year", "iso3_1", "iso3_2", "cowmidongoing", "cowmidonset",
                "sidea1", "sidea2", "revstate1", "revstate2", "fatality1", "fatality2", "fatalpre1", "fatalpre2",
                "hiact1", "hiact2", "hostlev1", "hostlev2", "orig1", "orig2", "fatality", "hostlev", "mindur",
                "maxdur", "recip", "stmon")
_DYAD_INTS = int_types(("dispnum", "ccode1", "ccode2", "year", "fatalpre1", "fatalpre2", "mindur", "maxdur"))
_DYAD_TYPES = {**{c: pa.int8() for c in DYAD_COLUMNS if c not in _DYAD_INTS and not c.startswith("iso3")},
               **_DYAD_INTS}


def _coded(row: dict, col: str, kind: str | None = None) -> int | None:
    lo, hi = RANGES[kind or (col if col in RANGES else col.rstrip("12"))]
    return cow_value(row, col, lo, hi)


def _coverage(sink: Sink, table: str, first: int | None, last: int | None, basis: str) -> None:
    if first is None or last is None:
        return
    sink.add("source_coverage", pa.table({"table_name": [table], "dataset": [DATASET],
                                          "first_year": pa.array([first], pa.int32()),
                                          "last_year": pa.array([last], pa.int32()), "basis": [basis]}))


# -- dispute-dyad-years (peacesciencer) ------------------------------------------------------------

_ONGOING = ("cowmidongoing", "dispongoing")
_ONSET = ("cowmidonset", "disponset")
DYAD_REQUIRED = ("dispnum", "ccode1", "ccode2", "year", "sidea1", "sidea2", "hostlev1", "hostlev2")


def _first(cols: set[str], names: tuple[str, ...]) -> str | None:
    return next((n for n in names if n in cols), None)


class MIDDyadYearReader:
    name = "cow-mid-dyad-years"
    dataset = DATASET
    tables = ("cow_mid_dyad_years", "source_coverage")
    description = "COW MID directed dispute-dyad-years (peacesciencer cow_mid_ddydisps / cow_mid_dirdisps)"

    def sniff(self, path: Path, head: Head) -> bool:
        cols = header_columns(head)
        return set(DYAD_REQUIRED) <= cols and bool(_first(cols, _ONGOING)) and "warnum" not in cols

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.sources.io import read_head

        found = header_columns(read_head(path))
        require_columns(path, sorted(found), DYAD_REQUIRED, "COW MID dispute-dyad-year")
        ongoing, onset = _first(found, _ONGOING), _first(found, _ONSET)
        cols = Columns(DYAD_COLUMNS, _DYAD_TYPES)
        seen: dict[tuple, int] = {}
        years = []
        for line, row, raw in good_records(path, sink):
            try:
                rec = {"dispnum": cow_value(row, "dispnum", 1, 10**6, missing_ok=False),
                       "ccode1": cow_value(row, "ccode1", 1, 999, missing_ok=False),
                       "ccode2": cow_value(row, "ccode2", 1, 999, missing_ok=False),
                       "year": cow_year(row, "year"),
                       "cowmidongoing": cow_value(row, ongoing, 0, 1) if ongoing else 1,
                       "cowmidonset": cow_value(row, onset, 0, 1) if onset else None}
                for base in ("sidea", "revstate", "fatality", "fatalpre", "hiact", "hostlev", "orig"):
                    for k in ("1", "2"):
                        rec[base + k] = _coded(row, base + k, base)
                for c in ("fatality", "hostlev", "mindur", "maxdur", "recip", "stmon"):
                    rec[c] = _coded(row, c)
                if rec["ccode1"] == rec["ccode2"]:
                    raise BadValue(f"ccode1 and ccode2 are both {rec['ccode1']}: a dyad needs two states")
            except BadValue as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            key = (rec["dispnum"], rec["ccode1"], rec["ccode2"], rec["year"])
            if key in seen:
                sink.reject(line, f"duplicate key in file (dispnum={key[0]}, ccode1={key[1]}, ccode2={key[2]}, "
                                  f"year={key[3]}); first occurrence kept (line {seen[key]})", raw)
                continue
            rec["iso3_1"], rec["iso3_2"] = cow_iso3(rec["ccode1"], rec["year"]), cow_iso3(rec["ccode2"], rec["year"])
            bad = [(rec[c], rec["year"]) for c, i in (("ccode1", "iso3_1"), ("ccode2", "iso3_2")) if rec[i] is None]
            if bad:
                sink.reject(line, unmapped_reason(bad), raw)
                continue
            seen[key] = line
            years.append(rec["year"])
            cols.add(line, rec)
        sink.add("cow_mid_dyad_years", cols.table())
        _coverage(sink, "cow_mid_dyad_years", min(years, default=None), max(years, default=None),
                  "the file's first and last dispute-year")


# -- disputes (MIDA or peacesciencer cow_mid_disps) --------------------------------------------------

DISPUTE_COLUMNS = ("dispnum", "stday", "stmon", "styear", "endday", "endmon", "endyear", "outcome", "settle",
                   "fatality", "fatalpre", "mindur", "maxdur", "hiact", "hostlev", "recip", "numa", "numb",
                   "ongoing_end", "version")
_DISPNUM = ("dispnum", "dispnum4", "dispnum3")
_DISP_INTS = int_types(("dispnum", "styear", "endyear", "fatalpre", "mindur", "maxdur"))
_DISP_TYPES = {**{c: pa.int8() for c in DISPUTE_COLUMNS if c not in _DISP_INTS and c != "version"},
               "numa": pa.int16(), "numb": pa.int16(), **_DISP_INTS}


class MIDDisputeReader:
    name = "cow-mid-disputes"
    dataset = DATASET
    tables = ("cow_mid_disputes", "source_coverage")
    description = "COW MID dispute level (COW MIDA, or peacesciencer cow_mid_disps)"

    def sniff(self, path: Path, head: Head) -> bool:
        cols = header_columns(head)
        return (bool(_first(cols, _DISPNUM)) and {"styear", "hostlev", "outcome"} <= cols
                and not cols & {"ccode", "ccode1", "warnum"})

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.sources.io import read_head

        found = header_columns(read_head(path))
        dn = _first(found, _DISPNUM) or "dispnum"
        require_columns(path, sorted(found), (dn, "styear", "hostlev", "outcome"), "COW MID dispute-level")
        ongo = next((c for c in sorted(found) if c.startswith("ongo")), None)  # ongo2014 (MID 5), ongo2010 ...
        cols = Columns(DISPUTE_COLUMNS, _DISP_TYPES)
        seen: dict[int, int] = {}
        last_years = []
        first_years = []
        for line, row, raw in good_records(path, sink):
            try:
                rec = {"dispnum": cow_value(row, dn, 1, 10**6, missing_ok=False), "styear": cow_year(row, "styear"),
                       "endyear": cow_year(row, "endyear", missing_ok=True),
                       "ongoing_end": cow_value(row, ongo, 0, 1) if ongo else None,
                       "version": (row.get("version") or "").strip() or None}
                for c in ("stday", "stmon", "endday", "endmon", "outcome", "settle", "fatality", "fatalpre",
                          "mindur", "maxdur", "hiact", "hostlev", "recip", "numa", "numb"):
                    rec[c] = _coded(row, c)
                if rec["endyear"] is not None and rec["endyear"] < rec["styear"]:
                    raise BadValue(f"endyear {rec['endyear']} is before styear {rec['styear']}")
            except BadValue as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            if rec["dispnum"] in seen:
                sink.reject(line, f"duplicate key in file (dispnum={rec['dispnum']}); first occurrence kept "
                                  f"(line {seen[rec['dispnum']]})", raw)
                continue
            seen[rec["dispnum"]] = line
            first_years.append(rec["styear"])
            last_years.append(rec["endyear"] or rec["styear"])
            cols.add(line, rec)
        sink.add("cow_mid_disputes", cols.table())
        last = max(last_years, default=None)
        if ongo and ongo[4:].isdigit():
            last = max(last or 0, int(ongo[4:]))
        _coverage(sink, "cow_mid_disputes", min(first_years, default=None), last,
                  f"the file's dispute years{f' and its {ongo} column' if ongo else ''}")


# -- participants (MIDB) -> participants and dispute-dyad-years -------------------------------------

PART_COLUMNS = ("dispnum", "ccode", "iso3", "stabb", "stday", "stmon", "styear", "endday", "endmon", "endyear",
                "sidea", "revstate", "revtype1", "revtype2", "fatality", "fatalpre", "hiact", "hostlev", "orig",
                "version")
PART_REQUIRED = ("dispnum", "ccode", "styear", "endyear", "sidea", "hostlev")
_PART_INTS = int_types(("dispnum", "ccode", "styear", "endyear", "fatalpre"))
_PART_TYPES = {**{c: pa.int8() for c in PART_COLUMNS if c not in _PART_INTS and c not in ("iso3", "stabb",
                                                                                         "version")},
               **_PART_INTS}


class MIDParticipantReader:
    name = "cow-mid-participants"
    dataset = DATASET
    tables = ("cow_mid_participants", "cow_mid_dyad_years", "source_coverage")
    description = "COW MID participants (COW MIDB) and the dispute-dyad-years they imply"

    def sniff(self, path: Path, head: Head) -> bool:
        cols = header_columns(head)
        return set(PART_REQUIRED) <= cols and "ccode1" not in cols

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, PART_REQUIRED, "COW MID participant (MIDB)")
        cols = Columns(PART_COLUMNS, _PART_TYPES)
        seen: dict[tuple, int] = {}
        parts: list[tuple[int, dict]] = []
        for line, row, raw in good_records(path, sink):
            try:
                rec = {"dispnum": cow_value(row, "dispnum", 1, 10**6, missing_ok=False),
                       "ccode": cow_value(row, "ccode", 1, 999, missing_ok=False),
                       "styear": cow_year(row, "styear"), "endyear": cow_year(row, "endyear"),
                       "stabb": (row.get("stabb") or "").strip() or None,
                       "version": (row.get("version") or "").strip() or None}
                for c in ("stday", "stmon", "endday", "endmon", "sidea", "revstate", "revtype1", "revtype2",
                          "fatality", "fatalpre", "hiact", "hostlev", "orig"):
                    rec[c] = _coded(row, c)
                if rec["endyear"] < rec["styear"]:
                    raise BadValue(f"endyear {rec['endyear']} is before styear {rec['styear']}")
                if rec["sidea"] is None:
                    raise BadValue("column 'sidea' is empty or missing: the participant's side is unknown")
            except BadValue as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            key = (rec["dispnum"], rec["ccode"], rec["styear"], rec["stmon"], rec["stday"])
            if key in seen:
                sink.reject(line, f"duplicate key in file (dispnum={key[0]}, ccode={key[1]}, start "
                                  f"{key[2]}-{key[3]}-{key[4]}); first occurrence kept (line {seen[key]})", raw)
                continue
            rec["iso3"] = cow_iso3(rec["ccode"], rec["styear"])
            if rec["iso3"] is None:
                sink.reject(line, unmapped_reason([(rec["ccode"], rec["styear"])]), raw)
                continue
            seen[key] = line
            parts.append((line, rec))
            cols.add(line, rec)
        sink.add("cow_mid_participants", cols.table())
        dyads = _participant_dyad_years(parts)
        sink.add("cow_mid_dyad_years", dyads.table())
        years = dyads.data["year"]
        _coverage(sink, "cow_mid_participants", min((r["styear"] for _, r in parts), default=None),
                  max((r["endyear"] for _, r in parts), default=None), "the file's participation years")
        _coverage(sink, "cow_mid_dyad_years", min(years, default=None), max(years, default=None),
                  "the dispute-dyad-years implied by the participants (MIDB)")


def _participant_dyad_years(parts: list[tuple[int, dict]]) -> Columns:
    """Directed dispute-dyad-years of the participants on opposite sides, per overlapping year.

    ``_line`` of a dyad-year is the line of its focal state's participation (ccode1)."""
    by_disp: dict[int, list[tuple[int, dict]]] = {}
    for line, r in parts:
        by_disp.setdefault(r["dispnum"], []).append((line, r))
    out = Columns(DYAD_COLUMNS, _DYAD_TYPES)
    done: set[tuple] = set()
    for disp, members in sorted(by_disp.items()):
        for la, a in members:
            for _, b in members:
                if a["ccode"] == b["ccode"] or a["sidea"] == b["sidea"]:
                    continue
                lo, hi = max(a["styear"], b["styear"]), min(a["endyear"], b["endyear"])
                first_year = min((y for _, x in members if x["ccode"] == a["ccode"]
                                  for _, z in members if z["ccode"] == b["ccode"]
                                  for y in [max(x["styear"], z["styear"])]
                                  if max(x["styear"], z["styear"]) <= min(x["endyear"], z["endyear"])),
                                 default=lo)
                for y in range(lo, hi + 1):
                    key = (disp, a["ccode"], b["ccode"], y)
                    if key in done:
                        continue
                    i1, i2 = cow_iso3(a["ccode"], y), cow_iso3(b["ccode"], y)
                    if i1 is None or i2 is None:
                        continue  # the participant row itself was mappable in its start year; skip the odd year
                    done.add(key)
                    out.add(la, {"dispnum": disp, "ccode1": a["ccode"], "ccode2": b["ccode"], "year": y,
                                 "iso3_1": i1, "iso3_2": i2, "cowmidongoing": 1,
                                 "cowmidonset": int(y == first_year), "sidea1": a["sidea"], "sidea2": b["sidea"],
                                 "revstate1": a["revstate"], "revstate2": b["revstate"],
                                 "fatality1": a["fatality"], "fatality2": b["fatality"],
                                 "fatalpre1": a["fatalpre"], "fatalpre2": b["fatalpre"],
                                 "hiact1": a["hiact"], "hiact2": b["hiact"], "hostlev1": a["hostlev"],
                                 "hostlev2": b["hostlev"], "orig1": a["orig"], "orig2": b["orig"]})
    return out


DYAD_READER = formats.register(MIDDyadYearReader())
DISPUTE_READER = formats.register(MIDDisputeReader())
PARTICIPANT_READER = formats.register(MIDParticipantReader())
