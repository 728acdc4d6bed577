"""`dyadwatch idealpoints | dyadyears`: UN ideal points and dyad-year panels."""

from __future__ import annotations

import math
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api, out


def _clean(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if hasattr(v, "item"):
        v = v.item()
    if isinstance(v, float):
        return round(v, 4)
    return v


@app.command()
def idealpoints(
    states: Optional[List[str]] = typer.Argument(None, help="States (ISO3 or names); all if omitted."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year (a session is listed under the year it opened)."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year (inclusive)."),
    refit: bool = typer.Option(False, "--refit", help="Estimate again even if the stored estimates are current."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """UN General Assembly ideal points per state and session (Bailey, Strezhnev & Voeten 2017), US positive.

    Columns: iso3, year, session, ideal_point, lo, hi (95 % interval), n_votes. Estimated from the
    stored votes the first time (under a minute on 2 cores) and kept in the store until the votes change.
    """
    check_format(format)
    api = open_api(db)
    df = api.idealpoints(states=states or None, years=(year_from, year_to), refit=refit)
    rec = df.attrs.get("fit", {})
    if not rec.get("stored", True):
        err.print("note: the store is read-only: the estimates were not kept", markup=False)
    rows = [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]
    emit_rows(rows, format, title="UN ideal points (US positive; 95 % interval)", columns=list(df.columns))
    if df.empty:
        err.print("note: no state-session with votes for these states and years", markup=False)


@app.command()
def dyadyears(
    system: str = typer.Option("cow", "--system", help="State system: cow (ccode1, ccode2) or gw (gwcode1, gwcode2)."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year (default: the list's first)."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    directed: bool = typer.Option(False, "--directed", help="Both orders of every dyad (default: ccode1 < ccode2)."),
    add: str = typer.Option("", "--add", help="Comma-separated: atop, mids, wars, rivalries, nmc, igos, majors, "
                                               "ucdp, unvotes, idealpoints, events."),
    out_path: Optional[str] = typer.Option(None, "--out", help="panel.parquet or panel.csv (default: a summary only)."),
    columns: bool = typer.Option(False, "--columns", help="Print the columns' coding and sources instead."),
    no_mry: bool = typer.Option(False, "--no-mry", help="Stop at the state list's last year (default: carry it on)."),
    engine: str = typer.Option("duckdb", "--engine", help="duckdb or spark."),
    master: Optional[str] = typer.Option(None, "--master", help="Spark master URL (spark engine)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Dyad-year panel (peacesciencer's create_dyadyears + add_*): pairs of states that co-existed in a year."""
    api = open_api(db)
    panel = api.create_dyadyears(system=system, years=(year_from, year_to), directed=directed, mry=not no_mry,
                                 engine=engine, master=master)
    try:
        if add:
            panel.add(add)
        if columns:
            emit_rows(panel.columns(), "table", title="panel columns",
                      columns=["name", "type", "coding", "source"])
            return
        if out_path:
            n = panel.write(out_path)
            out.print(f"{n} dyad-years ({panel.system.upper()}, {panel.lo}-{panel.hi}, "
                      f"{'directed' if panel.directed else 'non-directed'}) written to {out_path}")
        else:
            n = panel.to_arrow().num_rows
            out.print(f"{n} dyad-years ({panel.system.upper()}, {panel.lo}-{panel.hi}, "
                      f"{'directed' if panel.directed else 'non-directed'}); give --out FILE to write them")
    finally:
        panel.close()
