"""Unconventional violence (CAMEO 18x) or conventional military force (CAMEO 19x), by who used it.

CAMEO 1.1b3 (Gerner, Schrodt, Yilmaz & Abu-Jabr 2012) separates root 19,
"use conventional military force" (armed forces fighting: small arms 190/193,
artillery and tanks 194, aerial weapons 195), from root 18, "use
unconventional violence" (abduction, physical assault, bombings that are not
military operations: 183 "conduct suicide, car, or other non-military
bombing").  A verb alone ("bombed") does not decide it: rebels, insurgents,
militias and unidentified attackers have no air force, so their bombing is a
non-military bombing.  :func:`by_perpetrator` applies that one rule to the
code a verb pattern or the event-class model gave.
"""

from __future__ import annotations

#: sectors of armed actors that are not a state's forces (CAMEO actor codebook 2.2)
NON_STATE_ARMED = frozenset({"REB", "INS", "SEP", "UAF", "RAD", "CRM", "IMG"})
#: codes of conventional force that name a weapon non-state actors lack (aircraft): code -> 18x code
AERIAL_TO_UNCONVENTIONAL = {"195": "183"}


def non_state_armed(actor) -> bool:
    """True for an armed group (dictionary kind ``group``) or a sector of :data:`NON_STATE_ARMED`."""
    return actor is not None and (actor.kind == "group" or (actor.sector or "") in NON_STATE_ARMED)


def by_perpetrator(code: str, source) -> str:
    """``code`` corrected for its source: aerial bombing (195x) by a non-state armed actor is a
    non-military bombing (183); everything else is returned unchanged.

    Example: ``by_perpetrator("195", rebels) == "183"``; ``by_perpetrator("195", air_force) == "195"``.
    """
    if code in AERIAL_TO_UNCONVENTIONAL and non_state_armed(source):
        return AERIAL_TO_UNCONVENTIONAL[code]
    return code
