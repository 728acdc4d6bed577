"""Benchmark: the dyad-year panel of all COW dyad-years 1946-2014 with every ``add_*`` (issue 17).

Prepares a store from ``--data`` (default ``../shared/data``): the peacesciencer
mirror (state lists, majors, NMC, IGOs, ATOP, UCDP, MIDs, wars, rivalries),
the UN votes, the ICEWS dyad-year counts and the ICEWS event sample, then fits the UN ideal points
once (timed separately). Then each build runs in its own child process
(``bench_panels.py build``) so that its peak resident memory (``ru_maxrss``)
is the build's own: first the rows alone (the baseline), then the same rows
with every measure, each written to Parquet. Prints wall time, peak RSS,
rows and columns, and the ratio of the full build to the baseline.

Usage::

    python bench/bench_panels.py [--data ../shared/data] [--from 1946] [--to 2014] [--undirected]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ALL = "majors,nmc,igos,atop,ucdp,unvotes,idealpoints,events,mids,wars,rivalries"


def _prepare(data: Path, db: str) -> dict:
    import dyadwatch

    files = sorted((data / "peacesciencer").glob("*"))
    u = data / "unvotes"
    files += [u / "un_roll_calls.csv", u / "un_roll_call_issues.csv", u / "un_votes.parquet"]
    files += sorted((data / "events" / "icews_dyadyear").glob("*.parquet"))  # ICEWS dyad-year counts 2002-2014
    files += sorted((data / "events" / "icews_dataverse").glob("events.*.tab"))  # ICEWS event rows (a sample)
    from dyadwatch.errors import FormatNotRecognisedError
    from dyadwatch.sources import formats

    def known(f: Path) -> bool:
        try:
            return f.is_file() and formats.detect(f) is not None
        except FormatNotRecognisedError:  # e.g. ucdp_onsets.csv: no reader, no panel measure
            return False

    dw = dyadwatch.open(db)
    try:
        t = time.perf_counter()
        summaries = dw.ingest([f for f in files if known(f)])
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        dw.idealpoints()
        fit_s = time.perf_counter() - t
    finally:
        dw.close()
    return {"files": len(summaries), "rows_ingested": sum(s.rows_stored for s in summaries),
            "rejected": sum(s.rows_rejected for s in summaries), "ingest_s": ingest_s, "idealpoints_fit_s": fit_s}


def _build(db: str, out: str, lo: int, hi: int, directed: bool, add: str) -> dict:
    import pyarrow.parquet as pq

    import dyadwatch

    dw = dyadwatch.open(db)
    try:
        t = time.perf_counter()
        p = dw.create_dyadyears(system="cow", years=(lo, hi), directed=directed)
        if add:
            p = p.add(add)
        rows = p.write(out)
        secs = time.perf_counter() - t
    finally:
        dw.close()
    meta = pq.read_metadata(out)
    return {"seconds": secs, "rows": rows, "columns": meta.num_columns, "parquet_mb": os.path.getsize(out) / 1e6,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd")
    b = sub.add_parser("build")  # the child process
    b.add_argument("--db", required=True)
    b.add_argument("--out", required=True)
    b.add_argument("--add", default="")
    for a in (ap, b):
        a.add_argument("--from", dest="lo", type=int, default=1946)
        a.add_argument("--to", dest="hi", type=int, default=2014)
        a.add_argument("--undirected", action="store_true")
    ap.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = ap.parse_args()
    if args.cmd == "build":
        print(json.dumps(_build(args.db, args.out, args.lo, args.hi, not args.undirected, args.add)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.duckdb")
        prep = _prepare(args.data, db)
        print(json.dumps({"prepare": prep}))
        res = {}
        for name, add in (("rows only (baseline)", ""), ("every add_*", ALL)):
            cmd = [sys.executable, __file__, "build", "--db", db, "--out", os.path.join(tmp, "p.parquet"),
                   "--add", add, "--from", str(args.lo), "--to", str(args.hi)]
            if args.undirected:
                cmd.append("--undirected")
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                sys.exit(f"build {name} failed:\n{proc.stderr[-3000:]}")
            res[name] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(json.dumps({name: res[name]}))
        base, full = res["rows only (baseline)"], res["every add_*"]
        print(f"load average {os.getloadavg()[0]:.1f}; every add_* / rows only: time "
              f"{full['seconds'] / base['seconds']:.2f}x, peak RSS {full['peak_rss_mb'] / base['peak_rss_mb']:.2f}x")


if __name__ == "__main__":
    main()
