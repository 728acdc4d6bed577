"""Which sources cover a dyad-year, stated where the verdict is made.

Unit in: the store (the years each source spans) and a year profile. Unit
out: for each source family — events, votes, alliances, wars, rivalries,
disputes, vetoes — a status and a sentence:

``covered``   the source spans the year and holds both states (an empty
              result is "none", e.g. no dispute);
``thin``      events only: the event data hold so few events of an actor that
              year (under :data:`THIN_SHARE` of the actor's median yearly
              count in the store) that an absence of events says nothing —
              benchmark extracts (ICEWS05-15, ICEWS18) hold 1–10 % of ICEWS;
``presumed``  past the source's end, carried forward with a stated
              probability (rivalries and defence pacts ongoing at the end of
              coverage);
``absent``    the source spans the year but one state never appears in it
              (Turkey in the ICEWS dyad-year file; Taiwan in UN votes after
              1971): silence, said with the reason;
``silent``    the source does not span the year.

Only ``covered`` (and, for what they show, ``thin`` and ``presumed``) are
evidence; silence is never read as "no sign" of anything.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

import duckdb

FAMILIES = ("events", "votes", "alliances", "wars", "rivalries", "disputes", "vetoes")
#: an actor's events in a year below this share of its median yearly count in the store: thin coverage
THIN_SHARE = 0.10
#: event datasets of coded documents (a document names few states: not naming one is no coverage gap)
DOCUMENT_SETS = ("text",)
#: permanent members of the UN Security Council (the only states a veto source can cover)
P5 = ("CHN", "FRA", "GBR", "RUS", "USA")


def _span(con, sql: str) -> tuple[int, int] | None:
    try:
        lo, hi = con.execute(sql).fetchall()[0]
    except duckdb.Error:
        return None
    return None if lo is None else (int(lo), int(hi))


@dataclass
class Spans:
    """The years each source of the store spans, and which event datasets each actor appears in."""

    event_sets: dict[str, tuple[int, int]] = field(default_factory=dict)   # dataset -> (first, last) year
    count_sets: set[str] = field(default_factory=set)                       # datasets of dyad-year counts
    votes: tuple[int, int] | None = None
    atop: tuple[int, int] | None = None
    ucdp: tuple[int, int] | None = None
    cow_war: tuple[int, int] | None = None
    mid: tuple[int, int] | None = None
    rivalries: tuple[int, int] | None = None
    vetoes: tuple[int, int] | None = None
    presence: dict[str, set[str]] = field(default_factory=dict)             # actor -> event datasets
    voted: dict[str, set[int]] = field(default_factory=dict)                # actor -> years with a UN vote
    median_events: dict[str, float] = field(default_factory=dict)           # actor -> median yearly events
    names: dict[str, str] = field(default_factory=dict)                     # dataset label -> short citation

    def name(self, label: str) -> str:
        """The human name of an event dataset label (its short citation from the registry,
        :func:`dyadwatch.acquire.citations.dataset_name`): ``"ICEWS dyad-years (...)"``, not ``icews-dyad-year``."""
        from dyadwatch.acquire.citations import dataset_name

        return dataset_name(label, self.names)


def spans(con: duckdb.DuckDBPyConnection, actors: tuple[str, str]) -> Spans:
    """The source spans of the store and the two actors' presence in the event data and UN votes."""
    from dyadwatch.analysis import disputes, interstate_wars, rivalries

    from dyadwatch.acquire.citations import store_labels

    s = Spans(names=store_labels(con))
    try:
        for ds, lo, hi in con.execute("SELECT dataset, min(year), max(year) FROM dyad_counts GROUP BY 1").fetchall():
            s.event_sets[ds] = (int(lo), int(hi))
            s.count_sets.add(ds)
        for ds, lo, hi in con.execute("SELECT dataset, min(year(event_date)), max(year(event_date)) FROM events "
                                      "WHERE event_date IS NOT NULL GROUP BY 1").fetchall():
            s.event_sets[ds] = (int(lo), int(hi))
    except duckdb.Error:
        pass
    s.votes = _span(con, "SELECT min(year), max(year) FROM un_roll_calls")
    s.atop = _span(con, "SELECT min(year), max(year) FROM atop_alliances")
    s.ucdp = _span(con, "SELECT min(year), max(year) FROM ucdp_conflicts")
    s.vetoes = _span(con, "SELECT min(year), max(year) FROM unsc_vetoes")
    s.cow_war, s.mid, s.rivalries = interstate_wars.coverage(con), disputes.coverage(con), rivalries.coverage(con)
    for x in actors:
        pres: set[str] = set()
        try:
            pres |= {d for d, in con.execute("SELECT DISTINCT dataset FROM dyad_counts WHERE src_country = ? "
                                             "OR tgt_country = ?", [x, x]).fetchall()}
            pres |= {d for d, in con.execute("SELECT DISTINCT dataset FROM events WHERE src_country = ? "
                                             "OR tgt_country = ?", [x, x]).fetchall()}
        except duckdb.Error:
            pass
        s.presence[x] = pres
        try:
            s.voted[x] = {int(y) for y, in con.execute(
                "SELECT DISTINCT r.year FROM un_votes v JOIN un_roll_calls r USING (rcid) WHERE v.iso3 = ?",
                [x]).fetchall()}
        except duckdb.Error:
            s.voted[x] = set()
        try:
            from dyadwatch.analysis.relations import actor_coverage

            cov = actor_coverage(con, x, freq="year")
            vals = [float(v) for v in cov["coverage"] if v and v > 0]
            s.median_events[x] = statistics.median(vals) if vals else 0.0
        except Exception:  # noqa: BLE001 - an actor the event tables cannot resolve: no event coverage
            s.median_events[x] = 0.0
    return s


def _in(span, y) -> bool:
    return span is not None and span[0] <= y <= span[1]


def _events(p, s: Spans) -> dict:
    """The events family's status for one year (module docstring)."""
    a, b, y = p.a, p.b, p.year
    # the dyad series counts a year from the dyad-year counts when they cover it, else from the event rows
    counted = sorted(d for d in s.count_sets if _in(s.event_sets[d], y))
    sets = counted or sorted(d for d, sp in s.event_sets.items() if _in(sp, y) and d not in s.count_sets)
    # coded documents (dataset "text") are no systematic coverage: a state they never name is not "absent"
    systematic = [d for d in sets if d not in DOCUMENT_SETS]
    ev = p.events or {}
    n = int(ev.get("events") or 0)
    if not systematic:
        return {"status": "silent", "text": f"no event data set in the store covers {y}"
                + (f" (only {n} events coded from documents)" if n else "")}
    absent = list(dict.fromkeys(f"{x} never appears in {s.name(d)}" for d in systematic for x in (a, b)
                                if d not in s.presence.get(x, set())))
    usable = [d for d in systematic if d in s.presence.get(a, set()) and d in s.presence.get(b, set())]
    names = list(dict.fromkeys(s.name(d) for d in systematic))  # (icews14 and icews18 share one name)
    where = "; ".join(names)
    if not usable:
        return {"status": "absent", "text": f"{'; '.join(absent)} ({where} cover{'s' if len(names) == 1 else ''} "
                                            f"{y}): the event data are silent on "
                                            "this dyad, not quiet" + (f" ({n} events coded from documents)" if n else "")}
    cov = {a: int(ev.get("coverage_a") or 0), b: int(ev.get("coverage_b") or 0)}
    if min(cov.values()) == 0:
        none = " and ".join(x for x in (a, b) if cov[x] == 0)
        return {"status": "silent", "text": f"the event data covering {y} ({where}) hold no event of {none} with "
                                            "anyone that year"}
    thin = [x for x in (a, b) if s.median_events.get(x) and cov[x] < THIN_SHARE * s.median_events[x]]
    if thin:
        detail = ", ".join(f"{x} {cov[x]:,} events with anyone (median year in the store "
                           f"{int(s.median_events[x]):,})" for x in thin)
        return {"status": "thin", "text": f"{n} {a}–{b} events ({where}), a thin sample: {detail} — too few for an "
                                          "absence of events to mean anything"}
    return {"status": "covered", "text": f"{n:,} {a}–{b} events ({where})" + (f"; {'; '.join(absent)}" if absent
                                                                               else "")}


def year_coverage(p, s: Spans) -> dict[str, dict]:
    """``{family: {"status", "text"}}`` for one year profile ``p`` (statuses in the module docstring)."""
    a, b, y = p.a, p.b, p.year
    out: dict[str, dict] = {}
    out["events"] = _events(p, s)
    # UN votes
    if not _in(s.votes, y):
        out["votes"] = {"status": "silent", "text": f"the UN votes in the store end in {s.votes[1]}" if s.votes
                        else "no UN votes in the store"}
    else:
        missing = [x for x in (a, b) if y not in s.voted.get(x, set())]
        if missing:
            out["votes"] = {"status": "absent", "text": f"{' and '.join(missing)} cast no UN General Assembly vote "
                                                       f"in {y} (not a member, or absent)"}
        else:
            nv = (p.voting or {}).get("n", 0)
            out["votes"] = {"status": "covered", "text": f"UN votes: {nv} common roll calls"}
    # alliances
    at = p.atop
    if at is None:
        out["alliances"] = {"status": "silent", "text": "ATOP does not cover the year" if s.atop is None
                            else f"ATOP covers {s.atop[0]}–{s.atop[1]}"}
    elif at.get("presumed_p", 1.0) < 1.0:
        out["alliances"] = {"status": "presumed", "text": f"ATOP ends in {s.atop[1]}; the defence pact in force "
                                                         f"then is presumed (p = {at['presumed_p']:.2f})"}
    else:
        out["alliances"] = {"status": "covered", "text": "ATOP"}
    # armed conflicts: UCDP and COW wars
    parts = [name for name, sp in (("UCDP/PRIO ACD", s.ucdp), ("COW wars", s.cow_war)) if _in(sp, y)]
    out["wars"] = ({"status": "covered", "text": " and ".join(parts)} if parts else
                   {"status": "silent", "text": "neither UCDP/PRIO ACD nor the COW war data cover the year"})
    # rivalries
    if _in(s.rivalries, y):
        out["rivalries"] = {"status": "covered", "text": f"Thompson–Dreyer rivalries ({s.rivalries[0]}–"
                                                        f"{s.rivalries[1]})"}
    elif p.rivalries:
        out["rivalries"] = {"status": "presumed", "text": f"Thompson–Dreyer data end in {s.rivalries[1]}; a rivalry "
                                                         "ongoing then is presumed"}
    else:
        out["rivalries"] = {"status": "silent", "text": (f"Thompson–Dreyer data end in {s.rivalries[1]}; no rivalry "
                                                         "of the pair was ongoing then") if s.rivalries
                            else "no rivalry data in the store"}
    # disputes
    out["disputes"] = ({"status": "covered", "text": f"COW MIDs ({s.mid[0]}–{s.mid[1]})"} if _in(s.mid, y) else
                       {"status": "silent", "text": f"COW MID data end in {s.mid[1]}" if s.mid
                        else "no MID data in the store"})
    # vetoes: only permanent members can veto
    if a in P5 and b in P5:
        out["vetoes"] = ({"status": "covered", "text": "UNSC veto list"} if _in(s.vetoes, y) else
                         {"status": "silent", "text": "the veto list does not cover the year"})
    return out


def summary(cov: dict[str, dict]) -> str:
    """One sentence: which families cover the year and which are silent, e.g. ``sources: events (…), votes
    (…); silent: disputes (COW MID data end in 2014)``."""
    order = [f for f in FAMILIES if f in cov]
    on = [f"{f} ({cov[f]['text']})" for f in order if cov[f]["status"] in ("covered",)]
    part = [f"{f} — {cov[f]['status']}: {cov[f]['text']}" for f in order if cov[f]["status"] in ("thin", "presumed")]
    off = [f"{f} ({cov[f]['text']})" for f in order if cov[f]["status"] in ("silent", "absent")]
    text = "covered by " + ("; ".join(on) if on else "no source")
    if part:
        text += "; partly: " + "; ".join(part)
    if off:
        text += "; silent: " + "; ".join(off)
    return text


def covering(cov: dict[str, dict]) -> list[str]:
    """The families that cover the year with evidence (``covered``; not thin, presumed, absent or silent)."""
    return [f for f in FAMILIES if f in cov and cov[f]["status"] == "covered"]
