"""Figures cached per store state, and slow ones computed in the background.

Every figure the web app shows is a function of the store's content and the
request's parameters. :class:`StateCache` keeps the last
:attr:`~StateCache.max_entries` results keyed by (store token, name,
parameters), where the token (:meth:`dyadwatch.serve.access.StoreAccess.token`)
changes with every batch, document, alert or watch cycle: a cached figure is
never stale, and memory is bounded.

Slow figures (the full report content: baselines compute kappa for every
pair, ~17 s on the demo store) are computed by one background thread
(:meth:`StateCache.background`): a request gets the newest result it has —
for the current store state, or for an earlier one marked as such — and
never waits for it.
The thread may hand the work itself to a worker process
(:mod:`dyadwatch.serve.worker`, ``dyadwatch serve`` without ``--watch``), which
:attr:`StateCache.gate` tells about the requests in flight.

The background gives way to requests: the app counts the requests in
flight (:meth:`StateCache.serving`, around every HTTP request), and the
worker starts a job only when none is in flight and none ended in the last
:attr:`~StateCache.grace` s (requests first: a steady stream of them holds the
jobs back until it pauses); a job's own queries wait the same way before each
statement (:class:`YieldingConnection`), at most :attr:`~StateCache.max_yield` s
each, so a started job is slowed, never starved, and never holds its cursor
for long. On a 10-million-event store a
filtered page's queries took 20-25 ms alone but ~50 ms while the background
computed change points on the same 2 cores (bench/RESULTS.md, 2026-12-05).
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from typing import Any, Callable, Iterator

from dyadwatch.errors import StoreError


class StateCache:
    """A bounded cache of results per store state (module docstring).

    Parameters
    ----------
    max_entries : results kept (least recently used dropped first).
    max_queue : background computations queued at most (the oldest dropped first).
    grace : seconds after the last request before the background starts a job or a statement.
    max_yield : seconds a background statement waits for requests at most.
    gate : a :class:`dyadwatch.serve.worker.SharedGate` kept up to date with the requests in flight, for
        background jobs run in a worker process (None: jobs run in this process only).
    """

    def __init__(self, max_entries: int = 512, max_queue: int = 64, grace: float = 0.05,
                 max_yield: float = 2.0, gate=None):
        self.max_entries = max_entries
        self.max_queue = max_queue
        self.grace = grace
        self.max_yield = max_yield
        self._busy = 0  # requests in flight (serving())
        self._last_end = float("-inf")  # time.monotonic() when the last one ended
        self.yields = 0  # times the background waited for requests (for tests and the bench)
        self._stopping = False
        self._data: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._keylocks: dict[tuple, threading.Lock] = {}
        self._latest: dict[tuple, tuple[str, float, Any]] = {}  # (name, params) -> (token, time, value) of slow ones
        self._pending: set[tuple] = set()
        self._queue: list[tuple[tuple, str, Callable[[], Any]]] = []
        self._wake = threading.Condition(self._lock)
        self._worker: threading.Thread | None = None
        self.errors: dict[tuple, str] = {}
        #: the requests in flight mirrored for a worker process (:class:`dyadwatch.serve.worker.SharedGate`)
        self.gate = gate

    def _put(self, key: tuple, value: Any) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.max_entries:
            self._data.popitem(last=False)

    def get(self, token: str, name: str, params: tuple, compute: Callable[[], Any]) -> Any:
        """The result of ``compute()`` for this store state and parameters (computed once per state:
        concurrent requests for the same key wait for the first)."""
        key = (token, name, params)
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
            klock = self._keylocks.setdefault(key, threading.Lock())
        with klock:
            with self._lock:
                if key in self._data:
                    return self._data[key]
            try:
                value = compute()
            except BaseException:
                with self._lock:
                    self._keylocks.pop(key, None)  # a failed key leaves nothing behind
                raise
            with self._lock:
                self._put(key, value)
                self._keylocks.pop(key, None)
            return value

    # -- slow results, computed in the background ------------------------------------------
    def background(self, token: str, name: str, params: tuple, compute: Callable[[], Any]) -> tuple[Any, str | None, bool]:
        """The newest result of a slow figure without waiting: ``(value, token it was computed on, current)``.

        When there is none for ``token``, ``compute`` is queued for the background thread (once per
        key); ``value`` is then the result for an earlier state (``current`` False) or None.
        """
        sub = (name, params)
        with self._lock:
            have = self._latest.get(sub)
            if have and have[0] == token:
                return have[2], have[0], True
            job = (token, name, params)
            if job not in self._pending and not self._stopping:
                self._pending.add(job)
                self._queue.append((job, token, compute))
                while len(self._queue) > self.max_queue:  # bounded: the oldest request waits no more
                    dropped, _, _ = self._queue.pop(0)
                    self._pending.discard(dropped)
                self._ensure_worker()
                self._wake.notify()
        return (have[2], have[0], False) if have else (None, None, False)

    # -- the background gives way to requests -----------------------------------------------
    @contextlib.contextmanager
    def serving(self) -> Iterator[None]:
        """Around one request: while any is in flight (and :attr:`grace` s after the last), the
        background starts no job and its queries wait (:meth:`yield_to_requests`)."""
        with self._lock:
            self._busy += 1
            if self.gate is not None:
                self.gate.set(self._busy, self._last_end)
        try:
            yield
        finally:
            with self._lock:
                self._busy -= 1
                self._last_end = time.monotonic()
                if self.gate is not None:
                    self.gate.set(self._busy, self._last_end)
                self._wake.notify_all()

    def _wait_idle(self, max_wait: float | None) -> bool:
        """With ``self._lock`` held: wait until no request is in flight and none ended in the last
        :attr:`grace` s, or ``max_wait`` s passed (None: no limit), or :meth:`stop` was called.
        False when stopping."""
        deadline = None if max_wait is None else time.monotonic() + max_wait
        while not self._stopping:
            now = time.monotonic()
            quiet = self._last_end + self.grace - now
            if (self._busy == 0 and quiet <= 0) or (deadline is not None and now >= deadline):
                return True
            self.yields += 1
            timeout = quiet if self._busy == 0 else None
            if deadline is not None:
                timeout = deadline - now if timeout is None else min(timeout, deadline - now)
            self._wake.wait(timeout)
        return False

    def yield_to_requests(self) -> None:
        """Wait (up to :attr:`max_yield` s) while requests are being served; called by background
        jobs between their steps. Raises :class:`~dyadwatch.errors.StoreError` once :meth:`stop` was
        called (the job ends instead of starting another query)."""
        with self._lock:
            if not self._wait_idle(self.max_yield):
                raise StoreError("the server is stopping")

    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="dyadwatch-background", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._wake.wait()
                if not self._wait_idle(None) or not self._queue:  # requests first: no job starts meanwhile
                    if self._stopping:
                        return
                    continue
                job, token, compute = self._queue.pop(0)
            try:
                value = compute()
                err = None
            except Exception as exc:  # noqa: BLE001 - shown on the page, never crashes the server
                value, err = None, getattr(exc, "reason", None) or f"{type(exc).__name__}: {exc}"
            with self._lock:
                sub = (job[1], job[2])
                if err is None:
                    self._latest[sub] = (token, time.time(), value)
                    self.errors.pop(sub, None)
                else:
                    self.errors[sub] = err
                    while len(self.errors) > self.max_entries:
                        self.errors.pop(next(iter(self.errors)))
                self._pending.discard(job)
                if len(self._latest) > self.max_entries:
                    self._latest.pop(next(iter(self._latest)))

    def stop(self, wait: float = 10.0) -> bool:
        """Drop the queued computations and wait up to ``wait`` s for the running one to end (interrupt
        its query first: :meth:`dyadwatch.serve.access.StoreAccess.interrupt`); True when no background
        thread is left running (a process must not exit while one is inside DuckDB)."""
        with self._lock:
            self._stopping = True
            for job, _, _ in self._queue:
                self._pending.discard(job)
            self._queue.clear()
            self._wake.notify_all()
            worker = self._worker
        if worker is not None and worker.is_alive():
            worker.join(wait)
            return not worker.is_alive()
        return True

    def sizes(self) -> dict:
        """How many results, slow results, errors, key locks and queued jobs are held (for memory tests)."""
        with self._lock:
            return {"results": len(self._data), "latest": len(self._latest), "errors": len(self.errors),
                    "keylocks": len(self._keylocks), "queue": len(self._queue), "pending": len(self._pending)}

    def pending(self) -> int:
        """Slow results queued or being computed."""
        with self._lock:
            return len(self._pending)


class YieldingConnection:
    """A DuckDB connection (cursor) for a background job whose ``execute`` and ``sql`` first wait
    while requests are served (``gate``: :meth:`StateCache.yield_to_requests`); every other
    attribute is the connection's own."""

    def __init__(self, con, gate: Callable[[], None]):
        self._con = con
        self._gate = gate

    def execute(self, *args, **kwargs):
        self._gate()
        return self._con.execute(*args, **kwargs)

    def sql(self, *args, **kwargs):
        self._gate()
        return self._con.sql(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._con, name)
