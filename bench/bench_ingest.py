"""Ingest speed: a GDELT 1.0 export through dyadwatch vs pandas.read_csv of the same file.

dyadwatch's figure is the real ingest path (``store.ingest.ingest_file`` with
the ``gdelt1`` reader: parse, map to canonical rows, reject bad lines, merge
into the store on ``event_id`` in one transaction). The baseline only parses
the file into a DataFrame (GDELT column names and dtypes). Target: >= 5x
pandas. Each side runs in its own process (peak RSS is its own). Two more
dyadwatch rows: the same ingest without the default memory bound
(``DYADWATCH_MEMORY_LIMIT=80%``) and with the reader's exact, line-numbered
path forced (what every file took before the fast path for clean files).

    python bench/bench_ingest.py --rows 1M --repeat 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, run_task, table  # noqa: E402


def ensure_export(rows: int) -> Path:
    """The synthetic GDELT 1.0 export with ``rows`` rows (generated when missing)."""
    import synth

    label = synth.size_label(rows)
    tsv = DATA / f"synth_{label}.export.CSV"
    if not tsv.exists():
        pq = DATA / f"events_{label}.parquet"
        if not pq.exists():
            synth.write_parquet(pq, rows)
        synth.write_gdelt1_export(pq, tsv, limit=rows)
    return tsv


#: the dyadwatch variants measured: (label, task arguments)
VARIANTS = (
    ("dyadwatch ingest_file (gdelt1)", {}),
    ("  same, DYADWATCH_MEMORY_LIMIT=80% (no bound)", {"memory_limit": "80%"}),
    ("  same, exact path forced (as before the fast path)", {"exact": True}),
)


def run(rows: int = 1_000_000, repeat: int = 1) -> list[dict]:
    """One row per variant and the pandas baseline. With ``repeat`` > 1 every task
    runs that many times, interleaved (variant 1, 2, 3, pandas, variant 1, ...);
    ``seconds`` is the median run, ``range_s`` the fastest and slowest, and the
    ratio compares medians (the machine is shared: single runs vary up to 3x)."""
    import statistics

    tsv = ensure_export(rows)
    mb = tsv.stat().st_size / 1e6
    db = str(DATA / "ingest_bench.duckdb")
    runs: dict[str, list[dict]] = {}
    tasks = [(label, "ingest_dyadwatch", {"db": db, **kwargs}) for label, kwargs in VARIANTS]
    tasks.append(("pandas.read_csv (baseline)", "ingest_pandas", {}))
    for _ in range(repeat):
        for label, task, kwargs in tasks:
            runs.setdefault(label, []).append(run_task(task, tsv=str(tsv), **kwargs))
    for path in (DATA / "ingest_bench.duckdb", DATA / "ingest_bench.duckdb.wal"):
        path.unlink(missing_ok=True)
    med = {label: statistics.median(r["seconds"] for r in rs) for label, rs in runs.items()}
    base = med["pandas.read_csv (baseline)"]
    out = []
    for label, rs in runs.items():
        secs = [r["seconds"] for r in rs]
        row = {"task": "ingest GDELT 1.0 export", "engine": label, "rows": rs[0]["rows"], "file_MB": mb,
               "seconds": med[label], "range_s": f"{min(secs):.1f}-{max(secs):.1f}" if len(secs) > 1 else "",
               "rows_per_s": rs[0]["rows"] / med[label], "peak_rss_MB": max(r["peak_rss_mb"] for r in rs)}
        if label != "pandas.read_csv (baseline)":
            row["ratio"] = f"{base / med[label]:.2f}x pandas" + (" (target >= 5x)" if label == VARIANTS[0][0] else "")
            if rs[0].get("rejected"):
                row["note"] = f"{rs[0]['rejected']} lines rejected"
        out.append(row)
    return out


COLUMNS = ["task", "engine", "rows", "file_MB", "seconds", "range_s", "rows_per_s", "peak_rss_MB", "ratio"]

if __name__ == "__main__":
    import synth

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", default="1M")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each task, interleaved; the median is reported")
    args = ap.parse_args()
    print(table(run(synth.parse_rows(args.rows), repeat=args.repeat), COLUMNS))
