"""Who fills the roles of a predicate: source and target actors on the dependency parse.

:class:`ArgumentRoles` is the half of :class:`dyadwatch.coding.events.SentenceCoder`
that finds the actors of a verb (its subject, passive agent, objects,
prepositional targets, the speaker of reported speech, the unidentified
perpetrator of an attack) and tells when a clause did not happen (negated,
speculative, refused, denied).  The rules themselves are documented in
:mod:`dyadwatch.coding.events`.
"""

from __future__ import annotations

from dyadwatch.coding.actors import ActorRef
from dyadwatch.coding.entities import entity_refs
from dyadwatch.coding.verbs import FAMILY_VERBS, SPECULATIVE_AUX, STATIVE_PASSIVES

TARGET_PREPS = ("on", "against", "with", "to", "at", "upon", "toward", "towards", "into", "over", "from",
                "for", "between", "in", "by")
#: prepositions of the building or body a protest is held at ("rallied outside parliament")
PROTEST_PREPS = ("outside",)
NOUN_TARGET_PREPS = ("on", "against", "to", "with", "at", "upon", "toward", "towards", "into", "between", "of")
RECIPROCAL_ROOTS = frozenset({"03", "04", "05", "06"})
SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
SPEECH_CODES = frozenset({"010", "012", "013", "019", "111", "112", "114", "130", "051"})
_REL_PRONOUNS = frozenset({"who", "which", "that"})
ALL_FAMILY_VERBS = frozenset().union(*FAMILY_VERBS.values())
#: verbs whose complement did not happen by the speaker's account ("denied using chemical weapons")
DENIAL_VERBS = frozenset({"deny", "dismiss", "refute", "disavow"})
#: verbs whose complement is wished or expected, not done ("wants Turkey to stop the offensive")
VOLITION_VERBS = frozenset({"want", "wish", "hope", "expect", "prefer", "desire"})
CCOMP_INTENT_VERBS = frozenset({"agree", "promise", "pledge", "vow", "undertake"})
CCOMP_FAMILY_VERBS = FAMILY_VERBS["demand"] | FAMILY_VERBS["appeal"] | FAMILY_VERBS["threaten"]
ISSUING_VERBS = frozenset({"issue", "make", "reiterate", "repeat", "renew", "send", "deliver", "voice", "express",
                           "announce", "put", "submit", "present", "lodge", "file", "publish", "release", "deliver"})
WEAPON_NOUNS = frozenset({"bomb", "device", "mine", "explosion", "blast", "rocket", "missile", "shell", "mortar",
                          "grenade", "explosive", "landmine", "ied", "bomber", "gunman", "gunmen", "sniper"})
#: verbs whose purpose clause is the event carried out ("sent personnel to Bosnia to investigate")
SENDING_VERBS = frozenset({"send", "dispatch", "deploy"})
#: prepositions whose event noun is the clause subject's own act ("in a visit to Tehran, Putin ...");
#: "after", "following", "before" introduce another event, whose agent is not the subject
#: ("expelled the ambassador after the attack on its embassy": no assault by the expeller)
ADVERBIAL_PREPS = frozenset({"in", "during", "on", "at"})
#: dependency relations a target found deep in the trigger's phrase may sit under (objects, their
#: prepositional phrases and modifiers, complements, small clauses "found X guilty")
#: (not modifiers: a noun is tried with them, and "pro-Iranian militias" are not Iran)
DEEP_TARGET_DEPS = frozenset({"dobj", "dative", "iobj", "attr", "oprd", "pobj", "prep", "pcomp", "xcomp",
                              "ccomp", "nsubj", "nsubjpass", "conj", "npadvmod", "acomp", "agent"})
#: prepositions of the trigger itself whose phrase is a time, place or circumstance, not a participant
CIRCUMSTANCE_PREPS = frozenset({"in", "at", "during", "after", "before", "since", "following", "until",
                                "amid", "despite", "near", "inside", "outside", "across", "throughout", "by",
                                "as", "like", "within", "under", "via", "through", "of"})
#: roots of events whose bare force or population object is sent, moved or helped *somewhere*: the
#: place (an ``in`` phrase) is the target ("agreed to deploy troops in Gaza")
DEPLOYMENT_ROOTS = frozenset({"03", "05", "06", "07", "08", "15", "16"})
#: prepositions of where such objects go or leave
DESTINATION_PREPS = ("to", "into", "in", "from")
#: sectors of such objects (the source's own forces, or people helped)
OWN_FORCE_SECTORS = frozenset({"MIL", "PKO", "CVL", "REF", "UAF", "COP", "HLH", "BUS"})
#: nouns naming a part of, or the settlement of, the place in their "of" phrase: "withdrew from the
#: outskirts of Jenin", "into the town of Moura" stand for that place (its gazetteer actor)
PLACE_PART_NOUNS = frozenset({"outskirts", "outskirt", "suburb", "suburbs", "edge", "centre", "center", "heart",
                              "part", "parts", "area", "vicinity", "north", "south", "east", "west", "northeast",
                              "northwest", "southeast", "southwest", "city", "town", "village", "region",
                              "province", "district", "capital"})
#: subordinators of a clause that did not happen (yet): "if Iran attacks Israel, ..."
HYPOTHETICAL_MARKS = frozenset({"if", "unless", "whether", "lest"})


class ArgumentRoles:
    """Source/target finding for one parsed sentence; needs ``sent``, ``acts`` (its
    :class:`~dyadwatch.coding.actors.SentenceActors`), ``lex``, ``offset`` and
    ``place_actor`` set by the subclass."""

    #: noun phrases no dictionary names are entity actors (:mod:`dyadwatch.coding.entities`); off for
    #: coders that keep PETRARCH's semantics (no "new actor" option)
    entities: bool = True

    def _span(self, *toks) -> tuple[int, int]:
        lo = min(t.idx for t in toks) - self.offset
        hi = max(t.idx + len(t.text) for t in toks) - self.offset
        return lo, hi

    @staticmethod
    def _negated(tok) -> bool:
        """A "not"/"never" on ``tok``, or its object quantified by "no" ("pledged no new funds",
        "sent no troops": nothing was pledged or sent)."""
        return any(c.dep_ == "neg" or (c.dep_ == "dobj" and any(g.dep_ == "det" and g.lower_ == "no"
                                                                for g in c.children))
                   for c in tok.children)

    def _is_speech(self, tok) -> bool:
        m = self.lex.match_verb(tok)
        return m is not None and m[0] in SPEECH_CODES

    def _speaker(self, v) -> list[ActorRef]:
        """The speaker when ``v`` is (inside) the clause of a verb of saying."""
        t = v
        for _ in range(4):
            if t.dep_ in ("ccomp", "parataxis") and t.head.pos_ in ("VERB", "AUX") and self._is_speech(t.head):
                return self.subjects(t.head, allow_speaker=False)
            if t.dep_ in ("conj", "xcomp") and t.head.i != t.i:
                t = t.head
                continue
            break
        return []

    def _unidentified(self, tok) -> list[ActorRef]:
        """An attack or weapon with no named perpetrator as subject ("a roadside
        bombing killed ...", "killed by an explosive device"): the CAMEO/ICEWS
        unidentified armed force, ``UAF`` (its country is filled from the place).
        Definite ones ("the raids") refer back to an attack already told and are not."""
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "these", "those", "its", "their")
               for c in tok.children):
            return []  # "the raids destroyed ...": an attack told before, not a new perpetrator
        if tok.lemma_.lower() in WEAPON_NOUNS or (self.lex.match_noun(tok) or "00")[:2] in ("18", "19", "20"):
            lo, hi = self._span(*[t for t in tok.subtree if t.i <= tok.i])
            return [ActorRef(self.acts.text[lo:hi], "UAF", None, "UAF", "agent", (lo, hi))]
        return []

    def _entity_subject(self, tok) -> list[ActorRef]:
        """A subject no dictionary names as an entity actor ("Reliance Jio agreed ..."), unless it is
        an event or a weapon ("the raids destroyed ...": an attack told before, not a new actor)."""
        if not self.entities or tok.lemma_.lower() in WEAPON_NOUNS or self.lex.match_noun(tok):
            return []
        return entity_refs(self, tok, [])

    def _actors_of(self, tok) -> list[ActorRef]:
        refs = self.acts.arg_actors(tok, embedded=True)
        if not refs and self.place_actor is not None:
            for t in [tok, *tok.conjuncts]:
                r = self.place_actor(t)
                if r is None and t.lemma_.lower() in PLACE_PART_NOUNS:
                    r = next((self.place_actor(g) for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                              for g in c.children if g.dep_ == "pobj"), None)  # "the outskirts of Jenin"
                if r is not None:
                    refs.append(r)
        return refs

    def subjects(self, v, allow_speaker: bool = True) -> list[ActorRef]:
        """Source actors of predicate ``v`` (its subject, inherited along
        conj/xcomp/advcl/``by``-clauses, a pronoun resolved to the speaker)."""
        passive_verb = any(c.dep_ == "auxpass" for c in v.children)
        if passive_verb and not any(c.dep_ == "nsubjpass" for c in v.children):
            for c in v.children:  # "... and were released by Putin": a passive conjunct with its agent
                if c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self._actors_of(g) or self._unidentified(g)
        if any(c.dep_ == "nsubjpass" for c in v.children):
            if v.lemma_.lower() in STATIVE_PASSIVES and not any(c.dep_ == "agent" for c in v.children):
                return self._actors_of(next(c for c in v.children if c.dep_ == "nsubjpass"))
            for c in v.children:
                if c.dep_ == "agent":
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self._actors_of(g) or self._unidentified(g)
            for c in v.children:  # "were killed in a suicide bombing": the attack, no named perpetrator
                if c.dep_ == "prep" and c.lower_ in ("in", "by"):
                    for g in c.children:
                        if g.dep_ == "pobj" and self._unidentified(g):
                            return self._unidentified(g)
            return []
        for c in v.children:
            if c.dep_ in SUBJECT_DEPS:
                if c.pos_ == "PRON" or c.lower_ in _REL_PRONOUNS:
                    if v.dep_ == "relcl" and c.lower_ in _REL_PRONOUNS:
                        return self._actors_of(v.head)
                    # "Iraq said it would ...": the speaker; "He accused ...": the person an
                    # earlier sentence introduced (coding.discourse)
                    return (self._speaker(v) if allow_speaker else []) or self.acts.pronoun_refs(c)
                return self._with_listed_countries(v, c, self._actors_of(c)) or (
                    self._agent_of_noun(c) or self._unidentified(c) or self._entity_subject(c))
        misparsed = self._misparsed_subject(v)
        if misparsed:
            return misparsed
        if v.dep_ == "conj" and v.head.pos_ in ("VERB", "AUX"):
            shared = [c for c in v.head.children if c.dep_ == "nsubjpass"]
            if shared and not any(c.dep_ == "auxpass" for c in v.children):
                return self._actors_of(shared[0])  # "was indicted ... and will resign"
            return self.subjects(v.head, allow_speaker)
        if v.dep_ == "xcomp" and v.head.pos_ in ("VERB", "AUX"):
            return self.subjects(v.head, allow_speaker)
        if v.dep_ == "advcl" and not any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children):
            return self.subjects(v.head, allow_speaker)
        if v.dep_ in ("advcl", "xcomp") and v.head.lemma_.lower() in SENDING_VERBS:
            return self.subjects(v.head, allow_speaker)  # "sent experts to Bosnia to investigate"
        if v.dep_ == "pcomp" and v.head.dep_ == "prep" and v.head.lower_ in ("by", "after", "before", "while",
                                                                            "in", "with"):
            gov = v.head.head
            if gov.pos_ in ("VERB", "AUX"):
                return self.subjects(gov, allow_speaker)
        if v.dep_ == "acl" and v.tag_ == "VBG" and v.head.dep_ in ("dobj", "attr"):
            gov = v.head.head  # "issued a declaration demanding that ..."
            if gov.pos_ in ("VERB", "AUX"):
                return self.subjects(gov, allow_speaker)
        return []

    def _with_listed_countries(self, v, subj, refs: list[ActorRef]) -> list[ActorRef]:
        """``refs`` (the actors of subject ``subj`` of ``v``) and the countries listed with it by a
        comma, as a headline writes "and" ("Ecuador, Peru agree to ..."): the parser hangs the other
        country on the subject as an apposition, or on the verb as a second subject or a noun-phrase
        adverbial before it; a country is none of these to another country."""
        if not refs or not all(r.kind == "country" and not r.sector for r in refs):
            return refs  # (a bare country: "Police in Athens, Georgia" is no list)
        out = list(refs)
        # (the listed word itself a name: "Syria, Russia's closest ally, bombed ..." lists no Russia)
        listed = [a for a in subj.children if a.dep_ == "appos" and a.pos_ == "PROPN"] + [
            a for a in v.children if a is not subj and a.i < v.i and a.dep_ in ("nsubj", "npadvmod")
            and a.pos_ == "PROPN" and any(t.text == "," for t in a.doc[min(a.i, subj.i):max(a.i, subj.i)])]
        for a in listed:
            more = self._actors_of(a)
            if more and all(r.kind == "country" and not r.sector and r.country not in {x.country for x in out}
                            for r in more):
                out.extend(more)
        return out

    def _agent_of_noun(self, noun) -> list[ActorRef]:
        """The actor behind a subject that is a thing or an act ("*the missiles fired by the Israeli
        military* struck ...", "*the action by Burundi's council* stops ..."): the agent of its reduced
        passive clause, else the object of its ``by`` phrase; [] when neither names an actor."""
        for c in noun.children:
            if c.dep_ == "acl" and c.tag_ == "VBN":
                for a in c.children:
                    if a.dep_ == "agent":
                        refs = [r for g in a.children if g.dep_ == "pobj" for r in self._actors_of(g)]
                        if refs:
                            return refs
            if c.dep_ == "prep" and c.lower_ == "by":
                refs = [r for g in c.children if g.dep_ == "pobj" for r in self._actors_of(g)]
                if refs:
                    return refs
        return []

    def _misparsed_subject(self, v) -> list[ActorRef]:
        """The subject of a verb the parser left without one (no subject dependant):

        * a verb hung as a clause under a noun that the parser made the sentence's root ("*A U.S.
          report* called for sanctions ...", "*Mikhail Khodorkovsky*, a former tycoon, called for
          ..."): a sentence has a main verb, so the noun is its subject;
        * a main verb whose dictionary actor before it was read as an adverb ("*USAID* had announced
          ...", a sentence-initial acronym): that actor.
        [] otherwise."""
        if v.dep_ == "acl":
            # (not a reduced passive's agent, "warplanes supported by Russia", "a zone set up by Turkey":
            # side events, mostly of another class than the sentence's; 5-fold CV on PLV, precision without
            # statements 0.800 with them)
            h = v.head
            if h.dep_ == "ROOT" and h.pos_ in ("NOUN", "PROPN") and h.i < v.i and v.tag_ in ("VBD", "VBN") \
                    and not any(a.dep_ == "agent" for a in v.children):
                return self._actors_of(h) or self._entity_subject(h)
            return []
        if v.dep_ == "ROOT":
            for c in v.children:
                if c.dep_ in ("advmod", "npadvmod") and c.i < v.i and self.acts.mention_at(c) is not None:
                    return self._actors_of(c)
        return []

    def targets(self, v, *, noun=None, code: str | None = None) -> list[ActorRef]:
        """Target actors of predicate ``v`` (see the module docstring).

        A bare agent with no country as direct object ("withdraw its troops
        from Lebanon") yields to a prepositional target that has one.
        """
        passive = [c for c in v.children if c.dep_ == "nsubjpass"]
        if not passive and v.dep_ == "conj" and any(c.dep_ == "auxpass" for c in v.children):
            passive = [c for c in v.head.children if c.dep_ in ("nsubj", "nsubjpass")]  # shared subject
        if passive and not (v.lemma_.lower() in STATIVE_PASSIVES and not any(c.dep_ == "agent" for c in v.children)):
            return self._actors_of(passive[0])
        direct, embedded = [], []
        dobjs = []
        if code is not None and code[:2] == "04":
            partner = self._with_partner(v)  # "discussed Libya with Trump": the partner, not the topic
            if partner:
                return partner
        for c in v.children:
            if c.dep_ in ("dobj", "dative", "iobj", "attr", "oprd"):
                if c.dep_ == "dative" and c.pos_ == "ADP":
                    continue
                dobjs.append(c)
                refs = self.acts.arg_actors(c, embedded=False)
                own_noun = noun is not None and c.i == noun.i
                if own_noun:
                    # the event's own noun is no target ("resumed joint military patrols" is no act on the
                    # military); a country inside it is ("tighten the blockade of Serbia")
                    refs = [r for r in refs if r.country]
                if not refs:
                    refs = self._possessor(c)  # "welcomed Trump's invitation": whose invitation
                if refs:
                    direct.extend(refs)
                else:
                    embedded.extend(r for r in self._actors_of(c) if r.country or not own_noun)
        strong = [r for r in direct if r.country or r.kind != "agent"]
        if strong:
            return strong
        if not dobjs:
            raised = self._raised_object(v, code)
            if raised:
                return raised
        visit = code is not None and (code[:3] in ("042", "043", "044") or code[:2] == "15")
        own = bool(direct) and code is not None and code[:2] in DEPLOYMENT_ROOTS and all(
            r.sector in OWN_FORCE_SECTORS for r in direct)
        if own:
            visit = True  # "deploy troops in Gaza", "provide aid to people in Yemen": where they go
        holders = [v] + ([noun] if noun is not None else []) + [d for d in dobjs if d is not noun]
        for h in list(holders[1:]):  # "a suspension of air links with Serbia"
            holders.extend(g for c in h.children if c.dep_ == "prep" and c.lower_ == "of"
                           for g in c.children if g.dep_ == "pobj")
        # each holder's prepositions and their objects, read once (not once per preposition and pass)
        holder_preps = [[(c.lower_, [g for g in c.children if g.dep_ == "pobj"])
                         for c in h.children if c.dep_ in ("prep", "dative")] for h in holders]
        order = TARGET_PREPS + PROTEST_PREPS if code is not None and code[:2] == "14" else TARGET_PREPS
        for allow_place in (False, True):
            for holder, preps in zip(holders, holder_preps):
                if not preps:
                    continue
                for prep in order:
                    if prep == "in" and not visit:
                        continue
                    if prep == "by" and holder is v:
                        continue
                    for word, pobjs in preps:
                        if word == prep:
                            for g in pobjs:
                                if allow_place:
                                    refs = self._actors_of(g)
                                else:
                                    refs = [r for r in self.acts.arg_actors(g, embedded=False)
                                            if r.country or r.kind != "agent"]
                                if refs:
                                    return refs
            if not allow_place and (direct or embedded) and not own:
                return direct or embedded
        if own and self.entities:  # "withdraw troops from a five-kilometre zone": the zone, no dictionary's
            for prep in DESTINATION_PREPS:
                for c in v.children:
                    if c.dep_ == "prep" and c.lower_ == prep:
                        for g in c.children:
                            if g.dep_ == "pobj" and (refs := entity_refs(self, g, [])):
                                return refs
        for d in dobjs:  # "rejected a ceasefire proposed by Moscow"
            for acl in d.children:
                if acl.dep_ == "acl":
                    for c in acl.children:
                        if c.dep_ == "agent":
                            for g in c.children:
                                if g.dep_ == "pobj":
                                    refs = self._actors_of(g)
                                    if refs:
                                        return refs
        return direct or embedded

    def deep_targets(self, v, sources) -> list[ActorRef]:
        """The target of a predicate whose argument slots (:meth:`targets`) hold no actor: the actor
        nearest to ``v`` (fewest dependency links, then first in the sentence) inside the phrase it
        governs, reached only through objects, prepositional phrases and complements
        (:data:`DEEP_TARGET_DEPS`), never through the verb's own subject, a full clause with a verb
        of its own, an adverbial or relative clause, or a time/place phrase of the verb itself
        (:data:`CIRCUMSTANCE_PREPS`): "called for sanctions against the US", "agreed to lift
        sanctions against the North", "found Barbarin guilty".  ``sources`` are not targets.
        Returns [] when there is none."""
        taken = [s.span for s in sources]
        frontier = [c for c in v.children if c.dep_ in DEEP_TARGET_DEPS and c.dep_ not in ("nsubj", "nsubjpass")
                    and not (c.dep_ == "prep" and c.lower_ in CIRCUMSTANCE_PREPS)
                    and not (c.dep_ in ("ccomp", "xcomp", "conj") and c.pos_ in ("VERB", "AUX")
                             and any(g.dep_ in SUBJECT_DEPS for g in c.children))]
        for _ in range(6):
            found = []
            for t in sorted(frontier, key=lambda x: x.i):
                if t.pos_ in ("NOUN", "PROPN"):
                    for r in self._actors_of(t):
                        if not any(r.span[0] < hi and lo < r.span[1] for lo, hi in taken) and r not in found:
                            found.append(r)
            if found:
                return found
            # not into an "of" phrase: its noun was tried with it ("the Sea of Japan" is no actor)
            frontier = [g for t in frontier for g in t.children if g.dep_ in DEEP_TARGET_DEPS
                        and not (g.dep_ in ("ccomp", "conj") and g.pos_ in ("VERB", "AUX"))
                        and not (g.dep_ == "prep" and g.lower_ == "of")]
            if not frontier:
                break
        return []

    def _with_partner(self, v) -> list[ActorRef]:
        """Actors of a ``with`` phrase of ``v`` that have a country or are no bare agent."""
        for c in v.children:
            if c.dep_ == "prep" and c.lower_ == "with":
                for g in c.children:
                    if g.dep_ == "pobj":
                        refs = [r for r in self.acts.arg_actors(g, embedded=False) if r.country or r.kind != "agent"]
                        if refs:
                            return refs
        return []

    def _possessor(self, noun) -> list[ActorRef]:
        """The actor that owns an object noun that is no actor itself ("Trump's invitation",
        "the regime's attacks"); [] for a possessive pronoun or no owner."""
        for g in noun.children:
            if g.dep_ == "poss" and g.pos_ != "PRON":
                return [r for r in self.acts.arg_actors(g, embedded=False) if r.country or r.kind != "agent"]
        return []

    def _raised_object(self, v, code: str | None) -> list[ActorRef]:
        """The subject of a small clause or an infinitive complement of ``v`` without an
        object: "found [the Syrian regime guilty]", "convicted [the bank to pay]", "wants
        [Iran to stop]".  Not for verbs of saying ("said Iran would attack") nor for
        clauses opened by "that"/"if"/"whether"."""
        if code is not None and code in SPEECH_CODES or self._is_speech(v):
            return []
        for c in v.children:
            if c.dep_ not in ("ccomp", "xcomp") or any(g.dep_ == "mark" for g in c.children):
                continue
            if not (c.pos_ == "ADJ" or any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)):
                continue
            for g in c.children:
                if g.dep_ in ("nsubj", "nsubjpass") and g.pos_ != "PRON":
                    refs = [r for r in self._actors_of(g) if r.country or r.kind != "agent"]
                    if refs:
                        return refs
        return []

    def _blocked(self, v) -> bool:
        """True when ``v`` sits under a negated, speculative, rejecting, failing or wishing
        clause ("refused to allow planes to land and evacuate", "wants Turkey to stop")."""
        t = v
        for _ in range(6):
            if t.dep_ not in ("xcomp", "conj", "ccomp", "pcomp", "advcl") or t.head.i == t.i:
                return False
            came = t.dep_
            t = t.head
            if came == "conj":
                continue
            if self._negated(t) or {c.lower_ for c in t.children if c.dep_ == "aux"} & SPECULATIVE_AUX:
                return True
            lemma = t.lemma_.lower()
            if lemma in FAMILY_VERBS["reject"] or lemma in FAMILY_VERBS["negate"] or lemma in DENIAL_VERBS:
                return True
            if lemma in VOLITION_VERBS and came in ("xcomp", "ccomp"):
                return True  # "the EU wants Turkey to stop the offensive": wished for, not done
        return False

    @staticmethod
    def _hypothetical(v) -> bool:
        """True when predicate ``v`` (or the verb it is conjoined to) is the clause of an "if",
        "unless", "whether" or "lest": a condition, not an event ("if Iran attacks Israel, ...")."""
        t = v
        for _ in range(4):
            if any(c.dep_ == "mark" and c.lower_ in HYPOTHETICAL_MARKS for c in t.children):
                return True
            if t.dep_ != "conj" or t.head.i == t.i:
                return False
            t = t.head
        return False

    def _condition_subjects(self, v, marks=("if", "unless")) -> list[ActorRef]:
        """Subject of an "if"/"unless" clause of ``v`` (or a clause of another of ``marks``): the target
        of a conditional threat ("threatened to strike unless Israel withdrew") or refusal ("will not
        end the strike until the government pays")."""
        for c in v.children:
            if c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in c.children):
                subj = [g for g in c.children if g.dep_ in ("nsubj", "nsubjpass")]
                if subj:
                    return self._actors_of(subj[0])
        return []

    def _clause_targets(self, v) -> list[ActorRef]:
        """Targets of a purpose or participle clause of ``v`` ("blocked roads to protest
        the President's decision", "opened fire to disperse demonstrators")."""
        for c in v.children:
            if c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB":
                refs = self.targets(c)
                if refs:
                    return refs
        return []

    def _controller_subjects(self, ctrl) -> list[ActorRef]:
        """Subjects of a controlling verb; for a controlling noun ("its demand
        that ...") its possessor or ``from``/``by`` phrase, else the subject of
        the verb that issues it (issue, make, reiterate, renew ...)."""
        if ctrl.pos_ in ("NOUN", "PROPN"):
            for c in ctrl.children:
                if c.dep_ == "poss" and c.pos_ != "PRON":
                    return self._actors_of(c)
                if c.dep_ == "prep" and c.lower_ in ("from", "by"):
                    for g in c.children:
                        if g.dep_ == "pobj":
                            return self._actors_of(g)
            h = ctrl.head
            if ctrl.dep_ == "dobj" and h.lemma_.lower() in ISSUING_VERBS:
                return self.subjects(h)
            return []
        return self.subjects(ctrl)
