"""The verb-dictionary matcher: event codes for a verb of a spaCy parse.

:class:`VerbMatcher` compiles verb dictionaries
(:class:`~dyadwatch.coding.dictionaries.verbs.VerbDictionary`) into look-ups and
answers, for one verb token of a parsed sentence, which event the dictionary
codes (:meth:`VerbMatcher.match`):

1. **verb** — the token's text is looked up among the verbs' forms (the
   listed irregular forms, else the regular ones made by the reader); a
   multi-word verb ("cordoned off", "wire tapped") must find its other words
   next to the token.  A verb listed in several blocks takes the patterns of
   all of them.
2. **patterns** — tried most specific first (most items, then file order).
   The items after ``*`` are matched in order on the verb's dependents after
   it (its subtree, less coordinated clauses); the items before ``*`` on the
   sentence before the verb, from the verb backwards (for PETRARCH 2
   dictionaries, whose pre-verb items are the subject's words, on the verb's
   own phrase before it).  Words match a token's
   text case-insensitively, whole words as in PETRARCH (``lemmas=True`` also
   accepts the token's lemma: "aids" for AID); a blank in the pattern allows
   words between, ``_`` does not.  ``$``/``+``/``%`` match an actor mention
   (given by ``actor_at``), marking it as source, target or compound actor;
   ``^`` skips a noun phrase (up to and including its first noun, or an actor
   mention).
3. **code** — the first pattern that matches gives the event (``[---]``: the
   dictionary says there is none); with none, the verb's own code, else the
   block's.

The matcher knows nothing of CAMEO: codes come back as written
(:class:`~dyadwatch.coding.dictionaries.verbs.EventCodes`), so the same code
runs the CAMEO dictionaries and a test suite's own codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from dyadwatch.coding.dictionaries.verbs import Element, EventCodes, VerbDictionary, VerbForm, VerbPattern

#: words that make a matched pattern a negated one ("will not seal off", "did not clash")
NEGATION_WORDS = frozenset({"not", "n't", "never", "no", "neither", "nor"})
#: dependents of a verb whose subtree is another clause, left out of its lower sequence
_OTHER_CLAUSE = frozenset({"conj", "parataxis"})

ActorAt = Callable[[int], "tuple[int, int] | None"]


@dataclass(frozen=True)
class VerbMatch:
    """What the dictionary codes for one verb.

    ``codes`` (forward / reverse event codes, :data:`~dyadwatch.coding.dictionaries.verbs.NULL`
    when a ``[---]`` pattern matched); ``meaning`` of the block; ``pattern_line``
    (None = the verb alone); ``source``/``target``/``compound`` = start token of the
    actor mention a marker matched (None when the pattern had none); ``verb``
    (first, last token index of the verb words); ``words`` = token indices the
    pattern's words matched; ``negated`` = a matched word is a negation.
    """

    codes: EventCodes
    meaning: str
    pattern_line: int | None
    verb: tuple[int, int]
    source: int | None = None
    target: int | None = None
    compound: int | None = None
    words: tuple[int, ...] = ()
    negated: bool = False
    size: int = 0

    @property
    def is_null(self) -> bool:
        return self.codes.is_null


@dataclass(frozen=True)
class _Compiled:
    pattern: VerbPattern
    order: int
    needs: frozenset[str]  # literal words that must occur in the sentence (fast rejection)
    synsets: tuple[str, ...]  # synsets of the pattern: one of each one's words must occur too


@dataclass
class _Entry:
    form: VerbForm
    meaning: str
    block_codes: EventCodes
    patterns: tuple[_Compiled, ...]
    clause_only: bool  # PETRARCH 2 patterns: the words before * are looked for in the verb's own phrase


_LAST_TABLE: list = [None, None]  # (doc, its token table): the verbs of one sentence share one pass


def _token_table(doc) -> tuple[list[str], list[str], list[bool]]:
    """(lower-case forms, lower-cased lemmas, punctuation-or-space flags) of ``doc``'s tokens, by
    token index; the last doc's table is kept, so the verbs of one sentence read its tokens once
    (each ``doc[i]`` builds a new ``Token`` and each string attribute is a StringStore look-up)."""
    if _LAST_TABLE[0] is doc:
        return _LAST_TABLE[1]
    low, lem, skip = [], [], []
    for t in doc:
        low.append(t.lower_)
        lem.append(t.lemma_.lower())
        skip.append(t.is_punct or t.is_space)
    _LAST_TABLE[0], _LAST_TABLE[1] = doc, (low, lem, skip)
    return low, lem, skip


def _words(tok) -> tuple[str, str]:
    return tok.lower_, tok.lemma_.lower()


#: words whose roots :meth:`VerbMatcher.verb_roots` keeps (form, lemma) -> roots; cleared when full
_ROOTS_CACHE_MAX = 50_000


class VerbMatcher:
    """Compiled verb dictionaries (see the module docstring).

    Parameters
    ----------
    dictionaries : verb dictionaries, earlier ones first (their patterns are
        tried together, ranked by specificity).
    lemmas : also look verbs up by lemma and let pattern words match a token's
        lemma (not PETRARCH's reading; measured in docs/coding.md).
    verb_alone : a verb whose patterns do not match codes its own or its
        block's code (PETRARCH); False: it codes nothing.
    """

    def __init__(self, dictionaries: Iterable[VerbDictionary], *, lemmas: bool = False, verb_alone: bool = True):
        self.lemmas = lemmas
        self.verb_alone = verb_alone
        self.synsets: dict[str, tuple[tuple[str, ...], ...]] = {}
        self._by_form: dict[str, list[_Entry]] = {}
        self._by_base: dict[str, list[_Entry]] = {}
        self._roots_cache: dict[tuple[str, str], tuple[frozenset[str], frozenset[str]]] = {}
        order = 0
        for d in dictionaries:
            for name, members in d.synsets.items():
                self.synsets.setdefault(name, members)
        # synset members by their first word (matched forwards) and by their last (backwards)
        self._first: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        self._last: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        self._words: dict[str, frozenset[str]] = {}
        for name, members in self.synsets.items():
            first, last = {}, {}
            for m in members:
                first.setdefault(m[0], []).append(m)
                last.setdefault(m[-1], []).append(m)
            self._first[name], self._last[name] = first, last
            self._words[name] = frozenset(w for m in members for w in m)
        for d in dictionaries:
            for block in d.blocks:
                compiled = []
                for p in block.patterns:
                    syn = tuple(dict.fromkeys(e.value for e in p.upper + p.lower if e.kind == "synset"))
                    compiled.append(_Compiled(p, order, self._needs(p), syn))
                    order += 1
                compiled.sort(key=lambda c: (-c.pattern.size, c.order))
                for form in block.verbs:
                    entry = _Entry(form, block.meaning, block.codes, tuple(compiled), d.style == "petrarch2")
                    for f in form.inflections:
                        self._by_form.setdefault(f, []).append(entry)
                    self._by_base.setdefault(form.base, []).append(entry)
        self.pattern_count = order

    @staticmethod
    def _needs(p: VerbPattern) -> frozenset[str]:
        return frozenset(e.value for e in p.upper + p.lower if e.kind == "word")

    # ------------------------------------------------------------- verbs
    def __contains__(self, word: str) -> bool:
        return word in self._by_form or word in self._by_base

    def _entries(self, tok) -> list[_Entry]:
        found = self._by_form.get(tok.lower_)
        if found or not self.lemmas:
            return found or []
        return self._by_base.get(tok.lemma_.lower(), [])

    @staticmethod
    def _verb_span(entry: _Entry, tok) -> tuple[int, int] | None:
        """(first, last) token index of the verb's words around ``tok``, or None when
        the other words of a multi-word verb are not there."""
        form = entry.form
        doc = tok.doc
        lo = tok.i - form.verb_at
        hi = tok.i + (len(form.words) - form.verb_at - 1)
        if lo < 0 or hi >= len(doc):
            return None
        for k, word in enumerate(form.words):
            if k == form.verb_at:
                continue
            if doc[lo + k].lower_ != word:
                return None
        return lo, hi

    def verb_roots(self, tok) -> tuple[frozenset[str], frozenset[str]]:
        """CAMEO roots (two digits, ``01``-``20``) the dictionaries give verb token ``tok`` by its
        form or its lemma: (the verb's own or its block's code, every pattern's forward code);
        ``---`` and non-CAMEO codes left out.  What the verb *can* mean, for the event-class
        model's features (:mod:`dyadwatch.coding.features`); both empty when the verb is not listed."""
        key = _words(tok)
        cache = self._roots_cache
        hit = cache.get(key)
        if hit is not None:
            return hit
        if len(cache) >= _ROOTS_CACHE_MAX:  # bounded: a stream of novel words never grows it past this
            cache.clear()
        cache[key] = hit = self._verb_roots(*key)
        return hit

    def _verb_roots(self, lower: str, lemma: str) -> tuple[frozenset[str], frozenset[str]]:
        entries = self._by_form.get(lower) or self._by_base.get(lemma) or []
        own, patterns = set(), set()
        for e in entries:
            for codes, into in ((e.form.codes, own), (e.block_codes, own),
                                *((c.pattern.codes, patterns) for c in e.patterns)):
                fwd = codes.forward if codes is not None else None
                if fwd and len(fwd) >= 2 and fwd[:2].isdigit() and "01" <= fwd[:2] <= "20":
                    into.add(fwd[:2])
        return frozenset(own), frozenset(patterns - own)

    # ------------------------------------------------------------- match
    def match(self, tok, *, sent=None, actor_at: ActorAt | None = None) -> VerbMatch | None:
        """The event the dictionaries code for verb token ``tok``, or None.

        Parameters
        ----------
        tok : a spaCy token (the verb).
        sent : the sentence span it belongs to (default ``tok.sent``, else its doc).
        actor_at : token index -> (start, end) of the actor mention holding that
            token, or None; without it the markers ``$ + % ^`` never match.

        Returns
        -------
        VerbMatch or None
            None when the verb is not in the dictionaries, or no pattern matches
            and its default code is ``---``.
        """
        entries = self._entries(tok)
        if not entries:
            return None
        spans = []
        for e in entries:
            span = self._verb_span(e, tok)
            if span is not None:
                spans.append((len(e.form.words), e, span))
        if not spans:
            return None
        longest = max(n for n, _, _ in spans)  # a multi-word verb found wins over the single word
        spans = [(e, span) for n, e, span in spans if n == longest]
        if sent is None:
            try:
                sent = tok.sent
            except ValueError:
                sent = tok.doc
        vlo, vhi = spans[0][1]
        doc = tok.doc
        forms, lemmas, skip = _token_table(doc)
        lower = self._lower(tok, vhi, skip)
        if all(e.clause_only for e, _ in spans):  # the subject and what stands before the verb in its phrase
            upper = [t.i for t in reversed(list(tok.subtree)) if t.i < vlo and not skip[t.i]]
        else:  # the sentence's words before the verb, last first
            lo, hi = (0, len(doc)) if sent is doc else (sent.start, sent.end)
            upper = [i for i in range(min(vlo, hi) - 1, lo - 1, -1) if not skip[i]]
        low_w = [(forms[i], lemmas[i] if self.lemmas else None) for i in lower]
        up_w = [(forms[i], lemmas[i] if self.lemmas else None) for i in upper]
        present = {w for pair in low_w + up_w for w in pair if w}
        seen: set[int] = set()
        candidates: list[tuple[_Compiled, _Entry]] = []
        for e, _ in spans:
            for c in e.patterns:
                if c.order not in seen and c.needs <= present and \
                        all(not self._words.get(name, frozenset()).isdisjoint(present) for name in c.synsets):
                    seen.add(c.order)
                    candidates.append((c, e))
        candidates.sort(key=lambda ce: (-ce[0].pattern.size, ce[0].order))
        ctx = _Context(doc, self, actor_at, (lower, low_w), (upper, up_w))
        for c, e in candidates:
            got = ctx.match_pattern(c.pattern)
            if got is not None:
                marks, words = got
                negated = any(forms[i] in NEGATION_WORDS for i in words)
                return VerbMatch(c.pattern.codes, e.meaning, c.pattern.line, (vlo, vhi), marks.get("source"),
                                 marks.get("target"), marks.get("compound"), tuple(sorted(words)), negated,
                                 c.pattern.size)
        e, span = spans[0]
        codes = e.form.codes or e.block_codes
        if codes.is_null or not self.verb_alone:
            return None
        return VerbMatch(codes, e.meaning, None, span)

    @staticmethod
    def _lower(tok, after: int, punct: list[bool]) -> list[int]:
        """Token indices after the verb in its subtree, less coordinated clauses and punctuation
        (``punct``: the punctuation-or-space flags of :func:`_token_table`, by token index)."""
        skip: set[int] = set()
        for c in tok.children:
            if c.dep_ in _OTHER_CLAUSE and c.pos_ in ("VERB", "AUX"):
                skip.update(t.i for t in c.subtree)
                skip.update(x.i for x in tok.children if x.dep_ == "cc" and x.i < c.i)
        return [t.i for t in tok.subtree if t.i > after and t.i not in skip and not punct[t.i]]


class _Context:
    """Matching of one pattern's sides on token sequences (backtracking, patterns are short).

    A side is (token indices, their (text, lemma or None) pairs), in matching order:
    after the verb forwards, before it backwards."""

    def __init__(self, doc, matcher: VerbMatcher, actor_at: ActorAt | None, lower, upper):
        self.doc = doc
        self.m = matcher
        self.actor_at = actor_at
        self.lower = lower
        self.upper = upper

    def match_pattern(self, p: VerbPattern):
        marks: dict[str, int] = {}
        words: list[int] = []
        steps_low = [(el, p.lower_joined if k == 0 else el.joined) for k, el in enumerate(p.lower)]
        n = len(p.upper)
        steps_up = [(p.upper[k], p.upper_joined if k == n - 1 else p.upper[k + 1].joined)
                    for k in range(n - 1, -1, -1)]
        if not self._side(steps_low, self.lower, 0, True, marks, words):
            return None
        if not self._side(steps_up, self.upper, 0, False, marks, words):
            return None
        return marks, words

    def _side(self, steps, side, start, forward, marks, words) -> bool:
        if not steps:
            return True
        seq, txt = side
        (el, adjacent), rest = steps[0], steps[1:]
        end = min(start + 1, len(seq)) if adjacent else len(seq)
        for q in range(start, end):
            for nxt, used, mark in self._element(el, seq, txt, q, forward):
                saved = dict(marks)
                if mark is not None:
                    marks[el.kind] = mark
                if self._side(rest, side, nxt, forward, marks, words):
                    words.extend(used)
                    return True
                marks.clear()
                marks.update(saved)
        return False

    def _element(self, el: Element, seq, txt, q, forward):
        """Ways ``el`` matches at position ``q``: (next position, word tokens used, marked token)."""
        if el.kind == "word":
            text, lemma = txt[q]
            if el.value == text or el.value == lemma:
                yield q + 1, (seq[q],), None
            return
        if el.kind == "synset":
            index = (self.m._first if forward else self.m._last).get(el.value)
            if not index:
                return
            text, lemma = txt[q]
            cands = index.get(text, [])
            if lemma and lemma != text:
                cands = cands + index.get(lemma, [])
            for member in cands:
                k = len(member)
                if q + k > len(seq):
                    continue
                words = member if forward else member[::-1]
                if all(w == txt[q + j][0] or w == txt[q + j][1] for j, w in enumerate(words)):
                    idx = seq[q:q + k] if forward else list(reversed(seq[q:q + k]))
                    yield q + k, tuple(idx), None
            return
        span = self.actor_at(seq[q]) if self.actor_at is not None else None
        if el.kind == "skip" and span is None:
            # a noun phrase: up to and including its first noun, within four tokens
            for end in range(q, min(q + 4, len(seq))):
                if self.doc[seq[end]].pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
                    yield end + 1, (), None
                    return
            return
        if span is None:  # an actor marker: the mention holding this token, consumed whole
            return
        end = q
        while end < len(seq) and span[0] <= seq[end] < span[1]:
            end += 1
        yield end, (), span[0]
