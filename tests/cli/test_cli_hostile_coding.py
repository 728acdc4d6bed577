"""Hostile gold files for `dyadwatch evaluate`: a directory or a file that is not UTF-8 is an
input error naming file (and line) instead of an internal IsADirectoryError/UnicodeDecodeError."""

from __future__ import annotations

from dyadwatch.cli import main

GOLD = ('{"id": "g1", "date": "2016-05-03", "text": "Iran condemned Russia on Tuesday.", '
        '"event": "DISAPPROVE", "source_codes": ["IRN"], "target_codes": ["RUS"]}')


def test_cli_hostile_evaluate_directory(tmp_path, capsys):
    rc = main(["evaluate", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 3 and "is a directory" in err and "internal error" not in err


def test_cli_hostile_evaluate_not_utf8(tmp_path, capsys):
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(GOLD.encode() + b"\n" + GOLD.encode().replace(b"Tuesday", b"Mittwoch \xff") + b"\n")
    rc = main(["evaluate", str(gold)])
    err = capsys.readouterr().err
    assert rc == 3 and err.startswith(f"error: {gold}:2:") and "UTF-8" in err
