"""The web app in a real headless Chromium (Playwright driving Debian's /usr/bin/chromium), as a person uses it.

A real ``dyadwatch serve`` on 127.0.0.1; pages at 1400 and 800 px, filters
and links clicked, no console error, no page wider than the window.
Screenshots go to ``$DYADWATCH_SCREENSHOTS`` when set (to look at them),
else to pytest's temporary directory. The live test runs ``serve --watch``
against a local news site: a newly published article appears as an event
and, past the threshold, as an alert.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import httpx
import pytest

from tests.report.reportfix import INJECT_NAME, INJECT_SENTENCE, build_store
from tests.serve.conftest import start_server, stop, write_config

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(scripts/install-system-deps.sh installs Debian's chromium as root)")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    path = tmp_path_factory.mktemp("web") / "web.duckdb"
    build_store(path).close()
    proc, base = start_server(path, log=path.with_suffix(".log"))
    yield base
    stop(proc)


def _shots(tmp_path: Path) -> Path:
    d = Path(os.environ.get("DYADWATCH_SCREENSHOTS") or tmp_path)
    d.mkdir(parents=True, exist_ok=True)
    return d


def _page(browser, width: int):
    page = browser.new_page(viewport={"width": width, "height": 1000})
    page.set_default_timeout(120_000)  # a loaded 2-core machine: the first uncached page can take a while
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))  # an injected alert() ran
    return page, errors


def _report_ready(base: str, a: str = "IRN", b: str = "RUS", timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while httpx.get(f"{base}/api/report/{a}/{b}", timeout=30).status_code == 202 and time.monotonic() < deadline:
        time.sleep(1)


@pytest.mark.parametrize("width", [1400, 800])
def test_serve_browser_pages_at_width(browser, server, tmp_path, width):
    _report_ready(server)
    page, errors = _page(browser, width)
    try:
        page.goto(server + "/")
        assert page.locator("tr.dyad-row").count() == 5
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(_shots(tmp_path) / f"watchlist-{width}.png"), full_page=True)
        page.click("a.dyad-link >> nth=0")
        page.wait_for_url("**/dyad/IRN/RUS")
        page.wait_for_function("document.querySelectorAll('div.plot .main-svg').length >= 4", timeout=120_000)
        drawn = page.eval_on_selector_all("div.plot.js-plotly-plot", "els => els.map(e => e.id)")
        assert sorted(drawn) == ["plot-alignment", "plot-classification", "plot-comparison", "plot-series"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1
        page.screenshot(path=str(_shots(tmp_path) / f"dyad-{width}.png"), full_page=True)
        # the hostile actor name and sentence (an event of 2014-02-02) are shown as text, not run
        page.goto(server + "/dyad/IRN/RUS?freq=month&from=2014-02&to=2014-02")
        shown = page.inner_text("#events-table")
        assert INJECT_NAME in shown and INJECT_SENTENCE in shown
        page.goto(server + "/dyad/IRN/RUS")
        # filters: a select submits the form; the series follows
        page.select_option("select[name=freq]", "year")
        page.wait_for_url("**freq=year**")
        page.wait_for_function("document.querySelectorAll('#plot-series .main-svg').length >= 1")
        rows = page.locator("#series-table tr").count() - 1
        assert rows == 9  # 2008-2016
        page.fill("input[name=from]", "2012")
        page.fill("input[name=to]", "2014")
        page.click("form.filters button[type=submit]")
        page.wait_for_url("**from=2012**")
        assert page.locator("#series-table tr").count() - 1 == 3
        page.select_option("select[name=root]", "04")
        page.wait_for_url("**root=04**")
        assert "Consult" in page.inner_text("#events-table") or page.locator("#events-table tr").count() >= 1
        page.click("text=reset")
        page.wait_for_url("**/dyad/IRN/RUS")
        # the CSV link of the series table is a real download of the same rows
        href = page.get_attribute("#series a:has-text('CSV')", "href")
        assert httpx.get(server + href, timeout=30).text.startswith("period,direction,events")
        page.goto(server + "/alerts")
        page.screenshot(path=str(_shots(tmp_path) / f"alerts-{width}.png"), full_page=True)
        assert errors == [], errors
    finally:
        page.close()


def test_serve_browser_live_article_becomes_event_and_alert(browser, tmp_path, feed):
    feed.publish("Moscow and Tehran sign a pact", ["Russia and Iran signed an agreement on Tuesday.",
                                                   "Russia will meet Iran next week, officials in Moscow said."])
    config = write_config(tmp_path, feed, min_events=2, interval="10s")
    db = tmp_path / "live.duckdb"
    proc, base = start_server(db, "--watch", str(config), log=tmp_path / "live.log")
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not httpx.get(base + "/api/alerts", timeout=30).json()["alerts"]:
            time.sleep(1)
        alerts = httpx.get(base + "/api/alerts", timeout=30).json()["alerts"]
        assert alerts, (tmp_path / "live.log").read_text()
        page, errors = _page(browser, 1400)
        page.goto(base + "/alerts")
        assert "large increase of events" in page.inner_text("#alerts")
        page.click("#alerts a.evidence >> nth=0")
        page.wait_for_url("**/dyad/IRN/RUS?**")
        assert "Russia and Iran signed an agreement on Tuesday." in page.inner_text("#events-table")
        assert page.locator("#events-table a:has-text('source')").count() >= 1
        page.screenshot(path=str(_shots(tmp_path) / "live-dyad-1400.png"), full_page=True)
        # a newly published article: the next cycle adds it, the page shows it
        feed.publish("Sharp words", ["Iran criticized Russia on Wednesday over the delay."])
        deadline = time.monotonic() + 240
        found = False
        while time.monotonic() < deadline and not found:
            try:
                page.goto(base + "/dyad/IRN/RUS?freq=week")
                found = "Iran criticized Russia on Wednesday over the delay." in page.inner_text("#events-table")
            except sync_api.Error as exc:  # the page reloading itself (app.js, when a part computed in the
                if not ("ERR_ABORTED" in str(exc) or "context was destroyed" in str(exc)):  # background is ready)
                    raise  # aborted this navigation or read: look again
            if not found:
                time.sleep(2)
        assert found, (tmp_path / "live.log").read_text()
        page.goto(base + "/")
        assert "watch:" in page.inner_text("header")
        assert errors == [], errors
        page.close()
    finally:
        stop(proc)
