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

Likewise a seizure: CAMEO 171 "seize or damage property" is what police,
courts and governments do to goods, vessels and assets; armed forces or
armed groups taking a town, a region or an oil field hold territory, CAMEO
192 "occupy territory" (root 19).  :func:`seizure` applies that rule.
"""

from __future__ import annotations

#: sectors of armed actors that are not a state's forces (CAMEO actor codebook 2.2)
NON_STATE_ARMED = frozenset({"REB", "INS", "SEP", "UAF", "RAD", "CRM", "IMG"})
#: codes of conventional force that name a weapon non-state actors lack (aircraft): code -> 18x code
AERIAL_TO_UNCONVENTIONAL = {"195": "183"}


#: sectors of a state's own forces: never non-state, even as a named group (the IRGC is ``IRNMIL``)
STATE_FORCES = frozenset({"MIL", "GOV", "COP", "SPY"})


def non_state_armed(actor) -> bool:
    """True for a sector of :data:`NON_STATE_ARMED`, or a named armed group (dictionary kind ``group``)
    that is not a state's force (:data:`STATE_FORCES`: the IRGC, the Quds Force are state forces)."""
    if actor is None or (actor.sector or "") in STATE_FORCES:
        return False
    return actor.kind == "group" or (actor.sector or "") in NON_STATE_ARMED


def by_perpetrator(code: str, source) -> str:
    """``code`` corrected for its source: aerial bombing (195x) by a non-state armed actor is a
    non-military bombing (183); everything else is returned unchanged.

    Example: ``by_perpetrator("195", rebels) == "183"``; ``by_perpetrator("195", air_force) == "195"``.
    """
    if code in AERIAL_TO_UNCONVENTIONAL and non_state_armed(source):
        return AERIAL_TO_UNCONVENTIONAL[code]
    return code


#: target kinds that are territory (a gazetteer place, a country) rather than people, goods or groups
TERRITORY_KINDS = frozenset({"place", "country"})


def seizure(code: str, source, target) -> str:
    """``code`` corrected for a seizure of territory: 171 (seize, capture, take over) by armed forces
    (sector ``MIL``) or a non-state armed actor (:func:`non_state_armed`) of a place or a country
    (:data:`TERRITORY_KINDS`) is 192, occupy territory; everything else is returned unchanged.

    Example: "the Iraqi army took over Kirkuk" 171 -> 192; "police seized the tanker" stays 171.
    """
    if code != "171" or source is None or target is None or target.kind not in TERRITORY_KINDS:
        return code
    if source.sector == "MIL" or non_state_armed(source):
        return "192"
    return code
