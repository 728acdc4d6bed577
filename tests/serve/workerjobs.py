"""Jobs the worker process of tests/serve/test_serve_worker.py imports by name (this module imports little,
so a child starts fast)."""

from __future__ import annotations

import os
import time


def crash_job(con, *args):
    """Die at once with exit code 7 (a crash of the worker process)."""
    os._exit(7)


def sleep_job(con, seconds):
    """Sleep ``seconds`` and return them."""
    time.sleep(seconds)
    return seconds


def timed_query(con):
    """``(events in the store, seconds the count took)``: includes the wait for the server's requests."""
    t0 = time.monotonic()
    n = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return n, time.monotonic() - t0
