"""Relations, profile, blocs and claims on the real data (../shared/data), checked independently.

Each expected figure is computed here from the raw files with plain DuckDB /
Python loops, not with dyadwatch code.
"""

from __future__ import annotations

import csv

import duckdb
import pytest

from dyadwatch.analysis import blocs as B
from dyadwatch.analysis import claims as CL
from dyadwatch.analysis import profile as P
from dyadwatch.analysis import relations as R
from dyadwatch.api import Dyadwatch

SYRIA = "Syrian Arab Republic"


@pytest.fixture(scope="module")
def real(shared_data, tmp_path_factory):
    d = shared_data
    files = [d / "events/icews_dyadyear/icews_dyad_year_2002_2014.parquet", d / "unvotes/un_votes.parquet",
             d / "unvotes/un_roll_calls.csv", d / "unvotes/un_roll_call_issues.csv",
             d / "peacesciencer/atop_alliance.parquet", d / "peacesciencer/ucdp_acd.csv",
             d / "unsc/unsc_vetoes_1946_2022.csv"]
    with Dyadwatch(tmp_path_factory.mktemp("real") / "real.duckdb") as api:
        api.ingest(files)
        yield api


def _raw_votes(d):
    """rcid -> {alpha2: code} and rcid -> (year, text) straight from the raw files."""
    rows = duckdb.sql(f"SELECT rcid, country_code, vote FROM '{d / 'unvotes/un_votes.parquet'}' "
                      "WHERE country_code IS NOT NULL").fetchall()
    votes: dict[int, dict[str, int]] = {}
    for rcid, cc, v in rows:
        votes.setdefault(int(rcid), {})[cc] = {"yes": 1, "abstain": 2, "no": 3}[v]
    calls = {}
    with open(d / "unvotes/un_roll_calls.csv", newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            calls[int(r["rcid"])] = (int(r["date"][:4]), f"{r['short']} {r['descr']}")
    return votes, calls


def _kappa_loop(votes, calls, a2, b2, years, topic=None):
    """Linear-weight kappa by plain loops; topic: D_obs on topic roll calls, shares from all common ones."""
    xa, xb, pairs = [], [], []
    for rcid, vs in votes.items():
        y, text = calls[rcid]
        if y not in years or a2 not in vs or b2 not in vs:
            continue
        xa.append(vs[a2])  # marginals: all roll calls both voted on
        xb.append(vs[b2])
        if topic is None or topic.lower() in text.lower():
            pairs.append((vs[a2], vs[b2]))
    pa = [sum(1 for x in xa if x == k) / len(xa) for k in (1, 2, 3)]
    pb = [sum(1 for x in xb if x == k) / len(xb) for k in (1, 2, 3)]
    d_exp = sum(pa[i] * pb[j] * abs(i - j) for i in range(3) for j in range(3))
    d_obs = sum(abs(x - y) for x, y in pairs) / len(pairs)
    return max(-1.0, min(1.0, 1 - d_obs / d_exp)), len(pairs)


def test_real_blocs_syria_votes_give_the_two_camps_of_the_war(real, shared_data):
    camp_assad = ["RUS", "IRN", "SYR", "CHN"]
    camp_opposition = ["USA", "GBR", "FRA", "SAU", "TUR", "QAT", "ISR", "JOR", "ARE"]
    res = B.blocs(real.con, camp_assad + camp_opposition, measure="kappa", topic=SYRIA, year_from=2011)
    assert res["exact"]
    assert res["blocs"] == [sorted(camp_assad), sorted(camp_opposition)]
    assert all(res["membership"][a]["strength"] > 0.5 for a in camp_assad + camp_opposition)
    # an edge weight against the plain-loop kappa (Russia-United States on the topic)
    votes, calls = _raw_votes(shared_data)
    years = set(range(2011, 2021))
    expected, n = _kappa_loop(votes, calls, "RU", "US", years, SYRIA)
    edge = {(u, v): (w, ) for u, v, w in res["edges"]}
    w = edge.get(("RUS", "USA"), edge.get(("USA", "RUS")))[0]
    assert w == pytest.approx(expected, abs=1e-9) and expected < -0.5 and n >= 10


def test_real_profile_iran_russia_2016_aligned_partners(real, shared_data):
    profiles = {p.year: p for p in P.relationship_profile(real.con, "IRN", "RUS", year_from=2012, year_to=2018)}
    votes, calls = _raw_votes(shared_data)
    k2016, n2016 = _kappa_loop(votes, calls, "IR", "RU", {2016})
    p = profiles[2016]
    assert p.voting["kappa"] == pytest.approx(k2016, abs=1e-9) and p.voting["n"] == n2016
    # ATOP (raw parquet, COW 630 Iran, 365 Russia): obligations short of defence
    atop = duckdb.sql(f"SELECT atop_defense, atop_neutral, atop_nonagg, atop_consul FROM "
                      f"'{shared_data / 'peacesciencer/atop_alliance.parquet'}' "
                      "WHERE ccode1 = 630 AND ccode2 = 365 AND year = 2016").fetchall()[0]
    assert p.atop == {"defense": atop[0], "offense": 0, "neutral": atop[1], "nonagg": atop[2], "consul": atop[3]}
    assert atop[0] == 0
    # UCDP (raw csv, GW 630 / 365 as secondary parties of a conflict whose side A is Syria, GW 652)
    with open(shared_data / "peacesciencer/ucdp_acd.csv", newline="", encoding="utf-8") as fh:
        raw = [r for r in csv.DictReader(fh) if r["year"] == "2016" and r["gwno_a"] == "652"]
    both = {r["conflict_id"] for r in raw if "630" in r["gwno_a_2nd"]} & {
        r["conflict_id"] for r in raw if "365" in r["gwno_a_2nd"]}
    assert {c["conflict_id"] for c in p.conflicts_same_side} == {int(c) for c in both} != set()
    assert k2016 >= P.KAPPA_CLOSE  # close voting (raw data), shared war side: two signs, no defence pact
    assert p.verdict == "aligned partners"
    assert any(f"kappa {k2016:.2f}" in r for r in p.reasons)
    assert any("UCDP conflict" in r for r in p.reasons)
    # 2014: events from the dyad-year counts, both directions, summed independently
    cnt = duckdb.sql(f"SELECT sum(verbCoop), sum(matlCoop), sum(verbConf), sum(matlConf) FROM "
                     f"'{shared_data / 'events/icews_dyadyear/icews_dyad_year_2002_2014.parquet'}' WHERE year = 2014 "
                     "AND ((i_iso3c = 'IRN' AND j_iso3c = 'RUS') OR (i_iso3c = 'RUS' AND j_iso3c = 'IRN'))").fetchall()[0]
    ev = profiles[2014].events
    assert ev["events"] == sum(cnt)
    assert ev["net_coop"] == pytest.approx((cnt[0] + cnt[1] - cnt[2] - cnt[3]) / sum(cnt))
    assert ev["label"] == "friendly" and ev["probability"] > 0.99


def test_real_relation_salience_uses_both_actors_coverage(real, shared_data):
    out = R.classify_dyad(real.con, "IRN", "RUS", date_from="2014", date_to="2014").iloc[0]
    pq = shared_data / "events/icews_dyadyear/icews_dyad_year_2002_2014.parquet"
    tot = "verbCoop + matlCoop + verbConf + matlConf"
    cov = {c: duckdb.sql(f"SELECT sum({tot}) FROM '{pq}' WHERE year = 2014 AND (i_iso3c = '{c}' OR j_iso3c = '{c}')")
           .fetchall()[0][0] for c in ("IRN", "RUS")}
    assert out.coverage_a == cov["IRN"] and out.coverage_b == cov["RUS"]
    assert out.salience == pytest.approx(out.events / (cov["IRN"] + cov["RUS"] - out.events))


def test_real_claims_from_the_paper(real, shared_data, shared_seed):
    from pathlib import Path

    claims = Path(__file__).resolve().parents[2] / "examples" / "claims_iran_russia.jsonl"
    res = {r.id: r for r in CL.check_file(real.con, claims)}
    # the 22 May 2014 Russian veto is in the raw veto list
    with open(shared_data / "unsc/unsc_vetoes_1946_2022.csv", newline="", encoding="utf-8") as fh:
        raw = [r for r in csv.DictReader(fh) if r["date"] == "5/22/2014" and "Russia" in r["vetoing_members"]]
    assert raw and res["veto-2014-05-22"].answer == CL.SUPPORTED
    assert res["veto-2014-05-22"].evidence[0]["draft"] == raw[0]["draft"]
    assert res["same-side-syria-2015"].answer == CL.SUPPORTED
    assert res["no-defence-pact"].answer == CL.SUPPORTED
    # no event data for 2015-2017 in this store: the data are silent, not contradicting
    for cid in ("baghdad-centre-2015-09-26", "irgc-strikes-2017-06", "putin-tehran-2017-11"):
        assert res[cid].answer == CL.NO_DATA
    assert "Resolution 7180" in (shared_seed / "000_2d8aae18d5243fb5.txt").read_text(encoding="utf-8")


def test_real_profile_kappa_matches_the_alignment_module(real):
    from dyadwatch.analysis import alignment

    ours = P.voting(real.con, "IRN", "RUS", [2016])[2016]
    theirs = alignment.dyad_years(real.con, "IRN", "RUS", years=(2016, 2016))
    row = theirs[theirs["year"] == 2016].iloc[0]
    assert ours["n"] == row["n"]
    assert ours["kappa"] == pytest.approx(row["kappa"], abs=1e-12)
    assert ours["agree"] == pytest.approx(row["agree"], abs=1e-12)
