"""The state of one dyad as the watchlist shows it: arrow, rationale, verdict, latest event, freshness.

:func:`dyad_state` is computed by ``dyadwatch watch`` after each cycle (and
stored in ``watch_dyads``) and by ``dyadwatch serve`` for a dyad the watch
has not computed; both call the same analysis functions as the CLI
(``dyad_series``, ``relationship_profile``, ``list_events``), so the page,
the JSON API and the command line agree.

Arrow (against the previous period of ``freq``, month by default): net
cooperation ((QC1 + QC2 − QC3 − QC4) / events, in [−1, 1]) of the latest
period with events compared with the period before it. ``deteriorated``
when it fell by more than :data:`ARROW_MIN_CHANGE`, ``improved`` when it
rose by more, else ``unchanged``; when either period has fewer than
:data:`ARROW_MIN_EVENTS` events the arrow is ``unchanged`` and the
rationale says the evidence is too thin to tell (silence is not "no
change": the sentence says so).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dyadwatch.codebooks.labels import country_name

#: a change of net cooperation smaller than this (in [−1, 1] units) is "unchanged"
ARROW_MIN_CHANGE = 0.10
#: fewest events in each of the two periods compared for an arrow
ARROW_MIN_EVENTS = 5
ARROWS = {"deteriorated": "↓", "improved": "↑", "unchanged": "→"}


def latest_event_date(con, a: str, b: str) -> dt.date | None:
    """The day of the dyad's most recent event row (either direction), or None."""
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _dyad_condition

    fa, fb = resolve_pair(a, b)
    both, params, _, _ = _dyad_condition(fa, fb)
    row = con.execute(f"SELECT max(event_date) FROM events WHERE event_date IS NOT NULL AND {both}", params).fetchone()
    return row[0] if row and row[0] is not None else None


def _period_start(freq: str, day: dt.date, back: int) -> dt.date:
    """The first day of the period ``back`` periods before the one holding ``day``."""
    if freq == "week":
        return day - dt.timedelta(days=day.weekday() + 7 * back)
    if freq == "month":
        m = day.year * 12 + day.month - 1 - back
        return dt.date(m // 12, m % 12 + 1, 1)
    if freq == "quarter":
        q = day.year * 4 + (day.month - 1) // 3 - back
        return dt.date(q // 4, (q % 4) * 3 + 1, 1)
    return dt.date(day.year - back, 1, 1)


def recent_series(con, a: str, b: str, *, freq: str, periods: int, until: dt.date | None = None) -> pd.DataFrame:
    """The dyad series (``dyad_series``, undirected) of the ``periods`` periods up to the one holding
    ``until`` (default: the dyad's latest event), empty periods included; empty without events."""
    from dyadwatch.analysis.dyads import dyad_series

    until = until or latest_event_date(con, a, b)
    if until is None:
        return pd.DataFrame()
    start = _period_start(freq, until, periods - 1)
    return dyad_series(con, a, b, freq=freq, date_from=start.isoformat(), date_to=until.isoformat())


def arrow(series: pd.DataFrame) -> tuple[str, str]:
    """(arrow, rationale) from the last two rows with events of a dyad series (see the module docstring)."""
    rows = [r for r in series.to_dict("records") if r["events"] > 0] if len(series) else []
    if not rows:
        return "unchanged", "no events in the store for this pair: nothing to compare"
    last = rows[-1]
    if len(rows) < 2:
        return "unchanged", (f"{last['events']:,} events in {last['period']}, none in the periods before it "
                             f"shown: no earlier period to compare with")
    prev = rows[-2]
    nc, pc = last["net_coop"], prev["net_coop"]
    def signed(x: float) -> str:
        return f"{x:+.2f}".replace("-", "−")  # a minus sign for the number only, never in a period label

    text = (f"net cooperation {signed(nc)} in {last['period']} ({last['events']:,} events) "
            f"vs {signed(pc)} in {prev['period']} ({prev['events']:,} events)")
    if min(last["events"], prev["events"]) < ARROW_MIN_EVENTS:
        return "unchanged", text + f"; fewer than {ARROW_MIN_EVENTS} events in a period: too thin to tell"
    if nc - pc < -ARROW_MIN_CHANGE:
        return "deteriorated", text
    if nc - pc > ARROW_MIN_CHANGE:
        return "improved", text
    return "unchanged", text + f" (a change under {ARROW_MIN_CHANGE:.2f})"


def current_verdict(con, a: str, b: str) -> dict | None:
    """The headline verdict of the dyad (:func:`dyadwatch.report.content.headline` over
    :func:`dyadwatch.analysis.profile.relationship_profile`): ``{year, verdict, confidence,
    reasons, headline_rule}``, or None when no year has a verdict."""
    from dyadwatch.analysis.profile import relationship_profile
    from dyadwatch.report.content import _clean, headline

    profiles = [_clean(p.to_dict()) for p in relationship_profile(con, a, b)]
    h = headline(profiles)
    if h is None:
        return None
    return {"year": h["year"], "verdict": h["verdict"], "confidence": h["confidence"], "reasons": h["reasons"],
            "headline_rule": h["headline_rule"]}


def latest_event(con, a: str, b: str, day: dt.date | None) -> dict | None:
    """The most intense event of the dyad's latest day (``list_events`` order ``intensity``), with
    the evidence columns (sentence, source URL, document title), or None."""
    from dyadwatch.analysis.evidence import list_events
    from dyadwatch.report.content import _clean

    if day is None:
        return None
    df = list_events(con, a, b, date_from=day.isoformat(), date_to=day.isoformat(), order="intensity", limit=1)
    if not len(df):
        return None
    r = _clean(df.iloc[0].to_dict())
    return {k: r.get(k) for k in ("event_date", "src_name", "tgt_name", "src_country", "tgt_country", "cameo_code",
                                  "cameo_name", "goldstein", "dataset", "dataset_name", "sentence", "text_note",
                                  "source_url", "doc_title", "doc_url", "event_id")}


def dyad_state(con, a: str, b: str, *, freq: str = "month") -> dict:
    """Everything the watchlist shows of dyad (a, b), JSON-ready.

    Returns
    -------
    ``{"a", "b", "a_name", "b_name", "arrow": deteriorated|improved|unchanged, "arrow_symbol",
    "rationale", "freq", "latest_period", "verdict": current_verdict() or None, "latest_event":
    latest_event() or None, "latest_date"}``.

    Raises
    ------
    UsageError
        Unknown actor or the same actor twice.
    """
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.report.content import _clean

    a, b = (f.label for f in resolve_pair(a, b))
    day = latest_event_date(con, a, b)
    series = recent_series(con, a, b, freq=freq, periods=6, until=day) if day else pd.DataFrame()
    arr, why = arrow(series)
    return _clean({"a": a, "b": b, "a_name": country_name(a), "b_name": country_name(b), "arrow": arr,
                   "arrow_symbol": ARROWS[arr], "rationale": why, "freq": freq,
                   "latest_period": str(series["period"].iloc[-1]) if len(series) else None,
                   "verdict": current_verdict(con, a, b), "latest_event": latest_event(con, a, b, day),
                   "latest_date": day})


def dataset_ranges(con) -> dict[str, list]:
    """``{dataset: [first event day, last event day]}`` of the store's events (a scan of ``events``:
    ~1 s on 10 million rows; the watch stores it, :mod:`dyadwatch.serve.pages`)."""
    return {d: [lo, hi] for d, lo, hi in con.execute(
        "SELECT dataset, min(event_date), max(event_date) FROM events GROUP BY dataset").fetchall()}


def freshness(con, ranges: dict | None = None) -> list[dict]:
    """One freshness stamp per source: every data set in the store (newest event day, last batch
    stored) and every source the watch checks (last checked, last new item, status).

    ``ranges``: :func:`dataset_ranges` when known (else computed here).
    Returns ``[{"source", "kind", "newest_event", "last_stored", "last_checked", "status"}]``.
    """
    from dyadwatch.acquire.citations import store_labels
    from dyadwatch.report.content import _clean

    names = store_labels(con)
    rows = []
    ev = {d: tuple(v) for d, v in (ranges if ranges is not None else dataset_ranges(con)).items()}
    batches = dict(con.execute("SELECT dataset, max(finished) FROM ingest_batches WHERE rows_stored > 0 "
                               "GROUP BY dataset").fetchall())
    for d in sorted(set(ev) | set(batches)):
        rows.append({"source": d, "name": names.get(d, d), "kind": "data set",
                     "newest_event": (ev.get(d) or (None, None))[1], "last_stored": batches.get(d),
                     "last_checked": None, "status": None})
    try:
        for src, kind, checked, new, status in con.execute(
                "SELECT source, kind, last_checked, last_new, last_status FROM watch_sources ORDER BY source").fetchall():
            rows.append({"source": src, "name": src, "kind": kind, "newest_event": None, "last_stored": new,
                         "last_checked": checked, "status": status})
    except Exception:  # noqa: BLE001 - a store made before watch_sources existed (opened read-only)
        pass
    return _clean(rows)
