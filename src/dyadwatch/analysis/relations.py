"""Relation classification: friendly, hostile, neutral, mixed — or not enough evidence.

Unit in: a dyad series (one row per period with the four QuadClass counts,
as :func:`dyadwatch.analysis.dyads.dyad_series` returns). Unit out: one row
per period with a label, the posterior probability of every label, the
posterior means of the QuadClass shares and the dyad's salience (its event
count relative to both actors' total coverage that period).

Method
------
The four QuadClass shares ``p = (p1, p2, p3, p4)`` of a dyad-period (verbal
cooperation, material cooperation, verbal conflict, material conflict) get a
Dirichlet posterior ``Dir(PRIOR_ALPHA + counts)`` (the conjugate model for
category counts; Gelman et al., *Bayesian Data Analysis*, 3rd ed., §3.4).
Two summaries of ``p`` decide the label:

- net cooperation ``n = p1 + p2 − p3 − p4`` in [−1, 1] (the series'
  ``net_coop``; Goldstein-free, so it works on aggregated counts), and
- material-conflict share ``m = p4`` in [0, 1] (force, seizure, assault:
  the QuadClass that distinguishes a dispute from a war of words).

The label regions partition the simplex (first matching rule wins):

==========  ===============================================================
hostile     ``n < HOSTILE_MAX_NET`` or ``m >= HOSTILE_MIN_MATERIAL_CONFLICT``
friendly    ``n >= FRIENDLY_MIN_NET`` and ``m < FRIENDLY_MAX_MATERIAL_CONFLICT``
mixed       ``n < MIXED_MAX_NET`` (cooperation and conflict both substantial)
neutral     everything else (moderately cooperative, near the typical tone
            of any two states that deal with each other)
==========  ===============================================================

The probability of each label is the posterior mass of its region,
estimated from ``POSTERIOR_DRAWS`` Dirichlet draws with a fixed seed (so the
output is reproducible). The label is the most probable one, unless the
dyad-period has fewer than ``MIN_EVENTS`` events or the most probable label
has less than ``MIN_LABEL_PROBABILITY``: then it is ``"insufficient
evidence"``. Three cooperative events thus give no label (the uniform prior
still dominates), while 3,000 give one with probability ≈ 1.

Calibration of the thresholds: over the 5,670 undirected ICEWS dyad-years
2002–2014 with at least 200 events (``icews_dyad_year_2002_2014``), net
cooperation has quantiles 2 % −0.005, 5 % 0.25, 10 % 0.46, 20 % 0.66,
50 % 0.88; the material-conflict share has median 0.024, 90 % 0.137,
95 % 0.204 and pooled value 0.069 (ICEWS reports far more cooperation
than conflict between almost every pair). The thresholds sit at points of
that distribution, not at 0, which would call almost every dyad friendly.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dyadwatch import ranges
from dyadwatch.errors import UsageError

#: Dirichlet prior concentration for each QuadClass (1 = uniform over the
#: simplex, Laplace's rule). It keeps a handful of events from producing a
#: confident label: with 3 events the prior weighs 4 against 3.
PRIOR_ALPHA = 1.0

#: Fewer events than this in a period: "insufficient evidence" whatever the
#: shares. A unanimous cooperative record first clears
#: :data:`MIN_LABEL_PROBABILITY` at 8 events (friendly 0.51) and reaches
#: 0.60 at 10, so below 10 no label could be more than a coin flip.
MIN_EVENTS = 10

#: The most probable label must have at least this posterior probability,
#: otherwise the period is "insufficient evidence" (the data cannot tell
#: the leading label from the runner-up).
MIN_LABEL_PROBABILITY = 0.5

#: Friendly needs net cooperation of at least 0.6 (cooperation share ≥ 0.8),
#: about the 18th percentile of well-covered ICEWS dyad-years: Iran–Russia
#: 2002–2014 (0.87–0.98), UK–US (0.66–0.77) and Russia–Syria are above it.
FRIENDLY_MIN_NET = 0.6

#: ...and a material-conflict share below 0.08 (the pooled ICEWS share is
#: 0.069; UK–US years run 0.06–0.07).
FRIENDLY_MAX_MATERIAL_CONFLICT = 0.08

#: Hostile when conflict outweighs cooperation by 20 points of the event mix
#: (net cooperation < −0.2; well below the 2nd percentile, −0.005 —
#: Iran–Israel 2008, 2012, 2014; Iran–Saudi Arabia 2011) ...
HOSTILE_MAX_NET = -0.2

#: ... or when material conflict is at least 18 % of all events (about the
#: 93rd percentile, 2.6 times the pooled share: Russia–Georgia 2008, Russia–Ukraine 2014,
#: Syria–USA 2008 and 2014 all exceed it).
HOSTILE_MIN_MATERIAL_CONFLICT = 0.18

#: Mixed: net cooperation below 0.2 (conflict at least 40 % of events) but
#: not hostile — cooperation and conflict both substantial (Iran–USA
#: 2005–2012: −0.01 to 0.10).
MIXED_MAX_NET = 0.2

#: Dirichlet draws per period (standard error of a label probability
#: ≤ 0.5/sqrt(20000) ≈ 0.0035) and their fixed seed.
POSTERIOR_DRAWS = 20_000
POSTERIOR_SEED = 20_140_522

LABELS = ("friendly", "neutral", "mixed", "hostile")
INSUFFICIENT = "insufficient evidence"
QC_COLUMNS = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")

CLASSIFICATION_COLUMNS = [
    "period", "events", "label", "probability", *[f"p_{lab}" for lab in LABELS],
    "net_coop", "net_coop_mean", "net_coop_lo", "net_coop_hi", "share_verbal_coop", "share_material_coop",
    "share_verbal_conflict", "share_material_conflict", "salience", "coverage_a", "coverage_b",
]


def region_labels(net: np.ndarray, material_conflict: np.ndarray) -> np.ndarray:
    """Label each point (net cooperation, material-conflict share) by the region rules.

    Parameters
    ----------
    net : array of floats in [-1, 1]
    material_conflict : array of floats in [0, 1], same shape

    Returns
    -------
    array of str (one of :data:`LABELS`), same shape.
    """
    net = np.asarray(net, dtype=float)
    m = np.asarray(material_conflict, dtype=float)
    out = np.full(net.shape, "neutral", dtype=object)
    out[net < MIXED_MAX_NET] = "mixed"
    out[(net >= FRIENDLY_MIN_NET) & (m < FRIENDLY_MAX_MATERIAL_CONFLICT)] = "friendly"
    out[(net < HOSTILE_MAX_NET) | (m >= HOSTILE_MIN_MATERIAL_CONFLICT)] = "hostile"
    return out


def label_basis(label: str | None, net_coop, material_share) -> str | None:
    """Why a period is hostile when its net cooperation is not below :data:`HOSTILE_MAX_NET`, else None.

    A period is hostile by either rule (module docstring): conflict outweighing
    cooperation (``n < −0.2``) or material conflict of at least
    :data:`HOSTILE_MIN_MATERIAL_CONFLICT` of the events — so a year can be
    hostile with positive net cooperation (many verbal agreements beside many
    clashes). This sentence states both, so that the label never seems to
    contradict the sign of net cooperation shown beside it: ``"hostile by its
    material conflict (force, seizures, assaults: 24 % of events; hostile from
    18 %), although cooperation outweighs conflict"``.

    ``net_coop`` in [−1, 1] and ``material_share`` in [0, 1] (None/NaN: no sentence).
    """
    if label != "hostile" or net_coop is None or material_share is None or net_coop != net_coop \
            or material_share != material_share or net_coop < HOSTILE_MAX_NET:
        return None
    tail = ("although cooperation outweighs conflict" if net_coop > 0 else
            "although conflict does not outweigh cooperation by the 20 points the other rule needs")
    return (f"hostile by its material conflict (force, seizures, assaults: {100 * material_share:.0f} % of events; "
            f"hostile from {100 * HOSTILE_MIN_MATERIAL_CONFLICT:.0f} %), {tail}")


def label_probabilities(counts, *, draws: int = POSTERIOR_DRAWS, seed: int = POSTERIOR_SEED) -> dict:
    """Posterior probability of each label for one period's QuadClass counts.

    Parameters
    ----------
    counts : sequence of 4 non-negative integers (QuadClass 1..4).
    draws, seed : Monte Carlo size and seed.

    Returns
    -------
    dict: label -> probability in [0, 1] (summing to 1), plus ``net_lo`` and
    ``net_hi`` (the 5 % and 95 % posterior quantiles of net cooperation).

    Raises
    ------
    UsageError
        If ``counts`` is not four non-negative numbers.
    """
    c = np.asarray(counts, dtype=float)
    if c.shape != (4,) or np.any(c < 0) or not np.all(np.isfinite(c)):
        raise UsageError(f"QuadClass counts must be four non-negative numbers, got {list(counts)!r}")
    rng = np.random.default_rng(seed)
    p = rng.dirichlet(c + PRIOR_ALPHA, size=draws)
    net = p[:, 0] + p[:, 1] - p[:, 2] - p[:, 3]
    lab = region_labels(net, p[:, 3])
    out = {k: float(np.mean(lab == k)) for k in LABELS}
    out["net_lo"], out["net_hi"] = (float(x) for x in np.quantile(net, [0.05, 0.95]))
    return out


def classify_counts(series: pd.DataFrame, coverage: pd.DataFrame | None = None) -> pd.DataFrame:
    """Classify every period of a dyad series.

    Parameters
    ----------
    series : DataFrame with ``period`` and the QuadClass count columns
        ``verbal_coop, material_coop, verbal_conflict, material_conflict``
        (``events`` optional: their sum is used). One row per period
        (undirected); a directed series should be summed first.
    coverage : optional DataFrame with ``period, coverage_a, coverage_b`` —
        each actor's total events that period with anyone (see
        :func:`actor_coverage`).

    Returns
    -------
    DataFrame with :data:`CLASSIFICATION_COLUMNS`, one row per period:
    ``label`` (a label or ``"insufficient evidence"``), ``probability`` of
    that label (NaN when insufficient), ``p_<label>`` for each label (NaN
    below ``MIN_EVENTS`` events), ``net_coop`` (observed), ``net_coop_mean``
    (its posterior mean, the point estimate that goes with the interval) and
    a 90 % credible interval ``net_coop_lo``/``net_coop_hi`` of the posterior (NaN
    without events; the posterior is pulled toward the prior, so with few
    events the observed value can lie outside the interval, the posterior
    mean never does), posterior mean shares, and
    ``salience`` = events / (coverage_a + coverage_b − events), the dyad's
    share of the union of both actors' coverage, in [0, 1] (NaN without
    coverage).

    Raises
    ------
    UsageError
        If a required column is missing or a count is negative.
    """
    missing = [c for c in ("period", *QC_COLUMNS) if c not in series.columns]
    if missing:
        raise UsageError(f"dyad series lacks column(s) {', '.join(missing)}; "
                         "expected the columns of analysis.dyads.dyad_series")
    cov = {}
    if coverage is not None and len(coverage):
        cov = {str(r.period): (r.coverage_a, r.coverage_b) for r in coverage.itertuples(index=False)}
    rows = []
    for r in series.itertuples(index=False):
        counts = [int(getattr(r, c) or 0) for c in QC_COLUMNS]
        n = sum(counts)
        probs = label_probabilities(counts)
        if n == 0:  # no evidence at all: the posterior is the prior, which says nothing about the dyad
            probs = {k: float("nan") for k in probs}
        elif n < MIN_EVENTS:  # too little: the label probabilities would mostly be the prior's (2 friendly
            # events showed 'hostile' as the likeliest); the net-cooperation interval stays, wide
            probs = {k: (v if k.startswith("net_") else float("nan")) for k, v in probs.items()}
        best = max(LABELS, key=lambda k: probs[k] if probs[k] == probs[k] else -1.0)
        if n < MIN_EVENTS or probs[best] < MIN_LABEL_PROBABILITY:
            label, prob = INSUFFICIENT, float("nan")
        else:
            label, prob = best, probs[best]
        alpha = np.asarray(counts, dtype=float) + PRIOR_ALPHA
        means = alpha / alpha.sum()
        ca, cb = cov.get(str(r.period), (np.nan, np.nan))
        union = (ca + cb - n) if not (pd.isna(ca) or pd.isna(cb)) else np.nan
        rows.append({
            "period": str(r.period), "events": n, "label": label, "probability": prob,
            **{f"p_{k}": probs[k] for k in LABELS},
            "net_coop": ((counts[0] + counts[1] - counts[2] - counts[3]) / n) if n else np.nan,
            "net_coop_mean": float(means[0] + means[1] - means[2] - means[3]) if n else np.nan,
            "net_coop_lo": probs["net_lo"], "net_coop_hi": probs["net_hi"],
            **{f"share_{c}": float(m) for c, m in zip(QC_COLUMNS, means)},
            "salience": (n / union) if union and union > 0 else np.nan,
            "coverage_a": ca, "coverage_b": cb,
        })
    return pd.DataFrame(rows, columns=CLASSIFICATION_COLUMNS)


def actor_coverage(con, actor: str, *, freq: str = "year", date_from=None, date_to=None,
                   datasets=None) -> pd.DataFrame:
    """Total events an actor took part in (as source or target) per period.

    Follows the series' rule against double counting (see
    :mod:`dyadwatch.analysis.dyads`): at yearly frequency, a year covered by
    ``dyad_counts`` is counted from the counts (all rows where the actor is
    ``src_country`` or ``tgt_country``), other years from ``events``.

    Returns
    -------
    DataFrame with ``period`` (label as in the dyad series) and ``coverage``
    (events, >= 0); periods without any event are absent.
    """
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.dyads import _as_date, _check, _filters, _label

    _check(freq)
    fa = resolve_actor(actor)
    d0, d1 = _as_date(date_from, "from"), _as_date(date_to, "to")
    fcond, fparams = _filters(datasets, None, d0, d1)
    src, p_src = fa.sql("src")
    tgt, p_tgt = fa.sql("tgt")
    use_counts = freq == "year" and fa.column == "country"
    ds_cond = f" AND dataset IN ({', '.join('?' * len(datasets))})" if datasets else ""
    ds_params = list(datasets or [])
    ev_year = ""
    ev_params: list = []
    if use_counts:
        ev_year = (f" AND year(event_date) NOT IN (SELECT DISTINCT year FROM dyad_counts WHERE "
                   f"{ranges.plausible_dyad_counts_sql()}{ds_cond})")
        ev_params = ds_params
    sql = f"""SELECT date_trunc('{freq}', event_date)::DATE AS p, count(*) AS coverage FROM events
              WHERE event_date IS NOT NULL AND ({src} OR {tgt}){fcond}{ev_year} GROUP BY ALL"""
    params = p_src + p_tgt + fparams + ev_params
    if use_counts:
        yc, yp = "", []
        if d0:
            yc += " AND year >= ?"
            yp.append(d0.year)
        if d1:
            yc += " AND year <= ?"
            yp.append(d1.year)
        sql += f""" UNION ALL SELECT make_date(year, 1, 1) AS p,
              sum(verbal_coop + material_coop + verbal_conflict + material_conflict) AS coverage
              FROM dyad_counts WHERE (src_country = ? OR tgt_country = ?) AND {ranges.plausible_dyad_counts_sql()}
              {ds_cond}{yc} GROUP BY ALL"""
        params += [fa.value, fa.value] + ds_params + yp
    df = con.execute(f"SELECT p, sum(coverage) AS coverage FROM ({sql}) GROUP BY p ORDER BY p", params).df()
    if df.empty:
        return pd.DataFrame(columns=["period", "coverage"])
    df["period"] = [_label(freq, pd.Timestamp(p).date()) for p in df["p"]]
    return df[["period", "coverage"]]


def classify_dyad(con, a: str, b: str, *, freq: str = "year", date_from=None, date_to=None,
                  datasets=None) -> pd.DataFrame:
    """Classify the undirected dyad (a, b) in every period of its series.

    Reads the series with :func:`dyadwatch.analysis.dyads.dyad_series`
    (undirected) and each actor's coverage with :func:`actor_coverage`, and
    returns :func:`classify_counts` of them (columns
    :data:`CLASSIFICATION_COLUMNS`).

    Raises
    ------
    UsageError
        Unknown actor, frequency or bad date.
    """
    from dyadwatch.analysis.dyads import dyad_series

    series = dyad_series(con, a, b, freq=freq, date_from=date_from, date_to=date_to, datasets=datasets)
    ca = actor_coverage(con, a, freq=freq, date_from=date_from, date_to=date_to, datasets=datasets)
    cb = actor_coverage(con, b, freq=freq, date_from=date_from, date_to=date_to, datasets=datasets)
    cov = pd.DataFrame({"period": series["period"].astype(str)})
    cov = cov.merge(ca.rename(columns={"coverage": "coverage_a"}), on="period", how="left")
    cov = cov.merge(cb.rename(columns={"coverage": "coverage_b"}), on="period", how="left")
    cov = cov.fillna({"coverage_a": 0, "coverage_b": 0})
    return classify_counts(series, cov)
