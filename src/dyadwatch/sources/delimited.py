"""Staging delimited text files in DuckDB with exact line numbers.

Event readers parse with DuckDB (fast, streams large files) but must know the
1-based line number of every row, for ``rejects`` and for the ingest engine's
duplicate-key rejects (the ``_line`` column). DuckDB's CSV reader reports line
numbers only for the lines it rejects, so the good rows get theirs from their
order: the *k*-th row kept is line ``k + #{i : r_i - i < k}``, where ``r_1 <
r_2 < ...`` are the rejected line numbers (``r_i - i`` is the number of kept
lines before ``r_i``). DuckDB keeps file order (``preserve_insertion_order``,
on by default), which :func:`stage_lines` relies on.

Two ways in:

:func:`stage_lines`
    every physical line as one string, optionally split into fields in the
    same pass (for unquoted formats: GDELT exports, ICEWS name triples).
    Blank lines are counted (DuckDB hands them over as NULL) so numbering
    stays exact, then skipped; only lines that are not valid UTF-8 are
    dropped by DuckDB, and they are handed to the sink as rejects.
:func:`stage_csv`
    a quoted CSV with a header (``icews_sample.csv``, the GDELT samples).
    Lines with the wrong number of fields or bad bytes go to rejects with
    DuckDB's reason. Known weakness: DuckDB skips blank lines silently there,
    so a blank line inside such a file shifts the line numbers after it by one.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from dyadwatch.errors import is_interrupt
from dyadwatch.sources import longlines
from dyadwatch.sources.formats import Sink
from dyadwatch.sources.io import open_binary, sql_file

#: a two-byte field delimiter that does not occur in text files, so that
#: DuckDB hands over each line whole
_NO_DELIM = "\\x1e\\x1f"
#: the longest line (bytes, without its line end) a reader accepts; a longer one is rejected
#: as ``line size over maximum`` (set aside before DuckDB reads the file, see
#: :mod:`dyadwatch.sources.longlines`; the same bound in
#: :func:`dyadwatch.sources.alignment_support.csv_records`)
MAX_LINE_BYTES = longlines.MAX_LINE_BYTES
_seq = itertools.count(1)


def _sql_str(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"


#: SQL for the reject reason of a row of DuckDB's rejects table (``error_type``, ``error_message``)
_REASON_SQL = """CASE error_type::VARCHAR
    WHEN 'INVALID ENCODING' THEN 'not valid UTF-8 (bad byte sequence)'
    WHEN 'MISSING COLUMNS' THEN 'wrong number of fields: ' || lower(split_part(coalesce(error_message, ''), '.', 1))
    WHEN 'TOO MANY COLUMNS' THEN 'wrong number of fields: ' || lower(split_part(coalesce(error_message, ''), '.', 1))
    ELSE lower(error_type::VARCHAR) || ': ' || split_part(coalesce(error_message, ''), '.', 1) END"""


def _in_list(values) -> str:
    return "(" + ", ".join(str(int(v)) for v in values) + ")" if values else "(NULL)"


def _collect_rejects(con, rej: str, scan: str, sink: Sink, long: list[tuple[int, str]]) -> str:
    """Hand DuckDB's rejected lines to ``sink`` (in SQL, never through Python) and the
    long lines set aside (:mod:`~dyadwatch.sources.longlines`, whose placeholder
    DuckDB may reject too) with :data:`~dyadwatch.sources.longlines.LINE_SIZE_REASON`.
    Returns ``(name of a temp table of the line numbers DuckDB rejected, for :func:`_number`;
    number of lines rejected, long lines included)``."""
    lines = f"{rej}_lines"
    con.execute(f"CREATE OR REPLACE TEMP TABLE {lines} AS SELECT DISTINCT line::BIGINT AS line FROM {rej}")
    n = sink.reject_rows(f"SELECT line, any_value({_REASON_SQL}), any_value(csv_line) FROM {rej} "
                         f"WHERE line NOT IN {_in_list(n for n, _ in long)} GROUP BY line ORDER BY line")
    con.execute(f"DROP TABLE IF EXISTS {rej}")
    con.execute(f"DROP TABLE IF EXISTS {scan}")
    for line, head in long:
        sink.reject(line, longlines.LINE_SIZE_REASON, head)
    return lines, n + len(long)


def _number(con, table: str, rejected: str, first_line: int) -> None:
    """Turn the row order ``_k`` of ``table`` into file line numbers ``_line``, given the
    table ``rejected`` of the line numbers DuckDB rejected (dropped afterwards)."""
    offset = first_line - 1
    if not con.execute(f"SELECT 1 FROM {rejected} LIMIT 1").fetchall():
        con.execute(f"DROP TABLE {rejected}")
        con.execute(f"ALTER TABLE {table} RENAME COLUMN _k TO _line")
        if offset:
            con.execute(f"UPDATE {table} SET _line = _line + {offset}")
        return
    gaps = f"_dw_gaps_{next(_seq)}"
    # data-line numbers of the rejects (header excluded) r_1 < r_2 < ... -> g_i = r_i - i
    con.execute(f"CREATE TEMP TABLE {gaps} AS SELECT r - i AS g, max(i) AS i FROM ("
                f"SELECT line - {offset} AS r, row_number() OVER (ORDER BY line) AS i FROM {rejected}) GROUP BY 1")
    con.execute(f"DROP TABLE {rejected}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT t.* EXCLUDE (_k), "
                f"t._k + coalesce(g.i, 0) + {offset} AS _line "
                f"FROM {table} t ASOF LEFT JOIN {gaps} g ON t._k > g.g ORDER BY t._k")
    con.execute(f"DROP TABLE {gaps}")


def drop_temp(con, *tables: str) -> None:
    """Drop the reader's temporary tables; does nothing once the batch's
    transaction has failed (the rollback removes them anyway)."""
    import duckdb

    for table in tables:
        try:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        except duckdb.TransactionException:
            return


def stage_lines(con, path: Path, sink: Sink, table: str, *, split: str | None = None,
                project: str | None = None) -> int:
    """Stage the lines of ``path`` into temp table ``table``, with their line numbers.

    Parameters
    ----------
    con : DuckDB connection (the batch's, ``sink.con``).
    path : a plain or ``.gz`` text file (use :func:`dyadwatch.sources.io.materialize`
        for ``.zip``).
    sink : receives one reject per line that is not valid UTF-8.
    table : name of the temporary table to create (replaced if it exists).
    split : a field delimiter; when given, ``f`` (the list of fields) is
        available to ``project``.
    project : SQL select list over ``l`` (the line) and ``f``; default
        ``l AS line``. In CRLF files ``l`` and its last field end with ``\\r``:
        the caller strips it where it matters (``rtrim(x, chr(13))``).

    Returns
    -------
    int
        Number of lines rejected for their bytes (not UTF-8, or holding a
        NUL byte: reason ``NUL byte in line``).

    Notes
    -----
    ``table`` gets ``_line`` (1-based line number) and the projected columns,
    one row per non-blank line (blank lines are skipped but counted).
    """
    n = next(_seq)
    rej, scan = f"_dw_rej_{n}", f"_dw_rejscan_{n}"
    # (one flat query: nesting the split under a filter made DuckDB evaluate it per field)
    fields = f", string_split(c, {_sql_str(split)}) AS f" if split else ""
    with longlines.set_aside(Path(path), open_binary) as (readable, long):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT _k, {project or 'l AS line'}, "
            f"CASE WHEN contains(l, chr(0)) THEN replace(l, chr(0), '\\0') END AS _dw_nul FROM ("
            f"SELECT row_number() OVER () AS _k, c AS l{fields} "
            f"FROM read_csv({sql_file(readable)}, delim=E'{_NO_DELIM}', quote='', "
            f"escape='', header=false, columns={{'c': 'VARCHAR'}}, auto_detect=false, "
            f"max_line_size={MAX_LINE_BYTES}, store_rejects=true, rejects_table='{rej}', rejects_scan='{scan}')) "
            f"WHERE l IS NOT NULL AND l NOT IN ('', chr(13))")
    rejected, n_rej = _collect_rejects(con, rej, scan, sink, long)
    _number(con, table, rejected, 1)
    # a NUL byte is never text: reject the line (DuckDB would keep it inside a field); the
    # placeholder of a long line holds one, and that line is rejected already
    n_nul = _reject_nul(con, sink, table, "_dw_nul IS NOT NULL", "_dw_nul", long)
    con.execute(f"ALTER TABLE {table} DROP COLUMN _dw_nul")
    return n_rej + n_nul


def stage_csv(con, path: Path, sink: Sink, table: str, columns: list[str], *, delim: str = ",",
              quote: str = '"', nullstr: list[str] | None = None) -> int:
    """Stage a CSV with a header line into ``table(<columns> VARCHAR..., _line BIGINT)``.

    ``columns`` are the names to give the fields in file order (the header
    line itself is skipped, the caller has checked it). Lines with the wrong
    number of fields or invalid UTF-8 go to ``sink`` as rejects with DuckDB's
    reason, records holding a NUL byte with ``NUL byte in line``. Returns the
    number of rejected lines.

    ``max_line_size`` is set explicitly: with DuckDB's default (2 MB), DuckDB
    2.0 silently skipped a 50 MB line of a 20-column file instead of
    reporting it (found by tests/reliability); with 16 MB the line is
    rejected as ``line size over maximum``.
    """
    n = next(_seq)
    rej, scan = f"_dw_rej_{n}", f"_dw_rejscan_{n}"
    cols = ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in columns)
    nulls = ", ".join(_sql_str(s) for s in (nullstr or [""]))
    with longlines.set_aside(Path(path), open_binary) as (readable, long):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT row_number() OVER () AS _k, * "
            f"FROM read_csv({sql_file(readable)}, delim={_sql_str(delim)}, quote={_sql_str(quote)}, "
            f"escape={_sql_str(quote)}, header=true, columns={{{cols}}}, auto_detect=false, nullstr=[{nulls}], "
            f"max_line_size={MAX_LINE_BYTES}, store_rejects=true, rejects_table='{rej}', rejects_scan='{scan}')")
    rejected, n_rej = _collect_rejects(con, rej, scan, sink, long)
    _number(con, table, rejected, 2)
    # a NUL byte is never text: reject the record (DuckDB would keep it inside a field)
    has_nul = " OR ".join(f"contains(coalesce({_sql_ident(c)}, ''), chr(0))" for c in columns)
    fields = ", ".join(f"coalesce({_sql_ident(c)}, '')" for c in columns)
    return n_rej + _reject_nul(con, sink, table, has_nul,
                               f"replace(concat_ws({_sql_str(delim)}, {fields}), chr(0), '\\0')", long)


def _reject_nul(con, sink: Sink, table: str, where: str, raw_sql: str,
                long: list[tuple[int, str]] = ()) -> int:
    """Hand the rows of ``table`` matching ``where`` to ``sink`` as rejects (reason
    ``NUL byte in line``, raw text ``raw_sql``; in SQL) and delete them; returns their
    number. The placeholders of ``long`` lines (already rejected) are deleted, not counted."""
    n = sink.reject_rows(f"SELECT _line, 'NUL byte in line', {raw_sql} FROM {table} WHERE ({where}) "
                         f"AND _line NOT IN {_in_list(line for line, _ in long)} ORDER BY _line")
    con.execute(f"DELETE FROM {table} WHERE {where}")
    return n


def _sql_ident(name: str) -> str:
    return '"' + str(name).replace('"', '""') + '"'


def reject_field_counts(con, sink: Sink, table: str, n: int, expected: str, raw_col: str,
                        n_bad_bytes: int) -> None:
    """Reject the rows of ``table`` whose field count ``_nf`` is not ``n``, then
    count every data line of the file as read on ``sink``.

    ``expected`` completes the reason ``wrong number of fields: expected ...,
    found K``; ``raw_col`` is the column holding the raw line; ``n_bad_bytes``
    lines were already rejected by :func:`stage_lines` for their bytes.
    """
    bad = sink.reject_rows(f"SELECT _line, 'wrong number of fields: expected ' || {_sql_str(expected)} || "
                           f"', found ' || _nf, {raw_col} FROM {table} WHERE _nf <> {n} ORDER BY _line")
    if bad:
        con.execute(f"DELETE FROM {table} WHERE _nf <> {n}")
    sink.count_read(con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0] + bad + n_bad_bytes)


def probe_clean(con, path: Path) -> int | None:
    """Check in one parallel pass that every line of ``path`` has clean bytes.

    Clean means: valid UTF-8, shorter than DuckDB's default ``max_line_size``
    (2 MB), no NUL byte, and every byte of the file accounted for by the
    lines DuckDB returned (a line longer than DuckDB's read buffer can be
    skipped silently, so the line lengths plus line ends must add up to the
    file size, give or take a BOM and a missing last line end). With
    :func:`typed_read_sql` (whose strict parse finds lines with another field
    count) this lets a reader take a fast path that needs no line numbers.
    The check reads each line whole, without splitting it, with DuckDB's
    default buffers (memory does not grow with the file), on a cursor of its
    own, so nothing it meets can disturb the caller's transaction.

    Returns
    -------
    int or None
        The number of non-blank lines of a clean file, else None (the caller
        then takes the exact, line-numbered path: :func:`stage_lines`). A
        compressed file always gives None.
    """
    path = Path(path)
    if path.suffix.lower() in (".gz", ".zip", ".bz2", ".xz", ".zst"):
        return None
    n = next(_seq)
    rej, scan = f"_dw_prej_{n}", f"_dw_prejscan_{n}"
    cur = con.cursor()
    try:
        size = path.stat().st_size
        lines, chars, nonblank, nul = cur.execute(
            f"SELECT count(*), coalesce(sum(strlen(c)), 0), "
            f"count(*) FILTER (c IS NOT NULL AND c NOT IN ('', chr(13))), count(*) FILTER (contains(c, chr(0))) "
            f"FROM read_csv({sql_file(path)}, delim=E'{_NO_DELIM}', quote='', escape='', header=false, "
            f"columns={{'c': 'VARCHAR'}}, auto_detect=false, "
            f"store_rejects=true, rejects_table='{rej}', rejects_scan='{scan}')").fetchall()[0]
        rejected = cur.execute(f"SELECT count(*) FROM {rej}").fetchall()[0][0]
    except Exception as exc:  # noqa: BLE001 - any surprise: take the exact path, which reports it properly
        if is_interrupt(exc):  # Ctrl-C: an interruption, never a reason to take the other path
            raise
        return None
    finally:
        cur.close()
    accounted = -1 <= size - (chars + lines) <= 3  # no last line end .. a UTF-8 BOM
    return int(nonblank) if not nul and not rejected and accounted else None


def typed_read_sql(path: Path, columns: list[str] | tuple[str, ...], delim: str = "\t",
                   rejects: str | None = None) -> str:
    """``read_csv(...)`` of an unquoted, headerless delimited file checked by
    :func:`probe_clean`: every field a VARCHAR named after ``columns``, empty
    fields NULL, blank lines skipped. DuckDB parses it in parallel and
    materialises only the fields a query uses. The parse is strict: a line
    with another number of fields is an error, or, with ``rejects`` (a name),
    a row of the temp table ``<rejects>`` (DuckDB's ``store_rejects``)."""
    cols = ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in columns)
    store = (f", store_rejects=true, rejects_table='{rejects}', rejects_scan='{rejects}_scan'"
             if rejects else "")
    return (f"read_csv({sql_file(path)}, delim={_sql_str(delim)}, quote='', escape='', header=false, "
            f"columns={{{cols}}}, auto_detect=false, strict_mode=true{store})")
