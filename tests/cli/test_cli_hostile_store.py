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
