"""Hostile arguments to `dyadwatch counts` and `dyadwatch optimize`: a missing or non-Parquet
--events file is an input error (was "internal error"), --out into a missing directory or with
an extension other than .parquet/.csv is a usage error before any work (was an internal error /
CSV written into a .xlsx file), and optimize on a missing store does not create one."""

from __future__ import annotations

import pytest

from dyadwatch.cli import main


@pytest.mark.parametrize("content", [None, b"hello world\n"])
def test_cli_hostile_counts_bad_events_file(tmp_path, capsys, content):
    path = tmp_path / "events.parquet"
    if content is not None:
        path.write_bytes(content)
    rc = main(["counts", "--events", str(path)])
    err = capsys.readouterr().err
    assert rc == 3, err
    assert err.startswith(f"error: {path}") and "internal error" not in err


@pytest.mark.parametrize("name", ["nodir/c.parquet", "c.xlsx"])
def test_cli_hostile_counts_bad_out(hostile_store, tmp_path, capsys, name):
    out = tmp_path / name
    rc = main(["counts", "--out", str(out), "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "--out" in err and "internal error" not in err
    assert not out.exists()


def test_cli_hostile_counts_out_csv_still_written(hostile_store, tmp_path, capsys):
    out = tmp_path / "c.csv"
    assert main(["counts", "--freq", "year", "--out", str(out), "--db", str(hostile_store)]) == 0
    lines = out.read_text().splitlines()
    # conftest.EVENTS: IRN->RUS and RUS->IRN in 2015 and in 2016 = 4 directed dyad-years
    assert len(lines) == 1 + 4


def test_cli_hostile_optimize_missing_store_not_created(tmp_path, capsys):
    db = tmp_path / "missing.duckdb"
    rc = main(["optimize", "--db", str(db)])
    assert rc == 4 and "store not found" in capsys.readouterr().err
    assert not db.exists()
