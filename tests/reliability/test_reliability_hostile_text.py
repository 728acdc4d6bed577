"""Issue 8, part 5: the event coder and the report on hostile text.

Script tags and event-handler markup inside sentences, right-to-left
override marks, a 100,000-character token and 20,000 levels of nested HTML
go through the real CLI (``dyadwatch code --ingest`` then ``dyadwatch
report``): no crash or traceback, each run bounded in time, the coded
events still found, and the report's HTML holds no element that came from
the text (parsed with :class:`html.parser.HTMLParser`).
"""

from __future__ import annotations

import json
import time
from html.parser import HTMLParser

import duckdb

from dyadwatch.sources.gdelt import GDELT1_COLUMNS
from tests.reliability.cli import assert_clean_stderr, run
from tests.reliability.corpus import gdelt_row

SCRIPT = "<script>alert('dw-xss-1')</script>"
IMG = '<img src=x onerror="alert(\'dw-xss-2\')">'
RLO = "\u202e"  # right-to-left override
DOCS = [
    {"id": "script", "date": "2017-06-14", "text": f"Russia {SCRIPT} attacked Syria near Aleppo."},
    {"id": "img", "date": "2017-06-14", "text": f"Turkey {IMG} attacked Syria near Idlib."},
    {"id": "rtl", "date": "2017-06-14", "text": f"Iran {RLO}condemned{RLO} Israel in a statement \u200f\u061c."},
    {"id": "long-token", "date": "2017-06-14",
     "text": "Russia attacked Syria near Homs. " + "A" * 100_000 + " Iran praised Russia."},
    {"id": "closing-tags", "date": "2017-06-14",
     "text": "Israel attacked Syria near Damascus.</td></tr></table></div></script><svg onload=alert(3)>"},
]
MAX_SECONDS = 120  # per CLI run (startup and the spaCy model included)


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._script = tag == "script"

    def handle_endtag(self, tag):
        self._script = False

    def handle_data(self, data):
        if self._script:
            self.script_text.append(data)


def _hostile_gdelt(k: int) -> str:
    fields = gdelt_row(GDELT1_COLUMNS, 70_000 + k, date="20170614").split("\t")
    at = {c: i for i, c in enumerate(GDELT1_COLUMNS)}
    fields[at["Actor1Name"]] = "<script>alert('dw-xss-3')</script>IRAN"
    fields[at["Actor2Name"]] = '"><img src=x onerror=alert(4)>RUSSIA'
    fields[at["ActionGeo_FullName"]] = "<iframe src=//evil.example></iframe>Tehran"
    fields[at["SOURCEURL"]] = "javascript:alert('dw-xss-5')"
    return "\t".join(fields)


def _timed(*args):
    t0 = time.monotonic()
    proc = run(*args, timeout=MAX_SECONDS * 2)
    return proc, time.monotonic() - t0


def test_reliability_hostile_text_coded_and_reported_escaped(tmp_path):
    docs = tmp_path / "hostile.jsonl"
    docs.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in DOCS), encoding="utf-8")
    db = tmp_path / "store.duckdb"
    coded = tmp_path / "events.jsonl"
    proc, secs = _timed("code", str(docs), "--ingest", "--db", str(db), "--out", str(coded))
    assert_clean_stderr(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    assert secs < MAX_SECONDS
    events = [json.loads(line) for line in coded.read_text(encoding="utf-8").splitlines()]
    pairs = {(e["doc_id"], e["source"]["country"], e["target"]["country"]) for e in events}
    # the markup does not hide the events around it
    assert {("script", "RUS", "SYR"), ("img", "TUR", "SYR"), ("long-token", "RUS", "SYR"),
            ("closing-tags", "ISR", "SYR")} <= pairs, pairs

    # the coder keeps no markup in the evidence it stores
    con = duckdb.connect(str(db), read_only=True)
    sentences = [r[0] for r in con.execute("SELECT sentence FROM events").fetchall()]
    con.close()
    assert sentences and not any("<" in t or "dw-xss" in t for t in sentences), sentences

    # event files carry markup too (names, places, URLs): GDELT rows with hostile fields
    gd = tmp_path / "20170614.export.CSV"
    gd.write_text("".join(_hostile_gdelt(k) + "\n" for k in range(3)), encoding="utf-8")
    proc = run("ingest", str(gd), "--db", str(db))
    assert proc.returncode == 0, proc.stderr

    out = tmp_path / "report.html"
    for a, b in (("RUS", "SYR"), ("IRN", "RUS")):
        proc, secs = _timed("report", a, b, "--db", str(db), "--out", str(out))
        assert_clean_stderr(proc.stderr)
        assert proc.returncode == 0, proc.stderr
        assert secs < MAX_SECONDS
        page = out.read_text(encoding="utf-8")
        p = _Elements()
        p.feed(page)
        assert not [t for t, _ in p.tags if t in ("img", "svg", "iframe")], (a, b)
        assert not [(t, k) for t, attrs in p.tags for k in attrs if k.lower().startswith("on")], (a, b)
        assert not any("dw-xss" in s for s in p.script_text), (a, b)
        assert not [v for _, attrs in p.tags for v in attrs.values() if v and "javascript:" in v.lower()], (a, b)
        if a == "IRN":  # the hostile names reached the page as text (escaped), not as elements
            assert "dw-xss-3" in page and "<script>alert('dw-xss-3')" not in page


def test_reliability_hostile_text_deeply_nested_html_page(tmp_path):
    depth = 20_000
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<div><span>" * depth + "<p>Russia attacked Syria near Aleppo.</p>"
                    + "</span></div>" * depth + "</body></html>", encoding="utf-8")
    proc, secs = _timed("code", str(page), "--date", "2017-06-14")
    assert_clean_stderr(proc.stderr)
    assert proc.returncode in (0, 3), proc.stderr  # coded, or refused with one error line
    assert secs < MAX_SECONDS
    if proc.returncode == 0:
        events = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        assert [(e["source"]["country"], e["target"]["country"]) for e in events] == [("RUS", "SYR")]
    else:
        assert len([ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]) == 1
