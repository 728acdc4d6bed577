"""Helpers shared by CLI command modules: output formats, consoles, store."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from dyadwatch.errors import UsageError

#: table width when the output is not a terminal and $COLUMNS is not set (Rich's own
#: default, 80, folds numbers and dates across lines in a file or pipe)
PIPE_WIDTH = 200


def _width(stream) -> int | None:
    """None (Rich decides: the terminal's or $COLUMNS' width) unless ``stream``
    is a pipe or file and $COLUMNS is unset: then :data:`PIPE_WIDTH`."""
    import os

    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return None if tty or os.environ.get("COLUMNS") else PIPE_WIDTH


out = Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))
err = Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))

FORMATS = ("table", "csv", "json")


def check_format(fmt: str, allowed=FORMATS) -> str:
    """Validate an output --format value."""
    if fmt not in allowed:
        raise UsageError(f"unknown output format {fmt!r}; choose one of: {', '.join(allowed)}")
    return fmt


def open_api(db: str | None, *, read_only: bool = False):
    """The library API object for ``--db``; waits with a message when locked."""
    from dyadwatch.api import Dyadwatch

    return Dyadwatch(db, read_only=read_only, on_wait=lambda m: err.print(f"[yellow]{m}[/]"))


def emit_rows(rows: list[dict[str, Any]], fmt: str, *, title: str | None = None,
              columns: list[str] | None = None, max_widths: dict[str, int] | None = None) -> None:
    """Print a list of dicts as a Rich table, CSV or JSON (to stdout).

    ``max_widths``: ``{column: characters}`` a table column wraps at (words kept whole); the other columns
    keep their own width and the table never exceeds the console's."""
    columns = columns or (list(rows[0].keys()) if rows else [])
    if fmt == "json":  # NaN is not JSON: missing values are null, also inside nested lists (a break's events)
        rows = [_no_nan(r) for r in rows]
        sys.stdout.write(json.dumps(rows, indent=2, default=_json_default, ensure_ascii=False,
                                    allow_nan=False) + "\n")
    elif fmt == "csv":
        import csv

        w = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({k: _csv_value(r.get(k)) for k in columns})
    else:
        max_widths = max_widths or {}
        t = Table(title=title, show_lines=bool(max_widths))
        for c in columns:
            if c in max_widths:
                t.add_column(c, overflow="fold", max_width=max_widths[c], ratio=max_widths[c])
            else:
                t.add_column(c, overflow="fold", no_wrap=bool(max_widths) and c in ("year", "confidence"))
        for r in rows:
            t.add_row(*[_table_value(r.get(c)) for c in columns])
        out.print(t)


def _no_nan(v: Any) -> Any:
    """``v`` with every float NaN, at any depth of dicts and lists, replaced by None."""
    if isinstance(v, float) and v != v:
        return None
    if isinstance(v, dict):
        return {k: _no_nan(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_no_nan(x) for x in v]
    return v


def _json_default(o: Any) -> Any:
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def _csv_value(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(round(v, 10))
    return v


def _table_value(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def explain_batches(summaries, name=lambda s: s.path) -> None:
    """After an ingest table: one line per thing a batch did that its counts do not explain — the
    reader's notes (rows folded into the record they repeat ...), the rejects by reason, stored rows
    replaced — each starting with the file's ``name(summary)``. A note that begins with a reject
    reason and a colon (``"country not mappable: a state's COW code ..."``) says why those rows were
    rejected: it is printed in the rejects line, not on a line of its own."""
    for s in summaries:
        where = name(s)
        why = {}
        for note in s.notes:
            reason = note.split(":", 1)[0]
            if reason in (s.reject_reasons or {}):
                why[reason] = note.split(":", 1)[1].strip()
            else:
                err.print(f"{where}: {note}", markup=False)
        if s.reject_reasons:
            reasons = ", ".join(f"{k}: {v:,}" + (f" — {why[k]}" if k in why else "")
                                for k, v in sorted(s.reject_reasons.items(), key=lambda kv: -kv[1]))
            err.print(f"{where}: {s.rows_rejected:,} rows rejected ({reasons}); see the rejects table", markup=False)
        if s.rows_replaced:
            err.print(f"{where}: {s.rows_replaced:,} stored rows of earlier batches replaced by conflicting rows "
                      "of this file (of two rows with one key, the one that sorts first by its columns is kept); "
                      "see the rejects table", markup=False)


def fail(message: str, code: int = 2) -> None:
    err.print(f"error: {message}", markup=False)
    raise typer.Exit(code)
