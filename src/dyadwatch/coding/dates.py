"""Event dates: an explicit date in the sentence wins; relative dates resolve
against a reference date (dateparser).

Rules, in order:

1. **Explicit dates** in the sentence ("On June 7, 2017", "June 7th, 2017",
   "22 May 2014", "2017-06-07" -> precision ``day``; "in July 2015" ->
   ``month``; "in 2014", "since 2011", "in early 2014" -> ``year``).  A day and
   month without a year ("on June 7", "On 30 December, ...", "By 30 December",
   or opening the sentence: "30 December: ...") take the year of the reference
   date (the latest such day not after it); a month without a year ("In
   March, ...", "by mid-March", "last December") is the latest such month
   not after the reference date, precision ``month``.
2. **Relative dates** ("on Tuesday", "yesterday", "last week", "two days
   later", "three weeks ago", "the next day") are resolved by
   ``dateparser.parse`` with ``RELATIVE_BASE`` = the reference date and
   ``PREFER_DATES_FROM="past"``.  Single days ("Tuesday", "yesterday", "two
   days ago") have precision ``day``; vaguer spans ("last week", "last month",
   "some days later") ``month``; "last year" ``year``.
3. Otherwise the event takes the document date (precision ``day``), or no
   date when the document has none.

The *reference date* is the document date (for a document without a date,
the narrated date below, for days and months written without a year);
expressions counted from a
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

#: a preposition or time adverb that introduces a date (any case: "On 30 December", "By June 7")
_PREP = r"(?i:on|by|since|until|till|from|as\s+of|early\s+on|late\s+on)"
_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
    (re.compile(rf"\b{MONTH}\s+{DAY},?\s+{YEAR}\b"), "mdy"),
    (re.compile(rf"\b{DAY}(?:\s+of)?\s*{MONTH},?\s+{YEAR}\b"), "dmy"),
    (re.compile(rf"\b(?:in|during|since|by|until|from|of|late|early|mid-?|end of|beginning of)\s+"
                rf"(?:early\s+|late\s+|mid-?)?{MONTH}\s*,?\s+{YEAR}\b", re.IGNORECASE), "my"),
    (re.compile(rf"\b{_PREP}\s+{MONTH}\s+{DAY}\b(?!,?\s*\d)"), "md"),
    (re.compile(rf"\b{_PREP}\s+(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?![\w-])(?!,?\s*\d)"), "dm"),
    # a day and month opening the sentence without a preposition ("30 December: ...", "Dec. 30 -")
    (re.compile(rf"^\s*{MONTH}\s+{DAY}\b(?!,?\s*\d)"), "md"),
    (re.compile(rf"^\s*(?:the\s+)?{DAY}\s+(?:of\s+)?{MONTH}(?![\w-])(?!,?\s*\d)"), "dm"),
    (re.compile(rf"\b{MONTH}\s+{YEAR}\b"), "my_bare"),
    # elsewhere, a capitalised month with a day ("the March 17 explosion", "killed on 3 March")
    (re.compile(rf"\b{MONTH}\s+{DAY}\b(?![,.]?\d)(?!\s*,?\s*(?:19|20)\d\d)"), "md"),
    (re.compile(rf"\b{DAY}\s+{MONTH}(?![\w-])(?!\s*,?\s*\d)"), "dm"),
    # a month without a year: "In March, ...", "by mid-March", "last December" (the latest such month)
    (re.compile(rf"\b(?i:in|during|since|by|until|from|last|early|late|mid-?|(?:the\s+)?(?:end|beginning|middle)"
                rf"\s+of)\s+(?:(?i:early|late)\s+|(?i:mid)-?)?{MONTH}(?![\w-])(?!\s*,?\s*\d)"), "m"),
    (re.compile(rf"\b(?:in|since|during|by|until|of|early|late|mid-?|summer|winter|spring|autumn|fall)\s+"
                rf"(?:of\s+)?{YEAR}\b(?!\s*(?:edition|version|census|law|constitution|election))", re.IGNORECASE),
     "y"),
]

#: what each pattern of :data:`_PATTERNS` (same order) cannot match without, tested once a sentence
#: (a pattern that cannot match is not run; tests/coding/test_coding_dates.py checks the implication):
#: ``-`` a hyphen; ``M`` a month name as written (case-sensitive, :data:`_MONTH_CS`); ``Y`` a year
#: (:data:`_YEAR`); ``m`` a month name in any case (:data:`_MONTH_CI`, only the ``my`` pattern ignores case)
_NEEDS = ("-", "MY", "MY", "Ym", "M", "M", "M", "M", "MY", "M", "M", "M", "Y")
_MONTH_CS = re.compile(MONTH)
_MONTH_CI = re.compile(MONTH, re.IGNORECASE)
_YEAR = re.compile(YEAR)


def _screen(sentence: str) -> str:
    """The requirement letters of :data:`_NEEDS` that ``sentence`` meets ("" when no
    pattern of :data:`_PATTERNS` can match it)."""
    have = "-" if "-" in sentence else ""
    if _MONTH_CS.search(sentence):
        have += "Mm"
    if _YEAR.search(sentence):
        have += "Y"
        if "m" not in have and _MONTH_CI.search(sentence):
            have += "m"
    return have

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
#: words each pattern of :data:`_RELATIVE` (same order) cannot match without, any one of them a substring
#: of the lower-cased sentence (every weekday name ends in "day"; no letter of these words has a case
#: variant that lower-cases to something else, as "\u0130"/"\u0131" do for "i": hence "ton", not "tonight")
_RELATIVE_NEEDS = (("day",), ("day", "ton"), ("day",), ("day",), ("day",), ("week", "month"), ("week", "month"),
                   ("week", "month"), ("year",))
_BARE_WEEKDAY = re.compile(rf"(?:(?:on|this|early|late)\s+)?({_WEEKDAYS})", re.IGNORECASE)
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
            "nine": 9, "ten": 10, "a couple of": 2}
_VAGUE = re.compile(r"\b(a few|several|some)\b", re.IGNORECASE)


#: where an event's date comes from (the ``date_source`` of a coded event)
DATE_SOURCES = ("sentence", "relative", "document", "citation")


@dataclass(frozen=True)
class EventDate:
    """A resolved event date: ``date``, ``precision`` (day|month|year), the
    character span of the expression in the sentence (None when inherited)
    and ``source``, one of :data:`DATE_SOURCES` (None without a date):
    ``sentence`` (an explicit date in the sentence), ``relative`` (a relative
    expression resolved), ``document`` (the document date, inherited),
    ``citation`` (the date of the reference entry a numbered citation points to)."""

    date: dt.date | None
    precision: str | None
    span: tuple[int, int] | None = None
    explicit: bool = False
    source: str | None = None


def _month(text: str) -> int:
    return _MONTHS[text.lower().rstrip(".")]


def _safe(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def explicit_dates(sentence: str, reference: dt.date | None = None, *, nearest: bool = False) -> list[EventDate]:
    """Every explicit date in a sentence, in text order (see rule 1).

    A day or month without a year takes the year that puts it on or before
    ``reference`` (the document date), or with ``nearest=True`` (``reference``
    is a narrated date) the year that puts it nearest to ``reference``."""
    out: list[EventDate] = []
    taken: list[tuple[int, int]] = []
    have = _screen(sentence)
    if not have:
        return out
    for (pat, kind), needs in zip(_PATTERNS, _NEEDS):
        if not all(c in have for c in needs):
            continue  # the pattern cannot match (see _NEEDS)
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
                if nearest:
                    near = [d for d in (_safe(reference.year + k, mon, day) for k in (-1, 0, 1)) if d]
                    date = min(near, key=lambda d: abs((d - reference).days)) if near else None
                elif date is not None and date > reference:
                    date = _safe(reference.year - 1, mon, day)
                prec = "day"
            elif kind == "m" and reference is not None:
                mon = _month(g[0])
                if nearest:
                    year = min((reference.year + k for k in (-1, 0, 1)),
                               key=lambda y: abs((dt.date(y, mon, 15) - reference).days))
                else:
                    year = reference.year if mon <= reference.month else reference.year - 1
                    if mon == reference.month and m.group(0).lower().startswith("last"):
                        year -= 1  # "last June" written in June: a year before
                date, prec = dt.date(year, mon, 1), "month"
            elif kind == "y":
                date, prec = dt.date(int(g[0]), 1, 1), "year"
            if date is not None:
                taken.append((m.start(), m.end()))
                out.append(EventDate(date, prec, (m.start(), m.end()), True, "sentence"))
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
    low = sentence.lower()
    for (pat, prec, from_narrative), needs in zip(_RELATIVE, _RELATIVE_NEEDS):
        if not any(w in low for w in needs):
            continue  # the pattern cannot match (see _RELATIVE_NEEDS)
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
        return EventDate(date, prec, (m.start(), m.end()), False, "relative")
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
        return EventDate(self.doc_date, "day" if self.doc_date else None, None, False,
                         "document" if self.doc_date else None)

    def _explicit(self, sentence: str) -> EventDate | None:
        """The sentence's best explicit date (a day date first), which becomes
        the narrated date when it is a day; None without one."""
        found = explicit_dates(sentence, self.doc_date or self.narrative, nearest=self.doc_date is None)
        if not found:
            return None
        best = next((e for e in found if e.precision == "day"), found[0])
        if best.precision == "day":
            self.narrative = best.date
        return best


# ---------------------------------------------------------------- citations (scholarly text)
#: a numbered citation mark: "[49]", "[12, 14]", "[3-5]"
_CITATION = re.compile(r"\[(\d{1,3}(?:\s*[,;\u2013-]\s*\d{1,3}){0,9})\]")
#: the start of a reference-list entry: "[49] Lavrov ...", "- [49] ...", "49. Lavrov ..."
_ENTRY = re.compile(r"^\s*(?:[-*\u2022]\s*)?(?:\[(\d{1,3})\]|(\d{1,3})\.\s)", re.MULTILINE)
_URL = re.compile(r"<[^<>\s]*>|\b(?:https?://|www\.)\S+", re.IGNORECASE)
#: a European numeric day date as news references write it ("Sputnik, 07.06.2017")
_NUMERIC_DMY = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)(?![\d.])")
MAX_REFERENCE_CHARS = 2_000


def citation_marks(sentence: str) -> list[tuple[int, int, tuple[int, ...]]]:
    """Numbered citation marks of a sentence: ``(start, end, numbers)`` in text
    order; ranges are expanded ("[3-5]" -> 3, 4, 5; at most 10 numbers a mark)."""
    out = []
    for m in _CITATION.finditer(sentence):
        nums: list[int] = []
        for part in re.split(r"\s*[,;]\s*", m.group(1)):
            bounds = [int(x) for x in re.split(r"\s*[\u2013-]\s*", part) if x]
            if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] <= 10:
                nums.extend(range(bounds[0], bounds[1] + 1))
            else:
                nums.extend(bounds)
        out.append((m.start(), m.end(), tuple(nums[:10])))
    return out


def reference_date(entry: str) -> EventDate | None:
    """The date of one reference-list entry: its first day date (else its first
    month date) outside URLs, as the entry writes it ("Sputnik, 4 May 2016",
    "TASS, 1 Nov 2017", "Sputnik, 07.06.2017"); None for an entry with only a
    year (books and journal issues are dated by their publication, not by
    what they report).  ``source`` is ``citation``; ``span`` is None."""
    text = _URL.sub(" ", entry[:MAX_REFERENCE_CHARS])
    found = explicit_dates(text)
    for m in _NUMERIC_DMY.finditer(text):
        d = _safe(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d is not None:
            found.append(EventDate(d, "day", (m.start(), m.end()), True))
    found.sort(key=lambda e: e.span[0])
    for prec in ("day", "month"):
        for e in found:
            if e.precision == prec:
                return EventDate(e.date, prec, None, False, "citation")
    return None


def reference_dates(references: str) -> dict[int, EventDate]:
    """Dates of the numbered entries of a reference list (the text after its
    heading): entry number -> :func:`reference_date`.  An entry runs from its
    mark ("[49]", "- [49]", "49. ") to the next one, so a second line (an
    English gloss of a Russian or Persian title) belongs to it.  Entries
    without a day or month date are left out; a number given twice keeps its
    first entry."""
    out: dict[int, EventDate] = {}
    marks = list(_ENTRY.finditer(references))
    for i, m in enumerate(marks):
        n = int(m.group(1) or m.group(2))
        end = marks[i + 1].start() if i + 1 < len(marks) else len(references)
        if n in out:
            continue
        d = reference_date(references[m.end():end])
        if d is not None:
            out[n] = d
    return out


def citation_date(sentence: str, after: int, references: dict[int, EventDate]) -> EventDate | None:
    """The date a statement takes from its citation: the first cited entry with
    a date among the marks at or after character ``after`` (the end of the
    statement's verb), else among the marks before it, nearest first; None
    without a dated mark."""
    marks = citation_marks(sentence)
    ordered = [m for m in marks if m[0] >= after] + [m for m in reversed(marks) if m[0] < after]
    for _, _, nums in ordered:
        for n in nums:
            if n in references:
                return references[n]
    return None
