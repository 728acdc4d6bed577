"""What ``add_*`` joins to a dyad-year panel, written once in Ibis: the registry and the state-system measures.

Every measure is a :class:`Measure`: a name (``--add NAME``), the store
tables it reads, the registry data set it comes from (for ``cite``), the
columns it adds with their coding and units (:class:`Column`), and an
Ibis function ``add(panel, expr) -> expr``. Built-ins register themselves
here and in :mod:`~dyadwatch.analysis.panel_votes_events` /
:mod:`~dyadwatch.analysis.panel_conflict`, the same way a plug-in would.

Null, not 0: outside a source's coverage (its first to last year in the
store, or a state-year it has no row for) a measure is NULL; inside it,
"no record" is 0 where the source lists every positive case (ATOP
obligations, IGO joint memberships, UCDP conflicts, events), and NULL where
a row is expected and missing (capabilities).

Directed panels carry both directions of every source: a directed source
(events) gives the row ``(a, b)`` the a -> b values and ``(b, a)`` the
b -> a ones; symmetric sources give both rows the same value; state-level
sources give ``...1`` for the first state and ``...2`` for the second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import ibis
import ibis.expr.types as ir

from dyadwatch.errors import UsageError


@dataclass(frozen=True)
class Column:
    """One column a measure adds: ``name``, ``type`` (Ibis/DuckDB), ``coding`` (values, units, range)."""

    name: str
    type: str
    coding: str


@dataclass(frozen=True)
class Measure:
    """One ``add_*``: what it reads (``tables``), whom to cite (``dataset``: registry names) and what it adds."""

    name: str
    title: str
    tables: tuple[str, ...]
    dataset: tuple[str, ...]
    columns: tuple[Column, ...]
    add: Callable = field(compare=False, repr=False)
    keyed_by: str = "cow"  # the codes the source uses: cow, gw or iso3


MEASURES: dict[str, Measure] = {}


def register(m: Measure) -> Measure:
    """Register a measure under ``m.name`` (replacing an earlier one)."""
    MEASURES[m.name] = m
    return m


def get(name: str) -> Measure:
    """The measure registered as ``name``; UsageError listing the registered ones."""
    from dyadwatch.analysis import panel_conflict, panel_votes_events  # noqa: F401  (they register theirs)

    if name not in MEASURES:
        raise UsageError(f"unknown panel measure {name!r}; choose from {', '.join(sorted(MEASURES))}")
    return MEASURES[name]


# ---------------------------------------------------------------------------
# helpers (Ibis, both engines)
# ---------------------------------------------------------------------------

def covered(expr: ir.Table, lo: int | None, hi: int | None):
    """Boolean: the row's year lies in the source's coverage ``lo..hi`` (False when the source is empty)."""
    if lo is None or hi is None:
        return ibis.literal(False)
    return (expr.year >= lo) & (expr.year <= hi)


def zero_in(cov, value, type_: str):
    """``value`` (0 when NULL) inside coverage, NULL outside."""
    return ibis.ifelse(cov, value.fill_null(0).cast(type_), ibis.null(type_))


def keep(cov, value, type_: str):
    """``value`` inside coverage (NULL stays NULL), NULL outside."""
    return ibis.ifelse(cov, value.cast(type_), ibis.null(type_))


def join_state(panel, expr: ir.Table, table: ir.Table, key: str, cols: dict[str, str], side: int,
               system: str = "cow") -> ir.Table:
    """Left-join a state-year ``table`` (``key``, ``year``, columns) to side ``side`` (1 or 2) of ``expr``,
    adding ``{new name: source column}``; the side's code in ``system`` is the join key."""
    code = panel.code_col(system, side)
    t = table.select(_k=table[key].cast("int32"), _y=table.year.cast("int32"),
                     **{f"_v{i}": table[src] for i, src in enumerate(cols.values())}).view()
    j = expr.left_join(t, [expr[code] == t._k, expr.year == t._y])
    return j.select(*expr.columns, **{new: j[f"_v{i}"] for i, new in enumerate(cols)})


def join_dyad(panel, expr: ir.Table, name: str, aggregate: Callable[[ir.Table], dict]) -> ir.Table:
    """Left-join the COW dyad-year table ``name`` (``ccode1``, ``ccode2``, ``year``; the panel's years only),
    grouped per dyad-year with the aggregates ``aggregate(table)`` (``{name: expression}``), to ``expr`` on
    its COW codes (side 1 = ``ccode1``) and year. Returns the join; the caller selects from it."""
    t = panel.table(name)
    t = t.filter([t.year >= panel.lo, t.year <= panel.hi])
    g = t.group_by(_d1=t.ccode1.cast("int32"), _d2=t.ccode2.cast("int32"), _dy=t.year.cast("int32")).aggregate(
        **aggregate(t)).view()
    a, b = panel.code_col("cow", 1), panel.code_col("cow", 2)
    return expr.left_join(g, [expr[a] == g._d1, expr[b] == g._d2, expr.year == g._dy])


def year_span(con, table: str, column: str = "year", where: str = "", *,
              last: str | None = None) -> tuple[int | None, int | None]:
    """First and last year of ``table`` in the store (None, None when empty or missing): min of ``column``,
    max of ``last`` (default ``column``; e.g. a spell table's start and end columns), in one query."""
    import duckdb

    try:
        lo, hi = con.execute(f"SELECT min({column}), max({last or column}) FROM {table} {where}").fetchall()[0]
    except duckdb.CatalogException:
        return None, None
    return (None if lo is None else int(lo)), (None if hi is None else int(hi))


# ---------------------------------------------------------------------------
# majors, capabilities, IGOs, ATOP, UCDP
# ---------------------------------------------------------------------------

def _add_majors(panel, expr):
    t = panel.table("cow_majors")
    lo, hi = year_span(panel.con, "cow_majors", "year(start_date)", last="year(end_date)")
    end = t.end_date
    if panel.mry and hi is not None and panel.hi > hi:  # majors at the list's end stay majors (as the states do)
        last = panel.con.execute("SELECT max(end_date) FROM cow_majors").fetchall()[0][0]
        end = ibis.ifelse(t.end_date == ibis.literal(last), ibis.date(panel.hi, 12, 31), t.end_date)
        hi = panel.hi
    y = panel.years_table().view()
    sy = t.cross_join(y).filter([t.start_date.year() <= y.year, end.year() >= y.year])
    sy = sy.select(ccode=sy.ccode, year=sy.year, major=ibis.literal(1)).distinct()
    for side in (1, 2):
        expr = join_state(panel, expr, sy, "ccode", {f"_major{side}": "major"}, side)
    cov = covered(expr, lo, hi)
    return expr.mutate(major1=zero_in(cov, expr._major1, "int8"),
                       major2=zero_in(cov, expr._major2, "int8")).drop("_major1", "_major2")


register(Measure(
    "majors", "COW major powers", ("cow_majors",), ("cow-majors",),
    (Column("major1", "int8", "1 if the first state is a COW major power during the year, else 0; NULL outside the list's years"),
     Column("major2", "int8", "the same for the second state")),
    _add_majors))

NMC_VARS = ("milex", "milper", "irst", "pec", "tpop", "upop", "cinc")


def _add_nmc(panel, expr):
    t = panel.table("cow_nmc")
    t = t.filter([t.year >= panel.lo, t.year <= panel.hi])
    for side in (1, 2):
        expr = join_state(panel, expr, t, "ccode", {f"{v}{side}": v for v in NMC_VARS}, side)
    c1, c2 = expr.cinc1, expr.cinc2
    both = c1.notnull() & c2.notnull() & ((c1 + c2) > 0)
    share = ibis.ifelse(both, c1 / (c1 + c2), ibis.null("float64"))
    ratio = ibis.ifelse(both & (ibis.least(c1, c2) > 0), ibis.greatest(c1, c2) / ibis.least(c1, c2),
                        ibis.null("float64"))
    return expr.mutate(cap_share1=share, cap_ratio=ratio)


register(Measure(
    "nmc", "COW National Material Capabilities", ("cow_nmc",), ("cow-nmc",),
    tuple(Column(f"{v}{s}", "float64", d + (" (first state)" if s == 1 else " (second state)")
                 + "; NULL where the data set has no value (-9) or no row for the state-year")
          for s in (1, 2)
          for v, d in (("milex", "military expenditure, thousands of current US dollars"),
                       ("milper", "military personnel, thousands"),
                       ("irst", "iron and steel production, thousands of tons"),
                       ("pec", "primary energy consumption, thousands of coal-ton equivalents"),
                       ("tpop", "total population, thousands"), ("upop", "urban population, thousands"),
                       ("cinc", "CINC: share of the system's capabilities, 0-1")))
    + (Column("cap_share1", "float64", "cinc1 / (cinc1 + cinc2): the first state's share of the dyad's capabilities, 0-1"),
       Column("cap_ratio", "float64", "capability ratio max(cinc1, cinc2) / min(cinc1, cinc2), >= 1 (Bremer 1992); "
                                      "NULL when a CINC is missing or 0")),
    _add_nmc))


def _add_igos(panel, expr):
    t = panel.table("cow_igo_dyads")
    t = t.filter([t.year >= panel.lo, t.year <= panel.hi])
    a, b = panel.code_col("cow", 1), panel.code_col("cow", 2)
    lo_code, hi_code = ibis.least(expr[a], expr[b]), ibis.greatest(expr[a], expr[b])
    r = t.select(_i1=t.ccode1.cast("int32"), _i2=t.ccode2.cast("int32"), _iy=t.year.cast("int32"),
                 _n=t.dyadigos, _m=t.n_igo_missing).view()
    j = expr.left_join(r, [lo_code == r._i1, hi_code == r._i2, expr.year == r._iy])
    lo, hi = year_span(panel.con, "cow_igo_dyads")
    cov = covered(j, lo, hi)
    return j.select(*expr.columns, dyadigos=keep(cov, j._n, "int16"), igo_missing=keep(cov, j._m, "int16"))


register(Measure(
    "igos", "COW IGO joint memberships", ("cow_igo_dyads",), ("cow-igo",),
    (Column("dyadigos", "int16", "number of IGOs in which both states are full members (COW IGO v3); NULL outside "
                                 "the data's years or for a dyad-year the data do not list"),
     Column("igo_missing", "int16", "IGOs coded missing (-9) for the dyad-year (publisher's dyadic file only)")),
    _add_igos))

ATOP_VARS = ("atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul")


def _add_atop(panel, expr):
    j = join_dyad(panel, expr, "atop_alliances", lambda t: {f"_{v}": t[v].max() for v in ATOP_VARS})
    lo, hi = year_span(panel.con, "atop_alliances")
    cov = covered(j, lo, hi)
    return j.select(*expr.columns, **{v: zero_in(cov, j[f"_{v}"], "int8") for v in ATOP_VARS})


register(Measure(
    "atop", "ATOP alliance obligations", ("atop_alliances",), ("atop",),
    tuple(Column(v, "int8", f"1 if the two states share an alliance with a {d} obligation in force, else 0 "
                            "(ATOP v5); NULL outside ATOP's years")
          for v, d in zip(ATOP_VARS, ("defence", "offence", "neutrality", "non-aggression", "consultation"))),
    _add_atop))


def _add_ucdp(panel, expr):
    p = panel.table("ucdp_conflict_parties")
    p = p.filter([p.year >= panel.lo, p.year <= panel.hi])
    x = p.select(cid=p.conflict_id, y=p.year.cast("int32"), g1=p.gwno.cast("int32"), s1=p.side, r1=p.role)
    z = p.select(cid2=p.conflict_id, y2=p.year.cast("int32"), g2=p.gwno.cast("int32"), s2=p.side, r2=p.role).view()
    j = x.join(z, [x.cid == z.cid2, x.y == z.y2, x.g1 != z.g2])
    # one relation per (dyad, conflict-year): a state listed twice in a conflict-year counts once
    per = j.group_by(["g1", "g2", "y", "cid"]).aggregate(
        same=(j.s1 == j.s2).max(), opp=(j.s1 != j.s2).max(),
        war=((j.s1 != j.s2) & (j.r1 == "primary") & (j.r2 == "primary")).max())
    g = per.group_by(["g1", "g2", "y"]).aggregate(
        _same=per.same.cast("int32").sum(), _opp=per.opp.cast("int32").sum(),
        _war=per.war.cast("int32").sum()).view()
    a, b = panel.code_col("gw", 1), panel.code_col("gw", 2)
    jj = expr.left_join(g, [expr[a] == g.g1, expr[b] == g.g2, expr.year == g.y])
    lo, hi = year_span(panel.con, "ucdp_conflicts")
    cov = covered(jj, lo, hi)
    return jj.select(*expr.columns, ucdp_same_side=zero_in(cov, jj._same, "int16"),
                     ucdp_opposite=zero_in(cov, jj._opp, "int16"), ucdp_war=zero_in(cov, jj._war, "int16"))


register(Measure(
    "ucdp", "UCDP/PRIO armed conflicts", ("ucdp_conflicts", "ucdp_conflict_parties"), ("ucdp-acd",),
    (Column("ucdp_same_side", "int16", "UCDP/PRIO conflicts in the year with both states on the same side "
                                       "(primary or secondary party)"),
     Column("ucdp_opposite", "int16", "conflicts with the two states on opposite sides (any role)"),
     Column("ucdp_war", "int16", "conflicts with both states primary parties on opposite sides (they fight each other)")),
    _add_ucdp, keyed_by="gw"))
