"""Issue 14, item 10: a full disk says where, exits with the store-error code, and the next run works.

A full disk gave "internal error, please report" and then "cannot rollback"
on the next run. Now: ``error: FILE: no space left on device in the store
... / the store's spill directory ... / the temporary directory ...``, exit
code 4, nothing of the file stored, and the next run (with space) works.
Small tmpfs file systems stand in for full disks: mounted by root (CI runs
as root); elsewhere the tests skip with the reason.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import zipfile

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, run
from tests.reliability.gdeltgen import write_gdelt1


@contextlib.contextmanager
def tmpfs(path, size: str):
    """A tmpfs of ``size`` mounted at ``path`` (skips the test when it cannot be mounted)."""
    path.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs to fill (needs root): {proc.stderr.strip() or proc.returncode}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def _error_line(stderr: str) -> str:
    return next(ln for ln in stderr.splitlines() if ln.startswith("error: "))


def test_reliability_disk_full_store(tmp_path):
    big, small1, small2 = tmp_path / "big.export.CSV", tmp_path / "a.export.CSV", tmp_path / "b.export.CSV"
    write_gdelt1(big, 40000, 1, seed=1)        # ~7.5 MB: does not fit in 3 MB with the store
    write_gdelt1(small1, 3, 100_001, seed=1)
    write_gdelt1(small2, 3, 200_001, seed=1)
    with tmpfs(tmp_path / "disk", "3m") as disk:
        db = disk / "s.duckdb"
        assert run("ingest", str(small1), "--db", str(db)).returncode == 0
        proc = run("ingest", str(big), "--db", str(db))
        assert_clean_stderr(proc.stderr)
        assert proc.returncode == 4, proc.stderr
        assert _error_line(proc.stderr).startswith(f"error: {big}: no space left on device in the store {db}")
        # the next run works: no "cannot rollback", the earlier batch is there, a new one is added
        proc = run("ingest", str(small2), "--db", str(db), "-o", "json")
        assert_clean_stderr(proc.stderr)
        assert proc.returncode == 0 and json.loads(proc.stdout)[0]["stored"] == 3, proc.stderr
        con = duckdb.connect(str(db), read_only=True)
        assert con.execute("SELECT count(*), count(DISTINCT batch_id) FROM events").fetchall() == [(6, 2)]
        con.close()


def test_reliability_disk_full_spill_directory(tmp_path):
    dirty = tmp_path / "dirty.export.CSV"
    write_gdelt1(dirty, 150_000, 1, seed=1, bad_every=100)  # ~28 MB, staged (exact path), spills past 64 MB
    db = tmp_path / "s.duckdb"
    with tmpfs(tmp_path / "s.duckdb.tmp", "1m"):
        proc = run("ingest", str(dirty), "--db", str(db), DYADWATCH_MEMORY_LIMIT="64MB")
        assert_clean_stderr(proc.stderr)
        assert proc.returncode == 4, proc.stderr
        assert _error_line(proc.stderr).startswith(
            f"error: {dirty}: no space left on device in the store's spill directory {db}.tmp"), proc.stderr
    small = tmp_path / "small.export.CSV"  # the next run works (the spill directory has space again)
    write_gdelt1(small, 3, 1, seed=1)
    proc = run("ingest", str(small), "--db", str(db), "-o", "json", DYADWATCH_MEMORY_LIMIT="64MB")
    assert proc.returncode == 0 and json.loads(proc.stdout)[0]["stored"] == 3, proc.stderr


def test_reliability_disk_full_temporary_directory(tmp_path):
    rows = tmp_path / "rows.export.CSV"
    write_gdelt1(rows, 20000, 1, seed=1)  # ~3.7 MB, extracted from the zip into TMPDIR
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(rows, "20150101.export.CSV")
    archive = tmp_path / "20150101.export.CSV.zip"
    archive.write_bytes(buf.getvalue())
    db = tmp_path / "s.duckdb"
    with tmpfs(tmp_path / "tmpdir", "1m") as tmpdir:
        proc = run("ingest", str(archive), "--db", str(db), TMPDIR=str(tmpdir))
        assert_clean_stderr(proc.stderr)
        assert proc.returncode == 4, proc.stderr
        assert _error_line(proc.stderr).startswith(
            f"error: {archive}: no space left on device in the temporary directory {tmpdir} (TMPDIR)"), proc.stderr
        assert list(tmpdir.iterdir()) == []  # nothing left behind
    assert run("ingest", str(archive), "--db", str(db)).returncode == 0


def test_reliability_disk_full_report_keeps_the_old_file(tmp_path):
    from tests.reliability.corpus import ICEWS_HEADER, icews_row

    src = tmp_path / "events.tab"
    src.write_text("\n".join([ICEWS_HEADER, *(icews_row(i) for i in range(1, 5))]) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert run("ingest", str(src), "--db", str(db)).returncode == 0
    with tmpfs(tmp_path / "out", "64k") as out:
        old = out / "r.html"
        old.write_text("old report\n", encoding="utf-8")
        proc = run("report", "IRN", "RUS", "--out", str(old), "--db", str(db))
        assert_clean_stderr(proc.stderr)
        assert proc.returncode == 3, proc.stderr
        assert "No space left on device" in proc.stderr and str(old) in proc.stderr
        assert old.read_text(encoding="utf-8") == "old report\n" and [p.name for p in out.iterdir()] == ["r.html"]
