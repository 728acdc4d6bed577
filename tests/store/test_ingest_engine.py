"""The ingest engine: batches, idempotence, rejects, all-or-nothing."""

from __future__ import annotations

import pytest

from dyadwatch.api import Dyadwatch
from dyadwatch.errors import FormatNotRecognisedError, InputError
from tests.store.toy_reader import TOY, write_toy

ROWS = [
    (1, "2015-09-30", "RUS", "SYR", "190", 4, -10.0),
    (2, "2015-09-30", "IRN", "RUS", "040", 1, 1.0),
    (3, "2015-10-01", "RUS", "IRN", "057", 1, 8.0),
]


def _count(dw, table="events"):
    return dw.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]


def test_ingest_engine_stores_rows_and_batch(db_path, tmp_path):
    f = write_toy(tmp_path / "a.csv", ROWS)
    with Dyadwatch(db_path) as dw:
        [s] = dw.ingest([f])
        assert (s.rows_read, s.rows_stored, s.rows_rejected, s.format) == (3, 3, 0, "toy")
        assert _count(dw) == 3
        b = dw.con.execute("SELECT format, rows_read, rows_stored, sha256 FROM ingest_batches").fetchall()
        assert b[0][:3] == ("toy", 3, 3) and len(b[0][3]) == 64
        got = dw.con.execute("SELECT event_id, batch_id FROM events ORDER BY event_id").fetchall()
        assert [g[0] for g in got] == ["toy:1", "toy:2", "toy:3"] and {g[1] for g in got} == {s.batch_id}


def test_ingest_engine_reingest_adds_nothing(db_path, tmp_path):
    f = write_toy(tmp_path / "a.csv", ROWS)
    with Dyadwatch(db_path) as dw:
        dw.ingest([f])
        [again] = dw.ingest([f])
        assert again.skipped and "already stored" in again.message
        assert _count(dw) == 3 and _count(dw, "ingest_batches") == 1


def test_ingest_engine_overlapping_file_stores_only_new_rows(db_path, tmp_path):
    a = write_toy(tmp_path / "a.csv", ROWS)
    b = write_toy(tmp_path / "b.csv", ROWS[1:] + [(4, "2016-01-01", "IRN", "RUS", "036", 1, 4.0)])
    with Dyadwatch(db_path) as dw:
        dw.ingest([a])
        [s] = dw.ingest([b])
        assert (s.rows_read, s.rows_stored, s.rows_duplicate) == (3, 1, 2)
        assert _count(dw) == 4


def test_ingest_engine_rejects_bad_lines_and_duplicate_keys(db_path, tmp_path):
    f = tmp_path / "bad.csv"
    write_toy(f, ROWS)
    with open(f, "a", encoding="utf-8") as fh:
        fh.write("9,2015-01-01,RUS\n")                         # line 5: too few columns
        fh.write("1,2015-12-31,RUS,SYR,190,4,-10.0\n")        # line 6: id 1 again, other date
    with Dyadwatch(db_path) as dw:
        [s] = dw.ingest([f])
        assert (s.rows_read, s.rows_stored, s.rows_rejected) == (5, 3, 2)
        rej = dw.con.execute("SELECT line, reason FROM rejects ORDER BY line").fetchall()
        assert rej[0][0] == 5 and "expected 7 columns, found 3" in rej[0][1]
        assert rej[1][0] == 6 and rej[1][1].startswith("conflicting duplicate key in file (event_id=toy:1)")
        assert "event_date 2015-12-31 here, 2015-09-30 kept" in rej[1][1]
        # the first occurrence (line 2) is the one kept
        assert dw.con.execute("SELECT event_date::VARCHAR FROM events WHERE event_id='toy:1'").fetchall() == [
            ("2015-09-30",)]


def test_ingest_engine_failure_leaves_store_unchanged(db_path, tmp_path):
    good = write_toy(tmp_path / "good.csv", ROWS)
    bad = write_toy(tmp_path / "crash.csv", [(10 + i, "2016-01-01", "IRN", "RUS", "036", 1, 4.0) for i in range(5)])
    with Dyadwatch(db_path) as dw:
        dw.ingest([good])
        TOY.fail_after = 4
        try:
            with pytest.raises(RuntimeError):
                dw.ingest([bad])
        finally:
            TOY.fail_after = None
        assert _count(dw) == 3 and _count(dw, "ingest_batches") == 1 and _count(dw, "rejects") == 0
        [s] = dw.ingest([bad])  # the same file loads cleanly afterwards
        assert s.rows_stored == 5 and _count(dw) == 8


@pytest.mark.parametrize("content,reason", [
    (None, "file not found"),
    (b"", "file is empty"),
    (b"hello,world\n1,2\n", "format not recognised"),
])
def test_ingest_engine_bad_files_one_line_errors(db_path, tmp_path, content, reason):
    f = tmp_path / "x.csv"
    if content is not None:
        f.write_bytes(content)
    with Dyadwatch(db_path) as dw:
        with pytest.raises((InputError, FormatNotRecognisedError)) as ei:
            dw.ingest([f])
        msg = ei.value.one_line()
        assert reason in msg and str(f) in msg and "\n" not in msg
        assert _count(dw) == 0


def test_ingest_engine_truncated_gzip(db_path, tmp_path):
    import gzip

    raw = gzip.compress(("\n".join(["id,date,src,tgt,code,quad,gold"] + ["1,2015-01-01,RUS,IRN,040,1,1.0"] * 5000))
                        .encode())
    f = tmp_path / "t.csv.gz"
    f.write_bytes(raw[: len(raw) // 2])
    with Dyadwatch(db_path) as dw:
        with pytest.raises(InputError) as ei:
            dw.ingest([f], format="auto")
        assert "truncated" in ei.value.one_line() or "corrupt" in ei.value.one_line()
