"""UCDP GED reader: events CSV layout, deaths, sides, coordinates, rejects, re-ingest (files built here)."""

from __future__ import annotations

import csv
import io

from dyadwatch.sources import formats
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

COLS = ["id", "relid", "year", "active_year", "code_status", "type_of_violence", "conflict_dset_id",
        "conflict_new_id", "conflict_name", "dyad_dset_id", "dyad_new_id", "dyad_name", "side_a_dset_id",
        "side_a_new_id", "side_a", "side_b_dset_id", "side_b_new_id", "side_b", "number_of_sources",
        "source_article", "source_office", "source_date", "source_headline", "source_original", "where_prec",
        "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude", "geom_wkt",
        "priogrid_gid", "country", "country_id", "region", "event_clarity", "date_prec", "date_start", "date_end",
        "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "high", "low", "gwnoa", "gwnob"]


def rec(eid, year="2016", start="2016-10-11 00:00:00.000", end="2016-10-12 00:00:00.000", best="7", low="5",
        high="12", tov="1", side_a="Government of Syria", side_b="Syrian insurgents", gwnoa="652", gwnob="",
        lat="36.2", lon="37.16", wp="1", headline="Air strikes, \"heavy\" losses"):
    vals = dict.fromkeys(COLS, "")
    vals.update({"id": eid, "relid": f"SYR-2016-1-{eid}", "year": year, "active_year": "TRUE",
                 "code_status": "Clear", "type_of_violence": tov, "conflict_new_id": "299",
                 "conflict_name": "Syria: Government", "dyad_new_id": "11366", "dyad_name": f"{side_a} - {side_b}",
                 "side_a_new_id": "116", "side_a": side_a, "side_b_new_id": "5766", "side_b": side_b,
                 "number_of_sources": "-1", "source_headline": headline, "where_prec": wp,
                 "where_description": "Aleppo town", "adm_1": "Aleppo governorate", "latitude": lat,
                 "longitude": lon, "priogrid_gid": "182235", "country": "Syria", "country_id": "652",
                 "region": "Middle East", "event_clarity": "1", "date_prec": "1", "date_start": start,
                 "date_end": end, "deaths_a": "1", "deaths_b": "4", "deaths_civilians": "2", "deaths_unknown": "0",
                 "best": best, "high": high, "low": low, "gwnoa": gwnoa, "gwnob": gwnob})
    return [vals[c] for c in COLS]


def write(tmp_path, name, records):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLS)
    for r in records:
        w.writerow(r)
    p = tmp_path / name
    p.write_text(buf.getvalue(), encoding="utf-8")
    return p


def test_ucdp_ged_layout_values_and_rejects(con, tmp_path):
    p = write(tmp_path, "GEDEvent_v25_1.csv", [
        rec("101"),                                                                     # 2
        rec("102", tov="2", side_a="IS", side_b="SDF", gwnoa="", best="0", low="0", high="0",
            lat="36.58", lon="41.0", headline="first line\nsecond line"),              # 3-4
        rec("103", side_a="Government of Russia (Soviet Union)", gwnoa="365, 652", start="2016-09-30",
            end="2016-09-30"),                                                          # 5
        rec(""),                                                                        # 6: no id
        rec("105", year="2015"),                                                        # 7: not its date's year
        rec("106", best="20", high="12"),                                               # 8: best > high
        rec("107", end="2016-10-01"),                                                   # 9: ends before start
        rec("108", tov="4"),                                                            # 10
        rec("109", lon="200"),                                                          # 11
        rec("110", best="-1")])                                                         # 12
    assert formats.detect(p).name == "ucdp-ged"
    s = ingest_file(con, p)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (10, 3, 7)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [6, 7, 8, 9, 10, 11, 12]
    assert got[6].startswith("missing id")
    assert "impossible year: year 2015 is not the year of date_start 2016-10-11" in got[7]
    assert "low 5, best 20, high 12" in got[8]
    assert "date_end 2016-10-01 is before date_start 2016-10-11" in got[9]
    assert "type_of_violence '4' not in [1, 3]" in got[10]
    assert "longitude '200' not in [-180, 180]" in got[11]
    assert "best '-1' not in [0, 1e+07]" in got[12]
    rows = con.execute("SELECT id, year, type_of_violence, conflict_new_id, dyad_new_id, side_a, side_b, gwnoa,"
                       " iso3_a, iso3_b, loc_iso3, best, low, high, deaths_civilians, latitude, longitude,"
                       " date_start::VARCHAR, number_of_sources, active_year FROM ucdp_ged_events ORDER BY id"
                       ).fetchall()
    assert rows[0] == (101, 2016, 1, 299, 11366, "Government of Syria", "Syrian insurgents", "652", "SYR", None,
                       "SYR", 7, 5, 12, 2, 36.2, 37.16, "2016-10-11", None, True)
    assert rows[1][2] == 2 and rows[1][7:11] == (None, None, None, "SYR") and rows[1][11:14] == (0, 0, 0)
    assert rows[2][7:9] == ("365, 652", "RUS")  # several GW codes kept as published; the first mapped
    assert scalar(con, "SELECT sum(best) FROM ucdp_ged_events") == 14


def test_ucdp_ged_duplicate_id_rejected_and_reingest_adds_nothing(con, tmp_path):
    p = write(tmp_path, "a.csv", [rec("1"), rec("1", best="9", high="20"), rec("2")])
    s = ingest_file(con, p)
    assert (s.rows_stored, s.rows_rejected) == (2, 1)
    assert "duplicate" in dict(rejects(con, s.batch_id))[3]
    assert scalar(con, "SELECT best FROM ucdp_ged_events WHERE id = 1") == 7
    assert ingest_file(con, p).skipped
    s2 = ingest_file(con, write(tmp_path, "b.csv", [rec("2"), rec("3")]))
    assert (s2.rows_stored, s2.rows_duplicate) == (1, 1)
    assert scalar(con, "SELECT count(*) FROM ucdp_ged_events") == 3
