"""Opening source files: plain, gzip or zip, with clear errors.

Readers call :func:`materialize` to get a file DuckDB can read *exactly*, and
:func:`read_head` is what format detection looks at. Every path a reader
gives DuckDB's ``read_csv``/``read_parquet`` goes through :func:`sql_file`,
which accepts only the paths :func:`exact_path` made safe: DuckDB reads
``[ ] * ? { }`` in a path as a glob pattern (``ev[1].csv`` read ``ev1.csv``),
and ``key=value`` folders as Hive partitions, so a file whose absolute path
holds anything but ``A-Z a-z 0-9 . _ - + /`` is read through a symbolic link
with a plain name in a private temporary directory.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from dyadwatch.errors import InputError
from dyadwatch.sources.formats import Head

HEAD_LINES = 5
HEAD_BYTES = 1 << 16
#: the characters a path handed to DuckDB may hold; anything else (glob characters, quotes,
#: spaces, ``=``, backslashes, non-ASCII letters) is read through a link (:func:`exact_path`)
_SAFE_PATH = re.compile(r"[A-Za-z0-9._+/-]+")


def temp_write_error(exc: OSError, what: str, *, path=None) -> Exception:
    """The error to raise for ``exc``, an OSError while writing ``what`` in the temporary
    directory: :class:`~dyadwatch.errors.NoSpaceError` (exit code 4) naming the directory when
    the disk is full (``ENOSPC``), else an :class:`InputError` with the system's reason."""
    from dyadwatch.errors import NoSpaceError

    if exc.errno == errno.ENOSPC:
        return NoSpaceError(f"no space left on device in the temporary directory {tempfile.gettempdir()} "
                            f"(TMPDIR) while writing {what}; nothing of this file was stored", path=path,
                            hint="free disk space or set TMPDIR to a larger disk, and run again")
    return InputError(f"cannot write {what} in the temporary directory {tempfile.gettempdir()}: "
                      f"{exc.strerror or exc}", path=path, hint="set TMPDIR to a writable directory")


def _safe_suffix(name: str) -> str:
    """The last two suffixes of ``name`` (``.csv.gz``), lower case, only safe characters."""
    suffixes = [s.lower() for s in Path(name).suffixes[-2:]]
    return "".join(s for s in suffixes if _SAFE_PATH.fullmatch(s) and len(s) <= 12)


def is_exact(path: os.PathLike | str) -> bool:
    """True when DuckDB reads ``path`` (absolute) as exactly one file: no glob or
    Hive-partition characters, nothing to quote."""
    text = str(path)
    return os.path.isabs(text) and _SAFE_PATH.fullmatch(text) is not None and "//" not in text


@contextmanager
def exact_path(path: os.PathLike | str) -> Iterator[Path]:
    """An absolute path to the file ``path`` that DuckDB reads as exactly that file.

    ``path`` itself (made absolute) when :func:`is_exact`; otherwise a
    symbolic link to it named ``input<suffixes>`` (``input.csv.gz``: DuckDB
    detects compression from the suffix) in a new private temporary
    directory, removed on exit.

    Raises
    ------
    InputError
        The temporary directory's own path is not safe (a ``TMPDIR`` with such
        characters) or no link can be made there.
    """
    p = Path(os.path.abspath(path))
    if is_exact(p):
        yield p
        return
    try:
        tmp = tempfile.mkdtemp(prefix="dyadwatch-link-")
    except OSError as exc:
        raise temp_write_error(exc, "a link to read the file by its exact name", path=path) from None
    try:
        link = Path(tmp) / ("input" + _safe_suffix(p.name))
        if not is_exact(link):
            raise InputError(f"the temporary directory {tmp} has characters DuckDB reads as a pattern",
                             path=path, hint="set TMPDIR to a directory with a plain name such as /tmp")
        try:
            os.symlink(p, link)
        except OSError as exc:
            raise temp_write_error(exc, "a link to read the file by its exact name", path=path) from None
        yield link
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def sql_file(path: os.PathLike | str) -> str:
    """``path`` as a SQL string literal for DuckDB's file functions (``read_csv(...)``).

    Only paths made by :func:`exact_path` / :func:`materialize` are accepted,
    so no reader can hand DuckDB a name it would read as a pattern.

    Raises
    ------
    ValueError
        ``path`` is not such a path (a bug in the calling reader).
    """
    if not is_exact(path):
        raise ValueError(f"{path!r} must come from sources.io.exact_path() before DuckDB reads it")
    return "'" + str(path) + "'"


def _check_exists(path: Path) -> None:
    if not path.exists():
        raise InputError("file not found", path=path)
    if path.is_dir():
        raise InputError("is a directory, expected a file", path=path)
    if path.stat().st_size == 0:
        raise InputError("file is empty (0 bytes)", path=path)


def inner_name(path: Path) -> str:
    """The name of the data file inside ``path`` (``x.tsv`` for ``x.tsv.gz``;
    the single member of a zip)."""
    name = path.name.lower()
    if name.endswith(".gz"):
        return name[:-3]
    if name.endswith(".zip"):
        return _only_member(path).lower()
    return name


def _only_member(path: Path) -> str:
    """The one file inside the zip archive ``path`` (name as stored); InputError unless there is exactly one."""
    members = zip_members(path)
    if len(members) != 1:
        raise InputError(f"zip archive holds {len(members)} files, expected 1", path=path)
    return members[0]


def zip_members(path: Path) -> list[str]:
    """The files (not folders) inside a zip archive, in archive order; ``[]`` for another file.

    Raises
    ------
    InputError
        A ``.zip`` file that is not a readable archive.
    """
    path = Path(path)
    if not path.name.lower().endswith(".zip"):
        return []
    try:
        with zipfile.ZipFile(path) as zf:
            return [m for m in zf.namelist() if not m.endswith("/")]
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(f"not a readable zip archive ({exc})", path=path) from None


@contextmanager
def open_binary(path: Path, member: str | None = None) -> Iterator[io.BufferedIOBase]:
    """Open ``path`` for reading bytes, decompressing .gz and .zip.

    A zip archive must hold one file, unless ``member`` names the one to read
    (a reader that reads archives of several files, such as POLECAT's yearly
    archives of monthly files, opens each by name)."""
    path = Path(path)
    _check_exists(path)
    name = path.name.lower()
    if name.endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            yield fh
    elif name.endswith(".zip"):
        member = member or _only_member(path)
        with zipfile.ZipFile(path) as zf:
            with zf.open(member) as fh:
                yield fh
    else:
        with path.open("rb") as fh:
            yield fh


def read_head(path: Path) -> Head:
    """First lines of ``path`` (decompressed) for format detection.

    Raises
    ------
    InputError
        Missing or empty file, or a truncated/corrupt archive.
    """
    path = Path(path)
    _check_exists(path)
    several = zip_members(path)
    # a zip of several files shows its first file (detection only: a reader that does not read
    # such archives refuses them when it opens the file, with inner_name's error)
    inner = several[0].lower() if len(several) > 1 else inner_name(path)
    suffix = Path(inner).suffix
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            cols = tuple(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises several types for bad files
            raise InputError(f"not a readable Parquet file ({exc})", path=path) from None
        return Head(path=path, lines=(), suffix=suffix, parquet_columns=cols)
    try:
        with open_binary(path, several[0] if several else None) as fh:  # inner_name checked a zip's members
            data = fh.read(HEAD_BYTES)
    except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as exc:
        raise InputError(f"cannot decompress: truncated or corrupt archive ({exc})", path=path) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8", errors="replace")
    lines = tuple(line.rstrip("\r") for line in text.split("\n")[:HEAD_LINES] if line.strip() != "")
    if not lines:
        raise InputError("file holds no data lines", path=path)
    return Head(path=path, lines=lines, suffix=suffix)


@contextmanager
def materialize(path: Path) -> Iterator[Path]:
    """A file with the content of ``path`` that DuckDB reads exactly (:func:`exact_path`).

    Plain and ``.gz`` files are yielded as they are (DuckDB reads gzip
    itself; through a link when the name holds characters DuckDB would read
    as a pattern) after checking that a gzip stream is complete; a ``.zip``
    member is extracted to a temporary file with a plain name that is removed
    afterwards. Pass the result to DuckDB through :func:`sql_file`.

    Raises
    ------
    InputError
        If the archive is truncated or corrupt.
    """
    path = Path(path)
    _check_exists(path)
    name = path.name.lower()
    if name.endswith(".gz"):
        try:
            with gzip.open(path, "rb") as fh:
                while fh.read(1 << 20):
                    pass
        except (EOFError, OSError, zlib.error) as exc:
            raise InputError(f"truncated or corrupt gzip file ({exc})", path=path) from None
        with exact_path(path) as exact:
            yield exact
        return
    if name.endswith(".zip"):
        inner = inner_name(path)
        try:
            fd, tmp = tempfile.mkstemp(prefix="dyadwatch-zip-", suffix=_safe_suffix(inner) or ".data")
        except OSError as exc:
            raise temp_write_error(exc, "the zip member", path=path) from None
        os.close(fd)
        try:
            with open_binary(path) as src, open(tmp, "wb") as dst:
                while True:
                    try:
                        block = src.read(1 << 20)
                    except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as exc:
                        raise InputError(f"truncated or corrupt zip file ({exc})", path=path) from None
                    if not block:
                        break
                    try:
                        dst.write(block)
                    except OSError as exc:  # a full temporary directory is not a corrupt zip
                        raise temp_write_error(exc, "the zip member", path=path) from None
            with exact_path(tmp) as exact:
                yield exact
        finally:
            os.unlink(tmp)
        return
    with exact_path(path) as exact:
        yield exact
