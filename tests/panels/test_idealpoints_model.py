"""The ideal-point estimator recovers known ideal points from simulated votes, and its parts are exact."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import norm

from dyadwatch.analysis import idealpoints_kernels as K
from dyadwatch.analysis import idealpoints_model as M


def simulate(seed: int = 3, S: int = 60, T: int = 8, per_session: int = 40, bridged: int = 10, omega: float = 0.3,
             p_absent: float = 0.1):
    """Votes of a dynamic ordinal model with known ideal points.

    Each session has ``per_session`` roll calls; ``bridged`` of them are the same items in every
    session (the same resolution voted again), the rest are new items. Returns the arrays for
    :func:`M.fit` and the true ideal points (S, T).
    """
    rng = np.random.default_rng(seed)
    theta = np.zeros((S, T))
    theta[:, 0] = rng.normal(0, 1, S)
    for t in range(1, T):
        theta[:, t] = theta[:, t - 1] + rng.normal(0, omega, S)
    # a few states enter late and one leaves early
    start = np.zeros(S, int)
    start[:6] = rng.integers(1, T // 2, 6)
    end = np.full(S, T - 1)
    end[6] = T - 3
    n_new = per_session - bridged
    n_items = bridged + n_new * T
    beta = rng.normal(0, 1.5, n_items)
    beta[np.abs(beta) < 0.3] = 0.3
    c1 = rng.normal(0, 1, n_items)
    c2 = c1 + np.abs(rng.normal(0.6, 0.3, n_items))
    rows = []
    rc = 0
    for t in range(T):
        items = list(range(bridged)) + list(range(bridged + t * n_new, bridged + (t + 1) * n_new))
        for k in items:
            for i in range(S):
                if not start[i] <= t <= end[i] or rng.random() < p_absent:
                    continue
                ystar = beta[k] * theta[i, t] + rng.normal()
                y = 0 if ystar < c1[k] else (1 if ystar < c2[k] else 2)
                rows.append((i, t, rc, k, y))
            rc += 1
    a = np.array(rows)
    live = np.zeros((S, T), bool)
    for i in range(S):
        live[i, start[i]:end[i] + 1] = True
    arrays = dict(state=a[:, 0], session=a[:, 1], rollcall=a[:, 2], item=a[:, 3], y=a[:, 4],
                  n_states=S, n_sessions=T, n_items=n_items)
    return arrays, theta, live


@pytest.fixture(scope="module")
def sim_fit():
    arrays, theta, live = simulate()
    fit = M.fit(**arrays, anchor=0 if theta[0].mean() > 0 else None, priors=M.Priors(omega=0.3))
    est = fit.theta.copy()
    if np.corrcoef(est[live], theta[live])[0, 1] < 0:  # the model's sign is arbitrary without an anchor
        est = -est
    return fit, est, theta, live


def test_idealpoints_model_recovers_simulated_ideal_points(sim_fit):
    fit, est, theta, live = sim_fit
    assert fit.converged, fit.history[-5:]
    pooled = np.corrcoef(est[live], theta[live])[0, 1]
    within = [np.corrcoef(est[live[:, t], t], theta[live[:, t], t])[0, 1] for t in range(theta.shape[1])]
    assert pooled >= 0.95, pooled
    assert min(within) >= 0.93, within
    assert np.median(within) >= 0.95, within


def test_idealpoints_model_keeps_sessions_comparable(sim_fit):
    """Changes over time are recovered, not only the order within a session: the per-state change
    from the first to the last session correlates with the true change."""
    fit, est, theta, live = sim_fit
    full = live[:, 0] & live[:, -1]
    # the model's scale is its own: compare after the affine map fitted on all cells
    slope, icpt = np.polyfit(est[live], theta[live], 1)
    mapped = slope * est + icpt
    d_est = mapped[full, -1] - mapped[full, 0]
    d_true = theta[full, -1] - theta[full, 0]
    assert np.corrcoef(d_est, d_true)[0, 1] >= 0.8


def test_idealpoints_model_intervals_cover_truth(sim_fit):
    fit, est, theta, live = sim_fit
    slope, icpt = np.polyfit(est[live], theta[live], 1)
    lo = slope * (est - 1.96 * fit.sd) + icpt
    hi = slope * (est + 1.96 * fit.sd) + icpt
    lo, hi = np.minimum(lo, hi), np.maximum(lo, hi)
    inside = ((theta >= lo) & (theta <= hi))[live & (fit.n_votes > 0)]
    # Laplace intervals conditional on the items: close to nominal, somewhat narrow
    assert 0.80 <= inside.mean() <= 0.995, inside.mean()


def test_idealpoints_model_beats_first_principal_component():
    """The model recovers the truth better than each session's first principal component."""
    arrays, theta, live = simulate(seed=11, p_absent=0.35)
    fit = M.fit(**arrays, priors=M.Priors(omega=0.3))
    S, T = arrays["n_states"], arrays["n_sessions"]
    cell = arrays["state"] * T + arrays["session"]
    pc = M._first_pc_start(cell, arrays["session"], arrays["rollcall"], arrays["y"], S * T, T,
                           np.full(T, -1)).reshape(S, T)
    has = fit.n_votes > 0
    r_model = [abs(np.corrcoef(fit.theta[has[:, t], t], theta[has[:, t], t])[0, 1]) for t in range(T)]
    r_pc = [abs(np.corrcoef(pc[has[:, t], t], theta[has[:, t], t])[0, 1]) for t in range(T)]
    assert np.median(r_model) > np.median(r_pc), (r_model, r_pc)


def test_idealpoints_model_orients_anchor_positive():
    arrays, theta, live = simulate(seed=5)
    anchor = int(np.argmin(theta[:, 0]))  # a state on the negative side of the truth
    fit = M.fit(**arrays, anchor=anchor)
    has = fit.n_votes[anchor] > 0
    assert np.mean(fit.theta[anchor][has]) > 0


@pytest.mark.parametrize("y, mu, c1, c2", [(0, 0.3, -0.2, 0.4), (1, 0.3, -0.2, 0.4), (2, 0.3, -0.2, 0.4),
                                           (0, 9.0, -1.0, 1.0), (2, -9.0, -1.0, 1.0), (1, 12.0, 0.5, 0.7),
                                           (1, -12.0, 0.5, 0.7)])
def test_idealpoints_kernel_probabilities_match_scipy(y, mu, c1, c2):
    A, B, a, b, logp = K.vote_terms(y, mu, c1, c2)
    lower = [-np.inf, c1, c2][y] - mu
    upper = [c1, c2, np.inf][y] - mu
    p = norm.cdf(upper) - norm.cdf(lower) if lower < 0 else norm.sf(lower) - norm.sf(upper)
    assert logp == pytest.approx(np.log(p), rel=1e-9)
    assert A == pytest.approx(0.0 if y == 0 else norm.pdf(lower) / p, rel=1e-9)
    assert B == pytest.approx(0.0 if y == 2 else norm.pdf(upper) / p, rel=1e-9)


def test_idealpoints_kernel_gradient_matches_finite_differences():
    """The summed score and Hessian w.r.t. one ideal point equal numerical derivatives of log L."""
    rng = np.random.default_rng(0)
    n, K_ = 50, 50
    cell = np.zeros(n, np.int64)
    item = np.arange(n, dtype=np.int64)
    y = rng.integers(0, 3, n).astype(np.int8)
    beta = rng.normal(0, 1, K_)
    c1 = rng.normal(-0.3, 0.5, K_)
    c2 = c1 + 0.5

    def loglik(th):
        return K.theta_sums(cell, item, y, np.array([th]), beta, c1, c2, 1, 2)[2]

    th = 0.37
    g, h, _ = K.theta_sums(cell, item, y, np.array([th]), beta, c1, c2, 1, 2)
    eps = 1e-5
    assert g[0] == pytest.approx((loglik(th + eps) - loglik(th - eps)) / (2 * eps), rel=1e-5)
    assert h[0] == pytest.approx((loglik(th + eps) - 2 * loglik(th) + loglik(th - eps)) / eps ** 2, rel=1e-3)


def test_idealpoints_model_rejects_bad_input():
    with pytest.raises(ValueError, match="no votes"):
        M.fit([], [], [], [], [], n_states=1, n_sessions=1, n_items=1)
    with pytest.raises(ValueError, match="vote index"):
        M.fit([0], [0], [0], [0], [3], n_states=1, n_sessions=1, n_items=1)


def test_add_distance_matches_hand_values_and_leaves_unknown_null():
    import pandas as pd

    from dyadwatch.analysis.idealpoints import add_distance

    pts = pd.DataFrame({"iso3": ["USA", "IRN", "USA"], "year": [2015, 2015, 2016], "session": [70, 70, 71],
                        "ideal_point": [1.5, -1.25, 1.75]})
    df = pd.DataFrame({"a": ["USA", "USA", "IRN"], "b": ["IRN", "IRN", "RUS"], "year": [2015, 2016, 2015]})
    out = add_distance(df, pts)
    assert out["ip_distance"].iloc[0] == pytest.approx(2.75)
    assert out["ip_distance"].iloc[1:].isna().all()  # IRN has no 2016 point; RUS none at all
    by_session = add_distance(df.rename(columns={"year": "session"}).assign(session=[70, 71, 70]), pts,
                              by="session")
    assert by_session["ip_distance"].iloc[0] == pytest.approx(2.75) and by_session["ip_distance"].iloc[1:].isna().all()
    assert add_distance(df, None)["ip_distance"].isna().all()
