"""Relationship profile: one verdict per dyad-year, with the numbers behind it.

Unit in: the store (event series, UN votes, ATOP, UCDP/PRIO parties, UNSC
vetoes). Unit out: one :class:`YearProfile` per year joining

- the event-based label of :mod:`dyadwatch.analysis.relations`;
- UN General Assembly voting: Cohen's kappa (Häge 2011) and agreement over
  all roll calls of the year, and on a topic (e.g. ``"Syrian Arab
  Republic"``), computed as in :func:`dyadwatch.analysis.blocs.kappa_network`;
- ATOP obligations in force (Leeds et al. 2002: defence, offence,
  neutrality, non-aggression, consultation);
- UCDP/PRIO armed conflicts (Gleditsch et al. 2002) in which both took part,
  on the same side or on opposite sides;
- joint UN Security Council vetoes;

and a rule-based verdict with its reasons (:func:`verdict`). A source that
does not cover a year gives ``None`` (silent), not "no": the report says
where the data are silent.

Verdict rules (first that applies):

1. **allied** — an ATOP defence obligation is in force.
2. **adversarial** — on opposite sides of a UCDP conflict, or the events are
   *hostile*, or the events are *mixed* and voting kappa ≤ ``KAPPA_OPPOSED``.
3. **aligned partners** — no defence pact, but at least two of: close
   voting (kappa ≥ ``KAPPA_CLOSE`` over all roll calls, or ≥
   ``KAPPA_TOPIC_CLOSE`` on the topic), the same side in a UCDP conflict or
   a joint veto, dominant cooperation (events *friendly*).
4. **competitive** — cooperation and conflict both substantial (events
   *mixed*), or cooperative events with opposed voting (kappa ≤
   ``KAPPA_OPPOSED``).
5. **cooperative** — events *friendly* or *neutral*, or one sign of
   alignment without event evidence.
6. otherwise **insufficient evidence**.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from dyadwatch.analysis import relations as R

#: Close voting over all roll calls of a year. Yearly kappa between UN
#: members is low in absolute terms: Iran–Russia 0.23–0.36 (2005–2019),
#: UK–US 0.23–0.51, Russia–China 0.34–0.63; 0.3 separates such partners
#: from pairs like Russia–Turkey (0.10–0.28).
KAPPA_CLOSE = 0.3
#: Close voting on a single topic (few roll calls, sharper split): the
#: blocs of the Syrian war vote with kappa ≥ 0.8 inside a camp.
KAPPA_TOPIC_CLOSE = 0.6
#: Opposed voting: kappa at or below −0.1 (Iran–USA −0.18 to −0.28,
#: Russia–USA −0.06 to −0.17, Russia–Israel −0.04 to −0.16).
KAPPA_OPPOSED = -0.1
#: Fewest common roll calls for a kappa to count as evidence.
MIN_VOTES = 10

VERDICTS = ("allied", "aligned partners", "cooperative", "competitive", "adversarial", R.INSUFFICIENT)


@dataclass
class YearProfile:
    """Everything known about a dyad in one year, and the verdict."""

    a: str
    b: str
    year: int
    events: dict | None = None          # classification row (relations.CLASSIFICATION_COLUMNS)
    voting: dict | None = None          # {kappa, agree, n}
    voting_topic: dict | None = None    # {topic, kappa, agree, n}
    atop: dict | None = None            # {defense, offense, neutral, nonagg, consul} (0/1)
    conflicts_same_side: list | None = None      # [{conflict_id, side, roles}]
    conflicts_opposite_sides: list | None = None
    joint_vetoes: list | None = None    # [{draft, date, agenda_item}]
    verdict: str = R.INSUFFICIENT
    reasons: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def _fmt(x, nd=2):
    return "n/a" if x is None or pd.isna(x) else f"{x:.{nd}f}"


def verdict(p: YearProfile) -> tuple[str, list[str]]:
    """The verdict of a :class:`YearProfile` and its reasons (module docstring rules).

    Every reason cites the numbers that triggered it. Returns
    ``(verdict, reasons)`` with ``verdict`` in :data:`VERDICTS`.
    """
    reasons: list[str] = []
    ev = p.events or {}
    label = ev.get("label")
    ev_txt = (f"events {label} (p = {_fmt(ev.get('probability'))}; net cooperation "
              f"{_fmt(ev.get('net_coop'))} over {int(ev.get('events') or 0)} events)") if label else None
    v, vt = p.voting, p.voting_topic
    kappa = v["kappa"] if v and v.get("n", 0) >= MIN_VOTES else None
    kappa_t = vt["kappa"] if vt and vt.get("n", 0) >= MIN_VOTES else None
    close = []
    if kappa is not None and kappa >= KAPPA_CLOSE:
        close.append(f"close UN voting: kappa {_fmt(kappa)} ≥ {KAPPA_CLOSE} over {v['n']} roll calls")
    if kappa_t is not None and kappa_t >= KAPPA_TOPIC_CLOSE:
        close.append(f"close UN voting on '{vt['topic']}': kappa {_fmt(kappa_t)} ≥ {KAPPA_TOPIC_CLOSE} "
                     f"over {vt['n']} roll calls")
    opposed = kappa is not None and kappa <= KAPPA_OPPOSED
    shared = []
    for c in p.conflicts_same_side or []:
        shared.append(f"same side (side {c['side']}) in UCDP conflict {c['conflict_id']} "
                      f"({c['roles']})")
    for vto in p.joint_vetoes or []:
        shared.append(f"joint UNSC veto of {vto['draft']} on {vto['date']}")
    if p.atop and p.atop.get("defense"):
        reasons.append(f"ATOP defence obligation in force in {p.year}")
        return "allied", reasons + close + shared
    if p.conflicts_opposite_sides:
        c = p.conflicts_opposite_sides[0]
        reasons.append(f"opposite sides in UCDP conflict {c['conflict_id']} in {p.year} ({c['roles']})")
        return "adversarial", reasons
    if label == "hostile":
        return "adversarial", [ev_txt]
    if label == "mixed" and opposed:
        return "adversarial", [ev_txt, f"opposed UN voting: kappa {_fmt(kappa)} ≤ {KAPPA_OPPOSED} "
                                       f"over {v['n']} roll calls"]
    signs = []
    if close:
        signs.append(close)
    if shared:
        signs.append(shared)
    if label == "friendly":
        signs.append([ev_txt])
    if len(signs) >= 2:
        why = [r for s in signs for r in s]
        if p.atop and any(p.atop.get(k) for k in ("neutral", "nonagg", "consul", "offense")):
            why.append("ATOP obligations short of defence: " + ", ".join(
                k for k in ("offense", "neutral", "nonagg", "consul") if p.atop.get(k)))
        elif p.atop is not None:
            why.append(f"no ATOP defence pact in {p.year}")
        return "aligned partners", why
    if label == "mixed":
        return "competitive", [ev_txt + " — cooperation and conflict both substantial"]
    if label in ("friendly", "neutral") and opposed:
        return "competitive", [ev_txt, f"but opposed UN voting: kappa {_fmt(kappa)} ≤ {KAPPA_OPPOSED} "
                                       f"over {v['n']} roll calls"]
    if label in ("friendly", "neutral"):
        return "cooperative", [ev_txt] + [r for s in signs for r in s if r != ev_txt]
    if signs:
        return "cooperative", [r for s in signs for r in s] + [
            "no event evidence this year" if not label or label == R.INSUFFICIENT else ev_txt]
    why = [ev_txt] if ev_txt else ["no events for this dyad and year in the store"]
    if kappa is not None:
        why.append(f"UN voting kappa {_fmt(kappa)} over {v['n']} roll calls (neither close nor opposed)")
    return R.INSUFFICIENT, why


# -- evidence gatherers (each returns None for years its source does not cover) --

def _years_covered(con, table: str, col: str = "year") -> tuple[int, int] | None:
    try:
        lo, hi = con.execute(f"SELECT min({col}), max({col}) FROM {table}").fetchall()[0]
    except Exception:
        return None
    return None if lo is None else (int(lo), int(hi))


def atop_obligations(con, a: str, b: str, years) -> dict[int, dict | None]:
    """ATOP obligations of the dyad per year: {year: {defense, offense, neutral, nonagg, consul} or None}."""
    cov = _years_covered(con, "atop_alliances")
    out: dict[int, dict | None] = {y: None for y in years}
    if cov is None:
        return out
    rows = con.execute("""SELECT year, max(atop_defense), max(atop_offense), max(atop_neutral),
                                 max(atop_nonagg), max(atop_consul)
                          FROM atop_alliances WHERE iso3_1 = ? AND iso3_2 = ? GROUP BY year""", [a, b]).fetchall()
    found = {int(r[0]): dict(zip(("defense", "offense", "neutral", "nonagg", "consul"),
                                 (int(x or 0) for x in r[1:]))) for r in rows}
    for y in years:
        if cov[0] <= y <= cov[1]:
            out[y] = found.get(y, {"defense": 0, "offense": 0, "neutral": 0, "nonagg": 0, "consul": 0})
    return out


def conflict_sides(con, a: str, b: str, years) -> dict[int, tuple[list, list] | None]:
    """UCDP conflicts both took part in per year: {year: (same_side, opposite_sides) or None}."""
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
    prim = {}
    for cid, year, side, iso in con.execute(
            "SELECT conflict_id, year, side, string_agg(DISTINCT iso3, '+' ORDER BY iso3) FROM ucdp_conflict_parties "
            "WHERE role = 'primary' GROUP BY ALL").fetchall():
        prim[(int(cid), int(year), side)] = iso
    for year, cid, sa, sb, ra, rb in rows:
        y = int(year)
        pa_, pb_ = prim.get((int(cid), y, "A"), "?"), prim.get((int(cid), y, "B"), "non-state")
        if y not in out or out[y] is None:
            continue
        item = {"conflict_id": int(cid), "side": sa if sa == sb else f"{sa}/{sb}",
                "primary_a": pa_, "primary_b": pb_,
                "roles": f"{a} {ra} on side {sa}, {b} {rb} on side {sb}; primary parties {pa_} v {pb_}"}
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


def relationship_profile(con, a: str, b: str, *, year_from: int | None = None, year_to: int | None = None,
                         topic: str | None = None, datasets=None) -> list[YearProfile]:
    """Profiles with verdicts for every year of the dyad (a, b).

    Parameters
    ----------
    a, b : ISO3 codes or country names.
    year_from, year_to : inclusive years; default: the years any source covers
        for this dyad (events, votes, ATOP, UCDP, vetoes) from 2000 on.
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
    hi = year_to if year_to is not None else max(ev_years + [c[1] for c in (
        _years_covered(con, "un_roll_calls"), _years_covered(con, "ucdp_conflict_parties")) if c] + [lo])
    years = list(range(int(lo), int(hi) + 1))
    evd = {int(r["period"]): r for r in ev.to_dict("records")}
    atop = atop_obligations(con, a, b, years)
    wars = conflict_sides(con, a, b, years)
    vetoes = joint_vetoes(con, a, b, years)
    vote = voting(con, a, b, years)
    vote_t = voting(con, a, b, years, topic) if topic else {y: None for y in years}
    out = []
    for y in years:
        p = YearProfile(a=a, b=b, year=y, events=evd.get(y), voting=vote[y], voting_topic=vote_t[y],
                        atop=atop[y], conflicts_same_side=None if wars[y] is None else wars[y][0],
                        conflicts_opposite_sides=None if wars[y] is None else wars[y][1],
                        joint_vetoes=vetoes[y])
        p.verdict, p.reasons = verdict(p)
        out.append(p)
    return out


def profile_frame(profiles: list[YearProfile]) -> pd.DataFrame:
    """A flat table of profiles: year, verdict, event label, kappa, ATOP, wars, vetoes, reasons."""
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
            "reasons": "; ".join(p.reasons),
        })
    return pd.DataFrame(rows)
