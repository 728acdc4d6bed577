"""`dyadwatch relation | changes | profile | blocs | check`: relations between actors."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api, out

RELATION_KEYS = ["period", "events", "label", "probability", "p_friendly", "p_neutral", "p_mixed", "p_hostile",
                 "net_coop", "net_coop_mean", "net_coop_lo", "net_coop_hi", "salience"]


#: columns that count things: shown as integers (pandas makes them floats when a year has none)
COUNT_COLUMNS = frozenset({"events", "votes", "joint_vetoes", "same_side_conflicts", "opposite_side_conflicts",
                           "coverage_a", "coverage_b"})


def _clean(v, key: str = ""):
    if isinstance(v, float) and v != v:
        return None
    if key in COUNT_COLUMNS and isinstance(v, float) and v.is_integer():
        return int(v)
    return v


@app.command()
def relation(
    a: str = typer.Argument(..., help="First actor: ISO3 code or country name."),
    b: str = typer.Argument(..., help="Second actor."),
    freq: str = typer.Option("year", "--freq", help="day, week, month, quarter or year."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Start: YYYY, YYYY-MM or YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="End (inclusive)."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Friendly, neutral, mixed or hostile per period, with the probability of each label."""
    check_format(format)
    df = open_api(db, read_only=True).relation(a, b, freq=freq, date_from=date_from, date_to=date_to)
    rows = [{k: _clean(r[k], k) for k in RELATION_KEYS} for r in df.to_dict("records")]
    if format == "table":  # a period without events has no salience to show: silence, not 0 %
        rows = [{**r, "salience": "no events"} if not r.get("events") else r for r in rows]
    emit_rows(rows, format, title=f"relation {a}–{b} by {freq}", columns=RELATION_KEYS)
    if not any(r.get("events") for r in rows):
        err.print(f"note: no events between {a} and {b} in the store for these periods, so no label "
                  "(`dyadwatch status` shows what it holds)", markup=False)


@app.command()
def changes(
    a: str = typer.Argument(..., help="First actor."),
    b: str = typer.Argument(..., help="Second actor."),
    freq: str = typer.Option("year", "--freq", help="day, week, month, quarter or year."),
    measure: Optional[List[str]] = typer.Option(None, "--measure",
                                                help="net_coop, conflict_share, volume or salience (repeatable; default all)."),
    date_from: Optional[str] = typer.Option(None, "--from", help="Start: YYYY, YYYY-MM or YYYY-MM-DD."),
    date_to: Optional[str] = typer.Option(None, "--to", help="End (inclusive)."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Change points (PELT, BIC penalty) in a dyad's net cooperation, conflict share and volume."""
    from dyadwatch.analysis.changes import MEASURES

    check_format(format)
    res = open_api(db, read_only=True).changes(a, b, freq=freq, date_from=date_from, date_to=date_to,
                                                measures=tuple(measure) if measure else MEASURES)
    from dyadwatch.analysis.changes import readable_level
    from dyadwatch.codebooks.labels import cameo_name, quad_class_name

    rows = []
    for k, br in enumerate(res["breaks"], 1):
        shift = br["quad_class_shift"]
        before, unit = readable_level(br["measure"], br["before"])
        after, _ = readable_level(br["measure"], br["after"])
        rows.append({"break": k, "measure": br["measure"], "period": br["period"], "before": before, "after": after,
                     "unit": unit, "change": None if before is None or after is None else after - before,
                     "segment_before": br["segment_before"], "segment_after": br["segment_after"],
                     "moved_most": quad_class_name({"verbal_coop": 1, "material_coop": 2, "verbal_conflict": 3,
                                                    "material_conflict": 4}.get(shift.get("moved_most"))),
                     "sources_differ": br["sources_differ"],
                     "events": [{**{k2: e.get(k2) for k2 in ("event_date", "src_name", "cameo_code", "tgt_name",
                                                             "goldstein", "dataset", "sentence")},
                                 "cameo_name": cameo_name(e.get("cameo_code"))} for e in br["events"]]})
    if not rows:
        err.print(f"note: no change point found for {a}–{b} in these periods (too few events or no shift "
                  "above the noise floor; see `dyadwatch dyad`)", markup=False)
    if format == "json":
        emit_rows(rows, "json")
        return
    for r in rows:
        r["events"] = len(r["events"])
    emit_rows(rows, format, title=f"change points {a}–{b}")


@app.command()
def profile(
    a: str = typer.Argument(..., help="First actor."),
    b: str = typer.Argument(..., help="Second actor."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    topic: Optional[str] = typer.Option(None, "--topic", help="UN voting topic, e.g. 'Syrian Arab Republic'."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Verdict per year (allied … adversarial) with the reasons and the numbers behind them."""
    from dyadwatch.analysis.profile import profile_frame

    check_format(format)
    profiles = open_api(db, read_only=True).profile(a, b, year_from=year_from, year_to=year_to, topic=topic)
    if topic and not any((p.voting_topic or {}).get("n") for p in profiles):
        err.print(f"note: no UN roll call of these years that both voted on matches --topic {topic!r}; "
                  "kappa_topic is empty (check the spelling, e.g. 'Syrian Arab Republic')", markup=False)
    if format == "json":
        from dyadwatch.report.content import json_safe

        sys.stdout.write(json.dumps(json_safe([p.to_dict() for p in profiles]), indent=1, default=str) + "\n")
        return
    df = profile_frame(profiles)
    emit_rows([{k: _clean(v, k) for k, v in r.items()} for r in df.to_dict("records")], format,
              title=f"profile {a}–{b}")


@app.command()
def blocs(
    actors: Optional[List[str]] = typer.Argument(None, help="Actors (ISO3 or names); or use --conflict."),
    measure: str = typer.Option("kappa", "--measure", help="kappa (UN votes) or net-coop (events)."),
    topic: Optional[str] = typer.Option(None, "--topic", help="UN roll-call topic text, e.g. 'Syrian Arab Republic'."),
    conflict: Optional[str] = typer.Option(None, "--conflict",
                                           help="All states in the UCDP conflicts of this country (e.g. SYR)."),
    top: Optional[int] = typer.Option(None, "--top", help="Add the N states (2 to 50) with the most events in the "
                                                          "years; fewer when fewer states have events."),
    year_from: Optional[int] = typer.Option(None, "--from", help="First year."),
    year_to: Optional[int] = typer.Option(None, "--to", help="Last year."),
    format: str = typer.Option("table", "--format", help="table or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Split actors into two blocs of least structural-balance frustration."""
    from dyadwatch.analysis.blocs import check_top, conflict_actors, top_actors
    from dyadwatch.errors import UsageError

    check_format(format, ("table", "json"))
    if top is not None:
        check_top(top)
    api = open_api(db, read_only=True)
    actors = list(actors or [])
    if conflict:
        actors += conflict_actors(api.con, conflict, year_from=year_from, year_to=year_to)
    if top is not None:
        actors += top_actors(api.con, top, year_from=year_from, year_to=year_to)
    if not actors:
        raise UsageError("no actors: list them (dyadwatch blocs RUS IRN SYR USA SAU TUR), or give --conflict SYR or --top 15")
    res = api.blocs(actors, measure=measure, topic=topic, year_from=year_from, year_to=year_to)
    if format == "json":
        keys = ("blocs", "unattached", "membership", "frustration", "frustration_normalised", "exact", "method",
                "n_optimal", "measure", "topic", "years", "edges")
        from dyadwatch.codebooks.labels import country_name

        named = {**{k: res[k] for k in keys}, "names": {m: country_name(m) for m in res["membership"]}}
        sys.stdout.write(json.dumps(named, indent=1, ensure_ascii=False) + "\n")
        return
    from dyadwatch.codebooks.labels import country_name

    rows = [{"actor": a, "name": country_name(a), "bloc": m["bloc"], "strength": m["strength"]}
            for a, m in sorted(res["membership"].items(), key=lambda kv: (kv[1]["bloc"], -kv[1]["strength"]))]
    emit_rows(rows, "table", title=f"blocs by {measure}" + (f" on '{topic}'" if topic else ""))
    out.print(f"frustration {res['frustration']:.3f} ({res['frustration_normalised']:.3f} of total tie weight); "
              f"{res['method']}" + (f"; unattached: {', '.join(res['unattached'])}" if res["unattached"] else ""))


@app.command()
def check(
    claims: Path = typer.Argument(..., help="Claims file (JSON Lines, one structured claim per line)."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Check dated claims against the store: supported, self-sourced, contradicted or no data, with the evidence
    and the data sets and documents it rests on."""
    check_format(format)
    results = open_api(db, read_only=True).check_claims(claims)
    if format == "json":
        sys.stdout.write(json.dumps([r.to_dict() for r in results], indent=1, default=str) + "\n")
        return
    emit_rows([{"id": r.id, "kind": r.kind, "answer": r.answer, "why": r.why,
                "sources": ", ".join(r.datasets + [f"doc {d}" for d in r.documents])} for r in results], format,
              title=f"claims in {claims}")


@app.command()
def backtest(
    table: Optional[Path] = typer.Argument(None, help="Back-test table (CSV: a, b, year, expected, source, inputs, "
                                                      "note); default: dyadwatch's own."),
    half: Optional[str] = typer.Option(None, "--half", help="Only the 'tune' or the 'held-out' rows."),
    format: str = typer.Option("table", "--format", help="table, csv or json."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
) -> None:
    """Run the verdict rules on dyad-years the literature settles: verdict per row and accuracy per half."""
    from dyadwatch.analysis.backtest import evaluate

    check_format(format)
    cases, score = evaluate(open_api(db, read_only=True).con, table, half=half)
    rows = [{"a": c.a, "b": c.b, "year": c.year, "split": c.split, "expected": c.expected,
             "accepted": " / ".join(c.accepted), "got": c.got,
             "confidence": None if c.confidence is None else round(c.confidence, 2), "ok": c.ok, "source": c.source}
            for c in cases]
    if format == "json":
        sys.stdout.write(json.dumps({"rows": rows, "score": score}, indent=1, default=str) + "\n")
        return
    emit_rows(rows, format, title="back-test")
    for h in ((half,) if half else ("tune", "held-out", "all")):
        s = score[h]
        if s["n"]:
            err.print(f"{h}: {s['correct']} of {s['n']} dyad-years in the accepted verdicts "
                      f"({100 * s['accuracy']:.1f} %)", markup=False)
