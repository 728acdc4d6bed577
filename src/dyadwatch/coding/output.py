"""Writing coded events (JSONL or CSV) and storing them (dataset ``text``).

:func:`code_file` is the library side of ``dyadwatch code``: read the
documents, code them, write the events, and with a store connection ingest
them through :func:`dyadwatch.store.ingest.ingest_file` with the ``text``
reader (:mod:`dyadwatch.sources.coded_text`) — one batch, idempotent: events
are keyed by their content hash, so coding and ingesting the same text twice
stores nothing new.
"""

from __future__ import annotations

import contextlib
import csv
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Iterable

from dyadwatch.coding.coder import CodingReport
from dyadwatch.coding.documents import is_named_file
from dyadwatch.errors import InputError, OutputError, UsageError

OUTPUT_FORMATS = ("jsonl", "csv")
CSV_COLUMNS = ("event_id", "doc_id", "sentence_index", "event_date", "date_precision", "date_source",
               "source_text", "source_code", "source_country", "source_sector",
               "target_text", "target_code", "target_country", "target_sector",
               "cameo_code", "cameo_root", "quad_class", "goldstein", "plover_type",
               "loc_name", "loc_country", "lat", "lon", "spans", "source_url", "sentence")


@dataclass
class CodeResult:
    """What :func:`code_file` did: the coding report (counts), the ingest
    summary (or None) and the output file (or None for a stream)."""

    report: CodingReport
    ingest: object | None = None
    out_path: Path | None = None
    dictionaries: object | None = None  # the TABARI/PETRARCH DictionarySet the coder used (may be empty)
    undated: int = 0  # events written without an event_date (no date in the text, none for the document)


def flat_row(ev: dict) -> dict:
    """A coded event as one flat CSV row (``source``/``target`` split, spans as JSON)."""
    row = {k: ev.get(k) for k in CSV_COLUMNS if k in ev}
    for side in ("source", "target"):
        a = ev.get(side) or {}
        for k in ("text", "code", "country", "sector"):
            row[f"{side}_{k}"] = a.get(k)
    row["spans"] = json.dumps(ev["spans"], sort_keys=True)
    return row


class EventWriter:
    """Writes events one at a time to a text stream as JSONL or CSV (the CSV
    header is written before the first row, or by :meth:`close` when no event
    came).

    Raises
    ------
    UsageError
        For a format other than jsonl or csv.
    """

    def __init__(self, fh: IO[str], fmt: str = "jsonl"):
        _check_format(fmt)
        self.fh, self.fmt, self.n = fh, fmt, 0
        self._csv = csv.DictWriter(fh, fieldnames=CSV_COLUMNS, lineterminator="\n") if fmt == "csv" else None
        self._header = False

    def write(self, ev: dict) -> None:
        """Write one event.  Raises :class:`~dyadwatch.errors.OutputError` when
        the stream cannot be written (disk full ...)."""
        with _output_errors(getattr(self.fh, "name", None)):
            if self._csv is None:
                self.fh.write(json.dumps(ev, ensure_ascii=False) + "\n")
            else:
                self._write_header()
                self._csv.writerow({k: ("" if v is None else v) for k, v in flat_row(ev).items()})
        self.n += 1

    def close(self) -> None:
        """Finish the output (a CSV without events still gets its header) and flush it."""
        with _output_errors(getattr(self.fh, "name", None)):
            self._write_header()
            self.fh.flush()

    def _write_header(self) -> None:
        if self._csv is not None and not self._header:
            self._csv.writeheader()
            self._header = True


def _check_format(fmt: str) -> None:
    if fmt not in OUTPUT_FORMATS:
        raise UsageError(f"unknown output format {fmt!r}; choose one of: {', '.join(OUTPUT_FORMATS)}",
                         hint="use --format jsonl or --format csv")


@contextlib.contextmanager
def _output_errors(where):
    """Turn an OSError of opening or writing an output (disk full, name too
    long, permission) into :class:`~dyadwatch.errors.OutputError`; a closed
    pipe stays a BrokenPipeError (the CLI ends quietly on it)."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise OutputError(f"cannot write the coded events: {exc.strerror or exc}", path=exc.filename or where,
                          hint="free disk space, or give another --out") from None


@contextlib.contextmanager
def _opened(path: Path):
    """``path`` opened for writing text; opening it and closing it raise
    :class:`~dyadwatch.errors.OutputError`, except that closing is quiet
    when an error is already on its way (it would hide that one)."""
    with _output_errors(path):
        fh = path.open("w", encoding="utf-8", newline="")
    try:
        yield fh
    except BaseException:
        with contextlib.suppress(OSError):
            fh.close()
        raise
    with _output_errors(path):
        fh.close()


def write_events(events: Iterable[dict], fh: IO[str], fmt: str = "jsonl") -> int:
    """Write events to a text stream; returns the number written.

    Raises
    ------
    UsageError
        For a format other than jsonl or csv.
    """
    writer = EventWriter(fh, fmt)
    for ev in events:
        writer.write(ev)
    writer.close()
    return writer.n


def ingest_events(con, events: list[dict], *, jsonl_path: Path | None = None):
    """Store coded events as dataset ``text`` (one batch) and return the
    :class:`~dyadwatch.store.ingest.BatchSummary`.

    The events go through the normal ingest engine via a JSONL file: the one
    given (which must already hold them), else a temporary file.
    """
    from dyadwatch.store.ingest import ingest_file

    if jsonl_path is not None:
        return ingest_file(con, jsonl_path, format="text")
    with tempfile.TemporaryDirectory(prefix="dyadwatch-code-") as tmp:
        path = Path(tmp) / "coded_events.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            write_events(events, fh, "jsonl")
        return ingest_file(con, path, format="text")


def _store(store, events_file: Path, *, temporary: bool, source: str | None = None):
    """Ingest the coded events file into ``store`` (a connection, or a callable
    opening one now, closed again here).  When that fails and the events are
    only in a ``temporary`` file, they are copied to a kept one named in the
    error."""
    from dyadwatch.errors import DyadwatchError
    from dyadwatch.store.ingest import ingest_file

    opened = None
    try:
        if callable(store):
            opened = store()
        return ingest_file(opened if opened is not None else store, events_file, format="text", source=source)
    except DyadwatchError as exc:
        if temporary:
            import shutil

            kept = Path(tempfile.mkdtemp(prefix="dyadwatch-code-kept-")) / "coded_events.jsonl"
            shutil.copyfile(events_file, kept)
            exc.hint = (f"{exc.hint}; " if exc.hint else "") + \
                f"the coded events are kept in {kept}: store them with `dyadwatch ingest {kept}`"
            exc.args = (exc.one_line(),)
        raise
    finally:
        if opened is not None:
            opened.close()


def _no_text(input_path, report: CodingReport) -> InputError:
    """The error for an input that held no sentence to code (an empty file, a binary file, only
    empty or unreadable documents): coding it would replace an output or fill a store with nothing."""
    path = Path(input_path)
    try:
        empty = is_named_file(path) and path.stat().st_size == 0
    except OSError:
        empty = False
    found = "; ".join(f"{n} {reason}" for reason, n in report.screening.skipped.most_common())
    why = "file is empty (0 bytes)" if empty else (found or "no sentence in it")
    return InputError(f"no text to code: {why}", path=input_path,
                      hint="nothing was written: an existing --out file or store is unchanged")


def code_file(input_path: str | Path, *, date=None, fmt: str = "jsonl", out: str | Path | None = None,
              stdout: IO[str] | None = None, store=None, actor_files=(), verb_files=(),
              store_path: str | Path | None = None, dictionaries=(), model_dir="auto",
              n_process: int | None = None) -> CodeResult:
    """Code one input file and write (and optionally store) its events, streaming:
    documents are read, coded and their events written one after the other,
    so memory stays bounded whatever the size of the input (see
    :func:`dyadwatch.coding.documents.iter_documents`).

    Parameters
    ----------
    input_path : plain text, JSONL documents or HTML (see :mod:`dyadwatch.coding.documents`)
    date : publication date (``YYYY-MM-DD``) for plain text/HTML and JSONL lines without one
    fmt : ``jsonl`` or ``csv``
    out : output file, written as ``<out>.partial`` and renamed when coding
        ends (an interrupted run leaves no half file under the name); an
        existing device or pipe (``/dev/stdout``, a FIFO) is written directly;
        None writes to ``stdout`` as events are coded
    store : a store connection (schema created) to ingest the events into, or a
        callable returning one, called only once coding has finished
        (``dyadwatch code --ingest``: the store is neither created for an
        input that fails nor locked while coding); None stores nothing.  The
        events are stored as one batch; if that fails, events that exist only
        in a temporary file are kept in one named by the error
    store_path : the store file ``store`` opens (for the check that ``out`` is not it)
    actor_files, verb_files : extra built-in-layout actor and verb-pattern files
    dictionaries : extra TABARI/PETRARCH dictionary files or directories, added to
        those fetched into the data directory (:mod:`dyadwatch.coding.dictionaries`)
    model_dir : the event-class model (:func:`dyadwatch.coding.coder.resolve_model`: ``"auto"`` the
        trained one under ``$DYADWATCH_DATA`` if any, a directory, or None for rules only)
    n_process : processes that code (>= 1; default None: the coder's, 2, when the cores are
        free): large inputs of many documents are parsed and coded in that many worker
        processes, with the same events in the same order as one process
        (:mod:`dyadwatch.coding.workers`)

    Raises
    ------
    InputError, UsageError
        Missing input, an input with no sentence to code (empty, binary, only empty or
        unreadable documents: raised after reading it, before ``out`` is replaced or a store
        opened), malformed ``--date``, unknown format, ``n_process`` below 1,
        ``out`` in a missing directory,
        ``out`` that is a directory, the input file itself, an actor or verb file, or
        the store (``store_path``, with ``store``) (checked before coding).
    OutputError
        The events cannot be written (disk full, name too long, permission).
    StoreError
        From ``store``/the ingest (locked store ...).
    """
    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.documents import Screening, iter_documents

    _check_format(fmt)  # (before the model loads)
    if n_process is not None and n_process < 1:
        raise UsageError(f"processes must be at least 1, got {n_process}", hint="use --processes 1 or 2")
    out_path = Path(out) if out else None
    if out_path is not None and not out_path.resolve().parent.is_dir():
        raise UsageError(f"cannot write {out}: directory {out_path.resolve().parent} does not exist",
                         hint="create it first, or give another --out")
    if out_path is not None and out_path.is_dir():
        raise UsageError(f"cannot write {out}: it is a directory", hint="give a file name for --out")
    if out_path is not None and out_path.exists() and Path(input_path).exists() \
            and out_path.samefile(input_path):
        raise UsageError(f"cannot write {out}: it is the input file", hint="give another --out")
    from dyadwatch.outfiles import check_output

    check_output(out_path, store=store_path if store is not None else None,
                 inputs=[*(("an actor dictionary", f) for f in actor_files),
                         *(("a verb-pattern file", f) for f in verb_files)])
    report = CodingReport(screening=Screening())
    docs = iter_documents(input_path, date, report.screening)
    coder = get_coder(tuple(actor_files), tuple(verb_files), tuple(str(d) for d in dictionaries),
                      model_dir=model_dir)
    report.classes_by = coder.describe_model()
    target = partial = store_copy = None
    with contextlib.ExitStack() as stack:
        writers: list[EventWriter] = []
        if out_path is not None and out_path.exists() and not out_path.resolve().is_file():
            # a device or pipe (/dev/stdout, a FIFO): written directly, never replaced by a file
            writers.append(EventWriter(stack.enter_context(_opened(out_path)), fmt))
        elif out_path is not None:
            target = out_path.resolve()  # (through a symlink: the file it names is replaced, not the link)
            partial = target.with_name(target.name + ".partial")
            stack.callback(partial.unlink, missing_ok=True)
            writers.append(EventWriter(stack.enter_context(_opened(partial)), fmt))
        elif stdout is not None:
            writers.append(EventWriter(stdout, fmt))
        if store is not None and (partial is None or fmt != "jsonl"):  # (no regular jsonl --out to store from)
            tmp = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="dyadwatch-code-")))
            store_copy = tmp / "coded_events.jsonl"
            writers.append(EventWriter(stack.enter_context(_opened(store_copy)), "jsonl"))
        undated = 0
        for ev in coder.iter_events(docs, report, n_process):
            for w in writers:
                w.write(ev)
            undated += ev["event_date"] is None
        if not report.sentences:  # (before the output replaces anything or a store is opened)
            raise _no_text(input_path, report)
        for w in writers:
            w.close()
        if partial is not None:
            with _output_errors(target):
                partial.replace(target)
        summary = None
        if store is not None:
            # a temporary events file is recorded as coded from its input text
            source = f"{Path(input_path).resolve()} (coded by dyadwatch code)" if store_copy else None
            summary = _store(store, store_copy or target, temporary=store_copy is not None, source=source)
    return CodeResult(report, summary, out_path, coder.dictionaries, undated)
