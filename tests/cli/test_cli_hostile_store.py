"""Hostile store settings: a DYADWATCH_LOCK_WAIT that is not a number is a one-line store error
like a bad DYADWATCH_MEMORY_LIMIT (was an internal ValueError)."""

from __future__ import annotations

import pytest

from dyadwatch.cli import main


@pytest.mark.parametrize("value", ["abc", "-5", "nan"])
def test_cli_hostile_bad_lock_wait(hostile_store, capsys, monkeypatch, value):
    monkeypatch.setenv("DYADWATCH_LOCK_WAIT", value)
    rc = main(["status", "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 4 and "DYADWATCH_LOCK_WAIT" in err and repr(value) in err and "internal error" not in err


def test_cli_hostile_lock_wait_number_still_works(hostile_store, capsys, monkeypatch):
    monkeypatch.setenv("DYADWATCH_LOCK_WAIT", "1.5")
    assert main(["status", "--db", str(hostile_store), "--format", "json"]) == 0


def test_status_lists_the_most_frequent_reject_reasons_and_counts_the_rest(tmp_path, capsys):
    """20 distinct reject reasons: `status` lists 15 (most frequent first) and one
    line counts the other 5 and their rows."""
    from dyadwatch.cli import main
    from dyadwatch.cli.status import MAX_REASONS
    from dyadwatch.sources.gdelt import GDELT1_COLUMNS
    from tests.reliability.corpus import gdelt_row

    rows = [gdelt_row(GDELT1_COLUMNS, 1, "20150930")]
    eid = 2
    for k in range(20):  # reason k (an unparsable date of its own) on 20 - k lines
        for _ in range(20 - k):
            rows.append(gdelt_row(GDELT1_COLUMNS, eid, f"2015{13 + k:02d}01"))
            eid += 1
    f = tmp_path / "20150930.export.CSV"
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    db = str(tmp_path / "s.duckdb")
    assert main(["ingest", str(f), "--db", db]) == 0
    capsys.readouterr()
    assert main(["status", "--db", db]) == 0
    cap = capsys.readouterr()
    listed = [line for line in cap.out.splitlines() if "unparsable SQLDATE" in line]
    assert MAX_REASONS == 15 and len(listed) == 15
    assert "'20151301'" in listed[0] and "20" in listed[0].split("│")[-2]
    assert "... and 5 more reasons (15 rows)" in cap.err  # 5 + 4 + 3 + 2 + 1 rows
