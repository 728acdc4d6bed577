"""Reader ``unsc-vetoes``: vetoed draft resolutions of the UN Security Council.

Layout of the World Politics Data Lab's list (Yordan 2022, scraped from the
Dag Hammarskjöld Library's "Security Council - Veto List",
research.un.org/en/docs/sc/quick/veto): one row per vetoed draft with
``date`` (M/D/YYYY; ``date_iso`` when present), ``draft``,
``meeting_record``, ``agenda_item``, ``crisis_topic``, ``region`` and the
vetoing permanent members by name in ``member_veto1..3``.

The member names are trusted over the source's per-country 0/1 columns
(``China, France, Russia, USSR, USA, UK``), which miss a named vetoer on 26
rows; ``flags_disagree`` marks those rows. Names map to ISO3 by the
permanent seats of UN Charter art. 23: USSR and Russia -> ``RUS`` (the
Russian Federation continues the USSR's seat from 24 December 1991);
China -> ``TWN`` (Republic of China) before 25 October 1971 and ``CHN``
after (GA resolution 2758 (XXVI)); USA, UK (``GBR``), France (``FRA``).

Rejected with the reason: a row without a date or without a vetoing member,
an unknown member name, and (by the store) a second row with the same
``(draft, agenda_item)`` — the source repeats one 1946 row verbatim.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import good_records, has_columns, require_header
from dyadwatch.sources.formats import Head, Sink

DATASET = "unsc-vetoes"
REQUIRED = ("draft", "meeting_record", "date", "member_veto1")
MEMBER_COLUMNS = ("member_veto1", "member_veto2", "member_veto3")
#: date the Republic of China's seat passed to the People's Republic (GA res. 2758 (XXVI))
CHINA_SEAT_CHANGE = dt.date(1971, 10, 25)
#: permanent member name (as in the source) -> ISO3 of the seat holder
P5 = {"USSR": "RUS", "RUSSIA": "RUS", "RUSSIAN FEDERATION": "RUS", "USA": "USA", "UNITED STATES": "USA",
      "UK": "GBR", "UNITED KINGDOM": "GBR", "FRANCE": "FRA", "CHINA": "CHN"}
#: the source's 0/1 column for each name
_FLAG = {"USSR": "ussr", "RUSSIA": "russia", "USA": "usa", "UK": "uk", "FRANCE": "france", "CHINA": "china"}


def member_iso3(name: str, date: dt.date) -> str | None:
    """ISO3 of the permanent member called ``name`` on ``date`` (None if unknown)."""
    key = name.strip().upper()
    iso3 = P5.get(key)
    if iso3 == "CHN" and date < CHINA_SEAT_CHANGE:
        return "TWN"
    return iso3


def _date(row: dict[str, str]) -> dt.date | None:
    for key, fmt in (("date_iso", "%Y-%m-%d"), ("date", "%m/%d/%Y"), ("date", "%Y-%m-%d")):
        s = (row.get(key) or "").strip()
        if s:
            try:
                return dt.datetime.strptime(s, fmt).date()
            except ValueError:
                continue
    return None


class UNSCVetoesReader:
    name = "unsc-vetoes"
    dataset = DATASET
    tables = ("unsc_vetoes",)
    description = "UN Security Council vetoed drafts (World Politics Data Lab layout)"

    def sniff(self, path: Path, head: Head) -> bool:
        return has_columns(head, *REQUIRED)

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, REQUIRED, "UNSC veto list")
        names = ("draft", "agenda_item", "meeting_record", "date", "year", "crisis_topic", "region",
                 "members", "members_iso3", "n_members", "flags_disagree", "_line")
        cols: dict[str, list] = {k: [] for k in names}
        for line, row, raw in good_records(path, sink):
            date = _date(row)
            members = [row[c].strip() for c in MEMBER_COLUMNS if (row.get(c) or "").strip()]
            if date is None:
                sink.reject(line, f"veto of {row.get('draft')!r} without a readable date ({row.get('date')!r})", raw)
                continue
            if not members:
                sink.reject(line, f"veto of {row.get('draft')!r} names no vetoing member (member_veto1..3 empty)", raw)
                continue
            iso3 = [member_iso3(m, date) for m in members]
            if None in iso3:
                bad = [m for m, i in zip(members, iso3) if i is None]
                sink.reject(line, f"unknown permanent member {', '.join(map(repr, bad))}; expected one of "
                                  "China, France, Russia, USSR, UK, USA", raw)
                continue
            flags = [row.get(_FLAG.get(m.upper(), "")) for m in members]
            disagree = any(f is not None and f.strip() not in ("1", "1.0") for f in flags)
            values = ((row.get("draft") or "").strip(), (row.get("agenda_item") or "").strip(),
                      (row.get("meeting_record") or "").strip() or None, date, date.year,
                      (row.get("crisis_topic") or "").strip() or None, (row.get("region") or "").strip() or None,
                      members, iso3, len(members), disagree, line)
            for k, v in zip(names, values):
                cols[k].append(v)
        types = {"date": pa.date32(), "year": pa.int32(), "members": pa.list_(pa.string()),
                 "members_iso3": pa.list_(pa.string()), "n_members": pa.int8(), "flags_disagree": pa.bool_(),
                 "_line": pa.int64()}
        sink.add("unsc_vetoes", pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in cols.items()}))


READER = formats.register(UNSCVetoesReader())
