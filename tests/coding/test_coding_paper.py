"""Coding the flagship paper (../shared/seed) gives a dated timeline of the events it reports.

Document date 2020-01-01: the paper gives its own citation as IJPS vol. 6
no. 2, 2020, and the latest source it cites is dated 16 October 2019, so it
was written between those dates.  The date only matters for relative
expressions and for people whose term is still open; every event checked
below carries an explicit date in its sentence (or "some days later" counted
from one).
"""

from __future__ import annotations

import pytest

PAPER = "000_2d8aae18d5243fb5.txt"


@pytest.fixture(scope="module")
def paper_events(shared_seed, coder):
    from dyadwatch.coding.documents import read_documents

    docs, screening = read_documents(shared_seed / PAPER, "2020-01-01")
    events, report = coder.code(docs, screening)
    return events, report


def _find(events, **want):
    out = []
    for e in events:
        ok = True
        for key, value in want.items():
            if key in ("src_country", "tgt_country"):
                side = e["source"] if key == "src_country" else e["target"]
                ok = ok and side is not None and side["country"] == value
            elif key == "tgt_code_prefix":
                ok = ok and e["target"] is not None and e["target"]["code"].startswith(value)
            elif key == "date_prefix":
                ok = ok and (e["event_date"] or "").startswith(value)
            else:
                ok = ok and e[key] == value
        if ok:
            out.append(e)
    return out


def test_paper_2014_security_council_veto(paper_events):
    hits = _find(paper_events[0], cameo_code="129", src_country="RUS")
    assert [(e["event_date"], e["date_precision"]) for e in hits] == [("2014-05-22", "day")]


def test_paper_2015_visit_to_moscow(paper_events):
    hits = _find(paper_events[0], cameo_code="042", src_country="IRN", tgt_country="RUS")
    assert [(e["event_date"], e["date_precision"]) for e in hits] == [("2015-07-01", "month")]
    assert hits[0]["source"]["code"] == "IRNMIL" and "Soleimani" in hits[0]["source"]["text"]


def test_paper_2015_information_centre_in_baghdad(paper_events):
    hits = _find(paper_events[0], cameo_root="06", date_prefix="2015-09-26")
    pairs = {(e["source"]["country"], e["target"]["country"]) for e in hits}
    for a in ("RUS", "IRQ", "IRN", "SYR"):
        for b in ("RUS", "IRQ", "IRN", "SYR"):
            if a != b:
                assert (a, b) in pairs
    assert {e["loc_name"] for e in hits} == {"Baghdad"}


def test_paper_2017_tehran_attack_and_missile_strikes(paper_events):
    attack = _find(paper_events[0], cameo_root="19", tgt_country="IRN", date_prefix="2017-06-07")
    assert attack and attack[0]["date_precision"] == "day" and attack[0]["loc_name"] == "Tehran"
    strikes = _find(paper_events[0], cameo_code="195", src_country="IRN", date_prefix="2017-06")
    assert strikes and strikes[0]["target"]["code"].startswith("IMG")  # the Islamic State
    assert strikes[0]["date_precision"] == "month"  # "some days later"


def test_paper_2017_putin_visit_to_tehran(paper_events):
    hits = _find(paper_events[0], cameo_code="042", src_country="RUS", tgt_country="IRN")
    assert [(e["event_date"], e["date_precision"], e["source"]["code"]) for e in hits] == \
        [("2017-11-01", "month", "RUSGOV")]


def test_paper_timeline_is_dated_and_references_are_not_coded(paper_events):
    events, report = paper_events
    timeline = sorted((e["event_date"], e["cameo_code"]) for e in events if e["event_date"] < "2020")
    assert timeline[0][0] < "2015" and len(timeline) >= 6
    assert report.screening.skipped["reference-list lines"] > 50
    assert not any("Guardian" in e["sentence"] for e in events)


#: The ten dated events of the paper that dyadwatch is scored on (issue 12), chosen before the
#: coder's output was looked at: every event the paper dates (explicitly, or for a statement by
#: its numbered citation) whose actors are states, state organs or the Islamic State, of the kinds
#: the paper narrates (a veto, visits, the Baghdad centre, the Tehran attack, the strikes that
#: followed, statements).  Best date: the explicit date of the sentence; for a statement dated
#: only by its citation, the date of the reference entry; "some days later": the month.
#: (sentence words, source code prefix, target code prefix or None, CAMEO roots, date prefix, date source)
TEN_EVENTS = [
    ("Resolution 7180", "RUS", None, ("12",), "2014-05-22", "sentence"),             # UNSC veto
    ("Soleimani", "IRNMIL", "RUS", ("04",), "2015-07", "sentence"),                   # visit to Moscow
    ("information center in Baghdad", "RUS", "IRN", ("03", "04", "05", "06"), "2015-09-26", "sentence"),
    ("70th session", "RUS", None, ("01", "02", "03", "05"), "2015-09-28", "sentence"),  # Putin at the UNGA
    ("gunmen launched", "IRNUAF", "IRN", ("18", "19"), "2017-06-07", "sentence"),    # Tehran attack
    ("missile strikes", "IRNMIL", "IMG", ("19",), "2017-06", "relative"),            # IRGC strikes
    ("Kosachev, chair", "RUS", None, ("01", "05"), "2017-03", "sentence"),            # Kosachev's statement
    ("visit to Tehran in November 2017", "RUSGOV", "IRN", ("04",), "2017-11", "sentence"),  # Putin's visit
    ("Ryabkov also stated", "RUSGOV", None, ("01", "05"), "2017-11-01", "citation"),   # [47] TASS 1 Nov 2017
    ("Lavrov said", "RUSGOV", None, ("01", "05", "11", "12"), "2016-05-04", "citation"),  # [49] Sputnik
]


def _scored(events, words, src, tgt, roots, date, source):
    return [e for e in events if words in e["sentence"] and e["source"]["code"].startswith(src)
            and (tgt is None or (e["target"] or {}).get("code", "").startswith(tgt))
            and e["cameo_root"] in roots and (e["event_date"] or "").startswith(date)
            and e["date_source"] == source]


def test_paper_ten_dated_events(paper_events):
    found = [row[0] for row in TEN_EVENTS if _scored(paper_events[0], *row)]
    assert len(found) >= 8, f"found {len(found)} of 10: {found}"
    assert found == [row[0] for row in TEN_EVENTS]  # all ten (issue 12 target: at least 8)


@pytest.fixture(scope="module")
def demo_path_events(shared_seed, shared_data):
    """The paper coded as `make demo` codes it: the PETRARCH dictionaries of the mirror and an
    event-class model trained on the mirror's gold files (PLV training sentences and the PLOVER
    development records) — the rules-only fixture above cannot see what the model drops or re-classes."""
    from dyadwatch.coding.coder import Coder
    from dyadwatch.coding.documents import read_documents
    from dyadwatch.coding.gold import read_gold_files
    from dyadwatch.coding.training import train_model

    dicts = shared_data / "dictionaries" / "petrarch2"
    gold = [p for p in (shared_data / "text" / "plv_train.tsv", shared_data / "text" / "plover_gsr_dev.jsonl")
            if p.is_file()]
    if not dicts.is_dir() or not gold:
        pytest.skip("the mirror's PETRARCH dictionaries or gold files are absent")
    coder = Coder(dictionaries=(str(dicts),), fetched=False, n_process=1)
    coder.model = train_model(read_gold_files(gold), coder)
    docs, screening = read_documents(shared_seed / PAPER, "2020-01-01")
    events, _ = coder.code(docs, screening)
    return events


def test_paper_ten_dated_events_with_the_demo_model(demo_path_events):
    found = [row[0] for row in TEN_EVENTS if _scored(demo_path_events, *row)]
    missing = [row[0] for row in TEN_EVENTS if row[0] not in found]
    assert len(found) >= 8, f"found {len(found)} of 10; missing {missing}"
    # the visit beside Putin's statement in the same sentence survives the model's floor
    assert _scored(demo_path_events, *TEN_EVENTS[7])
