"""The verdict of a dyad-year: weighted signals for and against alignment, a label and a confidence.

Unit in: a :class:`dyadwatch.analysis.profile.YearProfile` (the evidence of
every source for one dyad-year, ``None`` where a source is silent). Unit
out: the signals (each with its weight, direction, source family and a
sentence citing its numbers), the alignment score ``A`` and antagonism score
``H`` (sums of the weights, in points), the label and its confidence.

Signals (weights in points; one point is one moderate piece of evidence)
-----------------------------------------------------------------------
For alignment:

- ATOP defence obligation in force: :data:`W_DEFENCE` (3); past the end of
  ATOP's coverage, a pact in force in its last year counts × the probability
  it is still in force (constant hazard of defence-pact dyads, estimated from
  ATOP 1946–; see :func:`dyadwatch.analysis.profile.defence_hazard`);
  consultation, neutrality or offence obligations without defence:
  :data:`W_OBLIGATION` (1); non-aggression only: :data:`W_NONAGG` (0.5; most
  are multilateral treaties such as the Treaty of Amity and Cooperation in
  Southeast Asia, which binds the US and China alike).
- Fighting on the same side of an armed conflict (UCDP/PRIO ACD, either role;
  COW inter-state war): :data:`W_SHARED_SIDE` (3) × 1/(n − 1), n the states on
  that side — each state's ties to its co-belligerents weigh 1 in total, the
  fractional counting of co-membership ties in affiliation networks (Newman
  2001, "Scientific collaboration networks II", *Physical Review E* 64,
  016132). Three states backing Syria (Syria, Russia, Iran) tie with 1.5;
  thirty-four contributors to the Mali mission with 0.09. Summed over
  conflicts, at most :data:`W_SHARED_SIDE`.
- Joint UN Security Council veto: :data:`W_JOINT_VETO` (1) per draft, at most 2.
- Close UN General Assembly voting (Cohen's kappa, Häge 2011) ≥
  :data:`KAPPA_CLOSE` over all roll calls, or ≥ :data:`KAPPA_TOPIC_CLOSE` on the
  topic: :data:`W_CLOSE_VOTING` (1) each. Kappa is high between most states
  of the Global South (India–Pakistan 0.55–0.67, Iran–Saudi Arabia 0.54–0.61
  in 2010–2014), so close voting weighs little; ideal-point distances (Bailey,
  Strezhnev & Voeten 2017) are not in the store, so kappa is the only vote
  measure used.
- A peaceful record: no MID, rivalry or war between the two in a year that
  the MID, rivalry and war data all cover: :data:`W_PEACEFUL` (0.5) — absence
  of hostility where the sources would have recorded it (never where they are
  silent).
- Events *friendly*: :data:`W_EVENTS_FRIENDLY` (1) × the label's posterior
  probability; *neutral*: half of it (relations.py's Dirichlet labels). Event
  data report far more cooperation than conflict between almost every pair
  (relations.py's calibration), so friendly events alone make a pair
  cooperative, not aligned.

Against alignment:

- At war with each other (COW inter-state war; Sarkees & Wayman 2010):
  :data:`W_WAR` (4).
- Opposite sides of a UCDP/PRIO armed conflict: both primary parties
  :data:`W_UCDP_AT_WAR` (4); one primary, one secondary (one fights against
  the other): :data:`W_UCDP_TARGET` (3); both secondary (a proxy
  confrontation): :data:`W_UCDP_PROXY` (1.5).
- A militarized interstate dispute (COW MID 5.0) in the year, by the dyad's
  hostility level (COW codebook: 2 threat, 3 display, 4 use of force, 5 war):
  :data:`W_MID` (1, 2, 3, 4); a fatal one (fatality band ≥ 1) adds
  :data:`W_MID_FATAL` (1); each further dispute that year adds 0.5 (at most 1).
- A Thompson–Dreyer strategic rivalry: :data:`W_RIVALRY` (2.5) when observed,
  × the probability it is still ongoing when presumed past the data's end
  (:mod:`dyadwatch.analysis.rivalries`). A strategic rivalry is the
  literature's own judgement that two states see each other as competitors
  and enemies (Thompson 2001), so a rivalry alone makes a pair competitive.
- Opposed UN voting: kappa ≤ :data:`KAPPA_OPPOSED` (−0.1): 1 + 5 × (−0.1 −
  kappa), at most 2 (kappa −0.25 → 1.75); −0.1 < kappa < 0: 0.5.
- Events *hostile*: :data:`W_EVENTS_HOSTILE` (3) × p; *mixed*: 1.5 × p.

Label (first rule that applies)
-------------------------------
``A`` and ``H`` are the sums of the weights for and against alignment.
*Force* means a signal of armed hostility between the two: at war, opposite
sides of an armed conflict with a primary party, a MID with use of force
(hostility ≥ 4) or deaths, or hostile events.

1. **insufficient evidence** — ``A + H <`` :data:`MIN_MASS`: the sources that
   cover the year say nothing either way;
2. **adversarial** — force, and ``H ≥ A``;
3. **competitive** — ``H ≥`` :data:`H_COMPETITIVE`, or ``H ≥ 1`` and ``H > A``
   (rivalry, disputes, opposed voting outweigh what ties them) — provided
   that at least :data:`H_BEYOND_VOTES` of ``H`` comes from a source other
   than UN votes, or the voting is strongly opposed (kappa ≤
   :data:`KAPPA_STRONGLY_OPPOSED`), or nothing points to alignment.
   Moderately opposed General Assembly voting alone does not make a pair
   competitive: it does not tell a rival from a partner of a state that
   votes apart from most of the Assembly (United States–China kappa −0.07 to
   −0.21 in 2010–2016, a strategic rivalry; United States–India −0.09 to
   −0.20, a strategic partnership; United States–Egypt −0.05 to −0.26;
   against United States–North Korea −0.46 in 2012, United States–Iran −0.14
   to −0.42; UN votes data set);
4. **allied** — an ATOP defence obligation (observed, or presumed with
   probability ≥ 0.5);
5. **aligned partners** — ``A ≥`` :data:`A_ALIGNED` from at least two source
   families (alliance obligations, shared war side, joint vetoes, UN voting,
   events, the peaceful record), one of them a tie that only aligned states
   share: ATOP obligations beyond non-aggression, a war side shared with at
   most six others (weight ≥ :data:`SPECIFIC_SIDE`), a joint veto, or close
   voting on the topic — friendly events and the close general voting of the
   Global South alone make partners "cooperative";
6. **cooperative** — ``A > 0``;
7. otherwise **insufficient evidence**.

A defence pact never makes a pair "allied" while rule 2 or 3 holds: the
reasons then say both (the pact, and the fighting or disputing). Alliance
members do fight each other (Bearce, Flanagan & Floros 2006, "Alliances,
Internal Information, and Military Conflict among Member-States",
*International Organization* 60(3): 595–625).

Confidence
----------
``p_align = (1 + A) / (2 + A + H)``: the share of the weighted evidence that
points to alignment, with one pseudo-point on each side (Laplace's rule of
succession), in (0, 1). The confidence of allied / aligned partners /
cooperative is ``p_align``; of competitive / adversarial ``1 − p_align``;
insufficient evidence has none. It says how one-sided the evidence is, not a
calibrated probability; the back-test (:mod:`dyadwatch.analysis.backtest`)
reports how often verdicts at each confidence were right.

The weights and thresholds were set on the tuning half of the back-test
table only (``tests/relations/backtest_dyad_years.csv``).
"""

from __future__ import annotations

from dyadwatch.codebooks.labels import ATOP_NAMES

from dataclasses import dataclass

INSUFFICIENT = "insufficient evidence"
VERDICTS = ("allied", "aligned partners", "cooperative", "competitive", "adversarial", INSUFFICIENT)

W_DEFENCE = 3.0
W_OBLIGATION = 1.0
W_NONAGG = 0.5
W_SHARED_SIDE = 3.0
W_JOINT_VETO = 1.0
MAX_JOINT_VETO = 2.0
W_CLOSE_VOTING = 1.0
W_EVENTS_FRIENDLY = 1.0
W_WAR = 4.0
W_UCDP_AT_WAR = 4.0
W_UCDP_TARGET = 3.0
W_UCDP_PROXY = 1.5
W_MID = {1: 0.5, 2: 1.0, 3: 2.0, 4: 3.0, 5: 4.0}
W_MID_FATAL = 1.0
W_MID_MORE = 0.5
W_RIVALRY = 2.5
W_EVENTS_HOSTILE = 3.0
W_PEACEFUL = 0.5
#: a shared side counts as a tie only aligned states share from this weight (at most 7 states on the side)
SPECIFIC_SIDE = 0.5

#: close voting over all roll calls of a year (Iran–Russia 0.23–0.36 2005–2019, UK–US 0.23–0.51)
KAPPA_CLOSE = 0.3
#: close voting on one topic (the camps of the Syrian war vote with kappa ≥ 0.8 inside a camp)
KAPPA_TOPIC_CLOSE = 0.6
#: opposed voting (Iran–USA −0.18 to −0.28, Russia–USA −0.06 to −0.17)
KAPPA_OPPOSED = -0.1
#: fewest common roll calls for a kappa to count
MIN_VOTES = 10

MIN_MASS = 0.75
H_COMPETITIVE = 2.0
#: points against alignment, from sources other than UN votes, that "competitive" needs (unless the voting is
#: strongly opposed or nothing points to alignment)
H_BEYOND_VOTES = 0.5
#: voting this opposed makes a pair competitive on its own: below the range in which the United States votes
#: with its rivals and its partners alike (-0.05 to -0.26 with China, India, Egypt, Saudi Arabia 2010-2016)
KAPPA_STRONGLY_OPPOSED = -0.3
A_ALIGNED = 2.0
#: a presumed defence pact counts as "allied" from this probability of still being in force
PRESUMED_MIN_P = 0.5


@dataclass
class Signal:
    """One piece of evidence: direction ``for`` or ``against`` alignment, weight in points."""

    direction: str
    weight: float
    family: str     # events, votes, alliances, wars, rivalries, disputes, vetoes
    text: str
    force: bool = False      # armed hostility between the two (rule 2)
    specific: bool = False   # a tie that only aligned states share (rule 5)

    def to_dict(self) -> dict:
        return {"direction": self.direction, "weight": round(self.weight, 3), "family": self.family,
                "text": self.text, "force": self.force, "specific": self.specific}



def _conflict(c: dict) -> str:
    """A UCDP conflict as a reader names it: ``Syria: Government (UCDP id 299)``."""
    return f"{c['conflict_name']} (UCDP id {c['conflict_id']})" if c.get("conflict_name") else str(c["conflict_id"])

def _f(x, nd=2) -> str:
    return "n/a" if x is None or x != x else f"{x:.{nd}f}"


def signals(p) -> list[Signal]:
    """The signals of a profile (see the module docstring), strongest first within each direction."""
    out: list[Signal] = []
    ev = p.events or {}
    label, prob = ev.get("label"), ev.get("probability") or 0.0
    from dyadwatch.analysis.relations import label_basis

    basis = label_basis(label, ev.get("net_coop"), ev.get("share_material_conflict"))
    ev_txt = (f"events {label} (p = {_f(prob)}; net cooperation {_f(ev.get('net_coop'))} over "
              f"{int(ev.get('events') or 0)} events" + (f"; {basis}" if basis else "")
              + ("; from a thin sample of the year's events" if (p.coverage or {}).get("events", {}).get("status")
                 == "thin" else "") + ")")
    if label == "friendly":
        out.append(Signal("for", W_EVENTS_FRIENDLY * prob, "events", ev_txt))
    elif label == "neutral":
        out.append(Signal("for", 0.5 * W_EVENTS_FRIENDLY * prob, "events", ev_txt))
    elif label == "hostile":
        out.append(Signal("against", W_EVENTS_HOSTILE * prob, "events", ev_txt, force=True))
    elif label == "mixed":
        out.append(Signal("against", 0.5 * W_EVENTS_HOSTILE * prob, "events",
                          ev_txt + " — cooperation and conflict both substantial"))
    v, vt = p.voting, p.voting_topic
    if v and v.get("n", 0) >= MIN_VOTES and v.get("kappa") is not None:
        k = v["kappa"]
        if k >= KAPPA_CLOSE:
            out.append(Signal("for", W_CLOSE_VOTING, "votes",
                              f"close UN voting: kappa {_f(k)} ≥ {KAPPA_CLOSE} over {v['n']} roll calls"))
        elif k <= KAPPA_OPPOSED:
            out.append(Signal("against", min(2.0, 1.0 + 5.0 * (KAPPA_OPPOSED - k)), "votes",
                              f"opposed UN voting: kappa {_f(k)} ≤ {KAPPA_OPPOSED} over {v['n']} roll calls"))
        elif k < 0:
            out.append(Signal("against", 0.5, "votes",
                              f"slightly opposed UN voting: kappa {_f(k)} < 0 over {v['n']} roll calls"))
    if vt and vt.get("n", 0) >= MIN_VOTES and vt.get("kappa") is not None and vt["kappa"] >= KAPPA_TOPIC_CLOSE:
        out.append(Signal("for", W_CLOSE_VOTING, "votes",
                          f"close UN voting on '{vt['topic']}': kappa {_f(vt['kappa'])} ≥ {KAPPA_TOPIC_CLOSE} "
                          f"over {vt['n']} roll calls", specific=True))
    at = p.atop
    if at:
        if at.get("defense"):
            pr = at.get("presumed_p", 1.0)
            txt = (f"ATOP defence obligation in force in {p.year}" if pr >= 1.0 else
                   f"ATOP defence obligation in force in {at.get('last_year')} (ATOP's last year), presumed in "
                   f"force in {p.year} with probability {_f(pr)}")
            out.append(Signal("for", W_DEFENCE * pr, "alliances", txt, specific=True))
        else:
            other = [k for k in ("offense", "neutral", "consul") if at.get(k)]
            if other:
                out.append(Signal("for", W_OBLIGATION, "alliances",
                                  "ATOP obligations short of defence: " + ", ".join(
                                      ATOP_NAMES[k] for k in (*other, *(["nonagg"] if at.get("nonagg") else []))),
                                  specific=True))
            elif at.get("nonagg"):
                out.append(Signal("for", W_NONAGG, "alliances", "ATOP non-aggression obligation only"))
    shared = 0.0
    for c in p.conflicts_same_side or []:
        n = max(2, int(c.get("n_side") or 2))
        w = W_SHARED_SIDE / (n - 1)
        shared += w
        out.append(Signal("for", w, "wars", f"same side (side {c['side']}) in UCDP conflict {_conflict(c)}, one "
                                            f"of {n} states on it ({c['roles']})", specific=w >= SPECIFIC_SIDE))
    for w_ in (p.wars_cow or {}).get("same", []):
        n = max(2, int(w_["n_side"]))
        shared += W_SHARED_SIDE / (n - 1)
        out.append(Signal("for", W_SHARED_SIDE / (n - 1), "wars", _war_text(w_, p, "same"),
                          specific=W_SHARED_SIDE / (n - 1) >= SPECIFIC_SIDE))
    if shared > W_SHARED_SIDE:  # cap the sum: scale the shared-side signals down
        for s in out:
            if s.family == "wars" and s.direction == "for":
                s.weight *= W_SHARED_SIDE / shared
    vetoes = p.joint_vetoes or []
    for i, vto in enumerate(vetoes):
        w = W_JOINT_VETO if i < MAX_JOINT_VETO / W_JOINT_VETO else 0.0
        if w:
            out.append(Signal("for", w, "vetoes", f"joint UNSC veto of {vto['draft']} on {vto['date']}",
                              specific=True))
    for c in p.conflicts_opposite_sides or []:
        roles = c.get("roles", "")
        ra, rb = c.get("role_a"), c.get("role_b")
        if ra == "primary" and rb == "primary":
            w, force = W_UCDP_AT_WAR, True
        elif "primary" in (ra, rb):
            w, force = W_UCDP_TARGET, True
        else:
            w, force = W_UCDP_PROXY, False
        out.append(Signal("against", w, "wars", f"opposite sides in UCDP conflict {_conflict(c)} ({roles})",
                          force=force))
    for w_ in (p.wars_cow or {}).get("opposite", []):
        out.append(Signal("against", W_WAR, "wars", _war_text(w_, p, "opposite"), force=True))
    mids = sorted(p.disputes or [], key=lambda d: (-(d["hostlev"] or 0), -(d["fatality"] or 0)))
    for i, d in enumerate(mids):
        from dyadwatch.analysis.disputes import describe

        base = W_MID.get(d["hostlev"] or 1, 0.5)
        fatal = bool(d["fatality"] and d["fatality"] >= 1)
        w = base + (W_MID_FATAL if fatal else 0.0) if i == 0 else min(W_MID_MORE, 1.0)
        if i >= 3:
            w = 0.0
        if w:
            out.append(Signal("against", w, "disputes", describe(d, p.a, p.b),
                              force=(d["hostlev"] or 0) >= 4 or fatal))
    for r in p.rivalries or []:
        from dyadwatch.analysis.rivalries import describe as rdesc

        out.append(Signal("against", W_RIVALRY * r["presumed_p"], "rivalries", rdesc(r)))
    cov = p.coverage or {}
    if (all(cov.get(f, {}).get("status") == "covered" for f in ("wars", "rivalries", "disputes"))
            and p.rivalries == [] and p.disputes == [] and not p.conflicts_opposite_sides
            and not (p.wars_cow or {}).get("opposite")):
        out.append(Signal("for", W_PEACEFUL, "record",
                          f"no militarized dispute (COW MID), strategic rivalry (Thompson–Dreyer) or war (UCDP, "
                          f"COW) between them in {p.year}, which these sources cover"))
    return out


def _war_text(item, p, rel):
    from dyadwatch.analysis.interstate_wars import describe

    return describe(item, p.a, p.b, rel)


def classify(p) -> tuple[str, list[Signal], float, float, float | None]:
    """``(verdict, signals, A, H, confidence)`` of a profile by the rules of the module docstring."""
    sig = signals(p)
    a = sum(s.weight for s in sig if s.direction == "for")
    h = sum(s.weight for s in sig if s.direction == "against")
    force = any(s.force for s in sig)
    p_align = (1.0 + a) / (2.0 + a + h)
    defence = bool(p.atop and p.atop.get("defense") and p.atop.get("presumed_p", 1.0) >= PRESUMED_MIN_P)
    families = {s.family for s in sig if s.direction == "for" and s.weight > 0}
    specific = any(s.specific and s.weight > 0 for s in sig)
    if a + h < MIN_MASS:
        return INSUFFICIENT, sig, a, h, None
    h_votes = sum(s.weight for s in sig if s.direction == "against" and s.family == "votes")
    v = p.voting or {}
    strong = v.get("n", 0) >= MIN_VOTES and v.get("kappa") is not None and v["kappa"] <= KAPPA_STRONGLY_OPPOSED
    beyond_votes = (h - h_votes) >= H_BEYOND_VOTES or strong or a <= 0
    if force and h >= a:
        verdict = "adversarial"
    elif (h >= H_COMPETITIVE or (h >= 1.0 and h > a)) and beyond_votes:
        verdict = "competitive"
    elif defence:
        verdict = "allied"
    elif a >= A_ALIGNED and len(families) >= 2 and specific:
        verdict = "aligned partners"
    elif a > 0:
        verdict = "cooperative"
    else:
        return INSUFFICIENT, sig, a, h, None
    conf = 1.0 - p_align if verdict in ("competitive", "adversarial") else p_align
    return verdict, sig, a, h, conf


def reasons(verdict: str, sig: list[Signal], a: float, h: float, conf: float | None, p) -> list[str]:
    """The reasons of a verdict: a summary sentence with both scores, the signals, the pact caveat."""
    out = []
    if verdict == INSUFFICIENT:
        out.append(f"too little evidence either way in {p.year}: for alignment {a:.1f} points, against {h:.1f} "
                   f"(at least {MIN_MASS} needed)")
    else:
        out.append(f"{verdict} (confidence {conf:.2f}): for alignment {a:.1f} points, against {h:.1f}")
    against = sorted((s for s in sig if s.direction == "against"), key=lambda s: -s.weight)
    for_ = sorted((s for s in sig if s.direction == "for"), key=lambda s: -s.weight)
    for s in against:
        out.append(f"against alignment (+{s.weight:.1f}): {s.text}")
    for s in for_:
        out.append(f"for alignment (+{s.weight:.1f}): {s.text}")
    if verdict in ("competitive", "adversarial") and p.atop and p.atop.get("defense"):
        what = {"wars": "fight each other", "disputes": "have a militarized dispute", "rivalries": "are strategic rivals",
                "events": "exchange hostile or mixed events", "votes": "vote against each other"}
        fams = [f for f in ("wars", "disputes", "rivalries", "events", "votes")
                if any(s.family == f and s.direction == "against" for s in sig)]
        acts = [what[f] for f in fams]
        acts = ", ".join(acts[:-1]) + (" and " if len(acts) > 1 else "") + acts[-1]
        out.append(f"a defence pact is in force (ATOP), yet the two {acts}: they are "
                   f"formal allies and {verdict} at once — the pact does not make them allied in practice")
    elif (verdict not in ("competitive", "adversarial") and (h >= H_COMPETITIVE or (h >= 1.0 and h > a))
          and not any(s.direction == "against" and s.family != "votes" and s.weight > 0 for s in sig)):
        out.append(f"moderately opposed UN voting is the only evidence against alignment in {p.year}, and it does "
                   f"not make a pair competitive (kappa above {KAPPA_STRONGLY_OPPOSED}): it does not tell a rival from a "
                   "partner of a state that votes apart from most of the General Assembly")
    elif verdict == "aligned partners" and p.atop is not None and not p.atop.get("defense"):
        out.append(f"no ATOP defence pact in {p.year}: alignment short of an alliance")
    return out
