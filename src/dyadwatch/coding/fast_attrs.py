"""A dictionary-based stand-in for spaCy's ``attribute_ruler`` (same rules, no Matcher).

``en_core_web_sm``'s attribute ruler maps fine-grained tags to coarse
part-of-speech and morphology (``NN`` -> ``NOUN``) and fixes a list of single
words ("that" as ``SCONJ``, pronoun lemmas ...).  Its rules are one- or
two-token patterns over ``TAG``, ``LOWER``, ``DEP`` and ``IS_SPACE`` with the
``IN``/``NOT_IN``/``REGEX`` operators, applied in order (a later rule
overrides an earlier one).  Running them through spaCy's token ``Matcher`` costs about a
quarter of the whole parse on this machine; looking them up in dictionaries
gives the same attributes at a fraction of the cost.

:func:`install` reads the rules *from the loaded model's own attribute ruler*
(nothing is copied here) and replaces the component.  The coder's tests and
the PLOVER gold evaluation run with it.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

_RULES: dict[int, list] = {}  # id(nlp) -> compiled rules


def _cond(value):
    """A pattern value as ("eq", v) / ("in", set) / ("not_in", set) / ("regex", compiled)."""
    if isinstance(value, dict):
        if "IN" in value:
            return ("in", frozenset(value["IN"]))
        if "NOT_IN" in value:
            return ("not_in", frozenset(value["NOT_IN"]))
        if "REGEX" in value:
            return ("regex", re.compile(value["REGEX"]))
        raise ValueError(f"unsupported attribute-ruler operator {value!r}")
    return ("eq", value)


def _compile(patterns: list[dict]) -> list[tuple[tuple[dict, ...], dict, int]]:
    """(per-token conditions, attrs, index of the token the attrs go to), in rule order."""
    rules = []
    for p in patterns:
        for pat in p["patterns"]:
            conds = tuple({key: _cond(value) for key, value in tok.items()} for tok in pat)
            rules.append((conds, p["attrs"], int(p.get("index", 0))))
    return rules


def _value(tok, key):
    if key == "TAG":
        return tok.tag_
    if key == "LOWER":
        return tok.lower_
    if key == "DEP":
        return tok.dep_
    if key == "IS_SPACE":
        return tok.is_space
    raise ValueError(f"unsupported attribute-ruler key {key!r}")


def _ok(tok, cond: dict) -> bool:
    for key, (op, want) in cond.items():
        got = _value(tok, key)
        if op == "eq":
            if got != want:
                return False
        elif op == "in":
            if got not in want:
                return False
        elif op == "not_in":
            if got in want:
                return False
        elif not want.search(str(got)):
            return False
    return True


class FastAttributes:
    """Callable pipeline component applying compiled attribute rules in order."""

    def __init__(self, rules):
        # rules apply in their original order (later rules override earlier ones, as in
        # spaCy's AttributeRuler).  Candidates of a token: the rules without a word
        # condition that can match its tag, plus the rules naming its lower-case form.
        self.rules = [(i, conds, attrs, index) for i, (conds, attrs, index) in enumerate(rules)]
        self._by_lower: dict[str, list] = {}
        self._generic: list = []
        for rule in self.rules:
            lower = rule[1][0].get("LOWER")
            if lower is not None and lower[0] == "eq":
                self._by_lower.setdefault(lower[1], []).append(rule)
            elif lower is not None and lower[0] == "in":
                for word in lower[1]:
                    self._by_lower.setdefault(word, []).append(rule)
            else:
                self._generic.append(rule)
        self._by_tag: dict[str, list] = {}

    def _for_tag(self, tag: str) -> list:
        hit = self._by_tag.get(tag)
        if hit is None:
            hit = []
            for rule in self._generic:
                first = rule[1][0].get("TAG")
                if first is None or (first[0] == "eq" and first[1] == tag) or \
                        (first[0] == "in" and tag in first[1]) or (first[0] == "not_in" and tag not in first[1]) \
                        or first[0] == "regex":
                    hit.append(rule)
            self._by_tag[tag] = hit
        return hit

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        todo = []
        for i, tok in enumerate(doc):
            cands = self._for_tag(tok.tag_)
            extra = self._by_lower.get(tok.lower_)
            if extra:
                cands = sorted(cands + extra)
            for rule_no, conds, attrs, index in cands:
                if i + len(conds) > n or not _ok(tok, conds[0]):
                    continue
                if all(_ok(doc[i + k], conds[k]) for k in range(1, len(conds))):
                    todo.append((rule_no, i, i + index, attrs))
        todo.sort(key=lambda m: (m[0], m[1]))  # rule order first, as spaCy's AttributeRuler
        for _, _, at, attrs in todo:
            tok = doc[at]
            for k, v in attrs.items():
                if k == "POS":
                    tok.pos_ = v
                elif k == "MORPH":
                    tok.set_morph(None if v == "_" else v)
                elif k == "LEMMA":
                    tok.lemma_ = v
                elif k == "TAG":
                    tok.tag_ = v
                elif k == "DEP":
                    tok.dep_ = v
        return doc


@Language.factory("dyadwatch_fast_attributes", default_config={})
def _factory(nlp: Language, name: str):
    return FastAttributes(_RULES.get(id(nlp), []))


def install(nlp: Language) -> Language:
    """Replace ``attribute_ruler`` of ``nlp`` by :class:`FastAttributes` with its rules."""
    if "attribute_ruler" not in nlp.pipe_names:
        return nlp
    _RULES[id(nlp)] = _compile(nlp.get_pipe("attribute_ruler").patterns)
    nlp.replace_pipe("attribute_ruler", "dyadwatch_fast_attributes")
    return nlp
