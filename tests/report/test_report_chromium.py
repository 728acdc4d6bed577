"""The report renders in headless Chromium: sections present, every plot drawn, no console error."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(scripts/install-system-deps.sh installs Debian's chromium as root)")


def _run(url: str, tmp_path, *extra) -> subprocess.CompletedProcess:
    cmd = [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--enable-logging=stderr", "--v=0",
           "--virtual-time-budget=15000", *extra, "--dump-dom", url]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=150)


def _console_errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line and re.search(r"Uncaught|Error|ERROR:CONSOLE|:ERROR", line)]


def test_report_renders_in_chromium_without_console_errors(report_html_path, tmp_path):
    res = _run(report_html_path.as_uri(), tmp_path)
    assert res.returncode == 0, res.stderr[-2000:]
    dom = res.stdout
    for section in ("summary", "series", "classification", "alignment", "verdicts", "comparison", "blocs",
                    "evidence", "silence", "provenance"):
        assert f'id="{section}"' in dom
    # Plotly replaced each placeholder by a drawn figure (class js-plotly-plot, an SVG inside)
    drawn = re.findall(r'<div class="plot[^"]*js-plotly-plot[^"]*" id="plot-(\w+)"', dom)
    assert sorted(drawn) == ["alignment", "blocs", "classification", "comparison", "series"]
    assert dom.count('class="main-svg"') >= 5
    assert _console_errors(res.stderr) == []


def test_report_console_check_catches_a_script_error(tmp_path):
    """The console check is not vacuous: a page with a failing script is caught."""
    page = tmp_path / "broken.html"
    page.write_text("<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>")
    res = _run(page.as_uri(), tmp_path)
    assert _console_errors(res.stderr), res.stderr[-2000:]
