"""The dyad series on small stores built in code, checked against hand computations."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dyadwatch.api import Dyadwatch
from dyadwatch.cli import main
from dyadwatch.errors import UsageError
from tests.store.toy_reader import write_toy

# (id, date, src, tgt, code, quad, goldstein)
ROWS = [
    (1, "2016-01-05", "IRN", "RUS", "040", 1, 1.0),
    (2, "2016-01-20", "RUS", "IRN", "057", 1, 8.0),
    (3, "2016-03-02", "RUS", "IRN", "111", 3, -2.0),
    (4, "2016-03-03", "IRN", "RUS", "190", 4, -10.0),
    (5, "2016-03-04", "IRN", "RUS", "061", 2, 6.4),
    (6, "2016-03-04", "IRN", "SYR", "070", 2, 7.0),   # other dyad: never counted
    (7, "2017-06-07", "RUS", "IRN", "036", 1, 4.0),
]


@pytest.fixture
def dw(db_path, tmp_path):
    with Dyadwatch(db_path) as api:
        api.ingest([write_toy(tmp_path / "toy.csv", ROWS)])
        yield api


def test_dyads_yearly_undirected_hand_computed(dw):
    df = dw.dyad("IRN", "RUS", freq="year")
    assert list(df["period"]) == ["2016", "2017"]
    r16 = df.iloc[0]
    assert (r16.events, r16.verbal_coop, r16.material_coop, r16.verbal_conflict, r16.material_conflict) == (5, 2, 1, 1, 1)
    assert r16.goldstein_sum == pytest.approx(1 + 8 - 2 - 10 + 6.4)
    assert r16.goldstein_mean == pytest.approx((1 + 8 - 2 - 10 + 6.4) / 5)
    assert r16.net_coop == pytest.approx((2 + 1 - 1 - 1) / 5)
    assert df.iloc[1].events == 1 and df.iloc[1].net_coop == 1.0


def test_dyads_names_and_codes_are_the_same_actor(dw):
    by_code = dw.dyad("IRN", "RUS", freq="year")
    by_name = dw.dyad("Iran", "Russia", freq="year")
    assert by_code["events"].tolist() == by_name["events"].tolist()


def test_dyads_directed_split_sums_to_undirected(dw):
    df = dw.dyad("IRN", "RUS", freq="year", directed=True)
    d16 = df[df.period == "2016"].set_index("direction")
    assert d16.loc["A->B", "events"] == 3 and d16.loc["B->A", "events"] == 2
    assert d16.loc["A->B", "material_conflict"] == 1 and d16.loc["B->A", "verbal_conflict"] == 1


def test_dyads_monthly_fills_empty_periods_with_zero(dw):
    df = dw.dyad("IRN", "RUS", freq="month", date_from="2016-01", date_to="2016-04")
    assert df["period"].tolist() == ["2016-01", "2016-02", "2016-03", "2016-04"]
    assert df["events"].tolist() == [2, 0, 3, 0]
    feb = df.iloc[1]
    assert feb.net_coop is None or feb.net_coop != feb.net_coop  # undefined, not 0
    assert feb.goldstein_sum == 0.0


def test_dyads_root_filter_and_week_labels(dw):
    df = dw.dyad("IRN", "RUS", freq="week", roots=["19"], date_from="2016-02-29", date_to="2016-03-06")
    assert df["period"].tolist() == ["2016-W09"] and df["events"].tolist() == [1]


def test_dyads_counts_preferred_for_covered_years(dw):
    dw.con.execute("INSERT INTO dyad_counts VALUES ('cnt', 'IRN', 'RUS', 2016, 10, 5, 2, 1, 'Iran', 'Russia', NULL),"
                   "('cnt', 'RUS', 'IRN', 2016, 7, 0, 3, 0, 'Russia', 'Iran', NULL)")
    df = dw.dyad("IRN", "RUS", freq="year")
    r16 = df[df.period == "2016"].iloc[0]
    # 2016 comes from the counts only (no double counting of the 5 events)
    assert (r16.events, r16.verbal_coop, r16.material_coop) == (28, 17, 5)
    assert r16.datasets == "cnt" and pd.isna(r16.goldstein_mean)
    # 2017 is not covered by the counts: events are used
    assert df[df.period == "2017"].iloc[0].events == 1
    ev = dw.dyad("IRN", "RUS", freq="year", prefer="events")
    assert ev[ev.period == "2016"].iloc[0].events == 5


def test_dyads_top_events_ranked_by_intensity(dw):
    top = dw.top_events("IRN", "RUS", freq="year", n=2)
    y16 = top[top.period == "2016"]
    assert y16["event_id"].tolist() == ["toy:4", "toy:2"]  # |-10| then |8|
    assert y16.iloc[0].direction == "A->B"


def test_dyads_bad_arguments_raise_usage_errors(dw):
    with pytest.raises(UsageError, match="unknown frequency"):
        dw.dyad("IRN", "RUS", freq="fortnight")
    with pytest.raises(UsageError, match="unknown actor"):
        dw.dyad("IRN", "Atlantis")
    with pytest.raises(UsageError, match="bad --from"):
        dw.dyad("IRN", "RUS", date_from="last year")


def test_dyads_cli_json_keys(dw, capsys):
    path = str(dw.path)
    dw.close()
    assert main(["dyad", "IRN", "RUS", "--freq", "year", "--format", "json", "--db", path]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["period"] == "2016" and rows[0]["direction"] == "both" and rows[0]["events"] == 5
    assert {"period", "direction", "events", "verbal_coop", "material_coop", "verbal_conflict",
            "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop"} <= set(rows[0])
    dw.con = __import__("duckdb").connect(path)  # reopen so the fixture can close it


def test_dyads_cli_unknown_actor_is_one_line(dw, capsys):
    path = str(dw.path)
    dw.close()
    assert main(["dyad", "IRN", "Atlantis", "--db", path]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: unknown actor 'Atlantis'") and "\n" not in err
    dw.con = __import__("duckdb").connect(path)


def test_dyads_prefer_events_ignores_other_dyads_events(dw):
    dw.con.execute("INSERT INTO dyad_counts VALUES ('cnt', 'IRN', 'RUS', 2015, 3, 0, 0, 0, 'Iran', 'Russia', NULL)")
    # an event of another dyad in 2015 must not make 2015 'covered by events' for IRN-RUS
    dw.con.execute("INSERT INTO events (event_id, dataset, event_date, src_country, tgt_country, quad_class) "
                   "VALUES ('toy:x', 'toy', DATE '2015-05-05', 'USA', 'CHN', 1)")
    ev = dw.dyad("IRN", "RUS", freq="year", prefer="events")
    got = dict(zip(ev["period"], ev["events"]))
    assert got == {"2015": 3, "2016": 5, "2017": 1}


def test_dyads_cli_json_has_no_nan(dw, capsys):
    path = str(dw.path)
    dw.close()
    assert main(["dyad", "IRN", "RUS", "--freq", "month", "--format", "json", "--db", path]) == 0
    text = capsys.readouterr().out
    assert "NaN" not in text
    rows = json.loads(text)
    assert any(r["events"] == 0 and r["net_coop"] is None for r in rows)
    dw.con = __import__("duckdb").connect(path)


@pytest.mark.parametrize("freq,n", [("year", 1), ("year", 3), ("month", 2), ("day", 1)])
def test_dyads_top_events_equal_a_ranking_in_pandas(dw, freq, n):
    """Both directions ranked together per period (the UNION ALL branches of _direction_branches), as the
    rows of either direction sorted in pandas: |Goldstein| desc, mentions desc, event_id."""
    ev = dw.sql("SELECT * FROM events")
    ev = ev[((ev.src_country == "IRN") & (ev.tgt_country == "RUS")) | ((ev.src_country == "RUS") & (ev.tgt_country == "IRN"))]
    ev = ev.assign(p=pd.to_datetime(ev.event_date).dt.to_period({"year": "Y", "month": "M", "day": "D"}[freq]).astype(str),
                   g=ev.goldstein.abs(), direction=["A->B" if s == "IRN" else "B->A" for s in ev.src_country])
    ev = ev.sort_values(["p", "g", "mentions", "event_id"], ascending=[True, False, False, True], na_position="last")
    want = ev.groupby("p").head(n)
    got = dw.top_events("IRN", "RUS", freq=freq, n=n)
    assert got["event_id"].tolist() == want["event_id"].tolist() and len(got) >= 2
    assert got["direction"].tolist() == want["direction"].tolist()
    assert "toy:6" not in got["event_id"].tolist()  # the other dyad
