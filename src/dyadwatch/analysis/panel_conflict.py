"""Panel measures of interstate conflict (Ibis, both engines): COW MIDs, COW inter-state wars, T-D rivalries.

The tables are the verdict readers' (``store/tables_conflict.py``:
``cow_mid_dyad_years``, ``cow_war_dyad_years``, ``td_rivalries``; codes in
that module's docstring). Coverage comes from ``source_coverage`` (the data
set's temporal domain: MID 5.0 1816-2014, COW wars 4.0 1816-2007,
Thompson-Dreyer 1494-2010), else from the table's own years: inside it "no
dispute / war / rivalry" is 0, outside it NULL. A dispute's hostility or
fatality level is NULL in a dyad-year without a dispute (there is nothing
to measure), not 0.

Unlike peacesciencer's ``add_cow_mids`` (which keeps one dispute per
dyad-year by a whittling rule), several disputes or wars of one dyad-year
are summarised: the number of disputes, any onset, the highest hostility
and fatality levels.
"""

from __future__ import annotations

import ibis

from dyadwatch.analysis.panel_measures import Column, Measure, covered, join_dyad, register, year_span, zero_in


def coverage(con, table: str, first: str = "year", last: str = "year") -> tuple[int | None, int | None]:
    """The data set's years for ``table``: the union of its ``source_coverage`` rows, else its own years
    (min of column ``first``, max of column ``last``)."""
    import duckdb

    try:
        lo, hi = con.execute("SELECT min(first_year), max(last_year) FROM source_coverage WHERE table_name = ?",
                             [table]).fetchall()[0]
    except duckdb.CatalogException:
        lo = hi = None
    if lo is None:
        lo, hi = year_span(con, table, first, last=last)
    return lo, hi


def _add_mids(panel, expr):
    j = join_dyad(panel, expr, "cow_mid_dyad_years", lambda t: dict(
        _on=t.cowmidonset.max(), _go=t.cowmidongoing.max(), _n=t.dispnum.nunique(), _hl=t.hostlev.max(),
        _h1=t.hostlev1.max(), _h2=t.hostlev2.max(), _fat=t.fatality.max(), _o1=t.orig1.max(),
        _sa1=t.sidea1.max()))
    lo, hi = coverage(panel.con, "cow_mid_dyad_years")
    cov = covered(j, lo, hi)
    return j.select(*expr.columns, cowmidonset=zero_in(cov, j._on, "int8"), cowmidongoing=zero_in(cov, j._go, "int8"),
                    mid_disputes=zero_in(cov, j._n, "int16"), mid_hostlev=j._hl.cast("int8"),
                    mid_hostlev1=j._h1.cast("int8"), mid_hostlev2=j._h2.cast("int8"),
                    mid_fatality=j._fat.cast("int8"), mid_orig1=j._o1.cast("int8"), mid_sidea1=j._sa1.cast("int8"))


register(Measure(
    "mids", "COW militarized interstate disputes", ("cow_mid_dyad_years",), ("cow-mid",),
    (Column("cowmidonset", "int8", "1 if a MID between the two states (with them on opposite sides) began this "
                                   "year, else 0; NULL outside the MID data's years (MID 5.0: 1816-2014)"),
     Column("cowmidongoing", "int8", "1 if a MID between them was ongoing this year, else 0; NULL outside"),
     Column("mid_disputes", "int16", "number of distinct MIDs between them ongoing this year"),
     Column("mid_hostlev", "int8", "highest dispute-level hostility (2 threat, 3 display, 4 use of force, 5 war); "
                                   "NULL without a dispute"),
     Column("mid_hostlev1", "int8", "highest hostility level reached by the first state"),
     Column("mid_hostlev2", "int8", "highest hostility level reached by the second state"),
     Column("mid_fatality", "int8", "highest dispute fatality band (0 none, 1 1-25, ..., 6 >999); NULL without a "
                                    "dispute or when COW codes it unknown"),
     Column("mid_orig1", "int8", "1 if the first state was an originator (involved from the first day) of a MID "
                                 "ongoing this year, 0 a joiner; NULL without a dispute"),
     Column("mid_sidea1", "int8", "1 if the first state was on side A (first militarized action) of such a MID")),
    _add_mids))


def _add_wars(panel, expr):
    j = join_dyad(panel, expr, "cow_war_dyad_years", lambda t: dict(
        _on=t.cowinteronset.max(), _go=t.cowinterongoing.max(), _n=t.warnum.nunique(),
        _i1=t.initiator1.max(), _b1=t.batdeath1.max(), _b2=t.batdeath2.max()))
    lo, hi = coverage(panel.con, "cow_war_dyad_years")
    cov = covered(j, lo, hi)
    return j.select(*expr.columns, cowinteronset=zero_in(cov, j._on, "int8"),
                    cowinterongoing=zero_in(cov, j._go, "int8"), war_count=zero_in(cov, j._n, "int16"),
                    war_initiator1=j._i1.cast("int8"), war_batdeath1=j._b1.cast("int64"),
                    war_batdeath2=j._b2.cast("int64"))


register(Measure(
    "wars", "COW inter-state wars", ("cow_war_dyad_years",), ("cow-war",),
    (Column("cowinteronset", "int8", "1 if an inter-state war with the two states on opposite sides began (or "
                                     "resumed) this year, else 0; NULL outside the war data's years (v4.0: 1816-2007)"),
     Column("cowinterongoing", "int8", "1 if such a war was ongoing this year, else 0; NULL outside"),
     Column("war_count", "int16", "number of such wars ongoing this year"),
     Column("war_initiator1", "int8", "1 if the first state initiated such a war, 0 if not; NULL without a war"),
     Column("war_batdeath1", "int64", "battle deaths of the first state over the whole war (the largest if several); "
                                      "NULL without a war or when unknown"),
     Column("war_batdeath2", "int64", "battle deaths of the second state over the whole war")),
    _add_wars))

RIVALRY_TYPES = ("spatial", "positional", "ideological", "interventionary")


def _add_rivalries(panel, expr):
    t = panel.table("td_rivalries")
    y = panel.years_table().view()
    ry = t.cross_join(y).filter([t.styear <= y.year, t.endyear >= y.year])
    types = {f"_t_{k}": ((ry.type1 == k) | (ry.type2 == k) | (ry.type3 == k)).fill_null(False) for k in RIVALRY_TYPES}
    ry = ry.select(_r1=ry.ccode1.cast("int32"), _r2=ry.ccode2.cast("int32"), _ry=ry.year.cast("int32"),
                   _rno=ry.rivalryno, **types)
    g = ry.group_by(["_r1", "_r2", "_ry"]).aggregate(
        _n=ry._rno.nunique(), _no=ry._rno.min(), **{k: ry[k].cast("int8").max() for k in types}).view()
    a, b = panel.code_col("cow", 1), panel.code_col("cow", 2)
    lo_c, hi_c = ibis.least(expr[a], expr[b]), ibis.greatest(expr[a], expr[b])
    j = expr.left_join(g, [lo_c == ibis.least(g._r1, g._r2), hi_c == ibis.greatest(g._r1, g._r2),
                           expr.year == g._ry])
    lo, hi = coverage(panel.con, "td_rivalries", "styear", "endyear")
    cov = covered(j, lo, hi)
    return j.select(*expr.columns, td_rival=zero_in(cov, (j._n > 0).cast("int8"), "int8"), td_rivalryno=j._no,
                    **{f"td_{k}": ibis.ifelse(j._n > 0, j[f"_t_{k}"], ibis.null("int8")).cast("int8")
                       for k in RIVALRY_TYPES})


register(Measure(
    "rivalries", "Thompson-Dreyer strategic rivalries", ("td_rivalries",), ("td-rivalries",),
    (Column("td_rival", "int8", "1 if the two states are strategic rivals this year (Thompson & Dreyer 2012), else "
                                "0; NULL after the data's last year (2010: rivalries ongoing then are not known to end)"),
     Column("td_rivalryno", "int32", "the rivalry's Thompson-Dreyer number (the lowest if two overlap)"),
     *(Column(f"td_{k}", "int8", f"1 if the rivalry is {k} (one of its up to three types); NULL without a rivalry")
       for k in RIVALRY_TYPES)),
    _add_rivalries))
