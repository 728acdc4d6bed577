"""Norms and bands of the watch's alerts, against hand computations."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dyadwatch.serve import norms as N


def _series(events, conflict):
    return pd.DataFrame({"period": [f"2024-W{i + 1:02d}" for i in range(len(events))], "events": events,
                         "verbal_conflict": conflict, "material_conflict": [0] * len(events)})


@pytest.mark.parametrize("change, expected", [(0.30, "large"), (0.2501, "large"), (0.25, "moderate"),
                                              (0.10001, "moderate"), (0.10, None), (-0.5, None),
                                              (math.inf, "large"), (None, None), (float("nan"), None)])
def test_norms_band_acled_thresholds(change, expected):
    assert N.band(change) == expected


def test_norms_latest_against_hand_computation():
    # 52 weeks of 10 events (2 conflictual), then 4 weeks of 12 (3 conflictual), then 16 events (8 conflictual)
    ev = [10] * 52 + [12] * 4 + [16]
    cf = [2] * 52 + [3] * 4 + [8]
    got = N.latest_norms(_series(ev, cf), short=4, long=52)
    assert got["period"] == "2024-W57" and got["events"] == 16 and got["history"] == 56
    v = got["volume"]
    assert v["norm_4"] == 12.0
    assert v["norm_52"] == pytest.approx((48 * 10 + 4 * 12) / 52)          # the 52 weeks before the latest
    assert v["change_4"] == pytest.approx(16 / 12 - 1)                      # +33 %
    assert v["change_52"] == pytest.approx(16 / ((48 * 10 + 48) / 52) - 1)  # +57.6 %
    s = got["conflict_share"]
    assert s["value"] == 0.5
    assert s["norm_4"] == pytest.approx(12 / 48)                            # pooled: 3*4 / 12*4
    assert s["norm_52"] == pytest.approx((48 * 2 + 4 * 3) / (48 * 10 + 4 * 12))
    alerts = N.norm_alerts(got, min_events=5)
    assert [(a["measure"], a["band"]) for a in alerts] == [("volume", "large"), ("conflict_share", "large")]


def test_norms_alert_needs_both_norms_and_enough_events():
    # high against the last 4 weeks (+50 %) but ordinary for the year (-3 %): no alert
    ev = [20] * 48 + [10] * 4 + [15]
    got = N.latest_norms(_series(ev, [0] * len(ev)))
    assert got["volume"]["change_4"] == pytest.approx(0.5)
    assert got["volume"]["change_52"] < 0.10
    assert N.norm_alerts(got) == []
    # +20 % over both norms: moderate
    got = N.latest_norms(_series([10] * 52 + [12], [0] * 53))
    assert [(a["measure"], a["band"]) for a in N.norm_alerts(got)] == [("volume", "moderate")]
    # a week of 3 events against a norm of 1: under min_events, no alert
    got = N.latest_norms(_series([1] * 52 + [3], [0] * 53))
    assert N.norm_alerts(got, min_events=5) == []
    assert [a["band"] for a in N.norm_alerts(got, min_events=3)] == ["large"]


def test_norms_new_activity_and_short_history():
    got = N.latest_norms(_series([0] * 10 + [6], [0] * 10 + [6]))
    assert got["volume"]["norm_4"] == 0.0 and math.isinf(got["volume"]["change_4"])
    assert [(a["measure"], a["band"]) for a in N.norm_alerts(got)] == [("volume", "large"), ("conflict_share", "large")]
    assert N.pct(got["volume"]["change_4"]) == "new"
    # fewer than 4 periods of history: no norm, no alert (silence is not a norm of zero)
    got = N.latest_norms(_series([0, 0, 9], [0, 0, 0]))
    assert got["volume"]["norm_4"] is None and N.norm_alerts(got) == []
    assert N.latest_norms(pd.DataFrame()) is None
