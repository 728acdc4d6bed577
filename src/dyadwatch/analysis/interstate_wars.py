"""COW inter-state wars of a dyad, per year: on opposite sides, or on the same side.

Unit in: ``cow_war_dyad_years`` (directed war-dyad-years of states on
opposite sides, filled by ``sources/cow_war.py``) and ``source_coverage``.
Unit out: per year, the wars in which ``a`` and ``b`` fought each other and
the wars in which they fought on the same side, with the number of states on
that side.

Sides are read from the dyad-years themselves: a state's side in a war-year
is its ``sidea1`` in the rows where it is ``ccode1``; two states are on the
same side when their sides match. The war data cover 1816–2007 (v4.0); a
covered year without a row means no war between or alongside the two.
(Sarkees & Wayman 2010, *Resort to War*, CQ Press.)
"""

from __future__ import annotations

import duckdb


def coverage(con: duckdb.DuckDBPyConnection) -> tuple[int, int] | None:
    """(first, last) year of the stored war data's domain, or None when none are stored."""
    try:
        row = con.execute("SELECT min(first_year), max(last_year) FROM source_coverage "
                          "WHERE table_name = 'cow_war_dyad_years'").fetchall()[0]
        if row[0] is None:
            row = con.execute("SELECT min(year), max(year) FROM cow_war_dyad_years").fetchall()[0]
    except duckdb.Error:
        return None
    return None if row[0] is None else (int(row[0]), int(row[1]))


def war_sides(con: duckdb.DuckDBPyConnection, a: str, b: str, years) -> dict[int, dict | None]:
    """COW wars of ISO3 states ``a`` and ``b`` in each year of ``years``.

    Returns
    -------
    dict
        ``{year: None}`` outside the data's coverage; else ``{"opposite":
        [{warnum, warname, batdeath_a, batdeath_b, initiator (ISO3 list)}],
        "same": [{warnum, warname, side, n_side}]}`` (``n_side``: states on
        that side in the war-year).
    """
    cov = coverage(con)
    out: dict[int, dict | None] = {int(y): None for y in years}
    if cov is None or not out:
        return out
    for y in out:
        if cov[0] <= y <= cov[1]:
            out[y] = {"opposite": [], "same": []}
    lo, hi = min(out), max(out)
    try:
        names = dict(con.execute("SELECT DISTINCT warnum, warname FROM cow_war_participants").fetchall())
    except duckdb.Error:
        names = {}
    for y, war, d1, d2, i1, i2 in con.execute(
            """SELECT year, warnum, max(batdeath1), max(batdeath2), max(initiator1), max(initiator2)
               FROM cow_war_dyad_years WHERE iso3_1 = ? AND iso3_2 = ? AND year BETWEEN ? AND ?
               GROUP BY ALL ORDER BY 1, 2""", [a, b, lo, hi]).fetchall():
        if out.get(int(y)) is not None:
            out[int(y)]["opposite"].append({"warnum": int(war), "warname": names.get(war), "batdeath_a": d1,
                                            "batdeath_b": d2,
                                            "initiator": [s for s, i in ((a, i1), (b, i2)) if i == 1]})
    for y, war, side, n in con.execute(
            """WITH s AS (SELECT DISTINCT warnum, year, iso3_1 AS iso3, sidea1 AS side FROM cow_war_dyad_years
                          WHERE year BETWEEN ? AND ?),
                    n AS (SELECT warnum, year, side, count(DISTINCT iso3) AS n FROM s GROUP BY ALL)
               SELECT sa.year, sa.warnum, sa.side, n.n FROM s sa JOIN s sb USING (warnum, year, side)
               JOIN n USING (warnum, year, side)
               WHERE sa.iso3 = ? AND sb.iso3 = ? ORDER BY 1, 2""", [lo, hi, a, b]).fetchall():
        if out.get(int(y)) is not None:
            out[int(y)]["same"].append({"warnum": int(war), "warname": names.get(war), "side": int(side),
                                        "n_side": int(n)})
    return out


def describe(item: dict, a: str, b: str, relation: str) -> str:
    """One line for a war item (``relation``: ``opposite`` or ``same``)."""
    name = f"COW war {item['warnum']}" + (f" ({item['warname']})" if item.get("warname") else "")
    if relation == "same":
        return f"same side in {name}, one of {item['n_side']} states on side {item['side']} (Sarkees & Wayman 2010)"
    deaths = ", ".join(f"{s} {d:,} battle deaths" for s, d in ((a, item["batdeath_a"]), (b, item["batdeath_b"]))
                       if d is not None)
    return f"at war with each other: {name}{'; ' + deaths if deaths else ''} (Sarkees & Wayman 2010)"
