"""One exception root for dyadwatch.

Every error a user can cause derives from :class:`DyadwatchError`. Subclasses
also inherit the built-in exception they resemble (``IngestError`` is a
``ValueError``), so generic ``except ValueError`` code keeps working. Each
error carries ``path``, ``line`` and ``reason`` where they are known; the CLI
prints :meth:`DyadwatchError.one_line` and exits with :attr:`exit_code`.

Exit codes (documented in the README):

====  =====================================================
0     success
1     unexpected internal error (a bug: please report it)
2     usage error: bad option, unknown actor/format/dataset
3     input error: missing, unreadable or malformed input file
4     store error: database locked, corrupt or wrong version
5     network/fetch error
====  =====================================================
"""

from __future__ import annotations


def is_interrupt(exc: BaseException) -> bool:
    """Whether ``exc`` is Ctrl-C: a ``KeyboardInterrupt``, or DuckDB's report of a query it
    stopped on SIGINT (``InterruptException``, or a ``RuntimeError`` "Query interrupted" from
    its result conversions)."""
    return (isinstance(exc, KeyboardInterrupt) or type(exc).__name__ == "InterruptException"
            or (isinstance(exc, RuntimeError) and str(exc).strip() == "Query interrupted"))


class DyadwatchError(Exception):
    """Root of all dyadwatch errors.

    Parameters
    ----------
    reason : str
        What went wrong: what was expected, what was found, valid options.
    path : str, optional
        File the error is about.
    line : int, optional
        1-based line number in ``path``.
    hint : str, optional
        The flag or action that fixes it (``"use --format gdelt1"``).
    """

    exit_code = 1

    def __init__(self, reason: str, *, path: object = None, line: int | None = None,
                 hint: str | None = None) -> None:
        self.reason = reason
        self.path = None if path is None else str(path)
        self.line = line
        self.hint = hint
        super().__init__(self.one_line())

    def one_line(self) -> str:
        """The error as one line: ``path:line: reason (hint)``."""
        where = ""
        if self.path is not None:
            where = self.path + (f":{self.line}" if self.line is not None else "") + ": "
        text = f"{where}{self.reason}"
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split())


class UsageError(DyadwatchError, ValueError):
    """A bad argument: unknown actor, format, measure or option value."""

    exit_code = 2


class UnknownNameError(UsageError, KeyError):
    """A name that a registry or code table does not hold."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.one_line()


class InputError(DyadwatchError, ValueError):
    """An input file that is missing, unreadable or malformed."""

    exit_code = 3


class OutputError(InputError):
    """An output file that cannot be written (disk full, name too long,
    permission denied); exit code 3 like a bad input file."""


class IngestError(InputError):
    """An input file that cannot be ingested as a whole (unknown format,
    truncated archive, wrong column layout)."""


class FormatNotRecognisedError(IngestError):
    """No registered reader recognises the file."""


class StoreError(DyadwatchError, RuntimeError):
    """The DuckDB store cannot be opened or written (locked, corrupt)."""

    exit_code = 4


class NoSpaceError(StoreError, OSError):
    """No space left on a device while storing: in the store file (or its
    write-ahead log), in its spill directory ``<store>.tmp/`` or in the
    temporary directory (``TMPDIR``); exit code 4 like any store error. The
    batch is rolled back, so the store keeps what it held before
    (:mod:`dyadwatch.store.space`)."""


class FetchError(DyadwatchError, OSError):
    """A download failed after its retries, or its checksum did not match."""

    exit_code = 5
