"""Benchmark: memory and time of ``dyadwatch collect`` against a hostile page vs a normal one.

A local server (127.0.0.1, ``tests/fetch/conftest.py``) serves a normal
article (the baseline), a page of ``--huge`` MB sent chunked with no
Content-Length, the same with its Content-Length announced, and a page
trickled one byte every 0.2 s. The real CLI collects each in a subprocess
whose resident memory psutil samples every 20 ms (``--max-size 16``,
``--deadline 3``, ``--allow-private``). Prints seconds, peak RSS, the
outcome and the ratio of each peak to the baseline's (target, issue 14: a
1.5 GB page must not take 4.6 GB — a ratio near 1.0 whatever ``--huge`` is,
and the trickled page cut near the deadline).

Run: ``python bench/bench_collect_memory.py [--huge 1500]``
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fetch.conftest import LocalServer  # noqa: E402
from tests.fetch.test_collect import PARAS, _page  # noqa: E402
from tests.reliability.cli import peak_rss  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--huge", type=float, default=1500, help="MB of the hostile page")
    args = ap.parse_args()
    n = int(args.huge * 1_000_000)
    server = LocalServer()
    server.add("/robots.txt", "User-agent: *\n", content_type="text/plain")
    server.add("/article", _page("Talks", PARAS["talks"] + PARAS["veto"]), content_type="text/html")
    server.add("/chunked", b"<p>filler text of a page that never ends</p>\n", f"endless:{n}", content_type="text/html")
    server.add("/announced", b"<p>filler text of a page that never ends</p>\n", f"huge:{n}", content_type="text/html")
    server.add("/trickle", b"<html><p>" + b"x" * 200 + b"</p></html>", "trickle:0.2", content_type="text/html")
    print(f"load average {os.getloadavg()[0]:.1f}; hostile pages of {n:,} bytes; cap 16 MB, deadline 3 s")
    print(f"{'page':30} {'seconds':>8} {'peak_rss_MB':>12} {'server_sent_MB':>15}  outcome / ratio")
    base = None
    try:
        with tempfile.TemporaryDirectory(prefix="dyadwatch-bench-") as tmp:
            for path, what in (("/article", "normal article (baseline)"), ("/chunked", "chunked, no length"),
                               ("/announced", "Content-Length announced"), ("/trickle", "1 byte / 0.2 s")):
                store = Path(tmp) / f"{path.strip('/')}.duckdb"
                sent0 = server.sent
                t0 = time.perf_counter()
                peak, rc, err = peak_rss(["collect", server.url(path), "--rate-limit", "0", "--allow-private",
                                          "--max-size", "16", "--deadline", "3", "--db", str(store), "-o", "json"])
                secs = time.perf_counter() - t0
                outcome = "stored" if rc == 0 else (err.strip().splitlines() or ["?"])[-1][:90]
                peak_mb = peak / 1e6
                ratio = "" if base is None else f"{peak_mb / base:.2f}x baseline"
                base = base or peak_mb
                print(f"{what:30} {secs:8.1f} {peak_mb:12.0f} {(server.sent - sent0) / 1e6:15.1f}  {outcome} {ratio}")
    finally:
        server.close()
    print(json.dumps({"huge_bytes": n}))


if __name__ == "__main__":
    main()
