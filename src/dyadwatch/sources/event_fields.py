"""Field parsers shared by the POLECAT, ACLED and UCDP GED readers.

Each parser takes the text of one cell and returns the value, ``None`` for a
missing value (empty, ``NA``, ``N/A``, ``None``, ``NULL`` — the spellings the
three publishers use), or raises :class:`BadField` with a one-line reason
naming the column, which the reader turns into a reject of that line.
:class:`Rows` collects column lists and hands them to the sink as one Arrow
table with the canonical types.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from functools import lru_cache
from typing import Any

import pyarrow as pa

from dyadwatch import ranges

#: cell texts that mean "no value"
MISSING = frozenset({"", "na", "n/a", "none", "null"})


class BadField(ValueError):
    """A cell that cannot be read; ``str(exc)`` is the reject reason."""


def text(cell: str | None) -> str | None:
    """The cell stripped, ``None`` when it is a missing value."""
    if cell is None:
        return None
    s = cell.strip()
    return None if len(s) <= 4 and s.lower() in MISSING else s


@lru_cache(maxsize=1 << 16)  # values repeat (codes, precisions, counts): parse each once
def number(cell: str | None, column: str, lo: float, hi: float) -> float | None:
    """A finite number in ``[lo, hi]``; raises :class:`BadField` otherwise."""
    s = text(cell)
    if s is None:
        return None
    try:
        v = float(s)
    except ValueError:
        raise BadField(f"{column} {s[:40]!r} is not a number") from None
    if not math.isfinite(v) or not lo <= v <= hi:
        raise BadField(f"{column} {s[:40]!r} not in [{lo:g}, {hi:g}]")
    return v


def whole(cell: str | None, column: str, lo: int, hi: int) -> int | None:
    """A whole number in ``[lo, hi]`` (``'12'`` or ``'12.0'``); raises :class:`BadField` otherwise."""
    v = number(cell, column, lo, hi)
    if v is None:
        return None
    if v != int(v):
        raise BadField(f"{column} {text(cell)[:40]!r} is not a whole number")
    return int(v)


_DATE_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%d %B %Y", "%d-%B-%Y", "%m/%d/%Y")


@lru_cache(maxsize=1 << 16)  # an event file holds a few thousand distinct dates
def date(cell: str | None, column: str) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` (a time after it is ignored), ``YYYYMMDD``,
    ``16 February 2023`` (ACLED's export tool) or ``M/D/YYYY``, inside the
    plausible range of :mod:`dyadwatch.ranges`; raises :class:`BadField` otherwise."""
    s = text(cell)
    if s is None:
        return None
    head = s[:10] if len(s) > 10 and s[4:5] == "-" and s[10:11] in (" ", "T") else s
    for fmt in _DATE_FORMATS:
        try:
            d = dt.datetime.strptime(head, fmt).date()
            break
        except ValueError:
            continue
    else:
        raise BadField(f"unparsable {column} {s[:40]!r} (expected YYYY-MM-DD)")
    if not ranges.EARLIEST_DATE <= d <= ranges.latest_date():
        raise BadField(f"implausible date: {column} {s[:40]!r} outside {ranges.date_range_text()}")
    return d


def year(cell: str | None, column: str) -> int | None:
    """A year in the plausible range (1800 .. next year); raises :class:`BadField` otherwise."""
    lo, hi = ranges.year_bounds()
    s = text(cell)
    try:
        return whole(cell, column, lo, hi)
    except BadField:
        raise BadField(f"implausible year: {column} {(s or '')[:40]!r} outside {lo}..{hi}") from None


def row_sha1(*parts: dict[str, Any]) -> str:
    """sha1 (hex) of the values of ``parts`` (dicts of one row's values, keys sorted): a row's
    digest, equal for two rows exactly when every value is equal."""
    items = [sorted(p.items()) for p in parts]
    return hashlib.sha1(repr(items).encode("utf-8", "surrogatepass")).hexdigest()


#: rows a reader holds in Python before it hands them to the sink (bounds its memory on a
#: multi-million-row ACLED export: about 50 MB of Python objects per table)
CHUNK_ROWS = 50_000


class Rows:
    """Column lists of one table, handed to the sink in Arrow chunks of at most
    :data:`CHUNK_ROWS` rows (the sink appends them to its staging table).

    ``types`` maps a column to its Arrow type (default string); ``_line`` (the
    input line, for rejects and duplicate keys) is added to every table.
    """

    def __init__(self, table: str, columns: tuple[str, ...], types: dict[str, pa.DataType]) -> None:
        self.name = table
        self.columns = (*columns, "_line")
        self.types = {**types, "_line": pa.int64()}
        self.data: dict[str, list[Any]] = {c: [] for c in self.columns}
        self.n = 0

    def add(self, line: int, values: dict[str, Any]) -> None:
        for c in self.columns:
            self.data[c].append(line if c == "_line" else values.get(c))
        self.n += 1

    def table(self) -> pa.Table:
        return pa.table({c: pa.array(v, self.types.get(c, pa.string())) for c, v in self.data.items()})

    def flush(self, sink, *, final: bool = False) -> None:
        """Hand the rows held to ``sink`` when :data:`CHUNK_ROWS` are held, or
        always when ``final`` (the first call stages the table even when empty)."""
        if self.n >= CHUNK_ROWS or final:
            sink.add(self.name, self.table())
            self.data = {c: [] for c in self.columns}
            self.n = 0


#: Arrow types of the canonical ``events`` columns that are not strings
EVENT_TYPES: dict[str, pa.DataType] = {"event_date": pa.date32(), "quad_class": pa.int8(),
                                       "goldstein": pa.float64(), "lat": pa.float64(), "lon": pa.float64(),
                                       "mentions": pa.int32()}
EVENT_COLUMNS = ("event_id", "dataset", "native_id", "event_date", "src_name", "src_code", "src_country",
                 "src_sector", "tgt_name", "tgt_code", "tgt_country", "tgt_sector", "cameo_code", "cameo_root",
                 "quad_class", "goldstein", "plover_type", "loc_country", "loc_name", "lat", "lon", "doc_id")
