"""GDELT raw exports: the fast path (clean files, no line numbers) stores exactly
what the exact, line-numbered path stores, and every dirty file takes the exact path."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from dyadwatch.sources import gdelt
from dyadwatch.sources.delimited import probe_clean
from dyadwatch.store.ingest import ingest_file
from tests.reliability.gdeltgen import write_gdelt1
from tests.sources.conftest import open_store, rejects

COLS = "* EXCLUDE (batch_id)"


def _events(con) -> list[tuple]:
    return con.execute(f"SELECT {COLS} FROM events ORDER BY event_id").fetchall()


def _summary(s) -> tuple:
    return (s.rows_read, s.rows_stored, s.rows_rejected, s.rows_duplicate)


def _exact_path(monkeypatch) -> None:
    monkeypatch.setattr(gdelt.GdeltReader, "_read_clean", lambda self, con, sink, plain: False)


def _clean_real_export(shared_data: Path, out: Path) -> int:
    """The real GDELT 1.0 sample as a raw export (58 tab-separated fields), keeping only
    rows that no rule rejects (valid date, QuadClass 1-4, Goldstein in range, a CAMEO
    code written with its leading zero) and the first row of each event id."""
    with open(shared_data / "events" / "gdelt" / "gdelt1_events_sample.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, recs = rows[0], rows[1:]
    seen, keep = set(), []
    for r in recs:
        rec = dict(zip(header, r))
        try:
            dt.datetime.strptime(rec["SQLDATE"], "%Y%m%d")
            ok = -10 <= float(rec["GoldsteinScale"]) <= 10
        except ValueError:
            ok = False
        ok = ok and rec["QuadClass"] in {"1", "2", "3", "4"} and len(rec["EventCode"]) >= 3 \
            and rec["EventCode"].isdigit() and rec["GLOBALEVENTID"] not in seen
        if ok:
            seen.add(rec["GLOBALEVENTID"])
            keep.append(r[:58])
    out.write_text("".join("\t".join(r) + "\n" for r in keep), encoding="utf-8")
    return len(keep)


def test_gdelt_fast_path_stores_what_the_exact_path_stores(tmp_path, shared_data, monkeypatch, paths_taken):
    real = tmp_path / "20150101.export.CSV"
    n_real = _clean_real_export(shared_data, real)
    synth = tmp_path / "20150102.export.CSV"
    n_synth = write_gdelt1(synth, 3000, 10**9, seed=7)
    assert n_real >= 40 and n_synth == 3000
    fast = open_store(tmp_path / "fast.duckdb")
    got_fast = [_summary(ingest_file(fast, f, format="gdelt1")) for f in (real, synth)]
    assert paths_taken == [True, True]
    _exact_path(monkeypatch)
    exact = open_store(tmp_path / "exact.duckdb")
    got_exact = [_summary(ingest_file(exact, f, format="gdelt1")) for f in (real, synth)]
    assert got_fast == got_exact == [(n_real, n_real, 0, 0), (3000, 3000, 0, 0)]
    rows = _events(fast)
    assert len(rows) == n_real + 3000 and rows == _events(exact)
    # the mapping really ran: countries and CAMEO roots are filled where the raw codes say so
    assert fast.execute("SELECT count(*) FROM events WHERE cameo_root IS NULL OR quad_class IS NULL").fetchall() \
        == [(0,)]


def test_gdelt_fast_path_counts_rows_already_stored(tmp_path, paths_taken):
    a, b = tmp_path / "20150101.export.CSV", tmp_path / "20150102.export.CSV"
    write_gdelt1(a, 400, 1, seed=1)
    write_gdelt1(b, 400, 201, seed=1)  # ids 201..600: 200 of them are in a, the same rows (a re-delivery)
    con = open_store(tmp_path / "s.duckdb")
    assert _summary(ingest_file(con, a, format="gdelt1")) == (400, 400, 0, 0)
    assert _summary(ingest_file(con, b, format="gdelt1")) == (400, 200, 0, 200)
    assert paths_taken == [True, True]
    ids = [r[0] for r in con.execute("SELECT native_id::BIGINT FROM events ORDER BY 1").fetchall()]
    assert ids == list(range(1, 601))
    # stored once each, and the rows of a kept their batch
    assert con.execute("SELECT count(DISTINCT batch_id) FROM events WHERE native_id::BIGINT <= 200").fetchall() \
        == [(1,)]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _dirty(kind: str, path: Path) -> tuple[int, str]:
    """Spoil line 5 of a clean 20-row export; returns (line, words of its reject reason)."""
    lines = _lines(path)
    f = lines[4].split("\t")
    if kind == "bad date":
        f[1] = "20150230"
        reason = "SQLDATE '20150230'"
    elif kind == "repeated id":
        f[0] = lines[1].split("\t")[0]
        reason = "duplicate key in file"
    elif kind == "wrong field count":
        f = f[:57]
        reason = "found 57"
    elif kind == "NUL byte":
        f[6] = "IR\0N"
        reason = "NUL byte"
    elif kind == "not a CAMEO code":
        f[26] = "999"
        reason = "EventCode '999'"
    elif kind == "line over 2 MB":
        f[57] = "https://example.org/" + "x" * 2_500_000
        reason = None
    lines[4] = "\t".join(f)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 5, reason


@pytest.mark.parametrize("kind", ["bad date", "repeated id", "wrong field count", "NUL byte", "not a CAMEO code",
                                  "line over 2 MB"])
def test_gdelt_dirty_export_takes_the_exact_path(tmp_path, kind, paths_taken):
    path = tmp_path / "20150101.export.CSV"
    write_gdelt1(path, 20, 1)
    line, reason = _dirty(kind, path)
    con = open_store(tmp_path / "s.duckdb")
    s = ingest_file(con, path, format="gdelt1")
    assert paths_taken == [False]
    if reason is None:  # a long but well-formed line: stored by the exact path (its limit is 16 MiB)
        assert _summary(s) == (20, 20, 0, 0)
        assert probe_clean(con, path) is None
        return
    assert _summary(s) == (20, 19, 1, 0)
    [(got_line, got_reason)] = rejects(con, s.batch_id)
    assert got_line == line and reason in got_reason


def test_gdelt_fast_path_lost_leading_zero_is_restored_by_the_exact_path(tmp_path, paths_taken):
    path = tmp_path / "20150101.export.CSV"
    write_gdelt1(path, 20, 1)
    lines = _lines(path)
    f = lines[2].split("\t")
    f[26], f[27], f[28] = "10", "10", "1"  # '010' written without its zero
    lines[2] = "\t".join(f)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = open_store(tmp_path / "s.duckdb")
    assert _summary(ingest_file(con, path, format="gdelt1")) == (20, 20, 0, 0)
    assert paths_taken == [False]
    assert con.execute("SELECT cameo_code, cameo_root FROM events WHERE native_id = '3'").fetchall() \
        == [("010", "01")]
    codes = Counter(r[0] for r in con.execute("SELECT cameo_code FROM events").fetchall())
    assert all(len(c) >= 3 for c in codes)
