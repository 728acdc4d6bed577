"""One home for resolving states and year ranges, shared by every state-level measure.

UN voting (:mod:`~dyadwatch.analysis.alignment`), alliances, wars, vetoes,
rivalries, disputes and panels take states as ISO3 codes or names and
years as an int, a ``(lo, hi)`` pair or a ``range``; these helpers turn them
into ISO3 keys and a closed year interval, with one wording of the errors.
"""

from __future__ import annotations

from dyadwatch.errors import UsageError


def state(text: str) -> str:
    """ISO3 key of a state given as code or name (``"Russia"`` -> ``"RUS"``).

    Raises
    ------
    UsageError
        When no country table knows ``text``.
    """
    from dyadwatch.codebooks import countries

    iso = countries.iso3((text or "").strip())
    if not iso:
        raise UsageError(f"unknown state {text!r}; give an ISO3 code or a country name (e.g. IRN, Iran)")
    return iso


def state_pair(a: str, b: str) -> tuple[str, str]:
    """ISO3 codes of two different states; UsageError for an unknown one or the same state twice."""
    sa, sb = state(a), state(b)
    if sa == sb:
        raise UsageError(f"{a!r} and {b!r} are both {sa}; give two different states")
    return sa, sb


def year_range(years) -> tuple[int | None, int | None]:
    """Closed year interval ``(lo, hi)`` of ``None`` (all years), an int, a ``range`` or a pair.

    Either end may be ``None`` (open). Raises :class:`UsageError` when ``lo > hi``.
    """
    if years is None:
        return (None, None)
    if isinstance(years, int):
        return (years, years)
    if isinstance(years, range):
        return (years.start, years.stop - 1)
    lo, hi = years
    lo, hi = (None if lo is None else int(lo), None if hi is None else int(hi))
    if lo is not None and hi is not None and lo > hi:
        raise UsageError(f"--from {lo} is after --to {hi}", hint="give the earlier year first")
    return lo, hi
