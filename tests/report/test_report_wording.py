"""Report wording (issue 15 leftovers): data sets by name in the coverage texts, a hostile year with
positive net cooperation says which rule made it hostile, change-point levels say they are geometric
means, the nav link and its section heading agree."""

from __future__ import annotations

import math
import re
from types import SimpleNamespace

from dyadwatch.analysis import coverage as C
from dyadwatch.analysis.changes import level_text, readable_level
from dyadwatch.report import build_report
from tests.relations.storefix import make_store

DYAD_YEARS = "ICEWS dyad-years (Boschee et al. 2015, via netify)"  # cite_as of icews-dyad-year


def _year(a="IRN", b="RUS", year=2010, **events):
    return SimpleNamespace(a=a, b=b, year=year, events=events, voting=None, voting_topic=None, atop=None,
                           rivalries=[])


def test_coverage_names_event_data_sets_by_their_registry_name():
    s = C.Spans(event_sets={"icews-dyad-year": (2002, 2014)}, count_sets={"icews-dyad-year"},
                presence={"IRN": {"icews-dyad-year"}, "RUS": {"icews-dyad-year"}},
                median_events={"IRN": 1000.0, "RUS": 1000.0})
    got = C.year_coverage(_year(events=1234, coverage_a=900, coverage_b=950), s)["events"]
    assert got == {"status": "covered", "text": f"1,234 IRN–RUS events ({DYAD_YEARS})"}
    got = C.year_coverage(_year(a="TUR", events=0, coverage_a=0, coverage_b=950), s)["events"]
    assert got["status"] == "absent"
    assert got["text"] == (f"TUR never appears in {DYAD_YEARS} ({DYAD_YEARS} covers 2010): the event data are "
                           "silent on this dyad, not quiet")


def test_coverage_store_labels_sharing_one_name_are_named_once():
    """icews14 and icews18 (both read by icews-names) are one data set to a reader."""
    name = "ICEWS extracts (Boschee et al. 2015; García-Durán et al. 2018)"
    s = C.Spans(event_sets={"icews14": (2014, 2014), "icews18": (2014, 2018)},
                presence={"IRN": {"icews14", "icews18"}, "RUS": {"icews14", "icews18"}},
                names={"icews14": name, "icews18": name})
    got = C.year_coverage(_year(year=2014, events=40, coverage_a=500, coverage_b=600), s)["events"]
    assert got == {"status": "covered", "text": f"40 IRN–RUS events ({name})"}


def test_change_point_levels_say_they_are_geometric_means():
    # volume is segmented on ln(1 + events): a level of ln(101) is a geometric mean of 100 events
    v, unit = readable_level("volume", math.log(101))
    assert round(v, 9) == 100.0 and unit == "events per period, geometric mean over the segment"
    assert level_text("volume", math.log(101)) == "100 events"
    assert readable_level("salience", math.log(0.025))[1].endswith("geometric mean over the segment")
    assert readable_level("net_coop", 0.5) == (0.5, "−1…+1")


def test_report_hostile_year_with_positive_net_and_silences_heading(tmp_path):
    """2012: 600 cooperative, 400 conflictual events, 300 of them material conflict (30 %):
    net cooperation +0.20 yet hostile — the classification row says why."""
    counts = [("IRN", "RUS", y, 800, 150, 40, 10) for y in (2010, 2011)] + [("IRN", "RUS", 2012, 500, 100, 100, 300)]
    con = make_store(tmp_path / "h.duckdb", counts=counts)
    try:
        html = build_report(con, "IRN", "RUS", out=tmp_path / "r.html").read_text()
    finally:
        con.close()
    table = html[html.index('<section id="classification">'):html.index('<section id="alignment">')]
    row = table[table.index(">2012<"):]
    row = row[:row.index("</tr>")]
    assert "<td>hostile<br><span class=\"muted\">hostile by its material conflict (force, seizures, assaults: " \
           "30 % of events; hostile from 18 %), although cooperation outweighs conflict</span></td>" in row
    assert '<td class="num">0.20</td>' in row
    # friendly years carry no such note
    assert table.count("hostile by its material conflict") == 1
    # the nav link's words open its section's heading
    nav = dict(re.findall(r'<a href="#([a-z_]+)">([^<]+)</a>', html[html.index("<nav>"):html.index("</nav>")]))
    assert nav["silence"] == "Silences"
    assert '<section id="silence">\n<h2>Silences: the years a source does not fully cover</h2>' in html


def test_data_set_names_sharing_one_citation_are_named_once(report_store):
    from dyadwatch.report.sections import dataset_names

    # gdelt1 and gdelt2 are two registry records with one short citation
    assert dataset_names(report_store, "gdelt1,gdelt2,icews") == "GDELT (Leetaru & Schrodt 2013); ICEWS (Boschee et al. 2015)"


def test_report_claims_name_blocs_and_data_sets(report_store, tmp_path):
    """A blocs claim's answer is a sentence with country names (it printed Python lists), and the
    claims table names the data sets behind each answer (it printed 'unvotes')."""
    import json

    claims = tmp_path / "c.jsonl"
    claims.write_text(json.dumps({"id": "b", "kind": "blocs", "actors": ["IRN", "RUS", "USA", "SAU"],
                                  "camps": [["IRN", "RUS"], ["USA", "SAU"]], "topic": "Syrian Arab Republic",
                                  "text": "two camps on Syria"}) + "\n", encoding="utf-8")
    html = build_report(report_store, "IRN", "RUS", out=tmp_path / "r.html", claims=claims).read_text()
    row = html[html.index("<td>two camps on Syria</td>"):]
    row = row[:row.index("</tr>")]
    assert '<td class="supported">supported</td>' in row
    assert re.search(r"<td>bloc 1: (Iran \(IRN\), Russia \(RUS\)|Saudi Arabia \(SAU\), United States \(USA\)); "
                     r"bloc 2: .*\(frustration 0\.000 of the total tie weight; 0 = perfect camps\)</td>", row)
    assert "[" not in row and "<td>UN votes (Voeten, Strezhnev &amp; Bailey 2009)" in row
