"""Physical layout of the events table: sorted so one dyad is found without a full scan.

DuckDB keeps a min/max "zone map" for every column of every row group
(122,880 rows). When ``events`` is sorted by ``(src_country, tgt_country,
event_date)``, the rows of one directed dyad sit in one or two adjacent row
groups, and a query filtering on the two countries reads only those; on
an unsorted table every row group spans almost every country and the query
scans everything. ``bench/bench_layout.py`` measures the difference
(``docs/scale.md``): on 100M synthetic events the yearly series of one dyad
drops from a full scan to a few row groups.

:func:`optimize` re-sorts the table in one transaction (the store is exactly
as before if it fails); rows ingested later are appended unsorted, so run it
again after large ingests (``dyadwatch optimize``). The sort order is
recorded in ``dw_meta`` (key ``events_sort_key``, value the column list;
``events_sorted_rows`` the row count then).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import duckdb

from dyadwatch.errors import StoreError, UsageError

#: the default sort key: directed country dyad, then time
SORT_KEY = ("src_country", "tgt_country", "event_date")


@dataclass
class LayoutSummary:
    """What :func:`optimize` did."""

    table: str
    rows: int
    sort_key: tuple[str, ...]
    seconds: float
    row_groups: int

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall()]


def row_groups(con: duckdb.DuckDBPyConnection, table: str = "events") -> int:
    """Number of row groups of ``table`` (the unit a zone map skips)."""
    return con.execute(
        "SELECT count(DISTINCT row_group_id) FROM pragma_storage_info(?)", [table]).fetchall()[0][0]


def sort_key(con: duckdb.DuckDBPyConnection) -> tuple[str, ...] | None:
    """The sort key recorded by the last :func:`optimize`, or None."""
    try:
        row = con.execute("SELECT value FROM dw_meta WHERE key = 'events_sort_key'").fetchall()
    except duckdb.CatalogException:
        return None
    return tuple(row[0][0].split(",")) if row else None


def optimize(con: duckdb.DuckDBPyConnection, *, table: str = "events",
             key: tuple[str, ...] = SORT_KEY) -> LayoutSummary:
    """Re-sort ``table`` by ``key`` so its zone maps let dyad queries skip row groups.

    Parameters
    ----------
    con : writable connection to a dyadwatch store.
    table : table to re-sort (``events``).
    key : sort columns, most selective filter first (default
        :data:`SORT_KEY`: source country, target country, event date).

    Returns
    -------
    LayoutSummary (rows, seconds taken, row groups after).

    Raises
    ------
    UsageError
        A key column that the table does not have.
    StoreError
        The table is missing, or the re-sorted copy does not hold the same
        number of rows (the transaction is rolled back; nothing changes).
    """
    cols = _columns(con, table)
    if not cols:
        raise StoreError(f"table {table!r} does not exist in this store", hint="ingest events first")
    bad = [k for k in key if k not in cols]
    if bad:
        raise UsageError(f"cannot sort {table} by {', '.join(bad)}: no such column; columns: {', '.join(cols)}")
    tmp = f"_{table}_sorted"
    order = ", ".join(f'"{k}" NULLS LAST' for k in key)
    t0 = time.perf_counter()
    con.execute("BEGIN TRANSACTION")
    try:
        before = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
        con.execute(f"DROP TABLE IF EXISTS {tmp}")
        con.execute(f"CREATE TABLE {tmp} AS SELECT * FROM {table} ORDER BY {order}")
        after = con.execute(f"SELECT count(*) FROM {tmp}").fetchall()[0][0]
        if after != before:
            raise StoreError(f"re-sorted copy of {table} has {after} rows, expected {before}; nothing changed")
        con.execute(f"DROP TABLE {table}")
        con.execute(f"ALTER TABLE {tmp} RENAME TO {table}")
        con.execute("CREATE TABLE IF NOT EXISTS dw_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.execute("INSERT OR REPLACE INTO dw_meta VALUES ('events_sort_key', ?), ('events_sorted_rows', ?)",
                    [",".join(key), str(after)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("CHECKPOINT")
    return LayoutSummary(table=table, rows=after, sort_key=tuple(key),
                         seconds=time.perf_counter() - t0, row_groups=row_groups(con, table))
