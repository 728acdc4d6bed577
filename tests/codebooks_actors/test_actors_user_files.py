"""A user's own dictionary files extend the built-in ones; bad files fail with file:line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dyadwatch.codebooks import actors
from dyadwatch.errors import InputError


def test_user_yaml_adds_people_groups_and_aliases(tmp_path: Path):
    f = tmp_path / "mine.yaml"
    f.write_text(
        "- name: Jane Example\n"
        "  kind: person\n"
        "  aliases: [Example, J. Example]\n"
        "  offices:\n"
        "    - {office: Foreign Minister, country: NOR, sector: GOV, from: 2019-03, to: 2021-10-14}\n"
        "- name: Northern Falcons\n"
        "  kind: group\n"
        "  country: SYR\n"
        "  sector: REB\n"
        "  aliases: [Falcons of the North]\n"
        "- name: Seafront Alliance\n"
        "  kind: igo\n"
        "  code: IGOSFA\n"
        "  aliases: [SFA]\n", encoding="utf-8")
    d = actors.load([f])
    jane = d.resolve("J. Example", date(2019, 3, 1))
    assert (jane.code, jane.country, jane.precision) == ("NORGOV", "NOR", "month")
    assert d.resolve("Example", date(2019, 2, 28)) is None
    assert d.resolve("Example", date(2021, 10, 15)) is None
    assert d.resolve("falcons of the north").code == "SYRREB"
    assert d.resolve("SFA").code == "IGOSFA"
    # the built-in entries are still there
    assert d.resolve("Rouhani", date(2015, 6, 1)).code == "IRNGOV"
    # and the built-in dictionary without the user file does not know them
    assert actors.load().resolve("Seafront Alliance") is None


def test_user_csv_entries_and_phrases(tmp_path: Path):
    people = tmp_path / "people.csv"
    people.write_text("name,kind,code,country,sector,aliases,valid_from,valid_to,office\n"
                      "Omar Sample,person,,JOR,MIL,Sample|O. Sample,2020-01-01,,Army chief\n",
                      encoding="utf-8")
    sectors = tmp_path / "sectors.csv"
    sectors.write_text("sector,phrase,note\nMIL,tank crews,\n", encoding="utf-8")
    places = tmp_path / "places.csv"
    places.write_text("iso3,type,phrase,sector,cameo,source\nIRN,seat,Pasteur Street,GOV,,test\n",
                      encoding="utf-8")
    d = actors.load([people, sectors, places])
    assert d.resolve("O. Sample", date(2022, 1, 1)).code == "JORMIL"
    assert d.resolve("O. Sample", date(2019, 1, 1)) is None
    assert d.sector_of("tank crews") == "MIL"
    assert d.resolve("Pasteur Street").code == "IRNGOV"


def test_user_person_in_a_country_whose_cameo_code_is_not_iso3(tmp_path: Path):
    f = tmp_path / "ro.yaml"
    f.write_text("- name: Ion Exemplu\n  kind: person\n  offices:\n"
                 "    - {office: Foreign Minister, country: ROU, sector: GOV, from: 2019, to: 2020}\n",
                 encoding="utf-8")
    actor = actors.load([f]).resolve("Ion Exemplu", date(2019, 6, 1))
    assert (actor.code, actor.country, actor.precision) == ("ROMGOV", "ROU", "year")


@pytest.mark.parametrize(("name", "text", "line", "reason"), [
    ("bad_kind.yaml", "- name: X\n  kind: party\n", 1, "kind 'party'"),
    ("bad_date.yaml",
     "- name: A\n  kind: group\n  country: IRN\n- name: B\n  kind: person\n  offices:\n"
     "    - {office: President, country: IRN, sector: GOV, from: 2013-13-01, to: null}\n",
     7, "is not a date"),
    ("reversed.yaml",
     "- name: B\n  kind: person\n  offices:\n"
     "    - {office: President, country: IRN, sector: GOV, from: 2015-01-01, to: 2014-01-01}\n",
     4, "starts 2015-01-01 after it ends"),
    ("bad_sector.yaml", "- name: X\n  kind: group\n  country: IRN\n  sector: ARMY\n", 1,
     "unknown sector 'ARMY'"),
    ("bad_code.yaml", "- name: X\n  kind: igo\n  code: igo-un\n", 1, "not a CAMEO code"),
    ("no_name.yaml", "- kind: igo\n  code: IGOUNO\n", 1, "no 'name'"),
    ("syntax.yaml", "- name: [unclosed\n", 2, "YAML syntax error"),
    ("bad_row.csv", "# comment line\nsector,phrase,note\nGOV,cabinet,\nXXX,army,\n", 4,
     "unknown sector 'XXX'"),
    ("bad_iso.csv", "iso3,type,phrase,sector,cameo,source\nIran,demonym,Iranian,,,x\n", 2,
     "not an ISO 3166-1 alpha-3"),
])
def test_bad_user_file_names_file_line_and_reason(tmp_path: Path, name, text, line, reason):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        actors.load([f])
    err = exc.value
    assert err.path == str(f)
    assert err.line == line
    assert reason in err.reason
    assert err.one_line().startswith(f"{f}:{line}: ")


def test_missing_and_unknown_files(tmp_path: Path):
    with pytest.raises(InputError, match="not found"):
        actors.load([tmp_path / "nope.yaml"])
    odd = tmp_path / "actors.txt"
    odd.write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="unknown actor file type"):
        actors.load([odd])
    csvf = tmp_path / "odd.csv"
    csvf.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown CSV layout"):
        actors.load([csvf])


def test_load_is_cached():
    assert actors.load() is actors.load()


def test_csv_row_with_extra_fields_is_rejected_with_its_line(tmp_path: Path):
    f = tmp_path / "extra.csv"
    f.write_text("# note\n# note 2\nsector,phrase,note\nGOV,cabinet,ok\nMIL,army,x,y\n",
                 encoding="utf-8")
    with pytest.raises(InputError) as exc:
        actors.load([f])
    assert (exc.value.line, exc.value.reason) == (5, "row has more fields than the header")


def test_non_utf8_file_is_an_input_error(tmp_path: Path):
    f = tmp_path / "latin1.yaml"
    f.write_bytes("- name: Caf\xe9\n  kind: igo\n  code: IGOCAF\n".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        actors.load([f])
