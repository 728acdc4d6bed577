"""Relationship profile: one verdict per dyad-year, with the evidence and the coverage behind it.

Unit in: the store. Unit out: one :class:`YearProfile` per year joining

- the event-based label of :mod:`dyadwatch.analysis.relations`;
- UN General Assembly voting: Cohen's kappa (Häge 2011) and agreement over
  all roll calls of the year, and on a topic (e.g. ``"Syrian Arab
  Republic"``), computed as in :func:`dyadwatch.analysis.blocs.kappa_network`;
- ATOP obligations in force (Leeds et al. 2002: defence, offence,
  neutrality, non-aggression, consultation), a defence pact presumed past
  ATOP's last year with the probability it is still in force;
- UCDP/PRIO armed conflicts (Gleditsch et al. 2002) in which both took part,
  on the same side (with the number of states on it) or on opposite sides;
- COW inter-state wars (:mod:`~dyadwatch.analysis.interstate_wars`), COW
  militarized interstate disputes (:mod:`~dyadwatch.analysis.disputes`) and
  Thompson–Dreyer strategic rivalries (:mod:`~dyadwatch.analysis.rivalries`);
- joint UN Security Council vetoes;
- which sources cover the year (:mod:`~dyadwatch.analysis.coverage`);

and the verdict with its confidence and reasons
(:mod:`dyadwatch.analysis.verdict`: weighted signals for and against
alignment). A source that does not cover a year gives ``None`` (silent), not
"no": the verdict's reasons and coverage say where the data are silent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from dyadwatch.analysis import relations as R
from dyadwatch.analysis import verdict as V
from dyadwatch.analysis.verdict import (INSUFFICIENT, KAPPA_CLOSE, KAPPA_OPPOSED,  # noqa: F401 - re-exported
                                        KAPPA_TOPIC_CLOSE, MIN_VOTES, VERDICTS)


@dataclass
class YearProfile:
    """Everything known about a dyad in one year, the verdict, its confidence and its coverage."""

    a: str
    b: str
    year: int
    events: dict | None = None          # classification row (relations.CLASSIFICATION_COLUMNS)
    voting: dict | None = None          # {kappa, agree, n}
    voting_topic: dict | None = None    # {topic, kappa, agree, n}
    atop: dict | None = None            # {defense, offense, neutral, nonagg, consul} (0/1) [, presumed_p, last_year]
    conflicts_same_side: list | None = None      # [{conflict_id, side, roles, n_side}]
    conflicts_opposite_sides: list | None = None  # [{conflict_id, side, roles, role_a, role_b}]
    joint_vetoes: list | None = None    # [{draft, date, agenda_item}]
    wars_cow: dict | None = None        # {opposite: [...], same: [...]} (interstate_wars.war_sides)
    disputes: list | None = None        # [...] (disputes.disputes)
    rivalries: list | None = None       # [...] (rivalries.rivalries; observed or presumed)
    coverage: dict = field(default_factory=dict)   # {family: {status, text}} (coverage.year_coverage)
    verdict: str = INSUFFICIENT
    confidence: float | None = None     # in (0, 1); None for insufficient evidence (verdict.py)
    score_for: float = 0.0              # A: points for alignment
    score_against: float = 0.0          # H: points against alignment
    signals: list = field(default_factory=list)    # [Signal.to_dict()]
    reasons: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def verdict(p: YearProfile) -> tuple[str, list[str]]:
    """The verdict of a :class:`YearProfile` and its reasons (rules of :mod:`dyadwatch.analysis.verdict`).

    Also sets ``p.confidence``, ``p.score_for``, ``p.score_against`` and
    ``p.signals``. Returns ``(verdict, reasons)`` with ``verdict`` in
    :data:`VERDICTS`; every reason cites the numbers behind it.
    """
    label, sig, a, h, conf = V.classify(p)
    p.confidence, p.score_for, p.score_against = conf, round(a, 3), round(h, 3)
    p.signals = [s.to_dict() for s in sig]
    why = V.reasons(label, sig, a, h, conf, p)
    if p.coverage:
        from dyadwatch.analysis.coverage import summary

        why.append(f"{p.year}: " + summary(p.coverage))
    return label, why


# -- evidence gatherers (each returns None for years its source does not cover) --

def _years_covered(con, table: str, col: str = "year") -> tuple[int, int] | None:
    try:
        lo, hi = con.execute(f"SELECT min({col}), max({col}) FROM {table}").fetchall()[0]
    except Exception:
        return None
    return None if lo is None else (int(lo), int(hi))


def defence_hazard(con, since: int = 1946) -> float | None:
    """Yearly rate at which ATOP defence obligations between two states end.

    Directed dyad-years with a defence obligation from ``since`` to ATOP's
    second-last year, and how many of them have none the next year (the
    maximum-likelihood rate of a constant hazard; Box-Steffensmeier & Jones
    2004, §2.2). About 0.005 on ATOP 5.1 (1946–2018). None without data.
    """
    try:
        ended, n = con.execute(
            """WITH d AS (SELECT iso3_1, iso3_2, year FROM atop_alliances WHERE atop_defense = 1 AND year >= ?)
               SELECT count(*) FILTER (WHERE nx.year IS NULL), count(*) FROM d
               LEFT JOIN d nx ON nx.iso3_1 = d.iso3_1 AND nx.iso3_2 = d.iso3_2 AND nx.year = d.year + 1
               WHERE d.year < (SELECT max(year) FROM atop_alliances)""", [since]).fetchall()[0]
    except Exception:  # noqa: BLE001 - no ATOP table
        return None
    return float(ended) / n if n else None


def atop_obligations(con, a: str, b: str, years) -> dict[int, dict | None]:
    """ATOP obligations of the dyad per year.

    Returns ``{year: {defense, offense, neutral, nonagg, consul} (0/1) or None}``;
    None outside ATOP's years, except that a defence pact in force in ATOP's
    last year is carried into later years as ``{defense: 1, ..., presumed_p,
    last_year}``, ``presumed_p`` = (1 − h)^k, h = :func:`defence_hazard`, k the
    years past ATOP's end (a pact ends seldom: h ≈ 0.005).
    """
    cov = _years_covered(con, "atop_alliances")
    out: dict[int, dict | None] = {y: None for y in years}
    if cov is None:
        return out
    rows = con.execute("""SELECT year, max(atop_defense), max(atop_offense), max(atop_neutral),
                                 max(atop_nonagg), max(atop_consul)
                          FROM atop_alliances WHERE iso3_1 = ? AND iso3_2 = ? GROUP BY year""", [a, b]).fetchall()
    found = {int(r[0]): dict(zip(("defense", "offense", "neutral", "nonagg", "consul"),
                                 (int(x or 0) for x in r[1:]))) for r in rows}
    h = None
    for y in years:
        if cov[0] <= y <= cov[1]:
            out[y] = found.get(y, {"defense": 0, "offense": 0, "neutral": 0, "nonagg": 0, "consul": 0})
        elif y > cov[1] and found.get(cov[1], {}).get("defense"):
            h = defence_hazard(con) if h is None else h
            out[y] = {**found[cov[1]], "presumed_p": (1.0 - (h or 0.0)) ** (y - cov[1]), "last_year": cov[1]}
    return out


def conflict_sides(con, a: str, b: str, years) -> dict[int, tuple[list, list] | None]:
    """UCDP conflicts both took part in per year: {year: (same_side, opposite_sides) or None}.

    Each item: ``conflict_id, side, primary_a, primary_b`` (ISO3 of the
    primary parties, '+'-joined), ``role_a``/``role_b`` (primary or
    secondary), ``n_side`` (states on the shared side; None for opposite
    sides) and ``roles`` (a sentence).
    """
    cov = _years_covered(con, "ucdp_conflict_parties")
    out: dict[int, tuple | None] = {y: None for y in years}
    if cov is None:
        return out
    rows = con.execute("""
        SELECT pa.year, pa.conflict_id, pa.side AS side_a, pb.side AS side_b, pa.role AS role_a, pb.role AS role_b
        FROM ucdp_conflict_parties pa JOIN ucdp_conflict_parties pb
          ON pa.conflict_id = pb.conflict_id AND pa.year = pb.year
        WHERE pa.iso3 = ? AND pb.iso3 = ? ORDER BY 1, 2""", [a, b]).fetchall()
    for y in years:
        if cov[0] <= y <= cov[1]:
            out[y] = ([], [])
    size = {(int(c), int(y_), sd): int(n) for c, y_, sd, n in con.execute(
        "SELECT conflict_id, year, side, count(DISTINCT iso3) FROM ucdp_conflict_parties GROUP BY ALL").fetchall()}
    prim = {}
    for cid, year, side, iso in con.execute(
            "SELECT conflict_id, year, side, string_agg(DISTINCT iso3, '+' ORDER BY iso3) FROM ucdp_conflict_parties "
            "WHERE role = 'primary' GROUP BY ALL").fetchall():
        prim[(int(cid), int(year), side)] = iso
    from dyadwatch.analysis.wars import conflict_names
    from dyadwatch.codebooks.labels import country_name

    names = conflict_names(con, {int(r[1]) for r in rows}) if rows else {}

    def named(isos: str) -> str:  # "SYR" -> "Syria", "non-state" stays
        return " and ".join(country_name(i) if len(i) == 3 and i.isupper() else i for i in isos.split("+"))

    for year, cid, sa, sb, ra, rb in rows:
        y = int(year)
        pa_, pb_ = prim.get((int(cid), y, "A"), "?"), prim.get((int(cid), y, "B"), "non-state")
        if y not in out or out[y] is None:
            continue
        item = {"conflict_id": int(cid), "conflict_name": names.get(int(cid)), "side": sa if sa == sb else f"{sa}/{sb}",
                "primary_a": pa_, "primary_b": pb_, "role_a": ra, "role_b": rb,
                "n_side": size.get((int(cid), y, sa)) if sa == sb else None,
                "roles": f"{country_name(a)} {ra} party on side {sa}, {country_name(b)} {rb} party on side {sb}; "
                         f"primary parties {named(pa_)} v {named(pb_)}"}
        if item in out[y][0] or item in out[y][1]:
            continue
        (out[y][0] if sa == sb else out[y][1]).append(item)
    return out


def joint_vetoes(con, a: str, b: str, years) -> dict[int, list | None]:
    """UNSC drafts both vetoed, per year: {year: [{draft, date, agenda_item}] or None}."""
    cov = _years_covered(con, "unsc_vetoes")
    out: dict[int, list | None] = {y: None for y in years}
    if cov is None:
        return out
    rows = con.execute("""SELECT year, draft, date, agenda_item FROM unsc_vetoes
                          WHERE list_contains(members_iso3, ?) AND list_contains(members_iso3, ?)
                          ORDER BY date""", [a, b]).fetchall()
    for y in years:
        if cov[0] <= y <= cov[1]:
            out[y] = []
    for year, draft, date, item in rows:
        if out.get(int(year)) is not None:
            out[int(year)].append({"draft": draft, "date": str(date), "agenda_item": item})
    return out


def voting(con, a: str, b: str, years, topic=None) -> dict[int, dict | None]:
    """UN voting kappa and agreement per year (and on ``topic``): {year: {kappa, agree, n[, topic]} or None}.

    Same definition as :func:`dyadwatch.analysis.blocs.kappa_network` for a
    one-year window (one query for all years).
    """
    from dyadwatch.analysis.blocs import pair_kappa

    cov = _years_covered(con, "un_roll_calls")
    out: dict[int, dict | None] = {y: None for y in years}
    if cov is None or not years:
        return out
    votes = con.execute("""
        SELECT r.year, v.rcid, v.iso3, v.vote_code AS x,
               (coalesce(r.short, '') || ' ' || coalesce(r.descr, '')) ILIKE ? AS on_topic
        FROM un_votes v JOIN un_roll_calls r USING (rcid)
        WHERE v.vote_code IN (1, 2, 3) AND v.iso3 IN (?, ?) AND r.year BETWEEN ? AND ?""",
                        ["%" + (topic or "") + "%", a, b, min(years), max(years)]).df()
    for y, grp in votes.groupby("year"):
        y = int(y)
        if y not in out:
            continue
        res = pair_kappa(grp, a, b, topic=bool(topic))
        if res is not None:
            out[y] = res if not topic else {**res, "topic": topic}
    return out


def _last_vote_year(con) -> int | None:
    """The last year with at least :data:`MIN_VOTES` UN roll calls in the store (None without votes)."""
    try:
        y = con.execute("SELECT max(year) FROM (SELECT year, count(*) AS n FROM un_roll_calls GROUP BY year) "
                        "WHERE n >= ?", [MIN_VOTES]).fetchall()[0][0]
    except Exception:  # noqa: BLE001 - no roll-call table
        return None
    return None if y is None else int(y)


def relationship_profile(con, a: str, b: str, *, year_from: int | None = None, year_to: int | None = None,
                         topic: str | None = None, datasets=None) -> list[YearProfile]:
    """Profiles with verdicts for every year of the dyad (a, b).

    Parameters
    ----------
    a, b : ISO3 codes or country names.
    year_from, year_to : inclusive years; default: from the dyad's first year
        with events (else 2000) to its last year with events or the last year
        with at least :data:`MIN_VOTES` UN roll calls, whichever is later (the
        two yearly series; the other sources are kept to those years).
    topic : free-text topic for the second voting measure (e.g. ``"Syrian Arab Republic"``).

    Returns
    -------
    list of :class:`YearProfile`, one per year, ascending.

    Raises
    ------
    UsageError
        Unknown actor, the same actor twice, or bad years.
    """
    from dyadwatch.analysis.actors import resolve_pair

    a, b = (f.label for f in resolve_pair(a, b))
    ev = R.classify_dyad(con, a, b, freq="year", date_from=year_from, date_to=year_to, datasets=datasets)
    ev_years = [int(p) for p in ev["period"]] if len(ev) else []
    ev_years = [y for y, n in zip(ev_years, ev["events"]) if n > 0] if ev_years else []
    lo = year_from if year_from is not None else (min(ev_years) if ev_years else 2000)
    hi = year_to if year_to is not None else max(ev_years + [_last_vote_year(con) or lo, lo])
    years = list(range(int(lo), int(hi) + 1))
    from dyadwatch.analysis import coverage as C
    from dyadwatch.analysis.disputes import disputes
    from dyadwatch.analysis.interstate_wars import war_sides
    from dyadwatch.analysis.rivalries import rivalries

    evd = {int(r["period"]): r for r in ev.to_dict("records")}
    atop = atop_obligations(con, a, b, years)
    wars = conflict_sides(con, a, b, years)
    vetoes = joint_vetoes(con, a, b, years)
    vote = voting(con, a, b, years)
    vote_t = voting(con, a, b, years, topic) if topic else {y: None for y in years}
    cow = war_sides(con, a, b, years)
    mids = disputes(con, a, b, years)
    riv = rivalries(con, a, b, years)
    spans = C.spans(con, (a, b))
    out = []
    for y in years:
        p = YearProfile(a=a, b=b, year=y, events=evd.get(y), voting=vote[y], voting_topic=vote_t[y],
                        atop=atop[y], conflicts_same_side=None if wars[y] is None else wars[y][0],
                        conflicts_opposite_sides=None if wars[y] is None else wars[y][1],
                        joint_vetoes=vetoes[y], wars_cow=cow[y], disputes=mids[y], rivalries=riv[y])
        p.coverage = C.year_coverage(p, spans)
        p.verdict, p.reasons = verdict(p)
        out.append(p)
    return out


def profile_frame(profiles: list[YearProfile]) -> pd.DataFrame:
    """A flat table of profiles: year, verdict, confidence, scores for/against, the evidence of each source,
    the families that cover the year, reasons."""
    rows = []
    for p in profiles:
        rows.append({
            "year": p.year, "verdict": p.verdict,
            "event_label": (p.events or {}).get("label"), "events": (p.events or {}).get("events"),
            "net_coop": (p.events or {}).get("net_coop"),
            "kappa": (p.voting or {}).get("kappa"), "votes": (p.voting or {}).get("n"),
            "kappa_topic": (p.voting_topic or {}).get("kappa"),
            "atop": None if p.atop is None else ",".join(k for k, v in p.atop.items() if v) or "none",
            "same_side_conflicts": None if p.conflicts_same_side is None else len(p.conflicts_same_side),
            "opposite_side_conflicts": None if p.conflicts_opposite_sides is None else len(p.conflicts_opposite_sides),
            "joint_vetoes": None if p.joint_vetoes is None else len(p.joint_vetoes),
            "wars_opposite": None if p.wars_cow is None else len(p.wars_cow["opposite"]),
            "mids": None if p.disputes is None else len(p.disputes),
            "mid_hostlev": None if not p.disputes else max(d["hostlev"] for d in p.disputes),
            "rivalry": None if p.rivalries is None else (
                "; ".join(f"{r['name']}{'' if r['observed'] else ' (presumed, p=%.2f)' % r['presumed_p']}"
                          for r in p.rivalries) or "none"),
            "confidence": p.confidence, "for": p.score_for, "against": p.score_against,
            "covered_by": ", ".join(f for f, c in p.coverage.items() if c["status"] == "covered"),
            "reasons": "; ".join(p.reasons),
        })
    df = pd.DataFrame(rows)
    if len(df):
        df["mid_hostlev"] = df["mid_hostlev"].astype("Int64")
    return df


#: reasons shown per year in the brief profile table (the rest: ``--wide`` or JSON/CSV)
BRIEF_REASONS = 3


def profile_brief(profiles: list[YearProfile], top: int = BRIEF_REASONS) -> list[dict]:
    """A short row per year for a terminal: year, verdict, confidence, coverage and the strongest reasons.

    Returns ``[{"year", "verdict", "confidence", "coverage", "reasons"}]``: ``confidence`` in (0, 1) rounded to
    2 places (None when the evidence is insufficient); ``coverage`` like ``"5 of 6 covered;\\nthin: events"``
    (families and statuses of :mod:`dyadwatch.analysis.coverage`); ``reasons`` the scores for and against
    alignment (points, :mod:`dyadwatch.analysis.verdict`) then the ``top`` heaviest signals (against first on a
    tie), one per line, and how many more reasons :func:`profile_frame` holds. Raises nothing.
    """
    rows = []
    for p in profiles:
        sig = sorted(p.signals, key=lambda s: (-s["weight"], s["direction"] != "against"))
        lines = [f"for alignment {p.score_for:.1f} points, against {p.score_against:.1f}"]
        lines += [f"{s['direction']} (+{s['weight']:.1f}): {s['text']}" for s in sig[:top]]
        # reasons beyond the summary and the coverage sentence that the brief row leaves out
        hidden = max(len(p.reasons) - 1 - bool(p.coverage) - min(top, len(sig)), 0)
        if hidden:
            lines.append(f"… {hidden} more reason{'s' if hidden > 1 else ''} (--wide, --format json)")
        rows.append({"year": p.year, "verdict": p.verdict,
                     "confidence": None if p.confidence is None else round(p.confidence, 2),
                     "coverage": coverage_brief(p.coverage), "reasons": "\n".join(lines)})
    return rows


def coverage_brief(cov: dict[str, dict]) -> str:
    """``"6 of 6 covered"`` or ``"4 of 6 covered;\\nthin: events;\\nsilent: rivalries, disputes"`` (a line per
    status) for a ``{family: {"status", "text"}}`` mapping (:func:`dyadwatch.analysis.coverage.year_coverage`);
    ``"no source"`` when empty."""
    if not cov:
        return "no source"
    covered = sum(1 for c in cov.values() if c["status"] == "covered")
    text = f"{covered} of {len(cov)} covered"
    for status in ("thin", "presumed", "absent", "silent"):
        fams = [f for f, c in cov.items() if c["status"] == status]
        if fams:
            text += f";\n{status}: {', '.join(fams)}"
    return text
