"""The event-class model: train on a tiny corpus built here, save, load, code unseen verbs; bad model files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from dyadwatch.coding.documents import Document, parse_date
from dyadwatch.coding.gold import GoldRecord
from dyadwatch.errors import InputError

PAIRS = [("Russia", "Iran"), ("France", "Egypt"), ("Japan", "China"), ("Turkey", "Syria"), ("Brazil", "Peru"),
         ("Canada", "Mexico"), ("Spain", "Morocco"), ("Italy", "Libya")]


def _record(text: str, label: str, src: str, tgt: str) -> GoldRecord:
    s, t = text.index(src), text.rindex(tgt)
    return GoldRecord(id=text, text=text, label=label, pairs=[((s, s + len(src)), (t, t + len(tgt)))])


def _corpus() -> list[GoldRecord]:
    out = []
    for a, b in PAIRS:  # "wire" is not in the verb lexicon: AID is learned; "meet" is (CONSULT)
        out.append(_record(f"{a} wired money to {b} on Monday.", "AID", a, b))
        out.append(_record(f"{a} wired two billion dollars to {b}.", "AID", a, b))
        out.append(_record(f"{a} met {b} in Geneva.", "CONSULT", a, b))
    return out


@pytest.fixture(scope="module")
def trained(coder, tmp_path_factory):
    from dyadwatch.coding.model import EventModel
    from dyadwatch.coding.training import train_model

    model = train_model(_corpus(), coder)
    d = model.save(tmp_path_factory.mktemp("model"))
    return model, EventModel.load(d), d


def _code(coder, model, text):
    saved = coder.model
    coder.model = model
    try:
        events, _ = coder.code([Document(doc_id="m", date=parse_date("2017-06-14"), text=text)])
    finally:
        coder.model = saved
    return events


def test_model_codes_an_unseen_verb_after_training(coder, trained):
    _, loaded, _ = trained
    assert _code(coder, None, "Germany wired money to Poland.") == []  # rules alone: the verb is unknown
    [ev] = _code(coder, loaded, "Germany wired money to Poland.")
    assert (ev["source"]["code"], ev["target"]["code"], ev["cameo_root"], ev["coded_by"]) == ("DEU", "POL", "07",
                                                                                               "model")
    assert 0.5 <= ev["confidence"] <= 1.0


def test_model_leaves_negated_and_speculative_verbs_uncoded(coder, trained):
    _, loaded, _ = trained
    assert _code(coder, loaded, "Germany did not wire money to Poland.") == []
    assert _code(coder, loaded, "Germany may wire money to Poland.") == []


def test_model_round_trip_gives_the_same_probabilities(coder, trained):
    model, loaded, _ = trained
    assert loaded.classes == model.classes and loaded.features == model.features
    doc = coder.nlp("Germany wired money to Poland.")
    a = model.proba(*_feats(doc[1], model))
    b = loaded.proba(*_feats(doc[1], loaded))
    assert np.allclose(a, b, atol=1e-6) and a.sum() == pytest.approx(1.0)
    assert loaded.meta["trained_on"]["records"] == len(_corpus())


def _feats(tok, model):
    from dyadwatch.coding.features import trigger_features, trigger_vector

    return trigger_features(tok, None, bag=model.meta.get("bag", True)), trigger_vector(tok)


def test_model_refuses_bad_model_directories(trained, tmp_path):
    from dyadwatch.coding.model import EventModel

    _, _, good = trained
    with pytest.raises(InputError, match="model.json and weights.npz"):
        EventModel.load(tmp_path)
    bad = tmp_path / "bad"
    bad.mkdir()
    meta = json.loads((good / "model.json").read_text())
    (bad / "model.json").write_text(json.dumps(dict(meta, features=meta["features"][:-1])))
    (bad / "weights.npz").write_bytes((good / "weights.npz").read_bytes())
    with pytest.raises(InputError, match="do not fit"):
        EventModel.load(bad)
    (bad / "model.json").write_text(json.dumps(dict(meta, format="other/9")))
    with pytest.raises(InputError, match="not format"):
        EventModel.load(bad)
    # a model of the first format (no rule-free fallback weights) is refused in one line naming it
    (bad / "model.json").write_text(json.dumps(dict(meta, format="dyadwatch-event-classes/1")))
    with pytest.raises(InputError, match=r"found 'dyadwatch-event-classes/1'") as info:
        EventModel.load(bad)
    assert "\n" not in str(info.value)
    (bad / "model.json").write_text(json.dumps(meta))
    with np.load(good / "weights.npz") as z:
        arrays = {k: z[k] for k in z.files if k != "fallback_coef"}
    np.savez(bad / "weights.npz", **arrays)
    with pytest.raises(InputError, match="unreadable weights"):
        EventModel.load(bad)
    (bad / "model.json").write_text(json.dumps(meta))
    (bad / "weights.npz").write_bytes(b"\x00not a zip")
    with pytest.raises(InputError, match="unreadable weights"):
        EventModel.load(bad)


def test_model_training_needs_two_classes(coder):
    from dyadwatch.coding.training import train_model

    with pytest.raises(InputError, match="two classes"):
        train_model([r for r in _corpus() if r.label == "AID"], coder)


def test_model_assault_codes_by_source():
    from dyadwatch.coding.actors import ActorRef
    from dyadwatch.coding.model import assault_code

    assert assault_code(ActorRef("the army", "SYRMIL", "SYR", "MIL", "agent", (0, 8))) == "190"
    assert assault_code(ActorRef("Russia", "RUS", "RUS", None, "country", (0, 6))) == "190"
    assert assault_code(ActorRef("rebels", "SYRREB", "SYR", "REB", "agent", (0, 6))) == "190"
    assert assault_code(ActorRef("a mob", "CVL", None, "CVL", "agent", (0, 5))) == "180"
    assert assault_code(None) == "180"


def _raw(code: str, confidence: float, tok):
    from dyadwatch.coding.actors import ActorRef
    from dyadwatch.coding.events import RawEvent

    src = ActorRef("Russia", "RUS", "RUS", None, "country", (0, 6))
    return RawEvent(src, None, code, (7, 12), [tok], confidence=confidence)


def test_model_floor_drops_the_unlikely_side_events_of_a_sentence(coder, trained):
    import dataclasses

    model, _, _ = trained
    doc = coder.nlp("Russia condemned Iran for jailing the reporters.")
    tok = doc[4]  # "jailing": a side clause
    assert tok.text == "jailing" and tok.dep_ != "ROOT"
    main, side, said = _raw("111", 0.9, tok), _raw("173", 0.3, tok), _raw("010", 0.2, tok)
    strict = dataclasses.replace(model, floor=0.7)
    # the side event (0.3 < 0.7, and the sentence holds a 0.9 one) goes; statements are not judged
    assert strict._drop_unlikely([main, side, said]) == [main, said]
    assert strict._drop_unlikely([side, said]) == [side, said]  # a sentence's best event always stays
    assert dataclasses.replace(model, floor=0.0)._drop_unlikely([main, side]) == [main, side]
    assert dataclasses.replace(model, floor=0.25)._drop_unlikely([main, side]) == [main, side]
    root = _raw("111", 0.3, doc[1])  # "condemned", the main verb, is spared however improbable
    assert doc[1].dep_ == "ROOT"
    kept = strict._drop_unlikely([_raw("173", 0.9, tok), root])
    assert [e.code for e in kept] == ["173", "111"]


def test_model_floor_is_saved_and_checked(trained, tmp_path):
    import dataclasses

    from dyadwatch.coding.model import DEFAULT_FLOOR, EventModel

    model, loaded, good = trained
    assert loaded.floor == model.floor == DEFAULT_FLOOR
    d = dataclasses.replace(model, floor=0.55).save(tmp_path / "m")
    assert EventModel.load(d).floor == 0.55
    meta = json.loads((d / "model.json").read_text())
    (d / "model.json").write_text(json.dumps(dict(meta, floor=1.5)))
    with pytest.raises(InputError, match="floor must be in"):
        EventModel.load(d)
    del meta["floor"]  # a model saved before the floor existed drops nothing
    (d / "model.json").write_text(json.dumps(meta))
    assert EventModel.load(d).floor == 0.0


def test_model_floor_on_coded_sentences(coder, trained):
    """The tiny model knows no ASSAULT: an attack in a side clause goes, one in a clause of its own stays."""
    _, loaded, _ = trained
    side = "Russia met Iran in Moscow after France attacked Egypt."
    assert [(e["source"]["code"], e["target"]["code"], e["cameo_root"]) for e in _code(coder, None, side)] == [
        ("RUS", "IRN", "04"), ("FRA", "EGY", "19")]  # the rules alone
    assert [(e["source"]["code"], e["target"]["code"], e["cameo_root"]) for e in _code(coder, loaded, side)] == [
        ("RUS", "IRN", "04")]
    both = "Russia met Iran in Moscow, and France attacked Egypt."  # (the model re-classes the attack it
    # cannot know: only that it stays is asserted)
    assert [(e["source"]["code"], e["target"]["code"]) for e in _code(coder, loaded, both)] == [
        ("RUS", "IRN"), ("FRA", "EGY")]


def test_tree_trigger_without_spans_is_the_root_and_span_heads_are_found(coder):
    """spaCy creates a new Token object on each access, so a root test by identity (``t.head is t``)
    never held: a record without spans took the sentence's first token as its trigger."""
    from dyadwatch.coding import nlp as nlp_mod
    from dyadwatch.coding.training import tree_trigger

    doc = nlp_mod.load()("Yesterday Russia sent troops to Syria.")
    sent = next(iter(doc.sents))
    assert tree_trigger(sent, None, None).text == "sent"
    # spans over "Russia" and "Syria": their lowest common ancestor raised to a verb is "sent"
    text = doc.text
    src = (text.index("Russia"), text.index("Russia") + 6)
    tgt = (text.index("Syria"), text.index("Syria") + 5)
    assert tree_trigger(sent, src, tgt).text == "sent"


def test_model_fallback_passes_over_events_no_dictionary_names(coder, trained):
    """An event whose actors are all entities is dropped by the coder: it must neither make its sentence
    "classed" (so the unknown verb beside it gets no event) nor win the fallback over a verb whose
    actors the dictionaries name."""
    from dyadwatch.coding import model as model_mod

    _, loaded, _ = trained
    text = "Acme Logistics attacked the warehouse, and Germany wired money to Poland."
    assert _code(coder, None, text) == []  # rules alone: the attack has no known actor, the verb is unknown
    got = [(e["source"]["code"], e["target"]["code"], e["cameo_root"], e["coded_by"])
           for e in _code(coder, loaded, text)]
    assert got == [("DEU", "POL", "07", "model")]
    # two unknown verbs: the one with dictionary actors is coded, not the entity-only one before it
    two = "Acme Logistics wired money to the museum, and Germany wired money to Poland."
    assert [(e["source"]["code"], e["target"]["code"]) for e in _code(coder, loaded, two)] == [("DEU", "POL")]
    saved = model_mod.KNOWN_ACTOR_FALLBACK
    model_mod.KNOWN_ACTOR_FALLBACK = False
    try:
        assert _code(coder, loaded, text) == []  # the entity-only attack blocked the fallback
        assert _code(coder, loaded, two) == []  # the entity-only verb won, and its event was dropped
    finally:
        model_mod.KNOWN_ACTOR_FALLBACK = saved


def test_floor_spares_event_nouns_in_the_main_verbs_adjuncts_not_after_clauses(coder):
    """The floor drops a sentence's unlikely side events but not the event noun of an "in/during/on/at"
    adjunct of the main verb, whose agent is the main subject (the visit beside the statement); an
    "after the attack" adjunct names someone else's act and gets no such protection."""
    from dyadwatch.coding import nlp as nlp_mod
    from dyadwatch.coding.model import _main_verb

    nlp = nlp_mod.load()
    visit = nlp("During a visit to Tehran, the Russian president praised Iran.")
    assert _main_verb(next(t for t in visit if t.lower_ == "visit"))
    assert _main_verb(next(t for t in visit if t.lower_ == "praised"))
    after = nlp("Saudi Arabia expelled the Iranian ambassador after the attack on its embassy.")
    assert not _main_verb(next(t for t in after if t.lower_ == "attack"))


def test_model_fallback_weights_leave_out_the_rules_features(coder, trained):
    """The fallback's weights are zero on every rule=/code= feature and differ from the main weights, which
    use them; saved and loaded, they give the same probabilities."""
    from dyadwatch.coding.training import RULE_FEATURES

    model, loaded, _ = trained
    rule_rows = [i for i, n in enumerate(model.features) if n.startswith(RULE_FEATURES)]
    assert "rule=none" in model.features and len(rule_rows) >= 2  # "wired": no rule; "met": the lexicon's 04x
    assert not model.fallback_coef[rule_rows].any() and model.coef[rule_rows].any()
    doc = coder.nlp("Germany wired money to Poland.")
    feats, vec = _feats(doc[1], model)
    fb = model.proba(feats, vec, fallback=True)
    assert not np.allclose(fb, model.proba(feats, vec), atol=1e-3)
    assert np.allclose(fb, loaded.proba(feats, vec, fallback=True), atol=1e-6) and fb.sum() == pytest.approx(1.0)
    # the rules' features carry no weight in the fallback
    plain = {k: v for k, v in feats.items() if not k.startswith(RULE_FEATURES)}
    assert np.allclose(model.proba(plain, vec, fallback=True), fb, atol=1e-9)
