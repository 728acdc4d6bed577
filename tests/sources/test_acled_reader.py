"""ACLED reader: export layout, crosswalk to CAMEO/PLOVER, impossible years and ids, re-ingest (files built here)."""

from __future__ import annotations

import csv
import io

import pytest

from dyadwatch.codebooks import cameo
from dyadwatch.sources import formats
from dyadwatch.sources.acled import CROSSWALK
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

COLS = ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
        "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
        "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location", "latitude",
        "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp"]


def rec(eid, date="2017-06-07", year="2017", etype="Battles", sub="Armed clash",
        actor1="Military Forces of Syria (2000-2024)", inter1="1", actor2="Islamic State (Syria)", inter2="2",
        interaction="12", fatalities="4", lat="35.95", lon="39.01", notes="Clashes near Raqqa.", country="Syria"):
    vals = dict.fromkeys(COLS, "")
    vals.update({"event_id_cnty": eid, "event_date": date, "year": year, "time_precision": "1",
                 "disorder_type": "Political violence", "event_type": etype, "sub_event_type": sub,
                 "actor1": actor1, "inter1": inter1, "actor2": actor2, "inter2": inter2,
                 "interaction": interaction, "iso": "760", "region": "Middle East", "country": country,
                 "admin1": "Ar-Raqqa", "admin2": "Ar-Raqqa", "location": "Ar-Raqqa", "latitude": lat,
                 "longitude": lon, "geo_precision": "1", "source": "SOHR", "source_scale": "National",
                 "notes": notes, "fatalities": fatalities, "timestamp": "1618523473"})
    return [vals[c] for c in COLS]


def write(tmp_path, name, records):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLS)
    for r in records:
        w.writerow(r) if isinstance(r, list) else buf.write(r + "\n")
    p = tmp_path / name
    p.write_text(buf.getvalue(), encoding="utf-8")
    return p


def test_acled_layout_crosswalk_and_rejects(con, tmp_path):
    p = write(tmp_path, "acled_export.csv", [
        rec("SYR1"),                                                                            # 2
        rec("SYR2", date="16 June 2017", etype="Explosions/Remote violence", sub="Air/drone strike",
            actor1="Military Forces of Russia (2000-)", inter1="8", actor2="Civilians (Syria)", inter2="7",
            interaction="78", fatalities="12", notes='Strike on a market, "dozens" hurt,\nsecond line.'),  # 3-4
        rec("SYR3", etype="Protests", sub="Peaceful protest", actor1="Protesters (Syria)", inter1="6",
            actor2="", inter2="0", interaction="60", fatalities="0"),                            # 5
        rec("SYR4", etype="Strategic developments", sub="Headquarters or base established",
            actor1="Wagner Group", inter1="8", actor2="", inter2="0", interaction="80", fatalities="0"),  # 6
        rec("", sub="Attack"),                                                                  # 7: no id
        rec("SYR6", year="1017"),                                                               # 8: year
        rec("SYR7", year="2016"),                                                               # 9: not its date's
        rec("SYR8", fatalities="-3"),                                                           # 10
        rec("SYR9", inter1="9"),                                                                # 11
        rec("SYR10", date="2017-13-01"),                                                        # 12
        rec("SYR11", etype="Battles", sub="Drone swarm", fatalities="1")])                      # 13: new type
    assert formats.detect(p).name == "acled"
    s = ingest_file(con, p)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (11, 5, 6)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [7, 8, 9, 10, 11, 12]
    assert got[7].startswith("missing event_id_cnty")
    assert "implausible year: year '1017' outside 1800.." in got[8]
    assert "impossible year: year 2016 is not the year of event_date 2017-06-07" in got[9]
    assert "fatalities '-3' not in [0, 1e+07]" in got[10]
    assert "inter1 '9' not in [0, 8]" in got[11]
    assert "unparsable event_date '2017-13-01'" in got[12]
    assert any("sub-event types the ACLED -> CAMEO crosswalk does not know" in n and "'Drone swarm': 1" in n
               for n in s.notes)
    rows = con.execute("SELECT native_id, event_date::VARCHAR, src_code, tgt_code, cameo_code, cameo_root, "
                       "quad_class, plover_type, loc_country, lat FROM events ORDER BY native_id").fetchall()
    assert rows == [
        ("SYR1", "2017-06-07", "SYRGOV", "REB", "190", "19", 4, "ASSAULT", "SYR", 35.95),
        ("SYR11", "2017-06-07", "SYRGOV", "REB", None, None, None, None, "SYR", 35.95),
        ("SYR2", "2017-06-16", "RUS", "CVL", "195", "19", 4, "ASSAULT", "SYR", 35.95),
        ("SYR3", "2017-06-07", "CVL", None, "141", "14", 4, "PROTEST", "SYR", 35.95),
        ("SYR4", "2017-06-07", None, None, None, None, None, None, "SYR", 35.95)]
    assert scalar(con, "SELECT sentence FROM events WHERE native_id = 'SYR2'") == \
        'Strike on a market, "dozens" hurt,\nsecond line.'
    extra = con.execute("SELECT event_id_cnty, event_type, sub_event_type, inter1, inter2, interaction, fatalities,"
                        " crosswalk FROM acled_events ORDER BY 1").fetchall()
    assert extra == [("SYR1", "Battles", "Armed clash", 1, 2, 12, 4, "sub_event_type"),
                     ("SYR11", "Battles", "Drone swarm", 1, 2, 12, 1, "unknown"),
                     ("SYR2", "Explosions/Remote violence", "Air/drone strike", 8, 7, 78, 12, "sub_event_type"),
                     ("SYR3", "Protests", "Peaceful protest", 6, 0, 60, 0, "sub_event_type"),
                     ("SYR4", "Strategic developments", "Headquarters or base established", 8, 0, 80, 0, "none")]


def test_acled_duplicate_id_is_a_reject_not_a_merge_and_reingest_adds_nothing(con, tmp_path):
    p = write(tmp_path, "a.csv", [rec("SYR1"), rec("SYR1", fatalities="40"), rec("SYR2")])
    s = ingest_file(con, p)
    assert (s.rows_stored, s.rows_rejected) == (2, 1)
    reason = dict(rejects(con, s.batch_id))
    assert list(reason) == [3] and "duplicate" in reason[3]
    assert scalar(con, "SELECT fatalities FROM acled_events WHERE event_id_cnty = 'SYR1'") == 4
    assert ingest_file(con, p).skipped
    q = write(tmp_path, "b.csv", [rec("SYR2"), rec("SYR5")])  # an overlapping later export
    s2 = ingest_file(con, q)
    assert (s2.rows_stored, s2.rows_duplicate) == (1, 1)
    assert scalar(con, "SELECT count(*) FROM events") == scalar(con, "SELECT count(*) FROM acled_events") == 3


def test_acled_revised_event_is_a_recorded_conflict_never_a_silent_merge(con, tmp_path):
    """ACLED revises published events (fatalities, notes): a later export with other values for a stored
    id is settled by the store and recorded in rejects, not counted as already stored."""
    first = ingest_file(con, write(tmp_path, "a.csv", [rec("SYR1"), rec("SYR2"), rec("SYR3")]))
    assert first.rows_stored == 3
    later = ingest_file(con, write(tmp_path, "b.csv", [rec("SYR1", fatalities="40"), rec("SYR2", notes="Revised."),
                                                      rec("SYR3")]))
    assert later.rows_duplicate == 1  # SYR3 only: identical
    assert later.rows_rejected + later.rows_replaced == 2
    reasons = [r for (r,) in con.execute("SELECT reason FROM rejects ORDER BY reason").fetchall()]
    assert len(reasons) == 2 and all("conflicting duplicate" in r for r in reasons)
    assert any("fatalities" in r for r in reasons) and any("row_sha1" in r for r in reasons)
    # events and acled_events stay one row per id, from the same line
    assert scalar(con, "SELECT count(*) FROM events") == scalar(con, "SELECT count(*) FROM acled_events") == 3
    assert con.execute("SELECT count(*) FROM events e JOIN acled_events a USING (event_id) "
                       "WHERE e.batch_id <> a.batch_id").fetchall() == [(0,)]


def test_acled_2024_text_inter_labels():
    from dyadwatch.sources.acled import _inter, _interaction

    assert _inter("State forces", "inter1") == 1 and _inter("Civilians", "inter2") == 7
    assert _inter("Rebel group", "inter1") == 2 and _inter("3", "inter1") == 3
    assert _interaction("State forces-Rebel group", 1, 2) == 12 and _interaction("", 7, None) == 70


@pytest.mark.parametrize("sub", sorted(k for k, v in CROSSWALK.items() if v))
def test_acled_crosswalk_codes_are_cameo_codes(sub):
    assert CROSSWALK[sub] in cameo.CAMEO


def test_acled_rows_are_handed_over_in_chunks_with_exact_lines(con, tmp_path, monkeypatch):
    """Memory bound: rows go to the store every CHUNK_ROWS rows; counts and reject lines stay exact."""
    from dyadwatch.sources import event_fields

    monkeypatch.setattr(event_fields, "CHUNK_ROWS", 2)
    p = write(tmp_path, "chunks.csv", [rec(f"SYR{i}") for i in range(1, 6)] + [rec("SYR9", year="x")]
              + [rec("SYR1", fatalities="7")])  # line 8 repeats SYR1 (first chunk) with other values
    s = ingest_file(con, p)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (7, 5, 2)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [7, 8] and "duplicate" in got[8]
    assert scalar(con, "SELECT count(*) FROM acled_events") == 5
