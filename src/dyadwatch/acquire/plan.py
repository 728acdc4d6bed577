"""From a registry record and a date range to the list of files to fetch.

Each source kind of ``datasets.yaml`` has one planner:

``files``
    the record's fixed URLs;
``daily``
    one URL per day by the record's rule (``{date:%Y%m%d}``); GDELT 1.0
    keeps the years before its daily files in yearly (to ``yearly_until``)
    and monthly back files. MD5 sums come from the publisher's index page
    (``checksum_index``) when the record names one;
``masterlist``
    GDELT 2.0's ``masterfilelist.txt``: one ``size md5 url`` line per file;
    the time stamp in the URL (``YYYYMMDDHHMMSS``) picks the files in range;
``dataverse``
    a Dataverse data set by DOI, listed with the native API
    (``GET /api/datasets/:persistentId/?persistentId=DOI``) and fetched with
    the Data Access API (``/api/access/datafile/ID``, ``?format=original``
    for tabular files, whose MD5 in the listing is the original's);
``mirror-only``
    no network source: only ``--mirror`` works (the record's ``why`` says why).

Sources: GDELT 2.0 announcement (blog.gdeltproject.org, "GDELT 2.0: Our
Global World in Realtime"); Dataverse Native and Data Access API guides
(guides.dataverse.org/en/latest/api/).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Callable

import httpx

from dyadwatch.errors import FetchError, UsageError
from dyadwatch.acquire.download import RemoteFile
from dyadwatch.acquire.http import FetchOptions, Progress, get_text
from dyadwatch.acquire.registry import Dataset

_INDEX_MD5 = re.compile(r'href="?([^">\s]+\.zip)"?[^\n]*?MD5:\s*([0-9a-fA-F]{32})', re.IGNORECASE)


#: bytes and characters that never go into a file name we write (NUL, C0/C1 controls, DEL)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_name(name: object) -> str | None:
    """The base name a remote file gets inside ``dest/<dataset>/``, or None if it has none.

    Only the last component of ``name`` is kept (``/`` and ``\\`` both
    separate components), so ``../../x.csv`` and ``/etc/x.csv`` become
    ``x.csv``. None for a name that is not a string, or whose base name is
    empty, ``.`` or ``..``, holds a control character (NUL ...) or is longer
    than 255 bytes in UTF-8 (the limit of common file systems).

    >>> safe_name("../../events.2017.tsv"), safe_name("/etc/passwd"), safe_name("..")
    ('events.2017.tsv', 'passwd', None)
    """
    if not isinstance(name, str):
        return None
    base = PurePosixPath(name.replace("\\", "/")).name
    if base in ("", ".", "..") or _CONTROL.search(base) or len(base.encode("utf-8", "surrogatepass")) > 255:
        return None
    return base


def _days(start: dt.date, end: dt.date):
    d = start
    while d <= end:
        yield d
        d += dt.timedelta(days=1)


def _need_dates(ds: Dataset, start, end) -> tuple[dt.date, dt.date]:
    if start is None or end is None:
        raise UsageError(f"dataset {ds.name} is published as one file per "
                         f"{'day' if ds.kind == 'daily' else '15 minutes'}; say which with --from and --to",
                         hint="e.g. --from 2015-09-30 --to 2015-10-06")
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    return start, end


def plan_files(ds: Dataset, **_) -> list[RemoteFile]:
    """The record's fixed URL list."""
    return [RemoteFile(url=f["url"], filename=f.get("filename") or f["url"].rsplit("/", 1)[-1],
                       md5=f.get("md5"), sha256=f.get("sha256"), size=f.get("size"), format=f.get("format"),
                       member=f.get("member"))
            for f in ds.source.get("files", [])]


def parse_index_md5(html: str) -> dict[str, str]:
    """File name -> MD5 from an index page listing ``name.zip ... MD5: hex``."""
    return {m.group(1).rsplit("/", 1)[-1]: m.group(2).lower() for m in _INDEX_MD5.finditer(html)}


def daily_urls(ds: Dataset, start: dt.date, end: dt.date) -> list[tuple[str, dt.date]]:
    """(URL, first day covered) of each file for the days ``start``..``end``.

    Days before ``first_date`` map to the yearly file (up to
    ``yearly_until``) or the monthly file that holds them, once each.
    """
    src = ds.source
    first = src.get("first_date")
    out: list[tuple[str, dt.date]] = []
    seen: set[str] = set()
    for d in _days(start, end):
        if first and d < first:
            if src.get("yearly_url") and d.year <= int(src.get("yearly_until", 0)):
                url, day = src["yearly_url"].format(date=d), dt.date(d.year, 1, 1)
            elif src.get("monthly_url"):
                url, day = src["monthly_url"].format(date=d), dt.date(d.year, d.month, 1)
            else:
                continue  # the publisher has nothing before first_date
        else:
            url, day = src["url"].format(date=d), d
        if url not in seen:
            seen.add(url)
            out.append((url, day))
    return out


def plan_daily(ds: Dataset, *, client, options, start, end, progress) -> list[RemoteFile]:
    """One file per day (see :func:`daily_urls`), with MD5s from the index page if named."""
    start, end = _need_dates(ds, start, end)
    md5s: dict[str, str] = {}
    if ds.source.get("checksum_index"):
        md5s = parse_index_md5(get_text(client, ds.source["checksum_index"], options, progress))
    out = []
    for url, day in daily_urls(ds, start, end):
        name = url.rsplit("/", 1)[-1]
        out.append(RemoteFile(url=url, filename=name, md5=md5s.get(name), date=day))
    return out


def parse_masterlist(text: str, pattern: str, start: dt.date, end: dt.date) -> list[RemoteFile]:
    """Files of a GDELT 2.0 master list whose URL matches ``pattern`` and whose
    time stamp (group 1, ``YYYYMMDDHHMMSS``, UTC) falls on a day in ``start``..``end``.

    Lines are ``SIZE MD5 URL``; blank lines are skipped; a malformed line
    raises :class:`FetchError` naming its line number.
    """
    rx = re.compile(pattern)
    out = []
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split()
        if len(parts) != 3 or not parts[0].isdigit() or not re.fullmatch(r"[0-9a-fA-F]{32}", parts[1]):
            raise FetchError(f"master file list line {i} is not 'size md5 url': {line[:120]!r}", line=i)
        m = rx.search(parts[2])
        if not m:
            continue
        day = dt.datetime.strptime(m.group(1)[:8], "%Y%m%d").date()
        if start <= day <= end:
            out.append(RemoteFile(url=parts[2], filename=parts[2].rsplit("/", 1)[-1], md5=parts[1].lower(),
                                  size=int(parts[0]), date=day))
    return out


def plan_masterlist(ds: Dataset, *, client, options, start, end, progress) -> list[RemoteFile]:
    """The master list's files in the date range (with their MD5 sums and sizes)."""
    start, end = _need_dates(ds, start, end)
    text = get_text(client, ds.source["url"], options, progress)
    return parse_masterlist(text, ds.source["pattern"], start, end)


def parse_dataverse(listing: str, server: str, include: str | None = None,
                    start: dt.date | None = None, end: dt.date | None = None) -> list[RemoteFile]:
    """Files of a Dataverse native-API data set listing (JSON text).

    Tabular files are fetched in their original format (the listing's
    ``originalFileName``); the MD5 (``md5`` or ``checksum`` of type MD5) and
    SHA-256 checksums of the listing are kept. ``include`` is a regular
    expression on the file name; when it has a group of four digits it is
    read as the year, and files outside ``start.year``..``end.year`` are
    left out.

    Every file name is reduced to a safe base name (:func:`safe_name`), so
    nothing is written outside ``dest/<dataset>/``.

    Raises
    ------
    FetchError
        If the text is not a Dataverse data set listing, or a file in it has
        no numeric id, no usable name, or the base name of another file
        (the message numbers the file in the listing).
    """
    try:
        doc = json.loads(listing)
        files = doc["data"]["latestVersion"]["files"]
    except (ValueError, KeyError, TypeError) as exc:
        raise FetchError(f"not a Dataverse data set listing ({type(exc).__name__}: {exc})") from None
    if not isinstance(files, list):
        raise FetchError(f"not a Dataverse data set listing (files is {type(files).__name__}, not a list)")
    rx = re.compile(include) if include else None
    out = []
    where: dict[str, int] = {}
    for i, f in enumerate(files, 1):
        if not isinstance(f, dict) or not isinstance(f.get("dataFile", {}), dict):
            raise FetchError(f"Dataverse listing file {i} is not a file record ({str(f)[:80]!r})",
                             hint="the publisher's listing is damaged; try again later")
        df = f.get("dataFile", {})
        original = bool(df.get("originalFileFormat"))
        name = (df.get("originalFileName") if original else None) or df.get("filename") or f.get("label")
        label = f"Dataverse listing file {i} ({name!r})" if isinstance(name, str) else f"Dataverse listing file {i}"
        if rx:
            m = rx.search(name if isinstance(name, str) else "")
            if not m:
                continue
            if m.groups() and (start or end) and re.fullmatch(r"\d{4}", m.group(1) or ""):
                year = int(m.group(1))
                if (start and year < start.year) or (end and year > end.year):
                    continue
        fid = df.get("id")
        if isinstance(fid, str) and fid.isascii() and fid.isdigit():
            fid = int(fid)
        if not isinstance(fid, int) or isinstance(fid, bool) or fid < 0:
            raise FetchError(f"{label} has no numeric file id (dataFile.id), found {fid!r}; cannot download it",
                             hint="the publisher's listing is damaged; try again later")
        base = safe_name(name)
        if base is None:
            raise FetchError(f"{label}: no usable file name (a name is one path component, not '', '.' or '..', "
                             "without control characters, at most 255 bytes)",
                             hint="the publisher's listing is damaged; report it to the publisher")
        if base in where:
            raise FetchError(f"files {where[base]} and {i} of the Dataverse listing are both named {base!r}; "
                             "one would overwrite the other", hint="narrow the registry record's include: pattern")
        where[base] = i
        md5 = _hex(df.get("md5"))
        sha = None
        ck = df.get("checksum") if isinstance(df.get("checksum"), dict) else {}
        if str(ck.get("type", "")).upper() == "MD5":
            md5 = _hex(ck.get("value"))
        elif str(ck.get("type", "")).upper() in ("SHA-256", "SHA256"):
            sha = _hex(ck.get("value"))
        url = f"{server.rstrip('/')}/api/access/datafile/{fid}" + ("?format=original" if original else "")
        size = df.get("originalFileSize") if original else df.get("filesize")
        size = size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None
        out.append(RemoteFile(url=url, filename=base, md5=md5, sha256=sha, size=size))
    return out


def _hex(value: object) -> str | None:
    """A checksum string as given (lower case), None when it is not a string."""
    return value.strip().lower() if isinstance(value, str) and value.strip() else None


def plan_dataverse(ds: Dataset, *, client, options, start, end, progress) -> list[RemoteFile]:
    """List a Dataverse data set through the native API (see :func:`parse_dataverse`)."""
    server = ds.source["server"].rstrip("/")
    text = get_text(client, f"{server}/api/datasets/:persistentId/", options, progress,
                    params={"persistentId": ds.source["doi"]})
    return parse_dataverse(text, server, ds.source.get("include"), start, end)


def plan_mirror_only(ds: Dataset, **_) -> list[RemoteFile]:
    why = ds.source.get("why") or "its upstream files need converting"
    raise UsageError(f"dataset {ds.name} has no network source ({why}); "
                     "it can only be copied from a mirror", hint="give --mirror DIR, e.g. --mirror ../shared/data")


PLANNERS: dict[str, Callable[..., list[RemoteFile]]] = {
    "files": plan_files,
    "daily": plan_daily,
    "masterlist": plan_masterlist,
    "dataverse": plan_dataverse,
    "mirror-only": plan_mirror_only,
}


def plan(ds: Dataset, client: httpx.Client, options: FetchOptions, *, start: dt.date | None = None,
         end: dt.date | None = None, progress: Progress | None = None) -> list[RemoteFile]:
    """The files of ``ds`` to fetch for the days ``start``..``end`` (inclusive).

    Raises
    ------
    UsageError
        A per-day data set without a date range; a mirror-only data set.
    FetchError
        The file list could not be fetched or read; a file has no usable
        name (:func:`safe_name`) or the name of another file.
    """
    files = PLANNERS[ds.kind](ds, client=client, options=options, start=start, end=end,
                              progress=progress or (lambda e: None))
    if not files:
        raise FetchError(f"no file of dataset {ds.name} matches the request"
                         + (f" ({start} .. {end})" if start or end else ""),
                         hint="widen --from/--to")
    out, seen = [], {}
    for f in files:  # every planner's names: one safe component, none twice
        base = safe_name(f.filename)
        if base is None:
            raise FetchError(f"dataset {ds.name}: no usable file name for {f.url} ({f.filename!r})",
                             hint="give the file a filename: in the registry record")
        if base in seen:
            raise FetchError(f"dataset {ds.name}: {seen[base]} and {f.url} would both be saved as {base!r}",
                             hint="give the files distinct filename: values in the registry record")
        seen[base] = f.url
        out.append(f if base == f.filename else replace(f, filename=base))
    return out
