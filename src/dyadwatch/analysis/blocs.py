"""Blocs: who sides with whom, by structural balance.

Unit in: a signed, weighted, undirected network of actors (a
``networkx.Graph`` whose edges carry ``weight``: positive = friendly or
aligned, negative = hostile or opposed). Unit out: a split of the actors
into two blocs, the frustration of that split, and each actor's bloc and
how firmly it belongs.

Method
------
Structural balance (Heider 1946; Cartwright & Harary 1956): a signed
network is balanced when its actors split into two camps with only positive
ties inside camps and only negative ties between them. The *frustration* of
a split s ∈ {−1, +1}ⁿ is the weight of the ties that violate it:

    F(s) = Σ_{i<j} ( |w_ij| − w_ij · s_i · s_j ) / 2

(a negative tie inside a bloc or a positive tie across blocs counts its
|weight|). The *frustration index* is min_s F(s) (Aref & Wilson 2018,
*J. Complex Networks* 6:163–189, weighted form); we also report it
normalised by Σ|w| (0 = perfectly balanced, 0.5 ≈ no bloc structure).

Search: for up to :data:`EXACT_MAX_ACTORS` actors every split is evaluated
(2ⁿ⁻¹ of them, vectorised with numpy), so the minimum is exact and the
number of optimal splits is known. Above that, a heuristic: start from the
signs of the leading eigenvector of W (spectral balance, Kunegis et al.
2010) and from :data:`HEURISTIC_RESTARTS` seeded random splits, improve each
by single-actor moves until no move lowers F (a local optimum, Kernighan–Lin
style), and keep the best; ``exact`` is then false.

Membership strength of actor i: Σ_j w_ij s_i s_j / Σ_j |w_ij| in [−1, 1]
— 1 when all its ties agree with its bloc (friends inside, opponents
outside), 0 when they are evenly split, negative when it would fit the other
bloc better (only possible at a non-optimal split). Actors without ties are
listed as ``unattached``.
"""

from __future__ import annotations

import itertools

import duckdb
import networkx as nx
import numpy as np
import pandas as pd

from dyadwatch.errors import UsageError

#: Largest network split exactly (2^19 = 524,288 splits, well under a second).
EXACT_MAX_ACTORS = 20
#: Most states ``--top`` may add (:func:`top_actors`). Each pair of actors is one tie to
#: measure, N(N-1)/2 of them, one query each: with the ICEWS dyad-years and the UN votes
#: of 2010-2014 on a 2-core machine, 50 states took 4.7 s with kappa and 60 s with
#: net-coop; 120 took 48 s with kappa, 200 took 110 s (net-coop: 80 took 189 s).
TOP_ACTORS_MAX = 50
#: Random restarts of the local search above that size (seeded).
HEURISTIC_RESTARTS = 200
HEURISTIC_SEED = 2011

#: Net cooperation is centred here before it becomes a signed weight: the
#: middle of the "neutral" band of :mod:`dyadwatch.analysis.relations`
#: ((MIXED_MAX_NET + FRIENDLY_MIN_NET) / 2 = 0.4). ICEWS dyads are almost all
#: net-cooperative, so an uncentred weight would put everyone in one bloc.
NET_COOP_CENTRE = 0.4
#: Fewest events (net-coop) or common roll calls (kappa) for a tie to count.
MIN_EDGE_EVENTS = 20
MIN_EDGE_VOTES = 10


def _matrix(g: nx.Graph) -> tuple[list[str], np.ndarray]:
    actors = list(g.nodes())
    idx = {a: i for i, a in enumerate(actors)}
    w = np.zeros((len(actors), len(actors)))
    for u, v, d in g.edges(data=True):
        if u == v:
            continue
        x = float(d.get("weight", 1.0))
        if not np.isfinite(x):
            raise UsageError(f"edge {u}-{v} has a non-finite weight {x!r}")
        w[idx[u], idx[v]] = w[idx[v], idx[u]] = x
    return actors, w


def frustration(w: np.ndarray, s: np.ndarray) -> float:
    """F(s) of the module docstring for a symmetric weight matrix and a ±1 split."""
    s = np.asarray(s, dtype=float)
    return float((np.abs(w).sum() - s @ w @ s) / 4.0)


def _exact(w: np.ndarray) -> tuple[np.ndarray, float, int]:
    n = len(w)
    if n == 1:
        return np.ones(1), 0.0, 1
    total = np.abs(w).sum()
    best_val, best_s, n_best = -np.inf, None, 0
    m = n - 1  # actor 0 fixed to +1 (a split and its mirror are the same)
    chunk = 1 << min(m, 16)
    for start in range(0, 1 << m, chunk):
        codes = np.arange(start, min(start + chunk, 1 << m), dtype=np.int64)
        bits = ((codes[:, None] >> np.arange(m)) & 1).astype(float)
        s = np.hstack([np.ones((len(codes), 1)), 1.0 - 2.0 * bits])
        val = np.einsum("ki,ij,kj->k", s, w, s)
        top = val.max()
        if top > best_val + 1e-9:
            best_val, best_s = top, s[int(np.argmax(val))].copy()
            n_best = int(np.sum(val >= top - 1e-9))
        elif abs(top - best_val) <= 1e-9:
            n_best += int(np.sum(val >= top - 1e-9))
    return best_s, float((total - best_val) / 4.0), n_best


def _local_search(w: np.ndarray, s: np.ndarray) -> np.ndarray:
    s = s.copy()
    while True:
        gain = s * (w @ s)  # flipping i changes s'Ws by -4*gain_i
        i = int(np.argmin(gain))
        if gain[i] >= -1e-12:
            return s
        s[i] = -s[i]


def _heuristic(w: np.ndarray) -> tuple[np.ndarray, float]:
    rng = np.random.default_rng(HEURISTIC_SEED)
    vals, vecs = np.linalg.eigh(w)
    starts = [np.where(vecs[:, -1] >= 0, 1.0, -1.0)]
    starts += [rng.choice([-1.0, 1.0], size=len(w)) for _ in range(HEURISTIC_RESTARTS)]
    best, best_f = None, np.inf
    for s0 in starts:
        s = _local_search(w, s0)
        f = frustration(w, s)
        if f < best_f - 1e-12:
            best, best_f = s, f
    return best, best_f


def partition_blocs(g: nx.Graph) -> dict:
    """Split a signed weighted network into two blocs of least frustration.

    Parameters
    ----------
    g : networkx.Graph; nodes are actor labels (ISO3), edge attribute
        ``weight`` a signed float (missing = +1).

    Returns
    -------
    dict with ``blocs`` (two sorted lists of actors; the first holds the
    first actor of ``g.nodes()`` that has ties), ``unattached`` (actors
    without ties), ``membership`` ({actor: {"bloc": 1 | 2, "strength": float
    in [−1, 1]}}), ``frustration`` (weighted frustration index, >= 0),
    ``frustration_normalised`` (in [0, 1]), ``frustrated_edges`` (list of
    [a, b, weight]), ``total_weight`` (Σ|w|), ``exact`` (bool), ``method``,
    ``n_optimal`` (number of optimal splits; exact search only).

    Raises
    ------
    UsageError
        If the graph has no node, or a weight is not finite.
    """
    if g.number_of_nodes() == 0:
        raise UsageError("no actors to split into blocs; give at least two actors with ties")
    actors_all, w_all = _matrix(g)
    tied = [i for i in range(len(actors_all)) if np.any(w_all[i] != 0)]
    unattached = sorted(actors_all[i] for i in range(len(actors_all)) if i not in tied)
    actors = [actors_all[i] for i in tied]
    w = w_all[np.ix_(tied, tied)]
    total = float(np.abs(np.triu(w, 1)).sum())
    if not actors:
        return {"blocs": [[], []], "unattached": unattached, "membership": {}, "frustration": 0.0,
                "frustration_normalised": 0.0, "frustrated_edges": [], "total_weight": 0.0,
                "exact": True, "method": "none (no ties)", "n_optimal": 0}
    if len(actors) <= EXACT_MAX_ACTORS:
        s, f, n_opt = _exact(w)
        exact, method = True, f"exhaustive search over {2 ** (len(actors) - 1):,} splits"
    else:
        s, f = _heuristic(w)
        n_opt = None
        exact = False
        method = f"spectral start + {HEURISTIC_RESTARTS} seeded random restarts, single-move local search"
    f = max(0.0, round(float(f), 12))
    if s[0] < 0:
        s = -s
    membership = {}
    for i, a in enumerate(actors):
        denom = np.abs(w[i]).sum()
        membership[a] = {"bloc": 1 if s[i] > 0 else 2,  # numbered as in every table: bloc 1 = blocs[0]
                         "strength": float((w[i] @ s) * s[i] / denom) if denom else 0.0}
    frustrated = [[actors[i], actors[j], float(w[i, j])]
                  for i, j in itertools.combinations(range(len(actors)), 2)
                  if w[i, j] != 0 and w[i, j] * s[i] * s[j] < 0]
    return {
        "blocs": [sorted(a for a in actors if membership[a]["bloc"] == 1),
                  sorted(a for a in actors if membership[a]["bloc"] == 2)],
        "unattached": unattached, "membership": membership, "frustration": float(f),
        "frustration_normalised": float(f / total) if total else 0.0,
        "frustrated_edges": frustrated, "total_weight": total, "exact": exact, "method": method,
        "n_optimal": n_opt,
    }


def graph_from_matrix(matrix: pd.DataFrame) -> nx.Graph:
    """A signed graph from a square DataFrame of weights (NaN or 0 = no tie)."""
    g = nx.Graph()
    g.add_nodes_from(matrix.index)
    for a, b in itertools.combinations(matrix.index, 2):
        x = matrix.loc[a, b]
        if pd.notna(x) and x != 0:
            g.add_edge(a, b, weight=float(x))
    return g


def net_coop_network(con, actors, *, date_from=None, date_to=None, datasets=None,
                     min_events: int = MIN_EDGE_EVENTS) -> nx.Graph:
    """Signed network from net cooperation over a whole period.

    For every pair, net cooperation (QC1 + QC2 − QC3 − QC4) / events over
    the period (undirected, from :func:`dyadwatch.analysis.dyads.dyad_series`
    at yearly frequency), minus :data:`NET_COOP_CENTRE`; pairs with fewer
    than ``min_events`` events get no tie. Edge attributes: ``weight`` in
    [−1.4, 0.6], ``events``, ``net_coop``.
    """
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.dyads import dyad_series

    labels = [resolve_actor(a).label for a in actors]
    g = nx.Graph()
    g.add_nodes_from(labels)
    for a, b in itertools.combinations(labels, 2):
        s = dyad_series(con, a, b, freq="year", date_from=date_from, date_to=date_to, datasets=datasets)
        n = int(s["events"].sum()) if len(s) else 0
        if n < min_events:
            continue
        net = float((s["verbal_coop"].sum() + s["material_coop"].sum() - s["verbal_conflict"].sum()
                     - s["material_conflict"].sum()) / n)
        g.add_edge(a, b, weight=net - NET_COOP_CENTRE, events=n, net_coop=net)
    return g


def kappa_network(con, actors, *, year_from=None, year_to=None, topic=None,
                  min_votes: int = MIN_EDGE_VOTES) -> nx.Graph:
    """Signed network from UN General Assembly voting kappa (Häge 2011).

    Votes are coded yes = 1, abstain = 2, no = 3 (absences excluded); for a
    pair, D_obs = mean |v_a − v_b| over the roll calls both voted on and

        kappa = 1 − D_obs / D_exp,  D_exp = Σ_{i,j} p_a(i) p_b(j) |i − j|

    with each state's own vote shares p_a, p_b over the roll calls both
    voted on (Cohen's kappa with linear weights; the same value as
    :func:`dyadwatch.analysis.alignment.dyad_years`). Kappa is chance-corrected (0 = the agreement expected from the
    two states' voting habits), so it is the signed weight as it is.

    With a ``topic`` (case-insensitive text in the roll call's ``short`` or
    ``descr``), D_obs comes from the topic's roll calls but D_exp from each
    state's shares over *all* common roll calls of the years. On a single topic
    most states vote one way every time (on "Syrian Arab Republic" 2011–2019,
    the United States always yes and Russia always no), and Cohen's kappa
    with topic-only shares is then 0 or undefined however opposed the votes;
    the states' general voting habits are the right chance baseline for
    "do they vote together on this topic more than usual?". Values are
    clipped to [−1, 1].

    Pairs with fewer than ``min_votes`` common roll calls (on the topic) get
    no tie. Edge attributes: ``weight`` (kappa), ``votes`` (n), ``agree``
    (mean of 1 − |v_a − v_b| / 2 on those roll calls).

    Raises
    ------
    UsageError
        If the store holds no UN votes for the years (ingest them first), or
        no roll call of those years matches ``topic``.
    """
    from dyadwatch.analysis.actors import resolve_actor

    labels = [resolve_actor(a).label for a in actors]
    cond, params = ["v.iso3 IN (" + ", ".join("?" * len(labels)) + ")"], list(labels)
    if year_from is not None:
        cond.append("r.year >= ?")
        params.append(int(str(year_from)[:4]))
    if year_to is not None:
        cond.append("r.year <= ?")
        params.append(int(str(year_to)[:4]))
    try:
        votes = con.execute(f"""
            SELECT v.rcid, v.iso3, v.vote_code AS x,
                   (coalesce(r.short, '') || ' ' || coalesce(r.descr, '')) ILIKE ? AS on_topic
            FROM un_votes v JOIN un_roll_calls r USING (rcid)
            WHERE v.vote_code IN (1, 2, 3) AND {' AND '.join(cond)}""",
                            ["%" + (topic or "") + "%"] + params).df()
    except duckdb.Error as exc:  # table missing in an old store
        raise UsageError(f"no UN votes in this store ({exc.__class__.__name__})",
                         hint="ingest the UN votes files first: dyadwatch ingest un_votes.parquet ...") from None
    if votes.empty:
        raise UsageError("no UN votes for these actors and years in this store",
                         hint="ingest the UN votes files, or widen --from/--to")
    if topic and not votes["on_topic"].any():
        raise UsageError(f"no UN roll call of these actors and years matches topic {topic!r}",
                         hint="check the spelling, e.g. 'Syrian Arab Republic', or drop --topic")
    g = nx.Graph()
    g.add_nodes_from(labels)
    for a, b in itertools.combinations(labels, 2):
        res = pair_kappa(votes, a, b, topic=bool(topic))
        if res is None or res["n"] < min_votes:
            continue
        g.add_edge(a, b, weight=res["kappa"], votes=res["n"], agree=res["agree"])
    return g


_DIST = np.abs(np.subtract.outer(np.arange(1, 4), np.arange(1, 4)))


def pair_kappa(votes: pd.DataFrame, a: str, b: str, *, topic: bool = False) -> dict | None:
    """Kappa, agreement and n of one pair from vote rows (see :func:`kappa_network`).

    Parameters
    ----------
    votes : DataFrame with ``rcid``, ``iso3``, ``x`` (1 yes, 2 abstain, 3 no)
        and, when ``topic``, a boolean ``on_topic``: D_obs from the on-topic
        roll calls, each state's vote shares from all roll calls both voted on.

    Returns
    -------
    dict ``{kappa in [-1, 1], agree in [0, 1], n}`` or None when the two
    never voted on the same roll call.
    """
    iso = votes["iso3"].to_numpy()
    va, vb = votes[iso == a], votes[iso == b]
    if va.empty or vb.empty:
        return None
    _, ia, ib = np.intersect1d(va["rcid"].to_numpy(), vb["rcid"].to_numpy(), assume_unique=True,
                               return_indices=True)
    if len(ia) == 0:
        return None
    xa, xb = va["x"].to_numpy(float)[ia], vb["x"].to_numpy(float)[ib]
    # each state's vote shares over the roll calls both voted on (Cohen's marginals)
    sa = np.array([np.mean(xa == k) for k in (1, 2, 3)])
    sb = np.array([np.mean(xb == k) for k in (1, 2, 3)])
    if topic:
        on = va["on_topic"].to_numpy(bool)[ia]
        xa, xb = xa[on], xb[on]
    n = len(xa)
    if n == 0:
        return None
    d_obs = float(np.mean(np.abs(xa - xb)))
    d_exp = float(sa @ _DIST @ sb)
    if d_exp == 0:  # both always cast the same single vote: perfect agreement
        kappa = 1.0 if d_obs == 0 else -1.0
    else:
        kappa = float(np.clip(1.0 - d_obs / d_exp, -1.0, 1.0))
    return {"kappa": kappa, "agree": 1.0 - d_obs / 2.0, "n": n}


def blocs(con, actors, *, measure: str = "kappa", topic=None, year_from=None, year_to=None,
          datasets=None) -> dict:
    """Blocs of the given actors from the store (see :func:`partition_blocs`).

    Parameters
    ----------
    actors : list of actor arguments (ISO3 or names), at least two.
    measure : ``"kappa"`` (UN voting, optionally on ``topic``) or ``"net-coop"`` (events).
    topic : free-text filter on roll-call descriptions (kappa only).
    year_from, year_to : inclusive years.

    Returns
    -------
    :func:`partition_blocs` result plus ``measure``, ``topic``, ``years`` and
    ``edges`` (list of [a, b, weight]).

    Raises
    ------
    UsageError
        Fewer than two actors, an unknown measure, or ``year_from`` after ``year_to``.
    """
    if year_from is not None and year_to is not None and int(str(year_from)[:4]) > int(str(year_to)[:4]):
        raise UsageError(f"--from {year_from} is after --to {year_to}", hint="give the earlier year first")
    actors = list(dict.fromkeys(actors))
    if len(actors) < 2:
        raise UsageError("blocs need at least two actors, e.g. `dyadwatch blocs RUS IRN SYR USA SAU TUR`")
    if measure == "kappa":
        g = kappa_network(con, actors, year_from=year_from, year_to=year_to, topic=topic)
    elif measure in ("net-coop", "net_coop"):
        g = net_coop_network(con, actors, date_from=year_from, date_to=year_to, datasets=datasets)
    else:
        raise UsageError(f"unknown blocs measure {measure!r}; choose one of: net-coop, kappa")
    res = partition_blocs(g)
    res.update({"measure": measure, "topic": topic, "years": [year_from, year_to],
                "edges": [[u, v, float(d["weight"])] for u, v, d in g.edges(data=True)]})
    return res


def conflict_actors(con, country: str, *, year_from=None, year_to=None) -> list[str]:
    """States that took part (primary or secondary, either side) in a UCDP conflict
    in which ``country`` was a primary party, in the years; sorted ISO3 codes.

    Raises
    ------
    UsageError
        If the store holds no UCDP data or no such conflict.
    """
    from dyadwatch.analysis.actors import resolve_actor

    iso = resolve_actor(country).label
    cond, params = "", [iso]
    if year_from is not None:
        cond += " AND p.year >= ?"
        params.append(int(str(year_from)[:4]))
    if year_to is not None:
        cond += " AND p.year <= ?"
        params.append(int(str(year_to)[:4]))
    try:
        rows = con.execute(f"""
            SELECT DISTINCT p.iso3 FROM ucdp_conflict_parties p
            WHERE p.iso3 IS NOT NULL AND (p.conflict_id, p.year) IN (
                SELECT conflict_id, year FROM ucdp_conflict_parties WHERE iso3 = ? AND role = 'primary')
            {cond} ORDER BY 1""", params).fetchall()
    except duckdb.Error:
        rows = []
    if not rows:
        raise UsageError(f"no UCDP conflict with {iso} as a primary party in the store for these years",
                         hint="ingest ucdp_acd.csv, or list the actors")
    return [r[0] for r in rows]


def check_top(n: int) -> None:
    """Check a ``--top`` value: 2 to :data:`TOP_ACTORS_MAX` states.

    Raises
    ------
    UsageError
        ``n`` outside that range; the one-line message names the option,
        the value given and the range.
    """
    if not 2 <= n <= TOP_ACTORS_MAX:
        raise UsageError(f"--top {n} is out of range: give 2 to {TOP_ACTORS_MAX} states",
                         hint="each pair of states is one tie to measure; list further actors by name")


def top_actors(con, n: int, *, year_from=None, year_to=None) -> list[str]:
    """The ``n`` states with the most events (as source or target, with anyone) in the years.

    Counts ``dyad_counts`` rows and ``events`` rows of years the counts do not
    cover (the series' rule against double counting). Returns ISO3 codes, most
    covered first; fewer than ``n`` when fewer states have events.

    Raises
    ------
    UsageError
        ``n`` outside 2 to :data:`TOP_ACTORS_MAX` (:func:`check_top`), or no
        events in the store for the years.
    """
    check_top(n)
    y0 = int(str(year_from)[:4]) if year_from is not None else -9999
    y1 = int(str(year_to)[:4]) if year_to is not None else 9999
    tot = "verbal_coop + material_coop + verbal_conflict + material_conflict"
    rows = con.execute(f"""
        WITH c AS (
          SELECT src_country AS iso, sum({tot}) AS n FROM dyad_counts WHERE year BETWEEN ? AND ? GROUP BY 1
          UNION ALL SELECT tgt_country, sum({tot}) FROM dyad_counts WHERE year BETWEEN ? AND ? GROUP BY 1
          UNION ALL SELECT src_country, count(*) FROM events WHERE year(event_date) BETWEEN ? AND ?
             AND year(event_date) NOT IN (SELECT DISTINCT year FROM dyad_counts) GROUP BY 1
          UNION ALL SELECT tgt_country, count(*) FROM events WHERE year(event_date) BETWEEN ? AND ?
             AND year(event_date) NOT IN (SELECT DISTINCT year FROM dyad_counts) GROUP BY 1)
        SELECT iso, sum(n) AS n FROM c WHERE iso IS NOT NULL GROUP BY 1 ORDER BY n DESC, iso LIMIT ?""",
                       [y0, y1] * 4 + [int(n)]).fetchall()
    if not rows:
        raise UsageError("no events in the store for these years", hint="ingest event data or change --from/--to")
    return [r[0] for r in rows]
