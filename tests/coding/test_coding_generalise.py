"""Mechanisms that generalise to unseen sentences (issue 12, item 3): a target found deep in the
trigger's phrase when its argument slots hold no actor, and the verb dictionary's roots as features
of the event-class model (what a verb neither the lexicon nor the gold data saw can mean)."""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


@pytest.mark.parametrize("text, expected", [
    # the actor sits in a prepositional phrase of the object's prepositional phrase
    ("The premier of Alberta called for sanctions against the United States.", "USA"),
    # the object of a prepositional phrase of the object's prepositional phrase
    ("Germany demanded an end to attacks on Ukrainian civilians.", "UKRCVL"),
])
def test_deep_target_in_the_triggers_phrase(code, text, expected):
    got = triples(code(text))
    assert got and all(t[1] == expected for t in got), got


def test_deep_target_off_gives_no_target(code, monkeypatch):
    import dyadwatch.coding.events as events

    monkeypatch.setattr(events, "DEEP_TARGETS", False)
    got = triples(code("The premier of Alberta called for sanctions against the United States."))
    # without the deep target only the object's noun phrase is left, as an entity (coding.entities)
    assert got and all(t[1] == "XXX" for t in got), got


@pytest.mark.parametrize("text, expected", [
    # time and place phrases of the verb are not participants: reciprocal meeting, no place target
    ("Iraq and Iran met in Geneva.", {("IRQ", "IRN", "040"), ("IRN", "IRQ", "040")}),
    # an event noun after "after" is another event: its actors are not this verb's target
    ("Germany recalled its ambassador after the attack by Iran.", set()),
])
def test_deep_target_skips_circumstances(code, text, expected):
    got = {t for t in triples(code(text)) if t[2][:2] in ("04", "16")}
    if expected:
        assert got == expected
    for s, t, c in triples(code(text)):
        assert t != "IRN" or c[:2] == "04", (s, t, c)


VERBS = """\
--- PARDON [083] ---
PARDON {PARDONED PARDONING PARDONS}
- * CONVICTS [084]

--- RETURN [---] ---
RETURN {RETURNED RETURNING RETURNS}
- * TO + [081]
- * FIRE [190]
"""


def test_verb_roots_and_model_features(coder, tmp_path):
    from dyadwatch.coding.dictionaries.load import load_dictionaries
    from dyadwatch.coding.dictionaries.verb_matcher import VerbMatcher
    from dyadwatch.coding.features import PATTERN_WEIGHT, trigger_features

    (tmp_path / "t.verbs.txt").write_text(VERBS)
    matcher = VerbMatcher(load_dictionaries([tmp_path]).verbs, verb_alone=False)
    doc = coder.nlp("The king pardoned the rebels and returned the land to them.")
    pardoned, returned = doc[2], doc[6]
    assert (pardoned.text, returned.text) == ("pardoned", "returned")
    # own root 08 (block 083, its pattern 084 is the same root); "return" has no own code, patterns 08 and 19
    assert matcher.verb_roots(pardoned) == (frozenset({"08"}), frozenset())
    assert matcher.verb_roots(returned) == (frozenset(), frozenset({"08", "19"}))
    f = trigger_features(returned, None, bag=False, dict_roots=matcher.verb_roots(returned))
    assert f["dvp=08"] == f["dvp=19"] == PATTERN_WEIGHT and not [k for k in f if k.startswith("dv=")]
    assert trigger_features(pardoned, None, bag=False, dict_roots=matcher.verb_roots(pardoned))["dv=08"] == 1.0
    assert matcher.verb_roots(doc[1]) == (frozenset(), frozenset())  # "king": not a verb of the dictionary
