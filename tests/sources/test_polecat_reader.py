"""POLECAT reader: layout, PLOVER -> CAMEO crosswalk, malformed lines, re-ingest (files built here)."""

from __future__ import annotations

import pytest

from dyadwatch.sources import formats
from dyadwatch.sources.polecat import cameo_of
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

COLS = ["Event ID", "Event Date", "Event Type", "Event Mode", "Event Intensity", "Quad Code", "Contexts",
        "Actor Name", "Actor Country", "Actor COW", "Primary Actor Sector", "Actor Sectors", "Actor Title",
        "Recipient Name", "Recipient Country", "Recipient COW", "Primary Recipient Sector", "Recipient Sectors",
        "Recipient Title", "Placename", "City", "District", "Province", "Country", "Latitude", "Longitude",
        "Source", "Publication Date", "Story ID", "Language", "Version"]
HEAD = "\t".join(COLS)


def row(eid, date="2023-01-03", etype="CONSULT", mode="visit", intensity="1.0", quad="VERBAL COOPERATION",
        actor="Sergey Lavrov", a_ctry="RUS", a_cow="365", a_sec="GOV", rec="Hossein Amir-Abdollahian",
        r_ctry="IRN", r_cow="630", r_sec="GOV", country="RUS", lat="55.75", lon="37.62", contexts="diplomatic"):
    vals = dict(zip(COLS, [""] * len(COLS)))
    vals.update({"Event ID": eid, "Event Date": date, "Event Type": etype, "Event Mode": mode,
                 "Event Intensity": intensity, "Quad Code": quad, "Contexts": contexts, "Actor Name": actor,
                 "Actor Country": a_ctry, "Actor COW": a_cow, "Primary Actor Sector": a_sec,
                 "Actor Sectors": a_sec, "Actor Title": "None", "Recipient Name": rec, "Recipient Country": r_ctry,
                 "Recipient COW": r_cow, "Primary Recipient Sector": r_sec, "Recipient Sectors": r_sec,
                 "Recipient Title": "None", "Placename": "Moscow", "City": "Moscow", "District": "None",
                 "Province": "Moskva", "Country": country, "Latitude": lat, "Longitude": lon, "Source": "wire",
                 "Publication Date": date, "Story ID": f"story-{eid}", "Language": "en", "Version": "1.2"})
    return "\t".join(vals[c] for c in COLS)


def write(tmp_path, name, lines):
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def test_polecat_layout_crosswalk_and_malformed_lines(con, tmp_path):
    lines = [HEAD,
             row("E1"),                                                                       # 2
             row("E2", etype="ASSAULT", mode="aerial", intensity="-9.5", quad="MATERIAL CONFLICT",
                 actor="Russian Air Force", a_sec="MIL", rec="Syrian rebels", r_ctry="SYR", r_cow="652",
                 r_sec="REB", country="SYR", lat="35.93", lon="36.63", contexts="military;territory"),  # 3
             row("E3", etype="ACCUSE", mode="None", intensity="-2", quad="VERBAL CONFLICT",
                 actor='Angela Merkel\'s "office"', a_ctry="DEU", a_cow="255"),             # 4: quotes kept
             row("E4", date="2023-02-30"),                                                    # 5: no such day
             row("E5", etype="FLY"),                                                          # 6: not PLOVER
             row("E6", etype="protest", mode="demo", intensity="-6", quad="MATERIAL CONFLICT") + "\t\t",  # 7
             "E7\t2023-01-03\tCONSULT",                                                       # 8: 3 fields
             row("E8", intensity="12"),                                                       # 9: out of range
             row("E9", lat="95")]                                                             # 10
    p = write(tmp_path, "ngecEvents.20230103.Release603.DV.txt", lines)
    assert formats.detect(p).name == "polecat"
    s = ingest_file(con, p)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (9, 4, 5)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [5, 6, 8, 9, 10]
    assert "unparsable Event Date '2023-02-30'" in got[5]
    assert "Event Type 'FLY' is not a PLOVER event type" in got[6]
    assert "expected 31 fields, found 3" in got[8]
    assert "Event Intensity '12' not in [-10, 10]" in got[9]
    assert "Latitude '95' not in [-90, 90]" in got[10]
    rows = con.execute("SELECT native_id, event_date::VARCHAR, src_code, tgt_code, cameo_code, cameo_root, quad_class,"
                       " goldstein, plover_type, loc_country, lat, doc_id FROM events ORDER BY native_id").fetchall()
    assert rows == [
        ("E1", "2023-01-03", "RUSGOV", "IRNGOV", "042", "04", 1, 1.0, "CONSULT", "RUS", 55.75, "story-E1"),
        ("E2", "2023-01-03", "RUSMIL", "SYRREB", "195", "19", 4, -9.5, "ASSAULT", "SYR", 35.93, "story-E2"),
        ("E3", "2023-01-03", "DEUGOV", "IRNGOV", "110", "11", 3, -2.0, "DISAPPROVE", "RUS", 55.75, "story-E3"),
        ("E6", "2023-01-03", "RUSGOV", "IRNGOV", "141", "14", 4, -6.0, "PROTEST", "RUS", 55.75, "story-E6")]
    assert scalar(con, "SELECT src_name FROM events WHERE native_id = 'E3'") == 'Angela Merkel\'s "office"'
    extra = con.execute("SELECT event_id, event_type, event_mode, contexts, intensity, quad_code, actor_cow, "
                        "recipient_cow, story_id, publication_date::VARCHAR FROM polecat_events ORDER BY 1").fetchall()
    assert extra[1] == ("polecat:E2", "ASSAULT", "aerial", "military;territory", -9.5, "MATERIAL CONFLICT", "365",
                        "652", "story-E2", "2023-01-03")
    assert extra[2][1:3] == ("ACCUSE", None)  # the published name and a 'None' mode
    assert len(extra) == 4


def test_polecat_reingest_adds_nothing_and_overlapping_file_counts_stored(con, tmp_path):
    p = write(tmp_path, "a.txt", [HEAD, row("E1"), row("E2", etype="AID", mode="", quad="MATERIAL COOPERATION")])
    first = ingest_file(con, p)
    assert first.rows_stored == 2
    again = ingest_file(con, p)
    assert again.skipped and scalar(con, "SELECT count(*) FROM events") == 2
    # another weekly file repeating E1 (a re-release) and one new event: E1 is already stored, not doubled
    q = write(tmp_path, "b.txt", [HEAD.replace("Event Intensity", "Intensity"), row("E1"), row("E10")])
    s = ingest_file(con, q)
    assert (s.rows_stored, s.rows_duplicate) == (1, 1)
    assert scalar(con, "SELECT count(*) FROM events") == 3
    assert scalar(con, "SELECT count(*) FROM polecat_events") == 3


@pytest.mark.parametrize("etype, mode, code", [
    ("ASSAULT", "firearms", "193"), ("CONSULT", "phone", "041"), ("RETREAT", "ceasefire", "0871"),
    ("THREATEN", "None", "130"), ("REQUEST", "assist", "101"), ("COERCE", "arrest", "173"),
    ("ASSAULT", "abduct", "181"), ("MOBILIZE", "troops", "152"), ("AGREE", None, "030")])
def test_polecat_crosswalk_to_cameo(etype, mode, code):
    assert cameo_of(etype, mode if mode != "None" else None) == code


def test_polecat_yearly_archive_of_monthly_files(con, tmp_path):
    """A zip of several files (POLECAT's yearly archives) is read file by file; line numbers run on."""
    import zipfile

    jan = "\n".join([HEAD, row("J1"), row("J2", date="2022-01-32")]) + "\n"          # lines 1-3
    feb = "\r\n".join([HEAD, row("F1", date="2022-02-01"), "F2\tbroken",             # lines 4-7 (CRLF)
                       row("J1")]) + "\r\n"                                          # J1 again
    mar = "\n".join([HEAD, row("M1", date="2022-03-01")])                            # lines 8-9, no final EOL
    p = tmp_path / "ngecEventsDV-2022.txt.zip"
    with zipfile.ZipFile(p, "w") as zf:
        for name, text in (("ngecEventsDV-2022-01.txt", jan), ("ngecEventsDV-2022-02.txt", feb),
                           ("ngecEventsDV-2022-03.txt", mar)):
            zf.writestr(name, text)
    assert formats.detect(p).name == "polecat"
    s = ingest_file(con, p)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (6, 3, 3)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [3, 6, 7]
    assert "duplicate key in file (event_id=polecat:J1); identical to line 2" in got[7]  # February's line 4
    assert got[3].startswith("ngecEventsDV-2022-01.txt line 3: unparsable Event Date '2022-01-32'")
    assert got[6].startswith("ngecEventsDV-2022-02.txt line 3: ") and "expected 31 fields, found 2" in got[6]
    assert [r[0] for r in con.execute("SELECT native_id FROM events ORDER BY 1").fetchall()] == ["F1", "J1", "M1"]


def test_polecat_archive_with_a_foreign_file_is_refused_and_other_readers_keep_refusing_archives(con, tmp_path):
    import zipfile

    from dyadwatch.errors import DyadwatchError

    p = tmp_path / "mixed.zip"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("a.txt", HEAD + "\n" + row("A1") + "\n")
        zf.writestr("b.txt", "id,name\n1,x\n")
    with pytest.raises(DyadwatchError, match="archive file b.txt: not a POLECAT event file: header lacks event id"):
        ingest_file(con, p, format="polecat")
    assert scalar(con, "SELECT count(*) FROM events") == 0
    q = tmp_path / "two.zip"
    with zipfile.ZipFile(q, "w") as zf:
        zf.writestr("x.csv", "rcid,session,importantvote,date,unres,amend,para,short,descr\n")
        zf.writestr("y.csv", "rcid,session,importantvote,date,unres,amend,para,short,descr\n")
    with pytest.raises(DyadwatchError, match="zip archive holds 2 files, expected 1"):
        ingest_file(con, q)


def test_polecat_rerelease_with_other_values_is_a_recorded_conflict(con, tmp_path):
    """A re-release giving a stored event another mode or contexts (columns only polecat_events holds)
    is recorded in rejects, not counted as already stored."""
    ingest_file(con, write(tmp_path, "a.txt", [HEAD, row("E1"), row("E2")]))
    s = ingest_file(con, write(tmp_path, "b.txt", [HEAD, row("E1", contexts="diplomatic;economic"), row("E2")]))
    assert (s.rows_duplicate, s.rows_rejected + s.rows_replaced) == (1, 1)
    assert "contexts" in scalar(con, "SELECT reason FROM rejects")
    assert scalar(con, "SELECT count(*) FROM events") == scalar(con, "SELECT count(*) FROM polecat_events") == 2
