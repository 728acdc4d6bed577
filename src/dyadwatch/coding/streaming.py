"""Reading large text inputs in bounded memory: JSONL line by line, plain text in parts.

The file is opened once (so a pipe or ``<(...)`` loses nothing to the layout
sniffing) and read :data:`READ_BYTES` at a time by :func:`chunks`.
:func:`jsonl_lines` yields its lines (LF, CR or CRLF ends; :mod:`dyadwatch.jsonl`) without ever
holding more than one line (a line over :data:`MAX_LINE_BYTES` is skipped
and counted).  :func:`text_parts` yields a plain text as :class:`Document`
parts of about :data:`PART_CHARS` characters, cut at a paragraph break where
the coder's paragraph blocks (:func:`ends_block`) end too, so that sentences,
dates and events are those of the whole text coded at once.  Memory use is
a few parts, whatever the size of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from dyadwatch.coding.documents import Document, Screening, decode, source_id

#: bytes read from the file at a time
READ_BYTES = 1 << 20
#: characters of plain text per part handed to the coder (a part ends at a paragraph break)
PART_CHARS = 1_000_000
#: a part with no paragraph break is cut at the last line end, else the last space,
#: once this many characters are pending
MAX_PART_CHARS = 4 * PART_CHARS
#: JSONL lines longer than this are skipped and counted, never held whole (as the
#: ingest readers' line limit; one line of this size costs a few hundred MB to code)
MAX_LINE_BYTES = 16 << 20
#: HTML pages larger than this are refused (trafilatura needs the whole page)
MAX_HTML_BYTES = 64 << 20

_BLANK_LINE = re.compile(r"\n[ \t\f\v]*\n")
#: a paragraph ending like this ends a coder block (see :func:`paragraph_blocks`)
_ENDS_SENTENCE = re.compile(r"[.!?:;\"'\u201d)\]]\s*$")
_ENDS_CITATION = re.compile(r"\[\d+\]\s*$")
#: paragraphs shorter than this (white space collapsed) end a block: headings, datelines
SHORT_PARAGRAPH = 100
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d)\]]*\s")


def ends_block(paragraph: str) -> bool:
    """True when the coder ends a paragraph block after ``paragraph`` (the
    text between two blank lines): it ends a sentence or a citation
    (``[12]``), or is shorter than :data:`SHORT_PARAGRAPH` characters once
    white space is collapsed (a heading); otherwise the next paragraph
    continues it (a line broken by a blank line).  Empty paragraphs end
    nothing."""
    p = " ".join(paragraph.split())
    return bool(p) and (len(p) < SHORT_PARAGRAPH or bool(_ENDS_SENTENCE.search(p))
                        or bool(_ENDS_CITATION.search(p)))


def soft_cut(text: str, lo: int, hi: int) -> int:
    """The best place in ``text[lo:hi]`` to cut a text that has no paragraph
    break: after its last sentence end (``.``, ``!`` or ``?``, closing quotes
    or brackets, then white space), else after its last space, else ``hi``."""
    m = None
    for m in _SENTENCE_END.finditer(text, lo, hi):
        pass
    if m is not None:
        return m.end()
    at = text.rfind(" ", lo, hi)
    return at + 1 if at >= lo else hi


def paragraph_blocks(text: str) -> list[str]:
    """Paragraph blocks: blank lines split when the paragraph before them ends a
    sentence or is a short heading (:func:`ends_block`);
    otherwise the line continues.  Lines inside a paragraph are joined."""
    paras = re.split(r"\n\s*\n", text)
    out: list[str] = []
    buf = ""
    for p in paras:
        p = " ".join(p.split())
        if not p:
            continue
        buf = f"{buf} {p}" if buf else p
        if ends_block(p):
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


def chunks(fh, head: bytes, path: Path, screening: Screening) -> Iterator[bytes]:
    """``head`` (the bytes already read to sniff the layout), then the rest of the
    input :data:`READ_BYTES` at a time.

    ``fh`` is the open binary stream the head came from (a pipe: it cannot be
    opened twice), closed at the end; or None for a regular file, which is
    opened again, when the first chunk is asked for, and read on after the
    head.  A regular file that ends before the size it had when this is
    called (cut short while being read) is counted as ``files cut short
    while being read``."""
    import os

    size = os.stat(path).st_size if fh is None else None  # (None: a pipe, read through fh)
    return _chunks(fh, head, path, size, screening)


def _chunks(fh, head: bytes, path: Path, size: int | None, screening: Screening) -> Iterator[bytes]:
    if fh is None:
        fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
        fh.seek(len(head))
    try:
        total = len(head)
        if head:
            yield head
        while True:
            data = fh.read(READ_BYTES)
            if not data:
                break
            total += len(data)
            yield data
        if size is not None and total < size:
            screening.skip("files cut short while being read", f"{path}: {total:,} of {size:,} bytes read")
    finally:
        fh.close()


def jsonl_lines(data: Iterator[bytes], path: Path, screening: Screening) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw bytes)`` of each line of the byte chunks ``data``
    (1-based; :func:`dyadwatch.jsonl.byte_lines`: a line ends at LF or CRLF,
    and here at a lone CR too, which JSON never holds inside a string).

    A line over :data:`MAX_LINE_BYTES` is not returned: the rest of it is read
    through without being kept, and it is counted in ``screening`` as
    ``lines over 16 MB`` with its place.
    """
    from dyadwatch.jsonl import byte_lines

    def long_line(n: int) -> None:
        screening.skip(f"lines over {size_text(MAX_LINE_BYTES)}", f"{path}:{n}")

    return byte_lines(data, max_line_bytes=MAX_LINE_BYTES, on_long=long_line, lone_cr=True)


def size_text(n: int) -> str:
    """``67108864`` -> ``'64 MB'``; sizes under a megabyte in bytes (``'1,000 bytes'``)."""
    return f"{n >> 20:,} MB" if n >= 1 << 20 else f"{n:,} bytes"


def _utf8_cut(data: bytes) -> int:
    """Length of the longest prefix of ``data`` that does not end inside a
    UTF-8 character (at most 3 bytes are held back)."""
    n = len(data)
    for back in range(1, min(4, n) + 1):
        b = data[n - back]
        if b < 0x80:           # ASCII: complete
            return n
        if b >= 0xC0:          # a lead byte: complete only if its sequence fits
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return n if back >= need else n - back
    return n


def _cut(buf: str) -> int:
    """Where to end the next part of ``buf`` (len(buf) >= PART_CHARS).

    At the last blank line between PART_CHARS/2 and PART_CHARS after which
    the coder's block ends (:func:`ends_block` of the paragraph before it),
    else at the first such blank line after PART_CHARS; the part keeps the
    first line end, the next part starts with the rest of the blank line (so
    a heading opening it, like ``References``, is found as in the whole
    text).  With none and more than :data:`MAX_PART_CHARS` pending: after
    the last sentence end, else the last space (the only cuts that can differ
    from coding the whole text: a paragraph run of 4 MB without an end).
    Returns 0 to read on.
    """
    half = PART_CHARS // 2
    valid = []  # cut points after which the coder's block ends too
    prev_end = 0
    for m in _BLANK_LINE.finditer(buf):
        if m.start() >= half and ends_block(buf[prev_end:m.start()]):
            valid.append(m.start() + 1)
            if m.start() + 1 > PART_CHARS:
                break
        prev_end = m.end()
    inside = [v for v in valid if v <= PART_CHARS]
    if inside or valid:
        return inside[-1] if inside else valid[0]
    if len(buf) < MAX_PART_CHARS:
        return 0
    return soft_cut(buf, half, PART_CHARS)


def text_parts(path: Path, data: Iterator[bytes], date: dt.date | None,
               screening: Screening) -> Iterator[Document]:
    """A plain text (the byte chunks ``data`` of ``path``) as one document
    (``doc_id`` = the file's stem) in parts.

    Each part is a :class:`Document` with ``part`` = 0, 1, 2 ...; parts
    holding only white space are not returned.  CRLF and lone CR line ends
    become LF.  Invalid UTF-8 is replaced and counted; a binary first
    megabyte skips the whole file (``binary documents``), a binary piece
    later on is skipped and counted (``binary blocks``).  Nothing is
    returned (and ``empty documents`` is counted) for a file of white space.
    """
    part = 0
    buf = ""
    carry = b""
    first = True
    stream = iter(data)
    while True:
        chunk = next(stream, b"")
        eof = not chunk
        chunk = carry + chunk
        cut = len(chunk) if eof else _utf8_cut(chunk)
        if not eof and chunk[:cut].endswith(b"\r"):
            cut -= 1  # a CR closing the chunk may be the first half of a CRLF
        chunk, carry = chunk[:cut], chunk[cut:]
        if chunk:
            text = decode(chunk, screening, str(path), what="documents" if first else "blocks")
            if text is None and first:
                return
            first = False
            buf += (text or "").replace("\r\n", "\n").replace("\r", "\n")
        while len(buf) >= PART_CHARS or (eof and buf):
            at = len(buf) if eof else _cut(buf)
            if not at:
                break
            piece, buf = buf[:at], buf[at:]
            if piece.strip():
                if part == 0:
                    doc_id = source_id(path, piece)
                yield Document(doc_id=doc_id, date=date, text=piece, part=part)
                part += 1
        if eof:
            break
    if part == 0:  # (a binary file returned above)
        screening.skip("empty documents", str(path))
