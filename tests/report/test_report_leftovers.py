"""Leftovers of issue 15: silence is not zero, thin years marked, names before codes in the verdict."""

from __future__ import annotations

import re

import pytest

from dyadwatch.cli import main
from dyadwatch.report import build_report
from dyadwatch.store.db import connect
from tests.relations.storefix import make_store


@pytest.fixture(scope="module")
def gap_store(tmp_path_factory):
    """Iran–Russia: 12 events in 2008 and 2010, none in 2009 (both states active with Syria that year),
    2 in 2011 (a thin year)."""
    ev, i = [], 0
    for y in (2008, 2010):
        for k in range(12):
            i += 1
            ev.append((i, f"{y}-03-{k + 1:02d}", "IRN", "RUS", 1))
    for k in range(12):
        i += 1
        ev.append((i, f"2009-03-{k + 1:02d}", "IRN", "SYR", 1))
        i += 1
        ev.append((i, f"2009-04-{k + 1:02d}", "RUS", "SYR", 1))
    for k in range(2):
        i += 1
        ev.append((i, f"2011-05-{k + 1:02d}", "RUS", "IRN", 1))
    path = tmp_path_factory.mktemp("gap") / "g.duckdb"
    make_store(path, events=ev).close()
    return path


def _row(html: str, year: str) -> str:
    i = html.index(f'title="the events behind {year}">{year}</a></td><td class="num">')
    return html[i:html.index("</tr>", i)]


def test_salience_of_a_year_without_events_says_no_events(gap_store, tmp_path):
    con = connect(gap_store, read_only=True)
    try:
        html = build_report(con, "IRN", "RUS", out=tmp_path / "r.html").read_text()
    finally:
        con.close()
    row09 = _row(html, "2009")
    assert '<td class="num">0</td>' in row09 and "no events" in row09 and "0.0 %" not in row09
    assert "100.0 %" in _row(html, "2008")  # 12 events, all of both states' events that year


def test_relation_table_says_no_events(gap_store, capsys):
    assert main(["relation", "IRN", "RUS", "--db", str(gap_store)]) == 0
    out = capsys.readouterr().out
    line09 = [ln for ln in out.splitlines() if "2009" in ln][0]
    assert "no events" in line09


def test_verdict_names_first_codes_beside(report_html_path):
    from dyadwatch.codebooks.labels import pair_title

    assert pair_title("IRN", "RUS") == "Iran–Russia (IRN–RUS)"
    assert pair_title("XXA", "XXB") == "XXA–XXB"
    html = report_html_path.read_text()
    assert '<p class="verdict">Iran–Russia (IRN–RUS) in 2016: ' in html
    i = html.index('id="question"')
    para = html[i:html.index("</section>", i)]
    assert "Iran–Russia (IRN–RUS) in 2016: " in para and "IRN–RUS in" not in para.replace("(IRN–RUS) in", "")


def test_thin_years_drawn_hollow(gap_store):
    from dyadwatch.report.content import report_content
    from dyadwatch.report.figures import THIN_MARKER, comparison_figure, series_figure

    con = connect(gap_store, read_only=True)
    try:
        c = report_content(con, "IRN", "RUS")
    finally:
        con.close()
    fig = series_figure(c)
    line = [t for t in fig["data"] if t.get("name") == "net cooperation (left axis)"][0]
    sym = dict(zip(line["x"], line["marker"]["symbol"]))
    assert sym[2011] == THIN_MARKER  # 2 events
    assert sym[2008] == "circle" and sym[2010] == "circle"  # 12 events each
    legend = [t for t in fig["data"] if str(t.get("name", "")).startswith("hollow marker: thin year")]
    assert len(legend) == 1 and "under 10 events" in legend[0]["name"]
    comp = comparison_figure(c)
    pair = [t for t in comp["data"] if t.get("name") == "Iran–Russia"][0]
    assert dict(zip(pair["x"], pair["marker"]["symbol"]))[2011] == THIN_MARKER


def test_change_point_data_sets_by_short_citation(report_store):
    from dyadwatch.report.sections import dataset_names

    assert dataset_names(report_store, "text") == "dyadwatch coder (events coded from documents)"
    assert dataset_names(report_store, "icews,cow-war") == ("ICEWS (Boschee et al. 2015); "
                                                            "COW Inter-State War 4.0 (Sarkees & Wayman 2010)")
    assert dataset_names(report_store, "toy") == "toy"  # no record: the label itself
    assert dataset_names(report_store, None) is None


def test_question_conclusion_bolds_only_the_label(report_html_path):
    """The answer paragraph: pair, year and label in bold; its evidence and coverage in plain text."""
    html = report_html_path.read_text()
    m = re.search(r'<p class="conclusion"><strong>(.*?)</strong>(.*?)</p>', html, re.S)
    assert m, "no conclusion paragraph"
    head, rest = m.group(1), m.group(2)
    assert re.fullmatch(r"Iran–Russia \(IRN–RUS\) in \d{4}: [a-z ]+ \(confidence [01]\.\d\d\)", head), head
    assert rest.startswith(", on the evidence of ") and len(rest) > len(head)
    assert "<strong>" not in rest
