"""`dyadwatch ingest PATH...`: load files into the store, one batch each."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, explain_batches, open_api
from dyadwatch.errors import DyadwatchError


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Files to load (plain, .gz or .zip)."),
    format: str = typer.Option("auto", "--format", "-f",
                               help="auto, or a format name: gdelt1, gdelt2, icews, icews-names, "
                                    "icews-dyad-year, unvotes, atop, ucdp-acd, unsc-vetoes, text"),
    dataset: Optional[str] = typer.Option(None, help="Dataset label stored with the rows (default: the format's)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    output: str = typer.Option("table", "--output", "-o", help="Summary as table, csv or json."),
) -> None:
    """Load event files into the store. Re-ingesting a stored file adds nothing.

    Each file is one batch in one transaction: it is stored completely or not
    at all. Bad rows go to the `rejects` table with their line and reason.
    """
    from dyadwatch.store.db import resolve_path

    check_format(output)
    store_path = resolve_path(db)
    new_store = not store_path.exists()  # a store this command creates is not kept if nothing goes in
    try:
        api = open_api(db)
    except BaseException:  # (Ctrl-C or an error while the new store's tables were being made)
        if new_store:
            _drop_store(store_path)
        raise
    try:  # the store is closed whatever happens (a writing connection blocks other opens in this process)
        summaries, failures = [], []
        with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total} files"),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            task = bar.add_task("ingesting", total=len(paths))

            def done(s):
                bar.update(task, advance=1, description=f"ingested {Path(s.path).name}")
                summaries.append(s)

            for p in paths:
                bar.update(task, description=f"ingesting {p.name}")
                try:
                    api.ingest([p], format=format, dataset=dataset, on_file=done)
                except DyadwatchError as exc:  # this file is left out whole; the others go on
                    failures.append(exc)
                    bar.update(task, advance=1)
        rows = [{"file": Path(s.path).name if output == "table" else s.path, "format": s.format, "dataset": s.dataset, "batch": s.batch_id,
                 "read": s.rows_read, "stored": s.rows_stored, "rejected": s.rows_rejected,
                 "already_stored": s.rows_duplicate, "note": s.message if s.skipped else ""} for s in summaries]
        if rows or output != "table":
            emit_rows(rows, output, title="ingest")
        explain_batches(summaries)
        for exc in failures:
            err.print(f"error: {exc.one_line()}", markup=False)
        if failures:
            kept = f"; the new store {store_path} was not kept" if new_store and not summaries else ""
            err.print(f"{len(failures)} of {len(paths)} files not ingested (nothing of them was stored){kept}",
                      markup=False)
            raise typer.Exit(failures[0].exit_code)
    finally:
        api.close()
        if new_store and not summaries:  # a store this command created and put nothing in is not kept
            _drop_store(store_path)


def _drop_store(store_path: Path) -> None:
    """Remove a store this command created (and its write-ahead log)."""
    for f in (store_path, store_path.with_name(store_path.name + ".wal")):
        f.unlink(missing_ok=True)
