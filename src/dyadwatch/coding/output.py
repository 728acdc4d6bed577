"""Writing coded events (JSONL or CSV) and storing them (dataset ``text``).

:func:`code_file` is the library side of ``dyadwatch code``: read the
documents, code them, write the events, and with a store connection ingest
them through :func:`dyadwatch.store.ingest.ingest_file` with the ``text``
reader (:mod:`dyadwatch.sources.coded_text`) — one batch, idempotent: events
are keyed by their content hash, so coding and ingesting the same text twice
stores nothing new.
"""

from __future__ import annotations

import csv
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable

from dyadwatch.coding.coder import CodingReport, code_documents
from dyadwatch.coding.documents import read_documents
from dyadwatch.errors import UsageError

OUTPUT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = ("event_id", "doc_id", "sentence_index", "event_date", "date_precision",
               "source_text", "source_code", "source_country", "source_sector",
               "target_text", "target_code", "target_country", "target_sector",
               "cameo_code", "cameo_root", "quad_class", "goldstein", "plover_type",
               "loc_name", "loc_country", "lat", "lon", "spans", "source_url", "sentence")


@dataclass
class CodeResult:
    """What :func:`code_file` did: the events, the coding report and the ingest summary (or None)."""

    events: list[dict]
    report: CodingReport
    ingest: object | None = None
    out_path: Path | None = None


def flat_row(ev: dict) -> dict:
    """A coded event as one flat CSV row (``source``/``target`` split, spans as JSON)."""
    row = {k: ev.get(k) for k in CSV_COLUMNS if k in ev}
    for side in ("source", "target"):
        a = ev.get(side) or {}
        for k in ("text", "code", "country", "sector"):
            row[f"{side}_{k}"] = a.get(k)
    row["spans"] = json.dumps(ev["spans"], sort_keys=True)
    return row


def write_events(events: Iterable[dict], fh: IO[str], fmt: str = "jsonl") -> int:
    """Write events to a text stream; returns the number written.

    Raises
    ------
    UsageError
        For a format other than jsonl or csv.
    """
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}")
    n = 0
    if fmt == "jsonl":
        for ev in events:
            fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
            n += 1
    else:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n")
        w.writeheader()
        for ev in events:
            w.writerow({k: ("" if v is None else v) for k, v in flat_row(ev).items()})
            n += 1
    return n


def ingest_events(con, events: list[dict], *, jsonl_path: Path | None = None):
    """Store coded events as dataset ``text`` (one batch) and return the
    :class:`~dyadwatch.store.ingest.BatchSummary`.

    The events go through the normal ingest engine via a JSONL file: the one
    given, else a temporary file.
    """
    from dyadwatch.store.ingest import ingest_file

    if jsonl_path is not None:
        return ingest_file(con, jsonl_path, format="text")
    with tempfile.TemporaryDirectory(prefix="dyadwatch-code-") as tmp:
        path = Path(tmp) / "coded_events.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            write_events(events, fh, "jsonl")
        return ingest_file(con, path, format="text")


def code_file(input_path: str | Path, *, date=None, fmt: str = "jsonl", out: str | Path | None = None,
              stdout: IO[str] | None = None, con=None, actor_files=(), verb_files=()) -> CodeResult:
    """Code one input file and write (and optionally store) its events.

    Parameters
    ----------
    input_path : plain text, JSONL documents or HTML (see :mod:`dyadwatch.coding.documents`)
    date : publication date (``YYYY-MM-DD``) for plain text/HTML and JSONL lines without one
    fmt : ``jsonl`` or ``csv``
    out : output file; None writes to ``stdout``
    con : a store connection (schema created) to ingest the events into, or None

    Raises
    ------
    InputError, UsageError
        Missing input, malformed ``--date``, unknown format, ``out`` in a missing directory.
    """
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}",
                         hint="use --format jsonl or --format csv")
    if out and not Path(out).resolve().parent.is_dir():
        raise UsageError(f"cannot write {out}: directory {Path(out).resolve().parent} does not exist",
                         hint="create it first, or give another --out")
    docs, screening = read_documents(input_path, date)
    events, report = code_documents(docs, screening=screening, actor_files=actor_files, verb_files=verb_files)
    out_path = Path(out) if out else None
    if out_path is not None:
        with out_path.open("w", encoding="utf-8", newline="") as fh:
            write_events(events, fh, fmt)
    elif stdout is not None:
        write_events(events, stdout, fmt)
    summary = None
    if con is not None:
        summary = ingest_events(con, events, jsonl_path=out_path if (out_path and fmt == "jsonl") else None)
    return CodeResult(events, report, summary, out_path)
