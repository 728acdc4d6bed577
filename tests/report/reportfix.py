"""A small store built in code with everything the report shows (events, votes, a veto, a conflict)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from tests.relations.storefix import insert_rows, make_store

INJECT_NAME = '<script>alert("name")</script>Tehran'
INJECT_SENTENCE = 'Talks held <img src=x onerror=alert("sentence")> in Moscow'
INJECT_AGENDA = 'The situation in <script>alert("veto")</script> Syria'

STATES = ["IRN", "RUS", "SYR", "USA", "SAU", "TUR", "ISR"]
CAMP = {"IRN": 0, "RUS": 0, "SYR": 0, "USA": 1, "SAU": 1, "TUR": 1, "ISR": 1}


def build_store(path, *, inject: bool = True):
    """Iran-Russia events 2008-2016 (cooperation falls in 2012), Russia-Israel events, UN votes
    2008-2016 (two camps on 'Syrian Arab Republic' roll calls), one joint veto, one shared conflict."""
    rng = np.random.default_rng(5)
    events, eid = [], 0
    for year in range(2008, 2017):
        coop_share = 0.95 if year < 2012 else 0.55
        for k in range(120):
            eid += 1
            qc = 1 if rng.random() < coop_share else (3 if rng.random() < 0.7 else 4)
            date = dt.date(year, 1 + k % 12, 1 + k % 28).isoformat()
            src, tgt = ("IRN", "RUS") if k % 2 else ("RUS", "IRN")
            marked = inject and k == 1 and year == 2014  # the top event of 2014 (Goldstein 10, most mentions)
            sentence = INJECT_SENTENCE if marked else f"Event {eid} between Iran and Russia."
            name = INJECT_NAME if marked else src
            events.append((eid, date, src, tgt, 1 if marked else qc, 10.0 if marked else None, sentence, name,
                           50 if marked else 1))
        for k in range(30):
            eid += 1
            events.append((eid, dt.date(year, 1 + k % 12, 3).isoformat(), "RUS", "ISR", 1 if k % 5 else 3))
    con = make_store(path, events=events)
    rcid, votes, calls = 0, [], []
    for year in range(2008, 2017):
        for k in range(14):
            rcid += 1
            topic = k < 4
            descr = ("Situation of human rights in the Syrian Arab Republic" if topic else f"General item {k}")
            calls.append((rcid, year - 1945, None, dt.date(year, 12, 1), year, f"R/{rcid}", 0, 0, descr, descr))
            for s in STATES:
                if topic:
                    x = 1 if CAMP[s] == 1 else 3
                else:
                    x = int(rng.choice([1, 1, 1, 2, 3])) if s not in ("IRN", "RUS") else (1 if k % 3 else 2)
                votes.append((rcid, s, None, s, {1: "yes", 2: "abstain", 3: "no"}[x], x))
    insert_rows(con, "un_roll_calls", ["rcid", "session", "importantvote", "date", "year", "unres", "amend", "para",
                                       "short", "descr"], calls)
    insert_rows(con, "un_votes", ["rcid", "country", "country_code", "iso3", "vote", "vote_code"], votes)
    con.execute("INSERT INTO unsc_vetoes (draft, agenda_item, meeting_record, date, year, crisis_topic, region, "
                "members, members_iso3, n_members) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                ["S/2014/348", INJECT_AGENDA if inject else "The situation in Syria", "S/PV.7180",
                 dt.date(2014, 5, 22), 2014, "Syria", "Middle East", ["Russia", "China"], ["RUS", "CHN"], 2])
    for year in range(2015, 2017):
        con.execute("INSERT INTO ucdp_conflicts (conflict_id, year, incompatibility, intensity_level, "
                    "type_of_conflict) VALUES (299, ?, 'government', 2, 'II')", [year])
        for side, role, gw, iso in (("A", "primary", 652, "SYR"), ("A", "secondary", 365, "RUS"),
                                    ("A", "secondary", 630, "IRN")):
            con.execute("INSERT INTO ucdp_conflict_parties (conflict_id, year, side, role, gwno, iso3) "
                        "VALUES (299, ?, ?, ?, ?, ?)", [year, side, role, gw, iso])
    con.execute("INSERT INTO dataset_provenance (dataset, title, publisher, landing_url, version, licence, citation, "
                "checksum) VALUES ('toy', 'Toy <b>events</b>', 'dyadwatch tests', 'https://example.org', '1', 'CC0', "
                "'Test data built in code', 'sha256:00')")
    return con
