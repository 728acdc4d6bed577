"""Issue 14, fuzzing: hostile feed items, URLs and Dataverse listings (hypothesis, seeded, bounded).

Feeds: hypothesis builds RSS feeds of 1-6 items whose links are good pages
(with tracking parameters, fragments, upper-case hosts, relative paths),
misbehaving routes of a local server (redirect loops and chains, redirects to
``file://`` and private addresses, broken gzip, pages over the cap, 404,
500, no text, binary) or arbitrary strings (``http://[bad``, ports out of
range, other schemes, Unicode, 10,000 characters, nothing), with arbitrary
titles and dates, sometimes left unescaped so the XML breaks. Each feed goes
through :func:`collect` into one store. Allowed: every item has one outcome
(``items = stored + duplicates + too_old + failed``), no "internal error",
every document stored once (by URL and by text), only from the local server,
and a good page is never lost.

URLs: arbitrary text through ``check_url`` (accepts or raises ``Refused``,
nothing else), ``canonical_url`` (idempotent) and ``doc_id_for``.

Listings: arbitrary JSON in the shape of a Dataverse listing through
``parse_dataverse``: a :class:`FetchError` or files with safe base names.

Bounded: ``DYADWATCH_FUZZ_EXAMPLES`` feeds (default 20), 25x that many URLs
and 10x listings; derandomized (the same inputs every run). The module prints
how many inputs ran, how long they took and the outcome of every item.
"""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from dataclasses import replace
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.errors import FetchError
from dyadwatch.acquire.collect import CollectOptions, canonical_url, collect, doc_id_for
from dyadwatch.acquire.plan import parse_dataverse, safe_name
from dyadwatch.acquire.web import Refused, check_url
from dyadwatch.store import db
from tests.fetch.test_collect import PARAS, _page

N = int(os.environ.get("DYADWATCH_FUZZ_EXAMPLES", "20"))
RUNS: Counter = Counter()
OUTCOMES: Counter = Counter()
SECONDS: Counter = Counter()
KINDS: Counter = Counter()  # (kind of link, outcome) -> items

GOOD = {f"/world/{slug}": slug for slug in ("talks", "strike", "veto")}
BAD_ROUTES = ["/r/loop", "/r/file", "/r/private", "/r/meta", "/r/chain1", "/r/good", "/r/js", "/gz", "/big",
              "/e404", "/e500", "/empty", "/binary", "/private/x"]
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


def _routes(server):
    server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    for path, slug in GOOD.items():
        server.add(path, _page(slug.title(), PARAS[slug]), content_type="text/html")
    server.add("/r/loop", b"", "redirect:/r/loop")
    server.add("/r/file", b"", "redirect:file:///etc/passwd")
    server.add("/r/private", b"", "redirect:http://10.0.0.1/admin")
    server.add("/r/meta", b"", "redirect:http://169.254.169.254/latest/meta-data/")
    server.add("/r/js", b"", "redirect:javascript:alert(1)")
    server.add("/r/chain1", b"", "redirect:/r/chain2")
    server.add("/r/chain2", b"", "redirect:/world/strike")
    server.add("/r/good", b"", "redirect:/world/talks?utm_source=fuzz")
    server.add("/gz", _page("Gz", PARAS["veto"]), "gzip-broken", content_type="text/html")
    server.add("/big", b"<p>filler text</p>", "endless:3000000", content_type="text/html")
    server.add("/e500", b"", "status:500")
    server.add("/empty", "<html><body><nav>menu</nav></body></html>", content_type="text/html")
    server.add("/binary", bytes(range(256)) * 8, content_type="application/octet-stream")
    server.add("/private/x", _page("Secret", PARAS["secret"]), content_type="text/html")


@st.composite
def links(draw, base: str):
    """(kind, link): kind ``good:<variant>``, ``route``, ``text`` or ``bad:<what>`` (tallied per kind)."""
    kind = draw(st.sampled_from(["good", "good", "good", "route", "route", "text", "bad"]))
    if kind == "good":
        path = draw(st.sampled_from(sorted(GOOD)))
        variant = draw(st.sampled_from(["plain", "utm", "fragment", "upper", "relative", "query"]))
        if variant == "relative":
            return "good:relative", path
        url = base + path
        if variant == "utm":
            url += "?utm_source=" + draw(st.text("abc", min_size=1, max_size=5))
        elif variant == "fragment":
            url += "#" + draw(st.text("xyz", max_size=5))
        elif variant == "upper":
            url = url.replace("http://127.0.0.1", "HTTP://127.0.0.1")
        elif variant == "query":
            url += "?fbclid=" + draw(st.text("0123", min_size=1, max_size=4))
        return f"good:{variant}", url
    if kind == "route":
        return "route", base + draw(st.sampled_from(BAD_ROUTES))
    if kind == "text":
        return "text", draw(_text)
    return draw(st.one_of(
        st.sampled_from([("bad:http://[bad", "http://[bad"), ("bad:empty", "http://"), ("bad:empty", ""),
                         ("bad:empty", "   "), ("bad:missing", None)]),
        st.integers(-5, 200_000).map(lambda p: ("bad:port", f"http://127.0.0.1:{p}/world/talks")),
        st.sampled_from(["file:///etc/passwd", "ftp://example.org/x", "javascript:alert(1)", "data:text/html,hi",
                         "mailto:a@b.c"]).map(lambda u: ("bad:scheme", u)),
        st.sampled_from(["//127.0.0.1/world/talks", "http://127.0.0.1:0/", "http://\u0000/",
                         "http://exa mple.org/", "http://ex\u00e4mple.\u0440\u0444/", "https://xn--/",
                         "http://user:pw@127.0.0.1/world/veto", "http://[::1]:99999/"]).map(lambda u: ("bad:odd", u)),
        st.integers(8_000, 12_000).map(lambda n: ("bad:long", base + "/world/talks?q=" + "a" * n)),
    ))


_REASONS = [  # (words in a problem's reason, what the tally calls it), first match wins
    ("the same link as an earlier item", "same failing link again"),
    ("no usable link", "no usable link"), ("redirect loop", "redirect loop"),
    ("not an http(s) URL", "not http(s)"), ("a loopback address", "loopback refused"),
    ("a private address", "private refused"), ("a link-local address", "link-local refused"),
    ("robots.txt could not be read", "robots.txt unreadable"), ("disallowed by robots.txt", "robots.txt disallows"),
    ("cannot be decoded", "body undecodable"), ("over the cap", "over the size cap"),
    ("within", "deadline"), ("HTTP 404", "HTTP 404"), ("HTTP 500", "HTTP 500"), ("no article text", "no article text"),
    ("not a usable", "no usable link"),
]


def _reason_class(reason: str) -> str:
    for words, name in _REASONS:
        if words in reason:
            return name
    return "other: " + reason[:50]


@st.composite
def feeds(draw, base: str):
    items, kinds = [], []
    for i in range(draw(st.integers(1, 6))):
        kind, link = draw(links(base))
        kinds.append((kind, link))
        title = draw(_text)
        date = draw(st.one_of(st.none(), _text, st.sampled_from(
            ["Tue, 03 Oct 2017 09:00:00 GMT", "Mon, 01 Jan 0001 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT",
             "2017-10-03T09:00:00Z", "yesterday", "Thu, 32 Feb 2017 25:61:61 GMT"])))
        raw = draw(st.booleans()) and draw(st.integers(0, 9)) == 0  # sometimes leave the XML unescaped
        esc = (lambda v: v) if raw else escape
        link_xml = "" if link is None else f"<link>{esc(str(link))}</link>"
        date_xml = "" if date is None else f"<pubDate>{esc(date)}</pubDate>"
        items.append(f"<item><title>{esc(title)}</title>{link_xml}{date_xml}</item>")
    xml = ('<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Fuzz</title>'
           f"<link>{base}/</link><description>fuzz</description>{''.join(items)}</channel></rss>")
    return xml, kinds


@pytest.fixture
def store(tmp_path):
    con = db.connect(tmp_path / "fuzz.duckdb")
    db.ensure_schema(con)
    yield con
    con.close()


def test_collect_fuzz_feed_items(server, store, fast):
    _routes(server)
    opts = CollectOptions(rate_limit=0.0, network=replace(fast, retries=0, read_timeout=5.0, connect_timeout=5.0),
                          allow_networks=("127.0.0.1/32",), max_bytes=1_000_000, deadline=10.0, batch_size=3)
    base = server.base
    counter = {"n": 0}

    @settings(max_examples=N, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                     HealthCheck.data_too_large])
    @given(feed=feeds(base))
    def check(feed):
        xml, kinds = feed
        counter["n"] += 1
        path = f"/feed{counter['n']}.xml"
        server.add(path, xml, content_type="application/rss+xml")
        before = store.execute("SELECT count(*) FROM documents").fetchall()[0][0]
        t0 = time.monotonic()
        try:
            s = collect(store, [server.url(path)], options=opts)
        except FetchError as exc:  # only when the feed itself could not be read
            assert exc.one_line().startswith("no source could be read"), exc.one_line()
            OUTCOMES["feed unreadable"] += 1
            return
        finally:
            SECONDS["feeds"] += time.monotonic() - t0
        RUNS["feeds"] += 1
        RUNS["items"] += s.items
        for k in ("stored", "duplicate_url", "duplicate_text", "too_old", "failed"):
            OUTCOMES[k] += getattr(s, k)
        assert s.items == s.stored + s.duplicate_url + s.duplicate_text + s.too_old + s.failed
        reasons = [r for _, _, r in s.problems]
        assert not any("internal error" in r for r in reasons), reasons
        assert all("\n" not in r for r in reasons)
        n, ids, hashes, foreign = store.execute(
            "SELECT count(*), count(DISTINCT doc_id), count(DISTINCT content_hash), "
            "count(*) FILTER (WHERE url NOT LIKE ?) FROM documents", [base + "/%"]).fetchall()[0]
        assert n == ids == hashes, "a document was stored twice"
        assert foreign == 0, "a document came from somewhere else than the local server"
        assert n == before + s.stored
        failed_items = {item: reason for _, item, reason in s.problems if item}
        if s.items == len(kinds):  # the feed parsed as written: item i is kinds[i - 1]
            for i, (k, link) in enumerate(kinds, 1):
                kind = "route " + link[len(base):] if k == "route" else k
                reason = failed_items.get(f"item {i}")
                KINDS[(kind, "stored or duplicate" if reason is None else "failed: " + _reason_class(reason))] += 1
        else:
            KINDS[("(feed XML broken)", f"{s.items} of {len(kinds)} items read")] += 1
        if s.items == len(kinds) and any(k.startswith("good") for k, _ in kinds):
            # every good page is stored, a duplicate, or too old
            goods = [f"item {i}" for i, (k, _) in enumerate(kinds, 1) if k.startswith("good")]
            failed = {item for _, item, _ in s.problems if item}
            assert not failed & set(goods), [p for p in s.problems if p[1] in goods]

    check()
    print(f"\ncollect fuzz: {RUNS['feeds']} feeds, {RUNS['items']} items in {SECONDS['feeds']:.1f} s; "
          f"outcomes {dict(OUTCOMES)}")
    for (kind, outcome), n in sorted(KINDS.items()):
        print(f"  {kind:28} {outcome:40} {n:5}")
    assert RUNS["feeds"] + OUTCOMES["feed unreadable"] == N


_label = st.text("abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
_host = st.one_of(st.lists(_label, min_size=1, max_size=4).map(".".join),
                  st.sampled_from(["127.0.0.1", "[::1]", "[2001:db8::1]", "EXAMPLE.org", "ex\u00e4mple.org",
                                   "\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444", "a..b", "-x-.org", "[bad", "a:b:c",
                                   "xn--", "xn--zz.org", "xn--80ak6aa92e.com"]))
_printable = st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), exclude_characters="?#&")
_path = st.lists(st.text(_printable,
                         max_size=8), max_size=4).map(lambda parts: "/" + "/".join(parts))
_query = st.lists(st.tuples(st.sampled_from(["a", "b", "utm_source", "fbclid", "q", "Z", ""]),
                            st.text(_printable, max_size=6)), max_size=4).map(
    lambda kv: ("?" + "&".join(f"{k}={v}" for k, v in kv)) if kv else "")
_structured = st.builds(lambda sc, h, p, path, q, fr: f"{sc}://{h}{p}{path}{q}{fr}",
                        st.sampled_from(["http", "https", "HTTP", "hTTps", "http", "https", "file", "javascript", ""]),
                        _host, st.one_of(st.just(""), st.integers(1, 65535).map(lambda p: f":{p}"),
                                         st.integers(-10, 70_000).map(lambda p: f":{p}"), st.just(":x")),
                        _path, _query, st.one_of(st.just(""), _text.map(lambda t: "#" + t)))


@settings(max_examples=25 * N, deadline=None, derandomize=True, database=None)
@given(url=st.one_of(_structured, _structured, _structured, _text))
def test_collect_fuzz_urls(url):
    RUNS["urls"] += 1
    try:
        ok = check_url(url)
    except Refused as exc:
        assert exc.kind == "url" and "\n" not in exc.one_line()
        OUTCOMES["url refused"] += 1
        return
    OUTCOMES["url accepted"] += 1
    canon = canonical_url(ok)
    assert canonical_url(canon) == canon
    assert doc_id_for(ok) == doc_id_for(canon)
    assert check_url(canon) == canon  # a canonical URL can itself be fetched


_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | _text,
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text, inner, max_size=3),
                     max_leaves=8)
_name = st.one_of(st.sampled_from(["events.2017.tab", "ok.csv", "../x.csv", "../../etc/cron.d/x", "/etc/passwd",
                                    "..", ".", "", "a/b/c.tab", "C:\\x\\y.csv", "x" * 300, "nul\x00.csv",
                                    "tab\there.csv", "ev[1].csv", "ic*.csv", "\u00e9v\u00e9nements.tsv"]),
                  _text, _json)
_good_file = st.fixed_dictionaries({
    "label": _name,
    "dataFile": st.fixed_dictionaries({
        "id": st.one_of(st.integers(0, 10**9), st.integers(0, 10**6).map(str)),
        "filename": _name,
    }, optional={
        "originalFileFormat": st.one_of(st.none(), st.just("text/csv")),
        "originalFileName": _name,
        "filesize": st.one_of(st.integers(-5, 10**12), _json),
        "md5": st.one_of(st.text("0123456789abcdef", min_size=32, max_size=32), _json),
        "checksum": st.fixed_dictionaries({"type": st.sampled_from(["MD5", "SHA-256", "x"]),
                                           "value": st.one_of(st.text("0123456789abcdef", min_size=32,
                                                                      max_size=64), _json)}),
    }),
})
_entry = st.one_of(_good_file, _good_file, _good_file, st.fixed_dictionaries({}, optional={
    "label": _json, "dataFile": st.one_of(_json, st.fixed_dictionaries({}, optional={"id": _json, "filename": _json}))}))


@settings(max_examples=10 * N, deadline=None, derandomize=True, database=None)
@given(files=st.lists(st.one_of(_entry, _entry, _entry, _json), max_size=4))
def test_collect_fuzz_dataverse_listings(files):
    RUNS["listings"] += 1
    text = json.dumps({"data": {"latestVersion": {"files": files}}})
    try:
        out = parse_dataverse(text, "https://dv.example.org")
    except FetchError as exc:
        assert "\n" not in exc.one_line()
        OUTCOMES["listing refused"] += 1
        return
    OUTCOMES["listing read"] += 1
    OUTCOMES["listing files"] += len(out)
    names = [f.filename for f in out]
    assert len(set(names)) == len(names)
    assert all(safe_name(n) == n and "/" not in n and "\\" not in n for n in names)
    assert all(f.url.startswith("https://dv.example.org/api/access/datafile/") for f in out)
    assert all(f.size is None or (isinstance(f.size, int) and f.size >= 0) for f in out)


def test_collect_fuzz_zz_report():
    """Print the tally of the two property tests above (run in file order)."""
    print(f"\nurl fuzz: {OUTCOMES['url accepted']} accepted, {OUTCOMES['url refused']} refused; "
          f"listing fuzz: {OUTCOMES['listing read']} read ({OUTCOMES['listing files']} files), "
          f"{OUTCOMES['listing refused']} refused")
