"""The events behind a figure: every event row of a dyad in a period, with names beside codes.

Unit in: event rows (``events``), with ``documents`` for titles and the
ingest batches for each dataset's reader. Unit out: one row per event
(:data:`EVENT_LIST_COLUMNS`), newest last.

This is what ``dyadwatch events A B --period 2014`` prints and what every
table of the report links to, so a reader can go from a number to the
events (and, where a data set has them, the sentences) it was counted from.

Counts and rows: for the years pre-aggregated dyad-year counts cover (ICEWS
2002–2014, ``dyad_counts``), the yearly figures are computed from those
counts, which have no event rows (see :mod:`dyadwatch.analysis.dyads`). The
event rows the store holds for such a year (samples of other data sets) are
listed all the same, and :func:`list_events` says in ``attrs["note"]`` that
they are not the events the yearly figure counts.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from dyadwatch.errors import UsageError

EVENT_LIST_COLUMNS = [
    "event_date", "direction", "src_name", "src_country", "src_country_name", "tgt_name", "tgt_country",
    "tgt_country_name", "cameo_code", "cameo_name", "quad_class", "quad_class_name", "goldstein", "plover_type",
    "dataset", "dataset_name", "sentence", "text_note", "source_url", "doc_id", "doc_title", "doc_url", "event_id",
]

#: what a data set's rows hold instead of a sentence (by dataset-label family)
NO_TEXT = {
    "icews": "ICEWS has no text (the news sentence is not published with the data)",
    "gdelt": "GDELT has no sentence; the source article's URL is given",
    "other": "no sentence in this data set",
}


def period_range(period: str | int | None) -> tuple[dt.date, dt.date] | None:
    """First and last day of a period label: ``2014``, ``2014Q2``, ``2014-03``, ``2014-03-05``.

    Raises
    ------
    UsageError
        Not one of those forms.
    """
    if period is None or str(period).strip() == "":
        return None
    text = str(period).strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            y = int(text)
            return dt.date(y, 1, 1), dt.date(y, 12, 31)
        m = re.fullmatch(r"(\d{4})[Qq]([1-4])", text)
        if m:
            y, q = int(m.group(1)), int(m.group(2))
            end = dt.date(y + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
            return dt.date(y, 3 * q - 2, 1), end
        m = re.fullmatch(r"(\d{4})-(\d{2})", text)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            return dt.date(y, mo, 1), dt.date(y + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
        d = dt.date.fromisoformat(text)
        return d, d
    except ValueError:
        pass
    raise UsageError(f"bad period {period!r}; use YYYY, YYYYQn, YYYY-MM or YYYY-MM-DD (e.g. 2014)")


def _family(dataset: str) -> str:
    d = (dataset or "").lower()
    if d.startswith("icews"):
        return "icews"
    if d.startswith("gdelt"):
        return "gdelt"
    return "other"


def list_events(con, a: str, b: str, *, period: str | int | None = None, date_from=None, date_to=None,
                roots=None, datasets=None, limit: int | None = None, order: str = "date") -> pd.DataFrame:
    """The events between ``a`` and ``b`` (either direction) in a period, with names beside codes.

    Parameters
    ----------
    con : DuckDB connection to a store.
    a, b : actors (ISO3 code, country name or CAMEO actor code).
    period : one period label (``2014``, ``2014Q2``, ``2014-03``, ``2014-03-05``); or
    date_from, date_to : inclusive bounds (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``); not with ``period``.
    roots : CAMEO roots to keep (``["19"]``).
    datasets : dataset labels to keep (``["icews14"]``).
    limit : at most this many rows (None: all); ``attrs["total"]`` is the count without it.
    order : ``"date"`` (oldest first), ``"newest"`` (newest first) or ``"intensity"`` (|Goldstein|
        descending, then mentions).

    Returns
    -------
    DataFrame with :data:`EVENT_LIST_COLUMNS`: ``event_date`` (a date),
    ``direction`` (``A->B``/``B->A``), actor names and their countries
    (code and name), the CAMEO code and its name, QuadClass (1–4 and its
    name), Goldstein (−10…+10), PLOVER type, ``dataset`` (label) and
    ``dataset_name`` (short citation), ``sentence`` (the evidence text, where
    the data set has one), ``text_note`` (why there is none), ``source_url``,
    ``doc_id`` and the document's title and URL. ``attrs``: ``total``
    (rows before ``limit``), ``from``/``to`` (dates), ``note`` (counts years,
    see the module docstring) or None.

    Raises
    ------
    UsageError
        Unknown actor, CAMEO root or dataset; bad period or dates; both ``period`` and dates;
        unknown order.
    """
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _as_date, _check_datasets, _dyad_condition, _filters

    if order not in ("date", "newest", "intensity"):
        raise UsageError(f"unknown order {order!r}; choose date, newest or intensity")
    if period is not None and (date_from is not None or date_to is not None):
        raise UsageError("give either a period or --from/--to, not both")
    if limit is not None and limit < 1:
        raise UsageError(f"limit must be at least 1, not {limit}")
    fa, fb = resolve_pair(a, b)
    rng = period_range(period)
    d0, d1 = rng if rng else (_as_date(date_from, "from"), _as_date(date_to, "to"))
    _check_datasets(con, datasets)
    both, p_both, ab, p_ab = _dyad_condition(fa, fb)
    fcond, fparams = _filters(datasets, roots, d0, d1)
    where = f"e.event_date IS NOT NULL AND {both.replace('src_', 'e.src_').replace('tgt_', 'e.tgt_')}{fcond}"
    where = where.replace(" dataset IN", " e.dataset IN").replace(" cameo_root IN", " e.cameo_root IN") \
        .replace(" event_date >=", " e.event_date >=").replace(" event_date <=", " e.event_date <=")
    ab_e = ab.replace("src_", "e.src_").replace("tgt_", "e.tgt_")
    rank = {"date": "e.event_date, e.event_id", "newest": "e.event_date DESC, e.event_id",
            "intensity": "abs(e.goldstein) DESC NULLS LAST, e.mentions DESC NULLS LAST, e.event_date, e.event_id"}[order]
    total = con.execute(f"SELECT count(*) FROM events e WHERE {where}", p_both + fparams).fetchone()[0]
    has_docs = bool(con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = 'documents'")
                    .fetchall())
    doc_cols = "d.title AS doc_title, d.url AS doc_url" if has_docs else "NULL AS doc_title, NULL AS doc_url"
    doc_join = "LEFT JOIN documents d ON d.doc_id = e.doc_id" if has_docs else ""
    sql = f"""SELECT e.event_id, e.dataset, e.event_date, CASE WHEN {ab_e} THEN 'A->B' ELSE 'B->A' END AS direction,
                     e.src_name, e.src_country, e.tgt_name, e.tgt_country, e.cameo_code, e.quad_class,
                     e.goldstein, e.plover_type, e.sentence, e.source_url, e.doc_id, {doc_cols}
              FROM events e {doc_join} WHERE {where} ORDER BY {rank}
              {'LIMIT ' + str(int(limit)) if limit else ''}"""
    df = con.execute(sql, p_ab + p_both + fparams).df()
    annotate(con, df)
    out = df.reindex(columns=EVENT_LIST_COLUMNS)
    out = out.astype(object).where(out.notna(), None)  # missing is None (JSON null), not NaN
    out.attrs.update({"total": int(total), "from": d0, "to": d1, "note": _counts_note(con, fa, fb, d0, d1)})
    return out


def annotate(con, df: pd.DataFrame) -> pd.DataFrame:
    """Add the names beside the codes of event rows, in place (and return ``df``).

    Adds ``src_country_name``, ``tgt_country_name``, ``cameo_name``,
    ``quad_class_name``, ``dataset_name`` (short citation) and ``text_note``
    (why a row has no sentence) to a frame with the canonical event columns
    it has; ``event_date`` becomes a date (no time).
    """
    from dyadwatch.acquire.citations import store_labels
    from dyadwatch.codebooks import labels

    names = store_labels(con)
    if "event_date" in df:
        df["event_date"] = [pd.Timestamp(d).date() if d is not None and d == d else None for d in df["event_date"]]
    for side in ("src", "tgt"):
        if f"{side}_country" in df:
            df[f"{side}_country_name"] = [labels.country_name(c) for c in df[f"{side}_country"]]
    if "cameo_code" in df:
        df["cameo_name"] = [labels.cameo_name(c) for c in df["cameo_code"]]
    if "quad_class" in df:
        df["quad_class_name"] = [labels.quad_class_name(q) for q in df["quad_class"]]
    if "dataset" in df:
        df["dataset_name"] = [names.get(d, d) for d in df["dataset"]]
        sentences = df["sentence"] if "sentence" in df else [None] * len(df)
        df["text_note"] = [None if isinstance(s, str) and s.strip() else NO_TEXT[_family(d)]
                           for s, d in zip(sentences, df["dataset"])]
    return df


def _counts_note(con, fa, fb, d0, d1) -> str | None:
    """Say when the yearly figures of some years of [d0, d1] come from aggregated counts."""
    if fa.column != "country" or fb.column != "country":
        return None
    try:
        rows = con.execute(
            """SELECT DISTINCT year, dataset FROM dyad_counts
               WHERE ((src_country = ? AND tgt_country = ?) OR (src_country = ? AND tgt_country = ?))
                 AND year >= coalesce(?, year) AND year <= coalesce(?, year) ORDER BY year""",
            [fa.value, fb.value, fb.value, fa.value, d0 and d0.year, d1 and d1.year]).fetchall()
    except Exception:  # no dyad_counts table
        return None
    if not rows:
        return None
    from dyadwatch.acquire.citations import store_labels

    years = sorted({int(r[0]) for r in rows})
    sets = ", ".join(sorted({store_labels(con).get(r[1], r[1]) for r in rows}))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return (f"the yearly figures of {span} are counted from {sets}, which has no event rows; "
            "the events listed for those years are other data sets' rows, not the events counted")
