"""Blocs on small signed networks with known optimal partitions."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
import pytest

from dyadwatch.analysis import blocs as B
from dyadwatch.errors import UsageError


def _graph(edges):
    g = nx.Graph()
    for a, b, w in edges:
        g.add_edge(a, b, weight=w)
    return g


def test_blocs_balanced_two_camps_zero_frustration():
    camp1, camp2 = ["RUS", "IRN", "SYR"], ["USA", "SAU", "TUR", "QAT"]
    edges = [(a, b, 1.0 if ((a in camp1) == (b in camp1)) else -1.0)
             for a, b in itertools.combinations(camp1 + camp2, 2)]
    r = B.partition_blocs(_graph(edges))
    assert r["blocs"] == [sorted(camp1), sorted(camp2)]
    assert r["frustration"] == 0 and r["frustration_normalised"] == 0
    assert r["n_optimal"] == 1 and r["exact"]
    assert all(m["strength"] == pytest.approx(1.0) for m in r["membership"].values())


def test_blocs_all_negative_triangle_is_frustrated_by_one_edge():
    r = B.partition_blocs(_graph([("A", "B", -1), ("B", "C", -1), ("A", "C", -1)]))
    assert r["frustration"] == pytest.approx(1.0)
    assert r["n_optimal"] == 3  # any one pair may share a bloc
    assert len(r["frustrated_edges"]) == 1


def test_blocs_weighted_known_optimum_and_strength():
    # A-B friends (3), C-D friends (2), A-C enemies (-2), B-D enemies (-1), A-D friends (0.5):
    # split {A,B}|{C,D} frustrates only A-D (0.5); {A,B,D}|{C} frustrates C-D (2) and B-D (1).
    g = _graph([("A", "B", 3), ("C", "D", 2), ("A", "C", -2), ("B", "D", -1), ("A", "D", 0.5)])
    r = B.partition_blocs(g)
    assert r["blocs"] == [["A", "B"], ["C", "D"]]
    assert r["frustration"] == pytest.approx(0.5)
    assert r["frustration_normalised"] == pytest.approx(0.5 / 8.5)
    assert r["frustrated_edges"] == [["A", "D", 0.5]]
    # A: ties 3 (in, agrees), -2 (out, agrees), 0.5 (out, disagrees) -> (3 + 2 - 0.5) / 5.5
    assert r["membership"]["A"]["strength"] == pytest.approx(4.5 / 5.5)
    assert r["membership"]["D"]["strength"] == pytest.approx((2 + 1 - 0.5) / 3.5)


def _brute_force(w):
    n, best = len(w), np.inf
    for signs in itertools.product([-1, 1], repeat=n):
        s = np.array(signs, dtype=float)
        f = sum((abs(w[i, j]) - w[i, j] * s[i] * s[j]) / 2 for i in range(n) for j in range(i + 1, n))
        best = min(best, f)
    return best


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_blocs_exact_search_matches_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 8
    w = np.triu(rng.normal(0, 1, (n, n)) * (rng.random((n, n)) < 0.7), 1)
    w = w + w.T
    g = nx.Graph()
    g.add_nodes_from(range(n))
    for i, j in itertools.combinations(range(n), 2):
        if w[i, j]:
            g.add_edge(i, j, weight=w[i, j])
    r = B.partition_blocs(g)
    assert r["frustration"] == pytest.approx(_brute_force(w), abs=1e-9)


def test_blocs_heuristic_recovers_planted_camps_above_exact_limit():
    rng = np.random.default_rng(11)
    n = B.EXACT_MAX_ACTORS + 10
    camp = rng.choice([-1, 1], size=n)
    g = nx.Graph()
    for i, j in itertools.combinations(range(n), 2):
        w = camp[i] * camp[j] * rng.uniform(0.2, 1.0)
        if rng.random() < 0.08:
            w = -w  # a few ties against the camps
        g.add_edge(f"X{i:02d}", f"X{j:02d}", weight=w)
    r = B.partition_blocs(g)
    assert not r["exact"] and r["n_optimal"] is None
    planted = {f"X{i:02d}" for i in range(n) if camp[i] == camp[0]}
    assert set(r["blocs"][0]) == planted


def test_blocs_unattached_and_errors():
    g = _graph([("A", "B", 1.0)])
    g.add_node("Z")
    r = B.partition_blocs(g)
    assert r["unattached"] == ["Z"] and r["blocs"] == [["A", "B"], []]
    with pytest.raises(UsageError):
        B.partition_blocs(nx.Graph())
    with pytest.raises(UsageError, match="non-finite"):
        B.partition_blocs(_graph([("A", "B", float("nan"))]))
