"""Collect news: RSS/Atom feeds and article pages into the ``documents`` table.

:func:`collect` takes feed URLs and article URLs. A feed (RSS 0.9x/1.0/2.0
or Atom, parsed by ``feedparser``) yields items; each item's page is fetched
and its main text extracted with ``trafilatura``; an article URL is one
item. Every request

- asks the host's ``robots.txt`` first (``urllib.robotparser``, cached per
  host; a page it disallows for our user agent is skipped and counted);
- waits until ``rate_limit`` seconds have passed since the previous request
  to the same host;
- is retried with back-off on HTTP 429/5xx, time-outs and dropped
  connections (the policy of :mod:`dyadwatch.acquire.download`).

A document is stored once: its ``doc_id`` comes from the canonical URL
(lower-case scheme and host, no fragment, no ``utm_*``/``fbclid``/``gclid``
parameters, remaining parameters sorted), so the same article reached from
two feeds is one row; an article whose whitespace-normalised text has the
sha256 of a stored one is not stored again either. Items that cannot be
used (no link, no text, a page that fails) are counted with their reason in
the returned :class:`CollectSummary` — never dropped silently.

:func:`code_collected` hands stored documents to the event coder
(:mod:`dyadwatch.coding`) and stores the events (dataset ``text``) with the
documents' ``doc_id``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx

from dyadwatch.errors import FetchError, UsageError
from dyadwatch.acquire.download import FetchOptions, ProgressEvent, _Retry, _status_error, make_client, with_retries

_TRACKING = re.compile(r"^(utm_[a-z]+|fbclid|gclid|mc_cid|mc_eid|ocid|cmpid)$", re.IGNORECASE)


@dataclass(frozen=True)
class CollectOptions:
    """Collection settings. ``rate_limit`` is the minimum gap in seconds between
    two requests to one host; ``network`` holds time-outs and retries."""

    rate_limit: float = 2.0
    respect_robots: bool = True
    network: FetchOptions = field(default_factory=lambda: FetchOptions(retries=3, read_timeout=30.0))


@dataclass
class CollectSummary:
    """What one collection did. ``problems`` lists (source, item, reason)."""

    sources: int = 0
    items: int = 0
    stored: int = 0
    duplicate_url: int = 0
    duplicate_text: int = 0
    too_old: int = 0
    robots_disallowed: int = 0
    problems: list[tuple[str, str, str]] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)
    coded: int | None = None  # events coded from the new documents (None: not asked)

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["problems"] = len(self.problems)
        d.pop("doc_ids")
        if d["coded"] is None:
            d.pop("coded")
        return d


def canonical_url(url: str) -> str:
    """The URL with lower-case scheme/host, no default port, no fragment, no
    tracking parameters, the other parameters sorted.

    >>> canonical_url("HTTPS://News.Example.org:443/a?utm_source=rss&b=2&a=1#top")
    'https://news.example.org/a?a=1&b=2'
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                             if not _TRACKING.match(k)))
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def doc_id_for(url: str) -> str:
    """``doc:`` + 16 hex digits of the sha256 of the canonical URL."""
    return "doc:" + hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def content_hash(text: str) -> str:
    """sha256 hex of the text with runs of white space collapsed and ends stripped."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


class _Web:
    """HTTP with robots.txt and a per-host rate limit."""

    def __init__(self, options: CollectOptions, progress):
        self.options = options
        self.client = make_client(options.network)
        self.progress = progress
        self.robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self.robots_error: dict[str, str] = {}  # host base -> why its robots.txt could not be read
        self.last: dict[str, float] = {}

    def refusal(self, url: str) -> str:
        """Why ``allowed(url)`` was False: robots.txt forbids it, or it could not be read."""
        parts = urlsplit(url)
        why = self.robots_error.get(f"{parts.scheme}://{parts.netloc}")
        return f"robots.txt could not be read ({why}); not crawled" if why else "disallowed by robots.txt"

    def close(self) -> None:
        self.client.close()

    def _wait_turn(self, host: str) -> None:
        last = self.last.get(host)
        if last is not None:
            gap = self.options.rate_limit - (time.monotonic() - last)
            if gap > 0:
                time.sleep(gap)
        self.last[host] = time.monotonic()

    def allowed(self, url: str) -> bool:
        if not self.options.respect_robots:
            return True
        parts = urlsplit(url)
        base = f"{parts.scheme}://{parts.netloc}"
        rp = self.robots.get(base)
        if rp is None:
            rp = urllib.robotparser.RobotFileParser(base + "/robots.txt")
            try:
                resp = self._get(base + "/robots.txt", check_robots=False, raise_status=False)
                if resp.status_code in (401, 403):
                    rp.disallow_all = True
                elif resp.status_code >= 400:
                    rp.allow_all = True
                else:
                    rp.parse(resp.text.splitlines())
            except FetchError as exc:
                rp.disallow_all = True  # cannot tell: do not crawl the host
                self.robots_error[base] = exc.reason
            self.robots[base] = rp
        return rp.can_fetch(self.options.network.user_agent, url)

    def _get(self, url: str, *, check_robots: bool = True, raise_status: bool = True) -> httpx.Response:
        host = urlsplit(url).netloc

        def once() -> httpx.Response:
            self._wait_turn(host)
            resp = self.client.get(url)
            if raise_status and resp.status_code != 200:
                raise _status_error(resp, url, hint=None)
            if not raise_status and resp.status_code >= 500:
                raise _Retry(f"HTTP {resp.status_code}")
            return resp

        resp, _ = with_retries(once, url, self.options.network, self.progress, url)
        return resp  # type: ignore[return-value]

    def get(self, url: str) -> httpx.Response:
        return self._get(url)


def _struct_to_dt(st) -> dt.datetime | None:
    if not st:
        return None
    return dt.datetime.fromtimestamp(calendar.timegm(st), dt.timezone.utc).replace(tzinfo=None)


def _looks_like_feed(resp: httpx.Response) -> bool:
    ctype = resp.headers.get("Content-Type", "").lower()
    if any(t in ctype for t in ("rss", "atom", "xml")):
        return True
    head = resp.content[:512].lstrip().lower()
    return head.startswith(b"<?xml") or head.startswith(b"<rss") or head.startswith(b"<feed")


def _extract(html: str, url: str) -> tuple[str | None, dict[str, Any]]:
    import trafilatura

    text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False, favor_precision=True)
    meta = trafilatura.extract_metadata(html, default_url=url)
    info = {}
    if meta is not None:
        info = {"title": meta.title, "publisher": meta.sitename, "date": meta.date}
    return text, info


def _stored(con, doc_id: str, chash: str | None = None) -> str | None:
    if chash is None:
        row = con.execute("SELECT 1 FROM documents WHERE doc_id = ?", [doc_id]).fetchall()
        return "url" if row else None
    row = con.execute("SELECT 1 FROM documents WHERE content_hash = ?", [chash]).fetchall()
    return "text" if row else None


def collect(con, sources: list[str], *, since: dt.date | None = None, options: CollectOptions | None = None,
            progress: Callable[[ProgressEvent], None] | None = None,
            on_document: Callable[[str], None] | None = None, code: bool = False) -> CollectSummary:
    """Collect feeds and article URLs into ``documents`` (see the module docstring).

    Parameters
    ----------
    con : DuckDB connection of the store (schema created).
    sources : feed URLs and/or article URLs.
    since : keep only items published on or after this day (UTC); items
        without a date are kept.
    options : rate limit, robots.txt, network settings.
    progress : receives ``ProgressEvent("done", url, message=...)`` per item.
    on_document : called with each new ``doc_id``.
    code : hand the new documents to the event coder and store the events
        (:func:`code_collected`); ``summary.coded`` is the number of events.

    Returns
    -------
    CollectSummary

    Raises
    ------
    UsageError
        A source that is not an http(s) URL (before any request).
    FetchError
        Only when no source at all could be read; a failing source among
        several is recorded in ``problems``.
    """
    import feedparser

    bad = [s for s in sources if urlsplit(s).scheme not in ("http", "https") or not urlsplit(s).netloc]
    if bad:
        raise UsageError(f"{bad[0]!r} is not an http(s) URL; give feed or article URLs such as "
                         "https://example.org/feed.xml")
    options = options or CollectOptions()
    progress = progress or (lambda e: None)
    summary = CollectSummary()
    web = _Web(options, progress)
    failed_sources = 0
    try:
        for src in sources:
            summary.sources += 1
            try:
                if not web.allowed(src):
                    summary.robots_disallowed += 1
                    summary.problems.append((src, "", web.refusal(src)))
                    failed_sources += 1
                    continue
                resp = web.get(src)
            except FetchError as exc:
                summary.problems.append((src, "", exc.one_line()))
                failed_sources += 1
                continue
            parsed = feedparser.parse(resp.content) if _looks_like_feed(resp) else None
            if parsed is not None and not parsed.version and not parsed.entries:
                parsed = None  # XML that is no feed (XHTML): read it as a page
            if parsed is not None:
                if parsed.bozo:
                    summary.problems.append((src, "", f"feed is not well-formed ({parsed.bozo_exception}); "
                                                      "items that could be read were kept"))
                feed_title = parsed.feed.get("title")
                items = [(i, e) for i, e in enumerate(parsed.entries, 1)]
                for i, entry in items:
                    summary.items += 1
                    _collect_item(con, web, summary, src, f"item {i}", entry.get("link"), entry.get("title"),
                                  feed_title, _struct_to_dt(entry.get("published_parsed") or entry.get("updated_parsed")),
                                  since, progress, on_document)
            else:
                summary.items += 1
                _collect_item(con, web, summary, src, "page", src, None, None, None, since, progress, on_document,
                              response=resp, feed_url=None)
    finally:
        web.close()
    if sources and failed_sources == len(sources):
        raise FetchError(f"no source could be read: {summary.problems[0][2]}",
                         hint="check the URLs; robots.txt and HTTP errors are listed above")
    if code:
        events, _, _ = code_collected(con, summary.doc_ids)
        summary.coded = len(events)
    return summary


def _collect_item(con, web: _Web, summary: CollectSummary, src: str, label: str, link, title, publisher,
                  published, since, progress, on_document, response: httpx.Response | None = None,
                  feed_url: str | None = "same") -> None:
    feed_url = src if feed_url == "same" else feed_url
    if not link or not str(link).startswith(("http://", "https://")):
        summary.problems.append((src, label, f"no usable link ({link!r}); item skipped"))
        return
    if since and published and published.date() < since:
        summary.too_old += 1
        return
    doc_id = doc_id_for(link)
    if _stored(con, doc_id):
        summary.duplicate_url += 1
        progress(ProgressEvent("done", link, message="already stored (same URL)"))
        return
    if response is None:
        try:
            if not web.allowed(link):
                summary.robots_disallowed += 1
                summary.problems.append((src, label, f"{link}: {web.refusal(link)}"))
                return
            response = web.get(link)
        except FetchError as exc:
            summary.problems.append((src, label, exc.one_line()))
            return
    text, meta = _extract(response.text, link)
    if not text or not text.strip():
        summary.problems.append((src, label, f"{link}: no article text could be extracted"))
        return
    chash = content_hash(text)
    if _stored(con, doc_id, chash):
        summary.duplicate_text += 1
        progress(ProgressEvent("done", link, message="already stored (same text)"))
        return
    if published is None and meta.get("date"):
        try:
            published = dt.datetime.fromisoformat(meta["date"])
        except ValueError:
            published = None
        if since and published and published.date() < since:
            summary.too_old += 1
            return
    host = urlsplit(link).hostname
    con.execute("INSERT INTO documents (doc_id, url, title, publisher, published, text, fetched_at, content_hash, "
                "feed_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [doc_id, canonical_url(link), title or meta.get("title"), publisher or meta.get("publisher") or host,
                 published, text, dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), chash, feed_url])
    summary.stored += 1
    summary.doc_ids.append(doc_id)
    progress(ProgressEvent("done", link, message="stored"))
    if on_document:
        on_document(doc_id)


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
    from dyadwatch.coding.documents import Document
    from dyadwatch.coding.output import ingest_events

    sql = "SELECT doc_id, published, text, url, title FROM documents"
    params: list = []
    if doc_ids is not None:
        if not doc_ids:
            return [], None, None
        sql += f" WHERE doc_id IN ({', '.join('?' * len(doc_ids))})"
        params = list(doc_ids)
    docs = [Document(doc_id=d, date=pub.date() if pub else None, text=text, url=url, title=title)
            for d, pub, text, url, title in con.execute(sql + " ORDER BY doc_id", params).fetchall()]
    events, report = code_documents(docs)
    batch = ingest_events(con, events) if events else None
    return events, report, batch
