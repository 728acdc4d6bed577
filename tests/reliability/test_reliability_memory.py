"""Issue 8, part 6: ingest runs in bounded memory when DYADWATCH_MEMORY_LIMIT is set.

The CLI ingests a 50 MB and a 200 MB GDELT-1.0-shaped file (written in code)
in subprocesses whose resident memory is sampled with psutil. With
``DYADWATCH_MEMORY_LIMIT=256MB`` DuckDB spills the staged rows to disk, so
four times the input may add only a small, size-independent amount of peak
memory (measured: +56 MB for +150 MB of input, against +400 MB without the
limit; docs/reliability.md).
"""

from __future__ import annotations

import subprocess
import sys
import time

import psutil

from tests.reliability.cli import env
from tests.reliability.gdeltgen import write_gdelt1

LIMIT = "256MB"


def _peak_rss(args: list[str], **extra_env: str) -> tuple[int, int, str]:
    """(peak RSS in bytes of the process and its children, exit code, stderr)."""
    p = subprocess.Popen([sys.executable, "-m", "dyadwatch", *args], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True, env=env(**extra_env))
    proc = psutil.Process(p.pid)
    peak = 0
    while p.poll() is None:
        try:
            rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
            peak = max(peak, rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    _, err = p.communicate()
    return peak, p.returncode, err


def test_reliability_memory_ingest_growth_is_bounded(tmp_path):
    peaks = {}
    for mb in (50, 200):
        f = tmp_path / f"2015010{mb // 50}.export.CSV"
        write_gdelt1(f, mb * 1000, 1, pad=800)  # ~1 kB per row
        size_mb = f.stat().st_size / 1e6
        assert abs(size_mb - mb) < 0.05 * mb
        peak, rc, err = _peak_rss(["ingest", str(f), "--db", str(tmp_path / f"s{mb}.duckdb")],
                                  DYADWATCH_MEMORY_LIMIT=LIMIT)
        assert rc == 0, err
        peaks[mb] = peak / 1e6
        f.unlink()
    growth = peaks[200] - peaks[50]
    print(f"peak RSS: 50 MB file {peaks[50]:.0f} MB, 200 MB file {peaks[200]:.0f} MB, growth {growth:.0f} MB")
    assert growth < 100, peaks  # 150 MB more input, far less than 150 MB more memory
