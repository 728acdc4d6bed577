"""The HTTP policy every download shares: options, retries with back-off, caps, errors.

:class:`FetchOptions` holds time-outs, retries, concurrency and size caps;
:func:`with_retries` calls a request until it succeeds, retrying HTTP
429/5xx answers, time-outs and dropped connections with exponential
back-off (``backoff * 2**k`` seconds, capped at ``max_backoff``; a
``Retry-After`` header is honoured within the cap) and failing at once on
what asking again cannot fix (other 4xx, a redirect loop, a body that does
not decode, an unsupported scheme); :func:`read_capped` reads a streamed
body up to a byte cap; :func:`get_text` fetches a listing or index page with
all of these. :mod:`dyadwatch.acquire.download` (files) and
:mod:`dyadwatch.acquire.web` (feeds and pages) build on it.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import httpx

from dyadwatch.errors import FetchError

RETRY_STATUS = frozenset({408, 425, 429, 500, 502, 503, 504})

def _version() -> str:
    try:
        from importlib.metadata import version

        return version("dyadwatch")
    except Exception:  # not installed (running from a source tree)
        return "0"

@dataclass(frozen=True)
class FetchOptions:
    """Network settings (all times in seconds).

    ``retries`` is the number of further attempts after the first one;
    ``backoff`` the first wait, doubled after each failure up to
    ``max_backoff``; ``concurrency`` the number of files fetched at once
    (>= 1). ``headers`` are sent with every request (for example a
    Dataverse API token as ``X-Dataverse-key``). ``max_bytes`` caps a
    downloaded file whose size the publisher does not list (default 10 GB;
    a listed size is itself the cap); ``max_text_bytes`` caps a listing or
    index page, which is held in memory (default 512 MiB).
    """

    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    retries: int = 5
    backoff: float = 1.0
    max_backoff: float = 60.0
    concurrency: int = 4
    chunk_size: int = 1 << 16
    max_bytes: int = 10_000_000_000
    max_text_bytes: int = 512 << 20
    headers: dict[str, str] = field(default_factory=dict)
    user_agent: str = f"dyadwatch/{_version()} (political event data research tool)"

    def wait(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based)."""
        delay = self.backoff * (2 ** attempt)
        if retry_after:
            try:
                delay = max(delay, float(retry_after))
            except ValueError:  # an HTTP date: use our own schedule
                pass
        return min(delay, self.max_backoff)


@dataclass(frozen=True)
class ProgressEvent:
    """What the download is doing, for a progress display.

    ``kind``: ``start`` (``total`` bytes, may be None), ``advance``
    (``advance`` more bytes), ``retry`` (``message`` says why and how long we
    wait), ``done`` (``message`` is the action: downloaded, resumed, present,
    copied).
    """

    kind: str
    name: str
    total: int | None = None
    advance: int = 0
    message: str = ""


Progress = Callable[[ProgressEvent], None]


def _no_progress(_: ProgressEvent) -> None:
    return None

def make_client(options: FetchOptions) -> httpx.Client:
    """An ``httpx.Client`` with the options' time-outs, redirects followed."""
    return httpx.Client(
        timeout=httpx.Timeout(options.read_timeout, connect=options.connect_timeout),
        follow_redirects=True,
        headers={"User-Agent": options.user_agent, **options.headers},
    )


class DeadlinePassed(FetchError):
    """A request that ran past its :class:`Deadline` (not retried)."""


class Deadline:
    """A point in time (``time.monotonic``) by which a request must be done.

    ``seconds`` is the budget it was given; :meth:`extend` moves it later
    (by the time spent waiting for a host's rate limit, which is politeness,
    not the server's slowness).
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (<= 0 once passed)."""
        return self.at - time.monotonic()

    def extend(self, seconds: float) -> None:
        self.at += seconds

    def error(self, url: str, what: str = "") -> DeadlinePassed:
        """The error for a request that ran past the deadline (not retried)."""
        return DeadlinePassed(f"{url}: no complete answer within {self.seconds:g} s{what}; not retried",
                          hint="the server is too slow or trickles its answer; raise the deadline if it is worth it")


class _Retry(Exception):
    def __init__(self, reason: str, retry_after: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _status_error(resp: httpx.Response, url: str,
                  hint: str | None = "the URL rule in the dataset registry may be out of date") -> Exception:
    if resp.status_code in RETRY_STATUS or resp.status_code >= 500:
        return _Retry(f"HTTP {resp.status_code}", resp.headers.get("Retry-After"))
    return FetchError(f"HTTP {resp.status_code} for {url}", hint=hint)


def http_failure(exc: Exception) -> str:
    """A short reason for an httpx exception that is not worth retrying."""
    if isinstance(exc, httpx.TooManyRedirects):
        return "too many redirects (a redirect loop?)"
    if isinstance(exc, httpx.DecodingError):
        return f"the answer's body cannot be decoded ({exc}; e.g. broken gzip)"
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"unsupported URL scheme ({exc})"
    return f"{type(exc).__name__}: {exc}"


def read_capped(resp: httpx.Response, limit: int, url: str, hint: str | None = None,
                truncate: bool = False) -> bytes:
    """The (decoded) body of a streamed response, refused past ``limit`` bytes.

    With ``truncate`` the first ``limit`` bytes are returned instead (for
    robots.txt, whose rules past a size limit may be ignored: RFC 9309,
    2.5). The cap counts decoded bytes, so a small gzip body that inflates
    past it is refused as well.

    Raises
    ------
    FetchError
        The announced Content-Length or the bytes received pass ``limit``
        (reading stops there: memory stays within ``limit`` plus one chunk).
    """
    length = resp.headers.get("Content-Length", "").strip()
    if not truncate and length.isdigit() and int(length) > limit:
        raise FetchError(f"{url}: the answer announces {int(length):,} bytes, over the cap of {limit:,} bytes; "
                         "not read", hint=hint)
    buf = bytearray()
    for chunk in resp.iter_bytes():
        buf += chunk
        if len(buf) > limit:
            if truncate:
                return bytes(buf[:limit])
            raise FetchError(f"{url}: the answer is over the cap of {limit:,} bytes; not read", hint=hint)
    return bytes(buf)


def with_retries(fn: Callable[[], object], url: str, options: FetchOptions, progress: Progress,
                 name: str, deadline: Deadline | None = None) -> tuple[object, int]:
    """Call ``fn`` until it succeeds; returns (result, attempts).

    ``fn`` raises :class:`_Retry` (or an ``httpx.TransportError``) for a
    failure worth retrying. Raises :class:`FetchError` after
    ``options.retries`` further attempts, and at once for an answer that
    will not improve by asking again (a redirect loop, a body that does not
    decode, a URL or scheme httpx cannot request). With a ``deadline``, a
    failure once it has passed, or a back-off that would end after it, is
    final (:meth:`Deadline.error`).
    """
    attempt = 0
    while True:
        try:
            return fn(), attempt + 1
        except (httpx.TooManyRedirects, httpx.DecodingError, httpx.UnsupportedProtocol, httpx.InvalidURL,
                httpx.LocalProtocolError) as exc:
            raise FetchError(f"{url}: {http_failure(exc)}; not retried") from None
        except (_Retry, httpx.TransportError) as exc:
            if isinstance(exc, _Retry):
                reason, retry_after = exc.reason, exc.retry_after
            elif isinstance(exc, httpx.TimeoutException):
                reason, retry_after = f"timed out ({type(exc).__name__})", None
            else:
                reason, retry_after = f"connection failed ({type(exc).__name__}: {exc})", None
            if deadline is not None and deadline.remaining() <= options.wait(attempt, retry_after):
                raise deadline.error(url, f" ({reason})") from None
            if attempt >= options.retries:
                raise FetchError(
                    f"{url}: {reason}; gave up after {attempt + 1} attempts",
                    hint="check the network, or raise --retries/--timeout; a partial download is kept and resumed",
                ) from None
            wait = options.wait(attempt, retry_after)
            progress(ProgressEvent("retry", name, message=f"{reason}; retry {attempt + 1}/{options.retries} in {wait:.1f} s"))
            time.sleep(wait)
            attempt += 1


def get_text(client: httpx.Client, url: str, options: FetchOptions, progress: Progress = _no_progress,
             params: dict | None = None) -> str:
    """GET ``url`` and return its body as text, with the retry policy.

    The body is held in memory, so it is capped at
    ``options.max_text_bytes``.

    Raises
    ------
    FetchError
        On a 4xx answer (other than 408/425/429), after the retries, or for
        a body over the cap.
    """

    def once() -> str:
        with client.stream("GET", url, params=params) as resp:
            if resp.status_code != 200:
                raise _status_error(resp, url)
            data = read_capped(resp, options.max_text_bytes, url)
            try:
                return data.decode(resp.encoding or "utf-8", errors="replace")
            except LookupError:  # a charset Python does not know
                return data.decode("utf-8", errors="replace")

    text, _ = with_retries(once, url, options, progress, url.rsplit("/", 1)[-1] or url)
    return text  # type: ignore[return-value]
