"""`dyadwatch dyad A B`: the dyad series."""

from __future__ import annotations

from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, ENGINE_HELP, MASTER_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api

JSON_KEYS = ["period", "direction", "events", "verbal_coop", "material_coop", "verbal_conflict",
             "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop", "datasets"]


@app.command()
def dyad(
    a: str = typer.Argument(..., help="First actor: ISO3 code or country name (IRN, Iran) or actor code (RUSMIL)."),
    b: str = typer.Argument(..., help="Second actor."),
    freq: str = typer.Option("year", "--freq", help="day, week, month, quarter or year."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Start: YYYY, YYYY-MM or YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="End (inclusive)."),
    directed: bool = typer.Option(False, "--directed", help="One row per direction (A->B, B->A)."),
    dataset: Optional[List[str]] = typer.Option(None, "--dataset", help="Only this dataset (repeatable)."),
    root: Optional[List[str]] = typer.Option(None, "--root", help="Only this CAMEO root, e.g. 19 (repeatable)."),
    prefer: str = typer.Option("counts", "--prefer",
                               help="For years covered by both aggregated counts and events: counts or events."),
    dedup: bool = typer.Option(False, "--dedup",
                               help="Count de-duplicated events (the store's events_dedup view; with --engine "
                                    "spark it is exported for local Spark; not with --events)."),
    engine: str = typer.Option("duckdb", "--engine", help=ENGINE_HELP),
    master: Optional[str] = typer.Option(None, "--master", help=MASTER_HELP),
    events: Optional[str] = typer.Option(None, "--events",
                                         help="Read events from this Parquet file/directory of canonical events "
                                              "instead of the store (aggregated counts still from the store)."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Events, QuadClass counts, Goldstein and net cooperation of a dyad per period (DuckDB or Spark)."""
    check_format(format)
    api = open_api(db, read_only=True)
    df = api.dyad(a, b, freq=freq, directed=directed, date_from=date_from, date_to=date_to,
                  datasets=dataset or None, roots=root or None, prefer=prefer, dedup=dedup,
                  engine=engine, master=master, parquet=events)
    rows = [{k: (None if _isnan(v) else v) for k, v in r.items() if k in JSON_KEYS}
            for r in df.to_dict("records")]
    emit_rows(rows, format, title=f"dyad {a}–{b} by {freq}", columns=JSON_KEYS)
    if not any(r.get("events") for r in rows):
        span = f" from {date_from or 'the start'} to {date_to or 'the end'}" if date_from or date_to else ""
        err.print(f"note: no events between {a} and {b} in the store{span} with these filters "
                  "(`dyadwatch status` shows what it holds)", markup=False)


def _isnan(v) -> bool:
    return isinstance(v, float) and v != v
