"""Long lines and long fields in the readers built on Python's csv module
(``sources.alignment_support.csv_records``: unvotes roll calls and issues,
ucdp-acd, unsc-vetoes).

A line over ``MAX_LINE_BYTES`` (16 MiB, the DuckDB readers' ``max_line_size``)
is one reject with DuckDB's reason and the rest of the file is read; a field
between Python's old csv limit (131,072 characters) and the bound is read
whole; the long line is never held whole in memory.
"""

from __future__ import annotations

import tracemalloc

import pytest

from dyadwatch.api import Dyadwatch
from dyadwatch.sources.alignment_support import LINE_SIZE_REASON, csv_records
from dyadwatch.sources.delimited import MAX_LINE_BYTES

ROLL_CALL_HEADER = "rcid,session,importantvote,date,unres,amend,para,short,descr"


def _roll_call(rcid: int, descr: str = "a resolution") -> str:
    return f"{rcid},69,0,2014-12-18,R/69/{rcid},0,0,short,{descr}"


def test_csv_records_line_at_the_bound_is_read_one_byte_more_is_rejected(tmp_path):
    # "é" is two bytes in UTF-8: the bound is counted in bytes, not characters
    prefix = "1,"
    at_bound = prefix + "é" * ((MAX_LINE_BYTES - len(prefix)) // 2)
    assert len(at_bound.encode()) == MAX_LINE_BYTES
    over = prefix + "x" + "é" * ((MAX_LINE_BYTES - len(prefix)) // 2)
    assert len(over.encode()) == MAX_LINE_BYTES + 1
    p = tmp_path / "bound.csv"
    p.write_text("\n".join(["id,text", at_bound, over, "2,after"]) + "\n", encoding="utf-8")
    got = [(line, row) for line, row, _ in csv_records(p)]
    assert [line for line, _ in got] == [2, 3, 4]
    assert got[0][1] == {"id": "1", "text": at_bound[len(prefix):]}
    assert got[1][1] == {"__bad__": LINE_SIZE_REASON}
    assert got[2][1] == {"id": "2", "text": "after"}


def test_csv_records_long_line_inside_a_quoted_field_is_one_reject_from_the_record_start(tmp_path):
    p = tmp_path / "quoted.csv"
    body = "\n".join(["id,text", '1,"starts here', "x" * (MAX_LINE_BYTES + 5), 'ends here"', "2,after"]) + "\n"
    p.write_text(body, encoding="utf-8")
    got = [(line, row) for line, row, _ in csv_records(p)]
    # line 2 opens the record, line 3 is too long: one reject at 2; the rest of the quoted
    # field (line 4) is read as a record of its own (one field); line 5 keeps its number
    assert got[0] == (2, {"__bad__": LINE_SIZE_REASON + " (line 3 of the record)"})
    assert got[1][0] == 4 and "__bad__" in got[1][1]
    assert got[2] == (5, {"id": "2", "text": "after"})


def test_csv_records_long_line_memory_stays_under_the_bound(tmp_path):
    p = tmp_path / "big.csv"
    with open(p, "wb") as fh:
        fh.write(b"id,text\n1,a\n")
        fh.write(b"x" * (50 * 1024 * 1024) + b"\n")
        fh.write(b"2,b\n")
    tracemalloc.start()
    try:
        got = [(line, row) for line, row, _ in csv_records(p)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got == [(2, {"id": "1", "text": "a"}), (3, {"__bad__": LINE_SIZE_REASON}), (4, {"id": "2", "text": "b"})]
    # about two bounds' worth is held (readline joins its pieces once): 33 MiB measured;
    # reading the 50 MiB line whole (plain readline) peaks at 100 MiB
    assert peak < 3 * MAX_LINE_BYTES, peak / 2**20


@pytest.mark.parametrize("n_chars", [131_073, 1_000_000])
def test_unvotes_roll_call_field_over_the_old_csv_limit_is_stored_whole(tmp_path, n_chars):
    descr = "d" * n_chars
    p = tmp_path / "un_roll_calls.csv"
    p.write_text("\n".join([ROLL_CALL_HEADER, _roll_call(1), _roll_call(2, descr), _roll_call(3)]) + "\n")
    with Dyadwatch(tmp_path / "s.duckdb") as dw:
        (summary,) = dw.ingest([p], format="unvotes")
        stored = dw.con.execute("SELECT rcid, length(descr) FROM un_roll_calls ORDER BY rcid").fetchall()
        n_rejects = dw.con.execute("SELECT count(*) FROM rejects").fetchall()[0][0]
    assert stored == [(1, 12), (2, n_chars), (3, 12)]
    assert n_rejects == 0 and summary.rows_rejected == 0
