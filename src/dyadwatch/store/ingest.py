"""Ingest: one file -> one batch, all or nothing.

For each file the store

1. picks the reader (``--format`` or detection, :mod:`dyadwatch.sources.formats`);
2. hashes the file (sha256); if a finished batch with the same hash and
   format exists, nothing is added and the summary says so;
3. in one transaction: registers the batch, lets the reader stage rows into
   temporary tables, moves rows whose key appears twice in the file to
   ``rejects`` (reason ``duplicate key in file``), inserts the rows whose key
   is not stored yet, counts rows already stored (``rows_duplicate``), and
   closes the batch record. Rows a reader adds with ``direct_rows=n`` (keys
   checked unique in the file by the reader, e.g. a clean GDELT export) skip
   the staging table: they go straight into the table, in the same
   transaction, those already stored left out and counted;
4. on any error rolls back, so the store is exactly as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import duckdb
import pyarrow as pa

from dyadwatch.errors import DyadwatchError, IngestError, InputError, StoreError, is_interrupt
from dyadwatch.sources import formats
from dyadwatch import ranges
from dyadwatch.store import conflicts, space
from dyadwatch.store.schema import TABLES, TableSpec

LINE_COL = "_line"
MAX_RAW = 2000  # characters of a rejected line kept in rejects.raw
#: the batch's rejects, staged in DuckDB (spilled beyond the memory limit), never held in Python
REJECT_STAGE = "_dw_rejects_stage"
#: rejects handed over one by one (``Sink.reject``) are written to :data:`REJECT_STAGE` in chunks of this size
REJECT_FLUSH = 5000
#: a file whose first this many data lines are all rejected is refused whole ("looks like another format")
FORMAT_GUARD_ROWS = 1000


def _cap_raw_sql(col: str) -> str:
    """SQL capping the raw text ``col`` to :data:`MAX_RAW` characters (``…`` marks the cut)."""
    return f"CASE WHEN length({col}) > {MAX_RAW} THEN left({col}, {MAX_RAW}) || '…' ELSE {col} END"


def _short_reason_sql(col: str) -> str:
    """SQL for the reason's kind as the summary counts it: the text before `` (`` and ``:``."""
    return f"split_part(split_part({col}, ' (', 1), ':', 1)"


@dataclass
class BatchSummary:
    """What one ingest did. Counts are data rows (header excluded)."""

    path: str
    format: str
    dataset: str
    batch_id: int | None
    sha256: str
    rows_read: int = 0
    rows_stored: int = 0
    rows_rejected: int = 0
    rows_duplicate: int = 0
    #: stored rows of earlier batches replaced by a conflicting row of this file (``store.conflicts``)
    rows_replaced: int = 0
    skipped: bool = False
    message: str = ""
    reject_reasons: dict[str, int] = field(default_factory=dict)
    #: what the reader said it did beyond storing and rejecting (``Sink.note``)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


class _Sink:
    """The :class:`~dyadwatch.sources.formats.Sink` the store hands a reader."""

    def __init__(self, con: duckdb.DuckDBPyConnection, reader, batch_id: int, path: Path, dataset: str):
        self.con = con
        self.reader = reader
        self.batch_id = batch_id
        self.path = path
        self.dataset = dataset
        self.rows_read = 0
        #: rejects handed over by :meth:`reject`, not yet written to :data:`REJECT_STAGE`
        self._rejects: list[tuple[int | None, str, str | None]] = []
        con.execute(f"CREATE OR REPLACE TEMP TABLE {REJECT_STAGE} (line BIGINT, reason VARCHAR, raw VARCHAR)")
        self.staged: dict[str, TableSpec] = {}
        #: table -> [stored, already stored] of rows inserted with ``add(..., direct_rows=n)``
        self.direct: dict[str, list[int]] = {}
        #: connection settings to put back once a failed batch is rolled back
        self.restore_settings: dict[str, str] = {}
        #: sentences from the reader (:meth:`note`)
        self.notes: list[str] = []
        self._n = 0

    def _stage_for(self, table: str) -> str:
        if table not in self.reader.tables:
            raise StoreError(f"reader {self.reader.name} wrote to table {table!r} it does not declare")
        spec = TABLES.get(table)
        if spec is None:
            raise StoreError(f"unknown table {table!r}; registered: {', '.join(TABLES)}")
        stage = f"stage_{table}"
        if table not in self.staged:
            cols = ", ".join(f"{n} {t}" for n, t in spec.columns)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {stage} ({cols}, {LINE_COL} BIGINT)")
            self.staged[table] = spec
        return stage

    def add(self, table: str, rows: Any, *, direct_rows: int | None = None) -> None:
        if direct_rows is not None:
            self._insert_direct(table, rows, direct_rows)
            return
        stage = self._stage_for(table)
        spec = self.staged[table]
        self._n += 1
        view = f"_dw_in_{self._n}"
        if isinstance(rows, str):
            query, rel = rows, self.con.sql(rows)
        elif isinstance(rows, duckdb.DuckDBPyRelation):
            query, rel = rows.sql_query(), rows
        else:  # pyarrow Table/RecordBatch or pandas DataFrame: a temporary registration
            self.con.register(view, rows)
            query, rel = f"SELECT * FROM {view}", self.con.table(view)
        try:
            allowed = set(spec.column_names) | {LINE_COL}
            extra = [c for c in rel.columns if c not in allowed]
            if extra:
                raise StoreError(f"reader {self.reader.name} produced columns not in table {table}: {extra}")
            self.con.execute(f"INSERT INTO {stage} BY NAME {query}")
        finally:
            if not isinstance(rows, (str, duckdb.DuckDBPyRelation)):
                self.con.unregister(view)

    def _insert_direct(self, table: str, query: Any, n_rows: int) -> None:
        """Insert ``n_rows`` rows (SQL text or a relation) straight into ``table``,
        those whose key is stored already left out and counted (no staging copy:
        the query streams from the file into the store)."""
        if table not in self.reader.tables:
            raise StoreError(f"reader {self.reader.name} wrote to table {table!r} it does not declare")
        spec = TABLES.get(table)
        if spec is None:
            raise StoreError(f"unknown table {table!r}; registered: {', '.join(TABLES)}")
        sql = query.sql_query() if isinstance(query, duckdb.DuckDBPyRelation) else str(query)
        cols = list(self.con.sql(sql).columns)
        extra = [c for c in cols if c not in spec.column_names]
        if extra:
            raise StoreError(f"reader {self.reader.name} produced columns not in table {table}: {extra}")
        # DuckDB estimates a file scan at a few dozen rows, so it would build its hash joins on the
        # file's rows (all of them held in memory) instead of on the small look-up tables the reader
        # joins: keep each join's sides as written (halves the time of a 1M-row GDELT insert)
        old = self.con.execute("SELECT current_setting('disabled_optimizers')").fetchall()[0][0]
        self.con.execute("SET disabled_optimizers = " + _sql_text(",".join(
            [o for o in old.split(",") if o.strip()] + ["build_side_probe_side"])))
        try:
            stored = _insert_new(self.con, table, spec, cols, f"({sql})", self.batch_id)
            # a key stored with other values needs the exact path (the conflict is reported with its line)
            refused = stored < n_rows and conflicts.direct_conflict(self.con, table, spec, sql, cols, self.batch_id)
            if refused:
                self.con.execute(f"DELETE FROM {table} WHERE batch_id = ?", [self.batch_id])
        except BaseException:
            self.restore_settings = {"disabled_optimizers": old}  # after the ROLLBACK (ingest_file)
            raise
        self.con.execute("SET disabled_optimizers = " + _sql_text(old))
        if refused:
            raise formats.DirectRowsRefused(f"{table}: a key is stored with other values")
        done = self.direct.setdefault(table, [0, 0])
        done[0] += stored
        done[1] += n_rows - stored

    def reject(self, line: int | None, reason: str, raw: str | None) -> None:
        if raw is not None and len(raw) > MAX_RAW:
            raw = raw[:MAX_RAW] + "…"
        self._rejects.append((line, reason, raw))
        if len(self._rejects) >= REJECT_FLUSH:
            self._flush_rejects()

    def reject_rows(self, query: str) -> int:
        """Record as rejects the rows of ``query`` (SQL yielding ``line, reason, raw`` in that
        order) inside DuckDB: the rows never pass through Python, the raw text is capped at
        :data:`MAX_RAW` characters. Returns the number of rows recorded."""
        self._flush_rejects()
        return self.con.execute(
            f"INSERT INTO {REJECT_STAGE} SELECT q.l::BIGINT, q.r::VARCHAR, {_cap_raw_sql('q.w::VARCHAR')} "
            f"FROM ({query}) q(l, r, w)").fetchall()[0][0]

    def _flush_rejects(self) -> None:
        if not self._rejects:
            return
        rows, self._rejects = self._rejects, []
        view = f"_dw_rej_in_{self.batch_id}"
        self.con.register(view, pa.table({"line": pa.array([r[0] for r in rows], pa.int64()),
                                          "reason": pa.array([r[1] for r in rows], pa.string()),
                                          "raw": pa.array([r[2] for r in rows], pa.string())}))
        try:
            self.con.execute(f"INSERT INTO {REJECT_STAGE} SELECT line, reason, raw FROM {view}")
        finally:
            self.con.unregister(view)

    def n_rejects(self) -> int:
        """Rejects recorded so far."""
        self._flush_rejects()
        return self.con.execute(f"SELECT count(*) FROM {REJECT_STAGE}").fetchall()[0][0]

    def note(self, text: str) -> None:
        self.notes.append(str(text))

    def count_read(self, n: int) -> None:
        self.rows_read += int(n)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _finished_batch(con, sha: str, fmt: str) -> int | None:
    row = con.execute(
        "SELECT batch_id FROM ingest_batches WHERE sha256 = ? AND format = ? AND finished IS NOT NULL "
        "ORDER BY batch_id LIMIT 1", [sha, fmt]).fetchall()
    return row[0][0] if row else None


def _insert_new(con, table: str, spec: TableSpec, cols: list[str], source: str, batch_id: int) -> int:
    """Insert the rows of ``source`` (a table name or a parenthesised query) into
    ``table`` under ``batch_id``, leaving out those whose key is stored already;
    returns the number of rows inserted. Into an empty table (or one without a
    key) every row is new: no anti-join is run."""
    anti = ""
    if spec.key and con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall():
        cond = " AND ".join(f"t.{k} IS NOT DISTINCT FROM s.{k}" for k in spec.key)
        anti = f" WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE {cond})"
    return con.execute(
        f"INSERT INTO {table} ({', '.join(cols)}, batch_id) SELECT {', '.join('s.' + c for c in cols)}, ? "
        f"FROM {source} s{anti}", [batch_id]).fetchall()[0][0]


def _merge(con, sink: _Sink, table: str, spec: TableSpec, *, primary: bool = True,
           followers: list[str] = ()) -> tuple[int, int, int]:
    """Move staged rows into ``table``; returns (stored, already stored, stored rows replaced).

    Repeated keys are settled by :mod:`dyadwatch.store.conflicts` (by content,
    not by order) and rejected only for the reader's primary table (its
    first); the rows of its other tables (per-event evidence) follow them:
    their rows of rejected lines are dropped first (:func:`_drop_rejected_lines`).
    """
    stage = f"stage_{table}"
    cols = [c for c, _ in spec.columns]
    if not spec.key:
        return _insert_new(con, table, spec, cols, stage, sink.batch_id), 0, 0
    replaced = 0
    conflicts.resolve_in_file(con, stage, spec, sink.reject_rows if primary else None, LINE_COL)
    if primary:
        _, replaced = conflicts.resolve_against_store(con, stage, table, spec, batch_id=sink.batch_id,
                                                      path=str(sink.path), reject_rows=sink.reject_rows,
                                                      followers=followers, line_col=LINE_COL)
    unique = con.execute(f"SELECT count(*) FROM {stage}").fetchall()[0][0]
    stored = _insert_new(con, table, spec, cols, stage, sink.batch_id)
    return stored, unique - stored, replaced


def _check_ranges(con, sink: _Sink, table: str) -> None:
    """Reject (with their line, in SQL) and drop the staged rows of ``table`` holding a
    value outside its plausible range (:func:`dyadwatch.ranges.table_checks`)."""
    stage = f"stage_{table}"
    for bad, reason in ranges.table_checks(table):
        if sink.reject_rows(f"SELECT {LINE_COL}, {reason}, NULL FROM {stage} WHERE {bad} ORDER BY {LINE_COL}"):
            con.execute(f"DELETE FROM {stage} WHERE {bad}")


def _drop_rejected_lines(con, stage: str) -> None:
    """Delete the staged rows of a follower table whose input line was rejected."""
    con.execute(f"DELETE FROM {stage} WHERE {LINE_COL} IN "
                f"(SELECT line FROM {REJECT_STAGE} WHERE line IS NOT NULL)")


def _format_guard(con, sink: _Sink, primary: str | None, reader) -> None:
    """Refuse a file whose first :data:`FORMAT_GUARD_ROWS` data lines were all rejected.

    Raises
    ------
    IngestError
        Naming the most frequent reason: such a file is another format (or
        another layout) than the reader's, not a file with a few bad lines.
    """
    if sink.n_rejects() < FORMAT_GUARD_ROWS or primary in sink.direct:
        return
    first = None
    if primary in sink.staged:
        first = con.execute(f"SELECT min({LINE_COL}) FROM stage_{primary}").fetchall()[0][0]
    n, = con.execute(f"SELECT count(DISTINCT line) FROM {REJECT_STAGE} WHERE line < ?",
                     [first if first is not None else 2**62]).fetchall()[0]
    if n < FORMAT_GUARD_ROWS:
        return
    reason, k = con.execute(f"SELECT {_short_reason_sql('reason')} AS r, count(*) AS k FROM {REJECT_STAGE} "
                            f"GROUP BY r ORDER BY k DESC, r LIMIT 1").fetchall()[0]
    raise IngestError(f"looks like another format: the first {n:,} data lines were all rejected "
                      f"(most often: {reason}, {k:,} lines); nothing stored",
                      path=sink.path, hint=f"check that it is a {reader.name} file, or give --format NAME")


def ingest_file(con: duckdb.DuckDBPyConnection, path: Path, *, format: str = "auto",
                dataset: str | None = None, source: str | None = None) -> BatchSummary:
    """Ingest one file as one batch (see the module docstring).

    Parameters
    ----------
    con : duckdb connection with the schema created (``store.db.ensure_schema``).
    path : Path of the file (plain, .gz or .zip).
    format : a registered format name, or ``"auto"`` to detect it.
    dataset : label stored in ``events.dataset`` (default: the reader's).
    source : recorded as the batch's ``source_path`` instead of ``path``
        (what a temporary file came from, e.g. the text coded into it).

    Returns
    -------
    BatchSummary

    Raises
    ------
    InputError, FormatNotRecognisedError, UnknownNameError, StoreError
        The store is unchanged when any of these is raised.
    NoSpaceError
        (a StoreError) the disk of the store, its spill directory or the
        temporary directory is full (:mod:`dyadwatch.store.space`); the batch
        is rolled back.
    KeyboardInterrupt
        Ctrl-C, also when DuckDB reported it as an interrupted query; the batch is rolled back.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("file not found", path=path)
    if path.is_dir():
        raise InputError("is a directory, expected a file", path=path)
    reader = formats.detect(path) if format in (None, "", "auto") else formats.get(format)
    ds = dataset or reader.dataset
    sha = sha256_file(path)
    summary = BatchSummary(path=str(path), format=reader.name, dataset=ds, batch_id=None, sha256=sha)
    done = _finished_batch(con, sha, reader.name)
    if done is not None:
        summary.skipped = True
        summary.batch_id = done
        summary.message = f"already stored as batch {done} (same sha256); nothing added"
        return summary

    con.execute("BEGIN TRANSACTION")
    sink = None
    try:
        batch_id = con.execute("SELECT nextval('batch_seq')").fetchall()[0][0]
        started = dt.datetime.now()
        sink = _Sink(con, reader, batch_id, path, ds)
        try:
            reader.read(path, sink)
        except (DyadwatchError, duckdb.InterruptException):
            raise
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-8 ({exc.reason} at byte {exc.start})", path=path) from None
        except (EOFError, zlib.error, zipfile.BadZipFile) as exc:  # a reader that decompresses by itself
            raise InputError(f"truncated or corrupt compressed file ({exc})", path=path) from None
        except duckdb.Error as exc:
            if space.is_no_space(exc) or isinstance(exc, duckdb.OutOfMemoryException):
                raise  # (a store error, below: not the file's fault)
            raise InputError(f"cannot parse as {reader.name}: {str(exc).splitlines()[0]}", path=path) from None
        # counts are those of the reader's primary table (its first): the rows
        # its other tables get are extras of the same input rows
        ds = summary.dataset = sink.dataset  # a reader may name the dataset from the file
        primary = next((t for t in reader.tables if t in sink.staged or t in sink.direct), None)
        for table in sink.staged:  # plausible ranges (dyadwatch/ranges.py), whatever the reader checked
            _check_ranges(con, sink, table)
        _format_guard(con, sink, primary, reader)
        stored, dup_store = sink.direct.get(primary, (0, 0))
        replaced = 0
        tables = sorted(sink.staged, key=lambda t: t != primary)  # the primary table first
        pkey = TABLES[primary].key if primary in TABLES else ()
        followers = [t for t in reader.tables if t != primary and t in TABLES and pkey and TABLES[t].key == pkey]
        for table in tables:
            if table != primary:
                _drop_rejected_lines(con, f"stage_{table}")
            s, d, r = _merge(con, sink, table, sink.staged[table], primary=table == primary, followers=followers)
            if table == primary:
                stored += s
                dup_store += d
                replaced += r
        n_rejected = sink.n_rejects()
        if n_rejected:  # from the staging table: the rows never pass through Python
            con.execute(f"INSERT INTO rejects (batch_id, file, line, reason, raw) SELECT ?::INTEGER, ?, line, reason, raw FROM {REJECT_STAGE} "
                        f"ORDER BY line NULLS LAST", [batch_id, str(path)])
            summary.reject_reasons = dict(con.execute(
                f"SELECT {_short_reason_sql('reason')} AS r, count(*) AS k FROM {REJECT_STAGE} "
                f"GROUP BY r ORDER BY k DESC, r").fetchall())
        con.execute(f"DROP TABLE IF EXISTS {REJECT_STAGE}")
        written = [*sink.direct, *(t for t in sink.staged if t not in sink.direct)]
        con.execute(
            "INSERT INTO ingest_batches VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [batch_id, source or str(path.resolve()), sha, reader.name, ds, ",".join(written) or ",".join(reader.tables),
             sink.rows_read, stored, n_rejected, dup_store, started, dt.datetime.now()])
        con.execute("COMMIT")
    except BaseException as exc:
        space.rollback_quietly(con)  # (after a full disk DuckDB has ended the transaction itself)
        for name, value in sink.restore_settings.items() if sink is not None else ():
            try:
                con.execute(f"SET {name} = {_sql_text(value)}")
            except duckdb.Error:
                pass
        if is_interrupt(exc) and not isinstance(exc, KeyboardInterrupt):  # Ctrl-C inside a query
            raise KeyboardInterrupt from None
        if not isinstance(exc, DyadwatchError) and space.is_no_space(exc):
            raise space.no_space_error(exc, space.store_path(con), path=path) from None
        if space.is_out_of_memory(exc):
            raise space.out_of_memory_error(exc, path=path) from None
        raise
    summary.batch_id = batch_id
    summary.rows_read = sink.rows_read
    summary.rows_stored = stored
    summary.rows_rejected = n_rejected
    summary.rows_duplicate = dup_store
    summary.rows_replaced = replaced
    summary.notes = list(sink.notes)
    summary.message = (f"batch {batch_id}: read {sink.rows_read}, stored {stored}, "
                       f"rejected {n_rejected}, already stored {dup_store}"
                       + (f", replaced {replaced} conflicting stored rows (see rejects)" if replaced else ""))
    return summary


def ingest_files(con, paths, *, format: str = "auto", dataset: str | None = None,
                 on_file: Callable[[BatchSummary], None] | None = None) -> list[BatchSummary]:
    """Ingest several files, one batch each, in order.

    A file that fails raises at once; batches of earlier files stay stored
    (each is complete on its own).
    """
    out = []
    for p in paths:
        s = ingest_file(con, Path(p), format=format, dataset=dataset)
        out.append(s)
        if on_file:
            on_file(s)
    return out
