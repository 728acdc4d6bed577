"""Ingest speed of the POLECAT, ACLED and UCDP GED readers vs pandas.read_csv of the same file.

Each reader parses with Python's csv module, checks every field and maps it
to canonical rows (``sources/polecat.py``, ``acled.py``, ``ucdp_ged.py``);
the baseline only parses the file into a DataFrame. Files are synthetic
(rows built like the tests' rows, ids varied). Each measurement runs in a
fresh process (peak RSS is its own); the ratio is dyadwatch's seconds over
pandas' in the same run.

    python bench/bench_newer_readers.py --rows 200000
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_files(d: Path, rows: int) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT))
    from tests.sources import test_acled_reader as acled
    from tests.sources import test_polecat_reader as polecat
    from tests.sources import test_ucdp_ged_reader as ged

    out = {}
    p = d / "polecat.txt"
    with p.open("w", encoding="utf-8") as fh:
        fh.write(polecat.HEAD + "\n")
        for i in range(rows):
            fh.write(polecat.row(f"E{i}") + "\n")
    out["polecat"] = p
    for name, mod, cols in (("acled", acled, acled.COLS), ("ucdp-ged", ged, ged.COLS)):
        p = d / f"{name}.csv"
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(cols)
            for i in range(rows):
                w.writerow(mod.rec(f"SYR{i}" if name == "acled" else str(i + 1)))
        out[name] = p
    return out


def child(kind: str, fmt: str, path: str, db: str) -> None:
    t0 = time.perf_counter()
    if kind == "dyadwatch":
        from dyadwatch.store.db import connect, ensure_schema
        from dyadwatch.store.ingest import ingest_file

        con = connect(db)
        ensure_schema(con)
        s = ingest_file(con, Path(path), format=fmt)
        n = s.rows_stored
    else:
        import pandas as pd

        n = len(pd.read_csv(path, sep="\t" if fmt == "polecat" else ",", dtype=str, quoting=3 if fmt == "polecat"
                            else 0, keep_default_na=False))
    secs = time.perf_counter() - t0
    print(json.dumps({"rows": n, "seconds": secs, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--child", nargs=4)
    a = ap.parse_args()
    if a.child:
        child(*a.child)
        return
    with tempfile.TemporaryDirectory() as d:
        files = write_files(Path(d), a.rows)
        print(f"| reader | rows | MB | dyadwatch s | rows/s | peak MB | pandas.read_csv s | peak MB | ratio |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for fmt, path in files.items():
            res = {}
            for kind in ("dyadwatch", "pandas"):
                out = subprocess.run([sys.executable, __file__, "--child", kind, fmt, str(path), f"{d}/{fmt}.duckdb"],
                                     capture_output=True, text=True, check=True).stdout
                res[kind] = json.loads(out.strip().splitlines()[-1])
            dw, pdv = res["dyadwatch"], res["pandas"]
            print(f"| {fmt} | {dw['rows']:,} | {path.stat().st_size / 1e6:.0f} | {dw['seconds']:.1f} | "
                  f"{dw['rows'] / dw['seconds']:,.0f} | {dw['peak_mb']:,.0f} | {pdv['seconds']:.1f} | "
                  f"{pdv['peak_mb']:,.0f} | {dw['seconds'] / pdv['seconds']:.1f}x pandas time |")


if __name__ == "__main__":
    main()
