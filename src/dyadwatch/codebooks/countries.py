"""Countries: ISO 3166-1, names and aliases, CAMEO, COW and Gleditsch-Ward codes.

Sources (``data/countries.csv`` and ``data/country_spells.csv`` were written
by us; ISO codes and official names come from ``pycountry``):

* ISO 3166-1 (alpha-3, alpha-2, names) and ISO 3166-3 (former codes DDR,
  CSK, YMD, SUN, YUG, VDR).
* Correlates of War Project, "State System Membership List, v2016" — COW
  numeric codes and abbreviations.
* Gleditsch, K. S. & Ward, M. D. (1999), "Interstate System Membership: A
  Revised List of the Independent States since 1816", International
  Interactions 25(4), and its updates — GW codes, including the GW
  microstates list (Andorra 232, Monaco 221, Grenada 55, Tonga 972 ...; UCDP
  uses these codes). Microstate start years are independence years (1816
  for the European microstates); the GW file at hand does not list them, so
  they are not checked against a file. Hyderabad (GW 751, 1947-1948) is
  ``HYD``.
* FIPS PUB 10-4 country codes (as used by GDELT's ``*Geo_CountryCode``
  fields; ``RS`` is Russia there, Serbia in ISO) — ``fips``.
* Gerner, Schrodt, Yilmaz & Abu-Jabr, "CAMEO ... Event and Actor Codebook"
  v1.1b3 (2012) — CAMEO country codes: the ISO alpha-3 code except ``ROM``
  (Romania, the pre-2002 ISO code), ``TMP`` (East Timor, pre-2002 ISO code)
  and ``KSV`` (Kosovo, which has no ISO code).

Conventions (documented choices):

* **Continuity keys.** A state that kept its COW code keeps one ISO3 key
  across regime changes: the USSR and Russia are both ``RUS`` (COW 365
  throughout; ``"SUN"``, "USSR", "Soviet Union" resolve to ``RUS``);
  Yugoslavia, Serbia and Montenegro and Serbia are ``SRB`` (COW 345; GW 345
  until 2006, then GW 340); the German Federal Republic and unified Germany
  are ``DEU`` (COW 260 for 1955-1990, 255 before 1945 and from 1990); the
  Yemen Arab Republic and unified Yemen are ``YEM`` (COW 678, then 679 from
  1990; GW 678 throughout); North and unified Vietnam are ``VNM`` (COW 816);
  pre-1910 Korea is ``KOR`` (COW/GW 730).
* States with a code of their own and no current ISO code keep their ISO
  3166-3 code (``DDR`` GDR, ``CSK`` Czechoslovakia, ``YMD`` South Yemen) or,
  where none exists, a dyadwatch key equal to the COW/GW abbreviation
  (``RVN`` Republic of Vietnam, ``ZAN`` Zanzibar, ``AUH`` Austria-Hungary, the
  German and Italian states before unification, ``TBT`` Tibet, ``UPC``,
  ``GCL``, ``TRA``, ``OFS``); ``iso_status`` tells which (official, former,
  user-assigned, dyadwatch). Kosovo is ``XKX`` (user-assigned code in wide
  use); Palestine is ``PSE`` and has no COW or GW code.
* **Spells** give the years (inclusive) in which a code denotes the state.
  They bridge gaps in system membership while a state kept its code (German
  occupation of Poland, 1940-1945), so they are not membership spells; use
  the COW/GW lists for membership. An open spell (``end_year`` empty) is
  still valid. When two spells of one state meet in a year (Yemen 678 ends
  and 679 starts in 1990), that year takes the spell that starts in it.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from dyadwatch.errors import UnknownNameError


@dataclass(frozen=True)
class CodeSpell:
    """Years (inclusive; ``end_year`` None = still valid) in which ``code`` of
    ``system`` (``"cow"`` or ``"gw"``) denotes a state; ``name`` is the
    state's name in the spell when it differs from the country's current name
    (``"Russia / Soviet Union"``, ``"Yemen Arab Republic"``). A spell with
    ``preferred=False`` is a code other data sets use for the state that the
    list itself does not (UCDP keeps GW 345 for Serbia after 2006): it is
    read by ``gw_to_iso3``/``cow_to_iso3`` but never returned by
    ``iso3_to_gw``/``iso3_to_cow``."""

    system: str
    code: int
    start_year: int
    end_year: int | None
    name: str | None = None
    preferred: bool = True

    def covers(self, year: int) -> bool:
        """True when ``year`` lies in the spell."""
        return self.start_year <= year and (self.end_year is None or year <= self.end_year)


@dataclass(frozen=True)
class Country:
    """One state or territory.

    Attributes: ``iso3`` (dyadwatch key: ISO 3166-1 alpha-3, see module
    notes), ``iso2`` (alpha-2 or None), ``name`` (common short name),
    ``official_name``, ``cameo`` (CAMEO country code or None), ``cow_abb``
    (COW abbreviation), ``iso_status`` (official / former / user-assigned /
    dyadwatch), ``aliases`` (other names and codes), ``spells``
    (:class:`CodeSpell` tuple, COW and GW), ``fips`` (FIPS 10-4 codes; two
    for Palestine: WE West Bank, GZ Gaza Strip).
    """

    iso3: str
    iso2: str | None
    name: str
    official_name: str | None
    cameo: str | None
    cow_abb: str | None
    iso_status: str
    aliases: tuple[str, ...]
    spells: tuple[CodeSpell, ...]
    fips: tuple[str, ...] = ()

    def spell(self, system: str, year: int) -> CodeSpell | None:
        """The ``system`` (``"cow"``/``"gw"``) spell valid in ``year``, or None
        (of two spells meeting in ``year``, the one starting in it)."""
        hits = [s for s in self.spells if s.system == system and s.preferred and s.covers(year)]
        return max(hits, key=lambda s: s.start_year) if hits else None

    def code(self, system: str, year: int) -> int | None:
        """The ``system`` (``"cow"``/``"gw"``) code valid in ``year``, or None."""
        found = self.spell(system, year)
        return found.code if found else None

    def cow(self, year: int) -> int | None:
        """COW code valid in ``year`` (None when the state had none)."""
        return self.code("cow", year)

    def gw(self, year: int) -> int | None:
        """Gleditsch-Ward code valid in ``year`` (None when the state had none)."""
        return self.code("gw", year)


def _data(name: str):
    return resources.files("dyadwatch.codebooks") / "data" / name


def name_key(text: str) -> str:
    """Matching key of a country name: accents removed, case-folded, ``&`` ->
    and, ``St.`` -> saint, punctuation dropped (``"Côte d'Ivoire"`` ->
    ``"cote d ivoire"``)."""
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ")
    text = re.sub(r"\bst\b\.?", "saint", text)
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


@lru_cache(maxsize=1)
def _countries() -> dict[str, Country]:
    spells: dict[str, list[CodeSpell]] = {}
    with _data("country_spells.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            spells.setdefault(row["iso3"], []).append(CodeSpell(
                row["system"], int(row["code"]), int(row["start_year"]),
                int(row["end_year"]) if row["end_year"] else None, row["name"] or None,
                row["preferred"] != "0"))
    out: dict[str, Country] = {}
    with _data("countries.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            out[row["iso3"]] = Country(
                iso3=row["iso3"], iso2=row["iso2"] or None, name=row["name"],
                official_name=row["official_name"] or None, cameo=row["cameo"] or None,
                cow_abb=row["cow_abb"] or None, iso_status=row["iso_status"],
                aliases=tuple(a for a in row["aliases"].split(";") if a),
                spells=tuple(spells.get(row["iso3"], ())),
                fips=tuple(f for f in row["fips"].split(";") if f))
    return out


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, str], dict[str, list[str]], dict[tuple[str, int], list[Country]]]:
    codes: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    by_code: dict[tuple[str, int], list[Country]] = {}
    table = _countries()
    for c in table.values():           # ISO codes win over CAMEO codes and aliases
        codes[c.iso3] = c.iso3
        if c.iso2:
            codes[c.iso2] = c.iso3
    for c in table.values():
        if c.cameo:
            codes.setdefault(c.cameo, c.iso3)
        for text in (c.name, c.official_name, *c.aliases):
            if not text:
                continue
            if re.fullmatch(r"[A-Z]{2,3}", text):
                codes.setdefault(text, c.iso3)
            bucket = names.setdefault(name_key(text), [])
            if c.iso3 not in bucket:
                bucket.append(c.iso3)
        for s in c.spells:
            by_code.setdefault((s.system, s.code), []).append(c)
    return codes, names, by_code


def countries() -> dict[str, Country]:
    """All countries as ``{iso3: Country}`` (current ISO 3166-1 entries plus
    the historical states of the COW and GW lists)."""
    return _countries()


def resolve(name_or_code: str, year: int | None = None) -> Country | None:
    """The :class:`Country` for an ISO3/ISO2/CAMEO code or a name/alias.

    Codes match when given in upper case (``"RUS"``, ``"RU"``, ``"ROM"``,
    ``"SUN"``); names match case-, accent- and punctuation-insensitively
    (``"Iran, Islamic Republic Of"``, ``"russian federation"``, ``"Côte
    d'Ivoire"``). When states share a name, the one with a COW/GW spell
    covering ``year`` wins, else the current ISO state (``"Vietnam, Republic
    of"`` -> ``VNM``, but ``RVN`` for ``year=1970``). Returns None when
    nothing matches; never raises for a string.
    """
    if name_or_code is None:
        return None
    text = str(name_or_code).strip()
    if not text:
        return None
    codes, names, _ = _indexes()
    table = _countries()
    if text in codes:
        return table[codes[text]]
    hits = names.get(name_key(text))
    if not hits and re.fullmatch(r"[A-Za-z]{2,3}", text) and text.upper() in codes:
        return table[codes[text.upper()]]
    if not hits:
        return None
    # a current ISO state before a historical one ("Vietnam, Republic of" is
    # modern Vietnam in GeoNames/GDELT naming, South Vietnam before 1976)
    ranked = sorted(hits, key=lambda iso: table[iso].iso_status != "official")
    if year is not None and len(ranked) > 1:
        alive = [iso for iso in ranked if any(s.covers(year) for s in table[iso].spells)]
        if alive:  # among states alive that year, the historical one named so
            return table[sorted(alive, key=lambda iso: table[iso].iso_status == "official")[0]]
    return table[ranked[0]]


def iso3(name_or_code: str, year: int | None = None) -> str | None:
    """ISO3 key of a name or code (see :func:`resolve`), or None."""
    found = resolve(name_or_code, year)
    return found.iso3 if found else None


def _from_code(system: str, code: int, year: int, strict: bool) -> str | None:
    _, _, by_code = _indexes()
    spells = [(s, c.iso3) for c in by_code.get((system, int(code)), ())
              for s in c.spells if s.system == system and s.code == int(code)]
    hits = [(s.start_year, iso) for s, iso in spells if s.covers(int(year))]
    if hits:
        return max(hits)[1]
    if strict or not spells:
        return None

    def gap(spell: CodeSpell) -> int:
        if year < spell.start_year:
            return spell.start_year - year
        return year - spell.end_year  # end_year is set: open spells cover later years

    return min(spells, key=lambda pair: (gap(pair[0]), -pair[0].start_year))[1]


_STRICT_DOC = """
    With ``strict=False`` a year outside every spell of the code falls back
    to the state of the nearest spell of that code (ATOP codes states from
    1815 and MIDs code Canada in 1918, before their COW membership): use it
    for data sets that code states outside the membership years, never for
    building the membership itself."""


def cow_to_iso3(ccode: int, year: int, *, strict: bool = True) -> str | None:
    """ISO3 key of COW state code ``ccode`` in ``year`` (e.g. ``(365, 1980)``
    -> ``"RUS"``, ``(260, 1970)`` -> ``"DEU"``, ``(265, 1970)`` -> ``"DDR"``),
    or None when the code denotes no state in that year. Source: COW State
    System Membership v2016.
    """
    return _from_code("cow", ccode, year, strict)


def gw_to_iso3(gwcode: int, year: int, *, strict: bool = True) -> str | None:
    """ISO3 key of Gleditsch-Ward code ``gwcode`` in ``year`` (``(340, 2010)``
    -> ``"SRB"``, ``(345, 1990)`` -> ``"SRB"``), or None. Source: Gleditsch &
    Ward (1999) and updates.
    """
    return _from_code("gw", gwcode, year, strict)


cow_to_iso3.__doc__ += _STRICT_DOC
gw_to_iso3.__doc__ += _STRICT_DOC


def _country(iso: str) -> Country:
    found = _countries().get(iso) or resolve(iso)
    if found is None:
        raise UnknownNameError(f"unknown country code {iso!r}",
                               hint="use an ISO 3166-1 alpha-3 code such as 'IRN' or a name")
    return found


def iso3_to_cow(iso3: str, year: int) -> int | None:
    """COW code of ``iso3`` in ``year`` (``("RUS", 1980)`` -> 365, ``("YEM",
    1980)`` -> 678, ``("YEM", 1995)`` -> 679), or None when the state had no
    COW code that year (``("PSE", 2010)``). Raises :class:`UnknownNameError`
    for an unknown code."""
    return _country(iso3).cow(int(year))


def iso3_to_gw(iso3: str, year: int) -> int | None:
    """Gleditsch-Ward code of ``iso3`` in ``year`` (``("SRB", 2000)`` -> 345,
    ``("SRB", 2010)`` -> 340), or None. Raises :class:`UnknownNameError` for an
    unknown code."""
    return _country(iso3).gw(int(year))


def iso2_to_iso3(iso2: str) -> str | None:
    """dyadwatch ISO3 key of a two-letter code, case-insensitive, or None.

    Accepts ISO 3166-1 alpha-2 (``"RU"`` -> ``"RUS"``), ``"XK"`` (Kosovo ->
    ``"XKX"``), the ISO 3166-3 alpha-2 codes of former states (``"SU"`` ->
    ``"RUS"``, ``"YU"`` -> ``"SRB"``, ``"DD"`` -> ``"DDR"``, ``"CS"`` ->
    ``"CSK"`` (Czechoslovakia; ISO later reused CS for Serbia and Montenegro),
    ``"YD"`` -> ``"YMD"``) and ``"UK"``.
    """
    text = str(iso2 or "").strip().upper()
    if len(text) != 2:
        return None
    codes, _, _ = _indexes()
    return codes.get(text)


@lru_cache(maxsize=1)
def _fips_index() -> dict[str, str]:
    return {code: c.iso3 for c in _countries().values() for code in c.fips}


def fips_to_iso3(fips: str) -> str | None:
    """ISO3 key of a FIPS 10-4 country code (GDELT ``ActionGeo_CountryCode``,
    ``Actor1Geo_CountryCode`` ...): ``"RS"`` -> ``"RUS"``, ``"IZ"`` ->
    ``"IRQ"``, ``"WE"``/``"GZ"`` -> ``"PSE"``; case-insensitive; None when
    unknown. Do not pass FIPS codes to :func:`iso2_to_iso3`: they clash
    (``RS``, ``UK``, ``GM``, ``AS`` ...)."""
    return _fips_index().get(str(fips or "").strip().upper())


def name_of(iso3: str) -> str:
    """Common short name of ``iso3`` (``"IRN"`` -> ``"Iran"``). Raises
    :class:`UnknownNameError` for an unknown code."""
    return _country(iso3).name


def as_arrow():
    """COW/GW code spells as a ``pyarrow.Table``: one row per run of years in
    which a state's (COW, GW) code pair is constant; columns ``iso3``,
    ``cow`` (int, null), ``gw`` (int, null), ``start_year``, ``end_year``
    (null = still valid), ``name``. Join in DuckDB with
    ``year BETWEEN start_year AND coalesce(end_year, 9999)``."""
    import pyarrow as pa

    rows = []
    for c in _countries().values():
        if not c.spells:
            continue
        first = min(s.start_year for s in c.spells)
        last = max(max(s.start_year, s.end_year or s.start_year) for s in c.spells) + 1
        run = None
        for year in range(first, last + 1):
            cow, gw = c.spell("cow", year), c.spell("gw", year)
            label = (cow and cow.name) or (gw and gw.name) or c.name
            pair = (cow and cow.code, gw and gw.code, label)
            if run and run["pair"] == pair:
                run["end"] = year
                continue
            if run and run["pair"][:2] != (None, None):
                rows.append(run)
            run = {"pair": pair, "start": year, "end": year}
        if run and run["pair"][:2] != (None, None):
            rows.append(run | {"end": None})
        for r in rows:
            r.setdefault("iso3", c.iso3)
    schema = pa.schema([("iso3", pa.string()), ("cow", pa.int32()), ("gw", pa.int32()),
                        ("start_year", pa.int32()), ("end_year", pa.int32()), ("name", pa.string())])
    return pa.Table.from_pylist(
        [{"iso3": r["iso3"], "cow": r["pair"][0], "gw": r["pair"][1], "start_year": r["start"],
          "end_year": r["end"], "name": r["pair"][2]} for r in rows], schema=schema)
