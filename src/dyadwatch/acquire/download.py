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
   with exponential back-off (the policy of :mod:`dyadwatch.acquire.http`);
   other 4xx answers fail at once; the bytes are capped at the listed size,
   else at ``FetchOptions.max_bytes``;
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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import httpx

from dyadwatch.errors import DyadwatchError, FetchError, OutputError
from dyadwatch.acquire.http import (  # noqa: F401 - re-exported: the names download users import
    FetchOptions, Progress, ProgressEvent, _no_progress, _Retry, _status_error, get_text, make_client, with_retries,
)


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

    The bytes received are capped: at the publisher's listed size, else at
    ``options.max_bytes``; a server that announces or sends more is refused
    at once (not retried) and the partial file deleted.

    Raises
    ------
    FetchError
        HTTP error, retries exhausted, size or checksum mismatch, more bytes
        than the cap, a redirect loop (the file is deleted and ``target`` is
        left as it was).
    OutputError
        The file cannot be written (disk full ...; the bytes received so far
        are kept in ``<target>.part`` and resumed next time).
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
    limit = remote.size if remote.size is not None else options.max_bytes
    if remote.size is not None:
        too_big, cap_hint = f"more than the {remote.size:,} bytes the publisher lists; file rejected", \
            "run the fetch again; if it persists the publisher's file or list changed"
    else:
        too_big, cap_hint = f"over the cap of {limit:,} bytes for a file of unlisted size; file rejected", \
            "raise --max-size (MB) if the file really is that large"

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
            have = offset if mode == "ab" else 0
            total = (int(length) + have) if length and length.isdigit() else remote.size
            if total is not None and total > limit:
                part.unlink(missing_ok=True)
                validator.unlink(missing_ok=True)
                raise FetchError(f"{remote.url}: the server announces {total:,} bytes, " + too_big, path=target,
                                 hint=cap_hint)
            if not started:
                progress(ProgressEvent("start", name, total=total, advance=have))
                started = True
            try:
                if mode == "wb":
                    etag = resp.headers.get("ETag", "")
                    tag = etag if etag and not etag.startswith("W/") else resp.headers.get("Last-Modified", "")
                    if tag:
                        validator.write_text(tag, encoding="utf-8")
                    elif validator.exists():
                        validator.unlink()
                with open(part, mode) as fh:
                    for chunk in resp.iter_bytes(options.chunk_size):
                        have += len(chunk)
                        if have > limit:
                            break
                        fh.write(chunk)
                        progress(ProgressEvent("advance", name, advance=len(chunk)))
            except OSError as exc:  # disk full, permission, name too long: not worth a retry
                raise OutputError(f"cannot write {part.name} ({exc.strerror or exc})", path=target,
                                  hint="free space or give another --dest; the bytes received are kept and "
                                       "the download resumes next time") from None
            if have > limit:
                part.unlink(missing_ok=True)
                validator.unlink(missing_ok=True)
                raise FetchError(f"{remote.url}: the server sent " + too_big, path=target, hint=cap_hint)

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

    Every file is attempted; if any fails, an error naming each failed file
    and its reason is raised after the others finished (files that completed
    stay on disk, verified, and are skipped next time). Whatever a thread
    raises (a full disk, a redirect loop, a bug) is reported with its file;
    one failure is raised as it is, several as one :class:`FetchError`
    (:class:`~dyadwatch.errors.OutputError` when all are write errors).

    Returns
    -------
    list of Download, in the order of ``remotes``.
    """
    recorded = recorded or {}
    own = client is None
    client = client or make_client(options)
    lock = threading.Lock()
    results: dict[int, Download] = {}
    errors: list[tuple[int, RemoteFile, Exception]] = []

    def job(i: int, remote: RemoteFile, target: Path) -> None:
        try:
            d = download(client, remote, target, options, progress, recorded.get(Path(target)))
            with lock:
                results[i] = d
        except Exception as exc:  # noqa: BLE001 - each file's failure is reported by name below
            with lock:
                errors.append((i, remote, exc))

    try:
        with ThreadPoolExecutor(max_workers=max(1, options.concurrency)) as pool:
            for i, (remote, target) in enumerate(remotes):
                pool.submit(job, i, remote, target)
    finally:
        if own:
            client.close()
    if errors:
        errors.sort(key=lambda e: e[0])
        if len(errors) == 1 and isinstance(errors[0][2], DyadwatchError):
            raise errors[0][2]
        raise _combined(errors, len(remotes))
    return [results[i] for i in range(len(remotes))]


def _combined(errors: list[tuple[int, RemoteFile, Exception]], n: int) -> DyadwatchError:
    """One error naming each failed file with its reason (the first five; then how many more)."""

    def reason(exc: Exception) -> str:
        if isinstance(exc, DyadwatchError):
            return exc.reason
        return f"internal error {type(exc).__name__}: {exc} (please report this)"

    parts = [f"{r.filename}: {reason(e)}" for _, r, e in errors[:5]]
    more = f"; and {len(errors) - 5} more" if len(errors) > 5 else ""
    text = f"{len(errors)} of {n} files failed: " + "; ".join(parts) + more
    kinds = {type(e) for _, _, e in errors}
    if kinds == {OutputError}:
        return OutputError(text, hint="free space or give another --dest; verified files are kept and skipped")
    if not all(isinstance(e, DyadwatchError) for _, _, e in errors):
        return DyadwatchError(text, hint="run the fetch again: verified files are kept and skipped")
    return FetchError(text, hint="run the fetch again: verified files are kept and skipped")
