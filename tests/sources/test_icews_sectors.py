"""ICEWS sector labels / agent names -> CAMEO sector codes (rule order matters)."""

from __future__ import annotations

import pytest

from dyadwatch.sources.icews_sectors import sector_of_agent, sector_of_labels


@pytest.mark.parametrize("labels, code", [
    ("Government,Executive,Foreign Ministry", "GOV"),
    ("Police,Government", "COP"),              # the more specific role wins, in any order
    ("Government,Police", "COP"),
    ("Government,Military", "MIL"),
    ("Parties,Opposition Major Party (Out Of Government),(National) Major Party", "OPP"),
    ("Parties,Government Major Party (In Government)", "GOV"),
    ("International Government Organization,Regional Diplomatic IGOs", "IGO"),   # not GOV
    ("Nongovernmental Organizations / Activists", "NGO"),                         # not GOV
    ("Navy Mechanized (Ships, Planes)", "MIL"),  # a label holding a comma
    ("Dissident,Protestors / Popular Opposition / Mobs", "OPP"),
    ("Business,Social", "BUS"),
    ("Parties", None),
    ("", None),
])
def test_icews_sectors_label_lists(labels, code):
    assert sector_of_labels(labels) == code


@pytest.mark.parametrize("agent, code", [
    ("Foreign Affairs", "GOV"), ("Head of Government", "GOV"), ("Citizen", "CVL"), ("Police", "COP"),
    ("Military Personnel - Special", "MIL"), ("Court Judge", "JUD"), ("Member of Parliament", "LEG"),
    ("Armed Rebel", "REB"), ("Insurgent", "INS"), ("Protester", "OPP"), ("Media Personnel", "MED"),
    ("Intelligence Officer", "SPY"), ("Armed Separatist", "SEP"), ("Refugee", "REF"), ("Party Member", None),
])
def test_icews_sectors_agent_names(agent, code):
    assert sector_of_agent(agent) == code
