"""`dyadwatch evaluate GOLD...` and `dyadwatch train GOLD... --out DIR`: score the coder, train its event-class model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from dyadwatch.cli.app import app
from dyadwatch.cli.common import check_format, emit_rows, err, out

_GOLD_HELP = "Gold files: PLV TSV (marked_sentence, gold_root), PLOVER gold JSONL (text, event) or coded-event JSONL."


def _figures(s) -> list[dict]:
    return [{"measure": "single-label accuracy", "value": s.accuracy},
            {"measure": "macro-F1", "value": s.macro_f1},
            {"measure": "precision without 01/02 statements", "value": s.precision},
            {"measure": "precision (all events)", "value": s.precision_all},
            {"measure": f"source accuracy ({s.source_n} with a gold source)", "value": s.source_accuracy},
            {"measure": f"target accuracy ({s.target_n} with a gold target)", "value": s.target_accuracy},
            {"measure": "event recall", "value": s.event_recall},
            {"measure": "events per sentence", "value": s.events_per_sentence}]


def _per_class(s) -> list[dict]:
    return [{"class": c, "precision": v["precision"], "recall": v["recall"], "f1": v["f1"],
             "support": v["support"], "predicted": v["predicted"]} for c, v in s.per_class.items()]


@app.command()
def evaluate(
    gold: List[Path] = typer.Argument(..., help=_GOLD_HELP),
    folds: Optional[int] = typer.Option(None, "--folds", help="k-fold cross-validation: train the event-class "
                                        "model on k-1 folds, score the fold left out (stratified by class)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the fold split."),
    model: Optional[Path] = typer.Option(None, "--model", help="Event-class model directory (default: the one "
                                         "trained under $DYADWATCH_DATA, if any)."),
    no_model: bool = typer.Option(False, "--no-model", help="Rules only, no event-class model."),
    format: str = typer.Option("table", "--format", "-f", "--output", "-o", help="table, csv or json."),
    dictionaries: List[Path] = typer.Option([], "--dictionaries", help="TABARI/PETRARCH dictionary directory or "
                                            "file (repeatable). With PETRARCH validation records, the only "
                                            "dictionaries used; otherwise added to the fetched ones."),
) -> None:
    """Score the coder on gold records: single-label accuracy, macro-F1, per-class precision/recall/F1,
    source and target span accuracy, events per sentence, precision without statements (definitions:
    docs/coding.md); with --folds, cross-validated per fold and mean +- sd.  On PETRARCH's validation
    records (with --dictionaries of the suite) it prints true positives, misses and false positives
    per category, as UD-PETRARCH's validation.py counts them."""
    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.evaluate import run_evaluation
    from dyadwatch.coding.petrarch_validation import is_petrarch_layout

    check_format(format, ("table", "csv", "json"))
    if len(gold) == 1 and is_petrarch_layout(gold[0]):
        _petrarch_validation(gold[0], dictionaries, format)
        return
    from dyadwatch.coding.dictionaries.load import describe_line

    coder = get_coder(dictionaries=tuple(str(d) for d in dictionaries))
    run = run_evaluation(gold, folds=folds, seed=seed, model_dir=None if no_model else (model or "auto"),
                         coder=coder)
    if format == "json":
        body = {"files": run.files, "records": run.records, "coded_by": run.model,
                "dictionaries": coder.dictionary_summary(), "seen_in_training": run.seen_in_training}
        body.update({"scores": run.scores.as_dict()} if run.scores else {"cross_validation": run.cv.as_dict()})
        out.print(json.dumps(body, indent=2), markup=False, soft_wrap=True)
        return
    title = f"{', '.join(Path(f).name for f in run.files)}: {run.records} records; {run.model}"
    err.print(describe_line(coder.dictionaries), markup=False)  # (the scores depend on them)
    if run.scores is not None:
        emit_rows(_figures(run.scores), format, title=title)
        emit_rows(_per_class(run.scores), format, title="per class (single labels)")
        if run.seen_in_training:
            err.print(f"warning: {run.seen_in_training} of {run.records} records were in the model's training "
                      "data: these figures are not held out (use --folds)", markup=False)
        return
    cv = run.cv
    rows = []
    for i, s in enumerate(cv.folds, start=1):
        rows.append({"fold": str(i), "records": s.records, **{k: getattr(s, k) for k in s.FIGURES}})
    summary = cv.summary()
    rows.append({"fold": "mean", "records": run.records, **{k: m for k, (m, _) in summary.items()}})
    rows.append({"fold": "sd", "records": None, **{k: sd for k, (_, sd) in summary.items()}})
    emit_rows(rows, format, title=f"{title}; {cv.k}-fold cross-validation, seed {cv.seed}")
    emit_rows(_per_class(cv.pooled), format, title="per class (held-out predictions of all folds pooled)")


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


@app.command()
def train(
    gold: List[Path] = typer.Argument(..., help=_GOLD_HELP),
    out_dir: Optional[Path] = typer.Option(None, "--out", "-o", help="Model directory (default "
                                           "$DYADWATCH_DATA/models/event-classes, which `code` uses)."),
) -> None:
    """Train the coder's event-class model on gold records (a linear classifier over the trigger's parse
    features, see docs/coding.md); `dyadwatch code` uses it from the default directory or --model."""
    from dyadwatch.coding.training import train_files

    model, where = train_files(gold, out_dir)
    t = model.meta.get("trained_on", {})
    err.print(f"trained the event-class model on {t.get('records')} records "
              f"({', '.join(f'{k}: {v}' for k, v in t.get('files', {}).items())}), {len(model.classes)} classes, "
              f"{len(model.features)} features; written to {where}", markup=False)
