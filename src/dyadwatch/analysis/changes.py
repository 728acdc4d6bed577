"""Change points in a dyad series: when a relationship changed, and how much.

Unit in: a dyad series (one row per period, :func:`dyad_series` columns).
Unit out: one row per detected break with its date, the level before and
after, and (from the store) the events around it that moved most.

Method
------
Each measure is segmented with PELT (Killick, Fearnhead & Eckley 2012,
*JASA* 107:1590–1598) as implemented in ``ruptures`` (Truong, Oudre &
Vayatis 2020), with the Gaussian mean-shift cost ``"l2"``. The penalty per
break is the BIC-type penalty

    pen = BIC_FACTOR · σ̂² · ln(T)

for a series of T periods: each break adds one new mean and one location
(two parameters, hence ``BIC_FACTOR = 2``, Schwarz 1978; Lavielle 2005 for
its use in change-point selection). σ̂ is the noise standard deviation,
estimated robustly from first differences: σ̂ = 1.4826 · MAD(diff(x)) / √2,
so that the jumps themselves do not inflate it, and never below a floor in
the measure's unit (``MEASURE_SIGMA_FLOOR``), so that a flat series does not
report negligible shifts as breaks.

Measures (:data:`MEASURES`): ``net_coop`` (in [−1, 1]), ``conflict_share``
((QC3 + QC4) / events, in [0, 1]), ``volume`` (ln(1 + events), so that a
doubling counts the same at any level) and ``salience`` (ln of the dyad's
events over the union of both actors' coverage, see
:mod:`dyadwatch.analysis.relations`: volume normalised for how much the
sources report on either actor, so a change of source coverage does not
show as a break). Periods without events have no
``net_coop``/``conflict_share`` and are left out of those two.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from dyadwatch.errors import UsageError

#: Penalty factor per break (two parameters per break: new mean and location).
BIC_FACTOR = 2.0
#: Shortest segment, in periods (a single odd period is not a regime).
MIN_SEGMENT = 2
#: Noise floor as a fraction of the series' range when σ̂ = 0 (generic series).
SIGMA_FLOOR = 0.01
MEASURES = ("net_coop", "conflict_share", "volume", "salience")
#: Smallest noise standard deviation assumed for each measure, in its unit.
#: A dyad whose net cooperation sits at 0.99–1.00 has σ̂ ≈ 0 and would
#: otherwise report a 0.01 "break". 0.05 net cooperation (0.025 of conflict
#: share) is the sampling error of a share from about 400 events; 0.1 in
#: ln(1 + events) is a 10 % change in volume. Breaks much smaller than about
#: twice these floors are not reported.
MEASURE_SIGMA_FLOOR = {"net_coop": 0.05, "conflict_share": 0.025, "volume": 0.1, "salience": 0.1}

BREAK_COLUMNS = ["measure", "period", "period_start", "before", "after", "change",
                 "segment_before", "segment_after", "penalty", "datasets_before", "datasets_after",
                 "sources_differ"]


def measure_values(series: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The values of one measure per period of a dyad series.

    Returns
    -------
    DataFrame with ``period``, ``period_start`` and ``value`` (periods
    without events dropped for ratio measures).

    Raises
    ------
    UsageError
        Unknown measure or missing columns.
    """
    if measure not in MEASURES:
        raise UsageError(f"unknown measure {measure!r}; choose one of: {', '.join(MEASURES)}")
    need = ["period", "events", "verbal_conflict", "material_conflict", "net_coop"]
    missing = [c for c in need if c not in series.columns]
    if missing:
        raise UsageError(f"dyad series lacks column(s) {', '.join(missing)}")
    df = series.copy()
    if "period_start" not in df.columns:
        df["period_start"] = df["period"]
    ev = df["events"].astype(float)
    if measure == "salience":
        if "salience" not in df.columns:
            raise UsageError("the salience measure needs a 'salience' column (see dyad_changes)")
        sal = df["salience"].astype(float)
        val = np.log(sal.where(sal > 0))
    elif measure == "volume":
        val = np.log1p(ev)
    elif measure == "net_coop":
        val = df["net_coop"].astype(float)
    else:
        val = (df["verbal_conflict"].astype(float) + df["material_conflict"].astype(float)) / ev.where(ev > 0)
    ds = df["datasets"].fillna("").astype(str) if "datasets" in df.columns else pd.Series([""] * len(df))
    out = pd.DataFrame({"period": df["period"].astype(str), "period_start": df["period_start"], "value": val,
                        "datasets": ds.to_numpy()})
    if measure != "volume":
        out = out[ev.to_numpy() > 0]
    return out.dropna(subset=["value"]).reset_index(drop=True)


def bic_penalty(values: np.ndarray, sigma_floor: float = 0.0) -> float:
    """The BIC-type penalty 2·σ̂²·ln(T) of the module docstring (σ̂ from MAD of differences,
    at least ``sigma_floor``)."""
    x = np.asarray(values, dtype=float)
    t = len(x)
    if t < 2:
        return 0.0
    d = np.diff(x)
    sigma = 1.4826 * float(np.median(np.abs(d - np.median(d)))) / math.sqrt(2)
    rng = float(np.ptp(x))
    sigma = max(sigma, SIGMA_FLOOR * rng, sigma_floor, 1e-12)
    return BIC_FACTOR * sigma ** 2 * math.log(t)


def _cost_l2_cumsum():
    """ruptures' l2 cost (a segment's sum of squared deviations from its mean, ``CostL2``) from
    running sums: Σx² − (Σx)²/n over the segment, O(1) per segment instead of O(n) (the same values
    up to rounding; the series is centred first so the running sums stay small)."""
    from ruptures.base import BaseCost

    class CostL2Cumsum(BaseCost):
        model = "l2"
        min_size = 1

        def fit(self, signal):
            self.signal = x = np.asarray(signal, dtype=float).reshape(len(signal), -1)
            x = x - x.mean(axis=0)
            self.s1 = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(x, axis=0)])
            self.s2 = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(x * x, axis=0)])
            return self

        def error(self, start, end):
            n = end - start
            s1 = self.s1[end] - self.s1[start]
            return float(max(0.0, (self.s2[end] - self.s2[start] - s1 * s1 / n).sum()))

    return CostL2Cumsum()


def detect_breaks(values, *, penalty: float | None = None, min_size: int = MIN_SEGMENT) -> list[int]:
    """Indices where a new segment starts (PELT, l2 cost, BIC penalty).

    Parameters
    ----------
    values : 1-D sequence of floats (no NaN), length T.
    penalty : override of :func:`bic_penalty`.
    min_size : shortest segment in periods.

    Returns
    -------
    Sorted list of indices in 1..T-1; index i means the level changes
    between period i-1 and period i. Empty when T < 2·min_size.
    """
    import ruptures as rpt

    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or np.any(~np.isfinite(x)):
        raise UsageError("change-point input must be a 1-D series of finite numbers")
    if len(x) < 2 * min_size:
        return []
    pen = bic_penalty(x) if penalty is None else float(penalty)
    algo = rpt.Pelt(custom_cost=_cost_l2_cumsum(), min_size=min_size, jump=1).fit(x.reshape(-1, 1))
    bkps = algo.predict(pen=pen)
    return [int(b) for b in bkps if b < len(x)]


def series_breaks(series: pd.DataFrame, measures=MEASURES) -> pd.DataFrame:
    """Change points of each measure of a dyad series.

    Returns
    -------
    DataFrame with :data:`BREAK_COLUMNS`: ``period`` is the first period of
    the new level; ``before``/``after`` are the means of the segments on
    each side (in the measure's unit); ``change`` = after − before;
    ``segment_before``/``segment_after`` give each segment's first..last
    period; ``penalty`` the penalty used; ``datasets_before``/``_after`` the
    datasets each segment's counts come from, and ``sources_differ`` true when
    they differ — then the break may be an artefact of a change of source
    (coverage), not of the relationship.
    """
    rows = []
    for m in measures:
        if m == "salience" and "salience" not in series.columns and tuple(measures) == MEASURES:
            continue  # the default list: salience only where coverage is known
        mv = measure_values(series, m)
        x = mv["value"].to_numpy(dtype=float)
        if len(x) < 2 * MIN_SEGMENT:
            continue
        pen = bic_penalty(x, MEASURE_SIGMA_FLOOR[m])
        idx = detect_breaks(x, penalty=pen)
        edges = [0, *idx, len(x)]
        for k, i in enumerate(idx):
            lo, hi = edges[k], edges[k + 2]
            before, after = float(np.mean(x[lo:i])), float(np.mean(x[i:hi]))
            dsb = sorted({d for v in mv["datasets"][lo:i] for d in v.split(",") if d})
            dsa = sorted({d for v in mv["datasets"][i:hi] for d in v.split(",") if d})
            rows.append({
                "measure": m, "period": mv["period"][i], "period_start": mv["period_start"][i],
                "before": before, "after": after, "change": after - before,
                "segment_before": f"{mv['period'][lo]}..{mv['period'][i - 1]}",
                "segment_after": f"{mv['period'][i]}..{mv['period'][hi - 1]}",
                "penalty": pen, "datasets_before": ",".join(dsb), "datasets_after": ",".join(dsa),
                "sources_differ": dsb != dsa,
            })
    return pd.DataFrame(rows, columns=BREAK_COLUMNS)


def quad_class_shift(series: pd.DataFrame, period: str, window: int = 1) -> dict:
    """Which QuadClass moved most around a break.

    Compares the summed counts of the ``window`` periods before ``period``
    with the ``window`` periods from ``period`` on.

    Returns
    -------
    dict: QuadClass column -> change in count (after − before), and
    ``moved_most`` (the column with the largest absolute change).
    """
    s = series.reset_index(drop=True)
    pos = s.index[s["period"].astype(str) == str(period)]
    if len(pos) == 0:
        return {}
    i = int(pos[0])
    cols = ["verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]
    before = s.iloc[max(0, i - window):i][cols].sum()
    after = s.iloc[i:i + window][cols].sum()
    delta = {c: int(after[c] - before[c]) for c in cols}
    delta["moved_most"] = max(cols, key=lambda c: abs(delta[c]))
    return delta


def dyad_changes(con, a: str, b: str, *, freq: str = "year", date_from=None, date_to=None,
                 datasets=None, measures=MEASURES, n_events: int = 5, series: pd.DataFrame | None = None) -> dict:
    """Change points of the dyad (a, b) with the evidence around each break.

    ``series``: the undirected series of the same arguments when the caller already has it
    (``dyad_series(con, a, b, freq=freq, date_from=date_from, date_to=date_to, datasets=datasets)``,
    not modified), so it is not computed twice; None computes it here.

    Returns
    -------
    dict with ``series`` (the undirected dyad series), ``breaks`` (list of
    dicts: :data:`BREAK_COLUMNS` plus ``quad_class_shift`` — see
    :func:`quad_class_shift` — and ``events``: the ``n_events`` most intense
    events (|Goldstein|, then mentions) of the break's period and the one
    before it, as dicts of :data:`dyadwatch.analysis.dyads.TOP_EVENT_COLUMNS`;
    empty where only aggregated counts exist).

    Raises
    ------
    UsageError
        Unknown actor, frequency, measure or bad date.
    """
    from dyadwatch.analysis.dyads import dyad_series, top_events

    from dyadwatch.analysis.relations import actor_coverage

    if series is None:
        series = dyad_series(con, a, b, freq=freq, date_from=date_from, date_to=date_to, datasets=datasets)
    if "salience" in measures and len(series):
        cov = {}
        for side, actor in (("a", a), ("b", b)):
            c = actor_coverage(con, actor, freq=freq, date_from=date_from, date_to=date_to, datasets=datasets)
            cov[side] = dict(zip(c["period"].astype(str), c["coverage"]))
        p = series["period"].astype(str)
        ca = p.map(cov["a"]).fillna(0).astype(float)
        cb = p.map(cov["b"]).fillna(0).astype(float)
        union = ca + cb - series["events"].astype(float)
        series = series.assign(salience=(series["events"].astype(float) / union.where(union > 0)))
    breaks = series_breaks(series, measures)
    periods = series["period"].astype(str).tolist()
    out = []
    ev = None
    if len(breaks):
        ev = top_events(con, a, b, freq=freq, n=n_events, date_from=date_from, date_to=date_to,
                        datasets=datasets)
    for br in breaks.to_dict("records"):
        br["quad_class_shift"] = quad_class_shift(series, br["period"])
        i = periods.index(br["period"]) if br["period"] in periods else -1
        around = {br["period"]} | ({periods[i - 1]} if i > 0 else set())
        rows = ev[ev["period"].isin(around)] if ev is not None and len(ev) else pd.DataFrame()
        if len(rows):
            rows = rows.assign(_abs=rows["goldstein"].abs()).sort_values(
                ["_abs", "mentions"], ascending=False, na_position="last").drop(columns="_abs")
        br["events"] = rows.head(n_events).to_dict("records")
        out.append(br)
    return {"series": series, "breaks": out}


#: the unit a break level is shown in, per measure (see :func:`readable_level`)
#: (volume and salience are segmented in logs, so a segment's level is a geometric mean, and says so)
LEVEL_UNITS = {"net_coop": "−1…+1", "conflict_share": "share of events, 0…1",
               "volume": "events per period, geometric mean over the segment",
               "salience": "% of both states' events, geometric mean over the segment"}
#: readable names of the measures
MEASURE_NAMES = {"net_coop": "net cooperation", "conflict_share": "conflict share", "volume": "event volume",
                 "salience": "salience"}


def readable_level(measure: str, value: float | None) -> tuple[float | None, str]:
    """A segment level in the unit a reader counts in, and that unit's name.

    ``volume`` is segmented as ln(1 + events) and shown as events per period
    (exp(level) − 1: the geometric mean of 1 + events, minus one);
    ``salience`` as ln(share) and shown in % (100·exp(level)); ``net_coop``
    and ``conflict_share`` are shown as they are. Returns ``(number, unit)``
    (number None when ``value`` is None or NaN).

    Raises
    ------
    UsageError
        Unknown measure.
    """
    if measure not in LEVEL_UNITS:
        raise UsageError(f"unknown measure {measure!r}; choose one of: {', '.join(MEASURES)}")
    if value is None or value != value:
        return None, LEVEL_UNITS[measure]
    if measure == "volume":
        return float(math.expm1(value)), LEVEL_UNITS[measure]
    if measure == "salience":
        return float(math.exp(value) * 100.0), LEVEL_UNITS[measure]
    return float(value), LEVEL_UNITS[measure]


def level_text(measure: str, value: float | None) -> str:
    """``"0.88"``, ``"5,604 events"``, ``"2.4 %"`` (see :func:`readable_level`); ``"—"`` for None."""
    v, _unit = readable_level(measure, value)
    if v is None:
        return "—"
    if measure == "volume":
        return f"{v:,.0f} events"
    if measure == "salience":
        return f"{v:.1f} %"
    return f"{v:.2f}"
