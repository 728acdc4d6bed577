"""Small stores built in code for the panel tests."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dyadwatch.api import Dyadwatch

#: a COW list with the transitions that make panels differ from "both members in the year"
COW_STATES = """stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2016,12,31,2016
GMY,255,Germany,1816,1,1,1945,5,8,2016
GMY,255,Germany,1990,10,3,2016,12,31,2016
GFR,260,German Federal Republic,1955,5,5,1990,10,2,2016
GDR,265,German Democratic Republic,1954,3,25,1990,10,2,2016
RUS,365,Russia,1816,1,1,2016,12,31,2016
IRN,630,Iran,1855,1,1,2016,12,31,2016
YAR,678,Yemen Arab Republic,1926,9,2,1990,5,21,2016
YEM,679,Yemen,1990,5,22,2016,12,31,2016
YPR,680,Yemen People's Republic,1967,11,30,1990,5,21,2016
"""

GW_STATES = """gwcode,stateabb,statename,startdate,enddate
2,USA,United States of America,1816-01-01,2017-12-31
260,GFR,German Federal Republic,1949-09-21,2017-12-31
265,GDR,German Democratic Republic,1949-10-05,1990-10-02
365,RUS,Russia (Soviet Union),1816-01-01,2017-12-31
630,IRN,Iran (Persia),1816-01-01,2017-12-31
678,YEM,Yemen (Arab Republic of Yemen),1918-10-30,2017-12-31
680,YPR,"Yemen, People's Republic of",1967-11-30,1990-05-21
"""


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def lists_store(tmp_path):
    """A store holding the two constructed state lists."""
    files = [write(tmp_path, "states2016.csv", COW_STATES), write(tmp_path, "gw_states.csv", GW_STATES)]
    dw = Dyadwatch(tmp_path / "s.duckdb")
    dw.ingest(files)
    yield dw, tmp_path
    dw.close()


NMC = """stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version
USA,2,1989,300000,2100,90000,2500000,247000,180000,0.14,6.0
USA,2,1990,290000,2000,89000,2600000,249000,182000,0.15,6.0
RUS,365,1989,-9,4000,160000,1800000,289000,190000,0.16,6.0
RUS,365,1990,-9,3900,154000,1850000,290000,191000,0.12,6.0
IRN,630,1990,9000,500,1400,90000,56000,31000,0.0,6.0
"""
IGO = "ccode1,ccode2,year,dyadigos\n2,365,1989,38\n2,365,1990,40\n2,630,1989,30\n"
ATOP = ("ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
        "2,630,1989,0,0,0,1,1\n630,2,1989,0,0,0,1,1\n2,630,1990,1,0,0,0,1\n630,2,1990,1,0,0,0,1\n")
MAJORS = "ccode,styear,stmonth,stday,endyear,endmonth,endday,version\n2,1898,8,13,2016,12,31,2016\n"
UCDP = ("conflict_id,location,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,intensity_level,start_date\n"
        "900,Iran,1990,630,,2,365,1,1990-01-01\n")
ROLL_CALLS = ("rcid,session,importantvote,date,unres,amend,para,short,descr\n"
              "1,45,0,1990-10-01,R/45/1,0,0,a,first vote\n2,45,0,1990-11-01,R/45/2,0,0,b,second vote\n")
MIDS = ("dispnum,ccode1,ccode2,year,cowmidongoing,cowmidonset,sidea1,sidea2,fatality1,fatality2,fatalpre1,"
        "fatalpre2,hiact1,hiact2,hostlev1,hostlev2,orig1,orig2,fatality,hostlev,mindur,maxdur,recip,stmon\n"
        "4000,2,630,1990,1,1,0,1,0,1,0,3,16,17,3,4,1,1,1,4,20,30,1,5\n"
        "4000,630,2,1990,1,1,1,0,1,0,3,0,17,16,4,3,1,1,1,4,20,30,1,5\n"
        "4001,365,630,1991,1,1,1,0,0,0,0,0,7,0,2,1,1,1,0,2,1,1,0,3\n"
        "4001,630,365,1991,1,1,0,1,0,0,0,0,0,7,1,2,1,1,0,2,1,1,0,3\n")
WARS = ("warnum,ccode1,ccode2,year,cowinterongoing,cowinteronset,sidea1,sidea2,initiator1,initiator2,outcome1,"
        "outcome2,batdeath1,batdeath2,resume\n"
        "300,2,630,1990,1,1,2,1,0,1,1,2,150,4000,0\n300,630,2,1990,1,1,1,2,1,0,2,1,4000,150,0\n"
        "301,365,630,1991,1,1,1,2,1,0,1,2,10,20,0\n301,630,365,1991,1,1,2,1,0,1,2,1,20,10,0\n")
RIVALRIES = ("rivalryno,rivalryname,ccode1,ccode2,styear,endyear,region,type1,type2,type3\n"
             "99,USA-Iran,2,630,1979,2010,Middle East,ideological,interventionary,\n"
             "98,USA-Russia,2,365,1946,1989,Global,positional,ideological,\n")
VOTES = ("rcid,country,country_code,vote\n1,United States,US,yes\n1,Russia,RU,no\n1,Iran,IR,no\n"
         "2,United States,US,no\n2,Russia,RU,yes\n2,Iran,IR,abstain\n")


@pytest.fixture
def full_store(lists_store):
    """The constructed lists plus small files of every source a panel measure reads (values in the tests)."""
    from tests.reliability.corpus import ICEWS_HEADER, icews_row

    dw, tmp = lists_store
    files = [write(tmp, n, t) for n, t in (("NMC-60-abridged.csv", NMC), ("igo.csv", IGO), ("atop.csv", ATOP),
                                            ("majors2016.csv", MAJORS), ("ucdp.csv", UCDP),
                                            ("un_roll_calls.csv", ROLL_CALLS), ("un_votes.csv", VOTES),
                                            ("cow_mid_ddydisps.csv", MIDS), ("cow_war_inter.csv", WARS),
                                            ("td_rivalries.csv", RIVALRIES))]
    counts = pa.table({"i": ["United States", "Russia"], "j": ["Russia", "United States"],
                       "year": pa.array([1989, 1989], pa.int32()), "verbCoop": pa.array([5, 1], pa.int64()),
                       "matlCoop": pa.array([1, 0], pa.int64()), "verbConf": pa.array([2, 3], pa.int64()),
                       "matlConf": pa.array([0, 1], pa.int64()), "i_iso3c": ["USA", "RUS"],
                       "j_iso3c": ["RUS", "USA"]})
    pq.write_table(counts, tmp / "icews_dyad_year.parquet")
    files.append(tmp / "icews_dyad_year.parquet")
    # event rows of 1990: Iran -> USA, a consultation (040, QuadClass 1, Goldstein 1) and a threat (130)
    ev = [ICEWS_HEADER, icews_row(1, "1990-06-01", "040", "1").replace("Russian Federation", "United States"),
          icews_row(2, "1990-06-02", "130", "-4").replace("Russian Federation", "United States")]
    files.append(write(tmp, "events.1990.tab", "\n".join(ev) + "\n"))
    for s in dw.ingest(files):
        assert s.rows_rejected == 0, s
    return dw
