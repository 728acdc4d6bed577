"""`dyadwatch dyad --engine spark` and `--events`: the same dyad series as the store's DuckDB SQL.

The store holds real events of three datasets — ICEWS14 name triples
(Nov-Dec 2014, dataset ``icews14``), ICEWS18 (Aug-Sep 2018, ``icews18``) and
the ICEWS Dataverse 2018 sample (June 2018, ``icews``) — so the USA-PRK dyad
has events of two datasets in 2018, plus aggregated ``dyad_counts`` rows
written here for 2013 (a counts-only year) and 2014 (a year events cover
too, so the counts/events policy decides). The DuckDB series
(``analysis.dyads.dyad_series``, itself checked against the raw files in
tests/analysis) is the reference: integer columns and ``datasets`` must be
equal, Goldstein sums/means equal to 1e-12 relative (the engines add
doubles in a different order).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from dyadwatch.analysis import dyads
from dyadwatch.api import Dyadwatch
from dyadwatch.cli import main
from dyadwatch.errors import UsageError

# py4j (Spark's Python bridge) leaves its loopback sockets to the garbage collector
pytestmark = [
    pytest.mark.filterwarnings("ignore:Exception ignored in.*socket:pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
]
A, B = "USA", "PRK"
#: hand-written dyad_counts rows: (dataset, src, tgt, year, QC1, QC2, QC3, QC4)
COUNTS = [
    ("hand-counts", "USA", "PRK", 2013, 11, 2, 7, 1),
    ("hand-counts", "PRK", "USA", 2013, 5, 0, 9, 3),
    ("hand-counts", "USA", "PRK", 2014, 20, 4, 6, 2),
]
INT_COLUMNS = ["events", "verbal_coop", "material_coop", "verbal_conflict", "material_conflict"]


@pytest.fixture(scope="module")
def store(shared_data, tmp_path_factory):
    """Path of the store, and its events exported as Parquet (for ``--events``)."""
    tmp = tmp_path_factory.mktemp("dyad_engine")
    path = tmp / "store.duckdb"
    ev = shared_data / "events"
    with Dyadwatch(path) as dw:
        dw.ingest([ev / "icews14_complete" / "icews14_test.tsv", ev / "icews18_renet" / "icews18_valid.tsv",
                   ev / "icews_dataverse" / "events.2018.sample.tab"])
        dw.con.executemany("INSERT INTO dyad_counts (dataset, src_country, tgt_country, year, verbal_coop, "
                           "material_coop, verbal_conflict, material_conflict) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           COUNTS)
        dw.con.execute(f"COPY events TO '{tmp / 'events.parquet'}' (FORMAT parquet)")
    return {"db": path, "parquet": tmp / "events.parquet"}


@pytest.fixture(scope="module")
def dw(store):
    with Dyadwatch(store["db"], read_only=True) as api:
        yield api


def assert_same_series(left: pd.DataFrame, right: pd.DataFrame) -> None:
    """Same rows: labels, dates, counts and datasets equal; Goldstein and net_coop to 1e-12 relative."""
    assert list(left.columns) == list(right.columns) == dyads.SERIES_COLUMNS
    assert len(left) == len(right)
    for c in ["period", "period_start", "direction", *INT_COLUMNS, "datasets"]:
        assert list(left[c]) == list(right[c]), c
    for c in ["goldstein_sum", "goldstein_mean", "net_coop"]:
        a = left[c].astype("float64").to_numpy()
        b = right[c].astype("float64").to_numpy()
        assert np.array_equal(np.isnan(a), np.isnan(b)), c
        np.testing.assert_allclose(a[~np.isnan(a)], b[~np.isnan(b)], rtol=1e-12, atol=0, err_msg=c)


def _events_of(dw, year: int, datasets=None) -> int:
    """Independent count of the dyad's stored event rows in ``year`` (plain SQL)."""
    sql = ("SELECT count(*) FROM events WHERE year(event_date) = ? AND ((src_country = ? AND tgt_country = ?) "
           "OR (src_country = ? AND tgt_country = ?))")
    params = [year, A, B, B, A]
    if datasets:
        sql += f" AND dataset IN ({', '.join('?' * len(datasets))})"
        params += list(datasets)
    return dw.con.execute(sql, params).fetchall()[0][0]


# the cases: (kwargs of dyad_series); each runs once on Spark
CASES = {
    "year-both-counts": dict(freq="year"),
    "year-directed-events": dict(freq="year", directed=True, prefer="events"),
    "month-directed-dates": dict(freq="month", directed=True, date_from="2014-12", date_to="2018-08-31"),
    "year-dataset-root": dict(freq="year", datasets=["icews18", "hand-counts"], roots=["01", "04", "05"]),
    "quarter-dedup": dict(freq="quarter", dedup=True),
    "week-code-actor": dict(freq="week", date_from="2018-06-01", date_to="2018-09-30", b="PRKGOV"),
}


def test_dyad_engine_store_premise(dw):
    """The store has what the comparison needs: two datasets in one year, counts years."""
    ref = dw.dyad(A, B, freq="year")
    by_year = ref.set_index("period")
    assert by_year.loc["2018", "datasets"] == "icews,icews18"
    assert by_year.loc["2018", "events"] == _events_of(dw, 2018) > 50
    # counts win 2014 (prefer counts): 20+4+6+2 from the hand-written row, not the events
    assert by_year.loc["2014", "events"] == 32 and by_year.loc["2014", "datasets"] == "hand-counts"
    assert by_year.loc["2013", "events"] == 11 + 2 + 7 + 1 + 5 + 0 + 9 + 3
    assert list(by_year.loc[["2015", "2016", "2017"], "events"]) == [0, 0, 0]


@pytest.mark.parametrize("case", list(CASES))
def test_dyad_engine_duckdb_on_parquet_equals_store_sql(dw, store, case):
    """Ibis on DuckDB over the exported Parquet (`--events`, no Spark) gives the store's series."""
    kw = dict(CASES[case])
    b = kw.pop("b", B)
    if kw.get("dedup"):
        with pytest.raises(UsageError, match="cannot be combined with --events"):
            dw.dyad(A, b, parquet=store["parquet"], **kw)
        return
    assert_same_series(dw.dyad(A, b, parquet=store["parquet"], **kw), dw.dyad(A, b, **kw))


@pytest.mark.spark
@pytest.mark.parametrize("case", list(CASES))
def test_dyad_engine_spark_equals_duckdb(dw, spark_backend, case):
    kw = dict(CASES[case])
    b = kw.pop("b", B)
    ref = dw.dyad(A, b, **kw)
    on_spark = dw.dyad(A, b, engine="spark", **kw)
    assert_same_series(on_spark, ref)
    assert ref["events"].sum() > 0
    if case == "year-directed-events":  # 2014 from the events now, 2013 still from the counts
        both_2014 = ref[ref.period == "2014"]["events"].sum()
        assert both_2014 == _events_of(dw, 2014) > 0
        assert set(ref[ref.period == "2013"]["datasets"]) == {"hand-counts"}
    if case == "year-dataset-root":  # roots: no counts; only icews18 events
        assert ref["events"].sum() == dw.con.execute(
            "SELECT count(*) FROM events WHERE dataset = 'icews18' AND cameo_root IN ('01','04','05') AND "
            "((src_country = ? AND tgt_country = ?) OR (src_country = ? AND tgt_country = ?))",
            [A, B, B, A]).fetchall()[0][0]


@pytest.mark.spark
def test_dyad_engine_spark_from_events_parquet(dw, store, spark_backend):
    """`--events PATH` on Spark: the Parquet's events, the store's dyad_counts."""
    kw = dict(freq="year", directed=True, datasets=["icews", "icews18", "icews14", "hand-counts"])
    assert_same_series(dw.dyad(A, B, engine="spark", parquet=store["parquet"], **kw), dw.dyad(A, B, **kw))


@pytest.mark.spark
def test_cli_dyad_engine_spark_json(store, spark_backend, capsys):
    args = ["dyad", A, B, "--format", "json", "--db", str(store["db"]), "--from", "2013", "--to", "2018"]
    assert main(args) == 0
    ref = json.loads(capsys.readouterr().out)
    assert main(args + ["--engine", "spark"]) == 0
    out = capsys.readouterr()
    rows = json.loads(out.out)
    assert [r["period"] for r in rows] == [str(y) for y in range(2013, 2019)]
    assert len(rows) == len(ref)
    for r, q in zip(rows, ref):
        assert {k: v for k, v in r.items() if k not in ("goldstein_sum", "goldstein_mean", "net_coop")} == \
               {k: v for k, v in q.items() if k not in ("goldstein_sum", "goldstein_mean", "net_coop")}
        for k in ("goldstein_sum", "goldstein_mean", "net_coop"):
            assert (r[k] is None) == (q[k] is None) and (r[k] is None or r[k] == pytest.approx(q[k], rel=1e-12))
    assert rows[-1]["datasets"] == "icews,icews18" and rows[-1]["goldstein_mean"] is not None


@pytest.mark.parametrize("extra,message", [
    (["--engine", "flink"], "unknown engine 'flink'"),
    (["--master", "local[1]"], "needs --engine spark"),
    (["--dedup", "--events", "EVENTS"], "cannot be combined with --events"),
    (["--engine", "spark", "--master", "spark://node1:7077"], "workers cannot read the store's events"),
])
def test_cli_dyad_engine_usage_errors(store, capsys, extra, message):
    extra = [str(store["parquet"]) if x == "EVENTS" else x for x in extra]
    assert main(["dyad", A, B, "--db", str(store["db"]), *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_dyad_events_unknown_dataset(store, capsys):
    """A dataset in neither the store nor the Parquet is a usage error naming what is held."""
    rc = main(["dyad", A, B, "--db", str(store["db"]), "--events", str(store["parquet"]), "--dataset", "acled"])
    assert rc == 2
    assert "'acled' is not in the store" in capsys.readouterr().err


@pytest.mark.spark
@pytest.mark.parametrize("layout,reason", [("missing", "no such file or directory"),
                                           ("file", "not a Parquet file"),
                                           ("directory", "part-0.parquet is not a Parquet file")])
def test_cli_dyad_engine_spark_bad_events_file(store, spark_backend, tmp_path, capfd, layout, reason):
    """A missing or non-Parquet --events path: one line naming it, exit 3, no Python traceback.

    (The JVM, started before this test, writes to its own stderr, so whether
    Spark logs a Java stack trace is not visible here; checked by hand.)"""
    path = tmp_path / "events.parquet"
    if layout == "file":
        path.write_bytes(b"event_id,dataset\n1,x\n")
    elif layout == "directory":  # found only when Spark reads the directory's files
        path.mkdir()
        (path / "part-0.parquet").write_bytes(b"event_id,dataset\n1,x\n")
    rc = main(["dyad", A, B, "--db", str(store["db"]), "--engine", "spark", "--events", str(path)])
    err = capfd.readouterr().err
    assert rc == 3 and reason in err and str(path) in err
    assert "Traceback" not in err
