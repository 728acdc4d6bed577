"""`dyadwatch explain TERM`: what a measure, label, data set, code or country means."""

from __future__ import annotations

import json
import sys
from typing import Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, out

#: order and captions of the fields printed
CAPTIONS = (("what", None), ("formula", "formula"), ("range", "range"), ("unit", "unit"), ("read", "how to read"),
            ("goldstein", "Goldstein"), ("quad_class", "QuadClass"), ("plover", "PLOVER"),
            ("cameo_roots", "CAMEO roots"), ("cite_as", "cite as"), ("text", "evidence text"),
            ("cannot", "it cannot"), ("coverage", "covers"), ("in_store", "in this store"),
            ("source", "source"))


@app.command()
def explain(
    term: str = typer.Argument(..., help="A measure (kappa, net_coop, salience ...), a data set (icews, text), "
                                         "a CAMEO code (057), a PLOVER type (CONSULT), QC1..QC4 or a country."),
    format: str = typer.Option("text", "--format", help="text or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP + " Adds the years the store holds."),
) -> None:
    """Explain a term of the report and the tables: formula, range, unit and source.

    A term that names several things (AGREE, the PLOVER event type, and agree, the UN-voting agreement share)
    prints every entry, each labelled with its kind; written in capitals, a PLOVER type comes first. JSON
    gives the first entry with the others under "also"."""
    from dyadwatch.report.glossary import explain_all

    check_format(format, ("text", "json"))
    con = _store(db)
    entries = explain_all(term, con)
    if format == "json":
        first = {**entries[0], "also": entries[1:]} if len(entries) > 1 else entries[0]
        sys.stdout.write(json.dumps(first, indent=1, ensure_ascii=False) + "\n")
        return
    if len(entries) > 1:
        out.print(f"{term!r} names {len(entries)} entries: "
                  + "; ".join(f"{e['kind']} {e['key']}" for e in entries), markup=False)
    for n, entry in enumerate(entries):
        if n:
            out.print("", markup=False)
        out.print(f"{entry['name']} [{entry['kind']}: {entry['key']}]", markup=False)
        for key, caption in CAPTIONS:
            value = entry.get(key)
            if value in (None, ""):
                continue
            out.print(f"  {caption}: {value}" if caption else f"  {value}", markup=False)


def _store(db: str | None):
    """A read-only connection to the store when one exists (explain works without a store)."""
    from dyadwatch.store.db import resolve_path

    path = resolve_path(db)
    if not path.exists():
        return None
    from dyadwatch.cli.common import open_api

    return open_api(db, read_only=True).con
