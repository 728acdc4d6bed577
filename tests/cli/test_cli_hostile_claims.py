"""Hostile claims files for `dyadwatch check`: an empty file, invalid UTF-8, a directory, a
trend direction other than up/down, an unknown ATOP obligation or ``actors`` given as one string
are input errors naming file and line (were: a blank answer, an internal error, a "contradicted"
verdict on a claim that cannot be checked, "unknown actor 'I'")."""

from __future__ import annotations

import pytest

from dyadwatch.cli import main

GOOD = '{"kind": "veto", "actor": "RUS", "from": 2014, "to": 2014, "topic": "Middle East"}'
BAD = {
    "empty": (b"", None, "no claims"),
    "comments_only": (b"# a comment\n\n", None, "no claims"),
    "not_utf8": (GOOD.encode() + b"\n\xff\xfe{}\n", 2, "UTF-8"),
    "direction": (b'{"kind": "trend", "actors": ["IRN", "RUS"], "before": [2015, 2015], '
                  b'"after": [2016, 2016], "direction": "sideways"}\n', 1, "direction"),
    "obligation": (b'{"kind": "alliance", "actors": ["IRN", "RUS"], "year": 2015, "obligation": "foo", '
                   b'"expected": true}\n', 1, "obligation"),
    "actors_string": (b'{"kind": "relation", "actors": "IRN", "year": 2015, "expected": "friendly"}\n', 1,
                      "actors"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_cli_hostile_claims_bad_file(hostile_store, tmp_path, capsys, case):
    content, line, word = BAD[case]
    path = tmp_path / "claims.jsonl"
    path.write_bytes(content)
    rc = main(["check", str(path), "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 3, err
    where = f"{path}:{line}:" if line else f"{path}:"
    assert err.startswith(f"error: {where}") and word in err and "internal error" not in err


def test_cli_hostile_claims_directory(hostile_store, tmp_path, capsys):
    assert main(["check", str(tmp_path), "--db", str(hostile_store)]) == 3
    assert "is a directory" in capsys.readouterr().err


def test_cli_hostile_claims_good_line_still_checked(hostile_store, tmp_path, capsys):
    path = tmp_path / "claims.jsonl"
    path.write_text(GOOD + "\n", encoding="utf-8")
    assert main(["check", str(path), "--format", "csv", "--db", str(hostile_store)]) == 0
    # conftest.VETOES: Russia and China vetoed S/2014/348 (Middle East) in 2014
    assert "supported" in capsys.readouterr().out


@pytest.mark.parametrize("line, word", [
    ('{"kind": "same_side", "actors": ["IRN", "RUS"], "from": "abc"}', "malformed"),
    ('{"kind": "event", "actors": ["IRN", "RUS"], "date": "yesterday"}', "malformed"),
    ('{"kind": "veto", "actor": "Atlantis", "from": 2014}', "Atlantis"),
])
def test_cli_hostile_claims_bad_values_name_file_and_line(hostile_store, tmp_path, capsys, line, word):
    # the claim on line 2 is at fault: an input error naming file:line (was exit 2 naming only the claim id)
    path = tmp_path / "claims.jsonl"
    path.write_text(GOOD + "\n" + line + "\n", encoding="utf-8")
    rc = main(["check", str(path), "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 3, err
    assert err.startswith(f"error: {path}:2: ") and word in err
