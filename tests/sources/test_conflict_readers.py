"""Readers of rivalries (Thompson–Dreyer), COW MIDs and COW wars: layouts, rejects, coverage, real files."""

from __future__ import annotations

import csv

import pytest

from dyadwatch.sources import formats
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

TD_HEAD = "rivalryno,rivalryname,ccode1,ccode2,styear,endyear,region,type1,type2,type3\n"


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_td_rivalries_rows_types_ongoing_and_rejects(con, tmp_path):
    p = _write(tmp_path, "td.csv", TD_HEAD
               + "107,India-Pakistan,750,770,1947,2010,South Asia,positional,spatial,\n"
               + "42,Argentina-Brazil,140,160,1817,1985,South America,positional,,\n"
               + "9,Bad year,750,770,1947,99999,x,spatial,,\n"            # line 4: year out of range
               + "10,Bad type,2,20,1900,1910,x,commercial,,\n"            # line 5: unknown type
               + "11,Reversed,2,20,1950,1940,x,spatial,,\n"               # line 6: styear > endyear
               + "107,Again,2,20,1950,1960,x,spatial,,\n"                 # line 7: duplicate rivalryno
               + "12,Nowhere,750,999,1950,1960,x,spatial,,\n"             # line 8: code 999 names no state
               + "13,Same,2,2,1950,1960,x,spatial,,\n")                   # line 9: one state twice
    assert formats.detect(p).name == "td-rivalries"
    s = ingest_file(con, p)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (8, 2, 6)
    got = dict(rejects(con, s.batch_id))
    assert "value 99999 not in 1400..2100" in got[4]
    assert "unknown rivalry type 'commercial'" in got[5]
    assert "styear 1950 is after endyear 1940" in got[6]
    assert "duplicate key in file (rivalryno=107)" in got[7]
    assert "COW code 999" in got[8]
    assert "both 2" in got[9]
    rows = con.execute("SELECT rivalryno, iso3_1, iso3_2, type1, type2, type3, coverage_end, ongoing "
                       "FROM td_rivalries ORDER BY 1").fetchall()
    # coverage_end: the latest endyear of the rows stored (2010); India–Pakistan ends then: ongoing
    assert rows == [(42, "BRA", "ARG", "positional", None, None, 2010, False),
                    (107, "IND", "PAK", "positional", "spatial", None, 2010, True)]
    assert con.execute("SELECT first_year, last_year FROM source_coverage WHERE table_name = 'td_rivalries'"
                       ).fetchall() == [(1817, 2010)]
    again = ingest_file(con, p)  # the same file again adds nothing
    assert again.rows_stored == 0 and scalar(con, "SELECT count(*) FROM td_rivalries") == 2


MID_DDY_HEAD = ("dispnum,ccode1,ccode2,year,cowmidongoing,cowmidonset,sidea1,sidea2,fatality1,fatality2,"
                "fatalpre1,fatalpre2,hiact1,hiact2,hostlev1,hostlev2,orig1,orig2,fatality,hostlev,mindur,maxdur,"
                "recip,stmon\n")


def test_cow_mid_dyad_years_missing_codes_ranges_and_time_valid_iso3(con, tmp_path):
    p = _write(tmp_path, "ddy.csv", MID_DDY_HEAD
               + "4585,750,770,2012,1,0,1,0,-9,-9,-9,-9,17,17,4,4,1,1,-9,4,1,2461,1,8\n"
               + "258,365,2,1960,1,1,1,0,0,0,0,0,7,0,3,1,1,1,0,3,10,20,0,5\n"   # USSR -> RUS
               + "300,260,265,1970,1,1,1,0,0,0,0,0,7,0,3,1,1,1,0,3,10,20,0,5\n"  # GFR/GDR
               + "301,2,20,2000,1,1,1,0,0,0,0,0,7,0,6,1,1,1,0,3,10,20,0,5\n"     # hostlev1 6: out of range
               + "302,2,20,2000,1,1,1,0,0,0,0,0,7,0,3,1,1,1,0,3,10,20,0,13\n")   # stmon 13
    assert formats.detect(p).name == "cow-mid-dyad-years"
    s = ingest_file(con, p)
    assert (s.rows_stored, s.rows_rejected) == (3, 2)
    got = dict(rejects(con, s.batch_id))
    assert "column 'hostlev1': value 6 not in 1..5" in got[5]
    assert "column 'stmon': value 13 not in 1..12" in got[6]
    row = con.execute("SELECT iso3_1, iso3_2, fatality1, fatalpre1, fatality, hostlev1, hostlev, maxdur "
                      "FROM cow_mid_dyad_years WHERE dispnum = 4585").fetchall()[0]
    assert row == ("IND", "PAK", None, None, None, 4, 4, 2461)  # -9 is NULL, never a number
    assert con.execute("SELECT iso3_1, iso3_2 FROM cow_mid_dyad_years WHERE dispnum IN (258, 300) ORDER BY dispnum"
                       ).fetchall() == [("RUS", "USA"), ("DEU", "DDR")]
    assert con.execute("SELECT first_year, last_year FROM source_coverage WHERE table_name = 'cow_mid_dyad_years'"
                       ).fetchall() == [(1960, 2012)]


def test_cow_mid_disputes_mida_layout_and_coverage_from_ongo_column(con, tmp_path):
    p = _write(tmp_path, "MIDA 5.0.csv",
               "dispnum,stday,stmon,styear,endday,endmon,endyear,outcome,settle,fatality,fatalpre,maxdur,mindur,"
               "hiact,hostlev,recip,numa,numb,ongo2014,version\n"
               "4491,7,9,2010,-9,12,2014,5,3,0,0,1577,1577,17,4,1,1,1,1,5\n"
               "4492,1,1,2012,1,2,2011,5,3,0,0,10,10,7,3,0,1,1,0,5\n")    # ends before it starts
    assert formats.detect(p).name == "cow-mid-disputes"
    s = ingest_file(con, p)
    assert (s.rows_stored, s.rows_rejected) == (1, 1)
    assert "endyear 2011 is before styear 2012" in dict(rejects(con, s.batch_id))[3]
    assert con.execute("SELECT endday, hostlev, ongoing_end, version FROM cow_mid_disputes").fetchall() == [
        (None, 4, 1, "5")]
    assert con.execute("SELECT last_year FROM source_coverage WHERE table_name = 'cow_mid_disputes'"
                       ).fetchall() == [(2014,)]


def test_cow_mid_participants_give_dyad_years_of_opposite_sides(con, tmp_path):
    head = ("dispnum,stabb,ccode,stday,stmon,styear,endday,endmon,endyear,sidea,revstate,revtype1,revtype2,"
            "fatality,fatalpre,hiact,hostlev,orig,version\n")
    p = _write(tmp_path, "MIDB 5.0.csv", head
               + '9001,"CHN",710,1,9,2012,-9,12,2013,1,1,1,-9,0,0,7,3,1,5\n'
               + '9001,"JPN",740,1,9,2012,-9,12,2014,0,0,0,-9,0,0,7,3,1,5\n'
               + '9001,"USA",2,1,3,2013,-9,12,2014,0,0,0,-9,0,0,7,3,0,5\n'   # joins side B in 2013
               + '9002,"XXX",999,1,1,2000,1,2,2000,1,0,0,-9,0,0,7,3,1,5\n')  # unknown state
    assert formats.detect(p).name == "cow-mid-participants"
    s = ingest_file(con, p)
    assert dict(rejects(con, s.batch_id))[5].startswith("country not mappable: COW code 999 in 2000")
    dy = con.execute("SELECT iso3_1, iso3_2, year, cowmidonset, sidea1, revstate1 FROM cow_mid_dyad_years "
                     "ORDER BY 1, 2, 3").fetchall()
    # CHN (side A) against JPN 2012-2013 and USA 2013; JPN and USA are on one side: no dyad
    assert dy == [("CHN", "JPN", 2012, 1, 1, 1), ("CHN", "JPN", 2013, 0, 1, 1), ("CHN", "USA", 2013, 1, 1, 1),
                  ("JPN", "CHN", 2012, 1, 0, 0), ("JPN", "CHN", 2013, 0, 0, 0), ("USA", "CHN", 2013, 1, 0, 0)]
    assert scalar(con, "SELECT count(*) FROM cow_mid_participants") == 3


def test_cow_war_dyad_years_resumed_episode_is_its_own_row(con, tmp_path):
    head = ("warnum,ccode1,ccode2,year,cowinterongoing,cowinteronset,sidea1,sidea2,initiator1,initiator2,"
            "outcome1,outcome2,batdeath1,batdeath2,resume\n")
    p = _write(tmp_path, "war.csv", head
               + "148,666,651,1948,1,1,1,2,0,0,1,2,3000,2000,0\n"
               + "148,666,651,1948,1,1,1,2,0,0,,,3000,2000,1\n"   # resumed the same year: kept
               + "148,666,651,1948,1,1,1,2,0,0,1,2,3000,2000,0\n"   # a true duplicate: rejected
               + "227,2,645,2003,1,1,1,2,1,0,4,4,140,-9,0\n")
    assert formats.detect(p).name == "cow-war-dyad-years"
    s = ingest_file(con, p)
    assert (s.rows_stored, s.rows_rejected) == (3, 1)
    assert "duplicate key in file (warnum=148" in dict(rejects(con, s.batch_id))[4]
    assert con.execute("SELECT iso3_1, iso3_2, batdeath2 FROM cow_war_dyad_years WHERE warnum = 227").fetchall() == [
        ("USA", "IRQ", None)]
    # v4.0 covers 1816-2007 although its last war ended in 2003
    assert con.execute("SELECT first_year, last_year FROM source_coverage").fetchall() == [(1816, 2007)]


def test_cow_war_participants_layout_sides_and_dyad_years(con, tmp_path):
    head = ("WarNum,WarName,WarType,ccode,StateName,Side,StartMonth1,StartDay1,StartYear1,EndMonth1,EndDay1,"
            "EndYear1,StartMonth2,StartDay2,StartYear2,EndMonth2,EndDay2,EndYear2,TransFrom,WhereFought,Initiator,"
            "Outcome,TransTo,BatDeath,Version\n")
    p = _write(tmp_path, "Inter-StateWarData_v4.0.csv", head
               + "227,Invasion of Iraq,1,2,United States of America,1,3,20,2003,5,2,2003,-8,-8,-8,-8,-8,-8,-8,6,1,"
                 "4,-8,140,4\n"
               + "227,Invasion of Iraq,1,200,United Kingdom,1,3,20,2003,5,2,2003,-8,-8,-8,-8,-8,-8,-8,6,1,4,-8,33,4\n"
               + "227,Invasion of Iraq,1,645,Iraq,2,3,20,2003,5,2,2003,-8,-8,-8,-8,-8,-8,-8,6,2,4,-8,7000,4\n"
               + "227,Invasion of Iraq,1,645,Iraq,2,3,20,2003,5,2,2003,-8,-8,-8,-8,-8,-8,-8,6,2,4,-8,7000,4\n")
    assert formats.detect(p).name == "cow-war-participants"
    s = ingest_file(con, p)
    assert s.rows_rejected == 1 and "duplicate key in file (warnum=227, ccode=645, side=2)" in \
        dict(rejects(con, s.batch_id))[5]
    assert con.execute("SELECT iso3, side, initiator, startyear2, batdeath, version FROM cow_war_participants "
                       "ORDER BY ccode").fetchall() == [("USA", 1, 1, None, 140, "4.0"), ("GBR", 1, 1, None, 33, "4.0"),
                                                        ("IRQ", 2, 0, None, 7000, "4.0")]
    dy = con.execute("SELECT iso3_1, iso3_2 FROM cow_war_dyad_years ORDER BY 1, 2").fetchall()
    assert dy == [("GBR", "IRQ"), ("IRQ", "GBR"), ("IRQ", "USA"), ("USA", "IRQ")]  # USA-GBR: same side, no dyad


# -- the real peacesciencer copies (../shared/data/peacesciencer) --------------------------------------

def _raw(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_real_td_rivalries_ongoing_at_end_of_coverage(con, shared_data):
    path = shared_data / "peacesciencer/td_rivalries.csv"
    raw = _raw(path)
    s = ingest_file(con, path)
    last = max(int(r["endyear"]) for r in raw)
    ongoing_raw = {int(r["rivalryno"]) for r in raw if int(r["endyear"]) == last}
    # the two rivalries of Venice (COW 324, no state of the system) are the only rejects
    venice = [r for r in raw if "324" in (r["ccode1"], r["ccode2"])]
    assert s.rows_rejected == len(venice) == 2 and s.rows_stored == len(raw) - 2
    assert last == 2010
    got = {r for r, in con.execute("SELECT rivalryno FROM td_rivalries WHERE ongoing").fetchall()}
    assert got == ongoing_raw and len(got) > 40
    assert con.execute("SELECT iso3_1, iso3_2, styear, type1, type2 FROM td_rivalries WHERE rivalryname = "
                       "'India-Pakistan'").fetchall() == [("IND", "PAK", 1947, "positional", "spatial")]


def test_real_cow_mid_and_war_files_match_the_raw_rows(con, shared_data):
    ddy = shared_data / "peacesciencer/cow_mid_ddydisps.csv"
    raw = _raw(ddy)
    s = ingest_file(con, ddy)
    assert s.rows_read == len(raw) and s.rows_stored == len(raw) and s.rows_rejected == 0
    ip = [r for r in raw if (r["ccode1"], r["ccode2"], r["year"]) == ("750", "770", "2012")]
    assert con.execute("SELECT dispnum, hostlev1, hostlev2 FROM cow_mid_dyad_years WHERE iso3_1 = 'IND' "
                       "AND iso3_2 = 'PAK' AND year = 2012").fetchall() == [
        (int(ip[0]["dispnum"]), int(ip[0]["hostlev1"]), int(ip[0]["hostlev2"]))]
    war = shared_data / "peacesciencer/cow_war_inter.csv"
    raw_w = _raw(war)
    keys = {(r["warnum"], r["ccode1"], r["ccode2"], r["year"], r["resume"]) for r in raw_w}
    sw = ingest_file(con, war)
    assert sw.rows_stored == len(keys) and sw.rows_rejected == len(raw_w) - len(keys)
    assert con.execute("SELECT last_year FROM source_coverage WHERE table_name = 'cow_war_dyad_years'"
                       ).fetchall() == [(2007,)]


@pytest.mark.parametrize("name, fmt", [("td_rivalries.csv", "td-rivalries"),
                                       ("cow_mid_ddydisps.csv", "cow-mid-dyad-years"),
                                       ("cow_mid_disps.csv", "cow-mid-disputes"),
                                       ("cow_war_inter.csv", "cow-war-dyad-years")])
def test_real_conflict_files_are_detected(shared_data, name, fmt):
    assert formats.detect(shared_data / "peacesciencer" / name).name == fmt


def test_registry_records_of_the_conflict_data_carry_the_mirror_checksums(shared_data):
    from dyadwatch.acquire import registry
    from dyadwatch.acquire.mirror import read_checksums

    sums = read_checksums(shared_data)
    for name in ("td-rivalries", "cow-mid", "cow-mid-disputes", "cow-war"):
        ds = registry.get(name)
        assert ds.mirror and all(m.sha256 == sums[m.path] for m in ds.mirror), name
        assert ds.citation and ds.format in formats.load_builtins()


def test_fetch_refuses_a_mirror_whose_checksum_disagrees_with_the_registry(tmp_path, shared_data):
    import shutil

    from dyadwatch.acquire.fetch import fetch
    from dyadwatch.errors import FetchError

    mirror = tmp_path / "mirror"
    (mirror / "peacesciencer").mkdir(parents=True)
    shutil.copyfile(shared_data / "peacesciencer/td_rivalries.csv", mirror / "peacesciencer/td_rivalries.csv")
    (mirror / "provenance.csv").write_text("file,sha256\npeacesciencer/td_rivalries.csv," + "0" * 64 + "\n")
    with pytest.raises(FetchError, match="the dataset registry records ec77f12e"):
        fetch("td-rivalries", mirror=mirror, dest=tmp_path / "dest")
    (mirror / "provenance.csv").unlink()  # no provenance.csv: the registry's checksum verifies the copy
    res = fetch("td-rivalries", mirror=mirror, dest=tmp_path / "dest")
    assert [d.sha256 for d in res.files] == ["ec77f12e94d822e0213d8708b8fd13dd1fb32a4579dfaef082d3a53d4c77872e"]
