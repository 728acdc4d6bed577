"""What the web app's pages and JSON API show, as JSON-ready data (no HTML).

Each function takes a store connection and calls the same library functions
as the command line and the Python API — ``dyad_series`` (``dyadwatch dyad``),
``list_events`` (``dyadwatch events``), ``dyad_changes`` (``dyadwatch
changes``), ``relationship_profile`` (``dyadwatch profile``),
``report_content`` (``dyadwatch report --format json``) — and converts their
rows the way the CLI's ``--format json`` does, so a number on a page, in
``/api/...`` and on the command line is the same number (tested equal).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dyadwatch.errors import UsageError

#: rows of the latest-events table of a dyad page
EVENTS_SHOWN = 25
#: JSON keys of a dyad series row (as `dyadwatch dyad --format json`)
SERIES_KEYS = ["period", "direction", "events", "verbal_coop", "material_coop", "verbal_conflict",
               "material_conflict", "goldstein_sum", "goldstein_mean", "net_coop", "datasets"]
FREQS = ("day", "week", "month", "quarter", "year")
#: most days a day-frequency series may span (a page of 10 years of days is no chart)
MAX_DAY_SPAN = 3 * 366


@dataclass(frozen=True)
class Filters:
    """The filters of a dyad page or API call: ``freq``, ``date_from``/``date_to`` (YYYY, YYYY-MM or
    YYYY-MM-DD), ``datasets`` and CAMEO ``roots`` (tuples; empty: all), ``directed``."""

    freq: str = "month"
    date_from: str | None = None
    date_to: str | None = None
    datasets: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()
    directed: bool = False

    def key(self) -> tuple:
        return (self.freq, self.date_from, self.date_to, self.datasets, self.roots, self.directed)

    def query(self) -> list[tuple[str, str]]:
        """The filters as query parameters (for links: CSV downloads, the API)."""
        q = [("freq", self.freq)]
        q += [(k, v) for k, v in (("from", self.date_from), ("to", self.date_to)) if v]
        q += [("dataset", d) for d in self.datasets] + [("root", r) for r in self.roots]
        if self.directed:
            q.append(("directed", "1"))
        return q


def parse_filters(params, *, default_freq: str = "month") -> Filters:
    """Filters from query parameters (a multi-dict with ``get`` and ``getlist``).

    Raises
    ------
    UsageError
        Unknown frequency, bad date, bad CAMEO root, more than 50 values of a list parameter,
        or a day series over more than :data:`MAX_DAY_SPAN` days.
    """
    from dyadwatch.analysis.dyads import _as_date, _cameo_root

    freq = (params.get("freq") or default_freq).strip()
    if freq not in FREQS:
        raise UsageError(f"unknown frequency {freq!r}; choose one of: {', '.join(FREQS)}")
    d0 = (params.get("from") or "").strip() or None
    d1 = (params.get("to") or "").strip() or None
    a0, a1 = _as_date(d0, "from"), _as_date(d1, "to")  # UsageError on a bad date
    if a0 and a1 and a0 > a1:
        raise UsageError(f"from {a0} is after to {a1}")
    datasets = tuple(dict.fromkeys(d.strip() for d in params.getlist("dataset") if d.strip()))
    roots = tuple(dict.fromkeys(_cameo_root(r) for r in params.getlist("root") if r.strip()))
    if len(datasets) > 50 or len(roots) > 50:
        raise UsageError("at most 50 datasets and 50 CAMEO roots")
    if freq == "day" and not (a0 and a1 and (a1 - a0).days <= MAX_DAY_SPAN):
        raise UsageError(f"a daily series needs from and to at most {MAX_DAY_SPAN} days apart")
    directed = (params.get("directed") or "").strip().lower() in ("1", "true", "yes", "on")
    return Filters(freq, d0, d1, datasets, roots, directed)


#: the dyad page's default period: the finest whose median period holds at least this many events
MIN_EVENTS_PER_PERIOD = 5
#: periods a dyad page may default to, finest first (a day or week series needs a date range)
DEFAULT_FREQS = ("month", "quarter", "year")


def default_freq(con, a: str, b: str, *, month=None) -> tuple[str, str]:
    """The period a dyad page shows when none is asked for, and why (a sentence for the page).

    ``year`` when the store holds dyad-year counts of the pair (``dyad_counts``, e.g. ICEWS dyad-years, which a
    finer period leaves out; :func:`dyadwatch.analysis.dyads.counts_span`); otherwise the finest of
    :data:`DEFAULT_FREQS` at which the median period between the pair's first and last event holds at least
    :data:`MIN_EVENTS_PER_PERIOD` events (so a sparse pair is not shown as months of 0 or 1 event, whose change
    points are noise); ``year`` when no period reaches it or the pair has no events. Counts come from the
    pair's unfiltered month series (:func:`series`, as ``dyadwatch dyad A B --freq month``); ``month``: a
    function returning those rows when the caller has them cached (the page shows the same series).
    Raises :class:`UsageError` for an unknown actor.
    """
    import statistics

    from dyadwatch.analysis.dyads import counts_span

    span = counts_span(con, a, b)
    if span is not None:
        lo, hi, names = span
        return "year", (f"per year: the store holds dyad-year counts of this pair ({names}, {lo}–{hi}), which a "
                        "finer period leaves out")
    rows = month() if month is not None else series(con, a, b, Filters(freq="month"))
    counts = [int(r["events"] or 0) for r in rows]
    nonzero = [i for i, x in enumerate(counts) if x]
    if not nonzero:
        return "year", "per year: the store holds no events of this pair"
    first, last = nonzero[0], nonzero[-1]
    months = counts[first:last + 1]
    start = str(rows[first]["period"])
    median = 0.0
    for freq, size in zip(DEFAULT_FREQS, (1, 3, 12)):
        # whole quarters and years from the first month's own calendar boundary
        offset = (int(start[5:7]) - 1) % size
        padded = [0] * offset + months
        sums = [sum(padded[i:i + size]) for i in range(0, len(padded), size)]
        median = statistics.median(sums)
        if median >= MIN_EVENTS_PER_PERIOD:
            return freq, (f"per {freq}: the finest period whose median {freq} between the pair's first and last "
                          f"event ({start} to {rows[last]['period']}) holds at least {MIN_EVENTS_PER_PERIOD} "
                          f"events (median {median:g})")
    return "year", (f"per year: even the median year between the pair's first and last event holds only {median:g} "
                    f"event{'' if median == 1 else 's'} (fewer than {MIN_EVENTS_PER_PERIOD}); read the series as sparse")


def _records(df) -> list[dict]:
    """A DataFrame's rows as JSON-ready dicts (NaN -> None, dates ISO)."""
    from dyadwatch.report.content import _clean

    return [_clean(r) for r in df.to_dict("records")] if df is not None and len(df) else []


def _none(v):
    return None if isinstance(v, float) and v != v else v


def series_frame(con, a: str, b: str, f: Filters):
    """The dyad series of filters ``f`` as :func:`dyadwatch.analysis.dyads.dyad_series` returns it (a DataFrame)."""
    from dyadwatch.analysis.dyads import dyad_series

    return dyad_series(con, a, b, freq=f.freq, directed=f.directed, date_from=f.date_from, date_to=f.date_to,
                       datasets=list(f.datasets) or None, roots=list(f.roots) or None)


def series_rows(df) -> list[dict]:
    """A :func:`series_frame` as the rows ``dyadwatch dyad A B --format json`` prints."""
    return [{k: _none(v) for k, v in r.items() if k in SERIES_KEYS} for r in df.to_dict("records")]


def series(con, a: str, b: str, f: Filters) -> list[dict]:
    """The dyad series rows exactly as ``dyadwatch dyad A B --format json`` prints them (same options)."""
    return series_rows(series_frame(con, a, b, f))


def series_starts(rows: list[dict], freq: str) -> list[str]:
    """The first day (ISO) of each row's period, for a date axis."""
    from dyadwatch.analysis.evidence import period_range

    out = []
    for r in rows:
        p = str(r["period"])
        if freq == "week":
            y, w = p.split("-W")
            out.append(dt.date.fromisocalendar(int(y), int(w), 1).isoformat())
        else:
            out.append(period_range(p)[0].isoformat())
    return out


def events(con, a: str, b: str, *, date_from=None, date_to=None, period=None, roots=None, datasets=None,
           limit: int | None = None, order: str = "date") -> dict:
    """``{"total", "note", "events": rows}``; rows exactly as ``dyadwatch events ... --format json``."""
    from dyadwatch.analysis.evidence import list_events

    df = list_events(con, a, b, period=period, date_from=date_from, date_to=date_to, roots=roots or None,
                     datasets=datasets or None, limit=limit, order=order)
    rows = [{k: _none(v) for k, v in r.items()} for r in df.to_dict("records")]
    return {"total": df.attrs["total"], "note": df.attrs.get("note"), "events": rows}


def changes(con, a: str, b: str, f: Filters, *, frame=None) -> list[dict]:
    """Change points of the filtered undirected series (``dyad_changes``; ``dyadwatch changes``), numbered,
    each with the events around it (named: :func:`dyadwatch.report.sections.named_breaks`). ``frame``:
    the :func:`series_frame` of ``f`` when the caller has it (``f`` undirected, without CAMEO roots:
    the series the change points are found in), so it is not computed again."""
    from dyadwatch.analysis.changes import dyad_changes
    from dyadwatch.report.content import _clean
    from dyadwatch.report.sections import named_breaks

    if frame is not None and (f.directed or f.roots):
        raise ValueError("changes: the series given is directed or filtered by CAMEO root; the change points "
                         "are found in the undirected series of all roots")
    res = dyad_changes(con, a, b, freq=f.freq, date_from=f.date_from, date_to=f.date_to,
                       datasets=list(f.datasets) or None, series=frame)
    return named_breaks([_clean(br) for br in res["breaks"]])


def profile(con, a: str, b: str) -> list[dict]:
    """Verdict per year with reasons (``relationship_profile``, as ``dyadwatch profile --format json``)."""
    from dyadwatch.analysis.profile import profile_frame, relationship_profile
    from dyadwatch.report.content import _clean

    df = profile_frame(relationship_profile(con, a, b))
    return [_clean({k: _none(v) for k, v in r.items()}) for r in df.to_dict("records")]


def report(con, a: str, b: str) -> dict:
    """The report's content (``report_content``; ``dyadwatch report A B --format json``)."""
    from dyadwatch.report.content import report_content

    return report_content(con, a, b)


def dyad_datasets(con, a: str, b: str) -> list[dict]:
    """The data sets with event rows of this dyad: ``[{dataset, name, events}]`` (for the filter)."""
    from dyadwatch.acquire.citations import store_labels
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _direction_branches

    fa, fb = resolve_pair(a, b)
    ab, p_ab, ba_only, p_ba_only = _direction_branches(fa, fb)  # UNION ALL, not an OR: see there
    names = store_labels(con)
    rows = con.execute(f"""SELECT dataset, count(*) FROM (
                             SELECT dataset FROM events WHERE {ab}
                             UNION ALL
                             SELECT dataset FROM events WHERE {ba_only})
                           GROUP BY dataset ORDER BY 2 DESC, 1""", p_ab + p_ba_only).fetchall()
    return [{"dataset": d, "name": names.get(d, d), "events": int(n)} for d, n in rows]


def watchlist(con, dyads, *, compute) -> list[dict]:
    """One row per watched dyad: the state the watch stored (``watch_dyads``) or, for a dyad it has
    not computed, ``compute(a, b)`` (:func:`dyadwatch.serve.state.dyad_state`, cached by the caller);
    with the number of alerts and the newest alert."""
    import json

    from dyadwatch.serve.alerts import list_alerts

    stored = {}
    try:
        for a, b, state, updated in con.execute("SELECT a, b, state, updated FROM watch_dyads").fetchall():
            try:
                stored[(a, b)] = {**json.loads(state), "computed": updated, "computed_by": "watch"}
            except ValueError:
                pass
    except Exception:  # noqa: BLE001 - never watched
        pass
    alerts = list_alerts(con, limit=None)
    out = []
    for a, b in dyads:
        row = stored.get((a, b)) or stored.get((b, a)) or compute(a, b)
        mine = alerts[((alerts["a"] == a) & (alerts["b"] == b)) | ((alerts["a"] == b) & (alerts["b"] == a))] \
            if len(alerts) else alerts
        row = dict(row)
        row["alerts"] = int(len(mine))
        row["newest_alert"] = mine.iloc[0]["message"] if len(mine) else None
        out.append(row)
    return out


def default_dyads(con) -> list[tuple[str, str]]:
    """Dyads to show when none is configured: those a watch stored, else the flagship pair and its
    comparison pairs (:data:`dyadwatch.report.content.FLAGSHIP`): Iran–Russia, Russia–Israel,
    Iran–Saudi Arabia, Russia–Turkey, Russia–Syria."""
    from dyadwatch.report.content import FLAGSHIP

    try:
        rows = con.execute("SELECT a, b FROM watch_dyads ORDER BY a, b").fetchall()
    except Exception:  # noqa: BLE001
        rows = []
    if rows:
        return [(a, b) for a, b in rows]
    return [("IRN", "RUS"), *FLAGSHIP[frozenset({"IRN", "RUS"})]["compare"]]
