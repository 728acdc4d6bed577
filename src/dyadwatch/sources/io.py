"""Opening source files: plain, gzip or zip, with clear errors.

Readers call :func:`materialize` to get a plain file DuckDB can read, and
:func:`read_head` is what format detection looks at.
"""

from __future__ import annotations

import gzip
import io
import os
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
        try:
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.namelist() if not m.endswith("/")]
        except (zipfile.BadZipFile, OSError) as exc:
            raise InputError(f"not a readable zip archive ({exc})", path=path) from None
        if len(members) != 1:
            raise InputError(f"zip archive holds {len(members)} files, expected 1", path=path)
        return members[0].lower()
    return name


@contextmanager
def open_binary(path: Path) -> Iterator[io.BufferedIOBase]:
    """Open ``path`` for reading bytes, decompressing .gz and .zip."""
    path = Path(path)
    _check_exists(path)
    name = path.name.lower()
    if name.endswith(".gz"):
        with gzip.open(path, "rb") as fh:
            yield fh
    elif name.endswith(".zip"):
        inner_name(path)
        with zipfile.ZipFile(path) as zf:
            member = [m for m in zf.namelist() if not m.endswith("/")][0]
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
    inner = inner_name(path)
    suffix = Path(inner).suffix
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            cols = tuple(pq.read_schema(path).names)
        except Exception as exc:  # pyarrow raises several types for bad files
            raise InputError(f"not a readable Parquet file ({exc})", path=path) from None
        return Head(path=path, lines=(), suffix=suffix, parquet_columns=cols)
    try:
        with open_binary(path) as fh:
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
    """A plain (uncompressed) file with the content of ``path``.

    Plain and ``.gz`` files are yielded as they are (DuckDB reads gzip
    itself) after checking that a gzip stream is complete; a ``.zip`` member
    is extracted to a temporary file that is removed afterwards.

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
        yield path
        return
    if name.endswith(".zip"):
        inner = inner_name(path)
        fd, tmp = tempfile.mkstemp(suffix="-" + Path(inner).name)
        os.close(fd)
        try:
            try:
                with open_binary(path) as src, open(tmp, "wb") as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
            except (EOFError, OSError, zlib.error, zipfile.BadZipFile) as exc:
                raise InputError(f"truncated or corrupt zip file ({exc})", path=path) from None
            yield Path(tmp)
        finally:
            os.unlink(tmp)
        return
    yield path
