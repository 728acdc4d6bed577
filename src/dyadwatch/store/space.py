"""A full disk while storing: one clear error naming where, and a store that works afterwards.

A full disk used to give ``internal error, please report`` (the ``ROLLBACK``
after DuckDB's own failure raised ``cannot rollback - no transaction is
active``, hiding the real error). :func:`is_no_space` recognises the
condition in a DuckDB error or an ``OSError`` (``ENOSPC``), and
:func:`no_space_error` turns it into :class:`~dyadwatch.errors.NoSpaceError`
(exit code 4) saying where the space ran out:

* **the store** (``FILE`` or ``FILE.wal``),
* **its spill directory** ``FILE.tmp/`` (DuckDB's ``temp_directory``: what
  does not fit in the memory limit while a file is staged),
* **the temporary directory** (``TMPDIR``: zip members extracted, long
  lines set aside, names linked for DuckDB).

The ingest rolls the batch back (:func:`rollback_quietly`), so the store
holds what it held before and the next run, once space is freed, works.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

import duckdb

from dyadwatch.errors import NoSpaceError, StoreError

_PHRASES = ("no space left on device", "disk is full", "not enough space", "failed to offload")
#: DuckDB's words when its spill directory cannot take more ("Out of Memory Error: failed to offload
#: data block of size 64.0 KiB (896.0 KiB/921.5 KiB used)": the sizes are those of the spill files)
_SPILL_FULL = "failed to offload"


def is_no_space(exc: BaseException) -> bool:
    """Whether ``exc`` (an OSError, a DuckDB error, or one raised from either) says the disk is full."""
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if any(p in str(exc).lower() for p in _PHRASES):
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def store_path(con) -> Path | None:
    """The file of the store ``con`` is connected to (None in memory)."""
    try:
        rows = con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL "
                           "ORDER BY database_oid LIMIT 1").fetchall()
    except duckdb.Error:
        return None
    return Path(rows[0][0]) if rows and rows[0][0] else None


def where(exc: BaseException, store: Path | None) -> str:
    """Where the space ran out, from the path the error names (see the module docstring)."""
    text = str(exc) + " " + str(getattr(exc, "filename", "") or "")
    if store is not None:
        spill = str(store) + ".tmp"
        if spill in text or os.path.abspath(spill) in text or _SPILL_FULL in text.lower():
            return f"the store's spill directory {spill}"
        if str(store) in text or os.path.abspath(str(store)) in text:
            return f"the store {store}"
    tmp = tempfile.gettempdir()
    if tmp in text:
        return f"the temporary directory {tmp} (TMPDIR)"
    if store is not None:
        return f"the store {store} or its spill directory {store}.tmp"
    return "the temporary directory " + tmp


def no_space_error(exc: BaseException, store: Path | None, *, path=None) -> NoSpaceError:
    """The :class:`NoSpaceError` for ``exc`` (about input ``path``), naming where the space ran out."""
    detail = _first_sentence(exc)
    return NoSpaceError(f"no space left on device in {where(exc, store)}; nothing of this file was stored "
                        f"({detail})", path=path,
                        hint="free disk space and run again; the store keeps what it held")


def rollback_quietly(con) -> None:
    """ROLLBACK, saying nothing when DuckDB has already ended the transaction (it does after a
    fatal error such as a full disk: a second error would hide the first)."""
    try:
        con.execute("ROLLBACK")
    except duckdb.Error:
        pass


def is_out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is DuckDB running out of its memory limit (not of disk)."""
    return isinstance(exc, duckdb.OutOfMemoryException) and not is_no_space(exc)


def out_of_memory_error(exc: BaseException, *, path=None) -> StoreError:
    """A :class:`StoreError` (exit code 4) for DuckDB's memory limit being too small for the work."""
    from dyadwatch.store.db import ENV_MEMORY_LIMIT

    limit = os.environ.get(ENV_MEMORY_LIMIT) or "the default"
    return StoreError(f"out of memory within DuckDB's memory limit ({ENV_MEMORY_LIMIT}: {limit}); nothing of this "
                      f"file was stored ({_first_sentence(exc)})", path=path,
                      hint=f"raise {ENV_MEMORY_LIMIT} (e.g. 1GB) and run again")


def _first_sentence(exc: BaseException) -> str:
    """The first sentence of an error's text on one line (DuckDB adds paragraphs of advice)."""
    text = " ".join(str(exc).split())
    cut = text.find(". ")
    text = text[:cut + 1] if cut > 0 else text
    return text if len(text) <= 300 else text[:300] + "…"
