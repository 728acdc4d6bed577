"""Panel rows equal an independent computation from the state lists (dates, not years)."""

from __future__ import annotations

import csv
import datetime as dt
import itertools

import pytest

from dyadwatch.errors import UsageError
from tests.panels.conftest import COW_STATES, GW_STATES


def _spells(text: str, system: str):
    """(code, start, end) from the list text, parsed with the csv module (not the reader)."""
    out = []
    for r in csv.DictReader(text.splitlines()):
        if system == "cow":
            s = dt.date(int(r["styear"]), int(r["stmonth"]), int(r["stday"]))
            e = dt.date(int(r["endyear"]), int(r["endmonth"]), int(r["endday"]))
            out.append((int(r["ccode"]), s, e))
        else:
            out.append((int(r["gwcode"]), dt.date.fromisoformat(r["startdate"]), dt.date.fromisoformat(r["enddate"])))
    return out


def expected_rows(spells, lo, hi, *, directed, mry_to=None):
    """Dyad-years by brute force over days: both states members on a common day of the year."""
    last = max(e for _, _, e in spells)
    if mry_to:
        spells = [(c, s, dt.date(mry_to, 12, 31) if e == last else e) for c, s, e in spells]
    rows = set()
    for year in range(lo, hi + 1):
        y0, y1 = dt.date(year, 1, 1), dt.date(year, 12, 31)
        for (c1, s1, e1), (c2, s2, e2) in itertools.permutations(spells, 2):
            if c1 == c2 or (not directed and c1 > c2):
                continue
            if max(s1, s2, y0) <= min(e1, e2, y1):
                rows.add((c1, c2, year))
    return rows


@pytest.mark.parametrize("directed", [True, False])
def test_panels_rows_equal_brute_force_cow(lists_store, directed):
    dw, _ = lists_store
    df = dw.create_dyadyears(system="cow", years=(1985, 1995), directed=directed).to_pandas()
    got = set(zip(df.ccode1, df.ccode2, df.year))
    assert got == expected_rows(_spells(COW_STATES, "cow"), 1985, 1995, directed=directed)
    assert len(df) == len(got)  # no duplicate rows


def test_panels_rows_transitions_never_coexisting(lists_store):
    dw, _ = lists_store
    df = dw.create_dyadyears(system="cow", years=(1990, 1990), directed=True).to_pandas()
    got = set(zip(df.ccode1, df.ccode2))
    assert (255, 260) not in got and (260, 255) not in got       # FRG ended 2 Oct, Germany began 3 Oct
    assert (255, 265) not in got                                  # nor with the GDR
    assert (260, 265) in got                                      # the two Germanies co-existed
    assert (678, 679) not in got and (680, 679) not in got        # Yemens before and after 22 May
    assert (255, 678) not in got and (255, 680) not in got        # South and North Yemen ended before Germany began
    assert (678, 680) in got and (679, 2) in got and (255, 2) in got
    # every state of the year appears: 9 codes, the 6 pairs above that never co-existed excluded
    n = 9
    assert len(got) == n * (n - 1) - 2 * 6


def test_panels_rows_gw_differs_from_cow(lists_store):
    dw, _ = lists_store
    df = dw.create_dyadyears(system="gw", years=(1990, 1991), directed=False).to_pandas()
    assert list(df.columns[:3]) == ["gwcode1", "gwcode2", "year"]
    got = set(zip(df.gwcode1, df.gwcode2, df.year))
    assert got == expected_rows(_spells(GW_STATES, "gw"), 1990, 1991, directed=False)
    assert (260, 678, 1991) in got and (265, 678, 1991) not in got   # G-W: Germany is 260 throughout


def test_panels_rows_most_recent_year(lists_store):
    dw, _ = lists_store
    with_mry = dw.create_dyadyears(system="cow", years=(2015, 2018), directed=True).to_pandas()
    assert set(zip(with_mry.ccode1, with_mry.ccode2, with_mry.year)) == expected_rows(
        _spells(COW_STATES, "cow"), 2015, 2018, directed=True, mry_to=2018)
    without = dw.create_dyadyears(system="cow", years=(2015, 2018), directed=True, mry=False).to_pandas()
    assert without.year.max() == 2016


def test_panels_rows_bad_arguments(lists_store):
    dw, _ = lists_store
    with pytest.raises(UsageError, match="unknown state system"):
        dw.create_dyadyears(system="icow")
    with pytest.raises(UsageError, match="after"):
        dw.create_dyadyears(years=(2000, 1990))
    p = dw.create_dyadyears(years=(1990, 1990))
    with pytest.raises(UsageError, match="unknown panel measure 'mid'"):
        p.add("mid")
    with pytest.raises(UsageError, match="needs table"):
        p.add("nmc")


def test_panels_rows_real_cow_and_gw_2010(shared_data, tmp_path):
    """Directed COW dyad-years of 2010 = n(n-1) over the states members that year (computed from the
    CSV with the csv module); the same for G-W, whose list has other members."""
    from dyadwatch.api import Dyadwatch

    cow = shared_data / "peacesciencer" / "cow_states.csv"
    gw = shared_data / "peacesciencer" / "gw_states.csv"
    with Dyadwatch(tmp_path / "r.duckdb") as dw:
        dw.ingest([cow, gw])
        for system, path in (("cow", cow), ("gw", gw)):
            spells = _spells(path.read_text(encoding="utf-8"), system)
            members = {c for c, s, e in spells if s <= dt.date(2010, 12, 31) and e >= dt.date(2010, 1, 1)}
            n = len(members)
            df = dw.create_dyadyears(system=system, years=(2010, 2010), directed=True).to_pandas()
            assert len(df) == n * (n - 1), (system, n)
            nd = dw.create_dyadyears(system=system, years=(2010, 2010)).to_pandas()
            assert len(nd) == n * (n - 1) // 2
        assert n != 194  # G-W 2010 is not COW's 194 states (G-W leaves out microstates)
