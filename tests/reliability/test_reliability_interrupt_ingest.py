"""Issue 14, item 12: Ctrl-C during ingest always exits 130.

SIGINT reaching DuckDB inside a query comes back as its InterruptException
("Query interrupted"), which the ingest turned into "cannot parse" (exit 3),
the fast path's probes swallowed (reading on), or the CLI called an internal
error (exit 1). Now every such interrupt is a ``KeyboardInterrupt`` and the
CLI exits 130 with its one line; the store keeps every batch that completed
and nothing of the interrupted one. Interrupted at seeded moments during a
clean (fast path) and a dirty (exact path) GDELT ingest.
"""

from __future__ import annotations

import random
import signal
import time

import duckdb

from tests.reliability.cli import assert_clean_stderr, popen, run
from tests.reliability.gdeltgen import write_gdelt1


def test_reliability_interrupt_ingest_always_exits_130(tmp_path):
    clean, dirty = tmp_path / "20150101.export.CSV", tmp_path / "20150102.export.CSV"
    write_gdelt1(clean, 120_000, 1, seed=1)
    write_gdelt1(dirty, 120_000, 1_000_001, seed=2, bad_every=97)
    rng = random.Random(14)
    # how long an uninterrupted ingest runs once its store exists: the signals are sent at seeded
    # fractions of it, so they land inside the work on a fast idle machine and on a loaded one alike
    db = tmp_path / "full.duckdb"
    p = _start(clean, dirty, db)
    t0 = time.time()
    _, err = p.communicate(timeout=600)
    assert p.returncode == 0, err[-2000:]
    span = time.time() - t0
    codes, interrupted = [], 0
    for k in range(6):
        db = tmp_path / f"s{k}.duckdb"
        p = _start(clean, dirty, db)
        time.sleep(rng.uniform(0.05, 0.7) * span)  # somewhere in the reading, staging or storing of a file
        if p.poll() is not None:
            p.communicate()  # finished before the signal: close its pipes, nothing to check in this round
            continue
        p.send_signal(signal.SIGINT)
        _, err = p.communicate(timeout=120)
        interrupted += 1
        codes.append(p.returncode)
        assert_clean_stderr(err)
        assert p.returncode == 130, err[-2000:]
        assert err.strip().splitlines()[-1] == "error: interrupted; the store keeps every batch that completed"
        if db.exists():  # every stored batch is whole (a new store that received nothing is not kept)
            con = duckdb.connect(str(db), read_only=True)
            for bid, stored in con.execute("SELECT batch_id, rows_stored FROM ingest_batches").fetchall():
                assert con.execute("SELECT count(*) FROM events WHERE batch_id = ?", [bid]).fetchall()[0][0] == stored
            con.close()
            assert run("status", "--db", str(db)).returncode == 0
    print("exit codes of the interrupted runs:", codes)
    assert interrupted >= 3, "too few runs were still going when interrupted"


def _start(clean, dirty, db):
    """Start the ingest of both files into ``db`` and return once the store file exists (or the
    process ended, or 120 s passed)."""
    p = popen("ingest", str(clean), str(dirty), "--db", str(db))
    deadline = time.time() + 120
    while not db.exists() and time.time() < deadline and p.poll() is None:
        time.sleep(0.05)
    return p
