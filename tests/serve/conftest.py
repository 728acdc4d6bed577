"""Fixtures of the live tests: a local feed server (127.0.0.1 only), watch configurations, servers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.serve.feedserver import FeedServer

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def feed():
    server = FeedServer()
    yield server
    server.close()


def write_config(tmp_path: Path, feed: FeedServer, *, dyads=("IRN-RUS",), gdelt: bool = False, min_events: int = 2,
                 batch_size: int = 20, interval: str = "10s", extra: str = "") -> Path:
    """A watch configuration reading ``feed`` (127.0.0.1 allowed explicitly)."""
    names = ", ".join(f'"{d}"' for d in dyads)
    text = f"""dyads = [{names}]
[schedule]
interval = "{interval}"
[collect]
feeds = ["{feed.feed_url}"]
rate_limit = 0
deadline = 20
since_days = 30
allow_networks = ["127.0.0.1/32"]
batch_size = {batch_size}
[alerts]
min_events = {min_events}
"""
    if gdelt:
        text += f"""[datasets.gdelt2]
dest = "{tmp_path / 'data'}"
list_url = "{feed.url('/gdeltv2/lastupdate.txt')}"
"""
    text += extra
    path = tmp_path / "watch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("DYADWATCH_LOCK_WAIT", "60")
    return env


def start_server(db: Path, *extra: str, port: int | None = None, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """``dyadwatch serve --db DB --port P`` in a subprocess; waits until it answers /healthz."""
    import httpx

    port = port or free_port()
    out = open(log, "wb") if log else subprocess.DEVNULL
    try:
        proc = subprocess.Popen([sys.executable, "-m", "dyadwatch", "serve", "--db", str(db), "--port", str(port),
                                 *extra], stdout=out, stderr=subprocess.STDOUT, env=cli_env(), cwd=str(REPO))
    finally:
        if log:
            out.close()  # the child has its own descriptor
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}: {log.read_text() if log else ''}")
        try:
            if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start in 120 s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
