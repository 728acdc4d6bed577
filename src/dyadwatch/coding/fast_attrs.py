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
from typing import NamedTuple

from spacy.attrs import DEP, IS_SPACE, LOWER, TAG
from spacy.language import Language
from spacy.tokens import Doc

_RULES: dict[int, list] = {}  # id(nlp) -> compiled rules
_KEY_ATTRS = [TAG, LOWER, DEP, IS_SPACE]
#: distinct token keys remembered (tag, lower-case form, dependency, space): bounded memory on long streams
_MAX_CACHE = 200_000


class _Tok(NamedTuple):
    """The token attributes the rules read, decoded from a token key."""
    tag_: str
    lower_: str
    dep_: str
    is_space: bool


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


def _apply(tok, attrs: dict) -> None:
    """Set the attribute rule values ``attrs`` (POS, MORPH, LEMMA, TAG, DEP) on ``tok``."""
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
        self._key_ok: dict[tuple, bool] = {}  # (token key, id(condition)) -> holds
        self._plans: dict[tuple, tuple] = {}  # token key -> _plan(key)

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
        if not n:
            return doc
        # one C call for every token's (TAG, LOWER, DEP, IS_SPACE) hashes: no Token objects
        keys = [tuple(row) for row in doc.to_array(_KEY_ATTRS).tolist()]
        strings = doc.vocab.strings
        plans = self._plans
        if len(plans) > _MAX_CACHE:
            plans.clear()
            self._key_ok.clear()
        # the common case: a token's rules are all one-token rules on itself, merged once per key
        # (see _plan); rules of two tokens, and the tokens they write to, go the general way
        per_target: dict[int, list] = {}
        merged: list = [None] * n
        for i, key in enumerate(keys):
            plan = plans.get(key)
            if plan is None:
                plan = plans[key] = self._plan(key, strings)
            singles, multi, final = plan
            if not multi:
                merged[i] = final
                continue
            for rule in multi:
                rule_no, conds, attrs, index = rule
                size = len(conds)
                if i + size > n:
                    continue
                if size > 1 and not all(self._ok_key(keys[i + k], conds[k], strings) for k in range(1, size)):
                    continue
                per_target.setdefault(i + index, []).append((rule_no, i, attrs))
            if singles:
                per_target.setdefault(i, []).extend((rule_no, i, attrs) for rule_no, _, attrs, _ in singles)
        for at, apps in per_target.items():
            if merged[at] is not None:  # a one-token plan meets a two-token rule: back to rule order
                apps.extend((rule_no, at, attrs) for rule_no, _, attrs, _ in plans[keys[at]][0])
                merged[at] = None
        for tok, final in zip(doc, merged):
            if final:
                _apply(tok, final)
        # rule order first, as spaCy's AttributeRuler (a later rule overrides an earlier one; rules
        # writing to different tokens commute, so each token's rules are applied in their own order)
        for at, apps in per_target.items():
            if len(apps) > 1:
                apps.sort(key=lambda m: (m[0], m[1]))
            tok = doc[at]
            for _, _, attrs in apps:
                _apply(tok, attrs)
        return doc

    def _plan(self, key: tuple, strings) -> tuple[list, list, dict]:
        """(one-token rules on the token itself, other rules, the one-token rules' attributes merged in rule
        order) of a token of ``key``: applying the merged attributes equals applying those rules one by one
        (each attribute keeps its last value; the setters are independent)."""
        hits = self._first_hits(key, strings)  # (the plan is kept per key by the caller)
        singles = [r for r in hits if len(r[1]) == 1 and r[3] == 0]
        multi = [r for r in hits if not (len(r[1]) == 1 and r[3] == 0)]
        final: dict = {}
        for _, _, attrs, _ in singles:
            final.update(attrs)
        return singles, multi, final

    def _decode(self, key: tuple, strings) -> _Tok:
        tag, lower, dep, space = key
        return _Tok(strings[tag] if tag else "", strings[lower] if lower else "", strings[dep] if dep else "",
                    bool(space))

    def _first_hits(self, key: tuple, strings) -> list:
        """The rules (in rule order) whose first-token condition holds for a token of ``key``."""
        tok = self._decode(key, strings)
        cands = self._for_tag(tok.tag_)
        extra = self._by_lower.get(tok.lower_)
        if extra:
            cands = sorted(cands + extra)
        return [rule for rule in cands if _ok(tok, rule[1][0])]

    def _ok_key(self, key: tuple, cond: dict, strings) -> bool:
        memo = (key, id(cond))
        hit = self._key_ok.get(memo)
        if hit is None:
            hit = self._key_ok[memo] = _ok(self._decode(key, strings), cond)
        return hit


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
