"""The fields of a claim (``dyadwatch check``, ``report --claims``): types and ranges, checked on reading.

A claims file comes from outside: a year range of 1 to 300,000,000 built a
list of 300 million years (5 GB in seconds), a list where a string belongs
ended in an internal error, a ``camps`` value that names no actor was
checked as a claim about nothing. :func:`check_fields` checks every field of
one claim against :data:`FIELDS` before anything is computed, and
:func:`dyadwatch.analysis.claims.read_claims` turns a failure into an
``InputError`` naming the file, the line and the field.

Rules (kinds and fields as in :mod:`dyadwatch.analysis.claims`):

* every field must be one the kind knows (:data:`COMMON_FIELDS` and the
  kind's own), so a misspelt ``"form"`` is an error, not a claim about every year;
* years are whole numbers (not ``true``, not ``2015.5``) within the plausible
  range of :mod:`dyadwatch.ranges` (1800 to next year); ``from`` <= ``to``,
  ``[first, last]`` spans likewise; dates are ``YYYY-MM-DD`` in that range;
* ``actors`` of a dyad claim are exactly two names, of ``blocs`` 2 to 200;
  names are non-empty strings of at most 100 characters;
* ``camps`` are at least two non-empty lists of actors, each one of the
  claim's ``actors`` and none in two camps;
* enumerated fields take one of their values; counts and windows are whole
  numbers in their ranges; ``expected`` of an alliance is ``true``/``false``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from dyadwatch import ranges


class ClaimFieldError(ValueError):
    """A claim field of the wrong type or out of range: ``field`` and ``reason``."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


Check = Callable[[Any], None]
MAX_NAME_CHARS = 100
MAX_TEXT_CHARS = 10_000


def _is_int(v) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def text(limit: int = MAX_TEXT_CHARS, *, empty: bool = True) -> Check:
    def check(v):
        if not isinstance(v, str):
            raise ValueError(f"must be text, not {type(v).__name__} {_show(v)}")
        if not empty and not v.strip():
            raise ValueError("must not be empty")
        if len(v) > limit:
            raise ValueError(f"is {len(v):,} characters long (at most {limit:,})")
    return check


def name(v) -> None:
    text(MAX_NAME_CHARS, empty=False)(v)


def identifier(v) -> None:
    if _is_int(v):
        return
    text(200, empty=False)(v)


def integer(lo: int, hi: int) -> Check:
    def check(v):
        if not _is_int(v):
            raise ValueError(f"must be a whole number from {lo:,} to {hi:,}, not {type(v).__name__} {_show(v)}")
        if not lo <= v <= hi:
            raise ValueError(f"{v:,} is outside {lo:,}..{hi:,}")
    return check


def year(v) -> None:
    lo, hi = ranges.year_bounds()
    if not _is_int(v):
        raise ValueError(f"must be a year (a whole number from {lo} to {hi}), not {type(v).__name__} {_show(v)}")
    if not lo <= v <= hi:
        raise ValueError(f"year {v:,} is outside the plausible range {lo}..{hi}")


def date(v) -> None:
    if not isinstance(v, str):
        raise ValueError(f"must be a date YYYY-MM-DD, not {type(v).__name__} {_show(v)}")
    try:
        d = dt.date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"{v!r} is not a date YYYY-MM-DD") from None
    if not ranges.EARLIEST_DATE <= d <= ranges.latest_date():
        raise ValueError(f"{v} is outside the plausible range {ranges.date_range_text()}")


def span(v) -> None:
    if not (isinstance(v, list) and len(v) == 2):
        raise ValueError(f"must be [first year, last year], not {_show(v)}")
    year(v[0])
    year(v[1])
    if v[0] > v[1]:
        raise ValueError(f"first year {v[0]} is after last year {v[1]}")


def choice(*values) -> Check:
    def check(v):
        if v not in values or isinstance(v, bool) != isinstance(values[0], bool):
            raise ValueError(f"{_show(v)} is not one of {', '.join(map(_plain, values))}")
    return check


def actors(lo: int, hi: int) -> Check:
    def check(v):
        if not isinstance(v, list):
            raise ValueError(f"must be a list of actor names, e.g. [\"IRN\", \"RUS\"], not {_show(v)}")
        if not lo <= len(v) <= hi:
            want = f"exactly {lo}" if lo == hi else f"{lo} to {hi}"
            raise ValueError(f"holds {len(v)} actors; the claim takes {want}")
        for x in v:
            name(x)
        if len(set(v)) != len(v):
            raise ValueError(f"names an actor twice: {_show(v)}")
    return check


def camps(v) -> None:
    if not (isinstance(v, list) and len(v) >= 2 and all(isinstance(c, list) and c for c in v)):
        raise ValueError(f"must be two or more non-empty lists of actors, e.g. [[\"RUS\", \"IRN\"], [\"USA\"]], "
                         f"not {_show(v)}")
    for c in v:
        for x in c:
            name(x)


#: fields every claim may carry
COMMON_FIELDS: dict[str, Check] = {"kind": text(20), "id": identifier, "text": text(), "source": text(2000),
                                   "document": text(2000)}
DYAD = actors(2, 2)
#: the fields of each kind, with their checks; required fields are listed in :data:`REQUIRED`
FIELDS: dict[str, dict[str, Check]] = {
    "veto": {"actor": name, "date": date, "from": year, "to": year, "topic": text(500),
             "min_count": integer(1, 10_000)},
    "trend": {"actors": DYAD, "measure": choice("net_coop", "coop_events", "conflict_events", "events"),
              "before": span, "after": span, "direction": choice("up", "down")},
    "same_side": {"actors": DYAD, "from": year, "to": year, "country": name},
    "relation": {"actors": DYAD, "year": year, "expected": choice("friendly", "neutral", "mixed", "hostile")},
    "alliance": {"actors": DYAD, "year": year,
                 "obligation": choice("defense", "offense", "neutral", "nonagg", "consul"),
                 "expected": choice(True, False)},
    "event": {"actors": DYAD, "date": date, "window_days": integer(0, 366), "quad_class": integer(1, 4)},
    "blocs": {"actors": actors(2, 200), "camps": camps, "measure": choice("kappa", "net-coop", "net_coop"),
              "topic": text(500), "from": year, "to": year},
}
#: the fields a kind cannot do without
REQUIRED: dict[str, tuple[str, ...]] = {
    "veto": ("actor",), "trend": ("actors", "before", "after", "direction"), "same_side": ("actors", "from"),
    "relation": ("actors", "year", "expected"), "alliance": ("actors", "year", "obligation", "expected"),
    "event": ("actors", "date"), "blocs": ("actors", "camps")}


def check_fields(c: dict) -> None:
    """Check every field of claim ``c`` (a dict whose ``kind`` is known).

    Raises
    ------
    ClaimFieldError
        The first field that is unknown to the kind, missing, of the wrong
        type or out of range, or fields that contradict each other (``from``
        after ``to``, a camp member that is not among ``actors`` ...).
    """
    kind = c["kind"]
    known = {**COMMON_FIELDS, **FIELDS[kind]}
    for key in c:
        if key not in known:
            raise ClaimFieldError(str(key)[:40], f"is not a field of a {kind} claim; its fields are "
                                                 f"{', '.join(sorted(known))}")
    miss = [k for k in REQUIRED[kind] if k not in c]
    if kind == "veto" and "date" not in c and "from" not in c:
        miss.append("date or from")
    if miss:
        raise ClaimFieldError(miss[0], f"missing: a {kind} claim needs {', '.join(miss)}")
    for key, value in c.items():
        try:
            known[key](value)
        except ValueError as exc:
            raise ClaimFieldError(key, str(exc)) from None
    if "from" in c and "to" in c and c["from"] > c["to"]:
        raise ClaimFieldError("to", f"{c['to']} is before from {c['from']}")
    if kind == "blocs":
        members = [x for camp in c["camps"] for x in camp]
        stray = [x for x in members if x not in c["actors"]]
        if stray:
            raise ClaimFieldError("camps", f"{_show(stray[0])} is in a camp but not among the claim's actors")
        twice = sorted({x for x in members if members.count(x) > 1})
        if twice:
            raise ClaimFieldError("camps", f"{_show(twice[0])} is in more than one camp")


def _plain(v) -> str:
    return "true" if v is True else "false" if v is False else str(v)


def _show(v) -> str:
    """A short rendering of a value from the file for a message."""
    import json

    try:
        s = json.dumps(v, ensure_ascii=False)
    except (TypeError, ValueError):
        s = repr(v)
    return s if len(s) <= 60 else s[:57] + "..."
