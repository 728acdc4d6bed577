"""Fetched dictionaries layered under the built-in ones: a person the built-in list knows
only for some terms keeps the fetched entry's codes for the other dates.

Entries are invented (Ruritania); the built-in layer is written here as records.
"""

from __future__ import annotations

import datetime as dt

from dyadwatch.codebooks.actors import Actor, ActorDictionary
from dyadwatch.coding.dictionaries.actors import read_actors
from dyadwatch.coding.dictionaries.bridge import _outside, actor_records, person_terms

D = dt.date

FETCHED = """\
RUDOLF_RASSENDYLL_
+KING_RUDOLF
\t[RURELI 600101-880301]
\t[RURGOV 20050803-20130803]
\t[RURELI]
STRELSAU_
\t[RURGOV]
"""


def builtin():
    king = Actor(code="RURGOV", country="RUR", sector="GOV", kind="person", name="Rudolf Rassendyll",
                 valid_from=D(2005, 8, 3), valid_to=D(2013, 8, 3))
    city = Actor(code="RUR", country="RUR", sector=None, kind="country", name="Ruritania")
    return [(king, ("Rudolf Rassendyll", "King Rudolf"), 1), (city, ("Strelsau",), 2)]


def test_outside_terms_by_hand():
    t = ((D(2005, 8, 3), D(2013, 8, 3)),)
    assert _outside(None, None, t) == [(None, D(2005, 8, 2)), (D(2013, 8, 4), None)]
    assert _outside(D(1960, 1, 1), D(1988, 3, 1), t) == [(D(1960, 1, 1), D(1988, 3, 1))]
    assert _outside(D(2005, 8, 3), D(2013, 8, 3), t) == []
    assert _outside(D(2010, 1, 1), None, t) == [(D(2013, 8, 4), None)]
    two = ((D(2000, 1, 1), D(2000, 12, 31)), (D(2002, 1, 1), None))
    assert _outside(D(1999, 6, 1), None, two) == [(D(1999, 6, 1), D(1999, 12, 31)), (D(2001, 1, 1), D(2001, 12, 31))]


def test_fetched_person_fills_the_dates_the_builtin_list_leaves_open(tmp_path):
    p = tmp_path / "t.actors.txt"
    p.write_text(FETCHED, encoding="utf-8")
    base = builtin()
    taken = {"rudolf rassendyll", "king rudolf", "strelsau"}
    terms = person_terms(base)
    assert terms == {"rudolf rassendyll": ("Rudolf Rassendyll", ((D(2005, 8, 3), D(2013, 8, 3)),)),
                     "king rudolf": ("Rudolf Rassendyll", ((D(2005, 8, 3), D(2013, 8, 3)),))}
    added = actor_records([read_actors(p)], cameo=False, taken=taken, terms=terms)
    # RURELI 1960-1988, RURGOV clipped away (same term as the built-in one), default RURELI
    # split around the built-in term; the city (a country in the built-in layer) is not filled
    assert [(a.code, a.valid_from, a.valid_to) for a, _, _ in added] == [
        ("RURELI", D(1960, 1, 1), D(1988, 3, 1)),
        ("RURELI", None, D(2005, 8, 2)), ("RURELI", D(2013, 8, 4), None)]
    assert {a.name for a, _, _ in added} == {"Rudolf Rassendyll"}
    d = ActorDictionary(base + added)
    assert d.resolve("King Rudolf", D(2010, 1, 1)).code == "RURGOV"  # the built-in term
    assert d.resolve("King Rudolf", D(2016, 1, 1)).code == "RURELI"  # before: no actor at all
    assert d.resolve("Rudolf Rassendyll", D(1970, 1, 1)).code == "RURELI"
    assert d.resolve("Rudolf Rassendyll").code == "RURELI"  # no date: the most recent office
    assert d.resolve("Strelsau", D(2016, 1, 1)).code == "RUR"


def test_without_terms_a_taken_form_keeps_its_owner(tmp_path):
    p = tmp_path / "t.actors.txt"
    p.write_text(FETCHED, encoding="utf-8")
    assert actor_records([read_actors(p)], cameo=False, taken={"rudolf rassendyll", "king rudolf", "strelsau"}) == []
