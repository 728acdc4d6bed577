"""Issue 8, part 4: queries while an ingest writes.

DuckDB lets one process hold a store file for writing, and while it does, no
other process can open the file at all (not even read-only). So a query
started during an ingest cannot see half a batch: dyadwatch waits
(``DYADWATCH_LOCK_WAIT`` seconds, default 60) with a message on stderr and
then reads the store as the ingest left it, or, when the wait runs out,
stops with one ``error:`` line and exit code 4 - never a raw lock error.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, popen, run
from tests.reliability.gdeltgen import write_gdelt1


def _locked(db: Path) -> bool:
    try:
        duckdb.connect(str(db), read_only=True).close()
        return False
    except duckdb.IOException as exc:
        assert "lock" in str(exc).lower(), exc
        return True


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    d = tmp_path_factory.mktemp("conc")
    small, big = d / "20150101.export.CSV", d / "20150102.export.CSV"
    write_gdelt1(small, 200, 50_000_000, seed=1)
    write_gdelt1(big, 300_000, 60_000_000, seed=2)
    return small, big


def _rounded(dyad_json: str) -> list[dict]:
    """The dyad series with floats to 9 digits (DuckDB's parallel sums vary in the last bits)."""
    return [{k: round(v, 9) if isinstance(v, float) else v for k, v in row.items()}
            for row in json.loads(dyad_json)]


def _events(status_stdout: str) -> int:
    return json.loads(status_stdout)["tables"]["events"]


def test_reliability_queries_during_ingest_see_before_or_after_never_half(tmp_path, exports):
    small, big = exports
    db = tmp_path / "store.duckdb"
    assert run("ingest", str(small), "--db", str(db)).returncode == 0
    before_status = run("status", "--db", str(db), "--format", "json")
    before_dyad = run("dyad", "IRN", "RUS", "--db", str(db), "--format", "json").stdout
    assert _events(before_status.stdout) == 200

    writer = popen("ingest", str(big), "--db", str(db), "-o", "json")
    deadline = time.monotonic() + 60
    while not _locked(db):  # wait until the ingest holds the file
        assert writer.poll() is None, writer.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)

    # queries that wait: started while the ingest writes, they read the whole batch
    queries = [popen("status", "--db", str(db), "--format", "json", DYADWATCH_LOCK_WAIT="120"),
               popen("dyad", "IRN", "RUS", "--db", str(db), "--format", "json", DYADWATCH_LOCK_WAIT="120"),
               popen("report", "IRN", "RUS", "--db", str(db), "--out", str(tmp_path / "r.html"),
                     DYADWATCH_LOCK_WAIT="120")]
    # queries that may not wait, polled while the ingest runs: the store before the
    # batch, or one clean 'locked' error line with exit code 4
    polls = []
    while writer.poll() is None:
        quick = run("status", "--db", str(db), "--format", "json", DYADWATCH_LOCK_WAIT="0.2")
        assert_clean_stderr(quick.stderr)
        polls.append(quick.returncode)
        if quick.returncode == 0:
            assert _events(quick.stdout) in (200, None) or writer.poll() is not None
            continue
        assert quick.returncode == 4, quick.stderr
        errors = [ln for ln in quick.stderr.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1 and "locked" in errors[0] and str(db) in errors[0], quick.stderr
    assert 4 in polls, "the ingest finished before a query could run; raise the load"
    out = [q.communicate(timeout=300) for q in queries]
    w_out, w_err = writer.communicate(timeout=300)
    assert writer.returncode == 0, w_err
    after_status = run("status", "--db", str(db), "--format", "json")
    after_dyad = run("dyad", "IRN", "RUS", "--db", str(db), "--format", "json").stdout
    assert _events(after_status.stdout) == 200 + json.loads(w_out)[0]["stored"]
    for q, (stdout, stderr) in zip(queries, out):
        assert_clean_stderr(stderr)
        assert q.returncode == 0, stderr
    assert "waiting up to 120 s" in out[0][1]  # it said that it waits
    assert _events(out[0][0]) in (200, _events(after_status.stdout))
    assert _rounded(out[1][0]) in (_rounded(before_dyad), _rounded(after_dyad))
    assert (tmp_path / "r.html").stat().st_size > 0

