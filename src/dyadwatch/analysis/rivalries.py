"""Thompson–Dreyer strategic rivalries of a dyad, per year — observed, or presumed past the data's end.

Unit in: ``td_rivalries`` (one row per rivalry, filled by
``sources/td_rivalries.py``) and its ``source_coverage`` row. Unit out: for
each year of a dyad the rivalries in force, each marked *observed* (the year
lies within the data's coverage) or *presumed* (the year lies after the end
of coverage and the rivalry was ongoing then).

Rivals are matched on COW codes for the year
(:func:`dyadwatch.codebooks.countries.iso3_to_cow`), so the USSR and Russia
(365), West Germany (260) and Germany (255) are told apart as the data do.

**Presumption past the end of coverage.** The data stop in 2010; a rivalry
ongoing then is not known to have ended. Rather than read the years after
2010 as "no rivalry" (silence read as absence) or as certain rivalry, a
rivalry ongoing at the end of coverage is carried forward with the
probability that it is still ongoing under a constant termination hazard
estimated from the same data (:func:`termination_hazard`): terminations per
rivalry-year at risk since 1816, ``S(k) = (1 − h)^k`` for ``k`` years past
the end. On the Thompson–Dreyer data, h ≈ 0.019 (S(4) ≈ 0.93), in line with
the long lives of strategic rivalries (Colaresi, Rasler & Thompson 2007,
*Strategic Rivalries in World Politics*, Cambridge UP, ch. 3). Every output
says "presumed", with S and the last year observed.
"""

from __future__ import annotations

import duckdb

#: earliest year used to estimate the termination hazard (the interstate system of COW)
HAZARD_SINCE = 1816


def coverage(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """(first, last) year the stored rivalry data cover, or None when none are stored.

    From ``source_coverage`` (the readers' record of each file's domain),
    else from the table's own years.
    """
    try:
        row = con.execute("SELECT min(first_year), max(last_year) FROM source_coverage "
                          "WHERE table_name = 'td_rivalries'").fetchall()[0]
        if row[0] is None:
            row = con.execute("SELECT min(styear), max(endyear) FROM td_rivalries").fetchall()[0]
    except duckdb.Error:
        return None
    return None if row[0] is None else (int(row[0]), int(row[1]))


def termination_hazard(con: duckdb.DuckDBPyConnection, since: int = HAZARD_SINCE) -> float | None:
    """Yearly termination hazard of strategic rivalries: ended rivalries / rivalry-years at risk.

    Rivalry-years at risk count every year from ``max(styear, since)`` to the
    rivalry's ``endyear``; a rivalry ongoing at the end of coverage is at risk
    until then and has not ended (right-censored). Returns h in [0, 1], or
    None without data. Source of the estimator: the maximum-likelihood rate
    of a constant-hazard (exponential) survival model with right censoring
    (Box-Steffensmeier & Jones 2004, *Event History Modeling*, Cambridge UP, §2.2).
    """
    try:
        ended, at_risk = con.execute(
            "SELECT count_if(NOT ongoing), sum(endyear - greatest(styear, ?) + 1) FROM td_rivalries "
            "WHERE endyear >= ?", [since, since]).fetchall()[0]
    except duckdb.Error:
        return None
    if not at_risk:
        return None
    return float(ended) / float(at_risk)


def _cow(iso: str, year: int) -> int | None:
    from dyadwatch.codebooks import countries

    try:
        return countries.iso3_to_cow(iso, year)
    except Exception:  # noqa: BLE001 - a key the code table does not know: no COW state
        return None


def rivalries(con: duckdb.DuckDBPyConnection, a: str, b: str, years) -> dict[int, list[dict] | None]:
    """The rivalries of ISO3 states ``a`` and ``b`` in each year of ``years``.

    Returns
    -------
    dict
        ``{year: None}`` when the data do not cover the year and no rivalry of
        the pair was ongoing at the end of coverage (silence); otherwise a list
        (empty: covered, no rivalry) of ``{rivalryno, name, types (list),
        styear, endyear, ongoing_at_end (bool), coverage_end, observed (bool),
        presumed_p}`` — ``presumed_p`` is 1.0 for an observed year, else the
        probability the rivalry is still ongoing (module docstring).
    """
    cov = coverage(con)
    out: dict[int, list[dict] | None] = {int(y): None for y in years}
    if cov is None:
        return out
    h = termination_hazard(con)
    for y in out:
        ca, cb = _cow(a, y), _cow(b, y)
        if y > cov[1]:  # past the end: the codes at the end of coverage identify the rivals
            ca, cb = _cow(a, cov[1]) or ca, _cow(b, cov[1]) or cb
        rows = [] if ca is None or cb is None else con.execute(
            """SELECT rivalryno, rivalryname, type1, type2, type3, styear, endyear, ongoing, coverage_end
               FROM td_rivalries WHERE ((ccode1 = ? AND ccode2 = ?) OR (ccode1 = ? AND ccode2 = ?))
                 AND styear <= ? ORDER BY styear""", [ca, cb, cb, ca, y]).fetchall()
        items = []
        for no, name, t1, t2, t3, st, end, ongoing, cend in rows:
            base = {"rivalryno": int(no), "name": name, "types": [t for t in (t1, t2, t3) if t],
                    "styear": int(st), "endyear": int(end), "ongoing_at_end": bool(ongoing),
                    "coverage_end": int(cend) if cend is not None else cov[1]}
            if st <= y <= end:
                items.append({**base, "observed": True, "presumed_p": 1.0})
            elif y > cov[1] and ongoing and h is not None:
                items.append({**base, "observed": False, "presumed_p": (1.0 - h) ** (y - cov[1])})
        if cov[0] <= y <= cov[1] or items:
            out[y] = items
    return out


def describe(item: dict) -> str:
    """One line for a rivalry item, e.g. ``strategic rivalry India-Pakistan (positional, spatial; Thompson &
    Dreyer, since 1947, ongoing at the end of coverage in 2010)``, or the presumption with its probability."""
    kinds = ", ".join(item["types"]) or "type not given"
    span = (f"since {item['styear']}, ongoing at the end of coverage in {item['coverage_end']}"
            if item["ongoing_at_end"] else f"{item['styear']}–{item['endyear']}")
    text = f"strategic rivalry {item['name'] or item['rivalryno']} ({kinds}; Thompson & Dreyer, {span})"
    if not item["observed"]:
        text += (f" — presumed still ongoing: the data end in {item['coverage_end']}, probability "
                 f"{item['presumed_p']:.2f} under the rivalries' termination rate")
    return text
