"""``dyadwatch serve`` in a child process, started and stopped the one way the serve tests and
``bench/bench_serve.py`` both need: wait until it answers ``/healthz``, name its log when it dies.

The caller chooses everything that isolates one server from another: its port (a free one by
default, :func:`free_port`), its environment and working directory, and the file its output goes
to.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

#: seconds a server may take to answer /healthz before it is killed
START_TIMEOUT = 120.0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the OS picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: str | os.PathLike, *extra: str, port: int | None = None, log: Path | None = None,
                 env: dict | None = None, cwd: str | os.PathLike | None = None,
                 timeout: float = START_TIMEOUT) -> tuple[subprocess.Popen, str]:
    """``python -m dyadwatch serve --db DB --port PORT *extra`` in a child process.

    Returns ``(process, base URL)`` once ``GET /healthz`` answers 200. Its
    output goes to ``log`` (else nowhere); ``env`` and ``cwd`` are the child's
    (default: this process's).

    Raises
    ------
    RuntimeError
        The server exited before answering (with the log's text), or did not
        answer within ``timeout`` seconds (it is killed).
    """
    import httpx

    port = port or free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below: the child has its own
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dyadwatch", "serve", "--db", str(db), "--port", str(port),
                                 *extra], stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=None if cwd is None else str(cwd))
    finally:
        if log:
            out.close()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            said = Path(log).read_text(errors="replace") if log else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {said}")
        try:
            if httpx.get(base + "/healthz", timeout=5).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    stop_server(proc, 0)
    raise RuntimeError(f"server did not answer /healthz in {timeout:.0f} s")


def stop_server(proc: subprocess.Popen, wait: float = 20.0) -> None:
    """Terminate the server ``proc``; kill it when it has not exited after ``wait`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
