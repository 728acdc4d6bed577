"""Benchmark and checks of the UN ideal-point estimator (analysis/idealpoints*.py).

Modes (all read the UN votes of ``--data`` (default ``../shared/data``) into
a temporary store first):

``time`` (default)
    Fit 1946-2019 with the default priors and print wall time, CPU time,
    sweeps, peak RSS; ratio against the per-session first principal
    component (the baseline every ideal-point model must beat in fit).
``cv``
    Choose the priors by held-out vote prediction: votes are split at
    random into folds; for each prior setting the model is fitted without
    fold 1 and scored on fold 1 (mean log predictive probability and the
    share predicted right); the best setting is then scored once on fold 2,
    which no choice looked at.
``validate``
    The validation figures of docs/idealpoints.md: spot values; within-
    session Pearson correlation with the first principal component (median
    and range over sessions); stability of bridging (fit with a random half
    of the bridges cut, correlation with the full fit, pooled and within
    session); the affine fit of three published spot values.

Usage::

    python bench/bench_idealpoints.py [time|cv|validate] [--data ../shared/data] [--threads 2]
        [--published published.csv]   (validate; or $DYADWATCH_BSV_PUBLISHED)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent


def _store(data: Path, tmp: str):
    import dyadwatch

    dw = dyadwatch.open(os.path.join(tmp, "bench.duckdb"))
    u = data / "unvotes"
    dw.ingest([u / "un_roll_calls.csv", u / "un_roll_call_issues.csv", u / "un_votes.parquet"])
    return dw


def _pc_by_session(arrays):
    """First principal component of each session's vote matrix (the baseline), as a (S, T) array."""
    from dyadwatch.analysis import idealpoints_model as m

    S, T = arrays["n_states"], arrays["n_sessions"]
    cell = arrays["state"] * T + arrays["session"]
    # anchor: none; the sign is aligned to the model afterwards
    th = m._first_pc_start(cell, arrays["session"], arrays["rollcall"], arrays["y"], S * T, T, np.full(T, -1))
    return th.reshape(S, T)


def _within(a, b, has):
    rs = []
    for t in range(a.shape[1]):
        m = has[:, t]
        if m.sum() >= 10:
            r = np.corrcoef(a[m, t], b[m, t])[0, 1]
            rs.append(abs(r))
    return np.array(rs)


def _predict(fit, arrays, idx):
    """Log predictive probability and hit (mode = vote) of the votes ``idx`` under ``fit``."""
    from dyadwatch.analysis import idealpoints_kernels as K

    th = np.nan_to_num(fit.theta)
    lp, hit = [], []
    for i in idx:
        s, t, k, y = arrays["state"][i], arrays["session"][i], arrays["item"][i], arrays["y"][i]
        mu = fit.beta[k] * th[s, t]
        probs = [np.exp(K.vote_terms(v, mu, fit.c1[k], fit.c2[k])[4]) for v in (0, 1, 2)]
        lp.append(np.log(probs[y]))
        hit.append(int(np.argmax(probs) == y))
    return float(np.mean(lp)), float(np.mean(hit))


def _fit(arrays, keep, priors, anchor):
    from dyadwatch.analysis import idealpoints_model as m

    sub = {k: (v[keep] if isinstance(v, np.ndarray) else v) for k, v in arrays.items()}
    return m.fit(**sub, anchor=anchor, priors=priors, max_iter=500)


def run_cv(con, args) -> dict:
    from dyadwatch.analysis import idealpoints as ip
    from dyadwatch.analysis import idealpoints_model as m

    arrays, states, info = ip._load(con)
    anchor = int(np.searchsorted(states, "USA"))
    n = arrays["y"].size
    rng = np.random.default_rng(20240617)
    fold = rng.integers(0, 20, n)  # 5 % folds
    f1, f2 = np.nonzero(fold == 0)[0], np.nonzero(fold == 1)[0]
    grid = [m.Priors(omega=w, sd_beta=b) for w in (0.1, 0.2, 0.3, 0.5, 1.0) for b in (1.0, 2.5, 5.0)]
    if args.quick:
        grid = [m.Priors(omega=w) for w in (0.1, 0.3, 1.0)]
    rows = []
    for p in grid:
        t0 = time.perf_counter()
        fit = _fit(arrays, fold != 0, p, anchor)
        lp, hit = _predict(fit, arrays, f1[:: max(1, f1.size // 20000)])
        rows.append({**asdict(p), "heldout_logp": lp, "heldout_hit": hit, "sweeps": fit.iterations,
                     "seconds": time.perf_counter() - t0})
        print(json.dumps(rows[-1]), flush=True)
    best = max(rows, key=lambda r: r["heldout_logp"])
    p = m.Priors(**{k: best[k] for k in asdict(m.Priors())})
    fit = _fit(arrays, fold != 1, p, anchor)
    lp2, hit2 = _predict(fit, arrays, f2[:: max(1, f2.size // 20000)])
    out = {"grid": rows, "chosen": asdict(p), "fold2_logp": lp2, "fold2_hit": hit2}
    print(json.dumps({k: v for k, v in out.items() if k != "grid"}), flush=True)
    return out


def run_time(con, args) -> dict:
    from dyadwatch.analysis import idealpoints as ip

    c0, t0 = time.process_time(), time.perf_counter()
    df, rec = ip.estimate(con)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    arrays, _, _ = ip._load(con)
    t1 = time.perf_counter()
    _pc_by_session(arrays)
    pc_wall = time.perf_counter() - t1
    out = {"task": "ideal points 1946-2019", "rows": len(df), "votes": rec["n_votes"], "items": rec["n_items"],
           "bridged_roll_calls": rec["n_bridged"], "sweeps": rec["iterations"], "converged": rec["converged"],
           "seconds": wall, "cpu_seconds": cpu, "pc_baseline_seconds": pc_wall,
           "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "load_avg": "/".join(f"{x:.1f}" for x in os.getloadavg())}
    print(json.dumps(out), flush=True)
    return out


def run_validate(con, args) -> dict:
    from dyadwatch.analysis import idealpoints as ip

    df, rec = ip.estimate(con)
    arrays, states, info = ip._load(con)
    S, T = arrays["n_states"], arrays["n_sessions"]
    theta = np.full((S, T), np.nan)
    si = np.searchsorted(states, df["iso3"].to_numpy())
    theta[si, df["session"].to_numpy() - 1] = df["ideal_point"].to_numpy()
    has = ~np.isnan(theta)
    pc = _pc_by_session(arrays)
    r_pc = _within(theta, pc, has)
    spot = {f"{s} {t}": float(df[(df.iso3 == s) & (df.session == t)]["ideal_point"].iloc[0])
            for s, t in (("USA", 1), ("RUS", 70), ("IRN", 70), ("CHN", 70), ("USA", 70))}
    # bridging stability: cut a random half of the bridged items (each of their roll calls its own item)
    from dyadwatch.analysis import idealpoints_model as m

    rng = np.random.default_rng(7)
    item = arrays["item"].copy()
    counts = np.bincount(item)
    multi = np.nonzero(counts > 0)[0]
    rc_items = np.zeros(arrays["rollcall"].max() + 1, dtype=np.int64)
    rc_items[arrays["rollcall"]] = item
    sess_of_rc = np.zeros_like(rc_items)
    sess_of_rc[arrays["rollcall"]] = arrays["session"]
    bridged = [k for k in multi if np.unique(sess_of_rc[rc_items == k]).size > 1]
    cut = set(rng.choice(bridged, size=len(bridged) // 2, replace=False).tolist())
    new_item = np.where(np.isin(item, list(cut)), arrays["n_items"] + arrays["rollcall"], item)
    _, new_item = np.unique(new_item, return_inverse=True)
    half = {**arrays, "item": new_item, "n_items": int(new_item.max() + 1)}
    fit_half = m.fit(**half, anchor=int(np.searchsorted(states, "USA")), max_iter=500)
    th2 = fit_half.theta
    both = has & ~np.isnan(th2)
    r_half_within = _within(theta, th2, both)
    out = {
        "spot": spot,
        "within_session_r_vs_first_pc": {"median": float(np.median(r_pc)), "min": float(r_pc.min()),
                                         "p10": float(np.percentile(r_pc, 10)), "sessions": int(r_pc.size)},
        "bridges": {"bridged_items": len(bridged), "cut": len(cut),
                    "pooled_r_half_vs_full": float(np.corrcoef(theta[both], th2[both])[0, 1]),
                    "within_r_half_vs_full_median": float(np.median(r_half_within)),
                    "within_r_half_vs_full_min": float(r_half_within.min())},
        "fit": {k: rec[k] for k in ("iterations", "converged", "seconds", "n_items", "n_bridged")},
    }
    if args.published:
        out["published"] = _against_published(df, Path(args.published))
    # affine map of our scale onto the published one from two spot values, checked on the third
    a = (0.19 - (-1.46)) / (spot["RUS 70"] - spot["IRN 70"])
    b = 0.19 - a * spot["RUS 70"]
    out["affine_from_RUS70_IRN70"] = {"slope": a, "intercept": b, "USA 1 predicted": a * spot["USA 1"] + b,
                                      "USA 1 published": 1.68}
    print(json.dumps(out, indent=1), flush=True)
    return out


def _against_published(df, path: Path) -> dict:
    """Pearson r of our estimates with published ones (a CSV with ``iso3, session, ideal_point``):
    pooled over the matched state-sessions, and within each session with >= 10 matched states.

    The published estimates are not in the repository; pass a file you obtained (validation only).
    The published ``YUG`` after 2000 (session 55 on) is Serbia: matched to our ``SRB``."""
    import pandas as pd

    pub = pd.read_csv(path, usecols=["iso3", "session", "ideal_point"]).rename(columns={"ideal_point": "published"})
    pub.loc[(pub["iso3"] == "YUG") & (pub["session"] >= 55), "iso3"] = "SRB"
    j = pub.merge(df[["iso3", "session", "ideal_point"]], on=["iso3", "session"])
    within = [np.corrcoef(g["published"], g["ideal_point"])[0, 1] for _, g in j.groupby("session") if len(g) >= 10]
    return {"file": str(path), "matched": int(len(j)), "states": int(j["iso3"].nunique()),
            "pooled_r": float(np.corrcoef(j["published"], j["ideal_point"])[0, 1]),
            "within_r_median": float(np.median(within)) if within else None,
            "within_r_min": float(np.min(within)) if within else None, "within_sessions": len(within)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", nargs="?", default="time", choices=("time", "cv", "validate"))
    ap.add_argument("--data", default=str(REPO.parent / "shared" / "data"))
    ap.add_argument("--threads", type=int, default=2, help="numba threads")
    ap.add_argument("--quick", action="store_true", help="cv: three settings only")
    ap.add_argument("--published", default=os.environ.get("DYADWATCH_BSV_PUBLISHED"),
                    help="validate: CSV of published estimates (iso3, session, ideal_point) to correlate with")
    args = ap.parse_args(argv)
    import numba

    numba.set_num_threads(min(args.threads, numba.config.NUMBA_NUM_THREADS))
    with tempfile.TemporaryDirectory(prefix="dw-ip-") as tmp:
        dw = _store(Path(args.data), tmp)
        try:
            {"time": run_time, "cv": run_cv, "validate": run_validate}[args.mode](dw.con, args)
        finally:
            dw.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
