"""The rule-based verdict on constructed evidence: each rule, and reasons that cite their numbers."""

from __future__ import annotations

import pytest

from dyadwatch.analysis import profile as P
from dyadwatch.analysis.relations import INSUFFICIENT


def _ev(label, net=0.9, n=3000, p=0.99):
    return {"label": label, "probability": p, "net_coop": net, "events": n}


def _profile(**kw):
    base = dict(a="IRN", b="RUS", year=2016, atop={"defense": 0, "offense": 0, "neutral": 1, "nonagg": 1,
                                                     "consul": 1},
                conflicts_same_side=[], conflicts_opposite_sides=[], joint_vetoes=[])
    base.update(kw)
    return P.YearProfile(**base)


SAME = [{"conflict_id": 299, "side": "A", "roles": "IRN secondary on side A, RUS secondary on side A"}]
OPP = [{"conflict_id": 42, "side": "A/B", "roles": "IRN primary on side A, RUS secondary on side B"}]


@pytest.mark.parametrize("kw, verdict, cited", [
    (dict(atop={"defense": 1, "offense": 0, "neutral": 0, "nonagg": 0, "consul": 0}, events=_ev("mixed", 0.1)),
     "allied", ["ATOP defence obligation in force in 2016"]),
    (dict(conflicts_opposite_sides=OPP, events=_ev("friendly")), "adversarial", ["UCDP conflict 42"]),
    (dict(events=_ev("hostile", -0.45, 800)), "adversarial", ["net cooperation -0.45 over 800 events"]),
    (dict(events=_ev("mixed", 0.05), voting={"kappa": -0.2, "agree": 0.3, "n": 80}), "adversarial",
     ["kappa -0.20 ≤ -0.1 over 80 roll calls"]),
    (dict(events=_ev("friendly", 0.93), voting={"kappa": 0.38, "agree": 0.75, "n": 104}), "aligned partners",
     ["kappa 0.38 ≥ 0.3 over 104 roll calls", "net cooperation 0.93 over 3000 events", "neutral, nonagg, consul"]),
    (dict(events=None, voting={"kappa": 0.34, "agree": 0.78, "n": 83}, conflicts_same_side=SAME),
     "aligned partners", ["kappa 0.34", "UCDP conflict 299"]),
    (dict(events=_ev("friendly", 0.9), voting={"kappa": 0.2, "agree": 0.7, "n": 90}), "cooperative",
     ["net cooperation 0.90"]),
    (dict(events=_ev("mixed", 0.1), voting={"kappa": 0.1, "agree": 0.6, "n": 90}), "competitive",
     ["cooperation and conflict both substantial"]),
    (dict(events=_ev("neutral", 0.4), voting={"kappa": -0.15, "agree": 0.3, "n": 70}), "competitive",
     ["kappa -0.15 ≤ -0.1 over 70 roll calls"]),
    (dict(events=None, voting={"kappa": 0.1, "agree": 0.6, "n": 90}), INSUFFICIENT,
     ["no events", "kappa 0.10 over 90 roll calls"]),
    # a kappa over fewer than MIN_VOTES roll calls is not evidence
    (dict(events=_ev("friendly", 0.9), voting={"kappa": 0.9, "agree": 0.9, "n": 5}), "cooperative", ["0.90"]),
])
def test_profile_verdict_rules(kw, verdict, cited):
    got, reasons = P.verdict(_profile(**kw))
    assert got == verdict
    text = " | ".join(reasons)
    for c in cited:
        assert c in text


def test_profile_verdict_silent_sources_are_not_evidence_against():
    # ATOP, UCDP and vetoes silent (None), events friendly: cooperative, and no "no defence pact" claim
    got, reasons = P.verdict(_profile(atop=None, conflicts_same_side=None, conflicts_opposite_sides=None,
                                      joint_vetoes=None, events=_ev("friendly")))
    assert got == "cooperative" and not any("ATOP" in r for r in reasons)
