"""Militarized interstate disputes (COW MID) of a dyad, per year.

Unit in: ``cow_mid_dyad_years`` (directed dispute-dyad-years, filled by
``sources/cow_mid.py``), ``cow_mid_disputes`` when stored (outcome), and the
``source_coverage`` row of the MID data. Unit out: per year of a dyad the
disputes between the two, from ``a``'s side: each side's hostility level
(1 no militarized action, 2 threat, 3 display, 4 use of force, 5 war), the
dyad's hostility (the higher of the two), the fatality band (0 none … 6 over
999 deaths; NULL unknown), onset, who was revisionist and who originated it
(COW MID codebook v5.0; Palmer et al. 2022).

A year inside the data's coverage without a dispute row is "no dispute"
(an empty list); a year outside it is silence (None).
"""

from __future__ import annotations

import duckdb

#: MID hostility levels (COW MID codebook)
HOSTILITY = {1: "no militarized action", 2: "threat to use force", 3: "display of force", 4: "use of force",
             5: "war"}
#: MID fatality bands (COW MID codebook)
FATALITY = {0: "no deaths", 1: "1–25 deaths", 2: "26–100 deaths", 3: "101–250 deaths", 4: "251–500 deaths",
            5: "501–999 deaths", 6: "over 999 deaths"}


def coverage(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """(first, last) year of the stored MID dyad-years' domain, or None when none are stored."""
    try:
        row = con.execute("SELECT min(first_year), max(last_year) FROM source_coverage "
                          "WHERE table_name = 'cow_mid_dyad_years'").fetchall()[0]
        if row[0] is None:
            row = con.execute("SELECT min(year), max(year) FROM cow_mid_dyad_years").fetchall()[0]
    except duckdb.Error:
        return None
    return None if row[0] is None else (int(row[0]), int(row[1]))


def disputes(con: duckdb.DuckDBPyConnection, a: str, b: str, years) -> dict[int, list[dict] | None]:
    """MIDs between ISO3 states ``a`` and ``b`` in each year of ``years``.

    Returns
    -------
    dict
        ``{year: None}`` outside the data's coverage; else a list (empty: no
        dispute) of ``{dispnum, hostlev_a, hostlev_b, hostlev (dyad: the
        higher), fatality (band, the higher of the two; None unknown),
        fatalities (precise count when either side's is known), onset (bool),
        revisionist (ISO3 list), originator (ISO3 list), outcome}``.
    """
    cov = coverage(con)
    out: dict[int, list[dict] | None] = {int(y): None for y in years}
    if cov is None or not out:
        return out
    for y in out:
        if cov[0] <= y <= cov[1]:
            out[y] = []
    try:
        has_disp = con.execute("SELECT count(*) FROM cow_mid_disputes").fetchall()[0][0] > 0
    except duckdb.Error:
        has_disp = False
    outcome = "d.outcome" if has_disp else "NULL"
    join = "LEFT JOIN cow_mid_disputes d USING (dispnum)" if has_disp else ""
    rows = con.execute(f"""
        SELECT m.year, m.dispnum, max(m.hostlev1), max(m.hostlev2), max(m.fatality1), max(m.fatality2),
               max(m.fatalpre1), max(m.fatalpre2), max(m.cowmidonset), max(m.revstate1), max(m.revstate2),
               max(m.orig1), max(m.orig2), max(m.hostlev), max({outcome})
        FROM cow_mid_dyad_years m {join}
        WHERE m.iso3_1 = ? AND m.iso3_2 = ? AND m.year BETWEEN ? AND ?
        GROUP BY m.year, m.dispnum ORDER BY m.year, m.dispnum""", [a, b, min(out), max(out)]).fetchall()
    for (y, disp, h1, h2, f1, f2, p1, p2, onset, r1, r2, o1, o2, hdisp, outc) in rows:
        if out.get(int(y)) is None:
            continue
        bands = [f for f in (f1, f2) if f is not None]
        known = [p for p in (p1, p2) if p is not None]
        out[int(y)].append({
            "dispnum": int(disp), "hostlev_a": h1, "hostlev_b": h2,
            "hostlev": max(x for x in (h1, h2, 1) if x is not None), "hostlev_dispute": hdisp,
            "fatality": max(bands) if bands else None, "fatalities": sum(known) if known else None,
            "onset": bool(onset), "revisionist": [s for s, r in ((a, r1), (b, r2)) if r == 1],
            "originator": [s for s, o in ((a, o1), (b, o2)) if o == 1], "outcome": outc})
    return out


def describe(item: dict, a: str, b: str) -> str:
    """One line for a dispute item, e.g. ``MID 4585 (use of force; fatalities unknown): IND display of force,
    PAK use of force``."""
    deaths = ("fatalities unknown" if item["fatality"] is None else FATALITY.get(item["fatality"], "?"))
    parts = [f"MID {item['dispnum']}{' (onset)' if item['onset'] else ' (ongoing)'}: "
             f"{HOSTILITY.get(item['hostlev'], item['hostlev'])}, {deaths}",
             f"{a} {HOSTILITY.get(item['hostlev_a'], '?')}, {b} {HOSTILITY.get(item['hostlev_b'], '?')}"]
    if item["revisionist"]:
        parts.append("revisionist: " + ", ".join(item["revisionist"]))
    return "; ".join(parts) + " (COW MID 5.0)"
