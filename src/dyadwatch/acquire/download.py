"""Downloading files over HTTP: streaming, resumable, verified, atomic.

One file is fetched by :func:`download` and many by :func:`download_all`
(a bounded thread pool sharing one ``httpx.Client``). For each file:

1. if the target already exists and its checksum is the publisher's (or the
   sha256 recorded when it was fetched), nothing is downloaded (``present``);
2. bytes stream into ``<target>.part``; when a ``.part`` is left from an
   interrupted run, or the connection drops mid-file, the next attempt asks
   for the rest with an HTTP ``Range: bytes=N-`` header (``resumed``),
   with ``If-Range`` set to the ETag (or Last-Modified) the partial bytes
   came with, so a file changed on the server is fetched whole; a server
   that ignores ranges (200 instead of 206) is read from the start;
3. HTTP 429 and 5xx answers, time-outs and dropped connections are retried
   with exponential back-off (``backoff * 2**k`` seconds, capped at
   ``max_backoff``; a ``Retry-After`` header is honoured within the cap);
   other 4xx answers fail at once;
4. the finished file is checked against the publisher's MD5 or sha256
   (GDELT master file list, Dataverse file metadata) and its size; a file
   that does not match is deleted and a :class:`~dyadwatch.errors.FetchError`
   is raised; without a publisher checksum the computed sha256 is recorded;
5. the ``.part`` is renamed onto the target (``os.replace``: atomic on one
   file system), so a target file is always complete.

Library code never prints: progress goes to the ``progress`` callback the
caller passes (the CLI turns it into Rich progress bars).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
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
    Dataverse API token as ``X-Dataverse-key``).
    """

    connect_timeout: float = 15.0
    read_timeout: float = 60.0
    retries: int = 5
    backoff: float = 1.0
    max_backoff: float = 60.0
    concurrency: int = 4
    chunk_size: int = 1 << 16
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


@dataclass(frozen=True)
class RemoteFile:
    """A file to fetch: its URL, the name it gets locally, what we know of it.

    ``md5``/``sha256`` are the publisher's checksums (hex) when it gives
    them; ``size`` in bytes; ``format`` the reader for the file (None: the
    data set's); ``date`` the day the file covers, for date filtering;
    ``member`` the data file inside a zip archive that holds several files.
    """

    url: str
    filename: str
    md5: str | None = None
    sha256: str | None = None
    size: int | None = None
    format: str | None = None
    date: dt.date | None = None
    member: str | None = None  # for a zip archive: the file in it that holds the data


@dataclass
class Download:
    """The outcome for one file: where it is and how it was verified."""

    remote: RemoteFile
    path: Path
    sha256: str
    md5: str
    bytes: int
    action: str  # downloaded | resumed | present | copied
    verified_by: str
    attempts: int = 1

    @property
    def checksum(self) -> str:
        """``md5:HEX`` when the publisher's MD5 was checked, else ``sha256:HEX``."""
        if self.verified_by.startswith("md5"):
            return f"md5:{self.md5}"
        return f"sha256:{self.sha256}"


def make_client(options: FetchOptions) -> httpx.Client:
    """An ``httpx.Client`` with the options' time-outs, redirects followed."""
    return httpx.Client(
        timeout=httpx.Timeout(options.read_timeout, connect=options.connect_timeout),
        follow_redirects=True,
        headers={"User-Agent": options.user_agent, **options.headers},
    )


def hash_file(path: Path, chunk: int = 1 << 20) -> tuple[str, str]:
    """(md5, sha256) hex digests of the file's bytes."""
    md5, sha = hashlib.md5(usedforsecurity=False), hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            md5.update(block)
            sha.update(block)
    return md5.hexdigest(), sha.hexdigest()


def _verify(remote: RemoteFile, path: Path, recorded_sha256: str | None) -> tuple[str, str, str | None]:
    """(md5, sha256, how-verified) or how-verified None when a checksum disagrees."""
    md5, sha = hash_file(path)
    if remote.md5:
        return md5, sha, ("md5 (publisher)" if md5 == remote.md5.lower() else None)
    if remote.sha256:
        return md5, sha, ("sha256 (publisher)" if sha == remote.sha256.lower() else None)
    if recorded_sha256:
        return md5, sha, ("sha256 (recorded at first fetch)" if sha == recorded_sha256 else None)
    return md5, sha, "sha256 computed (publisher gives no checksum)"


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


def with_retries(fn: Callable[[], object], url: str, options: FetchOptions, progress: Progress,
                 name: str) -> tuple[object, int]:
    """Call ``fn`` until it succeeds; returns (result, attempts).

    ``fn`` raises :class:`_Retry` (or an ``httpx.TransportError``) for a
    failure worth retrying. Raises :class:`FetchError` after
    ``options.retries`` further attempts.
    """
    attempt = 0
    while True:
        try:
            return fn(), attempt + 1
        except (_Retry, httpx.TransportError) as exc:
            if isinstance(exc, _Retry):
                reason, retry_after = exc.reason, exc.retry_after
            elif isinstance(exc, httpx.TimeoutException):
                reason, retry_after = f"timed out ({type(exc).__name__})", None
            else:
                reason, retry_after = f"connection failed ({type(exc).__name__}: {exc})", None
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

    Raises
    ------
    FetchError
        On a 4xx answer (other than 408/425/429) or after the retries.
    """

    def once() -> str:
        resp = client.get(url, params=params)
        if resp.status_code != 200:
            raise _status_error(resp, url)
        return resp.text

    text, _ = with_retries(once, url, options, progress, url.rsplit("/", 1)[-1] or url)
    return text  # type: ignore[return-value]


def download(client: httpx.Client, remote: RemoteFile, target: Path, options: FetchOptions,
             progress: Progress = _no_progress, recorded_sha256: str | None = None) -> Download:
    """Fetch ``remote`` to ``target`` (see the module docstring for the steps).

    Parameters
    ----------
    client : from :func:`make_client`.
    remote : the file and its publisher checksum, if any.
    target : final path; its directory is created.
    recorded_sha256 : sha256 recorded when the file was fetched before
        (used to skip a present file when the publisher gives no checksum).

    Raises
    ------
    FetchError
        HTTP error, retries exhausted, size or checksum mismatch (the file is
        deleted and ``target`` is left as it was).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    name = target.name
    if target.exists():
        md5, sha, how = _verify(remote, target, recorded_sha256)
        if how is not None and (recorded_sha256 or remote.md5 or remote.sha256):
            progress(ProgressEvent("done", name, message="present"))
            return Download(remote, target, sha, md5, target.stat().st_size, "present", how, attempts=0)
    part = target.with_name(target.name + ".part")
    validator = target.with_name(target.name + ".part.validator")  # ETag/Last-Modified of the partial bytes
    resumed = False
    started = False

    def once() -> None:
        nonlocal resumed, started
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        if offset and validator.exists():
            # If-Range: the server sends the rest only if the file is unchanged, else all of it (200)
            headers["If-Range"] = validator.read_text(encoding="utf-8").strip()
        with client.stream("GET", remote.url, headers=headers) as resp:
            if resp.status_code == 416 and offset:
                # nothing after `offset`: the partial file is complete, or stale
                if remote.size is not None and offset == remote.size:
                    return
                part.unlink()
                raise _Retry("HTTP 416 for a stale partial file; starting again")
            if resp.status_code not in (200, 206):
                raise _status_error(resp, remote.url)
            mode = "wb"
            if resp.status_code == 206 and offset:
                start = _content_range_start(resp.headers.get("Content-Range"))
                if start != offset:
                    raise _Retry(f"server resumed at byte {start}, asked for {offset}")
                mode, resumed = "ab", True
            length = resp.headers.get("Content-Length")
            total = (int(length) + (offset if mode == "ab" else 0)) if length else remote.size
            if not started:
                progress(ProgressEvent("start", name, total=total, advance=offset if mode == "ab" else 0))
                started = True
            if mode == "wb":
                etag = resp.headers.get("ETag", "")
                tag = etag if etag and not etag.startswith("W/") else resp.headers.get("Last-Modified", "")
                if tag:
                    validator.write_text(tag, encoding="utf-8")
                elif validator.exists():
                    validator.unlink()
            with open(part, mode) as fh:
                for chunk in resp.iter_bytes(options.chunk_size):
                    fh.write(chunk)
                    progress(ProgressEvent("advance", name, advance=len(chunk)))

    _, attempts = with_retries(once, remote.url, options, progress, name)
    validator.unlink(missing_ok=True)
    size = part.stat().st_size
    if remote.size is not None and size != remote.size:
        part.unlink()
        raise FetchError(f"{remote.url}: received {size} bytes, the publisher lists {remote.size}; file rejected",
                         path=target, hint="run the fetch again")
    md5, sha, how = _verify(remote, part, None)
    if how is None:
        part.unlink()
        want = f"md5 {remote.md5}" if remote.md5 else f"sha256 {remote.sha256}"
        got = f"md5 {md5}" if remote.md5 else f"sha256 {sha}"
        raise FetchError(f"checksum mismatch for {remote.url}: publisher gives {want}, the download has {got}; "
                         "file rejected, nothing ingested", path=target,
                         hint="run the fetch again; if it persists the publisher's file or list changed")
    os.replace(part, target)
    action = "resumed" if resumed else "downloaded"
    progress(ProgressEvent("done", name, message=action))
    return Download(remote, target, sha, md5, size, action, how, attempts=attempts)


def _content_range_start(value: str | None) -> int | None:
    # "bytes 100-199/200"
    if not value or not value.startswith("bytes "):
        return None
    try:
        return int(value[6:].split("-", 1)[0])
    except ValueError:
        return None


def download_all(remotes: list[tuple[RemoteFile, Path]], options: FetchOptions,
                 progress: Progress = _no_progress, recorded: dict[Path, str] | None = None,
                 client: httpx.Client | None = None) -> list[Download]:
    """Fetch many files, at most ``options.concurrency`` at a time.

    Every file is attempted; if any fails, a :class:`FetchError` naming each
    failed file is raised after the others finished (files that completed
    stay on disk, verified, and are skipped next time).

    Returns
    -------
    list of Download, in the order of ``remotes``.
    """
    recorded = recorded or {}
    own = client is None
    client = client or make_client(options)
    lock = threading.Lock()
    results: dict[int, Download] = {}
    errors: list[tuple[RemoteFile, Exception]] = []

    def job(i: int, remote: RemoteFile, target: Path) -> None:
        try:
            d = download(client, remote, target, options, progress, recorded.get(Path(target)))
            with lock:
                results[i] = d
        except FetchError as exc:
            with lock:
                errors.append((remote, exc))

    try:
        with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
            for i, (remote, target) in enumerate(remotes):
                pool.submit(job, i, remote, target)
    finally:
        if own:
            client.close()
    if errors:
        if len(errors) == 1:
            raise errors[0][1]
        first = errors[0][1]
        names = ", ".join(r.filename for r, _ in errors[:5]) + (" ..." if len(errors) > 5 else "")
        raise FetchError(f"{len(errors)} of {len(remotes)} files failed ({names}); first: {first}",
                         hint="run the fetch again: verified files are kept and skipped")
    return [results[i] for i in range(len(remotes))]
