"""Panel measures from UN votes, UN ideal points and the event store (Ibis, both engines).

``unvotes``      UN General Assembly voting similarity per calendar year
                 (the definitions of :mod:`dyadwatch.analysis.unvotes_measures`:
                 agreement, S with absolute distance, Cohen's kappa with
                 linear weights; Voeten; Signorino & Ritter 1999; Häge 2011).
``idealpoints``  the two states' ideal points and their distance
                 (:mod:`dyadwatch.analysis.idealpoints`; Bailey, Strezhnev &
                 Voeten 2017), by the year the session opened.
``events``       QuadClass counts, net cooperation and mean Goldstein weight
                 of the events between the two states in the store, by the
                 rule of ``dyadwatch dyad``: in years the pre-aggregated
                 ICEWS dyad-year counts (``dyad_counts``) cover, those counts
                 are used and event rows of those years left out.

UN votes and events are keyed by ISO3 (``panel_base.code_maps``): a state and
its predecessor in a transition year (COW 260 and 255 in 1990) read the same
series.
"""

from __future__ import annotations

import ibis

from dyadwatch.analysis.panel_measures import Column, Measure, covered, keep, register, year_span, zero_in

UN_COLUMNS = ("un_n", "un_agree", "un_s", "un_kappa")


def un_similarity_expr(votes, roll_calls, years: tuple[int, int] | None = None):
    """``a, b, year, n, agree, s, kappa`` for every directed ISO3 pair and calendar year with a common vote.

    ``n`` roll calls both voted on (yes 1, abstain 2, no 3); ``d = sum |va - vb|``;
    ``agree = 1 - d / 2n`` in [0, 1]; ``s = 1 - d / n`` in [-1, 1]; ``kappa = 1 - (d / n) / D_exp``
    with ``D_exp = sum_ij pA(i) pB(j) |i - j|`` (NULL when D_exp = 0).
    """
    v = votes.filter([votes.iso3.notnull(), votes.vote_code.isin([1, 2, 3])])
    rc = roll_calls.filter(roll_calls.date.notnull())
    if years:
        rc = rc.filter([rc.year >= years[0], rc.year <= years[1]])
    rc = rc.select("rcid", "year")
    v = v.join(rc, "rcid").select("rcid", "year", "iso3", vc=v.vote_code.cast("int64"))
    x = v.select(rcid="rcid", year="year", a="iso3", va="vc")
    y = v.select(rcid_y="rcid", b="iso3", vb="vc").view()
    j = x.join(y, [x.rcid == y.rcid_y, x.a < y.b])
    g = j.group_by(["a", "b", "year"]).aggregate(
        n=j.count(), d=(j.va - j.vb).abs().sum(),
        a1=j.count(where=j.va == 1), a2=j.count(where=j.va == 2), a3=j.count(where=j.va == 3),
        b1=j.count(where=j.vb == 1), b2=j.count(where=j.vb == 2), b3=j.count(where=j.vb == 3))
    n = g.n.cast("float64")
    dexp = ((g.a1 * g.b2 + g.a2 * g.b1 + g.a2 * g.b3 + g.a3 * g.b2).cast("float64")
            + 2.0 * (g.a1 * g.b3 + g.a3 * g.b1).cast("float64")) / (n * n)
    one = g.select(a=g.a, b=g.b, year=g.year.cast("int32"), n=g.n, agree=1.0 - g.d.cast("float64") / (2.0 * n),
                   s=1.0 - g.d.cast("float64") / n,
                   kappa=ibis.ifelse(dexp > 0, 1.0 - (g.d.cast("float64") / n) / dexp, ibis.null("float64")))
    mirror = one.select(a=one.b, b=one.a, year=one.year, n=one.n, agree=one.agree, s=one.s, kappa=one.kappa)
    return one.union(mirror, distinct=False)


def _add_unvotes(panel, expr):
    sim = un_similarity_expr(panel.table("un_votes"), panel.table("un_roll_calls"), (panel.lo, panel.hi))
    sim = sim.select(_ua=sim.a, _ub=sim.b, _uy=sim.year, _n=sim.n, _ag=sim.agree, _s=sim.s, _k=sim.kappa).view()
    j = expr.left_join(sim, [expr._iso1 == sim._ua, expr._iso2 == sim._ub, expr.year == sim._uy])
    lo, hi = year_span(panel.con, "un_roll_calls")
    cov = covered(j, lo, hi)
    return j.select(*expr.columns, un_n=zero_in(cov, j._n, "int32"), un_agree=keep(cov, j._ag, "float64"),
                    un_s=keep(cov, j._s, "float64"), un_kappa=keep(cov, j._k, "float64"))


register(Measure(
    "unvotes", "UN General Assembly voting similarity", ("un_votes", "un_roll_calls"), ("unvotes",),
    (Column("un_n", "int32", "roll calls of the calendar year on which both states voted yes/abstain/no; 0 when "
                             "none (absent, not members); NULL outside the vote data's years"),
     Column("un_agree", "float64", "agreement 1 - d/2n in [0, 1] (abstain = half agreement); NULL when un_n = 0"),
     Column("un_s", "float64", "S-score with absolute distance 1 - d/n in [-1, 1] (Signorino & Ritter 1999)"),
     Column("un_kappa", "float64", "Cohen's kappa with linear weights, chance-corrected by each state's own votes "
                                   "(Häge 2011); <= 1, NULL when undefined")),
    _add_unvotes, keyed_by="iso3"))


def _add_idealpoints(panel, expr):
    from dyadwatch.analysis import idealpoints

    df, _ = idealpoints.ensure(panel.con)
    t = ibis.memtable(df[["iso3", "year", "ideal_point"]].astype({"year": "int32"}))
    for side in (1, 2):
        r = t.select(**{f"_pi{side}": t.iso3, f"_py{side}": t.year, f"ideal_point{side}": t.ideal_point}).view()
        j = expr.left_join(r, [expr[f"_iso{side}"] == r[f"_pi{side}"], expr.year == r[f"_py{side}"]])
        expr = j.select(*expr.columns, j[f"ideal_point{side}"])
    return expr.mutate(ip_distance=(expr.ideal_point1 - expr.ideal_point2).abs())


register(Measure(
    "idealpoints", "UN General Assembly ideal points", ("un_votes", "un_roll_calls"), ("unvotes",),
    (Column("ideal_point1", "float64", "the first state's UN ideal point in the session opened that year "
                                       "(US positive; all state-sessions pooled: mean 0, sd 1); "
                                       "NULL when it cast no vote"),
     Column("ideal_point2", "float64", "the second state's"),
     Column("ip_distance", "float64", "|ideal_point1 - ideal_point2| >= 0 (Bailey, Strezhnev & Voeten 2017)")),
    _add_idealpoints, keyed_by="iso3"))

QC = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")


def event_counts_expr(events, dyad_counts, count_years: list[int], years: tuple[int, int] | None = None):
    """``src, tgt, year, events, <QuadClass counts>, gsum, gn`` per directed ISO3 pair and year."""
    e = events.filter([events.src_country.notnull(), events.tgt_country.notnull(), events.event_date.notnull(),
                       events.src_country != events.tgt_country])
    if years:
        e = e.filter([e.event_date >= ibis.date(years[0], 1, 1), e.event_date <= ibis.date(years[1], 12, 31)])
    e = e.mutate(year=e.event_date.year().cast("int32"))
    if count_years:
        e = e.filter(~e.year.isin(count_years))
    ev = e.group_by(src=e.src_country, tgt=e.tgt_country, year=e.year).aggregate(
        events=e.count(), verbal_coop=e.count(where=e.quad_class == 1), material_coop=e.count(where=e.quad_class == 2),
        verbal_conflict=e.count(where=e.quad_class == 3), material_conflict=e.count(where=e.quad_class == 4),
        gsum=e.goldstein.sum(), gn=e.goldstein.count())
    if dyad_counts is None:
        return ev
    c = dyad_counts.filter([dyad_counts.src_country.notnull(), dyad_counts.tgt_country.notnull()])
    if years:
        c = c.filter([c.year >= years[0], c.year <= years[1]])
    cc = c.group_by(src=c.src_country, tgt=c.tgt_country, year=c.year.cast("int32")).aggregate(
        **{q: c[q].sum() for q in QC})
    cc = cc.select("src", "tgt", "year", events=cc.verbal_coop + cc.material_coop + cc.verbal_conflict
                   + cc.material_conflict, **{q: cc[q] for q in QC},
                   gsum=ibis.null("float64"), gn=ibis.literal(0, "int64"))
    ev = ev.select("src", "tgt", "year", "events", *QC, gsum=ev.gsum.cast("float64"), gn=ev.gn.cast("int64"))
    u = ev.union(cc.select(*ev.columns), distinct=False)
    return u.group_by(["src", "tgt", "year"]).aggregate(
        events=u.events.sum(), **{q: u[q].sum() for q in QC}, gsum=u.gsum.sum(), gn=u.gn.sum())


def _event_years(con) -> tuple[list[int], list[int]]:
    """(years with event rows or dyad counts in the store, years the dyad counts cover)."""
    import duckdb

    def years(sql):
        try:
            return [r[0] for r in con.execute(sql).fetchall() if r[0] is not None]
        except duckdb.CatalogException:
            return []

    count_years = years("SELECT DISTINCT year FROM dyad_counts")
    ev_years = years("SELECT DISTINCT year(event_date) FROM events WHERE src_country IS NOT NULL "
                     "AND tgt_country IS NOT NULL")
    return sorted(set(ev_years) | set(count_years)), sorted(count_years)


def _add_events(panel, expr):
    from dyadwatch.analysis.panels import _has_rows

    cov_years, count_years = _event_years(panel.con)
    dc = panel.table("dyad_counts") if _has_rows(panel.con, "dyad_counts") else None
    g = event_counts_expr(panel.table("events"), dc, count_years, (panel.lo, panel.hi))
    tot = g.group_by("year").aggregate(_tot=g.events.sum())
    g = g.select(_es=g.src, _et=g.tgt, _ey=g.year, _ev=g.events, **{f"_{q}": g[q] for q in QC}, _gs=g.gsum,
                 _gn=g.gn).view()
    cov = expr.year.isin(cov_years) if cov_years else ibis.literal(False)

    def directed(e, s, t):
        j = e.left_join(g, [e[s] == g._es, e[t] == g._et, e.year == g._ey])
        return j

    j = directed(expr, "_iso1", "_iso2")
    vals = {"events": j._ev, **{q: j[f"_{q}"] for q in QC}, "gs": j._gs, "gn": j._gn}
    out = j.select(*expr.columns, **{f"_x{k}": v for k, v in vals.items()})
    if not panel.directed:  # non-directed: add the other direction
        g2 = g.select(_fs=g._es, _ft=g._et, _fy=g._ey, _fev=g._ev, **{f"_f{q}": g[f"_{q}"] for q in QC},
                      _fgs=g._gs, _fgn=g._gn).view()
        j2 = out.left_join(g2, [out._iso2 == g2._fs, out._iso1 == g2._ft, out.year == g2._fy])
        add = {"events": "_fev", **{q: f"_f{q}" for q in QC}, "gs": "_fgs", "gn": "_fgn"}
        out = j2.select(*[c for c in out.columns if not c.startswith("_x")],
                        **{f"_x{k}": j2[f"_x{k}"].fill_null(0) + j2[v].fill_null(0) if k != "gs"
                           else ibis.ifelse(j2[f"_x{k}"].isnull() & j2[v].isnull(), ibis.null("float64"),
                                            j2[f"_x{k}"].fill_null(0) + j2[v].fill_null(0))
                           for k, v in add.items()})
    t = tot.select(_ty=tot.year, _tot=tot._tot).view()
    jt = out.left_join(t, [out.year == t._ty])
    cov = jt.year.isin(cov_years) if cov_years else ibis.literal(False)
    n = jt._xevents.fill_null(0)
    net = ibis.ifelse(n > 0, (jt._xverbal_coop.fill_null(0) + jt._xmaterial_coop.fill_null(0)
                              - jt._xverbal_conflict.fill_null(0) - jt._xmaterial_conflict.fill_null(0))
                      .cast("float64") / n, ibis.null("float64"))
    gmean = ibis.ifelse(jt._xgn.fill_null(0) > 0, jt._xgs / jt._xgn, ibis.null("float64"))
    keep_cols = [c for c in expr.columns]
    return jt.select(*keep_cols, events=zero_in(cov, jt._xevents, "int64"),
                     **{q: zero_in(cov, jt[f"_x{q}"], "int64") for q in QC},
                     net_coop=keep(cov, net, "float64"), goldstein_mean=keep(cov, gmean, "float64"),
                     events_year_total=keep(cov, jt._tot.fill_null(0), "int64"))


register(Measure(
    "events", "political events in the store (QuadClass, Goldstein)", ("events",), ("icews", "gdelt1"),
    (Column("events", "int64", "events from the first state to the second (directed panels) or between them "
                               "(non-directed) in the store that year; 0 when none, NULL in years the store holds "
                               "no events at all"),
     Column("verbal_coop", "int64", "QuadClass 1 events"), Column("material_coop", "int64", "QuadClass 2 events"),
     Column("verbal_conflict", "int64", "QuadClass 3 events"), Column("material_conflict", "int64", "QuadClass 4 events"),
     Column("net_coop", "float64", "(QC1 + QC2 - QC3 - QC4) / events in [-1, 1]; NULL without events"),
     Column("goldstein_mean", "float64", "mean Goldstein weight (-10..10) of the events that have one; NULL for "
                                         "dyad-year counts (ICEWS 2002-2014 counts carry none)"),
     Column("events_year_total", "int64", "events between any two countries in the store that year: how thick "
                                          "the year's coverage is (a sample year holds few)")),
    _add_events, keyed_by="iso3"))
