"""Collect news: RSS/Atom feeds and article pages into the ``documents`` table.

:func:`collect` takes feed URLs and article URLs. A feed (RSS 0.9x/1.0/2.0
or Atom, parsed by ``feedparser``) yields items; each item's page is fetched
and its main text extracted with ``trafilatura``; an article URL is one
item. Every request goes through :class:`dyadwatch.acquire.web.Web`:
robots.txt and the per-host rate limit are checked for the URL and for each
redirect hop, only public addresses are reached (unless allowed), answers
are capped in size and each page in time, and redirects to anything but
http(s) are refused at once.

Every item has exactly one outcome, counted in :class:`CollectSummary`:
``stored``, ``duplicate_url``, ``duplicate_text``, ``too_old`` or
``failed`` (with its reason in ``problems``) — so ``items = stored +
duplicate_url + duplicate_text + too_old + failed``. One bad item (a link
like ``http://[bad``, a port out of range, a redirect loop, a broken gzip
body, a page over the cap) is a problem of that item; the run goes on.

A document is stored once: its ``doc_id`` comes from the canonical *final*
URL (after redirects; lower-case scheme and host, no fragment, no
``utm_*``/``fbclid``/``gclid`` parameters, remaining parameters sorted) and
``url`` holds that URL, so the same article reached from two feeds is one
row; an article whose whitespace-normalised text has the sha256 of a stored
one is not stored again either. ``document_links`` remembers which link
(the URL a feed gave) led to which stored document, so a link that
redirects, or whose text was already stored, is not fetched again.

**The store is not held during the crawl.** With ``open_store`` (what the
CLI passes) the store is opened only for short moments: to look up which
links of a chunk of ``batch_size`` items are already known, and to write
the chunk's documents in one transaction; pages are fetched while it is
closed, so ``ingest`` or a query can use the store between chunks. With a
connection ``con`` the caller holds the store (each chunk is still one
transaction).

**Long-running use.** :class:`Collector` keeps the HTTP client, the
robots.txt cache (entries kept ``robots_ttl`` seconds) and the per-host
rate-limit clocks between runs, each bounded to ``max_hosts`` hosts, so a
process can call :meth:`Collector.run` once per cycle for months: memory
per run is bounded by one feed (``max_bytes``), one chunk of documents and
the run's summary (``max_problems`` problems listed, the rest counted).

:func:`code_collected` hands stored documents to the event coder
(:mod:`dyadwatch.coding`) and stores the events (dataset ``text``) with the
documents' ``doc_id``.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from dyadwatch.errors import FetchError, UsageError
from dyadwatch.acquire.http import FetchOptions, ProgressEvent
from dyadwatch.acquire.web import Page, Refused, Web, check_url

_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.IGNORECASE)
_CHUNK_TEXT = 32 << 20  # characters of extracted text held before a chunk is written
_FIELD_MAX = 2000  # characters kept of a title or publisher name


@dataclass(frozen=True)
class CollectOptions:
    """Collection settings (times in seconds, sizes in bytes).

    ``rate_limit``: minimum gap between two requests to one host.
    ``respect_robots``: obey robots.txt. ``network``: time-outs, retries
    and back-off (:class:`~dyadwatch.acquire.http.FetchOptions`).
    ``max_bytes``: cap on one answer (feed or page, decoded; default 16 MiB).
    ``deadline``: time for one page including its redirects and retries,
    not counting rate-limit waits (default 60). ``max_redirects``: hops
    followed per page (default 10). ``allow_private``: also reach loopback,
    private and link-local addresses; ``allow_networks``: CIDR networks
    allowed besides public addresses (``("127.0.0.1/32",)``).
    ``batch_size``: items per store chunk (lookup + one write transaction).
    ``max_hosts``: hosts whose robots.txt and rate clock are remembered
    between runs; ``robots_ttl``: how long a robots.txt is trusted (24 h,
    RFC 9309). ``max_problems``: problems listed per run (more are counted).
    """

    rate_limit: float = 2.0
    respect_robots: bool = True
    network: FetchOptions = field(default_factory=lambda: FetchOptions(retries=3, read_timeout=30.0))
    max_bytes: int = 16 << 20
    deadline: float = 60.0
    max_redirects: int = 10
    allow_private: bool = False
    allow_networks: tuple[str, ...] = ()
    batch_size: int = 20
    max_hosts: int = 10_000
    robots_ttl: float = 86_400.0
    max_problems: int = 1000


@dataclass
class CollectSummary:
    """What one collection did. ``problems`` lists (source, item, reason); ``item`` is ``""``
    for a problem of the source itself (unreadable, malformed feed)."""

    sources: int = 0
    items: int = 0
    stored: int = 0
    duplicate_url: int = 0
    duplicate_text: int = 0
    too_old: int = 0
    failed: int = 0
    robots_disallowed: int = 0
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    problems_not_listed: int = 0
    doc_ids: list[str] = field(default_factory=list)
    coded: int | None = None  # events coded from the new documents (None: not asked)
    max_problems: int = 1000

    def problem(self, source: str, item: str, reason: str) -> None:
        """Record a problem (listed up to ``max_problems``, then only counted)."""
        if len(self.problems) < self.max_problems:
            self.problems.append((source, item, reason))
        else:
            self.problems_not_listed += 1

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["problems"] = len(self.problems) + d.pop("problems_not_listed")
        d.pop("doc_ids")
        d.pop("max_problems")
        if d["coded"] is None:
            d.pop("coded")
        return d


def canonical_url(url: str) -> str:
    """The URL with lower-case scheme/host, no default port, no user name, no
    fragment, no tracking parameters, the other parameters sorted, the path
    percent-encoded (idempotent: a canonical URL is its own canonical URL).

    >>> canonical_url("HTTPS://News.Example.org:443/a?utm_source=rss&b=2&a=1#top")
    'https://news.example.org/a?a=1&b=2'
    >>> canonical_url("http://[::1]:8080/x")
    'http://[::1]:8080/x'
    >>> canonical_url("https://example.org/caf\u00e9 au lait")
    'https://example.org/caf%C3%A9%20au%20lait'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address keeps its brackets
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")  # spaces, Unicode: percent-encoded once
    return urlunsplit((scheme, host, path, query, ""))


def doc_id_for(url: str) -> str:
    """``doc:`` + 16 hex digits of the sha256 of the canonical URL."""
    return "doc:" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """sha256 hex of the text with runs of white space collapsed and ends stripped."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class _Item:
    source: str
    label: str
    link: object
    title: str | None = None
    publisher: str | None = None
    published: dt.datetime | None = None
    page: Page | None = None  # the source itself when it is an article page
    feed_url: str | None = None


@dataclass
class _Doc:
    item: _Item
    link_id: str
    link: str
    doc_id: str
    url: str
    title: str | None
    publisher: str | None
    published: dt.datetime | None
    text: str
    chash: str


class _Store:
    """The store, held (``con``) or opened for each short session (``open_store``)."""

    def __init__(self, con, open_store):
        if con is None and open_store is None:
            raise UsageError("collect needs a store: give con or open_store")
        self.con, self.open_store = con, open_store

    @contextlib.contextmanager
    def session(self) -> Iterator[Any]:
        from dyadwatch.store.tables_documents import DOCUMENT_LINKS

        if self.con is not None:
            self.con.execute(DOCUMENT_LINKS.ddl())
            yield self.con
            return
        with self.open_store() as store:
            store.con.execute(DOCUMENT_LINKS.ddl())  # a store made before this table existed
            yield store.con


class Collector:
    """A collector that keeps its HTTP client, robots.txt cache and per-host clocks between runs.

    >>> # a long-running process (sketch):
    >>> # with Collector(CollectOptions(rate_limit=5)) as c:
    >>> #     while True:
    >>> #         summary = c.run(feeds, open_store=lambda: dyadwatch.open(db))
    >>> #         time.sleep(900)

    Parameters
    ----------
    options : :class:`CollectOptions`.
    progress : receives ``ProgressEvent("done", url, message=...)`` per item
        and ``retry`` events.
    """

    def __init__(self, options: CollectOptions | None = None,
                 progress: Callable[[ProgressEvent], None] | None = None):
        self.options = options or CollectOptions()
        self.progress = progress or (lambda e: None)
        self.web = Web(self.options, self.progress)

    def close(self) -> None:
        self.web.close()

    def __enter__(self) -> Collector:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def run(self, sources: list[str], *, con=None, open_store=None, since: dt.date | None = None,
            on_document: Callable[[str], None] | None = None, code: bool = False) -> CollectSummary:
        """Collect ``sources`` once (see :func:`collect` for the parameters and errors)."""
        for s in sources:
            try:
                check_url(s)
            except Refused:
                raise UsageError(f"{s!r} is not an http(s) URL; give feed or article URLs such as "
                                 "https://example.org/feed.xml") from None
        store = _Store(con, open_store)
        summary = CollectSummary(max_problems=self.options.max_problems)
        failed_sources = 0
        failed_links: dict[str, str] = {}  # link id -> why it failed in this run (not fetched again)
        with store.session() as c:  # an article URL stored before is not fetched again
            stored_sources = _known(c, sorted({doc_id_for(s) for s in sources}))
        for src in sources:
            summary.sources += 1
            if doc_id_for(src) in stored_sources:
                summary.items += 1
                summary.duplicate_url += 1
                self.progress(ProgressEvent("done", src, message="already stored (same URL)"))
                continue
            try:
                page = self.web.get(src)
                items = self._items(src, page, summary)
            except FetchError as exc:
                if isinstance(exc, Refused) and exc.kind == "robots":
                    summary.robots_disallowed += 1
                summary.problem(src, "", exc.one_line())
                failed_sources += 1
                continue
            except Exception as exc:  # noqa: BLE001 - a hostile source must not end the run
                summary.problem(src, "", _internal(exc))
                failed_sources += 1
                continue
            size = max(1, self.options.batch_size)
            for k in range(0, len(items), size):
                self._chunk(items[k:k + size], store, summary, since, on_document, failed_links)
        if sources and failed_sources == len(sources):
            raise FetchError(f"no source could be read: {summary.problems[0][2]}",
                             hint="check the URLs; robots.txt and HTTP errors are listed above")
        if code:
            summary.coded = self._code(store, summary.doc_ids)
        return summary

    # -- items ----------------------------------------------------------------------
    def _items(self, src: str, page: Page, summary: CollectSummary) -> list[_Item]:
        import feedparser

        parsed = None
        if _looks_like_feed(page):
            parsed = feedparser.parse(page.content)  # links as written: a bad one is reported as it is
            if not parsed.version and not parsed.entries:
                parsed = None  # XML that is no feed (XHTML): read it as a page
        if parsed is None:
            return [_Item(src, "page", src, page=page)]
        if parsed.bozo:
            summary.problem(src, "", f"feed is not well-formed ({parsed.bozo_exception}); "
                                     "items that could be read were kept")
        feed_title = _text_field(parsed.feed.get("title"))
        return [_Item(src, f"item {i}", _absolute(e.get("link"), page.final_url), _text_field(e.get("title")), feed_title,
                      _struct_to_dt(e.get("published_parsed") or e.get("updated_parsed")), feed_url=src)
                for i, e in enumerate(parsed.entries, 1)]

    def _fail(self, summary: CollectSummary, item: _Item, reason: str) -> None:
        summary.failed += 1
        summary.problem(item.source, item.label, reason)

    def _chunk(self, chunk: list[_Item], store: _Store, summary: CollectSummary, since, on_document,
               failed_links: dict[str, str]) -> None:
        todo: list[tuple[_Item, str, str]] = []
        for it in chunk:
            summary.items += 1
            try:
                link = check_url(it.link)
            except Refused as exc:
                self._fail(summary, it, f"no usable link ({exc.reason}); item skipped" if it.link
                           else f"no usable link ({it.link!r}); item skipped")
                continue
            if since and it.published and it.published.date() < since:
                summary.too_old += 1
                continue
            todo.append((it, link, doc_id_for(link)))
        if not todo:
            return
        with store.session() as con:
            known = _known(con, sorted({lid for _, _, lid in todo}))
        pending: list[_Doc] = []
        held = 0
        for it, link, lid in todo:
            if lid in failed_links:  # the same link failed earlier in this run: failed again, not a duplicate
                self._fail(summary, it, f"{failed_links[lid]} (the same link as an earlier item; not fetched again)")
                continue
            if lid in known:
                summary.duplicate_url += 1
                self.progress(ProgressEvent("done", link, message="already stored (same URL)"))
                continue
            known.add(lid)  # the same link twice in one run is fetched once
            try:
                doc = self._document(it, link, lid, since)
            except FetchError as exc:
                if isinstance(exc, Refused) and exc.kind == "robots":
                    summary.robots_disallowed += 1
                doc = exc.one_line()
            except Exception as exc:  # noqa: BLE001 - one hostile item must not end the run
                doc = f"{link}: {_internal(exc)}"
            if doc is None:
                summary.too_old += 1
                continue
            if isinstance(doc, str):
                failed_links[lid] = doc[:500]
                self._fail(summary, it, doc)
                continue
            pending.append(doc)
            held += len(doc.text)
            if len(pending) >= self.options.batch_size or held > _CHUNK_TEXT:
                self._write(store, pending, summary, on_document)
                pending, held = [], 0
        self._write(store, pending, summary, on_document)

    def _document(self, it: _Item, link: str, lid: str, since) -> _Doc | str | None:
        """The item's document; a str is why there is none; None: too old (by the page's own date)."""
        page = it.page if it.page is not None else self.web.get(link)
        text, meta = _extract(page.text, page.final_url)
        if not text or not text.strip():
            return f"{page.final_url}: no article text could be extracted"
        published = it.published
        if published is None and meta.get("date"):
            try:
                published = dt.datetime.fromisoformat(meta["date"])
            except (ValueError, TypeError):
                published = None
            if since and published and published.date() < since:
                return None
        final = page.final_url
        return _Doc(it, lid, link, doc_id_for(final), canonical_url(final), _text_field(it.title or meta.get("title")),
                    _text_field(it.publisher or meta.get("publisher")) or urlsplit(final).hostname, published, text,
                    content_hash(text))

    def _write(self, store: _Store, docs: list[_Doc], summary: CollectSummary, on_document) -> None:
        """Store a chunk of documents in one transaction (each once: by final URL, then by text)."""
        if not docs:
            return
        new: list[_Doc] = []
        now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
        outcome: list[tuple[_Doc, str]] = []
        with store.session() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                for d in docs:
                    target = _one(con, "SELECT doc_id FROM documents WHERE doc_id = ?", d.doc_id)
                    how = "url"
                    if target is None:
                        how = "text"
                        target = _one(con, "SELECT doc_id FROM documents WHERE content_hash = ?", d.chash)
                    if target is None:
                        how = "new"
                        con.execute("INSERT INTO documents (doc_id, url, title, publisher, published, text, "
                                    "fetched_at, content_hash, feed_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    [d.doc_id, d.url, d.title, d.publisher, d.published, d.text, now, d.chash,
                                     d.item.feed_url])
                        target = d.doc_id
                        new.append(d)
                    if d.link_id != target:  # remember where this link led: not fetched again
                        con.execute("INSERT INTO document_links (link_id, link_url, doc_id) SELECT ?, ?, ? "
                                    "WHERE NOT EXISTS (SELECT 1 FROM document_links WHERE link_id = ?)",
                                    [d.link_id, canonical_url(d.link), target, d.link_id])
                    outcome.append((d, how))
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        for d, how in outcome:
            if how == "url":
                summary.duplicate_url += 1
                self.progress(ProgressEvent("done", d.link, message="already stored (same URL)"))
            elif how == "text":
                summary.duplicate_text += 1
                self.progress(ProgressEvent("done", d.link, message="already stored (same text)"))
        for d in new:
            summary.stored += 1
            summary.doc_ids.append(d.doc_id)
            self.progress(ProgressEvent("done", d.link, message="stored"))
            if on_document:
                on_document(d.doc_id)

    def _code(self, store: _Store, doc_ids: list[str]) -> int:
        if store.con is not None:
            events, _, _ = code_collected(store.con, doc_ids)
            return len(events)
        if not doc_ids:
            return 0
        from dyadwatch.coding.coder import code_documents
        from dyadwatch.coding.output import ingest_events

        with store.session() as con:  # read, code with the store closed, then write
            docs = _documents(con, doc_ids)
        events, _ = code_documents(docs)
        if events:
            with store.session() as con:
                ingest_events(con, events)
        return len(events)


def collect(con, sources: list[str], *, since: dt.date | None = None, options: CollectOptions | None = None,
            progress: Callable[[ProgressEvent], None] | None = None,
            on_document: Callable[[str], None] | None = None, code: bool = False,
            open_store: Callable[[], Any] | None = None) -> CollectSummary:
    """Collect feeds and article URLs into ``documents`` once (see the module docstring).

    Parameters
    ----------
    con : DuckDB connection of the store (schema created), held by the
        caller; or None with ``open_store``.
    sources : feed URLs and/or article URLs.
    since : keep only items published on or after this day (UTC); items
        without a date are kept.
    options : :class:`CollectOptions` (rate limit, robots.txt, caps,
        deadline, redirects, addresses allowed, chunk size).
    progress : receives ``ProgressEvent("done", url, message=...)`` per item.
    on_document : called with each new ``doc_id`` (after its chunk committed).
    code : hand the new documents to the event coder and store the events
        (:func:`code_collected`); ``summary.coded`` is the number of events.
    open_store : instead of ``con``, a callable returning a context manager
        with a ``.con`` attribute (a :class:`dyadwatch.api.Dyadwatch`); it is
        opened only for each chunk's look-up and write, never while pages
        are fetched.

    Returns
    -------
    CollectSummary (``items = stored + duplicate_url + duplicate_text + too_old + failed``)

    Raises
    ------
    UsageError
        A source that is not an http(s) URL (before any request).
    FetchError
        Only when no source at all could be read; a failing source among
        several, and every failing item, is recorded in ``problems``.
    StoreError
        The store cannot be opened (locked past the wait) or written.
    """
    with Collector(options, progress) as c:
        return c.run(sources, con=con, open_store=open_store, since=since, on_document=on_document, code=code)


def _absolute(link: object, base: str) -> object:
    """A relative link (``/world/x``, ``//host/x``) resolved against the feed's URL; others as given."""
    if not isinstance(link, str) or not link.strip():
        return link
    try:
        if urlsplit(link.strip()).scheme:
            return link
        return urljoin(base, link.strip())
    except ValueError:
        return link  # check_url says what is wrong with it


def _internal(exc: Exception) -> str:
    text = " ".join(str(exc).split())[:300]
    return f"internal error {type(exc).__name__}: {text} (skipped; please report this)"


def _known(con, link_ids: list[str]) -> set[str]:
    """The link ids already stored as a document or remembered as a link."""
    if not link_ids:
        return set()
    marks = ", ".join("?" * len(link_ids))
    rows = con.execute(f"SELECT doc_id FROM documents WHERE doc_id IN ({marks}) "
                       f"UNION SELECT link_id FROM document_links WHERE link_id IN ({marks})",
                       link_ids + link_ids).fetchall()
    return {r[0] for r in rows}


def _one(con, sql: str, value: str) -> str | None:
    row = con.execute(sql + " LIMIT 1", [value]).fetchall()
    return row[0][0] if row else None


def _text_field(value: object) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    return " ".join(value.split())[:_FIELD_MAX]


def _struct_to_dt(st) -> dt.datetime | None:
    if not st:
        return None
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(st), dt.timezone.utc).replace(tzinfo=None)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def _looks_like_feed(page: Page) -> bool:
    ctype = page.content_type.lower()
    if any(t in ctype for t in ("rss", "atom", "xml")):
        return True
    head = page.content[:512].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")


def _extract(html: str, url: str) -> tuple[str | None, dict[str, Any]]:
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html, default_url=url)
    info = {}
    if meta is not None:
        info = {"title": meta.title, "publisher": meta.sitename, "date": meta.date}
    return text, info


def _documents(con, doc_ids: list[str] | None):
    from dyadwatch.coding.documents import Document

    sql = "SELECT doc_id, published, text, url, title FROM documents"
    params: list = []
    if doc_ids is not None:
        sql += f" WHERE doc_id IN ({', '.join('?' * len(doc_ids))})"
        params = list(doc_ids)
    return [Document(doc_id=d, date=pub.date() if pub else None, text=text, url=url, title=title)
            for d, pub, text, url, title in con.execute(sql + " ORDER BY doc_id", params).fetchall()]


def code_collected(con, doc_ids: list[str] | None = None):
    """Hand stored documents to the event coder and store their events.

    Parameters
    ----------
    con : DuckDB connection of the store.
    doc_ids : documents to code (default: every document in ``documents``).

    Returns
    -------
    (events, report, batch) : the coded events (dicts in the layout of
    :mod:`dyadwatch.coding.schema`), the coder's
    :class:`~dyadwatch.coding.coder.CodingReport`, and the ingest
    :class:`~dyadwatch.store.ingest.BatchSummary` (dataset ``text``; None
    when no event was coded). Each event keeps the document's ``doc_id``, so
    ``events.doc_id`` joins ``documents.doc_id``; coding the same documents
    again adds nothing.
    """
    from dyadwatch.coding.coder import code_documents
    from dyadwatch.coding.output import ingest_events

    if doc_ids is not None and not doc_ids:
        return [], None, None
    events, report = code_documents(_documents(con, doc_ids))
    batch = ingest_events(con, events) if events else None
    return events, report, batch
