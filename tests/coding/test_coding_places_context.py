"""Actors decided by context: datelines, place-name homonyms, coordinated lists.

Sentences are written for these tests (news-like, not taken from any data set).
"""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


@pytest.mark.parametrize("text, place, country, rest", [
    ("TBILISI, Georgia -- Georgian police detained two Russian soldiers.", "TBILISI", "GEO", "Georgian police"),
    ("ATLANTA, Georgia -- State troopers closed the highway.", "ATLANTA", "USA", "State troopers"),
    ("WASHINGTON (Reuters) - Iran accused the United States of sabotage.", "WASHINGTON", "USA", "Iran accused"),
    ("NAIROBI, May 4 (Xinhua) -- Kenya recalled its envoy.", "NAIROBI", "KEN", "Kenya recalled"),
    ("LIMA, Peru -- The Peruvian congress voted.", "LIMA", "PER", "The Peruvian"),
    ("SPRINGFIELD, Ill. (AP) -- The governor vetoed the bill.", "SPRINGFIELD", "USA", "The governor"),
    ("Mombasa: Police arrested nine smugglers.", "Mombasa", "KEN", "Police arrested"),
    ("Dakar--Senegal closed its border with Mali.", "Dakar", "SEN", "Senegal closed"),
    ("WHITE HOUSE - The president signed the order.", "WHITE HOUSE", "USA", "The president"),
])
def test_datelines_found(text, place, country, rest):
    from dyadwatch.coding.datelines import dateline

    got = dateline(text)
    assert got is not None and (got.text, got.country) == (place, country)
    assert text[got.end:].startswith(rest)


@pytest.mark.parametrize("text", [
    "The US has issued an ultimatum to Turkey: If it buys the missiles, sanctions follow.",
    "Lavrov: Assad is not our ally.",                   # a headline quoting a person, not a place
    "US - China talks resumed on Monday.",
    "Iran and Iraq signed an accord -- the first in years.",
    "NO DEAL -- HEADLINE IN CAPITALS",
])
def test_datelines_not_found(text):
    from dyadwatch.coding.datelines import dateline

    assert dateline(text) is None


def test_dateline_is_never_the_source_and_spans_count_in_the_whole_sentence(code):
    text = "TBILISI, Georgia -- Georgian police detained two Russian soldiers near Gori."
    events = code(text, date="2008-08-20")
    assert triples(events) == [("GEOCOP", "RUSMIL", "173")]
    ev = events[0]
    assert ev["sentence"] == text
    assert text[slice(*ev["spans"]["source"])] == "Georgian police"
    assert text[slice(*ev["spans"]["target"])] == "Russian soldiers"
    assert text[slice(*ev["spans"]["verb"])] == "detained"


def test_dateline_country_completes_domestic_institutions_only(code):
    # the filing country goes to police, courts and governments without a country ...
    assert triples(code("MANAGUA, Nicaragua -- Police arrested two opposition activists on Sunday.")) == \
        [("NICCOP", "NICOPP", "173")]
    # ... not to fighters: a bureau files about wars abroad
    got = triples(code("NAIROBI (Reuters) - Gunmen attacked a police post in Somalia on Sunday."))
    assert got and all(not s.startswith("KEN") for s, _, _ in got)


@pytest.mark.parametrize("text, expected", [
    ("New Mexico's governor criticized federal officials.", "USAGOV"),
    ("The New Jersey attorney general sued the company.", "USAJUD"),
    ("Police in New South Wales arrested two protesters.", "AUSCOP"),
    ("Police in Jersey City arrested two protesters.", "USACOP"),
    ("Israeli troops raided homes in East Jerusalem.", "ISRMIL"),
])
def test_homonym_longer_place_names(code, expected, text):
    got = triples(code(text))
    assert got and got[0][0] == expected
    assert not any(c in ("MEX", "MEXGOV", "JEY", "JEYJUD", "GBRCOP") for s, t, _ in got for c in (s, t))


def test_homonym_town_and_state(code):
    events = code("A gunman attacked a church in Lebanon, Pennsylvania, on Sunday.")
    assert events and all(e["target"]["country"] == "USA" and e["loc_country"] == "USA" for e in events)
    assert all("LBN" not in (e["source"]["code"] + e["target"]["code"]) for e in events)
    events = code("The mayor of Moscow, Idaho, criticized the governor.")
    assert events and events[0]["source"]["code"] == "USAGOV"


@pytest.mark.parametrize("text, expected", [
    ("Georgia's governor accused federal officials of lying.", "USAGOV"),
    ("Lawmakers in the state of Georgia condemned the federal plan.", "USALEG"),
    ("Georgia's president accused Russia of occupying South Ossetia.", "GEOGOV"),
    ("Russian troops attacked Georgia in August 2008.", "RUSMIL"),
])
def test_homonym_georgia_by_context(code, text, expected):
    events = code(text)
    assert events and events[0]["source"]["code"] == expected
    if "Russian troops" in text:
        assert events[0]["target"]["code"] == "GEO"


def test_homonym_georgia_keeps_its_sense_in_the_document(code):
    text = ("Georgia's governor signed the budget on Monday. Republicans in the legislature praised him. "
            "Georgia criticized federal officials over the storm aid.")
    events = code(text, date="2019-03-05")
    last = [e for e in events if e["sentence_index"] == 2]
    assert last and last[0]["source"]["code"] == "USA"


@pytest.mark.parametrize("text", [
    "Chinese warships entered the Indian Ocean on Monday.",
    "North Korea fired two missiles into the Sea of Japan.",
])
def test_homonym_geographic_features_are_no_actor(code, text):
    # no country: at most the phrase itself, as an entity (coding.entities)
    got = triples(code(text))
    assert all(t in (None, "XXX") for _, t, _ in got), got


@pytest.mark.parametrize("text", [
    "Rep. Jim Jordan criticized the Justice Department.",
    "Chad Wolf accused Iran of hacking.",
])
def test_homonym_personal_names_are_not_countries(code, text):
    got = triples(code(text))
    assert not any(c.startswith(("JOR", "TCD")) for s, t, _ in got for c in (s, t or ""))


def test_homonym_countries_still_countries(code):
    assert triples(code("Jordan condemned Israel.")) == [("JOR", "ISR", "111")]
    assert triples(code("King Abdullah of Jordan met Chad's president in Amman.")) == [("JORGOV", "TCDGOV", "040")]


@pytest.mark.parametrize("text, pairs", [
    ("Delegations from Japan, China and France met in Geneva.",  # delegations: the government's (GOV)
     {("JPNGOV", "CHNGOV"), ("JPNGOV", "FRAGOV"), ("CHNGOV", "JPNGOV"), ("CHNGOV", "FRAGOV"),
      ("FRAGOV", "JPNGOV"), ("FRAGOV", "CHNGOV")}),
    ("The ministers of Peru and Chile met in Lima.", {("PERGOV", "CHLGOV"), ("CHLGOV", "PERGOV")}),
    ("Troops from Kenya, Uganda and Ethiopia attacked al-Shabaab bases.",
     {("KENMIL", "SOMREBSHB"), ("UGAMIL", "SOMREBSHB"), ("ETHMIL", "SOMREBSHB")}),
    ("Japan, China and France condemned North Korea.", {("JPN", "PRK"), ("CHN", "PRK"), ("FRA", "PRK")}),
])
def test_coordinated_lists_every_member_gets_its_event(code, text, pairs):
    assert {(s, t) for s, t, _ in triples(code(text))} == pairs
