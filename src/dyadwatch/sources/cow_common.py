"""Helpers shared by the readers of COW-coded conflict data (rivalries, MIDs, wars).

- :func:`cow_value`: one integer cell with COW's missing-value codes (−9
  unknown, −8 not applicable, −7 …) turned into ``None`` and a range check
  naming the column;
- :class:`Columns`: rows collected column by column and handed to the sink as
  one Arrow table with the table's types;
- :func:`cow_iso3`: the ISO3 key of a COW code in a year, strict first (the
  state-system spell of the year), then the nearest spell of the code (MIDs
  code some states a little outside their COW membership, and rivalries begin
  before 1816), ``None`` when no table knows the code;
- :func:`header_names`: the header line's column names, lower-cased.

The readers stay in their own modules (``td_rivalries``, ``cow_mid``,
``cow_war``); this module holds only what would otherwise be written three
times.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from dyadwatch.sources.alignment_support import to_int

#: COW codebooks' missing-value codes (−9 missing/unknown, −8 not applicable, −7 ongoing/other)
COW_MISSING = (-9, -8, -7)

#: plausible year range of any conflict data set row (the state system from 1816; rivalries from 1494)
YEAR_RANGE = (1400, 2100)


class BadValue(ValueError):
    """A cell that cannot be stored; the message names the column and the value."""


def cow_value(row: dict[str, str], col: str, lo: int, hi: int, *, missing_ok: bool = True) -> int | None:
    """The integer in ``row[col]``, ``None`` for an empty cell or a COW missing code.

    Parameters
    ----------
    row : a CSV record (lower-case keys).
    col : column name; a column the layout lacks gives ``None``.
    lo, hi : inclusive range of valid values.
    missing_ok : when False, an empty or missing value raises instead.

    Raises
    ------
    BadValue
        Not a whole number, or outside ``lo``..``hi`` (message: ``column 'x': value 99999 not in 1400..2100``).
    """
    raw = row.get(col)
    try:
        v = to_int(raw)
    except ValueError as exc:
        raise BadValue(f"column {col!r}: {exc}") from None
    if v is not None and v in COW_MISSING and not lo <= v <= hi:
        v = None
    if v is None:
        if not missing_ok:
            raise BadValue(f"column {col!r} is empty or missing ({raw!r})")
        return None
    if not lo <= v <= hi:
        raise BadValue(f"column {col!r}: value {v} not in {lo}..{hi}")
    return v


def cow_year(row: dict[str, str], col: str, *, missing_ok: bool = False) -> int | None:
    """A year cell in :data:`YEAR_RANGE` (see :func:`cow_value`)."""
    return cow_value(row, col, *YEAR_RANGE, missing_ok=missing_ok)


def cow_iso3(code: int | None, year: int | None) -> str | None:
    """ISO3 key of COW code ``code`` in ``year``: the state-system spell of that year, else the
    nearest spell of the code (:func:`dyadwatch.codebooks.countries.cow_to_iso3`, ``strict=False``),
    else ``None``. Cached."""
    if code is None or year is None:
        return None
    key = (code, year)
    if key not in _ISO_CACHE:
        from dyadwatch.codebooks import countries

        got = None
        for strict in (True, False):
            try:
                got = countries.cow_to_iso3(int(code), int(year), strict=strict)
            except (LookupError, ValueError, TypeError):
                got = None
            except Exception:  # a DyadwatchError of the code table: no state for this code
                got = None
            if got:
                break
        _ISO_CACHE[key] = got
    return _ISO_CACHE[key]


_ISO_CACHE: dict[tuple[int, int], str | None] = {}


def unmapped_reason(codes: list[tuple[int, int]]) -> str:
    """The reject reason for COW codes no table maps: ``country not mappable: COW code 999 in 1990 ...``."""
    what = " and ".join(f"{c} in {y}" for c, y in codes)
    return (f"country not mappable: COW code {what} names no state in dyadwatch.codebooks.countries "
            "(not a COW state code)")


class Columns:
    """Rows gathered column by column, then one Arrow table (types from ``types``, default string)."""

    def __init__(self, names: tuple[str, ...] | list[str], types: dict[str, pa.DataType]):
        self.names = list(names) + ["_line"]
        self.types = {**types, "_line": pa.int64()}
        self.data: dict[str, list[Any]] = {n: [] for n in self.names}

    def add(self, line: int, values: dict[str, Any]) -> None:
        for n in self.names:
            self.data[n].append(line if n == "_line" else values.get(n))

    def __len__(self) -> int:
        return len(self.data["_line"])

    def table(self) -> pa.Table:
        return pa.table({n: pa.array(v, self.types.get(n, pa.string())) for n, v in self.data.items()})


def int_types(names, kind=pa.int32()) -> dict[str, pa.DataType]:
    """``{name: kind}`` for each name (a helper for :class:`Columns` type maps)."""
    return {n: kind for n in names}
