"""Running the real ``dyadwatch`` command in a subprocess, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: the console script of the venv running the tests
DYADWATCH = [sys.executable, "-m", "dyadwatch"]


def env(**extra: str) -> dict[str, str]:
    """The process environment with a narrow terminal and no colour."""
    e = dict(os.environ)
    e.update({"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "200"}, **extra)
    return e


def run(*args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess:
    """``dyadwatch ARGS...``; returns the completed process (text stdout/stderr)."""
    return subprocess.run([*DYADWATCH, *args], capture_output=True, text=True, timeout=timeout,
                          env=env(**extra_env), errors="replace")


def popen(*args: str, **extra_env: str) -> subprocess.Popen:
    """Start ``dyadwatch ARGS...`` without waiting (stdout/stderr piped, text)."""
    return subprocess.Popen([*DYADWATCH, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env(**extra_env), errors="replace")


def assert_clean_stderr(stderr: str) -> None:
    """No traceback and no internal error reached the user."""
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "internal error" not in stderr, stderr[-3000:]


def db_arg(path: Path) -> list[str]:
    return ["--db", str(path)]


def peak_rss(args: list[str], *, unset: tuple[str, ...] = (), **extra_env: str) -> tuple[int, int, str]:
    """Run ``dyadwatch ARGS...`` sampling its resident memory with psutil every
    20 ms; returns (peak RSS in bytes of the process and its children, exit
    code, stderr).  ``unset``: environment variables the run must not see."""
    import time

    import psutil

    e = env(**extra_env)
    for name in unset:
        e.pop(name, None)
    p = subprocess.Popen([*DYADWATCH, *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=e, errors="replace")
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


def assert_interrupted_code(p: subprocess.Popen, out: Path) -> None:
    """Ctrl-C (SIGINT) to a running ``dyadwatch code --out OUT`` process ``p``: it exits 130 with
    the one-line interruption message, no traceback, and leaves neither OUT nor OUT.partial."""
    import signal

    p.send_signal(signal.SIGINT)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 130, err
    assert_clean_stderr(err)
    assert err.strip().splitlines()[-1] == "error: interrupted; the store keeps every batch that completed"
    assert not out.exists() and not out.with_name(out.name + ".partial").exists()
