"""A watched dyad's page, precomputed by the watch: heavy parts stored in ``dyad_pages``, read by a lookup.

A dyad page on a large store is slow to compute (10 million events: the
monthly series' change points with their events and QuadClass shifts take
~10 s a pair, the report's content longer, the figures ~0.1 s each).
The watch computes them after each cycle (:func:`compute`, read only) and
stores them in one short transaction (:func:`store`), each part as JSON
with the store's **data state** it was computed on (:func:`data_state`:
the ingest batches and the number of event rows; what a page's numbers
depend on). The web app reads a dyad's parts with one indexed lookup
(:func:`load`) and uses a part when its state is the current one; a part
computed on an earlier state is shown marked as such while the server
recomputes it in the background; a part never computed (a dyad the watch
does not follow, a filter not precomputed) is computed in the background,
never in the request (``serve.app``).

Parts (``part``, ``params``): ``default_freq`` (``[freq, reason]``,
:func:`dyadwatch.serve.views.default_freq`); for each period of
:data:`PERIODS` and the default one, ``series``, ``changes`` and
``figure.series`` (:func:`dyadwatch.serve.views.series`,
:func:`~dyadwatch.serve.views.changes`,
:func:`dyadwatch.serve.figures.series_figure`: no filter but the period);
``events`` (the newest :data:`~dyadwatch.serve.views.EVENTS_SHOWN`,
unfiltered); ``datasets``; ``report`` (``report_content``) and its figures
``figure.classification``, ``figure.alignment``, ``figure.comparison``.
Store-wide parts are stored under ``a = b = "*"`` (:data:`STORE_WIDE`):
``ranges``, the data sets' first and last event days (freshness stamps).
Each is the value the same function returns in the request path, so the
page shows the same numbers either way (tested).
"""

from __future__ import annotations

import datetime as dt
import json
import threading

#: the periods whose unfiltered series, change points and figure are precomputed (besides the default)
PERIODS = ("month", "quarter", "year")
#: the report's figures shown on a dyad page
REPORT_FIGURES = ("classification", "alignment", "comparison")


#: version of the stored page parts' content; raised when the code that builds them changes what they
#: hold (2: a one-period series figure's explicit x range), so parts stored by older code count as an
#: earlier state and are recomputed, never shown as current
PAGES_FORMAT = 2


def data_state(con) -> str:
    """What a dyad page's numbers depend on, as a short string: the parts' format (:data:`PAGES_FORMAT`),
    the newest ingest batch, the number of batches and the number of event rows (changes with every
    batch or event stored or removed, and with an upgrade that changes the parts)."""
    parts = [f"v{PAGES_FORMAT}"]
    for sql in ("SELECT max(batch_id), count(*) FROM ingest_batches", "SELECT count(*) FROM events"):
        try:
            parts.append(",".join(str(x) for x in con.execute(sql).fetchone()))
        except Exception:  # noqa: BLE001 - a table missing in an old store opened read-only
            parts.append("-")
    return "|".join(parts)


def _json(value) -> str:
    from dyadwatch.serve.app import dumps

    return dumps(value)


def series_figure_of(rows: list[dict], freq: str, breaks: list[dict], directed: bool = False) -> dict | None:
    """The page's series figure (:func:`dyadwatch.serve.figures.series_figure`) of series ``rows``."""
    from dyadwatch.serve import views as V
    from dyadwatch.serve.figures import series_figure

    one = [r for r in rows if r.get("direction") in (None, "both", "A->B")] if not directed else \
        [r for r in rows if r["direction"] == "A->B"]
    return series_figure(one, V.series_starts(one, freq), freq, breaks, f"Events and net cooperation per {freq}")


def report_figures(report: dict | None) -> dict:
    """The report's figures shown on a dyad page (``{key: figure dict}``; those the report has)."""
    from dyadwatch.report.figures import FIGURES

    out = {}
    for key in REPORT_FIGURES:
        made = FIGURES[key](report) if report else None
        if made is not None:
            out[key] = made
    return out


def compute(con, a: str, b: str, *, report: bool = True,
            stop: threading.Event | None = None) -> list[tuple[str, str, object]] | None:
    """Every part of dyad (a, b)'s page (module docstring) as ``[(part, params, value)]`` (read only).

    ``report=False`` leaves out the report's content and figures. ``stop`` set (the watch is
    stopping) ends the computation before its next part and returns None: an incomplete page
    is not stored (the next cycle computes it whole). Raises :class:`UsageError`
    for an unknown actor; the report's own failure (any exception) leaves the report out: the
    page computes it in the background and says why it failed.
    """
    from dyadwatch.serve import views as V

    def stopping() -> bool:
        return stop is not None and stop.is_set()

    frames: dict = {}  # each period's series, computed once: its rows, its change points, the default period

    def frame_of(fq: str):
        if fq not in frames:
            frames[fq] = V.series_frame(con, a, b, V.Filters(freq=fq))
        return frames[fq]

    freq, why = V.default_freq(con, a, b, month=lambda: V.series_rows(frame_of("month")))
    out: list[tuple[str, str, object]] = [("default_freq", "", [freq, why])]
    for fq in dict.fromkeys((freq, *PERIODS)):
        if stopping():
            return None
        f = V.Filters(freq=fq)
        frame = frame_of(fq)
        rows = V.series_rows(frame)
        breaks = V.changes(con, a, b, f, frame=frame)
        out += [("series", fq, rows), ("changes", fq, breaks), ("figure.series", fq, series_figure_of(rows, fq, breaks))]
    out.append(("events", "", V.events(con, a, b, limit=V.EVENTS_SHOWN, order="newest")))
    out.append(("datasets", "", V.dyad_datasets(con, a, b)))
    if stopping():
        return None
    if report:
        try:
            rep = V.report(con, a, b)
        except Exception:  # noqa: BLE001 - any failure of the report leaves it to the page (which says why)
            rep = None
        if stopping():  # (the watch interrupts the report's query when it stops)
            return None
        if rep is not None:
            out.append(("report", "", rep))
            out += [(f"figure.{k}", "", v) for k, v in report_figures(rep).items()]
    return out


def store(con, a: str, b: str, state: str, parts: list[tuple[str, str, object]], *, cycle_id: int | None = None,
          seconds: float | None = None) -> int:
    """Replace dyad (a, b)'s stored parts by ``parts`` computed on ``state``, in one transaction;
    returns the rows written."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rows = [(a, b, part, params, state, _json(value), now, seconds, cycle_id) for part, params, value in parts]
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM dyad_pages WHERE a = ? AND b = ?", [a, b])
        if rows:
            con.executemany("INSERT INTO dyad_pages (a, b, part, params, state, value, computed, seconds, cycle_id) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return len(rows)


def stored_state(con, a: str, b: str) -> str | None:
    """The data state dyad (a, b)'s stored parts were computed on (None: none stored)."""
    try:
        row = con.execute("SELECT max(state) FROM dyad_pages WHERE a = ? AND b = ?", [a, b]).fetchone()
    except Exception:  # noqa: BLE001 - no dyad_pages table (an old store opened read-only)
        return None
    return row[0] if row else None


def load(con, a: str, b: str) -> dict:
    """Dyad (a, b)'s stored parts: ``{(part, params): {"value", "state", "computed"}}`` (empty when none;
    the dyad in either order)."""
    where = "WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)"
    try:
        # keys first: a pair never precomputed (most pairs) costs no read of the stored values (~5 MB
        # of JSON for 20 pairs: 4 ms CPU, 10 ms under load, for no row)
        if not con.execute(f"SELECT 1 FROM dyad_pages {where} LIMIT 1", [a, b, b, a]).fetchall():
            return {}
        rows = con.execute(f"SELECT a, part, params, state, value, computed FROM dyad_pages {where}",
                           [a, b, b, a]).fetchall()
    except Exception:  # noqa: BLE001 - no dyad_pages table
        return {}
    out = {}
    for first, part, params, state, value, computed in rows:
        if first != a and part not in ("default_freq", "events", "datasets"):
            continue  # stored for (b, a): only the parts that do not depend on the order
        try:
            out[(part, params)] = {"value": json.loads(value), "state": state, "computed": computed}
        except (TypeError, ValueError):
            continue
    return out


#: the (a, b) of store-wide parts: ``ranges`` (:func:`dyadwatch.serve.state.dataset_ranges`)
STORE_WIDE = ("*", "*")
