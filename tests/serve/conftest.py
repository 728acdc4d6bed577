"""Fixtures of the live tests: a local feed server (127.0.0.1 only), watch configurations, servers."""

from __future__ import annotations

import contextlib
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest

from dyadwatch.serve.process import free_port  # noqa: F401  (the tests' free port)
from dyadwatch.serve.process import start_server as _start
from dyadwatch.serve.process import stop_server
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


def cli_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("DYADWATCH_LOCK_WAIT", "60")
    return env


def start_server(db: Path, *extra: str, port: int | None = None, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    """``dyadwatch serve --db DB --port P`` in a subprocess with this checkout's source and a free port
    (:func:`dyadwatch.serve.process.start_server`); waits until it answers /healthz."""
    return _start(db, *extra, port=port, log=log, env=cli_env(), cwd=REPO)


def stop(proc: subprocess.Popen) -> None:
    stop_server(proc)


@contextlib.contextmanager
def app_server(db: Path, *, close_wait: float = 60.0, **app_options):
    """``(app, client)``: the app of the store ``db`` under a real uvicorn server on a free port of
    127.0.0.1, in a thread of this process (the tests that read the app's cache and background
    queue), and an httpx client on it; on exit the server stops and ``app.close(close_wait)``.
    ``app_options``: given to :func:`dyadwatch.serve.app.create_app` (``background="process"``)."""
    import httpx
    import uvicorn

    from dyadwatch.serve.app import create_app

    app = create_app(db, **app_options)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120) as client:
            yield app, client
    finally:
        server.should_exit = True
        thread.join(30)
        app.close(close_wait)
