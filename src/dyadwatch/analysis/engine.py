"""One analysis definition, two engines: Ibis expressions run on DuckDB or Spark.

The dyad series, the all-dyad QuadClass counts and the UN-vote kappa are
written **once** here as Ibis expressions over canonical tables
(``store/schema.py`` ``events``; ``store/tables_alignment.py`` ``un_votes``
and ``un_roll_calls``). :func:`connect` gives the backend they run on:

* ``"duckdb"`` (default) — the store's own DuckDB connection;
* ``"spark"`` — a PySpark session, local mode (``local[2]``) or a cluster
  URL given as ``master`` (``spark://host:7077``, ``yarn``); the tables are
  read from Parquet files (``COPY events TO 'events.parquet'`` exports them
  from a store) with :func:`register_parquet`.

The backends themselves (:func:`connect`, :func:`register_parquet`,
:func:`events_table`, :func:`execute`) are in
:mod:`dyadwatch.analysis.engine_backends` and re-exported here.

Needs the ``spark`` extra (``pip install 'dyadwatch[spark]'``: pyspark and
``ibis-framework[pyspark]``) and a Java 17+ runtime for Spark.

Units
-----
* :func:`dyad_series_expr`: events -> one row per period (and direction) of
  one dyad, periods with events only (``analysis.dyads.dyad_series`` adds the
  empty periods and the ``dyad_counts`` years); :func:`dyad_sums_expr` is its
  additive core (counts, Goldstein sum and count, datasets), what
  ``dyad_series(..., engine="spark")`` runs.
* :func:`quad_class_counts_expr`: events -> one row per directed country
  dyad and period.
* :func:`kappa_expr`: UN votes -> one row per directed dyad-year.

Example
-------
>>> from dyadwatch.analysis import engine                      # doctest: +SKIP
>>> be = engine.connect("duckdb", con=dw.con)
>>> engine.execute(engine.quad_class_counts_expr(be.table("events"), freq="month"))
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

# the backends live in engine_backends; re-exported so callers keep using engine.connect(...) etc.
from dyadwatch.analysis.engine_backends import (  # noqa: F401
    ENGINES,
    check_engine,
    connect,
    events_table,
    execute,
    register_parquet,
)
from dyadwatch.errors import UsageError

FREQS = ("day", "week", "month", "quarter", "year")
_UNIT = {"day": "D", "week": "W", "month": "M", "quarter": "Q", "year": "Y"}

DYAD_SERIES_COLUMNS = ["period_start", "direction", "events", "verbal_coop", "material_coop",
                       "verbal_conflict", "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop",
                       "datasets"]
DYAD_SUMS_COLUMNS = ["period_start", "direction", "events", "verbal_coop", "material_coop",
                     "verbal_conflict", "material_conflict", "goldstein_sum", "goldstein_n", "datasets"]
QUAD_COUNT_COLUMNS = ["src_country", "tgt_country", "period_start", "events", "verbal_coop",
                      "material_coop", "verbal_conflict", "material_conflict"]
KAPPA_COLUMNS = ["a", "b", "year", "n", "kappa"]


# ---------------------------------------------------------------------------
# runners
# ---------------------------------------------------------------------------

def quad_class_counts(*, engine: str = "duckdb", con=None, parquet=None, master: str | None = None,
                      freq: str = "month") -> pd.DataFrame:
    """Run :func:`quad_class_counts_expr` on ``engine`` and return the rows.

    Parameters as :func:`connect` and :func:`events_table` (Spark without
    ``parquet`` reads a temporary export of the store, removed afterwards).

    Returns
    -------
    pandas.DataFrame with :data:`QUAD_COUNT_COLUMNS` sorted by dyad and period.
    """
    import tempfile

    backend = connect(engine, con=con if engine == "duckdb" else None, master=master)
    with tempfile.TemporaryDirectory(prefix="dyadwatch-spark-") as tmp:  # Spark's export of the store, removed after
        events = events_table(backend, parquet=parquet, con=con, export_dir=tmp)
        return execute(quad_class_counts_expr(events, freq=freq),
                       order_by=["src_country", "tgt_country", "period_start"])


def dyad_sums(a, b, *, engine: str = "spark", con=None, parquet=None, master: str | None = None,
              table: str = "events", **expr_kwargs) -> pd.DataFrame:
    """Run :func:`dyad_sums_expr` on ``engine`` and return the rows.

    Events come from ``parquet`` when given, else from the store ``con``'s
    ``table`` (``events`` or the view ``events_dedup``; for Spark exported
    to a temporary Parquet file that is removed afterwards). DuckDB with
    ``parquet`` reads it in a fresh in-memory database. ``expr_kwargs`` are
    those of :func:`dyad_sums_expr` (``freq``, ``directed``, ``date_from``,
    ``date_to``, ``datasets``, ``roots``).

    Returns
    -------
    pandas.DataFrame with :data:`DYAD_SUMS_COLUMNS` sorted by period and direction.

    Raises
    ------
    UsageError, InputError
        As :func:`connect` and :func:`events_table`.
    """
    import tempfile

    on_store = engine == "duckdb" and parquet is None
    backend = connect(engine, con=con if on_store else None, master=master)  # validates the engine name
    with tempfile.TemporaryDirectory(prefix="dyadwatch-spark-") as tmp:
        events = events_table(backend, parquet=parquet, con=con, table=table, name="dyadwatch_dyad_events",
                              export_dir=tmp)
        return execute(dyad_sums_expr(events, a, b, **expr_kwargs), order_by=["period_start", "direction"])


def dataset_labels(*, engine: str = "spark", parquet=None, master: str | None = None) -> set[str]:
    """The distinct non-NULL ``dataset`` labels of the events Parquet ``parquet``, read on ``engine``."""
    backend = connect(engine, master=master)  # connect() validates the engine name
    events = register_parquet(backend, "dyadwatch_dyad_events", parquet)
    labels = events.select("dataset").distinct().execute()["dataset"]
    return {x for x in labels if isinstance(x, str)}


# ---------------------------------------------------------------------------
# expressions (written once)
# ---------------------------------------------------------------------------

def _check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise UsageError(f"unknown frequency {freq!r}; choose one of: {', '.join(FREQS)}")
    return _UNIT[freq]


def _actor_cond(t: ir.Table, actor, side: str):
    """Ibis condition of an :class:`~dyadwatch.analysis.actors.ActorFilter`
    (country equality, or CAMEO code prefix) on side ``src``/``tgt``."""
    if actor.column == "country":
        return t[f"{side}_country"] == actor.value
    return t[f"{side}_code"].startswith(actor.value)


def _qc_aggs(t: ir.Table) -> dict[str, Any]:
    return {
        "events": t.count(),
        "verbal_coop": t.count(where=t.quad_class == 1),
        "material_coop": t.count(where=t.quad_class == 2),
        "verbal_conflict": t.count(where=t.quad_class == 3),
        "material_conflict": t.count(where=t.quad_class == 4),
    }


def dyad_sums_expr(events: ir.Table, a, b, *, freq: str = "year", directed: bool = False,
                   date_from=None, date_to=None, datasets=None, roots=None) -> ir.Table:
    """The additive part of the dyad series: per-period counts and Goldstein sums of one dyad.

    Parameters as :func:`dyad_series_expr`.

    Returns
    -------
    Ibis table with :data:`DYAD_SUMS_COLUMNS`: ``events`` and the four
    QuadClass counts (>= 0), ``goldstein_sum`` (NULL when no event of the
    period has a Goldstein weight), ``goldstein_n`` (events with a weight,
    >= 0) and ``datasets`` (the period's distinct dataset labels, sorted,
    joined by ``","`` — ``"gdelt1,icews"`` — as
    :func:`dyadwatch.analysis.dyads.dyad_series` writes them; NULL when
    every label is NULL). These are the numbers that can be summed across
    sources (``analysis.dyads`` adds the ``dyad_counts`` years to them).
    Periods without events have no row.
    """
    from dyadwatch.analysis.actors import resolve_actor

    unit = _check_freq(freq)
    fa = resolve_actor(a) if isinstance(a, str) else a
    fb = resolve_actor(b) if isinstance(b, str) else b
    t = events
    ab = _actor_cond(t, fa, "src") & _actor_cond(t, fb, "tgt")
    ba = _actor_cond(t, fb, "src") & _actor_cond(t, fa, "tgt")
    cond = [t.event_date.notnull(), ab | ba]
    if datasets:
        cond.append(t.dataset.isin(list(datasets)))
    if roots:
        cond.append(t.cameo_root.isin([str(r).zfill(2) for r in roots]))
    if date_from is not None:
        cond.append(t.event_date >= date_from)
    if date_to is not None:
        cond.append(t.event_date <= date_to)
    t = t.filter(cond)
    direction = ibis.ifelse(ab, "A->B", "B->A") if directed else ibis.literal("both")
    t = t.mutate(period_start=t.event_date.truncate(unit).cast("date"), direction=direction)
    # DuckDB: list_sort(array_agg(DISTINCT ...)); Spark: array_sort(collect_set(...)) — both byte order
    g = t.group_by(["period_start", "direction"]).aggregate(
        **_qc_aggs(t), goldstein_sum=t.goldstein.sum(), goldstein_n=t.goldstein.count(),
        datasets=t.dataset.collect(distinct=True).sort().join(","))
    return g.select(DYAD_SUMS_COLUMNS)


def dyad_series_expr(events: ir.Table, a, b, *, freq: str = "year", directed: bool = False,
                     date_from=None, date_to=None, datasets=None, roots=None) -> ir.Table:
    """Per-period counts, Goldstein and net cooperation of one dyad.

    Parameters
    ----------
    events : Ibis table with the canonical event columns.
    a, b : :class:`~dyadwatch.analysis.actors.ActorFilter` (from
        ``analysis.actors.resolve_actor``) or a string resolved with it.
    freq : ``day`` | ``week`` (ISO, Monday) | ``month`` | ``quarter`` | ``year``.
    directed : label rows ``A->B`` / ``B->A`` instead of ``both``.
    date_from, date_to : inclusive ``datetime.date`` bounds.
    datasets, roots : keep only these dataset labels / two-digit CAMEO roots.

    Returns
    -------
    Ibis table with :data:`DYAD_SERIES_COLUMNS`: ``events`` and the four
    QuadClass counts (>= 0), ``goldstein_sum`` and ``goldstein_mean``
    (Goldstein 1992 weights, mean in [-10, 10]), ``net_coop`` =
    (QC1 + QC2 − QC3 − QC4) / events in [-1, 1], ``datasets`` (sorted
    distinct labels joined by ``","``) — the definitions of
    :func:`dyadwatch.analysis.dyads.dyad_series`. Periods without events
    have no row.
    """
    g = dyad_sums_expr(events, a, b, freq=freq, directed=directed, date_from=date_from, date_to=date_to,
                       datasets=datasets, roots=roots)
    g = g.mutate(
        goldstein_mean=ibis.ifelse(g.goldstein_n > 0, g.goldstein_sum / g.goldstein_n, ibis.null("float64")),
        net_coop=(g.verbal_coop + g.material_coop - g.verbal_conflict - g.material_conflict).cast("float64")
        / g.events)
    return g.select(DYAD_SERIES_COLUMNS)


def quad_class_counts_expr(events: ir.Table, *, freq: str = "month") -> ir.Table:
    """QuadClass counts of every directed country dyad per period.

    Events whose source or target country is unknown are left out.

    Returns
    -------
    Ibis table with :data:`QUAD_COUNT_COLUMNS`, one row per (src_country,
    tgt_country, period_start) that has events; counts >= 0 and
    ``events = verbal_coop + material_coop + verbal_conflict +
    material_conflict`` for events with a QuadClass.
    """
    unit = _check_freq(freq)
    t = events.filter([events.src_country.notnull(), events.tgt_country.notnull(),
                       events.event_date.notnull()])
    t = t.mutate(period_start=t.event_date.truncate(unit).cast("date"))
    return t.group_by(["src_country", "tgt_country", "period_start"]).aggregate(**_qc_aggs(t))


def kappa_expr(votes: ir.Table, roll_calls: ir.Table, *, years: tuple[int, int] | None = None,
               countries: list[str] | None = None) -> ir.Table:
    """Cohen's kappa of UN General Assembly votes for every directed dyad-year.

    The measure of :mod:`dyadwatch.analysis.unvotes_measures` (its ``kappa``),
    written here once for both engines: for states A and B and a calendar
    year, over the n roll calls both voted on (``vote_code`` 1 yes, 2
    abstain, 3 no; absences are not votes), with linear (absolute-distance)
    weights and chance agreement from each state's own vote distribution::

        D_obs = sum |vA - vB| / n
        D_exp = sum_ij pA(i) pB(j) |i - j|
        kappa = 1 - D_obs / D_exp            (NULL when D_exp = 0)

    kappa <= 1 (1 = identical votes, 0 = chance level). Cohen (1968),
    "Weighted kappa", Psychological Bulletin 70(4); Häge (2011), "Choice or
    Circumstance? Adjusting Measures of Foreign Policy Similarity for
    Chance Agreement", Political Analysis 19(3): 287-305.

    Parameters
    ----------
    votes : table ``un_votes`` (rcid, iso3, vote_code).
    roll_calls : table ``un_roll_calls`` (rcid, date, year).
    years : inclusive (first, last) year bounds.
    countries : keep only these ISO3 codes (both sides).

    Returns
    -------
    Ibis table with :data:`KAPPA_COLUMNS`: ``a``, ``b`` (ISO3), ``year``,
    ``n`` (roll calls both voted on, >= 1), ``kappa``. Each unordered pair is
    computed once and mirrored (kappa is symmetric).
    """
    v = votes.filter([votes.iso3.notnull(), votes.vote_code.notnull()])
    if countries:
        v = v.filter(v.iso3.isin(list(countries)))
    rc = roll_calls.filter(roll_calls.date.notnull())
    if years:
        rc = rc.filter([rc.year >= years[0], rc.year <= years[1]])
    rc = rc.select("rcid", "year")
    v = v.join(rc, "rcid").select("rcid", "year", "iso3", "vote_code")
    x = v.select(rcid="rcid", year="year", a="iso3", va=v.vote_code.cast("int64"))
    y = v.select(rcid_y="rcid", b="iso3", vb=v.vote_code.cast("int64"))
    j = x.join(y, [x.rcid == y.rcid_y, x.a < y.b])
    aggs = {"n": j.count(), "d": (j.va - j.vb).abs().sum()}
    for k in (1, 2, 3):
        aggs[f"a{k}"] = j.count(where=j.va == k)
        aggs[f"b{k}"] = j.count(where=j.vb == k)
    g = j.group_by(["a", "b", "year"]).aggregate(**aggs)
    n = g.n.cast("float64")
    d_exp = ((g.a1 * g.b2 + g.a2 * g.b1 + g.a2 * g.b3 + g.a3 * g.b2).cast("float64")
             + 2.0 * (g.a1 * g.b3 + g.a3 * g.b1).cast("float64")) / (n * n)
    kappa = ibis.ifelse(d_exp > 0, 1.0 - (g.d.cast("float64") / n) / d_exp, ibis.null("float64"))
    one = g.mutate(kappa=kappa).select(KAPPA_COLUMNS)
    mirror = one.select(a=one.b, b=one.a, year=one.year, n=one.n, kappa=one.kappa)
    return one.union(mirror, distinct=False)
