"""The back-test on the real data: held-out accuracy of the verdict rules, and the six dyads of issue 13.

The store holds every file of ../shared/data a reader recognises (as ``make
demo`` loads them, without coding the seed paper). The held-out half was fixed
before the rules were tuned (``analysis.backtest.split``); the floor below is
the accuracy the rules reached on it when first run — a change that lowers it
fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.analysis import backtest as B
from dyadwatch.analysis.profile import relationship_profile
from dyadwatch.api import Dyadwatch

TABLE = Path(__file__).with_name("backtest_dyad_years.csv")
#: held-out dyad-years in the accepted verdicts when the rules were first run on them (36 of 39 = 92.3 %)
HELD_OUT_FLOOR = 36
TUNE_FLOOR = 37


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    from dyadwatch.demo import find_ingestible

    found, _ = find_ingestible(shared_data)
    path = tmp_path_factory.mktemp("backtest") / "bt.duckdb"
    with Dyadwatch(path) as dw:
        dw.ingest([p for p, _ in found])
    with Dyadwatch(path, read_only=True) as dw:
        yield dw


def test_backtest_table_is_complete_and_the_recorded_split_is_the_seeded_one():
    cases = B.split(B.read_cases(TABLE))
    assert len(cases) >= 60
    assert all(c.recorded_split == c.split for c in cases)
    for cls in B.ACCEPTED:  # stratified: every class in both halves, in proportion
        n_t = sum(1 for c in cases if c.expected == cls and c.split == B.TUNE)
        n_h = sum(1 for c in cases if c.expected == cls and c.split == B.HELD_OUT)
        assert n_h >= 1 and abs(n_t - n_h) <= 2, cls
    # rows seen before the split are all in the tuning half
    assert {c.split for c in cases if c.note in B.SEEN_BEFORE_SPLIT} == {B.TUNE}
    assert all(c.source for c in cases)


def test_backtest_held_out_accuracy_reaches_its_floor(store):
    cases = B.run(store.con, B.split(B.read_cases(TABLE)))
    sc = B.score(cases)
    misses = [f"{c.a}-{c.b} {c.year}: expected {c.expected}, got {c.got}" for c in cases if not c.ok]
    assert sc[B.HELD_OUT]["n"] == 39 and sc[B.HELD_OUT]["correct"] >= HELD_OUT_FLOOR, misses
    assert sc[B.HELD_OUT]["accuracy"] >= 0.85
    assert sc[B.TUNE]["correct"] >= TUNE_FLOOR, misses
    # every verdict but "insufficient evidence" carries a confidence in (0, 1)
    assert all(0 < c.confidence < 1 for c in cases if c.got != "insufficient evidence")


@pytest.mark.parametrize("a, b, years, accepted", [
    ("USA", "CHN", (2013, 2014), {"competitive", "adversarial"}),
    ("ARM", "AZE", (2010, 2014), {"adversarial"}),
    ("USA", "RUS", (2014, 2014), {"competitive", "adversarial"}),
    ("CHN", "JPN", (2010, 2014), {"competitive", "adversarial"}),
    ("IND", "PAK", (2012, 2012), {"competitive", "adversarial"}),
    ("SAU", "IRN", (2012, 2014), {"competitive", "adversarial"}),
])
def test_issue13_dyads_read_as_the_record_does(store, a, b, years, accepted):
    for p in relationship_profile(store.con, a, b, year_from=years[0], year_to=years[1]):
        assert p.verdict in accepted, (p.year, p.verdict, p.reasons)
        text = " | ".join(p.reasons)
        if p.atop and p.atop.get("defense"):  # Armenia-Azerbaijan: the pact and the fighting, both said
            assert "a defence pact is in force (ATOP), yet" in text
        assert f"{p.year}: covered by " in text  # every year names the sources that cover it
    usa_chn = relationship_profile(store.con, "USA", "CHN", year_from=2013, year_to=2013)[0]
    mali = [s for s in usa_chn.signals if "UCDP conflict 11347" in s["text"]]
    assert all(s["weight"] < 0.1 for s in mali)  # one of ~35 states backing Mali counts for almost nothing


@pytest.mark.parametrize("a, b, year, accepted", [
    # checked while the opposed-voting rule was written (not back-test rows): the United States votes as far apart
    # from its partners India (-0.20) and Egypt (-0.11) as from China; North Korea (-0.46) is beyond that range
    ("USA", "IND", 2016, {"cooperative", "aligned partners"}),
    ("USA", "EGY", 2012, {"cooperative", "aligned partners"}),
    ("USA", "PRK", 2012, {"competitive", "adversarial"}),
])
def test_moderately_opposed_voting_alone_does_not_make_partners_rivals(store, a, b, year, accepted):
    [p] = relationship_profile(store.con, a, b, year_from=year, year_to=year)
    assert p.verdict in accepted, (p.verdict, p.reasons)
    assert p.voting["kappa"] < -0.1  # the votes are opposed all the same, and the reasons say so
    assert any("opposed UN voting" in r for r in p.reasons)
