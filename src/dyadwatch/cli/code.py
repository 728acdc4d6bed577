"""`dyadwatch code INPUT` and `dyadwatch evaluate GOLD.jsonl`: events from English text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import emit_rows, err, open_api, out


@app.command()
def code(
    input: Path = typer.Argument(..., help="Plain text, JSONL documents (id, date, text[, url, title]) or HTML; "
                                 "- reads standard input."),
    date: Optional[str] = typer.Option(None, "--date", help="Publication date YYYY-MM-DD (plain text/HTML, "
                                       "and JSONL lines without one); relative dates resolve against it."),
    format: str = typer.Option("jsonl", "--format", "-f", help="Output: jsonl or csv."),
    out_file: Optional[Path] = typer.Option(None, "--out", "-o", help="Write events here (default: stdout)."),
    ingest: bool = typer.Option(False, "--ingest", help="Also store the events as dataset `text` (idempotent)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    actors: List[Path] = typer.Option([], "--actors", help="Extra actor dictionary file (repeatable)."),
    verbs: List[Path] = typer.Option([], "--verbs", help="Extra verb-pattern YAML file (repeatable)."),
) -> None:
    """Code events (who did what to whom, when, where) from English text, CAMEO and PLOVER,
    keeping the sentence and character spans behind every event."""
    from dyadwatch.coding.output import code_file

    # the store is opened once coding has finished: not created for a failing input, not locked while coding
    result = code_file(input, date=date, fmt=format, out=out_file, stdout=None if out_file else sys.stdout,
                       store=(lambda: open_api(db).con) if ingest else None, actor_files=[str(p) for p in actors],
                       verb_files=[str(p) for p in verbs], store_path=_store_path(db) if ingest else None)
    rep = result.report
    err.print(f"coded {rep.events} events from {rep.sentences_parsed} of {rep.sentences} sentences "
              f"in {rep.documents} documents", markup=False)
    warning = rep.screening.warning()
    if warning:
        err.print(f"warning: {warning}", markup=False)
    if result.ingest is not None:
        err.print(f"ingest: {result.ingest.message}", markup=False)


def _store_path(db):
    from dyadwatch.store.db import resolve_path

    return resolve_path(db)


@app.command()
def evaluate(
    gold: Path = typer.Argument(..., help="Gold records (JSONL: id, date, text, event, source_codes, target_codes)."),
    output: str = typer.Option("table", "--output", "-o", help="table, csv or json."),
) -> None:
    """Score the coder on gold event records: event recall and precision, source and
    target accuracy, recall per PLOVER type."""
    from dyadwatch.coding.evaluate import evaluate as run

    res = run(gold)
    rows = [{"measure": "event recall", "value": round(res.recall, 3)},
            {"measure": "event precision (PLOVER-typed events)", "value": round(res.precision, 3)},
            {"measure": "event precision (all events)", "value": round(res.precision_all, 3)},
            {"measure": "source accuracy", "value": round(res.source_accuracy, 3)},
            {"measure": "target accuracy", "value": round(res.target_accuracy, 3)}]
    if output == "json":
        import json

        out.print(json.dumps(res.as_dict(), indent=2), markup=False)
        return
    emit_rows(rows, output, title=f"{gold.name}: {res.records} records, {res.predicted} PLOVER-typed events")
    emit_rows([{"type": t, "found": f, "total": n, "recall": round(f / n, 3)} for t, (f, n) in res.per_type.items()],
              output, title="recall per type")
