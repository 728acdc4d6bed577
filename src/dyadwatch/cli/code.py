"""`dyadwatch code INPUT`: events from English text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import err, open_api


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
    dictionaries: List[Path] = typer.Option([], "--dictionaries", help="Extra TABARI/PETRARCH dictionary "
                                            "directory or file (*actors*, *agents*, *discards*, *verbs* or "
                                            "CAMEO*.txt; repeatable), added to those fetched with "
                                            "`dyadwatch fetch petrarch-dictionaries`."),
    model: Optional[Path] = typer.Option(None, "--model", help="Event-class model directory (`dyadwatch train`; "
                                         "default: the one under $DYADWATCH_DATA, if trained)."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only, no event-class model."),
    processes: Optional[int] = typer.Option(None, "--processes", min=1, help="Processes that parse and code "
                                            "(default: 2 when the cores are free, else 1; the events and their "
                                            "order do not depend on it)."),
) -> None:
    """Code events (who did what to whom, when, where) from English text, CAMEO and PLOVER,
    keeping the sentence and character spans behind every event.

    Uses the built-in dictionaries and the TABARI/PETRARCH dictionaries fetched
    into the data directory ($DYADWATCH_DATA); the summary names them."""
    from dyadwatch.coding.dictionaries.load import describe_line
    from dyadwatch.coding.output import code_file

    # the store is opened once coding has finished: not created for a failing input, not locked while coding
    result = code_file(input, date=date, fmt=format, out=out_file, stdout=None if out_file else sys.stdout,
                       store=(lambda: open_api(db).con) if ingest else None, actor_files=[str(p) for p in actors],
                       verb_files=[str(p) for p in verbs], store_path=_store_path(db) if ingest else None,
                       dictionaries=[str(p) for p in dictionaries],
                       model_dir=None if no_model else (model or "auto"), n_process=processes)
    rep = result.report
    err.print(describe_line(result.dictionaries), markup=False)
    err.print(f"coded {rep.events} events from {rep.sentences_parsed} of {rep.sentences} sentences "
              f"in {rep.documents} documents; event classes: {rep.classes_by}", markup=False)
    if result.undated:  # silence about a date is said, not read as "the document's day"
        err.print(f"note: {result.undated} of {rep.events} events have no date: their sentence names none and "
                  "the document has none (give --date YYYY-MM-DD, or a \"date\" on each JSONL document)",
                  markup=False)
    warning = rep.screening.warning()
    if warning:
        err.print(f"warning: {warning}", markup=False)
    if result.ingest is not None:
        err.print(f"ingest: {result.ingest.message}", markup=False)


def _store_path(db):
    from dyadwatch.store.db import resolve_path

    return resolve_path(db)
