"""Fetch a registered data set from its publisher (or a mirror), verify, ingest.

:func:`fetch` is what ``dyadwatch fetch DATASET`` runs:

1. the files are planned from the registry record (:mod:`~dyadwatch.acquire.plan`)
   and downloaded (:mod:`~dyadwatch.acquire.download`: streaming, bounded
   concurrency, retries with back-off, time-outs, Range resume, publisher
   checksums, atomic rename) — or, with ``mirror``, copied from an offline
   mirror after checking the sha256 its ``provenance.csv`` gives
   (:mod:`~dyadwatch.acquire.mirror`);
2. every file lands in ``dest/<dataset>/<file name>`` and is recorded in
   ``dest/provenance.csv`` (file, bytes, sha256, md5, URL, how verified), so
   ``dest`` is itself a mirror and a later fetch skips what is present and
   verified;
3. only when *all* files are verified, and only if a store connection is
   given, each file is ingested as one batch through
   :func:`dyadwatch.store.ingest.ingest_file` with the data set's reader, and
   a ``dataset_provenance`` row per file links the batch to the publisher,
   URL, version, licence, citation and checksum.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dyadwatch.errors import InputError, OutputError, UsageError
from dyadwatch.acquire import mirror as _mirror
from dyadwatch.acquire import registry
from dyadwatch.acquire.download import Download, FetchOptions, Progress, download_all, make_client
from dyadwatch.acquire.plan import plan
from dyadwatch.acquire.registry import Dataset

MANIFEST_COLUMNS = ("file", "bytes", "sha256", "md5", "dataset", "format", "source_url", "verified_by", "fetched_at")
DEFAULT_DEST = "dyadwatch-data"
ENV_DEST = "DYADWATCH_DATA"


@dataclass
class FetchResult:
    """What one fetch did: the files (with how each was verified) and the batches."""

    dataset: Dataset
    origin: str  # network | mirror
    dest: Path
    files: list[Download]
    batches: list[Any] = field(default_factory=list)  # store.ingest.BatchSummary

    def as_rows(self) -> list[dict[str, Any]]:
        """One dict per file: file, action, bytes, checksum, verified_by, batch, rows stored."""
        rows = []
        for i, d in enumerate(self.files):
            b = self.batches[i] if i < len(self.batches) else None  # one summary per file, in order
            rows.append({"dataset": self.dataset.name, "file": d.path.relative_to(self.dest).as_posix(),
                         "action": d.action, "bytes": d.bytes, "checksum": d.checksum, "verified_by": d.verified_by,
                         "batch": None if b is None else b.batch_id,
                         "rows_stored": None if b is None else b.rows_stored,
                         "note": "" if b is None else b.message})
        return rows


def resolve_dest(dest: str | os.PathLike | None) -> Path:
    """``dest``, else ``$DYADWATCH_DATA``, else ``./dyadwatch-data``."""
    return Path(dest or os.environ.get(ENV_DEST) or DEFAULT_DEST)


def read_manifest(dest: Path) -> dict[str, dict[str, str]]:
    """Rows of ``dest/provenance.csv`` by ``file`` (empty when absent).

    Raises
    ------
    InputError
        The file is damaged (not UTF-8, a short row ...; the message names
        the line).
    """
    _, rows = _mirror.read_provenance(Path(dest) / _mirror.PROVENANCE, error=InputError)
    return {r["file"]: r for r in rows if r.get("file")}


def write_manifest(dest: Path, ds: Dataset, files: list[Download]) -> None:
    """Add/replace the rows of ``files`` in ``dest/provenance.csv`` (atomic rewrite).

    Every column and row already in the file is kept: a destination that is
    also a mirror keeps its own columns (``rows``, ``licence``, column notes
    ...). A replaced row keeps its other columns when the file's sha256 is
    unchanged; when the file changed they are emptied (they described the
    old bytes).

    Raises
    ------
    InputError
        The existing file is damaged (see :func:`read_manifest`).
    OutputError
        It cannot be written (disk full ...).
    """
    dest = Path(dest)
    path = dest / _mirror.PROVENANCE
    cols, old = _mirror.read_provenance(path, error=InputError)
    rows = {r["file"]: r for r in old if r.get("file")}
    columns = cols + [c for c in MANIFEST_COLUMNS if c not in cols]
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()
    for d in files:
        rel = d.path.relative_to(dest).as_posix()
        before = rows.get(rel, {})
        keep = before if before.get("sha256", "").strip().lower() == d.sha256 else {}
        rows[rel] = {**{c: keep.get(c, "") for c in columns},
                     "file": rel, "bytes": str(d.bytes), "sha256": d.sha256, "md5": d.md5, "dataset": ds.name,
                     "format": d.remote.format or ds.format or "", "source_url": d.remote.url,
                     "verified_by": d.verified_by, "fetched_at": now}
    tmp = dest / (_mirror.PROVENANCE + ".part")
    try:
        with open(tmp, "w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
            w.writeheader()
            for key in sorted(rows):
                w.writerow(rows[key])
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write ({exc.strerror})", path=path,
                          hint="free space or give another --dest; the fetched files are kept") from None


def _network(ds: Dataset, dest: Path, start, end, options: FetchOptions, progress: Progress) -> list[Download]:
    if ds.kind == "dataverse" and os.environ.get("DATAVERSE_KEY"):
        options = FetchOptions(**{**options.__dict__,
                                  "headers": {**options.headers, "X-Dataverse-key": os.environ["DATAVERSE_KEY"]}})
    manifest = read_manifest(dest)
    with make_client(options) as client:
        remotes = plan(ds, client, options, start=start, end=end, progress=progress)
        targets = [(r, dest / ds.name / r.filename) for r in remotes]
        recorded = {t: sha for _, t in targets
                    if (sha := manifest.get(t.relative_to(dest).as_posix(), {}).get("sha256", "").strip().lower())}
        return download_all(targets, options, progress, recorded, client=client)


def fetch(name: str, *, dest: str | os.PathLike | None = None, mirror: str | os.PathLike | None = None,
          start: dt.date | None = None, end: dt.date | None = None, options: FetchOptions | None = None,
          progress: Progress | None = None, con=None, open_store=None) -> FetchResult:
    """Fetch data set ``name`` into ``dest`` and, with a store connection, ingest it.

    Parameters
    ----------
    name : registry name (:func:`dyadwatch.acquire.registry.names`).
    dest : directory for the files (default ``$DYADWATCH_DATA`` or
        ``./dyadwatch-data``); files go to ``dest/<name>/``.
    mirror : offline mirror directory used instead of the network.
    start, end : first and last day (inclusive) for per-day data sets
        (GDELT); for Dataverse data sets with yearly files, the years kept.
    options : network settings (time-outs, retries, concurrency).
    progress : callback receiving :class:`~dyadwatch.acquire.download.ProgressEvent`.
    con : DuckDB connection of the store (schema created); when given, the
        files are ingested and provenance rows written.
    open_store : instead of ``con``, a callable returning a context manager
        with a ``.con`` attribute (a :class:`dyadwatch.api.Dyadwatch`); it is
        called only after every file is verified, so the store is not
        locked during downloads.

    Returns
    -------
    FetchResult

    Raises
    ------
    UnknownNameError
        Unknown data set or reader name (the message lists the known ones).
    UsageError
        ``dest`` or ``dest/<name>`` is a file; ``dest`` is the mirror; missing or reversed date range for a per-day data set, mirror-only data set
        without ``mirror``, ingest asked for a data set without a reader.
    FetchError
        Download failed after retries, checksum mismatch (nothing is
        ingested), mirror without the files or their checksums.
    InputError, StoreError
        From the ingest of a file (that file's batch is rolled back).
    """
    ds = registry.get(name)
    if start is not None and end is not None and start > end:
        raise UsageError(f"--from {start} is after --to {end}", hint="give the earlier day first")
    dest = resolve_dest(dest)
    options = options or FetchOptions()
    progress = progress or (lambda e: None)
    if (con is not None or open_store is not None) and ds.format is None:
        raise UsageError(f"dataset {ds.name} has no dyadwatch reader yet, so it cannot be ingested",
                         hint="drop --ingest to only fetch the files")
    if mirror is not None and _same_dir(Path(mirror), dest):
        raise UsageError(f"--dest {dest} is the mirror {mirror}: its files would be copied onto themselves and "
                         "its provenance.csv rewritten", hint="give another --dest; the mirror is only read")
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"--dest {dest} is not a directory (a file of that name exists)",
                         hint="give a directory with --dest or $DYADWATCH_DATA") from None
    except OSError as exc:
        raise OutputError(f"cannot create the destination ({exc.strerror})", path=dest) from None
    sub = dest / ds.name
    if sub.exists() and not sub.is_dir():
        raise UsageError(f"{sub} is not a directory (a file of that name exists); the files of {ds.name} go there",
                         hint="move that file away or give another --dest")
    if mirror is not None:
        files = _mirror.fetch_from_mirror(ds, Path(mirror), dest, start=start, end=end, progress=progress)
        origin = "mirror"
    else:
        files = _network(ds, dest, start, end, options, progress)
        origin = "network"
    write_manifest(dest, ds, files)
    result = FetchResult(ds, origin, dest, files)
    if con is not None:
        result.batches = ingest_fetched(con, ds, files, origin)
    elif open_store is not None:
        with open_store() as store:
            result.batches = ingest_fetched(store.con, ds, files, origin)
    return result


def _same_dir(a: Path, b: Path) -> bool:
    """True when ``a`` and ``b`` name one directory (symlinks, ``.`` and ``..`` resolved)."""
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return a.resolve() == b.resolve()


#: files a data set's reader is not asked to read: documentation and code that
#: publishers put next to the data (Dataverse records), and R/Stata/SPSS binaries
NOT_DATA = re.compile(r"\.(pdf|docx?|rtf|html?|md|r|do|py|sps|xlsx?|rdata|rda|rds|dta|sav)$", re.IGNORECASE)


def ingest_fetched(con, ds: Dataset, files: list[Download], origin: str) -> list[Any]:
    """Ingest verified files, one batch each, and record their provenance.

    A file already stored (same sha256 and reader) adds nothing, as with
    ``dyadwatch ingest``; its provenance row is refreshed. Files whose name
    matches :data:`NOT_DATA` (codebooks, scripts, R/Stata binaries) are kept
    on disk and recorded in ``dataset_provenance`` without a batch; their
    summary says so.
    """
    from dyadwatch.store.ingest import BatchSummary, ingest_file

    out = []
    for d in files:
        if d.remote.member:
            path = extract_member(d)
            summary = ingest_file(con, path, format=d.remote.format or ds.format)
        elif NOT_DATA.search(d.path.name) and not d.remote.format:
            summary = BatchSummary(path=str(d.path), format="", dataset=ds.name, batch_id=None, sha256=d.sha256,
                                   skipped=True, message="not ingested: documentation or a file type no reader reads")
        else:
            summary = ingest_file(con, d.path, format=d.remote.format or ds.format)
        record_provenance(con, ds, d, origin, summary.batch_id)
        out.append(summary)
    return out


def extract_member(d: Download) -> Path:
    """Extract ``d.remote.member`` (matched by its base name) from the verified
    zip ``d.path`` next to it, atomically; returns the extracted file.

    Raises
    ------
    InputError
        The archive is unreadable or has no such member (the message lists
        the members).
    """
    import shutil
    import zipfile

    from dyadwatch.errors import InputError

    want = Path(d.remote.member).name
    try:
        with zipfile.ZipFile(d.path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            hits = [n for n in names if Path(n).name == want]
            if len(hits) != 1:
                raise InputError(f"zip archive has {len(hits)} members named {want!r}; members: "
                                 f"{', '.join(names[:20])}", path=d.path,
                                 hint="fix `member:` in the dataset registry")
            target = d.path.with_name(want)
            part = target.with_name(target.name + ".part")
            with zf.open(hits[0]) as src, open(part, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.replace(part, target)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", path=d.path) from None
    return target


def record_provenance(con, ds: Dataset, d: Download, origin: str, batch_id: int | None) -> None:
    """Upsert the ``dataset_provenance`` row of one fetched file."""
    row = ds.provenance_row()
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM dataset_provenance WHERE dataset = ? AND file_url = ?", [ds.name, d.remote.url])
        con.execute(
            "INSERT INTO dataset_provenance (dataset, title, publisher, landing_url, file_url, local_file, origin, "
            "version, licence, citation, checksum, verified_by, fetched_at, batch_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [ds.name, row["title"], row["publisher"], row["landing_url"], d.remote.url, str(d.path.resolve()),
             origin, row["version"], row["licence"], row["citation"], d.checksum, d.verified_by,
             dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), batch_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def cite(con, dataset: str | None = None) -> list[dict[str, Any]]:
    """Citations of the data sets the store holds (or of ``dataset``).

    A data set is held when ``dataset_provenance`` has rows for it (fetched
    with ``dyadwatch fetch --ingest``) or when ``ingest_batches`` holds a
    batch read with its reader (ingested with ``dyadwatch ingest``).
    ``con`` None (no store): the registry's citation of ``dataset``, not held
    (data sets that are used from files, such as the coding dictionaries).

    Returns
    -------
    list of dict
        ``dataset, cite_as`` (the short citation), ``title, publisher, version, licence, citation, landing_url,
        files`` (number of files stored), ``checksums`` (``md5:``/``sha256:``
        values, ``; ``-separated) and ``in_store`` (bool), in registry order.

    Raises
    ------
    UnknownNameError
        ``dataset`` is not in the registry.
    """
    records = registry.datasets()
    if dataset is not None:
        registry.get(dataset)
    prov = [] if con is None else con.execute(
        "SELECT dataset, count(*), string_agg(checksum, '; ' ORDER BY file_url) "
        "FROM dataset_provenance GROUP BY dataset").fetchall()
    held = {r[0]: (r[1], r[2]) for r in prov}
    batches = [] if con is None else con.execute(
        "SELECT format, count(*), string_agg('sha256:' || sha256, '; ' ORDER BY batch_id) "
        "FROM ingest_batches WHERE finished IS NOT NULL GROUP BY format").fetchall()
    by_format = {r[0]: (r[1], r[2]) for r in batches}
    rows = []
    for ds in records.values():
        if dataset is not None and ds.name != dataset:
            continue
        n, sums = held.get(ds.name, (0, None))
        if not n and ds.format and ds.format in by_format and not any(
                o.format == ds.format and o.name in held for o in records.values()):
            n, sums = by_format[ds.format]
        if dataset is None and not n:
            continue
        rows.append({"dataset": ds.name, "cite_as": ds.extra.get("cite_as") or ds.title, "title": ds.title,
                     "publisher": ds.publisher, "version": ds.version,
                     "licence": ds.licence, "citation": ds.citation, "landing_url": ds.landing_url,
                     "files": n, "checksums": sums or "", "in_store": bool(n)})
    return rows
