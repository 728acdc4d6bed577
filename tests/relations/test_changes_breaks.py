"""Change points on series with breaks placed at known dates."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dyadwatch.analysis import changes as C
from dyadwatch.errors import UsageError


def _monthly(levels_by_segment, noise=0.04, seed=7, events=200):
    """A monthly dyad series whose net cooperation sits at given levels; returns (series, break periods)."""
    rng = np.random.default_rng(seed)
    rows, breaks, month = [], [], pd.Period("2012-01", "M")
    for k, (length, level) in enumerate(levels_by_segment):
        if k:
            breaks.append(str(month))
        for _ in range(length):
            net = float(np.clip(level + rng.normal(0, noise), -1, 1))
            coop = int(round(events * (1 + net) / 2))
            conflict = events - coop
            rows.append({"period": str(month), "period_start": month.start_time.date(), "events": events,
                         "verbal_coop": coop, "material_coop": 0, "verbal_conflict": conflict,
                         "material_conflict": 0, "net_coop": (coop - conflict) / events})
            month += 1
    return pd.DataFrame(rows), breaks


def test_changes_two_breaks_found_at_their_months():
    series, truth = _monthly([(24, 0.8), (12, 0.1), (20, 0.6)])
    assert truth == ["2014-01", "2015-01"]
    br = C.series_breaks(series, ["net_coop"])
    assert br["period"].tolist() == truth
    first = br.iloc[0]
    assert first.before == pytest.approx(0.8, abs=0.03) and first.after == pytest.approx(0.1, abs=0.03)
    assert first.segment_before == "2012-01..2013-12" and first.segment_after == "2014-01..2014-12"


def test_changes_conflict_share_break_mirrors_net_coop():
    series, truth = _monthly([(18, 0.7), (18, -0.3)])
    br = C.series_breaks(series, ["conflict_share"])
    assert br["period"].tolist() == truth
    # conflict share = (1 - net) / 2
    assert br.iloc[0].before == pytest.approx(0.15, abs=0.02) and br.iloc[0].after == pytest.approx(0.65, abs=0.02)


def test_changes_pure_noise_has_no_break():
    series, truth = _monthly([(60, 0.5)], noise=0.08, seed=3)
    assert truth == []
    assert C.series_breaks(series, ["net_coop"]).empty


def test_changes_volume_break_in_log_events():
    series, _ = _monthly([(30, 0.5)])
    series.loc[18:, "events"] = series.loc[18:, "events"] * 5
    br = C.series_breaks(series, ["volume"])
    assert br["period"].tolist() == [series.loc[18, "period"]]
    assert br.iloc[0].change == pytest.approx(np.log1p(1000) - np.log1p(200), abs=1e-9)


def test_changes_noise_free_step_uses_floor_and_keeps_only_the_jump():
    x = np.r_[np.full(6, 0.9), np.full(7, 0.3)]
    assert C.detect_breaks(x) == [6]
    assert C.bic_penalty(x) == pytest.approx(2 * (C.SIGMA_FLOOR * 0.6) ** 2 * np.log(13))


def test_changes_short_series_and_bad_input():
    assert C.detect_breaks([0.1, 0.9, 0.1]) == []
    with pytest.raises(UsageError):
        C.detect_breaks([0.1, np.nan, 0.3, 0.4])
    with pytest.raises(UsageError, match="net_coop, conflict_share, volume"):
        C.measure_values(pd.DataFrame({"period": []}), "tone")


def test_changes_quad_class_shift_names_the_class_that_moved():
    series, _ = _monthly([(6, 0.8), (6, -0.2)])
    shift = C.quad_class_shift(series, "2012-07")
    assert shift["moved_most"] in ("verbal_coop", "verbal_conflict")
    assert shift["verbal_conflict"] == series.loc[6, "verbal_conflict"] - series.loc[5, "verbal_conflict"]


def test_changes_negligible_shift_in_a_flat_series_is_not_a_break():
    # net cooperation 0.99 for 3 weeks then 1.00 for 8: sigma-hat is 0, the floor keeps it quiet
    series, _ = _monthly([(3, 0.99), (8, 1.0)], noise=0.0)
    assert C.series_breaks(series, ["net_coop"]).empty
    # ... while a real drop of 0.3 in the same short series is found
    series, truth = _monthly([(5, 0.95), (6, 0.65)], noise=0.0)
    assert C.series_breaks(series, ["net_coop"])["period"].tolist() == truth


def test_changes_break_at_a_change_of_source_is_flagged():
    series, truth = _monthly([(8, 0.9), (8, 0.3)], noise=0.0)
    series["datasets"] = ["counts"] * 8 + ["events"] * 8
    br = C.series_breaks(series, ["net_coop"]).iloc[0]
    assert br.period == truth[0] and br.sources_differ
    assert (br.datasets_before, br.datasets_after) == ("counts", "events")
    series["datasets"] = "counts"
    assert not C.series_breaks(series, ["net_coop"]).iloc[0].sources_differ


def test_changes_salience_ignores_a_rise_in_overall_coverage(tmp_path):
    """Dyad events triple when the sources triple their coverage of both actors: a volume break,
    no salience break."""
    from tests.relations.storefix import make_store

    counts = []
    for y in range(2002, 2014):
        k = 1 if y < 2008 else 3
        counts += [("IRN", "RUS", y, 400 * k, 20 * k, 30 * k, 5 * k), ("IRN", "USA", y, 900 * k, 0, 600 * k, 0),
                   ("RUS", "USA", y, 1500 * k, 0, 900 * k, 0)]
    con = make_store(tmp_path / "s.duckdb", counts=counts)
    res = C.dyad_changes(con, "IRN", "RUS", measures=("volume", "salience"))
    found = {(b["measure"], b["period"]) for b in res["breaks"]}
    assert found == {("volume", "2008")}
    sal = res["series"]["salience"].to_numpy()
    assert np.allclose(sal, sal[0])  # 455 / (1955 + 2855 - 455) every year
    assert sal[0] == pytest.approx(455 / (455 + 1500 + 455 + 2400 - 455))
