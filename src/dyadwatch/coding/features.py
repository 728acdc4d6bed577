"""Features of an event trigger on the dependency parse, for the event-class model.

A trigger is the token an event hangs on: the predicate verb of a rule
event (``RawEvent.anchors[0]``), an event noun, or a verb the rules left
uncoded.  :func:`trigger_features` describes it as sparse named features
plus the trigger's row of ``doc.tensor`` (the ``tok2vec`` output that the
parse already computed: 96 floats for ``en_core_web_sm``, free at run time),
which lets unseen verbs borrow from known ones with similar context vectors.
:class:`SentenceRows` gives the same features as rows of a model's weights for
the triggers of one sentence, reading the sentence's words once (the coder's path).

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
from spacy.symbols import ADJ, NOUN, PROPN, VERB

#: weight of the sentence's bag of content lemmas relative to the trigger's own features
BAG_WEIGHT = 0.3
#: weight of the roots of a verb's dictionary patterns (any of which may be meant) beside its own root
PATTERN_WEIGHT = 0.3
_CONTENT = frozenset({NOUN, VERB, ADJ, PROPN})  # spaCy's part-of-speech ids (``Token.pos``)
_HEAD_DEPS = frozenset({"xcomp", "ccomp", "conj", "advcl", "acl", "relcl", "pcomp", "dobj", "pobj"})


def _lem(tok) -> str:
    return tok.lemma_.lower()


def trigger_features(tok, rule_code: str | None, *, bag: bool = True, dict_roots=(),
                     words: tuple[tuple[int, str], ...] | None = None) -> dict[str, float]:
    """Sparse features of trigger token ``tok`` (see the module docstring); ``rule_code`` is the CAMEO
    code the rules gave it, or None; ``dict_roots`` the (own, pattern) CAMEO roots ("01"-"20") a verb
    dictionary gives the trigger's verb; ``words`` the :func:`content_words` of ``tok.doc`` when the
    caller has them (computed here otherwise).  The order of the dict is part of the result: the model
    adds the features' weights in this order (:meth:`dyadwatch.coding.model.EventModel.proba`)."""
    f = own_features(tok, dict_roots)
    f.update(rule_features(rule_code))
    if bag:
        for i, name in content_words(tok.doc) if words is None else words:
            if i != tok.i:
                f[name] = BAG_WEIGHT
    return f


def rule_features(rule_code: str | None) -> dict[str, float]:
    """``rule=``/``code=`` features of what the rules said (``rule=none`` when they coded nothing)."""
    if rule_code:
        return {"rule=" + rule_code[:2]: 1.0, "code=" + rule_code: 1.0}
    return {"rule=none": 1.0}


def own_features(tok, dict_roots=()) -> dict[str, float]:
    """The features of trigger ``tok`` that depend on the trigger alone (neither on what the rules said
    nor on the rest of the sentence's words): the first part of :func:`trigger_features`, in its order."""
    lem = _lem(tok)
    f: dict[str, float] = {"l=" + lem: 1.0, "pos=" + tok.pos_: 1.0, "tag=" + tok.tag_: 1.0}
    if dict_roots:
        for r in dict_roots[0]:
            f["dv=" + r] = 1.0
        for r in dict_roots[1]:
            f["dvp=" + r] = PATTERN_WEIGHT
    for c in tok.children:
        dep = c.dep_
        if dep == "prt":
            f[f"prt={lem}_{c.lower_}"] = 1.0
        elif dep in ("prep", "agent", "dative"):
            cw = c.lower_
            f[f"prep={lem}_{cw}"] = 1.0
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    gl = _lem(g)
                    f["po=" + gl] = 1.0
                    f[f"prepo={lem}_{cw}_{gl}"] = 1.0
        elif dep in ("dobj", "nsubjpass", "attr", "oprd"):
            cl = _lem(c)
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
            cl = _lem(c)
            f[f"comp={lem}_{cl}"] = 1.0
            f["c=" + cl] = 1.0
        elif dep in ("aux", "auxpass"):
            f["aux=" + c.lower_] = 1.0
        elif dep == "neg":
            f["neg"] = 1.0
        elif dep == "advmod":
            f["adv=" + _lem(c)] = 1.0
    t = tok
    for level in (1, 2):
        if t.dep_ not in _HEAD_DEPS or t.head.i == t.i:
            break
        h = t.head
        hl = _lem(h)
        f[f"h{level}={hl}"] = 1.0
        f[f"hd{level}={t.dep_}_{hl}"] = 1.0
        if level == 1:
            for c in h.children:
                if c.dep_ in ("aux", "neg"):
                    f["haux=" + c.lower_] = 1.0
        t = h
    return f


def content_words(doc) -> tuple[tuple[int, str], ...]:
    """(token index, ``"w=" + lemma``) of the doc's content words (nouns, verbs, adjectives, proper
    nouns) that are no stop words, in order: the bag features (a lemma may occur more than once)."""
    return tuple((w.i, "w=" + w.lemma_.lower()) for w in doc if w.pos in _CONTENT and not w.is_stop)


def index_rows(feats: dict[str, float], index: dict[str, int]) -> tuple[list[int], list[float]]:
    """(rows, values) of the features ``feats`` that ``index`` (feature name -> row) holds, in the dict's
    order; the others are left out.  Fresh lists."""
    rows, vals = [], []
    for name, val in feats.items():
        i = index.get(name)
        if i is not None:
            rows.append(i)
            vals.append(val)
    return rows, vals


class SentenceRows:
    """The triggers of one sentence as sparse rows of a model: :meth:`rows` gives what
    ``[(index[n], v) for n, v in trigger_features(...).items() if n in index]`` gives, unzipped, with the
    sentence's bag of words read once and each token's own features (:func:`own_features`) computed once
    however often it is asked for (a trigger with several events, a rule trigger the fallback asks again).

    ``index`` maps feature names to rows (:attr:`dyadwatch.coding.model.EventModel.index`); ``bag`` as in
    :func:`trigger_features`; ``dict_verbs`` the coder's verb-dictionary matcher or None.  Holds one doc
    at a time (a token of another doc starts afresh); make one per sentence and drop it after."""

    def __init__(self, index: dict[str, int], *, bag: bool = True, dict_verbs=None):
        self.index = index
        self.bag = bag
        self.dict_verbs = dict_verbs
        self._doc = None
        self._own: dict[int, tuple[list[int], list[float]]] = {}
        self._bag: tuple | None = None

    def rows(self, tok, rule_code: str | None) -> tuple[list[int], list[float]]:
        """(rows, values) of trigger ``tok`` with the rules' code ``rule_code`` (or None), in the order of
        :func:`trigger_features`; features the index lacks are left out.  Fresh lists."""
        doc = tok.doc
        if doc is not self._doc:
            self._doc, self._own, self._bag = doc, {}, None
        index = self.index
        own = self._own.get(tok.i)
        if own is None:
            roots = self.dict_verbs.verb_roots(tok) if self.dict_verbs is not None else ()
            f = own_features(tok, roots)
            own = self._own[tok.i] = index_rows(f, index)
        rule_rows, rule_vals = index_rows(rule_features(rule_code), index)
        rows, vals = own[0] + rule_rows, own[1] + rule_vals
        if self.bag:
            bag = self._bag if self._bag is not None else self._read_bag(doc)
            bag_rows, at, words = bag
            if words is None:  # every lemma once: the bag less the trigger's own word
                p = at.get(tok.i)
                rows += bag_rows if p is None else bag_rows[:p] + bag_rows[p + 1:]
            else:  # a lemma twice: first occurrences among the other words, as the dict keeps them
                seen = set()
                for i, name in words:
                    if i != tok.i and name not in seen:
                        seen.add(name)
                        if name in index:
                            rows.append(index[name])
            vals += [BAG_WEIGHT] * (len(rows) - len(vals))
        return rows, vals

    def _read_bag(self, doc) -> tuple:
        words = content_words(doc)
        names = [n for _, n in words]
        bag_rows, at = [], {}
        for i, name in words:
            r = self.index.get(name)
            if r is not None:
                at[i] = len(bag_rows)
                bag_rows.append(r)
        self._bag = (bag_rows, at, None if len(set(names)) == len(names) else words)
        return self._bag


def trigger_vector(tok) -> np.ndarray | None:
    """The trigger's row of ``doc.tensor`` (float32), or None when the parse set none."""
    tensor = getattr(tok.doc, "tensor", None)
    if tensor is None or tensor.ndim != 2 or tensor.shape[0] != len(tok.doc) or tensor.shape[1] == 0:
        return None
    return np.asarray(tensor[tok.i], dtype=np.float32)
