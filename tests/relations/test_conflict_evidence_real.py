"""Rivalries, MIDs and COW wars of a dyad on the real peacesciencer copies, checked against the raw files."""

from __future__ import annotations

import csv

import pytest

from dyadwatch.analysis import disputes as D
from dyadwatch.analysis import interstate_wars as W
from dyadwatch.analysis import rivalries as RV
from dyadwatch.api import Dyadwatch

FILES = ("td_rivalries.csv", "cow_mid_ddydisps.csv", "cow_mid_disps.csv", "cow_war_inter.csv")


@pytest.fixture(scope="module")
def con(shared_data, tmp_path_factory):
    path = tmp_path_factory.mktemp("conflict") / "c.duckdb"
    with Dyadwatch(path) as dw:
        dw.ingest([shared_data / "peacesciencer" / f for f in FILES])
    with Dyadwatch(path, read_only=True) as dw:
        yield dw.con


def _raw(shared_data, name):
    with open(shared_data / "peacesciencer" / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_rivalry_hazard_and_presumption_from_the_raw_file(con, shared_data):
    raw = [r for r in _raw(shared_data, "td_rivalries.csv") if "324" not in (r["ccode1"], r["ccode2"])]
    last = max(int(r["endyear"]) for r in raw)
    ended = sum(1 for r in raw if int(r["endyear"]) >= 1816 and int(r["endyear"]) < last)
    at_risk = sum(int(r["endyear"]) - max(int(r["styear"]), 1816) + 1 for r in raw if int(r["endyear"]) >= 1816)
    h = RV.termination_hazard(con)
    assert h == pytest.approx(ended / at_risk) and 0.01 < h < 0.03
    got = RV.rivalries(con, "USA", "RUS", [1985, 1995, 2008, 2014])
    assert [r["name"] for r in got[1985]] == ["Russia-United States 1"] and got[1985][0]["observed"]
    assert got[1995] == []  # covered, no rivalry (the first ended in 1989, the second began in 2007)
    assert got[2008][0]["ongoing_at_end"] and got[2008][0]["coverage_end"] == 2010
    assert not got[2014][0]["observed"] and got[2014][0]["presumed_p"] == pytest.approx((1 - h) ** 4)
    assert "presumed still ongoing: the data end in 2010" in RV.describe(got[2014][0])
    # a pair without a rivalry ongoing at the end: silence after 2010
    assert RV.rivalries(con, "IRN", "RUS", [2009, 2016]) == {2009: [], 2016: None}


def test_disputes_of_a_dyad_match_the_raw_rows(con, shared_data):
    raw = [r for r in _raw(shared_data, "cow_mid_ddydisps.csv") if r["ccode1"] == "710" and r["ccode2"] == "740"]
    got = D.disputes(con, "CHN", "JPN", range(2002, 2016))
    for r in raw:
        y = int(r["year"])
        if 2002 <= y <= 2014:
            [d] = [d for d in got[y] if d["dispnum"] == int(r["dispnum"])]
            assert (d["hostlev_a"], d["hostlev_b"]) == (int(r["hostlev1"]), int(r["hostlev2"]))
            assert d["hostlev"] == max(int(r["hostlev1"]), int(r["hostlev2"]))
    years_raw = {int(r["year"]) for r in raw if 2002 <= int(r["year"]) <= 2014}
    assert {y for y in range(2002, 2015) if got[y]} == years_raw
    assert got[2015] is None  # MID 5.0 ends in 2014: silence, not "no dispute"
    assert "use of force" in D.describe(got[2012][0], "CHN", "JPN")


def test_war_sides_opposite_and_same_from_the_dyad_years(con, shared_data):
    raw = [r for r in _raw(shared_data, "cow_war_inter.csv") if r["warnum"] == "227"]
    side = {r["ccode1"]: r["sidea1"] for r in raw}
    assert side["2"] == side["200"] != side["645"]
    got = W.war_sides(con, "USA", "GBR", [2003, 2005, 2010])
    n_side = len({c for c, s in side.items() if s == side["2"]})
    assert got[2003]["same"] == [{"warnum": 227, "warname": None, "side": int(side["2"]), "n_side": n_side}]
    assert got[2005] == {"opposite": [], "same": []}  # v4.0 covers 2005: no war
    assert got[2010] is None  # past 2007: silence
    opp = W.war_sides(con, "USA", "IRQ", [2003])[2003]["opposite"]
    [r] = [r for r in raw if r["ccode1"] == "2" and r["ccode2"] == "645"]
    assert opp[0]["batdeath_a"] == int(r["batdeath1"]) and opp[0]["batdeath_b"] == int(r["batdeath2"])
