"""Output piped into a reader that stops early (`| head -1`) ends the process like any Unix tool."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from tests.store.toy_reader import write_toy


@pytest.mark.skipif(not hasattr(signal, "SIGPIPE"), reason="no SIGPIPE on this platform")
def test_cli_pipe_closed_early_exits_141_without_message(tmp_path):
    from dyadwatch.api import Dyadwatch

    rows = [(i, f"2016-01-{1 + i % 28:02d}", "IRN", "RUS", "040", 1, 1.0) for i in range(1, 60)]
    db = tmp_path / "p.duckdb"
    with Dyadwatch(db) as dw:
        dw.ingest([write_toy(tmp_path / "t.csv", rows)])
    exe = shutil.which("dyadwatch") or ""
    cmd = [exe] if exe else [sys.executable, "-m", "dyadwatch"]
    r, w = os.pipe()
    os.close(r)  # the reader is gone before anything is written
    p = subprocess.run(cmd + ["dyad", "IRN", "RUS", "--freq", "day", "--format", "csv", "--db", str(db)],
                       stdout=w, stderr=subprocess.PIPE, text=True, timeout=120)
    os.close(w)
    assert p.returncode in (-signal.SIGPIPE, 128 + signal.SIGPIPE), p.stderr
    assert "Traceback" not in p.stderr and "internal error" not in p.stderr
