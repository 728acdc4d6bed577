"""The report escapes every text that comes from data, and JSON carries the same content."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from dyadwatch.errors import UsageError
from dyadwatch.report import build_report
from dyadwatch.report.build import script_json
from dyadwatch.report.content import SECTIONS
from tests.report.reportfix import INJECT_AGENDA, INJECT_NAME, INJECT_SENTENCE


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.scripts, self.text, self._in_script = [], [], [], None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in_script = []

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append("".join(self._in_script))
            self._in_script = None

    def handle_data(self, data):
        (self._in_script if self._in_script is not None else self.text).append(data)


@pytest.fixture(scope="module")
def html(report_html_path):
    return report_html_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def store(report_store):
    return report_store


def test_report_injected_markup_is_text_not_elements(html):
    p = _Tags()
    p.feed(html)
    # no element came from the data: no <img>, no <b> (from the provenance title)
    assert not [t for t, _ in p.tags if t in ("img", "b")]
    assert not [a for _, a in p.tags if any(k.startswith("on") for k in a)]
    # our own scripts only: the figure data blocks, plotly.js, the initialiser
    kinds = [a.get("type", "js") for t, a in p.tags if t == "script"]
    assert kinds.count("js") == 2 and all(k in ("js", "application/json") for k in kinds)
    assert not any('alert("' in s for s in p.scripts)
    # ... and the injected strings are there, as visible text
    text = "".join(p.text)
    for s in (INJECT_NAME, INJECT_SENTENCE, "Toy <b>events</b>"):
        assert s in text
    # the Russia-China veto is not Iran-Russia's: Iran holds no permanent seat, so no joint veto is listed
    assert INJECT_AGENDA not in text and "Iran is not a permanent member of the Security Council" in text


def test_report_veto_agenda_escaped_in_the_pair_that_vetoed(store, tmp_path):
    path = build_report(store, "RUS", "CHN", compare=[], out=tmp_path / "rc.html")
    p = _Tags()
    p.feed(path.read_text(encoding="utf-8"))
    assert not any('alert("' in s for s in p.scripts)
    text = "".join(p.text)
    assert INJECT_AGENDA in text and "Drafts both vetoed in" in text


def test_report_has_every_section_and_a_figure_per_plot(html):
    p = _Tags()
    p.feed(html)
    ids = {a.get("id") for _, a in p.tags}
    for s in ("summary", "series", "classification", "alignment", "verdicts", "comparison", "blocs",
              "evidence", "silence", "provenance"):
        assert s in ids
    wanted = {a["data-figure"] for t, a in p.tags if t == "div" and "data-figure" in a}
    have = {a["id"] for t, a in p.tags if t == "script" and a.get("type") == "application/json"} - {"plot-config"}
    assert wanted == have == {"fig-series", "fig-classification", "fig-alignment", "fig-comparison", "fig-blocs"}
    assert "cdn" not in html.lower().split("<script>")[0]  # nothing loaded from a CDN before plotly.js


def test_report_script_json_cannot_close_its_block():
    text = script_json({"s": "</script><script>alert(1)</script>&"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"s": "</script><script>alert(1)</script>&"}


def test_report_json_format_has_the_same_content(store, tmp_path):
    path = build_report(store, "IRN", "RUS", compare=["RUS-ISR"], out=tmp_path / "r.json", fmt="json")
    c = json.loads(path.read_text(encoding="utf-8"))
    assert set(SECTIONS) <= set(c)
    assert any(e["sentence"] == INJECT_SENTENCE for e in c["evidence"]["events"])  # raw, unescaped in JSON
    assert c["evidence"]["vetoes"]["joint"] == [] and c["evidence"]["vetoes"]["counts"] == {"IRN": 0, "RUS": 1}
    assert [b["b"] for b in c["comparison"]] == ["ISR"]
    # the series numbers are the store's: 120 Iran-Russia events per year
    assert {r["events"] for r in c["series"]} == {120}
    assert c["blocs"]["blocs"] == [["IRN", "RUS", "SYR"], ["ISR", "SAU", "TUR", "USA"]]


def test_report_bad_format_and_bad_compare(store, tmp_path):
    with pytest.raises(UsageError, match="html, json"):
        build_report(store, "IRN", "RUS", out=tmp_path / "x", fmt="pdf")
    with pytest.raises(UsageError, match="C-D"):
        build_report(store, "IRN", "RUS", compare=["RUS"], out=tmp_path / "x.html")
