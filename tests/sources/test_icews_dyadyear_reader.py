"""ICEWS dyad-year counts reader: the real netify file, the Iran–Russia sums, bad input."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dyadwatch.api import Dyadwatch
from dyadwatch.errors import InputError, IngestError
from dyadwatch.sources import formats
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

REL = "events/icews_dyadyear/icews_dyad_year_2002_2014.parquet"


@pytest.fixture(scope="module")
def dyad_store(tmp_path_factory, shared_data):
    """A store holding the real dyad-year file (ingested once for the module)."""
    db = tmp_path_factory.mktemp("dy") / "dy.duckdb"
    with Dyadwatch(db) as dw:
        [summary] = dw.ingest([shared_data / REL])
    return db, summary


def test_icews_dyadyear_counts_equal_the_file(dyad_store, shared_data):
    db, s = dyad_store
    raw = duckdb.connect()
    src = f"read_parquet('{shared_data / REL}')"
    n, n_keys = raw.execute(f"SELECT count(*), count(DISTINCT (i_iso3c, j_iso3c, year)) FROM {src}").fetchall()[0]
    assert formats.detect(shared_data / REL).name == "icews-dyad-year"
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (n, n_keys, n - n_keys)
    want = raw.execute(f'SELECT sum("verbCoop"), sum("matlCoop"), sum("verbConf"), sum("matlConf") FROM {src}'
                       ).fetchall()[0]
    with Dyadwatch(db, read_only=True) as dw:
        got = dw.con.execute("SELECT sum(verbal_coop), sum(material_coop), sum(verbal_conflict), "
                             "sum(material_conflict) FROM dyad_counts WHERE dataset = 'icews-dyad-year'"
                             ).fetchall()[0]
    assert got == want


def test_icews_dyadyear_iran_russia_series_reproduces_the_file(dyad_store, shared_data):
    db, _ = dyad_store
    raw = duckdb.connect()
    by_year = {y: (a, b, c, d) for y, a, b, c, d in raw.execute(
        f"SELECT year, sum(\"verbCoop\"), sum(\"matlCoop\"), sum(\"verbConf\"), sum(\"matlConf\") "
        f"FROM read_parquet('{shared_data / REL}') WHERE (i_iso3c, j_iso3c) IN (('IRN','RUS'),('RUS','IRN')) "
        f"GROUP BY year").fetchall()}
    assert by_year[2014][0] == 2447 + 2247
    with Dyadwatch(db, read_only=True) as dw:
        series = dw.dyad("IRN", "RUS", freq="year")
    rows = {str(r["period"])[:4]: r for r in series.to_dict("records")}
    for year, (vc, mc, vf, mf) in by_year.items():
        r = rows[str(year)]
        assert (r["verbal_coop"], r["material_coop"], r["verbal_conflict"], r["material_conflict"]) == \
            (vc, mc, vf, mf), year
        assert r["events"] == vc + mc + vf + mf


def test_icews_dyadyear_reingest_adds_nothing(dyad_store):
    db, s = dyad_store
    with Dyadwatch(db) as dw:
        [again] = dw.ingest([s.path])
        assert again.skipped
        assert dw.con.execute("SELECT count(*) FROM dyad_counts").fetchall()[0][0] == s.rows_stored


def test_icews_dyadyear_bad_rows_and_files(con, tmp_path):
    table = pa.table({
        "i": ["Iran, Islamic Republic Of", "Russian Federation", "Atlantis", "Iran, Islamic Republic Of",
              "Iran, Islamic Republic Of"],
        "j": ["Russian Federation", "Iran, Islamic Republic Of", "Iran, Islamic Republic Of",
              "Russian Federation", "Syrian Arab Republic"],
        "year": pa.array([2015, 2015, 2015, 2015, 2015], pa.int64()),
        "verbCoop": pa.array([10, 5, 1, 99, -1], pa.int64()),
        "matlCoop": pa.array([1, 0, 0, 0, 0], pa.int64()),
        "verbConf": pa.array([0, 2, 0, 0, 0], pa.int64()),
        "matlConf": pa.array([0, 0, 0, 0, 0], pa.int64()),
        "i_iso3c": ["IRN", "RUS", None, "IRN", "IRN"],
        "j_iso3c": ["RUS", "IRN", "IRN", "RUS", "SYR"],
    })
    path = tmp_path / "counts.parquet"
    pq.write_table(table, path)
    s = ingest_file(con, path)
    assert s.format == "icews-dyad-year"
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (5, 2, 3)
    got = dict(rejects(con, s.batch_id))
    assert "'Atlantis' has no ISO3 code" in got[3] and "duplicate key" in got[4] and "negative" in got[5]
    assert con.execute("SELECT src_country, tgt_country, verbal_coop, material_coop, verbal_conflict "
                       "FROM dyad_counts ORDER BY src_country").fetchall() == [
        ("IRN", "RUS", 10, 1, 0), ("RUS", "IRN", 5, 0, 2)]
    missing = tmp_path / "missing.parquet"
    pq.write_table(table.drop(["matlConf"]), missing)
    with pytest.raises(IngestError) as err:
        ingest_file(con, missing, format="icews-dyad-year")
    assert "matlConf" in str(err.value)
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(InputError) as err2:
        ingest_file(con, cut, format="icews-dyad-year")
    assert str(cut) in err2.value.one_line() and "\n" not in err2.value.one_line()
    assert scalar(con, "SELECT count(*) FROM dyad_counts") == 2
