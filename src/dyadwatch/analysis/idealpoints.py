"""UN General Assembly ideal points per state and session (Bailey, Strezhnev & Voeten 2017).

Entry points (the CLI and ``dyadwatch.api`` call these):

- :func:`ideal_points` - ``iso3, year, session, ideal_point, lo, hi, n_votes``
  for every state-session with at least one vote, from the stored fit when
  it is current, else estimated (and stored when the store is writable);
- :func:`estimate` - fit the model to the stored votes now (no caching);
- :func:`dyad_distance` - ``|ideal_point_a - ideal_point_b|`` per year, for
  ``align``, ``partners``, the panels and the report.

Model and estimator: :mod:`dyadwatch.analysis.idealpoints_model` (a
one-dimensional dynamic ordered-probit model of yes/abstain/no votes,
posterior mode by block-coordinate Newton ascent, Laplace intervals);
bridges between sessions: :mod:`dyadwatch.analysis.idealpoints_bridges`.

Units: ``ideal_point`` is on BSV's normalised scale (all observed
state-sessions pooled: mean 0, sd 1), oriented so the United States is positive; ``lo, hi`` the
95 % Laplace interval (conditional on the item parameters); ``n_votes`` the
yes/abstain/no votes the state cast in the session (absences are not
votes). ``year = 1945 + session`` (session 1 opened in 1946; a session's
votes run into the next calendar year). Rows exist only for state-sessions
with a vote: the model also carries states through sessions they missed
(South Africa 1974-1993), but reports nothing there.

Reference: Bailey, Michael A., Anton Strezhnev and Erik Voeten. 2017.
"Estimating Dynamic State Preferences from United Nations Voting Data."
*Journal of Conflict Resolution* 61(2): 430-456. Their published estimates
use the full Voeten data and MCMC; these are our own estimates of the same
model from the votes in the store (see ``docs/idealpoints.md`` for how
they were checked).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict

import duckdb
import numpy as np
import pandas as pd

from dyadwatch.analysis import idealpoints_model as model
from dyadwatch.analysis.idealpoints_bridges import bridge_items
from dyadwatch.analysis.states import state, year_range
from dyadwatch.errors import UsageError

#: bump when the model, the bridges or the defaults change: stored fits are then refitted
MODEL_VERSION = 2  # 2: BSV normalisation (pooled mean 0, sd 1), omega 0.7, amendments/paragraphs after 1989 and unanimous votes dropped
ANCHOR = "USA"
COLUMNS = ["iso3", "year", "session", "ideal_point", "lo", "hi", "n_votes"]
Z95 = 1.959963984540054


def session_year(session: int) -> int:
    """Calendar year a UN General Assembly session opened in (session 1 = 1946)."""
    return 1945 + int(session)


def _require_votes(con) -> None:
    try:
        n = con.execute("SELECT (SELECT count(*) FROM un_votes) * (SELECT count(*) FROM un_roll_calls)").fetchall()
    except duckdb.CatalogException:
        n = [(0,)]
    if not n[0][0]:
        raise UsageError("the store holds no UN votes and roll calls",
                         hint="dyadwatch ingest un_roll_calls.csv un_votes.parquet (or dyadwatch fetch unvotes)")


def fingerprint(con) -> str:
    """What a fit read: vote and roll-call counts, their last batches, and :data:`MODEL_VERSION`."""
    (nv, bv), = con.execute("SELECT count(*), coalesce(max(batch_id), 0) FROM un_votes").fetchall()
    (nr, br), = con.execute("SELECT count(*), coalesce(max(batch_id), 0) FROM un_roll_calls").fetchall()
    return f"v{MODEL_VERSION}:votes={nv}@{bv}:roll_calls={nr}@{br}"


def _load(con, sessions: tuple[int, int] | None = None):
    """Votes of roll calls with a session and a state: arrays for the model, and their labels.

    As BSV's data processing (``UN_DataProcessing.R``): votes on amendments and on paragraphs
    after 1989 are dropped (from 1990 the Voeten data record them separately from the
    resolution's own vote, which would count one text twice), and so are roll calls on which
    every state voted alike (they inform no ideal point). ``sessions = (first, last)`` keeps
    those sessions only (for tests and checks); sessions keep their numbers.
    """
    rc = con.execute("SELECT rcid, session, coalesce(short, '') AS short, coalesce(descr, '') AS descr "
                     "FROM un_roll_calls WHERE session IS NOT NULL AND session >= 1 "
                     "AND NOT (coalesce(year, 0) > 1989 AND (coalesce(amend, 0) = 1 OR coalesce(para, 0) = 1)) "
                     "ORDER BY rcid").df()
    if sessions is not None:
        rc = rc[(rc["session"] >= sessions[0]) & (rc["session"] <= sessions[1])].reset_index(drop=True)
    items = bridge_items(rc)
    votes = con.execute("SELECT v.rcid, v.iso3, v.vote_code FROM un_votes v "
                        "WHERE v.iso3 IS NOT NULL AND v.vote_code IN (1, 2, 3)").df()
    votes = votes.merge(items[["rcid", "session", "item"]], on="rcid", how="inner")
    spread = votes.groupby("rcid")["vote_code"].transform("nunique")
    votes = votes[spread > 1].reset_index(drop=True)
    if votes.empty:
        raise UsageError("no stored UN vote belongs to a stored roll call with a session",
                         hint="ingest un_roll_calls.csv with the votes")
    states, st = np.unique(votes["iso3"].to_numpy(dtype=str), return_inverse=True)
    sessions = np.arange(1, int(votes["session"].max()) + 1)
    # items present in the votes only, renumbered densely
    used, item = np.unique(votes["item"].to_numpy(), return_inverse=True)
    rcs, rci = np.unique(votes["rcid"].to_numpy(), return_inverse=True)
    y = (3 - votes["vote_code"].to_numpy()).astype(np.int64)  # yes 1 -> 2, abstain 2 -> 1, no 3 -> 0
    arrays = dict(state=st, session=votes["session"].to_numpy() - 1, rollcall=rci, item=item, y=y,
                  n_states=states.size, n_sessions=sessions.size, n_items=used.size)
    used_rc = items[items["rcid"].isin(rcs)]
    info = {"n_votes": int(len(votes)), "n_roll_calls": int(rcs.size), "n_items": int(used.size),
            "n_bridged": int(used_rc["bridged"].sum())}
    return arrays, states, info


def estimate(con, *, priors: model.Priors | None = None, tol: float = 1e-4,
             max_iter: int = 500) -> tuple[pd.DataFrame, dict]:
    """Fit the model to the votes in the store now.

    Returns
    -------
    (DataFrame, dict)
        :data:`COLUMNS` plus ``sd``, one row per state-session with a vote,
        sorted by iso3 and session; and the fit's record (counts, priors,
        iterations, converged, seconds, log_posterior, fingerprint).

    Raises
    ------
    UsageError
        No UN votes or roll calls in the store.
    """
    _require_votes(con)
    priors = priors or model.Priors()
    t0 = time.perf_counter()
    arrays, states, info = _load(con)
    anchor = int(np.searchsorted(states, ANCHOR)) if ANCHOR in states else None
    fit = model.fit(**arrays, anchor=anchor, priors=priors, tol=tol, max_iter=max_iter)
    s_idx, t_idx = np.nonzero(fit.n_votes > 0)
    theta, sd = fit.theta[s_idx, t_idx], fit.sd[s_idx, t_idx]
    df = pd.DataFrame({
        "iso3": states[s_idx], "year": t_idx + 1946, "session": t_idx + 1,
        "ideal_point": theta, "lo": theta - Z95 * sd, "hi": theta + Z95 * sd,
        "n_votes": fit.n_votes[s_idx, t_idx].astype("int64"), "sd": sd,
    }).sort_values(["iso3", "session"], kind="mergesort").reset_index(drop=True)
    record = {**info, "priors": json.dumps(asdict(priors)), "iterations": fit.iterations,
              "converged": bool(fit.converged), "seconds": time.perf_counter() - t0,
              "log_posterior": fit.log_post, "fingerprint": fingerprint(con)}
    return df, record


def stored_fit(con) -> dict | None:
    """The stored fit's record when it is current (same fingerprint as the votes now), else None."""
    try:
        rows = con.execute("SELECT * FROM un_ideal_point_fits ORDER BY fit_id DESC LIMIT 1").df()
    except duckdb.CatalogException:
        return None
    if rows.empty or rows["fingerprint"].iloc[0] != fingerprint(con):
        return None
    return rows.iloc[0].to_dict()


def _store(con, df: pd.DataFrame, record: dict) -> int:
    fit_id = con.execute("SELECT coalesce(max(fit_id), 0) + 1 FROM un_ideal_point_fits").fetchall()[0][0]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM un_ideal_points")
        con.register("_dw_ip", df.assign(fit_id=fit_id))
        con.execute("INSERT INTO un_ideal_points (iso3, session, year, ideal_point, sd, lo, hi, n_votes, fit_id) "
                    "SELECT iso3, session, year, ideal_point, sd, lo, hi, n_votes, fit_id FROM _dw_ip")
        con.unregister("_dw_ip")
        con.execute("INSERT INTO un_ideal_point_fits VALUES (?, current_timestamp, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [fit_id, record["fingerprint"], record["n_votes"], record["n_roll_calls"], record["n_items"],
                     record["n_bridged"], record["priors"], record["iterations"], record["converged"],
                     record["seconds"], record["log_posterior"]])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return fit_id


def ensure(con, *, refit: bool = False) -> tuple[pd.DataFrame, dict]:
    """All ideal points: the stored ones when current (and not ``refit``), else a new fit, stored
    when the store is writable (a read-only store gets the estimates for this call only).

    Returns ``(frame, record)`` as :func:`estimate`; ``record["stored"]`` says whether it was stored
    (or read from the store).
    """
    _require_votes(con)
    rec = None if refit else stored_fit(con)
    if rec is not None:
        df = con.execute(f"SELECT {', '.join(COLUMNS)}, sd FROM un_ideal_points ORDER BY iso3, session").df()
        return df, {**rec, "stored": True}
    df, rec = estimate(con)
    try:
        rec["fit_id"] = _store(con, df, rec)
        rec["stored"] = True
    except (duckdb.InvalidInputException, duckdb.TransactionException, duckdb.CatalogException):
        rec["stored"] = False  # a read-only store: the estimates serve this call only
    return df, rec


def ideal_points(con, *, years=None, states=None, refit: bool = False) -> pd.DataFrame:
    """Ideal points of the states (ISO3 or names; None = all) in the years (see ``analysis.states.year_range``).

    Returns
    -------
    DataFrame with :data:`COLUMNS` (see the module docstring), sorted by iso3
    and session; ``df.attrs["fit"]`` holds the fit's record.

    Raises
    ------
    UsageError
        Unknown state; first year after the last; no UN votes in the store.
    """
    lo, hi = year_range(years)
    isos = [state(s) for s in states] if states else None
    df, rec = ensure(con, refit=refit)
    keep = np.ones(len(df), bool)
    if lo is not None:
        keep &= df["year"].to_numpy() >= lo
    if hi is not None:
        keep &= df["year"].to_numpy() <= hi
    if isos:
        keep &= df["iso3"].isin(isos).to_numpy()
    out = df.loc[keep, COLUMNS].reset_index(drop=True)
    out["n_votes"] = out["n_votes"].astype("int64")
    out.attrs["fit"] = rec
    return out


def stored(con) -> pd.DataFrame | None:
    """The stored estimates (``iso3, year, session, ideal_point``) when they are current, else None.

    Never fits: for commands that add the ideal-point distance beside other
    measures (``align``, ``partners``, the report) without making the user
    wait for a fit; ``dyadwatch idealpoints`` (or :func:`ensure`) makes them.
    """
    if stored_fit(con) is None:
        return None
    return con.execute("SELECT iso3, year, session, ideal_point FROM un_ideal_points").df()


def add_distance(df: pd.DataFrame, points: pd.DataFrame | None, *, a: str = "a", b: str = "b",
                 by: str = "year") -> pd.DataFrame:
    """Add ``ip_distance`` = ``|ideal point of a - ideal point of b|`` to ``df`` (columns ``a``, ``b``, ``by``).

    ``points`` as :func:`stored` returns (None: the column is all NULL). A
    calendar year is matched to the session that opened in it.
    """
    out = df.copy()
    if points is None or out.empty:
        out["ip_distance"] = float("nan")
        return out
    pts = points.set_index(["iso3", by])["ideal_point"]
    pa_ = pts.reindex(list(zip(out[a], out[by]))).to_numpy()
    pb_ = pts.reindex(list(zip(out[b], out[by]))).to_numpy()
    out["ip_distance"] = np.abs(pa_ - pb_)
    return out


def dyad_distance(con, a: str, b: str, *, years=None) -> pd.DataFrame:
    """Ideal-point distance of two states per year: ``year, session, ideal_point_a, ideal_point_b,
    ip_distance`` (``|a - b|`` >= 0, on the normalised scale), for sessions in which both voted.

    Uses the stored estimates when current, else :func:`ensure` (which may fit).
    """
    sa, sb = state(a), state(b)
    df = ideal_points(con, years=years, states=[sa, sb])
    pa = df[df["iso3"] == sa].set_index("session")["ideal_point"]
    pb = df[df["iso3"] == sb].set_index("session")["ideal_point"]
    both = pd.concat([pa.rename("ideal_point_a"), pb.rename("ideal_point_b")], axis=1, join="inner").sort_index()
    both["ip_distance"] = (both["ideal_point_a"] - both["ideal_point_b"]).abs()
    both.insert(0, "year", [session_year(s) for s in both.index])
    return both.reset_index().rename(columns={"index": "session"})[
        ["year", "session", "ideal_point_a", "ideal_point_b", "ip_distance"]]
