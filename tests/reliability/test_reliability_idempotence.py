"""Issue 8, part 3: ingest order does not matter, and ingesting twice changes nothing (hypothesis).

Files are small GDELT 1.0 exports whose rows are drawn from a pool of event
ids; an id always has the same content (as GDELT ids do), some ids are
invalid rows (rejected), and ids repeat within and across files.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.store.db import ensure_schema
from dyadwatch.store.ingest import ingest_file
from tests.reliability.corpus import gdelt_row
from dyadwatch.sources.gdelt import GDELT1_COLUMNS

COLS = ("event_id, dataset, native_id, event_date, src_code, src_country, tgt_code, tgt_country, cameo_code, "
        "cameo_root, quad_class, goldstein, plover_type, loc_country, lat, lon, mentions, source_url")
_CODES = ("010", "042", "0231", "190", "10", "999")  # "10" lost its zero (-> 010); "999" is no code: reject


def _line(eid: int) -> str:
    """The one content of event ``eid`` (a function of the id)."""
    date = "20150230" if eid % 7 == 0 else f"2015{1 + eid % 12:02d}{1 + eid % 28:02d}"  # every 7th: reject
    return gdelt_row(GDELT1_COLUMNS, eid, date=date, code=_CODES[eid % len(_CODES)],
                     goldstein=str((eid % 21) - 10))


files = st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=25)


def _write(d: Path, name: str, ids: list[int]) -> Path:
    p = d / f"{name}.export.CSV"
    p.write_text("".join(_line(i) + "\n" for i in ids), encoding="utf-8")
    return p


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    return con


def _events(con) -> list[tuple]:
    return con.execute(f"SELECT {COLS} FROM events ORDER BY event_id").fetchall()


SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(a=files, b=files)
def test_reliability_ingest_order_and_union_give_the_same_store(a, b):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        fa, fb, fab = _write(d, "a", a), _write(d, "b", b), _write(d, "ab", a + b)
        ab, ba, union = _store(), _store(), _store()
        for f in (fa, fb):
            ingest_file(ab, f)
        for f in (fb, fa):
            ingest_file(ba, f)
        ingest_file(union, fab)
        got = _events(ab)
        assert got == _events(ba) == _events(union)
        # and equal to what the ids say, computed without dyadwatch: valid ids, each once
        valid = sorted({i for i in a + b if i % 7 != 0 and _CODES[i % len(_CODES)] != "999"})
        assert [r[0] for r in got] == sorted(f"gdelt1:{i}" for i in valid)


@SETTINGS
@given(a=files, b=files)
def test_reliability_ingest_twice_changes_nothing(a, b):
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        fa = _write(d, "a", a)
        con = _store()
        ingest_file(con, _write(d, "b", b))
        first = ingest_file(con, fa)

        def snapshot():
            return (_events(con),
                    con.execute("SELECT batch_id, line, reason FROM rejects ORDER BY ALL").fetchall(),
                    con.execute("SELECT count(*) FROM ingest_batches").fetchall())

        before = snapshot()
        again = ingest_file(con, fa)                       # the same file
        renamed = _write(d, "a_copy", a)                   # the same bytes under another name
        again2 = ingest_file(con, renamed)
        assert again.skipped and again2.skipped and again.batch_id == first.batch_id
        assert snapshot() == before
        # the same rows in a new file (another sha256): a new batch that stores nothing new
        shuffled = _write(d, "a_reversed", list(reversed(a)) + [a[0]])
        s = ingest_file(con, shuffled)
        assert s.rows_stored == 0
        assert _events(con) == before[0]


def test_reliability_conflicting_versions_kept_whatever_the_order(tmp_path):
    """One id with two different contents (an ICEWS trait): the version that sorts first
    (the earliest date) is kept in either order, and the other is a reject (issue 14 item 6;
    was: the version stored first won)."""
    one = tmp_path / "one.export.CSV"
    two = tmp_path / "two.export.CSV"
    one.write_text(gdelt_row(GDELT1_COLUMNS, 77, date="20150101") + "\n", encoding="utf-8")
    two.write_text(gdelt_row(GDELT1_COLUMNS, 77, date="20150202") + "\n", encoding="utf-8")
    for order, second in (((one, two), (0, 1, 0)), ((two, one), (1, 0, 1))):
        con = _store()
        s1, s2 = (ingest_file(con, f) for f in order)
        assert s1.rows_stored == 1 and (s2.rows_stored, s2.rows_rejected, s2.rows_replaced) == second
        assert str(con.execute("SELECT event_date FROM events").fetchall()[0][0]) == "2015-01-01"
        [why] = [r[0] for r in con.execute("SELECT reason FROM rejects").fetchall()]
        assert "2015-02-02" in why and "2015-01-01" in why
