"""People resolve to their country and sector only inside their terms of office."""

from __future__ import annotations

from datetime import date

import pytest

from dyadwatch.codebooks import actors


@pytest.fixture(scope="module")
def d() -> actors.ActorDictionary:
    return actors.load()


@pytest.mark.parametrize(("name", "on", "code", "office"), [
    # Rouhani: president 2013-08-03 .. 2021-08-03, spelled several ways
    ("Rouhani", date(2015, 6, 1), "IRNGOV", "President"),
    ("Rowhani", date(2015, 6, 1), "IRNGOV", "President"),
    ("Hassan Rouhani", date(2013, 8, 3), "IRNGOV", "President"),      # first day
    ("Hassan Rouhani", date(2021, 8, 3), "IRNGOV", "President"),      # last day
    ("Mohammad Javad Zarif", date(2017, 1, 1), "IRNGOV", "Foreign Minister"),
    ("Sergey Viktorovich Lavrov", date(2018, 9, 1), "RUSGOV", "Foreign Minister"),
    ("Sergei Lavrov", date(2004, 3, 9), "RUSGOV", "Foreign Minister"),
    ("Qassem Soleimani", date(2015, 9, 1), "IRNMIL", "Quds Force commander"),
    ("Qasem Soleimani", date(2020, 1, 3), "IRNMIL", "Quds Force commander"),
    # Putin: president, then prime minister 2008-2012, then president again
    ("Vladimir Putin", date(2001, 1, 1), "RUSGOV", "President"),
    ("Putin", date(2010, 1, 1), "RUSGOV", "Prime Minister"),
    ("Vladimir Vladimirovich Putin", date(2015, 9, 30), "RUSGOV", "President"),
    ("Shoigu", date(2015, 9, 30), "RUSMIL", "Defence Minister"),
    ("Sergey Kuzhugetovich Shoygu", date(2024, 6, 1), "RUSGOV",
     "Secretary of the Security Council"),
    ("Mohammed bin Salman", date(2016, 1, 1), "SAUMIL", "Defence Minister"),
    ("Erdogan", date(2010, 5, 5), "TURGOV", "Prime Minister"),
    ("Recep Tayyip Erdoğan", date(2018, 9, 1), "TURGOV", "President"),
    ("Hassan Nasrallah", date(2006, 7, 12), "LBNREBHEZ", "Secretary-General of Hezbollah"),
    ("Abu Mohammad al-Julani", date(2016, 1, 1), "SYRREBNUS",
     "Leader of al-Nusra Front / Hayat Tahrir al-Sham"),
    ("Ahmed al-Sharaa", date(2025, 3, 1), "SYRGOV", "President"),
    ("Ban Ki-moon", date(2010, 1, 1), "IGOUNO", "UN Secretary-General"),
])
def test_people_resolve_inside_term(d, name, on, code, office):
    actor = d.resolve(name, on)
    assert actor is not None
    assert (actor.code, actor.office, actor.kind) == (code, office, "person")
    assert actor.valid_on(on)


@pytest.mark.parametrize(("name", "on"), [
    ("Rouhani", date(2005, 6, 1)),            # not president (nor in any listed office)
    ("Hassan Rouhani", date(2013, 8, 2)),     # one day before the inauguration
    ("Hassan Rouhani", date(2021, 8, 4)),     # one day after
    ("Zarif", date(2022, 1, 1)),              # between his two offices
    ("Soleimani", date(2020, 1, 4)),          # killed 2020-01-03
    ("Mattis", date(2019, 6, 1)),             # resigned 2019-01-01
    ("Bashar al-Assad", date(2025, 1, 1)),    # fell 2024-12-08
])
def test_people_do_not_resolve_outside_term(d, name, on):
    assert d.resolve(name, on) is None


def test_same_surname_follows_the_succession(d):
    # Ali Khamenei (to 2026-02-28) and his son Mojtaba (from 2026-03): the date decides
    assert d.resolve("Ayatollah Khamenei", date(2018, 9, 1)).name == "Ali Khamenei"
    assert d.resolve("Ayatollah Khamenei", date(2026, 6, 1)).name == "Mojtaba Khamenei"
    assert d.resolve("Ali Khamenei", date(2026, 6, 1)) is None


def test_person_without_date_gives_latest_office(d):
    putin = d.resolve("Putin")
    assert putin.office == "President" and putin.valid_from == date(2012, 5, 7)
    assert putin.valid_to is None


def test_shared_surname_resolves_to_whoever_held_office_then(d):
    assert d.resolve("Hariri", date(2002, 1, 1)).name == "Rafic Hariri"
    assert d.resolve("Hariri", date(2018, 1, 1)).name == "Saad Hariri"
    assert d.resolve("Hariri", date(2006, 1, 1)) is None      # neither was prime minister
    assert d.resolve("Clinton", date(2000, 1, 1)).name == "Bill Clinton"
    assert d.resolve("Clinton", date(2010, 1, 1)).name == "Hillary Clinton"


def test_precision_marks_month_dates(d):
    gerasimov_pred = d.resolve("Anatoly Kvashnin", date(2000, 1, 1))
    assert gerasimov_pred.precision == "month"          # from: 1997-05 (month), to: a day
    assert gerasimov_pred.valid_from == date(1997, 5, 1)
    rouhani = d.resolve("Rouhani", date(2015, 6, 1))
    assert rouhani.precision == "day"


def test_every_person_office_is_well_formed(d):
    people = [a for a in d.actors() if a.kind == "person"]
    assert len(people) >= 500
    assert len({a.name for a in people}) >= 400
    for a in people:
        assert a.valid_from is not None, a
        assert a.valid_to is None or a.valid_from <= a.valid_to, a
        assert a.office, a
        assert a.precision in ("day", "month", "year"), a
        if a.country is not None:
            assert a.code.startswith(a.country) or a.code.startswith(
                actors.countries_bridge.cameo_of(a.country)), a


SINGLE_HOLDER = ("President", "Prime Minister", "Foreign Minister", "Defence Minister",
                 "Secretary of State", "Secretary of Defense", "Foreign Secretary",
                 "Defence Secretary", "Chief of the Defence Staff", "Chief of the General Staff",
                 "IDF Chief of Staff", "King", "Emir", "Sultan", "Premier",
                 "Chairman of the Joint Chiefs of Staff", "Minister of the Armed Forces",
                 "Chief of Staff of the Armed Forces", "Chief of Staff of the Army")


def test_single_holder_offices_never_overlap(d):
    """One president (foreign minister, ...) per country at a time: a check on the data.

    Terms that touch (one ends the day the next begins) are allowed.
    """
    by_office: dict[tuple[str, str], list[actors.Actor]] = {}
    for a in d.actors():
        if a.kind == "person" and a.office in SINGLE_HOLDER and a.country:
            by_office.setdefault((a.country, a.office), []).append(a)
    overlaps = []
    for key, terms in by_office.items():
        terms.sort(key=lambda a: a.valid_from)
        for prev, nxt in zip(terms, terms[1:]):
            if prev.name == nxt.name:
                continue
            end = prev.valid_to or date.max
            exact = prev.precision == nxt.precision == "day"
            if exact and nxt.valid_from < end:
                overlaps.append((key, prev.name, str(end), nxt.name, str(nxt.valid_from)))
    assert overlaps == []
