"""Relation classification on constructed series with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dyadwatch.analysis import relations as R
from dyadwatch.errors import UsageError
from tests.relations.storefix import make_store


def _series(rows):
    return pd.DataFrame(rows, columns=["period", "verbal_coop", "material_coop", "verbal_conflict",
                                       "material_conflict"])


@pytest.mark.parametrize("counts, label", [
    ((2400, 450, 120, 30), "friendly"),     # net 0.90, material conflict 1 %
    ((1800, 300, 700, 200), "neutral"),     # net 0.40, material conflict 6.7 %
    ((1300, 200, 1100, 400), "mixed"),      # net 0.00, material conflict 13 %
    ((600, 100, 1300, 1000), "hostile"),    # net -0.53
    ((2000, 200, 200, 600), "hostile"),     # net 0.47 but material conflict 20 %
])
def test_relations_clear_labels_with_3000_events(counts, label):
    out = R.classify_counts(_series([("2014", *counts)]))
    row = out.iloc[0]
    assert sum(counts) == 3000 and row.events == 3000
    assert row.label == label
    assert row.probability > 0.99
    assert row[f"p_{label}"] == row.probability


@pytest.mark.parametrize("counts", [(3, 0, 0, 0), (0, 0, 0, 3), (2, 0, 1, 0)])
def test_relations_three_events_are_insufficient_evidence(counts):
    row = R.classify_counts(_series([("2014", *counts)])).iloc[0]
    assert row.label == R.INSUFFICIENT
    assert np.isnan(row.probability)
    # below MIN_EVENTS the label probabilities would mostly be the prior's: none is shown,
    # but the net-cooperation interval is (and is wide)
    assert all(np.isnan(row[f"p_{k}"]) for k in R.LABELS)
    assert row.net_coop_hi - row.net_coop_lo > 0.5


def test_relations_same_shares_judged_differently_by_volume():
    """3 of 3 cooperative events versus 3,000 of 3,000: same shares, different verdicts."""
    out = R.classify_counts(_series([("small", 3, 0, 0, 0), ("large", 3000, 0, 0, 0)]))
    assert out.label.tolist() == [R.INSUFFICIENT, "friendly"]
    small, large = out.iloc[0], out.iloc[1]
    assert (small.net_coop_hi - small.net_coop_lo) > 10 * (large.net_coop_hi - large.net_coop_lo)


def test_relations_min_events_floor_overrides_a_leading_label():
    # 9 unanimous events: friendly would lead (p ~ 0.55 > 0.5) but 9 < MIN_EVENTS
    assert R.label_probabilities([9, 0, 0, 0])["friendly"] > R.MIN_LABEL_PROBABILITY
    row = R.classify_counts(_series([("2014", 9, 0, 0, 0)])).iloc[0]
    assert row.label == R.INSUFFICIENT and np.isnan(row.p_friendly)
    row = R.classify_counts(_series([("2014", 40, 0, 0, 0)])).iloc[0]
    assert row.label == "friendly"


def test_relations_probabilities_sum_to_one_and_shares_are_posterior_means():
    row = R.classify_counts(_series([("2014", 7, 1, 2, 0)])).iloc[0]
    assert sum(row[f"p_{k}"] for k in R.LABELS) == pytest.approx(1.0)
    # Dirichlet(1 + counts) mean: (7+1)/(10+4)
    assert row.share_verbal_coop == pytest.approx(8 / 14)
    assert row.share_material_conflict == pytest.approx(1 / 14)
    assert row.net_coop == pytest.approx((7 + 1 - 2) / 10)


@pytest.mark.parametrize("net, m, label", [
    (0.9, 0.01, "friendly"), (0.6, 0.079, "friendly"), (0.6, 0.08, "neutral"), (0.59, 0.0, "neutral"),
    (0.2, 0.1, "neutral"), (0.19, 0.1, "mixed"), (-0.2, 0.1, "mixed"), (-0.21, 0.0, "hostile"),
    (0.9, 0.18, "hostile"),
])
def test_relations_region_boundaries(net, m, label):
    assert R.region_labels(np.array([net]), np.array([m]))[0] == label


def test_relations_missing_columns_is_a_usage_error():
    with pytest.raises(UsageError, match="material_conflict"):
        R.classify_counts(pd.DataFrame({"period": ["2014"], "verbal_coop": [1], "material_coop": [0],
                                        "verbal_conflict": [0]}))
    with pytest.raises(UsageError):
        R.label_probabilities([1, -1, 0, 0])


def test_relations_classify_dyad_salience_against_hand_computation(tmp_path):
    counts = [
        ("IRN", "RUS", 2013, 900, 50, 40, 10),    # dyad: 1000 events
        ("RUS", "IRN", 2013, 800, 100, 90, 10),   # dyad: 1000 events
        ("IRN", "SYR", 2013, 500, 0, 0, 0),       # Iran's other coverage
        ("USA", "RUS", 2013, 1000, 0, 500, 500),  # Russia's other coverage
        ("IRN", "RUS", 2014, 5, 0, 0, 0),         # thin year
        ("USA", "IRN", 2014, 95, 0, 0, 0),
    ]
    con = make_store(tmp_path / "s.duckdb", counts=counts)
    out = R.classify_dyad(con, "IRN", "RUS").set_index("period")
    # 2013: dyad 2000; Iran covers 2000 + 500; Russia 2000 + 2000 -> union 4500
    assert out.loc["2013", "events"] == 2000
    assert out.loc["2013", "coverage_a"] == 2500 and out.loc["2013", "coverage_b"] == 4000
    assert out.loc["2013", "salience"] == pytest.approx(2000 / (2500 + 4000 - 2000))
    assert out.loc["2013", "label"] == "friendly"
    assert out.loc["2014", "salience"] == pytest.approx(5 / (100 + 5 - 5))
    assert out.loc["2014", "label"] == R.INSUFFICIENT
