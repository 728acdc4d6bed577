"""The web app on a 10-million-event store: a dyad page's and the watchlist's server time.

Targets (issue 16): a dyad page p95 <= 200 ms, the watchlist of 20 dyads <= 500 ms.

Setup: the synthetic canonical events of ``bench/synth.py`` (``events_<size>.parquet``) loaded
into a store and sorted by dyad (``store.layout.optimize``), as ``bench/run.py`` does; the 20
country pairs with most events (Iran–Russia first) are the watchlist. The watch's analysis step
(``serve.watch.step_analyse``: each dyad's state and alerts, stored in ``watch_dyads``) is timed
too — it is what keeps the watchlist cheap.

A real ``dyadwatch serve`` (uvicorn, one process) answers requests sent one at a time by httpx
from this process. **Server time** is the app's own time to produce the answer, read from the
``Server-Timing: app;dur=MS`` header it sends (request received -> response ready); the client
time (network and parsing added) is printed beside it.

The watch's analysis step now also precomputes each watched dyad's page (``serve.pages``: series,
change points with their events, figures and the report's content for the default period and
month/quarter/year, stored in ``dyad_pages`` with the data state they were computed on), so a dyad
page of a watched pair is a few indexed lookups; a filter not precomputed computes the series and
events in the request and the change points in the background (the page says so).

Scenarios:

* ``dyad page, first view`` — each of the 20 dyad pages once, right after the server started
  (nothing cached: every figure computed);
* ``dyad page, filters`` — per dyad five filter settings not asked before (period, date range,
  CAMEO root, data set): series and events computed in the request, change points in the background;
* ``dyad page, not watched`` — pairs outside the watchlist (nothing precomputed);
* ``dyad page, repeat`` — the same pages again (cached for the store state);
* ``watchlist`` — ``/`` with states the watch stored, first and repeated; and ``watchlist, no watch
  state`` on a server whose store no watch has analysed (every state computed on the first view).

    python bench/bench_serve.py --size 10M [--record] [--reuse-watch]

``--reuse-watch`` keeps the states, alerts and precomputed pages an earlier run's watch step stored
(when they are there for the current data state) instead of dropping and recomputing them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, REPO, machine, run_task, table  # noqa: E402

N_DYADS = 20


def _p(values, q):
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, int(round(q / 100 * (len(s) - 1)))))
    return s[k]


def ensure_store(size: str) -> Path:
    parquet = DATA / f"events_{size}.parquet"
    db = DATA / f"store_{size}_serve.duckdb"
    if db.exists():
        return db
    if not parquet.exists():
        subprocess.run([sys.executable, str(REPO / "bench" / "synth.py"), "--rows", size, "--tsv-rows", "0"],
                       check=True)
    r = run_task("load_store", parquet=str(parquet), db=str(db))
    print(f"loaded {r['rows']:,} events in {r['seconds']:.0f} s", flush=True)
    r = run_task("optimize_store", db=str(db))
    print(f"optimize(): {r['seconds']:.0f} s", flush=True)
    return db


def top_dyads(db: Path) -> list[tuple[str, str]]:
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT least(src_country, tgt_country) a, greatest(src_country, tgt_country) b, count(*) n
                          FROM events WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL
                            AND src_country <> tgt_country GROUP BY ALL ORDER BY n DESC LIMIT 40""").fetchall()
    con.close()
    from dyadwatch.analysis.actors import resolve_actor

    out = [("IRN", "RUS")]
    for a, b, _ in rows:
        try:
            resolve_actor(a), resolve_actor(b)
        except Exception:  # noqa: BLE001 - a code the actor table does not know
            continue
        if {a, b} != {"IRN", "RUS"}:
            out.append((a, b))
        if len(out) == N_DYADS:
            break
    return out


def analyse(db: Path, dyads) -> float:
    """The watch's analysis step for the dyads (states and alerts stored); returns seconds."""
    from dyadwatch.serve.config import WatchConfig
    from dyadwatch.serve.watch import CycleSummary, WatchStore, step_analyse

    cfg = WatchConfig(path="bench", dyads=tuple(dyads))
    t0 = time.perf_counter()
    step_analyse(cfg, WatchStore(db), CycleSummary(cycle_id=1), lambda s, l: None)
    return time.perf_counter() - t0


def _watched(db: Path, dyads) -> bool:
    """Whether every dyad has a state and pages stored for the store's current data state."""
    import duckdb

    from dyadwatch.serve import pages as P

    con = duckdb.connect(str(db), read_only=True)
    try:
        state = P.data_state(con)
        return all(P.stored_state(con, a, b) == state for a, b in dyads)
    finally:
        con.close()


def _page_seconds(db: Path) -> str:
    """The watch's page precomputation time per dyad: median and max (s)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        s = [r[0] for r in con.execute("SELECT max(seconds) FROM dyad_pages GROUP BY a, b").fetchall() if r[0]]
    except duckdb.Error:
        s = []
    finally:
        con.close()
    return f"median {statistics.median(s):.1f} s, max {max(s):.1f} s" if s else "n/a"


def _unwatched(db: Path, dyads, n: int) -> list[tuple[str, str]]:
    """``n`` country pairs with events beyond the watchlist (ranks 41 onwards by events)."""
    import duckdb

    from dyadwatch.analysis.actors import resolve_actor

    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("""SELECT least(src_country, tgt_country) a, greatest(src_country, tgt_country) b, count(*) n
                          FROM events WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL
                            AND src_country <> tgt_country GROUP BY ALL ORDER BY n DESC LIMIT 80""").fetchall()
    con.close()
    out, seen = [], {frozenset(d) for d in dyads}
    for a, b, _ in rows[40:]:
        try:
            resolve_actor(a), resolve_actor(b)
        except Exception:  # noqa: BLE001
            continue
        if frozenset((a, b)) not in seen:
            out.append((a, b))
        if len(out) == n:
            break
    return out


def start(db: Path, dyads, port: int):
    """``dyadwatch serve`` on the store with the watchlist's dyads (:mod:`dyadwatch.serve.process`, as the
    serve tests start it); its output in ``serve-<port>.log`` beside the store, to read after a 500."""
    from dyadwatch.serve.process import start_server

    return start_server(db, *(x for a, b in dyads for x in ("--dyad", f"{a}-{b}")), port=port,
                        log=db.with_name(f"serve-{port}.log"), timeout=600)


def get(client, url) -> tuple[float, float]:
    t0 = time.perf_counter()
    r = client.get(url, timeout=900)
    wall = time.perf_counter() - t0
    r.raise_for_status()
    m = re.search(r"app;dur=([\d.]+)", r.headers.get("server-timing", ""))
    return float(m.group(1)) / 1000 if m else float("nan"), wall


def measure(client, base, urls) -> dict:
    import httpx

    server, wall, failed = [], [], []
    for u in urls:
        try:
            s, w = get(client, base + u)
        except httpx.HTTPStatusError as exc:  # counted and named, not a crash (the server log says why)
            failed.append(f"{exc.response.status_code} {u}")
            print(f"  failed: {failed[-1]}", flush=True)
            continue
        server.append(s)
        wall.append(w)
    if not server:
        return {"requests": len(urls), "p50_ms": float("nan"), "p95_ms": float("nan"), "max_ms": float("nan"),
                "client_p95_ms": float("nan"), "failed": len(failed)}
    return {"requests": len(urls), "p50_ms": 1000 * statistics.median(server), "p95_ms": 1000 * _p(server, 95),
            "max_ms": 1000 * max(server), "client_p95_ms": 1000 * _p(wall, 95), "failed": len(failed)}


def drain(client, base, limit: float = 300.0) -> tuple[int, float]:
    """``(jobs queued, seconds)``: the background work the requests left (it gives way to requests,
    serve.cache), polled on /healthz every 0.5 s until it is done or ``limit`` s passed."""
    t0 = time.perf_counter()
    first = left = client.get(base + "/healthz", timeout=60).json()["background"]
    while left and time.perf_counter() - t0 < limit:
        time.sleep(0.5)
        left = client.get(base + "/healthz", timeout=60).json()["background"]
    return first, time.perf_counter() - t0


def add(rows: list, row: dict) -> None:
    """Keep a result row and print it at once (a long run shows its progress)."""
    rows.append(row)
    print(" | ".join(f"{v:.0f}" if isinstance(v, float) else str(v) for v in row.values()), flush=True)


def filter_urls(a, b, datasets) -> list[str]:
    ds = datasets[0] if datasets else None
    return [f"/dyad/{a}/{b}?freq=year", f"/dyad/{a}/{b}?freq=quarter&from=2015&to=2017",
            f"/dyad/{a}/{b}?freq=week&from=2016-01&to=2016-06", f"/dyad/{a}/{b}?freq=month&root=19",
            f"/dyad/{a}/{b}?freq=month&from=2012&to=2014" + (f"&dataset={ds}" if ds else "")]


def main() -> None:
    import httpx

    from dyadwatch.serve.process import stop_server

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", default="10M")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--record", action="store_true", help="append the results to bench/RESULTS.md")
    ap.add_argument("--filter-dyads", type=int, default=N_DYADS,
                    help="dyads whose five filter settings are asked (default all 20)")
    ap.add_argument("--page-dyads", type=int, default=N_DYADS,
                    help="dyads whose pages are timed (default all 20; the watchlist always has 20)")
    ap.add_argument("--reuse-watch", action="store_true",
                    help="keep the watch step's states and pages of an earlier run when stored for this store state")
    ap.add_argument("--other-dyads", type=int, default=5, help="pairs outside the watchlist whose pages are timed")
    ap.add_argument("--no-cold-watchlist", action="store_true",
                    help="skip the watchlist without watch state (its 20 states cost about what the watch's "
                         "analysis step costs, which is timed anyway)")
    args = ap.parse_args()
    db = ensure_store(args.size)
    dyads = top_dyads(db)
    rows = []
    import duckdb

    reuse = args.reuse_watch and _watched(db, dyads)
    if not reuse:
        con = duckdb.connect(str(db))
        for t in ("watch_dyads", "alerts", "dyad_pages"):  # an earlier run's: the first scenario has none
            con.execute(f"DROP TABLE IF EXISTS {t}")
        con.close()
    # watchlist without any watch state: every state computed on the first view
    if not (args.no_cold_watchlist or reuse):
        proc, base = start(db, dyads, args.port)
        try:
            with httpx.Client() as c:
                first = get(c, base + "/")
                again = measure(c, base, ["/"] * 10)
            add(rows, {"scenario": "watchlist of 20, no watch state: first view", "requests": 1,
                       "p50_ms": first[0] * 1000, "p95_ms": first[0] * 1000, "max_ms": first[0] * 1000,
                       "client_p95_ms": first[1] * 1000, "failed": 0})
            add(rows, {"scenario": "watchlist of 20, no watch state: repeat", **again})
        finally:
            stop_server(proc, 30)
    seconds = analyse(db, dyads) if not reuse else float("nan")
    print(f"watch analysis step (20 dyads: state, alerts and pages stored): {seconds:.1f} s"
          + (" (reused: stored by an earlier run)" if reuse else ""), flush=True)
    page_seconds = _page_seconds(db)
    proc, base = start(db, dyads, args.port + 1)
    try:
        with httpx.Client() as c:
            datasets = c.get(f"{base}/api/dyad/IRN/RUS?freq=year", timeout=120).json()["series"][0]["datasets"]
            datasets = [d for d in (datasets or "").split(",") if d]
            add(rows, {"scenario": "watchlist of 20, states stored by the watch: first view",
                         **measure(c, base, ["/"])})
            add(rows, {"scenario": "watchlist of 20, states stored by the watch: repeat",
                         **measure(c, base, ["/"] * 10)})
            pages = [f"/dyad/{a}/{b}" for a, b in dyads[:args.page_dyads]]
            add(rows, {"scenario": f"dyad page, first view ({len(pages)} dyads)", **measure(c, base, pages)})
            add(rows, {"scenario": f"dyad page, filters first asked (5 x {args.filter_dyads})",
                       **measure(c, base, [u for a, b in dyads[:args.filter_dyads]
                                           for u in filter_urls(a, b, datasets)])})
            add(rows, {"scenario": "dyad page, repeat (cached per store state)", **measure(c, base, pages * 3)})
            others = [f"/dyad/{a}/{b}" for a, b in _unwatched(db, dyads, args.other_dyads)]
            if others:
                add(rows, {"scenario": f"dyad page, pair not watched ({len(others)} pairs)", **measure(c, base, others)})
            add(rows, {"scenario": "/api/dyad/A/B?freq=month, first", **measure(
                c, base, [f"/api/dyad/{a}/{b}?freq=month&from=2011" for a, b in dyads])})
            drained = drain(c, base)
            print(f"background after the requests: {drained[0]} jobs queued, done in {drained[1]:.1f} s", flush=True)
    finally:
        stop_server(proc, 30)
    cols = ["scenario", "requests", "p50_ms", "p95_ms", "max_ms", "client_p95_ms", "failed"]
    text = table(rows, cols)
    print(text)
    if args.record:
        m = machine()
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        results = REPO / "bench" / "RESULTS.md"
        entry = (f"\n## {stamp} — `python bench/bench_serve.py --size {args.size}`\n\n"
                     f"`dyadwatch serve` on a {args.size}-event synthetic store (sorted by dyad), 20 dyads; server time "
                     f"from the app's Server-Timing header. Watch analysis step for the 20 dyads (state, alerts and "
                     f"page precomputation): {seconds:.1f} s; page precomputation per dyad {page_seconds}. "
                     f"Targets: dyad page p95 <= 200 ms, watchlist <= 500 ms. Machine: {m['cpu']}, {m['cores']} "
                     f"cores, load {m['load_avg_1_5_15']}; DuckDB {m['duckdb']}.\n\n{text}\n")
        old = results.read_text(encoding="utf-8")
        mark = "<!-- newest first -->\n"  # the newest entry goes first
        results.write_text(old.replace(mark, mark + entry, 1) if mark in old else old + entry, encoding="utf-8")


if __name__ == "__main__":
    main()
