"""`dyadwatch demo`: the main job, end to end on the real data."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import emit_rows, err, explain_batches, out


@app.command()
def demo(
    mirror: Path = typer.Option(Path("../shared/data"), "--mirror",
                                help="Directory holding the data (an offline mirror; default ../shared/data)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    out_path: Path = typer.Option(Path("out/iran-russia.html"), "--out", help="Where to write the report."),
    a: str = typer.Option("IRN", "--a", help="First actor of the report."),
    b: str = typer.Option("RUS", "--b", help="Second actor of the report."),
    claims: Optional[Path] = typer.Option(None, "--claims", help="Claims JSONL to check in the report."),
) -> None:
    """Load every data file the mirror holds, code the seed paper, write the A–B report."""
    from dyadwatch.demo import run_demo

    with err.status("starting") as st:
        res = run_demo(mirror, db, out_path, a=a, b=b, claims=claims, on_step=lambda m: st.update(m))
    rows = [{"file": _rel(s.path, mirror), "format": s.format, "dataset": s.dataset, "read": s.rows_read,
             "stored": s.rows_stored, "rejected": s.rows_rejected, "already_stored": s.rows_duplicate,
             "note": f"file already stored (batch {s.batch_id})" if s.skipped
             else "rows already stored from another file" if s.rows_duplicate else ""}
            for s in res.summaries]
    emit_rows(rows, "table", title="ingested")
    explain_batches(res.summaries, lambda s: _rel(s.path, mirror))
    if res.skipped:
        err.print(f"{len(res.skipped)} files in the mirror are not event/alignment data a reader "
                  "recognises (e.g. code tables, mentions); left out", markup=False)
    for note in res.notes:
        err.print(f"note: {note}", markup=False)
    if res.report:
        out.print(f"report written: {res.report}")


def _rel(path: str, mirror: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(mirror.resolve()))
    except ValueError:
        return path
