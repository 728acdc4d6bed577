"""Helpers shared by the alignment readers (UN votes, ATOP, UCDP, UNSC vetoes).

- :func:`header_columns` / :func:`has_columns`: format detection by column names;
- :func:`csv_records`: CSV records with the line each starts on and its raw text;
- :func:`good_records`: the same, counted as read, with malformed records rejected;
- :func:`to_int` / :func:`code_list`: whole numbers and multi-code cells;
- :func:`country_mapper`: a cached, error-tolerant wrapper around the
  country code tables of :mod:`dyadwatch.codebooks.countries` (a code no
  table can map gives ``None``, which the readers turn into a reject with the
  reason).

The provenance record of each data set is the dataset registry's
(``acquire/datasets.yaml``); ingest records each file's sha256 in
``ingest_batches``.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, Callable, Iterator

from dyadwatch.errors import DyadwatchError, IngestError, InputError
from dyadwatch.sources import longlines
from dyadwatch.sources.delimited import MAX_LINE_BYTES
from dyadwatch.sources.formats import Head

# Python's csv module refuses a field over 131,072 characters (its default limit) with
# csv.Error, which made a whole file fail. The limit is process-global: it is set here, once,
# to the line bound of every reader (a field of one line cannot be longer than the line; a
# longer line never reaches the csv module, see _LineTracker). Nothing else in dyadwatch sets it.
csv.field_size_limit(MAX_LINE_BYTES)

#: the reason of a line over :data:`MAX_LINE_BYTES`, word for word DuckDB's (``sources.longlines``)
LINE_SIZE_REASON = longlines.LINE_SIZE_REASON


def header_columns(head: Head) -> set[str]:
    """Lower-case column names of a parquet file or of a delimited file's header line."""
    if head.parquet_columns is not None:
        return {c.strip().lower() for c in head.parquet_columns}
    if not head.lines:
        return set()
    first = head.lines[0]
    delim = "\t" if first.count("\t") > first.count(",") else ","
    try:
        row = next(csv.reader([first], delimiter=delim))
    except (csv.Error, StopIteration):
        return set()
    return {c.strip().strip('"').lower() for c in row}


def has_columns(head: Head, *required: str) -> bool:
    """True when the file's columns include every name in ``required``."""
    return set(required) <= header_columns(head)


def require_columns(path: Path, found: list[str], required: tuple[str, ...], what: str) -> None:
    """Raise :class:`IngestError` naming the missing columns of ``path``.

    Raises
    ------
    IngestError
        When a column of ``required`` is not in ``found``.
    """
    missing = [c for c in required if c not in found]
    if missing:
        article = "an" if what[:1].upper() in "AEIO" else "a"
        raise IngestError(f"not {article} {what} file: missing column(s) {', '.join(missing)}; "
                          f"found {', '.join(found[:20])}", path=path, line=1)


def require_header(path: Path, required: tuple[str, ...], what: str) -> None:
    """:func:`require_columns` on the header of ``path`` (read with :func:`dyadwatch.sources.io.read_head`).

    Raises
    ------
    IngestError
        When a column of ``required`` is not in the header.
    """
    from dyadwatch.sources.io import read_head

    require_columns(path, sorted(header_columns(read_head(path))), required, what)


def good_records(path: Path, sink, **layout) -> Iterator[tuple[int, dict[str, str], str]]:
    """The well-formed records of :func:`csv_records` (``layout``: its keyword
    arguments), for a reader's loop.

    Every record is counted as read on ``sink`` (``count_read``); a record
    that is not valid CSV, UTF-8 or NUL-free is handed to ``sink.reject``
    with the reason ``malformed CSV row: ...``, one holding a line over
    :data:`MAX_LINE_BYTES` with :data:`LINE_SIZE_REASON` (the DuckDB-staged
    readers' reason), and not yielded.

    Raises
    ------
    InputError
        As :func:`csv_records`.
    """
    for line, row, raw in csv_records(path, **layout):
        sink.count_read(1)
        if "__bad__" in row:
            bad = row["__bad__"]
            sink.reject(line, bad if bad.startswith(LINE_SIZE_REASON) else f"malformed CSV row: {bad}", raw)
            continue
        yield line, row, raw


def csv_records(path: Path, *, delimiter: str = ",", tab_unquoted: bool = False,
                trailing_empty_ok: bool = False, member: str | None = None,
                line_offset: int = 0) -> Iterator[tuple[int, dict[str, str], str]]:
    """Rows of a CSV file with a header: ``(line, row dict, raw text)``.

    ``delimiter`` separates fields; ``tab_unquoted=True`` reads a tab-separated
    file without quoting (each physical line is one record and a ``"`` is an
    ordinary character, as in POLECAT's and ICEWS's ``.tab``/``.txt`` files);
    ``trailing_empty_ok=True`` accepts a record with more fields than the
    header when every extra field is empty (trailing delimiters) and drops them.
    ``member`` reads that file of a zip archive of several; ``line_offset`` is
    added to every line number yielded (the lines of the members before it).

    ``line`` is the 1-based physical line where the record starts (quoted
    fields may span lines); keys are lower-cased header names. Compressed
    files are read through :func:`dyadwatch.sources.io.open_binary`.

    A record holding bytes that are not UTF-8, or a NUL byte, is yielded as
    ``(line, {"__bad__": reason}, raw)`` like a record with a wrong number of
    fields, so that the reader rejects that line and reads on (raw text with
    the bad bytes replaced by U+FFFD).

    A physical line over :data:`MAX_LINE_BYTES` (16 MiB, without its line
    end) is never held whole: it is read in pieces and skipped, and its
    record is yielded as ``(line, {"__bad__": LINE_SIZE_REASON}, first
    10,000 characters)``. Should that line lie inside a quoted field that
    began on an earlier line, the record from its first line through the long
    line is that one reject, and reading starts afresh on the next line.

    Raises
    ------
    InputError
        An empty file, a header line over :data:`MAX_LINE_BYTES`, a truncated
        or corrupt .gz/.zip archive, or a CSV record Python's csv module
        cannot split (a quoted field running over several lines to more than
        :data:`MAX_LINE_BYTES` characters: an unclosed quote), with the line.
    """
    for line, row, raw in _csv_records(path, delimiter, tab_unquoted, trailing_empty_ok, member):
        yield line + line_offset, row, raw


def _csv_records(path: Path, delimiter: str, tab_unquoted: bool, trailing_empty_ok: bool,
                 member: str | None) -> Iterator[tuple[int, dict[str, str], str]]:
    from dyadwatch.sources.io import open_binary

    with open_binary(path, member) as fb:
        text = io.TextIOWrapper(fb, encoding="utf-8-sig", errors="surrogateescape", newline="")
        lines = _LineTracker(text)
        reader = (csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE) if tab_unquoted
                  else csv.reader(lines, delimiter=delimiter))
        start = 1
        try:
            try:
                header = next(reader)
            except StopIteration:
                raise IngestError("file holds no header line", path=path) from None
            except _LongLine:
                raise IngestError(f"header line: {LINE_SIZE_REASON}", path=path, line=1) from None
            bad_header = _bad_text(",".join(header))
            if bad_header:
                raise IngestError(f"header line: {bad_header}", path=path, line=1)
            names = [h.strip().lower() for h in header]
            while True:
                start = lines.count + 1
                lines.raw.clear()
                try:
                    row = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:
                    raise IngestError(f"malformed CSV ({exc})", path=path, line=start) from None
                except _LongLine as long_line:
                    # the csv reader starts its next record afresh (it resets its state on each call)
                    where = "" if long_line.line == start else f" (line {long_line.line} of the record)"
                    yield start, {"__bad__": LINE_SIZE_REASON + where}, _printable(long_line.head)
                    continue
                raw = "".join(lines.raw).rstrip("\r\n")
                bad = _bad_text(raw)
                if bad:
                    yield start, {"__bad__": bad}, _printable(raw)
                    continue
                if not any(c.strip() for c in row):
                    continue
                if trailing_empty_ok and len(row) > len(names) and not any(c.strip() for c in row[len(names):]):
                    row = row[:len(names)]
                if len(row) != len(names):
                    yield start, {"__bad__": f"expected {len(names)} fields, found {len(row)}"}, raw
                    continue
                yield start, dict(zip(names, row)), raw
        except (EOFError, zlib.error, zipfile.BadZipFile) as exc:
            raise InputError(f"truncated or corrupt compressed file ({exc})", path=path, line=start) from None


def _bad_text(text: str) -> str | None:
    """Why a decoded line cannot be stored (undecodable bytes, NUL), or None."""
    hit = _BAD_CHARS.search(text)
    if hit is None:
        return None
    return "NUL byte in line" if hit.group() == "\x00" else "not valid UTF-8 (bad byte sequence)"


#: a surrogate escape (a byte that is not UTF-8, decoded with errors="surrogateescape") or NUL
_BAD_CHARS = re.compile("[\udc80-\udcff\x00]")


def _printable(text: str) -> str:
    """``text`` with undecodable bytes (surrogate escapes) replaced by U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


class _LongLine(Exception):
    """Raised through the csv reader by :class:`_LineTracker` for a line over
    :data:`MAX_LINE_BYTES`; carries its 1-based number and its first characters."""

    def __init__(self, line: int, head: str) -> None:
        super().__init__(f"line {line}: {LINE_SIZE_REASON}")
        self.line = line
        self.head = head


#: characters of a too long line kept for ``rejects.raw`` (DuckDB keeps 10,000 too)
_LONG_LINE_HEAD = 10_000
#: characters read at a time while skipping the rest of a too long line
_SKIP_CHUNK = 1 << 20


def _ends_line(piece: str, asked: int) -> bool:
    """Whether ``piece`` (from ``readline(asked)``) ends its line: a line end, or end of file."""
    return piece.endswith(("\n", "\r")) or len(piece) < asked


class _LineTracker:
    """Iterator over a text stream's lines that counts them and keeps the raw text.

    A line over :data:`MAX_LINE_BYTES` bytes (UTF-8, surrogate escapes as the
    one byte they stand for; line end not counted) is not returned: at most
    ``MAX_LINE_BYTES + 2`` characters of it are held, the rest is read in 1 Mi
    character pieces and dropped, and :class:`_LongLine` is raised.
    """

    def __init__(self, fh: io.TextIOBase) -> None:
        self.fh = fh
        self.count = 0
        self.raw: list[str] = []

    def __iter__(self) -> "_LineTracker":
        return self

    def __next__(self) -> str:
        asked = MAX_LINE_BYTES + 2  # room for "\r\n"
        line = self.fh.readline(asked)
        if not line:
            raise StopIteration
        self.count += 1
        # a character is 1 to 4 bytes: only a line of more than a quarter of the bound can be over it
        if len(line) > MAX_LINE_BYTES // 4:
            complete = _ends_line(line, asked)
            body = line.rstrip("\r\n")
            if not complete or len(body.encode("utf-8", "surrogateescape")) > MAX_LINE_BYTES:
                head = line[:_LONG_LINE_HEAD].rstrip("\r\n")
                del line, body
                while not complete:
                    piece = self.fh.readline(_SKIP_CHUNK)
                    complete = _ends_line(piece, _SKIP_CHUNK)
                raise _LongLine(self.count, head)
        self.raw.append(line)
        return line


def to_int(text: Any) -> int | None:
    """An integer from a cell ('12', '12.0', ''), ``None`` when empty.

    Raises
    ------
    ValueError
        When the cell holds something else, or a number outside the 32-bit
        range (a fuzzed conflict_id of 2,200,000,000 crashed the UCDP reader
        with OverflowError when it was stored as int32).
    """
    if text is None:
        return None
    s = str(text).strip()
    if s == "" or s.upper() in ("NA", "NAN", "NULL"):
        return None
    f = float(s)
    if f != f or f in (float("inf"), float("-inf")) or f != int(f):
        raise ValueError(f"not a whole number: {s!r}")
    if not -2**31 <= f < 2**31:  # every such field (ids, years, codes, flags) fits 32 bits
        raise ValueError(f"number out of range: {s!r}")
    return int(f)


def code_list(text: Any) -> list[int]:
    """Integer codes of one cell that may hold several (``'2, 200'`` in UCDP's
    own releases); empty cell -> ``[]``.

    Raises
    ------
    ValueError
        When a part is not a whole number.
    """
    if text is None:
        return []
    out = []
    for part in str(text).replace(";", ",").split(","):
        v = to_int(part)
        if v is not None:
            out.append(v)
    return out


def country_mapper(kind: str) -> Callable[..., str | None]:
    """A cached function mapping a native country code to ISO3, or ``None``.

    Parameters
    ----------
    kind : str
        ``"iso2"`` (f(code, name, year)), ``"cow"`` (f(ccode, year)) or
        ``"gw"`` (f(gwcode, year)).

    Uses :mod:`dyadwatch.codebooks.countries` (``iso2_to_iso3``,
    ``resolve``, ``cow_to_iso3``, ``gw_to_iso3``); any lookup error means
    "no table can map it" and gives ``None``.
    """
    from dyadwatch.codebooks import countries

    cache: dict[tuple, str | None] = {}

    def _safe(fn, *args):
        try:
            out = fn(*args)
        except (DyadwatchError, LookupError, ValueError, TypeError):
            return None
        if out is None:
            return None
        return getattr(out, "iso3", out)

    def iso2(code: str | None, name: str | None, year: int | None = None) -> str | None:
        key = (code, name, year)
        if key not in cache:
            got = _safe(countries.iso2_to_iso3, code) if code else None
            if got is None and name:
                got = _safe(countries.resolve, name, year)
            cache[key] = got
        return cache[key]

    def numeric(fn_name: str):
        fn = getattr(countries, fn_name)

        def f(code: int | None, year: int | None) -> str | None:
            key = (code, year)
            if key not in cache:
                cache[key] = None if code is None else _safe(fn, int(code), None if year is None else int(year))
            return cache[key]
        return f

    if kind == "iso2":
        return iso2
    if kind == "cow":
        return numeric("cow_to_iso3")
    if kind == "gw":
        return numeric("gw_to_iso3")
    raise ValueError(f"unknown code kind {kind!r}; expected iso2, cow or gw")
