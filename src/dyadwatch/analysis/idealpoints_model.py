"""The dynamic ordinal ideal-point model of UN General Assembly votes, fitted without MCMC.

Model (Bailey, Strezhnev & Voeten 2017, "Estimating Dynamic State
Preferences from United Nations Voting Data", *Journal of Conflict
Resolution* 61(2): 430-456, section "A Dynamic Ordinal Spatial Model")
---------------------------------------------------------------------
State ``i`` in session ``t`` has ideal point ``theta[i, t]`` on one
dimension. Its vote ``y`` on roll call ``j`` (0 = no, 1 = abstain, 2 = yes)
is an ordered probit of ``mu = beta[k] * theta[i, t]``, where ``k`` is the
*item* of roll call ``j``::

    P(no)      = Phi(c1[k] - mu)
    P(abstain) = Phi(c2[k] - mu) - Phi(c1[k] - mu)
    P(yes)     = 1 - Phi(c2[k] - mu)          with c1[k] <= c2[k]

Roll calls on an identical resolution in different sessions share one item
(the same ``beta``, ``c1``, ``c2``): these *bridges* make sessions
comparable (BSV 2017: "resolutions that are identical across sessions").
Priors: ``theta`` at a state's first session ~ N(0, 1); then a random walk
``theta[i, t] ~ N(theta[i, t-1], omega^2)``; ``beta ~ N(0, sd_beta^2)``;
``c1, c2 ~ N(0, sd_cut^2)``; and (our addition, see :class:`Priors`) every
``theta[i, t] ~ N(0, sd_level^2)``. Sessions inside a state's span without a
vote are latent (bridged by the random walk), not reported.

Identification as BSV's code (``UN_Ideal_Rcpp.R`` in the authors' repository
evoeten/United-Nations-General-Assembly-Votes-and-Ideal-Points): location
and scale by normalising all observed state-sessions pooled to mean 0, sd 1
(after every sweep, with the items rescaled so the likelihood is unchanged);
the sign by the anchor (the United States positive).

Estimation
----------
The posterior mode (MAP) by block-coordinate Newton ascent, vectorised with
numpy: one exact Newton step for all ideal points given the items (the
log posterior is concave in ``theta`` for fixed items, Pratt 1981; each
state's Hessian is tridiagonal, solved by the Thomas algorithm across all
states at once), then one Newton step for all items given the ideal points
(concave in ``(c1, c2, beta)``, a batched 3x3 solve), until the largest
change of an ideal point is below ``tol``. Start: the first principal
component of each session's votes, signed so that ``anchor`` (the United
States) is positive.

Intervals: a Laplace approximation. The precision of a state's ideal-point
path is its tridiagonal Hessian at the mode (observed information of its
votes plus the random-walk prior); the marginal variance of each session is
the diagonal of its inverse. ``lo, hi`` = mode -/+ ``z`` standard deviations.
They are conditional on the item parameters (which ~190 states inform), so
somewhat narrower than a full posterior interval.

Units: the normalised scale (pooled mean 0, sd 1 over observed
state-sessions), oriented so that the anchor state's mean is positive: the
published BSV estimates' scale (see ``docs/idealpoints.md`` for the check).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dyadwatch.analysis import idealpoints_kernels as K_



@dataclass(frozen=True)
class Priors:
    """Prior scales of the model, in units of the normalised scale (all observed state-sessions
    pooled have mean 0 and sd 1, as in Bailey, Strezhnev & Voeten 2017).

    omega : sd of a state's ideal-point change from one session to the next (random walk).
    sd_entry : sd of the ideal point at a state's first session (mean 0; BSV: N(0, 1)).
    sd_beta : sd of the discrimination ``beta`` (mean 0; BSV: N(0, 1)).
    sd_cut : sd of the cut-points ``c1, c2`` (mean 0; BSV: flat on [-7, 7]).
    sd_level : sd of a N(0, sd_level^2) prior on *every* state-session's ideal point, on top of the
        random walk (None = none). Not in BSV's model: it stands in for what their posterior
        *means* do and a posterior *mode* does not. A bloc that votes as one at the edge of a
        session (the Soviet bloc 1946-1989) has a likelihood that keeps rising as the bloc moves
        out; the mode then puts Russia near -4.5, and the pooled normalisation squeezes every other
        state (post-1990 sessions came out at half the published spread). With it the mode matches
        the published estimates' scale across sessions (``docs/idealpoints.md``).

    Defaults (omega, sd_level) were chosen on the odd sessions of a published sample and checked on
    the even ones (``docs/idealpoints.md``); the rest are BSV's.
    """

    omega: float = 0.2
    sd_entry: float = 1.0
    sd_beta: float = 1.0
    sd_cut: float = 5.0
    sd_level: float | None = 1.0


@dataclass
class Fit:
    """Result of :func:`fit`.

    theta, sd : (n_states, n_sessions) posterior modes and Laplace sds (NaN outside a state's span).
    n_votes : (n_states, n_sessions) votes cast (yes/abstain/no) per cell; 0 = latent cell.
    beta, c1, c2 : (n_items,) item parameters.
    iterations, converged, max_change : how the ascent ended.
    log_post : log posterior at the mode (up to a constant).
    """

    theta: np.ndarray
    sd: np.ndarray
    n_votes: np.ndarray
    beta: np.ndarray
    c1: np.ndarray
    c2: np.ndarray
    iterations: int
    converged: bool
    max_change: float
    log_post: float
    history: list = field(default_factory=list)


def _thomas(diag, off, rhs):
    """Solve tridiagonal symmetric systems row-wise (one per state), vectorised over rows."""
    n = diag.shape[1]
    cp = np.zeros_like(diag)
    dp = np.zeros_like(diag)
    cp[:, 0] = off[:, 0] / diag[:, 0] if n > 1 else 0.0
    dp[:, 0] = rhs[:, 0] / diag[:, 0]
    for t in range(1, n):
        den = diag[:, t] - off[:, t - 1] * cp[:, t - 1]
        if t < n - 1:
            cp[:, t] = off[:, t] / den
        dp[:, t] = (rhs[:, t] - off[:, t - 1] * dp[:, t - 1]) / den
    x = np.zeros_like(diag)
    x[:, -1] = dp[:, -1]
    for t in range(n - 2, -1, -1):
        x[:, t] = dp[:, t] - cp[:, t] * x[:, t + 1]
    return x


def _inverse_diagonal(diag, off):
    """Diagonal of the inverse of each row's symmetric tridiagonal matrix (forward/backward pivots)."""
    n = diag.shape[1]
    fwd = np.zeros_like(diag)
    bwd = np.zeros_like(diag)
    fwd[:, 0] = diag[:, 0]
    for t in range(1, n):
        fwd[:, t] = diag[:, t] - off[:, t - 1] ** 2 / fwd[:, t - 1]
    bwd[:, -1] = diag[:, -1]
    for t in range(n - 2, -1, -1):
        bwd[:, t] = diag[:, t] - off[:, t] ** 2 / bwd[:, t + 1]
    return 1.0 / (fwd + bwd - diag)


def _first_component(m, iterations: int = 100):
    """Scores on the first principal component of the centred matrix ``m`` (power iteration)."""
    v = np.abs(m).sum(axis=0) + 1.0
    v /= np.linalg.norm(v)
    for _ in range(iterations):
        w = m.T @ (m @ v)
        norm = np.linalg.norm(w)
        if norm == 0:
            break
        v = w / norm
    return m @ v


def _first_pc_start(cell, sess, rollcall, y, n_cells, n_sess, anchor_cells):
    """Start values: each session's first principal component of the votes, unit variance,
    signed so the anchor state (when it voted) is positive."""
    theta0 = np.zeros(n_cells)
    order = np.argsort(sess, kind="stable")
    bounds = np.searchsorted(sess[order], np.arange(n_sess + 1))
    for t in range(n_sess):
        idx = order[bounds[t]:bounds[t + 1]]
        if idx.size == 0:
            continue
        cells, ci = np.unique(cell[idx], return_inverse=True)
        rcs, ri = np.unique(rollcall[idx], return_inverse=True)
        m = np.full((cells.size, rcs.size), np.nan)
        m[ci, ri] = y[idx].astype(float)
        col_mean = np.nanmean(m, axis=0)
        m = np.where(np.isnan(m), col_mean, m) - col_mean
        if cells.size < 2 or rcs.size < 1 or not np.any(m):
            continue
        pc = _first_component(m)
        sd = pc.std()
        if sd > 0:
            pc = (pc - pc.mean()) / sd
        a = anchor_cells[t]
        if a >= 0:
            hit = np.nonzero(cells == a)[0]
            if hit.size and pc[hit[0]] < 0:
                pc = -pc
        theta0[cells] = pc
    return theta0


def fit(state, session, rollcall, item, y, *, n_states: int, n_sessions: int, n_items: int,
        anchor: int | None = None, priors: Priors = Priors(), tol: float = 1e-4, max_iter: int = 300,
        callback=None) -> Fit:
    """Fit the dynamic ordinal model by block-coordinate Newton ascent to the posterior mode.

    Parameters
    ----------
    state, session, rollcall, item, y : int arrays of length n (one entry per vote):
        state index in [0, n_states), session index in [0, n_sessions),
        roll-call index (for the start values), item index in [0, n_items)
        (bridged roll calls share one), vote 0 = no, 1 = abstain, 2 = yes.
    anchor : state index oriented positive (the United States); None = no orientation.
    priors : :class:`Priors`.
    tol : stop when no ideal point moves more than this in one iteration.
    callback : called as ``callback(iteration, theta, beta, c1, c2)`` after each sweep (diagnostics).

    Returns
    -------
    :class:`Fit`. ``sd`` and ``theta`` are NaN outside each state's span.

    Raises
    ------
    ValueError
        Empty input, or an index or vote out of range.
    """
    state, session, item, y = (np.asarray(v, dtype=np.int64) for v in (state, session, item, y))
    rollcall = np.asarray(rollcall, dtype=np.int64)
    if state.size == 0:
        raise ValueError("no votes to fit")
    for name, v, hi in (("state", state, n_states), ("session", session, n_sessions),
                        ("item", item, n_items), ("vote", y, 3)):
        if v.min() < 0 or v.max() >= hi:
            raise ValueError(f"{name} index out of range [0, {hi})")
    S, T, K = n_states, n_sessions, n_items
    cell = state * T + session
    y8 = y.astype(np.int8)
    n_votes = np.bincount(cell, minlength=S * T).reshape(S, T)
    has = n_votes > 0
    idx = np.arange(T)
    first_t = np.where(has.any(1), np.argmax(has, 1), T)
    last_t = np.where(has.any(1), T - 1 - np.argmax(has[:, ::-1], 1), -1)
    span = (idx[None, :] >= first_t[:, None]) & (idx[None, :] <= last_t[:, None])
    anchor_cells = np.full(T, -1)
    if anchor is not None:
        anchor_cells = np.where(has[anchor], anchor * T + idx, -1)
    theta = _first_pc_start(cell, session, rollcall, y, S * T, T, anchor_cells).reshape(S, T)
    theta = _fill_latent(theta, has, span)
    model = _Model(cell, item, y8, span, S, T, K, priors, has=has)
    beta, c1, c2 = np.zeros(K), np.full(K, -0.5), np.full(K, 0.5)
    theta, beta, c1, c2 = model.normalize(theta, beta, c1, c2)
    for _ in range(3):  # items first: theta starts near its mode, the items do not
        beta, c1, c2 = model.item_step(theta, beta, c1, c2)
    theta, beta, c1, c2, it, converged, change, history = _ascend(
        model, theta, beta, c1, c2, tol=tol, max_iter=max_iter, callback=callback)
    theta, beta, c1, c2 = model.normalize(theta, beta, c1, c2)  # exact at the end (mixing keeps it close)
    if anchor is not None and has[anchor].any() and np.mean(theta[anchor][has[anchor]]) < 0:
        theta, beta = -theta, -beta  # the likelihood depends on beta * theta only; the priors are symmetric
    sd, lp = model.laplace(theta, beta, c1, c2)
    theta = np.where(span, theta, np.nan)
    sd = np.where(span, sd, np.nan)
    return Fit(theta=theta, sd=sd, n_votes=n_votes, beta=beta, c1=c1, c2=c2, iterations=it,
               converged=converged, max_change=change, log_post=lp, history=history)


def _ascend(model, theta, beta, c1, c2, *, tol, max_iter, callback, memory: int = 6, plain: int = 5):
    """Block-coordinate Newton sweeps, accelerated by Anderson mixing (type II, ``memory`` past
    residuals) after ``plain`` plain sweeps.

    The sweeps alone converge linearly and slowly along the weakly identified
    directions (each session's location and scale, pinned only by the
    priors and bridges); Anderson mixing (Walker & Ni 2011, "Anderson
    acceleration for fixed-point iterations", SIAM J. Numer. Anal. 49(4))
    extrapolates along them. Safeguard: a mixed point whose log posterior is
    below the last accepted one is dropped for the plain sweep's result and
    the memory is cleared. Stops when a sweep moves no ideal point by more
    than ``tol``.
    """
    x = model.pack(theta, beta, c1, c2)
    n_theta = model.n_theta
    xs, fs = [], []
    history = []
    best_lp, f_prev = -np.inf, None
    converged, change, it = False, np.inf, 0
    for it in range(1, max_iter + 1):
        f, lp = model.sweep(x)
        if f_prev is not None and lp < best_lp - 1e-6 * abs(best_lp):
            x, xs, fs = f_prev, [], []  # the mixed point went downhill: take the plain sweep instead
            f, lp = model.sweep(x)
        best_lp = max(best_lp, lp)
        r = f - x
        change = float(np.max(np.abs(r[:n_theta])))
        history.append(change)
        if callback is not None:
            callback(it, *model.unpack(f))
        if change < tol:
            x, converged = f, True
            break
        xs.append(x)
        fs.append(f)
        xs, fs = xs[-(memory + 1):], fs[-(memory + 1):]
        f_prev = f
        if it < plain or len(xs) < 2:
            x = f
            continue
        R = np.stack([fi - xi for fi, xi in zip(fs, xs)], axis=1)
        dR = np.diff(R, axis=1)
        dF = np.diff(np.stack(fs, axis=1), axis=1)
        gamma, *_ = np.linalg.lstsq(dR, r, rcond=None)
        x = f - dF @ gamma
    theta, beta, c1, c2 = model.unpack(x)
    return theta, beta, c1, c2, it, converged, change, history


def _fill_latent(theta, has, span):
    """Start values of latent cells (in a state's span, no vote): its last voted session's."""
    out = theta.copy()
    last = np.zeros(theta.shape[0])
    for t in range(theta.shape[1]):
        last = np.where(has[:, t], theta[:, t], last)
        out[:, t] = np.where(span[:, t] & ~has[:, t], last, out[:, t])
    return out


class _Model:
    """The log posterior's blocks: ideal points (tridiagonal per state) and items (3x3 each)."""

    def __init__(self, cell, item, y, span, S, T, K, priors: Priors, has=None):
        self.cell, self.item, self.y = cell, item, y
        self.has = span if has is None else has
        self.span, self.S, self.T, self.K, self.p = span, S, T, K, priors
        self.link = span[:, :-1] & span[:, 1:]
        self.first = span & ~np.concatenate([np.zeros((S, 1), bool), span[:, :-1]], axis=1)
        w = 1.0 / priors.omega ** 2
        pd_ = np.zeros((S, T))
        pd_[:, :-1] += np.where(self.link, w, 0.0)
        pd_[:, 1:] += np.where(self.link, w, 0.0)
        self.prior_diag = pd_ + np.where(self.first, 1.0 / priors.sd_entry ** 2, 0.0)
        self.level = 0.0 if priors.sd_level is None else 1.0 / priors.sd_level ** 2
        self.prior_diag = self.prior_diag + np.where(span, self.level, 0.0)
        self.off = np.where(self.link, -w, 0.0)
        self.n_theta = int(span.sum())
        self.chunks = K_.chunks()

    def _prior_grad(self, theta):
        th = np.where(self.span, theta, 0.0)
        step = np.where(self.link, th[:, 1:] - th[:, :-1], 0.0) / self.p.omega ** 2
        g = np.zeros_like(th)
        g[:, :-1] += step
        g[:, 1:] -= step
        return g - np.where(self.first, th / self.p.sd_entry ** 2, 0.0) - self.level * th

    def _theta_hessian(self, theta, beta, c1, c2):
        g, h, loglik = K_.theta_sums(self.cell, self.item, self.y, theta.ravel(), beta, c1, c2,
                                     self.S * self.T, self.chunks)
        diag = np.where(self.span, self.prior_diag - h.reshape(self.S, self.T), 1.0)
        return g.reshape(self.S, self.T), diag, loglik

    def theta_step(self, theta, beta, c1, c2):
        """One Newton step for every ideal point given the items (capped at 1 per cell).

        Returns the new ideal points and the log posterior at the old ones."""
        g, diag, loglik = self._theta_hessian(theta, beta, c1, c2)
        rhs = np.where(self.span, g + self._prior_grad(theta), 0.0)
        delta = np.clip(_thomas(diag, self.off, rhs), -1.0, 1.0)
        return theta + np.where(self.span, delta, 0.0), loglik + self.log_prior(theta, beta, c1, c2)

    def laplace(self, theta, beta, c1, c2):
        """Laplace sds of the ideal points at the mode, and the log posterior there."""
        _, diag, loglik = self._theta_hessian(theta, beta, c1, c2)
        sd = np.sqrt(_inverse_diagonal(diag, self.off))
        return sd, loglik + self.log_prior(theta, beta, c1, c2)

    def log_prior(self, theta, beta, c1, c2) -> float:
        p = self.p
        th = np.where(self.span, theta, 0.0)
        d = np.where(self.link, th[:, 1:] - th[:, :-1], 0.0)
        return float(-0.5 * (d ** 2).sum() / p.omega ** 2 - 0.5 * (th[self.first] ** 2).sum() / p.sd_entry ** 2
                     - 0.5 * self.level * (th ** 2).sum()
                     - 0.5 * (beta ** 2).sum() / p.sd_beta ** 2
                     - 0.5 * ((c1 ** 2).sum() + (c2 ** 2).sum()) / p.sd_cut ** 2)

    def item_step(self, theta, beta, c1, c2):
        """One Newton step for every item's (c1, c2, beta) given the ideal points (capped at 1)."""
        p = self.p
        s = K_.item_sums(self.cell, self.item, self.y, theta.ravel(), beta, c1, c2, self.K, self.chunks)
        G = np.stack([s[:, 0] - c1 / p.sd_cut ** 2, s[:, 1] - c2 / p.sd_cut ** 2,
                      s[:, 2] - beta / p.sd_beta ** 2], axis=1)
        H = np.empty((self.K, 3, 3))
        H[:, 0, 0] = s[:, 3] - 1 / p.sd_cut ** 2
        H[:, 1, 1] = s[:, 4] - 1 / p.sd_cut ** 2
        H[:, 2, 2] = s[:, 5] - 1 / p.sd_beta ** 2
        H[:, 0, 1] = H[:, 1, 0] = s[:, 6]
        H[:, 0, 2] = H[:, 2, 0] = s[:, 7]
        H[:, 1, 2] = H[:, 2, 1] = s[:, 8]
        H -= 1e-8 * np.eye(3)  # numerical floor: H is negative definite
        delta = -np.linalg.solve(H, G[:, :, None])[:, :, 0]
        delta /= np.maximum(1.0, np.abs(delta).max(axis=1))[:, None]
        c1n, c2n, bn = c1 + delta[:, 0], c2 + delta[:, 1], beta + delta[:, 2]
        mid = 0.5 * (c1n + c2n)
        bad = c2n < c1n + 1e-4
        return bn, np.where(bad, mid - 5e-5, c1n), np.where(bad, mid + 5e-5, c2n)

    def normalize(self, theta, beta, c1, c2):
        """Rescale the ideal points so that all observed state-sessions pooled have mean 0 and sd 1,
        and the items so that the likelihood is unchanged.

        This is BSV's identification of location and scale (``UN_Ideal_Rcpp.R``: ``Theta = (Theta -
        mean(Theta)) / sqrt(var(Theta))`` after every draw). ``mu = beta * theta`` with
        ``theta = m + s * theta'`` equals ``beta * s * theta' + beta * m``, so ``beta' = beta * s``
        and the cut-points move by ``- beta * m``. Without it the posterior mode sets the scale by the
        priors alone (shrinking ``beta`` inflates ``theta``), about 3x the published one.
        """
        obs = theta[self.has]
        m, s = float(obs.mean()), float(obs.std())
        if not np.isfinite(s) or s <= 0:
            return theta, beta, c1, c2
        theta = np.where(self.span, (theta - m) / s, theta)
        return theta, beta * s, c1 - beta * m, c2 - beta * m

    def sweep(self, x):
        """One block-coordinate sweep (ideal points, normalisation, then items) of the packed
        parameters ``x``.

        Returns ``F(x)`` and the log posterior at ``x``."""
        theta, beta, c1, c2 = self.unpack(x)
        theta, lp = self.theta_step(theta, beta, c1, c2)
        theta, beta, c1, c2 = self.normalize(theta, beta, c1, c2)
        beta, c1, c2 = self.item_step(theta, beta, c1, c2)
        return self.pack(theta, beta, c1, c2), lp

    def pack(self, theta, beta, c1, c2):
        return np.concatenate([theta[self.span], beta, c1, c2])

    def unpack(self, x):
        n, K = self.n_theta, self.K
        theta = np.zeros((self.S, self.T))
        theta[self.span] = x[:n]
        beta, c1, c2 = x[n:n + K], x[n + K:n + 2 * K], x[n + 2 * K:]
        c2 = np.maximum(c2, c1 + 1e-4)  # an extrapolated step may cross the cut-points
        return theta, beta, c1, c2
