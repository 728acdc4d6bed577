"""Hostile year ranges and counts on the alignment commands: a reversed --from/--to is a usage
error (exit 2) instead of a silent empty table; --top below 1 is refused instead of slicing."""

from __future__ import annotations

import pytest

from dyadwatch.cli import main


@pytest.mark.parametrize("command", [["align", "IRN", "RUS"], ["alliances", "IRN", "RUS"],
                                     ["wars", "IRN", "RUS"], ["vetoes", "RUS"]])
def test_cli_hostile_reversed_years_is_usage_error(hostile_store, capsys, command):
    rc = main([*command, "--from", "2020", "--to", "2010", "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2
    assert err.startswith("error: ") and "2020" in err and "2010" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_cli_hostile_reversed_years_library_error(hostile_store):
    from dyadwatch.analysis import alignment
    from dyadwatch.api import Dyadwatch
    from dyadwatch.errors import UsageError

    with Dyadwatch(hostile_store, read_only=True) as dw:
        with pytest.raises(UsageError, match="after"):
            alignment.dyad_years(dw.con, "IRN", "RUS", years=(2016, 2015))
        # a one-year range stays valid: 2 common roll calls in 2015 (ROLL_CALLS in conftest)
        assert alignment.dyad_years(dw.con, "IRN", "RUS", years=(2015, 2015))["n"].tolist() == [2]


@pytest.mark.parametrize("top", ["0", "-1"])
def test_cli_hostile_partners_top_below_one(hostile_store, capsys, top):
    rc = main(["partners", "IRN", "--year", "2015", "--min-n", "1", "--top", top, "--db", str(hostile_store)])
    err = capsys.readouterr().err
    assert rc == 2 and "--top" in err and "Traceback" not in err


def test_cli_hostile_partners_negative_min_n(hostile_store, capsys):
    rc = main(["partners", "IRN", "--year", "2015", "--min-n", "-5", "--db", str(hostile_store)])
    assert rc == 2 and "--min-n" in capsys.readouterr().err


def test_cli_hostile_fetch_reversed_days(tmp_path, capsys):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    dest = tmp_path / "dest"
    rc = main(["fetch", "gdelt1", "--from", "2020-01-10", "--to", "2020-01-01", "--mirror", str(mirror),
               "--dest", str(dest)])
    err = capsys.readouterr().err
    assert rc == 2 and "2020-01-10" in err and "2020-01-01" in err
    assert not dest.exists()  # refused before anything was written


@pytest.mark.parametrize("how", ["--dest", "env"])
def test_cli_hostile_fetch_dest_is_a_file(tmp_path, capsys, monkeypatch, how):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    dest = tmp_path / "notes.txt"
    dest.write_text("not a directory\n", encoding="utf-8")
    args = ["fetch", "unsc-vetoes", "--mirror", str(mirror)]
    if how == "env":
        monkeypatch.setenv("DYADWATCH_DATA", str(dest))
    else:
        args += ["--dest", str(dest)]
    rc = main(args)
    err = capsys.readouterr().err
    assert rc == 2 and "not a directory" in err and str(dest) in err and "internal error" not in err
    assert dest.read_text(encoding="utf-8") == "not a directory\n"
