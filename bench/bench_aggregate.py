"""All-dyad monthly QuadClass counts: dyadwatch's engine vs a hand-written DuckDB query.

Both read the same synthetic events (Parquet file, and the store's sorted
``events`` table). dyadwatch's figure is ``analysis.engine.quad_class_counts_expr``
(the Ibis definition shared with Spark) run on DuckDB; the floor is one
hand-written DuckDB SQL query. Both materialise the result as Arrow. Each
run is a fresh process, so peak RSS is the query's own. Targets (100M
events): <= 60 s, <= 4 GB peak RSS, within 1.5x of the floor.

    python bench/bench_aggregate.py --size 10M [--db bench/data/store_10M.duckdb] [--spark]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, run_task, table  # noqa: E402


def run(parquet: Path, db: Path | None = None, freq: str = "month", memory_limit: str | None = None,
        spark: bool = False) -> list[dict]:
    out = []
    sources = [("parquet", {"parquet": str(parquet)})]
    if db is not None and Path(db).exists():
        sources.append(("store", {"db": str(db)}))
    for label, src in sources:
        eng = run_task("aggregate_engine", freq=freq, memory_limit=memory_limit, **src)
        sql = run_task("aggregate_sql", freq=freq, memory_limit=memory_limit, **src)
        if (eng["groups"], eng["events"]) != (sql["groups"], sql["events"]):
            raise RuntimeError(f"engine and SQL disagree on {label}: {eng} vs {sql}")
        for name, r in (("dyadwatch engine (Ibis->DuckDB)", eng), ("hand-written DuckDB SQL (floor)", sql)):
            out.append({"task": f"all-dyad {freq}ly QuadClass counts", "source": label, "engine": name,
                        "events": r["events"], "groups": r["groups"], "seconds": r["seconds"],
                        "peak_rss_MB": r["peak_rss_mb"]})
        out[-2]["ratio"] = f"{eng['seconds'] / sql['seconds']:.2f}x floor (target <= 1.5x)"
        if spark and label == "parquet":
            sp = run_task("aggregate_spark", freq=freq, parquet=src["parquet"])
            if (sp["groups"], sp["events"]) != (eng["groups"], eng["events"]):
                raise RuntimeError(f"Spark and DuckDB disagree: {sp} vs {eng}")
            out.append({"task": f"all-dyad {freq}ly QuadClass counts", "source": label,
                        "engine": "dyadwatch engine (Ibis->Spark local[2])", "events": sp["events"],
                        "groups": sp["groups"], "seconds": sp["seconds"], "peak_rss_MB": sp["peak_rss_mb"],
                        "ratio": f"{sp['seconds'] / eng['seconds']:.1f}x DuckDB (+{sp['startup_s']:.0f} s start-up; "
                                 "RSS: driver only)"})
    return out


COLUMNS = ["task", "source", "engine", "events", "groups", "seconds", "peak_rss_MB", "ratio"]

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10M")
    ap.add_argument("--db", type=Path)
    ap.add_argument("--memory-limit", help="DuckDB memory_limit, e.g. 3GB")
    ap.add_argument("--spark", action="store_true", help="also run the engine on Spark local[2]")
    args = ap.parse_args()
    print(table(run(DATA / f"events_{args.size}.parquet", args.db, memory_limit=args.memory_limit,
                    spark=args.spark), COLUMNS))
