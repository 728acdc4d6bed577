"""ICEWS release drift (issue 14 item 16): the layouts of real yearly files.

The 2017 Dataverse file (``Events.2017.20201006.tab``) has no ``CAMEO Code``
column, writes dates as ``1/13/2017`` and, in later versions, codes with a
stray letter (``13y`` for "Threaten with repression") - documented by the
maintainer of the ``icews`` R client (andybega/icews issues 57, 73, 74, 78).
The reader takes the code from ``Event Text`` through the CAMEO names
(``codebooks.cameo.by_name``) where the code column is absent or holds no
CAMEO code, reads M/D/YYYY dates, and says how many codes it took from the
text.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import open_store, rejects, scalar

HEADER = ["Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text",
          "CAMEO Code", "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID",
          "Sentence Number", "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude"]


def _row(eid, date, text, code, intensity="-7"):
    return [str(eid), date, "Police (India)", "Government,Police", "India", text, code, intensity,
            "Men (India)", "Social", "India", "43503756", "1", "Hindu", "Delhi", "NA", "Delhi", "India",
            "28.6", "77.2"]


def _write_tab(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    keep = [i for i, h in enumerate(HEADER) if h in header]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(header) + "\n")
        for r in rows:
            fh.write("\t".join(r[i] for i in keep) + "\n")
    return path


def test_icews_stray_letter_code_taken_from_event_text(tmp_path):
    """'13y' (not a CAMEO code) with Event Text 'Threaten with repression' is 137 (CAMEO 1.1b3);
    a valid code is kept as written; a bad code whose text names no event is rejected with both."""
    path = _write_tab(tmp_path / "events.2017.tab", HEADER, [
        _row(25450892, "2017-02-08", "Threaten with repression", "13y"),
        _row(25450893, "2017-02-08", "Make statement", "010", "0"),
        _row(25450894, "2017-02-09", "Dance a jig", "13y"),
    ])
    con = open_store(tmp_path / "s.duckdb")
    s = ingest_file(con, path)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (3, 2, 1)
    codes = dict(con.execute("SELECT native_id, cameo_code FROM events").fetchall())
    assert codes == {"25450892": "137", "25450893": "010"}
    assert scalar(con, "SELECT quad_class FROM events WHERE native_id = '25450892'") == 3  # verbal conflict
    (line, reason), = [(r[0], r[1]) for r in rejects(con, s.batch_id)]
    assert line == 4
    assert "CAMEO Code '13y' is not a CAMEO 1.1b3 event code" in reason and "'Dance a jig'" in reason
    assert s.notes == ["1 CAMEO code taken from Event Text where CAMEO Code holds none ('13y': 1 line)"]


def test_icews_no_cameo_column_and_us_dates(tmp_path):
    """A yearly file without the CAMEO Code column and with M/D/YYYY dates is read, not refused."""
    header = [h for h in HEADER if h != "CAMEO Code"]
    path = _write_tab(tmp_path / "Events.2017.20201006.tab", header, [
        _row(1, "1/13/2017", "Threaten with repression", ""),
        _row(2, "12/1/2017", "Consult", ""),
        _row(3, "2/30/2017", "Consult", ""),
    ])
    con = open_store(tmp_path / "s.duckdb")
    s = ingest_file(con, path)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (3, 2, 1)
    got = dict((r[0], r[1:]) for r in con.execute("SELECT native_id, event_date, cameo_code FROM events").fetchall())
    assert got == {"1": (dt.date(2017, 1, 13), "137"), "2": (dt.date(2017, 12, 1), "040")}
    assert "unparsable Event Date '2/30/2017'" in rejects(con, s.batch_id)[0][1]
    assert s.notes == ["2 CAMEO codes taken from Event Text (no CAMEO Code column)"]


def test_icews_real_sample_drifted_like_2017(tmp_path, shared_data):
    """The real 2018 sample rewritten as the 2017 release is laid out (no CAMEO Code column,
    M/D/YYYY dates) stores the same events with the same codes and dates as the original."""
    src = shared_data / "events" / "icews_dataverse" / "events.2018.sample.tab"
    with open(src, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    head, body = rows[0], rows[1:]
    ci, di = head.index("CAMEO Code"), head.index("Event Date")
    drifted = tmp_path / "Events.2018.drifted.tab"
    with open(drifted, "w", encoding="utf-8", newline="") as fh:
        fh.write("\t".join(h for i, h in enumerate(head) if i != ci) + "\n")
        for r in body:
            d = dt.date.fromisoformat(r[di])
            r = list(r)
            r[di] = f"{d.month}/{d.day}/{d.year}"
            fh.write("\t".join(v for i, v in enumerate(r) if i != ci) + "\n")
    a = open_store(tmp_path / "a.duckdb")
    b = open_store(tmp_path / "b.duckdb")
    sa, sb = ingest_file(a, src), ingest_file(b, drifted)
    assert (sb.rows_read, sb.rows_stored, sb.rows_rejected) == (sa.rows_read, sa.rows_stored, sa.rows_rejected)
    assert sa.rows_stored > 3000
    q = "SELECT native_id, event_date, cameo_code, quad_class FROM events ORDER BY native_id"
    assert a.execute(q).fetchall() == b.execute(q).fetchall()
    assert sb.notes == [f"{len(body):,} CAMEO codes taken from Event Text (no CAMEO Code column)"]
