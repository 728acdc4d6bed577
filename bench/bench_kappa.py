"""Benchmark: every directed dyad-year of UN-vote similarity, DuckDB vs pandas.

Computes agreement, S, Cohen's kappa and Scott's pi for all directed
dyad-years of the UN General Assembly votes (all states, all years; about
870,000 votes in the ``../shared/data/unvotes`` files) two ways in the same
process:

* **dyadwatch**: :func:`dyadwatch.analysis.alignment.all_dyad_years` - one
  vectorised DuckDB query over the store (self-join on the roll call once
  per unordered pair, aggregate, mirror);
* **baseline**: a straightforward pandas implementation - for each year,
  merge the year's votes with themselves on ``rcid`` and ``groupby`` the
  directed dyad, then the same formulas (per year, so memory stays bounded).

It prints both wall times, their ratio, the number of dyad-years and the
largest absolute difference between the two results (they must agree).

Usage::

    python bench/bench_kappa.py [--data ../shared/data] [--years 1946 2019] [--threads 2]
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def pandas_baseline(votes: pd.DataFrame) -> pd.DataFrame:
    """All directed dyad-years with ``merge`` + ``groupby`` (``votes``: rcid, year, iso3, vote_code)."""
    parts = []
    for year, v in votes.groupby("year", sort=True):
        v = v[["rcid", "iso3", "vote_code"]]
        j = v.merge(v, on="rcid", suffixes=("_a", "_b"))
        j = j[j["iso3_a"] != j["iso3_b"]]
        va, vb = j["vote_code_a"].to_numpy(), j["vote_code_b"].to_numpy()
        j = j.assign(d=np.abs(va - vb), a1=va == 1, a2=va == 2, a3=va == 3, b1=vb == 1, b2=vb == 2, b3=vb == 3)
        g = j.groupby(["iso3_a", "iso3_b"], sort=False).agg(
            n=("d", "size"), d=("d", "sum"), a1=("a1", "sum"), a2=("a2", "sum"), a3=("a3", "sum"),
            b1=("b1", "sum"), b2=("b2", "sum"), b3=("b3", "sum")).reset_index()
        g["year"] = year
        parts.append(g)
    g = pd.concat(parts, ignore_index=True).rename(columns={"iso3_a": "a", "iso3_b": "b"})
    n = g["n"].astype(float)
    d_obs = g["d"] / n
    dexp_c = ((g.a1 * g.b2 + g.a2 * g.b1 + g.a2 * g.b3 + g.a3 * g.b2) + 2 * (g.a1 * g.b3 + g.a3 * g.b1)) / n ** 2
    p1, p2, p3 = (g.a1 + g.b1) / (2 * n), (g.a2 + g.b2) / (2 * n), (g.a3 + g.b3) / (2 * n)
    dexp_p = 2 * (p1 * p2 + p2 * p3) + 4 * p1 * p3
    g["agree"] = 1 - d_obs / 2
    g["s"] = 1 - d_obs
    g["kappa"] = (1 - d_obs / dexp_c).where(dexp_c > 0)
    g["pi"] = (1 - d_obs / dexp_p).where(dexp_p > 0)
    return g[["a", "b", "year", "n", "agree", "s", "kappa", "pi"]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("DYADWATCH_SHARED_DATA",
                                                     str(Path(__file__).resolve().parents[2] / "shared" / "data")))
    ap.add_argument("--years", nargs=2, type=int, default=None, metavar=("FIRST", "LAST"))
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    args = ap.parse_args(argv)

    from dyadwatch.analysis import alignment
    from dyadwatch.api import Dyadwatch

    data = Path(args.data) / "unvotes"
    files = [data / "un_roll_calls.csv", data / "un_roll_call_issues.csv", data / "un_votes.parquet"]
    if not all(f.exists() for f in files):
        print(f"UN votes files not found under {data} (give --data)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        dw = Dyadwatch(Path(tmp) / "bench.duckdb")
        t0 = time.perf_counter()
        dw.ingest(files)
        t_ingest = time.perf_counter() - t0
        if args.threads:
            dw.con.execute(f"SET threads = {int(args.threads)}")
        years = tuple(args.years) if args.years else None
        n_votes = dw.con.execute("SELECT count(*) FROM un_votes").fetchall()[0][0]

        gc.collect()
        t0 = time.perf_counter()
        ours = alignment.all_dyad_years(dw.con, years=years)
        t_duck = time.perf_counter() - t0

        lo, hi = years or (-10**6, 10**6)
        votes = dw.con.execute(
            "SELECT v.rcid, r.year, v.iso3, v.vote_code::INTEGER AS vote_code FROM un_votes v "
            "JOIN un_roll_calls r USING (rcid) WHERE r.year BETWEEN ? AND ?", [lo, hi]).df()
        gc.collect()
        t0 = time.perf_counter()
        base = pandas_baseline(votes)
        t_pandas = time.perf_counter() - t0
        dw.close()

    m = ours.merge(base, on=["a", "b", "year"], suffixes=("", "_pd"), how="outer", indicator=True)
    only = (m["_merge"] != "both").sum()
    diff = max(float(np.nanmax(np.abs(m[c] - m[c + "_pd"]))) for c in ("n", "agree", "s", "kappa", "pi"))
    print(f"votes: {n_votes:,}  (ingest of the three files: {t_ingest:.1f} s)")
    print(f"directed dyad-years: dyadwatch {len(ours):,}, pandas {len(base):,}, in only one: {only}")
    print(f"dyadwatch all_dyad_years (one DuckDB query): {t_duck:8.2f} s")
    print(f"pandas merge+groupby baseline (per year):    {t_pandas:8.2f} s")
    print(f"speed-up: {t_pandas / t_duck:.1f}x   max |difference|: {diff:.2e}")
    return 0 if only == 0 and diff < 1e-9 else 1


if __name__ == "__main__":
    sys.exit(main())
