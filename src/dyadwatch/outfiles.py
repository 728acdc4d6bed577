"""Output files: never onto an input, written whole or not at all.

Every command that writes a file (``report --out``, ``code --out``,
``counts --out``, ``demo --out``) checks with :func:`check_output` that the
file is none of the files it reads — the store (and its ``.wal`` and spill
directory ``.tmp``), a claims file, an input — before doing any work
(``report --out X --db X`` used to replace the store with HTML), and writes
through :func:`atomic_write_text` / :func:`atomic_path`: a temporary file
in the same directory, renamed over the target only once it is complete, so
an interrupted or failed run leaves the old file (or none), never half of one.
Not a pipeline stage: every stage may import it, like :mod:`dyadwatch.errors`.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator

from dyadwatch.errors import OutputError, UsageError


def _same(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (hard links and symbolic links included)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return os.path.realpath(a) == os.path.realpath(b)


def store_files(store: os.PathLike | str) -> list[Path]:
    """The files of a DuckDB store: the file itself, its write-ahead log and its spill directory."""
    p = Path(store)
    return [p, p.with_name(p.name + ".wal"), p.with_name(p.name + ".tmp")]


def con_store_path(con) -> Path | None:
    """The file of the (first) attached DuckDB database of ``con``, None for an in-memory one."""
    try:
        rows = con.execute("SELECT path FROM duckdb_databases() WHERE NOT internal AND path IS NOT NULL "
                           "ORDER BY database_oid LIMIT 1").fetchall()
    except Exception:  # noqa: BLE001 - a connection of another kind: nothing to protect
        return None
    return Path(rows[0][0]) if rows and rows[0][0] else None


def check_output(out: os.PathLike | str | None, *, store: os.PathLike | str | None = None,
                 inputs: Iterable[tuple[str, os.PathLike | str | None]] = (), option: str = "--out") -> None:
    """Refuse an output path that is the store or one of the inputs.

    Parameters
    ----------
    out : the output path (None: nothing to check).
    store : the store file; its ``.wal`` and ``.tmp`` are protected with it.
    inputs : ``(what, path)`` pairs (``("claims file", path)``), None paths ignored.
    option : the option named in the message.

    Raises
    ------
    UsageError
        (exit code 2) ``out`` names the store, one of its files, or an input;
        or ``out`` lies inside the store's spill directory.
    """
    if out is None:
        return
    o = Path(out)
    protected: list[tuple[str, Path]] = []
    if store is not None:
        protected += [("the store", f) for f in store_files(store)]
    protected += [(what, Path(p)) for what, p in inputs if p is not None]
    for what, p in protected:
        if _same(o, p):
            raise UsageError(f"{option} {out} is {what} ({p}); writing there would destroy it",
                             hint=f"give another {option}")
    if store is not None:
        spill = os.path.realpath(store_files(store)[2])
        if os.path.realpath(o).startswith(spill + os.sep):
            raise UsageError(f"{option} {out} lies in the store's spill directory {spill}",
                             hint=f"give another {option}")


@contextlib.contextmanager
def atomic_path(target: os.PathLike | str, *, what: str = "the output") -> Iterator[Path]:
    """A temporary path next to ``target``; renamed to ``target`` when the block ends without error.

    The temporary file (``.<name>.<random>.partial`` in the same directory, so
    the rename is atomic) is removed when the block raises or is interrupted.
    A symbolic link ``target`` is followed: the file it names is replaced.

    Raises
    ------
    OutputError
        (exit code 3) the directory cannot be written, the disk is full (also an
        ``OSError`` raised by the block's own writes), the rename fails.
    """
    final = Path(os.path.realpath(target))
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{final.name[:100]}.", suffix=".partial", dir=final.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError(f"cannot write {what}: {exc.strerror or exc}", path=target,
                          hint="free disk space, or give another --out") from None
    try:
        try:
            yield Path(tmp)
        except BrokenPipeError:
            raise
        except OSError as exc:  # the block's own writes (disk full ...)
            raise OutputError(f"cannot write {what}: {exc.strerror or exc}", path=target,
                              hint="free disk space, or give another --out") from None
        try:
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, final)
        except OSError as exc:
            raise OutputError(f"cannot write {what}: {exc.strerror or exc}", path=target,
                              hint="free disk space, or give another --out") from None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def atomic_write_text(target: os.PathLike | str, text: str, *, what: str = "the output") -> Path:
    """Write ``text`` (UTF-8) to ``target`` through :func:`atomic_path`; returns ``target``.

    Raises
    ------
    OutputError
        The file cannot be written (disk full, permission, missing directory that cannot be made).
    """
    with atomic_path(target, what=what) as tmp:
        try:
            with open(tmp, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError as exc:
            raise OutputError(f"cannot write {what}: {exc.strerror or exc}", path=target,
                              hint="free disk space, or give another --out") from None
    return Path(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
