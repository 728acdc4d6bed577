"""add_* on a store built in code: hand-computed values, NULL outside coverage, both directions."""

from __future__ import annotations

import math

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from tests.panels.conftest import write
from tests.reliability.corpus import ICEWS_HEADER, icews_row

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
VOTES = ("rcid,country,country_code,vote\n1,United States,US,yes\n1,Russia,RU,no\n1,Iran,IR,no\n"
         "2,United States,US,no\n2,Russia,RU,yes\n2,Iran,IR,abstain\n")


@pytest.fixture
def full_store(lists_store):
    dw, tmp = lists_store
    files = [write(tmp, n, t) for n, t in (("NMC-60-abridged.csv", NMC), ("igo.csv", IGO), ("atop.csv", ATOP),
                                            ("majors2016.csv", MAJORS), ("ucdp.csv", UCDP),
                                            ("un_roll_calls.csv", ROLL_CALLS), ("un_votes.csv", VOTES))]
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


def _row(df, a, b, year):
    k1, k2 = df.columns[:2]
    r = df[(df[k1] == a) & (df[k2] == b) & (df.year == year)]
    assert len(r) == 1, (a, b, year)
    return r.iloc[0]


def _null(v) -> bool:
    return v is None or v is _NA or (isinstance(v, float) and math.isnan(v))


_NA = __import__("pandas").NA


def test_panels_measures_values_and_coverage(full_store):
    p = full_store.create_dyadyears(system="cow", years=(1989, 1991), directed=True)
    df = p.add("majors,nmc,igos,atop,ucdp,unvotes,events").to_pandas()
    us_ru_90 = _row(df, 2, 365, 1990)
    # capabilities: both states' values; -9 is NULL; CINC share and ratio
    assert us_ru_90.cinc1 == 0.15 and us_ru_90.cinc2 == 0.12 and _null(us_ru_90.milex2)
    assert us_ru_90.cap_share1 == pytest.approx(0.15 / 0.27) and us_ru_90.cap_ratio == pytest.approx(1.25)
    assert _null(_row(df, 2, 365, 1991).cinc1)                   # no NMC row for 1991: NULL, not 0
    assert _null(_row(df, 2, 630, 1990).cap_ratio)              # CINC 0: the ratio is undefined
    # IGOs: the count; a dyad-year the data do not list is NULL, and so is a year outside them
    assert us_ru_90.dyadigos == 40 and _row(df, 365, 2, 1990).dyadigos == 40
    assert _null(_row(df, 2, 630, 1990).dyadigos) and _null(_row(df, 2, 365, 1991).dyadigos)
    # ATOP: 1 / 0 inside its years, NULL after
    assert _row(df, 2, 630, 1990).atop_defense == 1 and _row(df, 630, 2, 1989).atop_nonagg == 1
    assert us_ru_90.atop_defense == 0 and _null(_row(df, 2, 630, 1991).atop_defense)
    # majors: the USA only
    assert us_ru_90.major1 == 1 and us_ru_90.major2 == 0
    # UCDP 1990: Iran (A, primary) against the USA (B, primary) with Russia as B's secondary party
    assert _row(df, 630, 2, 1990).ucdp_war == 1 and _row(df, 2, 630, 1990).ucdp_war == 1
    assert _row(df, 630, 365, 1990).ucdp_opposite == 1 and _row(df, 630, 365, 1990).ucdp_war == 0
    assert us_ru_90.ucdp_same_side == 1 and _null(_row(df, 2, 365, 1991).ucdp_war)
    # UN votes 1990 (hand-computed): USA-Russia opposite twice; USA-Iran
    assert us_ru_90.un_n == 2 and us_ru_90.un_agree == 0 and us_ru_90.un_s == -1 and us_ru_90.un_kappa == -1
    us_ir = _row(df, 2, 630, 1990)
    assert (us_ir.un_agree, us_ir.un_s, us_ir.un_kappa) == pytest.approx((0.25, -0.5, -0.5))
    assert _null(_row(df, 2, 365, 1989).un_n)                  # no roll call in 1989: outside the data
    assert _null(_row(df, 2, 365, 1991).un_agree)
    # events: directed. 1989 from the dyad-year counts, 1990 from event rows, 1991 not covered
    us_ru_89, ru_us_89 = _row(df, 2, 365, 1989), _row(df, 365, 2, 1989)
    assert (us_ru_89.events, us_ru_89.verbal_coop, us_ru_89.verbal_conflict) == (8, 5, 2)
    assert (ru_us_89.events, ru_us_89.material_conflict) == (5, 1)
    assert us_ru_89.net_coop == pytest.approx((5 + 1 - 2) / 8) and _null(us_ru_89.goldstein_mean)
    ir_us_90 = _row(df, 630, 2, 1990)
    assert (ir_us_90.events, ir_us_90.verbal_coop, ir_us_90.verbal_conflict) == (2, 1, 1)
    assert _row(df, 2, 630, 1990).events == 0 and _null(_row(df, 2, 630, 1990).net_coop)
    assert _null(_row(df, 630, 2, 1991).events)
    assert ir_us_90.events_year_total == 2


def test_panels_measures_non_directed_events_add_both_directions(full_store):
    df = full_store.create_dyadyears(system="cow", years=(1989, 1989)).add("events").to_pandas()
    r = _row(df, 2, 365, 1989)
    assert (r.events, r.verbal_coop, r.verbal_conflict, r.material_conflict) == (13, 6, 5, 1)


def test_panels_measures_gw_panel_reads_cow_sources_through_the_crosswalk(full_store):
    df = full_store.create_dyadyears(system="gw", years=(1990, 1990), directed=True).add("nmc,atop").to_pandas()
    r = _row(df, 2, 630, 1990)
    assert r.cinc1 == 0.15 and r.atop_defense == 1


def test_panels_measures_columns_are_documented(full_store):
    p = full_store.create_dyadyears(years=(1990, 1990)).add("nmc,unvotes,events,ucdp,atop,igos,majors")
    docs = p.columns()
    assert [d["name"] for d in docs] == list(p.to_pandas().columns)
    for d in docs:
        assert d["coding"] and d["source"] and d["citation"], d
