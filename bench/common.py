"""Shared helpers of the benchmarks: run a task in a child process, print tables.

Every measured task runs in a fresh ``python bench/tasks.py NAME ARGS``
process so its peak resident memory (``resource.getrusage`` of the child:
``ru_maxrss``) is the task's own, not the runner's; its wall time is
measured inside the child around the work only (imports excluded).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
DATA = BENCH / "data"


def run_task(name: str, **kwargs) -> dict:
    """Run ``tasks.NAME(**kwargs)`` in a child process; returns its result dict
    plus ``peak_rss_mb`` (the child's peak RSS)."""
    cmd = [sys.executable, str(BENCH / "tasks.py"), name, json.dumps(kwargs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    if proc.returncode != 0:
        raise RuntimeError(f"task {name} failed:\n{proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    return json.loads(lines[-1])


def machine() -> dict:
    """Machine, OS and library versions for RESULTS.md."""
    import duckdb
    import pandas
    import pyarrow

    try:
        import psutil

        mem = f"{psutil.virtual_memory().total / 2**30:.0f} GiB"
    except ImportError:  # pragma: no cover
        mem = "?"
    try:
        import ibis

        ibis_v = ibis.__version__
    except ImportError:  # pragma: no cover
        ibis_v = "-"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "python": platform.python_version(),
            "duckdb": duckdb.__version__, "pyarrow": pyarrow.__version__, "pandas": pandas.__version__,
            "ibis": ibis_v, "os": platform.platform(),
            "load_avg_1_5_15": "/".join(f"{x:.1f}" for x in os.getloadavg())}


def table(rows: list[dict], columns: list[str]) -> str:
    """A plain-text (and Markdown) table."""
    def fmt(v):
        if isinstance(v, float):
            return f"{v:,.3f}" if abs(v) < 100 else f"{v:,.0f}"
        if isinstance(v, int):
            return f"{v:,}"
        return "" if v is None else str(v)

    cells = [[fmt(r.get(c)) for c in columns] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c) for i, c in enumerate(columns)]
    out = ["| " + " | ".join(c.ljust(w) for c, w in zip(columns, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(v.rjust(w) for v, w in zip(row, widths)) + " |" for row in cells]
    return "\n".join(out)
