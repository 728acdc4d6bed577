"""dyadwatch's command line: a thin Typer layer over the library.

Each command module (one per command or command group) converts arguments,
calls one library function and prints the result. :func:`main` turns a
:class:`~dyadwatch.errors.DyadwatchError` into one line on stderr and its
exit code (see ``dyadwatch.errors``); no traceback reaches the user.
"""

from __future__ import annotations

import importlib
import sys

from dyadwatch.cli.app import app

#: command modules, each registering its commands on ``app`` when imported
COMMAND_MODULES = (
    "dyadwatch.cli.ingest",
    "dyadwatch.cli.dyad",
    "dyadwatch.cli.status",
    "dyadwatch.cli.report",
    "dyadwatch.cli.demo",
    "dyadwatch.cli.code",
    "dyadwatch.cli.evaluate",
    "dyadwatch.cli.align",
    "dyadwatch.cli.relations",
    "dyadwatch.cli.fetch",
    "dyadwatch.cli.scale",
    "dyadwatch.cli.explain",
    "dyadwatch.cli.events",
    "dyadwatch.cli.panels",
    "dyadwatch.cli.serve",
)

for _mod in COMMAND_MODULES:
    try:
        importlib.import_module(_mod)
    except ModuleNotFoundError as _exc:  # a stage not built yet
        if _exc.name != _mod:
            raise


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``dyadwatch`` console script."""
    import signal

    from dyadwatch.errors import DyadwatchError

    if hasattr(signal, "SIGPIPE") and argv is None:
        # `dyadwatch dyad ... | head`: end quietly like any Unix tool (exit 141)
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        rv = app(args=argv, standalone_mode=False)
    except DyadwatchError as exc:
        print(f"error: {exc.one_line()}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return _interrupted()
    except SystemExit as exc:
        return _interrupted() if exc.code == INTERRUPTED else int(exc.code or 0)
    except Exception as exc:  # click usage errors and the rest
        import typer

        from dyadwatch.errors import is_interrupt

        if is_interrupt(exc):  # Ctrl-C inside a DuckDB query ("Query interrupted"): exit 130, not 1
            return _interrupted()

        try:  # recent typer vendors click as typer._click
            from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
        except ImportError:  # pragma: no cover - older typer on click
            from click.exceptions import ClickException, UsageError
            NoArgsIsHelpError = ()  # noqa: N806
        if isinstance(exc, typer.Exit):  # (typer turns Ctrl-C into Exit(130) itself)
            return _interrupted() if exc.exit_code == INTERRUPTED else exc.exit_code
        if NoArgsIsHelpError and isinstance(exc, NoArgsIsHelpError):
            exc.show()
            return 2
        if isinstance(exc, ClickException):
            print(f"error: {exc.format_message()}" + (" (see --help)" if isinstance(exc, UsageError) else ""),
                  file=sys.stderr)
            return 2
        if isinstance(exc, typer.Abort):
            print("error: aborted", file=sys.stderr)
            return 130
        text = " ".join(str(exc).split())  # one line, whatever the exception's text holds
        print(f"error: internal error: {type(exc).__name__}: {text} (please report this)", file=sys.stderr)
        return 1
    if rv == INTERRUPTED:
        return _interrupted()
    return rv if isinstance(rv, int) else 0


#: exit code of an interrupted command (128 + SIGINT)
INTERRUPTED = 130


def _interrupted() -> int:
    print("error: interrupted; the store keeps every batch that completed", file=sys.stderr)
    return INTERRUPTED


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
