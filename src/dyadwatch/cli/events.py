"""`dyadwatch events A B --period 2014`: the events behind a figure, with names beside codes."""

from __future__ import annotations

from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api

#: columns of the table format (the JSON and CSV formats carry every column of
#: dyadwatch.analysis.evidence.EVENT_LIST_COLUMNS)
TABLE_COLUMNS = ["date", "source", "event", "target", "Goldstein", "dataset", "sentence / source"]


@app.command()
def events(
    a: str = typer.Argument(..., help="First actor: ISO3 code or country name (IRN, Iran) or actor code (RUSMIL)."),
    b: str = typer.Argument(..., help="Second actor."),
    period: Optional[str] = typer.Option(None, "--period", help="One period: 2014, 2014Q2, 2014-03 or 2014-03-05."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Start: YYYY, YYYY-MM or YYYY-MM-DD (not with --period)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="End (inclusive)."),
    root: Optional[List[str]] = typer.Option(None, "--root", help="Only this CAMEO root, e.g. 19 = fight (repeatable)."),
    dataset: Optional[List[str]] = typer.Option(None, "--dataset", help="Only this dataset label (repeatable; "
                                                                        "`dyadwatch status` lists them)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many events (default: all)."),
    order: str = typer.Option("date", "--order", help="date (oldest first) or intensity (|Goldstein| first)."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """List the events between A and B (date, actors, event, Goldstein, dataset, sentence, source URL)."""
    check_format(format)
    df = open_api(db, read_only=True).events(a, b, period=period, date_from=date_from, date_to=date_to,
                                             roots=root or None, datasets=dataset or None, limit=limit, order=order)
    rows = [{k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()} for r in df.to_dict("records")]
    if format == "table":
        rows = [_table_row(r) for r in rows]
        span = period or f"{date_from or 'start'} to {date_to or 'end'}"
        emit_rows(rows, "table", title=f"events {a}–{b}, {span}: {df.attrs['total']:,} in the store"
                  + (f", {len(rows):,} shown" if len(rows) < df.attrs["total"] else ""), columns=TABLE_COLUMNS)
    else:
        emit_rows(rows, format)
    if df.attrs.get("note"):
        err.print(f"note: {df.attrs['note']}", markup=False)
    if not df.attrs["total"]:
        err.print(f"note: no event rows between {a} and {b} in the store for this period and these filters "
                  "(`dyadwatch status` shows what it holds)", markup=False)


def _table_row(r: dict) -> dict:
    def who(name, country, cname):
        if not name:
            return cname or country or ""
        return name if not country or not cname or cname in name else f"{name} ({cname})"

    text = f"“{r['sentence']}”" if r.get("sentence") else (r.get("text_note") or "")
    if r.get("doc_title"):
        text += f" — {r['doc_title']}"
    for url in (r.get("source_url"), r.get("doc_url")):
        if url:
            text += f" {url}"
    return {"date": str(r["event_date"]), "source": who(r["src_name"], r["src_country"], r["src_country_name"]),
            "event": f"{r['cameo_name'] or '?'} ({r['cameo_code']})" if r.get("cameo_code") else "",
            "target": who(r["tgt_name"], r["tgt_country"], r["tgt_country_name"]),
            "Goldstein": None if r.get("goldstein") is None else f"{r['goldstein']:.1f}", "dataset": r.get("dataset_name") or r.get("dataset"),
            "sentence / source": text.strip()}
