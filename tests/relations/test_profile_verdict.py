"""The verdict on constructed evidence: each rule, the weights, the confidence, and reasons that cite numbers."""

from __future__ import annotations

import pytest

from dyadwatch.analysis import profile as P
from dyadwatch.analysis import verdict as V
from dyadwatch.analysis.relations import INSUFFICIENT

NO_OBLIGATION = {"defense": 0, "offense": 0, "neutral": 0, "nonagg": 0, "consul": 0}
PARTNERSHIP = {"defense": 0, "offense": 0, "neutral": 1, "nonagg": 1, "consul": 1}
PACT = {"defense": 1, "offense": 0, "neutral": 0, "nonagg": 1, "consul": 1}


def _ev(label, net=0.9, n=3000, p=1.0):
    return {"label": label, "probability": p, "net_coop": net, "events": n}


def _same(cid, n_side):
    return {"conflict_id": cid, "side": "A", "n_side": n_side, "role_a": "secondary", "role_b": "secondary",
            "roles": "IRN secondary on side A, RUS secondary on side A"}


def _opp(cid, ra, rb):
    return {"conflict_id": cid, "side": "A/B", "role_a": ra, "role_b": rb, "n_side": None,
            "roles": f"IRN {ra} on side A, RUS {rb} on side B"}


def _mid(hostlev, fatality=0, disp=4585):
    return {"dispnum": disp, "hostlev_a": hostlev, "hostlev_b": hostlev, "hostlev": hostlev, "hostlev_dispute": hostlev,
            "fatality": fatality, "fatalities": None, "onset": True, "revisionist": [], "originator": [],
            "outcome": None}


def _riv(observed=True, p=1.0):
    return {"rivalryno": 107, "name": "India-Pakistan", "types": ["positional", "spatial"], "styear": 1947,
            "endyear": 2010, "ongoing_at_end": True, "coverage_end": 2010, "observed": observed, "presumed_p": p}


def _profile(**kw):
    base = dict(a="IRN", b="RUS", year=2016, atop=PARTNERSHIP, conflicts_same_side=[], conflicts_opposite_sides=[],
                joint_vetoes=[], wars_cow=None, disputes=None, rivalries=None)
    base.update(kw)
    return P.YearProfile(**base)


@pytest.mark.parametrize("kw, verdict, a, h, cited", [
    # a defence pact and nothing against: allied (3 + events 1)
    (dict(atop=PACT, events=_ev("friendly")), "allied", 4.0, 0.0, ["ATOP defence obligation in force in 2016"]),
    # a defence pact while they use force against each other: adversarial, and the pact is said
    (dict(atop=PACT, disputes=[_mid(4, fatality=1)], rivalries=[_riv()]), "adversarial", 3.0, 6.5,
     ["MID 4585", "use of force", "a defence pact is in force (ATOP), yet"]),
    # a pact and a display of force only: competitive, the pact said
    (dict(atop=PACT, events=_ev("friendly"), disputes=[_mid(3)]), "competitive", 4.0, 2.0,
     ["display of force", "yet the two have a militarized dispute: they are formal allies and competitive at once"]),
    # both primary parties on opposite sides of a UCDP conflict: adversarial
    (dict(conflicts_opposite_sides=[_opp(42, "primary", "primary")], events=_ev("friendly")), "adversarial",
     2.0, 4.0, ["opposite sides in UCDP conflict 42"]),
    # a proxy confrontation (both secondary) is no force: competitive when it outweighs the ties
    (dict(atop=NO_OBLIGATION, conflicts_opposite_sides=[_opp(42, "secondary", "secondary")], events=_ev("neutral")),
     "competitive", 0.5, 1.5, ["opposite sides in UCDP conflict 42"]),
    # hostile events: adversarial (3 x p)
    (dict(atop=NO_OBLIGATION, events=_ev("hostile", -0.45, 800)), "adversarial", 0.0, 3.0,
     ["net cooperation -0.45 over 800 events"]),
    # a rivalry alone (observed): competitive
    (dict(atop=NO_OBLIGATION, events=_ev("friendly"), rivalries=[_riv()]), "competitive", 1.0, 2.5,
     ["strategic rivalry India-Pakistan", "ongoing at the end of coverage in 2010"]),
    # co-belligerents (3 on the side: weight 3/2) + close voting + partnership: aligned partners
    (dict(events=None, voting={"kappa": 0.34, "agree": 0.78, "n": 83}, conflicts_same_side=[_same(299, 3)]),
     "aligned partners", 3.5, 0.0, ["kappa 0.34", "UCDP conflict 299, one of 3 states", "no ATOP defence pact"]),
    # one of 35 on a side: 3/34 — friendly events and G77-style close voting alone make partners cooperative
    (dict(atop=NO_OBLIGATION, events=_ev("friendly"), voting={"kappa": 0.55, "agree": 0.9, "n": 88},
          conflicts_same_side=[_same(11347, 35)]), "cooperative", 2.0 + 3 / 34, 0.0, ["one of 35 states"]),
    # opposed voting of -0.2: 1 + 5 x 0.1 = 1.5 against, more than the neutral events (0.5) — but moderately
    # opposed voting alone does not make a pair competitive (US-India votes as far apart as US-China)
    (dict(atop=NO_OBLIGATION, events=_ev("neutral", 0.4), voting={"kappa": -0.2, "agree": 0.3, "n": 70}),
     "cooperative", 0.5, 1.5, ["kappa -0.20 ≤ -0.1 over 70 roll calls",
                               "moderately opposed UN voting is the only evidence against alignment in 2016"]),
    # ... strongly opposed voting (-0.46: 1 + 5 x 0.36, capped at 2) does
    (dict(atop=NO_OBLIGATION, events=_ev("neutral", 0.4), voting={"kappa": -0.46, "agree": 0.2, "n": 85}),
     "competitive", 0.5, 2.0, ["kappa -0.46 ≤ -0.1 over 85 roll calls"]),
    # ... and so does moderate opposition when nothing points to alignment
    (dict(atop=NO_OBLIGATION, events=None, voting={"kappa": -0.2, "agree": 0.3, "n": 70}),
     "competitive", 0.0, 1.5, ["kappa -0.20 ≤ -0.1 over 70 roll calls"]),
    # ... and with other evidence against (a mixed-events year, 1.5 x 0.5), opposed voting counts in full
    (dict(atop=NO_OBLIGATION, events=_ev("mixed", 0.1, p=0.5), voting={"kappa": -0.2, "agree": 0.3, "n": 70},
          conflicts_same_side=[_same(11347, 35)]), "competitive", 3 / 34, 2.25, ["cooperation and conflict both"]),
    # silence everywhere but a middling kappa: insufficient evidence
    (dict(atop=None, conflicts_same_side=None, conflicts_opposite_sides=None, joint_vetoes=None, events=None,
          voting={"kappa": 0.1, "agree": 0.6, "n": 90}), INSUFFICIENT, 0.0, 0.0, ["too little evidence"]),
    # a kappa over fewer than MIN_VOTES roll calls is not evidence
    (dict(atop=NO_OBLIGATION, events=_ev("friendly"), voting={"kappa": 0.9, "agree": 0.9, "n": 5}), "cooperative",
     1.0, 0.0, ["net cooperation 0.90"]),
])
def test_verdict_rules_weights_and_reasons(kw, verdict, a, h, cited):
    p = _profile(**kw)
    got, reasons = P.verdict(p)
    assert got == verdict
    assert p.score_for == pytest.approx(a, abs=1e-3) and p.score_against == pytest.approx(h, abs=1e-3)
    text = " | ".join(reasons)
    for c in cited:
        assert c in text
    if verdict != INSUFFICIENT:  # confidence = (1 + A) / (2 + A + H), or its complement for the antagonistic labels
        share = (1 + a) / (2 + a + h)
        assert p.confidence == pytest.approx(1 - share if verdict in ("competitive", "adversarial") else share,
                                             abs=1e-3)
    else:
        assert p.confidence is None


def test_verdict_presumed_rivalry_weighs_by_its_survival_probability():
    p = _profile(atop=NO_OBLIGATION, events=_ev("friendly"), rivalries=[_riv(observed=False, p=0.93)])
    got, reasons = P.verdict(p)
    assert p.score_against == pytest.approx(2.5 * 0.93)
    assert got == "competitive" and any("presumed still ongoing" in r and "0.93" in r for r in reasons)


def test_verdict_mid_weights_by_hostility_fatality_and_further_disputes():
    p = _profile(atop=NO_OBLIGATION, disputes=[_mid(2, disp=1), _mid(4, fatality=2, disp=2), _mid(3, disp=3)])
    P.verdict(p)
    # the gravest (use of force, fatal) 3 + 1, then 0.5 for each further dispute
    assert p.score_against == pytest.approx(4.0 + 0.5 + 0.5)


def test_verdict_shared_sides_are_capped():
    p = _profile(atop=NO_OBLIGATION, events=None, conflicts_same_side=[_same(1, 2), _same(2, 2), _same(3, 3)])
    P.verdict(p)
    assert p.score_for == pytest.approx(V.W_SHARED_SIDE)  # 3 + 3 + 1.5 capped at 3


def test_verdict_silent_sources_are_not_evidence_against():
    # ATOP, UCDP, vetoes, MIDs and rivalries silent (None), events friendly: cooperative, and no claim about them
    p = _profile(atop=None, conflicts_same_side=None, conflicts_opposite_sides=None, joint_vetoes=None,
                 events=_ev("friendly"))
    got, reasons = P.verdict(p)
    assert got == "cooperative" and not any("ATOP" in r or "MID" in r for r in reasons)


def test_verdict_peaceful_record_counts_only_where_the_sources_cover_the_year():
    covered = {f: {"status": "covered", "text": f} for f in ("wars", "rivalries", "disputes")}
    p = _profile(atop=NO_OBLIGATION, events=None, disputes=[], rivalries=[], wars_cow={"opposite": [], "same": []},
                 coverage=covered)
    P.verdict(p)
    assert p.score_for == pytest.approx(V.W_PEACEFUL)
    q = _profile(atop=NO_OBLIGATION, events=None, disputes=None, rivalries=None,
                 coverage={**covered, "disputes": {"status": "silent", "text": "MID data end in 2014"}})
    P.verdict(q)
    assert q.score_for == 0.0
