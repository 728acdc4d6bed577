"""Ingest speed: a GDELT 1.0 export through dyadwatch vs pandas.read_csv of the same file.

dyadwatch's figure is the real ingest path (``store.ingest.ingest_file`` with
the ``gdelt1`` reader: parse, map to canonical rows, reject bad lines, merge
into the store on ``event_id`` in one transaction). The baseline only parses
the file into a DataFrame (GDELT column names and dtypes). Target: >= 5x
pandas. Each side runs in its own process (peak RSS is its own).

    python bench/bench_ingest.py --rows 1M
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


def run(rows: int = 1_000_000) -> list[dict]:
    tsv = ensure_export(rows)
    mb = tsv.stat().st_size / 1e6
    dw = run_task("ingest_dyadwatch", tsv=str(tsv), db=str(DATA / "ingest_bench.duckdb"))
    pd_ = run_task("ingest_pandas", tsv=str(tsv))
    for path in (DATA / "ingest_bench.duckdb", DATA / "ingest_bench.duckdb.wal"):
        path.unlink(missing_ok=True)
    out = []
    for name, r in (("dyadwatch ingest_file (gdelt1)", dw), ("pandas.read_csv (baseline)", pd_)):
        out.append({"task": "ingest GDELT 1.0 export", "engine": name, "rows": r["rows"],
                    "file_MB": mb, "seconds": r["seconds"], "rows_per_s": r["rows"] / r["seconds"],
                    "peak_rss_MB": r["peak_rss_mb"]})
    ratio = out[0]["rows_per_s"] / out[1]["rows_per_s"]
    out[0]["ratio"] = f"{ratio:.2f}x pandas (target >= 5x)"
    if dw.get("rejected"):
        out[0]["note"] = f"{dw['rejected']} lines rejected"
    return out


COLUMNS = ["task", "engine", "rows", "file_MB", "seconds", "rows_per_s", "peak_rss_MB", "ratio"]

if __name__ == "__main__":
    import synth

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", default="1M")
    args = ap.parse_args()
    print(table(run(synth.parse_rows(args.rows)), COLUMNS))
