"""Dependency rules: who did what to whom in one parsed sentence.

For every predicate the verb lexicon (:mod:`dyadwatch.coding.verbs`) codes:

* **source** = the subject; **target** = the direct object, else the indirect
  object, else the object of a target preposition (``on``, ``against``,
  ``with``, ``to``, ``at`` …);
* **passive voice** swaps them: the ``by`` agent is the source, the passive
  subject the target ("Aleppo was bombed by Russian jets"); a passive without
  an agent has no source and is not coded;
* **negated** predicates ("did not attack", "never met"), speculative ones
  ("may attack", "failed to meet") and conditions ("if Iran attacks Israel")
  are not coded;
* **intent and future** — "will meet", "agreed to supply", "is ready to
  withdraw" — take the composite codes of :func:`dyadwatch.coding.verbs.family_code`
  (03x intent, 13x threat, 10x demand, 02x appeal, 12x rejection);
* **compound actors** — conjoined subjects or objects give one event per
  source–target pair; a conjoined subject of a reciprocal event (consult,
  agree, cooperate) with no object gives the pairs among its members
  ("Russia and Iran signed an agreement" -> RUS->IRN and IRN->RUS);
* **reported speech** — a verb of saying codes the speaker's statement (010,
  or the lexicon's code), and its clause is coded as its own event, a pronoun
  subject standing for the speaker ("Iraq said it would allow inspectors");
  "X said Y must withdraw" is X demanding of Y;
* **event nouns** — "the Russian air strikes on Palmyra", "Putin's visit to
  Tehran" — are coded when the parse gives both a source (possessive,
  demonym, ``by`` phrase, or the subject of the clause the noun sits in) and
  a target (``on``/``against``/``to``/``with`` phrase); a light verb
  ("launched attacks on …") takes the code of its object noun.

Places that fill a target slot ("bombed Aleppo") stand for their country's
actor, found with the gazetteer.  Finding the actors of a predicate is
:mod:`dyadwatch.coding.roles`; this module holds the rules over predicates
and event nouns.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dyadwatch.coding import appraisal
from dyadwatch.coding.actors import ActorRef, SentenceActors
from dyadwatch.coding.authorities import place_authority
from dyadwatch.coding.entities import entity_refs
from dyadwatch.coding.roles import (ADVERBIAL_PREPS, ALL_FAMILY_VERBS, CCOMP_FAMILY_VERBS, CCOMP_INTENT_VERBS,
                                    NOUN_TARGET_PREPS, RECIPROCAL_ROOTS, SENDING_VERBS, ArgumentRoles)
from dyadwatch.coding.verbs import (DEMAND_AUX, FAMILY_ADJECTIVES, FAMILY_DEFAULT, FAMILY_NOUNS, FAMILY_VERBS,
                                    INTENT_AUX, SPECULATIVE_AUX, Lexicon, family_code)


@dataclass
class RawEvent:
    """An event found in a sentence, before dates, places and code tables."""

    source: ActorRef
    target: ActorRef | None
    code: str
    verb_span: tuple[int, int]
    anchors: list = field(default_factory=list)  # tokens to look for the place around; [0] is the trigger
    rule: str = "verb"
    coded_by: str = "rules"  # "rules", "rules+model" (class changed by the event model) or "model"
    confidence: float = 1.0  # the event model's probability of the class (1.0 without a model)


#: look for a target deep in the trigger's phrase when its argument slots hold none
#: (:meth:`dyadwatch.coding.roles.ArgumentRoles.deep_targets`)
DEEP_TARGETS = True
#: families whose verb is an event whatever the act it asks for: "ordered X to appear" is a demand (CAMEO
#: 100), "asked X to come" an appeal (020), even when the lexicon does not code the complement
UNCODED_COMPLEMENT_FAMILIES = frozenset({"demand", "appeal"})
#: CAMEO roots of predicates whose object noun is what they reject, reduce or violate, not an event of
#: their subject ("reneged on an accord with Iran" is no agreement with Iran)
NEGATING_ROOTS = frozenset({"12", "16"})
#: appeals told with the one asked in a "with"/"to" phrase ("pleaded with the government to negotiate",
#: "appealed to the UN to ...")
PLEADING_VERBS = frozenset({"plead", "appeal", "beg"})
#: CAMEO roots of acts about a topic ("talks on", "cooperating on"): an event noun in their "on" phrase
#: is what they are about, not another act of their subject
TOPIC_ROOTS = frozenset({"04", "06"})
#: CAMEO roots of the acts whose negated intention is a refusal (CAMEO 12 refuses cooperation:
#: agreement, consultation, support, cooperation, aid, concessions)
REFUSABLE_ROOTS = frozenset({"03", "04", "05", "06", "07", "08"})


def _conditional(v, code: str | None = None) -> bool:
    """True when ``v`` is a conditional commitment that CAMEO codes as a threat:
    an "unless" clause, or an "if" clause on a conflictual act (root 10-20)."""
    for c in v.children:
        if c.dep_ == "advcl":
            marks = {g.lower_ for g in c.children if g.dep_ == "mark"}
            if "unless" in marks:
                return True
            if "if" in marks and code is not None and code[:2] >= "10" and code[:2] != "14":
                return True
    return False


#: nouns that count or group events: "a new round of joint exercises" is exercises (062), not a round of
#: negotiations (046), which "a new round" alone means
MEASURE_NOUNS = frozenset({"round", "series", "wave", "spate", "string", "number", "set", "flurry", "barrage",
                           "campaign"})


def measured_noun(noun, lex):
    """The event noun that a measure noun counts ("round of exercises" -> "exercises"), else ``noun``."""
    if noun.lemma_.lower() not in MEASURE_NOUNS:
        return noun
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for g in c.children:
                if g.dep_ == "pobj" and lex.match_noun(g):
                    return g
    return noun


class SentenceCoder(ArgumentRoles):
    """Apply the rules to one parsed sentence (a spaCy ``Span``) with its actors."""

    def __init__(self, sent, actors: SentenceActors, lex: Lexicon, place_actor=None, dict_verbs=None):
        self.sent = sent
        self.acts = actors
        self.lex = lex
        self.dict_verbs = dict_verbs  # a VerbMatcher (TABARI/PETRARCH verb dictionary) or None
        self.offset = sent[0].idx if len(sent) else 0
        self.place_actor = place_actor  # token -> ActorRef | None (gazetteer fallback)
        self.consumed: set[int] = set()
        self.absorbed: set[int] = set()  # verbs coded as part of another's event (a call's purpose)
        self._base_codes: dict[int, tuple[str | None, object]] = {}  # token index -> _base_code (one parse)
        lex.repair_lemmas(sent)  # "staged" -> stage, not stag

    # ------------------------------------------------------------ helpers
    def _dictionary_code(self, v) -> str | None:
        """The forward CAMEO code the verb dictionary gives ``v`` (its patterns on the parse), or None."""
        if self.dict_verbs is None:
            return None
        at = self.acts._at
        m = self.dict_verbs.match(v, sent=self.sent,
                                  actor_at=lambda i: (at[i].start, at[i].end) if i in at else None)
        if m is None or m.is_null or m.codes.forward in (None, "---"):
            return None
        return m.codes.forward

    def _base_code(self, v) -> tuple[str | None, object]:
        """(code, event noun or None) of a predicate from the lexicon, else the verb dictionary
        (kept per token: the rules ask again for a verb they meet twice)."""
        hit = self._base_codes.get(v.i)
        if hit is None:
            hit = self._base_codes[v.i] = self._lookup_base_code(v)
        return hit

    def _lookup_base_code(self, v) -> tuple[str | None, object]:
        m = self.lex.match_verb(v)
        code = m[0] if m else None
        weight = m[1].weight[0] if m else -1
        if code is None:
            code = self._dictionary_code(v)
            weight = 0 if code else -1
        if v.lemma_.lower() in self.lex.light_verbs or code is None:
            objs = [c for c in v.children if c.dep_ in ("dobj", "nsubjpass")]
            if v.lemma_.lower() in self.lex.light_verbs:  # "engaged in ethnic cleansing"
                objs += [g for c in v.children if c.dep_ == "prep" and c.lower_ == "in"
                         for g in c.children if g.dep_ == "pobj"]
            for c in objs:
                c = measured_noun(c, self.lex)
                ncode = self.lex.match_noun(c)
                if ncode and (code is None or weight < 2):
                    return ncode, c
        return code, None

    # ------------------------------------------------------------ rules
    def _family(self, v):
        """(family, controller) when ``v`` is the complement of a clause-taking word."""
        if v.dep_ in ("acl", "ccomp") and v.head.pos_ == "NOUN" and v.head.lemma_.lower() in FAMILY_NOUNS:
            return FAMILY_NOUNS[v.head.lemma_.lower()], v.head
        if v.dep_ == "ccomp":
            lemma = v.head.lemma_.lower()
            for fam in ("demand", "appeal", "threaten"):
                if lemma in FAMILY_VERBS[fam]:
                    return fam, v.head
            if lemma in CCOMP_INTENT_VERBS:  # "agreed that their countries should cooperate"
                return "intent", v.head
            for c in v.head.children:  # "reiterated its demand that Israel ease ..."
                if c.dep_ == "dobj" and c.lemma_.lower() in FAMILY_NOUNS:
                    return FAMILY_NOUNS[c.lemma_.lower()], c
            return None, None
        if v.dep_ != "xcomp":
            return None, None
        h = v.head
        lemma = h.lemma_.lower()
        if h.pos_ in ("VERB", "AUX"):
            for fam, words in FAMILY_VERBS.items():
                if lemma in words:
                    return fam, h
            if lemma == "go" and any(c.dep_ == "aux" for c in h.children):
                return "intent", h
        if h.dep_ == "acomp" or h.pos_ == "ADJ":
            for fam, words in FAMILY_ADJECTIVES.items():
                if lemma in words or h.lower_ in words:
                    return fam, h.head
        return None, None

    def _emit(self, out, sources, targets, code, verb_span, anchors, rule, reciprocal_ok=True, deep=True):
        if not sources:
            return
        if code == "042" and all(s.code.endswith("PKO") for s in sources):
            code = "074"  # peacekeepers arriving: CAMEO 074, provide peacekeeping
        if not targets and len(sources) > 1 and reciprocal_ok and code[:2] in RECIPROCAL_ROOTS:
            for s in sources:
                for t in sources:
                    if s is not t:
                        out.append(RawEvent(s, t, code, verb_span, anchors, rule + "+reciprocal"))
            return
        if not targets and deep and DEEP_TARGETS and code[:2] != "01" and anchors and not (
                len(sources) > 1 and reciprocal_ok and code[:2] in RECIPROCAL_ROOTS):
            targets = self.deep_targets(anchors[0], sources)
        for s in sources:
            if not targets:
                out.append(RawEvent(s, None, code, verb_span, anchors, rule))
            for t in targets:
                if t.span == s.span or (t.code == s.code and t.text == s.text):
                    continue
                out.append(RawEvent(s, t, code, verb_span, anchors, rule))

    def code(self) -> list[RawEvent]:
        """Every event of the sentence (duplicates of one source, target and code merged)."""
        out: list[RawEvent] = []
        toks = self.acts.tokens if self.acts.sent is self.sent else list(self.sent)
        for v in toks:
            if v.pos_ not in ("VERB", "AUX"):
                continue
            self._code_predicate(v, out)
        for n in toks:
            if n.pos_ in ("NOUN", "PROPN") and n.i not in self.consumed:
                self._code_noun(n, out)
        seen, uniq = set(), []
        for e in out:
            key = (e.source.code, e.source.span, e.target.code if e.target else None,
                   e.target.span if e.target else None, e.code)
            if key not in seen:
                seen.add(key)
                uniq.append(e)
        return uniq

    def _code_call(self, v, out) -> bool:
        """A telephone call or a judgement ("called the talks productive"), :mod:`dyadwatch.coding.appraisal`;
        True when ``v`` is one (coded unless negated, speculative, conditional or under a blocking verb)."""
        hit = appraisal.judgement(v)
        part = hit[1] if hit is not None else None
        if hit is None:
            hit = appraisal.phone_call(v, lambda t: bool(self._actors_of(t)), self.lex)
            if hit is None:
                return False
        code, other = hit
        if other is not None:
            (self.consumed if part is not None else self.absorbed).add(other.i)
        auxes = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
        if self._negated(v) or self._hypothetical(v) or auxes & SPECULATIVE_AUX or self._blocked(v):
            return True
        if auxes & INTENT_AUX and not v.tag_ == "VBN":
            code = family_code("intent", code) or code
        self._emit(out, self.subjects(v), self.targets(v, code=code), code, self._span(v), [v], "call")
        return True

    def _code_predicate(self, v, out) -> None:
        if v.i in self.absorbed or self._code_call(v, out):
            return
        # a clause-taking verb is coded through its complement
        lemma = v.lemma_.lower()
        if lemma in ALL_FAMILY_VERBS and any(c.dep_ == "xcomp" and c.pos_ == "VERB" for c in v.children) \
                and self._family(v)[0] is None:  # "demanded that they refuse to ..." keeps the outer family
            return
        if lemma in CCOMP_FAMILY_VERBS | CCOMP_INTENT_VERBS and any(c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")
                                                                     for c in v.children):
            return  # "demanded that Israel withdraw": coded from the clause
        if v.pos_ == "AUX" and not any(c.dep_ == "acomp" for c in v.children):
            return
        if v.pos_ == "AUX":
            return  # copula "is ready to": coded from the complement
        if self._hypothetical(v):
            return  # "if Iran attacks Israel, ...": a condition, not an event
        auxes = {c.lower_ for c in v.children if c.dep_ in ("aux", "auxpass")}
        if self._negated(v):
            if auxes & INTENT_AUX and not auxes & SPECULATIVE_AUX and v.dep_ not in ("xcomp", "advcl", "pcomp") \
                    and not self._blocked(v):
                self._code_refusal(v, out)  # a negated intention ("will not release"): a refusal, CAMEO 12
            return
        if auxes & SPECULATIVE_AUX and not _conditional(v, self._base_code(v)[0] or '00'):
            return
        family, ctrl = self._family(v)
        if ctrl is not None and (self._negated(ctrl) or
                                 {c.lower_ for c in ctrl.children if c.dep_ == "aux"} & SPECULATIVE_AUX):
            return
        if ctrl is not None and ctrl.dep_ == "xcomp":
            f2, c2 = self._family(ctrl)
            if c2 is not None and f2 == "negate":
                return
        if self._blocked(ctrl if ctrl is not None else v):
            return
        code, noun = self._base_code(v)
        anchors = [v] + ([noun] if noun is not None else [])
        if noun is not None:
            self.consumed.add(noun.i)
        if code is not None and code[:2] in ("18", "19", "20"):
            att = noun or next((c for c in v.children if c.dep_ == "dobj" and c.lemma_.lower() == "attack"), None)
            if att is not None and appraisal.verbal_attack(v, att):
                code = appraisal.CRITICISM  # "launched a scathing attack on the government"
        if family is not None:
            if family == "negate":
                return
            if code is None:
                own = self.lex.match_verb(ctrl) if ctrl.pos_ == "VERB" else None
                code = own[0] if own else None
                if code is None and family in UNCODED_COMPLEMENT_FAMILIES and ctrl.pos_ == "VERB":
                    code = FAMILY_DEFAULT[family]  # "ordered X to appear": a demand whatever the act
                if code is None:
                    return
            else:
                code = family_code(family, code)
                if code is None:
                    return
            sources = self._controller_subjects(ctrl)
            targets = []
            ctrl_aux = {c.lower_ for c in ctrl.children if c.dep_ == "aux"}
            if ctrl_aux & DEMAND_AUX and ctrl.pos_ in ("VERB", "AUX"):
                speaker = self._speaker(ctrl)
                if not speaker:
                    return
                subj = [c for c in ctrl.children if c.dep_ in ("nsubj", "nsubjpass")]
                self._emit(out, speaker, self._actors_of(subj[0]) if subj else [],
                           family_code("demand", code) or "100", self._span(ctrl, v), anchors + [ctrl],
                           "reported-demand", deep=False)
                return
            if family in ("appeal", "demand") and v.dep_ in ("ccomp", "acl"):
                subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
                targets = self._actors_of(subj[0]) if subj else []
            if family in ("appeal", "demand") and not targets and ctrl.pos_ == "NOUN":
                for c in ctrl.head.children:  # "issued a reminder to Iraq that ..."
                    if c.dep_ in ("prep", "dative") and c.lower_ == "to":
                        for g in c.children:
                            if g.dep_ == "pobj":
                                targets = self._actors_of(g)
            if family in ("appeal", "demand") and not targets:
                for c in ctrl.children:
                    if c.dep_ in ("dobj", "dative", "nsubj") and c is not None and c.dep_ != "nsubj":
                        targets = self._actors_of(c)
                    elif c.dep_ == "prep" and (c.lower_ in ("on", "upon") or
                                               (c.lower_ == "with" and ctrl.lemma_.lower() in PLEADING_VERBS) or
                                               (c.lower_ == "to" and (ctrl.pos_ == "NOUN" or
                                                                      ctrl.lemma_.lower() in PLEADING_VERBS))):
                        for g in c.children:
                            if g.dep_ == "pobj":
                                targets = self._actors_of(g)
                    if targets:
                        break
            if family == "threaten" and not targets and ctrl.pos_ == "VERB":
                for c in ctrl.children:  # "warned Pakistan that any strike would ...": the one warned
                    if c.dep_ in ("dobj", "dative") and (targets := self._actors_of(c)):
                        break
            if not targets:
                targets = self.targets(v, noun=noun, code=code)
            if family == "intent" and _conditional(v, code):
                code = family_code("threaten", code) or code
            if not targets and code[:2] == "13":
                targets = self._condition_subjects(v) or self._condition_subjects(ctrl)
            self._emit(out, sources, targets, code, self._span(ctrl, v), anchors + [ctrl], "family:" + family)
            return
        if code is None:
            return
        speaker = self._speaker(v)
        clause = [c for c in v.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
        if code[:2] == "14" and clause:
            # "..., a rights group protested": a protest that reports a clause is verbal (CAMEO 114)
            subj = [c for c in clause[0].children if c.dep_ in ("nsubj", "nsubjpass")]
            self._emit(out, self.subjects(v), self._actors_of(subj[0]) if subj else [], "114", self._span(v),
                       anchors, "verbal-protest", deep=False)
            return
        if auxes & DEMAND_AUX and speaker:
            subj = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")]
            targets = self._actors_of(subj[0]) if subj else []
            self._emit(out, speaker, targets, family_code("demand", code) or "100", self._span(v), anchors,
                       "reported-demand", deep=False)
            return
        if auxes & DEMAND_AUX:
            return
        if (_conditional(v, code) or (auxes & SPECULATIVE_AUX)) and code[:2] not in ("13",):
            code = family_code("threaten", code) or code
        elif auxes & INTENT_AUX and not v.tag_ == "VBN":
            code = family_code("intent", code) or code
        sources = self.subjects(v)
        targets = self.targets(v, noun=noun, code=code)
        if not sources and (sources := place_authority(self, v, code)) and not targets:
            # "the journalist was arrested in Niger": Niger's act, on the one arrested (the passive subject)
            targets = [r for c in v.children if c.dep_ == "nsubjpass" for r in entity_refs(self, c, sources)]
        if v.dep_ in ("advcl", "xcomp") and v.head.lemma_.lower() in SENDING_VERBS:
            targets = self.targets(v.head, code=code) or targets
        if not targets and code[:2] == "13":
            targets = self._condition_subjects(v)
        if not targets and code[:2] in ("14", "17", "18", "19"):
            targets = self._clause_targets(v)
        if not targets:  # "donated and delivered goods to X": conjoined verbs share the object
            for c in v.children:
                if c.dep_ == "conj" and c.pos_ == "VERB" and not any(g.dep_ in ("nsubj", "nsubjpass")
                                                                     for g in c.children):
                    targets = self.targets(c, code=code)
                    if targets:
                        break
        self._emit(out, sources, targets, code, self._span(v), anchors, "verb")

    def _code_refusal(self, v, out) -> None:
        """A negated intention ("Israel will not release the prisoners", "said it would not lift the
        ban"): the refusal of what the verb codes, CAMEO 12 (:func:`family_code` ``"reject"``: 1241
        refuse to ease sanctions, 1243 refuse to release persons ...) of a cooperative act
        (:data:`REFUSABLE_ROOTS`); other verbs give nothing."""
        code, noun = self._base_code(v)
        if code is None or code[:2] not in REFUSABLE_ROOTS:
            return  # "will not attack" is no refusal of anything
        code = family_code("reject", code) or "120"
        anchors = [v] + ([noun] if noun is not None else [])
        sources = self.subjects(v)
        # "will not end the strike until the government pays": refused to the one whose act is awaited
        targets = self.targets(v, noun=noun, code=code) or self._condition_subjects(v, ("if", "unless", "until"))
        self._emit(out, sources, targets, code, self._span(v), anchors, "refusal")

    def _code_noun(self, n, out) -> None:
        code = self.lex.match_noun(n)
        if code is None or code[:2] in ("01",):
            return
        gov = n.head.head if n.dep_ == "pobj" and n.head.dep_ == "prep" else n.head
        if n.dep_ in ("dobj", "pobj") and gov.pos_ == "VERB" and (self._base_code(gov)[0] or "")[:2] in NEGATING_ROOTS:
            return  # "reneged on an accord with Iran": the accord is what is rejected
        if any(c.dep_ == "neg" or c.lower_ in ("no",) for c in n.children):
            return
        sources: list[ActorRef] = []
        for c in n.children:
            mc = self.acts.mention_at(c)
            if c.dep_ == "poss" or (c.dep_ in ("amod", "compound", "nmod") and mc is not None
                                    and not mc.is_place and mc.actor.kind != "agent"):
                sources = self.acts.arg_actors(c, embedded=False)
                if sources:
                    break
            if c.dep_ == "prep" and c.lower_ == "by":
                for g in c.children:
                    if g.dep_ == "pobj":
                        sources = self._actors_of(g)
        targets: list[ActorRef] = []
        for prep in NOUN_TARGET_PREPS:
            for c in n.children:
                if c.dep_ == "prep" and c.lower_ == prep:
                    for g in c.children:
                        if g.dep_ == "pobj":
                            refs = self.acts.arg_actors(g, embedded=True)
                            if not refs and prep in ("on", "against", "to", "of") and self.place_actor:
                                r = self.place_actor(g)
                                refs = [r] if r else []
                            if refs:
                                targets = refs
                                break
                if targets:
                    break
            if targets:
                break
        if not sources:
            # "In a visit to Tehran, Putin ...": the noun sits in a phrase of the clause
            h = n.head
            if n.dep_ == "pobj" and h.dep_ == "prep" and h.lower_ in ADVERBIAL_PREPS \
                    and h.head.pos_ in ("VERB", "AUX") and not self._blocked(h.head) \
                    and not (h.lower_ == "on" and code[:2] not in TOPIC_ROOTS
                             and (self._base_code(h.head)[0] or "")[:2] in TOPIC_ROOTS):
                # (not the topic of a consultation or cooperation: "cooperating with Zimbabwe on the
                # investigation into ..." is no investigation by the subject)
                sources = self.subjects(h.head)
        if not sources or not targets:
            return
        self._emit(out, sources, targets, code, self._span(n), [n], "noun", reciprocal_ok=False)
