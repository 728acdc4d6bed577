"""Coverage of the real ICEWS18 actor names (people and organisations) by the dictionary.

The names in ``events/icews18_renet/icews18_valid.tsv`` are either plain countries
("Iran"), "Sector (Country)" ("Police (Singapore)"), or people and organisations
("Sergey Viktorovich Lavrov", "UN Security Council").  The last group is what the actor
dictionaries must resolve; most of its distinct names are people outside our scope (the
dictionary covers the P5 and the Middle East), so the share is reported and only a modest
floor is asserted.  Each name is resolved on the first date it occurs.
"""

from __future__ import annotations

import csv
import re
from datetime import date

import pytest

from dyadwatch.codebooks import actors
from dyadwatch.codebooks.actors import countries_bridge

ICEWS = "events/icews18_renet/icews18_valid.tsv"

# names the ICEWS18 file uses for in-scope actors; each must resolve, to this code
IN_SCOPE = {
    "Vladimir Putin": "RUSGOV", "Sergey Viktorovich Lavrov": "RUSGOV", "Hassan Rouhani": "IRNGOV",
    "Mohammad Javad Zarif": "IRNGOV", "Donald Trump": "USAGOV", "Mike Pompeo": "USAGOV",
    "James Mattis": "USAMIL", "Xi Jinping": "CHNGOV", "Wang Yi": "CHNGOV",
    "Theresa May": "GBRGOV", "Emmanuel Macron": "FRAGOV", "Recep Tayyip Erdoğan": "TURGOV",
    "Benjamin Netanyahu": "ISRGOV", "Bashar al-Assad": "SYRGOV", "Mahmoud Abbas": "PSEGOV",
    "Sergey Kuzhugetovich Shoygu": "RUSMIL", "Sayyed Ali Khamenei": "IRNGOV",
    "UN Security Council": "IGOUNO", "UN General Assembly": "IGOUNO",
    "United Nations": "IGOUNO", "North Atlantic Treaty Organization": "IGOWSTNAT",
    "European Union": "IGOEUREEC", "Israeli Defense Forces": "ISRMIL", "Houthis": "YEMREBHTI",
    "Hezbollah": "LBNREBHEZ", "Taliban": "AFGREBTAL",
    "Islamic State of Iraq and the Levant": "IMGMOSISI",
}


def _icews_names(path) -> tuple[dict[str, date], dict[str, int]]:
    first: dict[str, date] = {}
    mentions: dict[str, int] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            day = date.fromisoformat(row["event_date"])
            for name in (row["source_name"], row["target_name"]):
                mentions[name] = mentions.get(name, 0) + 1
                if name not in first or day < first[name]:
                    first[name] = day
    return first, mentions


@pytest.fixture(scope="module")
def icews(shared_data):
    return _icews_names(shared_data / ICEWS)


def test_in_scope_icews_names_resolve_to_their_codes(icews):
    first, _ = icews
    d = actors.load()
    got = {}
    for name, code in IN_SCOPE.items():
        assert name in first, f"{name!r} not in the ICEWS file"
        actor = d.resolve(name, first[name])
        got[name] = None if actor is None else actor.code
    assert got == IN_SCOPE


@pytest.mark.parametrize("split", ["valid", "test"])
def test_share_of_icews_people_and_organisations_resolved(shared_data, split, record_property):
    first, mentions = _icews_names(shared_data / f"events/icews18_renet/icews18_{split}.tsv")
    d = actors.load()
    names = [n for n in first if not re.search(r"\(.*\)$", n)]          # not "Sector (Country)"
    orgs = [n for n in names if countries_bridge.resolve_country(n, first[n]) is None]
    # an agent-only answer ("Ministry of Defense" -> MIL, no country) does not count
    found = {n: d.resolve(n, first[n]) for n in orgs}
    resolved = [n for n, a in found.items() if a is not None and a.kind != "agent"]
    share = len(resolved) / len(orgs)
    weighted = sum(mentions[n] for n in resolved) / sum(mentions[n] for n in orgs)
    record_property(f"icews18_{split}_people_org_names", len(orgs))
    record_property(f"icews18_{split}_resolved_names", len(resolved))
    record_property(f"icews18_{split}_share_distinct", round(share, 4))
    record_property(f"icews18_{split}_share_mentions", round(weighted, 4))
    print(f"ICEWS18 {split}: {len(resolved)}/{len(orgs)} distinct people/organisation names "
          f"resolved ({share:.1%}); {weighted:.1%} of their mentions")
    # people/organisation names are a minority of the file's names (most are "Sector (Country)")
    assert 2000 < len(orgs) < 3500
    # modest floors (not targets): out-of-scope people (Modi, Merkel, Abe ...) dominate misses
    assert share >= 0.09
    assert weighted >= 0.40
