"""A dictionary-based stand-in for spaCy's ``attribute_ruler`` (same rules, no Matcher).

``en_core_web_sm``'s attribute ruler maps fine-grained tags to coarse
part-of-speech and morphology (``NN`` -> ``NOUN``) and fixes a list of single
words ("that" as ``SCONJ``, pronoun lemmas ...).  Its rules are all
single-token patterns over ``TAG``, ``LOWER``, ``DEP`` and ``IS_SPACE``
(plus a handful of two-token lemma fixes for colloquial spellings, which are
left out).  Running them through spaCy's token ``Matcher`` costs about a
quarter of the whole parse on this machine; looking them up in dictionaries
gives the same attributes at a fraction of the cost.

:func:`install` reads the rules *from the loaded model's own attribute ruler*
(nothing is copied here) and replaces the component.  The coder's tests and
the PLOVER gold evaluation run with it.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

_RULES: dict[int, list] = {}  # id(nlp) -> compiled rules


def _compile(patterns: list[dict]) -> list[tuple[dict, dict]]:
    rules = []
    for p in patterns:
        for pat in p["patterns"]:
            if len(pat) != 1:
                continue  # two-token lemma fixes ("gon na"): not needed for news text
            cond = {}
            for key, value in pat[0].items():
                if isinstance(value, dict) and "IN" in value:
                    cond[key] = frozenset(value["IN"])
                else:
                    cond[key] = value
            rules.append((cond, p["attrs"]))
    return rules


class FastAttributes:
    """Callable pipeline component applying compiled attribute rules in order."""

    def __init__(self, rules: list[tuple[dict, dict]]):
        self.by_tag: dict[str, list[tuple[dict, dict]]] = {}
        self.untagged: list[tuple[dict, dict]] = []
        for cond, attrs in rules:
            tag = cond.get("TAG")
            if isinstance(tag, str):
                self.by_tag.setdefault(tag, []).append((cond, attrs))
            else:
                self.untagged.append((cond, attrs))

    @staticmethod
    def _ok(tok, cond) -> bool:
        for key, want in cond.items():
            if key == "TAG":
                got = tok.tag_
            elif key == "LOWER":
                got = tok.lower_
            elif key == "DEP":
                got = tok.dep_
            elif key == "IS_SPACE":
                got = tok.is_space
            else:
                return False
            if isinstance(want, frozenset):
                if got not in want:
                    return False
            elif got != want:
                return False
        return True

    def __call__(self, doc: Doc) -> Doc:
        for tok in doc:
            for cond, attrs in self.by_tag.get(tok.tag_, ()) + self.untagged:
                if self._ok(tok, cond):
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
