"""Issue 8, part 2: SIGKILL the ingest at random moments; nothing is lost, nothing doubled.

Several GDELT-1.0-shaped files (a few hundred thousand rows in all, some
rows meant to be rejected) are loaded once cleanly. Then the same
``dyadwatch ingest`` command is started on a second store and killed with
SIGKILL at a random moment, 20 times. After every kill the store must open
and hold exactly the batches that completed - each stored batch identical to
that file's batch in the clean load, no row outside a finished batch. Runs
that finish before their kill are checked against the clean load and the
store is started afresh; after every tenth kill the command is re-run to
the end and compared with the clean load. Finally the command is re-run to the end and the
store must equal the clean load row for row (0 rows lost, 0 doubled).
"""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, popen, run
from tests.reliability.gdeltgen import write_gdelt1

N_FILES = 5
ROWS_PER_FILE = 30_000
N_KILLS = 20
EVENT_COLS = ("event_id, dataset, native_id, event_date, src_name, src_code, src_country, tgt_name, tgt_code, "
              "tgt_country, cameo_code, cameo_root, quad_class, goldstein, plover_type, loc_country, loc_name, "
              "lat, lon, mentions, source_url")
FIGURES: dict[str, int] = {}
NO_SCHEMA_KILLS: list[Path] = []  # kills that left a database file without dyadwatch's tables


def _state(db: Path) -> dict:
    """What a store holds: per finished batch (by file) its event ids and reject lines."""
    if not db.exists():  # killed before the store was created: it holds nothing
        return {"batches": {}, "orphan_events": 0, "orphan_rejects": 0, "dup_ids": 0, "events": 0}
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "ingest_batches" not in tables:  # killed before the first schema commit: an empty database
            assert not tables & {"events", "rejects"}, tables
            NO_SCHEMA_KILLS.append(db)
            return {"batches": {}, "orphan_events": 0, "orphan_rejects": 0, "dup_ids": 0, "events": 0}
        batches = con.execute("SELECT batch_id, source_path, rows_stored, rows_rejected, finished "
                              "FROM ingest_batches ORDER BY batch_id").fetchall()
        out = {"batches": {}, "orphan_events": 0, "orphan_rejects": 0, "dup_ids": 0, "events": 0}
        for bid, path, stored, rejected, finished in batches:
            assert finished is not None, f"batch {bid} recorded without finishing"
            ids = con.execute("SELECT count(*), count(DISTINCT event_id), min(event_id), max(event_id) "
                              "FROM events WHERE batch_id = ?", [bid]).fetchall()[0]
            rej = con.execute("SELECT count(*) FROM rejects WHERE batch_id = ?", [bid]).fetchall()[0][0]
            assert Path(path).name not in out["batches"], f"{path} stored twice"
            out["batches"][Path(path).name] = (stored, rejected, ids, rej)
        out["orphan_events"] = con.execute(
            "SELECT count(*) FROM events WHERE batch_id NOT IN (SELECT batch_id FROM ingest_batches)").fetchall()[0][0]
        out["orphan_rejects"] = con.execute(
            "SELECT count(*) FROM rejects WHERE batch_id NOT IN (SELECT batch_id FROM ingest_batches)"
        ).fetchall()[0][0]
        out["events"], distinct = con.execute("SELECT count(*), count(DISTINCT event_id) FROM events").fetchall()[0]
        out["dup_ids"] = out["events"] - distinct
        return out
    finally:
        con.close()


def _same_rows(db: Path, clean: Path) -> tuple[int, int]:
    """(rows of the clean load missing from ``db``, rows of ``db`` not in the clean load), as multisets."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute(f"ATTACH '{clean}' AS clean (READ_ONLY)")
        missing = con.execute(f"SELECT count(*) FROM (SELECT {EVENT_COLS} FROM clean.events EXCEPT ALL "
                              f"SELECT {EVENT_COLS} FROM events)").fetchall()[0][0]
        extra = con.execute(f"SELECT count(*) FROM (SELECT {EVENT_COLS} FROM events EXCEPT ALL "
                            f"SELECT {EVENT_COLS} FROM clean.events)").fetchall()[0][0]
        rej_missing = con.execute("SELECT count(*) FROM (SELECT file, line, reason FROM clean.rejects EXCEPT ALL "
                                  "SELECT file, line, reason FROM rejects)").fetchall()[0][0]
        rej_extra = con.execute("SELECT count(*) FROM (SELECT file, line, reason FROM rejects EXCEPT ALL "
                                "SELECT file, line, reason FROM clean.rejects)").fetchall()[0][0]
        return missing + rej_missing, extra + rej_extra
    finally:
        con.close()


def _drop(db: Path) -> None:
    for p in (db, db.with_name(db.name + ".wal")):
        p.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def export_files(tmp_path_factory) -> list[Path]:
    d = tmp_path_factory.mktemp("gdelt_exports")
    paths = []
    for k in range(N_FILES):
        p = d / f"2015010{k + 1}.export.CSV"
        # odd files hold bad rows (the exact, line-numbered ingest path), even ones are clean (the fast path)
        write_gdelt1(p, ROWS_PER_FILE, 10_000_000 + k * ROWS_PER_FILE, seed=k, bad_every=997 if k % 2 else 0)
        paths.append(p)
    return paths


def test_reliability_crash_sigkill_loses_and_doubles_nothing(tmp_path, export_files):
    files = [str(p) for p in export_files]
    clean = tmp_path / "clean.duckdb"
    t0 = time.monotonic()
    proc = run("ingest", *files, "--db", str(clean), "-o", "json")
    full_s = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    clean_state = _state(clean)
    assert len(clean_state["batches"]) == N_FILES and clean_state["dup_ids"] == 0
    assert clean_state["events"] == sum(v[0] for v in clean_state["batches"].values())

    rng = random.Random(8)
    db = tmp_path / "killed.duckdb"
    kills = verified = completed_early = 0
    lost = doubled = 0
    attempts = 0
    at_kill: list[int] = []  # finished batches found after each kill
    while kills < N_KILLS:
        attempts += 1
        assert attempts < 3 * N_KILLS, "the ingest finished before nearly every kill; raise the load"
        started = time.monotonic()
        p = popen("ingest", *files, "--db", str(db), "-o", "json")
        delay = rng.uniform(1.0, max(1.5, full_s * 0.85))
        try:
            p.wait(timeout=delay)
        except Exception:  # still running: kill it
            os.kill(p.pid, signal.SIGKILL)
            p.wait()
        out, err = p.communicate()
        if p.returncode != -signal.SIGKILL:  # finished before the kill: it must be the full load
            assert p.returncode == 0, err
            assert_clean_stderr(err)
            m, x = _same_rows(db, clean)
            lost, doubled = lost + m, doubled + x
            completed_early += 1
            full_s = min(full_s, time.monotonic() - started)  # the machine got faster: aim earlier
            _drop(db)
            continue
        kills += 1
        st = _state(db)  # the store opens after the kill ...
        assert st["orphan_events"] == 0 and st["orphan_rejects"] == 0 and st["dup_ids"] == 0
        for name, batch in st["batches"].items():  # ... and holds whole batches, each as in the clean load
            assert batch == clean_state["batches"][name], name
        assert st["events"] == sum(b[0] for b in st["batches"].values())
        if not st["batches"]:  # even an empty store answers queries cleanly (exit 4, one line) or with its status
            q = run("status", "--db", str(db))
            assert_clean_stderr(q.stderr)
            assert q.returncode in (0, 4), q.stderr
        verified += 1
        at_kill.append(len(st["batches"]))
        if kills % 10 == 0:  # re-running the same command completes the load
            proc = run("ingest", *files, "--db", str(db), "-o", "json")
            assert proc.returncode == 0, proc.stderr
            assert_clean_stderr(proc.stderr)
            m, x = _same_rows(db, clean)
            lost, doubled = lost + m, doubled + x
            assert _state(db)["batches"] == clean_state["batches"]
            _drop(db)
    FIGURES.update(kills=kills, verified=verified, completed_early=completed_early, lost=lost, doubled=doubled,
                   rows=clean_state["events"], full_run_s=round(full_s, 1),
                   batches_at_kill=at_kill, no_schema_kills=len(NO_SCHEMA_KILLS))
    print("crash figures:", FIGURES)
    assert (kills, verified) == (N_KILLS, N_KILLS)
    assert lost == 0 and doubled == 0


def test_reliability_crash_store_killed_before_its_schema(tmp_path, export_files):
    """A kill between creating the file and creating the tables leaves an empty
    DuckDB database: queries say so in one line (exit 4, found by the kill test:
    `dyad` failed with a multi-line internal error), and ingest completes it."""
    db = tmp_path / "empty.duckdb"
    duckdb.connect(str(db)).close()
    for args in (("status",), ("dyad", "IRN", "RUS"), ("report", "IRN", "RUS", "--out", str(tmp_path / "r.html"))):
        q = run(*args, "--db", str(db))
        assert_clean_stderr(q.stderr)
        lines = [ln for ln in q.stderr.splitlines() if ln.strip()]
        assert q.returncode == 4 and len(lines) == 1, q.stderr
        assert "not a dyadwatch store yet" in lines[0] and str(db) in lines[0]
    proc = run("ingest", str(export_files[0]), "--db", str(db), "-o", "json")
    assert proc.returncode == 0, proc.stderr
    assert run("status", "--db", str(db)).returncode == 0
