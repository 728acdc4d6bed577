"""GDELT 1.0 historical backfiles (1979 - March 2013): 57 tab-separated fields, the
daily export's fields without SOURCEURL (``DATEADDED`` last). Read by ``gdelt1``
as the 58-field form with an empty SOURCEURL would be, on both paths."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from dyadwatch.sources import formats, gdelt
from dyadwatch.sources.gdelt import GDELT1_BACKFILE_COLUMNS, GDELT1_COLUMNS
from dyadwatch.sources.io import read_head
from dyadwatch.store.ingest import ingest_file
from tests.reliability.gdeltgen import write_gdelt1
from tests.sources.conftest import open_store, rejects

IDX = {c: i for i, c in enumerate(GDELT1_COLUMNS)}
N_ROWS = 300


def _summary(s) -> tuple:
    return (s.rows_read, s.rows_stored, s.rows_rejected, s.rows_duplicate)


def _events(con) -> list[tuple]:
    return con.execute("SELECT * EXCLUDE (batch_id) FROM events ORDER BY event_id").fetchall()


def _backfile_rows(tmp_path: Path, bad_every: int = 0) -> list[list[str]]:
    """58-field rows of backfile-era events (1979 dates, sectors, empty fields),
    SOURCEURL empty as a backfile has none."""
    src = tmp_path / "gen.tsv"
    write_gdelt1(src, N_ROWS, 4_000_000, seed=11, bad_every=bad_every)
    rows = []
    for k, line in enumerate(src.read_text(encoding="utf-8").splitlines()):
        f = line.split("\t")
        for c in ("SQLDATE", "MonthYear", "Year", "DATEADDED"):
            f[IDX[c]] = "1979" + f[IDX[c]][4:]
        f[IDX["FractionDate"]] = "1979.5"
        if k % 3 == 0:
            f[IDX["Actor1Type1Code"]], f[IDX["Actor2Type1Code"]] = "GOV", "MIL"
        if k % 5 == 0:  # a row without a second actor or a place
            for c in ("Actor2Code", "Actor2Name", "Actor2CountryCode", "ActionGeo_CountryCode",
                      "ActionGeo_FullName", "ActionGeo_Lat", "ActionGeo_Long"):
                f[IDX[c]] = ""
        f[IDX["SOURCEURL"]] = ""
        rows.append(f)
    return rows


def _write(path: Path, rows: list[list[str]], *, fields: int, line_end: str = "\n") -> Path:
    path.write_bytes("".join("\t".join(r[:fields]) + line_end for r in rows).encode("utf-8"))
    return path


def _raw_expectation(path: Path) -> dict[str, tuple]:
    """event id -> (SQLDATE, Actor1Type1Code, EventCode) of the rows with a real date,
    read from the raw 57-field file with the csv module."""
    import datetime as dt

    out = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for r in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            assert len(r) == len(GDELT1_BACKFILE_COLUMNS)
            try:
                date = dt.datetime.strptime(r[IDX["SQLDATE"]], "%Y%m%d").date()
            except ValueError:
                continue
            out["gdelt1:" + r[0]] = (date, r[IDX["Actor1Type1Code"]] or None, r[IDX["EventCode"]])
    return out


def test_backfile_layout_is_the_export_without_sourceurl():
    assert len(GDELT1_BACKFILE_COLUMNS) == 57 and len(GDELT1_COLUMNS) == 58
    assert GDELT1_BACKFILE_COLUMNS[-1] == "DATEADDED" and GDELT1_COLUMNS[-1] == "SOURCEURL"
    assert GDELT1_BACKFILE_COLUMNS == GDELT1_COLUMNS[:57]


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "exact path"])
@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_backfile_stores_the_rows_of_the_58_field_form(tmp_path, monkeypatch, paths_taken, fast, line_end):
    rows = _backfile_rows(tmp_path)
    daily = _write(tmp_path / "19790101.export.CSV", rows, fields=58, line_end=line_end)
    back = _write(tmp_path / "1979.csv", rows, fields=57, line_end=line_end)
    assert back.read_text(encoding="utf-8").count("\t") == 56 * N_ROWS
    if not fast:
        monkeypatch.setattr(gdelt.GdeltReader, "_read_clean", lambda self, con, sink, plain: False)
    c58, c57 = open_store(tmp_path / "a.duckdb"), open_store(tmp_path / "b.duckdb")
    s58 = ingest_file(c58, daily, format="gdelt1")
    s57 = ingest_file(c57, back)  # sniffed
    assert s57.format == "gdelt1"
    if fast:
        # a CRLF file fails probe_clean's byte accounting, in either layout: the exact path reads it
        assert paths_taken == [line_end == "\n"] * 2
    assert _summary(s57) == _summary(s58) == (N_ROWS, N_ROWS, 0, 0)
    got = _events(c57)
    assert got == _events(c58) and len(got) == N_ROWS
    # checked against the raw file read independently
    want = _raw_expectation(back)
    assert {r[0]: r for r in c57.execute(
        "SELECT event_id, event_date, src_sector, cameo_code FROM events").fetchall()} \
        == {k: (k,) + v for k, v in want.items()}
    assert c57.execute("SELECT count(*) FROM events WHERE source_url IS NOT NULL").fetchall() == [(0,)]
    assert c57.execute("SELECT count(*) FROM events WHERE tgt_country IS NULL AND loc_country IS NULL").fetchall() \
        == [(N_ROWS // 5,)]


def test_backfile_rejects_are_the_58_field_forms_rejects(tmp_path):
    rows = _backfile_rows(tmp_path, bad_every=7)
    c58, c57 = open_store(tmp_path / "a.duckdb"), open_store(tmp_path / "b.duckdb")
    s58 = ingest_file(c58, _write(tmp_path / "19790101.export.CSV", rows, fields=58), format="gdelt1")
    s57 = ingest_file(c57, _write(tmp_path / "1979.csv", rows, fields=57))
    n_bad = N_ROWS // 7
    assert _summary(s57) == _summary(s58) == (N_ROWS, N_ROWS - n_bad, n_bad, 0)
    assert rejects(c57, s57.batch_id) == rejects(c58, s58.batch_id)
    assert [line for line, _ in rejects(c57, s57.batch_id)] == list(range(7, N_ROWS + 1, 7))
    assert _events(c57) == _events(c58)


@pytest.mark.parametrize("name", ["1979.csv", "200512.csv", "201303.csv"])
def test_backfile_is_sniffed_as_gdelt1(tmp_path, name):
    rows = _backfile_rows(tmp_path)[:5]
    path = _write(tmp_path / name, rows, fields=57)
    assert formats.detect(path).name == "gdelt1"
    zpath = tmp_path / (Path(name).stem + ".zip")
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(path, name)
    assert formats.detect(zpath).name == "gdelt1"


def test_other_field_counts_are_not_sniffed_as_gdelt1(tmp_path):
    rows = _backfile_rows(tmp_path)[:5]
    for n in (56, 59):
        path = _write(tmp_path / f"f{n}.csv", [r + ["x"] for r in rows], fields=n)
        assert not gdelt.GDELT1.sniff(path, read_head(path))


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "exact path"])
def test_58_field_line_in_a_backfile_is_rejected(tmp_path, monkeypatch, fast):
    rows = _backfile_rows(tmp_path)[:10]
    lines = ["\t".join(r[:57]) for r in rows]
    lines[3] = "\t".join(rows[3][:57] + ["https://news.example.org/x"])  # line 4: the daily layout
    path = tmp_path / "1979.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if not fast:
        monkeypatch.setattr(gdelt.GdeltReader, "_read_clean", lambda self, con, sink, plain: False)
    con = open_store(tmp_path / "s.duckdb")
    s = ingest_file(con, path)
    assert s.format == "gdelt1" and _summary(s) == (10, 9, 1, 0)
    assert rejects(con, s.batch_id) == [
        (4, "wrong number of fields: expected 57 tab-separated fields (gdelt1 backfile), found 58")]
    stored = {r[0] for r in con.execute("SELECT native_id FROM events").fetchall()}
    assert stored == {r[0] for k, r in enumerate(rows) if k != 3}


def test_57_field_line_in_a_daily_export_is_rejected(tmp_path):
    rows = _backfile_rows(tmp_path)[:10]
    for r in rows:
        r[IDX["SOURCEURL"]] = f"https://news.example.org/{r[0]}"
    lines = ["\t".join(r) for r in rows]
    lines[5] = "\t".join(rows[5][:57])  # line 6: the backfile layout
    path = tmp_path / "19790101.export.CSV"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = open_store(tmp_path / "s.duckdb")
    s = ingest_file(con, path)
    assert s.format == "gdelt1" and _summary(s) == (10, 9, 1, 0)
    assert rejects(con, s.batch_id) == [
        (6, "wrong number of fields: expected 58 tab-separated fields (gdelt1), found 57")]


def test_zipped_backfile_and_reingest_add_nothing(tmp_path):
    rows = _backfile_rows(tmp_path)
    plain = _write(tmp_path / "1979.csv", rows, fields=57)
    zpath = tmp_path / "1979.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(plain, "1979.csv")
    con = open_store(tmp_path / "s.duckdb")
    sz = ingest_file(con, zpath)
    assert sz.format == "gdelt1" and _summary(sz) == (N_ROWS, N_ROWS, 0, 0)
    zipped = _events(con)
    ref = open_store(tmp_path / "ref.duckdb")
    ingest_file(ref, plain)
    assert zipped == _events(ref)
    # the same archive again: skipped by its sha256; the plain file: every row already stored
    again = ingest_file(con, zpath)
    assert again.skipped and _summary(again) == (0, 0, 0, 0)
    s = ingest_file(con, plain)
    assert not s.skipped and _summary(s) == (N_ROWS, 0, 0, N_ROWS)
    assert _events(con) == zipped
    assert con.execute("SELECT count(*), count(DISTINCT event_id) FROM events").fetchall() == [(N_ROWS, N_ROWS)]
