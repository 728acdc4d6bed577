"""An offline mirror directory standing in for the publishers.

A mirror is a directory with a ``provenance.csv`` (columns ``file`` — the
path relative to the mirror root — and ``sha256``) and the files it lists.
Two layouts are understood, both at once:

- the layout of ``../shared/data``: each registry record lists its files'
  paths in ``mirror:`` (``unvotes/un_votes.parquet`` ...);
- the layout ``dyadwatch fetch --dest DIR`` writes: ``<dataset>/<file name>``,
  with ``DIR/provenance.csv`` kept up to date by the fetch. A fetch
  destination is therefore itself a mirror for another machine.

A file is copied into the destination only after its sha256 matched the one
``provenance.csv`` gives; a file the mirror has no checksum for is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import shutil
from pathlib import Path

from dyadwatch.errors import DyadwatchError, FetchError, OutputError, UsageError
from dyadwatch.acquire.download import Download, Progress, ProgressEvent, RemoteFile, hash_file
from dyadwatch.acquire.registry import Dataset

PROVENANCE = "provenance.csv"
_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{8})(?:\d{6})?(?!\d)")


def read_provenance(path: Path, error: type[DyadwatchError] = FetchError) -> tuple[list[str], list[dict[str, str]]]:
    """(column names, rows) of a ``provenance.csv``; ([], []) when it is absent.

    Each row is a dict of its columns (every value a string); the file is
    read whole (a provenance file holds one short line per file).

    Raises
    ------
    error (default FetchError)
        Naming the file and the line: not UTF-8, a NUL byte or broken
        quoting, a row with fewer fields than the header, or no ``file``
        column.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], []
    except OSError as exc:
        raise error(f"cannot read ({exc.strerror})", path=path) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise error(f"not valid UTF-8 (byte {data[exc.start]:#04x})", path=path, line=line,
                    hint="provenance.csv is damaged; repair it or fetch the files again") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        cols = list(reader.fieldnames or [])
        if "file" not in cols:
            raise error(f"expected a 'file' column, found {cols}", path=path, line=1)
        rows = []
        for row in reader:
            if None in row.values():  # fewer fields than the header
                missing = [k for k, v in row.items() if v is None]
                raise error(f"short row: no {', '.join(missing)} (expected {len(cols)} fields)", path=path,
                            line=reader.line_num, hint="provenance.csv is damaged; repair the line")
            row.pop(None, None)  # more fields than the header: the extra ones are not named, not kept
            rows.append(row)
    except csv.Error as exc:
        raise error(f"malformed CSV ({exc})", path=path, line=reader.line_num) from None
    return cols, rows


def read_checksums(root: Path) -> dict[str, str]:
    """``file`` -> ``sha256`` from ``root/provenance.csv`` (empty when absent).

    Raises
    ------
    FetchError
        If the file exists but lacks the ``file`` or ``sha256`` column, or is
        damaged (see :func:`read_provenance`; the message names the line).
    """
    path = Path(root) / PROVENANCE
    cols, rows = read_provenance(path)
    if cols and "sha256" not in cols:
        raise FetchError(f"expected columns 'file' and 'sha256', found {cols}", path=path, line=1)
    return {row["file"]: row["sha256"].strip().lower() for row in rows if row.get("file")}


def _date_of(name: str) -> dt.date | None:
    m = _DATE_IN_NAME.search(name)
    if not m:
        return None
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d").date()
    except ValueError:
        return None


def find(ds: Dataset, root: Path, start: dt.date | None = None,
         end: dt.date | None = None) -> list[tuple[str, RemoteFile]]:
    """Files of ``ds`` in the mirror: (path relative to ``root``, file record).

    The record's ``mirror:`` paths that exist come first, then the files
    under ``root/<dataset>/``. For per-day data sets, files under
    ``<dataset>/`` whose name carries a date (``YYYYMMDD``) outside
    ``start``..``end`` are left out (the ``mirror:`` sample files have no
    date in their names and are always taken).

    Raises
    ------
    UsageError
        If ``root`` is not a directory.
    FetchError
        If the mirror holds no file of the data set (the message lists where
        it looked).
    """
    root = Path(root)
    if not root.is_dir():
        raise UsageError(f"mirror directory {root} does not exist", hint="give --mirror DIR")
    found: list[tuple[str, RemoteFile]] = []
    seen: set[str] = set()
    for m in ds.mirror:
        if (root / m.path).is_file():
            found.append((m.path, RemoteFile(url=(root / m.path).resolve().as_uri(), filename=Path(m.path).name,
                                             format=m.format)))
            seen.add(m.path)
    sub = root / ds.name
    if sub.is_dir():
        for p in sorted(sub.iterdir()):
            rel = f"{ds.name}/{p.name}"
            if not p.is_file() or p.name.endswith(".part") or p.name.startswith(".") or rel in seen:
                continue
            day = _date_of(p.name)
            if day and ((start and day < start) or (end and day > end)):
                continue
            found.append((rel, RemoteFile(url=p.resolve().as_uri(), filename=p.name, date=day)))
    if not found:
        looked = [m.path for m in ds.mirror] + [f"{ds.name}/*"]
        raise FetchError(f"mirror {root} holds no file of dataset {ds.name}; looked for {', '.join(looked)}",
                         hint="fetch from the network (drop --mirror) or fill the mirror")
    return found


def copy_verified(src: Path, target: Path, sha256: str, progress: Progress, remote: RemoteFile) -> Download:
    """Copy ``src`` to ``target`` if its sha256 is ``sha256`` (atomic, via ``.part``).

    A ``target`` already present with that checksum is kept (``present``).

    Raises
    ------
    FetchError
        Checksum mismatch (nothing is copied).
    OutputError
        The copy cannot be written (disk full ...; nothing is left behind).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        md5, sha = hash_file(target)
        if sha == sha256:
            progress(ProgressEvent("done", target.name, message="present"))
            return Download(remote, target, sha, md5, target.stat().st_size, "present",
                            "sha256 (mirror provenance.csv)", attempts=0)
    md5, sha = hash_file(src)
    if sha != sha256:
        raise FetchError(f"checksum mismatch: provenance.csv gives sha256 {sha256}, the file has {sha}; "
                         "file rejected, nothing ingested", path=src,
                         hint="the mirror copy is damaged or provenance.csv is out of date")
    size = src.stat().st_size
    progress(ProgressEvent("start", target.name, total=size))
    part = target.with_name(target.name + ".part")
    try:
        shutil.copyfile(src, part)
    except OSError as exc:  # disk full, permission ...
        part.unlink(missing_ok=True)
        raise OutputError(f"cannot write {part.name} ({exc.strerror or exc})", path=target,
                          hint="free space or give another --dest") from None
    md5_copy, sha_copy = hash_file(part)
    if sha_copy != sha256:  # the copy itself went wrong (disk full ...)
        part.unlink()
        raise FetchError("copy does not match its source checksum; file rejected", path=target)
    os.replace(part, target)
    progress(ProgressEvent("advance", target.name, advance=size))
    progress(ProgressEvent("done", target.name, message="copied"))
    return Download(remote, target, sha, md5, size, "copied", "sha256 (mirror provenance.csv)")


def fetch_from_mirror(ds: Dataset, root: Path, dest: Path, *, start: dt.date | None = None,
                      end: dt.date | None = None, progress: Progress) -> list[Download]:
    """Copy every file of ``ds`` found in the mirror into ``dest/<dataset>/``, verified.

    Raises
    ------
    FetchError
        No file found, a file without a checksum (in ``provenance.csv`` or
        the registry's ``mirror:`` record), the two disagreeing, or a
        checksum mismatch. Files are checked before anything is copied, so a
        failure leaves ``dest`` without partial results of this call.
    """
    root = Path(root)
    sums = read_checksums(root)
    found = find(ds, root, start, end)
    for m in ds.mirror:  # the registry's own record of a mirror file's checksum
        if m.sha256 and (root / m.path).is_file():
            if m.path in sums and sums[m.path] != m.sha256:
                raise FetchError(f"{root / PROVENANCE} gives sha256 {sums[m.path]} for {m.path}, the dataset registry "
                                 f"records {m.sha256}; not copied", path=root / m.path,
                                 hint="the mirror holds another version of the file than the registry knows")
            sums.setdefault(m.path, m.sha256)
    missing = [rel for rel, _ in found if rel not in sums]
    if missing:
        raise FetchError(f"no sha256 for {', '.join(missing[:5])} in {root / PROVENANCE}; cannot verify, not copied",
                         path=root / PROVENANCE, hint="add the files' sha256 to provenance.csv")
    for rel, _ in found:  # verify everything first: all or nothing
        if hash_file(root / rel)[1] != sums[rel]:
            raise FetchError(f"checksum mismatch: provenance.csv gives sha256 {sums[rel]} for {rel}, the file differs; "
                             "file rejected, nothing copied or ingested", path=root / rel,
                             hint="the mirror copy is damaged or provenance.csv is out of date")
    out = []
    for rel, remote in found:
        out.append(copy_verified(root / rel, Path(dest) / ds.name / Path(rel).name, sums[rel], progress, remote))
    return out
