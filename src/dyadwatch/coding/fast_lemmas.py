"""The model's own rule lemmatizer, each (word, part of speech, morphology) computed once.

spaCy's rule lemmatizer caches a lemma by ``(orth, pos, morph)`` but returns
before caching for the most common case, a word already in its base form
(``is_base_form``: singular nouns, infinitives, positive adjectives ...), and
creates a ``Token`` object for every token of every sentence.  :class:`FastLemmas`
reads every token's ``(ORTH, POS, MORPH, LEMMA)`` hashes in one ``Doc.to_array``
call, asks the wrapped lemmatizer only for a key it has not seen (so the lemma
is the lemmatizer's own: same tables, same rules), and writes the lemmas back
with one ``Doc.from_array`` call.  A lemma already set by the attribute rules
is kept, as the lemmatizer does with ``overwrite=False``.

:func:`install` wraps the loaded model's ``lemmatizer`` (nothing is copied).
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.tokens import Doc

_WRAPPED: dict[int, object] = {}  # id(nlp) -> the model's lemmatizer
_KEY_ATTRS = [ORTH, POS, MORPH, LEMMA]
#: distinct (word, POS, morphology) keys remembered: bounded memory on long streams
_MAX_CACHE = 300_000
_MISSING = object()


class FastLemmas:
    """Callable pipeline component: the wrapped rule lemmatizer's lemmas, cached per key.

    The cache holds lemma *strings* (not hashes): a string added to the vocabulary inside
    a ``memory_zone`` is freed when the zone ends, so each lemma is added again per use.
    """

    def __init__(self, lemmatizer):
        self.lemmatizer = lemmatizer
        self.cache: dict[tuple[int, int, int], str | None] = {}  # None: the word itself

    def __call__(self, doc: Doc) -> Doc:
        lem = self.lemmatizer
        if lem is None or getattr(lem, "overwrite", False) or getattr(lem, "mode", "rule") != "rule":
            return doc if lem is None else lem(doc)
        n = len(doc)
        if not n:
            return doc
        rows = doc.to_array(_KEY_ATTRS)
        cache = self.cache
        if len(cache) > _MAX_CACHE:
            cache.clear()
        add = doc.vocab.strings.add
        lemmas = rows[:, 3].copy()
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            s = cache.get(key, _MISSING)
            if s is _MISSING:
                s = lem.lemmatize(doc[i])[0]
                # a word that is its own lemma needs no string added: its hash is the word's
                s = cache[key] = None if s == doc.vocab.strings[orth] else s
            lemmas[i] = orth if s is None else add(s)
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc


@Language.factory("dyadwatch_fast_lemmas", default_config={})
def _factory(nlp: Language, name: str):
    return FastLemmas(_WRAPPED.get(id(nlp)))


def install(nlp: Language) -> Language:
    """Replace ``lemmatizer`` of ``nlp`` (a rule lemmatizer) by :class:`FastLemmas` wrapping it."""
    if "lemmatizer" not in nlp.pipe_names:
        return nlp
    lem = nlp.get_pipe("lemmatizer")
    if getattr(lem, "mode", None) != "rule" or getattr(lem, "overwrite", False):
        return nlp
    _WRAPPED[id(nlp)] = lem
    nlp.replace_pipe("lemmatizer", "dyadwatch_fast_lemmas")
    return nlp
