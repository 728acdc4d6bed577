"""What a deployment is for decides its class: peacekeeping and help are aid, not a show of force.

CAMEO 1.1b3 (Gerner, Schrodt, Yilmaz & Abu-Jabr 2012) codes troops moved in
two places: 15 *exhibit force posture* (154 "mobilize or increase armed
forces") and 07 *provide aid* (074 "provide military protection or
peacekeeping"); PLOVER keeps them apart as MOBILIZE and AID.  The verb is the
same ("sent 200 troops", "announced the deployment of troops"); the purpose
tells them apart:

* a deployment whose phrase names a peacekeeping mission or force ("sent 200
  troops to serve as a peacekeeping force", "the deployment of troops to
  Liberia on a peacekeeping mission") is 074;
* troops sent to help, assist, protect, defend or train someone ("sent troops
  to help the Iraqi army") are 074 as well, and the offer or promise of them
  ("offered to send troops to help the Philippine army") is the intent to
  provide them, 0334 (CAMEO 03 *express intent to cooperate*), not a threat
  of force (138).

:func:`by_purpose` applies these rules to the code a verb pattern gave.
"""

from __future__ import annotations

#: words that make a deployment peacekeeping
PEACEKEEPING_WORDS = frozenset({"peacekeeping", "peacekeeper", "peace-keeping", "peacekeepers", "blue"})
#: purposes that make a deployment help for the one it goes to
HELP_VERBS = frozenset({"help", "assist", "support", "protect", "defend", "train", "aid", "secure", "guard",
                        "stabilize", "stabilise"})
#: verbs that move troops
SENDING_LEMMAS = frozenset({"send", "deploy", "dispatch", "station", "contribute", "provide", "commit"})
PEACEKEEPING = "074"
INTENT_PEACEKEEPING = "0334"


def _own_phrase(trigger):
    """Tokens of the trigger's phrase, without its subject's (a subject "peacekeepers" is who moves)."""
    skip = set()
    for c in trigger.children:
        if c.dep_ in ("nsubj", "nsubjpass", "csubj"):
            skip.update(t.i for t in c.subtree)
    return [t for t in trigger.subtree if t.i not in skip]


def _peacekeeping(tokens) -> bool:
    return any(t.lemma_.lower() in PEACEKEEPING_WORDS and t.lower_ != "blue" or
               (t.lower_ == "helmets" and any(c.lower_ == "blue" for c in t.children)) for t in tokens)


def _helps(trigger) -> bool:
    """True when the trigger has a purpose clause of helping ("to help the Iraqi army")."""
    return any(c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c.lemma_.lower() in HELP_VERBS
               for c in trigger.children)


def by_purpose(code: str, anchors) -> str:
    """``code`` of a deployment corrected for its purpose (module docstring): 154 mobilization on a
    peacekeeping mission or to help someone -> 074; 138 (intent to use force, from "offered to send
    troops") to help someone -> 0334.  ``anchors`` are the event's tokens, the trigger first (the
    verb or its event noun after it); other codes are returned unchanged.

    Example: "Nigeria announced the deployment of 230 troops to Liberia on a peacekeeping mission"
    gives 154 from the noun "deployment", corrected to 074.
    """
    if not anchors or code not in ("154", "138"):
        return code
    trigger = anchors[0]
    if code == "154":
        if _peacekeeping(_own_phrase(trigger)) or _helps(trigger):
            return PEACEKEEPING
        return code
    if trigger.lemma_.lower() in SENDING_LEMMAS and (_helps(trigger) or _peacekeeping(_own_phrase(trigger))):
        return INTENT_PEACEKEEPING
    return code
