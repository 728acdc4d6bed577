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
ENGINE_HELP = "duckdb (default, the store itself) or spark (needs the spark extra: pyspark, and Java 17+)."
MASTER_HELP = "Spark master URL (default $DYADWATCH_SPARK_MASTER or local[2]), e.g. spark://host:7077."
