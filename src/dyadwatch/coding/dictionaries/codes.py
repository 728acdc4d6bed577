"""Codes in brackets and their date restrictions (TABARI/PETRARCH actor dictionaries).

An actor entry carries one or more code blocks (``PETRreader.read_actor_dictionary``
of PETRARCH 1, the TABARI manual ch. 5):

====================  ==========================================================
``[RUR]``             the code, whatever the date (the entry's default)
``[RURGOV <20130803]`` the code on and before 3 Aug 2013
``[RURGOV >20050803]`` the code on and after 3 Aug 2005
``[RURGOV 20050803-20130815]``  the code from 3 Aug 2005 to 15 Aug 2013, both included
``[---]``             the null code: the phrase is known but is no actor
====================  ==========================================================

Dates are ``YYYYMMDD`` or ``YYMMDD``; a two-digit year ``00``-``30`` is 20YY,
otherwise 19YY (the KEDS/TABARI rule, ``PETRreader.dstr_to_ordate``).  Blanks
around ``<``, ``>`` and ``-`` are allowed.  Of the restrictions of one entry the
first that holds on the event's date wins, in file order; when none holds the
default code applies; with no default the phrase is no actor on that date
(:meth:`DatedCode.holds`, :func:`resolve`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

NULL_CODE = "---"
#: an actor code: letters/digits (the validation files use lower case and ``+++``), several joined by ``/``
ACTOR_CODE = re.compile(r"(?:[A-Za-z0-9+]+)(?:/[A-Za-z0-9+]+)*|---")
_DATE = re.compile(r"\d{6}|\d{8}")


class CodeError(ValueError):
    """A code block that cannot be read; ``reason`` says why (the reader adds file and line)."""


@dataclass(frozen=True)
class DatedCode:
    """An actor code with its validity (both ends included; ``None`` = open).

    ``start``/``end`` are dates; a code without restriction (the entry's default)
    has both ``None`` and ``default=True``.
    """

    code: str
    start: dt.date | None = None
    end: dt.date | None = None
    default: bool = False

    @property
    def is_null(self) -> bool:
        """True for ``---``: the phrase is known and denotes no actor."""
        return self.code == NULL_CODE

    def holds(self, on: dt.date | None) -> bool:
        """True when the restriction holds on ``on`` (any restriction holds when ``on`` is None)."""
        if on is None:
            return True
        if self.start is not None and on < self.start:
            return False
        if self.end is not None and on > self.end:
            return False
        return True


def parse_date(text: str) -> dt.date:
    """``YYYYMMDD`` or ``YYMMDD`` (00-30 -> 20YY, else 19YY) -> date.

    Raises
    ------
    CodeError
        Not 6 or 8 digits, or not a calendar day (``20100931``).
    """
    text = text.strip()
    if not _DATE.fullmatch(text):
        raise CodeError(f"date {text!r} is not YYYYMMDD or YYMMDD")
    if len(text) == 8:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:])
    else:
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:])
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CodeError(f"date {text!r} is not a calendar day") from None


def parse_code_block(inner: str, *, code_pattern: re.Pattern = ACTOR_CODE) -> DatedCode:
    """Read the inside of one ``[...]`` block: ``CODE`` or ``CODE <restriction>``.

    Parameters
    ----------
    inner : text between the brackets (``"RURGOV 20050803-20130815"``).
    code_pattern : what a code may look like (default :data:`ACTOR_CODE`).

    Raises
    ------
    CodeError
        Empty block, a code that does not match ``code_pattern``, a restriction
        that is not ``<DATE``, ``>DATE`` or ``DATE-DATE`` (a bare date is refused:
        it does not say whether it starts or ends the code), a bad date, or an
        interval that ends before it starts.
    """
    inner = inner.strip()
    if not inner:
        raise CodeError("empty code block []")
    code, _, rest = inner.partition(" ")
    code, rest = code.strip(), rest.strip()
    for op in "<>":  # "[HOB<950601]": the restriction written against the code
        if op in code:
            code, _, tail = code.partition(op)
            rest = op + tail + rest
    if not code_pattern.fullmatch(code):
        raise CodeError(f"code {code!r} is not an actor code (letters and digits, several joined by '/', "
                        "or --- for none)")
    if not rest:
        return DatedCode(code, default=True)
    if rest[0] in "<>":
        when = parse_date(rest[1:])
        return DatedCode(code, end=when) if rest[0] == "<" else DatedCode(code, start=when)
    if "-" in rest:
        a, _, b = rest.partition("-")
        start, end = parse_date(a), parse_date(b)
        if end < start:
            raise CodeError(f"date restriction {rest!r} ends before it starts")
        return DatedCode(code, start=start, end=end)
    raise CodeError(f"date restriction {rest!r} is not <DATE, >DATE or DATE-DATE (a bare date does not say "
                    "whether it starts or ends the code)")


def resolve(codes: Sequence[DatedCode], on: dt.date | None) -> DatedCode | None:
    """The code of an entry on date ``on``: the first restriction that holds, else the
    default, else None (no actor on that date).  With ``on`` None the default is
    preferred, then the last restriction listed (the most recent one, by the files'
    convention)."""
    if on is None:
        for c in codes:
            if c.default:
                return c
        return codes[-1] if codes else None
    default = None
    for c in codes:
        if c.default:
            if default is None:
                default = c
        elif c.holds(on):
            return c
    return default
