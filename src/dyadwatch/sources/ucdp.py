"""Reader ``ucdp-acd``: UCDP/PRIO Armed Conflict Dataset, with every state party.

UCDP/PRIO ACD (Gleditsch et al. 2002; Davies, Pettersson & Öberg 2023;
codebook "UCDP/PRIO Armed Conflict Dataset Codebook", versions 19.1-25.1):
one row per conflict-year. The states taking part are given as
Gleditsch-Ward codes in four columns:

``gwno_a``      primary party on side A (side A is always a government)
``gwno_a_2nd``  secondary parties on side A (states supporting it with troops)
``gwno_b``      primary party on side B (a state in interstate conflicts; empty otherwise)
``gwno_b_2nd``  secondary parties on side B

UCDP's own releases put several codes in one cell (``"2, 200"``); the
peacesciencer copy instead repeats the conflict-year once per state, one code
per cell. Both forms are read: cells are split on commas and the parties of
all rows of a conflict-year are pooled.

Tables: ``ucdp_conflicts`` (one row per conflict-year; when the rows of one
conflict-year disagree on its attributes, the later row is rejected with
the reason) and ``ucdp_conflict_parties`` (one row per state, side and role;
GW codes mapped to ISO3 for the year by
:func:`dyadwatch.codebooks.countries.gw_to_iso3`, a code no table can map
is rejected with the reason).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import (code_list, country_mapper, good_records,
                                                  has_columns, require_header, to_int)
from dyadwatch.sources.formats import Head, Sink

DATASET = "ucdp-acd"
REQUIRED = ("conflict_id", "year", "gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd")
PARTY_COLUMNS = {"gwno_a": ("A", "primary"), "gwno_a_2nd": ("A", "secondary"),
                 "gwno_b": ("B", "primary"), "gwno_b_2nd": ("B", "secondary")}
_ATTRS = ("incompatibility", "intensity_level", "type_of_conflict", "start_date", "start_date2",
          "ep_end", "ep_end_date")
#: UCDP's numeric codes of the categorical columns (codebook) -> the labels of the peacesciencer copy
_INCOMPATIBILITY = {"1": "territory", "2": "government", "3": "both"}
_TYPE = {"1": "extrasystemic", "2": "interstate", "3": "intrastate", "4": "II"}


def _date(text: str | None) -> dt.date | None:
    s = (text or "").strip()
    if not s or s.upper() in ("NA", "NULL"):
        return None
    return dt.date.fromisoformat(s[:10])


class UCDPReader:
    name = "ucdp-acd"
    dataset = DATASET
    tables = ("ucdp_conflicts", "ucdp_conflict_parties")
    description = "UCDP/PRIO Armed Conflict Dataset (conflict-years with primary and secondary parties)"

    def sniff(self, path: Path, head: Head) -> bool:
        return has_columns(head, *REQUIRED)

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, REQUIRED, "UCDP/PRIO ACD")
        to_iso3 = country_mapper("gw")
        conflicts: dict[tuple[int, int], tuple[int, tuple]] = {}
        conf_rows: dict[str, list] = {k: [] for k in ("conflict_id", "year", *_ATTRS, "_line")}
        parties: dict[tuple, int] = {}
        party_rows: dict[str, list] = {k: [] for k in ("conflict_id", "year", "side", "role", "gwno", "iso3",
                                                       "_line")}
        folded = 0  # rows repeating a conflict-year already read (the peacesciencer copy: one per state)
        for line, row, raw in good_records(path, sink):
            try:
                cid, year = to_int(row["conflict_id"]), to_int(row["year"])
                codes = {col: code_list(row.get(col)) for col in PARTY_COLUMNS}
                attrs = (
                    _INCOMPATIBILITY.get(row.get("incompatibility", "").strip(), row.get("incompatibility") or None),
                    to_int(row.get("intensity_level")),
                    _TYPE.get(row.get("type_of_conflict", "").strip(), row.get("type_of_conflict") or None),
                    _date(row.get("start_date")), _date(row.get("start_date2")),
                    to_int(row.get("ep_end")), _date(row.get("ep_end_date")),
                )
                if any(v is not None and not -128 <= v <= 127 for v in (attrs[1], attrs[5])):  # TINYINT
                    raise ValueError(f"intensity_level or ep_end out of range: {attrs[1]}, {attrs[5]}")
            except ValueError as exc:
                sink.reject(line, f"bad value in conflict-year ({exc})", raw)
                continue
            if cid is None or year is None:
                sink.reject(line, "conflict-year without conflict_id or year", raw)
                continue
            seen = conflicts.get((cid, year))
            if seen is None:
                conflicts[(cid, year)] = (line, attrs)
                for k, v in zip(("conflict_id", "year", *_ATTRS, "_line"), (cid, year, *attrs, line)):
                    conf_rows[k].append(v)
            elif seen[1] != attrs:
                diff = [a for a, x, y in zip(_ATTRS, seen[1], attrs) if x != y]
                sink.reject(line, f"conflict {cid} in {year}: {', '.join(diff)} differ from line {seen[0]}; "
                                  "first occurrence kept", raw)
                continue
            else:
                folded += 1
            unmapped = []
            for col, (side, role) in PARTY_COLUMNS.items():
                for gw in codes[col]:
                    iso3 = to_iso3(gw, year)
                    if iso3 is None:
                        unmapped.append(f"{col}={gw}")
                        continue
                    key = (cid, year, side, role, gw)
                    if key in parties:
                        continue  # the same party repeated on the conflict-year's other rows
                    parties[key] = line
                    for k, v in zip(("conflict_id", "year", "side", "role", "gwno", "iso3", "_line"),
                                    (*key, iso3, line)):
                        party_rows[k].append(v)
            if unmapped:
                sink.reject(line, f"country not mappable: GW code {', '.join(unmapped)} has no country spell in {year} "
                                  "(no ISO3 state for that code that year in dyadwatch.codebooks.countries); "
                                  "that party is not stored", raw)
        if folded:
            sink.note(f"{folded:,} row{'s' if folded != 1 else ''} folded into the conflict-year they repeat (the file gives a conflict-year "
                      "one row per state party; their parties are pooled): stored counts conflict-years, not rows")
        ctypes = {"conflict_id": pa.int32(), "year": pa.int32(), "intensity_level": pa.int8(), "ep_end": pa.int8(),
                  "start_date": pa.date32(), "start_date2": pa.date32(), "ep_end_date": pa.date32(),
                  "_line": pa.int64()}
        sink.add("ucdp_conflicts", pa.table({k: pa.array(v, ctypes.get(k, pa.string()))
                                             for k, v in conf_rows.items()}))
        ptypes = {"conflict_id": pa.int32(), "year": pa.int32(), "gwno": pa.int32(), "_line": pa.int64()}
        sink.add("ucdp_conflict_parties", pa.table({k: pa.array(v, ptypes.get(k, pa.string()))
                                                    for k, v in party_rows.items()}))


READER = formats.register(UCDPReader())
