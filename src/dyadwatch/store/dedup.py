"""De-duplication: count one real-world event once across articles and datasets.

The view ``events_dedup`` has the columns of ``events`` (``batch_id``
included) plus ``n_merged`` (INTEGER >= 1, how many event rows the row
stands for) and ``merged_ids`` (VARCHAR[], their ``event_id`` values,
sorted). The dyad series reads it instead of ``events`` when de-duplicated
counts are asked for (``dyadwatch dyad A B --dedup``).

The rule (a two-day version of the "one-a-day" duplicate filter used with
the KEDS/TABARI coders, at the level of country dyads and CAMEO roots):

1. **Candidates** are events with ``src_country``, ``tgt_country``,
   ``cameo_root`` and ``event_date`` all known. Every other event passes
   through unchanged (``n_merged = 1``).
2. **One story**: the events one story reports (same ``doc_id``, else the
   same ``source_url``; an event with neither is its own story) for the same
   directed country dyad and CAMEO root are one *report*, dated by its
   earliest ``event_date``.
3. **Two-day window across stories and datasets**: reports of the same
   directed dyad (``src_country`` -> ``tgt_country``) and CAMEO root are
   merged when they fall in the same window of ``window_days + 1``
   consecutive days. Windows are laid greedily from the first day of each
   run of consecutive report days: with the default ``window_days = 1``,
   days d, d+1 form a window, d+2, d+3 the next, and a day two or more days
   after the last one starts a new run. The window absorbs the one-day
   differences between datasets that date an event by the day it happened
   and those that date it by the report (GDELT ``SQLDATE`` vs. ICEWS
   ``Event Date``). ``window_days = 0`` merges the same day only.
4. **Representative**: every column of a merged row is that of its member
   with the most ``mentions`` (NULL last), then the earliest date, then the
   smallest ``event_id``.

Known limit: two distinct events of the same dyad and root on the same or
the next day (two separate air strikes) are counted once; that is the
price of the filter, as in the original one-a-day filter. Direction is
kept: A->B and B->A events are never merged.

``events_dedup_members`` lists every candidate event with its group
(``group_id``), report (``story``) and rank; :func:`merge_report` turns it
into "which records were merged and why".

Reference: Schrodt, Philip A. and Deborah J. Gerner. 2000 (rev. 2012).
Analyzing International Event Data: A Handbook of Computer-Based
Techniques, on duplicate stories and the "one-a-day" filter.
"""

from __future__ import annotations

import pandas as pd

from dyadwatch.errors import UsageError
from dyadwatch.store.schema import EVENT_COLUMNS

VIEW = "events_dedup"
MEMBERS_VIEW = "events_dedup_members"
DEFAULT_WINDOW_DAYS = 1
_KEY = "src_country, tgt_country, cameo_root"


def _sql(window_days: int) -> tuple[str, str]:
    span = window_days + 1
    cols = ", ".join(c for c, _ in EVENT_COLUMNS) + ", batch_id"
    cand = ("src_country IS NOT NULL AND tgt_country IS NOT NULL AND cameo_root IS NOT NULL "
            "AND event_date IS NOT NULL")
    members = f"""
CREATE OR REPLACE VIEW {MEMBERS_VIEW} AS
WITH cand AS (
    SELECT *, COALESCE(doc_id, source_url, 'event:' || event_id) AS story FROM events WHERE {cand}
), reports AS (
    SELECT *, min(event_date) OVER (PARTITION BY story, {_KEY}) AS report_date FROM cand
), days AS (
    SELECT DISTINCT {_KEY}, report_date AS d FROM reports
), runs AS (
    SELECT *, d - CAST(row_number() OVER (PARTITION BY {_KEY} ORDER BY d) AS INTEGER) AS run FROM days
), windows AS (
    SELECT {_KEY}, d,
           min(d) OVER (PARTITION BY {_KEY}, run) AS run_start,
           (row_number() OVER (PARTITION BY {_KEY}, run ORDER BY d) - 1) // {span} AS k
    FROM runs
), grouped AS (
    SELECT r.*, w.run_start, w.k,
           r.src_country || '>' || r.tgt_country || '|' || r.cameo_root || '|'
               || strftime(w.run_start, '%Y-%m-%d') || '#' || CAST(w.k AS VARCHAR) AS group_id
    FROM reports r JOIN windows w
      ON r.src_country = w.src_country AND r.tgt_country = w.tgt_country
     AND r.cameo_root = w.cameo_root AND r.report_date = w.d
)
SELECT {cols}, story, report_date, group_id,
       count(*) OVER (PARTITION BY group_id) AS n_merged,
       row_number() OVER (PARTITION BY group_id
                          ORDER BY mentions DESC NULLS LAST, event_date, event_id) AS rank_in_group
FROM grouped"""
    view = f"""
CREATE OR REPLACE VIEW {VIEW} AS
WITH ids AS (
    SELECT group_id, list(event_id ORDER BY event_id) AS merged_ids FROM {MEMBERS_VIEW} GROUP BY group_id
)
SELECT {', '.join('m.' + c for c in cols.split(', '))}, CAST(m.n_merged AS INTEGER) AS n_merged, ids.merged_ids
FROM {MEMBERS_VIEW} m JOIN ids USING (group_id)
WHERE m.rank_in_group = 1
UNION ALL
SELECT {cols}, 1 AS n_merged, [event_id] AS merged_ids
FROM events WHERE NOT ({cand})"""
    return members, view


def ensure_view(con, window_days: int = DEFAULT_WINDOW_DAYS, *, replace: bool = True) -> None:
    """Create (or replace) ``events_dedup`` and ``events_dedup_members``.

    ``store.db.ensure_schema`` calls this with ``replace=False`` so a store
    keeps the window it was given; call it with ``replace=True`` to change it.

    Parameters
    ----------
    con : DuckDB connection with the ``events`` table.
    window_days : 1 (default: two-day windows) or 0 (same day only).
    replace : replace existing views (else leave them as they are).

    Raises
    ------
    UsageError
        ``window_days`` other than 0 or 1 (longer windows would need a
        sequential pass; the run-pairing above is exact only up to 1).
    """
    if window_days not in (0, 1):
        raise UsageError(f"window_days must be 0 or 1, not {window_days!r}")
    members, view = _sql(window_days)
    if not replace:
        members = members.replace("CREATE OR REPLACE VIEW", "CREATE VIEW IF NOT EXISTS", 1)
        view = view.replace("CREATE OR REPLACE VIEW", "CREATE VIEW IF NOT EXISTS", 1)
    con.execute(members)
    con.execute(view)


def merge_report(con, *, src_country: str | None = None, tgt_country: str | None = None,
                 limit: int | None = None) -> pd.DataFrame:
    """Which event rows ``events_dedup`` merged, and why: one row per merged group.

    Parameters
    ----------
    con : DuckDB connection with the views (:func:`ensure_view`).
    src_country, tgt_country : optional ISO3 filters on the directed dyad.
    limit : at most this many groups (largest first).

    Returns
    -------
    pandas.DataFrame with ``group_id``, ``kept_event_id`` (the
    representative), ``n_merged`` (>= 2), ``merged_ids`` (list),
    ``datasets`` (list), ``n_stories``, ``first_date``, ``last_date``,
    ``src_country``, ``tgt_country``, ``cameo_root`` and ``reason`` (one
    sentence naming the rule that merged them).
    """
    conds, params = ["n_merged > 1"], []
    if src_country:
        conds.append("src_country = ?")
        params.append(src_country)
    if tgt_country:
        conds.append("tgt_country = ?")
        params.append(tgt_country)
    sql = f"""
        SELECT group_id,
               min_by(event_id, rank_in_group) AS kept_event_id,
               count(*) AS n_merged,
               list(event_id ORDER BY event_id) AS merged_ids,
               list(DISTINCT dataset ORDER BY dataset) AS datasets,
               count(DISTINCT story) AS n_stories,
               min(event_date) AS first_date, max(event_date) AS last_date,
               any_value(src_country) AS src_country, any_value(tgt_country) AS tgt_country,
               any_value(cameo_root) AS cameo_root
        FROM {MEMBERS_VIEW} WHERE {' AND '.join(conds)}
        GROUP BY group_id ORDER BY n_merged DESC, group_id""" + (f" LIMIT {int(limit)}" if limit else "")
    df = con.execute(sql, params).df()

    def reason(r) -> str:
        dyad = f"{r.src_country}->{r.tgt_country}, CAMEO root {r.cameo_root}"
        if r.n_stories == 1:
            return f"one story reports {r.n_merged} events of {dyad}"
        span = str(r.first_date.date() if hasattr(r.first_date, "date") else r.first_date)
        if r.last_date != r.first_date:
            span += " .. " + str(r.last_date.date() if hasattr(r.last_date, "date") else r.last_date)
        return (f"{r.n_stories} reports ({', '.join(r.datasets)}) of {dyad} "
                f"within one window ({span})")

    df["reason"] = [reason(r) for r in df.itertuples()] if len(df) else pd.Series(dtype=str)
    return df
