"""The text layer shared by every TABARI/PETRARCH dictionary reader.

A dictionary file is UTF-8 text, one record per line.  Material that is not
data (TABARI/PETRARCH conventions, ``PETRreader.read_FIN_line``):

* lines that start with ``#``, blank lines;
* ``<!-- ... -->`` comments, on one line or over several (``<!`` opening a
  line also starts one: the validation files write ``<! -- ...``);
* everything after ``#`` on a data line (an in-line comment), and after ``;``
  in the older KEDS/TABARI actor files.

:func:`read_lines` refuses what is not a dictionary at all — a binary file
(a NUL byte), bytes that are not UTF-8, a file over :data:`MAX_BYTES` — with an
:class:`~dyadwatch.errors.InputError` naming the file, the line and the reason,
and returns the data lines with their 1-based line numbers.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import InputError

#: largest dictionary file read (the biggest published one, Phoenix.Countries.actors.txt, is 1.5 MB)
MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class Line:
    """One data line: its 1-based number in the file, the text without comments
    (right-stripped) and whether it began with white space (TABARI marks date
    restrictions by a leading tab)."""

    number: int
    text: str
    indented: bool


@dataclass(frozen=True)
class DictionaryText:
    """A dictionary file read and checked: its path, sha256 and data lines."""

    path: Path
    sha256: str
    lines: tuple[Line, ...]


def read_bytes(path: Path) -> bytes:
    """The file's bytes; a missing, unreadable, oversized or binary file raises InputError."""
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, expected a dictionary file", path=path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"dictionary file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit", path=path)
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError("dictionary file not found", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read dictionary file: {exc.strerror or exc}", path=path) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError("binary file (NUL byte), not a TABARI/PETRARCH dictionary",
                         path=path, line=data.count(b"\n", 0, nul) + 1)
    return data


def decode(data: bytes, path: Path) -> str:
    """UTF-8 text of ``data`` (a leading byte-order mark dropped); bytes that are not
    UTF-8 raise InputError naming the line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
                         path=path, line=data.count(b"\n", 0, exc.start) + 1,
                         hint="convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8") from None
    return text[1:] if text.startswith("\ufeff") else text


def _comment_start(line: str) -> int:
    """Index of the ``#`` that starts an in-line comment, or -1 (a ``#`` inside ``[...]``
    is part of a code: the validation verbs write ``[###]``)."""
    at = line.find("#")
    if at < 0 or "[" not in line[:at]:
        return at
    depth = 0
    for i, ch in enumerate(line):
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth = max(0, depth - 1)
        elif ch == "#" and depth == 0:
            return i
    return -1


def strip_comments(text: str, *, semicolon: bool = False) -> list[Line]:
    """Data lines of a dictionary text (see the module docstring for what is dropped)."""
    out: list[Line] = []
    in_comment = False
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw
        if not in_comment and "#" not in line and "<!" not in line and (";" not in line or not semicolon):
            if line.strip():
                out.append(Line(number, line.rstrip(), line[:1] in (" ", "\t")))
            continue
        if in_comment:
            end = line.find("-->")
            if end < 0:
                continue
            line = line[end + 3:]
            in_comment = False
        # remove <!-- ... --> pieces; an unterminated one runs on to a later line
        while True:
            start = line.find("<!")
            if start < 0:
                break
            end = line.find("-->", start)
            if end < 0:
                line = line[:start]
                in_comment = True
                break
            line = line[:start] + line[end + 3:]
        if line.lstrip().startswith("#"):
            continue
        hash_at = _comment_start(line)
        if hash_at >= 0:
            line = line[:hash_at]
        if semicolon and ";" in line:
            line = line[:line.find(";")]
        if not line.strip():
            continue
        out.append(Line(number, line.rstrip(), line[:1] in (" ", "\t")))
    return out


def read_lines(path: Path, *, semicolon: bool = False) -> DictionaryText:
    """Read and check one dictionary file.

    Parameters
    ----------
    path : the file.
    semicolon : also cut a line at ``;`` (KEDS/TABARI actor-file comments).

    Returns
    -------
    DictionaryText
        ``path``, ``sha256`` of the bytes, data lines in file order.

    Raises
    ------
    dyadwatch.errors.InputError
        Missing or unreadable file, a directory, a binary file, bytes that are
        not UTF-8 (with the line), a file over :data:`MAX_BYTES`.
    """
    path = Path(path)
    data = read_bytes(path)
    text = decode(data, path)
    return DictionaryText(path, hashlib.sha256(data).hexdigest(), tuple(strip_comments(text, semicolon=semicolon)))
