"""The Typer application object shared by the command modules."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="dyadwatch",
    help="Open political event data: ingest, code, store and measure relations between states.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DB_OPTION_HELP = "DuckDB store file (default: $DYADWATCH_DB, else ./dyadwatch.duckdb)."
