"""Opening the one DuckDB file that holds everything.

The path comes from the caller (``--db``), else ``$DYADWATCH_DB``, else
``./dyadwatch.duckdb`` (:func:`resolve_path`). DuckDB lets one process write
a file at a time; a second process that finds the file locked waits (up to
``DYADWATCH_LOCK_WAIT`` seconds, default 60) and then fails with a
:class:`~dyadwatch.errors.StoreError` that says what to do, never a raw lock
error.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Callable

import duckdb

from dyadwatch.errors import StoreError, is_interrupt
from dyadwatch.store.schema import TABLES

DEFAULT_DB = "dyadwatch.duckdb"
ENV_DB = "DYADWATCH_DB"
#: environment variable: DuckDB memory limit of every store connection (``512MB``, ``2GB``,
#: ``80%`` = DuckDB's own default). Unset: :func:`default_memory_limit` for writing connections,
#: DuckDB's default (80 % of RAM) for read-only ones. See docs/reliability.md.
ENV_MEMORY_LIMIT = "DYADWATCH_MEMORY_LIMIT"
#: cap of the default memory limit of a writing connection (ingest)
DEFAULT_WRITE_MEMORY_CAP = 1 << 30
SCHEMA_VERSION = 1


def resolve_path(db: str | os.PathLike | None = None) -> Path:
    """The store path: ``db``, else ``$DYADWATCH_DB``, else ``./dyadwatch.duckdb``."""
    if db:
        return Path(db)
    env = os.environ.get(ENV_DB)
    return Path(env) if env else Path(DEFAULT_DB)


def default_memory_limit() -> str:
    """DuckDB ``memory_limit`` of a writing connection when ``$DYADWATCH_MEMORY_LIMIT`` is unset.

    1 GiB, or a quarter of physical RAM if that is less (never below 256 MiB).
    An ingest then runs in bounded memory whatever the file size: what does
    not fit spills to ``<store>.tmp/`` (DuckDB's ``temp_directory`` next to
    the store file). Returns a DuckDB size string such as ``"1024MiB"``.
    """
    try:
        ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - non-POSIX
        ram = 4 * DEFAULT_WRITE_MEMORY_CAP
    limit = max(256 << 20, min(DEFAULT_WRITE_MEMORY_CAP, ram // 4))
    return f"{limit >> 20}MiB"


def _is_lock_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set lock" in text)


def connect(path: Path, *, read_only: bool = False,
            on_wait: Callable[[str], None] | None = None) -> duckdb.DuckDBPyConnection:
    """Connect to the store file, waiting while another process holds its lock.

    Parameters
    ----------
    path : Path
        DuckDB file (created when missing unless ``read_only``).
    read_only : bool
        Open without write access.
    on_wait : callable, optional
        Called once with a message when the file is locked and we wait.

    ``$DYADWATCH_MEMORY_LIMIT`` (e.g. ``512MB``; ``80%`` lifts the bound to
    DuckDB's own default), when set, is the DuckDB memory limit of the
    connection. Unset, a writing connection gets :func:`default_memory_limit`
    (1 GiB at most) and a read-only one DuckDB's default: an ingest runs in
    bounded memory whatever the file size, what does not fit spilling to
    ``<store>.tmp/`` (docs/reliability.md gives the measured figures).
    The connection never prints DuckDB's progress bar (``SET
    enable_progress_bar = false``, a setting of this connection only).

    Raises
    ------
    StoreError
        File not found (read-only), not a DuckDB database, still locked
        after the wait, or a bad ``$DYADWATCH_LOCK_WAIT`` / memory limit.
    """
    path = Path(path)
    if read_only and not path.exists():
        raise StoreError("store not found; ingest something first", path=path,
                         hint="run `dyadwatch ingest FILE` or give --db")
    if path.parent and not path.parent.exists():
        raise StoreError("directory of the store does not exist", path=path)
    wait_text = os.environ.get("DYADWATCH_LOCK_WAIT", "60")
    try:
        wait_s = float(wait_text)
    except ValueError:
        wait_s = float("nan")
    if not wait_s >= 0:  # also NaN
        raise StoreError(f"bad DYADWATCH_LOCK_WAIT value {wait_text!r}", hint="give seconds such as 60")
    deadline = time.monotonic() + wait_s
    told = False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            if not read_only:  # we hold the write lock: no other process uses the spill directory
                clear_stale_spill(path)
            # no progress bar on stderr for our queries; a session setting of this connection only
            # (DuckDB's enable_progress_bar is client-local: other connections keep theirs)
            con.execute("SET enable_progress_bar = false")
            limit = os.environ.get(ENV_MEMORY_LIMIT) or (None if read_only else default_memory_limit())
            if limit:  # DuckDB spills what does not fit (staged rows included) to <db>.tmp/
                try:
                    con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
                except duckdb.Error as exc:
                    con.close()
                    raise StoreError(f"bad {ENV_MEMORY_LIMIT} value {limit!r} ({str(exc).splitlines()[0]})",
                                     hint="give a size such as 512MB or 2GB") from None
            return con
        except duckdb.IOException as exc:
            if not _is_lock_error(exc):
                raise StoreError(f"cannot open store: {exc}", path=path) from None
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"store is locked by another dyadwatch process (waited {wait_s:.0f} s)",
                    path=path, hint="wait for the running ingest to finish, or set DYADWATCH_LOCK_WAIT",
                ) from None
            if on_wait and not told:
                on_wait(f"{path} is locked by another process (an ingest?); waiting up to {wait_s:.0f} s ...")
                told = True
            time.sleep(0.25)
        except duckdb.Error as exc:
            if is_interrupt(exc):
                raise KeyboardInterrupt from None
            raise StoreError(f"not a dyadwatch/DuckDB store ({exc})", path=path) from None


def clear_stale_spill(path: Path) -> int:
    """Remove the spill files a killed process left in ``<store>.tmp/``; returns the bytes freed.

    DuckDB spills what does not fit in memory to ``duckdb_temp_*`` files there
    and removes them when it closes, but a killed process leaves them (they
    can be as large as the file it was ingesting). Called by :func:`connect`
    for a writing connection, which holds the store's exclusive lock, so no
    other process can be using them. Only ``duckdb_temp_*`` files are removed,
    then the directory if it is empty.
    """
    spill = Path(path).with_name(Path(path).name + ".tmp")
    if not spill.is_dir():
        return 0
    freed = 0
    for f in spill.iterdir():
        if f.name.startswith("duckdb_temp_") and f.is_file():
            try:
                size = f.stat().st_size
                f.unlink()
                freed += size
            except OSError:
                pass
    try:
        spill.rmdir()
    except OSError:
        pass
    return freed


def require_schema(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Check that a store opened read-only holds dyadwatch's tables.

    A DuckDB file without them (an empty database, or a store whose first
    ingest was killed before its tables were created) cannot be queried.

    Raises
    ------
    StoreError
        When the ``events`` or ``ingest_batches`` table is missing.
    """
    have = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()}
    missing = [t for t in ("events", "ingest_batches") if t not in have]
    if missing:
        raise StoreError(f"not a dyadwatch store yet: no {' or '.join(missing)} table", path=path,
                         hint="run `dyadwatch ingest FILE --db` on it first, or give another --db")


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create every registered table (idempotent) and the batch sequence."""
    _load_table_modules()
    con.execute("CREATE SEQUENCE IF NOT EXISTS batch_seq START 1")
    con.execute("CREATE TABLE IF NOT EXISTS dw_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.execute("INSERT OR IGNORE INTO dw_meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
    for spec in TABLES.values():
        con.execute(spec.ddl())
    _add_new_columns(con)
    from dyadwatch.store.dedup import ensure_view  # the events_dedup view (store/dedup.py)

    ensure_view(con, replace=False)


def _add_new_columns(con: duckdb.DuckDBPyConnection) -> None:
    """Add the columns a registered table gained since the store was created
    (``ALTER TABLE ... ADD COLUMN``, NULL in the rows already stored; nothing
    stored is rewritten or lost)."""
    have: dict[str, set[str]] = {}
    for table, column in con.execute("SELECT table_name, column_name FROM information_schema.columns "
                                     "WHERE table_schema = current_schema()").fetchall():
        have.setdefault(table, set()).add(column)
    for spec in TABLES.values():
        cols = have.get(spec.name)
        if cols is None:
            continue
        for name, typ in spec.columns:
            if name not in cols:
                con.execute(f"ALTER TABLE {spec.name} ADD COLUMN {name} {typ}")


def _load_table_modules() -> None:
    """Import modules that register extra canonical tables (alignment data ...)."""
    import importlib

    for mod in ("dyadwatch.store.tables_alignment", "dyadwatch.store.tables_documents",
                "dyadwatch.store.tables_conflict", "dyadwatch.store.tables_idealpoints",
                "dyadwatch.store.tables_panels", "dyadwatch.store.tables_watch",
                "dyadwatch.store.tables_newer_events"):
        try:
            importlib.import_module(mod)
        except ModuleNotFoundError as exc:
            if exc.name != mod:
                raise
