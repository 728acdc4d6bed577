"""Hostile arguments to align / alliances / wars / vetoes / changes: the same state twice and a
non-permanent member for vetoes are usage errors (were tables of self-agreement 1.0 or a note
suggesting the veto list is not ingested); empty answers to valid questions say so on stderr."""

from __future__ import annotations

import json

import pytest

from dyadwatch.cli import main


@pytest.mark.parametrize("command", ["align", "alliances", "wars"])
@pytest.mark.parametrize("pair", [["IRN", "IRN"], ["IRN", "Iran"], ["irn", "Iran, Islamic Republic of"]])
def test_cli_hostile_same_state_twice(hostile_store, capsys, command, pair):
    rc = main([command, *pair, "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2 and "IRN" in err and "two different states" in err


@pytest.mark.parametrize("member", ["IRN", "Germany"])
def test_cli_hostile_vetoes_not_a_permanent_member(hostile_store, capsys, member):
    rc = main(["vetoes", member, "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2 and "permanent member" in err and "RUS" in err and "ingested" not in err


@pytest.mark.parametrize("member", ["RUS", "USSR", "Russia", "SUN"])
def test_cli_hostile_vetoes_russia_names(hostile_store, capsys, member):
    assert main(["vetoes", member, "--format", "json", "--db", str(hostile_store)]) == 0
    assert [r["draft"] for r in json.loads(capsys.readouterr().out)] == ["S/2014/348"]


@pytest.mark.parametrize("years", [["--from", "1800", "--to", "1801"], ["--from", "3000"]])
def test_cli_hostile_align_empty_years_say_so(hostile_store, capsys, years):
    assert main(["align", "IRN", "RUS", *years, "--format", "json", "--db", str(hostile_store)]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == [] and "no common UN roll call" in out.err


def test_cli_hostile_align_topic_matching_nothing_says_so(hostile_store, capsys):
    assert main(["align", "IRN", "RUS", "--topic", "<script>", "--db", str(hostile_store)]) == 0
    assert "no common UN roll call" in capsys.readouterr().err


def test_cli_hostile_changes_none_found_says_so(hostile_store, capsys):
    # IRN-TUV has no events at all: no series, no change point
    assert main(["changes", "IRN", "TUV", "--db", str(hostile_store)]) == 0
    out = capsys.readouterr()
    assert "no change point" in out.err
    assert main(["changes", "IRN", "TUV", "--format", "json", "--db", str(hostile_store)]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("pair", [["IRN", "IRN"], ["Iran", "irn"]])
def test_cli_hostile_profile_same_actor_twice(hostile_store, capsys, pair):
    # a verdict of a state on itself ("aligned partners", kappa 1.0) is meaningless
    rc = main(["profile", *pair, "--from", "2015", "--to", "2015", "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2 and "two different actors" in err


def test_cli_hostile_report_same_actor_twice(hostile_store, tmp_path, capsys):
    out = tmp_path / "r.html"
    rc = main(["report", "IRN", "Iran", "--out", str(out), "--db", str(hostile_store)])
    assert rc == 2 and "two different actors" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("years", [[], ["--from", "1800", "--to", "1801"]])
def test_cli_hostile_relation_without_events_says_so(hostile_store, capsys, years):
    assert main(["relation", "IRN", "TUV", *years, "--format", "json", "--db", str(hostile_store)]) == 0
    out = capsys.readouterr()
    assert all(r.get("events", 0) == 0 for r in json.loads(out.out))
    assert "no events between IRN and TUV" in out.err


def test_cli_hostile_counts_empty_store_says_so(tmp_path, capsys):
    from dyadwatch.api import Dyadwatch

    db = tmp_path / "empty.duckdb"
    Dyadwatch(db).close()  # a store created but empty
    assert main(["counts", "--format", "csv", "--db", str(db)]) == 0
    assert "no country-coded events" in capsys.readouterr().err
