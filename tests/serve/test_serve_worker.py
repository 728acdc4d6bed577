"""Background computations in a worker process (serve.worker): the same results as in process, a crash or a
job past its time limit is an error on the page part (never a hang), close() leaves no child process, and the
worker's statements wait while the server answers requests."""

from __future__ import annotations

import os
import threading
import time

import duckdb
import psutil
import pytest

from dyadwatch.errors import StoreError
from dyadwatch.serve import views as V
from dyadwatch.serve.app import create_app, dumps
from dyadwatch.serve.worker import SharedGate, WorkerError, WorkerProcess
from tests.serve.conftest import app_server
from tests.serve.test_serve_pages import _wait_background, base_store, store_path  # noqa: F401

HERE = "tests.serve.workerjobs"  # the jobs the worker process imports by name


def _children(before: frozenset[int] = frozenset()) -> list:
    """Live child processes of this test process not in ``before`` (pids alive before the test: in a
    whole-suite run, e.g. the Spark session's JVM and its Python daemon are children of pytest too)."""
    return [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]


def _pids() -> frozenset[int]:
    return frozenset(p.pid for p in psutil.Process().children(recursive=True))


def test_worker_results_equal_the_computation_in_process(base_store):  # noqa: F811
    con = duckdb.connect(str(base_store), read_only=True)
    f = V.Filters(freq="month", date_from="2010", date_to="2014")
    want_changes = V.changes(con, "IRN", "RUS", f)
    want_series = V.series(con, "IRN", "RUS", V.Filters(freq="quarter"))
    con.close()
    worker = WorkerProcess(base_store)
    try:
        assert dumps(worker.run("dyadwatch.serve.views:changes", "IRN", "RUS", f)) == dumps(want_changes)
        assert dumps(worker.run("dyadwatch.serve.views:series", "IRN", "RUS", V.Filters(freq="quarter"))) \
            == dumps(want_series)
        assert len(want_changes) >= 1 and sum(r["events"] for r in want_series) == 9 * 120
        assert worker.started == 1  # one child for both jobs
        with pytest.raises(StoreError, match="unknown actor 'XXX'"):  # the job's own error, one line
            worker.run("dyadwatch.serve.views:changes", "XXX", "RUS", f)
        assert worker.pid is not None  # still alive after a job's error
    finally:
        assert worker.close(5)
    assert worker.pid is None


def test_worker_crash_and_timeout_are_errors_and_the_next_job_runs(base_store):  # noqa: F811
    before = _pids()
    worker = WorkerProcess(base_store)
    try:
        with pytest.raises(WorkerError, match=r"worker process died \(exit code 7\)"):
            worker.run(f"{HERE}:crash_job")
        assert worker.run(f"{HERE}:sleep_job", 0.0) == 0.0 and worker.started == 2  # a new child
        worker.timeout = 1.0  # the child is started (its imports took longer than that)
        t0 = time.monotonic()
        with pytest.raises(WorkerError, match="ran past 1 s"):
            worker.run(f"{HERE}:sleep_job", 60)
        assert time.monotonic() - t0 < 20
        worker.timeout = 120.0
        assert worker.run(f"{HERE}:sleep_job", 0.0) == 0.0 and worker.started == 3
    finally:
        assert worker.close(5)
    assert not _children(before)


def test_worker_statements_wait_while_requests_are_served(base_store):  # noqa: F811
    gate = SharedGate()
    worker = WorkerProcess(base_store, gate=gate, grace=0.0, max_yield=1.5)
    try:
        n, waited = worker.run(f"{HERE}:timed_query")
        assert waited < 1.5
        gate.set(1, time.monotonic())  # a request in flight: the statement waits (at most max_yield)
        n2, waited = worker.run(f"{HERE}:timed_query")
        assert waited >= 1.5 and n2 == n
        gate.set(0, time.monotonic())
        assert worker.run(f"{HERE}:timed_query")[1] < 1.5
    finally:
        worker.close(5)


def test_worker_crash_is_shown_on_the_page_part(store_path):  # noqa: F811
    with app_server(store_path, close_wait=10, background="process") as (app, client):
        app._changes = lambda a, b, f: app.job(f"{HERE}:crash_job", a, b, f)
        url = "/dyad/IRN/RUS?freq=month&from=2010&to=2014"
        assert 'id="breaks-pending"' in client.get(url).text
        _wait_background(app)
        html = client.get(url).text
        assert 'id="breaks-failed"' in html
        assert "The change points could not be computed: the background worker process died (exit code 7)" in html


def test_worker_pages_compute_in_the_child_and_close_leaves_no_process(store_path):  # noqa: F811
    before = _pids()
    with app_server(store_path, close_wait=10, background="process") as (app, client):
        url = "/dyad/IRN/RUS?freq=month&from=2010&to=2014"
        assert 'id="breaks-pending"' in client.get(url).text
        _wait_background(app)
        assert app.worker.pid is not None and app.worker.pid != os.getpid()
        con = duckdb.connect(str(store_path), read_only=True)
        want = V.changes(con, "IRN", "RUS", V.Filters(freq="month", date_from="2010", date_to="2014"))
        con.close()
        html = client.get(url).text
        assert "breaks-pending" not in html and html.count('<span class="brk">') == len(want) >= 1
        # a long job is running in the child when the app closes
        started = threading.Event()
        app.cache.background("t", "long", (), lambda: (started.set(), app.job(f"{HERE}:sleep_job", 120))[1])
        assert started.wait(30)
        pid = app.worker.pid
        assert pid in {p.pid for p in _children()}
        t0 = time.monotonic()
    assert time.monotonic() - t0 < 30  # the server stopped and the app closed without waiting for the job
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert not _children(before)
    assert "stopping" in app.cache.errors.get(("long", ()), "")


def test_worker_process_needs_file_mode(store_path):  # noqa: F811
    with pytest.raises(ValueError, match="needs mode='file'"):
        create_app(store_path, mode="shared", background="process")
    with pytest.raises(ValueError, match="background must be"):
        create_app(store_path, background="fork")
