"""add_* on a store built in code: hand-computed values, NULL outside coverage, both directions."""

from __future__ import annotations

import math

import pytest

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


def test_panels_measures_conflict(full_store):
    p = full_store.create_dyadyears(system="cow", years=(1989, 1991), directed=True)
    df = p.add("mids,wars,rivalries").to_pandas()
    us_ir, ir_us = _row(df, 2, 630, 1990), _row(df, 630, 2, 1990)
    assert (us_ir.cowmidonset, us_ir.cowmidongoing, us_ir.mid_disputes, us_ir.mid_hostlev) == (1, 1, 1, 4)
    assert (us_ir.mid_hostlev1, us_ir.mid_hostlev2, ir_us.mid_hostlev1) == (3, 4, 4)
    assert us_ir.mid_sidea1 == 0 and ir_us.mid_sidea1 == 1
    no = _row(df, 2, 630, 1991)        # inside the files' years (source_coverage 1990-1991): 0, levels NULL
    assert no.cowmidonset == 0 and no.mid_disputes == 0 and _null(no.mid_hostlev)
    assert (us_ir.cowinteronset, us_ir.war_count, us_ir.war_initiator1, ir_us.war_initiator1) == (1, 1, 0, 1)
    assert (us_ir.war_batdeath1, us_ir.war_batdeath2) == (150, 4000)
    assert no.cowinterongoing == 0 and _null(no.war_batdeath1)
    assert _null(_row(df, 2, 630, 1989).cowmidonset)  # before the MID file's years
    assert _row(df, 2, 630, 1989).cowinteronset == 0  # the war reader records v4.0's domain, 1816-2007
    assert us_ir.td_rival == 1 and us_ir.td_rivalryno == 99 and us_ir.td_ideological == 1 and us_ir.td_spatial == 0
    assert _row(df, 365, 2, 1989).td_rival == 1 and _row(df, 365, 2, 1990).td_rival == 0
    assert _null(_row(df, 365, 2, 1990).td_positional)
    late = full_store.create_dyadyears(years=(2011, 2011)).add("rivalries").to_pandas()
    assert late.td_rival.isna().all()  # past the rivalry data's last year: not known


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
