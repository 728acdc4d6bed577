"""Issue 14, item 8: poisoned numbers are rejected row by row, and no command crashes on them.

Dyad-year counts near 9.2e18, years 99999 / -5, NaN and infinite counts,
fractional counts, event dates before 1800 or after next year (ICEWS
``0025-02-11``, ``2099-02-11``, GDELT ``00250606``), GDELT mention counts
that overflow or are negative: each such row is rejected with the value in
its reason (``dyadwatch.ranges``), the good rows of the file are stored, and
``dyad``, ``relation``, ``changes``, ``profile`` and ``report`` run for the
pair — also on a store that holds such rows from before these checks.
``dyad --events FILE.parquet`` checks the same ranges.
"""

from __future__ import annotations

import datetime as dt
import json
import math

import duckdb
import pytest

from dyadwatch.cli import main
from dyadwatch.sources.gdelt import GDELT1_COLUMNS
from tests.reliability.cli import assert_clean_stderr
from tests.reliability.corpus import ICEWS_HEADER, gdelt_row, icews_row

NEXT_YEAR = dt.date.today().year + 1
#: (verbCoop, year, expected reason or None) of the poisoned dyad-year rows, Iran -> Russia
DYAD_YEAR_ROWS = [
    (5, 2010, None),
    (9_200_000_000_000_000_000, 2011, r"implausible count: verbCoop 9200000000000000000 outside 0..1,000,000,000"),
    (1, 99999, r"implausible year: year 99999 outside 1800\.\.\d{4}"),
    (1, -5, r"implausible year: year -5 outside 1800\.\.\d{4}"),
    (math.nan, 2012, r"bad count: verbCoop nan is not a number"),
    (math.inf, 2013, r"bad count: verbCoop inf is not a number"),
    (2.5, 2014, r"bad count: verbCoop 2.5 is not a whole number"),
    (-1, 2015, r"bad count: verbCoop -1 is negative"),
    (7, 2016, None),
]


def _dyad_year_parquet(path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = len(DYAD_YEAR_ROWS)
    pq.write_table(pa.table({
        "i": ["Iran"] * n, "j": ["Russia"] * n, "year": pa.array([r[1] for r in DYAD_YEAR_ROWS], pa.int64()),
        "verbCoop": pa.array([float(r[0]) for r in DYAD_YEAR_ROWS], pa.float64()),
        "matlCoop": [1] * n, "verbConf": [0] * n, "matlConf": [2] * n,
        "i_iso3c": ["IRN"] * n, "j_iso3c": ["RUS"] * n}), path)


def _rejects(db) -> dict[int, str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("SELECT line, reason FROM rejects ORDER BY line").fetchall())
    finally:
        con.close()


def _queries_run(db, tmp_path, capsys) -> None:
    for args in (["dyad", "IRN", "RUS", "--format", "json"], ["relation", "IRN", "RUS"], ["changes", "IRN", "RUS"],
                 ["profile", "IRN", "RUS"], ["report", "IRN", "RUS", "--out", str(tmp_path / "r.html")]):
        rc = main([*args, "--db", str(db)])
        err = capsys.readouterr().err
        assert_clean_stderr(err)
        assert rc == 0, (args, err)


def test_reliability_poisoned_dyad_year_counts_rejected_per_row(tmp_path, capsys):
    import re

    f = tmp_path / "dyad_years.parquet"
    _dyad_year_parquet(f)
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(f), "--db", str(db), "-o", "json"]) == 0
    s = json.loads(capsys.readouterr().out)[0]
    bad = {k + 1: why for k, (_, _, why) in enumerate(DYAD_YEAR_ROWS) if why}
    assert (s["read"], s["stored"], s["rejected"]) == (len(DYAD_YEAR_ROWS), len(DYAD_YEAR_ROWS) - len(bad), len(bad))
    got = _rejects(db)
    assert sorted(got) == sorted(bad)
    for line, pattern in bad.items():
        assert re.fullmatch(pattern, got[line]), (line, got[line])
    _queries_run(db, tmp_path, capsys)
    assert main(["dyad", "IRN", "RUS", "--format", "json", "--directed", "--db", str(db)]) == 0
    rows = {r["period"]: r for r in json.loads(capsys.readouterr().out) if r["direction"] == "A->B"}
    assert (rows["2010"]["events"], rows["2016"]["events"]) == (5 + 1 + 2, 7 + 1 + 2)


def test_reliability_poisoned_event_dates_and_mentions(tmp_path, capsys):
    icews = tmp_path / "events.tab"
    icews.write_text("\n".join([ICEWS_HEADER, icews_row(1), icews_row(2, "0025-02-11"),
                                icews_row(3, f"{NEXT_YEAR + 72}-02-11"), icews_row(4, f"{NEXT_YEAR}-12-31")]) + "\n",
                     encoding="utf-8")
    cols = {c: i for i, c in enumerate(GDELT1_COLUMNS)}

    def gdelt(eid, date="20150930", mentions="4"):
        f = gdelt_row(GDELT1_COLUMNS, eid, date).split("\t")
        f[cols["NumMentions"]] = mentions
        return "\t".join(f)

    export = tmp_path / "20150930.export.CSV"
    export.write_text("\n".join([gdelt(1), gdelt(2, "00250606"), gdelt(3, mentions="99999999999"),
                                 gdelt(4, mentions="-3"), gdelt(5, mentions="")]) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(icews), str(export), "--db", str(db), "-o", "json"]) == 0
    summaries = {x["file"]: x for x in json.loads(capsys.readouterr().out)}
    assert summaries[str(icews)]["stored"] == 2 and summaries[str(export)]["stored"] == 2
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT b.format, r.line, r.reason FROM rejects r JOIN ingest_batches b USING (batch_id) "
                      "ORDER BY 1, 2").fetchall()
    mentions = con.execute("SELECT native_id, mentions FROM events WHERE dataset = 'gdelt1' ORDER BY 1").fetchall()
    con.close()
    assert [(f, line) for f, line, _ in got] == [("gdelt1", 2), ("gdelt1", 3), ("gdelt1", 4), ("icews", 3),
                                                 ("icews", 4)]
    reasons = [why for _, _, why in got]
    assert reasons[0] == f"implausible date: SQLDATE '00250606' outside 1800-01-01..{NEXT_YEAR}-12-31"
    assert reasons[1] == "bad count: NumMentions '99999999999' is not a count in 0..2147483647"
    assert reasons[2] == "bad count: NumMentions '-3' is not a count in 0..2147483647"
    assert reasons[3].startswith("implausible date: Event Date '0025-02-11' outside 1800-01-01..")
    assert reasons[4].startswith(f"implausible date: Event Date '{NEXT_YEAR + 72}-02-11'")
    assert mentions == [("1", 4), ("5", None)]  # an empty NumMentions stays missing, not zero


def test_reliability_poisoned_rows_of_an_old_store_do_not_crash_queries(tmp_path, capsys):
    """A store filled before the checks may hold such rows: the queries leave them out, never crash."""
    src = tmp_path / "events.tab"
    src.write_text("\n".join([ICEWS_HEADER, icews_row(1), icews_row(2, "2016-03-01")]) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO dyad_counts VALUES ('old', 'IRN', 'RUS', 2011, 9200000000000000000, 1, 0, 0, "
                "'Iran', 'Russia', 99), ('old', 'RUS', 'IRN', 2011, 9200000000000000000, 0, 0, 0, 'Russia', 'Iran', 99),"
                " ('old', 'IRN', 'RUS', 99999, 1, 1, 1, 1, 'Iran', 'Russia', 99), "
                "('old', 'IRN', 'RUS', -5, 1, 1, 1, 1, 'Iran', 'Russia', 99), "
                "('old', 'IRN', 'RUS', 2014, 3, 0, 0, 0, 'Iran', 'Russia', 99)")
    con.close()
    capsys.readouterr()
    _queries_run(db, tmp_path, capsys)
    assert main(["dyad", "IRN", "RUS", "--format", "json", "--db", str(db)]) == 0
    rows = {r["period"]: r["events"] for r in json.loads(capsys.readouterr().out)}
    assert rows["2014"] == 3 and rows.get("2011", 0) == 0 and "99999" not in rows


@pytest.mark.parametrize("column, value, words", [
    ("goldstein", float("inf"), "goldstein inf not in [-10, 10]"),
    ("event_date", dt.date(25, 2, 11), "implausible date: event_date 0025-02-11"),
    ("quad_class", 7, "quad_class 7 not in 1..4"),
])
def test_reliability_poisoned_events_parquet_refused_with_row(tmp_path, capsys, column, value, words):
    src = tmp_path / "events.tab"
    src.write_text("\n".join([ICEWS_HEADER, *(icews_row(i) for i in range(1, 5))]) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    parquet = tmp_path / "events.parquet"
    con = duckdb.connect(str(db))
    con.execute(f"COPY (SELECT * REPLACE (CASE WHEN native_id = '3' THEN ?::{'DATE' if column == 'event_date' else 'DOUBLE' if column == 'goldstein' else 'TINYINT'} ELSE {column} END AS {column}) FROM events ORDER BY event_id) TO '{parquet}' (FORMAT parquet)", [value])
    con.close()
    capsys.readouterr()
    rc = main(["dyad", "IRN", "RUS", "--events", str(parquet), "--format", "json", "--db", str(db)])
    err = capsys.readouterr().err
    assert_clean_stderr(err)
    assert rc == 3, err
    assert f"{parquet}: row 3: {words}" in err and "1 rows of the events Parquet" in err
