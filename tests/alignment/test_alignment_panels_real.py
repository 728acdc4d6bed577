"""Facts the real data hold: vetoes, UCDP sides, ATOP obligations - each also
checked against the raw file read without dyadwatch."""

from __future__ import annotations

import csv
import datetime as dt

import pyarrow.parquet as pq

from dyadwatch.analysis import alignment


def _raw_csv(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_alignment_ingest_counts_match_raw_files(real_store, real_files):
    _, s = real_store
    assert s["votes"].format == "unvotes" and s["atop"].format == "atop"
    assert s["ucdp"].format == "ucdp-acd" and s["vetoes"].format == "unsc-vetoes"
    n_votes = pq.ParquetFile(real_files["votes"]).metadata.num_rows
    assert s["votes"].rows_read == n_votes == s["votes"].rows_stored + s["votes"].rows_rejected
    assert s["roll_calls"].rows_stored == len(_raw_csv(real_files["roll_calls"]))
    assert s["issues"].rows_stored == len(_raw_csv(real_files["issues"]))
    n_atop = pq.ParquetFile(real_files["atop"]).metadata.num_rows
    assert s["atop"].rows_read == n_atop == s["atop"].rows_stored + s["atop"].rows_rejected
    # vetoes: every row stored but the one verbatim duplicate (1946-06-26, S/PV.49)
    rows = _raw_csv(real_files["vetoes"])
    assert s["vetoes"].rows_read == len(rows)
    assert s["vetoes"].rows_stored == len({(r["draft"], r["agenda_item"]) for r in rows}) == len(rows) - 1
    assert s["vetoes"].reject_reasons == {"duplicate key in file": 1}


def test_alignment_ucdp_conflict_years_and_parties(real_api, real_files):
    rows = _raw_csv(real_files["ucdp"])
    con = real_api.con
    assert con.execute("SELECT count(*) FROM ucdp_conflicts").fetchall()[0][0] == len(
        {(r["conflict_id"], r["year"]) for r in rows})
    want = set()
    for r in rows:
        for col, side, role in (("gwno_a", "A", "primary"), ("gwno_a_2nd", "A", "secondary"),
                                ("gwno_b", "B", "primary"), ("gwno_b_2nd", "B", "secondary")):
            for code in filter(None, (c.strip() for c in r[col].split(","))):
                want.add((int(r["conflict_id"]), int(r["year"]), side, role, int(code)))
    stored = set(con.execute("SELECT conflict_id, year, side, role, gwno FROM ucdp_conflict_parties").fetchall())
    assert stored <= want
    # what is missing was rejected as unmappable, with the reason on the line
    missing = want - stored
    reasons = con.execute("SELECT reason FROM rejects r JOIN ingest_batches b USING (batch_id) "
                          "WHERE b.format = 'ucdp-acd'").fetchall()
    assert all("country not mappable" in r[0] for r in reasons)
    for cid, year, side, role, gw in missing:
        assert any(f"={gw}" in r[0] and str(year) in r[0] for r in reasons)


def test_alignment_russia_iran_secondary_on_syrian_government_side_from_2015(real_api, real_files):
    raw = [r for r in _raw_csv(real_files["ucdp"]) if r["gwno_a"] == "652" and r["incompatibility"] == "government"]
    raw_years = {int(r["year"]) for r in raw if r["gwno_a_2nd"] == "365"} & \
                {int(r["year"]) for r in raw if r["gwno_a_2nd"] == "630"}
    assert min(raw_years) == 2015
    df = alignment.wars(real_api.con, "RUS", "IRN", years=(2011, 2024))
    syr = df[(df.location == "SYR") & (df.incompatibility == "government")]
    assert set(syr.year) == raw_years
    assert (syr.relation == "same_side").all()
    assert set(zip(syr.a_side, syr.a_role, syr.b_side, syr.b_role)) == {("A", "secondary", "A", "secondary")}
    # Russia fights alongside Syria's government: Syria is a primary party on the same side
    rs = alignment.wars(real_api.con, "RUS", "SYR", years=(2015, 2015))
    assert rs.relation.tolist() and set(rs.relation) == {"same_side"}
    # Turkey (side B, secondary, from 2020) fights against Syria itself
    ts = alignment.wars(real_api.con, "TUR", "SYR", years=(2020, 2020))
    assert "a_targets_b" in set(ts.relation)


def test_alignment_russia_vetoes_on_syria_since_2011(real_api, real_files):
    raw = [r for r in _raw_csv(real_files["vetoes"])
           if "Russia" in (r["member_veto1"], r["member_veto2"], r["member_veto3"])
           and r["crisis_topic"] == "Syria" and int(r["year"]) >= 2011]
    df = alignment.vetoes(real_api.con, "Russia", topic="Syria", years=(2011, None))
    assert sorted(df.draft) == sorted(r["draft"] for r in raw)
    assert len(df) >= 16
    row = df[df.draft == "S/2014/348"].iloc[0]
    assert row.meeting_record == "S/PV.7180" and row.date == dt.date(2014, 5, 22)
    assert row.joint and row.members_iso3 == "CHN, RUS"


def test_alignment_vetoes_trust_member_names_over_flags(real_api, real_files):
    raw = _raw_csv(real_files["vetoes"])
    bad = [r for r in raw if r["country_dummies_match_members"] == "False"]
    assert len(bad) == 26
    r = bad[0]
    named = [r[c] for c in ("member_veto1", "member_veto2", "member_veto3") if r[c]]
    stored = real_api.con.execute(
        "SELECT members, flags_disagree FROM unsc_vetoes WHERE draft = ? AND agenda_item = ?",
        [r["draft"], r["agenda_item"]]).fetchall()
    assert stored == [(named, True)]
    # USSR and Russia are one member (RUS); the panel counts joint vetoes
    usa = alignment.vetoes(real_api.con, "USSR")
    assert len(usa) == sum(1 for x in raw if {"USSR", "Russia"} & {x["member_veto1"], x["member_veto2"],
                                                                  x["member_veto3"]}) - 1  # minus the duplicate


def test_alignment_atop_iran_russia_and_usa_uk(real_api, real_files):
    t = pq.read_table(real_files["atop"]).to_pylist()
    raw = {(r["ccode1"], r["ccode2"], r["year"]): r for r in t}
    ir = alignment.alliances(real_api.con, "IRN", "RUS").set_index("year")
    for y in range(2001, 2019):
        r = raw[(630, 365, y)]
        assert (ir.loc[y, "neutrality"], ir.loc[y, "nonaggression"], ir.loc[y, "consultation"]) == (1, 1, 1)
        assert ir.loc[y, "defense"] == r["atop_defense"] == 0
    assert ir.loc[1944, "defense"] == raw[(630, 365, 1944)]["atop_defense"] == 1  # wartime alliance
    assert not set(range(1947, 2001)) & set(ir.index)
    us = alignment.alliances(real_api.con, "USA", "GBR").set_index("year")
    assert us.loc[1990, "defense"] == us.loc[2015, "defense"] == raw[(2, 200, 2015)]["atop_defense"] == 1


def test_alignment_dyad_panel_joins_the_sources(real_api):
    p = alignment.dyad_panel(real_api.con, "IRN", "RUS", years=(2014, 2016)).set_index("year")
    assert list(p.index) == [2014, 2015, 2016]
    assert p.loc[2015, "same_side"] >= 1 and p.loc[2014, "same_side"] == 0
    assert p.loc[2014, "b_vetoes"] == 2 and p.loc[2014, "joint_vetoes"] == 0
    assert p.loc[2015, "defense"] == 0 and p.loc[2015, "consultation"] == 1
    assert p.loc[2015, "n"] > 0


def test_alignment_unvotes_countries_without_codes_and_cow(real_api, real_files):
    # the source leaves the Federal Republic of Germany, the Yemen Arab Republic and Zanzibar
    # without an alpha-2 code; they are resolved by name, and each vote gets its year's COW code
    t = pq.read_table(real_files["votes"], columns=["country", "country_code"]).to_pydict()
    no_code = {c for c, k in zip(t["country"], t["country_code"]) if k is None}
    assert no_code == {"Federal Republic of Germany", "Yemen Arab Republic", "Zanzibar"}
    got = dict(real_api.con.execute(
        "SELECT DISTINCT country, iso3 FROM un_votes WHERE country_code IS NULL").fetchall())
    assert got == {"Federal Republic of Germany": "DEU", "Yemen Arab Republic": "YEM", "Zanzibar": "ZAN"}
    cow = dict(real_api.con.execute(
        "SELECT country, cow FROM un_vote_countries WHERE year = 1980 AND iso3 IN ('RUS', 'DEU', 'YEM', 'USA')"
    ).fetchall())
    assert cow == {"Russia": 365, "Federal Republic of Germany": 260, "Yemen Arab Republic": 678,
                   "United States": 2}
    # one row per delegation and year it voted
    assert real_api.con.execute("SELECT count(*) FROM un_vote_countries").fetchall()[0][0] == \
        real_api.con.execute("SELECT count(DISTINCT (v.country, r.year)) FROM un_votes v "
                             "JOIN un_roll_calls r USING (rcid)").fetchall()[0][0]
