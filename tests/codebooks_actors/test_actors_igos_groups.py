"""International organisations and armed groups resolve to their CAMEO codes."""

from __future__ import annotations

from datetime import date

import pytest

from dyadwatch.codebooks import actors


@pytest.fixture(scope="module")
def d() -> actors.ActorDictionary:
    return actors.load()


@pytest.mark.parametrize(("name", "code"), [
    ("United Nations", "IGOUNO"), ("U.N.", "IGOUNO"), ("UN Security Council", "IGOUNO"),
    ("United Nations Security Council", "IGOUNO"), ("UN General Assembly", "IGOUNO"),
    ("NATO", "IGOWSTNAT"), ("North Atlantic Treaty Organization", "IGOWSTNAT"),
    ("European Union", "IGOEUREEC"), ("EU", "IGOEUREEC"), ("Arab League", "IGOARBARL"),
    ("OPEC", "IGOBUSOPC"), ("IAEA", "IGOUNOIAE"), ("UN nuclear watchdog", "IGOUNOIAE"),
    ("OIC", "IGOMOSOIC"), ("Gulf Cooperation Council", "IGOARBGCC"), ("African Union", "IGOAFRAFU"),
    ("ASEAN", "IGOSEAASN"), ("Shanghai Cooperation Organisation", "IGOASASCO"),
    ("CSTO", "IGOCASCST"), ("OSCE", "IGOEURSCE"), ("World Health Organization", "IGOUNOHLHWHO"),
    ("IMF", "IGOBUSIMF"), ("World Bank", "IGOUNODEVWBK"), ("International Criminal Court", "IGOJUDICC"),
    ("Red Cross", "NGOIRC"), ("Amnesty International", "NGOHRIAMN"),
])
def test_igo_codes(d, name, code):
    actor = d.resolve(name)
    assert actor is not None and actor.kind == "igo" and actor.code == code
    assert actor.country is None


@pytest.mark.parametrize(("name", "code", "country"), [
    ("Islamic State", "IMGMOSISI", None), ("ISIS", "IMGMOSISI", None),
    ("ISIL", "IMGMOSISI", None), ("Daesh", "IMGMOSISI", None),
    ("Islamic State of Iraq and the Levant", "IMGMOSISI", None),
    ("al-Qaeda", "IMGMOSALQ", None), ("Al Qaida", "IMGMOSALQ", None),
    ("Jabhat al-Nusra", "SYRREBNUS", "SYR"), ("al-Nusra Front", "SYRREBNUS", "SYR"),
    ("Hezbollah", "LBNREBHEZ", "LBN"), ("Hizbollah", "LBNREBHEZ", "LBN"),
    ("Hamas", "PSEREBHMS", "PSE"), ("Palestinian Islamic Jihad", "PSEREBISJ", "PSE"),
    ("Houthis", "YEMREBHTI", "YEM"), ("Ansar Allah", "YEMREBHTI", "YEM"),
    ("YPG", "SYRREBYPG", "SYR"), ("Syrian Democratic Forces", "SYRREBSDF", "SYR"),
    ("PKK", "TURREBPKK", "TUR"), ("Peshmerga", "IRQMIL", "IRQ"),
    ("Free Syrian Army", "SYRREBFSA", "SYR"),
    ("Islamic Revolutionary Guard Corps", "IRNMIL", "IRN"),
    ("Revolutionary Guards", "IRNMIL", "IRN"), ("IRGC", "IRNMIL", "IRN"),
    ("Quds Force", "IRNMIL", "IRN"), ("Wagner Group", "RUSMIL", "RUS"),
    ("Popular Mobilization Forces", "IRQMIL", "IRQ"), ("Hashd al-Shaabi", "IRQMIL", "IRQ"),
    ("Israeli Defense Forces", "ISRMIL", "ISR"),
])
def test_group_codes(d, name, code, country):
    actor = d.resolve(name, date(2016, 6, 1))
    assert actor is not None and actor.kind == "group"
    assert (actor.code, actor.country) == (code, country)


def test_armed_groups_name_where_they_fight(d):
    assert {"IRQ", "SYR"} <= set(d.resolve("Daesh").operates_in)
    assert "YEM" in d.resolve("Houthis").operates_in


@pytest.mark.parametrize(("name", "on", "code"), [
    ("Taliban", date(2015, 1, 1), "AFGREBTAL"),
    ("Taliban", date(2021, 8, 14), "AFGREBTAL"),
    ("Taliban", date(2021, 8, 15), "AFGGOVTAL"),
    ("HTS", date(2020, 1, 1), "SYRREBNUS"),
    ("Hayat Tahrir al-Sham", date(2025, 2, 1), "SYRGOV"),
])
def test_groups_whose_role_changed(d, name, on, code):
    assert d.resolve(name, on).code == code


def test_nusra_name_valid_only_before_hts(d):
    assert d.resolve("Jabhat Fateh al-Sham", date(2016, 8, 1)).code == "SYRREBNUS"
    assert d.resolve("Jabhat Fateh al-Sham", date(2019, 1, 1)) is None


def test_organisation_beats_capital_of_the_same_name(d):
    # "Brussels" is Belgium's capital and a metonym for the EU: the EU wins, both are listed
    assert d.resolve("Brussels").code == "IGOEUREEC"
    assert {a.code for a in d.resolve_all("Brussels")} == {"IGOEUREEC", "BEL"}
