"""Turning a user's actor argument into a filter on canonical event columns.

An actor given on the command line or to the API may be

- a country: ISO3 code (``IRN``), ISO2, CAMEO country code or name
  (``Iran``, ``Russian Federation``), matched on ``src_country``/``tgt_country``;
- a CAMEO actor code with a sector or an organisation (``RUSMIL``, ``IGOUNO``),
  matched as a prefix of ``src_code``/``tgt_code``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dyadwatch.errors import UsageError

_CODE = re.compile(r"^[A-Z]{3}(?:[A-Z]{3})*$")


@dataclass(frozen=True)
class ActorFilter:
    """How one actor is matched: ``column`` is ``country`` or ``code``."""

    label: str
    column: str  # "country" | "code"
    value: str

    def sql(self, side: str) -> tuple[str, list]:
        """SQL condition and parameters for side ``src`` or ``tgt``."""
        if self.column == "country":
            return f"{side}_country = ?", [self.value]
        return f"{side}_code LIKE ?", [self.value + "%"]


def resolve_actor(text: str) -> ActorFilter:
    """Resolve an actor argument (see module docstring).

    Raises
    ------
    UsageError
        If ``text`` is neither a known country nor a CAMEO-style actor code.
    """
    raw = (text or "").strip()
    if not raw:
        raise UsageError("empty actor; give an ISO3 code or a country name, e.g. IRN or Iran")
    from dyadwatch.codebooks import countries

    iso = countries.iso3(raw)
    if iso:
        return ActorFilter(label=iso, column="country", value=iso)
    up = raw.upper()
    if len(up) > 3 and _CODE.match(up):
        return ActorFilter(label=up, column="code", value=up)
    raise UsageError(f"unknown actor {text!r}: not a country name or code, nor a CAMEO actor code "
                     "(e.g. IRN, Iran, RUSMIL, IGOUNO)")


def resolve_pair(a: str, b: str) -> tuple[ActorFilter, ActorFilter]:
    """Both actors of a relation resolved; UsageError when either is unknown or both are the
    same actor (``IRN`` and ``Iran``), since a relation of an actor with itself means nothing."""
    fa, fb = resolve_actor(a), resolve_actor(b)
    if (fa.column, fa.value) == (fb.column, fb.value):
        raise UsageError(f"{a!r} and {b!r} are the same actor ({fa.label}); give two different actors")
    return fa, fb
