"""Issue 14, item 6: conflicting duplicates are settled by content, not by file order.

The same ICEWS event id with two different dates: which one was kept depended
on the order of the files (and of the lines), and the other was recorded
nowhere. Now the row that sorts first by its columns (for events: the
earliest date) is kept whatever the order, the other is a ``rejects`` row
naming both values, and exact re-deliveries stay silent (counted as already
stored). Checked through the CLI in both orders, for ICEWS (staged path) and
GDELT (the fast path hands a conflict to the exact path).
"""

from __future__ import annotations

import json

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, run
from tests.reliability.corpus import ICEWS_HEADER, icews_row
from tests.reliability.gdeltgen import write_gdelt1


def _events(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT * EXCLUDE (batch_id) FROM events ORDER BY event_id").fetchall()
    finally:
        con.close()


def _rejects(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT b.source_path, r.line, r.reason FROM rejects r JOIN ingest_batches b "
                           "USING (batch_id) ORDER BY r.reason").fetchall()
    finally:
        con.close()


def _ingest(db, *paths, fmt):
    proc = run("ingest", *map(str, paths), "--format", fmt, "--db", str(db), "-o", "json")
    assert_clean_stderr(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    return {s["file"]: s for s in json.loads(proc.stdout)}, proc.stderr


def test_reliability_conflicts_icews_same_rows_in_either_file_order(tmp_path):
    # A: ids 1-4; B: 3 (identical: a re-delivery), 4 (another date: a conflict), 5, 6
    a, b = tmp_path / "a.tab", tmp_path / "b.tab"
    a.write_text("\n".join([ICEWS_HEADER, icews_row(1), icews_row(2), icews_row(3), icews_row(4, "2015-11-25")])
                 + "\n", encoding="utf-8")
    b.write_text("\n".join([ICEWS_HEADER, icews_row(5), icews_row(3), icews_row(4, "2015-11-23"), icews_row(6)])
                 + "\n", encoding="utf-8")
    ab, ba = tmp_path / "ab.duckdb", tmp_path / "ba.duckdb"
    s_ab, err_ab = _ingest(ab, a, b, fmt="icews")
    s_ba, err_ba = _ingest(ba, b, a, fmt="icews")
    assert _events(ab) == _events(ba)
    kept = {r[0]: r[3] for r in _events(ab)}
    assert len(kept) == 6 and str(kept["icews:4"]) == "2015-11-23"  # the earliest date, in both orders
    # A then B: B's line 4 replaces A's row (reject under A's batch, no line); B then A: A's line 5 rejected
    assert (s_ab[str(b)]["already_stored"], s_ab[str(b)]["stored"], s_ab[str(b)]["rejected"]) == (1, 3, 0)
    assert "1 stored rows of earlier batches replaced" in err_ab
    assert (s_ba[str(a)]["already_stored"], s_ba[str(a)]["stored"], s_ba[str(a)]["rejected"]) == (1, 2, 1)
    [(path_ab, line_ab, why_ab)] = _rejects(ab)
    [(path_ba, line_ba, why_ba)] = _rejects(ba)
    assert (path_ab, line_ab) == (str(a.resolve()), None) and (path_ba, line_ba) == (str(a.resolve()), 5)
    for why in (why_ab, why_ba):  # both values, and the id
        assert "event_id=icews:4" in why and "2015-11-25" in why and "2015-11-23" in why, why
    # the batches' counts follow: read = stored + rejected + already stored, and rows_stored is what is there
    for db in (ab, ba):
        con = duckdb.connect(str(db), read_only=True)
        for bid, read, stored, rejected, dup in con.execute(
                "SELECT batch_id, rows_read, rows_stored, rows_rejected, rows_duplicate FROM ingest_batches").fetchall():
            assert read == stored + rejected + dup
            assert stored == con.execute("SELECT count(*) FROM events WHERE batch_id = ?", [bid]).fetchall()[0][0]
            assert stored == con.execute("SELECT count(*) FROM event_evidence e JOIN events v USING (event_id) "
                                         "WHERE v.batch_id = ?", [bid]).fetchall()[0][0]
        con.close()


def test_reliability_conflicts_within_a_file_independent_of_line_order(tmp_path):
    rows = [icews_row(1), icews_row(7, "2016-01-02"), icews_row(7, "2016-01-01"), icews_row(7, "2016-01-01")]
    f1, f2 = tmp_path / "f1.tab", tmp_path / "f2.tab"
    f1.write_text("\n".join([ICEWS_HEADER, *rows]) + "\n", encoding="utf-8")
    f2.write_text("\n".join([ICEWS_HEADER, *reversed(rows)]) + "\n", encoding="utf-8")
    d1, d2 = tmp_path / "1.duckdb", tmp_path / "2.duckdb"
    _ingest(d1, f1, fmt="icews")
    _ingest(d2, f2, fmt="icews")
    assert _events(d1) == _events(d2)
    assert [str(r[3]) for r in _events(d1) if r[0] == "icews:7"] == ["2016-01-01"]
    r1 = {line: why for _, line, why in _rejects(d1)}
    # f1: line 3 (2016-01-02) conflicts with line 4, which is kept; line 5 is identical to line 4
    assert sorted(r1) == [3, 5]
    assert r1[3].startswith("conflicting duplicate key in file (event_id=icews:7): line 4 kept")
    assert "event_date 2016-01-02 here, 2016-01-01 kept" in r1[3]
    assert r1[5].startswith("duplicate key in file (event_id=icews:7); identical to line 4")


def test_reliability_conflicts_gdelt_fast_path_hands_conflicts_to_the_exact_path(tmp_path):
    a, b = tmp_path / "20150101.export.CSV", tmp_path / "20150102.export.CSV"
    write_gdelt1(a, 300, 1, seed=1)
    write_gdelt1(b, 300, 201, seed=2)  # ids 201-300 in both, other content (clean files: the fast path)
    ab, ba = tmp_path / "ab.duckdb", tmp_path / "ba.duckdb"
    _ingest(ab, a, b, fmt="gdelt1")
    _ingest(ba, b, a, fmt="gdelt1")
    assert _events(ab) == _events(ba) and len(_events(ab)) == 500
    rej = _rejects(ab)
    assert len(rej) == 100 and all("event_id=gdelt1:" in why for _, _, why in rej)
    # the rejects of the second file have their line (the exact path numbered them)
    second = [line for path, line, _ in rej if path == str(b.resolve())]
    assert all(line is not None and 1 <= line <= 100 for line in second)
