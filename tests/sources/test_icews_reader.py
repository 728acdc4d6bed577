"""ICEWS Dataverse reader: the real .tab and .csv samples, duplicates, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
from pathlib import Path

import pytest

from dyadwatch.errors import InputError
from dyadwatch.sources import formats
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

# ICEWS country names -> ISO 3166-1 alpha-3 (facts, for the check)
NAME_FACTS = {"Russian Federation": "RUS", "Iran": "IRN", "United States": "USA", "China": "CHN",
              "India": "IND", "United Kingdom": "GBR", "Syria": "SYR", "Turkey": "TUR", "Israel": "ISR",
              "Germany": "DEU", "France": "FRA", "Japan": "JPN", "Nigeria": "NGA", "Pakistan": "PAK",
              "Bangladesh": "BGD", "Vietnam": "VNM", "Afghanistan": "AFG", "Iraq": "IRQ", "Egypt": "EGY",
              "South Korea": "KOR", "North Korea": "PRK", "Philippines": "PHL", "Australia": "AUS"}


def _read_tab(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{k: (None if v == "NA" else v) for k, v in r.items()} for r in rows]


def _read_csv(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = []
    for r in rows:  # the Dataverse names, from the snake_case ones
        out.append({k.replace("_", " ").title().replace("Id", "ID").replace("Cameo", "CAMEO"): (v or None)
                    for k, v in r.items()})
    return out


@pytest.mark.parametrize("name", ["events.2018.sample.tab", "icews_sample.csv"])
def test_icews_real_file_counts_and_mapping(con, shared_data, name):
    path = shared_data / "events" / "icews_dataverse" / name
    raw = _read_tab(path) if name.endswith(".tab") else _read_csv(path)
    assert formats.detect(path).name == "icews"
    s = ingest_file(con, path)
    ids = [r["Event ID"] for r in raw]
    n_dup = len(ids) - len(set(ids))
    assert s.rows_read == len(raw)
    assert s.rows_rejected == n_dup
    assert s.rows_stored == len(set(ids)) == scalar(con, "SELECT count(*) FROM events")
    got = {r[0]: r for r in con.execute(
        "SELECT native_id, event_date, src_name, src_country, tgt_name, tgt_country, cameo_code, goldstein, "
        "doc_id, e.sentence_index, loc_country, lat, lon, quad_class, cameo_root, src_sector, loc_name "
        "FROM events JOIN event_evidence e USING (event_id)").fetchall()}
    checked_names = 0
    for r in raw:
        row = got[r["Event ID"]]
        assert row[1] == dt.date.fromisoformat(r["Event Date"])
        assert row[2] == r["Source Name"] and row[4] == r["Target Name"]
        assert row[6] == r["CAMEO Code"] and row[14] == r["CAMEO Code"][:2]
        assert row[7] == pytest.approx(float(r["Intensity"]))
        assert row[8] == r["Story ID"] and row[9] == int(r["Sentence Number"])
        root = int(r["CAMEO Code"][:2])
        assert row[13] == (1 if root <= 5 else 2 if root <= 8 else 3 if root <= 13 else 4)
        if r["Latitude"]:
            assert row[11] == pytest.approx(float(r["Latitude"])) and row[12] == pytest.approx(float(r["Longitude"]))
        if r["City"]:
            assert row[16].startswith(r["City"])
        for raw_name, col in ((r["Source Country"], 3), (r["Target Country"], 5), (r["Country"], 10)):
            if raw_name in NAME_FACTS:
                assert row[col] == NAME_FACTS[raw_name], raw_name
                checked_names += 1
            elif raw_name is None:
                assert row[col] is None
        if r["Source Sectors"] and r["Source Sectors"].split(",")[0] == "Police":
            assert row[15] == "COP"
    assert checked_names > 1000
    # every country name of the file resolves
    unresolved = scalar(con, "SELECT count(*) FROM events e WHERE src_country IS NULL AND native_id IN "
                             "(SELECT unnest(?::VARCHAR[]))",
                        [[r["Event ID"] for r in raw if r["Source Country"]]])
    assert unresolved == 0


def test_icews_tab_then_csv_stores_the_overlap_once(con, shared_data):
    d = shared_data / "events" / "icews_dataverse"
    tab = {r["Event ID"]: r for r in _read_tab(d / "events.2018.sample.tab")}
    csv_rows = {r["Event ID"]: r for r in _read_csv(d / "icews_sample.csv")}
    tab_ids, csv_ids = set(tab), set(csv_rows)
    # ids of both files whose two versions differ (in the sample: two actor names, "Gen Prayut
    # Chan-o-cha" in the .csv for "Prayut Chan-o-cha"): conflicts, settled by content (store/conflicts.py)
    fields = ("Event Date", "Source Name", "Target Name", "Source Country", "Target Country")
    differ = {i for i in tab_ids & csv_ids if any(tab[i][f] != csv_rows[i][f] for f in fields)
              or float(tab[i]["Intensity"]) != float(csv_rows[i]["Intensity"])}
    assert len(differ) == 2
    first = ingest_file(con, d / "events.2018.sample.tab")
    second = ingest_file(con, d / "icews_sample.csv")
    assert first.rows_stored == len(tab_ids)
    assert second.rows_duplicate == len(tab_ids & csv_ids) - len(differ)
    # "Gen Prayut ..." sorts before "Prayut ...": the .csv versions replace the stored ones
    assert second.rows_replaced == len(differ)
    assert second.rows_stored == len(csv_ids - tab_ids) + len(differ)
    replaced = con.execute("SELECT reason FROM rejects WHERE batch_id = ? ORDER BY reason",
                           [first.batch_id]).fetchall()
    assert [r[0].split("(event_id=icews:")[1].split(")")[0] for r in replaced] == sorted(differ)
    assert all("Gen Prayut Chan-o-cha here, Prayut Chan-o-cha stored" in r[0] for r in replaced)
    assert scalar(con, "SELECT count(*) FROM events") == len(tab_ids | csv_ids)
    assert scalar(con, "SELECT count(*) FROM event_evidence") == len(tab_ids | csv_ids)
    assert ingest_file(con, d / "icews_sample.csv").skipped


HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
          "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\t"
          "City\tDistrict\tProvince\tCountry\tLatitude\tLongitude")


def _row(eid, date, code="040", intensity="1", text="Consult", src="Iran", tgt="Russian Federation"):
    return "\t".join([eid, date, "Foreign Affairs (Iran)", "Government,Foreign Ministry", src, text, code,
                      intensity, "Sergey Lavrov", "Government", tgt, "9001", "1", "NA", "Moscow", "NA",
                      "Moskva", "Russian Federation", "55.75", "37.62"])


def test_icews_duplicate_ids_and_bad_rows(con, tmp_path):
    lines = [HEADER,
             _row("1", "2015-11-23"),                       # 2 stored
             _row("1", "2015-11-24"),                       # 3 duplicate id, other date (an ICEWS trait)
             _row("2", "2015-02-30"),                       # 4 bad date
             _row("3", "2015-11-23", code="43"),            # 5 lost leading zero: stored as 043
             _row("4", "2015-11-23", code="999"),           # 6 not a CAMEO code
             _row("5", "2015-11-23", intensity="NA"),       # 7 missing intensity
             "6\t2015-11-23\ttoo few fields",               # 8 wrong field count
             _row("7", "2015-11-23", intensity="-11"),      # 9 intensity out of range
             _row("8", "2015-11-25")]                       # 10 stored
    path = tmp_path / "events.2015.test.tab"
    data = "\n".join(lines).encode("utf-8") + b"\n"
    data = data.replace(b"\n8\t", b"\n8\t\xff")  # line 10: bad byte in the id
    data += (_row("9", "2015-11-26") + "\n").encode("utf-8")  # line 11 stored
    path.write_bytes(data)
    s = ingest_file(con, path)
    assert s.format == "icews"
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (10, 3, 7)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [3, 4, 6, 7, 8, 9, 10]
    assert "duplicate key" in got[3] and "2015-02-30" in got[4] and "'999'" in got[6]
    assert "Intensity NULL" in got[7] and "number of fields" in got[8] and "'-11'" in got[9]
    assert "UTF-8" in got[10]
    rows = con.execute("SELECT native_id, event_date, cameo_code, src_country, src_sector, src_code, tgt_country "
                       "FROM events ORDER BY native_id").fetchall()
    assert rows[0] == ("1", dt.date(2015, 11, 23), "040", "IRN", "GOV", "IRNGOV", "RUS")
    assert rows[1][:3] == ("3", dt.date(2015, 11, 23), "043")
    assert rows[2][0] == "9"


def test_icews_truncated_gzip_is_a_one_line_error(con, shared_data, tmp_path):
    data = gzip.compress((shared_data / "events" / "icews_dataverse" / "events.2018.sample.tab").read_bytes())
    bad = tmp_path / "events.2018.tab.gz"
    bad.write_bytes(data[: len(data) // 3])
    with pytest.raises(InputError) as err:
        ingest_file(con, bad, format="icews")
    assert str(bad) in err.value.one_line() and "\n" not in err.value.one_line()
    assert scalar(con, "SELECT count(*) FROM events") == 0


def test_icews_tab_line_numbers_exact_with_blank_and_crlf_lines(con, tmp_path):
    text = "\r\n".join([HEADER, _row("1", "2015-11-23"), "", _row("2", "2015-11-23"), "",
                        _row("1", "2015-11-30")]) + "\r\n"
    path = tmp_path / "events.crlf.tab"
    path.write_bytes(text.encode("utf-8"))
    s = ingest_file(con, path)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (3, 2, 1)
    assert [r[0] for r in rejects(con, s.batch_id)] == [6]
    assert con.execute("SELECT lon FROM events WHERE native_id = '1'").fetchall() == [(37.62,)]
