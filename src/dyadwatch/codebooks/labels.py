"""Names beside codes: what a reader sees for a country, a CAMEO event, a PLOVER type, a region.

Every output of dyadwatch (report, CLI tables, JSON) shows a name and keeps
the code beside it, so a reader needs no codebook: ``Iran (IRN)``,
``Express intent to cooperate (030)``. JSON carries both fields
(``"a": "IRN", "a_name": "Iran"``).

Sources
-------
* Country names: :mod:`dyadwatch.codebooks.countries` (ISO 3166-1 short
  names, with COW and Gleditsch–Ward spells).
* CAMEO 1.1b3 event names: :mod:`dyadwatch.codebooks.cameo` (Gerner et al.
  2012, the codebook's names).
* PLOVER event types: the PLOVER manual (Open Event Data Alliance; Halterman
  et al. 2023), one-line glosses written by us from its definitions.
* Regions: the numbering blocks of the Correlates of War state codes
  (Correlates of War Project, *State System Membership List* v2016: 2–165
  the Americas, 200–399 Europe, 400–626 Africa, 630–698 the Middle East,
  700–990 Asia and Oceania), the convention behind COW's and peacesciencer's
  regional groupings. A state without a COW code (e.g. a territory) has no
  region.
"""

from __future__ import annotations

from functools import lru_cache

#: QuadClass names (GDELT/ICEWS convention; DESIGN.md)
QUAD_CLASS_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict",
                    4: "material conflict"}

#: PLOVER event types with a one-line gloss (PLOVER manual; "OTHER" is ours for CAMEO 01x statements).
#: Signing is SUPPORT, promising to sign is AGREE: the manual (openeventdata/PLOVER, PLOVER_MANUAL.tex,
#: sections AGREE and SUPPORT) defines AGREE as "agree to, offer, promise, or otherwise indicate willingness or
#: commitment to cooperate, including promises to sign or ratify agreements" and SUPPORT as including "ratify,
#: sign, or finalize an agreement or treaty"; its crosswalks (CAMEO2PLOVER-2021.txt, cameo/CAMEO-PLOV.txt) map
#: CAMEO 057 "Sign formal agreement" to SUPPORT and CAMEO 03x "Express intent to ..." to AGREE.
PLOVER_GLOSS = {
    "AGREE": "promise or offer to cooperate, including a promise to sign an agreement",
    "CONSULT": "meet, visit, telephone or negotiate",
    "SUPPORT": "express support, praise or diplomatic recognition, or sign an agreement",
    "CONCEDE": "yield: ease sanctions, release persons, accept demands",
    "COOPERATE": "cooperate in practice (economic, military, judicial, intelligence)",
    "AID": "give economic, military or humanitarian aid",
    "RETREAT": "withdraw forces, de-escalate, end a blockade or curfew",
    "DEMAND": "request, appeal or demand",
    "DISAPPROVE": "criticise, accuse or investigate",
    "REJECT": "reject a proposal, demand or negotiation",
    "THREATEN": "threaten force, sanctions or other harm",
    "PROTEST": "demonstrate, strike or boycott",
    "MOBILIZE": "mobilise or raise the alert of armed forces",
    "SANCTION": "reduce relations, impose sanctions or an embargo",
    "SEIZE": "seize property, take hostages, occupy territory",
    "COERCE": "arrest, expel, blockade, repress",
    "ASSAULT": "use force: attacks, fighting, bombing",
    "OTHER": "public statement without a PLOVER type (CAMEO 01x)",
}

#: ATOP obligation flags and their names (Leeds et al. 2002, ATOP codebook)
ATOP_NAMES = {"defense": "defence", "offense": "offence", "neutral": "neutrality", "nonagg": "non-aggression",
              "consul": "consultation"}

#: (first COW code, last COW code, region): COW state-list numbering blocks
COW_REGIONS = ((2, 165, "Americas"), (200, 399, "Europe"), (400, 626, "Africa"), (630, 698, "Middle East"),
               (700, 990, "Asia and Oceania"))


@lru_cache(maxsize=4096)
def country_name(code: str | None) -> str | None:
    """Common short name of an ISO3 country code (``"IRN"`` -> ``"Iran"``); ``None`` for
    ``None``; the code itself when the country table does not know it (e.g. an IGO code)."""
    if code is None or code != code or str(code).strip() == "":
        return None
    from dyadwatch.codebooks import countries

    try:
        return countries.name_of(str(code))
    except Exception:  # not a country code: an IGO, a sector code ... keep it as it is
        return str(code)


def country_label(code: str | None) -> str:
    """``"Iran (IRN)"``; the code alone when no name is known; ``"—"`` for ``None``."""
    name = country_name(code)
    if name is None:
        return "—"
    return name if name == code else f"{name} ({code})"


def pair_label(a: str, b: str) -> str:
    """``"Iran (IRN) – Russia (RUS)"``."""
    return f"{country_label(a)} – {country_label(b)}"


def pair_title(a: str, b: str) -> str:
    """``"Iran–Russia (IRN–RUS)"``: names first, the codes beside them; ``"IRN–XXX"`` alone when
    neither code has a name other than itself."""
    na, nb = country_name(a) or str(a), country_name(b) or str(b)
    if na == a and nb == b:
        return f"{a}–{b}"
    return f"{na}–{nb} ({a}–{b})"


def pair_name(a: str, b: str) -> str:
    """``"Iran–Russia"`` (names only, for titles)."""
    return f"{country_name(a)}–{country_name(b)}"


@lru_cache(maxsize=4096)
def cameo_name(code: str | None) -> str | None:
    """Codebook name of a CAMEO 1.1b3 code (``"057"`` -> ``"Sign formal agreement"``); None when
    the code is missing or unknown."""
    if code is None or code != code or str(code).strip() == "":
        return None
    from dyadwatch.codebooks import cameo

    try:
        return cameo.lookup(str(code)).name
    except Exception:
        return None


def cameo_label(code: str | None) -> str:
    """``"Sign formal agreement (057)"``; the code alone when unknown; ``"—"`` for None."""
    if code is None or code != code or str(code).strip() == "":
        return "—"
    name = cameo_name(code)
    return f"{name} ({code})" if name else str(code)


def plover_label(ptype: str | None) -> str:
    """``"CONSULT (meet, visit, telephone or negotiate)"``; ``"—"`` for None."""
    if not ptype:
        return "—"
    gloss = PLOVER_GLOSS.get(str(ptype).upper())
    return f"{ptype} ({gloss})" if gloss else str(ptype)


def quad_class_name(qc) -> str | None:
    """QuadClass 1..4 -> ``"verbal cooperation"`` …; None otherwise."""
    try:
        return QUAD_CLASS_NAMES.get(int(qc))
    except (TypeError, ValueError):
        return None


@lru_cache(maxsize=4096)
def region_of(iso3: str | None, year: int = 2000) -> str | None:
    """Region of a state from its COW code in ``year`` (see module docstring), or None."""
    if not iso3:
        return None
    from dyadwatch.codebooks import countries

    try:
        cow = countries.iso3_to_cow(str(iso3), int(year))
    except Exception:
        cow = None
    if cow is None:  # a state that was not a COW member that year: its latest spell
        try:
            c = countries.countries().get(str(iso3))
            codes = [s.code for s in (c.spells if c else ()) if s.system == "cow"]
            cow = codes[-1] if codes else None
        except Exception:
            cow = None
    if cow is None:
        return None
    for lo, hi, name in COW_REGIONS:
        if lo <= int(cow) <= hi:
            return name
    return None


def region_pair(a: str, b: str, year: int = 2000) -> str | None:
    """``"Europe – Middle East"`` (sorted), or None when either region is unknown."""
    ra, rb = region_of(a, year), region_of(b, year)
    if ra is None or rb is None:
        return None
    return " – ".join(sorted((ra, rb)))


def atop_text(atop: dict | None) -> str | None:
    """``{'defense': 0, 'consul': 1, …}`` -> ``"consultation, neutrality"`` (names of the obligations in
    force, :data:`ATOP_NAMES`); ``"none"`` when none is; None when ATOP does not cover the year."""
    if atop is None:
        return None
    names = [ATOP_NAMES.get(k, k) for k, v in atop.items() if v]
    return ", ".join(names) if names else "none"
