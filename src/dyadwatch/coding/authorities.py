"""Acts only a state's authorities do, told in the passive without their agent: the state of the place.

"The journalist was arrested in Niger", "two inspectors have been expelled
from North Korea", "three Russians have been released from captivity in
Libya": the sentence names no one who arrested, expelled or released, but
only a state's police, courts or government arrest, try, sentence, deport,
expel or free people from custody (CAMEO 1.1b3: 0841 "return, release
person(s)", 116 "find guilty or liable (legally)", 166 "expel or withdraw",
172 "impose administrative sanctions", 173 "arrest, detain, or charge with
legal action", 174 "expel or deport individuals" — each defined as an act of
a government or its organs).  The act is coded with the state of the place
where it happened as its source, the way ICEWS attributes such reports to
the police or government of the country they happen in, and the way the PLV
annotations (Hu et al. 2024) mark that place as the source.

When the verb has no such place but an "after"/"when"/"as"/"once" clause of
its own whose subject is a state organ (a government, court, police, army,
cabinet: sectors :data:`STATE_ORGAN_SECTORS`) — "were freed this morning
after South Korea's Cabinet approved a pardon" — that organ is the source:
its act made the release happen.

A release whose captive is described by who held them — "two fishermen who had been held by Chinese
coast guards were freed", "hostages seized by the rebels were released" — is the captor's release
(whoever holds people may release them: rebels free hostages, CAMEO 0841), found before any place.
Only the place of the verb itself counts (an ``in``, ``from``, ``at`` or
``inside`` phrase of the passive verb, whose noun is a country or a place
the gazetteer knows); a passive with an agent ("was arrested by rebels"), a
place inside another phrase ("arrested for crimes in Syria"), and every other
act (killings, attacks, seizures: anyone may do them) are left alone.
"""

from __future__ import annotations

from dyadwatch.coding.actors import ActorRef

#: CAMEO codes (and their sub-codes) of acts only a state's authorities do (see the module docstring)
STATE_ACT_CODES = ("0841", "116", "166", "172", "173", "174")
#: prepositions of the passive verb whose object is where the act happened
PLACE_PREPS = frozenset({"in", "from", "at", "inside"})
#: subordinators of a clause of the passive verb whose subject is taken as the authority that acted
SEQUEL_MARKS = frozenset({"after", "when", "as", "once"})
#: sectors of the state organs such a clause's subject must have
STATE_ORGAN_SECTORS = frozenset({"GOV", "JUD", "COP", "MIL", "LEG", "SPY"})


#: verbs whose agent holds the people they describe ("who had been held by", "kidnapped by")
HOLDING_VERBS = frozenset({"hold", "detain", "kidnap", "abduct", "capture", "seize", "imprison", "jail",
                           "arrest", "take"})


def captor(roles, v) -> list[ActorRef]:
    """The agent of a holding verb (:data:`HOLDING_VERBS`) in a relative or reduced relative clause of
    the passive subject of ``v`` ("fishermen who had been held by Chinese coast guards were freed" ->
    the coast guards), else []."""
    for subj in v.children:
        if subj.dep_ != "nsubjpass":
            continue
        for cl in subj.children:
            if cl.dep_ not in ("relcl", "acl") or cl.lemma_.lower() not in HOLDING_VERBS:
                continue
            for a in cl.children:
                if a.dep_ == "agent":
                    for g in a.children:
                        if g.dep_ == "pobj" and (refs := roles._actors_of(g)):
                            return refs[:1]
    return []


def is_state_act(code: str) -> bool:
    """True when CAMEO ``code`` is (a sub-code of) one of :data:`STATE_ACT_CODES`."""
    return code.startswith(STATE_ACT_CODES)


def place_authority(roles, v, code: str) -> list[ActorRef]:
    """The source of an agentless passive state act (see the module docstring): the country or place
    named by a :data:`PLACE_PREPS` phrase of the passive verb ``v``, as a country actor, else the state
    organ that is the subject of its "after"/"when" clause; for a release, first the captor named in
    the captive's relative clause (:func:`captor`); [] when ``v`` is no passive, has an agent,
    ``code`` is no state act, or neither names one.

    ``roles`` is the sentence's :class:`dyadwatch.coding.roles.ArgumentRoles` (``SentenceCoder``).
    """
    if not is_state_act(code) or not any(c.dep_ == "auxpass" for c in v.children):
        return []
    if any(c.dep_ == "agent" for c in v.children):
        return []
    if code.startswith("0841") and (held_by := captor(roles, v)):
        return held_by
    for c in v.children:
        if c.dep_ != "prep" or c.lower_ not in PLACE_PREPS:
            continue
        for g in c.children:
            if g.dep_ != "pobj" or g.pos_ != "PROPN":
                continue
            refs = [r for r in roles._actors_of(g) if r.kind in ("country", "place") and r.country]
            if refs:
                return refs[:1]
    for c in v.children:  # "were freed after South Korea's Cabinet approved a pardon"
        if c.dep_ != "advcl" or not any(g.dep_ == "mark" and g.lower_ in SEQUEL_MARKS for g in c.children):
            continue
        for g in c.children:
            if g.dep_ == "nsubj":
                refs = [r for r in roles._actors_of(g) if r.sector in STATE_ORGAN_SECTORS]
                if refs:
                    return refs[:1]
    return []
