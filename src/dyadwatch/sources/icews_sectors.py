"""ICEWS sector labels and generic agent names -> CAMEO sector (role) codes.

ICEWS describes an actor's role in two ways that CAMEO does not use:

* Dataverse event files list *sector labels*, comma-separated, in no fixed
  order (``"Government,Executive,Foreign Ministry"``, ``"Police,Government"``;
  some labels hold commas themselves: ``"Navy Mechanized (Ships, Planes)"``);
* name-triple files name generic agents as ``"Sector (Country)"``
  (``"Foreign Affairs (Bangladesh)"``, ``"Citizen (Malaysia)"``).

Both are mapped with one ordered rule table, ``codebooks/data/icews_sector_rules.csv``
(written by us): each rule is a case-insensitive regular expression and a
CAMEO domestic-role or organisation code from the CAMEO 1.1b3 actor codebook
(Gerner, Schrodt, Yilmaz & Abu-Jabr 2012, ch. 3: COP, GOV, INS, JUD, MIL, OPP,
REB, SEP, SPY, UAF, AGR, BUS, CRM, CVL, EDU, ELI, ENV, HLH, HRI, LAB, LEG, MED,
RAD, REF; IGO, NGO; REL for the generic religious code). The most specific
roles come first, so a label list takes the code of its earliest matching
rule over all its labels (``"Government,Police"`` -> ``COP``;
``"Opposition Major Party (Out Of Government)"`` -> ``OPP``). Rules with an
empty code (political parties: CAMEO has no party role) stop the search with
no code. Labels that match no rule give ``None``.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def rules() -> tuple[tuple[re.Pattern, str | None], ...]:
    """The ordered rules: ``((compiled pattern, sector code or None), ...)``."""
    path = resources.files("dyadwatch.codebooks") / "data" / "icews_sector_rules.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple((re.compile(row["pattern"], re.IGNORECASE), row["sector"] or None)
                     for row in csv.DictReader(handle))


def _rank(label: str) -> tuple[int, str | None]:
    for i, (pattern, code) in enumerate(rules()):
        if pattern.search(label):
            return i, code
    return len(rules()), None


@lru_cache(maxsize=65536)
def sector_of_agent(agent: str | None) -> str | None:
    """CAMEO sector code of one ICEWS agent name or sector label.

    >>> sector_of_agent("Foreign Affairs"), sector_of_agent("Police"), sector_of_agent("Citizen")
    ('GOV', 'COP', 'CVL')
    """
    if not agent:
        return None
    return _rank(agent.strip())[1]


@lru_cache(maxsize=65536)
def sector_of_labels(labels: str | None) -> str | None:
    """CAMEO sector code of an ICEWS Dataverse sector list (comma-separated).

    The label of the earliest matching rule wins (see the module docstring).

    >>> sector_of_labels("Government,Executive,Foreign Ministry")
    'GOV'
    >>> sector_of_labels("Police,Government")
    'COP'
    >>> sector_of_labels(None) is None
    True
    """
    if not labels:
        return None
    best = min((_rank(part.strip()) for part in labels.split(",") if part.strip()),
               default=(len(rules()), None))
    return best[1]
