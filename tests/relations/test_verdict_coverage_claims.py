"""Coverage stated where the verdict is made, the headline rule, the verdict paragraph, and self-sourced claims."""

from __future__ import annotations

import json

from dyadwatch.analysis import claims as CL
from dyadwatch.analysis import coverage as C
from dyadwatch.analysis.profile import YearProfile, relationship_profile
from dyadwatch.report.content import headline, verdict_timeline
from dyadwatch.report.question import answer
from tests.relations.storefix import make_store


def _events(p, n, ca, cb):
    p.events = {"label": "friendly", "probability": 1.0, "net_coop": 0.9, "events": n, "coverage_a": ca,
                "coverage_b": cb}
    return p


def test_coverage_events_thin_absent_silent_and_covered():
    s = C.Spans(event_sets={"icews-dyad-year": (2002, 2014), "icews05-15": (2005, 2015), "text": (1963, 2017)},
                count_sets={"icews-dyad-year"},
                presence={"IRN": {"icews-dyad-year", "icews05-15", "text"}, "RUS": {"icews-dyad-year", "icews05-15"},
                          "TUR": {"icews05-15"}},
                median_events={"IRN": 40000.0, "RUS": 70000.0, "TUR": 900.0})
    ok = C._events(_events(YearProfile("IRN", "RUS", 2014), 4777, 57000, 81000), s)
    # data sets by their registry name (short citation), not the store's label
    assert ok == {"status": "covered", "text": "4,777 IRN–RUS events (ICEWS dyad-years (Boschee et al. 2015, via netify))"}
    # 2015 is read from a benchmark extract: 808 Iran events against a median of 40,000 is thin (< 10 %)
    thin = C._events(_events(YearProfile("IRN", "RUS", 2015), 11, 808, 121), s)
    assert thin["status"] == "thin" and "IRN 808 events with anyone (median year in the store 40,000)" in thin["text"]
    # Turkey never appears in the dyad-year counts, which are what 2012 is read from: said, not skipped
    absent = C._events(_events(YearProfile("RUS", "TUR", 2012), 0, 80000, 0), s)
    assert absent["status"] == "absent" and "TUR never appears in ICEWS dyad-years (Boschee" in absent["text"]
    # only coded documents span 2016: silence
    silent = C._events(YearProfile("IRN", "RUS", 2016), s)
    assert silent["status"] == "silent" and "no event data set in the store covers 2016" in silent["text"]


def test_coverage_summary_lists_covered_partial_and_silent_families():
    cov = {"events": {"status": "thin", "text": "11 events"}, "votes": {"status": "covered", "text": "74 roll calls"},
           "rivalries": {"status": "presumed", "text": "data end in 2010"},
           "disputes": {"status": "silent", "text": "COW MID data end in 2014"}}
    text = C.summary(cov)
    assert text == ("covered by votes (74 roll calls); partly: events — thin: 11 events; rivalries — presumed: "
                    "data end in 2010; silent: disputes (COW MID data end in 2014)")
    assert C.covering(cov) == ["votes"]


def _p(year, verdict, fams, conf=0.8, signals=()):
    cov = {f: {"status": "covered", "text": f} for f in fams}
    cov.update({f: {"status": "silent", "text": f"{f} end"} for f in C.FAMILIES if f not in fams and f != "vetoes"})
    return {"year": year, "verdict": verdict, "confidence": conf, "coverage": cov, "signals": list(signals),
            "atop": {"defense": 0, "offense": 0, "neutral": 1, "nonagg": 1, "consul": 1} if "alliances" in fams
            else None, "voting": None, "conflicts_same_side": [], "conflicts_opposite_sides": [], "joint_vetoes": None,
            "wars_cow": None, "disputes": [] if "disputes" in fams else None,
            "rivalries": [] if "rivalries" in fams else None, "reasons": []}


def test_headline_is_the_latest_year_three_families_cover_and_says_why():
    profiles = [_p(2014, "aligned partners", ["events", "votes", "alliances", "wars", "disputes"]),
                _p(2018, "aligned partners", ["votes", "alliances", "wars"]),
                _p(2019, "aligned partners", ["votes", "wars"])]
    h = headline(profiles)
    assert h["year"] == 2018
    assert h["headline_rule"] == ("2018 is the latest year that at least 3 source families cover (votes, alliances, "
                                  "wars); later years have fewer: 2019 (votes, wars)")
    assert headline([_p(2019, "insufficient evidence", ["votes"])]) is None


def test_conclusion_names_years_and_sources_and_says_silence():
    profiles = [_p(2014, "aligned partners", ["events", "votes", "alliances", "wars", "disputes"]),
                _p(2016, "aligned partners", ["votes", "alliances", "wars"]),
                _p(2017, "aligned partners", ["votes", "alliances", "wars"])]
    content = {"a": "IRN", "b": "RUS", "verdicts": profiles, "classification": [], "series": [],
               "summary": {"latest": headline(profiles), "timeline": verdict_timeline(profiles)}}
    q = answer(content)
    text = q["conclusion"]
    assert text.startswith("Iran–Russia (IRN–RUS) in 2017: aligned partners (confidence 0.80), on the evidence of UN votes, "
                           "ATOP alliances, armed conflicts (wars)")
    assert "no militarized dispute in 2014 (COW MID)" in text
    assert "events are silent in 2016–2017" in text and "militarized disputes (COW MID) are silent in 2016–2017" in text
    assert "For 2016–2017 none of them covers the year, so the absence of competition there is silence" in text
    assert "no sign of competition" not in text.lower()
    assert q["competition"] == []


def test_conclusion_names_the_ties_of_each_aligned_run_with_their_years():
    atop = {"direction": "for", "weight": 1.0, "family": "alliances", "text": "ATOP consultation", "specific": True}
    side = {"direction": "for", "weight": 1.5, "family": "wars", "text": "same side in UCDP 299", "specific": True}
    ev = {"direction": "for", "weight": 1.0, "family": "events", "text": "friendly", "specific": False}
    fams = ["events", "votes", "alliances", "wars", "disputes"]
    profiles = [_p(2013, "aligned partners", fams, 0.75, [atop, ev]), _p(2014, "aligned partners", fams, 0.8, [atop, ev]),
                _p(2015, "aligned partners", fams, 0.87, [atop, side, ev]), _p(2016, "cooperative", fams, 0.6, [ev])]
    content = {"a": "IRN", "b": "RUS", "verdicts": profiles, "classification": [], "series": [],
               "summary": {"latest": headline(profiles), "timeline": verdict_timeline(profiles)}}
    text = answer(content)["conclusion"]
    # the run of one verdict says what it rests on, year by year: the war side is added in 2015 only
    assert ("Verdicts by year: aligned partners 2013–2015 (ties only aligned states share: ATOP obligations short "
            "of defence 2013–2015, a side shared in an armed conflict 2015; confidence 0.75–0.87); cooperative 2016."
            ) in text


def test_conclusion_lists_competition_with_years(tmp_path):
    sig = [{"direction": "against", "weight": 2.5, "family": "rivalries", "text": "strategic rivalry Iran-Saudi Arabia",
            "force": False, "specific": False}]
    profiles = [_p(2012, "competitive", ["events", "votes", "alliances", "wars", "disputes"], 0.7, sig)]
    content = {"a": "SAU", "b": "IRN", "verdicts": profiles, "classification": [], "series": [],
               "summary": {"latest": headline(profiles), "timeline": verdict_timeline(profiles)}}
    q = answer(content)
    assert q["competition"] == ["2012: strategic rivalry Iran-Saudi Arabia"]
    assert "Signs of competition or hostility in 2012: 1 signals against alignment" in q["conclusion"]


def test_claims_from_a_documents_own_events_are_self_sourced(tmp_path):
    con = make_store(tmp_path / "s.duckdb", events=[(1, "2015-09-26", "RUS", "IRQ", 2), (2, "2017-11-01", "RUS", "IRN", 1),
                                                   (3, "2017-11-01", "RUS", "IRN", 1)])
    con.execute("UPDATE events SET dataset = 'text', doc_id = 'paper1' WHERE native_id IN ('1', '2')")
    con.execute("UPDATE events SET doc_id = 'other-report' WHERE native_id = '3'")
    path = tmp_path / "c.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in [
        {"id": "own", "kind": "event", "actors": ["RUS", "IRQ"], "date": "2015-09-26", "document": "paper1"},
        {"id": "mixed", "kind": "event", "actors": ["RUS", "IRN"], "date": "2017-11-01", "document": "paper1"},
        {"id": "nodoc", "kind": "event", "actors": ["RUS", "IRQ"], "date": "2015-09-26"},
        {"id": "pact", "kind": "alliance", "actors": ["IRN", "RUS"], "year": 2017, "obligation": "defense",
         "expected": False, "document": "paper1"},
    ]) + "\n", encoding="utf-8")
    res = {r.id: r for r in CL.check_file(con, path)}
    assert res["own"].answer == CL.SELF_SOURCED and "no independent support" in res["own"].why
    assert res["own"].datasets == ["text"] and res["own"].documents == ["paper1"]
    # one independent event besides the paper's own: supported by it alone, the paper's event not counted
    assert res["mixed"].answer == CL.SUPPORTED and "1 more coded from the claim's own document not counted" in \
        res["mixed"].why and res["mixed"].documents == ["other-report"]
    assert res["nodoc"].answer == CL.SUPPORTED  # no document named: nothing to exclude
    assert res["pact"].answer == CL.NO_DATA and res["pact"].datasets == []  # no ATOP rows: silent
    assert res["own"].to_dict()["document"] == "paper1"


def test_profile_years_default_to_the_yearly_series(tmp_path):
    counts = [("IRN", "RUS", y, 500, 50, 30, 5) for y in (2010, 2011, 2012)]
    con = make_store(tmp_path / "p.duckdb", counts=counts)
    years = [p.year for p in relationship_profile(con, "IRN", "RUS")]
    assert years == [2010, 2011, 2012]
