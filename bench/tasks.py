"""Measured tasks, each run in its own process by ``common.run_task``.

``python bench/tasks.py NAME '{"arg": ...}'`` prints one JSON line with the
task's figures and ``peak_rss_mb`` (this process's peak resident memory).
Wall times exclude imports and connection set-up.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import duckdb  # noqa: E402

#: pandas dtypes of the GDELT 1.0 export fields (GDELT Event Codebook V1.03):
#: codes as strings (leading zeros kept), ids and dates as integers, scores as floats
_INT = ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "IsRootEvent", "QuadClass", "NumMentions",
        "NumSources", "NumArticles", "Actor1Geo_Type", "Actor2Geo_Type", "ActionGeo_Type", "DATEADDED")
_FLOAT = ("FractionDate", "GoldsteinScale", "AvgTone", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor2Geo_Lat",
          "Actor2Geo_Long", "ActionGeo_Lat", "ActionGeo_Long")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _quiet(con) -> None:
    con.execute("SET enable_progress_bar = false")


def ingest_dyadwatch(tsv: str, db: str, memory_limit: str | None = None, exact: bool = False) -> dict:
    """dyadwatch's real ingest path: ``store.ingest.ingest_file`` with the gdelt1 reader.

    ``memory_limit``: ``$DYADWATCH_MEMORY_LIMIT`` for the store connection (None: dyadwatch's
    default). ``exact``: force the reader's exact, line-numbered path (what every file took
    before the fast path for clean files)."""
    import os

    from dyadwatch.store import db as store_db
    from dyadwatch.store.ingest import ingest_file

    if memory_limit:
        os.environ[store_db.ENV_MEMORY_LIMIT] = memory_limit
    else:
        os.environ.pop(store_db.ENV_MEMORY_LIMIT, None)
    if exact:
        from dyadwatch.sources import gdelt

        gdelt.GdeltReader._read_clean = lambda self, con, sink, plain: False
    Path(db).unlink(missing_ok=True)
    for extra in (Path(db + ".wal"),):
        extra.unlink(missing_ok=True)
    con = store_db.connect(Path(db))
    _quiet(con)
    store_db.ensure_schema(con)
    t0 = time.perf_counter()
    s = ingest_file(con, Path(tsv), format="gdelt1")
    secs = time.perf_counter() - t0
    con.close()
    return {"rows": s.rows_read, "stored": s.rows_stored, "rejected": s.rows_rejected, "seconds": secs,
            "peak_rss_mb": _peak_mb()}


def ingest_pandas(tsv: str) -> dict:
    """Baseline: ``pandas.read_csv`` of the same export with GDELT names and dtypes."""
    import csv

    import pandas as pd
    from synth import GDELT1_FIELDS

    dtypes = {f: ("Int64" if f in _INT else "float64" if f in _FLOAT else "str") for f in GDELT1_FIELDS}
    t0 = time.perf_counter()
    df = pd.read_csv(tsv, sep="\t", header=None, names=list(GDELT1_FIELDS), dtype=dtypes,
                     quoting=csv.QUOTE_NONE, keep_default_na=False, na_values=[""])
    secs = time.perf_counter() - t0
    return {"rows": len(df), "seconds": secs, "peak_rss_mb": _peak_mb()}


def _events_source(con, parquet: str | None, db: str | None):
    import ibis

    if parquet:
        con.execute(f"CREATE VIEW events AS SELECT * FROM read_parquet('{parquet}')")
    return ibis.duckdb.from_connection(con).table("events")


def aggregate_engine(freq: str = "month", parquet: str | None = None, db: str | None = None,
                     memory_limit: str | None = None) -> dict:
    """All-dyad QuadClass counts through ``analysis.engine`` (Ibis on DuckDB)."""
    from dyadwatch.analysis import engine

    con = duckdb.connect(db, read_only=True) if db else duckdb.connect()
    _quiet(con)
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    events = _events_source(con, parquet, db)
    expr = engine.quad_class_counts_expr(events, freq=freq)
    t0 = time.perf_counter()
    out = expr.to_pyarrow()
    secs = time.perf_counter() - t0
    return {"groups": out.num_rows, "events": int(out.column("events").to_numpy().sum()), "seconds": secs,
            "peak_rss_mb": _peak_mb()}


def aggregate_spark(freq: str = "month", parquet: str | None = None, master: str = "local[2]") -> dict:
    """The same engine expression on Spark (local mode by default); session start-up excluded.

    Peak RSS is the Python driver's only (Spark's JVM is a child process)."""
    from dyadwatch.analysis import engine

    t_start = time.perf_counter()
    backend = engine.connect("spark", master=master)
    events = engine.register_parquet(backend, "events", parquet)
    startup = time.perf_counter() - t_start
    expr = engine.quad_class_counts_expr(events, freq=freq)
    t0 = time.perf_counter()
    out = expr.to_pyarrow()
    secs = time.perf_counter() - t0
    return {"groups": out.num_rows, "events": int(out.column("events").to_numpy().sum()), "seconds": secs,
            "startup_s": startup, "peak_rss_mb": _peak_mb()}


def aggregate_sql(freq: str = "month", parquet: str | None = None, db: str | None = None,
                  memory_limit: str | None = None) -> dict:
    """The floor: the same aggregation as one hand-written DuckDB SQL query."""
    con = duckdb.connect(db, read_only=True) if db else duckdb.connect()
    _quiet(con)
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    src = f"read_parquet('{parquet}')" if parquet else "events"
    sql = f"""
        SELECT src_country, tgt_country, date_trunc('{freq}', event_date) AS period_start,
               count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1) AS verbal_coop,
               count(*) FILTER (WHERE quad_class = 2) AS material_coop,
               count(*) FILTER (WHERE quad_class = 3) AS verbal_conflict,
               count(*) FILTER (WHERE quad_class = 4) AS material_conflict
        FROM {src}
        WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL AND event_date IS NOT NULL
        GROUP BY ALL"""
    t0 = time.perf_counter()
    out = con.execute(sql).to_arrow_table()
    secs = time.perf_counter() - t0
    return {"groups": out.num_rows, "events": int(out.column("events").to_numpy().sum()), "seconds": secs,
            "peak_rss_mb": _peak_mb()}


def dyad_series(a: str, b: str, how: str = "engine", freq: str = "year", parquet: str | None = None,
                db: str | None = None, repeat: int = 5) -> dict:
    """One dyad's series: first (cold) run and the median of ``repeat`` warm runs.

    ``how``: ``engine`` (Ibis on DuckDB), ``dyads`` (``analysis.dyads.dyad_series``,
    store only).
    """
    from dyadwatch.analysis import dyads, engine

    con = duckdb.connect(db, read_only=True) if db else duckdb.connect()
    _quiet(con)
    events = _events_source(con, parquet, db)

    def once():
        if how == "dyads":
            return dyads.dyad_series(con, a, b, freq=freq)
        return engine.dyad_series_expr(events, a, b, freq=freq).to_pyarrow()

    times = []
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        out = once()
        times.append(time.perf_counter() - t0)
    n = int(out["events"].sum()) if how == "dyads" else int(out.column("events").to_numpy().sum())
    return {"events": n, "cold_s": times[0], "warm_s": statistics.median(times[1:]), "peak_rss_mb": _peak_mb()}


def load_store(parquet: str, db: str) -> dict:
    """Load the Parquet events into a fresh store's ``events`` table (insertion order kept)."""
    from dyadwatch.store import db as store_db

    Path(db).unlink(missing_ok=True)
    Path(db + ".wal").unlink(missing_ok=True)
    con = store_db.connect(Path(db))
    _quiet(con)
    store_db.ensure_schema(con)
    t0 = time.perf_counter()
    con.execute(f"INSERT INTO events BY NAME SELECT * FROM read_parquet('{parquet}')")
    con.execute("CHECKPOINT")
    secs = time.perf_counter() - t0
    n = con.execute("SELECT count(*) FROM events").fetchall()[0][0]
    con.close()
    return {"rows": n, "seconds": secs, "peak_rss_mb": _peak_mb()}


def optimize_store(db: str) -> dict:
    """``store.layout.optimize``: re-sort the events table by dyad and date."""
    from dyadwatch.store import db as store_db
    from dyadwatch.store.layout import optimize

    con = store_db.connect(Path(db))
    _quiet(con)
    s = optimize(con)
    con.close()
    return {"rows": s.rows, "seconds": s.seconds, "row_groups": s.row_groups, "peak_rss_mb": _peak_mb()}


def sorted_parquet(src: str, dst: str) -> dict:
    """Write the events sorted by (src_country, tgt_country, event_date) as Parquet."""
    con = duckdb.connect()
    _quiet(con)
    # a good neighbour on a shared machine: sort in at most 8 GB, spill the rest to disk
    spill = Path(dst).parent / "duckdb_tmp"
    con.execute(f"SET memory_limit = '8GB'; SET temp_directory = '{spill}'")
    t0 = time.perf_counter()
    con.execute(f"COPY (SELECT * FROM read_parquet('{src}') ORDER BY src_country NULLS LAST, "
                f"tgt_country NULLS LAST, event_date) TO '{dst}' (FORMAT parquet, COMPRESSION zstd, "
                "ROW_GROUP_SIZE 122880)")
    return {"seconds": time.perf_counter() - t0, "peak_rss_mb": _peak_mb()}


if __name__ == "__main__":
    name, args = sys.argv[1], json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")
    result = globals()[name](**args)
    print(json.dumps(result))
