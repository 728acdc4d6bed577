"""store.layout.optimize and the `optimize` / `counts` commands, on a small store built in code."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pyarrow as pa
import pytest

from dyadwatch.cli import main
from dyadwatch.errors import UsageError
from dyadwatch.store import db, layout

COUNTRIES = ["IRN", "RUS", "SYR", "USA", "TUR", "CHN", None]


@pytest.fixture
def store(db_path):
    """30,000 events in random order: countries, dates and QuadClasses from a seeded generator."""
    rnd = random.Random(11)
    rows = []
    for i in range(30_000):
        src, tgt = rnd.choice(COUNTRIES), rnd.choice(COUNTRIES)
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rnd.randrange(3650))
        qc = rnd.randint(1, 4)
        rows.append((f"t:{i}", "t", str(i), day, src, src, tgt, tgt, qc, float(rnd.randint(-100, 100)) / 10))
    con = duckdb.connect(str(db_path))
    db.ensure_schema(con)
    names = ["event_id", "dataset", "native_id", "event_date", "src_code", "src_country", "tgt_code",
             "tgt_country", "quad_class", "goldstein"]
    rel = con.from_arrow(pa.Table.from_pylist([dict(zip(names, r)) for r in rows]))
    con.execute("INSERT INTO events BY NAME SELECT * FROM rel")
    yield con
    con.close()


def _fingerprint(con) -> tuple:
    return con.execute("SELECT count(*), sum(hash(event_id, event_date, src_country, tgt_country, quad_class, "
                       "goldstein)) FROM events").fetchall()[0]


def test_layout_optimize_keeps_every_row_and_sorts(store):
    before = _fingerprint(store)
    series_before = store.execute(
        "SELECT year(event_date), count(*), round(sum(goldstein), 6) FROM events WHERE src_country = 'IRN' "
        "AND tgt_country = 'RUS' GROUP BY 1 ORDER BY 1").fetchall()
    s = layout.optimize(store)
    assert s.rows == 30_000 and s.sort_key == layout.SORT_KEY
    assert _fingerprint(store) == before
    # physical order (rowid) follows the key: no row is smaller than the one before it
    unsorted = store.execute("""
        SELECT count(*) FROM (
          SELECT src_country, tgt_country, event_date,
                 lag(src_country) OVER w AS ps, lag(tgt_country) OVER w AS pt, lag(event_date) OVER w AS pd
          FROM events WINDOW w AS (ORDER BY rowid))
        WHERE ps IS NOT NULL AND (src_country IS NULL) = false AND
              ((src_country < ps) OR (src_country = ps AND tgt_country < pt)
               OR (src_country = ps AND tgt_country = pt AND event_date < pd))""").fetchall()[0][0]
    assert unsorted == 0
    assert store.execute(
        "SELECT year(event_date), count(*), round(sum(goldstein), 6) FROM events WHERE src_country = 'IRN' "
        "AND tgt_country = 'RUS' GROUP BY 1 ORDER BY 1").fetchall() == series_before
    assert layout.sort_key(store) == layout.SORT_KEY


def test_layout_optimize_rejects_unknown_column(store):
    with pytest.raises(UsageError, match="no such column"):
        layout.optimize(store, key=("src_country", "no_such_column"))
    assert _fingerprint(store)[0] == 30_000


def test_cli_optimize_and_counts(store, db_path, capsys, tmp_path):
    expected = store.execute(
        "SELECT count(*) FROM events WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL").fetchall()[0][0]
    irn_rus_2015 = store.execute(
        "SELECT count(*) FILTER (quad_class = 4) FROM events WHERE src_country = 'IRN' AND tgt_country = 'RUS' "
        "AND year(event_date) = 2015").fetchall()[0][0]
    store.close()
    assert main(["optimize", "--db", str(db_path)]) == 0
    out = tmp_path / "counts.csv"
    assert main(["counts", "--freq", "year", "--db", str(db_path), "--out", str(out)]) == 0
    import pandas as pd

    df = pd.read_csv(out)
    assert df["events"].sum() == expected
    row = df[(df.src_country == "IRN") & (df.tgt_country == "RUS") & (df.period_start.str.startswith("2015"))]
    assert int(row["material_conflict"].iloc[0]) == irn_rus_2015
    assert main(["counts", "--engine", "hadoop", "--db", str(db_path)]) == 2
    assert "unknown engine 'hadoop'" in capsys.readouterr().err
