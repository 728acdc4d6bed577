"""Readers, bad input and the formulas on small files built in the test."""

from __future__ import annotations

import json

import pytest

from dyadwatch.analysis import alignment
from dyadwatch.api import Dyadwatch
from dyadwatch.cli import main
from dyadwatch.errors import UsageError

ROLL_CALLS = """rcid,session,importantvote,date,unres,amend,para,short,descr
1,70,1,2015-03-01,R/70/1,0,0,SYRIA,"Human rights situation in the Syrian Arab Republic"
2,70,0,2015-06-01,R/70/2,0,0,DISARMAMENT,"General and complete disarmament"
3,70,0,,R/70/3,0,0,NO DATE,"A roll call whose date is missing"
4,70,0,someday,R/70/4,0,0,BAD DATE,"A roll call whose date cannot be read"
"""
VOTES = """rcid,country,country_code,vote
1,Iran,IR,yes
1,Russia,RU,yes
2,Iran,IR,no
2,Russia,RU,abstain
3,Iran,IR,yes
3,Russia,RU,no
1,Atlantis,QQ,yes
1,France,FR,maybe
1,USSR,,yes
"""
ISSUES = """rcid,short_name,issue
1,hr,Human rights
2,di,Arms control and disarmament
2,xx,Something else
"""


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def small_store(tmp_path, db_path):
    files = [_write(tmp_path, "rc.csv", ROLL_CALLS), _write(tmp_path, "issues.csv", ISSUES),
             _write(tmp_path, "votes.csv", VOTES)]
    with Dyadwatch(db_path) as dw:
        summaries = dw.ingest(files)
        yield dw, summaries, files


def test_alignment_unvotes_bad_input_counted_and_excluded(small_store):
    dw, (rc, iss, votes), _ = small_store
    assert (rc.format, iss.format, votes.format) == ("unvotes",) * 3
    assert (rc.rows_read, rc.rows_stored, rc.rows_rejected) == (4, 2, 2)
    assert rc.reject_reasons == {"roll call without a date": 2}
    assert (iss.rows_stored, iss.rows_rejected) == (2, 1)
    assert (votes.rows_read, votes.rows_stored, votes.rows_rejected) == (9, 6, 3)
    assert votes.reject_reasons == {"country not mappable": 1, "unknown vote value": 1, "ISO3 collision": 1}
    lines = dict(dw.con.execute("SELECT line, reason FROM rejects WHERE file LIKE '%votes.csv'").fetchall())
    assert set(lines) == {8, 9, 10}  # file lines (header = line 1)
    assert "Atlantis" in lines[8] and "'maybe'" in lines[9] and "RUS" in lines[10]
    ex = alignment.exclusions(dw.con)
    assert ex == {"votes_without_roll_call": 2, "rejected_votes": 3, "rejected_roll_calls": 2}


def test_alignment_unvotes_reingest_adds_nothing(small_store):
    dw, _, files = small_store
    before = dw.con.execute("SELECT count(*) FROM un_votes").fetchall()[0][0]
    again = dw.ingest(files)
    assert all(s.skipped for s in again)
    assert dw.con.execute("SELECT count(*) FROM un_votes").fetchall()[0][0] == before


def test_alignment_measures_hand_computed(small_store):
    dw, _, _ = small_store
    # rcid 1: yes/yes (d 0), rcid 2: no/abstain (d 1); rcid 3 has no date and is excluded
    df = alignment.dyad_years(dw.con, "Iran", "Russian Federation", years=2015)
    r = df.iloc[0]
    assert (r.a, r.b, r.year, r.n) == ("IRN", "RUS", 2015, 2)
    assert r.agree == pytest.approx(0.75) and r.s == pytest.approx(0.5)
    # D_obs = 0.5; own marginals A (1: .5, 3: .5), B (1: .5, 2: .5): D_exp = 1.0
    assert r.kappa == pytest.approx(0.5)
    # pooled (1: .5, 2: .25, 3: .25): D_exp = 2(.125 + .0625) + 4(.125) = .875
    assert r.pi == pytest.approx(1 - 0.5 / 0.875)
    assert df.attrs["excluded"]["votes_without_roll_call"] == 2
    hr = alignment.dyad_years(dw.con, "IRN", "RUS", issue=["hr"])
    assert hr.n.tolist() == [1] and hr.kappa.isna().all()  # one identical vote: D_exp = 0, kappa undefined
    assert alignment.dyad_years(dw.con, "IRN", "RUS", topic="disarm").n.tolist() == [1]
    assert alignment.dyad_years(dw.con, "IRN", "RUS", important=True).n.tolist() == [1]


def test_alignment_usage_errors_list_the_options(small_store):
    dw, _, _ = small_store
    with pytest.raises(UsageError, match="choose from agree, exact, s, kappa, pi"):
        alignment.dyad_years(dw.con, "IRN", "RUS", measures="tau")
    with pytest.raises(UsageError, match="me \\(Palestinian conflict\\)"):
        alignment.dyad_years(dw.con, "IRN", "RUS", issue="zz")
    with pytest.raises(UsageError, match="unknown state"):
        alignment.dyad_years(dw.con, "IRN", "Atlantis")
    with pytest.raises(UsageError, match="cast no UN General Assembly vote"):
        alignment.partners(dw.con, "IRN", year=1999)


def test_alignment_kappa_formula_on_four_roll_calls(tmp_path, db_path):
    calls = "rcid,session,date\n" + "".join(f"{i},1,1990-0{i}-01\n" for i in range(1, 5))
    votes = "rcid,country,country_code,vote\n" + "".join(
        f"{i},United States,US,{a}\n{i},United Kingdom,GB,{b}\n"
        for i, (a, b) in enumerate([("yes", "yes"), ("yes", "no"), ("no", "no"), ("abstain", "abstain")], 1))
    with Dyadwatch(db_path) as dw:
        dw.ingest([_write(tmp_path, "c.csv", calls), _write(tmp_path, "v.csv", votes)])
        r = alignment.dyad_years(dw.con, "USA", "GBR").iloc[0]
    # d = 0, 2, 0, 0 -> D_obs = .5; A (1: .5, 2: .25, 3: .25), B (1: .25, 2: .25, 3: .5): D_exp = 1.0
    assert (r.n, r.agree, r.s) == (4, pytest.approx(0.75), pytest.approx(0.5))
    assert r.kappa == pytest.approx(0.5)
    assert r.pi == pytest.approx(1 - 0.5 / 0.9375)  # pooled (.375, .25, .375)


UCDP_NATIVE = """conflict_id,year,side_a,gwno_a,side_a_2nd,gwno_a_2nd,side_b,gwno_b,side_b_2nd,gwno_b_2nd,incompatibility,intensity_level,type_of_conflict
9001,2003,"Government of United States of America, Government of United Kingdom","2, 200",,,Government of Iraq,645,,,2,2,2
9002,2015,Government of Syria,652,"Government of Iran, Government of Russia (Soviet Union)","630, 365",IS,,,,2,2,4
9002,2016,Government of Syria,652,Government of Russia (Soviet Union),365,IS,,,9999,2,2,4
"""


def test_alignment_ucdp_reads_several_codes_in_one_cell(tmp_path, db_path):
    with Dyadwatch(db_path) as dw:
        [s] = dw.ingest([_write(tmp_path, "ucdp.csv", UCDP_NATIVE)])
        assert s.format == "ucdp-acd" and s.rows_read == 3 and s.rows_rejected == 1
        assert "country not mappable" in s.reject_reasons
        parties = dw.con.execute("SELECT conflict_id, year, side, role, iso3 FROM ucdp_conflict_parties "
                                 "ORDER BY ALL").fetchall()
        assert (9001, 2003, "A", "primary", "GBR") in parties and (9001, 2003, "A", "primary", "USA") in parties
        assert (9002, 2015, "A", "secondary", "IRN") in parties and (9002, 2015, "A", "secondary", "RUS") in parties
        types = dict(dw.con.execute("SELECT conflict_id, type_of_conflict FROM ucdp_conflicts").fetchall())
        assert types == {9001: "interstate", 9002: "II"}
        w = alignment.wars(dw.con, "USA", "IRQ")
        assert w.relation.tolist() == ["at_war"]
        assert alignment.wars(dw.con, "USA", "GBR").relation.tolist() == ["same_side"]


VETOES = """year,date,month,draft,meeting_record,agenda_item,crisis_topic,region,member_veto1,member_veto2,member_veto3,China,France,Russia,USSR,USA,UK
1955,12/13/1955,12,S/3502,S/PV.705,Admission of new Members,Admission,Asia,China,,,1,0,0,0,0,0
2014,5/22/2014,5,S/2014/348,S/PV.7180,Middle East - Syria,Syria,Middle East,China,Russia,,1,0,0,0,0,0
2014,,5,S/2014/999,S/PV.9999,Undated,Test,Test,Russia,,,0,0,1,0,0,0
2015,1/1/2015,1,S/2015/999,S/PV.9998,A draft vetoed by a non-member,Test,Test,Germany,,,0,0,0,0,0,0
"""


def test_alignment_vetoes_members_seats_and_rejects(tmp_path, db_path):
    with Dyadwatch(db_path) as dw:
        [s] = dw.ingest([_write(tmp_path, "vetoes.csv", VETOES)])
        assert s.format == "unsc-vetoes" and (s.rows_read, s.rows_stored, s.rows_rejected) == (4, 2, 2)
        rows = dw.con.execute("SELECT draft, members_iso3, flags_disagree FROM unsc_vetoes ORDER BY date").fetchall()
        # the 1955 China seat is the Republic of China; the 2014 Russia flag is 0 but the name counts
        assert rows == [("S/3502", ["TWN"], False), ("S/2014/348", ["CHN", "RUS"], True)]
        panel = alignment.dyad_panel(dw.con, "RUS", "CHN", years=2014)
        assert panel.loc[0, "joint_vetoes"] == 1


def test_alignment_cli_align_json_and_partners(small_store, db_path, capsys):
    dw, _, _ = small_store
    dw.close()
    assert main(["align", "IRN", "RUS", "--from", "2015", "--to", "2015", "--format", "json",
                 "--db", str(db_path)]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert list(rows[0]) == ["a", "a_name", "b", "b_name", "year", "n", "agree", "exact", "s", "kappa", "pi",
                             "ip_distance"]
    assert rows[0]["ip_distance"] is None and "until the ideal points are estimated" in out.err
    assert (rows[0]["a_name"], rows[0]["b_name"]) == ("Iran", "Russia")
    assert rows[0]["n"] == 2 and rows[0]["kappa"] == pytest.approx(0.5)
    assert "2 votes without roll call" in out.err
    assert main(["partners", "RUS", "--year", "2015", "--format", "csv", "--db", str(db_path)]) == 2
    assert "at least 10 roll calls" in capsys.readouterr().err  # n = 2 is below the ranking minimum
    assert main(["partners", "RUS", "--year", "2015", "--min-n", "1", "--format", "json",
                 "--db", str(db_path)]) == 0
    out = capsys.readouterr()
    ranked = json.loads(out.out)
    assert [(r["side"], r["b"], r["n"]) for r in ranked] == [("closest", "IRN", 2), ("most distant", "IRN", 2)]
    assert ranked[0]["min_shared"] == 1 and "sharing at least 1 of the 2 roll calls Russia (RUS) voted on" in out.err


@pytest.mark.parametrize("command", ["align", "partners", "alliances", "wars", "vetoes"])
def test_alignment_cli_commands_have_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert "--format" in capsys.readouterr().out


def test_alignment_readers_read_compressed_files(tmp_path, db_path):
    import gzip
    import zipfile

    rc = tmp_path / "rc.csv.gz"
    rc.write_bytes(gzip.compress(ROLL_CALLS.encode()))
    votes = tmp_path / "votes.zip"
    with zipfile.ZipFile(votes, "w") as zf:
        zf.writestr("votes.csv", VOTES)
    with Dyadwatch(db_path) as dw:
        s_rc, s_v = dw.ingest([rc, votes])
        assert (s_rc.format, s_rc.rows_stored, s_rc.rows_rejected) == ("unvotes", 2, 2)
        assert (s_v.format, s_v.rows_stored, s_v.rows_rejected) == ("unvotes", 6, 3)
        assert dw.con.execute("SELECT line FROM rejects WHERE file LIKE '%votes.zip' ORDER BY line").fetchall() == \
            [(8,), (9,), (10,)]
