"""News datelines: "TBILISI, Georgia --", "WASHINGTON (Reuters) -", "KABUL (Pajhwok):".

A dateline opens a wire story and names the place the report was filed
from.  It is a place, never an actor: the coder parses the sentence after it
(the event's evidence is still the whole sentence, spans counted in it) and
keeps the dateline's country as the document's *filing country*, the country
a sector actor without one ("Police have arrested ...", "President X") is
given when nothing in the sentence names one (see
:mod:`dyadwatch.coding.coder`).

A sentence opens with a dateline when it starts with

* a place written in capitals ("ISLAMABAD", "GAZA CITY", "THE HAGUE"), or a
  capitalised place name the gazetteer knows ("Lucknow", "Cebu City"),
* optionally ", <region or country>" ("TBILISI, Georgia", "ALBUQUERQUE,
  N.M.") and/or ", <month day>" ("ADDIS ABABA, May 15"),
* optionally "(<agency>)" ("(Reuters)", "(AP)", "(Xinhua)"),
* and then a dash ("--", an em or en dash, " - ") or a colon,

followed by the sentence proper (an upper-case letter, a digit or a quote).
A capitalised (not all-capitals) opening is a dateline only when it is a
gazetteer place and no other word than the place comes before the dash, so
"The US has issued an ultimatum to Turkey: ..." is not one.

The filing country: the region when it is a country ("LA PAZ, Bolivia"), a US
state or its AP abbreviation ("N.M.", "Pa.", "Ga." -> USA); else the city's
country in the gazetteer (towards the region's country).  "Georgia" after a
city is the US state when the city is a US city (Atlanta), the country
otherwise (Tbilisi).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dyadwatch.coding import places

_CAPS_WORD = r"[A-Z][A-Z\u00c0-\u00de'\u2019.\-]+"
_TITLE_WORD = r"[A-Z][a-z\u00e0-\u00ff'\u2019\-]+"
_REGION_WORD = r"[A-Z][\w.'\u2019\-]*"
_MONTH_DAY = (r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}")
_DATELINE = re.compile(
    rf"^\s*(?P<city>(?:{_CAPS_WORD})(?:\s+{_CAPS_WORD}){{0,3}}|(?:{_TITLE_WORD})(?:\s+{_TITLE_WORD}){{0,2}})"
    rf"(?:\s*,\s*(?!{_MONTH_DAY})(?P<region>{_REGION_WORD}(?:\s+{_REGION_WORD}){{0,3}}))?"
    rf"(?:\s*,\s*{_MONTH_DAY})?"
    rf"(?:\s*\((?P<agency>[^()\n]{{1,40}})\))?"
    rf"(?P<sep>\s*(?:--|\u2014|\u2013)\s*|\s+-\s+|\s*:\s+)"
    rf"(?=[A-Z0-9\"'\u201c\u2018])")
#: places of datelines that are no gazetteer city (None: no country)
SPECIAL_PLACES = {"white house": "USA", "pentagon": "USA", "capitol hill": "USA", "united nations": None,
                  "vatican city": "VAT", "vatican": "VAT"}
@dataclass(frozen=True)
class Dateline:
    """A dateline at the start of a sentence: ``end`` = offset of the sentence
    proper, ``text`` = the place as written, ``country`` = filing country
    (ISO3) or None when the gazetteer does not know the place."""

    end: int
    text: str
    country: str | None


def dateline(sentence: str) -> Dateline | None:
    """The dateline opening ``sentence``, or None (see the module docstring)."""
    m = _DATELINE.match(sentence)
    if not m:
        return None
    city, region = m.group("city"), m.group("region")
    rest = sentence[m.end():]
    if not re.search(r"[a-z]", rest):
        return None  # a headline or a sentence in capitals
    caps = city.upper() == city
    if places.normalize(city) in SPECIAL_PLACES:
        pass
    elif not caps and m.group("agency") is None and region is None:
        # "Lucknow: The ...", "Cebu City--Police ...": a capitalised opening must be a known place
        if places.resolve(city, main_only=True) is None:
            return None
    elif not caps and places.resolve(city, main_only=True) is None and (
            region is None or places.region_country(region) is None):
        return None
    if caps and len(city.replace(".", "")) < 3:
        return None
    country = places.region_country(region) if region else None
    special = places.normalize(city)
    if special in SPECIAL_PLACES:
        return Dateline(m.end(), city, country or SPECIAL_PLACES[special])
    if country is None:
        prefer: tuple[str, ...] = ()
        if region and places.normalize(region) == "georgia":
            prefer = ("GEO",)
        place = places.resolve(city.title() if caps else city, prefer, main_only=True)
        country = place.country if place is not None else None
    return Dateline(m.end(), city, country)
