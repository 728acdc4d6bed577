"""The coder's stand-ins for two spaCy components give the stock model's attributes.

:mod:`dyadwatch.coding.fast_attrs` (the attribute ruler's rules by dictionary look-up) and
:mod:`dyadwatch.coding.fast_lemmas` (the rule lemmatizer asked once per key) must change
speed only: every token's part of speech, tag, dependency, head, morphology and lemma are
compared with the stock pipeline's (``spacy.load`` with ``ner`` off) on sentences written here.
"""

from __future__ import annotations

import pytest

SENTENCES = [
    "Iran's foreign minister said on Tuesday that Tehran would not accept the proposal.",
    "Russian warplanes bombed rebel positions near Aleppo, killing at least 12 people.",
    "The ministers met in Geneva and agreed to resume talks next week.",
    "Protesters were arrested by police after they had gathered outside the embassy.",
    "She's been saying that the sanctions aren't working, isn't she?",
    "U.S. officials denied reports that troops had crossed the border into Syria.",
    "Better relations with their neighbours remain the best hope for the region's economies.",
    "The talks, which began in 2015, have produced no agreement so far.",
    "Turkey threatened to close its airspace to Israeli planes.",
    "Several children were among the dead, according to the agency's latest figures.",
    # the model's two-token rules ("there" + a form of be is a VERB; "ai n't", "gon na", "let 's" ...),
    # some writing to a token that one-token rules also write to
    "There were no reports of casualties, but there is concern that the ceasefire ain't holding.",
    "Let's be clear: we're gonna need help, and y'all gotta listen, c'mon.",
]


def _attrs(doc):
    return [(t.text, t.pos_, t.tag_, t.dep_, t.head.i, str(t.morph), t.lemma_) for t in doc]


def test_fast_attributes_and_lemmas_match_the_stock_pipeline():
    spacy = pytest.importorskip("spacy")
    from dyadwatch.coding import nlp as nlp_mod

    coder_nlp = nlp_mod.load()
    factories = [coder_nlp.get_pipe_meta(n).factory for n in coder_nlp.pipe_names]
    assert "dyadwatch_fast_attributes" in factories and "dyadwatch_fast_lemmas" in factories
    stock = spacy.load(nlp_mod.model_name(), disable=list(nlp_mod.DISABLED))
    for _ in range(2):  # the second pass reads the caches
        ours = [_attrs(d) for d in coder_nlp.pipe(SENTENCES)]
        theirs = [_attrs(d) for d in stock.pipe(SENTENCES)]
        assert ours == theirs
    # lemmas the rules must see: inflected verbs and plural nouns reduced, base forms kept
    lemma = {t.text: t.lemma_ for d in coder_nlp.pipe(SENTENCES[:3]) for t in d}
    assert (lemma["bombed"], lemma["warplanes"], lemma["positions"], lemma["met"], lemma["said"]) == (
        "bomb", "warplane", "position", "meet", "say")
    assert lemma["proposal"] == "proposal" and lemma["killing"] == "kill"


def test_parser_gets_the_splitters_tokens():
    """The coder parses the tokens its sentence splitter made (no second tokenization): they
    must be the tokens a fresh tokenization of the parsed text gives, dateline cut off."""
    import datetime as dt

    from dyadwatch.coding.coder import CodingReport, get_coder
    from dyadwatch.coding.documents import Document, Screening

    coder = get_coder(fetched=False)
    text = ("TBILISI, Georgia -- Russian troops entered the town of Gori on Tuesday.  Georgia's "
            "president didn't deny it and accused Moscow of an invasion.\nU.S. officials said they would send aid "
            "to Tbilisi (via Turkey), the ministry's spokesman said[12].")
    cands = [c for c in coder.candidates([Document(doc_id="t", date=dt.date(2008, 8, 12), text=text)],
                                         CodingReport(screening=Screening())) if c is not None]
    assert len(cands) == 3 and cands[0].skip == len("TBILISI, Georgia -- ")
    from dyadwatch.coding.coder import _doc_of

    for c in cands:
        words, spaces, _ = c.tokens
        again = coder.nlp.make_doc(c.parse_text)
        ours = _doc_of(coder.nlp.vocab, c.tokens)
        assert [(t.text, t.norm_, t.whitespace_) for t in ours] == [(t.text, t.norm_, t.whitespace_) for t in again]
        assert ours.text == c.parse_text
    assert cands[0].tokens[0][:2] == ["Russian", "troops"] and cands[2].tokens[0][-4:] == ["[", "12", "]", "."]
    assert [t.norm_ for t in _doc_of(coder.nlp.vocab, cands[1].tokens)][3:5] == ["do", "not"]  # "didn't"


def test_fast_attributes_keeps_rule_order_when_a_two_token_rule_meets_one_token_rules():
    """Rules written here (not the model's): a token's one-token rules are merged once per token key,
    but when a two-token rule writes to the same token, every rule applies in rule order, as in
    spaCy's AttributeRuler (the later rule wins)."""
    pytest.importorskip("spacy")
    from spacy.lang.en import English
    from spacy.tokens import Doc

    from dyadwatch.coding.fast_attrs import FastAttributes, _compile

    patterns = [
        {"patterns": [[{"TAG": "VBZ"}]], "attrs": {"POS": "AUX", "LEMMA": "be"}},  # rule 0
        {"patterns": [[{"LOWER": "there"}, {"LOWER": "is"}]], "attrs": {"POS": "VERB"}, "index": 1},  # rule 1
        {"patterns": [[{"LOWER": "is"}]], "attrs": {"POS": "X", "LEMMA": "exist"}},  # rule 2: after rule 1
        {"patterns": [[{"LOWER": "here"}, {"LOWER": "is"}]], "attrs": {"LEMMA": "here-be"}, "index": 1},  # 3
    ]
    nlp = English()
    nlp.add_pipe("attribute_ruler").add_patterns(patterns)
    fast = FastAttributes(_compile(patterns))
    words, tags = ["there", "is", "hope", "here", "is", "is"], ["EX", "VBZ", "NN", "RB", "VBZ", "VBZ"]
    # "there is": rule 0 (AUX, be), rule 1 (VERB), rule 2 (X, exist) wins; "here is": rule 3 comes last
    want = [("", ""), ("X", "exist"), ("", ""), ("", ""), ("X", "here-be"), ("X", "exist")]
    stock = nlp(Doc(nlp.vocab, words=words, tags=tags))
    assert [(t.pos_, t.lemma_) for t in stock] == want
    for _ in range(2):  # the second pass reads the per-key plans
        doc = fast(Doc(nlp.vocab, words=words, tags=tags))
        assert [(t.pos_, t.lemma_) for t in doc] == want
