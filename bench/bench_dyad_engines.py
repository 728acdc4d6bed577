"""`dyadwatch dyad --engine`: one dyad's series on the store's SQL, Ibis-on-DuckDB over Parquet, and Spark.

All in one process, on the same synthetic store and its Parquet (built by
``bench/run.py``), Iran-Russia yearly and monthly through
``analysis.dyads.dyad_series``:

* ``duckdb`` (default): one SQL query on the store (the baseline);
* ``duckdb --events``: the Ibis expression on DuckDB over the Parquet;
* ``spark``: the Ibis expression on local Spark, events exported from the
  store to a temporary Parquet on every call (what `dyad --engine spark`
  does without ``--events``);
* ``spark --events``: local Spark over the Parquet.

Each row is the median of ``--repeat`` warm runs (after one cold run) and
its ratio to the baseline; the Spark session start-up is reported once. The
results of every engine are checked equal to the baseline (counts exactly).

    python bench/bench_dyad_engines.py --size 1M [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, table  # noqa: E402

DYAD = ("IRN", "RUS")
COLUMNS = ["freq", "engine", "events", "periods", "cold_s", "warm_s", "ratio"]


def _timed(fn, repeat: int):
    times, out = [], None
    for _ in range(repeat + 1):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return out, times[0], statistics.median(times[1:])


def run(db: Path, parquet: Path, *, repeat: int = 3, spark: bool = True) -> tuple[list[dict], float | None]:
    from dyadwatch.analysis import engine
    from dyadwatch.api import Dyadwatch

    a, b = DYAD
    start_s = None
    if spark:
        t0 = time.perf_counter()
        engine.connect("spark")
        start_s = time.perf_counter() - t0
    rows = []
    with Dyadwatch(db, read_only=True) as dw:
        dw.con.execute("SET enable_progress_bar = false")
        for freq in ("year", "month"):
            variants = [("duckdb (store SQL)", {}), ("duckdb --events (Ibis)", {"parquet": parquet})]
            if spark:
                variants += [("spark (store exported)", {"engine": "spark"}),
                             ("spark --events", {"engine": "spark", "parquet": parquet})]
            base = None
            for label, kw in variants:
                df, cold, warm = _timed(lambda: dw.dyad(a, b, freq=freq, **kw), repeat)
                if base is None:
                    base, base_df = warm, df
                else:  # same series as the baseline
                    assert df[["period", "events", "verbal_coop", "material_conflict"]].equals(
                        base_df[["period", "events", "verbal_coop", "material_conflict"]]), label
                rows.append({"freq": freq, "engine": label, "events": int(df["events"].sum()), "periods": len(df),
                             "cold_s": cold, "warm_s": warm,
                             "ratio": "baseline" if warm == base and label.startswith("duckdb (") else
                             f"{warm / base:.1f}x the store SQL"})
    return rows, start_s


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="1M")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-spark", action="store_true")
    args = ap.parse_args()
    rows, start_s = run(DATA / f"store_{args.size}.duckdb", DATA / f"events_{args.size}.parquet",
                        repeat=args.repeat, spark=not args.no_spark)
    print(table(rows, COLUMNS))
    if start_s is not None:
        print(f"Spark session start-up (local[2], once per process): {start_s:.1f} s")
