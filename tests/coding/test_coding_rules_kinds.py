"""Rules that fix kinds of sentences (issue 12): conditions are not events, an event noun after
"after"/"following" is not the subject's act, non-state bombings are unconventional violence (18x)."""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


@pytest.mark.parametrize("text", [
    "If Iran attacks Israel, the United States would respond.",
    "Unless Turkey withdraws its troops, Syria will not negotiate.",
])
def test_rules_conditions_are_not_events(code, text):
    assert not [t for t in triples(code(text)) if t[2][:2] in ("19", "08")]


def test_rules_event_noun_after_the_act_is_not_the_subjects(code):
    got = triples(code("Saudi Arabia expelled the Iranian ambassador after the attack on its embassy."))
    assert ("SAU", "IRNGOV", "161") in got
    assert not [t for t in got if t[2][:2] in ("18", "19", "20")]


def test_rules_event_noun_of_the_subjects_own_visit_still_coded(code):
    assert ("RUSGOV", "IRN", "042") in triples(code("In a visit to Tehran, Putin criticized Iran."))


@pytest.mark.parametrize("text, expected", [
    ("Rebels bombed a market in Aleppo.", ("SYRREB", "SYR", "183")),
    ("Russian jets bombed rebels in Aleppo.", ("RUSMIL", "SYRREB", "195")),
])
def test_rules_bombing_by_perpetrator(code, text, expected):
    assert expected in triples(code(text))


def test_rules_violence_by_perpetrator_unit():
    from dyadwatch.coding.actors import ActorRef
    from dyadwatch.coding.violence import by_perpetrator

    rebels = ActorRef("rebels", "SYRREB", "SYR", "REB", "agent", (0, 6))
    group = ActorRef("Hezbollah", "LBNREB", "LBN", None, "group", (0, 9))
    jets = ActorRef("jets", "RUSMIL", "RUS", "MIL", "agent", (0, 4))
    assert by_perpetrator("195", rebels) == "183" and by_perpetrator("195", group) == "183"
    irgc = ActorRef("the IRGC", "IRNMIL", "IRN", "MIL", "group", (0, 8))  # a state force, named as a group
    assert by_perpetrator("195", jets) == "195" and by_perpetrator("190", rebels) == "190"
    assert by_perpetrator("195", irgc) == "195"


@pytest.mark.parametrize("text, expected", [
    # a negated intention to cooperate is a refusal (CAMEO 1243 refuse to release persons, 1241 ease sanctions)
    ("Israel will not release the Palestinian prisoners.", ("ISR", "PSECVL", "1243")),
    ("The Turkish government said it would not lift the ban on Dutch flights.", ("TURGOV", "NLD", "1241")),
    ("Egypt will not meet Ethiopia on Monday.", ("EGY", "ETH", "125")),
])
def test_rules_negated_intention_is_a_refusal(code, text, expected):
    assert triples(code(text)) == [expected]


@pytest.mark.parametrize("text", [
    "Israel did not release the Palestinian prisoners.",  # a negated past act: nothing happened
    "Iran will not attack Iraq.",  # not attacking refuses no cooperation
    "Egypt may not meet Ethiopia on Monday.",  # speculation
])
def test_rules_negated_acts_that_are_no_refusal(code, text):
    assert triples(code(text)) == []
