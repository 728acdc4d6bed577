"""The dyad series on an Ibis engine: ``dyad_series(..., engine="spark" | parquet=...)``.

:mod:`dyadwatch.analysis.dyads` computes the series with one DuckDB SQL
query on the store (the default). With ``engine="spark"`` (or events from a
Parquet file) the event rows' part is computed instead by the Ibis
expression :func:`dyadwatch.analysis.engine.dyad_sums_expr` on that engine;
this module validates those options and joins that part with the
``dyad_counts`` part under the same counts/events policy, so ``dyads._fill``
(empty periods, means, net cooperation, output columns) is shared.
Nothing here imports Ibis until the engine path is taken.
"""

from __future__ import annotations

import pandas as pd

from dyadwatch.analysis.actors import ActorFilter
from dyadwatch.errors import UsageError


def check_engine_options(engine: str, master, parquet, dedup: bool) -> bool:
    """Validate the engine options of :func:`~dyadwatch.analysis.dyads.dyad_series`.

    Returns True when the event rows go through Ibis (``engine="spark"`` or
    ``parquet`` given), False for the default DuckDB SQL on the store.

    Raises
    ------
    UsageError
        Unknown engine; ``master`` without Spark; ``dedup`` with ``parquet``;
        a cluster master (not ``local...``) without ``parquet``.
    """
    if engine != "duckdb":
        from dyadwatch.analysis.engine_backends import check_engine  # imports Ibis: only off the default path

        check_engine(engine)
    if master is not None and engine != "spark":
        raise UsageError("--master is a Spark master URL; it needs --engine spark")
    if dedup and parquet is not None:
        raise UsageError("--dedup reads the store's events_dedup view (DuckDB SQL over the stored events), "
                         "so it cannot be combined with --events", hint="drop --events or --dedup")
    if engine == "spark" and parquet is None:
        from dyadwatch.analysis.engine_backends import spark_master

        url = spark_master(master)
        if not url.startswith("local"):  # the store's events would be exported to this machine's /tmp
            raise UsageError(f"Spark master {url} is a cluster: its workers cannot read the store's events",
                             hint="give --events PATH, a Parquet of the events on storage every worker reads")
    return engine != "duckdb" or parquet is not None


def engine_parts(con, fa: ActorFilter, fb: ActorFilter, *, freq, directed, d0, d1, datasets, roots, prefer,
                 table, engine, master, parquet) -> pd.DataFrame:
    """The parts of the dyad series with the event rows aggregated by
    :func:`dyadwatch.analysis.engine.dyad_sums_expr` on ``engine``.

    The ``dyad_counts`` part (``dyads._counts_part``, the same SQL as the
    default path) and the counts/events policy of
    :func:`~dyadwatch.analysis.dyads.dyad_series` apply unchanged: with
    ``prefer="counts"`` event rows of every year a (selected) counts dataset
    covers are dropped (at yearly frequency a period is a year, so dropping
    the period's row drops exactly those events); with ``prefer="events"``
    the counts of the years in which the dyad has event rows are dropped.

    Returns
    -------
    pandas.DataFrame with columns ``p`` (date), ``direction``, ``events``,
    ``qc1``..``qc4``, ``gsum``, ``gn``, ``ds`` — the input of ``dyads._fill``.
    """
    from dyadwatch.analysis.dyads import _count_years_sql, _counts_part, _uses_counts
    from dyadwatch.analysis.engine import dyad_sums

    ev = dyad_sums(fa, fb, engine=engine, con=con, parquet=parquet, master=master, table=table, freq=freq,
                   directed=directed, date_from=d0, date_to=d1, datasets=datasets, roots=roots)
    ev = ev.rename(columns={"period_start": "p", "verbal_coop": "qc1", "material_coop": "qc2",
                            "verbal_conflict": "qc3", "material_conflict": "qc4", "goldstein_sum": "gsum",
                            "goldstein_n": "gn", "datasets": "ds"})
    ev["p"] = pd.to_datetime(ev["p"]).dt.date
    ev["ds"] = [v if isinstance(v, str) and v else None for v in ev["ds"]]
    if not (_uses_counts(fa, fb, roots) and freq == "year"):
        return ev
    if prefer == "counts":  # leave out event rows of every year a (selected) counts dataset covers
        years = {r[0] for r in con.execute(*_count_years_sql(datasets)).fetchall()}
        ev = ev.loc[[p.year not in years for p in ev["p"]]]
        cnt_cond, cnt_params = "", []
    else:  # leave out counts of the years in which this dyad has event rows
        ev_years = sorted({p.year for p in ev["p"]})
        cnt_cond = f" AND year NOT IN ({', '.join('?' * len(ev_years))})" if ev_years else ""
        cnt_params = ev_years
    csql, cparams = _counts_part(fa, fb, directed, datasets, d0, d1, cnt_cond)
    cnt = con.execute(csql, cparams + cnt_params).df()
    parts = [df for df in (ev, cnt) if len(df)]
    return pd.concat(parts, ignore_index=True) if parts else ev
