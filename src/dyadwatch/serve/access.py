"""How the web app (a reader) and the watch (the writer) share one DuckDB file.

DuckDB lets **one process** open a file for writing, or **any number of
processes** open it read-only — never both at once. Within one process,
any number of connections (one per thread) share one database instance:
readers see a consistent snapshot while a writer's transaction runs
(MVCC), so nobody waits.

Two ways to run, both offered (docs/live.md):

``shared`` — ``dyadwatch serve --watch CONFIG`` (recommended): the watch
runs in a thread of the server's process. Both use connections to the same
in-process instance; the web app only reads (it has no route that writes),
the watch writes in short transactions, readers are never blocked.

``file`` — ``dyadwatch watch`` and ``dyadwatch serve`` as two processes.
The writer announces itself before it opens the store for writing by
creating ``<store>.writer`` (its pid inside) and removes it when done; it
opens the store for writing only for short sessions (one chunk of
documents, one file, one dyad's alerts) and read-only for its analysis.
The server holds a read-only connection only while requests are being
answered: it closes it :attr:`StoreAccess.idle_close` seconds after the
last request ends, and at once when a writer has announced itself; it
opens no new connection while the writer's mark is there (and its pid
alive), waiting up to :attr:`StoreAccess.wait` seconds (then the request
gets 503 with a one-line reason; the page says to retry). A writer killed
with ``kill -9`` leaves its mark behind: a mark whose pid is not alive is
ignored (and removed).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from pathlib import Path
from typing import Iterator

import duckdb

from dyadwatch.errors import StoreError

MODES = ("shared", "file")


def writer_mark(path: Path) -> Path:
    """The file a writer creates next to the store while it writes: ``<store>.writer``."""
    path = Path(path)
    return path.with_name(path.name + ".writer")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def writer_waiting(path: Path) -> bool:
    """True when another live process has announced that it writes the store (its mark exists and
    names a live pid other than ours); a stale mark (dead pid, unreadable) is removed."""
    mark = writer_mark(path)
    try:
        text = mark.read_text(encoding="ascii").strip()
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, UnicodeDecodeError):
        text = ""
    try:
        pid = int(text)
    except ValueError:
        pid = -1
    if pid == os.getpid():
        return False
    if pid > 0 and _alive(pid):
        return True
    with contextlib.suppress(OSError):
        mark.unlink()
    return False


@contextlib.contextmanager
def writer_session(path: Path, *, announce: bool = True):
    """Open the store for writing (a :class:`dyadwatch.api.Dyadwatch`), announced by
    :func:`writer_mark` so a ``file``-mode server lets go of it; closed and unannounced after.

    Raises
    ------
    StoreError
        The store cannot be opened (locked past ``DYADWATCH_LOCK_WAIT``).
    """
    from dyadwatch.api import Dyadwatch

    mark = writer_mark(path)
    made = False
    if announce:
        try:
            fd = os.open(mark, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(str(os.getpid()))
            made = True
        except FileExistsError:
            if not writer_waiting(path):  # stale: ours or a dead writer's
                with contextlib.suppress(OSError):
                    mark.write_text(str(os.getpid()), encoding="ascii")
                made = True
        except OSError:
            made = False
    try:
        store = Dyadwatch(path)
        try:
            yield store
        finally:
            store.close()
    finally:
        if made:
            with contextlib.suppress(OSError):
                mark.unlink()


class StoreAccess:
    """Read connections of the web app to the store, in ``shared`` or ``file`` mode (module docstring).

    Parameters
    ----------
    path : the store file (must exist and hold dyadwatch's tables).
    mode : ``"shared"`` (a watch writes from this process) or ``"file"`` (another process may).
    wait : seconds a request waits for a writer to finish before it fails (file mode).
    idle_close : seconds after the last request before the read connection is closed (file mode).

    Raises
    ------
    StoreError
        The store does not exist, is not a dyadwatch store, or cannot be opened.
    """

    def __init__(self, path: str | Path, *, mode: str = "file", wait: float = 10.0, idle_close: float = 0.25):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.path = Path(path)
        self.mode = mode
        self.wait = wait
        self.idle_close = idle_close
        self._lock = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._users = 0
        self._last = 0.0
        self._closed = False
        self._opens = 0
        self._active: dict = {}  # cursors in use (interrupted on close) -> their token once computed
        if not self.path.exists():
            raise StoreError("store not found", path=self.path, hint="give --db FILE, e.g. out/dyadwatch.duckdb")
        with self.reader() as con:  # fails early on a file that is no store
            from dyadwatch.store.db import require_schema

            require_schema(con, self.path)
        if mode == "file":
            threading.Thread(target=self._closer, name="dyadwatch-store-closer", daemon=True).start()

    # -- connections ---------------------------------------------------------
    def _open(self) -> duckdb.DuckDBPyConnection:
        from dyadwatch.store.db import _is_lock_error, connect

        if self.mode == "shared":
            # the same in-process instance as the watch's connections (read_only must match theirs)
            from dyadwatch.store.db import ensure_schema

            con = connect(self.path)
            ensure_schema(con)
            return con
        deadline = time.monotonic() + self.wait
        while True:
            if not writer_waiting(self.path):
                try:
                    return duckdb.connect(str(self.path), read_only=True)
                except duckdb.IOException as exc:
                    if not _is_lock_error(exc):
                        raise StoreError(f"cannot open store: {exc}", path=self.path) from None
                except duckdb.Error as exc:
                    raise StoreError(f"not a dyadwatch/DuckDB store ({exc})", path=self.path) from None
            if time.monotonic() >= deadline:
                raise StoreError(f"the store is being written by another process (waited {self.wait:.0f} s)",
                                 path=self.path, hint="retry in a moment; or run the watch inside the server "
                                                      "with `dyadwatch serve --watch CONFIG`")
            time.sleep(0.05)

    @contextlib.contextmanager
    def reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection (cursor) for one request; released when the block ends.

        Raises :class:`StoreError` once :meth:`close` was called (the server is stopping)."""
        with self._lock:
            if self._closed:
                raise StoreError("the server is stopping", path=self.path)
            while self.mode == "file" and self._con is not None and self._users == 0 and writer_waiting(self.path):
                self._con.close()  # a writer is waiting: let go before the next reader
                self._con = None
            if self._con is None:
                self._con = self._open()
                self._opens += 1
            self._users += 1
            cur = self._con.cursor()
            self._active[cur] = None
        try:
            yield cur
        finally:
            with contextlib.suppress(duckdb.Error):
                cur.close()
            with self._lock:
                self._active.pop(cur, None)
                self._users -= 1
                self._last = time.monotonic()
                self._lock.notify_all()

    def _closer(self) -> None:
        """File mode: close the idle read connection (after ``idle_close`` s, at once for a writer)."""
        while not self._closed:
            time.sleep(min(0.05, self.idle_close))
            with self._lock:
                if self._con is None or self._users:
                    continue
                if time.monotonic() - self._last >= self.idle_close or writer_waiting(self.path):
                    self._con.close()
                    self._con = None

    def interrupt(self) -> int:
        """Stop new readers and interrupt the queries running on the read connections (their
        requests fail with a DuckDB interrupt error); returns how many were interrupted. Used when the
        server stops, so that no thread is inside DuckDB when the process exits (which aborts it:
        "terminate called ...")."""
        with self._lock:
            self._closed = True
            active = list(self._active)
        for cur in active:
            with contextlib.suppress(Exception):
                cur.interrupt()
        return len(active)

    def close(self, wait: float = 30.0) -> None:
        """Close the read connection for good, once the requests using it are done (waiting up to
        ``wait`` seconds; a connection still busy then is left to the process's end)."""
        deadline = time.monotonic() + wait
        with self._lock:
            self._closed = True
            while self._users and time.monotonic() < deadline:
                self._lock.wait(0.1)
            if self._con is not None and not self._users:
                self._con.close()
                self._con = None

    # -- store state ---------------------------------------------------------
    def token(self, con) -> str:
        """A short string that changes whenever the store's content does: the last ingest batch,
        the number of documents, alerts and finished watch cycles, and the last watch_dyads update.
        Cached figures are keyed by it (a new batch, document or alert invalidates them). Computed once
        per :meth:`reader` block (a request asks for it several times: once per cached part)."""
        with self._lock:
            known = self._active.get(con)
        if known is not None:
            return known
        parts = []
        for sql in ("SELECT max(batch_id), count(*) FROM ingest_batches",
                    "SELECT count(*) FROM documents",
                    "SELECT count(*), max(created) FROM alerts",
                    "SELECT max(cycle_id), count(*) FILTER (WHERE finished IS NOT NULL) FROM watch_cycles",
                    "SELECT max(updated) FROM watch_dyads"):
            try:
                parts.append(",".join(str(x) for x in con.execute(sql).fetchone()))
            except duckdb.Error:
                parts.append("-")
        token = "|".join(parts)
        with self._lock:
            if con in self._active:
                self._active[con] = token
        return token
