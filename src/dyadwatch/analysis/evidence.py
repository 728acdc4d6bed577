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

    Two queries: which optional tables the store has (``documents``,
    ``dyad_counts``, ``ingest_batches``), then one statement returning the
    rows with their total (the rows before ``LIMIT``), the dataset
    labels' formats, the aggregated-count years of the note and whether each
    asked dataset is stored (the total is a count beside the top rows: a window
    count over every row kept them all, with their sentences, for the sort). The two directions are two branches of a
    ``UNION ALL`` with plain equality filters, so the zone maps of a store
    sorted by (source, target, date) skip the other dyads' row groups (an
    ``OR`` of the two directions scans them all); documents are joined to
    the kept rows only.

    Raises
    ------
    UsageError
        Unknown actor, CAMEO root or dataset; bad period or dates; both ``period`` and dates;
        unknown order.
    """
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _as_date, _check_datasets, _direction_branches, _filters

    if order not in ("date", "newest", "intensity"):
        raise UsageError(f"unknown order {order!r}; choose date, newest or intensity")
    if period is not None and (date_from is not None or date_to is not None):
        raise UsageError("give either a period or --from/--to, not both")
    if limit is not None and limit < 1:
        raise UsageError(f"limit must be at least 1, not {limit}")
    fa, fb = resolve_pair(a, b)
    rng = period_range(period)
    d0, d1 = rng if rng else (_as_date(date_from, "from"), _as_date(date_to, "to"))
    datasets = list(datasets) if datasets else []
    fcond, fparams = _filters(datasets, roots, d0, d1)
    tables = {r[0] for r in con.execute(  # duckdb_tables(): 0.8 ms; information_schema.tables: 1.7-4 ms
        "SELECT table_name FROM duckdb_tables() "
        "WHERE table_name IN ('documents', 'dyad_counts', 'ingest_batches')").fetchall()}
    ab, p_ab, ba_only, p_ba_only = _direction_branches(fa, fb)
    cols = ("event_id, dataset, event_date, src_name, src_country, tgt_name, tgt_country, cameo_code, quad_class, "
            "goldstein, plover_type, sentence, source_url, doc_id, mentions")
    live = f"event_date IS NOT NULL{fcond}"
    rank = {"date": "{t}event_date, {t}event_id", "newest": "{t}event_date DESC, {t}event_id",
            "intensity": "abs({t}goldstein) DESC NULLS LAST, {t}mentions DESC NULLS LAST, {t}event_date, {t}event_id"
            }[order]  # {t}: the table's alias
    meta, p_meta = ["(SELECT count(*) FROM m) AS _total"], []  # a count, not a window over every row
    # labels -> formats (for the short citations) and the aggregated-count years of the note
    meta.append("(SELECT list([dataset, format]) FROM (SELECT DISTINCT dataset, format FROM ingest_batches "
                "WHERE dataset IS NOT NULL)) AS _labels" if "ingest_batches" in tables else "NULL AS _labels")
    counted = "dyad_counts" in tables and fa.column == "country" and fb.column == "country"
    if counted:
        meta.append("""(SELECT list(DISTINCT [CAST(year AS VARCHAR), dataset]) FROM dyad_counts
                        WHERE ((src_country = ? AND tgt_country = ?) OR (src_country = ? AND tgt_country = ?))
                          AND year >= coalesce(?, year) AND year <= coalesce(?, year)) AS _counted""")
        p_meta += [fa.value, fb.value, fb.value, fa.value, d0 and d0.year, d1 and d1.year]
    else:
        meta.append("NULL AS _counted")
    # each asked dataset: stored in events (or dyad_counts)? EXISTS stops at the first row found
    for i, d in enumerate(datasets):
        held = "EXISTS (SELECT 1 FROM events WHERE dataset = ?)"
        p_meta.append(d)
        if "dyad_counts" in tables:
            held += " OR EXISTS (SELECT 1 FROM dyad_counts WHERE dataset = ?)"
            p_meta.append(d)
        meta.append(f"({held}) AS _held{i}")
    has_docs = "documents" in tables
    doc_cols = "d.title AS doc_title, d.url AS doc_url" if has_docs else "NULL AS doc_title, NULL AS doc_url"
    doc_join = "LEFT JOIN documents d ON d.doc_id = r.doc_id" if has_docs else ""
    sql = f"""WITH m AS (SELECT {cols}, 'A->B' AS direction FROM events WHERE {ab} AND {live}
                         UNION ALL
                         SELECT {cols}, 'B->A' AS direction FROM events
                         WHERE {ba_only} AND {live}),
                   r AS (SELECT * FROM m ORDER BY {rank.format(t="")}
                         {'LIMIT ' + str(int(limit)) if limit else ''}),
                   k AS (SELECT r.*, {doc_cols} FROM r {doc_join}),
                   meta AS (SELECT {', '.join(meta)})
              SELECT meta.*, k.* FROM meta LEFT JOIN k ON true ORDER BY {rank.format(t="k.")}"""
    params = p_ab + fparams + p_ba_only + fparams + p_meta
    cur = con.execute(sql, params)
    columns = [d[0] for d in cur.description]
    data = cur.fetchall()  # Python values: cheaper than a DataFrame of mixed columns for <= a page of rows
    first = dict(zip(columns, data[0]))
    unknown = [d for i, d in enumerate(datasets) if not bool(first[f"_held{i}"])]
    if unknown:  # the error names the stored labels, as every command's does
        _check_datasets(con, unknown)
    names = _names(first["_labels"])
    total = int(first["_total"] or 0)
    # without rows, the one row of the left join is the metadata alone
    df = pd.DataFrame.from_records(data if total else [], columns=columns)
    annotate(con, df, names=names)
    # object columns with None (JSON null) for missing values, not NaN; built from Python lists (the
    # astype(object).where(notna()) of every column cost more than the query for a page of rows)
    out = pd.DataFrame({c: [None if pd.isna(v) else v for v in df[c].tolist()] if c in df else [None] * len(df)
                        for c in EVENT_LIST_COLUMNS}, columns=EVENT_LIST_COLUMNS, index=df.index, dtype=object)
    out.attrs.update({"total": total, "from": d0, "to": d1, "note": _counts_note(_pairs(first["_counted"]), names)})
    return out


def _names(pairs) -> dict[str, str]:
    """``[[label, format], ...]`` (``ingest_batches``) -> label -> short citation (as ``store_labels``)."""
    from dyadwatch.acquire.citations import cite_as

    return {label: cite_as(label, fmt) or label for label, fmt in _pairs(pairs)}


def _pairs(value) -> list:
    """A list-of-pairs cell of a query result (None, NaN or NA when the list is NULL) -> list of pairs."""
    if pd.api.types.is_scalar(value):
        return []
    return [tuple(v) for v in value]


def annotate(con, df: pd.DataFrame, *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Add the names beside the codes of event rows, in place (and return ``df``).

    Adds ``src_country_name``, ``tgt_country_name``, ``cameo_name``,
    ``quad_class_name``, ``dataset_name`` (short citation) and ``text_note``
    (why a row has no sentence) to a frame with the canonical event columns
    it has; ``event_date`` becomes a date (no time). ``names``: dataset label ->
    short citation when the caller has them (else read with ``store_labels``).
    """
    from dyadwatch.acquire.citations import store_labels
    from dyadwatch.codebooks import labels

    names = store_labels(con) if names is None else names
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


def _counts_note(rows, names: dict[str, str]) -> str | None:
    """Say when the yearly figures of some years come from aggregated counts.

    ``rows``: the (year, dataset) pairs of ``dyad_counts`` for the dyad and dates; ``names``: dataset
    label -> short citation.
    """
    if not rows:
        return None
    years = sorted({int(r[0]) for r in rows})
    sets = ", ".join(sorted({names.get(r[1], r[1]) for r in rows}))
    span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return (f"the yearly figures of {span} are counted from {sets}, which has no event rows; "
            "the events listed for those years are other data sets' rows, not the events counted")
