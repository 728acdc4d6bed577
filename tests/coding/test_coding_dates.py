"""Event dates: explicit dates win, relative dates resolve against the document date."""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coding.dates import DateContext, explicit_dates


@pytest.mark.parametrize("text, date, precision", [
    ("On June 7, 2017, gunmen attacked the parliament.", dt.date(2017, 6, 7), "day"),
    ("On June 7th, 2017, gunmen attacked the parliament.", dt.date(2017, 6, 7), "day"),
    ("On September 26, 2015 the four states opened a centre.", dt.date(2015, 9, 26), "day"),
    ("The resolution of 22 May 2014 was vetoed.", dt.date(2014, 5, 22), "day"),
    ("He travelled to Moscow in July 2015.", dt.date(2015, 7, 1), "month"),
    ("The war began in 2011.", dt.date(2011, 1, 1), "year"),
    ("The ceasefire of 2016-12-30 held.", dt.date(2016, 12, 30), "day"),
])
def test_dates_explicit(text, date, precision):
    found = explicit_dates(text)
    assert found and found[0].date == date and found[0].precision == precision
    assert text[slice(*found[0].span)].strip(" ,")


def test_dates_year_in_a_name_is_not_a_date():
    assert explicit_dates("The 2000 edition of the concept rejects it.") == []
    assert explicit_dates("Resolution 7180 failed.") == []


@pytest.mark.parametrize("text, expected, precision", [
    ("Russia bombed Idlib on Tuesday.", dt.date(2017, 6, 13), "day"),      # doc date is a Wednesday
    ("Russia bombed Idlib on Wednesday.", dt.date(2017, 6, 14), "day"),    # the day itself, not a week before
    ("Russia bombed Idlib early Thursday.", dt.date(2017, 6, 8), "day"),
    ("Russia bombed Idlib last Wednesday.", dt.date(2017, 6, 7), "day"),
    ("Russia bombed Idlib yesterday.", dt.date(2017, 6, 13), "day"),
    ("Russia bombed Idlib two days ago.", dt.date(2017, 6, 12), "day"),
    ("Russia bombed Idlib last week.", dt.date(2017, 6, 7), "month"),
    ("Russia bombed Idlib.", dt.date(2017, 6, 14), "day"),
])
def test_dates_relative_to_document_date(text, expected, precision):
    got = DateContext(dt.date(2017, 6, 14)).date_of(text)
    assert (got.date, got.precision) == (expected, precision)


def test_dates_later_counts_from_the_narrated_date():
    ctx = DateContext(dt.date(2019, 1, 1))
    assert ctx.date_of("On June 7, 2017, gunmen attacked Tehran.").date == dt.date(2017, 6, 7)
    got = ctx.date_of("Two days later, Iran fired missiles.")
    assert (got.date, got.precision) == (dt.date(2017, 6, 9), "day")
    got = ctx.date_of("Some days later, Iran fired missiles.")
    assert got.date.replace(day=1) == dt.date(2017, 6, 1) and got.precision == "month"


def test_dates_on_the_event(code):
    ev = code("On September 26, 2015 Russia and Iran signed an agreement.", date="2019-01-01")[0]
    assert (ev["event_date"], ev["date_precision"]) == ("2015-09-26", "day")
    ev = code("Russia and Iran signed an agreement last week.", date="2019-01-10")[0]
    assert (ev["event_date"], ev["date_precision"]) == ("2019-01-03", "month")
