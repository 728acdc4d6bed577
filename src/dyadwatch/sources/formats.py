"""The registry of source readers: format name -> reader.

A reader turns one native file format into canonical rows (``store/schema.py``)
and nothing else. It is registered with :func:`register` and found either by
name (``--format gdelt1``) or by :func:`detect`, which asks each reader's
``sniff`` whether the file's first lines look like its format.

A reader is any object with:

``name`` (str)
    the format name used on the command line;
``dataset`` (str)
    the default dataset label stored in ``events.dataset``;
``tables`` (tuple of str)
    the canonical tables it writes;
``description`` (str)
    one line for ``--help`` and error messages;
``sniff(path, head) -> bool``
    ``head`` is a :class:`Head` (file name, first decoded lines);
``read(path, sink) -> None``
    parse ``path`` and hand rows to ``sink`` (a :class:`Sink`).

Built-in readers register themselves on import of their module; the module
list is :data:`BUILTIN_MODULES`. A plug-in registers the same way.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from dyadwatch.errors import FormatNotRecognisedError, UnknownNameError


@dataclass(frozen=True)
class Head:
    """What :func:`detect` shows a reader: the file's name and first lines.

    ``lines`` are decoded as UTF-8 with replacement, line ends stripped, a
    leading BOM removed; compressed files (.gz, .zip) are shown decompressed.
    """

    path: Path
    lines: tuple[str, ...]
    suffix: str  # lower-case suffix of the inner file name ('.csv', '.tab', '.parquet', ...)
    parquet_columns: tuple[str, ...] | None = None


class DirectRowsRefused(Exception):
    """Raised by ``Sink.add(..., direct_rows=n)`` when some of the rows have a key
    stored with other values (a conflict that needs the rows' line numbers to
    be reported); nothing of them was added, and the reader takes its exact,
    line-numbered path instead (``store/conflicts.py``)."""


class Sink(Protocol):
    """Where a reader puts what it read (implemented by ``store.ingest``)."""

    dataset: str
    con: Any  # a duckdb connection, for readers that parse with DuckDB

    def add(self, table: str, rows: Any, *, direct_rows: int | None = None) -> None:
        """Stage canonical rows for ``table``: a pyarrow Table/RecordBatch,
        a pandas DataFrame or a DuckDB relation with the table's columns
        (missing columns are filled with NULL, extra columns are an error).

        ``direct_rows=n``: ``rows`` is SQL text or a relation yielding ``n``
        rows whose keys the reader has checked to be unique in the file and
        not among any other rows it adds; the store inserts them at once,
        without a staging copy (rows already stored are left out and counted),
        so the files the query reads must exist only during the call. Raises
        :class:`DirectRowsRefused` (nothing added) when a key is stored with
        other values."""

    def reject(self, line: int | None, reason: str, raw: str | None) -> None:
        """Record one input line that cannot be stored, with the reason."""

    def reject_rows(self, query: str) -> int:
        """Record as rejects the rows of ``query`` (SQL on :attr:`con` yielding
        ``line, reason, raw``), inside DuckDB: for readers that find their bad
        rows in SQL, so that the rows never pass through Python. Returns their number."""

    def count_read(self, n: int) -> None:
        """Add ``n`` to the number of data rows read from the file."""

    def note(self, text: str) -> None:
        """Say what the reader did beyond storing and rejecting (one sentence,
        shown after the ingest summary and kept in ``BatchSummary.notes``):
        values it derived (``412 CAMEO codes taken from Event Text``) or lines
        that are neither rows nor rejects (absent members in a roll call)."""


class Reader(Protocol):
    name: str
    dataset: str
    tables: tuple[str, ...]
    description: str

    def sniff(self, path: Path, head: Head) -> bool: ...

    def read(self, path: Path, sink: Sink) -> None: ...


READERS: dict[str, Reader] = {}

#: modules whose import registers the built-in readers
BUILTIN_MODULES: tuple[str, ...] = (
    "dyadwatch.sources.gdelt",
    "dyadwatch.sources.icews",
    "dyadwatch.sources.icews_names",
    "dyadwatch.sources.icews_dyadyear",
    "dyadwatch.sources.unvotes",
    "dyadwatch.sources.atop",
    "dyadwatch.sources.ucdp",
    "dyadwatch.sources.unsc_vetoes",
    "dyadwatch.sources.coded_text",
    "dyadwatch.sources.td_rivalries",
    "dyadwatch.sources.cow_mid",
    "dyadwatch.sources.cow_war",
    "dyadwatch.sources.state_system",
    "dyadwatch.sources.cow_nmc",
    "dyadwatch.sources.cow_igo",
    "dyadwatch.sources.polecat",
    "dyadwatch.sources.acled",
    "dyadwatch.sources.ucdp_ged",
)

_loaded = False


def register(reader: Reader) -> Reader:
    """Register ``reader`` under ``reader.name`` (replacing an earlier one)."""
    READERS[reader.name] = reader
    return reader


def load_builtins() -> dict[str, Reader]:
    """Import the built-in reader modules (once) and return the registry."""
    global _loaded
    if not _loaded:
        for mod in BUILTIN_MODULES:
            try:
                importlib.import_module(mod)
            except ModuleNotFoundError as exc:  # a stage not built yet
                if exc.name != mod:
                    raise
        _loaded = True
    return READERS


def get(name: str) -> Reader:
    """The reader registered as ``name``.

    Raises
    ------
    UnknownNameError
        Listing the registered format names.
    """
    readers = load_builtins()
    if name not in readers:
        raise UnknownNameError(
            f"unknown format {name!r}; known formats: {', '.join(sorted(readers))}",
            hint="use --format auto to detect it",
        )
    return readers[name]


def detect(path: Path) -> Reader:
    """The reader whose ``sniff`` accepts ``path``.

    Raises
    ------
    FormatNotRecognisedError
        If no reader (or more than one) accepts the file; the message lists
        the known formats.
    InputError
        If the file is missing, empty or a broken archive.
    """
    from dyadwatch.sources.io import read_head

    readers = load_builtins()
    head = read_head(path)
    hits = [r for r in readers.values() if r.sniff(path, head)]
    if len(hits) == 1:
        return hits[0]
    known = ", ".join(sorted(readers))
    if not hits:
        first = head.lines[0][:80] if head.lines else ""
        raise FormatNotRecognisedError(
            f"format not recognised (first line starts {first!r}); known formats: {known}",
            path=path, hint="give --format NAME",
        )
    raise FormatNotRecognisedError(
        f"ambiguous format: {', '.join(r.name for r in hits)} all accept this file",
        path=path, hint="give --format NAME",
    )
