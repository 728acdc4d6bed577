"""Event classes that live in the object noun (issue 12): permissions are concessions, refugees let in
are asylum, stopped operations are de-escalation, a state of siege is martial law, a released statement is a statement (CAMEO 1.1b3 codes in verb_patterns.yaml)."""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


@pytest.mark.parametrize("text, expected", [
    # CAMEO 08 yield (PLOVER CONCEDE): allowing something is a concession, not aid (07)
    ("Pakistan gave the Pentagon permission to use its airspace.", ("PAK", "USAMIL", "080")),
    ("The Syrian government gave approval for the United Nations to deliver aid.", ("SYRGOV", "*", "080")),
    ("Workers in Brazil called off a strike against the Brazilian government.", None),
    # CAMEO 075 grant asylum (PLOVER AID): opening the border to people fleeing, taking refugees in
    ("Germany opened its borders to one million refugees.", ("DEU", "REF", "075")),
    ("Canada accepted 2,000 Syrian refugees.", ("CAN", "SYRREF", "075")),
    # CAMEO 087 de-escalate military engagement (PLOVER RETREAT)
    ("The Syrian army ceased its military operations near Damascus.", ("SYRMIL", "SYR", "087")),
    # CAMEO 1724 impose state of emergency or martial law (PLOVER COERCE)
    ("The Bolivian government declared a state of siege in Pando.", ("BOLGOV", "*", "1724")),
    # CAMEO 173 legal action against a person
    ("An Indian court issued an arrest warrant against the Pakistani minister.", ("INDJUD", "PAKGOV", "173")),
    # CAMEO 074 peacekeeping: the operation noun's modifier decides, not 190
    ("Azerbaijani troops participate in peacekeeping operations in Afghanistan.", ("AZEMIL", "*", "074")),
])
def test_rules_class_lives_in_the_object_noun(code, text, expected):
    got = triples(code(text))
    if expected is None:  # calling off a strike: a concession (08), never a strike (14)
        assert got and all(t[2][:2] == "08" for t in got), got
    elif expected[1] == "*":  # (the target is another rule's business)
        assert (expected[0], expected[2]) in [(t[0], t[2]) for t in got], got
    else:
        assert expected in got, got


def test_rules_released_statement_is_not_a_release(code):
    got = triples(code("Iran released a statement criticising Israel."), statements=True)
    assert ("IRN", "ISR", "111") in got
    assert not [t for t in got if t[2].startswith("084")]


@pytest.mark.parametrize("text, expected", [
    # CAMEO 192 occupy territory: armed forces taking a place; police seizing goods stay 17x
    ("The Iraqi army took over Kirkuk.", ("IRQMIL", "IRQ", "192")),
    ("Iraqi troops seized large Kurdish oil fields near Kirkuk.", ("IRQMIL", "IRQ", "192")),
    ("Police seized a tanker in Lagos.", ("NGACOP", "*", "1711")),
    # CAMEO 074 peacekeeping, 0334 intent to provide it: a deployment's purpose decides, not 154 / 138
    ("Nigeria announced the deployment of 230 troops to Liberia on a peacekeeping mission.", ("NGA", "LBR", "074")),
    ("The US military sent 200 troops to Syria to serve as a peacekeeping force.", ("USAMIL", "SYR", "074")),
    ("Australia has offered to send troops to help the Philippine army.", ("AUS", "*", "0334")),
    ("Russia deployed troops to the Ukrainian border.", ("RUS", "*", "154")),
    # CAMEO 03 is intent to cooperate: an announced investigation stays 09
    ("The Iraqi government will investigate the Turkish embassy.", ("IRQGOV", "*", "090")),
    # agreeing to a ceasefire is an agreement (intent, 0356), declaring one is 0871
    ("Putin agreed to a ceasefire in eastern Ukraine.", ("RUSGOV", "UKR", "0356")),
    ("Putin declared a ceasefire in eastern Ukraine.", ("RUSGOV", "UKR", "0871")),
    # granting (a right, a request, an extension) is a concession (08); granting money is aid (07)
    ("The European Union granted the British government an extension.", ("IGOEUREEC", "GBRGOV", "080")),
    ("Japan granted Indonesia a loan of $1 billion.", ("JPN", "IDN", "071")),
])
def test_rules_class_by_what_and_what_for(code, text, expected):
    got = triples(code(text))
    if expected[1] == "*":
        assert (expected[0], expected[2]) in [(t[0], t[2]) for t in got], got
    else:
        assert expected in got, got


def test_rules_unit_seizure_and_purpose():
    from dyadwatch.coding.actors import ActorRef
    from dyadwatch.coding.violence import seizure

    army = ActorRef("the army", "IRQMIL", "IRQ", "MIL", "agent", (0, 8))
    police = ActorRef("police", "NGACOP", "NGA", "COP", "agent", (0, 6))
    town = ActorRef("Kirkuk", "IRQ", "IRQ", None, "place", (10, 16))
    ship = ActorRef("the tanker", "IRNBUS", "IRN", "BUS", "agent", (10, 20))
    assert seizure("171", army, town) == "192" and seizure("171", police, town) == "171"
    assert seizure("171", army, ship) == "171" and seizure("1711", army, town) == "1711"
    assert seizure("171", army, None) == "171"


@pytest.mark.parametrize("text, expected", [
    # a demand or an appeal is one whatever the act it asks for (CAMEO 100 / 020)
    ("The Thai police ordered the former prime minister to appear for questioning.", ("THACOP", "*", "100")),
    # an announced rejection is a threat (CAMEO 13), not an intent to cooperate (03)
    ("The Lebanese opposition said they will boycott the meeting with the Lebanese government.",
     ("LBNOPP", "LBNGOV", "130")),
    # CAMEO 139 give ultimatum
    ("The Philippine government gave Canada a deadline to remove the waste.", ("PHLGOV", "CAN", "139")),
])
def test_rules_class_of_demands_threats_and_deadlines(code, text, expected):
    got = triples(code(text))
    if expected[1] == "*":
        assert (expected[0], expected[2]) in [(t[0], t[2]) for t in got], got
    else:
        assert expected in got, got
    assert not [t for t in got if t[2][:2] in ("03", "07")], got


def test_rules_rejected_agreement_is_no_agreement(code):
    got = triples(code("The United States reneged on the nuclear accord with Iran."))
    assert ("USA", "IRN", "120") in got and not [t for t in got if t[2][:2] == "05"], got


def test_rules_sent_letter_is_a_statement_not_aid(code):
    got = triples(code("The US president sent a letter to the Iranian president threatening to cut trade."))
    assert not [t for t in got if t[2][:2] == "07"], got


@pytest.mark.parametrize("text, expected", [
    # a measure noun counts the event it names: exercises (062), not a round of negotiations (046)
    ("Jordan and the United States began a new round of joint military exercises.", ("JOR", "USA", "062")),
    ("Russia and Iran began a new round of talks in Geneva.", ("RUS", "IRN", "046")),
    # CAMEO 064 share intelligence or information, not aid
    ("The Swiss government gave account information to the Indian government.", ("CHEGOV", "INDGOV", "064")),
])
def test_rules_class_of_counted_events_and_information(code, text, expected):
    assert expected in triples(code(text))
