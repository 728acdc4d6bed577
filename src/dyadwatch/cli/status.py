"""`dyadwatch status`: what the store holds."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api, out


#: reject reasons listed by `dyadwatch status` (the most frequent; the rest are counted)
MAX_REASONS = 15


@app.command()
def status(
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    format: str = typer.Option("table", "--format", help="table or json"),
) -> None:
    """Show datasets, batches, rows, date ranges and rejects in the store."""
    check_format(format, ("table", "json"))
    st = open_api(db, read_only=True).status()
    if format == "json":
        sys.stdout.write(json.dumps(st, indent=2, default=str) + "\n")
        return
    out.print(f"store {st['path']} ({st['size_bytes'] / 1e6:.1f} MB)")
    emit_rows([{"table": k, "rows": v} for k, v in st["tables"].items()], "table", title="tables")
    if st["datasets"]:
        emit_rows(st["datasets"], "table", title="event datasets")
    if st["dyad_counts"]:
        emit_rows(st["dyad_counts"], "table", title="dyad counts")
    if st["batches"]:
        batches = [{**b, "source_path": b["source_path"].rsplit("/", 1)[-1],
                    "finished": str(b["finished"])[:19]} for b in st["batches"]]
        emit_rows(batches, "table", title="ingest batches")
    if st["rejects"]:
        reasons = list(st["rejects"].items())  # most frequent first
        emit_rows([{"reason": k, "rows": v} for k, v in reasons[:MAX_REASONS]], "table", title="rejects")
        if len(reasons) > MAX_REASONS:
            rest = reasons[MAX_REASONS:]
            err.print(f"... and {len(rest)} more reasons ({sum(v for _, v in rest):,} rows): "
                      "SELECT reason, count(*) FROM rejects GROUP BY 1 lists them all", markup=False)
