"""UN-vote measures on the real data against a plain-Python computation.

The reference below reads the raw files itself (pyarrow for the votes
parquet, the csv module for roll calls and issues), matches states by the
source's own alpha-2 codes and computes the formulas with loops - no
dyadwatch code is involved - and the library must agree to 1e-9.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict

import pyarrow.parquet as pq
import pytest

from dyadwatch.analysis import alignment

VOTE = {"yes": 1, "abstain": 2, "no": 3}


@pytest.fixture(scope="module")
def raw(real_files):
    """(votes[(rcid, alpha2)] -> 1/2/3, roll calls rcid -> row dict, issues rcid -> set)."""
    t = pq.read_table(real_files["votes"], columns=["rcid", "country_code", "vote"]).to_pydict()
    votes = {(int(r), c): VOTE[v] for r, c, v in zip(t["rcid"], t["country_code"], t["vote"]) if c}
    with open(real_files["roll_calls"], newline="", encoding="utf-8") as fh:
        calls = {int(r["rcid"]): r for r in csv.DictReader(fh)}
    issues = defaultdict(set)
    with open(real_files["issues"], newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            issues[int(r["rcid"])].add(r["short_name"])
    return votes, calls, issues


def reference(raw, a2, b2, keep):
    """n, agree, exact, S, kappa, pi over the roll calls ``keep(rcid, row)`` both voted on."""
    votes, calls, _ = raw
    pairs = [(votes[(r, a2)], votes[(r, b2)]) for r, row in calls.items()
             if keep(r, row) and (r, a2) in votes and (r, b2) in votes]
    n = len(pairs)
    d_obs = sum(abs(x - y) for x, y in pairs) / n
    pa, pb = Counter(x for x, _ in pairs), Counter(y for _, y in pairs)
    d_exp = sum(pa[i] / n * pb[j] / n * abs(i - j) for i in (1, 2, 3) for j in (1, 2, 3))
    pooled = {k: (pa[k] + pb[k]) / (2 * n) for k in (1, 2, 3)}
    d_pool = sum(pooled[i] * pooled[j] * abs(i - j) for i in (1, 2, 3) for j in (1, 2, 3))
    agree = sum(1 - abs(x - y) / 2 for x, y in pairs) / n
    exact = sum(x == y for x, y in pairs) / n
    return {"n": n, "agree": agree, "exact": exact, "s": 1 - d_obs, "kappa": 1 - d_obs / d_exp,
            "pi": 1 - d_obs / d_pool}


def _year(row) -> int:
    return int(row["date"][:4])


def _check(got_row, want):
    assert int(got_row["n"]) == want["n"]
    for m in ("agree", "exact", "s", "kappa", "pi"):
        assert got_row[m] == pytest.approx(want[m], abs=1e-9), m


@pytest.mark.parametrize("a, b, a2, b2, year", [
    ("IRN", "RUS", "IR", "RU", 2015),
    ("USA", "GBR", "US", "GB", 1990),
    ("USA", "ISR", "US", "IL", 2000),
    ("RUS", "USA", "RU", "US", 1985),   # the Soviet Union votes as RU and is RUS
])
def test_alignment_measures_match_plain_loop(real_api, raw, a, b, a2, b2, year):
    df = alignment.dyad_years(real_api.con, a, b, years=year)
    assert len(df) == 1
    _check(df.iloc[0], reference(raw, a2, b2, lambda r, row: _year(row) == year))


def test_alignment_measures_symmetric(real_api):
    ab = alignment.dyad_years(real_api.con, "IRN", "RUS", years=(2005, 2019))
    ba = alignment.dyad_years(real_api.con, "RUS", "IRN", years=(2005, 2019))
    assert len(ab) == 15
    for m in ("n", "agree", "exact", "s", "kappa", "pi"):
        assert ab[m].tolist() == pytest.approx(ba[m].tolist(), abs=1e-12)


def test_alignment_filters_match_plain_loop(real_api, raw):
    _, _, issues = raw
    con = real_api.con
    hr = alignment.dyad_years(con, "IRN", "RUS", years=(2010, 2019), issue="hr")
    for row in hr.to_dict("records"):
        _check(row, reference(raw, "IR", "RU", lambda r, rc, y=row["year"]: _year(rc) == y and "hr" in issues[r]))
    syria = alignment.dyad_years(con, "USA", "RUS", years=(2011, 2019), topic="syria")
    assert len(syria) > 0
    for row in syria.to_dict("records"):
        _check(row, reference(raw, "US", "RU", lambda r, rc, y=row["year"]: _year(rc) == y and any(
            "syria" in (rc[k] or "").lower() for k in ("descr", "short", "unres"))))
    imp = alignment.dyad_years(con, "USA", "GBR", years=(1990, 1990), important=True)
    _check(imp.iloc[0], reference(raw, "US", "GB", lambda r, rc: _year(rc) == 1990 and rc["importantvote"] == "1"))


def test_alignment_by_session_matches_plain_loop(real_api, raw):
    df = alignment.dyad_years(real_api.con, "IRN", "RUS", by="session", measures="kappa,agree")
    row = df[df["session"] == 70].iloc[0]
    want = reference(raw, "IR", "RU", lambda r, rc: rc["session"] == "70")
    assert int(row["n"]) == want["n"]
    assert row["kappa"] == pytest.approx(want["kappa"], abs=1e-9)
    assert list(df.columns) == ["a", "b", "session", "n", "kappa", "agree", "ip_distance"]


def test_alignment_all_dyad_years_agrees_with_one_dyad(real_api):
    con = real_api.con
    everything = alignment.all_dyad_years(con, years=(2015, 2015))
    one = alignment.dyad_years(con, "IRN", "RUS", years=2015).iloc[0]
    row = everything[(everything.a == "IRN") & (everything.b == "RUS")].iloc[0]
    for m in ("n", "agree", "exact", "s", "kappa", "pi"):
        assert row[m] == pytest.approx(one[m], abs=1e-12)
    # directed: both orders present, each unordered dyad twice
    assert len(everything) == 2 * len(everything[everything.a < everything.b])
    assert everything["agree"].between(0, 1).all() and everything["s"].between(-1, 1).all()
    assert (everything["kappa"].dropna() <= 1 + 1e-12).all()


def test_alignment_partners_ranks_by_kappa(real_api, raw):
    df = alignment.partners(real_api.con, "RUS", year=2015, measure="kappa", top=15, min_n=alignment.MIN_N_RANK)
    best = df[df.side == "closest"]
    worst = df[df.side == "most distant"]
    assert len(best) == 15 and len(worst) == 15
    assert best["kappa"].is_monotonic_decreasing and worst["kappa"].is_monotonic_increasing
    assert best["kappa"].min() > worst["kappa"].max()
    # the top partner's kappa is the maximum over every other state, by the plain loop
    votes, calls, _ = raw
    codes = {c for (_, c) in votes} - {"RU"}
    year_ok = lambda r, rc: _year(rc) == 2015  # noqa: E731
    refs = {}
    for c in codes:
        try:
            ref = reference(raw, "RU", c, year_ok)
        except ZeroDivisionError:
            continue
        if ref["n"] >= alignment.MIN_N_RANK:
            refs[c] = ref["kappa"]
    assert best.iloc[0]["kappa"] == pytest.approx(max(refs.values()), abs=1e-9)
    assert worst.iloc[0]["kappa"] == pytest.approx(min(refs.values()), abs=1e-9)


def test_alignment_kappa_matrix_pools_years(real_api, raw):
    mat = alignment.kappa_matrix(real_api.con, ["USA", "GBR", "Russia", "IRN"], 2015, 2019)
    assert list(mat.index) == ["USA", "GBR", "RUS", "IRN"]
    want = reference(raw, "IR", "RU", lambda r, rc: 2015 <= _year(rc) <= 2019)
    assert mat.loc["IRN", "RUS"] == pytest.approx(want["kappa"], abs=1e-9)
    assert mat.loc["RUS", "IRN"] == pytest.approx(want["kappa"], abs=1e-9)
    assert mat.attrs["n"].loc["IRN", "RUS"] == want["n"]
    assert mat.loc["USA", "USA"] == 1.0


def test_alignment_partners_default_floor_is_half_the_roll_calls(real_api):
    """Default ranking floor: half of the roll calls the state voted on that year (stated in attrs)."""
    own = real_api.con.execute(
        "SELECT count(DISTINCT v.rcid) FROM un_votes v JOIN un_roll_calls r USING (rcid) "
        "WHERE v.iso3 = 'RUS' AND r.year = 2015 AND v.vote_code IN (1, 2, 3)").fetchone()[0]
    df = alignment.partners(real_api.con, "RUS", year=2015, measure="kappa", top=5)
    assert df.attrs["roll_calls"] == own and df.attrs["min_n"] == max(10, -(-own // 2))
    assert (df["n"] >= df.attrs["min_n"]).all() and df.attrs["below_min"] >= 0
