"""Place-name homonyms decided by context: the country a name inside a longer
place name, after a town, or beside US cues really denotes.

The actor dictionaries match "Mexico", "Jersey", "Wales", "Lebanon",
"Georgia", "Jordan" wherever they are written.  :func:`resolve_homonyms`
revises the mentions of one sentence, by kinds of context:

1. **A longer place name** holds the country's name ("New Mexico", "New
   Jersey", "Jersey City", "New South Wales", "East Jerusalem", "Benin City"):
   a run of capitalised words around the mention that the gazetteer
   (:mod:`dyadwatch.coding.places`: GeoNames cities over 15,000 people, US
   states) or :data:`REGIONS` knows as a place, none of whose entries lies in
   the country the shorter name denotes, is that place, in its own country.
2. **A town and its state** ("Lebanon, Pennsylvania", "Paris, Texas",
   "Moscow, Idaho", "Athens, Ga."): a country or capital name followed by a
   comma and a US state (name or AP abbreviation) is a town in the United
   States; followed by another country ("Tripoli, Lebanon") or by "Georgia"
   ("Athens, Georgia"), it is a city of that name in that country (in the
   United States for Georgia) when the gazetteer has one.
3. **Georgia** is the US state after a US city ("Atlanta, Georgia"), in "the
   state of Georgia"/"Georgia state", or when the sentence (or, through
   ``sense``, an earlier sentence of the document) holds more US cues
   (governor, county, senator, Republicans, other US states ...) than cues of
   the Caucasus country (Tbilisi, Abkhazia, South Ossetia, Russia ...); after a
   city of the country ("Tbilisi, Georgia") it is the country.
4. **Geographic features** named after a country are not that country: a
   country or demonym before "Sea", "Ocean", "Gulf", "Peninsula", "Strait" ...
   ("the Indian Ocean", "the Persian Gulf", "the South China Sea") or after
   "Gulf of", "Sea of" ("the Gulf of Mexico") is no actor.
5. **Personal names**: the countries that are also given names or surnames
   (:data:`NAME_COUNTRIES`: Jordan, Chad, Israel, Georgia, India, Kenya,
   America) after an honorific ("Rep. Jordan") or a capitalised given name
   that is no actor ("Jim Jordan"), or before a capitalised surname ("Chad
   Wolf"), are a person, not the country.

A place found by rules 1-3 stays a mention of its country flagged as a place
(``is_place``): a location when it modifies a noun or follows "in", the
country's actor when it heads a subject ("New Mexico sued ...").
"""

from __future__ import annotations

import dataclasses
import functools

from dyadwatch.coding import places

#: sub-national regions the gazetteer lacks whose names hold a country's or a demonym's name
REGIONS = {"new south wales": "AUS", "british columbia": "CAN", "new england": "USA", "new britain": "PNG",
           "new caledonia": "NCL", "northern ireland": "GBR", "west bank": "PSE", "indian wells": "USA",
           "new ireland": "PNG", "little rock": "USA"}
#: capitalised words that end a geographic feature's name ("the Indian Ocean")
FEATURE_HEADS = frozenset({"sea", "ocean", "gulf", "peninsula", "strait", "straits", "channel", "river", "basin",
                           "desert", "mountains", "highlands", "plateau", "valley", "lake", "bight", "rift"})
#: words that name a feature before "of" ("the Gulf of Mexico", "the Sea of Japan")
FEATURE_OF = frozenset({"gulf", "sea", "bay", "strait", "straits", "isthmus"})
#: countries whose names are also common given names or surnames
NAME_COUNTRIES = frozenset({"jordan", "chad", "israel", "georgia", "india", "kenya", "america"})
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "rep", "sen", "gov", "coach", "prof", "mister"})
#: capitalised words before a country name that are no given name ("Northern Iraq", "Greater Israel")
NOT_GIVEN_NAMES = frozenset("""
north south east west northern southern eastern western central upper lower greater new old modern ancient free
democratic republic islamic arab federal united royal kingdom state states people peoples great little mainland
occupied independent socialist imperial colonial british french western rural urban all
""".split())
US_CUES = frozenset("""
governor gov county counties atlanta savannah augusta macon athens columbus senator sen senate republican
republicans democrat democrats democratic gop legislature lawmakers statehouse sheriff peach fulton cobb dekalb
gwinnett emory georgetown alabama florida tennessee carolina
""".split())
GEO_CUES = frozenset("""
tbilisi abkhazia ossetia ossetian caucasus caucasian soviet kremlin russia russian russians moscow
saakashvili shevardnadze ivanishvili zourabichvili garibashvili kobakhidze batumi kutaisi armenia azerbaijan
ukraine nato chechnya
""".split())


@functools.lru_cache(maxsize=20_000)
def _enclosing_place(key: str, country: str | None) -> str | None:
    """ISO3 of the place ``key`` (a normalised multi-word name) when the gazetteer
    or :data:`REGIONS` knows it and none of its entries lies in ``country``."""
    if key in REGIONS:
        return REGIONS[key] if REGIONS[key] != country else None
    by_name, _, countries = places._gazetteer()
    entries = [p for p in by_name.get(key, ()) if p.main_name]
    if not entries or key in countries or any(p.country == country for p in entries):
        return None
    return max(entries, key=lambda p: p.population).country


def _cap(tok) -> bool:
    return tok.text[:1].isupper() and tok.is_alpha


def _norm(toks) -> str:
    return _normalize(" ".join(t.text for t in toks))


#: ``places.normalize`` remembered (the same few words around country names recur)
_normalize = functools.lru_cache(maxsize=50_000)(places.normalize)


@dataclasses.dataclass
class GeorgiaSense:
    """The document's reading of "Georgia" so far (one sense per discourse):
    ``USA`` or ``GEO`` once a sentence decided it, else None."""

    country: str | None = None


def _georgia(toks, m, lo: int, sense: GeorgiaSense | None) -> str:
    """``USA`` or ``GEO`` for a mention of "Georgia" (rule 3)."""
    doc = toks[0].doc
    prev = [t for t in doc[max(0, m.start - 3):m.start]]
    if len(prev) >= 2 and prev[-1].text == "," and _cap(prev[-2]):
        city = places.resolve(prev[-2].text, ("GEO",), main_only=True)
        if city is not None and city.lat is not None and city.country in ("USA", "GEO"):
            return city.country
    words = [t.lower_.rstrip(".") for t in toks]
    i = m.start - lo
    if words[max(0, i - 3):i] == ["the", "state", "of"] or words[i + 1:i + 2] == ["state"]:
        return "USA"
    us = sum(1 for w in words if w in US_CUES) + sum(1 for j, t in enumerate(toks)
                                                        if j != i and t.lower_ in places.us_state_names())
    geo = sum(1 for w in words if w in GEO_CUES)
    if us > geo:
        return "USA"
    if geo > us:
        return "GEO"
    return sense.country if sense is not None and sense.country else "GEO"


def resolve_homonyms(toks, found: list, country_actor, sense: GeorgiaSense | None = None) -> list:
    """The mentions of one sentence with place-name homonyms decided (rules 1-5 of
    the module docstring).

    Parameters
    ----------
    toks : the sentence's tokens (a spaCy ``Doc`` or ``Span`` as a list)
    found : ``dyadwatch.coding.actors.Mention`` objects (token indices of the doc)
    country_actor : callable ISO3 -> ``Actor`` of that country
    sense : the document's :class:`GeorgiaSense` (read and updated)

    Returns the revised list: mentions dropped (features, personal names) or
    replaced by a place mention of the right country (``is_place`` True).
    """
    if not toks:
        return found
    doc = toks[0].doc
    lo, hi = toks[0].i, toks[-1].i + 1
    out = []
    for m in found:
        a = m.actor
        if a.kind != "country" or a.country is None or a.sector:
            out.append(m)
            continue
        key = " ".join(m.key)
        nxt = doc[m.end] if m.end < hi else None
        before = doc[m.start - 1] if m.start > lo else None
        if key not in NAME_COUNTRIES and (nxt is None or not (nxt.text == "," or _cap(nxt))) \
                and (before is None or not (before.lower_ == "of" or _cap(before))):
            out.append(m)  # nothing around the name that could make it another place
            continue
        # 4. geographic features named after a country
        if nxt is not None and _cap(nxt) and nxt.lower_ in FEATURE_HEADS:
            continue
        if m.start - 2 >= lo and doc[m.start - 1].lower_ == "of" and doc[m.start - 2].lower_ in FEATURE_OF \
                and _cap(doc[m.start - 2]):
            continue
        # 5. personal names
        if key in NAME_COUNTRIES and m.end - m.start == 1:
            if before is not None and (before.lower_.rstrip(".") in HONORIFICS or (
                    before.pos_ == "PROPN" and _cap(before) and before.lower_ not in NOT_GIVEN_NAMES
                    and not any(o.start <= before.i < o.end for o in found))):
                continue
            if nxt is not None and nxt.pos_ == "PROPN" and _cap(nxt) and nxt.lower_ not in FEATURE_HEADS \
                    and not any(o.start <= nxt.i < o.end for o in found) \
                    and places.resolve(nxt.text, main_only=True) is None:
                continue
        # 1. a longer place name around the mention (capitalised words next to it)
        place = None
        first = m.start
        while first > max(lo, m.start - 2) and (_cap(doc[first - 1]) or doc[first - 1].text == "-"):
            first -= 1
        last = m.end
        while last < min(hi, m.end + 2) and (_cap(doc[last]) or doc[last].text == "-"):
            last += 1
        for a_i in range(first, m.start + 1):
            for b_i in range(last, m.end - 1, -1):
                if (a_i, b_i) == (m.start, m.end):
                    continue
                iso3 = _enclosing_place(_norm(doc[a_i:b_i]), a.country)
                if iso3 is not None:
                    place = (a_i, b_i, iso3)
                    break
            if place:
                break
        # 2. a town and its US state, or its country ("Tripoli, Lebanon"; "Athens, Georgia")
        if place is None and m.end + 1 < hi and doc[m.end].text == ",":
            for b_i in range(min(hi, m.end + 4), m.end + 1, -1):
                region = doc[m.end + 1:b_i]
                if not region or not all(_cap(t) or t.text in (".", "-") or t.text.endswith(".") for t in region):
                    continue
                iso3 = places.region_country(region.text)
                if iso3 == "USA" and a.country != "USA":
                    place = (m.start, m.end, "USA")
                    break
                town = places.resolve(key, ("USA",) if iso3 is None else (iso3,), main_only=True) \
                    if iso3 is not None or places.normalize(region.text) == "georgia" else None
                if town is not None and town.lat is not None and town.country not in (a.country, None) \
                        and (iso3 is None and town.country == "USA" or town.country == iso3):
                    place = (m.start, m.end, town.country)  # a city of that name in that country
                    break
        # 3. Georgia
        if place is None and key == "georgia":
            iso3 = _georgia(toks, m, lo, sense)
            if sense is not None:
                sense.country = iso3
            if iso3 != a.country:
                place = (m.start, m.end, iso3)
        if place is None:
            out.append(m)
            continue
        a_i, b_i, iso3 = place
        out = [o for o in out if not (a_i <= o.start < b_i)]
        out.append(dataclasses.replace(m, start=a_i, end=b_i, key=tuple(_norm(doc[a_i:b_i]).split()),
                                       actor=country_actor(iso3), is_place=key != "georgia"))
    out.sort(key=lambda o: o.start)
    return out
