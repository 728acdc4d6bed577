"""A period with no events has no label probabilities (the prior says nothing about the dyad)."""

from __future__ import annotations

import math

import pandas as pd

from dyadwatch.analysis.relations import INSUFFICIENT, LABELS, classify_counts


def test_relations_zero_events_have_no_probabilities():
    series = pd.DataFrame({"period": ["2015", "2016"], "verbal_coop": [40, 0], "material_coop": [5, 0],
                           "verbal_conflict": [2, 0], "material_conflict": [1, 0]})
    out = classify_counts(series).set_index("period")
    assert out.loc["2016", "label"] == INSUFFICIENT and out.loc["2016", "events"] == 0
    assert all(math.isnan(out.loc["2016", f"p_{k}"]) for k in LABELS)
    assert out.loc["2015", "label"] == "friendly" and out.loc["2015", "p_friendly"] > 0.9
