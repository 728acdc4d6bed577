"""The background gives way to requests (serve.cache): no job starts while a request is in flight, a
started job's next query waits for it, and stop() still ends a waiting worker. Deterministic: events and
the cache's own counters, no timing."""

from __future__ import annotations

import shutil
import threading
import time

import duckdb
import pytest

from dyadwatch.errors import StoreError
from dyadwatch.serve import views as V
from dyadwatch.serve.cache import StateCache, YieldingConnection
from tests.serve.test_serve_pages import _served, base_store  # noqa: F401 - the module's store fixture


def _until(cond, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.01)
    return cond()


def test_background_no_job_starts_while_a_request_is_in_flight():
    cache = StateCache(grace=0.0)
    ran = threading.Event()
    with cache.serving():
        cache.background("t", "job", (), lambda: ran.set() or 7)
        assert _until(lambda: cache.yields >= 1)  # the worker saw the request and waits for it
        assert not ran.is_set() and cache.pending() == 1
        with cache.serving():  # a second request overlapping the first: still waiting
            pass
        assert not ran.is_set()
    assert ran.wait(30)
    assert _until(lambda: cache.pending() == 0)
    assert cache.background("t", "job", (), lambda: 0) == (7, "t", True)
    assert cache.stop(10)


def test_background_a_started_jobs_next_query_waits_for_the_request():
    cache = StateCache(grace=0.0, max_yield=60.0)
    con = duckdb.connect()
    first, go, second = threading.Event(), threading.Event(), threading.Event()
    counted = []

    def job():
        yc = YieldingConnection(con.cursor(), cache.yield_to_requests)
        counted.append(yc.execute("SELECT 1").fetchone()[0])
        first.set()
        go.wait(30)
        counted.append(yc.execute("SELECT count(*) FROM range(5)").fetchone()[0])  # waits for the request
        second.set()
        return counted

    cache.background("t", "two steps", (), job)
    assert first.wait(30)
    with cache.serving():
        before = cache.yields
        go.set()
        assert _until(lambda: cache.yields > before)  # the second query is held back
        assert not second.is_set() and counted == [1]
    assert second.wait(30) and counted == [1, 5]
    assert cache.stop(10)
    con.close()


def test_background_stop_ends_a_worker_waiting_for_requests():
    cache = StateCache(grace=0.0)
    with cache.serving():
        cache.background("t", "never", (), lambda: 1)
        assert _until(lambda: cache.yields >= 1)
        assert cache.stop(10)  # returns although the request is still in flight
    assert cache.pending() == 0 and cache.background("t", "never", (), lambda: 1) == (None, None, False)
    with pytest.raises(StoreError, match="stopping"):
        cache.yield_to_requests()  # a job's next query after stop() does not run


def test_background_waits_for_a_page_being_served(base_store, tmp_path, monkeypatch):  # noqa: F811
    """Through the real server: while a dyad page is inside its series query, a queued job does not start."""
    path = tmp_path / "p.duckdb"
    shutil.copy(base_store, path)
    inside, release = threading.Event(), threading.Event()
    real = V.series

    def held_series(con, a, b, f):
        inside.set()
        release.wait(30)
        return real(con, a, b, f)

    monkeypatch.setattr(V, "series", held_series)
    with _served(path) as (app, client):
        app.cache.grace = 0.0
        status = []
        t = threading.Thread(target=lambda: status.append(
            client.get("/dyad/IRN/RUS?freq=month&from=2011&to=2013").status_code))
        t.start()
        ran = threading.Event()
        try:
            assert inside.wait(30)
            before = app.cache.yields
            app.cache.background("t", "queued", (), lambda: ran.set() or 1)
            assert _until(lambda: app.cache.yields > before)
            assert not ran.is_set()
        finally:
            release.set()
            t.join(60)
        assert status == [200]
        assert ran.wait(30)
