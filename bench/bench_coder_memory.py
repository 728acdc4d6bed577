"""Benchmark: peak memory of ``dyadwatch code`` on a large text vs a small one.

Writes generated news (``tests/reliability/newsgen.py``: invented names, an
event sentence in every second document) as one plain-text file and as JSONL
documents, of ``--small`` and ``--large`` MB, and runs the real CLI on each in
a subprocess whose resident memory psutil samples every 20 ms.  Prints
seconds, peak RSS, events and the ratio of the large input's peak to the
small one's (target, issue 8: bounded memory — a ratio near 1.0 whatever
``--large`` is).

Run: ``python bench/bench_coder_memory.py [--small 2] [--large 50] [--layout txt jsonl]``
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.reliability.cli import peak_rss  # noqa: E402
from tests.reliability.newsgen import write_news  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", type=float, default=2)
    ap.add_argument("--large", type=float, default=50)
    ap.add_argument("--layout", nargs="+", default=["txt", "jsonl"], choices=["txt", "jsonl"])
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}")
    print(f"{'layout':6} {'MB':>6} {'seconds':>8} {'peak_rss_MB':>12} {'events':>8} ratio")
    with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as tmp:
        for layout in args.layout:
            base = None
            for mb in (args.small, args.large):
                src = Path(tmp) / f"news.{layout}"
                write_news(src, mb, layout)
                out = Path(tmp) / "events.jsonl"
                t0 = time.perf_counter()
                peak, rc, err = peak_rss(["code", str(src), "--date", "2016-03-30", "--out", str(out)])
                secs = time.perf_counter() - t0
                if rc != 0:
                    sys.exit(f"dyadwatch code failed ({rc}): {err.strip()[-500:]}")
                n = out.read_text(encoding="utf-8").count("\n")
                peak_mb = peak / 1e6
                base = base or peak_mb
                ratio = f"{peak_mb / base:.2f}x the {args.small:g} MB input" if mb != args.small else ""
                print(f"{layout:6} {mb:6g} {secs:8.1f} {peak_mb:12.0f} {n:8,} {ratio}")


if __name__ == "__main__":
    main()
