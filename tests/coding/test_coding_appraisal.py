"""Verbs of calling and describing (issue 12): a telephone call, or a judgement whose class is the
polarity of its complement (dyadwatch.coding.appraisal)."""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


@pytest.mark.parametrize("text, expected", [
    # the flagship's 2017 sentence: praise of a collaboration is support (051), not disapproval
    ("In a visit to Tehran in November 2017, the Russian President Vladimir Putin called the collaboration "
     "with Iran on the Syrian issue \u201cproductive\u201d.", ("RUSGOV", "IRN", "051")),
    ("Merkel described the talks with Russia as constructive.", ("DEUGOV", "RUS", "051")),
    ("The US State Department called the Russian decision illegal.", ("USAGOV", "RUS", "111")),
    ("Erdogan called the Israeli raid a crime against humanity.", ("TURGOV", "ISR", "111")),
])
def test_appraisal_judgement_class_is_the_complements_polarity(code, text, expected):
    assert expected in triples(code(text))
    assert not [t for t in triples(code(text)) if t[:2] == expected[:2] and t[2][:2] in ("02", "10", "06")]


@pytest.mark.parametrize("text, expected", [
    ("Putin called Rouhani on Tuesday to congratulate him on his election.", ("RUSGOV", "IRNGOV", "051")),
    ("Lavrov called Zarif to discuss the situation in Syria.", ("RUSGOV", "IRNGOV", "041")),
    ("Erdogan called Putin on Friday, discussing the crisis in Idlib.", ("TURGOV", "RUSGOV", "041")),
    ("Merkel called Putin.", ("DEUGOV", "RUSGOV", "041")),
    ("Rouhani called Putin to express his support for Russia.", ("IRNGOV", "RUSGOV", "051")),
])
def test_appraisal_telephone_call_or_its_supportive_purpose(code, text, expected):
    got = triples(code(text))
    assert expected in got
    assert not [t for t in got if t[2][:2] == "02"]  # not an appeal


@pytest.mark.parametrize("text, expected", [
    ("Russia called on Iran to release the sailors.", ("RUS", "IRN", "0253")),
    ("The European Union called for talks with Iran.", ("IGOEUREEC", "IRN", "026")),
])
def test_appraisal_appeals_stay_appeals(code, text, expected):
    assert expected in triples(code(text))


def test_appraisal_negated_call_is_no_event(code):
    assert not [t for t in triples(code("Putin did not call Erdogan.")) if t[2] == "041"]


def test_appraisal_polarity_unit():
    from dyadwatch.coding import nlp
    from dyadwatch.coding.appraisal import complement, polarity

    parse = nlp.load()
    for text, want in [("They called the meeting productive and useful.", 1),
                       ("They called the plan dangerous.", -1),
                       ("They called the plan anti-people.", -1),
                       ("They described the talks as not productive.", -1),
                       ("They called the plan Plan B.", 0)]:
        doc = parse(text)
        comp = complement(doc[1])
        assert comp is not None and polarity(comp) == want, text


@pytest.mark.parametrize("text, expected", [
    ("The Indian minister launched a scathing attack on the Pakistani government.", ("INDGOV", "PAKGOV", "111")),
    ("The Indian minister launched an attack on the Pakistani government, calling it corrupt.",
     ("INDGOV", "PAKGOV", "111")),
])
def test_appraisal_verbal_attack_is_criticism(code, text, expected):
    got = triples(code(text))
    assert expected in got and not [t for t in got if t[2][:2] in ("18", "19", "20")], got


def test_appraisal_military_attack_stays_force(code):
    got = triples(code("The Israeli army launched an attack on Gaza."))
    assert [(t[0], t[2]) for t in got] == [("ISRMIL", "190")], got
