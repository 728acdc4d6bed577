"""The report read in a real browser at 1400 and 800 px (Playwright driving Debian's chromium).

Checks what a reader would see: every figure drawn, no console error, no
page wider than the window, integer year ticks, change-point markers that do
not overlap, table headers whose words fit (no word broken mid-word), and
nothing of a figure clipped outside its plot. Screenshots go to pytest's
temporary directory, or to ``$DYADWATCH_SCREENSHOTS`` when set (to look at
them).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(scripts/install-system-deps.sh installs Debian's chromium as root)")

FIGURES = ["alignment", "blocs", "classification", "comparison", "series"]

#: words of the elements matching a selector that the browser laid out over more than one line
#: (a word broken mid-word), or that stick out of their cell
BROKEN_WORDS = """sel => { const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.scrollWidth > el.clientWidth + 1) out.push(el.textContent);
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      for (const m of n.textContent.matchAll(/\\S+/g)) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + m[0].length);
        const lines = new Set(Array.from(r.getClientRects()).filter(q => q.width > 0).map(q => Math.round(q.top)));
        if (lines.size > 1) out.push(m[0]);
      } } }
  return out; }"""


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu",
                                                              "--disable-dev-shm-usage"])
        yield b
        b.close()


def _shot_dir(tmp_path: Path) -> Path:
    d = Path(os.environ.get("DYADWATCH_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _open(browser, url: str, width: int):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_function("document.querySelectorAll('div.plot .main-svg').length >= 5", timeout=30_000)
    return page, errors


@pytest.mark.parametrize("width", [1400, 800])
def test_report_browser_reads_at_width(browser, report_html_path, tmp_path, width):
    page, errors = _open(browser, report_html_path.as_uri(), width)
    try:
        drawn = page.eval_on_selector_all("div.plot.js-plotly-plot", "els => els.map(e => e.id)")
        assert sorted(d.replace("plot-", "") for d in drawn) == FIGURES
        # the page is not wider than the window (tables scroll inside their own box)
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        # year axes: integer ticks only ("2015", never "2,015.5")
        for fig in ("series", "classification", "alignment", "comparison"):
            ticks = page.eval_on_selector_all(f"#plot-{fig} .xtick text", "els => els.map(e => e.textContent)")
            assert ticks and all(re.fullmatch(r"\d{4}", t) for t in ticks), (fig, ticks)
        # change-point markers: numbered, none overlapping another
        boxes = page.eval_on_selector_all(
            "#plot-series .annotation", "els => els.map(e => { const r = e.getBoundingClientRect(); "
                                        "return [r.left, r.right, r.top, r.bottom, e.textContent]; })")
        assert boxes and all(re.fullmatch(r"[\d, ]+", b[4]) for b in boxes)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                assert a[1] <= b[0] or b[1] <= a[0] or a[3] <= b[2] or b[3] <= a[2], (a, b)
        # every table header's words fit its cell: no word broken across lines
        assert page.evaluate(BROKEN_WORDS, "th") == []
        # markers of the series are drawn inside the figure (cliponaxis off, range padded)
        inside = page.evaluate("""() => { const f = document.querySelector('#plot-series .main-svg')
                                         .getBoundingClientRect();
                                   return Array.from(document.querySelectorAll('#plot-series .scatterlayer .point'))
                                     .every(p => { const r = p.getBoundingClientRect();
                                                   return r.top >= f.top && r.bottom <= f.bottom; }); }""")
        assert inside
        page.screenshot(path=str(_shot_dir(tmp_path) / f"report-{width}.png"), full_page=True)
        assert errors == []
    finally:
        page.close()


def test_report_browser_year_link_opens_the_events(browser, report_html_path):
    page, errors = _open(browser, report_html_path.as_uri(), 1400)
    try:
        assert not page.eval_on_selector("#events-2014", "e => e.open")
        page.click("#classification a[href='#events-2014']")
        page.wait_for_function("document.getElementById('events-2014').open")
        text = page.inner_text("#events-2014")
        assert "dyadwatch events IRN RUS --period 2014" in text and "120 events counted" in text
        assert errors == []
    finally:
        page.close()


def test_report_browser_checks_catch_a_broken_header(browser, tmp_path):
    """The broken-word check is not vacuous: a header forced to break mid-word is caught."""
    page_file = tmp_path / "broken.html"
    page_file.write_text('<html><body><table style="width:300px"><tr><th style="overflow-wrap:anywhere;'
                         'width:30px">measure</th><th>fine</th></tr></table></body></html>')
    page = browser.new_page(viewport={"width": 800, "height": 600})
    try:
        page.goto(page_file.as_uri())
        assert page.evaluate(BROKEN_WORDS, "th") == ["measure"]
    finally:
        page.close()
