"""Ctrl-C: a command interrupted mid-run says so in one line, exits 130 and
leaves nothing half-written (dyadwatch code --out writes FILE.partial and
renames it only when coding ends)."""

from __future__ import annotations

import time

from tests.reliability.cli import assert_interrupted_code, popen
from tests.reliability.newsgen import write_news


def test_reliability_interrupt_code_mid_run(tmp_path):
    src = tmp_path / "news.txt"
    write_news(src, 6, "txt")
    out = tmp_path / "events.jsonl"
    p = popen("code", str(src), "--date", "2016-03-30", "--out", str(out))
    deadline = time.time() + 120
    while not (tmp_path / "events.jsonl.partial").exists() and time.time() < deadline and p.poll() is None:
        time.sleep(0.1)
    time.sleep(1.0)  # coding under way
    assert p.poll() is None, "the run ended before it could be interrupted"
    assert_interrupted_code(p, out)
