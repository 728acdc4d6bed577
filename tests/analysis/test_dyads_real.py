"""`dyadwatch dyad IRN RUS --freq year --format json` on the real ICEWS dyad-year counts
reproduces the source file's sums (each figure computed here with a plain DuckDB query)."""

from __future__ import annotations

import json

import duckdb
import pytest

from dyadwatch.cli import main

PARQUET = "events/icews_dyadyear/icews_dyad_year_2002_2014.parquet"


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    db = tmp_path_factory.mktemp("dyadreal") / "s.duckdb"
    assert main(["ingest", str(shared_data / PARQUET), "--db", str(db), "-o", "json"]) == 0
    return db


def _raw(shared_data, src, tgt):
    q = (f"SELECT year, sum(verbCoop), sum(matlCoop), sum(verbConf), sum(matlConf) FROM '{shared_data / PARQUET}' "
         f"WHERE i_iso3c = '{src}' AND j_iso3c = '{tgt}' GROUP BY year")
    return {r[0]: r[1:] for r in duckdb.sql(q).fetchall()}


def test_dyads_real_undirected_sums_match_file(store, shared_data, capsys):
    capsys.readouterr()
    assert main(["dyad", "IRN", "RUS", "--freq", "year", "--format", "json", "--db", str(store)]) == 0
    rows = {r["period"]: r for r in json.loads(capsys.readouterr().out)}
    ab, ba = _raw(shared_data, "IRN", "RUS"), _raw(shared_data, "RUS", "IRN")
    assert set(rows) == {str(y) for y in range(2002, 2015)}
    for year in range(2002, 2015):
        want = [x + y for x, y in zip(ab.get(year, (0,) * 4), ba.get(year, (0,) * 4))]
        r = rows[str(year)]
        assert [r["verbal_coop"], r["material_coop"], r["verbal_conflict"], r["material_conflict"]] == want
        assert r["events"] == sum(want) and r["direction"] == "both"
        assert r["net_coop"] == pytest.approx((want[0] + want[1] - want[2] - want[3]) / sum(want))
    assert rows["2014"]["verbal_coop"] == ab[2014][0] + ba[2014][0]


def test_dyads_real_directed_rows_match_file(store, shared_data, capsys):
    capsys.readouterr()
    assert main(["dyad", "Iran", "Russia", "--directed", "--format", "json", "--from", "2011", "--to", "2014",
                 "--db", str(store)]) == 0
    rows = json.loads(capsys.readouterr().out)
    ab = _raw(shared_data, "IRN", "RUS")
    got = {(r["period"], r["direction"]): r for r in rows}
    assert len(rows) == 8
    for year in range(2011, 2015):
        r = got[(str(year), "A->B")]
        assert [r["verbal_coop"], r["material_coop"], r["verbal_conflict"], r["material_conflict"]] == list(ab[year])
