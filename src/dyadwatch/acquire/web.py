"""Polite, bounded HTTP for feeds and pages: robots.txt, rate limit, own redirects, caps, deadline.

:class:`Web` is the crawler's HTTP side, kept between runs by a long-running
collector. Every page it gets (:meth:`Web.get`) goes through these steps for
the URL asked for and again for each redirect hop:

1. the URL must be ``http``/``https`` with a host and a valid port
   (:func:`check_url`); anything else — ``file://``, ``javascript:``,
   ``http://[bad``, port 99999 — is refused at once, never retried;
2. the host's ``robots.txt`` must allow it for our user agent (read once per
   scheme, host and port — RFC 9309 2.3 — kept ``robots_ttl`` seconds — RFC 9309 says at most 24 h — and read
   up to its first 512 KiB, RFC 9309 2.5; 401/403 forbid the host, other
   4xx allow it, a server or network failure forbids it and says why);
3. ``rate_limit`` seconds must have passed since the last request to the
   host (per host name, whatever the scheme, port or user name);
4. the connection goes only to public addresses, checked after DNS
   resolution (:mod:`dyadwatch.acquire.guard`) unless the options allow
   private ones;
5. the answer is read streamed up to ``max_bytes`` (decoded), and the whole
   page — its redirects, retries and back-off, but not the rate-limit waits
   — must be done within ``deadline`` seconds;
6. a 3xx answer's ``Location`` is resolved against the URL and becomes the
   next hop (at most ``max_redirects``; a hop seen before is a loop); HTTP
   429/5xx, time-outs and dropped connections are retried with back-off
   (:mod:`dyadwatch.acquire.http`); other 4xx fail at once.

Failures raise :class:`~dyadwatch.errors.FetchError`; a refusal by policy
(robots.txt, address, scheme, size, deadline, redirects) raises its subclass
:class:`Refused`, whose ``kind`` says which. State kept between pages — the
robots.txt cache and the per-host clocks — is bounded by ``max_hosts``
entries (least recently used dropped first), so a process that runs for
months does not grow with the number of hosts it met.
"""

from __future__ import annotations

import contextlib
import re
import time
import urllib.robotparser
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx

from dyadwatch.errors import FetchError
from dyadwatch.acquire import guard
from dyadwatch.acquire.http import (
    Deadline, DeadlinePassed, Progress, _Retry, _status_error, read_capped, with_retries,
)

if TYPE_CHECKING:  # pragma: no cover
    from dyadwatch.acquire.collect import CollectOptions

REDIRECT_STATUS = frozenset({301, 302, 303, 307, 308})
MAX_URL = 8192  # characters; longer links are refused (common servers refuse them too)
ROBOTS_MAX = 512 << 10  # bytes of robots.txt read (RFC 9309 2.5: at least 500 KiB)
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f]")


class Refused(FetchError):
    """A URL not fetched by policy. ``kind``: ``url`` (not a usable http(s) URL), ``robots``,
    ``address`` (not public), ``size``, ``deadline`` or ``redirects``."""

    def __init__(self, kind: str, reason: str, **kw):
        self.kind = kind
        super().__init__(reason, **kw)


def check_url(url: object) -> str:
    """``url`` stripped, if it is an http(s) URL dyadwatch can request; else :class:`Refused` (``url``).

    >>> check_url("  https://example.org/a b ")
    'https://example.org/a b'
    >>> check_url("http://[bad")
    Traceback (most recent call last):
    ...
    dyadwatch.acquire.web.Refused: 'http://[bad' is not a usable URL (Invalid IPv6 URL)
    """
    if not isinstance(url, str):
        raise Refused("url", f"{url!r} is not a URL")
    url = url.strip()
    if len(url) > MAX_URL:
        raise Refused("url", f"URL of {len(url):,} characters is over {MAX_URL:,}; not fetched")
    try:
        parts = urlsplit(url)
        port = parts.port
        host = parts.hostname
    except ValueError as exc:
        raise Refused("url", f"{url[:200]!r} is not a usable URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise Refused("url", f"{url[:200]!r} is not an http(s) URL ({parts.scheme or 'no'} scheme); not fetched")
    if not host:
        raise Refused("url", f"{url[:200]!r} has no host")
    if port == 0:
        raise Refused("url", f"{url[:200]!r} has port 0")
    if _BAD_CHARS.search(parts.netloc):
        raise Refused("url", f"{url[:200]!r} has a control character or space in its host")
    try:
        httpx.URL(url).host  # decodes the host's IDNA labels: 'xn--' alone is malformed
    except (httpx.InvalidURL, ValueError, UnicodeError) as exc:
        raise Refused("url", f"{url[:200]!r} is not a usable URL ({exc})") from None
    return url


@dataclass
class Page:
    """One answer: the URL asked for, the URL it came from after redirects, its status and bytes
    (``location``: where a redirect answer points)."""

    url: str
    final_url: str
    status: int
    content_type: str
    content: bytes
    charset: str | None = None
    location: str | None = None

    @property
    def text(self) -> str:
        """The body decoded with its charset (UTF-8 when none or unknown), bad bytes replaced."""
        try:
            return self.content.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


class _Lru(OrderedDict):
    """A dict that forgets its least recently used entries beyond ``limit``."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = max(1, limit)

    def touch(self, key, value) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


class Web:
    """HTTP for collecting (see the module docstring); one per collector, reused between runs.

    Parameters
    ----------
    options : a :class:`dyadwatch.acquire.collect.CollectOptions`.
    progress : receives ``retry`` :class:`ProgressEvent` s.
    """

    def __init__(self, options: CollectOptions, progress: Progress | None = None):
        self.options = options
        net = options.network
        self.transport = guard.GuardedTransport(guard.AddressPolicy(options.allow_private,
                                                                    tuple(options.allow_networks)))
        self.client = httpx.Client(transport=self.transport, follow_redirects=False, trust_env=False,
                                   timeout=httpx.Timeout(net.read_timeout, connect=net.connect_timeout),
                                   headers={"User-Agent": net.user_agent, **net.headers})
        self.progress = progress or (lambda e: None)
        self.robots: _Lru = _Lru(options.max_hosts)  # base URL -> (parser, read at, why unreadable or None)
        self.last: _Lru = _Lru(options.max_hosts)  # host name -> monotonic time of the last request

    def close(self) -> None:
        self.client.close()

    # -- politeness -------------------------------------------------------------
    def _wait_turn(self, host: str, deadline: Deadline) -> None:
        last = self.last.get(host)
        if last is not None:
            gap = self.options.rate_limit - (time.monotonic() - last)
            if gap > 0:
                time.sleep(gap)
                deadline.extend(gap)  # politeness is not the server's slowness
        self.last.touch(host, time.monotonic())

    def _robots(self, url: str) -> tuple[urllib.robotparser.RobotFileParser, str | None]:
        base = _origin(url)
        hit = self.robots.get(base)
        if hit is not None and time.monotonic() - hit[1] < self.options.robots_ttl:
            self.robots.move_to_end(base)
            return hit[0], hit[2]
        rp = urllib.robotparser.RobotFileParser(base + "/robots.txt")
        why = None
        try:
            page = self._chain(base + "/robots.txt", robots=False, limit=ROBOTS_MAX, truncate=True,
                               max_redirects=5, accept=lambda status: True)
            status = page.status
            if status in (401, 403):
                rp.disallow_all = True
            elif status >= 400:
                rp.allow_all = True
            else:
                rp.parse(page.text.splitlines())
        except Refused as exc:
            if exc.kind == "address":
                raise  # the host itself is refused: say so, not "robots.txt unreadable"
            rp.disallow_all, why = True, exc.reason
        except FetchError as exc:
            rp.disallow_all, why = True, exc.reason  # cannot tell: do not crawl the host
        self.robots.touch(base, (rp, time.monotonic(), why))
        return rp, why

    def check_robots(self, url: str) -> None:
        """Raise :class:`Refused` (``robots``) unless the host's robots.txt allows ``url``."""
        if not self.options.respect_robots:
            return
        rp, why = self._robots(url)
        try:
            ok = rp.can_fetch(self.options.network.user_agent, url)
        except (ValueError, UnicodeError):
            ok = False
        if not ok:
            reason = (f"{url}: robots.txt could not be read ({why}); not crawled" if why
                      else f"{url}: disallowed by robots.txt")
            raise Refused("robots", reason)

    # -- requests -----------------------------------------------------------------
    def get(self, url: str) -> Page:
        """The page at ``url`` (a 200 answer), following redirects hop by hop (module docstring).

        Raises
        ------
        Refused
            By policy: not an http(s) URL, robots.txt, a non-public address,
            over ``max_bytes``, past ``deadline``, too many redirects or a loop.
        FetchError
            Any other failure (HTTP 404, retries exhausted ...).
        """
        return self._chain(url, robots=True, limit=self.options.max_bytes, truncate=False,
                           max_redirects=self.options.max_redirects, accept=lambda status: status == 200)

    def _chain(self, url: str, *, robots: bool, limit: int, truncate: bool, max_redirects: int,
               accept) -> Page:
        deadline = Deadline(self.options.deadline)
        first = url
        seen: list[str] = []
        current = check_url(url)
        while True:
            seen.append(current)
            if robots:
                t0 = time.monotonic()
                self.check_robots(current)
                deadline.extend(time.monotonic() - t0)  # the page's own time starts after its host's robots.txt
            answer = self._once(current, deadline, limit, truncate, accept)
            if answer.location is None:
                answer.url, answer.final_url = first, current
                return answer
            try:
                nxt = check_url(urljoin(current, answer.location))
            except Refused as exc:
                raise Refused("url", f"{current}: redirect to {answer.location[:200]!r} refused: {exc.reason}; "
                                     "not retried") from None
            if nxt in seen:
                raise Refused("redirects", f"{first}: redirect loop ({' -> '.join(seen[-3:])} -> {nxt}); not retried")
            if len(seen) > max_redirects:
                raise Refused("redirects", f"{first}: more than {max_redirects} redirects; not followed further")
            current = nxt

    def _once(self, url: str, deadline: Deadline, limit: int, truncate: bool, accept) -> Page:
        host = (urlsplit(url).hostname or "").lower()  # one clock per host (not per port, scheme or user name)

        def attempt() -> Page:
            self._wait_turn(host, deadline)
            with guard.deadline(deadline.at):
                # straight to the transport: httpx's client would parse the Location itself and raise
                # InvalidURL for a hostile one (javascript:...) before we could name it
                req = self.client.build_request("GET", url)
                resp = self.transport.handle_request(req)
                resp.request = req
                with contextlib.closing(resp):
                    status = resp.status_code
                    if status in REDIRECT_STATUS:
                        loc = resp.headers.get("Location")
                        if not loc:
                            raise FetchError(f"{url}: HTTP {status} without a Location header")
                        return Page(url, url, status, "", b"", location=loc)
                    if not accept(status):
                        raise _status_error(resp, url, hint=None)
                    if status >= 500:
                        raise _Retry(f"HTTP {status}", resp.headers.get("Retry-After"))
                    try:
                        body = read_capped(resp, limit, url, truncate=truncate,
                                           hint="the page is larger than collect reads; raise max_bytes if it "
                                                "is worth it")
                    except FetchError as exc:
                        raise Refused("size", exc.reason, hint=exc.hint) from None
                    return Page(url, url, status, resp.headers.get("Content-Type", ""), body, resp.charset_encoding)

        try:
            answer, _ = with_retries(attempt, url, self.options.network, self.progress, url, deadline=deadline)
        except guard.AddressRefused as exc:
            raise Refused("address", f"{url}: {exc.reason}", hint=exc.hint) from None
        except DeadlinePassed as exc:
            raise Refused("deadline", exc.reason, hint=exc.hint) from None
        return answer  # type: ignore[return-value]


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of a checked URL: lower case, no user name, default port left out."""
    parts = urlsplit(url)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")

