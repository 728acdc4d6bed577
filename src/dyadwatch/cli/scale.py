"""`dyadwatch optimize` and `dyadwatch counts`: layout for speed, and the same analysis on DuckDB or Spark."""

from __future__ import annotations

import os
from typing import Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, ENGINE_HELP, MASTER_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api
from dyadwatch.errors import StoreError, UsageError


@app.command()
def optimize(
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Re-sort the events table by dyad and date so one dyad's series skips most of the table."""
    from dyadwatch.store.db import resolve_path

    path = resolve_path(db)
    if not path.exists():  # opening for writing would create an empty store
        raise StoreError("store not found; nothing to optimize", path=path,
                         hint="run `dyadwatch ingest FILE` or give --db")
    s = open_api(db).optimize()
    err.print(f"events sorted by {', '.join(s.sort_key)}: {s.rows:,} rows in {s.row_groups} row groups "
              f"({s.seconds:.1f} s)")


@app.command()
def counts(
    freq: str = typer.Option("month", "--freq", help="day, week, month, quarter or year."),
    engine: str = typer.Option("duckdb", "--engine", help=ENGINE_HELP),
    master: Optional[str] = typer.Option(None, "--master", help=MASTER_HELP),
    events: Optional[str] = typer.Option(None, "--events",
                                         help="Read events from this Parquet file/directory instead of the store."),
    out: Optional[str] = typer.Option(None, "--out", help="Write all rows to this .parquet or .csv file."),
    format: str = typer.Option("table", "--format", help="table, csv or json (when no --out)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """QuadClass counts of every directed country dyad per period (DuckDB or Spark)."""
    from dyadwatch.analysis.engine import check_engine, quad_class_counts

    check_format(format)
    check_engine(engine)
    if out:  # before the work, not after it
        if not out.endswith((".parquet", ".csv")):
            raise UsageError(f"--out {out!r}: give a .parquet or .csv file name")
        if not os.path.isdir(os.path.dirname(os.path.abspath(out))):
            raise UsageError(f"--out {out!r}: directory {os.path.dirname(os.path.abspath(out))} does not exist",
                             hint="create it first")
        from dyadwatch.outfiles import check_output
        from dyadwatch.store.db import resolve_path

        check_output(out, store=None if events else resolve_path(db), inputs=[("the --events file", events)])
    kwargs = dict(engine=engine, parquet=events, master=master, freq=freq)
    df = quad_class_counts(**kwargs) if events else open_api(db, read_only=True).quad_class_counts(**kwargs)
    if out:
        from dyadwatch.outfiles import atomic_path

        with atomic_path(out, what="the counts") as tmp:  # whole or not at all
            if out.endswith(".parquet"):
                df.to_parquet(tmp, index=False)
            else:
                df.to_csv(tmp, index=False)
        err.print(f"{len(df):,} dyad-periods written to {out}")
        return
    if df.empty:
        err.print("note: no country-coded events in the store (or --events file), so no counts; "
                  "`dyadwatch status` shows what it holds", markup=False)
    df["period_start"] = [str(p)[:10] for p in df["period_start"]]
    emit_rows(df.to_dict("records"), format, title=f"QuadClass counts by dyad and {freq}")
