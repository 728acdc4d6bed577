"""The relation, changes, profile, blocs, check and report commands (thin CLI over the library)."""

from __future__ import annotations

import json

import pytest

from dyadwatch.cli import main
from tests.report.reportfix import build_store


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    build_store(path, inject=False).close()
    return str(path)


@pytest.mark.parametrize("cmd", ["relation", "changes", "profile", "blocs", "check", "report"])
def test_cli_relations_every_command_has_help(cmd, capsys):
    assert main([cmd, "--help"]) == 0
    assert capsys.readouterr().out.strip()


def test_cli_relations_relation_json(db, capsys):
    assert main(["relation", "IRN", "RUS", "--db", db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    by = {r["period"]: r for r in rows}
    assert by["2010"]["label"] == "friendly" and by["2010"]["events"] == 120
    assert sum(by["2010"][f"p_{k}"] for k in ("friendly", "neutral", "mixed", "hostile")) == pytest.approx(1)


def test_cli_relations_changes_finds_the_2012_drop(db, capsys):
    assert main(["changes", "IRN", "RUS", "--db", db, "--measure", "net_coop", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["period"] for r in rows] == ["2012"] and rows[0]["after"] < rows[0]["before"]


def test_cli_relations_blocs_json_keys(db, capsys):
    assert main(["blocs", "IRN", "RUS", "SYR", "USA", "SAU", "TUR", "ISR", "--topic", "Syrian Arab Republic",
                 "--db", db, "--format", "json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["blocs"] == [["IRN", "RUS", "SYR"], ["ISR", "SAU", "TUR", "USA"]]
    assert set(res["membership"]["IRN"]) == {"bloc", "strength"}
    assert res["frustration"] == 0


def test_cli_relations_check_claims_file(db, tmp_path, capsys):
    claims = tmp_path / "c.jsonl"
    claims.write_text("\n".join(json.dumps(c) for c in [
        {"id": "v", "kind": "veto", "actor": "RUS", "date": "2014-05-22", "topic": "Syria"},
        {"id": "v2", "kind": "veto", "actor": "USA", "date": "2014-05-22", "topic": "Syria"},
        {"id": "t", "kind": "trend", "actors": ["IRN", "RUS"], "measure": "net_coop", "before": [2008, 2011],
         "after": [2012, 2016], "direction": "up"},
        {"id": "e", "kind": "event", "actors": ["IRN", "RUS"], "date": "2030-01-01"},
    ]) + "\n")
    assert main(["check", str(claims), "--db", db, "--format", "json"]) == 0
    ans = {r["id"]: r["answer"] for r in json.loads(capsys.readouterr().out)}
    assert ans == {"v": "supported", "v2": "contradicted", "t": "contradicted", "e": "no data"}


def test_cli_relations_bad_claims_line_is_one_line_error(db, tmp_path, capsys):
    claims = tmp_path / "bad.jsonl"
    claims.write_text('{"kind": "veto", "actor": "RUS"}\n{"kind": "rumour"}\n')
    assert main(["check", str(claims), "--db", db]) == 3
    err = capsys.readouterr().err
    assert "bad.jsonl:2" in err and "unknown claim kind" in err and "Traceback" not in err


def test_cli_relations_report_json(db, tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["report", "IRN", "RUS", "--compare", "RUS-ISR", "--from", "2008", "--to", "2016",
                 "--out", str(out), "--format", "json", "--db", db]) == 0
    c = json.loads(out.read_text())
    assert c["a"] == "IRN" and [x["b"] for x in c["comparison"]] == ["ISR"]
    assert [p["year"] for p in c["verdicts"]] == list(range(2008, 2017))


def test_cli_relations_unknown_measure_is_usage_error(db, capsys):
    assert main(["blocs", "IRN", "RUS", "--measure", "tone", "--db", db]) == 2
    assert "net-coop, kappa" in capsys.readouterr().err


def test_cli_relations_blocs_actor_selection_by_conflict_and_top(db, capsys):
    assert main(["blocs", "--conflict", "SYR", "--topic", "Syrian Arab Republic", "--db", db,
                 "--format", "json"]) == 0
    res = json.loads(capsys.readouterr().out)
    # the UCDP conflict of the fixture has SYR (primary), RUS and IRN (secondary) on side A
    assert sorted(res["membership"]) == ["IRN", "RUS", "SYR"]
    from dyadwatch.analysis.blocs import top_actors
    from dyadwatch.api import Dyadwatch

    with Dyadwatch(db, read_only=True) as api:
        # fixture: IRN-RUS 120 events a year (each counts for both), RUS-ISR 30 a year
        assert top_actors(api.con, 3, year_from=2008, year_to=2016) == ["RUS", "IRN", "ISR"]


def test_cli_relations_profile_json_is_valid_json(db, capsys):
    assert main(["profile", "IRN", "RUS", "--from", "2014", "--to", "2016", "--db", db, "--format", "json"]) == 0
    text = capsys.readouterr().out
    assert "NaN" not in text
    rows = json.loads(text)
    assert [r["year"] for r in rows] == [2014, 2015, 2016]
    # fixture: 2015-2016 same side in UCDP conflict 299, identical UN votes (kappa 1 over 14 roll calls)
    assert rows[2]["verdict"] == "aligned partners"
    assert any("UCDP conflict Syria: Government (UCDP id 299)" in r for r in rows[2]["reasons"])
    assert main(["profile", "IRN", "RUS", "--from", "2016", "--to", "2016", "--db", db, "--format", "csv"]) == 0
    import csv

    (row,) = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert row["votes"] == "14"  # a count, printed as an integer (not 14.0)
