"""Kinds of sentences that got no event (issue 12): agentless passives of state acts, "let free",
statement verbs whose object is an event, and discards naming an epidemic or a natural hazard.
Sentences are constructed here, of the same kinds."""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


def _with_texts(events):
    return [(e["cameo_code"], e["source"]["code"], e["source"]["text"], e["target"] and e["target"]["text"])
            for e in events if e["cameo_root"] != "01"]


@pytest.mark.parametrize("text, expected", [
    # CAMEO 173 arrest, 0841 release, 166 expel: only a state's authorities do them; the place is the state
    ("The journalist Anna Petrova was arrested in Belarus on Tuesday.",
     ("173", "BLR", "Belarus", "journalist Anna Petrova")),
    ("Two French aid workers have been released from captivity in Mali.",
     ("0841", "MLI", "Mali", "French aid workers")),
])
def test_no_event_agentless_state_act_takes_the_place_as_source(code, text, expected):
    got = _with_texts(code(text))
    assert got == [expected]  # the target is the one arrested / freed (the passive subject)


@pytest.mark.parametrize("text", [
    "The journalist Anna Petrova was killed in Belarus on Tuesday.",  # anyone may kill: no state source
    "The journalist Anna Petrova was arrested by rebels in Mali.",  # the agent is the source
    "The journalist Anna Petrova was arrested for crimes committed in Mali.",  # the place of another verb
])
def test_no_event_place_is_no_source_of_other_passives(code, text):
    assert not [e for e in code(text) if e["source"]["code"] in ("BLR", "MLI")]


@pytest.mark.parametrize("text, expected", [
    # no place, but the state organ whose act the release followed
    ("The opposition leader was freed on Monday after the Kenyan government dropped the charges.",
     ("0841", "KENGOV")),
])
def test_no_event_agentless_state_act_after_a_state_organs_act(code, text, expected):
    assert expected in [(c, s) for s, _, c in triples(code(text))]


def test_no_event_after_clause_of_a_non_state_subject_is_no_source(code):
    got = triples(code("The opposition leader was freed on Monday after the Kenyan protesters marched."))
    assert not [t for t in got if t[2] == "0841"]


def test_no_event_place_authority_unit(coder):
    from dyadwatch.coding.authorities import is_state_act

    assert is_state_act("173") and is_state_act("1662") and is_state_act("0841")
    assert not is_state_act("190") and not is_state_act("171") and not is_state_act("084")


@pytest.mark.parametrize("text, expected", [
    ("Egypt let free 20 political prisoners.", ("EGY", "0841")),
    ("Myanmar let free the opposition leader.", ("MMR", "0841")),
])
def test_no_event_let_free_is_a_release(code, text, expected):
    got = triples(code(text))
    assert [(s, c) for s, _, c in got] == [expected]


@pytest.mark.parametrize("text, expected", [
    # CAMEO codes the act a statement performs: 051 praise/endorse, 0871 declare ceasefire, 1724 state of emergency
    ("France declared its support for the Iraqi government.", ("FRA", "IRQGOV", "051")),
    ("The Sudanese government declared a cessation of hostilities in Darfur.", ("SDNGOV", "SDN", "0871")),
])
def test_no_event_statement_of_an_event_is_that_event(code, text, expected):
    assert expected in triples(code(text))


def test_no_event_plain_declaration_stays_a_statement(code):
    got = triples(code("France declared that the talks with Iran had ended."), statements=True)
    assert ("FRA", None, "010") in got or any(t[0] == "FRA" and t[2] == "010" for t in got)


def test_no_event_hazard_discards_keep_the_sentence(tmp_path):
    from dyadwatch.coding.coder import Coder
    from dyadwatch.coding.dictionaries.discards import Discard
    from dyadwatch.coding.documents import Document

    assert Discard(("ebola",), True, False, 1).hazard and Discard(("tropical", "storm"), True, False, 2).hazard
    assert not Discard(("cricket",), True, False, 3).hazard and not Discard(("2014",), True, False, 4).hazard
    (tmp_path / "t.discards.txt").write_text("EBOLA\nCRICKET\n")
    coder = Coder(dictionaries=[str(tmp_path)], fetched=False)
    aid, _ = coder.code([Document("a", None, "Germany sent medical aid to Liberia to fight the Ebola epidemic.")])
    assert ("DEU", "LBR", "073") in [(s, t, c[:3]) for s, t, c in triples(aid)]
    sport, _ = coder.code([Document("b", None, "Germany sent medical aid to Liberia after the cricket match.")])
    assert sport == []


@pytest.mark.parametrize("text, expected", [
    # a thing or an act as subject: the agent of its reduced passive, or its "by" phrase, did it
    ("The rockets fired by the Israeli army struck a Syrian army base.", ("ISR", "SYRMIL", "190")),
    # a verb hung under a noun the parser made the root: the noun is the subject
    # (RUS with the built-in dictionaries; RUSBUS with the fetched agents, "tycoon")
    ("Mikhail Ivanov, a former Russian oil tycoon, called for sanctions against Belarus.", ("RUS", "BLR", "113")),
])
def test_no_event_subject_the_parser_missed(code, text, expected):
    got = triples(code(text))
    assert [(s[:3], t, c) for s, t, c in got] == [expected]


def test_no_event_reduced_passive_is_no_event_of_its_own(code):
    # "warplanes supported by Russia": no support event by Russia beside the attack
    got = triples(code("Syrian warplanes supported by Russia bombed the town of Idlib."))
    assert not [t for t in got if t[0] == "RUS"]
    assert any(t[0] == "SYRMIL" and t[2][:2] == "19" for t in got)


@pytest.mark.parametrize("text, expected", [
    ("Japan lent $2 billion to Sri Lanka.", ("JPN", "LKA", "071")),  # CAMEO 071 economic aid: loans
    ("The United States reduced tariffs on Chinese goods.", ("USA", "CHN", "085")),  # 085 ease economic sanctions
    # a refusal conditioned on another's act is directed at that actor (1242 refuse to ease popular dissent)
    ("The Kenyan teachers said they will not end the strike until the government pays them.",
     ("KENEDU", "GOV", "1242")),
])
def test_no_event_lexicon_kinds(code, text, expected):
    assert expected in triples(code(text))


def test_no_event_model_keeps_the_class_an_event_noun_names(coder):
    """A model that finds AID everywhere re-classes a verb's event but not an event noun's (a visit is 042)."""
    import numpy as np

    from dyadwatch.coding.documents import Document
    from dyadwatch.coding.model import EventModel

    model = EventModel(["AID", "CONSULT"], [], np.zeros((0, 2), np.float32), np.array([5.0, 0.0]),
                       np.zeros(0, np.float32), np.zeros(0, np.float32), threshold=0.4, margin=0.3, floor=0.0)
    saved = coder.model
    coder.model = model
    try:
        noun, _ = coder.code([Document("n", None, "In a visit to Tehran, Putin criticized Iran.")])
        verb, _ = coder.code([Document("v", None, "Putin met Rouhani in Tehran.")])
    finally:
        coder.model = saved
    assert ("RUSGOV", "IRN", "042") in triples(noun)
    assert triples(verb) == [("RUSGOV", "IRNGOV", "070")]  # the verb's 040 re-classed
