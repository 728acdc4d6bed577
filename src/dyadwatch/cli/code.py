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
    dictionaries: List[Path] = typer.Option([], "--dictionaries", help="Extra TABARI/PETRARCH dictionary "
                                            "directory or file (*actors*, *agents*, *discards*, *verbs* or "
                                            "CAMEO*.txt; repeatable), added to those fetched with "
                                            "`dyadwatch fetch petrarch-dictionaries`."),
) -> None:
    """Code events (who did what to whom, when, where) from English text, CAMEO and PLOVER,
    keeping the sentence and character spans behind every event.

    Uses the built-in dictionaries and the TABARI/PETRARCH dictionaries fetched
    into the data directory ($DYADWATCH_DATA); the summary names them."""
    from dyadwatch.coding.output import code_file

    # the store is opened once coding has finished: not created for a failing input, not locked while coding
    result = code_file(input, date=date, fmt=format, out=out_file, stdout=None if out_file else sys.stdout,
                       store=(lambda: open_api(db).con) if ingest else None, actor_files=[str(p) for p in actors],
                       verb_files=[str(p) for p in verbs], store_path=_store_path(db) if ingest else None,
                       dictionaries=[str(p) for p in dictionaries])
    rep = result.report
    err.print(result.dictionaries_line(), markup=False)
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
    gold: Path = typer.Argument(..., help="Gold records (JSONL: id, date, text, event, source_codes, target_codes), "
                                "or PETRARCH's validation records (id, category, text, expected_events)."),
    output: str = typer.Option("table", "--output", "-o", help="table, csv or json."),
    dictionaries: List[Path] = typer.Option([], "--dictionaries", help="TABARI/PETRARCH dictionary directory or "
                                            "file (repeatable). With PETRARCH validation records, the only "
                                            "dictionaries used; otherwise added to the fetched ones."),
) -> None:
    """Score the coder on gold event records: event recall and precision, source and
    target accuracy, recall per PLOVER type.  On PETRARCH's validation records (with
    --dictionaries of the suite) it prints true positives, misses and false positives
    per category, as UD-PETRARCH's validation.py counts them."""
    from dyadwatch.coding.petrarch_validation import is_petrarch_layout

    if is_petrarch_layout(gold):
        _petrarch_validation(gold, dictionaries, output)
        return
    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.evaluate import evaluate as run

    res = run(gold, coder=get_coder(dictionaries=tuple(str(d) for d in dictionaries)) if dictionaries else None)
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


def _petrarch_validation(records: Path, dictionaries: List[Path], output: str) -> None:
    from dyadwatch.coding.petrarch_validation import UD_PETRARCH, validate
    from dyadwatch.errors import UsageError

    if not dictionaries:
        raise UsageError("PETRARCH validation records are coded with the suite's own dictionaries only",
                         hint="give --dictionaries DIR, e.g. the directory `dyadwatch fetch "
                              "petrarch-validation-dictionaries` fills")
    res = validate(records, [str(d) for d in dictionaries])
    rows = res.rows()
    if output == "json":
        import json

        out.print(json.dumps({"categories": rows, "skipped": dict(res.skipped), "ud_petrarch": UD_PETRARCH},
                             indent=2), markup=False)
        return
    if output == "table":
        rows = [{**r, "TP": f"{r['TP']:.1%}", "FN": f"{r['FN']:.1%}", "FP": f"{r['FP']:.1%}"} for r in rows]
    emit_rows(rows, output, title=f"{records.name}: {res.total.records} records "
                                  f"(TP = correct/(correct+uncoded), FN = 1 - TP, FP = extra events per record)")
    err.print(f"UD-PETRARCH (published, {UD_PETRARCH['records']} records): TP {UD_PETRARCH['tp']:.1%}, "
              f"FN {UD_PETRARCH['fn']:.1%}, FP {UD_PETRARCH['fp']:.1%}", markup=False)
    for reason, n in res.skipped.items():
        err.print(f"left out: {n} records ({reason})", markup=False)
