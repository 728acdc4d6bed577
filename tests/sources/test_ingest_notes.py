"""The ingest summary explains what its counts do not: UCDP rows folded into the conflict-year they
repeat, ATOP dyad-years rejected for a state code with no country that year (one line each:
cli.common.explain_batches, which both `ingest` and `demo` print)."""

from __future__ import annotations

import duckdb

from dyadwatch.cli import main

UCDP_HEADER = "conflict_id,year,gwno_a,gwno_a_2nd,gwno_b,gwno_b_2nd,incompatibility,intensity_level,type_of_conflict\n"


def test_ingest_ucdp_rows_folded_into_their_conflict_year_are_explained(tmp_path, capsys):
    p = tmp_path / "ucdp.csv"
    # the peacesciencer layout: conflict 299 in 2015 once per state party (Russia, Iran beside Syria)
    p.write_text(UCDP_HEADER + "299,2015,652,365,,,government,2,intrastate\n"
                 "299,2015,652,630,,,government,2,intrastate\n"
                 "299,2016,652,365,,,government,2,intrastate\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(p), "--db", str(db), "--format", "ucdp-acd"]) == 0
    err = capsys.readouterr().err
    assert (f"{p}: 1 row folded into the conflict-year they repeat (the file gives a conflict-year one row per "
            "state party; their parties are pooled): stored counts conflict-years, not rows") in " ".join(err.split())
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM ucdp_conflicts").fetchone()[0] == 2
        assert con.execute("SELECT rows_read, rows_stored, rows_rejected FROM ingest_batches").fetchone() == (3, 2, 0)
        assert sorted(r[0] for r in con.execute(
            "SELECT iso3 FROM ucdp_conflict_parties WHERE year = 2015").fetchall()) == ["IRN", "RUS", "SYR"]


def test_ingest_atop_rejects_are_explained(tmp_path, capsys):
    p = tmp_path / "atop.csv"
    # COW 255 (Germany) has no state spell in 1947: that dyad-year cannot be tied to a country
    p.write_text("ccode1,ccode2,year,atop_defense,atop_offense,atop_neutral,atop_nonagg,atop_consul\n"
                 "2,200,2000,1,0,0,0,1\n255,2,1947,0,0,0,0,1\n2,255,1947,0,0,0,0,1\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(p), "--db", str(db), "--format", "atop"]) == 0
    err = " ".join(capsys.readouterr().err.split())
    # one line: how many, the reason, and why
    assert (f"{p}: 2 rows rejected (country not mappable: 2 — a state's COW code has no ISO3 state in that year "
            "(pre-1945 German and Italian states, for example; dyadwatch.codebooks.countries), so the obligation "
            "cannot be tied to a country); see the rejects table") in err
    assert err.count("country not mappable") == 1
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT rows_read, rows_stored, rows_rejected FROM ingest_batches").fetchone() == (3, 1, 2)
