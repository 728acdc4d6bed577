"""CAMEO -> PLOVER crosswalk.

PLOVER (Political Language Ontology for Verifiable Event Records, Open Event
Data Alliance, PLOVER manual and its ``CAMEO2PLOVER`` crosswalk) replaces
CAMEO's 20 roots by 16 event types plus *modes* (how the event happened).
``data/cameo_plover.csv`` (written by us from the manual's crosswalk tables)
gives, for every CAMEO 1.1b3 code, the PLOVER event type and, where the
manual gives one, the mode.

Signing is not AGREE: CAMEO ``057`` (sign formal agreement) maps to
``SUPPORT`` and CAMEO ``03x`` (express intent to cooperate, including to sign)
to ``AGREE``, as in both published crosswalks (openeventdata/PLOVER,
``CAMEO2PLOVER-2021.txt``: "057: SUPPORT, , diplomatic # Sign formal
agreement"; ``cameo/CAMEO-PLOV.txt``) and the manual's definitions (SUPPORT:
"ratify, sign, or finalize an agreement or treaty"; AGREE: "promises to sign
or ratify agreements").

Choices where the manual's crosswalk versions differ or are silent
(documented here so a user can see them):

* ``01x`` public statements have no PLOVER type: we map them to ``OTHER``.
* ``02x`` appeals map to ``DEMAND`` (PLOVER merged CAMEO's appeal and demand
  into one request type; CAMEO's Goldstein weights still tell them apart).
* ``09x`` investigations map to ``DISAPPROVE`` with mode ``investigate``
  (the 2021 crosswalk puts them under ACCUSE/investigate, which the current
  manual renamed DISAPPROVE).
* ``171``/``1711`` (seize property), ``181`` (abduct, take hostage) and
  ``192`` (occupy territory) map to ``SEIZE``; ``1712`` (destroy property)
  and ``175`` (violent repression) to ``ASSAULT``; ``191`` (blockade) to
  ``COERCE``; ``163`` (embargo, sanctions) to ``SANCTION``.
* ``0813``/``0814`` (ease curfew, state of emergency) and ``084``-``087``
  map to ``RETREAT``, the rest of ``08`` to ``CONCEDE`` (as in the manual).
* Modes are those of the manual's crosswalk tables (``phone``, ``visit``,
  ``ceasefire``, ``firearms`` ...); where the manual gives none (``02x``,
  ``05x``, ``11x`` ...) the mode is None. Four-digit protest codes take
  their three-digit parent's mode (``1411`` -> ``demonstrate``).
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib import resources

from dyadwatch.errors import UnknownNameError

#: PLOVER event types in the manual's order (cooperation -> conflict), plus
#: ``OTHER`` for CAMEO 01x statements, which PLOVER does not code.
PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "PROTEST", "MOBILIZE",
    "SANCTION", "SEIZE", "COERCE", "ASSAULT", "OTHER",
)


#: Names used by earlier PLOVER versions (and by the PLOVER gold-standard
#: records) that :func:`plover_to_cameo_codes` also accepts: a renamed type
#: maps to its current name; ``INVESTIGATE`` and ``FIGHT``, which the current
#: manual folds into DISAPPROVE and ASSAULT, map to the CAMEO roots they
#: covered (09, and 19 conventional military force).
LEGACY_TYPES: dict[str, str | tuple[str, ...]] = {
    "ACCUSE": "DISAPPROVE",
    "REQUEST": "DEMAND",
    "COOPERATION": "COOPERATE",
    "INVESTIGATE": ("09",),
    "FIGHT": ("19",),
}


@lru_cache(maxsize=1)
def crosswalk() -> dict[str, tuple[str, str | None]]:
    """The crosswalk as ``{cameo_code: (plover_type, plover_mode or None)}``.

    Keys are CAMEO 1.1b3 codes as strings with leading zeros (``"0871"``);
    every code in :data:`dyadwatch.codebooks.cameo.CAMEO` is a key.
    Source: PLOVER manual / CAMEO2PLOVER crosswalk (Open Event Data Alliance).
    """
    path = resources.files("dyadwatch.codebooks") / "data" / "cameo_plover.csv"
    out: dict[str, tuple[str, str | None]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["code"]] = (row["plover_type"], row["plover_mode"] or None)
    return out


def _check_type(plover_type: str) -> str:
    key = str(plover_type).strip().upper()
    if key not in PLOVER_TYPES and key not in LEGACY_TYPES:
        raise UnknownNameError(
            f"unknown PLOVER event type {plover_type!r}; valid types: {', '.join(PLOVER_TYPES)}"
            f" (older names also accepted: {', '.join(LEGACY_TYPES)})")
    return key


def cameo_to_plover(code: str) -> tuple[str, str | None]:
    """PLOVER ``(event type, mode or None)`` of a CAMEO code.

    ``code`` is a CAMEO code string (``"190"``, ``"0871"``); leading zeros
    lost by numeric parsing are restored (see
    :func:`dyadwatch.codebooks.cameo.normalize_event_code`).
    Example: ``cameo_to_plover("0871") == ("RETREAT", "ceasefire")``.

    Raises :class:`dyadwatch.errors.UnknownNameError` for a code that is not
    in CAMEO 1.1b3.
    """
    from dyadwatch.codebooks.cameo import lookup

    return crosswalk()[lookup(code).code]


def plover_to_cameo_codes(plover_type: str) -> list[str]:
    """All CAMEO codes (sorted strings) that map to ``plover_type``.

    Raises :class:`UnknownNameError` (listing :data:`PLOVER_TYPES`) for an
    unknown type; the match is case-insensitive, and the older names in
    :data:`LEGACY_TYPES` are accepted.
    """
    key = _check_type(plover_type)
    legacy = LEGACY_TYPES.get(key)
    if isinstance(legacy, tuple):
        return sorted(code for code in crosswalk() if code[:2] in legacy)
    key = legacy or key
    return sorted(code for code, (ptype, _) in crosswalk().items() if ptype == key)


def plover_to_cameo_roots(plover_type: str) -> list[str]:
    """The two-digit CAMEO roots (sorted, ``"01"``-``"20"``) holding at least
    one code that maps to ``plover_type``.

    Example: ``plover_to_cameo_roots("RETREAT") == ["08"]``,
    ``plover_to_cameo_roots("ASSAULT") == ["17", "18", "19", "20"]``.
    Raises :class:`UnknownNameError` for an unknown type.
    """
    return sorted({code[:2] for code in plover_to_cameo_codes(plover_type)})
