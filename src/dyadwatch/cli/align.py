"""`dyadwatch align | partners | alliances | wars | vetoes`: alignment between states."""

from __future__ import annotations

import math
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api

ALIGN_KEYS = ["a", "b", "year", "n", "agree", "exact", "s", "kappa", "pi", "ip_distance"]
FORMAT_HELP = "table, csv or json."


def _rows(df, columns=None) -> list[dict]:
    cols = columns or list(df.columns)
    return [{k: _clean(r.get(k)) for k in cols} for r in df.to_dict("records")]


def _clean(v):
    if v is None:
        return None
    if isinstance(v, float) and math.isnan(v):
        return None
    if hasattr(v, "item") and not isinstance(v, (list, tuple)):
        try:
            v = v.item()
        except (ValueError, AttributeError):
            pass
    try:
        import pandas as pd

        if v is pd.NA or v is pd.NaT:
            return None
    except ImportError:  # pragma: no cover
        pass
    return v


def _named(df, columns) -> "object":
    """Insert ``<col>_name`` (the country's name) after each ISO3 column of ``columns`` present."""
    from dyadwatch.codebooks.labels import country_name

    for col in columns:
        if col in df.columns and f"{col}_name" not in df.columns:
            df.insert(df.columns.get_loc(col) + 1, f"{col}_name", [country_name(v) for v in df[col]])
    return df


def _pair_title(df, a: str, b: str) -> str:
    """``Iran (IRN) – Russia (RUS)`` from the frame's resolved codes, else the arguments as given."""
    from dyadwatch.codebooks.labels import pair_label

    if len(df) and "a" in df.columns and "b" in df.columns:
        return pair_label(df["a"].iloc[0], df["b"].iloc[0])
    return f"{a}–{b}"


def _note_excluded(df) -> None:
    if df.attrs.get("ip") == "not estimated":
        err.print("note: ip_distance is empty until the ideal points are estimated once: dyadwatch idealpoints",
                  markup=False)
    ex = df.attrs.get("excluded") or {}
    parts = [f"{v} {k.replace('_', ' ')}" for k, v in ex.items() if v]
    if parts:
        err.print(f"note: not in these measures: {', '.join(parts)} (reasons: dyadwatch status / rejects)",
                  markup=False)


def _note_empty(df, message: str) -> None:
    if df.empty:
        err.print(f"note: {message}", markup=False)


@app.command()
def align(
    a: str = typer.Argument(..., help="First state: ISO3 code or name (IRN, Iran)."),
    b: str = typer.Argument(..., help="Second state."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year (inclusive)."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year (inclusive)."),
    measure: str = typer.Option("agree,exact,s,kappa,pi", "--measure",
                                help="Comma-separated: agree (three-point), exact, s, kappa, pi."),
    issue: Optional[List[str]] = typer.Option(None, "--issue",
                                              help="Issue code me, nu, di, hr, co or ec (repeatable)."),
    topic: Optional[str] = typer.Option(None, "--topic", help="Only roll calls whose description contains this."),
    important: bool = typer.Option(False, "--important", help="Only US State Department 'important votes'."),
    by: str = typer.Option("year", "--by", help="year or session (UN General Assembly session)."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """UN General Assembly voting similarity per year: agreement (three-point, exact), S, kappa, pi (prefer kappa)."""
    check_format(format)
    api = open_api(db, read_only=True)
    df = api.align(a, b, years=(year_from, year_to), issue=issue or None, topic=topic, important=important,
                   measures=measure, by=by)
    df = _named(df, ("a", "b"))
    cols = [c for c in ALIGN_KEYS if c in df.columns] if by == "year" else list(df.columns)
    if format != "table":
        cols = [c for c in df.columns]
    emit_rows(_rows(df, cols), format, title=f"UN voting alignment {_pair_title(df, a, b)} by {by}",
              columns=cols)
    _note_empty(df, f"no common UN roll call of {a} and {b} in the store for these years and filters "
                    "(`dyadwatch status` shows the years it holds)")
    _note_excluded(df)


@app.command()
def partners(
    a: str = typer.Argument(..., help="State: ISO3 code or name."),
    year: int = typer.Option(..., "--year", help="Calendar year."),
    measure: str = typer.Option("kappa", "--measure", help="Ranking measure: agree, exact, s, kappa or pi."),
    top: int = typer.Option(15, "--top", help="Partners on each end."),
    min_n: Optional[int] = typer.Option(None, "--min-n", help="Fewest common roll calls for a partner to be ranked "
                                                          "(default: half of the roll calls the state voted on that "
                                                          "year, at least 10)."),
    issue: Optional[List[str]] = typer.Option(None, "--issue", help="Issue code (repeatable)."),
    topic: Optional[str] = typer.Option(None, "--topic", help="Only roll calls whose description contains this."),
    important: bool = typer.Option(False, "--important", help="Only 'important votes'."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """A state's closest and most distant UN-voting partners in a year."""
    check_format(format)
    api = open_api(db, read_only=True)
    df = api.partners(a, year=year, measure=measure, top=top, issue=issue or None, topic=topic,
                      important=important, min_n=min_n)
    df["min_shared"] = df.attrs["min_n"]
    cols = list(df.columns)
    if format == "table":  # a, year and the floor are in the title
        cols = [c for c in cols if c not in ("a", "year", "min_shared")]
    from dyadwatch.codebooks.labels import country_label

    floor = (f"ranked: partners sharing at least {df.attrs['min_n']} of the {df.attrs['roll_calls']} roll calls "
             f"{country_label(df['a'].iloc[0])} voted on in {year} ({df.attrs['ranked']} partners; "
             f"{df.attrs['below_min']} with fewer shared votes left out; --min-n to change)")
    emit_rows(_rows(df, cols), format, title=f"partners of {a} in {year} by {measure}; {floor}", columns=cols)
    if format != "table":
        err.print(f"note: {floor}", markup=False)
    _note_excluded(df)


@app.command()
def alliances(
    a: str = typer.Argument(..., help="First state."),
    b: str = typer.Argument(..., help="Second state."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """ATOP alliance obligations in force between two states, per year."""
    check_format(format)
    df = _named(open_api(db, read_only=True).alliances(a, b, years=(year_from, year_to)), ("a", "b"))
    emit_rows(_rows(df), format, title=f"ATOP obligations {_pair_title(df, a, b)}", columns=list(df.columns))
    _note_empty(df, "no shared ATOP alliance in the store for these years (is the ATOP file ingested?)")


@app.command()
def wars(
    a: str = typer.Argument(..., help="First state."),
    b: str = typer.Argument(..., help="Second state."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """UCDP/PRIO armed conflicts both states took part in: same side, opposite sides, or one targeting the other."""
    check_format(format)
    api = open_api(db, read_only=True)
    df = api.wars(a, b, years=(year_from, year_to))
    if len(df):
        from dyadwatch.analysis.wars import conflict_names
        from dyadwatch.codebooks.labels import country_name

        names = conflict_names(api.con, set(df["conflict_id"]))
        df.insert(df.columns.get_loc("conflict_id") + 1, "conflict_name", [names.get(int(c)) for c in df["conflict_id"]])
        df["location_name"] = [", ".join(country_name(x) for x in str(loc).split(",")) if loc else None
                               for loc in df["location"]]
    df = _named(df, ("a", "b"))
    emit_rows(_rows(df), format, title=f"UCDP conflicts {_pair_title(df, a, b)}", columns=list(df.columns))
    _note_empty(df, "no UCDP conflict-year with both states in the store (is the UCDP/PRIO ACD file ingested?)")


@app.command()
def vetoes(
    member: Optional[str] = typer.Argument(None, help="Permanent member (RUS, Russia, USSR, USA ...); all if omitted."),
    topic: Optional[str] = typer.Option(None, "--topic", help="Agenda item or crisis topic contains this (Syria)."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    format: str = typer.Option("table", "--format", help=FORMAT_HELP),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """UN Security Council vetoed drafts, by member and topic (joint vetoes marked)."""
    check_format(format)
    df = open_api(db, read_only=True).vetoes(member, topic=topic, years=(year_from, year_to))
    emit_rows(_rows(df), format, title="UN Security Council vetoes", columns=list(df.columns))
    _note_empty(df, "no matching veto in the store (is the UNSC veto list ingested?)")
