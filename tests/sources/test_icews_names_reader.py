"""ICEWS name-triple reader: the nine real benchmark files, ids, actors, bad input."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections import Counter
from pathlib import Path

import pytest

from dyadwatch.sources import formats
from dyadwatch.store.db import connect, ensure_schema
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import rejects, scalar

FILES = {  # path under events/ -> dataset label
    "icews18_renet/icews18_test.tsv": "icews18",
    "icews18_renet/icews18_valid.tsv": "icews18",
    "icews14_complete/icews14_train.tsv": "icews14",
    "icews14_complete/icews14_valid.tsv": "icews14",
    "icews14_complete/icews14_test.tsv": "icews14",
    "icews_tkg/icews_2005-2015_test.tsv": "icews05-15",
    "icews_tkg/icews_2005-2015_valid.tsv": "icews05-15",
    "icews_tkg/icews_2014_test.tsv": "icews14",
    "icews_tkg/icews_2014_valid.tsv": "icews14",
}


def _triples(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _icews_code_names(shared_data: Path) -> dict[str, str]:
    """ICEWS's own CAMEO name -> code table (andybega/icews cameo_codes.csv)."""
    with open(shared_data / "events" / "icews_dataverse" / "cameo_codes.csv", newline="", encoding="utf-8") as fh:
        return {r["name"]: r["cameo_code"] for r in csv.DictReader(fh)}


def _event_id(s, text, t, date, occ):
    return "md5:" + hashlib.md5("\x1f".join([s, text, t, date, str(occ)]).encode("utf-8")).hexdigest()


@pytest.mark.parametrize("rel", sorted(FILES))
def test_icews_names_real_file(con, shared_data, rel):
    path = shared_data / "events" / rel
    raw = _triples(path)
    names = _icews_code_names(shared_data)
    n_bad = sum(r["event_text"] not in names for r in raw)
    assert formats.detect(path).name == "icews-names"
    s = ingest_file(con, path)
    assert s.dataset == FILES[rel]
    assert s.rows_read == len(raw)
    quads = Counter((r["source_name"], r["event_text"], r["target_name"], r["event_date"]) for r in raw)
    assert s.rows_rejected == n_bad
    assert s.rows_stored == len(raw) - n_bad == scalar(con, "SELECT count(*) FROM events")
    # event ids: md5 of the quadruple and its occurrence index, as documented
    seen: Counter = Counter()
    expected_ids = set()
    for r in raw:
        key = (r["source_name"], r["event_text"], r["target_name"], r["event_date"])
        expected_ids.add(FILES[rel] + ":" + _event_id(*key, seen[key])[4:])
        seen[key] += 1
    assert {x[0] for x in con.execute("SELECT event_id FROM events").fetchall()} == expected_ids
    assert len(quads) == len(raw)  # these benchmark files are sets of facts (see the reader docstring)
    # CAMEO codes agree with ICEWS's own name table; dates and names are kept
    rows = con.execute("SELECT src_name, tgt_name, event_date, cameo_code, src_country, tgt_country, src_sector "
                       "FROM events").fetchall()
    for src, tgt, date, code, _, _, _ in rows[:: max(1, len(rows) // 2000)]:
        assert (src, tgt) != (None, None) and isinstance(date, dt.date)
    got_codes = Counter(r[3] for r in rows)
    want_codes = Counter(names[r["event_text"]] for r in raw)
    assert got_codes == want_codes
    # "Sector (Russia)" / "Sector (Iran)" actors get their country
    by_name = {}
    for src, _, _, _, sc, _, sector in rows:
        by_name.setdefault(src, (sc, sector))
    for name, (country, _) in by_name.items():
        if name.endswith("(Russia)"):
            assert country == "RUS", name
        if name.endswith("(Iran)"):
            assert country == "IRN", name
        if name in ("Iran", "China", "Russia", "India"):
            assert country == {"Iran": "IRN", "China": "CHN", "Russia": "RUS", "India": "IND"}[name]
    if "Foreign Affairs (Russia)" in by_name:
        assert by_name["Foreign Affairs (Russia)"] == ("RUS", "GOV")


def test_icews_names_iran_russia_2018_at_least_the_strict_name_count(con, shared_data):
    path = shared_data / "events" / "icews18_renet" / "icews18_valid.tsv"
    strict = sum(1 for r in _triples(path)
                 if {r["source_name"], r["target_name"]} == {"Iran", "Russia"})
    ingest_file(con, path)
    got = scalar(con, "SELECT count(*) FROM events WHERE (src_country, tgt_country) IN (('IRN','RUS'),('RUS','IRN'))")
    assert strict > 0 and got >= strict


def test_icews_names_overlapping_benchmarks_store_a_fact_once(con, shared_data):
    a = shared_data / "events" / "icews14_complete" / "icews14_test.tsv"
    b = shared_data / "events" / "icews_tkg" / "icews_2014_test.tsv"
    key = lambda r: (r["source_name"], r["event_text"], r["target_name"], r["event_date"])  # noqa: E731
    common = {key(r) for r in _triples(a)} & {key(r) for r in _triples(b)}
    ingest_file(con, a)
    s = ingest_file(con, b)
    assert s.rows_duplicate == len(common) and s.rows_stored == len(_triples(b)) - len(common)


def test_icews_names_repeated_quadruple_is_two_events_with_stable_ids(tmp_path, db_path):
    text = ("source_name\tevent_text\ttarget_name\tevent_date\n"
            "Iran\tConsult\tRussia\t2018-03-01\n"
            "Iran\tConsult\tRussia\t2018-03-01\n"
            "Vladimir Putin\tMake statement\tIran\t2018-03-02\n")
    path = tmp_path / "triples.tsv"
    path.write_text(text, encoding="utf-8")
    ids = []
    for i in range(2):
        con = connect(tmp_path / f"s{i}.duckdb")
        ensure_schema(con)
        s = ingest_file(con, path)
        assert (s.rows_read, s.rows_stored, s.rows_rejected, s.dataset) == (3, 3, 0, "icews-names")
        ids.append(sorted(r[0] for r in con.execute("SELECT event_id FROM events").fetchall()))
        assert ingest_file(con, path).skipped
        rows = con.execute("SELECT src_country, tgt_country, cameo_code, quad_class, goldstein FROM events "
                           "ORDER BY event_date, event_id").fetchall()
        assert rows[0][:4] == ("IRN", "RUS", "040", 1) and rows[0] == rows[1]
        assert rows[2][1:3] == ("IRN", "010")
        con.close()
    assert ids[0] == ids[1] and len(set(ids[0])) == 3
    want = {"icews-names:" + _event_id("Iran", "Consult", "Russia", "2018-03-01", k)[4:] for k in (0, 1)}
    assert want <= set(ids[0])


def test_icews_names_person_resolved_at_event_date(con, tmp_path):
    # Hassan Rouhani became President of Iran on 2013-08-03
    path = tmp_path / "people.tsv"
    path.write_text("source_name\tevent_text\ttarget_name\tevent_date\n"
                    "Hassan Rouhani\tConsult\tSergey Viktorovich Lavrov\t2016-05-01\n"
                    "Somebody Nobody Knows\tConsult\tIran\t2016-05-01\n", encoding="utf-8")
    s = ingest_file(con, path)
    assert s.rows_stored == 2
    rows = dict((r[0], r[1:]) for r in con.execute(
        "SELECT src_name, src_country, tgt_country FROM events").fetchall())
    assert rows["Hassan Rouhani"] == ("IRN", "RUS")
    assert rows["Somebody Nobody Knows"] == (None, "IRN")


def test_icews_names_bad_rows(con, tmp_path):
    path = tmp_path / "bad.tsv"
    data = ("source_name\tevent_text\ttarget_name\tevent_date\n"
            "Iran\tConsult\tRussia\t2018-03-01\n"          # 2 stored
            "Iran\tConsult\tRussia\t2018-13-01\n"          # 3 bad date
            "Iran\tDance a jig\tRussia\t2018-03-01\n"      # 4 not a CAMEO name
            "Iran\tConsult\n"                              # 5 wrong field count
            ).encode("utf-8")
    data += b"Ir\xe2n\tConsult\tRussia\t2018-03-01\n"       # 6 not UTF-8
    data += b"Russia\tConsult\tIran\t2018-03-01\n"           # 7 stored
    path.write_bytes(data)
    s = ingest_file(con, path)
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (6, 2, 4)
    got = dict(rejects(con, s.batch_id))
    assert sorted(got) == [3, 4, 5, 6]
    assert "2018-13-01" in got[3] and "'Dance a jig'" in got[4] and "number of fields" in got[5]
    assert "UTF-8" in got[6]


def test_icews_names_zip_reads_and_truncated_archives_fail_cleanly(con, shared_data, tmp_path):
    import gzip
    import zipfile

    from dyadwatch.errors import InputError

    src = shared_data / "events" / "icews_tkg" / "icews_2014_valid.tsv"
    n = len(_triples(src))
    zpath = tmp_path / "icews_2014_valid.tsv.zip"
    with zipfile.ZipFile(zpath, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(src, src.name)
    s = ingest_file(con, zpath)
    assert (s.format, s.dataset, s.rows_read, s.rows_stored) == ("icews-names", "icews14", n, n)
    data = gzip.compress(src.read_bytes())
    for bad, payload in ((tmp_path / "t.tsv.gz", data[: len(data) // 2]),
                         (tmp_path / "t.tsv.zip", zpath.read_bytes()[: zpath.stat().st_size // 2])):
        bad.write_bytes(payload)
        with pytest.raises(InputError) as err:
            ingest_file(con, bad, format="icews-names")
        assert str(bad) in err.value.one_line() and "\n" not in err.value.one_line()
    assert scalar(con, "SELECT count(*) FROM events") == n
