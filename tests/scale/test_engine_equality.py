"""One analysis definition, two engines: Ibis on DuckDB and on Spark give the same numbers.

Data: 60,000 seeded synthetic GDELT-shaped events (``bench/synth.py``, skew
estimated from the real samples) and the real UN General Assembly votes of
2000-2001. Results of the two engines are compared row by row: keys and
counts exactly, floats exactly too where both engines do the same IEEE
operations (kappa from integer counts) and to 1e-12 relative where they sum
doubles in a different order (Goldstein sums). Each result is also checked
against an independent computation (hand-written SQL over the Parquet file,
the integrator's ``analysis.dyads.dyad_series``, the alignment module's
``all_dyad_years`` and a by-hand kappa in plain Python).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from dyadwatch.analysis import dyads, engine
from dyadwatch.store import db
from dyadwatch.store.ingest import ingest_file

REPO = Path(__file__).resolve().parents[2]

# py4j (Spark's Python bridge) leaves its loopback sockets to the garbage collector
pytestmark = [
    pytest.mark.filterwarnings("ignore:Exception ignored in.*socket:pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
N_EVENTS = 60_000
YEARS = (2000, 2001)


def _synth():
    spec = importlib.util.spec_from_file_location("dw_bench_synth", REPO / "bench" / "synth.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    """A store with the synthetic events and the real UN votes; the events also as Parquet."""
    tmp = tmp_path_factory.mktemp("engines")
    synth = _synth()
    parquet = synth.write_parquet(tmp / "events.parquet", N_EVENTS, seed=7,
                                  profile=synth.estimate_profile(shared_data), chunk_rows=50_000)
    con = duckdb.connect(str(tmp / "store.duckdb"))
    db.ensure_schema(con)
    con.execute(f"INSERT INTO events BY NAME SELECT * FROM read_parquet('{parquet}')")
    ingest_file(con, shared_data / "unvotes" / "un_roll_calls.csv", format="unvotes")
    # the votes of the roll calls of YEARS only (a smaller file keeps the test fast)
    votes = tmp / "un_votes.parquet"
    duckdb.sql(f"""COPY (SELECT v.* FROM read_parquet('{shared_data / 'unvotes' / 'un_votes.parquet'}') v
                    JOIN read_csv('{shared_data / 'unvotes' / 'un_roll_calls.csv'}') r USING (rcid)
                    WHERE year(r.date) BETWEEN {YEARS[0]} AND {YEARS[1]}) TO '{votes}' (FORMAT parquet)""")
    ingest_file(con, votes, format="unvotes")
    for table in ("un_votes", "un_roll_calls"):
        con.execute(f"COPY {table} TO '{tmp / ('spark_' + table + '.parquet')}' (FORMAT parquet)")
    yield {"con": con, "parquet": parquet, "dir": tmp}
    con.close()


@pytest.fixture(scope="module")
def spark(store, spark_backend):
    be = spark_backend  # the session-wide local session (tests/scale/conftest.py)
    engine.register_parquet(be, "events", store["parquet"])
    for table in ("un_votes", "un_roll_calls"):
        engine.register_parquet(be, table, store["dir"] / f"spark_{table}.parquet")
    return be


@pytest.fixture(scope="module")
def duck(store):
    return engine.connect("duckdb", con=store["con"])


def _assert_same(left: pd.DataFrame, right: pd.DataFrame, *, float_rtol: float = 0.0) -> None:
    """Row-by-row equality; floats with ``float_rtol`` (0 = bit-identical), NULLs in the same places."""
    assert list(left.columns) == list(right.columns)
    assert len(left) == len(right), (len(left), len(right))
    for c in left.columns:
        a, b = left[c], right[c]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            a, b = a.astype("float64").to_numpy(), b.astype("float64").to_numpy()
            assert np.array_equal(np.isnan(a), np.isnan(b)), c
            ok = ~np.isnan(a)
            if float_rtol:
                np.testing.assert_allclose(a[ok], b[ok], rtol=float_rtol, atol=0, err_msg=c)
            else:
                assert np.array_equal(a[ok], b[ok]), c
        elif pd.api.types.is_datetime64_any_dtype(a) or pd.api.types.is_datetime64_any_dtype(b):
            assert list(pd.to_datetime(a).dt.date) == list(pd.to_datetime(b).dt.date), c
        else:
            assert [x for x in a] == [x for x in b], c


def _top_dyad(con) -> tuple[str, str]:
    """The busiest international directed country dyad of the synthetic data."""
    return con.execute(
        "SELECT src_country, tgt_country FROM events WHERE src_country <> tgt_country "
        "GROUP BY ALL ORDER BY count(*) DESC, 1, 2 LIMIT 1").fetchall()[0]


@pytest.mark.spark
@pytest.mark.parametrize("freq,directed", [("year", False), ("month", True), ("quarter", False)])
def test_engine_dyad_series_duckdb_spark_and_dyads_agree(store, duck, spark, freq, directed):
    a, b = _top_dyad(store["con"])
    on_duck = engine.execute(engine.dyad_series_expr(duck.table("events"), a, b, freq=freq, directed=directed))
    on_spark = engine.execute(engine.dyad_series_expr(spark.table("events"), a, b, freq=freq, directed=directed))
    assert on_duck["events"].sum() > 100
    _assert_same(on_duck, on_spark, float_rtol=1e-12)

    ref = dyads.dyad_series(store["con"], a, b, freq=freq, directed=directed)
    ref = ref[ref["events"] > 0].reset_index(drop=True)[engine.DYAD_SERIES_COLUMNS]
    _assert_same(on_duck, ref.astype({"period_start": "datetime64[s]"}), float_rtol=1e-12)


@pytest.mark.spark
def test_engine_dyad_series_code_prefix_and_filters(store, duck, spark):
    a, b = _top_dyad(store["con"])
    kw = dict(freq="year", directed=True, roots=["01", "04", "19"],
              date_from=dt.date(2012, 3, 1), date_to=dt.date(2017, 6, 30))
    on_duck = engine.execute(engine.dyad_series_expr(duck.table("events"), a, b + "GOV", **kw))
    on_spark = engine.execute(engine.dyad_series_expr(spark.table("events"), a, b + "GOV", **kw))
    _assert_same(on_duck, on_spark, float_rtol=1e-12)
    n = store["con"].execute(
        "SELECT count(*) FROM events WHERE cameo_root IN ('01','04','19') AND event_date BETWEEN ? AND ? "
        "AND ((src_country = ? AND tgt_code LIKE ?) OR (src_code LIKE ? AND tgt_country = ?))",
        [kw["date_from"], kw["date_to"], a, b + "GOV%", b + "GOV%", a]).fetchall()[0][0]
    assert n > 0 and on_duck["events"].sum() == n


@pytest.mark.spark
def test_engine_quad_class_counts_duckdb_spark_and_sql_agree(store, duck, spark):
    on_duck = engine.execute(engine.quad_class_counts_expr(duck.table("events"), freq="month"))
    on_spark = engine.execute(engine.quad_class_counts_expr(spark.table("events"), freq="month"))
    _assert_same(on_duck, on_spark)
    sql = duckdb.sql(f"""
        SELECT src_country, tgt_country, date_trunc('month', event_date) AS period_start, count(*) AS events,
               count(*) FILTER (quad_class = 1) AS verbal_coop, count(*) FILTER (quad_class = 2) AS material_coop,
               count(*) FILTER (quad_class = 3) AS verbal_conflict,
               count(*) FILTER (quad_class = 4) AS material_conflict
        FROM read_parquet('{store['parquet']}') WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL
        GROUP BY ALL ORDER BY 1, 2, 3""").df()
    _assert_same(on_duck, sql)
    assert on_duck["events"].sum() == duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{store['parquet']}') "
        "WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL").fetchall()[0][0]


@pytest.mark.spark
def test_engine_quad_class_counts_from_store_on_spark_removes_its_export(store, duck, spark, tmp_path,
                                                                        monkeypatch):
    """`counts --engine spark` without --events exports the store to a temporary
    Parquet; the rows equal DuckDB's and the export is gone afterwards."""
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    on_spark = engine.quad_class_counts(engine="spark", con=store["con"], freq="month")
    on_duck = engine.execute(engine.quad_class_counts_expr(duck.table("events"), freq="month"))
    _assert_same(on_duck, on_spark)
    assert list(tmp_path.glob("dyadwatch-spark-*")) == []


@pytest.mark.spark
def test_engine_kappa_duckdb_spark_alignment_and_hand_agree(store, duck, spark, shared_data):
    expr = dict(years=YEARS)
    on_duck = engine.execute(engine.kappa_expr(duck.table("un_votes"), duck.table("un_roll_calls"), **expr))
    on_spark = engine.execute(engine.kappa_expr(spark.table("un_votes"), spark.table("un_roll_calls"), **expr))
    assert len(on_duck) > 30_000
    _assert_same(on_duck, on_spark)

    from dyadwatch.analysis import alignment

    ref = alignment.all_dyad_years(store["con"], years=YEARS, measures="kappa")
    ref = ref.rename(columns={"year": "year"})[["a", "b", "year", "n", "kappa"]]
    ref = ref.sort_values(["a", "b", "year"], kind="mergesort").reset_index(drop=True)
    _assert_same(on_duck, ref.astype({"year": on_duck["year"].dtype}), float_rtol=1e-12)

    # by hand, from the raw files: Iran and Russia, 2001 (linear-weighted Cohen's kappa)
    votes = pd.read_parquet(shared_data / "unvotes" / "un_votes.parquet")
    rc = pd.read_csv(shared_data / "unvotes" / "un_roll_calls.csv", usecols=["rcid", "date"])
    rc = rc[pd.to_datetime(rc["date"]).dt.year == 2001]
    code = {"yes": 1, "abstain": 2, "no": 3}
    va = votes[(votes.country_code == "IR") & votes.rcid.isin(rc.rcid)].set_index("rcid")["vote"].map(code)
    vb = votes[(votes.country_code == "RU") & votes.rcid.isin(rc.rcid)].set_index("rcid")["vote"].map(code)
    both = pd.concat([va.rename("a"), vb.rename("b")], axis=1, join="inner")
    n = len(both)
    d_obs = (both.a - both.b).abs().sum() / n
    pa_, pb_ = both.a.value_counts(normalize=True), both.b.value_counts(normalize=True)
    d_exp = sum(pa_.get(i, 0) * pb_.get(j, 0) * abs(i - j) for i in (1, 2, 3) for j in (1, 2, 3))
    row = on_duck[(on_duck.a == "IRN") & (on_duck.b == "RUS") & (on_duck.year == 2001)].iloc[0]
    assert row.n == n
    assert row.kappa == pytest.approx(1 - d_obs / d_exp, rel=1e-12)
