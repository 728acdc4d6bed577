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


@pytest.mark.parametrize("text, expected, precision", [
    ("On 30 December, Kenyan police dispersed the marchers.", dt.date(2016, 12, 30), "day"),
    ("By 30 December the two ministries had exchanged letters.", dt.date(2016, 12, 30), "day"),
    ("On December 30, Chile recalled its envoy.", dt.date(2016, 12, 30), "day"),
    ("On Dec. 30 Chile recalled its envoy.", dt.date(2016, 12, 30), "day"),
    ("On the 2nd of June, Chile recalled its envoy.", dt.date(2017, 6, 2), "day"),
    ("12 March: Ghana expelled two diplomats.", dt.date(2017, 3, 12), "day"),
    ("The March 12 raid left nine dead.", dt.date(2017, 3, 12), "day"),
    ("In March 2016, Peru closed its border.", dt.date(2016, 3, 1), "month"),
    ("In March, Peru closed its border.", dt.date(2017, 3, 1), "month"),
    ("By mid-September, Peru had closed its border.", dt.date(2016, 9, 1), "month"),
    ("Last June, Peru closed its border.", dt.date(2016, 6, 1), "month"),   # written in June 2017
])
def test_dates_sentence_initial_and_bare_day_month(text, expected, precision):
    got = DateContext(dt.date(2017, 6, 14)).date_of(text)
    assert (got.date, got.precision, got.source) == (expected, precision, "sentence")
    assert text[slice(*got.span)].strip()


@pytest.mark.parametrize("text", [
    "Officials said the talks may resume soon.",           # the verb, not the month
    "The may 5 draft was never shown.",                     # months are written with a capital
    "The 2000 edition of the concept rejects it.",
])
def test_dates_no_false_month(text):
    got = DateContext(dt.date(2017, 6, 14)).date_of(text)
    assert got.source == "document" and got.date == dt.date(2017, 6, 14)


def test_dates_day_without_year_in_an_undated_document_takes_the_narrated_year():
    ctx = DateContext(None)
    assert ctx.date_of("Talks opened on 2 February 2009 in Oslo.").date == dt.date(2009, 2, 2)
    assert ctx.date_of("On 5 February, the delegations signed.").date == dt.date(2009, 2, 5)


REFERENCES = """
- [1] Smith, J., "Ports and Power," Journal of Maritime Affairs, Vol. 3, No. 2, Winter 2014, 44.
- [2] "Minister rules out talks", Daily Courier, 4May 2016, accessible at: <https://example.org/2016/05/09/x>
- [3] Ivanova, A., "Квоты," Vedomosti, 12 марта 2015, доступно по адресу: <https://example.ru/a>
(Ivanova, A., "Quotas," Vedomosti, 12 March 2015)
- [4] "Envoy recalled" Morning Wire, 07.06.2017, Accessible at: <https://example.com/envoy/>
- [5] Policy Review, September 2012, p. 2.
"""


def test_dates_reference_entries():
    from dyadwatch.coding.dates import reference_dates

    got = {n: (d.date, d.precision, d.source) for n, d in reference_dates(REFERENCES).items()}
    assert got == {2: (dt.date(2016, 5, 4), "day", "citation"),      # not the date in the URL
                   3: (dt.date(2015, 3, 12), "day", "citation"),     # from the English line of the entry
                   4: (dt.date(2017, 6, 7), "day", "citation"),
                   5: (dt.date(2012, 9, 1), "month", "citation")}   # [1] has only a season and year


def test_dates_citation_marks_and_choice():
    from dyadwatch.coding.dates import citation_date, citation_marks, reference_dates

    assert citation_marks("as shown[2], [3-5] and [6, 8].") == [(8, 11, (2,)), (13, 18, (3, 4, 5)),
                                                                  (23, 29, (6, 8))]
    refs = reference_dates(REFERENCES)
    s = "The minister ruled out talks[2] and the envoy left[4]."
    assert citation_date(s, s.index("ruled") + 5, refs).date == dt.date(2016, 5, 4)
    assert citation_date(s, s.index("left") + 4, refs).date == dt.date(2017, 6, 7)
    assert citation_date("No marks here.", 3, refs) is None
    assert citation_date("Only a journal[1].", 3, refs) is None


def test_dates_statement_takes_its_citation_date(code):
    text = ("Chile and Peru have long disputed their maritime border[1]. "
            "The Chilean foreign minister said that Chile would not negotiate with Peru[2]. "
            "On 9 June 2016, Peruvian troops seized a Chilean fishing boat[4].\n\n"
            "References\n" + REFERENCES)
    events = code(text, date="2020-01-01")
    said = [e for e in events if e["source"]["code"] == "CHLGOV"]
    assert said and {(e["event_date"], e["date_precision"], e["date_source"]) for e in said} == \
        {("2016-05-04", "day", "citation")}
    seized = [e for e in events if e["cameo_root"] in ("17", "18", "19")]   # a material act keeps its own date
    assert seized and {(e["event_date"], e["date_source"]) for e in seized} == {("2016-06-09", "sentence")}
    assert not [e for e in events if e["sentence_index"] == 0 and e["date_source"] == "citation"]


# ---------------------------------------------------------------- pre-screens (speed, no change of result)
def _screen_sentences() -> list[str]:
    """Constructed sentences around every pattern: prepositions, days, months and years in
    several spellings and cases, Unicode letters that match ASCII ones when case is ignored
    (Kelvin sign, long s, dotted and dotless i), and seeded random mixtures of them."""
    import itertools
    import random

    preps = ["", "on ", "On ", "by ", "BY ", "since ", "in ", "In ", "during ", "late ", "early on ", "mid-",
             "the end of ", "last ", "Last ", "summer of ", "as of "]
    dates = ["June 7, 2017", "7 June 2017", "7th of June, 2017", "17June 2017", "JUNE 2017", "june 2017",
             "Sept. 30", "30 December", "the 3rd of Dec.", "December", "2017", "2016-12-30", "3017-01-01",
             "2017 edition", "Tuesday", "tuesday", "TUESDAY", "yesterday", "Tonight", "tonıght", "two days ago",
             "a few days later", "the next day", "The day after", "three WEEKS ago", "several months later",
             "last weeK", "this weekend", "past month", "last year", "this YEAR", "yeſterday",
             "\u0661\u0669\u0669\u0669", "May", "may", "2\u0660\u0661\u0667"]
    out = [f"{p}{d}" for p, d in itertools.product(preps, dates)]
    out += [f"Russia said {p}{d}, it attacked Syria." for p, d in itertools.product(preps, dates)]
    words = preps + dates + ["Russia", ",", "-", " ", "of", "the", "day", "Monday", "20", "19", "99", "Mar"]
    rng = random.Random(12)
    out += ["".join(rng.choice(words) for _ in range(rng.randint(1, 8))) for _ in range(3000)]
    return out


def test_dates_explicit_pre_screen_admits_every_match():
    from dyadwatch.coding import dates

    assert len(dates._NEEDS) == len(dates._PATTERNS)
    matched = [0] * len(dates._PATTERNS)
    for s in _screen_sentences():
        have = dates._screen(s)
        for i, ((pat, kind), needs) in enumerate(zip(dates._PATTERNS, dates._NEEDS)):
            if pat.search(s):
                matched[i] += 1
                assert all(c in have for c in needs), (kind, s, have)
    assert min(matched) >= 5, matched  # the sentences exercise every pattern
    assert dates._screen("Russia attacked Syria on Tuesday.") == ""
    assert dates._screen("On 30 December 2016-05 ...") == "-MmY"
    assert dates._screen("The may 2017 talks") == "Ym"


def test_dates_relative_pre_screen_admits_every_match():
    from dyadwatch.coding import dates

    assert len(dates._RELATIVE_NEEDS) == len(dates._RELATIVE)
    matched = [0] * len(dates._RELATIVE)
    for s in _screen_sentences():
        low = s.lower()
        for i, ((pat, _, _), needs) in enumerate(zip(dates._RELATIVE, dates._RELATIVE_NEEDS)):
            if pat.search(s):
                matched[i] += 1
                assert any(w in low for w in needs), (pat.pattern, s)
    assert min(matched) >= 5, matched
    # the dotless i matches "i" when case is ignored but does not lower-case to it: why "ton", not "tonight"
    assert dates._RELATIVE[1][0].search("tonıght") and "tonight" not in "tonıght".lower()
