"""JSON Lines read line by line: numbered lines ending at LF, in bounded memory.

JSON Lines (https://jsonlines.org) ends a line at LF (``\\n``; a CR before it
is dropped). Nothing else ends a line: ``str.splitlines`` also breaks at
U+2028/U+2029, U+0085, form feeds and ``\\x1c``-``\\x1e``, which may stand
unescaped inside a JSON string, so a record holding one was cut in two and
every later line number shifted. Every JSONL reader of dyadwatch (claims,
gold files, PETRARCH validation records, coded-text ingest, documents to
code) numbers its lines with :func:`byte_lines` / :func:`text_lines`.

Memory stays at one line plus one chunk of :data:`READ_BYTES`: a line over
the caller's bound is read through without being kept and reported to the
caller's ``on_long``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from dyadwatch.errors import InputError

#: bytes read from a file at a time by :func:`file_chunks`
READ_BYTES = 1 << 20
#: default bound on one line (a longer line is never held whole)
MAX_LINE_BYTES = 16 << 20
_LF = re.compile(rb"\n")
#: documents to code also accept old Mac files (a lone CR ends a line: JSON never holds a raw CR
#: inside a string, so this cannot cut a record)
_LF_OR_CR = re.compile(rb"\r\n|\r|\n")


def file_chunks(fh, size: int = READ_BYTES) -> Iterator[bytes]:
    """The bytes of the open binary stream ``fh``, ``size`` at a time (the stream is not closed)."""
    while True:
        data = fh.read(size)
        if not data:
            return
        yield data


def byte_lines(chunks: Iterable[bytes], *, max_line_bytes: int = MAX_LINE_BYTES,
               on_long: Callable[[int], None] | None = None,
               lone_cr: bool = False) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of each line of the byte chunks ``chunks``.

    Line numbers are 1-based; a line ends at LF, and its end (LF, or CRLF:
    the CR is dropped) is not returned. With ``lone_cr`` a lone CR ends a line
    too (``bytes.splitlines``). Blank lines are returned (the callers skip
    them, so that line numbers stay those of the file); a last line without
    an end is returned; a leading UTF-8 BOM is kept (see :func:`text_lines`).

    A line over ``max_line_bytes`` bytes is not returned: the rest of it is
    read through without being kept and ``on_long(line number)`` is called
    once (raise from it to stop; None skips the line silently).
    """
    eol = _LF_OR_CR if lone_cr else _LF
    lineno = 0
    buf = b""
    skipping = False

    def too_long(n: int) -> None:
        if on_long is not None:
            on_long(n)

    for chunk in chunks:
        buf += chunk
        start = 0
        for m in eol.finditer(buf):
            if lone_cr and m.end() == len(buf) and m.group() == b"\r":
                break  # a CR closing the chunk may be the first half of a CRLF
            lineno += 1
            end = m.start() - 1 if m.start() > start and buf[m.start() - 1:m.start()] == b"\r" else m.start()
            if skipping:
                skipping = False
            elif end - start > max_line_bytes:
                too_long(lineno)
            else:
                yield lineno, buf[start:end]
            start = m.end()
        buf = buf[start:]
        if len(buf) > max_line_bytes + 1:  # (+1: a CR of a CRLF end)
            if not skipping:
                too_long(lineno + 1)
                skipping = True
            buf = buf[-1:] if buf.endswith(b"\r") else b""
    if buf.endswith(b"\r"):
        buf = buf[:-1]
    if buf and not skipping:
        if len(buf) > max_line_bytes:
            too_long(lineno + 1)
        else:
            yield lineno + 1, buf


def text_lines(chunks: Iterable[bytes], path: str | Path, *, max_line_bytes: int = MAX_LINE_BYTES,
               on_long: Callable[[int], None] | None = None, what: str = "the file") -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each line of ``chunks`` (:func:`byte_lines`), decoded as UTF-8;
    a UTF-8 BOM opening line 1 is dropped.

    Without ``on_long`` a line over ``max_line_bytes`` raises.

    Raises
    ------
    InputError
        A line that is not UTF-8 (``save <what> as UTF-8``), or over ``max_line_bytes`` bytes
        when ``on_long`` is None — naming ``path`` and the line.
    """
    def refuse(n: int) -> None:
        raise InputError(f"line longer than {max_line_bytes:,} bytes; a JSON Lines record is one line",
                         path=path, line=n)

    for n, raw in byte_lines(chunks, max_line_bytes=max_line_bytes, on_long=on_long or refuse):
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield n, raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"not UTF-8 text (save {what} as UTF-8)", path=path, line=n) from None


def read_text_lines(path: str | Path, *, max_line_bytes: int = MAX_LINE_BYTES,
                    what: str = "the file") -> Iterator[tuple[int, str]]:
    """:func:`text_lines` of the file at ``path``, opened and read :data:`READ_BYTES` at a time.

    Raises
    ------
    InputError
        As :func:`text_lines`; also a file that cannot be opened (with the system's reason).
    """
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror or exc})", path=path) from None
    try:
        yield from text_lines(file_chunks(fh), path, max_line_bytes=max_line_bytes, what=what)
    finally:
        fh.close()


def parse_object(line: str) -> dict:
    """The JSON object on one line.

    Raises
    ------
    ValueError
        ``not valid JSON (<reason>)`` or ``not a JSON object`` (callers add the file and line).
    """
    import json

    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not valid JSON ({exc.msg})") from None
    if not isinstance(obj, dict):
        raise ValueError("not a JSON object")
    return obj
