"""A small store built in code for the hostile-CLI tests: ICEWS events, UN votes, vetoes."""

from __future__ import annotations

import pytest

from dyadwatch.api import Dyadwatch

ICEWS_HEADER = ("Event ID\tEvent Date\tSource Name\tSource Sectors\tSource Country\tEvent Text\tCAMEO Code\t"
                "Intensity\tTarget Name\tTarget Sectors\tTarget Country\tStory ID\tSentence Number\tPublisher\t"
                "City\tDistrict\tProvince\tCountry\tLatitude\tLongitude")
#: (id, date, source country, CAMEO code, Goldstein, target country)
EVENTS = [
    (1, "2015-03-02", "Iran", "040", 1.0, "Russia"),
    (2, "2015-07-14", "Russia", "057", 8.0, "Iran"),
    (3, "2016-01-20", "Iran", "112", -2.0, "Russia"),
    (4, "2016-05-05", "Russia", "190", -10.0, "Iran"),
]
ROLL_CALLS = """rcid,session,importantvote,date,unres,amend,para,short,descr
1,70,1,2015-03-01,R/70/1,0,0,SYRIA,"Human rights situation in the Syrian Arab Republic"
2,70,0,2015-06-01,R/70/2,0,0,DISARMAMENT,"General and complete disarmament"
"""
ISSUES = """rcid,short_name,issue
1,hr,Human rights
2,di,Arms control and disarmament
"""
VOTES = """rcid,country,country_code,vote
1,Iran,IR,yes
1,Russia,RU,yes
2,Iran,IR,no
2,Russia,RU,abstain
"""
VETO_HEADER = ("Year,date,month,draft,meeting_record,agenda_item,crisis_topic,region,member_veto1,member_veto2,"
               "member_veto3,single_veto,multiple_vetoes,China,France,Russia,USSR,USA,UK,russia_china,usa_uk,"
               "usa_france,usa_france_uk,france_uk,date_iso,vetoing_members,n_vetoing_members,"
               "country_dummies_match_members,exact_duplicate_of_previous_row")
VETOES = [
    "2014,5/22/2014,5,S/2014/348,S/PV.7180,The situation in the Middle East,Syria,Middle East,Russia,China,,0,1,"
    "1,0,1,0,0,0,1,0,0,0,0,2014-05-22,Russia;China,2,True,False",
]


def _icews_line(ev) -> str:
    eid, date, src, code, gs, tgt = ev
    return "\t".join([str(eid), date, f"Government ({src})", "Government", src, "Event", code, str(gs),
                      f"Government ({tgt})", "Government", tgt, str(100 + eid), "1", "Test Wire", "NA", "NA",
                      "NA", src, "NA", "NA"])


@pytest.fixture(scope="session")
def hostile_files(tmp_path_factory):
    """Paths of the small input files (ICEWS events, UN votes, vetoes)."""
    d = tmp_path_factory.mktemp("hostile_files")
    files = {
        "events": ("events.tab", "\n".join([ICEWS_HEADER, *map(_icews_line, EVENTS)]) + "\n"),
        "roll_calls": ("rc.csv", ROLL_CALLS),
        "issues": ("issues.csv", ISSUES),
        "votes": ("votes.csv", VOTES),
        "vetoes": ("vetoes.csv", "\n".join([VETO_HEADER, *VETOES]) + "\n"),
    }
    out = {}
    for key, (name, text) in files.items():
        (d / name).write_text(text, encoding="utf-8")
        out[key] = d / name
    return out


@pytest.fixture(scope="session")
def hostile_store(hostile_files, tmp_path_factory):
    """Path of a store holding the small files (built once; tests only read it)."""
    path = tmp_path_factory.mktemp("hostile_store") / "s.duckdb"
    with Dyadwatch(path) as dw:
        dw.ingest(list(hostile_files.values()))
    return path
