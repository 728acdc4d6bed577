"""The dyad series: how a pair of actors' relations moved over time.

Unit in: event rows (``events``) and pre-aggregated directed dyad-year counts
(``dyad_counts``). Unit out: one row per period (and direction).

Columns of :func:`dyad_series`:

``period`` (label: ``2014``, ``2014Q2``, ``2014-03``, ``2014-W05``, ``2014-03-05``),
``period_start`` (date), ``direction`` (``A->B``, ``B->A`` or ``both``),
``events`` (count >= 0), ``verbal_coop``, ``material_coop``,
``verbal_conflict``, ``material_conflict`` (counts of QuadClass 1..4),
``goldstein_sum`` and ``goldstein_mean`` (Goldstein 1992 weights of the
events' CAMEO codes, each in [-10, 10]; NULL where only aggregated counts
are known), ``net_coop`` = (QC1 + QC2 − QC3 − QC4) / events in [-1, 1]
(NULL when there are no events), ``datasets`` (which datasets the row's
numbers come from).

Aggregated counts and event rows: ``dyad_counts`` (e.g. ICEWS dyad-years
2002–2014) and event datasets may describe the same events (ICEWS 2014
name triples are a subset of the ICEWS 2014 counts). To never count an event
twice, for every year a counts dataset covers, the series uses the counts
and leaves out event rows of that year (``prefer="counts"``, the default);
``prefer="events"`` does the opposite: for every year in which the dyad
itself has event rows, the counts of that year are left out. Counts exist per year only, so at a
finer frequency counts-only years are left out and events are used.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dyadwatch import ranges
from dyadwatch.analysis.actors import ActorFilter, resolve_actor
from dyadwatch.analysis.dyads_engine import check_engine_options, engine_parts
from dyadwatch.errors import UsageError

FREQS = ("day", "week", "month", "quarter", "year")
SERIES_COLUMNS = ["period", "period_start", "direction", "events", "verbal_coop", "material_coop",
                  "verbal_conflict", "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop",
                  "datasets"]
_QC_NAMES = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
_LABEL = {
    "day": "strftime(p, '%Y-%m-%d')",
    "week": "strftime(p, '%G-W%V')",
    "month": "strftime(p, '%Y-%m')",
    "quarter": "strftime(p, '%Y') || 'Q' || quarter(p)",
    "year": "strftime(p, '%Y')",
}


def _check(freq: str) -> None:
    if freq not in FREQS:
        raise UsageError(f"unknown frequency {freq!r}; choose one of: {', '.join(FREQS)}")


def _as_date(value, name: str) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 4 and text.isdigit():
            return dt.date(int(text), 1, 1) if name == "from" else dt.date(int(text), 12, 31)
        if len(text) == 7:
            y, m = map(int, text.split("-"))
            if name == "from":
                return dt.date(y, m, 1)
            nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"bad --{name} date {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD") from None


def _dyad_condition(fa: ActorFilter, fb: ActorFilter) -> tuple[str, list, str, list]:
    """SQL for 'A->B or B->A' and for 'A->B' (to label direction)."""
    sa, pa_ = fa.sql("src")
    tb, pb = fb.sql("tgt")
    sb, pb2 = fb.sql("src")
    ta, pa2 = fa.sql("tgt")
    ab = f"({sa} AND {tb})"
    ba = f"({sb} AND {ta})"
    return f"({ab} OR {ba})", pa_ + pb + pb2 + pa2, ab, pa_ + pb


def _direction_branches(fa: ActorFilter, fb: ActorFilter) -> tuple[str, list, str, list]:
    """SQL for 'A->B' and for 'B->A but not A->B': the two branches of a ``UNION ALL`` over the events.

    Plain equality filters per branch let the zone maps of a store sorted by (source, target, date) skip
    other dyads' row groups, which the OR of :func:`_dyad_condition` cannot; an event matching both
    directions (actor codes within one country) falls in the first branch only. Returns
    ``(ab, ab_params, ba_only, ba_only_params)``.
    """
    _, _, ab, p_ab = _dyad_condition(fa, fb)
    sb, p_sb = fb.sql("src")
    ta, p_ta = fa.sql("tgt")
    return ab, p_ab, f"({sb} AND {ta}) AND NOT coalesce({ab}, false)", p_sb + p_ta + p_ab


def _filters(datasets, roots, d0, d1) -> tuple[str, list]:
    cond, params = [], []
    if datasets:
        cond.append(f"dataset IN ({', '.join('?' * len(datasets))})")
        params += list(datasets)
    if roots:
        rs = [_cameo_root(r) for r in roots]
        cond.append(f"cameo_root IN ({', '.join('?' * len(rs))})")
        params += rs
    if d0:
        cond.append("event_date >= ?")
        params.append(d0)
    if d1:
        cond.append("event_date <= ?")
        params.append(d1)
    return (" AND " + " AND ".join(cond)) if cond else "", params


def _cameo_root(value) -> str:
    """``"19"``, ``19`` or ``"4"`` -> the two-digit CAMEO root; UsageError outside 01-20 (CAMEO 1.1b3)."""
    text = str(value).strip()
    if not (text.isdigit() and 1 <= int(text) <= 20):
        raise UsageError(f"unknown CAMEO root {value!r}; choose one of 01 to 20 (e.g. 19 = fight)")
    return text.zfill(2)


def _check_datasets(con, datasets, *, engine: str = "duckdb", parquet=None, master=None) -> None:
    """UsageError naming the stored dataset labels when one of ``datasets`` is not stored
    (in the store's tables, or in the events Parquet ``parquet`` when given)."""
    if not datasets:
        return
    tables = [t for t in ("events", "dyad_counts") if _has_table(con, t)]
    if tables and parquet is None:
        # one EXISTS per asked label stops at its first row; the DISTINCT over every event (68 ms on
        # 10M events) is read only to name the labels in the error
        sql = " AND ".join("(" + " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE dataset = ?)" for t in tables) + ")"
                           for _ in datasets)
        if con.execute(f"SELECT {sql}", [d for d in datasets for _ in tables]).fetchone()[0]:
            return
    held = {r[0] for t in tables for r in con.execute(f"SELECT DISTINCT dataset FROM {t}").fetchall()
            if r[0] is not None}
    if parquet is not None and any(d not in held for d in datasets):
        from dyadwatch.analysis.engine import dataset_labels

        held |= dataset_labels(engine=engine, parquet=parquet, master=master)
    held = sorted(held)
    unknown = [d for d in datasets if d not in held]
    if unknown:
        raise UsageError(f"dataset {unknown[0]!r} is not in the store; it holds: {', '.join(held) or 'none'}",
                         hint="see `dyadwatch status`")


def _has_table(con, name: str) -> bool:
    return bool(con.execute(
        "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]).fetchall())


def dyad_series(con, a: str, b: str, *, freq: str = "year", directed: bool = False,
                date_from=None, date_to=None, datasets=None, roots=None,
                prefer: str = "counts", dedup: bool = False, engine: str = "duckdb",
                master: str | None = None, parquet=None) -> pd.DataFrame:
    """Counts, Goldstein and net cooperation of dyad (a, b) per period.

    Parameters
    ----------
    con : DuckDB connection to a dyadwatch store.
    a, b : actors — ISO3 code or country name (``"IRN"``, ``"Russia"``) or a
        CAMEO actor code (``"RUSMIL"``); see :mod:`dyadwatch.analysis.actors`.
    freq : ``day`` | ``week`` (ISO, Monday start) | ``month`` | ``quarter`` | ``year``.
    directed : one row per direction (``A->B``, ``B->A``) instead of ``both``.
    date_from, date_to : inclusive bounds (date or ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``).
    datasets : only these dataset labels (events and counts).
    roots : only these CAMEO roots (``"19"`` or ``19``); counts have no roots
        and are left out when ``roots`` is given.
    prefer : ``"counts"`` or ``"events"`` for years both cover (module docstring).
    dedup : read the de-duplicated view ``events_dedup`` instead of ``events``
        (with ``engine="spark"`` the view's rows are exported from the store
        for local Spark; not with ``parquet``: the view is DuckDB SQL over
        the store).
    engine : ``"duckdb"`` (default: one SQL query on the store) or
        ``"spark"``: the event rows' part of the series is computed by the
        Ibis expression :func:`dyadwatch.analysis.engine.dyad_sums_expr`
        (the core of ``dyad_series_expr``) on PySpark; the ``dyad_counts``
        years, the counts/events policy, the empty periods and the output
        columns are the same code for both engines.
    master : Spark master URL (``engine="spark"`` only; default
        ``$DYADWATCH_SPARK_MASTER`` or ``local[2]``).
    parquet : read the event rows from this Parquet file/directory of
        canonical events instead of the store's ``events`` (through Ibis, on
        ``engine``); aggregated ``dyad_counts`` still come from ``con``.

    Returns
    -------
    pandas.DataFrame with :data:`SERIES_COLUMNS`, one row per period (and
    direction), periods without events included with zero counts.

    Raises
    ------
    UsageError
        Unknown actor, frequency, CAMEO root, dataset or engine, bad date,
        ``dedup`` without the view or with ``parquet``, ``master`` without
        ``engine="spark"``, a cluster ``master`` without ``parquet``, Spark
        without pyspark.
    InputError
        ``parquet`` is not a readable Parquet file (DuckDB).
    """
    _check(freq)
    if prefer not in ("counts", "events"):
        raise UsageError(f"prefer must be 'counts' or 'events', not {prefer!r}")
    fa, fb = resolve_actor(a), resolve_actor(b)
    d0, d1 = _as_date(date_from, "from"), _as_date(date_to, "to")
    if d0 and d1 and d0 > d1:
        raise UsageError(f"--from {d0} is after --to {d1}")
    on_engine = check_engine_options(engine, master, parquet, dedup)
    table = "events_dedup" if dedup else "events"
    if dedup and not _has_table(con, table):
        raise UsageError("the de-duplicated view events_dedup does not exist in this store",
                         hint="run without --dedup")
    _check_datasets(con, datasets, engine=engine, parquet=parquet, master=master)
    if on_engine:
        agg = engine_parts(con, fa, fb, freq=freq, directed=directed, d0=d0, d1=d1, datasets=datasets,
                           roots=roots, prefer=prefer, table=table, engine=engine, master=master,
                           parquet=parquet)
        return _fill(agg, freq, _directions(fa, fb, directed), d0, d1)
    both, p_both, ab, p_ab = _dyad_condition(fa, fb)
    _, _, ba_only, p_ba_only = _direction_branches(fa, fb)  # the two directions as UNION branches
    fcond, fparams = _filters(datasets, roots, d0, d1)
    use_counts = _uses_counts(fa, fb, roots)
    count_years_sql, count_years_params = _count_years_sql(datasets)

    if use_counts and freq == "year" and prefer == "counts":
        ev_year_cond = f" AND year(event_date) NOT IN ({count_years_sql})"
        ev_year_params = count_years_params
    else:
        ev_year_cond, ev_year_params = "", []
    if use_counts and freq == "year" and prefer == "events":
        # the years in which *this dyad* has event rows (not any dyad's); the two directions as UNION branches
        ev_years = (f"SELECT year(event_date) FROM {table} WHERE event_date IS NOT NULL AND {ab}{fcond} UNION "
                    f"SELECT year(event_date) FROM {table} WHERE event_date IS NOT NULL AND {ba_only}{fcond}")
        cnt_year_cond = f" AND year NOT IN ({ev_years})"
        cnt_year_params = p_ab + fparams + p_ba_only + fparams
    else:
        cnt_year_cond, cnt_year_params = "", []

    live = f"event_date IS NOT NULL{fcond}{ev_year_cond}"
    if table == "events":
        # the two directions as two UNION ALL branches (:func:`_direction_branches`; IRN-RUS month series on
        # 10M events: see bench/RESULTS.md); an event matching both directions is counted once, as A->B
        one, other = ("'both'", "'both'") if not directed else ("'A->B'", "'B->A'")
        rows = f"""SELECT event_date, quad_class, goldstein, dataset, {one} AS direction FROM events
                   WHERE {ab} AND {live}
                   UNION ALL
                   SELECT event_date, quad_class, goldstein, dataset, {other} AS direction FROM events
                   WHERE {ba_only} AND {live}"""
        rows_params = p_ab + fparams + ev_year_params + p_ba_only + fparams + ev_year_params
        dir_col = "direction"
    else:
        rows = f"SELECT * FROM {table} WHERE {both} AND {live}"
        rows_params = p_both + fparams + ev_year_params
        dir_col = "'both'" if not directed else f"CASE WHEN {ab} THEN 'A->B' ELSE 'B->A' END"
    dir_params = [] if not directed or table == "events" else p_ab
    parts = [f"""
        SELECT date_trunc('{freq}', event_date)::DATE AS p, {dir_col} AS direction,
               count(*) AS events,
               count(*) FILTER (WHERE quad_class = 1) AS qc1,
               count(*) FILTER (WHERE quad_class = 2) AS qc2,
               count(*) FILTER (WHERE quad_class = 3) AS qc3,
               count(*) FILTER (WHERE quad_class = 4) AS qc4,
               sum(goldstein) AS gsum, count(goldstein) AS gn,
               string_agg(DISTINCT dataset, ',' ORDER BY dataset) AS ds
        FROM ({rows})
        GROUP BY ALL"""]
    params: list = dir_params + rows_params
    if use_counts and freq == "year":
        csql, cparams = _counts_part(fa, fb, directed, datasets, d0, d1, cnt_year_cond)
        parts.append(csql)
        params += cparams + cnt_year_params
    agg = con.execute(" UNION ALL ".join(parts), params).df()
    return _fill(agg, freq, _directions(fa, fb, directed), d0, d1)


def counts_span(con, a: str, b: str) -> tuple[int, int, str] | None:
    """``(first year, last year, data set labels joined by ", ")`` of the dyad-year counts (``dyad_counts``,
    plausible rows only) the store holds for the pair, either direction; None when there are none, when the
    store has no such table, or when ``a`` or ``b`` is not a country (counts are per country pair). These
    are the years whose yearly figures :func:`dyad_series` takes from the counts.

    Raises :class:`UsageError` for an unknown actor.
    """
    fa, fb = resolve_actor(a), resolve_actor(b)
    if not (_uses_counts(fa, fb, None) and _has_table(con, "dyad_counts")):
        return None
    n, lo, hi, names = con.execute(
        "SELECT count(*), min(year), max(year), string_agg(DISTINCT dataset, ', ' ORDER BY dataset) "
        "FROM dyad_counts WHERE ((src_country = ? AND tgt_country = ?) OR "
        f"(src_country = ? AND tgt_country = ?)) AND {_PLAUSIBLE_COUNTS}", [fa.value, fb.value, fb.value, fa.value]
    ).fetchone()
    return (int(lo), int(hi), names) if n else None


def _uses_counts(fa: ActorFilter, fb: ActorFilter, roots) -> bool:
    """Whether ``dyad_counts`` take part: both actors are countries and no CAMEO roots are asked for."""
    return roots is None and fa.column == "country" and fb.column == "country"


#: dyad_counts rows in the plausible ranges only (dyadwatch.ranges): a store filled before ingest checked
#: them may hold a count of 9.2e18 or a year 99999; they are left out, so sums cannot overflow
_PLAUSIBLE_COUNTS = ranges.plausible_dyad_counts_sql()


def _count_years_sql(datasets) -> tuple[str, list]:
    """SQL (and parameters) of the years that the (selected) ``dyad_counts`` datasets cover."""
    sql = f"SELECT DISTINCT year FROM dyad_counts WHERE {_PLAUSIBLE_COUNTS}" + (
        f" AND dataset IN ({', '.join('?' * len(datasets))})" if datasets else "")
    return sql, list(datasets or [])


def _directions(fa: ActorFilter, fb: ActorFilter, directed: bool) -> list[str]:
    if not directed:
        return ["both"]
    return ["A->B"] if fa == fb else ["A->B", "B->A"]


def _counts_part(fa: ActorFilter, fb: ActorFilter, directed: bool, datasets, d0, d1,
                 cnt_year_cond: str) -> tuple[str, list]:
    """SQL (and its parameters, without those of ``cnt_year_cond``) of the dyad's
    ``dyad_counts`` rows per year, in the column layout of the events part."""
    cdir = "'both'" if not directed else "CASE WHEN src_country = ? THEN 'A->B' ELSE 'B->A' END"
    cparams = [] if not directed else [fa.value]
    ccond = ["((src_country = ? AND tgt_country = ?) OR (src_country = ? AND tgt_country = ?))",
             _PLAUSIBLE_COUNTS]
    cparams += [fa.value, fb.value, fb.value, fa.value]
    if datasets:
        ccond.append(f"dataset IN ({', '.join('?' * len(datasets))})")
        cparams += list(datasets)
    if d0:
        ccond.append("year >= ?")
        cparams.append(d0.year)
    if d1:
        ccond.append("year <= ?")
        cparams.append(d1.year)
    sql = f"""
        SELECT make_date(year, 1, 1) AS p, {cdir} AS direction,
               sum(verbal_coop + material_coop + verbal_conflict + material_conflict) AS events,
               sum(verbal_coop) AS qc1, sum(material_coop) AS qc2,
               sum(verbal_conflict) AS qc3, sum(material_conflict) AS qc4,
               NULL::DOUBLE AS gsum, 0 AS gn,
               string_agg(DISTINCT dataset, ',' ORDER BY dataset) AS ds
        FROM dyad_counts WHERE {' AND '.join(ccond)}{cnt_year_cond}
        GROUP BY ALL"""
    return sql, cparams


def _period_start(freq: str, d: dt.date) -> dt.date:
    """DuckDB's ``date_trunc(freq, d)``: the first day of ``d``'s period (ISO weeks start on Monday)."""
    if freq == "day":
        return d
    if freq == "week":
        return d - dt.timedelta(days=d.weekday())
    if freq == "month":
        return d.replace(day=1)
    if freq == "quarter":
        return dt.date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    return dt.date(d.year, 1, 1)


def _period_range(freq: str, start: dt.date, end: dt.date) -> list[dt.date]:
    """The first days of every period from ``start``'s to ``end``'s (as DuckDB's ``generate_series`` of
    ``date_trunc`` by ``INTERVAL 1 freq``). Pure Python: the module-level DuckDB connection it used
    before is shared by all threads and refuses a second caller (a web server computing two series at
    once failed with "connection is busy")."""
    cur, last = _period_start(freq, start), _period_start(freq, end)
    out = []
    while cur <= last:
        out.append(cur)
        if freq in ("day", "week"):
            cur += dt.timedelta(days=1 if freq == "day" else 7)
        else:
            m = cur.year * 12 + cur.month - 1 + {"month": 1, "quarter": 3, "year": 12}[freq]
            cur = dt.date(m // 12, m % 12 + 1, 1)
    return out


def _label(freq: str, d: dt.date) -> str:
    if freq == "year":
        return f"{d.year:04d}"
    if freq == "quarter":
        return f"{d.year:04d}Q{(d.month - 1) // 3 + 1}"
    if freq == "month":
        return f"{d.year:04d}-{d.month:02d}"
    if freq == "week":
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    return d.isoformat()


def _fill(agg: pd.DataFrame, freq: str, directions: list[str], d0, d1) -> pd.DataFrame:
    """Sum the parts, fill empty periods with zeros, derive means and net_coop."""
    if len(agg):
        agg["p"] = pd.to_datetime(agg["p"]).dt.date
        if not agg.duplicated(["p", "direction"]).any():  # one part per period: nothing to sum
            g = agg.assign(ds=agg["ds"].fillna(""))  # (pandas' groupby with lambdas costs ~10 ms a call)
        else:
            g = agg.groupby(["p", "direction"], as_index=False).agg(
                events=("events", "sum"), qc1=("qc1", "sum"), qc2=("qc2", "sum"), qc3=("qc3", "sum"),
                qc4=("qc4", "sum"), gsum=("gsum", lambda s: s.sum(min_count=1)), gn=("gn", "sum"),
                ds=("ds", lambda s: ",".join(sorted({x for v in s.dropna() for x in v.split(",")}))))
        start = d0 or min(g["p"])
        end = d1 or max(g["p"])
    else:
        g = None
        if not (d0 and d1):
            return pd.DataFrame(columns=SERIES_COLUMNS)
        start, end = d0, d1
    lookup = {} if g is None else {(r.p, r.direction): r for r in g.itertuples(index=False)}
    rows = []
    for p in _period_range(freq, start, end):
        for direction in directions:
            r = lookup.get((p, direction))
            n = int(r.events) if r is not None else 0
            qc = [int(getattr(r, f"qc{i}")) if r is not None else 0 for i in range(1, 5)]
            gsum = None if r is None or pd.isna(r.gsum) else float(r.gsum)
            gn = int(r.gn) if r is not None else 0
            rows.append({
                "period": _label(freq, p), "period_start": p, "direction": direction, "events": n,
                **dict(zip(_QC_NAMES, qc)),
                "goldstein_sum": 0.0 if n == 0 else gsum,
                "goldstein_mean": (gsum / gn) if (gsum is not None and gn) else None,
                "net_coop": ((qc[0] + qc[1] - qc[2] - qc[3]) / n) if n else None,
                "datasets": "" if r is None else r.ds,
            })
    return pd.DataFrame(rows, columns=SERIES_COLUMNS)


TOP_EVENT_COLUMNS = ["period", "event_id", "dataset", "event_date", "direction", "src_name", "src_code",
                     "src_country", "tgt_name", "tgt_code", "tgt_country", "cameo_code", "quad_class",
                     "goldstein", "plover_type", "mentions", "loc_name", "source_url", "doc_id", "sentence"]


def top_events(con, a: str, b: str, *, freq: str = "year", n: int = 5, date_from=None, date_to=None,
               datasets=None, roots=None, dedup: bool = False) -> pd.DataFrame:
    """The ``n`` most intense events of each period: the evidence behind the series.

    Ranked by |Goldstein| (descending), then mentions (descending), then
    event_id for a stable order.

    Returns
    -------
    pandas.DataFrame with :data:`TOP_EVENT_COLUMNS` (``direction`` is
    ``A->B`` or ``B->A``; ``sentence``/``source_url`` are the evidence).
    """
    _check(freq)
    if n < 1:
        raise UsageError("n must be >= 1")
    fa, fb = resolve_actor(a), resolve_actor(b)
    d0, d1 = _as_date(date_from, "from"), _as_date(date_to, "to")
    table = "events_dedup" if dedup else "events"
    ab, p_ab, ba_only, p_ba_only = _direction_branches(fa, fb)  # UNION ALL, not an OR: see there
    fcond, fparams = _filters(datasets, roots, d0, d1)
    cols = ", ".join(c for c in TOP_EVENT_COLUMNS if c not in ("period", "direction"))
    sql = f"""
        SELECT * FROM (
          SELECT date_trunc('{freq}', event_date)::DATE AS p, direction, {cols},
                 row_number() OVER (PARTITION BY date_trunc('{freq}', event_date)
                   ORDER BY abs(goldstein) DESC NULLS LAST, mentions DESC NULLS LAST, event_id) AS rk
          FROM (SELECT 'A->B' AS direction, {cols} FROM {table} WHERE event_date IS NOT NULL AND {ab}{fcond}
                UNION ALL
                SELECT 'B->A' AS direction, {cols} FROM {table} WHERE event_date IS NOT NULL AND {ba_only}{fcond})
        ) WHERE rk <= ? ORDER BY p, rk"""
    df = con.execute(sql, p_ab + fparams + p_ba_only + fparams + [n]).df()
    if df.empty:
        return pd.DataFrame(columns=TOP_EVENT_COLUMNS)
    df["period"] = [_label(freq, pd.Timestamp(p).date()) for p in df["p"]]
    df["event_date"] = pd.to_datetime(df["event_date"]).dt.date
    return df[TOP_EVENT_COLUMNS].reset_index(drop=True)
