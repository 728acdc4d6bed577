"""`kill -9` of `dyadwatch watch` mid-cycle, then a restart: every document and every event exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import duckdb

from tests.serve.conftest import REPO, cli_env, write_config

#: distinct articles, each coded into events between Iran and Russia
STORIES = [
    ("Pact signed", "Russia and Iran signed an agreement on Tuesday."),
    ("Talks planned", "Russia will meet Iran next week, officials in Moscow said."),
    ("Criticism", "Iran criticized Russia on Wednesday over the delay."),
    ("Aid", "Russia sent humanitarian aid to Iran on Monday."),
    ("Visit", "The Russian foreign minister visited Iran on Thursday."),
    ("Praise", "Iran praised Russia for its support on Friday."),
]


class Watch:
    """``dyadwatch watch CONFIG --once`` in a subprocess, its output lines collected as they come."""

    def __init__(self, config, db):
        self.proc = subprocess.Popen([sys.executable, "-m", "dyadwatch", "watch", str(config), "--once", "--db", str(db)],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=cli_env(), cwd=str(REPO),
                                     text=True, bufsize=1)
        self.lines: list[str] = []
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        with self.proc.stdout:
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))

    def wait_line(self, text: str, timeout: float = 180) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(text in ln for ln in self.lines):
                return True
            if self.proc.poll() is not None:
                self.thread.join(5)
                return any(text in ln for ln in self.lines)
            time.sleep(0.05)
        return False

    def kill9(self):
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(30)
        self.thread.join(5)


def _q(db, sql):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_serve_kill9_mid_cycle_then_restart_everything_once(tmp_path, feed):
    for title, text in STORIES:
        feed.publish(title, [text])
    config = write_config(tmp_path, feed, batch_size=2)
    db = tmp_path / "k.duckdb"

    # 1. killed while fetching the 4th article of the feed (the first two are stored, the 3rd fetched only)
    release = feed.hang("/news/3.html")
    seen = feed.watch_for("/news/3.html")
    w = Watch(config, db)
    assert seen.wait(180), w.lines
    w.kill9()
    release.set()
    assert w.proc.returncode == -signal.SIGKILL
    assert _q(db, "SELECT count(*) FROM documents")[0][0] == 2
    assert _q(db, "SELECT status FROM watch_cycles") == [("running",)]

    # 2. restarted, killed while coding (after the collection finished)
    w = Watch(config, db)
    assert w.wait_line("coding documents not coded yet"), w.lines
    time.sleep(0.3)
    w.kill9()
    assert _q(db, "SELECT count(*) FROM documents")[0][0] == 6

    # 3. restarted: runs to the end
    w = Watch(config, db)
    w.proc.wait(300)
    w.thread.join(5)
    assert w.proc.returncode == 0, w.lines
    assert any("1 earlier cycle(s) ended mid-way" in ln for ln in w.lines), w.lines

    docs = _q(db, "SELECT url, count(*) FROM documents GROUP BY url")
    assert len(docs) == len(STORIES) and all(n == 1 for _, n in docs)
    assert _q(db, "SELECT count(*), count(DISTINCT doc_id) FROM watch_coded") == [(6, 6)]
    assert _q(db, "SELECT count(*) - count(DISTINCT event_id) FROM events")[0][0] == 0
    assert sorted(s for (s,) in _q(db, "SELECT status FROM watch_cycles")) == ["done", "interrupted", "interrupted"]
    # every event the coder finds in the stored documents is stored, once
    from dyadwatch.acquire.collect import _documents
    from dyadwatch.coding.coder import code_documents

    con = duckdb.connect(str(db), read_only=True)
    try:
        want, _ = code_documents(_documents(con, None))
        stored = con.execute("SELECT event_id FROM events WHERE dataset = 'text'").fetchall()
    finally:
        con.close()
    assert len(want) >= len(STORIES)
    assert sorted(e["event_id"] for e in want) == sorted(e for (e,) in stored)
