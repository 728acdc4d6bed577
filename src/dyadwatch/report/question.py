"""The report's answer to the research question: alliance in the making, or competition?

Built only from the year profiles (:mod:`dyadwatch.analysis.profile`) and
the classification, so every sentence carries the numbers it rests on, and
says where the data are silent.
"""

from __future__ import annotations

from dyadwatch.analysis.profile import KAPPA_CLOSE, KAPPA_OPPOSED, MIN_VOTES
from dyadwatch.analysis.relations import INSUFFICIENT


def _span(years: list[int]) -> str:
    """[2002, 2003, 2004, 2007] -> '2002–2004, 2007'."""
    if not years:
        return "none"
    years = sorted(years)
    runs, start, prev = [], years[0], years[0]
    for y in years[1:]:
        if y != prev + 1:
            runs.append((start, prev))
            start = y
        prev = y
    runs.append((start, prev))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


def answer(content: dict, *, split_year: int | None = None, topic_kappa: dict | None = None) -> dict:
    """Statements (with numbers) on alliance, alignment, cooperation and competition.

    Parameters
    ----------
    content : the report content so far (needs ``a``, ``b``, ``verdicts``, ``classification``).
    split_year : compare the years before it with the years from it on (e.g. 2011, the Syrian war).
    topic_kappa : optional ``{topic, kappa, n, years}`` pooled over the war years.

    Returns
    -------
    dict with ``findings`` (list of str), ``competition`` (list of str, empty
    when the data show none), ``silent`` (list of str) and ``conclusion`` (str).
    """
    a, b = content["a"], content["b"]
    profiles = content["verdicts"]
    findings, competition, silent = [], [], []
    atop = [p for p in profiles if p["atop"] is not None]
    if atop:
        pact = [p["year"] for p in atop if p["atop"]["defense"]]
        other = sorted({k for p in atop for k, v in p["atop"].items() if v and k != "defense"})
        if pact:
            findings.append(f"ATOP: a defence pact in force in {_span(pact)}.")
        else:
            findings.append(f"ATOP: no defence pact in any year {atop[0]['year']}–{atop[-1]['year']}"
                            + (f" (obligations in force: {', '.join(other)})." if other else "."))
    else:
        silent.append("no ATOP alliance data in the store")
    ev = [r for r in content["classification"] if r["events"]]
    if ev:
        labels = {}
        for r in ev:
            labels.setdefault(r["label"], []).append(int(r["period"]))
        findings.append("Events: " + "; ".join(f"{lab} in {_span(ys)}" for lab, ys in labels.items()) + ".")
        if split_year:
            # compare like with like: only years whose counts come from the same datasets
            src = {r["period"]: r.get("datasets") or "" for r in content.get("series", [])}
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
                findings.append(f"{main_src or 'events'} {pre[0]['period']}–{pre[-1]['period']}: {n0:.0f} events a "
                                f"year, net cooperation {c0:.2f}; {post[0]['period']}–{post[-1]['period']}: {n1:.0f} "
                                f"events a year, net cooperation {c1:.2f} ({'more' if n1 > n0 else 'fewer'} events, "
                                f"{'warmer' if c1 > c0 else 'cooler'} tone).")
        for r in ev:
            if r["label"] in ("mixed", "hostile"):
                competition.append(f"{r['period']}: events {r['label']} (net cooperation {r['net_coop']:.2f})")
    votes = [p for p in profiles if p["voting"] and p["voting"]["n"] >= MIN_VOTES]
    if votes:
        close = [p["year"] for p in votes if p["voting"]["kappa"] >= KAPPA_CLOSE]
        opposed = [p["year"] for p in votes if p["voting"]["kappa"] <= KAPPA_OPPOSED]
        ks = [p["voting"]["kappa"] for p in votes]
        findings.append(f"UN General Assembly voting, {votes[0]['year']}–{votes[-1]['year']}: kappa "
                        f"{min(ks):.2f} to {max(ks):.2f}; close (≥ {KAPPA_CLOSE}) in {_span(close)}.")
        if split_year:
            k0 = [p["voting"]["kappa"] for p in votes if p["year"] < split_year]
            k1 = [p["voting"]["kappa"] for p in votes if p["year"] >= split_year]
            if k0 and k1:
                findings.append(f"Mean yearly kappa before {split_year}: {sum(k0) / len(k0):.2f}; "
                                f"from {split_year}: {sum(k1) / len(k1):.2f}.")
        for y in opposed:
            competition.append(f"{y}: opposed UN voting (kappa ≤ {KAPPA_OPPOSED})")
    else:
        silent.append("no UN votes in the store for these years")
    if topic_kappa:
        findings.append(f"On '{topic_kappa['topic']}' roll calls {topic_kappa['years']}: kappa "
                        f"{topic_kappa['kappa']:.2f} over {topic_kappa['n']} votes.")
    same = [p["year"] for p in profiles if p["conflicts_same_side"]]
    opp = [p["year"] for p in profiles if p["conflicts_opposite_sides"]]
    if any(p["conflicts_same_side"] is not None for p in profiles):
        findings.append(f"UCDP armed conflicts: same side in {_span(same)}; opposite sides in {_span(opp)}.")
        competition += [f"{y}: opposite sides in a UCDP conflict" for y in opp]
    else:
        silent.append("no UCDP conflict data in the store")
    joint = [(p["year"], v["draft"]) for p in profiles for v in (p["joint_vetoes"] or [])]
    if joint:
        findings.append(f"Joint Security Council vetoes: {len(joint)} ({', '.join(d for _, d in joint[:6])}"
                        f"{' …' if len(joint) > 6 else ''}).")
    no_ev = [p["year"] for p in profiles if not (p["events"] and p["events"]["events"])]
    if no_ev:
        silent.append(f"no {a}–{b} events in the store for {_span(no_ev)}: what happened in those years "
                      "(visits, joint operations, strikes) cannot be seen in the event series")
    thin = [int(r["period"]) for r in ev if r["label"] == INSUFFICIENT]
    if thin:
        silent.append(f"too few events for a label in {_span(thin)}")
    timeline = content["summary"].get("timeline") or []
    runs = "; ".join(f"{r['verdict']} {r['from']}" + (f"–{r['to']}" if r["to"] != r["from"] else "")
                     for r in timeline if r["verdict"] != INSUFFICIENT)
    allied = any(r["verdict"] == "allied" for r in timeline)
    aligned = [r for r in timeline if r["verdict"] == "aligned partners"]
    if allied:
        concl = f"By the data, {a} and {b} are allies (a defence pact) — {runs}."
    elif aligned:
        concl = (f"By the data, {a}–{b} is an alignment short of an alliance: 'aligned partners' in "
                 f"{', '.join(str(r['from']) + ('–' + str(r['to']) if r['to'] != r['from'] else '') for r in aligned)}"
                 f", with no defence pact. Verdicts: {runs}. ")
        concl += ("The data show no sign of competition (no mixed or hostile year, no opposed voting, "
                  "no opposite war sides)." if not competition else
                  f"Signs of competition: {len(competition)} (listed below).")
    else:
        concl = f"Verdicts: {runs or 'none'}."
    return {"findings": findings, "competition": competition, "silent": silent, "conclusion": concl}
