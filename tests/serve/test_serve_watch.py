"""A watch cycle against a local news site and a local GDELT 2.0 list: events, alerts, nothing twice."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dyadwatch.serve.config import load_config
from dyadwatch.serve.watch import watch
from tests.serve.conftest import write_config
from tests.serve.feedserver import gdelt2_row

ARTICLE = ["Russia and Iran signed an agreement on Tuesday.",
           "Russia will meet Iran next week, officials in Moscow said."]


def _q(db, sql, params=()):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_serve_watch_feed_article_becomes_events_and_an_alert(tmp_path, feed):
    feed.publish("Moscow and Tehran sign a pact", ARTICLE)
    cfg = load_config(write_config(tmp_path, feed, min_events=2))
    db = tmp_path / "w.duckdb"
    lines: list[tuple[str, str]] = []
    [s1] = watch(cfg, db, once=True, log=lambda step, line: lines.append((step, line)))
    assert (s1.documents, s1.coded_documents, s1.failed) == (1, 1, 0)
    steps = [st for st, _ in lines]
    assert steps[:2] == ["cycle", "collect"] and "code" in steps and steps[-2:] == ["analyse", "summary"]
    assert lines[-1][1].startswith(f"cycle {s1.cycle_id} done in ")
    ev = _q(db, "SELECT src_country, tgt_country, cameo_code, doc_id, sentence FROM events WHERE dataset = 'text' "
                "ORDER BY 1, 2, 3")
    # (the extracted text starts with the article's title, so the first sentence carries it)
    assert all(r[3].startswith("doc:") and r[4].endswith(tuple(ARTICLE)) for r in ev)
    assert s1.events_coded == len(ev)
    pair = [r for r in ev if {r[0], r[1]} == {"IRN", "RUS"}]
    assert len(pair) >= 2  # the agreement and the meeting
    # no IRN-RUS events before: the week is new activity, a large volume alert (2 events >= min_events)
    alerts = _q(db, "SELECT a, b, kind, band, evidence_from, evidence_to, message FROM alerts")
    vol = [a for a in alerts if a[2] == "volume"]
    assert len(vol) == 1 and vol[0][:4] == ("IRN", "RUS", "volume", "large")
    assert vol[0][4] <= max(d for (d,) in _q(db, "SELECT event_date FROM events")) <= vol[0][5]
    assert "new over the 4-week norm" in vol[0][6]
    state = _q(db, "SELECT arrow, cycle_id FROM watch_dyads")
    assert state == [("unchanged", s1.cycle_id)]
    src = _q(db, "SELECT source, kind, last_status, new_items FROM watch_sources")
    assert src == [(feed.feed_url, "feed", "ok", 1)]

    # a second cycle with nothing new adds nothing
    [s2] = watch(cfg, db, once=True)
    assert (s2.documents, s2.coded_documents, s2.events_coded, s2.alerts) == (0, 0, 0, 0)
    assert _q(db, "SELECT count(*) FROM events")[0][0] == len(ev)
    assert _q(db, "SELECT count(*) FROM alerts")[0][0] == len(alerts)
    assert _q(db, "SELECT status, count(*) FROM watch_cycles GROUP BY 1") == [("done", 2)]

    # a new article: its events are added, the article once
    feed.publish("Talks in Tehran", ["Iran criticized Russia on Wednesday."])
    [s3] = watch(cfg, db, once=True)
    assert s3.documents == 1 and s3.coded_documents == 1
    assert _q(db, "SELECT count(*) FROM documents")[0][0] == 2
    assert _q(db, "SELECT count(DISTINCT event_id) = count(*) FROM events")[0][0]


def test_serve_watch_gdelt_file_once_and_a_bad_checksum_refused(tmp_path, feed):
    today = dt.date.today()
    rows = [gdelt2_row(900000 + k, today, "IRN", "RUS", "190" if k % 2 else "042", 4 if k % 2 else 1,
                       -10.0 if k % 2 else 1.9, f"https://news.example.org/{k}") for k in range(6)]
    feed.add_gdelt("20240101120000", rows)
    cfg = load_config(write_config(tmp_path, feed, gdelt=True, min_events=3))
    db = tmp_path / "g.duckdb"
    [s1] = watch(cfg, db, once=True)
    assert (s1.files, s1.dataset_events) == (1, 6)
    assert _q(db, "SELECT count(*) FROM events WHERE dataset = 'gdelt2'")[0][0] == 6
    files = _q(db, "SELECT dataset, url, stamp FROM watch_files")
    assert files == [("gdelt2", feed.url("/gdeltv2/20240101120000.export.CSV.zip"), dt.datetime(2024, 1, 1, 12))]
    assert _q(db, "SELECT verified_by FROM dataset_provenance WHERE dataset = 'gdelt2'") == [("md5 (publisher)",)]
    kinds = {(k, b) for k, b in _q(db, "SELECT kind, band FROM alerts")}
    assert ("volume", "large") in kinds and ("conflict_share", "large") in kinds
    [s2] = watch(cfg, db, once=True)  # the same list again: nothing fetched, nothing stored
    assert (s2.files, s2.dataset_events) == (0, 0)
    assert feed.requests.count("/gdeltv2/20240101120000.export.CSV.zip") == 1
    # the next file announced with a wrong MD5: refused, nothing ingested, the problem named
    feed.add_gdelt("20240101121500", rows[:2], bad_md5=True)
    [s3] = watch(cfg, db, once=True)
    assert s3.files == 0 and any("gdelt2" in p and "md5" in p.lower() for p in s3.problems), s3.problems
    assert _q(db, "SELECT count(*) FROM events WHERE dataset = 'gdelt2'")[0][0] == 6
    assert _q(db, "SELECT last_status FROM watch_sources WHERE source = 'gdelt2'")[0][0].startswith("failed")


def test_serve_watch_unreadable_feed_is_a_problem_not_a_crash(tmp_path, feed):
    cfg = load_config(write_config(tmp_path, feed, extra=""))
    cfg = cfg.__class__(**{**cfg.__dict__, "feeds": (feed.url("/missing.xml"),)})
    db = tmp_path / "m.duckdb"
    [s] = watch(cfg, db, once=True)
    assert s.documents == 0 and s.problems and "404" in s.problems[0]
    assert _q(db, "SELECT last_status FROM watch_sources")[0][0].startswith("failed")
    assert _q(db, "SELECT status FROM watch_cycles") == [("done",)]


@pytest.mark.parametrize("private", [False])
def test_serve_watch_refuses_loopback_without_allowance(tmp_path, feed, private):
    path = write_config(tmp_path, feed)
    path.write_text(path.read_text().replace('allow_networks = ["127.0.0.1/32"]', "allow_networks = []"))
    feed.publish("x", ARTICLE)
    [s] = watch(load_config(path), tmp_path / "p.duckdb", once=True)
    assert s.documents == 0 and any("127.0.0.1" in p or "private" in p or "loopback" in p for p in s.problems)
    assert feed.requests == []  # refused before connecting
