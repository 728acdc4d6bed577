"""Hostile arguments to `dyadwatch dyad`: a CAMEO root that does not exist or a dataset the
store does not hold is a usage error naming the valid ones (was a silent empty table); a dyad
without events says so on stderr."""

from __future__ import annotations

import json

import pytest

from dyadwatch.cli import main


@pytest.mark.parametrize("root", ["99", "abc", "0", "21"])
def test_cli_hostile_dyad_unknown_cameo_root(hostile_store, capsys, root):
    rc = main(["dyad", "IRN", "RUS", "--root", root, "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2
    assert f"CAMEO root {root!r}" in err and "01" in err and "20" in err


def test_cli_hostile_dyad_valid_roots_still_count(hostile_store, capsys):
    # root 19 (fight) holds event 4 of conftest.EVENTS only; "4" and "04" are the same root
    assert main(["dyad", "IRN", "RUS", "--root", "19", "--format", "json", "--db", str(hostile_store)]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["period"], r["events"]) for r in rows] == [("2016", 1)]
    assert main(["dyad", "IRN", "RUS", "--root", "4", "--format", "json", "--db", str(hostile_store)]) == 0
    assert [r["events"] for r in json.loads(capsys.readouterr().out)] == [1]


def test_cli_hostile_dyad_unknown_dataset(hostile_store, capsys):
    rc = main(["dyad", "IRN", "RUS", "--dataset", "nosuch", "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2
    assert "nosuch" in err and "icews" in err  # names the datasets the store holds


def test_cli_hostile_dyad_without_events_says_so(hostile_store, capsys):
    assert main(["dyad", "IRN", "TUV", "--format", "csv", "--db", str(hostile_store)]) == 0
    out = capsys.readouterr()
    assert out.out.strip().splitlines() == [out.out.strip().splitlines()[0]]  # header only
    assert "no events" in out.err and "IRN" in out.err and "TUV" in out.err
