"""GDELT 1.0/2.0 readers: real samples, raw export forms, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from dyadwatch.errors import DyadwatchError, FormatNotRecognisedError, IngestError, InputError
from dyadwatch.sources import formats
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

SAMPLES = {  # file -> (format, number of GDELT columns)
    "gdelt1_events_sample.csv": ("gdelt1", 58),
    "gdelt2_events_sample.csv": ("gdelt2", 61),
    "gdelt2_events_translingual_sample.csv": ("gdelt2", 61),
}
# FIPS 10-4 -> ISO 3166-1 alpha-3 facts (FIPS PUB 10-4 / ISO 3166), for the check
FIPS_FACTS = {"US": "USA", "UK": "GBR", "CA": "CAN", "MX": "MEX", "IZ": "IRQ", "RS": "RUS", "CH": "CHN",
              "GM": "DEU", "EG": "EGY", "CI": "CHL", "SY": "SYR", "IR": "IRN", "TU": "TUR", "NI": "NGA",
              "KS": "KOR", "AS": "AUS", "SF": "ZAF", "PE": "PER", "HK": "HKG", "VM": "VNM", "CF": "COG",
              "IN": "IND", "PK": "PAK", "IS": "ISR", "FR": "FRA", "IT": "ITA", "SP": "ESP", "JA": "JPN",
              "RP": "PHL", "BG": "BGD", "KE": "KEN", "AF": "AFG", "LE": "LBN", "SA": "SAU", "EI": "IRL"}
# CAMEO country codes that equal the ISO3 code
SAME_AS_ISO3 = {"USA", "GBR", "CHN", "RUS", "IRN", "SYR", "CHL", "PER", "RWA", "EGY", "CUB", "CAN", "MEX",
                "FRA", "DEU", "IND", "PAK", "ISR", "TUR", "NGA", "AUS", "JPN", "PHL", "KEN", "AFG", "IRQ",
                "SAU", "ZAF", "BRA", "UKR", "VNM", "GRC", "ITA", "ESP", "IRL"}


def _raw_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _expected_reject(rec: dict) -> bool:
    try:
        dt.datetime.strptime(rec["SQLDATE"], "%Y%m%d")
    except ValueError:
        return True
    g = float(rec["GoldsteinScale"])
    return not (-10 <= g <= 10) or rec["QuadClass"] not in {"1", "2", "3", "4"} or \
        not rec["EventCode"].isdigit()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_gdelt_sample_counts_and_mapping(con, shared_data, name):
    path = shared_data / "events" / "gdelt" / name
    fmt, ncols = SAMPLES[name]
    header, rows = _raw_rows(path)
    recs = [dict(zip(header, r)) for r in rows]
    n_bad = sum(_expected_reject(r) for r in recs)
    n_dup = sum(c - 1 for c in Counter(r["GLOBALEVENTID"] for r in recs).values())
    assert formats.detect(path).name == fmt
    s = ingest_file(con, path)
    assert (s.format, s.dataset) == (fmt, fmt)
    assert s.rows_read == len(rows) == 50
    assert s.rows_rejected == n_bad + n_dup
    assert s.rows_stored == len(rows) - n_bad - n_dup == scalar(con, "SELECT count(*) FROM events")

    got = {r[0]: r for r in con.execute(
        "SELECT event_id, event_date, src_name, src_code, src_country, tgt_name, cameo_code, cameo_root, "
        "quad_class, goldstein, loc_country, loc_name, lat, lon, mentions, source_url, plover_type, src_sector "
        "FROM events").fetchall()}
    fips_checked = country_checked = 0
    for rec in recs:
        row = got[f"{fmt}:{rec['GLOBALEVENTID']}"]
        assert row[1] == dt.datetime.strptime(rec["SQLDATE"], "%Y%m%d").date()
        assert row[2] == (rec["Actor1Name"] or None) and row[3] == (rec["Actor1Code"] or None)
        assert row[5] == (rec["Actor2Name"] or None)
        assert row[6] == rec["EventCode"] and row[7] == rec["EventRootCode"]
        assert row[8] == int(rec["QuadClass"]) and row[9] == pytest.approx(float(rec["GoldsteinScale"]))
        assert row[11] == (rec["ActionGeo_FullName"] or None)
        if rec["ActionGeo_Lat"]:
            assert row[12] == pytest.approx(float(rec["ActionGeo_Lat"]))
            assert row[13] == pytest.approx(float(rec["ActionGeo_Long"]))
        assert row[14] == int(rec["NumMentions"]) and row[15] == rec["SOURCEURL"]
        assert row[16] is not None and row[17] == (rec["Actor1Type1Code"] or None)
        if rec["ActionGeo_CountryCode"] in FIPS_FACTS:
            assert row[10] == FIPS_FACTS[rec["ActionGeo_CountryCode"]], rec["ActionGeo_CountryCode"]
            fips_checked += 1
        if rec["Actor1CountryCode"] in SAME_AS_ISO3:
            assert row[4] == rec["Actor1CountryCode"]
            country_checked += 1
    assert fips_checked >= 10 and country_checked >= 1


def _to_export(src: Path, ncols: int, out: Path) -> list[list[str]]:
    """A raw export (tab-separated, no header, ``ncols`` fields) from a sample CSV."""
    _, rows = _raw_rows(src)
    rows = [r[:ncols] for r in rows]
    out.write_text("".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return rows


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_gdelt_raw_export_zip_and_gzip_match_header_form(con, shared_data, tmp_path, name):
    fmt, ncols = SAMPLES[name]
    src = shared_data / "events" / "gdelt" / name
    plain = tmp_path / "20170701234500.export.CSV"
    rows = _to_export(src, ncols, plain)
    zpath = tmp_path / "20170701234500.export.CSV.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(plain, plain.name)
    gpath = tmp_path / "copy.export.CSV.gz"
    gpath.write_bytes(gzip.compress(plain.read_bytes()))
    assert formats.detect(zpath).name == fmt and formats.detect(gpath).name == fmt

    s = ingest_file(con, zpath)
    assert (s.format, s.rows_read, s.rows_stored, s.rows_rejected) == (fmt, len(rows), len(rows), 0)
    cols = "event_id, event_date, src_code, src_country, tgt_country, cameo_code, quad_class, goldstein, " \
           "loc_country, lat, mentions, source_url"
    from_zip = con.execute(f"SELECT {cols} FROM events ORDER BY event_id").fetchall()
    con.execute("DELETE FROM events")
    header_form = ingest_file(con, src)
    assert header_form.rows_stored == len(rows)
    assert con.execute(f"SELECT {cols} FROM events ORDER BY event_id").fetchall() == from_zip
    # the gzip copy holds the same events: all already stored
    again = ingest_file(con, gpath)
    assert (again.rows_read, again.rows_stored, again.rows_duplicate) == (len(rows), 0, len(rows))
    # the same file again: skipped by its sha256
    assert ingest_file(con, zpath).skipped


def _bad_export(shared_data: Path, tmp_path: Path) -> Path:
    _, rows = _raw_rows(shared_data / "events" / "gdelt" / "gdelt1_events_sample.csv")
    base = [r[:58] for r in rows[:10]]
    col = {"id": 0, "date": 1, "name": 6, "code": 26, "base": 27, "root": 28, "gold": 30}
    lines = [list(r) for r in base]
    lines[1][col["date"]] = "00000000"
    lines[2][col["date"]] = "20150230"
    lines[3] = lines[3][:57]
    lines[5][col["code"]], lines[5][col["base"]], lines[5][col["root"]] = "43", "43", "4"
    lines[6][col["gold"]] = "12.5"
    lines[7][col["code"]] = "999"
    lines[8] = list(lines[0])  # a repeated event, identical (a conflicting one: test_reliability_conflicts.py)
    data = b""
    for i, r in enumerate(lines):
        line = "\t".join(r).encode("utf-8")
        if i == 4:
            line = line.replace(b"\t", b"\tBAD\xff\xfeNAME", 1)
        data += line + b"\n"
    path = tmp_path / "20160312.export.CSV"
    path.write_bytes(data)
    return path


def test_gdelt_bad_rows_go_to_rejects_with_line_and_reason(con, shared_data, tmp_path):
    path = _bad_export(shared_data, tmp_path)
    s = ingest_file(con, path, format="gdelt1")
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (10, 3, 7)
    got = rejects(con, s.batch_id)
    assert [g[0] for g in got] == [2, 3, 4, 5, 7, 8, 9]
    reasons = dict(got)
    assert "SQLDATE '00000000'" in reasons[2] and "SQLDATE '20150230'" in reasons[3]
    assert "expected 58" in reasons[4] and "found 57" in reasons[4]
    assert "UTF-8" in reasons[5]
    assert "GoldsteinScale '12.5'" in reasons[7]
    assert "EventCode '999'" in reasons[8]
    assert "duplicate key" in reasons[9] and "identical to line 1" in reasons[9]
    # the code that lost its leading zero is restored, root and QuadClass follow the codebook
    _, rows = _raw_rows(shared_data / "events" / "gdelt" / "gdelt1_events_sample.csv")
    code, root = con.execute("SELECT cameo_code, cameo_root FROM events WHERE native_id = ?",
                             [rows[5][0]]).fetchall()[0]
    assert (code, root) == ("043", "04")
    stored = {r[0] for r in con.execute("SELECT native_id FROM events").fetchall()}
    assert stored == {rows[0][0], rows[5][0], rows[9][0]}


def test_gdelt_broken_archives_give_one_line_errors_and_leave_store_unchanged(con, shared_data, tmp_path):
    plain = tmp_path / "x.export.CSV"
    _to_export(shared_data / "events" / "gdelt" / "gdelt1_events_sample.csv", 58, plain)
    ingest_file(con, plain)
    before = scalar(con, "SELECT count(*) FROM events"), scalar(con, "SELECT count(*) FROM ingest_batches")
    data = gzip.compress(plain.read_bytes())
    gz = tmp_path / "y.export.CSV.gz"
    gz.write_bytes(data[: len(data) // 2])
    zpath = tmp_path / "z.export.CSV.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(plain, "z.export.CSV")
    cut = tmp_path / "cut.export.CSV.zip"
    cut.write_bytes(zpath.read_bytes()[:-200])
    for bad in (gz, cut):
        with pytest.raises(InputError) as err:
            ingest_file(con, bad, format="gdelt1")
        text = err.value.one_line()
        assert "\n" not in text and str(bad) in text
        assert "truncated" in text or "corrupt" in text or "zip" in text
    assert (scalar(con, "SELECT count(*) FROM events"), scalar(con, "SELECT count(*) FROM ingest_batches")) == before


def test_gdelt_unknown_layouts_are_refused(con, tmp_path):
    odd = tmp_path / "odd.export.CSV"
    odd.write_text("1\t20150101\tonly three fields\n", encoding="utf-8")
    with pytest.raises(FormatNotRecognisedError) as err:
        ingest_file(con, odd)
    assert "gdelt1" in str(err.value) and "known formats" in str(err.value)
    header = tmp_path / "h.csv"
    header.write_text("GLOBALEVENTID,SQLDATE,Other\n1,20150101,x\n", encoding="utf-8")
    with pytest.raises(IngestError) as err2:
        ingest_file(con, header, format="gdelt1")
    assert "header does not match" in str(err2.value) and ":1:" in str(err2.value)
    assert isinstance(err2.value, DyadwatchError)
    assert scalar(con, "SELECT count(*) FROM events") == 0


@pytest.mark.parametrize("name", ["gdelt2_mentions_sample.csv", "gdelt_schema.csv"])
def test_gdelt_non_event_files_are_not_taken_for_events(con, shared_data, name):
    path = shared_data / "events" / "gdelt" / name
    with pytest.raises(FormatNotRecognisedError) as err:
        ingest_file(con, path)
    assert str(path) in err.value.one_line() and "give --format" in err.value.one_line()


def test_gdelt_crlf_export_reads_like_lf(con, shared_data, tmp_path):
    src = shared_data / "events" / "gdelt" / "gdelt1_events_sample.csv"
    lf = tmp_path / "lf.export.CSV"
    rows = _to_export(src, 58, lf)
    crlf = tmp_path / "crlf.export.CSV"
    crlf.write_bytes(lf.read_bytes().replace(b"\n", b"\r\n") + b"\r\n")  # and a blank CRLF line at the end
    s = ingest_file(con, crlf)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (len(rows), len(rows), 0)
    urls = {r[0] for r in con.execute("SELECT source_url FROM events").fetchall()}
    assert urls == {r[57] for r in rows}
