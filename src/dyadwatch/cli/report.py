"""`dyadwatch report A B --out FILE.html`: the dyad report."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import open_api, out


@app.command()
def report(
    a: str = typer.Argument(..., help="First actor: ISO3 code or country name."),
    b: str = typer.Argument(..., help="Second actor."),
    out_path: Path = typer.Option(..., "--out", help="Output file (.html or .json)."),
    compare: Optional[List[str]] = typer.Option(None, "--compare",
                                                help="Comparison dyad C-D (repeatable; default for IRN-RUS: "
                                                     "RUS-ISR, IRN-SAU, RUS-TUR, RUS-SYR)."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    topic: Optional[str] = typer.Option(None, "--topic", help="UN voting topic for the alignment panel and blocs."),
    claims: Optional[Path] = typer.Option(None, "--claims", help="Claims JSONL to check into the report."),
    format: str = typer.Option("html", "--format", help="html (self-contained page) or json (same content)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Write the relationship report of A and B: series, change points, labels, alignment, verdict, blocs, evidence."""
    path = open_api(db, read_only=True).report(a, b, compare=compare or None, out=out_path, fmt=format,
                                                year_from=year_from, year_to=year_to, topic=topic, claims=claims)
    out.print(f"report written: {path}")
