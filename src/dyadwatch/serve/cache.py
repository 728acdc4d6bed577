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
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable


class StateCache:
    """A bounded cache of results per store state (module docstring).

    Parameters
    ----------
    max_entries : results kept (least recently used dropped first).
    """

    def __init__(self, max_entries: int = 512, max_queue: int = 64):
        self.max_entries = max_entries
        self.max_queue = max_queue
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

    def _ensure_worker(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="dyadwatch-background", daemon=True)
            self._worker.start()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._queue and not self._stopping:
                    self._wake.wait()
                if self._stopping:
                    return
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
