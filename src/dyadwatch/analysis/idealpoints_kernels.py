"""Compiled per-vote loops of the ideal-point model (numba): the ordered-probit derivatives, summed.

:mod:`dyadwatch.analysis.idealpoints_model` needs, at every sweep, the
gradient and Hessian of the log likelihood of some 870,000 votes with
respect to each state-session's ideal point and each item's parameters. A
numpy version makes ~20 temporary arrays of that length per sweep and took
~4x the CPU time; these loops make none. They run on one core: numba's
parallel loops were 7x slower than serial ones on the shared 2-core
development machine under load (thread hand-over), for a gain of at most 2x
when idle.

For one vote with interval ``(L, U)`` between cut-points (``-inf`` below
"no", ``+inf`` above "yes"), ``mu = beta * theta``, ``a = L - mu``,
``b = U - mu``, ``P = Phi(b) - Phi(a)``, ``A = phi(a) / P`` and
``B = phi(b) / P`` (``A = 0`` at ``L = -inf``, ``B = 0`` at ``U = +inf``)::

    d logP / dL = -A          d logP / dU = B          d logP / dmu = A - B
    d2 / dL2    = a A - A^2   d2 / dU2    = -b B - B^2 d2 / dL dU   = A B
    d2 / dmu2   = a A - b B - (A - B)^2
    d2 / dmu dL = -(d2/dL2 + d2/dL dU)    d2 / dmu dU = -(d2/dL dU + d2/dU2)

(the ordered probit's score and Hessian; e.g. Greene, *Econometric
Analysis*, ordered choice models). All are finite for ``|a|, |b| <= 35``
(arguments are clipped there: probabilities below ~1e-268 are not told apart).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

CLIP = 35.0
_INV_SQRT_2PI = 0.3989422804014327
_SQRT_HALF = 0.7071067811865476


@nb.njit(cache=True, inline="always")
def _ndtr(x):
    return 0.5 * math.erfc(-x * _SQRT_HALF)


@nb.njit(cache=True, inline="always")
def _phi(x):
    return _INV_SQRT_2PI * math.exp(-0.5 * x * x)


@nb.njit(cache=True, inline="always")
def _clip(x):
    return min(max(x, -CLIP), CLIP)


@nb.njit(cache=True)
def vote_terms(y, mu, c1, c2):
    """``(A, B, a, b, log P)`` of one vote ``y`` (0 no, 1 abstain, 2 yes) at ``mu`` with cut-points c1 <= c2."""
    if y == 0:
        b = _clip(c1 - mu)
        p = _ndtr(b)
        return 0.0, _phi(b) / p, 0.0, b, math.log(p)
    if y == 2:
        a = _clip(c2 - mu)
        p = _ndtr(-a)
        return _phi(a) / p, 0.0, a, 0.0, math.log(p)
    a = _clip(c1 - mu)
    b = _clip(c2 - mu)
    if a > 0:  # both bounds in the upper tail: the mirror image avoids cancellation
        p = _ndtr(-a) - _ndtr(-b)
    else:
        p = _ndtr(b) - _ndtr(a)
    p = max(p, 1e-300)
    return _phi(a) / p, _phi(b) / p, a, b, math.log(p)


@nb.njit(cache=True)
def theta_sums(cell, item, y, theta, beta, c1, c2, n_cells, n_chunks):
    """Per cell (state-session): sum of d logL/d theta and d2 logL/d theta2; and total log L."""
    n = cell.size
    g = np.zeros((n_chunks, n_cells))
    h = np.zeros((n_chunks, n_cells))
    lp = np.zeros(n_chunks)
    for ch in range(n_chunks):
        for i in range(ch * n // n_chunks, (ch + 1) * n // n_chunks):
            k = item[i]
            c = cell[i]
            bk = beta[k]
            A, B, a, b, lg = vote_terms(y[i], bk * theta[c], c1[k], c2[k])
            d = A - B
            g[ch, c] += d * bk
            h[ch, c] += bk * bk * (a * A - b * B - d * d)
            lp[ch] += lg
    return g.sum(axis=0), h.sum(axis=0), lp.sum()


@nb.njit(cache=True)
def item_sums(cell, item, y, theta, beta, c1, c2, n_items, n_chunks):
    """Per item: gradient (c1, c2, beta) and Hessian (11, 22, bb, 12, 1b, 2b) of log L, shape (n_items, 9)."""
    n = cell.size
    out = np.zeros((n_chunks, n_items, 9))
    for ch in range(n_chunks):
        for i in range(ch * n // n_chunks, (ch + 1) * n // n_chunks):
            k = item[i]
            th = theta[cell[i]]
            A, B, a, b, _ = vote_terms(y[i], beta[k] * th, c1[k], c2[k])
            hLL = a * A - A * A
            hUU = -b * B - B * B
            hLU = A * B
            d = A - B
            hmm = a * A - b * B - d * d
            hmL = -(hLL + hLU)
            hmU = -(hLU + hUU)
            o = out[ch, k]
            o[2] += d * th
            o[5] += hmm * th * th
            yi = y[i]
            if yi == 0:  # c1 is the upper bound
                o[0] += B
                o[3] += hUU
                o[7] += hmU * th
            elif yi == 1:  # c1 lower, c2 upper
                o[0] += -A
                o[1] += B
                o[3] += hLL
                o[4] += hUU
                o[6] += hLU
                o[7] += hmL * th
                o[8] += hmU * th
            else:  # c2 is the lower bound
                o[1] += -A
                o[4] += hLL
                o[8] += hmL * th
    return out.sum(axis=0)


def chunks() -> int:
    """Number of independent accumulators (1: the loops are serial)."""
    return 1
