"""Hostile arguments to `dyadwatch blocs`: a --topic that no roll call matches and a reversed
--from/--to are usage errors that say so (were "none (no ties)" with every actor unattached, and
"no UN votes ... widen --from/--to")."""

from __future__ import annotations

import json

from dyadwatch.cli import main


def test_cli_hostile_blocs_topic_matching_nothing(hostile_store, capsys):
    rc = main(["blocs", "IRN", "RUS", "--topic", "<script>", "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2 and "'<script>'" in err and "roll call" in err


def test_cli_hostile_blocs_reversed_years(hostile_store, capsys):
    rc = main(["blocs", "IRN", "RUS", "--from", "2020", "--to", "2010", "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2 and "--from 2020 is after --to 2010" in err


def test_cli_hostile_blocs_matching_topic_still_ties(hostile_store, capsys):
    # conftest.ROLL_CALLS: roll call 1 is on Syria; both voted yes -> one common vote on the topic
    assert main(["blocs", "IRN", "RUS", "--topic", "Syrian", "--format", "json", "--db", str(hostile_store)]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["topic"] == "Syrian"


def test_cli_hostile_profile_topic_matching_nothing_says_so(hostile_store, capsys):
    assert main(["profile", "IRN", "RUS", "--from", "2015", "--to", "2015", "--topic", "<script>",
                 "--format", "csv", "--db", str(hostile_store)]) == 0
    out = capsys.readouterr()
    assert "no UN roll call" in out.err and "'<script>'" in out.err
    assert main(["profile", "IRN", "RUS", "--from", "2015", "--to", "2015", "--topic", "Syrian",
                 "--format", "csv", "--db", str(hostile_store)]) == 0
    assert "no UN roll call" not in capsys.readouterr().err  # roll call 1 (conftest) is on Syria


def test_cli_hostile_blocs_top_over_the_bound_is_a_one_line_usage_error(hostile_store, capsys):
    # `--top 100000` ran the N(N-1)/2 tie queries for every state in the store (minutes)
    from dyadwatch.analysis.blocs import TOP_ACTORS_MAX

    for value in (100000, TOP_ACTORS_MAX + 1, 1, 0, -3):
        rc = main(["blocs", "--top", str(value), "--db", str(hostile_store)])
        err = capsys.readouterr().err
        assert rc == 2, (value, err)
        assert err.count("\n") == 1 and err.startswith("error: "), err
        assert f"--top {value} is out of range: give 2 to {TOP_ACTORS_MAX} states" in err, err


def test_cli_hostile_blocs_top_at_the_bound_takes_the_states_that_exist(hostile_store, capsys):
    # the store (conftest.EVENTS) has events of two states only: --top 50 takes those two
    from dyadwatch.analysis.blocs import TOP_ACTORS_MAX

    assert main(["blocs", "--top", str(TOP_ACTORS_MAX), "--format", "json", "--db", str(hostile_store)]) == 0
    res = json.loads(capsys.readouterr().out)
    assert sorted(res["membership"]) + sorted(res["unattached"]) == ["IRN", "RUS"]


def test_cli_blocs_help_states_the_top_range():
    from typer.testing import CliRunner

    from dyadwatch.analysis.blocs import TOP_ACTORS_MAX
    from dyadwatch.cli import app

    out = CliRunner().invoke(app, ["blocs", "--help"], env={"COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"})
    assert out.exit_code == 0
    assert f"(2 to {TOP_ACTORS_MAX})" in " ".join(out.output.split())
