"""Hostile output/setup arguments: `code --out` into a missing directory is a usage error before
coding (was an internal FileNotFoundError); `ingest --output xml` is refused (was silently a
table); `demo` checks --a/--b and --claims before ingesting the mirror (an unknown actor failed
only after ~2 minutes of ingest) and refuses a mirror without data (wrote an empty report)."""

from __future__ import annotations

import pytest

from dyadwatch.cli import main


def test_cli_hostile_code_out_missing_directory(tmp_path, capsys):
    text = tmp_path / "news.txt"
    text.write_text("Iran's foreign minister met Russia's foreign minister in Moscow on Tuesday.\n",
                    encoding="utf-8")
    out = tmp_path / "nodir" / "events.jsonl"
    rc = main(["code", str(text), "--date", "2016-05-03", "--out", str(out)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "nodir" in err and "internal error" not in err and not out.exists()


def test_cli_hostile_ingest_unknown_output(hostile_files, tmp_path, capsys):
    db = tmp_path / "s.duckdb"
    rc = main(["ingest", str(hostile_files["vetoes"]), "--output", "xml", "--db", str(db)])
    err = capsys.readouterr().err
    assert rc == 2 and "xml" in err and "json" in err
    assert not db.exists()  # refused before the store was created


@pytest.mark.parametrize("extra, word", [(["--a", "XXX"], "XXX"), (["--b", "Atlantis"], "Atlantis"),
                                         (["--claims", "MISSING"], "claims file not found")])
def test_cli_hostile_demo_bad_arguments_before_ingest(hostile_files, tmp_path, capsys, extra, word):
    db = tmp_path / "d.duckdb"
    extra = [str(tmp_path / "missing.jsonl") if x == "MISSING" else x for x in extra]
    rc = main(["demo", "--mirror", str(hostile_files["vetoes"].parent), "--db", str(db),
               "--out", str(tmp_path / "r.html"), *extra])
    err = capsys.readouterr().err
    assert rc in (2, 3) and word in err
    assert not db.exists()  # nothing ingested


def test_cli_hostile_demo_mirror_without_data(tmp_path, capsys):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "README.txt").write_text("nothing here\n", encoding="utf-8")
    rc = main(["demo", "--mirror", str(mirror), "--db", str(tmp_path / "d.duckdb"),
               "--out", str(tmp_path / "r.html")])
    err = capsys.readouterr().err
    assert rc == 3 and "no data file" in err
    assert not (tmp_path / "r.html").exists()


def test_cli_hostile_failed_ingest_leaves_no_new_store(hostile_files, tmp_path, capsys):
    junk = tmp_path / "junk.csv"
    junk.write_text("a,b\n1,2\n", encoding="utf-8")
    db = tmp_path / "typo.duckdb"
    assert main(["ingest", str(junk), str(tmp_path / "missing.csv"), "--db", str(db)]) == 3
    assert "not ingested" in capsys.readouterr().err
    assert not db.exists() and not (tmp_path / "typo.duckdb.wal").exists()
    # one good file among bad ones: the store is kept with that batch (1 veto in conftest.VETOES)
    assert main(["ingest", str(hostile_files["vetoes"]), str(junk), "--output", "json", "--db", str(db)]) == 3
    capsys.readouterr()
    assert db.exists()
    assert main(["vetoes", "--format", "json", "--db", str(db)]) == 0
    assert '"S/2014/348"' in capsys.readouterr().out
