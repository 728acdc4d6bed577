"""Features of an event trigger on the dependency parse, for the event-class model.

A trigger is the token an event hangs on: the predicate verb of a rule
event (``RawEvent.anchors[0]``), an event noun, or a verb the rules left
uncoded.  :func:`trigger_features` describes it as sparse named features
plus the trigger's row of ``doc.tensor`` (the ``tok2vec`` output that the
parse already computed: 96 floats for ``en_core_web_sm``, free at run time),
which lets unseen verbs borrow from known ones with similar context vectors.

Feature names (all lower-case lemmas):

* ``l=`` the trigger's lemma, ``pos=`` its part of speech;
* ``prt=``/``prep=``/``obj=``/``comp=``: the lemma joined with a particle, a
  preposition, the direct object's lemma (and its ``of`` complement), a
  clausal complement ("agree_meet"); ``o=``/``po=``/``om=`` the object,
  prepositional objects and object modifiers alone;
* ``aux=`` auxiliaries (will, would, must ...), ``neg`` negation, ``tag=``;
* ``h=``/``hd=`` the governing predicate of a complement, conjunct or
  adverbial clause ("agreed to meet": meet has ``hd=xcomp_agree``), two
  levels up;
* ``rule=``/``code=`` the root and code the rules gave this trigger
  (``rule=none`` when they gave none): the model learns when to trust the
  verb lexicon;
* ``w=`` content lemmas of the sentence (weight :data:`BAG_WEIGHT`);
* ``dv=`` the CAMEO root the TABARI/PETRARCH verb dictionary gives the
  trigger's verb alone, ``dvp=`` (weight :data:`PATTERN_WEIGHT`) the roots of
  its phrase patterns, matched or not (``dict_roots``, from
  :meth:`dyadwatch.coding.dictionaries.verb_matcher.VerbMatcher.verb_roots`;
  none when no dictionary is fetched): what a verb the built-in lexicon and
  the gold data never saw can mean ("pardoned": 08, yield).
"""

from __future__ import annotations

import numpy as np

#: weight of the sentence's bag of content lemmas relative to the trigger's own features
BAG_WEIGHT = 0.3
#: weight of the roots of a verb's dictionary patterns (any of which may be meant) beside its own root
PATTERN_WEIGHT = 0.3
_CONTENT = frozenset({"NOUN", "VERB", "ADJ", "PROPN"})
_HEAD_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "acl", "relcl", "pcomp", "dobj", "pobj"})


def _lem(tok) -> str:
    return tok.lemma_.lower()


def trigger_features(tok, rule_code: str | None, *, bag: bool = True, dict_roots=()) -> dict[str, float]:
    """Sparse features of trigger token ``tok`` (see the module docstring); ``rule_code`` is the CAMEO
    code the rules gave it, or None; ``dict_roots`` the (own, pattern) CAMEO roots ("01"-"20") a verb
    dictionary gives the trigger's verb."""
    lem = _lem(tok)
    f: dict[str, float] = {"l=" + lem: 1.0, "pos=" + tok.pos_: 1.0, "tag=" + tok.tag_: 1.0}
    if dict_roots:
        for r in dict_roots[0]:
            f["dv=" + r] = 1.0
        for r in dict_roots[1]:
            f["dvp=" + r] = PATTERN_WEIGHT
    for c in tok.children:
        dep = c.dep_
        cl = _lem(c)
        if dep == "prt":
            f[f"prt={lem}_{c.lower_}"] = 1.0
        elif dep in ("prep", "agent", "dative"):
            f[f"prep={lem}_{c.lower_}"] = 1.0
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    f["po=" + _lem(g)] = 1.0
                    f[f"prepo={lem}_{c.lower_}_{_lem(g)}"] = 1.0
        elif dep in ("dobj", "nsubjpass", "attr", "oprd"):
            f["o=" + cl] = 1.0
            f[f"obj={lem}_{cl}"] = 1.0
            for x in c.children:
                if x.dep_ in ("compound", "amod"):
                    f["om=" + _lem(x)] = 1.0
                elif x.dep_ == "prep" and x.lower_ == "of":
                    for g in x.children:
                        if g.dep_ == "pobj":
                            f["of=" + _lem(g)] = 1.0
        elif dep in ("xcomp", "ccomp"):
            f[f"comp={lem}_{cl}"] = 1.0
            f["c=" + cl] = 1.0
        elif dep in ("aux", "auxpass"):
            f["aux=" + c.lower_] = 1.0
        elif dep == "neg":
            f["neg"] = 1.0
        elif dep == "advmod":
            f["adv=" + cl] = 1.0
    t = tok
    for level in (1, 2):
        if t.dep_ not in _HEAD_DEPS or t.head.i == t.i:
            break
        h = t.head
        f[f"h{level}={_lem(h)}"] = 1.0
        f[f"hd{level}={t.dep_}_{_lem(h)}"] = 1.0
        for c in h.children:
            if c.dep_ in ("aux", "neg") and level == 1:
                f["haux=" + c.lower_] = 1.0
        t = h
    if rule_code:
        f["rule=" + rule_code[:2]] = 1.0
        f["code=" + rule_code] = 1.0
    else:
        f["rule=none"] = 1.0
    if bag:
        for i, name in _content_words(tok.doc):
            if i != tok.i:
                f[name] = BAG_WEIGHT
    return f


_LAST_BAG: list = [None, ()]  # (doc, its content words): the triggers of one sentence share one pass


def _content_words(doc) -> tuple[tuple[int, str], ...]:
    """(index, ``"w=" + lemma``) of the doc's content words that are no stop words (the bag features);
    the last doc's list is kept, so several triggers of one sentence read its tokens once."""
    if _LAST_BAG[0] is doc:
        return _LAST_BAG[1]
    words = tuple((w.i, "w=" + _lem(w)) for w in doc if w.pos_ in _CONTENT and not w.is_stop)
    _LAST_BAG[0], _LAST_BAG[1] = doc, words
    return words


def trigger_vector(tok) -> np.ndarray | None:
    """The trigger's row of ``doc.tensor`` (float32), or None when the parse set none."""
    tensor = getattr(tok.doc, "tensor", None)
    if tensor is None or tensor.ndim != 2 or tensor.shape[0] != len(tok.doc) or tensor.shape[1] == 0:
        return None
    return np.asarray(tensor[tok.i], dtype=np.float32)
