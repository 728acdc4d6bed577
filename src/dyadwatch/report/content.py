"""Everything the dyad report shows, as one JSON-serialisable dict.

:func:`report_content` gathers the numbers (series, change points,
classification, profile and verdict, comparison dyads, blocs, evidence,
provenance) from the analysis modules; :mod:`dyadwatch.report.html` renders
them, and ``--format json`` writes the same dict. Each section is a key of
the dict (:data:`SECTIONS`), so a program gets exactly what a reader sees.
"""

from __future__ import annotations

import datetime as dt
import math

import duckdb
import pandas as pd

from dyadwatch.analysis import blocs as B
from dyadwatch.analysis import changes as C
from dyadwatch.analysis import profile as P
from dyadwatch.analysis import relations as R
from dyadwatch.analysis.actors import resolve_actor, resolve_pair
from dyadwatch.analysis.dyads import dyad_series
from dyadwatch.errors import UsageError
from dyadwatch.codebooks.labels import country_name, pair_label, pair_name, pair_title
from dyadwatch.report import sections as S
from dyadwatch.report.glossary import glossary
from dyadwatch.report.question import answer

SECTIONS = ("summary", "question", "series", "changes", "baselines", "classification", "alignment", "verdicts",
            "comparison", "blocs", "evidence", "events_by_period", "claims", "silence", "glossary", "provenance")

#: Defaults for the flagship case (DESIGN.md; the paper in shared/seed):
#: comparison dyads, the voting topic and the actors of the blocs figure.
FLAGSHIP = {
    frozenset({"IRN", "RUS"}): {
        "compare": [("RUS", "ISR"), ("IRN", "SAU"), ("RUS", "TUR"), ("RUS", "SYR")],
        "topic": "Syrian Arab Republic",
        "blocs_actors": ["RUS", "IRN", "SYR", "CHN", "IRQ", "LBN", "USA", "GBR", "FRA", "SAU", "TUR",
                         "QAT", "ISR", "JOR", "ARE"],
        "blocs_from": 2011,
        "split_year": 2011,
    },
}


def _clean(x):
    """Make a value JSON-safe: NaN -> None, numpy -> Python, dates -> ISO."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if hasattr(x, "item") and not isinstance(x, (str, bytes)):
        try:
            x = x.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(x, float) and (math.isnan(x) or math.isinf(x)):
        return None
    if isinstance(x, (dt.date, dt.datetime, pd.Timestamp)):
        if isinstance(x, dt.datetime) and (x.hour, x.minute, x.second, x.microsecond) != (0, 0, 0, 0):
            return x.isoformat(timespec="minutes")
        return x.isoformat()[:10]  # a date, or a timestamp at midnight: the date alone
    if x is pd.NA or x is pd.NaT:
        return None
    return x


#: public name of :func:`_clean` for other modules (CLI JSON output)
json_safe = _clean


def _records(df: pd.DataFrame) -> list[dict]:
    return [_clean(r) for r in df.to_dict("records")] if df is not None and len(df) else []


def _vetoes(con, a: str, b: str, years: tuple[int, int] | None) -> dict:
    """Security Council vetoes of the pair in the report's years.

    Lists the drafts both vetoed (joint vetoes). A veto by one of the pair
    of a draft the other backed would also belong here, but the veto list
    records neither sponsors nor the other members' votes, so it cannot be
    derived; the note says so and gives each member's own veto count.

    Returns ``{"joint": [{date, draft, meeting_record, agenda_item, vetoed_by}], "counts":
    {iso3: n}, "permanent": [iso3 of the pair that hold a permanent seat], "years": [lo, hi],
    "note": str}``, or ``{}`` when the store has no veto list.
    """
    from dyadwatch.analysis.vetoes import PERMANENT_MEMBERS
    from dyadwatch.codebooks.labels import country_name

    if P._years_covered(con, "unsc_vetoes") is None:
        return {}
    lo, hi = years if years else (None, None)
    params = [lo, hi]
    rows = con.execute("""SELECT date, draft, meeting_record, agenda_item, members_iso3 FROM unsc_vetoes
                          WHERE year >= coalesce(?, year) AND year <= coalesce(?, year) ORDER BY date, draft""",
                       params).fetchall()
    counts = {s: sum(1 for r in rows if s in (r[4] or [])) for s in (a, b)}
    joint = [{"date": r[0], "draft": r[1], "meeting_record": r[2], "agenda_item": r[3],
              "vetoed_by": ", ".join(f"{country_name(m)} ({m})" for m in r[4])}
             for r in rows if a in (r[4] or []) and b in (r[4] or [])]
    permanent = [s for s in (a, b) if s in PERMANENT_MEMBERS]
    span = f"{lo}–{hi}" if lo is not None else "all years"
    if len(permanent) < 2:
        who = " and ".join(country_name(s) for s in (a, b) if s not in permanent)
        note = (f"{who} {'is' if len(permanent) == 1 else 'are'} not a permanent member of the Security Council "
                f"and cannot veto, so the pair has no joint vetoes.")
    else:
        note = f"Drafts both vetoed in {span}."
    note += (" A veto by one of the pair of a draft the other sponsored or voted for cannot be shown: the veto "
             "list records neither sponsors nor the other members' votes. Vetoes cast in " + span + ": "
             + "; ".join(f"{country_name(s)} {counts[s]}" for s in permanent) + "." if permanent else "")
    return _clean({"joint": joint, "counts": counts, "permanent": permanent, "years": [lo, hi], "note": note})


def _provenance(con) -> dict:
    from dyadwatch.acquire.citations import cite_as

    out = {"datasets": [], "files": []}
    try:
        df = con.execute("SELECT * FROM dataset_provenance ORDER BY dataset").df()
        if "url" not in df.columns:  # the column has been named url and landing_url
            df["url"] = df["landing_url"] if "landing_url" in df.columns else None
        keep = ["dataset", "title", "publisher", "url", "version", "licence", "citation", "checksum"]
        out["datasets"] = _records(df[[c for c in keep if c in df.columns]])
        for d in out["datasets"]:
            d["cite_as"] = cite_as(d["dataset"])
    except duckdb.Error:
        pass
    try:  # data sets in the store without a provenance record: the registry's record
        have = {d["dataset"] for d in out["datasets"]}
        from dyadwatch.acquire import registry

        known = registry.datasets()
        for ds, fmt in con.execute("SELECT DISTINCT dataset, format FROM ingest_batches WHERE rows_stored > 0 "
                                   "ORDER BY 1").fetchall():
            rec = known.get(ds) or known.get(fmt)
            if rec is None or ds in have or rec.name in have:
                continue
            have.add(rec.name)
            out["datasets"].append(_clean({"dataset": rec.name, "cite_as": cite_as(rec.name),
                                           **{k: getattr(rec, k, None) for k in (
                "title", "publisher", "version", "licence", "citation")}, "url": getattr(rec, "landing_url", None),
                "checksum": "see files below"}))
    except (duckdb.Error, ImportError):
        pass
    try:
        out["files"] = _records(con.execute(
            "SELECT dataset, format, source_path, sha256, rows_stored, finished FROM ingest_batches "
            "WHERE rows_stored > 0 ORDER BY batch_id").df())
    except duckdb.Error:
        pass
    return out


def _dyad_block(con, a, b, year_from, year_to, topic) -> dict:
    cls = R.classify_dyad(con, a, b, freq="year", date_from=year_from and str(year_from),
                          date_to=year_to and str(year_to))
    profiles = P.relationship_profile(con, a, b, year_from=year_from, year_to=year_to, topic=topic)
    rows = _records(cls)
    for r in rows:  # a hostile year with net cooperation ≥ −0.2 says which rule made it hostile
        r["label_basis"] = R.label_basis(r.get("label"), r.get("net_coop"), r.get("share_material_conflict"))
    return {"a": a, "b": b, "classification": rows,
            "profiles": [_clean(p.to_dict()) for p in profiles]}


#: the headline year needs at least this many source families covering it (coverage.covering)
HEADLINE_MIN_FAMILIES = 3


def headline(profiles: list[dict]) -> dict | None:
    """The headline year's profile, chosen by a stated rule (returned under ``"headline_rule"``).

    Rule: the latest year that at least :data:`HEADLINE_MIN_FAMILIES` source
    families cover with evidence (events that are not thin, UN votes, ATOP,
    armed conflicts, rivalries, disputes, vetoes; see
    :func:`dyadwatch.analysis.coverage.covering`) and whose verdict is not
    "insufficient evidence"; failing that, the latest year with a verdict. A
    later year that fails the rule is named with the families it has, so the
    reader sees why it is not the headline.
    """
    from dyadwatch.analysis.coverage import covering

    def fams(p):
        return covering(p.get("coverage") or {})

    chosen, rule = None, ""
    for p in reversed(profiles):
        if p["verdict"] != R.INSUFFICIENT and len(fams(p)) >= HEADLINE_MIN_FAMILIES:
            chosen = p
            rule = (f"{p['year']} is the latest year that at least {HEADLINE_MIN_FAMILIES} source families cover "
                    f"({', '.join(fams(p))})")
            break
    if chosen is None:
        for p in reversed(profiles):
            if p["verdict"] != R.INSUFFICIENT:
                chosen = p
                rule = (f"no year is covered by {HEADLINE_MIN_FAMILIES} source families; {p['year']} is the latest "
                        f"year with a verdict (covered by {', '.join(fams(p)) or 'no family fully'})")
                break
    if chosen is None:
        return None
    later = [p for p in profiles if p["year"] > chosen["year"]]
    if later:
        rule += "; later years have fewer: " + ", ".join(
            f"{p['year']} ({', '.join(fams(p)) or 'none'})" for p in later)
    return {**chosen, "headline_rule": rule}


def verdict_timeline(profiles: list[dict]) -> list[dict]:
    """Runs of consecutive years with the same verdict: [{from, to, verdict}]."""
    runs: list[dict] = []
    for p in profiles:
        if runs and runs[-1]["verdict"] == p["verdict"] and runs[-1]["to"] == p["year"] - 1:
            runs[-1]["to"] = p["year"]
        else:
            runs.append({"from": p["year"], "to": p["year"], "verdict": p["verdict"]})
    return runs


def report_content(con, a: str, b: str, *, compare=None, year_from: int | None = None,
                   year_to: int | None = None, topic: str | None = None, blocs_actors=None,
                   claims_path=None) -> dict:
    """The report's content for dyad (a, b).

    Parameters
    ----------
    con : DuckDB connection to a store.
    a, b : actors (ISO3 or names).
    compare : list of (c, d) pairs or ``"C-D"`` strings; default for
        Iran–Russia :data:`FLAGSHIP`, else none.
    year_from, year_to : inclusive years (default: what the data cover).
    topic : UN voting topic (default: the flagship's, else none).
    blocs_actors : actors of the blocs figure (default: the flagship's, else
        the actors of the dyad and the comparison dyads).
    claims_path : optional claims JSONL to check (:mod:`dyadwatch.analysis.claims`).

    Returns
    -------
    dict with the keys of :data:`SECTIONS` plus ``title``, ``a``, ``b``,
    ``generated``; all values JSON-serialisable.

    Raises
    ------
    UsageError
        Unknown actor, the same actor twice, or bad years.
    """
    a, b = (f.label for f in resolve_pair(a, b))
    flag = FLAGSHIP.get(frozenset({a, b}), {})
    if compare is None:
        compare = flag.get("compare", [])
    pairs = []
    for c in compare:
        if isinstance(c, str):
            parts = c.replace("–", "-").split("-")
            if len(parts) != 2:
                raise UsageError(f"bad comparison dyad {c!r}; write it as C-D, e.g. RUS-ISR")
            c = parts
        pairs.append((resolve_actor(c[0]).label, resolve_actor(c[1]).label))
    topic = topic if topic is not None else flag.get("topic")
    ystr = (lambda y: None if y is None else str(y))

    series = dyad_series(con, a, b, freq="year", date_from=ystr(year_from), date_to=ystr(year_to))
    breaks = C.series_breaks(series) if len(series) else pd.DataFrame(columns=C.BREAK_COLUMNS)
    ch = []
    if len(breaks):
        for br in C.dyad_changes(con, a, b, freq="year", date_from=ystr(year_from), date_to=ystr(year_to),
                                 series=series)["breaks"]:  # the series above, not computed again
            ch.append(_clean(br))
    ch = S.named_breaks(ch)
    from dyadwatch.acquire.citations import dataset_name, store_labels

    names = store_labels(con)  # read once: the data sets by their short citations, not the store's labels
    for br in ch:  # the data sets either side of a break by their short citations, as everywhere else
        br["datasets_before_names"] = S.dataset_names(con, br.get("datasets_before"), names=names)
        br["datasets_after_names"] = S.dataset_names(con, br.get("datasets_after"), names=names)
    main = _dyad_block(con, a, b, year_from, year_to, topic)
    comparison = [_dyad_block(con, c, d, year_from, year_to, topic) for c, d in pairs]
    for blk in [main, *comparison]:
        blk["latest"] = headline(blk["profiles"])

    bl_actors = blocs_actors or flag.get("blocs_actors") or list(dict.fromkeys([a, b, *[x for p in pairs for x in p]]))
    bl_from = flag.get("blocs_from", year_from) if blocs_actors is None else year_from
    try:
        bl = B.blocs(con, bl_actors, measure="kappa", topic=topic, year_from=bl_from, year_to=year_to)
        bl["note"] = None
    except Exception as exc:  # no votes in the store: say so in the report
        reason = getattr(exc, "reason", str(exc))
        bl = {"blocs": [], "membership": {}, "edges": [], "frustration": None, "note": reason,
              "measure": "kappa", "topic": topic, "years": [bl_from, year_to]}
    try:
        from dyadwatch.analysis.dyads import top_events

        ev = top_events(con, a, b, freq="year", n=5, date_from=ystr(year_from), date_to=ystr(year_to))
    except Exception:
        ev = pd.DataFrame()
    conflicts = S.conflict_rows(con, main["profiles"])
    if len(ev):
        from dyadwatch.analysis.evidence import annotate

        ev = annotate(con, ev, names=names)
    years = (main["profiles"][0]["year"], main["profiles"][-1]["year"]) if main["profiles"] else None
    periods = [r["period"] for r in main["classification"]] or [str(y) for y in range(*(years or (0, -1)))]
    claims = []
    if claims_path:
        from dyadwatch.analysis.claims import check_file

        claims = [_clean(r.to_dict()) for r in check_file(con, claims_path)]
        for r in claims:
            r["datasets_names"] = [dataset_name(d, names) for d in r.get("datasets") or []]

    silence = []
    for p in main["profiles"]:  # per year, every source family that is not fully there, and why
        gaps = [f"{f} ({c['status']}: {c['text']})" for f, c in (p.get("coverage") or {}).items()
                if c["status"] != "covered"]
        if gaps:
            silence.append({"year": p["year"], "silent": "; ".join(gaps)})
    disputes = [{"year": p["year"], **d} for p in main["profiles"] for d in (p.get("disputes") or [])]
    rivals = [{"year": p["year"], **r} for p in main["profiles"] for r in (p.get("rivalries") or [])]
    latest = main["latest"]
    ip_dist = _ip_distance(con, a, b)
    content = _clean({
        "title": f"{pair_name(a, b)}: relationship report",
        "a": a, "b": b, "a_name": country_name(a), "b_name": country_name(b), "pair_label": pair_label(a, b), "pair_title": pair_title(a, b),
        "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "summary": {"latest": latest, "topic": topic, "timeline": verdict_timeline(main["profiles"]),
                    "verdict_counts": pd.Series([p["verdict"] for p in main["profiles"]]).value_counts().to_dict()
                    if main["profiles"] else {}},
        "series": [{**r, "datasets_names": S.dataset_names(con, r.get("datasets"), names=names)}
                   for r in _records(series.drop(columns=["period_start"], errors="ignore"))],
        "changes": ch,
        "classification": main["classification"],
        "alignment": [{"year": p["year"], "voting": p["voting"], "voting_topic": p["voting_topic"],
                       "ip_distance": ip_dist.get(p["year"]),
                       "atop": p["atop"], "atop_text": S.atop_text(p["atop"]), "joint_vetoes": p["joint_vetoes"]}
                      for p in main["profiles"]],
        "verdicts": main["profiles"],
        "comparison": [{**blk, "a_name": country_name(blk["a"]), "b_name": country_name(blk["b"]),
                        "pair_label": pair_label(blk["a"], blk["b"])} for blk in comparison],
        "blocs": {**bl, "names": {m: country_name(m) for m in bl.get("membership") or {}}},
        "baselines": S.baselines(con, a, b, main["classification"], main["profiles"]),
        "events_by_period": S.events_by_period(con, a, b, periods, ev),
        "evidence": {"events": _records(ev), "vetoes": _vetoes(con, a, b, years), "conflicts": conflicts,
                     "disputes": disputes, "rivalries": rivals},
        "glossary": glossary(con),
        "claims": claims,
        "silence": silence,
        "provenance": _provenance(con),
    })
    topic_kappa = None
    if topic and flag.get("blocs_from"):
        try:
            g = B.kappa_network(con, [a, b], year_from=flag["blocs_from"], year_to=year_to, topic=topic)
            if g.has_edge(a, b):
                topic_kappa = {"topic": topic, "kappa": g[a][b]["weight"], "n": g[a][b]["votes"],
                               "years": f"{flag['blocs_from']}–{year_to or 'latest'}"}
        except UsageError:
            pass
    content["question"] = _clean(answer(content, split_year=flag.get("split_year"), topic_kappa=topic_kappa))
    return content


def _ip_distance(con, a: str, b: str) -> dict:
    """year -> UN ideal-point distance of ``a`` and ``b`` from the stored estimates (empty when not estimated),
    in the years where both have one (:func:`dyadwatch.analysis.idealpoints.add_distance`)."""
    from dyadwatch.analysis import idealpoints

    points = idealpoints.stored(con)
    if points is None:
        return {}
    years = sorted(points.loc[points["iso3"].isin([a, b]), "year"].unique())
    d = idealpoints.add_distance(pd.DataFrame({"a": a, "b": b, "year": years}), points).dropna(subset=["ip_distance"])
    return {int(y): float(v) for y, v in zip(d["year"], d["ip_distance"])}
