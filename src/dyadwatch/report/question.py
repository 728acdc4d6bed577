"""The report's answer to the research question: alliance in the making, or competition?

Built only from the year profiles (:mod:`dyadwatch.analysis.profile`: the
verdict, its signals and each year's coverage) and the classification, so
every sentence carries the numbers it rests on and names the years and the
sources behind it. A statement that nothing shows competition names the
sources that cover those years *and* the years in which the sources that
would record friction (events, disputes, rivalries) are thin or silent:
silence is said, never read as "no sign".
"""

from __future__ import annotations

from dyadwatch.codebooks.labels import ATOP_NAMES, pair_title

from dyadwatch.analysis.coverage import FAMILIES
from dyadwatch.analysis.verdict import INSUFFICIENT, KAPPA_CLOSE, KAPPA_OPPOSED, MIN_VOTES

#: source families that record friction short of war between partners (events, disputes, rivalries)
FRICTION = ("events", "disputes", "rivalries")
#: readable names of the families
NAMES = {"events": "events", "votes": "UN votes", "alliances": "ATOP alliances", "wars": "armed conflicts (UCDP, COW)",
         "rivalries": "rivalries (Thompson–Dreyer)", "disputes": "militarized disputes (COW MID)",
         "vetoes": "UNSC vetoes"}


def _span(years) -> str:
    """[2002, 2003, 2004, 2007] -> '2002–2004, 2007'."""
    years = sorted(set(years))
    if not years:
        return "none"
    runs, start, prev = [], years[0], years[0]
    for y in years[1:]:
        if y != prev + 1:
            runs.append((start, prev))
            start = y
        prev = y
    runs.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def _status_years(profiles, family: str, statuses) -> list[int]:
    return [p["year"] for p in profiles if (p.get("coverage") or {}).get(family, {}).get("status") in statuses]


def answer(content: dict, *, split_year: int | None = None, topic_kappa: dict | None = None) -> dict:
    """Statements (with numbers, years and sources) on alliance, alignment, cooperation and competition.

    Parameters
    ----------
    content : the report content so far (needs ``a``, ``b``, ``verdicts``,
        ``classification``, ``summary`` with ``latest`` and ``timeline``).
    split_year : compare the years before it with the years from it on (e.g. 2011, the Syrian war).
    topic_kappa : optional ``{topic, kappa, n, years}`` pooled over the war years.

    Returns
    -------
    dict with ``findings`` (list of str), ``competition`` (list of str: every
    signal against alignment, by year and source; empty when none),
    ``silent`` (list of str: per source family, the years it is thin,
    absent or silent), ``coverage`` (``{family: {covered, thin, silent}}``
    year spans) and ``conclusion`` (str: the verdict paragraph).
    """
    a, b = content["a"], content["b"]
    profiles = content["verdicts"]
    years = [p["year"] for p in profiles]
    cov = {f: {"covered": _status_years(profiles, f, ("covered",)),
               "thin": _status_years(profiles, f, ("thin", "presumed")),
               "silent": _status_years(profiles, f, ("silent", "absent"))} for f in FAMILIES}
    findings, silent = [], []
    # alliances
    atop = [p for p in profiles if p["atop"] is not None and p["atop"].get("presumed_p", 1.0) >= 1.0]
    pact = [p["year"] for p in atop if p["atop"]["defense"]]
    if atop:
        other = sorted({k for p in atop for k, v in p["atop"].items() if v and k in ("offense", "neutral",
                                                                                      "nonagg", "consul")})
        findings.append(f"ATOP ({_span([p['year'] for p in atop])}): " + (
            f"a defence pact in force in {_span(pact)}." if pact else
            "no defence pact in any year" + (f"; obligations in force: {', '.join(ATOP_NAMES[k] for k in other)}."
                                             if other else ".")))
    # events
    ev = [r for r in content["classification"] if r["events"]]
    if ev:
        labels: dict[str, list[int]] = {}
        for r in ev:
            labels.setdefault(r["label"], []).append(int(r["period"]))
        findings.append("Events: " + "; ".join(f"{lab} in {_span(ys)}" for lab, ys in labels.items()) + ".")
        if split_year:
            src = {r["period"]: r.get("datasets") or "" for r in content.get("series", [])}
            # the data sets by their short citations (sections.dataset_names), the labels when unknown
            cited = {r.get("datasets") or "": r.get("datasets_names") or r.get("datasets") or ""
                     for r in content.get("series", [])}
            main_src = max({src.get(r["period"], "") for r in ev},
                           key=lambda d: sum(1 for r in ev if src.get(r["period"], "") == d))
            same = [r for r in ev if src.get(r["period"], "") == main_src and r["label"] != INSUFFICIENT]
            pre = [r for r in same if int(r["period"]) < split_year]
            post = [r for r in same if int(r["period"]) >= split_year]
            if pre and post:
                def pooled(rows):
                    n = sum(r["events"] for r in rows)
                    return n / len(rows), sum(r["net_coop"] * r["events"] for r in rows) / n
                (n0, c0), (n1, c1) = pooled(pre), pooled(post)
                findings.append(f"{cited.get(main_src) or main_src or 'events'} {pre[0]['period']}–{pre[-1]['period']}: {n0:.0f} events a "
                                f"year, net cooperation {c0:.2f}; {post[0]['period']}–{post[-1]['period']}: {n1:.0f} "
                                f"events a year, net cooperation {c1:.2f} ({'more' if n1 > n0 else 'fewer'} events, "
                                f"{'warmer' if c1 > c0 else 'cooler'} tone).")
    # votes
    votes = [p for p in profiles if p["voting"] and p["voting"]["n"] >= MIN_VOTES]
    if votes:
        ks = [p["voting"]["kappa"] for p in votes if p["voting"]["kappa"] is not None]
        close = [p["year"] for p in votes if (p["voting"]["kappa"] or 0) >= KAPPA_CLOSE]
        if ks:
            findings.append(f"UN General Assembly voting, {_span([p['year'] for p in votes])}: kappa {min(ks):.2f} to "
                            f"{max(ks):.2f}; close (≥ {KAPPA_CLOSE}) in {_span(close)}.")
        if split_year:
            k0 = [p["voting"]["kappa"] for p in votes if p["year"] < split_year and p["voting"]["kappa"] is not None]
            k1 = [p["voting"]["kappa"] for p in votes if p["year"] >= split_year and p["voting"]["kappa"] is not None]
            if k0 and k1:
                findings.append(f"Mean yearly kappa before {split_year}: {sum(k0) / len(k0):.2f}; "
                                f"from {split_year}: {sum(k1) / len(k1):.2f}.")
    if topic_kappa:
        findings.append(f"On '{topic_kappa['topic']}' roll calls {topic_kappa['years']}: kappa "
                        f"{topic_kappa['kappa']:.2f} over {topic_kappa['n']} votes.")
    # armed conflicts, disputes, rivalries
    same = [p["year"] for p in profiles if p["conflicts_same_side"] or (p.get("wars_cow") or {}).get("same")]
    opp = [p["year"] for p in profiles if p["conflicts_opposite_sides"] or (p.get("wars_cow") or {}).get("opposite")]
    if cov["wars"]["covered"]:
        findings.append(f"Armed conflicts ({_span(cov['wars']['covered'])}): same side in {_span(same)}; opposite "
                        f"sides in {_span(opp)}.")
    if cov["disputes"]["covered"]:
        mid = [p["year"] for p in profiles if p.get("disputes")]
        findings.append(f"Militarized disputes (COW MID, {_span(cov['disputes']['covered'])}): in {_span(mid)}.")
    riv = [p["year"] for p in profiles if p.get("rivalries")]
    if cov["rivalries"]["covered"] or riv:
        findings.append(f"Strategic rivalry (Thompson–Dreyer, data to {_last(profiles)}): "
                        + (f"in {_span(riv)}" if riv else "none") + ".")
    joint = [(p["year"], v["draft"]) for p in profiles for v in (p["joint_vetoes"] or [])]
    if joint:
        findings.append(f"Joint Security Council vetoes: {len(joint)} ({', '.join(d for _, d in joint[:6])}"
                        f"{' …' if len(joint) > 6 else ''}).")
    # competition: every signal against alignment, with its year
    competition = [f"{p['year']}: {s['text']}" for p in profiles for s in (p.get("signals") or [])
                   if s["direction"] == "against"]
    # silence, per family
    for f in FAMILIES:
        thin, off = cov[f]["thin"], cov[f]["silent"]
        if f == "vetoes" and not (cov[f]["covered"] or thin or off):
            continue
        if thin:
            why = sorted({(p.get("coverage") or {})[f]["status"] for p in profiles if p["year"] in thin})
            silent.append(f"{NAMES[f]}: {' / '.join(why)} in {_span(thin)}")
        if off:
            last = [p for p in profiles if p["year"] == off[-1]][0]
            silent.append(f"{NAMES[f]}: silent in {_span(off)} (e.g. {off[-1]}: "
                          f"{(last.get('coverage') or {})[f]['text']})")
    return {"findings": findings, "competition": competition, "silent": silent,
            "coverage": {f: {k: _span(v) for k, v in c.items()} for f, c in cov.items()},
            "conclusion": _conclusion(content, profiles, years, cov, competition, pact, atop)}


def _name(family: str, p: dict) -> str:
    """A family's name for one year, the war data named as the year's coverage says (UCDP, COW or both)."""
    if family == "wars":
        return "armed conflicts (" + (p.get("coverage") or {}).get("wars", {}).get("text", "UCDP, COW") + ")"
    return NAMES[family]


def _last(profiles) -> str:
    for p in profiles:
        for r in p.get("rivalries") or []:
            return str(r["coverage_end"])
    return "2010"


#: what each family's tie that only aligned states share is called in a verdict run (verdict.Signal.specific)
TIES = {"alliances": "ATOP obligations", "wars": "a side shared in an armed conflict", "vetoes": "joint UNSC vetoes",
        "votes": "close UN voting on the topic"}


def _run_ties(profiles, run: dict) -> str:
    """For a run of allied / aligned-partner years, the ties only aligned states share and the years of each.

    ``" (ties only aligned states share: ATOP obligations short of defence
    2002–2018, a side shared in an armed conflict 2015–2019; confidence
    0.75–0.88)"``: a run of one verdict
    can hide a change in what it rests on (a pact signed, a war fought side
    by side), so the run names each tie (``specific`` signals of
    :mod:`dyadwatch.analysis.verdict`) with its own years, and the range of the
    yearly confidence. Empty for other verdicts.
    """
    if run["verdict"] not in ("allied", "aligned partners"):
        return ""
    inrun = [p for p in profiles if run["from"] <= p["year"] <= run["to"]]
    ties: dict[str, list[int]] = {}
    for p in inrun:
        for s in p.get("signals") or []:
            if s["direction"] == "for" and s.get("specific") and s["weight"] > 0 and s["family"] in TIES:
                name = TIES[s["family"]]
                if s["family"] == "alliances":
                    name += "" if (p.get("atop") or {}).get("defense") else " short of defence"
                    name += " (presumed)" if (p.get("atop") or {}).get("presumed_p", 1.0) < 1.0 else ""
                ties.setdefault(name, []).append(p["year"])
    conf = [p["confidence"] for p in inrun if p.get("confidence") is not None]
    parts = []
    if ties:
        parts.append("ties only aligned states share: " + ", ".join(f"{name} {_span(ys)}" for name, ys in ties.items()))
    if conf:
        parts.append(f"confidence {min(conf):.2f}" + (f"–{max(conf):.2f}" if max(conf) - min(conf) >= 0.005 else ""))
    return f" ({'; '.join(parts)})" if parts else ""


def _conclusion(content, profiles, years, cov, competition, pact, atop) -> str:
    """The verdict paragraph: the headline year (by its stated rule) with confidence and sources, the
    alliance question, the timeline, and competition — with the years and sources it rests on."""
    a, b = content["a"], content["b"]
    head = content["summary"].get("latest")
    timeline = content["summary"].get("timeline") or []
    if not head:
        return (f"No verdict: for {pair_title(a, b)} in {_span(years)} the sources say too little either way "
                "(see where the data are silent below).")
    from dyadwatch.analysis.coverage import covering

    fams = covering(head.get("coverage") or {})
    out = [f"{pair_title(a, b)} in {head['year']}: {head['verdict']}"
           + (f" (confidence {head['confidence']:.2f})" if head.get("confidence") is not None else "")
           + f", on the evidence of {', '.join(_name(f, head) for f in fams) or 'no fully covering source'}"
           + f" — {head.get('headline_rule', '')}."]
    strongest = sorted((s for s in head.get("signals") or []), key=lambda s: -s["weight"])[:3]
    if strongest:
        out.append("Strongest signals that year: " + "; ".join(
            f"{'for' if s['direction'] == 'for' else 'against'} alignment, {s['text']}" for s in strongest) + ".")
    runs = "; ".join(f"{r['verdict']} {r['from']}" + (f"–{r['to']}" if r["to"] != r["from"] else "")
                     + _run_ties(profiles, r) for r in timeline)
    out.append(f"Verdicts by year: {runs}.")
    if atop:
        if pact:
            out.append(f"A defence pact is in force in {_span(pact)} (ATOP).")
        else:
            out.append(f"No defence pact in any year ATOP covers ({_span([p['year'] for p in atop])}): "
                       + ("an alignment short of an alliance." if any(r["verdict"] == "aligned partners"
                                                                       for r in timeline) else "no alliance."))
    if competition:
        yrs = sorted({int(c.split(":")[0]) for c in competition})
        out.append(f"Signs of competition or hostility in {_span(yrs)}: {len(competition)} signals against "
                   "alignment (listed below).")
        return " ".join(out)
    covered = {f: cov[f]["covered"] for f in FAMILIES if cov[f]["covered"]}
    clauses = []
    if "votes" in covered:
        clauses.append(f"UN votes ({_span(covered['votes'])}) never opposed (kappa never ≤ {KAPPA_OPPOSED})")
    if "wars" in covered:
        clauses.append(f"armed-conflict data ({_span(covered['wars'])}) never put them on opposite sides")
    if "events" in covered:
        clauses.append(f"events ({_span(covered['events'])}) never mixed or hostile")
    if "disputes" in covered:
        clauses.append(f"no militarized dispute in {_span(covered['disputes'])} (COW MID)")
    if "rivalries" in covered:
        clauses.append(f"no strategic rivalry in {_span(covered['rivalries'])} (Thompson–Dreyer)")
    if clauses:
        out.append("No source that covers these years shows competition: " + "; ".join(clauses) + ".")
    gaps = [f"{NAMES[f]} are thin in {_span(cov[f]['thin'])}" for f in FRICTION if cov[f]["thin"]]
    gaps += [f"{NAMES[f]} are silent in {_span(cov[f]['silent'])}" for f in FRICTION if cov[f]["silent"]]
    if gaps:
        blind = [y for y in years if not any(y in cov[f]["covered"] for f in FRICTION)]
        out.append("But the sources that would record friction short of war are not there for every year: "
                   + "; ".join(gaps) + "."
                   + (f" For {_span(blind)} none of them covers the year, so the absence of competition there is "
                      "silence, not evidence that there was none." if blind else ""))
    out.append("None of these sources records disagreements that stay below militarized disputes or opposed votes "
               "(over a third state's future, or rival economic interests).")
    return " ".join(out)
