"""The web app's background computations in a worker process, so that a request never waits for the GIL.

The slow parts of a dyad page (change points with the events around each, the
report's content, a dyad's state, the data sets' event-day ranges) run in the
background (:mod:`dyadwatch.serve.cache`). In a thread of the server, their
Python parts (ruptures, pandas) hold the GIL while a page is served: on a
10-million-event store a page of a pair not watched took 60-105 ms alone and
had a p95 of 186-378 ms in the server (bench/RESULTS.md, 2026-12-05).
:class:`WorkerProcess` runs them in one child process instead, with a
read-only DuckDB connection of its own (DuckDB lets any number of processes
open a file read-only: :mod:`dyadwatch.serve.access`), at a lower CPU
priority (:data:`NICE`) and with one DuckDB thread, so the requests get the
CPU first and the GIL always. (Linux's ``SCHED_IDLE`` class starved it on a
loaded machine: the worker tests took 118 s instead of 18 s.)

Only when no process writes the store from the server's own process (``file``
mode): a process that holds the file for writing (``serve --watch``) excludes
every other process, so there the background stays a thread.

Jobs are named ``"module:function"``; the child imports the function and calls
``function(con, *args)`` with its connection, whose statements first wait while
the server answers requests (:class:`SharedGate`, as
:class:`~dyadwatch.serve.cache.YieldingConnection` in a thread). The result
comes back pickled. The child keeps its connection while jobs follow each other
and closes it :data:`IDLE_CLOSE` s after the last, and before the next job when a
writer announced itself (``<store>.writer``, kept out only while a job runs, as
by the server's own reader); it opens none while a writer is announced.

Failures are errors of the job, never a hang: an exception in the job is
returned as its one-line reason; a child that dies (killed, crashed) or runs
past :data:`JOB_TIMEOUT` raises :class:`WorkerError` (the page part says it
could not be computed and why) and the next job starts a new child.
:meth:`WorkerProcess.close` ends the child (SIGTERM, then SIGKILL) and waits
for it; a child whose parent died exits by itself (it watches its parent
process id), so no process is left behind.
"""

from __future__ import annotations

import contextlib
import importlib
import math
import os
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from dyadwatch.childproc import exit_with_parent
from dyadwatch.errors import DyadwatchError, StoreError

#: seconds a job may run before its worker process is killed (the page part says so)
JOB_TIMEOUT = 600.0
#: niceness added to the worker process (0-19; Linux gives a nice-10 process about a tenth of the CPU
#: of one at the server's niceness when both want it)
NICE = 10
#: DuckDB threads of the worker's connection (the server's requests keep the other core)
THREADS = 1
#: seconds without a job after which the worker closes its connection (as the server's reader does)
IDLE_CLOSE = 0.25


class WorkerError(DyadwatchError, RuntimeError):
    """The worker process died or ran past its time limit; ``reason`` says which (the job is lost)."""


class SharedGate:
    """The server's requests in flight and the time the last one ended, in 16 bytes of memory shared with
    the worker process (an unlinked file both map): written by the server (:meth:`set`, from
    :meth:`dyadwatch.serve.cache.StateCache.serving`), read by the worker before each statement
    (:meth:`wait_idle`). Races only shift a wait by one poll.

    ``fd``: the descriptor of the shared file (the worker's side); None creates it (the server's side).
    """

    def __init__(self, fd: int | None = None):
        import ctypes
        import mmap

        self._own = fd is None
        self._guard = threading.Lock()
        if fd is None:  # an unlinked file, closed by close()
            handle, name = tempfile.mkstemp(prefix="dyadwatch-gate-")
            os.unlink(name)
            fd = handle
            os.ftruncate(fd, 16)
        self.fd = fd
        self._map = mmap.mmap(fd, 16)
        self._last = ctypes.c_double.from_buffer(self._map, 0)  # time.monotonic(): one clock for all processes
        self._busy = ctypes.c_int32.from_buffer(self._map, 8)
        if self._own:
            self._last.value = -math.inf

    def close(self) -> None:
        """Unmap the shared memory and close its file (the server's side, once no worker uses it)."""
        with self._guard:
            if self._map is None:
                return
            del self._last, self._busy  # the views of the map must go before it closes
            self._map.close()
            self._map = None
        if self._own:
            with contextlib.suppress(OSError):
                os.close(self.fd)

    def set(self, busy: int, last_end: float) -> None:
        with self._guard:
            if self._map is None:
                return
            self._busy.value = busy
            self._last.value = last_end

    def wait_idle(self, grace: float, max_wait: float, poll: float = 0.005) -> None:
        """Return when no request is in flight and none ended in the last ``grace`` s, or after ``max_wait`` s."""
        deadline = time.monotonic() + max_wait
        while time.monotonic() < deadline:
            if self._busy.value == 0 and time.monotonic() - self._last.value >= grace:
                return
            time.sleep(poll)


def _reason(exc: BaseException) -> str:
    return getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"


def _open(db: Path, wait: float):
    """A read-only connection to the store once no writer is announced (up to ``wait`` s)."""
    import duckdb

    from dyadwatch.serve.access import writer_waiting
    from dyadwatch.store.db import _is_lock_error

    deadline = time.monotonic() + wait
    while True:
        if not writer_waiting(db):
            try:
                con = duckdb.connect(str(db), read_only=True)
                con.execute(f"SET threads = {THREADS}")
                con.execute("SET enable_progress_bar = false")
                limit = os.environ.get("DYADWATCH_MEMORY_LIMIT")
                if limit:
                    con.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
                return con
            except duckdb.IOException as exc:
                if not _is_lock_error(exc):
                    raise StoreError(f"cannot open store: {exc}", path=db) from None
        if time.monotonic() >= deadline:
            raise StoreError(f"the store is being written by another process (waited {wait:.0f} s)", path=db)
        time.sleep(0.05)


#: the worker process's command (``python -c _BOOT CONN_FD GATE_FD NICE``): lower its priority before any import
_BOOT = "import os, sys; os.nice(int(sys.argv[3])); from dyadwatch.serve.worker import main; main()"


def main(argv: list[str] | None = None) -> None:
    """The worker process (``python -c _BOOT CONN_FD GATE_FD NICE``, :data:`_BOOT`):
    read its settings, then run the jobs received on the connection one at a time until it closes."""
    import sys
    from multiprocessing.connection import Connection

    from dyadwatch.serve.access import writer_waiting
    from dyadwatch.serve.cache import YieldingConnection

    argv = sys.argv[1:] if argv is None else argv
    conn = Connection(int(argv[0]))
    gate = SharedGate(int(argv[1]))
    try:
        cfg = conn.recv()
    except (EOFError, OSError):
        return
    for entry in reversed(cfg["sys_path"]):  # the server's import path (a test's own modules)
        if entry not in sys.path:
            sys.path.insert(0, entry)
    for module in cfg.get("preload", ()):  # the jobs' modules, imported before the first job (at low priority)
        with contextlib.suppress(Exception):
            importlib.import_module(module)
    exit_with_parent(cfg["parent"], 0)  # the server was killed before it could stop this child
    path, grace, max_yield = Path(cfg["db"]), cfg["grace"], cfg["max_yield"]
    con = None  # kept open while jobs follow each other (a warm cache); closed when idle or for a writer
    try:
        while True:
            try:
                if con is not None and not conn.poll(IDLE_CLOSE):
                    con.close()
                    con = None
                msg = conn.recv()
            except (EOFError, OSError):
                return
            if msg is None:
                return
            target, args = msg
            try:
                module, _, name = target.partition(":")
                fn = getattr(importlib.import_module(module), name)
                if con is not None and writer_waiting(path):
                    con.close()  # a writer announced itself: let go before the next job
                    con = None
                if con is None:
                    con = _open(path, cfg["wait"])
                reply = ("ok", fn(YieldingConnection(con, lambda: gate.wait_idle(grace, max_yield)), *args))
            except Exception as exc:  # noqa: BLE001 - returned to the server as the job's error
                reply = ("error", _reason(exc))
            try:
                conn.send(reply)
            except (BrokenPipeError, EOFError, OSError):
                return
            except Exception as exc:  # noqa: BLE001 - a result that cannot be pickled
                conn.send(("error", f"the result could not be sent back: {_reason(exc)}"))
    finally:
        if con is not None:
            con.close()


class WorkerProcess:
    """One child process that runs background jobs on the store ``db`` (module docstring).

    Parameters
    ----------
    db : the store file (opened read-only by the child while it has jobs).
    gate : the server's requests in flight (:class:`SharedGate`); None: a gate of its own (never set:
        statements never wait).
    grace, max_yield : as :class:`dyadwatch.serve.cache.StateCache` (s).
    nice : niceness added to the child (0-19).
    timeout : seconds a job may run before the child is killed.
    wait : seconds a job waits for an announced writer before it fails.
    preload : modules the child imports when it starts (the jobs' modules).

    :meth:`run` is called by one thread at a time (the background worker); :meth:`close` from any.
    """

    def __init__(self, db, *, gate: SharedGate | None = None, grace: float = 0.05, max_yield: float = 2.0,
                 nice: int = NICE, timeout: float = JOB_TIMEOUT, wait: float = 10.0, preload=()):
        self.db = Path(db)
        self._own_gate = gate is None
        self.gate = gate or SharedGate()
        self.grace, self.max_yield, self.nice, self.timeout, self.wait = grace, max_yield, nice, timeout, wait
        self.preload = tuple(preload)
        self._run_lock = threading.Lock()
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._conn = None
        self._closed = False
        self.started = 0  # child processes started (for tests)

    @property
    def pid(self) -> int | None:
        """The running child's process id (None: none running)."""
        with self._lock:
            return self._proc.pid if self._proc is not None and self._proc.poll() is None else None

    def _ensure(self):
        """The running child and its connection (a new child when there is none or it died)."""
        import sys
        from multiprocessing.connection import Connection

        with self._lock:
            if self._closed:
                raise StoreError("the server is stopping", path=self.db)
            if self._proc is None or self._proc.poll() is not None:
                self._reap()
                mine, theirs = socket.socketpair()
                try:
                    # a fresh interpreter (no fork of a threaded server holding DuckDB; no re-run of __main__)
                    proc = subprocess.Popen(
                        [sys.executable, "-c", _BOOT, str(theirs.fileno()), str(self.gate.fd), str(self.nice)],
                        pass_fds=(theirs.fileno(), self.gate.fd), stdin=subprocess.DEVNULL)
                finally:
                    theirs.close()
                conn = Connection(mine.detach())
                conn.send({"db": str(self.db), "sys_path": list(sys.path), "grace": self.grace,
                           "max_yield": self.max_yield, "wait": self.wait, "parent": os.getpid(),
                           "preload": list(self.preload)})
                self._proc, self._conn = proc, conn
                self.started += 1
            return self._proc, self._conn

    def start(self) -> None:
        """Start the worker process now (it imports :attr:`preload` at its low priority), so the first job
        does not wait for a new interpreter (~1-3 s of CPU). Raises :class:`StoreError` once closed."""
        self._ensure()

    def _reap(self) -> None:
        """With ``self._lock`` held: forget a dead child (wait for it, close its connection)."""
        if self._conn is not None:
            with contextlib.suppress(OSError):
                self._conn.close()
        if self._proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._proc.wait(1.0)
        self._proc = self._conn = None

    def run(self, target: str, *args) -> Any:
        """``function(con, *args)`` in the worker process, ``target`` being ``"module:function"``; its result.

        Raises
        ------
        StoreError
            The job raised (its one-line reason), or the server is stopping.
        WorkerError
            The worker process died during the job, or ran past ``timeout`` s (it is killed).
        """
        with self._run_lock:
            proc, conn = self._ensure()
            try:
                conn.send((target, args))
            except OSError:
                raise WorkerError(self._death(proc)) from None
            deadline = time.monotonic() + self.timeout
            while True:
                try:
                    ready = conn.poll(0.1)
                except (EOFError, OSError):
                    ready = True
                if ready:
                    try:
                        kind, value = conn.recv()
                    except (EOFError, OSError):
                        raise WorkerError(self._death(proc)) from None
                    if kind == "ok":
                        return value
                    raise StoreError(value)
                if self._closed:
                    raise StoreError("the server is stopping", path=self.db)
                if proc.poll() is not None:
                    raise WorkerError(self._death(proc))
                if time.monotonic() >= deadline:
                    self._stop(proc, 0.0)
                    raise WorkerError(f"the background computation ran past {self.timeout:.0f} s and was stopped")

    def _death(self, proc: subprocess.Popen) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(5.0)
        code = proc.returncode
        with self._lock:
            if self._proc is proc:
                self._reap()
        if self._closed:
            return "the server is stopping"
        how = f"killed by signal {-code}" if code is not None and code < 0 else f"exit code {code}"
        return f"the background worker process died ({how})"

    def _stop(self, proc: subprocess.Popen, wait: float) -> None:
        """SIGTERM (SIGKILL at once when ``wait`` is 0, or after ``wait`` s), then wait for the child."""
        if proc.poll() is None:
            (proc.terminate if wait > 0 else proc.kill)()
            try:
                proc.wait(wait if wait > 0 else 5.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(5.0)
        with self._lock:
            if self._proc is proc:
                self._reap()

    def close(self, wait: float = 5.0) -> bool:
        """End the worker process (SIGTERM, SIGKILL after ``wait`` s) and wait for it; no job runs after.
        True when no child is left."""
        with self._lock:
            self._closed = True
            proc = self._proc
        if proc is not None:
            self._stop(proc, max(wait, 0.01))
        if self._own_gate:
            self.gate.close()
        return proc is None or proc.poll() is not None
