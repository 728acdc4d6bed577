"""Lines too long to parse: found by a byte scan, set aside before DuckDB reads the file.

DuckDB's CSV reader rejects a line over its ``max_line_size`` as ``LINE SIZE
OVER MAXIMUM`` — but only while the line fits its read buffer (16 times
``max_line_size``): a longer line (about 256 MB with our 16 MiB bound)
disappeared without a reject, and every later line number shifted by one.
So the DuckDB-staged readers never hand DuckDB such a line:
:func:`scan` finds every line over :data:`MAX_LINE_BYTES` in one pass over
the bytes (two ``find`` calls and a ``count`` per MiB, at memory speed), and
:func:`set_aside` copies the file with each of them replaced by a one-byte
placeholder line (a NUL byte, which no reader stores), so that DuckDB numbers
every other line exactly; the reader rejects the long line itself with
:data:`LINE_SIZE_REASON` and its first bytes. Files without such a line (the
common case) are read as they are; memory stays at one chunk whatever the
line length.

Line ends are those of the DuckDB-staged readers: LF, CRLF and a lone CR.

``$DYADWATCH_MAX_LINE_BYTES`` (bytes, or ``64KiB``/``16MiB``/``2MB``) sets the
bound for every reader (default 16 MiB; at least 64 KiB), so a test can
exercise the same path with a small line.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Iterator

from dyadwatch.errors import UsageError

ENV_MAX_LINE = "DYADWATCH_MAX_LINE_BYTES"
DEFAULT_MAX_LINE_BYTES = 16 * 1024 * 1024
MIN_MAX_LINE_BYTES = 64 * 1024
#: bytes of a long line kept for ``rejects.raw`` (the store keeps at most 2,000 characters)
HEAD_BYTES = 4096
_UNITS = {"": 1, "b": 1, "kb": 1000, "kib": 1024, "mb": 1000**2, "mib": 1024**2, "gb": 1000**3, "gib": 1024**3}


def max_line_bytes() -> int:
    """The longest line (bytes, line end excluded) a reader accepts: ``$DYADWATCH_MAX_LINE_BYTES`` or 16 MiB.

    Raises
    ------
    UsageError
        An unreadable value or one below 64 KiB.
    """
    text = os.environ.get(ENV_MAX_LINE, "").strip()
    if not text:
        return DEFAULT_MAX_LINE_BYTES
    m = re.fullmatch(r"(\d+)\s*([a-zA-Z]*)", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise UsageError(f"bad {ENV_MAX_LINE} value {text!r}", hint="give bytes such as 16MiB or 2000000")
    n = int(m.group(1)) * _UNITS[m.group(2).lower()]
    if n < MIN_MAX_LINE_BYTES:
        raise UsageError(f"{ENV_MAX_LINE}={text} is below the minimum of 64KiB")
    return n


#: the longest line a reader accepts (see :func:`max_line_bytes`; read once, at import)
MAX_LINE_BYTES = max_line_bytes()
#: the reason of a line over :data:`MAX_LINE_BYTES` (DuckDB's own words, for every reader)
LINE_SIZE_REASON = f"line size over maximum: Maximum line size of {MAX_LINE_BYTES} bytes exceeded"


@dataclass(frozen=True)
class LongLine:
    """A line over the bound: 1-based ``line`` number, byte ``start`` and ``end``
    (line end excluded) in the (decompressed) file."""

    line: int
    start: int
    end: int


def scan(fh: BinaryIO, limit: int | None = None, *, chunk: int = 1 << 20) -> list[LongLine]:
    """Every line of the byte stream ``fh`` longer than ``limit`` bytes (default :data:`MAX_LINE_BYTES`).

    Reads ``fh`` to its end in chunks of ``chunk`` bytes (at most ``limit``);
    memory is one chunk whatever the line lengths.
    """
    limit = MAX_LINE_BYTES if limit is None else limit
    chunk = max(1, min(chunk, limit))
    out: list[LongLine] = []
    pos = 0            # offset of the chunk in the stream
    line_start = 0     # offset where the current line starts
    ends = 0           # line ends seen before the current line
    prev_cr = False    # the previous chunk ended with CR (a LF at the start of this one completes CRLF)
    while True:
        data = fh.read(chunk)
        if not data:
            break
        skip = 0
        if prev_cr and data[:1] == b"\n":  # the LF of a CRLF split between chunks
            skip = 1
            line_start += 1
        first = _first_end(data, skip)
        if first >= 0:
            if pos + first - line_start > limit:
                out.append(LongLine(ends + 1, line_start, pos + first))
            n = data.count(b"\n", skip) + data.count(b"\r", skip) - data.count(b"\r\n", skip)
            ends += n
            last = max(data.rfind(b"\n"), data.rfind(b"\r"))
            line_start = pos + last + 1
        prev_cr = data.endswith(b"\r")
        pos += len(data)
    if pos - line_start > limit:
        out.append(LongLine(ends + 1, line_start, pos))
    return out


def _first_end(data: bytes, start: int) -> int:
    hits = [i for i in (data.find(b"\n", start), data.find(b"\r", start)) if i >= 0]
    return min(hits) if hits else -1


@contextmanager
def set_aside(path: Path, opener) -> Iterator[tuple[Path, list[tuple[int, str]]]]:
    """``(file to read, [(line, first characters)])``: ``path`` itself and ``[]`` when no line is
    over :data:`MAX_LINE_BYTES`; else a temporary plain copy (removed on exit) in which each
    long line is replaced by a line holding one NUL byte, with each long line's number and
    first :data:`HEAD_BYTES` bytes (decoded, bad bytes replaced).

    ``opener(path)`` opens the (decompressed) byte stream (:func:`dyadwatch.sources.io.open_binary`).
    """
    from dyadwatch.sources.io import exact_path, temp_write_error

    with opener(path) as fh:
        long = scan(fh)
    if not long:
        yield path, []
        return
    try:
        tmp = tempfile.mkdtemp(prefix="dyadwatch-lines-")
    except OSError as exc:
        raise temp_write_error(exc, "a copy without its over-long lines", path=path) from None
    try:
        copy = Path(tmp) / "input.txt"  # plain, whatever the original was (.gz is decompressed here)
        heads = []
        try:
            with opener(path) as src, open(copy, "wb") as dst:
                pos = 0
                for ln in long:
                    _copy(src, dst, ln.start - pos)
                    head = src.read(min(HEAD_BYTES, ln.end - ln.start))
                    heads.append((ln.line, head.decode("utf-8", "replace")))
                    _skip(src, ln.end - ln.start - len(head))
                    dst.write(b"\x00")
                    pos = ln.end
                shutil.copyfileobj(src, dst, 1 << 20)
        except OSError as exc:
            if exc.errno is None:  # a read error of a broken archive: the caller reports it
                raise
            raise temp_write_error(exc, "a copy without its over-long lines", path=path) from None
        with exact_path(copy) as exact:
            yield exact, heads
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _copy(src: BinaryIO, dst: BinaryIO, n: int) -> None:
    while n > 0:
        data = src.read(min(n, 1 << 20))
        if not data:
            return
        dst.write(data)
        n -= len(data)


def _skip(src: BinaryIO, n: int) -> None:
    while n > 0:
        data = src.read(min(n, 1 << 20))
        if not data:
            return
        n -= len(data)
