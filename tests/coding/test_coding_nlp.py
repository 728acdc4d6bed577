"""The spaCy pipeline: ner off, and the dict-based attribute rules equal the model's own."""

from __future__ import annotations

import spacy

from dyadwatch.coding import nlp as nlp_mod

SENTENCES = [
    "Iran's foreign minister said that Russia would not supply the missiles unless Turkey withdrew.",
    "Something happened to anyone who was there, but I didn't see it.",
    "The talks, which were held in Geneva, ended on Tuesday; nobody signed anything.",
    "Russian warplanes bombed rebel positions near Palmyra, killing 12 people.",
    "There is nothing y'all ain't got, said I to you and it.",
    "There are gon na be talks, but Iran did n't come and nothin' was agreed.",
]


def test_nlp_pipeline_components(coder):
    assert coder.nlp is nlp_mod.load()
    assert "ner" not in coder.nlp.pipe_names
    assert {"tagger", "parser", "lemmatizer"} <= set(coder.nlp.pipe_names)


def test_nlp_fast_attributes_match_the_attribute_ruler(coder):
    reference = spacy.load(nlp_mod.model_name(), disable=list(nlp_mod.DISABLED))
    for text in SENTENCES:
        a, b = reference(text), coder.nlp(text)
        assert [(t.pos_, t.lemma_, str(t.morph)) for t in a] == [(t.pos_, t.lemma_, str(t.morph)) for t in b]
