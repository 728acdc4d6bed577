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
        {"id": "e", "kind": "event", "actors": ["IRN", "RUS"], "date": "1900-01-01"},  # plausible, uncovered
    ]) + "\n")
    assert main(["check", str(claims), "--db", db, "--format", "json"]) == 0
    ans = {r["id"]: r["answer"] for r in json.loads(capsys.readouterr().out)}
    assert ans == {"v": "supported", "v2": "contradicted", "t": "contradicted", "e": "no data"}


def test_cli_relations_bad_claims_line_is_one_line_error(db, tmp_path, capsys):
    claims = tmp_path / "bad.jsonl"
    claims.write_text('{"kind": "veto", "actor": "RUS", "date": "2014-05-22"}\n{"kind": "rumour"}\n')
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


def test_cli_relations_profile_table_is_brief(db, capsys):
    """The default table: five columns, the strongest reasons on wrapped lines; --wide keeps every column."""
    assert main(["profile", "IRN", "RUS", "--from", "2016", "--to", "2016", "--db", db, "--format", "json"]) == 0
    (full,) = json.loads(capsys.readouterr().out)
    assert main(["profile", "IRN", "RUS", "--from", "2016", "--to", "2016", "--db", db]) == 0
    text = capsys.readouterr().out
    header = next(line for line in text.splitlines() if "year" in line and "verdict" in line)
    assert [c.strip() for c in header.strip("┃ ").split("┃")] == ["year", "verdict", "confidence", "coverage",
                                                                 "reasons"]
    assert "kappa_topic" not in text and "same_side_conflicts" not in text
    cols = [[] for _ in range(5)]  # each column's text, its wrapped lines joined
    for line in text.splitlines():
        if line.startswith("│"):
            for k, cell in enumerate(line.split("│")[1:-1]):
                cols[k].append(cell.strip())
    year, verdict, confidence, coverage, reasons = (" ".join(" ".join(c).split()) for c in cols)
    assert (year, verdict, confidence) == ("2016", full["verdict"], f"{full['confidence']:.2f}")
    flat = reasons + " " + coverage
    # the heaviest signal of the year is the shared UCDP conflict (1.5 points), shown with its text
    top = max(full["signals"], key=lambda s: s["weight"])
    assert top["family"] == "wars" and top["weight"] == 1.5
    assert f"for (+1.5): {top['text']}" in flat
    assert f"for alignment {full['score_for']:.1f} points, against {full['score_against']:.1f}" in flat
    covered = sum(c["status"] == "covered" for c in full["coverage"].values())
    assert f"{covered} of {len(full['coverage'])} covered" in flat
    assert max(len(line) for line in text.splitlines()) <= 200
    assert main(["profile", "IRN", "RUS", "--from", "2016", "--to", "2016", "--db", db, "--wide"]) == 0
    wide = capsys.readouterr().out
    top_border = next(line for line in wide.splitlines() if line.startswith("┏"))
    assert top_border.count("┳") + 1 == 21  # every column of profile_frame


def test_cli_relations_profile_brief_orders_and_counts_reasons():
    from dyadwatch.analysis.profile import YearProfile, coverage_brief, profile_brief

    p = YearProfile(a="IRN", b="RUS", year=2015, verdict="competitive", confidence=0.6049, score_for=1.0,
                    score_against=2.5,
                    signals=[{"direction": "for", "weight": 1.0, "family": "votes", "text": "close UN voting"},
                             {"direction": "against", "weight": 0.5, "family": "events", "text": "mixed events"},
                             {"direction": "against", "weight": 2.0, "family": "disputes", "text": "a MID"},
                             {"direction": "against", "weight": 1.0, "family": "events", "text": "hostile events"}],
                    reasons=["summary", "r1", "r2", "r3", "r4", "caveat", "coverage sentence"],
                    coverage={"events": {"status": "covered", "text": ""}, "votes": {"status": "thin", "text": ""},
                              "disputes": {"status": "silent", "text": ""}, "wars": {"status": "silent", "text": ""}})
    (row,) = profile_brief([p], top=3)
    assert row["confidence"] == 0.6 and row["year"] == 2015
    assert row["reasons"].split("\n") == [
        "for alignment 1.0 points, against 2.5",
        "against (+2.0): a MID",
        "against (+1.0): hostile events",   # a tie at 1.0: against before for
        "for (+1.0): close UN voting",
        "… 2 more reasons (--wide, --format json)",  # mixed events and the caveat
    ]
    assert row["coverage"] == "1 of 4 covered;\nthin: votes;\nsilent: disputes, wars"
    assert coverage_brief({}) == "no source"
