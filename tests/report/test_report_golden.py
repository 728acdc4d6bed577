"""Golden files of the report's tables and JSON on a fixed slice of real data.

The slice: Iran–Russia 2010–2014, compared with Russia–Syria, UN voting topic
"Syrian Arab Republic", from the ICEWS dyad-year counts, the UN votes, ATOP,
UCDP/PRIO ACD and the UNSC veto list in ``../shared/data``. The golden files
hold numbers, names and codes the report shows (no sentence of any data set):

- ``golden/iran_russia_2010_2014.json`` — the report content's sections of
  this area (series, change points, classification, alignment, baselines,
  events behind each year, comparison series, blocs, vetoes, conflicts), floats
  rounded to 6 decimals;
- ``golden/iran_russia_2010_2014_tables.txt`` — the text of the HTML tables of
  those sections, one row a line.

The verdict, reasons, question and claims sections are left out: their rules
are tuned elsewhere (issue 13) and have tests of their own.

A change that moves a number fails here with a diff. When the change is
meant, regenerate the files and review the diff in git::

    DYADWATCH_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/report/test_report_golden.py
    (or: make golden)
"""

from __future__ import annotations

import difflib
import json
import os
from html.parser import HTMLParser
from pathlib import Path

import pytest

from dyadwatch.api import Dyadwatch
from dyadwatch.report.build import render_html
from dyadwatch.report.content import report_content

GOLDEN = Path(__file__).parent / "golden"
NAME = "iran_russia_2010_2014"
UPDATE = os.environ.get("DYADWATCH_UPDATE_GOLDEN") == "1"
SLICE = dict(compare=["RUS-SYR"], year_from=2010, year_to=2014, topic="Syrian Arab Republic")
#: sections of the content kept in the golden JSON
KEEP = ("title", "a", "b", "a_name", "b_name", "pair_label", "series", "changes", "classification", "alignment",
        "baselines", "events_by_period", "blocs")
#: sections whose HTML tables are kept
TABLE_SECTIONS = ("series", "classification", "alignment", "blocs", "evidence")
#: fields never written to a golden file (text of the data sets, or paths of this machine)
DROP = {"sentence", "source_url", "doc_id", "loc_name"}


@pytest.fixture(scope="module")
def golden_store(shared_data, tmp_path_factory):
    d = shared_data
    files = [d / "events/icews_dyadyear/icews_dyad_year_2002_2014.parquet", d / "unvotes/un_votes.parquet",
             d / "unvotes/un_roll_calls.csv", d / "unvotes/un_roll_call_issues.csv",
             d / "peacesciencer/atop_alliance.parquet", d / "peacesciencer/ucdp_acd.csv",
             d / "unsc/unsc_vetoes_1946_2022.csv"]
    with Dyadwatch(tmp_path_factory.mktemp("golden") / "g.duckdb") as api:
        api.ingest(files)
        yield api


@pytest.fixture(scope="module")
def content(golden_store):
    return report_content(golden_store.con, "IRN", "RUS", **SLICE)


def _round(x):
    if isinstance(x, float):
        return round(x, 6)
    if isinstance(x, dict):
        return {k: _round(v) for k, v in x.items() if k not in DROP}
    if isinstance(x, list):
        return [_round(v) for v in x]
    return x


def golden_json(c: dict) -> str:
    """The golden JSON text of a report content (see the module docstring)."""
    keep = {k: c[k] for k in KEEP if k in c}
    keep["comparison"] = [{k: blk.get(k) for k in ("a", "b", "a_name", "b_name", "classification")}
                          for blk in c["comparison"]]
    keep["vetoes"] = c["evidence"]["vetoes"]
    keep["conflicts"] = c["evidence"]["conflicts"]
    keep["blocs"] = {k: c["blocs"].get(k) for k in ("blocs", "membership", "names", "frustration",
                                                      "frustration_normalised", "measure", "topic", "years")}
    return json.dumps(_round(keep), indent=1, ensure_ascii=False, sort_keys=True) + "\n"


class _Tables(HTMLParser):
    """Text of the table rows inside the report's sections named in TABLE_SECTIONS."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.section, self.rows, self.row, self.cell = None, [], None, None
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id")
        elif tag in ("script", "style"):
            self.skip += 1
        elif tag == "tr" and self.section in TABLE_SECTIONS:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1
        elif tag in ("td", "th") and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.rows.append(f"{self.section}: " + " | ".join(self.row))
            self.row = None

    def handle_data(self, data):
        if self.cell is not None and not self.skip:
            self.cell.append(data)


def golden_tables(html: str) -> str:
    p = _Tables()
    p.feed(html)
    return "\n".join(p.rows) + "\n"


def _check(path: Path, text: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: DYADWATCH_UPDATE_GOLDEN=1 pytest {Path(__file__).name} writes it"
    want = path.read_text(encoding="utf-8")
    if text != want:
        diff = "".join(list(difflib.unified_diff(want.splitlines(True), text.splitlines(True), "golden", "now"))[:80])
        pytest.fail(f"{path.name} differs from the report (if the change is meant: "
                    f"DYADWATCH_UPDATE_GOLDEN=1 pytest tests/report/{Path(__file__).name}):\n{diff}")


def test_report_golden_json(content):
    _check(GOLDEN / f"{NAME}.json", golden_json(content))


def test_report_golden_tables(content):
    _check(GOLDEN / f"{NAME}_tables.txt", golden_tables(render_html(content)))


def test_report_golden_slice_values(content):
    """Numbers of the slice checked against the data independently of the golden files."""
    series = {r["period"]: r for r in content["series"]}
    assert sorted(series) == ["2010", "2011", "2012", "2013", "2014"]
    # ICEWS dyad-years, both directions: 2014 holds 4,777 Iran–Russia events (the counts file's own sum)
    assert series["2014"]["events"] == 4777 and series["2014"]["datasets"] == "icews-dyad-year"
    kappa = {r["year"]: r["value"] for r in content["baselines"]["kappa"]}
    assert kappa[2014] == pytest.approx(next(p["voting"]["kappa"] for p in content["alignment"] if p["year"] == 2014))
    assert content["evidence"]["vetoes"]["joint"] == [] and content["evidence"]["vetoes"]["counts"]["RUS"] >= 5
    assert {x["conflict_name"] for x in content["evidence"]["conflicts"]} <= {"Syria: Government", "Syria: Territory"}
