"""The dataset registry and the planners that turn records into file lists."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from dyadwatch.errors import FetchError, UnknownNameError, UsageError
from dyadwatch.acquire import registry
from dyadwatch.acquire.download import make_client
from dyadwatch.acquire.plan import daily_urls, parse_dataverse, parse_index_md5, parse_masterlist, plan

READER_NAMES = {"gdelt1", "gdelt2", "icews", "icews-names", "icews-dyad-year", "unvotes", "atop", "ucdp-acd",
                "unsc-vetoes", "td-rivalries", "cow-mid-dyad-years", "cow-mid-disputes", "cow-mid-participants",
                "cow-war-dyad-years", "cow-war-participants", "cow-states", "gw-states", "cow-majors", "cow-nmc",
                "cow-igo", "polecat", "acled", "ucdp-ged"}
BRIEF_DATASETS = {"gdelt1", "gdelt2", "icews", "polecat", "unvotes", "atop", "ucdp-acd", "ucdp-ged", "cow-states",
                  "unsc-vetoes"}


def test_registry_holds_every_dataset_of_the_brief():
    assert BRIEF_DATASETS <= set(registry.names())


@pytest.mark.parametrize("name", registry.names())
def test_registry_record_is_complete(name):
    ds = registry.get(name)
    for attr in ("title", "publisher", "landing_url", "version", "licence", "citation", "checked"):
        assert getattr(ds, attr).strip(), f"{name}.{attr} is empty"
    assert ds.landing_url.startswith(("http://", "https://"))
    assert ds.format is None or ds.format in READER_NAMES
    if ds.kind == "files":
        assert all(f["url"].startswith(("http://", "https://")) for f in ds.source["files"])
    if ds.kind == "dataverse":
        assert ds.source["doi"].startswith("doi:10.7910/DVN/")


def test_registry_mirror_paths_are_listed_in_shared_provenance(shared_data):
    with open(shared_data / "provenance.csv", newline="", encoding="utf-8") as fh:
        listed = {r["file"] for r in csv.DictReader(fh)}
    for ds in registry.datasets().values():
        for m in ds.mirror:
            assert m.path in listed, f"{ds.name}: {m.path} not in provenance.csv"
            assert (shared_data / m.path).is_file()


def test_registry_unknown_name_lists_known_ones():
    with pytest.raises(UnknownNameError, match="known datasets: gdelt1, gdelt2"):
        registry.get("no-such-dataset")


def test_registry_dataverse_dois_of_the_brief():
    assert registry.get("icews").source["doi"] == "doi:10.7910/DVN/28075"
    assert registry.get("unvotes").source["doi"] == "doi:10.7910/DVN/LEJUQZ"
    assert registry.get("polecat").source["doi"] == "doi:10.7910/DVN/AJGVIT"


def test_plan_gdelt1_url_rule_daily_monthly_yearly():
    ds = registry.get("gdelt1")
    got = daily_urls(ds, dt.date(2015, 9, 30), dt.date(2015, 10, 1))
    assert got == [("http://data.gdeltproject.org/events/20150930.export.CSV.zip", dt.date(2015, 9, 30)),
                   ("http://data.gdeltproject.org/events/20151001.export.CSV.zip", dt.date(2015, 10, 1))]
    # 2013-03-31 is in the monthly file 201303.zip, 2005 in the yearly 2005.zip (each once)
    back = [u for u, _ in daily_urls(ds, dt.date(2005, 12, 30), dt.date(2006, 1, 2))]
    assert back == ["http://data.gdeltproject.org/events/2005.zip", "http://data.gdeltproject.org/events/200601.zip"]
    edge = [u for u, _ in daily_urls(ds, dt.date(2013, 3, 30), dt.date(2013, 4, 1))]
    assert edge == ["http://data.gdeltproject.org/events/201303.zip",
                    "http://data.gdeltproject.org/events/20130401.export.CSV.zip"]


def test_plan_gdelt1_md5_from_index_page():
    html = ('<LI><A HREF="20150930.export.CSV.zip">20150930.export.CSV.zip</A> (9.1MB) '
            '(MD5: 0123456789ABCDEF0123456789abcdef)\n'
            '<LI><A HREF="20151001.export.CSV.zip">20151001.export.CSV.zip</A> (8.7MB) '
            '(MD5: ffffffffffffffffffffffffffffffff)\n')
    assert parse_index_md5(html) == {"20150930.export.CSV.zip": "0123456789abcdef0123456789abcdef",
                                     "20151001.export.CSV.zip": "f" * 32}


MASTER = """150383 297a16b493de7cf6ca809a7cc31d0b93 http://data.gdeltproject.org/gdeltv2/20150218230000.export.CSV.zip
318084 bb27f78ba45f69a17ea6ed7755e9f8ff http://data.gdeltproject.org/gdeltv2/20150218230000.mentions.CSV.zip
149211 2a91041d7e72b0fc6a629e2ff867b240 http://data.gdeltproject.org/gdeltv2/20150218231500.export.CSV.zip

158842 a5298ce3c6df1a8a759c61b5c0b6f8bb http://data.gdeltproject.org/gdeltv2/20150219000000.export.CSV.zip
"""


def test_plan_gdelt2_masterlist_filters_exports_by_day():
    pattern = registry.get("gdelt2").source["pattern"]
    files = parse_masterlist(MASTER, pattern, dt.date(2015, 2, 18), dt.date(2015, 2, 18))
    assert [(f.filename, f.md5, f.size) for f in files] == [
        ("20150218230000.export.CSV.zip", "297a16b493de7cf6ca809a7cc31d0b93", 150383),
        ("20150218231500.export.CSV.zip", "2a91041d7e72b0fc6a629e2ff867b240", 149211)]
    assert len(parse_masterlist(MASTER, pattern, dt.date(2015, 2, 18), dt.date(2015, 2, 19))) == 3


def test_plan_gdelt2_malformed_masterlist_line_names_line():
    bad = MASTER + "oops not a line\n"
    with pytest.raises(FetchError, match="master file list line 6 is not 'size md5 url'"):
        parse_masterlist(bad, registry.get("gdelt2").source["pattern"], dt.date(2015, 1, 1), dt.date(2016, 1, 1))


def test_plan_per_day_dataset_needs_dates(fast):
    with make_client(fast) as client, pytest.raises(UsageError, match="--from and --to"):
        plan(registry.get("gdelt2"), client, fast)


LISTING = {"status": "OK", "data": {"latestVersion": {"files": [
    {"label": "events.2017.20201119.tab", "dataFile": {
        "id": 4501, "filename": "events.2017.20201119.tab", "originalFileFormat": "text/tab-separated-values",
        "originalFileName": "events.2017.20201119.tsv", "originalFileSize": 1000, "filesize": 1200,
        "md5": "11111111111111111111111111111111",
        "checksum": {"type": "MD5", "value": "11111111111111111111111111111111"}}},
    {"label": "events.2018.20201119.tab.zip", "dataFile": {
        "id": 4502, "filename": "events.2018.20201119.tab.zip", "filesize": 500,
        "checksum": {"type": "MD5", "value": "22222222222222222222222222222222"}}},
    {"label": "ICEWS_codebook.pdf", "dataFile": {"id": 4503, "filename": "ICEWS_codebook.pdf", "filesize": 9,
                                                 "checksum": {"type": "SHA-256", "value": "ab" * 32}}},
]}}}


def test_plan_dataverse_listing_original_files_and_years():
    text = json.dumps(LISTING)
    files = parse_dataverse(text, "https://dataverse.harvard.edu", r"^events\.(\d{4})",
                            dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert [(f.filename, f.url, f.md5, f.size) for f in files] == [
        ("events.2018.20201119.tab.zip", "https://dataverse.harvard.edu/api/access/datafile/4502",
         "22222222222222222222222222222222", 500)]
    every = parse_dataverse(text, "https://dataverse.harvard.edu/")
    assert every[0].url.endswith("/api/access/datafile/4501?format=original")
    assert every[0].filename == "events.2017.20201119.tsv" and every[0].size == 1000
    assert every[2].sha256 == "ab" * 32 and every[2].md5 is None
    with pytest.raises(FetchError, match="not a Dataverse data set listing"):
        parse_dataverse("<html>maintenance</html>", "https://x")


def test_plan_dataverse_through_the_native_api(server, fast):
    body = json.dumps(LISTING)
    server.add("/api/datasets/:persistentId/?persistentId=doi%3A10.7910%2FDVN%2F28075", body,
               content_type="application/json")
    rec = dict(name="icews-local", title="t", publisher="p", landing_url="http://x", version="1", licence="l",
               citation="c", format="icews",
               source={"kind": "dataverse", "server": server.base, "doi": "doi:10.7910/DVN/28075",
                       "include": r"^events\.(\d{4})"})
    ds = registry.register(rec)
    try:
        with make_client(fast) as client:
            files = plan(ds, client, fast, start=dt.date(2017, 1, 1), end=dt.date(2017, 12, 31))
    finally:
        registry.unregister("icews-local")
    assert [f.url for f in files] == [server.base + "/api/access/datafile/4501?format=original"]


def test_plan_daily_with_index_checksums_over_local_server(server, fast, tmp_path):
    from dyadwatch.acquire.fetch import fetch

    days = {"20150930": b"day one\n", "20151001": b"day two\n"}
    index = "".join(f'<LI><A HREF="{d}.export.CSV.zip">x</A> (1KB) (MD5: {hashlib.md5(b).hexdigest()})\n'
                    for d, b in days.items())
    server.add("/events/index.html", index, content_type="text/html")
    for d, b in days.items():
        server.add(f"/events/{d}.export.CSV.zip", b)
    rec = dict(name="gdelt1-local", title="t", publisher="p", landing_url="http://x", version="1", licence="l",
               citation="c", format="gdelt1",
               source={"kind": "daily", "url": server.base + "/events/{date:%Y%m%d}.export.CSV.zip",
                       "first_date": "2013-04-01", "checksum_index": server.base + "/events/index.html"})
    registry.register(rec)
    try:
        res = fetch("gdelt1-local", dest=tmp_path, start=dt.date(2015, 9, 30), end=dt.date(2015, 10, 1),
                    options=fast)
    finally:
        registry.unregister("gdelt1-local")
    assert [(d.path.name, d.verified_by) for d in res.files] == [
        ("20150930.export.CSV.zip", "md5 (publisher)"), ("20151001.export.CSV.zip", "md5 (publisher)")]
    assert (tmp_path / "gdelt1-local" / "20151001.export.CSV.zip").read_bytes() == b"day two\n"


def test_registry_every_dataset_is_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "fetch.md").read_text(encoding="utf-8")
    for name in registry.names():
        assert f"| `{name}` |" in doc, f"{name} missing from docs/fetch.md"
