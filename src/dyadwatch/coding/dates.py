"""Event dates: an explicit date in the sentence wins; relative dates resolve
against a reference date (dateparser).

Rules, in order:

1. **Explicit dates** in the sentence ("On June 7, 2017", "June 7th, 2017",
   "22 May 2014", "2017-06-07" -> precision ``day``; "in July 2015" ->
   ``month``; "in 2014", "since 2011", "in early 2014" -> ``year``).  A day and
   month without a year ("on June 7") take the year of the reference date
   (the latest such day not after it).
2. **Relative dates** ("on Tuesday", "yesterday", "last week", "two days
   later", "three weeks ago", "the next day") are resolved by
   ``dateparser.parse`` with ``RELATIVE_BASE`` = the reference date and
   ``PREFER_DATES_FROM="past"``.  Single days ("Tuesday", "yesterday", "two
   days ago") have precision ``day``; vaguer spans ("last week", "last month",
   "some days later") ``month``; "last year" ``year``.
3. Otherwise the event takes the document date (precision ``day``), or no
   date when the document has none.

The *reference date* is the document date; expressions counted from a
narrated event ("two days later", "the next day", "some days later") use the
latest explicit day-precision date of the document's earlier sentences when
there is one (:class:`DateContext`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|" \
        r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
YEAR = r"((?:19|20)\d\d)"

_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
    (re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b"), "mdy"),
    (re.compile(rf"\b{DAY}(?:\s+of)?\s+{MONTH},?\s+{YEAR}\b"), "dmy"),
    (re.compile(rf"\b(?:in|during|since|by|until|from|of|late|early|mid-?|end of|beginning of)\s+"
                rf"(?:early\s+|late\s+|mid-?)?{MONTH}\s*,?\s+{YEAR}\b", re.IGNORECASE), "my"),
    (re.compile(rf"\b(?:on|by|since|until|from)\s+{MONTH}\s+{DAY}\b(?!,?\s*\d)"), "md"),
    (re.compile(rf"\b(?:on|by|since|until|from)\s+(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}\b(?!,?\s*\d)"), "dm"),
    (re.compile(rf"\b{MONTH}\s+{YEAR}\b"), "my_bare"),
    (re.compile(rf"\b(?:in|since|during|by|until|of|early|late|mid-?|summer|winter|spring|autumn|fall)\s+"
                rf"(?:of\s+)?{YEAR}\b(?!\s*(?:edition|version|census|law|constitution|election))", re.IGNORECASE),
     "y"),
]

#: weekday names in ``datetime.date.weekday()`` order
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAYS = "(?:" + "|".join(WEEKDAY_NAMES) + ")"
_NUM = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several|some|a couple of)"
_RELATIVE: list[tuple[re.Pattern, str, bool]] = [
    # (pattern, precision, counted from the narrated date)
    (re.compile(rf"\b(?:(?:[Oo]n|[Ll]ast|[Tt]his|[Nn]ext|[Ll]ate|[Ee]arly)\s+)?{_WEEKDAYS}\b"), "day", False),
    (re.compile(r"\b(?:yesterday|today|tonight)\b", re.IGNORECASE), "day", False),
    (re.compile(rf"\b(?:{_NUM})\s+days?\s+(?:ago|earlier|before)\b", re.IGNORECASE), "day", False),
    (re.compile(rf"\b(?:{_NUM})\s+(?:days?)\s+(?:later|after(?:wards)?)\b", re.IGNORECASE), "day", True),
    (re.compile(r"\b(?:the\s+)?(?:next|following)\s+day\b|\bthe\s+day\s+after\b", re.IGNORECASE), "day", True),
    (re.compile(rf"\b(?:{_NUM})\s+(?:weeks?|months?)\s+(?:ago|earlier|before)\b", re.IGNORECASE), "month", False),
    (re.compile(rf"\b(?:{_NUM})\s+(?:weeks?|months?)\s+(?:later|after(?:wards)?)\b", re.IGNORECASE), "month", True),
    (re.compile(r"\b(?:last|this|past|previous)\s+(?:week|month|weekend)\b", re.IGNORECASE), "month", False),
    (re.compile(r"\b(?:last|this)\s+year\b", re.IGNORECASE), "year", False),
]
_BARE_WEEKDAY = re.compile(rf"(?:(?:on|this|early|late)\s+)?({_WEEKDAYS})", re.IGNORECASE)
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "a couple of": 2}
_VAGUE = re.compile(r"\b(a few|several|some)\b", re.IGNORECASE)


@dataclass(frozen=True)
class EventDate:
    """A resolved event date: ``date``, ``precision`` (day|month|year) and the
    character span of the expression in the sentence (None when inherited)."""

    date: dt.date | None
    precision: str | None
    span: tuple[int, int] | None = None
    explicit: bool = False


def _month(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def explicit_dates(sentence: str, reference: dt.date | None = None) -> list[EventDate]:
    """Every explicit date in a sentence, in text order (see rule 1)."""
    out: list[EventDate] = []
    taken: list[tuple[int, int]] = []
    for pat, kind in _PATTERNS:
        for m in pat.finditer(sentence):
            if any(m.start() < b and a < m.end() for a, b in taken):
                continue
            g = m.groups()
            date, prec = None, None
            if kind == "iso":
                date, prec = _safe(int(g[0]), int(g[1]), int(g[2])), "day"
            elif kind == "mdy":
                date, prec = _safe(int(g[2]), _month(g[0]), int(g[1])), "day"
            elif kind == "dmy":
                date, prec = _safe(int(g[2]), _month(g[1]), int(g[0])), "day"
            elif kind in ("my", "my_bare"):
                date, prec = _safe(int(g[1]), _month(g[0]), 1), "month"
            elif kind in ("md", "dm") and reference is not None:
                mon, day = (_month(g[0]), int(g[1])) if kind == "md" else (_month(g[1]), int(g[0]))
                date = _safe(reference.year, mon, day)
                if date is not None and date > reference:
                    date = _safe(reference.year - 1, mon, day)
                prec = "day"
            elif kind == "y":
                date, prec = dt.date(int(g[0]), 1, 1), "year"
            if date is not None:
                taken.append((m.start(), m.end()))
                out.append(EventDate(date, prec, (m.start(), m.end()), True))
    out.sort(key=lambda e: e.span[0])
    return out


@functools.lru_cache(maxsize=20_000)
def _dateparser(expr: str, base: dt.date) -> dt.date | None:
    import dateparser

    day = _BARE_WEEKDAY.fullmatch(expr.strip())
    if day:  # news usage: "on Wednesday" in a Wednesday article is that day, else the last one before
        back = (base.weekday() - WEEKDAY_NAMES.index(day.group(1).capitalize())) % 7
        return base - dt.timedelta(days=back)
    expr = re.sub(r"^(on|the)\s+", "", expr, flags=re.IGNORECASE)
    for word, n in _WORDNUM.items():
        expr = re.sub(rf"\b{word}\b", str(n), expr, flags=re.IGNORECASE)
    expr = _VAGUE.sub("3", expr)
    if re.search(r"next|following", expr, re.IGNORECASE) and "day" in expr.lower():
        expr = "1 day later"
    if re.fullmatch(r"day after", expr.strip(), re.IGNORECASE):
        expr = "1 day later"
    res = dateparser.parse(expr, languages=["en"],
                           settings={"RELATIVE_BASE": dt.datetime(base.year, base.month, base.day),
                                     "PREFER_DATES_FROM": "past"})
    return res.date() if res else None


def relative_date(sentence: str, doc_date: dt.date | None, narrative: dt.date | None) -> EventDate | None:
    """The first relative date expression of a sentence, resolved (rule 2)."""
    for pat, prec, from_narrative in _RELATIVE:
        m = pat.search(sentence)
        if not m:
            continue
        base = (narrative or doc_date) if from_narrative else doc_date
        if base is None:
            continue
        expr = m.group(0)
        date = _dateparser(expr, base)
        if date is None:
            continue
        if _VAGUE.search(expr) and prec == "day":
            prec = "month"
        return EventDate(date, prec, (m.start(), m.end()), False)
    return None


class DateContext:
    """Dates of one document, sentence by sentence (keeps the narrated date)."""

    def __init__(self, doc_date: dt.date | None):
        self.doc_date = doc_date
        self.narrative: dt.date | None = None

    def observe(self, sentence: str) -> None:
        """Follow a sentence that is not coded: its explicit day dates set the
        narrated date exactly as :meth:`date_of` would (relative dates are
        not resolved: they never change the narrated date)."""
        self._explicit(sentence)

    def date_of(self, sentence: str) -> EventDate:
        """The date events of ``sentence`` take (rules 1-3); updates the narrated date."""
        best = self._explicit(sentence)
        if best is not None:
            return best
        rel = relative_date(sentence, self.doc_date, self.narrative)
        if rel is not None:
            return rel
        return EventDate(self.doc_date, "day" if self.doc_date else None, None, False)

    def _explicit(self, sentence: str) -> EventDate | None:
        """The sentence's best explicit date (a day date first), which becomes
        the narrated date when it is a day; None without one."""
        found = explicit_dates(sentence, self.doc_date)
        if not found:
            return None
        best = next((e for e in found if e.precision == "day"), found[0])
        if best.precision == "day":
            self.narrative = best.date
        return best
