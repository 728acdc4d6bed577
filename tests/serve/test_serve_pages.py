"""Dyad pages precomputed by the watch (serve.pages): the same numbers, read without computing; bounded caches;
sparse-series breaks not alerted; a server stopped mid-query exits cleanly."""

from __future__ import annotations

import json
import shutil
import threading
import time

import duckdb
import pandas as pd
import pytest

from dyadwatch.serve import pages as P
from dyadwatch.serve import views as V
from dyadwatch.serve.app import create_app, dumps
from dyadwatch.serve.cache import StateCache
from tests.report.reportfix import build_store


def _cheap_report(monkeypatch):
    """The report's content is tested elsewhere (test_serve_api); here a stand-in keeps the tests fast."""
    monkeypatch.setattr(V, "report", lambda con, a, b: {"generated": "stand-in", "a": a, "b": b, "summary": {},
                                                          "question": {}, "verdicts": []})
    monkeypatch.setattr(P, "report_figures", lambda report: {})


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("pages") / "p.duckdb"
    con = build_store(path)
    from dyadwatch.store.db import ensure_schema

    ensure_schema(con)
    P.store(con, "IRN", "RUS", P.data_state(con), P.compute(con, "IRN", "RUS", report=False), cycle_id=1)
    con.close()
    return path


@pytest.fixture
def store_path(base_store, tmp_path):
    path = tmp_path / "p.duckdb"
    shutil.copy(base_store, path)
    return path


def _roundtrip(value):
    return json.loads(dumps(value))


def test_pages_stored_parts_equal_the_live_computation(base_store):
    con = duckdb.connect(str(base_store), read_only=True)
    try:
        got = P.load(con, "IRN", "RUS")
        assert got[("default_freq", "")]["value"][0] == "month"
        assert {k for k in got} >= {("series", "month"), ("changes", "quarter"), ("figure.series", "year"),
                                   ("events", ""), ("datasets", "")}
        assert ("report", "") not in got  # computed with report=False
        for fq in P.PERIODS:
            f = V.Filters(freq=fq)
            assert got[("series", fq)]["value"] == _roundtrip(V.series(con, "IRN", "RUS", f))
            assert got[("changes", fq)]["value"] == _roundtrip(V.changes(con, "IRN", "RUS", f))
        months = got[("series", "month")]["value"]
        assert len(months) == 108 and months[0]["period"] == "2008-01" and months[-1]["period"] == "2016-12"
        assert sum(r["events"] for r in months) == 9 * 120  # the fixture's Iran-Russia events
        assert got[("events", "")]["value"]["total"] == 9 * 120
        assert len(got[("events", "")]["value"]["events"]) == V.EVENTS_SHOWN
        assert all(p["state"] == P.data_state(con) for p in got.values())
        # the reverse order reads only the parts that do not depend on it
        assert {k[0] for k in P.load(con, "RUS", "IRN")} == {"default_freq", "events", "datasets"}
        assert P.load(con, "RUS", "ISR") == {}
    finally:
        con.close()


def test_pages_compute_reads_each_series_once(base_store, monkeypatch):
    """Each period's series is computed once: its rows, its change points and (month) the default period
    come from the same frame (was: dyad_series again inside dyad_changes, and in default_freq)."""
    import dyadwatch.analysis.dyads as D

    con = duckdb.connect(str(base_store), read_only=True)
    try:
        want = [("default_freq", "", list(V.default_freq(con, "IRN", "RUS")))]
        for fq in dict.fromkeys((want[0][2][0], *P.PERIODS)):
            f = V.Filters(freq=fq)
            rows, breaks = V.series(con, "IRN", "RUS", f), V.changes(con, "IRN", "RUS", f)
            want += [("series", fq, rows), ("changes", fq, breaks),
                     ("figure.series", fq, P.series_figure_of(rows, fq, breaks))]
        want += [("events", "", V.events(con, "IRN", "RUS", limit=V.EVENTS_SHOWN, order="newest")),
                 ("datasets", "", V.dyad_datasets(con, "IRN", "RUS"))]
        assert sum(len(b) for part, _, b in want if part == "changes") > 0  # breaks reuse the series: tested

        assert want[0][2][0] == "month"  # decided from the monthly counts (no dyad-year counts of the pair)
        calls = []
        real_series = D.dyad_series

        def spy(con_, a, b, **kw):
            calls.append((kw.get("freq"), bool(kw.get("directed")), kw.get("date_from"), kw.get("datasets")))
            return real_series(con_, a, b, **kw)

        monkeypatch.setattr(D, "dyad_series", spy)
        got = P.compute(con, "IRN", "RUS", report=False)
        assert sorted(calls) == [(fq, False, None, None) for fq in ("month", "quarter", "year")]
        assert _roundtrip(got) == _roundtrip(want)
    finally:
        con.close()


def _served(path):
    """The app under a real uvicorn server on 127.0.0.1 (a thread of this process) and a client."""
    from tests.serve.conftest import app_server

    return app_server(path, close_wait=10)


def _wait_background(app, timeout=60.0):
    deadline = time.monotonic() + timeout
    while app.cache.pending() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert app.cache.pending() == 0


def test_pages_dyad_page_reads_precomputed_parts_without_computing(store_path, monkeypatch):
    _cheap_report(monkeypatch)
    con = duckdb.connect(str(store_path), read_only=True)
    want = P.load(con, "IRN", "RUS")[("changes", "month")]["value"]
    con.close()
    assert len(want) >= 1

    def boom(*args, **kwargs):
        raise AssertionError("computed in the request path")

    for name in ("series", "changes", "default_freq", "events", "dyad_datasets"):
        monkeypatch.setattr(V, name, boom)
    with _served(store_path) as (app, client):
        html = client.get("/dyad/IRN/RUS").text
        assert "Period: month (default per month" in html
        assert html.count('<span class="brk">') == len(want)
        assert "breaks-pending" not in html and "breaks-stale" not in html
        assert 'data-plot="plot-series"' in html
        assert "2016-12" in html  # the series table's last month


def test_pages_filter_not_precomputed_computes_breaks_in_the_background(store_path, monkeypatch):
    _cheap_report(monkeypatch)
    release = threading.Event()
    real = V.changes

    def slow_changes(con, a, b, f):
        release.wait(30)
        return real(con, a, b, f)

    monkeypatch.setattr(V, "changes", slow_changes)
    with _served(store_path) as (app, client):
        t0 = time.monotonic()
        html = client.get("/dyad/IRN/RUS?freq=month&from=2010&to=2014").text
        assert time.monotonic() - t0 < 25  # the page did not wait for the change points
        assert 'id="breaks-pending"' in html and "2014-12" in html and "2015-01" not in html
        release.set()
        _wait_background(app)
        con = duckdb.connect(str(store_path), read_only=True)
        want = real(con, "IRN", "RUS", V.Filters(freq="month", date_from="2010", date_to="2014"))
        con.close()
        html = client.get("/dyad/IRN/RUS?freq=month&from=2010&to=2014").text
        assert "breaks-pending" not in html and html.count('<span class="brk">') == len(want)


def test_pages_parts_stored_by_an_older_format_are_an_earlier_state(store_path, monkeypatch):
    """Parts stored by code of an older PAGES_FORMAT are not current for the same data."""
    con = duckdb.connect(str(store_path))
    state = P.data_state(con)
    assert state.startswith(f"v{P.PAGES_FORMAT}|")
    monkeypatch.setattr(P, "PAGES_FORMAT", P.PAGES_FORMAT + 1)
    assert P.data_state(con) != state and P.data_state(con).split("|")[1:] == state.split("|")[1:]
    con.close()


def test_pages_new_data_shows_the_stored_parts_marked_earlier(store_path, monkeypatch):
    _cheap_report(monkeypatch)
    con = duckdb.connect(str(store_path))
    before = P.data_state(con)
    con.execute("INSERT INTO events SELECT * REPLACE ('ev:new' AS event_id) FROM events "
                "WHERE src_country = 'IRN' AND tgt_country = 'RUS' LIMIT 1")
    assert P.data_state(con) != before
    con.close()
    release = threading.Event()
    real = V.changes
    monkeypatch.setattr(V, "changes", lambda con, a, b, f: (release.wait(30), real(con, a, b, f))[1])
    with _served(store_path) as (app, client):
        html = client.get("/dyad/IRN/RUS").text
        assert 'id="breaks-stale"' in html and '<span class="brk">' in html
        months = client.get("/api/dyad/IRN/RUS?freq=month").json()["series"]
        assert sum(r["events"] for r in months) == 9 * 120 + 1  # the series itself is current
        release.set()
        _wait_background(app)
        assert "breaks-stale" not in client.get("/dyad/IRN/RUS").text


def test_pages_watch_precomputes_once_per_data_state_and_stays_bounded(store_path, monkeypatch):
    from dyadwatch.serve.config import WatchConfig
    from dyadwatch.serve.watch import watch

    _cheap_report(monkeypatch)
    cfg = WatchConfig(path="test", dyads=(("IRN", "RUS"), ("RUS", "ISR")))
    counts = []
    summaries = []
    for _ in range(4):
        [s] = watch(cfg, store_path, once=True)
        summaries.append(s)
        con = duckdb.connect(str(store_path), read_only=True)
        counts.append(con.execute("SELECT (SELECT count(*) FROM dyad_pages), (SELECT count(*) FROM watch_dyads), "
                                  "(SELECT count(*) FROM alerts), (SELECT count(DISTINCT state) FROM dyad_pages)")
                      .fetchone())
        con.close()
    # IRN-RUS's pages were stored for this data state by the fixture; RUS-ISR's are computed once
    assert [s.pages for s in summaries] == [1, 0, 0, 0]
    assert len(set(counts)) == 1 and counts[0][1] == 2 and counts[0][3] == 1
    # RUS-ISR: quarter by default (sparse months), its parts and the stand-in report
    from dyadwatch.serve.state import dataset_ranges

    con = duckdb.connect(str(store_path), read_only=True)
    got = P.load(con, "RUS", "ISR")
    ranges = P.load(con, *P.STORE_WIDE)[("ranges", "")]["value"]
    want = _roundtrip(dataset_ranges(con))
    con.close()
    assert ranges == want and want  # the freshness stamps' event days, stored once per data state
    assert got[("default_freq", "")]["value"][0] == "quarter"
    assert got[("report", "")]["value"]["generated"] == "stand-in"
    assert {k[1] for k in got if k[0] == "changes"} == {"month", "quarter", "year"}


def test_pages_cache_is_bounded():
    cache = StateCache(max_entries=8, max_queue=4)
    for i in range(100):
        assert cache.get("t", "x", (i,), lambda: i) == i
    with pytest.raises(ValueError):
        cache.get("t", "bad", (), lambda: int("x"))
    block = threading.Event()
    for i in range(50):
        cache.background("t", "slow", (i,), lambda: block.wait(30))
    sizes = cache.sizes()
    assert sizes["results"] == 8 and sizes["keylocks"] == 0
    assert sizes["queue"] <= 4 and sizes["pending"] <= 5  # queued plus the one running
    block.set()
    assert cache.stop(10)
    assert cache.background("t", "slow", (99,), lambda: 1) == (None, None, False) and cache.pending() == 0


def _series(events):
    n = len(events)
    return pd.DataFrame({"period": [f"2024-W{i + 1:02d}" for i in range(n)], "events": events,
                         "verbal_coop": [0] * n, "material_coop": [0] * n, "verbal_conflict": events,
                         "material_conflict": [0] * n, "goldstein_sum": [0.0] * n, "goldstein_mean": [0.0] * n,
                         "net_coop": [-1.0 if e else float("nan") for e in events], "datasets": ["x" if e else ""
                                                                                          for e in events]})


def test_pages_sparse_series_break_is_not_alerted():
    from dyadwatch.serve.alerts import BREAK_MIN_FILLED, break_alerts
    from dyadwatch.serve.config import AlertRules

    rules = AlertRules(min_events=5)
    # 40 busy weeks of 5 events, then 2 of 40: a volume break at the latest weeks
    dense = break_alerts("IRN", "RUS", _series([5] * 40 + [40, 40]), rules)
    assert [(a["measure"], a["period"], a["band"]) for a in dense] == [("volume", "2024-W41", "up")]
    # a jump where 26 of 41 weeks are empty (15 filled: under half): PELT finds it, it is not alerted
    from dyadwatch.analysis.changes import series_breaks

    sparse = [0, 0, 2] * 13 + [30, 30]
    assert sum(1 for e in sparse if e) / len(sparse) < BREAK_MIN_FILLED
    found = series_breaks(_series(sparse), ("volume",))
    assert "2024-W40" in set(found["period"])
    assert break_alerts("IRN", "RUS", _series(sparse), rules) == []


def test_pages_close_interrupts_a_running_background_query(store_path):
    """A process must not exit while a thread is inside DuckDB ("terminate called ..."): close()
    interrupts the background query and returns with no background thread left."""
    app = create_app(store_path)
    started = threading.Event()

    def endless():
        with app.access.reader() as con:
            started.set()
            return con.execute("SELECT count(*) FROM range(1000000000000) a WHERE a % 7 = 3").fetchone()

    app.cache.background("t", "endless", (), endless)
    assert started.wait(30)
    time.sleep(0.2)
    t0 = time.monotonic()
    app.close(wait=20)
    assert time.monotonic() - t0 < 10
    assert app.cache._worker is not None and not app.cache._worker.is_alive()
    assert "Interrupt" in app.cache.errors[("endless", ())] or "nterrupt" in app.cache.errors[("endless", ())]
    assert app.cache.background("t", "again", (), lambda: 1) == (None, None, False)  # nothing new starts


def test_pages_period_range_is_duckdbs_and_thread_safe(base_store):
    """``dyad_series`` fills empty periods without DuckDB's module-level connection (which refused a
    second thread: the server's request and its background computation at once)."""
    import datetime as dt

    from dyadwatch.analysis.dyads import _period_range, dyad_series

    for freq in ("day", "week", "month", "quarter", "year"):
        for a, b in ((dt.date(2015, 12, 31), dt.date(2017, 3, 1)), (dt.date(2020, 2, 29), dt.date(2020, 2, 29))):
            want = [r[0] for r in duckdb.sql(
                f"SELECT unnest(generate_series(date_trunc('{freq}', DATE '{a}'), date_trunc('{freq}', DATE '{b}'), "
                f"INTERVAL 1 {freq}))::DATE").fetchall()]
            assert _period_range(freq, a, b) == want, freq
    assert len(_period_range("week", dt.date(2015, 12, 31), dt.date(2017, 3, 1))) == 62  # 2015-W53 .. 2017-W09
    con = duckdb.connect(str(base_store), read_only=True)
    errors, sums = [], []

    def work():
        cur = con.cursor()
        try:
            for _ in range(20):
                sums.append(int(dyad_series(cur, "IRN", "RUS", freq="week", date_from="2010",
                                            date_to="2014")["events"].sum()))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            cur.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    con.close()
    assert errors == [] and sums == [5 * 120] * 80


def test_pages_series_figure_written_directly_equals_plotlys(base_store):
    from dyadwatch.serve.figures import series_figure, series_figure_plotly

    con = duckdb.connect(str(base_store), read_only=True)
    try:
        for freq in ("month", "quarter", "year"):
            f = V.Filters(freq=freq)
            rows, breaks = V.series(con, "IRN", "RUS", f), V.changes(con, "IRN", "RUS", f)
            args = (rows, V.series_starts(rows, freq), freq, breaks, f"Events and net cooperation per {freq}")
            fast = _roundtrip(series_figure(*args))
            assert fast == _roundtrip(series_figure_plotly(*args)), freq
            assert len(fast["layout"].get("shapes", [])) == len({b["period"] for b in breaks})
            assert fast["data"][0]["y"] == [r["events"] for r in rows]
        assert series_figure([], [], "month", [], "t") is None
    finally:
        con.close()


#: one and two periods of each frequency: (freq, periods, their first days, the single period's x range)
FEW_PERIODS = [
    ("year", ["2018"], ["2018-01-01"], ["2017-07-02 12:00:00", "2018-07-02 12:00:00"]),
    ("year", ["2017", "2018"], ["2017-01-01", "2018-01-01"], None),
    ("quarter", ["2018Q4"], ["2018-10-01"], ["2018-08-16 00:00:00", "2018-11-16 00:00:00"]),
    ("quarter", ["2018Q3", "2018Q4"], ["2018-07-01", "2018-10-01"], None),
    ("month", ["2016-02"], ["2016-02-01"], ["2016-01-17 12:00:00", "2016-02-15 12:00:00"]),
    ("month", ["2018-09", "2018-10"], ["2018-09-01", "2018-10-01"], None),
    ("week", ["2018-W40"], ["2018-10-01"], ["2018-09-27 12:00:00", "2018-10-04 12:00:00"]),
    ("week", ["2018-W40", "2018-W41"], ["2018-10-01", "2018-10-08"], None),
    ("day", ["2018-10-02"], ["2018-10-02"], ["2018-10-01 12:00:00", "2018-10-02 12:00:00"]),
    ("day", ["2018-10-02", "2018-10-03"], ["2018-10-02", "2018-10-03"], None),
]


@pytest.mark.parametrize("freq,periods,starts,x_range", FEW_PERIODS)
def test_pages_series_figure_of_one_or_two_periods_has_a_readable_date_axis(freq, periods, starts, x_range):
    """One period: plotly's own range of a single date spans a millisecond ("23:59:59.9996 Dec 31, 2017");
    the figure gives ± half the period around its first day, a bar 0.8 of the period wide, and one tick
    in the frequency's format. Two periods: one tick each, plotly's range and bar width."""
    from dyadwatch.serve.figures import series_figure, series_figure_plotly

    rows = [{"period": p, "events": 3 + i, "net_coop": 0.5 - i / 4} for i, p in enumerate(periods)]
    assert V.series_starts(rows, freq) == starts
    breaks = [{"period": periods[-1], "number": 1}]
    args = (rows, starts, freq, breaks, f"Events and net cooperation per {freq}")
    fast = _roundtrip(series_figure(*args))
    assert fast == _roundtrip(series_figure_plotly(*args))
    axis = fast["layout"]["xaxis"]
    assert axis["type"] == "date" and axis["tickmode"] == "array" and axis["tickvals"] == starts
    assert axis["tickformat"] == {"year": "%Y", "quarter": "%b %Y", "month": "%b %Y", "week": "%Y-%m-%d",
                                  "day": "%Y-%m-%d"}[freq]
    assert axis.get("range") == x_range
    days = {"year": 365, "quarter": 92, "month": 29, "week": 7, "day": 1}[freq]  # 2018, 2018Q4, 2016-02
    assert fast["data"][0].get("width") == (round(0.8 * days * 86_400_000) if len(periods) == 1 else None)
    assert fast["layout"]["shapes"][0]["x0"] == starts[-1]


def test_pages_series_figure_of_many_periods_keeps_plotlys_ticks():
    from dyadwatch.serve.figures import MAX_PERIOD_TICKS, series_figure, x_axis

    months = [f"2018-{m:02d}" for m in range(1, MAX_PERIOD_TICKS + 2)]
    rows = [{"period": p, "events": 1, "net_coop": 0.0} for p in months]
    fig = series_figure(rows, V.series_starts(rows, "month"), "month", [], "t")
    assert fig["layout"]["xaxis"] == {"type": "date"} and "width" not in fig["data"][0]
    assert x_axis(["2018-01-01"] * 3, "year")[0]["range"] == ["2017-07-02 12:00:00", "2018-07-02 12:00:00"]


def test_pages_a_failing_page_never_stops_the_watch(store_path, monkeypatch):
    from dyadwatch.serve.config import WatchConfig
    from dyadwatch.serve.watch import watch

    def broken_report(con, a, b):
        raise RuntimeError("report exploded")

    def broken_changes(con, a, b, f, **kw):
        raise ZeroDivisionError("changes exploded")

    monkeypatch.setattr(V, "report", broken_report)
    lines = []
    cfg = WatchConfig(path="test", dyads=(("RUS", "ISR"),))
    [s] = watch(cfg, store_path, once=True, log=lambda step, line: lines.append((step, line)))
    con = duckdb.connect(str(store_path), read_only=True)
    got = P.load(con, "RUS", "ISR")
    con.close()
    assert s.pages == 1 and s.problems == [] and ("report", "") not in got and ("series", "quarter") in got
    # a part that cannot be computed at all: the dyad's state and alerts are stored, the cycle ends "done"
    monkeypatch.setattr(V, "changes", broken_changes)
    con = duckdb.connect(str(store_path))
    con.execute("INSERT INTO events SELECT * REPLACE ('ev:new2' AS event_id) FROM events "
                "WHERE src_country = 'RUS' AND tgt_country = 'ISR' LIMIT 1")
    con.close()
    [s] = watch(cfg, store_path, once=True, log=lambda step, line: lines.append((step, line)))
    assert s.pages == 0 and s.dyads == 1
    assert s.problems == ["RUS-ISR page: ZeroDivisionError: changes exploded"]
    assert ("pages", "RUS-ISR failed: ZeroDivisionError: changes exploded (the page computes it when asked)") in lines
    con = duckdb.connect(str(store_path), read_only=True)
    assert con.execute("SELECT status FROM watch_cycles ORDER BY cycle_id").fetchall() == [("done",), ("done",)]
    con.close()


def test_pages_stop_mid_analysis_ends_the_cycle_at_a_dyad_and_the_next_cycle_does_the_rest(store_path, monkeypatch):
    """A stop requested while the watch analyses (serve --watch shutting down) ends the cycle at the next dyad,
    ``interrupted``; the next cycle analyses the dyads left, and recomputes nothing already current."""
    from dyadwatch.serve.config import WatchConfig
    from dyadwatch.serve.watch import watch

    _cheap_report(monkeypatch)
    con = duckdb.connect(str(store_path))
    con.execute("DELETE FROM dyad_pages")  # the fixture's precomputed IRN-RUS page: every page computed here
    con.close()
    dyads = (("RUS", "ISR"), ("IRN", "RUS"), ("IRN", "ISR"))
    cfg = WatchConfig(path="test", dyads=dyads)
    stop, lines = threading.Event(), []

    def log(step, line):
        lines.append((step, line))
        if step == "pages" and line.startswith("RUS-ISR: page precomputed"):
            stop.set()  # requested while the first dyad's page is being stored

    [s] = watch(cfg, store_path, log=log, stop=stop)
    assert (s.dyads, s.pages, s.stopped) == (1, 1, True)
    assert ("analyse", "stopped on request after 1 of 3 dyads; the next cycle does the rest") in lines
    assert not any(step == "pages" and line.startswith("IRN-RUS") for step, line in lines)

    def stored():
        con = duckdb.connect(str(store_path), read_only=True)
        try:
            return (con.execute("SELECT status, reason FROM watch_cycles ORDER BY cycle_id").fetchall(),
                    con.execute("SELECT a, b FROM watch_dyads ORDER BY ALL").fetchall(),
                    con.execute("SELECT a, b, count(DISTINCT cycle_id) FROM dyad_pages WHERE a <> '*' "
                                "GROUP BY ALL ORDER BY ALL").fetchall(),
                    con.execute("SELECT count(*), count(DISTINCT alert_id) FROM alerts").fetchone())
        finally:
            con.close()

    cycles, states, pages, alerts = stored()
    assert cycles == [("interrupted", "stopped on request after 1 of 3 dyads; the next cycle does the rest")]
    assert states == [("RUS", "ISR")] and pages == [("RUS", "ISR", 1)]
    # the next cycle: the two dyads left, each once; the first dyad's page (data unchanged) not recomputed
    lines.clear()
    [s] = watch(cfg, store_path, once=True, log=lambda step, line: lines.append((step, line)))
    assert (s.dyads, s.pages, s.stopped) == (3, 2, False)
    cycles, states, pages, alerts = stored()
    assert [c[0] for c in cycles] == ["interrupted", "done"]
    assert states == sorted(dyads)
    assert pages == [("IRN", "ISR", 1), ("IRN", "RUS", 1), ("RUS", "ISR", 1)]
    assert alerts[0] == alerts[1]
    assert [line for step, line in lines if step == "pages"][0].startswith("IRN-RUS: page precomputed")


def test_pages_stop_mid_collection_ends_the_step_before_the_next_source(store_path):
    """A stop set while one feed is collected: that feed's result is recorded, the next feeds are left to the
    next cycle (the collector is a stand-in: the real one is tested against a feed server in test_serve_watch)."""
    from types import SimpleNamespace

    from dyadwatch.serve.config import WatchConfig
    from dyadwatch.serve.watch import CycleSummary, WatchStore, step_collect

    stop, asked = threading.Event(), []

    class Collector:
        def run(self, sources, open_store, since):
            asked.extend(sources)
            stop.set()
            return SimpleNamespace(items=3, stored=2, duplicate_url=1, duplicate_text=0, too_old=0, failed=0,
                                   problems=[])

    cfg = WatchConfig(path="test", dyads=(("IRN", "RUS"),), feeds=("http://a.example/feed", "http://b.example/feed"),
                      pages=("http://c.example/page",))
    summary, lines = CycleSummary(cycle_id=1), []
    step_collect(cfg, WatchStore(store_path), Collector(), summary, lambda step, line: lines.append((step, line)),
                 stop)
    assert asked == ["http://a.example/feed"] and summary.stopped
    assert (summary.documents, summary.duplicates) == (2, 1)
    assert ("collect", "stopped on request after 1 of 3 sources") in lines
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        assert con.execute("SELECT source, new_items FROM watch_sources").fetchall() == [("http://a.example/feed", 2)]
    finally:
        con.close()


def test_pages_watch_marks_a_document_without_text_coded_with_no_events(store_path):
    """A title-only document (``dyadwatch demo`` registers the coded paper so) is not handed to the coder
    (it raised AttributeError on None and stopped the watch on the demo store): marked coded, 0 events."""
    from dyadwatch.serve.watch import CycleSummary, WatchStore, step_code

    con = duckdb.connect(str(store_path))
    con.execute("INSERT INTO documents (doc_id, url, title, text) VALUES ('paper', NULL, 'A paper', NULL), "
                "('blank', NULL, 'Blank', '  '), ('doc:1', 'http://a.example/1', 'Pact', "
                "'Russia and Iran signed an agreement on Tuesday.')")
    n_events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    summary = CycleSummary(cycle_id=1)
    step_code(WatchStore(store_path), summary, lambda step, line: None)
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        coded = dict(con.execute("SELECT doc_id, events FROM watch_coded").fetchall())
        added = con.execute("SELECT count(*) FROM events").fetchone()[0] - n_events
    finally:
        con.close()
    assert coded["paper"] == 0 and coded["blank"] == 0 and coded["doc:1"] >= 1 and len(coded) == 3
    assert summary.coded_documents == 3 and summary.events_coded == added == coded["doc:1"]



def test_pages_stop_mid_page_stores_no_part_of_it_and_the_next_cycle_computes_it(store_path, monkeypatch):
    """A stop while a dyad's page is computed (its report alone takes seconds to minutes) ends it before
    the next part: the dyad's state and alerts are stored, no part of its page; the next cycle computes it."""
    from dyadwatch.serve.config import WatchConfig
    from dyadwatch.serve.watch import watch

    _cheap_report(monkeypatch)
    con = duckdb.connect(str(store_path))
    con.execute("DELETE FROM dyad_pages")
    con.close()
    stop, real, asked = threading.Event(), V.changes, []

    def changes(con_, a, b, f, **kw):
        asked.append(f.freq)
        stop.set()  # requested while the first period's change points are computed
        return real(con_, a, b, f, **kw)

    monkeypatch.setattr(V, "changes", changes)
    cfg = WatchConfig(path="test", dyads=(("IRN", "RUS"), ("RUS", "ISR")))
    lines = []
    [s] = watch(cfg, store_path, log=lambda step, line: lines.append((step, line)), stop=stop)
    assert (s.dyads, s.pages, s.stopped) == (1, 0, True) and asked == ["month"]
    assert ("pages", "IRN-RUS: stopped on request before the page was complete; the next cycle computes it") in lines
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM dyad_pages WHERE a <> '*'").fetchone()[0] == 0
        assert con.execute("SELECT a, b FROM watch_dyads").fetchall() == [("IRN", "RUS")]
        assert con.execute("SELECT status FROM watch_cycles").fetchall() == [("interrupted",)]
    finally:
        con.close()
    monkeypatch.setattr(V, "changes", real)
    [s] = watch(cfg, store_path, once=True)
    assert (s.dyads, s.pages, s.stopped) == (2, 2, False)
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        got = P.load(con, "IRN", "RUS")
        f = V.Filters(freq="month")
        assert got[("changes", "month")]["value"] == _roundtrip(V.changes(con, "IRN", "RUS", f))
    finally:
        con.close()


def test_pages_stop_interrupts_the_report_query_running(store_path, monkeypatch):
    """The report is one part that takes minutes on a large store: a stop interrupts its running query
    (a stand-in summing 4e10 numbers, about a minute uninterrupted) and the page is not stored."""
    from dyadwatch.serve.watch import CycleSummary, WatchStore, step_pages

    con = duckdb.connect(str(store_path))
    con.execute("DELETE FROM dyad_pages")
    con.close()
    stop, started, raised = threading.Event(), threading.Event(), []

    def slow_report(con_, a, b):
        started.set()
        try:
            return con_.execute("SELECT sum(i) FROM range(40000000000) t(i)").fetchall()
        except Exception as exc:  # noqa: BLE001 - recorded, then as the report's failure
            raised.append(type(exc))
            raise

    monkeypatch.setattr(V, "report", slow_report)
    threading.Thread(target=lambda: started.wait(60) and stop.set(), daemon=True).start()
    summary, lines = CycleSummary(cycle_id=1), []
    step_pages(WatchStore(store_path), "IRN", "RUS", summary, lambda step, line: lines.append((step, line)), stop)
    assert raised == [duckdb.InterruptException] and summary.stopped and summary.pages == 0
    assert lines == [("pages", "IRN-RUS: stopped on request before the page was complete; the next cycle computes it")]
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM dyad_pages").fetchone()[0] == 0
    finally:
        con.close()
