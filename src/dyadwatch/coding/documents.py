"""Documents in: plain text, JSONL documents and HTML pages, screened for bad input.

A :class:`Document` is one text with an id and a date.  :func:`iter_documents`
streams the documents of a file in one of three layouts (:func:`read_documents`
returns them as a list):

* **JSONL** (``.jsonl``/``.ndjson``, or a first line that is a JSON object):
  one document per line with ``id``, ``date`` (``YYYY-MM-DD``), ``text`` and
  optionally ``url`` and ``title``;
* **HTML** (``.html``/``.htm`` or a first line starting ``<!doctype``/``<html``):
  the main text extracted with trafilatura (navigation, ads and footers
  dropped), its date from ``--date``;
* **plain text**: the whole file is one document dated ``--date`` (read in
  parts of about a megabyte, see :mod:`dyadwatch.coding.streaming`).

Bad input never raises: lines that are not JSON objects, documents without
text, bytes that are not UTF-8 and binary files are *skipped and counted* in
:class:`Screening`, which the coder reports as a warning.  Only a file that
does not exist, an HTML page too large to read whole, or a malformed
``--date`` raise
(:class:`~dyadwatch.errors.InputError` / :class:`~dyadwatch.errors.UsageError`).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import InputError, UsageError

#: share of control/replacement characters above which a text counts as binary
BINARY_SHARE = 0.05
_BOM = b"\xef\xbb\xbf"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_HTML_START = re.compile(r"^\s*(<!doctype html|<html)", re.IGNORECASE)


@dataclass
class Document:
    """One text to code.

    Attributes
    ----------
    doc_id : str   identifier kept on every event (``events.doc_id``)
    date : datetime.date or None   publication date; relative dates resolve against it
    text : str     the text (UTF-8, HTML already removed)
    url, title : str or None
    part : int     0 for a whole document or its first part; 1, 2 ... for the
        following parts of a long plain text read in parts (same ``doc_id``:
        the coder carries the sentence numbering and the narrated date on)
    """

    doc_id: str
    date: dt.date | None
    text: str
    url: str | None = None
    title: str | None = None
    part: int = 0


@dataclass
class Screening:
    """What was skipped while reading and coding, by reason (counts)."""

    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)

    def skip(self, reason: str, where: str = "", n: int = 1) -> None:
        """Count ``n`` skipped items for ``reason``; keep the first place as an example."""
        self.skipped[reason] += n
        if where and reason not in self.examples:
            self.examples[reason] = where

    @property
    def total(self) -> int:
        return sum(self.skipped.values())

    def warning(self) -> str | None:
        """One line naming what was skipped (``None`` when nothing was)."""
        if not self.skipped:
            return None
        parts = [f"{n} {reason}" + (f" (first: {self.examples[reason]})" if reason in self.examples else "")
                 for reason, n in self.skipped.most_common()]
        return "bad input skipped or repaired: " + "; ".join(parts)


def is_named_file(path: Path) -> bool:
    """True for a regular file (its name identifies its text); False for ``-``
    (standard input), a pipe such as ``<(...)`` or a device."""
    return str(path) != "-" and Path(path).is_file()


def source_id(path: Path, text: str, line: int | None = None) -> str:
    """The ``doc_id`` of a text read from ``path`` that carries no id of its own.

    A regular file: its stem (``news.txt`` -> ``news``; a JSONL line
    ``news:12``).  Standard input or a pipe, whose name says nothing about the
    text (``63`` for every ``<(...)``): ``text-`` and the first 16 hex digits of
    the SHA-256 of the text (its first part, for a long text), so the same
    text coded twice gets the same event ids and two texts never share them.
    """
    if is_named_file(path):
        return path.stem if line is None else f"{path.stem}:{line}"
    import hashlib

    return "text-" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def parse_date(value: object, *, path: object = None, line: int | None = None) -> dt.date | None:
    """``YYYY-MM-DD`` (or a longer ISO timestamp) -> ``datetime.date``; ``None``/``""`` -> None.

    Raises
    ------
    UsageError
        For text that is not an ISO date (naming the value, file and line).
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise UsageError(f"date {text!r} is not YYYY-MM-DD", path=path, line=line,
                         hint="give dates as 2017-06-07") from None


def decode(data: bytes, screening: Screening, where: str, what: str = "documents") -> str | None:
    """Bytes -> text.  Invalid UTF-8 is replaced and counted; a text with more
    than :data:`BINARY_SHARE` control/replacement characters is binary and
    skipped (returns None, counted as ``binary <what>``), and so is a text
    starting with a UTF-16 byte-order mark (``UTF-16 <what>``).  A UTF-8
    byte-order mark is dropped."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        screening.skip(f"UTF-16 {what} (convert them to UTF-8)", where)
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("utf-8-sig", errors="replace")
        screening.skip("non-UTF-8 byte sequences replaced", where,
                       n=max(1, text.count("\ufffd")))
    if text and len(_CONTROL.findall(text)) > BINARY_SHARE * len(text):
        screening.skip(f"binary {what}", where)
        return None
    return _CONTROL.sub(" ", text)


def html_to_text(html: str) -> str:
    """Main text of an HTML page (trafilatura; falls back to all visible text),
    paragraphs and headings separated by blank lines."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False,
                               favor_precision=True) or ""
    if not text.strip():
        text = strip_tags(html)
    # trafilatura gives one paragraph (or heading) per line: keep them apart
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<!--.*?-->|<[^<>]{0,2000}>", re.IGNORECASE | re.DOTALL)


def strip_tags(fragment: str) -> str:
    """Visible text of an HTML fragment (tags, scripts and comments removed, entities decoded)."""
    import html

    return html.unescape(_TAG.sub(" ", fragment))


def looks_like_html(text: str) -> bool:
    """True for a text that starts like an HTML page."""
    return bool(_HTML_START.match(text[:200]))


def read_documents(path: str | Path, date: dt.date | str | None = None,
                   screening: Screening | None = None) -> tuple[list[Document], Screening]:
    """All documents of one file as a list (see :func:`iter_documents`, which
    streams them; this keeps every document in memory and suits small inputs).

    Returns
    -------
    (documents, screening)

    Raises
    ------
    InputError, UsageError
        As :func:`iter_documents`.
    """
    screening = screening or Screening()
    return list(iter_documents(path, date, screening)), screening


def iter_documents(path: str | Path, date: dt.date | str | None = None,
                   screening: Screening | None = None) -> Iterator[Document]:
    """Stream the documents of one file (layout detected, see the module docstring).

    Memory stays bounded whatever the file's size: JSONL is read line by line
    (a line over :data:`~dyadwatch.coding.streaming.MAX_LINE_BYTES` is skipped
    and counted), plain text in parts of about
    :data:`~dyadwatch.coding.streaming.PART_CHARS` characters cut at paragraph
    breaks (the parts share one ``doc_id``, ``part`` = 0, 1, 2 ...), and an
    HTML page, which trafilatura needs whole, is read whole up to
    :data:`~dyadwatch.coding.streaming.MAX_HTML_BYTES`.

    Parameters
    ----------
    path : a file, ``-`` for standard input, or a pipe such as bash's ``<(...)``
        (read once; texts without an id of their own get :func:`source_id`)
    date : publication date for plain text and HTML, and the default for JSONL
        lines without one.
    screening : where skipped input is counted (filled while the documents are read)

    Raises
    ------
    InputError
        The file does not exist, is a directory, or is an HTML page over
        :data:`~dyadwatch.coding.streaming.MAX_HTML_BYTES` (checked before
        the first document is returned for a file, while reading a pipe).
    UsageError
        ``date`` is not ``YYYY-MM-DD``.
    """
    from dyadwatch.coding import streaming

    path = Path(path)
    screening = screening if screening is not None else Screening()
    stdin = str(path) == "-"
    if not stdin and not path.exists():
        raise InputError("file not found", path=path)
    if path.is_dir():
        raise InputError("is a directory, expected a file", path=path)
    default_date = parse_date(date)
    # opened once: a pipe, <(...) or standard input loses nothing to the sniffing
    fh = os.fdopen(os.dup(sys.stdin.fileno()), "rb") if stdin else path.open("rb")
    try:
        head = fh.read(2000)
        name = path.name.lower()
        start = head.removeprefix(_BOM).lstrip()
        if name.endswith((".jsonl", ".ndjson")) or (start.startswith(b"{")
                                                     and not name.endswith((".txt", ".html", ".htm"))):
            kind = "jsonl"
        elif name.endswith((".html", ".htm")) or looks_like_html(head.decode("utf-8-sig", errors="replace")):
            kind = "html"
            size = path.stat().st_size if is_named_file(path) else 0  # (a pipe is checked while read)
            if size > streaming.MAX_HTML_BYTES:
                raise _too_large_html(path, size)
        else:
            kind = "text"
    except BaseException:
        fh.close()
        raise
    if is_named_file(path):  # a regular file is opened again when read: nothing stays open before that
        fh.close()
        fh = None
    data = streaming.chunks(fh, head, path, screening)
    if kind == "jsonl":
        return _jsonl_documents(path, data, default_date, screening)
    if kind == "html":
        return _html_document(path, data, default_date, screening)
    return streaming.text_parts(path, data, default_date, screening)


def _too_large_html(path: Path, size: int) -> InputError:
    from dyadwatch.coding import streaming

    return InputError(f"HTML page of {streaming.size_text(size)} is over the "
                      f"{streaming.size_text(streaming.MAX_HTML_BYTES)} that are read whole", path=path,
                      hint="split it into pages, or give its text as plain text or JSONL")


def _html_document(path: Path, data: Iterator[bytes], default_date: dt.date | None,
                   screening: Screening) -> Iterator[Document]:
    from dyadwatch.coding import streaming

    page = bytearray()
    for chunk in data:  # (a pipe has no size to check beforehand)
        page += chunk
        if len(page) > streaming.MAX_HTML_BYTES:
            raise _too_large_html(path, len(page))
    text = decode(bytes(page), screening, str(path))
    if text is None:
        return
    text = html_to_text(text)
    if not text.strip():
        screening.skip("empty documents", str(path))
        return
    yield Document(doc_id=source_id(path, text), date=default_date, text=text)


def _jsonl_documents(path: Path, data: Iterator[bytes], default_date: dt.date | None,
                     screening: Screening) -> Iterator[Document]:
    from dyadwatch.coding.streaming import jsonl_lines

    seen: Counter = Counter()
    for lineno, raw in jsonl_lines(data, path, screening):
        where = f"{path}:{lineno}"
        if not raw.strip():
            continue
        line = decode(raw, screening, where)
        if line is None:
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:
            screening.skip("lines that are not JSON", where)
            continue
        if not isinstance(rec, dict):
            screening.skip("lines that are not JSON objects", where)
            continue
        text = rec.get("text")
        if not isinstance(text, str) or not text.strip():
            screening.skip("empty documents", where)
            continue
        try:
            date = parse_date(rec.get("date"), path=path, line=lineno) or default_date
        except UsageError:
            screening.skip("documents with an unreadable date (coded without one)", where)
            date = default_date
        doc_id = str(rec.get("id") or rec.get("doc_id") or source_id(path, text, lineno))
        seen[doc_id] += 1
        if seen[doc_id] > 1:  # keep event ids distinct for repeated ids
            doc_id = f"{doc_id}#{seen[doc_id]}"
        if looks_like_html(text):
            text = html_to_text(text)
        yield Document(doc_id=doc_id, date=date, text=text,
                       url=rec.get("url") if isinstance(rec.get("url"), str) else None,
                       title=rec.get("title") if isinstance(rec.get("title"), str) else None)
