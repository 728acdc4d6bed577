"""Readers ``cow-states``, ``gw-states`` and ``cow-majors``: state-system membership spells.

Layouts (from the publishers' files; the peacesciencer copies in
``../shared/data/peacesciencer`` keep the same columns):

``cow-states``  COW State System Membership v2016 (``states2016.csv``):
                ``stateabb, ccode, statenme, styear, stmonth, stday,
                endyear, endmonth, endday, version``; one row per spell.
``cow-majors``  COW major powers (``majors2016.csv``): ``[stateabb,] ccode,
                styear, stmonth, stday, endyear, endmonth, endday, version``.
``gw-states``   Gleditsch & Ward (1999) independent states, in three layouts:
                the publisher's ``iisystem.dat`` / ``microstatessystem.dat``
                (tab-separated, no header: ``gwcode, abbreviation, name,
                start dd:mm:yyyy, end dd:mm:yyyy``; Latin-1 text), its
                ``ksgmdw.txt`` (tab-separated with the header ``statenumber,
                stateid, countryname, start, end``) and peacesciencer's CSV
                (``gwcode, stateabb, statename, startdate, enddate``,
                ISO dates). A file whose name contains ``micro`` is the
                microstates list (``microstate`` = True).

Rows go to ``state_system`` (``system`` = ``cow`` or ``gw``) and
``cow_majors``. A row with an impossible date, a start after its end, a
year outside 1800-2200 or a code outside 1-999 is rejected with its line;
a second row of the same spell (state and start date) is a reject of the
later one, naming what differs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import (LINE_SIZE_REASON, good_records, header_columns,
                                                  require_columns, require_header, to_int)
from dyadwatch.sources.delimited import MAX_LINE_BYTES
from dyadwatch.sources.formats import Head, Sink

COW_STATE_COLUMNS = ("ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")
MAJOR_COLUMNS = ("ccode", "styear", "stmonth", "stday", "endyear", "endmonth", "endday")
GW_PS_COLUMNS = ("gwcode", "statename", "startdate", "enddate")
GW_KSG_COLUMNS = ("statenumber", "stateid", "countryname", "start", "end")
_DAT_LINE = re.compile(r"^\s*\d{1,3}\t[^\t]*\t[^\t]*\t\d{1,2}:\d{1,2}:\d{4}\t\d{1,2}:\d{1,2}:\d{4}\s*$")
YEARS = (1800, 2200)


def _date(y, m, d) -> dt.date:
    """A date from year/month/day cells; ValueError naming the problem."""
    yy, mm, dd = to_int(y), to_int(m), to_int(d)
    if yy is None or mm is None or dd is None:
        raise ValueError("date without year, month or day")
    if not YEARS[0] <= yy <= YEARS[1]:
        raise ValueError(f"year {yy} outside {YEARS[0]}-{YEARS[1]}")
    try:
        return dt.date(yy, mm, dd)
    except ValueError as exc:  # month 13, 30 February ...
        raise ValueError(f"impossible date {yy}-{mm}-{dd} ({exc})") from None


def _text_date(text: str) -> dt.date:
    """``YYYY-MM-DD`` or ``dd:mm:yyyy``."""
    s = (text or "").strip()
    m = re.fullmatch(r"(\d{1,2}):(\d{1,2}):(\d{4})", s)
    if m:
        return _date(m.group(3), m.group(2), m.group(1))
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", s)
    if m:
        return _date(m.group(1), m.group(2), m.group(3))
    raise ValueError(f"unreadable date {s!r} (expected YYYY-MM-DD or dd:mm:yyyy)")


def _code(text) -> int:
    c = to_int(text)
    if c is None or not 1 <= c <= 999:
        raise ValueError(f"state code {text!r} is not a number in 1-999")
    return c


class _Spells:
    """Collects spells, rejecting a repeated key whose values differ (the first is kept)."""

    def __init__(self, key_fields: tuple[str, ...]) -> None:
        self.key_fields = key_fields
        self.rows: list[dict] = []
        self.seen: dict[tuple, tuple[int, dict]] = {}

    def add(self, sink: Sink, line: int, row: dict, raw: str) -> None:
        if row["start_date"] > row["end_date"]:
            sink.reject(line, f"spell starts ({row['start_date']}) after it ends ({row['end_date']})", raw)
            return
        key = tuple(row[k] for k in self.key_fields)
        old = self.seen.get(key)
        if old is not None:
            diff = [k for k in row if row[k] != old[1][k]]
            what = f"{', '.join(diff)} differ from" if diff else "same values as"
            sink.reject(line, f"duplicate spell {key}: {what} line {old[0]}; first occurrence kept", raw)
            return
        self.seen[key] = (line, row)
        self.rows.append({**row, "_line": line})

    def table(self, types: dict) -> pa.Table:
        cols = list(types)
        return pa.table({c: pa.array([r.get(c) for r in self.rows], types[c]) for c in cols})


def _cow_spell(r: dict) -> dict:
    """A COW list row's spell: ``start_date``/``end_date`` from its st*/end* year, month and day columns
    and its ``version`` (None when blank); raises ValueError for an impossible date."""
    return {"start_date": _date(r["styear"], r["stmonth"], r["stday"]),
            "end_date": _date(r["endyear"], r["endmonth"], r["endday"]),
            "version": (r.get("version") or "").strip() or None}


_SYSTEM_TYPES = {"system": pa.string(), "code": pa.int16(), "stateabb": pa.string(), "name": pa.string(),
                 "start_date": pa.date32(), "end_date": pa.date32(), "microstate": pa.bool_(),
                 "version": pa.string(), "_line": pa.int64()}


class COWStatesReader:
    name = "cow-states"
    dataset = "cow-states"
    tables = ("state_system",)
    description = "COW State System Membership list (states2016.csv layout)"

    def sniff(self, path: Path, head: Head) -> bool:
        return set(COW_STATE_COLUMNS) <= header_columns(head)

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, COW_STATE_COLUMNS, "COW state list")
        spells = _Spells(("code", "start_date"))
        for line, r, raw in good_records(path, sink):
            try:
                row = {"system": "cow", "code": _code(r["ccode"]), "stateabb": (r.get("stateabb") or "").strip() or None,
                       "name": r["statenme"].strip(), "microstate": False, **_cow_spell(r)}
            except ValueError as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            spells.add(sink, line, row, raw)
        sink.add("state_system", spells.table(_SYSTEM_TYPES))


class COWMajorsReader:
    name = "cow-majors"
    dataset = "cow-majors"
    tables = ("cow_majors",)
    description = "COW major powers (majors2016.csv layout)"

    def sniff(self, path: Path, head: Head) -> bool:
        cols = header_columns(head)
        return set(MAJOR_COLUMNS) <= cols and "statenme" not in cols and "ccode1" not in cols

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, MAJOR_COLUMNS, "COW major powers")
        spells = _Spells(("ccode", "start_date"))
        for line, r, raw in good_records(path, sink):
            try:
                row = {"ccode": _code(r["ccode"]), **_cow_spell(r)}
            except ValueError as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            spells.add(sink, line, row, raw)
        sink.add("cow_majors", spells.table({"ccode": pa.int16(), "start_date": pa.date32(),
                                             "end_date": pa.date32(), "version": pa.string(), "_line": pa.int64()}))


class GWStatesReader:
    name = "gw-states"
    dataset = "gw-states"
    tables = ("state_system",)
    description = "Gleditsch-Ward independent states (iisystem.dat, ksgmdw.txt or peacesciencer CSV)"

    def sniff(self, path: Path, head: Head) -> bool:
        cols = header_columns(head)
        if set(GW_PS_COLUMNS) <= cols or set(GW_KSG_COLUMNS) <= cols:
            return True
        return bool(head.lines) and all(_DAT_LINE.match(x) for x in head.lines[:3])

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.sources.io import read_head

        head = read_head(path)
        cols = header_columns(head)
        micro = "micro" in path.name.lower()
        spells = _Spells(("code", "start_date"))
        if set(GW_PS_COLUMNS) <= cols:
            records = ((line, (r["gwcode"], r.get("stateabb"), r["statename"], r["startdate"], r["enddate"]), raw)
                       for line, r, raw in good_records(path, sink))
        elif set(GW_KSG_COLUMNS) <= cols:
            records = _tab_records(path, sink, header=True)
        elif head.lines and _DAT_LINE.match(head.lines[0]):
            records = _tab_records(path, sink, header=False)
        else:
            require_columns(path, sorted(cols), GW_PS_COLUMNS, "Gleditsch-Ward state list")
            return
        for line, (code, abb, name, start, end), raw in records:
            try:
                row = {"system": "gw", "code": _code(code), "stateabb": (abb or "").strip() or None,
                       "name": (name or "").strip(), "start_date": _text_date(start), "end_date": _text_date(end),
                       "microstate": micro, "version": None}
            except ValueError as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            spells.add(sink, line, row, raw)
        sink.add("state_system", spells.table(_SYSTEM_TYPES))


def _tab_records(path: Path, sink: Sink, *, header: bool):
    """``(line, 5 fields, raw)`` of a tab-separated G-W file; the publisher's files are Latin-1:
    a line that is not UTF-8 is decoded as Latin-1. Bad lines are rejected, not yielded."""
    from dyadwatch.sources.io import open_binary

    with open_binary(path) as fh:
        n = 0
        while True:
            data = fh.readline(MAX_LINE_BYTES + 2)
            if not data:
                return
            n += 1
            if len(data) > MAX_LINE_BYTES + 1 or (len(data) == MAX_LINE_BYTES + 2 and not data.endswith(b"\n")):
                sink.count_read(1)
                sink.reject(n, LINE_SIZE_REASON, data[:10_000].decode("utf-8", "replace"))
                while data and not data.endswith(b"\n"):
                    data = fh.readline(1 << 20)
                continue
            if n == 1 and data.startswith(b"\xef\xbb\xbf"):
                data = data[3:]
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
            text = text.rstrip("\r\n")
            if header and n == 1 or not text.strip():
                continue
            sink.count_read(1)
            if "\x00" in text:
                sink.reject(n, "NUL byte in line", text.replace("\x00", "\\0"))
                continue
            fields = text.split("\t")
            if len(fields) != 5:
                sink.reject(n, f"expected 5 fields, found {len(fields)}", text)
                continue
            yield n, tuple(fields), text


COW_STATES = formats.register(COWStatesReader())
COW_MAJORS = formats.register(COWMajorsReader())
GW_STATES = formats.register(GWStatesReader())
