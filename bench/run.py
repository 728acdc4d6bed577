"""Run the scale benchmarks for one data size and print figures and ratios.

    python bench/run.py --size 10M            # ~10 min on a 2-core machine
    python bench/run.py --size 100M --record  # and prepend the tables to bench/RESULTS.md

Steps (each measured task runs in its own process; see ``common.py``):

1. synthetic data (``synth.py``): ``bench/data/events_<size>.parquet`` and a
   GDELT 1.0 export of ``--ingest-rows`` rows (generated when missing);
2. ingest: dyadwatch's ``ingest_file`` (gdelt1) vs ``pandas.read_csv``;
3. store: load the Parquet into ``bench/data/store_<size>.duckdb``, then
   ``store.layout.optimize`` (re-sort by dyad and date); ``--skip-store``
   leaves this (the slowest step) out;
4. all-dyad monthly QuadClass counts: engine vs hand-written SQL, over the
   Parquet file and over the store (``--spark``: the same engine expression
   on Spark local[2] too);
5. one dyad's yearly series over each layout (arrival-order Parquet, sorted
   Parquet, optimised store);
6. UN-vote kappa for all directed dyad-years vs a pandas groupby:
   ``bench/bench_kappa.py`` (the alignment area's benchmark), when present.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_aggregate  # noqa: E402
import bench_dyad  # noqa: E402
import bench_ingest  # noqa: E402
import synth  # noqa: E402
from common import BENCH, DATA, machine, run_task, table  # noqa: E402

RESULTS = BENCH / "RESULTS.md"


def _section(title: str, rows: list[dict], columns: list[str]) -> str:
    return f"### {title}\n\n{table(rows, columns)}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", default="10M", help="events: 1M, 10M, 100M (or any count, e.g. 250k)")
    ap.add_argument("--ingest-rows", default="1M", help="rows of the GDELT 1.0 export for the ingest benchmark")
    ap.add_argument("--skip-store", action="store_true", help="skip loading and optimising the DuckDB store")
    ap.add_argument("--skip-kappa", action="store_true", help="skip bench/bench_kappa.py")
    ap.add_argument("--spark", action="store_true", help="also run the aggregation on Spark local[2]")
    ap.add_argument("--memory-limit", help="DuckDB memory_limit for the aggregation (e.g. 3GB)")
    ap.add_argument("--record", action="store_true", help="prepend the tables to bench/RESULTS.md")
    args = ap.parse_args(argv)
    n = synth.parse_rows(args.size)
    label = synth.size_label(n)
    t_start = time.perf_counter()
    sections: list[str] = []

    def show(title, rows, columns):
        text = _section(title, rows, columns)
        print(text, flush=True)
        sections.append(text)

    info = machine()
    print(" ".join(f"{k}={v}" for k, v in info.items()), flush=True)

    parquet = DATA / f"events_{label}.parquet"
    t0 = time.perf_counter()
    if not parquet.exists():
        synth.write_parquet(parquet, n)
    gen = time.perf_counter() - t0
    setup = [{"step": f"synthetic events ({label})", "seconds": gen,
              "note": "generated" if gen > 1 else "existing file"}]

    show(f"Ingest ({args.ingest_rows}-row GDELT 1.0 export)",
         bench_ingest.run(synth.parse_rows(args.ingest_rows)), bench_ingest.COLUMNS)

    db = DATA / f"store_{label}.duckdb"
    if not args.skip_store:
        r = run_task("load_store", parquet=str(parquet), db=str(db))
        setup.append({"step": f"load {r['rows']:,} events into the store", "seconds": r["seconds"],
                      "peak_rss_MB": r["peak_rss_mb"]})
        r = run_task("optimize_store", db=str(db))
        setup.append({"step": "store.layout.optimize (sort by dyad, date)", "seconds": r["seconds"],
                      "peak_rss_MB": r["peak_rss_mb"], "note": f"{r['row_groups']} row groups"})
    sorted_pq = DATA / f"events_{label}.sorted.parquet"
    if not sorted_pq.exists():
        r = run_task("sorted_parquet", src=str(parquet), dst=str(sorted_pq))
        setup.append({"step": "write Parquet sorted by dyad, date", "seconds": r["seconds"],
                      "peak_rss_MB": r["peak_rss_mb"]})
    show("Setup", setup, ["step", "seconds", "peak_rss_MB", "note"])

    show(f"All-dyad monthly QuadClass counts ({label} events)",
         bench_aggregate.run(parquet, db if db.exists() and not args.skip_store else None,
                             memory_limit=args.memory_limit, spark=args.spark),
         bench_aggregate.COLUMNS)
    show(f"One dyad's yearly series ({label} events)",
         bench_dyad.run(parquet, sorted_parquet=sorted_pq, db=db if not args.skip_store else None),
         bench_dyad.COLUMNS)

    kappa = BENCH / "bench_kappa.py"
    if kappa.exists() and not args.skip_kappa:
        proc = subprocess.run([sys.executable, str(kappa)], capture_output=True, text=True)
        body = proc.stdout.strip() or proc.stderr.strip()[-2000:]
        text = f"### UN-vote kappa, all directed dyad-years (bench/bench_kappa.py)\n\n{body}\n"
        print(text, flush=True)
        sections.append(text)
    total = time.perf_counter() - t_start
    print(f"total wall time {total:.0f} s", flush=True)

    if args.record:
        head = (f"## {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC — `python bench/run.py "
                f"{' '.join(argv if argv is not None else sys.argv[1:])}` ({total:.0f} s)\n\n"
                + "Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()) + "\n\n")
        block = head + "\n".join(sections) + "\n"
        old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
        marker = "<!-- newest first -->"
        if marker in old:
            pre, post = old.split(marker, 1)
            RESULTS.write_text(pre + marker + "\n\n" + block + post.lstrip("\n"), encoding="utf-8")
        else:
            RESULTS.write_text(old + "\n" + marker + "\n\n" + block, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
