"""Reading large text inputs in bounded memory: JSONL line by line, plain text in parts.

:func:`jsonl_lines` yields the lines of a JSONL file without ever holding more
than one line (a line over :data:`MAX_LINE_BYTES` is skipped, read through in
:data:`READ_BYTES` pieces, and counted).  :func:`text_parts` reads a plain-text
file :data:`READ_BYTES` at a time and yields it as :class:`Document` parts of
about :data:`PART_CHARS` characters, cut at a paragraph break (a blank line)
where the text before it ends a sentence, so that the coder's paragraph
blocks — and with them the sentences and events — are the same as when the
whole text is coded at once.  Memory use is therefore a few parts, whatever the
size of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from dyadwatch.coding.documents import Document, Screening, decode

#: bytes read from the file at a time
READ_BYTES = 1 << 20
#: characters of plain text per part handed to the coder (a part ends at a paragraph break)
PART_CHARS = 1_000_000
#: a part with no paragraph break is cut at the last line end, else the last space,
#: once this many characters are pending
MAX_PART_CHARS = 4 * PART_CHARS
#: JSONL lines longer than this are skipped and counted, never held in memory
MAX_LINE_BYTES = 64 << 20
#: HTML pages larger than this are refused (trafilatura needs the whole page)
MAX_HTML_BYTES = 64 << 20

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_ENDS_SENTENCE = re.compile(r"[.!?:;\"'\u201d)\]]\s*$")


def jsonl_lines(path: Path, screening: Screening) -> Iterator[tuple[int, bytes]]:
    """``(line number, raw bytes)`` of each line of ``path`` (1-based; lines
    end at LF, CR or CRLF as in :meth:`bytes.splitlines`).

    A line over :data:`MAX_LINE_BYTES` is not returned: it is read through and
    counted in ``screening`` as ``lines over 64 MB``.
    """
    lineno = 0
    with path.open("rb") as fh:
        while True:
            raw = fh.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
                lineno += 1
                while True:  # read the rest of the line through, a piece at a time
                    rest = fh.readline(READ_BYTES)
                    if not rest or rest.endswith(b"\n"):
                        break
                screening.skip(f"lines over {size_text(MAX_LINE_BYTES)}", f"{path}:{lineno}")
                continue
            for piece in raw.splitlines():
                lineno += 1
                yield lineno, piece


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
    """Where to end the next part of ``buf`` (len(buf) >= PART_CHARS): inside the
    last blank line in its second half that follows the end of a sentence,
    else inside any blank line there; with none and more than
    :data:`MAX_PART_CHARS` pending, before the last line end, else after the
    last space; else 0 (read on).  A part never begins just after a line end:
    the next part keeps it, so a heading on the first line of a part (the
    coder's ``References`` cut matches a line end before the heading) is
    found as in the whole text."""
    best = any_blank = 0
    for m in _BLANK_LINE.finditer(buf, PART_CHARS // 2):
        any_blank = m.start() + 1
        if _ENDS_SENTENCE.search(buf, max(0, m.start() - 8), m.start()):
            best = m.start() + 1
    if best or any_blank:
        return best or any_blank
    if len(buf) < MAX_PART_CHARS:
        return 0
    at = buf.rfind("\n", PART_CHARS // 2)
    if at > 0:
        return at
    at = buf.rfind(" ", PART_CHARS // 2)
    if at > 0:
        return at + 1
    return PART_CHARS


def text_parts(path: Path, date: dt.date | None, screening: Screening) -> Iterator[Document]:
    """A plain-text file as one document (``doc_id`` = the file's stem) in parts.

    Each part is a :class:`Document` with ``part`` = 0, 1, 2 ...; parts
    holding only white space are not returned.  Invalid UTF-8 is replaced
    and counted; a binary first megabyte skips the whole file (``binary
    documents``), a binary piece later on is skipped and counted (``binary
    blocks``).  Nothing is returned (and ``empty documents`` is counted) for
    a file of white space.
    """
    part = 0
    buf = ""
    carry = b""
    first = True
    with path.open("rb") as fh:
        while True:
            data = fh.read(READ_BYTES)
            eof = not data
            data = carry + data
            cut = len(data) if eof else _utf8_cut(data)
            data, carry = data[:cut], data[cut:]
            if data:
                text = decode(data, screening, str(path), what="documents" if first else "blocks")
                if text is None and first:
                    return
                first = False
                buf += text or ""
            while len(buf) >= PART_CHARS or (eof and buf):
                at = len(buf) if eof else _cut(buf)
                if not at:
                    break
                piece, buf = buf[:at], buf[at:]
                if piece.strip():
                    yield Document(doc_id=path.stem, date=date, text=piece, part=part)
                    part += 1
            if eof:
                break
    if part == 0:  # (a binary file returned above)
        screening.skip("empty documents", str(path))
