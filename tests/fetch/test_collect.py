"""News collection: feeds with duplicate and malformed items, robots.txt, rate limit, once per article."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from dyadwatch.cli import main
from dyadwatch.errors import FetchError
from dyadwatch.acquire.collect import CollectOptions, canonical_url, collect, content_hash, doc_id_for
from dyadwatch.store import db

PARAS = {
    "talks": ["The foreign ministers of Iran and Russia met in Moscow on Tuesday to discuss the war in Syria.",
              "Both delegations said they would coordinate their positions before the next round of talks in "
              "Astana, according to officials who attended the meeting."],
    "strike": ["Russian aircraft struck positions near Idlib early on Wednesday, local monitors reported.",
               "The strikes followed an attack on a government checkpoint the night before, and several "
               "villages were evacuated as the fighting spread towards the provincial road."],
    "veto": ["Russia vetoed a draft resolution on Syria at the Security Council on Thursday.",
             "Thirteen members voted in favour of the text, which would have referred the conflict to the "
             "International Criminal Court, while China joined Russia in casting a negative vote."],
    "secret": ["This page is for staff only and should never be collected by a crawler that reads robots.txt.",
               "It repeats the talks in Moscow in different words, so only robots.txt keeps it out of the store."],
}


def _page(title: str, paras: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paras)
    return (f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a>"
            f"</nav><article><h1>{title}</h1>{body}</article><footer>Copyright test wire</footer></body></html>")


def _rss(base: str, items: list[str]) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test Wire</title>'
            f"<link>{base}/</link><description>test</description>{''.join(items)}</channel></rss>")


def _item(title: str, link: str | None, date: str = "Tue, 03 Oct 2017 09:00:00 GMT") -> str:
    link_xml = f"<link>{link}</link>" if link is not None else ""
    return f"<item><title>{title}</title>{link_xml}<pubDate>{date}</pubDate></item>"


@pytest.fixture
def site(server):
    b = server.base
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    for slug in ("talks", "strike", "veto"):
        server.add(f"/world/{slug}", _page(slug.title(), PARAS[slug]), content_type="text/html")
    server.add("/private/secret", _page("Secret", PARAS["secret"]), content_type="text/html")
    # the same talks article under a second URL (syndicated copy): same text
    server.add("/mirror/talks-copy", _page("Talks", PARAS["talks"]), content_type="text/html")
    feed1 = _rss(b, [
        _item("Talks in Moscow", f"{b}/world/talks"),
        _item("Talks in Moscow (again)", f"{b}/world/talks"),              # duplicate item
        _item("No link here", None),                                       # malformed: no link
        _item("Strike near Idlib", f"{b}/world/strike", "Wed, 04 Oct 2017 07:00:00 GMT"),
        _item("Staff page", f"{b}/private/secret"),                        # robots.txt disallows
        _item("Old news", f"{b}/world/veto?utm_source=old", "Mon, 02 Jan 2012 10:00:00 GMT"),
    ])
    atom = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Other Wire'
            f'</title><id>urn:test:other</id><updated>2017-10-05T10:00:00Z</updated>'
            f'<entry><title>Veto</title><link href="{b}/world/veto?utm_source=atom&amp;utm_medium=feed"/>'
            '<id>urn:test:1</id><updated>2017-10-05T10:00:00Z</updated></entry>'
            f'<entry><title>Talks</title><link href="{b}/world/talks#comments"/><id>urn:test:2</id>'
            '<updated>2017-10-03T10:00:00Z</updated></entry>'
            f'<entry><title>Talks copy</title><link href="{b}/mirror/talks-copy"/><id>urn:test:3</id>'
            '<updated>2017-10-03T11:00:00Z</updated></entry></feed>')
    server.add("/feed1.xml", feed1, content_type="application/rss+xml")
    server.add("/feed2.atom", atom, content_type="application/atom+xml")
    # a broken feed: not well-formed XML (unclosed tag), one readable item
    server.add("/broken.xml", _rss(b, [_item("Strike again", f"{b}/world/strike")]).replace("</channel>", ""),
               content_type="application/rss+xml")
    return server


@pytest.fixture
def con(tmp_path):
    c = db.connect(tmp_path / "s.duckdb")
    db.ensure_schema(c)
    yield c
    c.close()


def _opts(fast, rate=0.0, **kw):
    # the local test server is on 127.0.0.1: allowed explicitly (collect refuses loopback by default)
    return CollectOptions(rate_limit=rate, network=fast, allow_networks=("127.0.0.1/32",), **kw)


def test_collect_stores_each_article_once(site, con, fast):
    s = collect(con, [site.url("/feed1.xml"), site.url("/feed2.atom")], options=_opts(fast))
    docs = con.execute("SELECT url, title, publisher, published, feed_url FROM documents ORDER BY url").fetchall()
    b = site.base
    assert [d[0] for d in docs] == [f"{b}/world/strike", f"{b}/world/talks", f"{b}/world/veto"]
    assert s.stored == 3
    # same canonical URL: item 2 of feed1 (talks again), feed2's talks '#comments'
    # link and feed2's veto link (other utm_* parameters than feed1's); the
    # syndicated copy under another URL has the same text
    assert s.duplicate_url == 3 and s.duplicate_text == 1
    assert s.robots_disallowed == 1
    reasons = [r for _, _, r in s.problems]
    assert any("no usable link (None)" in r for r in reasons)
    assert any("disallowed by robots.txt" in r for r in reasons)
    talks = next(d for d in docs if d[0].endswith("/talks"))
    assert talks[1] == "Talks in Moscow" and talks[2] == "Test Wire"
    assert talks[3] == dt.datetime(2017, 10, 3, 9, 0) and talks[4] == site.url("/feed1.xml")
    text = con.execute("SELECT text, content_hash FROM documents WHERE url LIKE '%/talks'").fetchall()[0]
    assert "Iran and Russia met in Moscow" in text[0] and "Copyright" not in text[0]
    assert text[1] == content_hash(text[0])
    # never fetched: the disallowed page
    assert site.hits("/private/secret") == []


def test_collect_again_adds_nothing(site, con, fast):
    collect(con, [site.url("/feed1.xml")], options=_opts(fast))
    n = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    s = collect(con, [site.url("/feed1.xml")], options=_opts(fast))
    assert s.stored == 0 and con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == n


def test_collect_since_skips_older_items(site, con, fast):
    s = collect(con, [site.url("/feed1.xml")], since=dt.date(2017, 10, 4), options=_opts(fast))
    urls = [u for u, in con.execute("SELECT url FROM documents").fetchall()]
    assert urls == [site.url("/world/strike")]
    assert s.too_old == 4  # two talks items and the staff page (3 Oct), the 2012 item: dates are checked first


def test_collect_malformed_feed_keeps_readable_items(site, con, fast):
    s = collect(con, [site.url("/broken.xml")], options=_opts(fast))
    assert s.stored == 1
    assert any("not well-formed" in r for _, _, r in s.problems)


def test_collect_article_url_directly(site, con, fast):
    s = collect(con, [site.url("/world/veto?utm_campaign=x")], options=_opts(fast))
    assert s.stored == 1
    row = con.execute("SELECT doc_id, url FROM documents").fetchall()[0]
    assert row == (doc_id_for(site.url("/world/veto")), site.url("/world/veto"))


def test_collect_rate_limit_per_host(site, con, fast):
    t0 = time.monotonic()
    collect(con, [site.url("/world/talks"), site.url("/world/strike")], options=_opts(fast, rate=0.3))
    # robots.txt, talks, strike: three requests to one host, two gaps of >= 0.3 s
    assert time.monotonic() - t0 >= 0.6


def test_collect_all_sources_failing_is_an_error(site, con, fast):
    with pytest.raises(FetchError, match="no source could be read.*HTTP 404"):
        collect(con, [site.url("/nothing.xml")], options=_opts(fast))


def test_collect_server_error_retried(site, con, fast):
    site.add("/flaky.xml", site.routes["/feed1.xml"].body, "status:503", "ok", content_type="application/rss+xml")
    s = collect(con, [site.url("/flaky.xml")], options=_opts(fast))
    assert s.stored == 3 and len(site.hits("/flaky.xml")) == 2


def test_collect_canonical_url_rules():
    assert canonical_url("HTTP://Example.COM:80/a/b?z=1&utm_source=x&a=2#frag") == "http://example.com/a/b?a=2&z=1"
    assert canonical_url("https://example.com") == "https://example.com/"
    assert doc_id_for("https://example.com/x?fbclid=abc") == doc_id_for("https://EXAMPLE.com/x")
    assert content_hash("a  b\n c ") == content_hash("a b c")


def test_collect_cli(site, tmp_path, capsys, monkeypatch):
    store = tmp_path / "cli.duckdb"
    rc = main(["collect", site.url("/feed2.atom"), "--rate-limit", "0", "--allow-private", "--db", str(store),
               "-o", "json"])
    assert rc == 0
    out = capsys.readouterr()
    assert '"stored": 2' in out.out and '"duplicate_text": 1' in out.out


def test_collect_hands_new_documents_to_the_coder(site, con, fast):
    s = collect(con, [site.url("/world/talks"), site.url("/world/veto")], options=_opts(fast), code=True)
    assert s.stored == 2 and s.coded is not None and s.coded > 0
    rows = con.execute("SELECT e.doc_id, d.url, e.dataset, e.sentence FROM events e "
                       "JOIN documents d USING (doc_id)").fetchall()
    assert len(rows) == s.coded  # every coded event points at its article
    assert {r[2] for r in rows} == {"text"}
    texts = {r[1]: con.execute("SELECT text FROM documents WHERE url = ?", [r[1]]).fetchall()[0][0] for r in rows}
    norm = lambda t: " ".join(t.split())  # noqa: E731
    assert all(norm(r[3]) in norm(texts[r[1]]) for r in rows)  # the evidence sentence is in the article
    again = collect(con, [site.url("/world/talks")], options=_opts(fast), code=True)
    assert again.stored == 0 and again.coded == 0
