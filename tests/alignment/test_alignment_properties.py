"""Invariants of the UN-vote measures on random votes (hypothesis)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.analysis import alignment
from dyadwatch.store.db import ensure_schema

votes_pairs = st.lists(st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from([1, 2, 3])), min_size=1, max_size=40)


@pytest.fixture(scope="module")
def con():
    c = duckdb.connect()
    ensure_schema(c)
    yield c
    c.close()


def _load(con, pairs):
    con.execute("DELETE FROM un_votes")
    con.execute("DELETE FROM un_roll_calls")
    calls = pd.DataFrame({"rcid": range(len(pairs)), "date": dt.date(2001, 1, 1)})
    con.execute("INSERT INTO un_roll_calls (rcid, session, date, year) SELECT rcid, 1, date, 2001 FROM calls")
    rows = []
    for i, (x, y) in enumerate(pairs):
        rows += [(i, "France", "FRA", x), (i, "Germany", "DEU", y)]
    votes = pd.DataFrame(rows, columns=["rcid", "country", "iso3", "vote_code"])  # noqa: F841 - read by DuckDB
    con.execute("INSERT INTO un_votes (rcid, country, iso3, vote_code) SELECT * FROM votes")


def _kappa(pairs):
    n = len(pairs)
    d_obs = sum(abs(x - y) for x, y in pairs) / n
    pa = [sum(1 for x, _ in pairs if x == k) / n for k in (1, 2, 3)]
    pb = [sum(1 for _, y in pairs if y == k) / n for k in (1, 2, 3)]
    d_exp = sum(pa[i] * pb[j] * abs(i - j) for i in range(3) for j in range(3))
    return None if d_exp == 0 else 1 - d_obs / d_exp


@settings(max_examples=25, deadline=None)
@given(pairs=votes_pairs)
def test_alignment_measures_symmetric_bounded_and_exact(con, pairs):
    _load(con, pairs)
    ab = alignment.dyad_years(con, "FRA", "DEU").iloc[0]
    ba = alignment.dyad_years(con, "DEU", "FRA").iloc[0]
    assert ab.n == ba.n == len(pairs)
    assert 0 <= ab.agree <= 1 and -1 <= ab.s <= 1
    assert ab.s == pytest.approx(2 * ab.agree - 1)
    want = _kappa(pairs)
    if want is None:
        assert ab.kappa != ab.kappa  # NaN: undefined
    else:
        assert ab.kappa == pytest.approx(want, abs=1e-12) and ab.kappa <= 1 + 1e-12
        assert ba.kappa == pytest.approx(want, abs=1e-12)
    for m in ("agree", "s", "pi"):
        assert ab[m] == pytest.approx(ba[m], abs=1e-12, nan_ok=True)
    if all(x == y for x, y in pairs) and want is not None:
        assert ab.kappa == pytest.approx(1.0) and ab.pi == pytest.approx(1.0)
