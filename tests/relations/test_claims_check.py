"""Claims: each kind answered supported / contradicted / no data on small stores built in code."""

from __future__ import annotations

import json

import pytest

from dyadwatch.analysis import claims as CL
from dyadwatch.errors import InputError
from tests.relations.storefix import make_store


def _claims(tmp_path, items):
    p = tmp_path / "c.jsonl"
    p.write_text("# comment line\n\n" + "\n".join(json.dumps(c) for c in items) + "\n", encoding="utf-8")
    return p


def test_claims_event_needs_coverage_of_both_actors(tmp_path):
    many = [(i, "2015-09-25", "RUS", "USA", 1) for i in range(25)]
    many += [(100 + i, "2015-09-27", "IRQ", "IRN", 1) for i in range(25)]
    con = make_store(tmp_path / "a.duckdb", events=many + [(999, "2016-03-01", "RUS", "IRQ", 2)])
    res = CL.check_claims(con, CL.read_claims(_claims(tmp_path, [
        {"id": "absent", "kind": "event", "actors": ["RUS", "IRQ"], "date": "2015-09-26"},
        {"id": "present", "kind": "event", "actors": ["RUS", "IRQ"], "date": "2016-03-02", "quad_class": 2},
        {"id": "wrong-kind", "kind": "event", "actors": ["RUS", "IRQ"], "date": "2016-03-02", "quad_class": 4},
    ])))
    ans = {r.id: r.answer for r in res}
    # 25 RUS and 25 IRQ events in the window, none between them: contradicted
    assert ans["absent"] == CL.CONTRADICTED
    assert ans["present"] == CL.SUPPORTED
    # one RUS-IRQ event in the window, not material conflict; 1 event each < 20: no data
    assert ans["wrong-kind"] == CL.NO_DATA


def test_claims_trend_relation_and_silent_sources(tmp_path):
    counts = [("IRN", "RUS", y, 500 + 100 * (y >= 2011), 50, 30, 5) for y in range(2006, 2015)]
    con = make_store(tmp_path / "b.duckdb", counts=counts)
    res = {r.id: r for r in CL.check_claims(con, CL.read_claims(_claims(tmp_path, [
        {"id": "up", "kind": "trend", "actors": ["IRN", "RUS"], "measure": "coop_events",
         "before": [2006, 2010], "after": [2011, 2014], "direction": "up"},
        {"id": "down", "kind": "trend", "actors": ["IRN", "RUS"], "measure": "events",
         "before": [2006, 2010], "after": [2011, 2014], "direction": "down"},
        {"id": "nodata", "kind": "trend", "actors": ["IRN", "RUS"], "before": [1990, 1995],
         "after": [2011, 2014], "direction": "up"},
        {"id": "friendly", "kind": "relation", "actors": ["IRN", "RUS"], "year": 2012, "expected": "friendly"},
        {"id": "hostile", "kind": "relation", "actors": ["IRN", "RUS"], "year": 2012, "expected": "hostile"},
        {"id": "atop", "kind": "alliance", "actors": ["IRN", "RUS"], "year": 2012, "obligation": "defense",
         "expected": False},
        {"id": "war", "kind": "same_side", "actors": ["IRN", "RUS"], "from": 2015, "to": 2016},
        {"id": "veto", "kind": "veto", "actor": "RUS", "date": "2014-05-22"},
    ])))}
    # counts are whole events; a mean says it is one
    assert res["up"].answer == CL.SUPPORTED and res["up"].why == (
        "cooperative events 2006–2010: 2,750 in 5 years with data, a mean of 550.0 a year → 2011–2014: "
        "2,600 in 4 years with data, a mean of 650.0 a year: up")
    assert res["down"].answer == CL.CONTRADICTED
    assert res["nodata"].answer == CL.NO_DATA
    assert res["friendly"].answer == CL.SUPPORTED and res["hostile"].answer == CL.CONTRADICTED
    # no ATOP, UCDP or veto rows in this store: the data are silent
    assert [res[k].answer for k in ("atop", "war", "veto")] == [CL.NO_DATA] * 3


@pytest.mark.parametrize("line, reason", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "JSON object"),
    ('{"kind": "rumour"}', "unknown claim kind"),
    ('{"kind": "trend", "actors": ["IRN", "RUS"]}', "lacks field(s) before, after, direction"),
])
def test_claims_bad_lines_name_file_and_line(tmp_path, line, reason):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"kind": "veto", "actor": "RUS", "from": 2014}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        CL.read_claims(p)
    assert exc.value.line == 2 and reason in exc.value.reason and str(p) in exc.value.one_line()


def test_claims_hostile_year_with_positive_net_cooperation_says_why(tmp_path):
    """2012: 600 cooperative and 400 conflictual events (net +0.20) with 300 of material conflict (30 %):
    hostile by the material-conflict rule, and the answer says so beside the sign."""
    con = make_store(tmp_path / "h.duckdb", counts=[("IRN", "RUS", 2012, 500, 100, 100, 300)])
    res = CL.check_claims(con, CL.read_claims(_claims(tmp_path, [
        {"id": "h", "kind": "relation", "actors": ["IRN", "RUS"], "year": 2012, "expected": "hostile"}])))
    assert res[0].answer == CL.SUPPORTED
    assert res[0].why.startswith("2012: hostile (p = 1.00, net cooperation 0.20, 1,000 events; hostile by its "
                                 "material conflict (force, seizures, assaults: 30 % of events; hostile from 18 %), "
                                 "although cooperation outweighs conflict)")
