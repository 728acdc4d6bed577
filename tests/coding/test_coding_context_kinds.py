"""Actors from context, by kind of sentence (issue 12 item 2).

Every sentence below was written for these tests (none comes from a gold
set); each kind has several sentences so that a rule fitted to one of them
fails the others.  Expected codings follow the CAMEO actor conventions
(country + sector, ``UAF`` for armed groups of unknown allegiance, the
event's place completing a sector actor without a country).
"""

from __future__ import annotations

import pytest

from tests.coding.conftest import triples


def _pairs(events):
    return sorted((e["source"]["code"], e["target"]["code"] if e["target"] else None) for e in events
                  if e["cameo_root"] != "01")


# ------------------------------------------------------------------ coordinated lists
@pytest.mark.parametrize("text, members", [
    ("Delegations from Kenya, Uganda and Tanzania met in Arusha on Monday.", ("KEN", "UGA", "TZA")),
    ("Iran, Russia and Turkey agreed to set up four de-escalation zones.", ("IRN", "RUS", "TUR")),
    ("Delegations from Japan, South Korea and the United States met in Geneva.", ("JPN", "KOR", "USA")),
])
def test_every_member_of_a_coordinated_list_gets_its_events(code, text, members):
    pairs = {(s[:3], t[:3]) for s, t in _pairs(code(text)) if t}
    assert pairs == {(a, b) for a in members for b in members if a != b}


def test_a_coordinated_list_of_subjects_each_acts_on_the_object(code):
    events = code("Leaders of Egypt, Jordan and Saudi Arabia met the US president in Riyadh.")
    assert sorted((e["source"]["code"][:3], e["target"]["code"]) for e in events) == \
        [("EGY", "USAGOV"), ("JOR", "USAGOV"), ("SAU", "USAGOV")]
    # the member's whole name is its span, not the head word of the name
    assert {e["source"]["text"] for e in events} >= {"Jordan", "Saudi Arabia"}


# ------------------------------------------------------------------ titles, nationality adjectives, apposition
@pytest.mark.parametrize("text, source", [
    ("The Ghanaian leader criticized Nigeria over the border closure.", "GHAGOV"),
    ("Mahama, the president of Ghana, criticized Nigeria over the border closure.", "GHAGOV"),
    ("John Mahama, Ghana's president, criticized Nigeria over the border closure.", "GHAGOV"),
    ("Ghana's President John Mahama criticized Nigeria over the border closure.", "GHAGOV"),
])
def test_an_unlisted_leader_takes_the_country_of_his_title(code, text, source):
    assert triples(code(text)) == [(source, "NGA", "111")]


# ------------------------------------------------------------------ later mentions
def test_a_surname_later_in_the_document_keeps_the_country_it_was_introduced_with(code):
    events = code("Zambian President Hakainde Hichilema arrived in Beijing on Monday. "
                  "Hichilema later thanked China for its support.")
    assert ("ZMBGOV", "CHN", "051") in triples(events)


# ------------------------------------------------------------------ the other side of "counterpart"
@pytest.mark.parametrize("text, target", [
    ("President Mahama met his Nigerian counterpart in Abuja.", "NGAGOV"),
    ("The foreign minister held talks with his Egyptian counterpart in Cairo.", "EGYGOV"),
    ("Ministers met their Turkish counterparts in Ankara.", "TURGOV"),
])
def test_the_host_country_is_not_given_to_the_visitor_of_a_counterpart(code, text, target):
    # the place is the counterpart's country: the visitor is of another one (unknown here)
    [(src, tgt, root)] = [(s, t, c[:2]) for s, t, c in triples(code(text))]
    assert (src, tgt, root) == ("GOV", target, "04")


def test_a_named_visitor_keeps_his_own_country_beside_a_counterpart(code):
    assert triples(code("The Chinese foreign minister met his Kenyan counterpart in Nairobi.")) == \
        [("CHNGOV", "KENGOV", "040")]


# ------------------------------------------------------------------ sponsored armed groups
@pytest.mark.parametrize("text, code_", [
    ("Israel carried out an air strike on an Iranian-backed militia near Damascus.", "SYRUAF"),
    ("Jets bombed a Saudi-funded militia near Sanaa.", "YEMUAF"),
    ("Drones struck a Turkish-supported militia outside Tripoli.", "LBYUAF"),
])
def test_a_state_backed_militia_is_no_rebel_group_of_the_place(code, text, code_):
    targets = [e["target"]["code"] for e in code(text) if e["cameo_root"] in ("18", "19") and e["target"]]
    assert targets == [code_]


def test_rebels_stay_rebels_whoever_backs_them(code):
    events = code("Russian-backed separatists shelled Ukrainian positions near Donetsk.")
    assert [(e["source"]["code"], e["cameo_root"]) for e in events] == [("UKRREB", "19")]


def test_a_pro_country_group_is_not_of_that_country(code):
    events = code("Israeli jets struck pro-Iranian militias near the border.")
    assert [e["target"]["code"] for e in events] == ["UAF"]  # armed, allegiance unknown, no country


# ------------------------------------------------------------------ place names by context
@pytest.mark.parametrize("text, source", [
    ("Police in Athens, Georgia arrested two Russian nationals.", "USACOP"),
    ("Police in Tripoli, Lebanon arrested two Syrian nationals.", "LBNCOP"),
    ("Police in Paris, Texas detained a Mexican citizen.", "USACOP"),
    ("Police in Batumi, Georgia arrested two Turkish nationals.", "GEOCOP"),
    ("Police in Paris detained a Mexican citizen.", "FRACOP"),
])
def test_a_city_is_read_with_the_region_after_its_comma(code, text, source):
    assert [e["source"]["code"] for e in code(text)] == [source]


@pytest.mark.parametrize("text, source, target", [
    ("Gunmen attacked a Nigerian army base in Borno state.", "NGAUAF", "NGAMIL"),
    ("Militants ambushed a police patrol in Adamawa state.", "NGAREB", "NGACOP"),
    ("Insurgents attacked a checkpoint in Kunar province.", "AFGREB", "AFG"),
])
def test_a_state_or_province_is_looked_up_among_subdivisions(code, text, source, target):
    assert [(s, t) for s, t, _ in triples(code(text))] == [(source, target)]


def test_subdivision_lookup_needs_a_single_country_and_no_country_name():
    from dyadwatch.coding import places

    assert places.subdivision("Borno").country == "NGA"
    assert places.subdivision("Kunar").country == "AFG"
    assert places.subdivision("Niger") is None  # a Nigerian state, but the name of a country
    assert places.subdivision("Nowhereland") is None


# ------------------------------------------------------------------ the other side of an event from its object's parts
@pytest.mark.parametrize("text, want", [
    ("Egypt welcomed Israel's proposal for a ceasefire.", ("EGY", "ISR", "Israel")),
    ("The Kenyan government rejected Uganda's request for extradition.", ("KENGOV", "UGA", "Uganda")),
    ("Japan praised India's decision to join the pact.", ("JPN", "IND", "India")),
])
def test_the_owner_of_an_object_noun_is_the_target(code, text, want):
    events = [e for e in code(text) if e["cameo_root"] != "01"]
    assert [(e["source"]["code"], e["target"]["code"], e["target"]["text"]) for e in events] == [want]


@pytest.mark.parametrize("text, target", [
    ("The tribunal found the Serbian government guilty of failing to prevent genocide.", "SRBGOV"),
    ("The court found the Croatian army guilty of war crimes.", "HRVMIL"),
    ("A UN tribunal found the Rwandan army guilty of war crimes.", "RWAMIL"),
])
def test_the_subject_of_a_small_clause_is_the_target(code, text, target):
    assert [t for _, t, _ in triples(code(text))] == [target]


@pytest.mark.parametrize("text, want", [
    ("Putin discussed Ukraine with Erdogan by telephone.", ("RUSGOV", "TURGOV")),
    ("Macron discussed the Sahel with Senegalese President Macky Sall.", ("FRAGOV", "SENGOV")),
])
def test_the_partner_of_a_discussion_is_the_target_not_its_topic(code, text, want):
    assert [(s, t) for s, t, c in triples(code(text)) if c.startswith("04")] == [want]


# ------------------------------------------------------------------ plural role words
@pytest.mark.parametrize("text, want", [
    ("The US president met the leaders of Chile, Peru and Colombia in Lima.",
     [("USAGOV", "CHLGOV"), ("USAGOV", "COLGOV"), ("USAGOV", "PERGOV")]),
    ("US aircraft bombed Iranian-backed militias in eastern Syria.", [("USAMIL", "SYRUAF")]),
    ("Rebels attacked several embassies in Kabul.", [("AFGREB", "AFGGOV")]),
])
def test_a_plural_role_word_is_the_role_of_its_singular(code, text, want):
    assert _pairs(code(text)) == want


def test_plural_agent_phrases_are_regular_english_plurals():
    from dyadwatch.codebooks.actors.model import Actor
    from dyadwatch.coding.actors import _plural_agent

    agent = [Actor(code="GOV", country=None, sector="GOV", kind="agent", name="Government")]
    country = [Actor(code="JOR", country="JOR", sector=None, kind="country", name="Jordan")]
    phrases = {("leader",): agent, ("embassy",): agent, ("gunman",): agent, ("foreign", "minister"): agent,
               ("authorities",): agent, ("jordan",): country, ("army",): agent, ("armies",): agent}
    assert _plural_agent(("leader",), phrases) == ("leaders",)
    assert _plural_agent(("embassy",), phrases) == ("embassies",)
    assert _plural_agent(("gunman",), phrases) == ("gunmen",)
    assert _plural_agent(("foreign", "minister"), phrases) == ("foreign", "ministers")
    assert _plural_agent(("authorities",), phrases) is None  # already plural
    assert _plural_agent(("jordan",), phrases) is None  # not an agent
    assert _plural_agent(("army",), phrases) is None  # the plural has its own entry
