"""Participants outside the dictionaries: the noun phrase in a target slot, kept as an *entity* actor.

CAMEO and PLOVER coders keep the target of an event even when no dictionary
names it: PETRARCH's "new actor" option codes an unknown noun phrase by its
text, PLOVER records the target's text beside its code.  dyadwatch does the
same for the target of an event whose argument slots hold no dictionary actor
(:meth:`dyadwatch.coding.roles.ArgumentRoles.targets` and ``deep_targets``
found nothing): "Police arrested *opposition leader Juan Guaido*", "the court
ordered *the son of a former prime minister* to ...", "condemned *the bombing
of a military academy*".

Schema of an entity actor (:class:`dyadwatch.coding.actors.ActorRef`):

* ``text``/``span`` — the noun phrase, from its first modifier to its head
  (determiners, adjectives, compounds and possessors included; relative clauses
  and prepositional phrases after the head left out);
* ``code`` — :data:`ENTITY_CODE` ``"XXX"``, "unspecified", the code ICAO Doc
  9303 (machine-readable travel documents, part 3) gives a holder of
  unspecified nationality; ``country`` and ``sector`` are null, so the event
  stays out of every country-dyad series (they read ``tgt_country``);
* ``kind`` — ``"entity"``.

Where an entity is looked for, in this order (the first slot that holds a
noun phrase wins; conjoined phrases give one entity each): the passive
subject of a passive trigger; the direct or indirect object; the object of a
target preposition of the trigger (:data:`ENTITY_PREPS`, "with", "on",
"against", "to", "into", "for", "in" …); for an event noun, the object of its
target preposition; the subject of a clause the trigger reports ("said Taliban
militants were responsible").  Pronouns, numbers, time words and the
source's own phrase are never entities.
"""

from __future__ import annotations

from dyadwatch.coding.actors import ActorRef

#: the code of an actor no dictionary names (ICAO Doc 9303: unspecified nationality)
ENTITY_CODE = "XXX"
#: prepositions of a trigger whose object is a participant, in order of preference
ENTITY_PREPS = ("on", "against", "with", "to", "into", "upon", "toward", "towards", "at", "over", "from", "for",
                "between", "of", "in")
#: roots of transfers (intents to give, aid, yielding, sending forces, asking for something): the
#: recipient or destination is the target, the object is what is transferred
RECIPIENT_ROOTS = frozenset({"02", "03", "05", "06", "07", "08", "15", "16"})
RECIPIENT_PREPS = ("to", "for", "into", "with", "in")
#: prepositions of an event noun whose object is its target
NOUN_ENTITY_PREPS = ("on", "against", "to", "with", "into", "upon", "toward", "towards", "at", "between", "of",
                     "for", "in")
#: dependants of the head kept in the entity's span (left of the head: all; right: names only)
_RIGHT_NAME_DEPS = frozenset({"flat", "compound", "nummod"})
#: heads that name a time, an amount or a manner, not a participant
TIME_WORDS = frozenset("""
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow tonight week weekend month
year day days weeks months years hour hours minute minutes time times morning afternoon evening night decade
january february march april may june july august september october november december end beginning part
percent per cent number way lot kind sort
""".split())


def _phrase(tok):
    """First and last token of the noun phrase headed by ``tok`` (left modifiers and right name parts)."""
    lo = tok
    for c in tok.lefts:
        if c.dep_ in ("punct", "cc", "preconj") or c.pos_ == "PUNCT":
            continue
        lo = min(lo, c.left_edge, key=lambda t: t.i)
        break
    hi = tok
    for c in tok.rights:
        if c.dep_ in _RIGHT_NAME_DEPS and c.i == hi.i + 1:
            hi = c
        else:
            break
    while lo.i < tok.i and (lo.is_punct or lo.pos_ in ("CCONJ", "ADP")):
        lo = lo.doc[lo.i + 1]
    return lo, hi


def _participant(tok) -> bool:
    """True when ``tok`` can head a participant: a noun or name, no pronoun, number or time word."""
    if tok.pos_ not in ("NOUN", "PROPN"):
        return False
    return tok.lower_ not in TIME_WORDS and tok.lemma_.lower() not in TIME_WORDS and any(ch.isalpha() for ch in tok.text)


def entity_refs(roles, tok, sources) -> list[ActorRef]:
    """Entity actors (see the module docstring) of the noun phrase headed by ``tok`` and its conjuncts;
    [] when ``tok`` heads no participant or overlaps a source.  ``roles`` is the sentence's
    :class:`dyadwatch.coding.roles.ArgumentRoles` (its ``acts`` give the text and offset)."""
    out = []
    acts = roles.acts
    taken = [s.span for s in sources]
    for t in [tok, *tok.conjuncts]:
        if not _participant(t):
            continue
        lo_t, hi_t = _phrase(t)
        lo = lo_t.idx - acts.offset
        hi = hi_t.idx + len(hi_t.text) - acts.offset
        if lo < 0 or hi > len(acts.text) or lo >= hi:
            continue
        if any(lo < b and a < hi for a, b in taken):
            continue
        out.append(ActorRef(text=acts.text[lo:hi], code=ENTITY_CODE, country=None, sector=None, kind="entity",
                            span=(lo, hi)))
    return out


def _pobjs(tok, preps):
    for prep in preps:
        for c in tok.children:
            if c.dep_ in ("prep", "dative") and c.lower_ == prep:
                for g in c.children:
                    if g.dep_ == "pobj":
                        yield g


def entity_targets(roles, trigger, sources, code: str = "", core: bool = False, nouns=()) -> list[ActorRef]:
    """The entity target of an event whose trigger (a verb, or an event noun) has no actor in its
    target slots, found in the slots of the module docstring, in their order; [] when none holds a
    noun phrase.

    Parameters
    ----------
    roles : the sentence's :class:`dyadwatch.coding.roles.ArgumentRoles` (``SentenceCoder``)
    trigger : the event's trigger token (``RawEvent.anchors[0]``)
    sources : the event's source actors (never their own target)
    code : the event's CAMEO code: a transfer (roots of :data:`RECIPIENT_ROOTS`) looks at its
        recipient or destination (``to``, ``for``, ``in``, ``into``, ``with``) before its object,
        the thing transferred ("provided humanitarian assistance to Iraq")
    nouns : the event's own nouns ("launched *an investigation* into X", ``RawEvent.anchors[1:]``): never
        the target; their prepositional objects are looked at in their place (so are those of a
        light verb's object, :attr:`dyadwatch.coding.verbs.Lexicon.light_verbs`)
    core : only a named passive subject or object of a verb (a proper noun: "arrested Tomas
        Ferrandez in Lima"; no common noun, prepositional phrase or clause)
    """
    slots = []
    if core:
        if trigger.pos_ in ("NOUN", "PROPN"):
            return []
        if any(c.dep_ == "auxpass" for c in trigger.children):
            slots.extend(c for c in trigger.children if c.dep_ == "nsubjpass")
        slots.extend(c for c in trigger.children if c.dep_ in ("dobj", "iobj"))
        for tok in slots:
            if tok.pos_ != "PROPN":
                continue  # "imposed a curfew in Kirkuk": a thing, the place is the target
            refs = entity_refs(roles, tok, sources)
            if refs:
                return refs
        return []
    if code[:2] in RECIPIENT_ROOTS and trigger.pos_ not in ("NOUN", "PROPN"):
        for tok in _pobjs(trigger, RECIPIENT_PREPS):
            refs = roles._actors_of(tok) or entity_refs(roles, tok, sources)
            refs = [r for r in refs if not any(r.span[0] < b and a < r.span[1] for a, b in (s.span for s in sources))]
            if refs:
                return refs
    if trigger.pos_ in ("NOUN", "PROPN"):
        slots.extend(_pobjs(trigger, NOUN_ENTITY_PREPS))
    else:
        if any(c.dep_ == "auxpass" for c in trigger.children):
            slots.extend(c for c in trigger.children if c.dep_ == "nsubjpass")
        slots.extend(c for c in trigger.children if c.dep_ in ("dobj", "iobj")
                     or (c.dep_ == "dative" and c.pos_ != "ADP"))
        slots.extend(_pobjs(trigger, ENTITY_PREPS))
        for d in [c for c in trigger.children if c.dep_ == "dobj"]:  # "launched an investigation into X"
            slots.extend(_pobjs(d, NOUN_ENTITY_PREPS))
        slots.extend(g for c in trigger.children if c.dep_ in ("ccomp", "xcomp")
                     for g in c.children if g.dep_ in ("nsubj", "nsubjpass"))
    own = {n.i for n in nouns}
    if trigger.lemma_.lower() in getattr(roles.lex, "light_verbs", ()):
        # "launched an investigation into X": the light verb's object is the event itself
        own.update(c.i for c in trigger.children if c.dep_ == "dobj")
    for tok in slots:
        if tok.i in own:
            for g in _pobjs(tok, NOUN_ENTITY_PREPS):
                refs = entity_refs(roles, g, sources)
                if refs:
                    return refs
            continue
        refs = entity_refs(roles, tok, sources)
        if refs:
            return refs
    return []
