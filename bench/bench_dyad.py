"""One dyad's yearly series: how the storage layout decides whether it is a full scan.

Layouts compared on the same synthetic events (Iran -> Russia and back,
yearly, through ``analysis.engine.dyad_series_expr`` and the integrator's
``analysis.dyads.dyad_series``):

* Parquet as generated (rows in arrival order): every row group holds every
  country, so the query reads the whole file;
* Parquet sorted by (src_country, tgt_country, event_date), row groups of
  122,880 rows: min/max statistics skip all but a few row groups;
* the store's ``events`` table before and after ``store.layout.optimize``
  (DuckDB zone maps on the sorted columns).

Target (100M events): <= 0.5 s. Cold = first query of a fresh process; warm =
median of 5 repeats.

    python bench/bench_dyad.py --size 10M [--db bench/data/store_10M.duckdb]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, run_task, table  # noqa: E402

DYAD = ("IRN", "RUS")


def run(parquet: Path, *, sorted_parquet: Path | None = None, db: Path | None = None,
        db_sorted: bool = True) -> list[dict]:
    a, b = DYAD
    out = []

    def add(layout, how, **src):
        r = run_task("dyad_series", a=a, b=b, how=how, **src)
        out.append({"task": f"{a}-{b} yearly series", "layout": layout, "engine": how, "events": r["events"],
                    "cold_s": r["cold_s"], "warm_s": r["warm_s"], "peak_rss_MB": r["peak_rss_mb"]})

    add("Parquet, arrival order", "engine", parquet=str(parquet))
    if sorted_parquet is not None and sorted_parquet.exists():
        add("Parquet, sorted by dyad+date", "engine", parquet=str(sorted_parquet))
    if db is not None and Path(db).exists():
        label = "store events, optimize()d" if db_sorted else "store events, unsorted"
        add(label, "engine", db=str(db))
        add(label, "dyads", db=str(db))
    base = out[0]["warm_s"]
    for r in out[1:]:
        r["ratio"] = f"{base / r['warm_s']:.1f}x faster than full scan"
    return out


COLUMNS = ["task", "layout", "engine", "events", "cold_s", "warm_s", "peak_rss_MB", "ratio"]

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10M")
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    pq = DATA / f"events_{args.size}.parquet"
    print(table(run(pq, sorted_parquet=DATA / f"events_{args.size}.sorted.parquet", db=args.db), COLUMNS))
