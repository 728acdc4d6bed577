"""Coding with given dictionaries only: no built-in actors, no CAMEO semantics.

:class:`DictionaryCoder` is the coder of :mod:`dyadwatch.coding.coder` reduced to
what a set of TABARI/PETRARCH dictionaries says: actors and agents from the
actor and agent files (:mod:`dyadwatch.coding.dictionaries.bridge`), event codes
taken as written from the verb dictionary
(:class:`~dyadwatch.coding.dictionaries.verb_matcher.VerbMatcher`), sentences
and stories dropped by the discard list.  It runs any research group's own
dictionaries, whatever their codebook, and is what the PETRARCH validation
suite is scored with (:mod:`dyadwatch.coding.petrarch_validation`).

Rules, per verb of a parsed sentence, in text order:

* the verb matcher gives the code(s); ``[---]`` or no code: no event;
* a negated verb ("did not attack") is coded only when the matched pattern
  itself holds the negation ("- SHALL NOT * [CODE]");
* once a verb is coded, the verbs inside its phrase (its dependents, less
  coordinated verbs) are not coded again (PETRARCH 1 resumes after the coded
  verb phrase);
* **source**: the actor a ``$`` (or ``%``) marker matched, else the subject
  (passive: the ``by`` agent; through conjoined and controlled verbs, a pronoun
  standing for the speaker — :class:`~dyadwatch.coding.roles.ArgumentRoles`),
  else the nearest actor before the verb;
* **target**: the actor a ``+`` marker matched, else the object or the object of
  a preposition, else the first actor after the verb in its phrase;
* conjoined actors give one event per pair; ``%`` (a compound actor) gives the
  pairs among its members; a code ``[A:B]`` adds the event B from target to
  source;
* with ``require_dyad`` (PETRARCH's default) an event needs a target; without it
  a missing target is written ``---``;
* an agent with no actor is written with the null country, ``---GOV``
  (``NGO---`` for a role written before the actor).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.codebooks.actors import ActorDictionary
from dyadwatch.coding.actors import ActorRecogniser, ActorRef, SentenceActors
from dyadwatch.coding.dictionaries.bridge import actor_records, agent_records
from dyadwatch.coding.dictionaries.discards import DiscardMatcher
from dyadwatch.coding.dictionaries.load import DictionarySet, load_dictionaries
from dyadwatch.coding.dictionaries.verb_matcher import VerbMatch, VerbMatcher
from dyadwatch.coding.dictionaries.verbs import NULL_CODE
from dyadwatch.coding.roles import ArgumentRoles

NULL_ACTOR = "---"
#: English verbs of saying: a pronoun subject in their complement stands for their subject
REPORTING_VERBS = frozenset({"say", "tell", "indicate", "report", "announce", "state", "add", "note", "claim",
                             "declare", "insist", "assert", "confirm", "write", "explain", "believe", "warn"})


@dataclass(frozen=True)
class DictEvent:
    """One event coded with dictionaries: actor codes and event code as the dictionaries write them."""

    source: str
    target: str
    code: str
    source_text: str
    target_text: str
    verb: str
    pattern_line: int | None


class _Lex:
    """The lexicon interface :class:`ArgumentRoles` asks (speech verbs only; no event nouns)."""

    light_verbs: frozenset[str] = frozenset()

    @staticmethod
    def match_verb(tok):
        return ("010", None) if tok.lemma_.lower() in REPORTING_VERBS else None

    @staticmethod
    def match_noun(tok):
        return None


class _Roles(ArgumentRoles):
    entities = False  # PETRARCH without its "new actor" option: unknown noun phrases are no actors

    def __init__(self, sent, acts: SentenceActors):
        self.sent = sent
        self.acts = acts
        self.lex = _Lex()
        self.offset = sent[0].idx if len(sent) else 0
        self.place_actor = None


def _split_codes(refs: list[ActorRef]) -> list[ActorRef]:
    """An entry coded ``[FRO/BIL/SAM]`` denotes several actors: one reference each."""
    out = []
    for r in refs:
        if "/" in r.code:
            out.extend(ActorRef(r.text, c, r.country, r.sector, r.kind, r.span) for c in r.code.split("/") if c)
        else:
            out.append(r)
    return out


def _code(ref: ActorRef) -> str:
    if ref.kind == "agent":
        role = ref.code
        return role[:-1] + NULL_ACTOR if role.endswith("~") else NULL_ACTOR + role
    return ref.code


class DictionaryCoder:
    """A coder that knows only the dictionaries it is given (see the module docstring).

    Parameters
    ----------
    dictionaries : a :class:`~dyadwatch.coding.dictionaries.load.DictionarySet`,
        or paths of files/directories to load (codes accepted as written).
    nlp : a loaded spaCy pipeline (default :func:`dyadwatch.coding.nlp.load`).
    """

    def __init__(self, dictionaries: DictionarySet | Iterable[str | Path], nlp=None):
        if not isinstance(dictionaries, DictionarySet):
            dictionaries = load_dictionaries(dictionaries)
        self.dictionaries = dictionaries
        taken: set[str] = set()
        records = actor_records(dictionaries.actors, cameo=False, taken=taken)
        records += agent_records(dictionaries.agents, cameo=False, taken=taken)
        self.actor_dictionary = ActorDictionary(records, country_table=False)
        self.recogniser = ActorRecogniser(self.actor_dictionary, plurals=False)  # the dictionaries' own plurals
        self.verbs = VerbMatcher(dictionaries.verbs)
        self.discards = DiscardMatcher([d for f in dictionaries.discards for d in f.entries])
        if nlp is None:
            from dyadwatch.coding import nlp as nlp_mod

            nlp = nlp_mod.load()
        self.nlp = nlp

    # ----------------------------------------------------------------- public
    def discard(self, text: str):
        """The discard phrase found in ``text`` (a :class:`~dyadwatch.coding.dictionaries.discards.Discard`), or None."""
        words = [t.lower_ for t in self.nlp.make_doc(text) if not t.is_punct and not t.is_space]
        return self.discards.match(words)

    def code_text(self, text: str, date: dt.date | None = None, *, require_dyad: bool = True) -> list[DictEvent]:
        """Events of one text (a sentence or a short story): discards applied, each
        sentence coded with :meth:`code_sentence`."""
        if self.discard(text) is not None:
            return []
        doc = self.nlp(text)
        out: list[DictEvent] = []
        for sent in doc.sents:
            out.extend(self.code_sentence(sent, date, require_dyad=require_dyad))
        return out

    def code_sentence(self, sent, date: dt.date | None = None, *, require_dyad: bool = True) -> list[DictEvent]:
        """Events of one parsed sentence (a spaCy span), duplicates removed, in text order."""
        acts = self.recogniser.mentions(sent, date)
        roles = _Roles(sent, acts)

        def actor_at(i: int):
            m = acts._at.get(i)
            return None if m is None else (m.start, m.end)

        covered: set[int] = set()
        out: list[DictEvent] = []
        for v in sent:
            if v.i in covered or not (v.pos_ == "VERB" or (v.pos_ == "AUX" and v.dep_ in ("ROOT", "conj"))):
                continue
            m = self.verbs.match(v, sent=sent, actor_at=actor_at)
            if m is None or m.is_null:
                continue
            if roles._negated(v) and not m.negated:
                continue
            covered.update(self._phrase(v))
            out.extend(self._events(v, m, acts, roles, require_dyad))
        seen, uniq = set(), []
        for e in out:
            key = (e.source, e.target, e.code)
            if key not in seen:
                seen.add(key)
                uniq.append(e)
        return uniq

    # ----------------------------------------------------------------- rules
    @staticmethod
    def _phrase(v) -> set[int]:
        """Token indices of the verb's phrase, less coordinated verbs' clauses."""
        skip: set[int] = set()
        for c in v.children:
            if c.dep_ in ("conj", "parataxis") and c.pos_ in ("VERB", "AUX"):
                skip.update(t.i for t in c.subtree)
        return {t.i for t in v.subtree} - skip

    @staticmethod
    def _mention_actors(acts: SentenceActors, start: int) -> list[ActorRef]:
        """The actors of the noun phrase whose mention starts at token ``start``."""
        m = acts._at.get(start)
        if m is None:
            return []
        doc = acts.sent.doc
        head = doc[m.start]
        for i in range(m.start, m.end):  # the token of the mention whose head lies outside it
            t = doc[i]
            if not (m.start <= t.head.i < m.end) or t.head.i == t.i:
                head = t
                break
        refs = acts.arg_actors(head, embedded=True)
        return refs or [acts._ref([doc[i] for i in range(m.start, m.end)], m.actor.code, m.actor,
                                  m.actor.sector, m.actor.kind)]

    @staticmethod
    def _nearest(acts: SentenceActors, v, before: bool, skip: set = frozenset()) -> list[ActorRef]:
        """The nearest actor before the verb (``before``), or the first after it in its
        phrase; actors whose span is in ``skip`` are passed over."""
        if before:
            order = range(v.i - 1, acts.sent.start - 1, -1)
        else:
            order = sorted(i for i in DictionaryCoder._phrase(v) if i > v.i)
        for i in order:
            if i in acts._at:
                refs = [r for r in DictionaryCoder._mention_actors(acts, acts._at[i].start) if r.span not in skip]
                if refs:
                    return refs
        return []

    def _events(self, v, m: VerbMatch, acts: SentenceActors, roles: _Roles, require_dyad: bool) -> list[DictEvent]:
        reciprocal = False
        if m.compound is not None:
            members = self._mention_actors(acts, m.compound)
            spans = {r.span for r in members}
            subjects = [r for r in roles.subjects(v) if r.span not in spans]
            if m.compound > v.i and subjects:  # "agrees with X and Y": the members are the targets
                sources, targets = subjects, members
            else:  # "X and Y agree": each member towards the others
                sources, targets, reciprocal = members, [], len(members) > 1
        else:
            marked_t = self._mention_actors(acts, m.target) if m.target is not None else []
            marked_s = self._mention_actors(acts, m.source) if m.source is not None else []
            not_t = {r.span for r in marked_t}
            sources = marked_s or [r for r in roles.subjects(v) if r.span not in not_t] \
                or [r for r in self._nearest(acts, v, True, skip=not_t)]
            not_s = {r.span for r in sources}
            targets = marked_t or [r for r in roles.targets(v) if r.span not in not_s] \
                or [r for r in self._nearest(acts, v, False, skip=not_s)]
            if not targets and len(sources) > 1 and m.codes.reverse is not None:
                reciprocal = True
        sources, targets = _split_codes(sources), _split_codes(targets)
        verb = acts.text[v.idx - acts.offset:v.idx - acts.offset + len(v.text)]
        out: list[DictEvent] = []

        def add(s: ActorRef, t: ActorRef | None, code: str | None) -> None:
            if code in (None, NULL_CODE):
                return
            if t is None and require_dyad:
                return
            sc, tc = _code(s), (_code(t) if t is not None else NULL_ACTOR)
            if t is not None and (sc == tc or (t.span == s.span and "/" not in s.text)):
                return
            out.append(DictEvent(sc, tc, code, s.text, t.text if t is not None else "", verb, m.pattern_line))

        if reciprocal:
            for s in sources:
                for t in sources:
                    if s is not t:
                        add(s, t, m.codes.forward)
            return out
        for s in sources:
            if not targets:
                add(s, None, m.codes.forward)
            for t in targets:
                add(s, t, m.codes.forward)
                add(t, s, m.codes.reverse)
        return out
