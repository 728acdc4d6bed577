"""``dyadwatch serve``: the local web application (Starlette, run under uvicorn).

Pages: ``/`` the watchlist, ``/dyad/A/B`` a dyad (the report's content,
interactive; the period defaults to :func:`dyadwatch.serve.views.default_freq`),
``/alerts``. JSON API with the numbers of the CLI and the
Python API, listed at ``/api/``: ``/api/dyad/A/B``, ``/api/events``, ``/api/changes/A/B``,
``/api/profile/A/B``, ``/api/report/A/B``, ``/api/alerts``,
``/api/watchlist``, ``/api/freshness``; each table also as CSV
(``?format=csv``).

The app only reads (GET and HEAD; no route writes), escapes everything it
shows (Jinja2 autoescaping; figures as JSON in non-executed script blocks
with ``<``, ``>`` and ``&`` escaped; the page's script builds nothing from
data with ``innerHTML``), sends a Content-Security-Policy that allows no
script but its own files, answers only requests addressed to the host it
serves (against DNS rebinding), and serves every asset itself (plotly.js
from the installed plotly package; no CDN: it works offline).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import json
import logging
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from dyadwatch.errors import DyadwatchError, StoreError, UsageError
from dyadwatch.serve import views as V
from dyadwatch.serve.access import StoreAccess
from dyadwatch.serve.cache import StateCache, YieldingConnection

log = logging.getLogger("dyadwatch.serve")

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "connect-src 'self'; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
STATIC = Path(__file__).parent / "static"


def _json_default(o):
    if hasattr(o, "isoformat"):
        return o.isoformat()
    if hasattr(o, "item"):
        return o.item()
    return str(o)


def dumps(obj) -> str:
    """JSON text of API answers (NaN -> null, dates ISO)."""
    from dyadwatch.report.content import _clean

    return json.dumps(_clean(obj), ensure_ascii=False, allow_nan=False, default=_json_default)


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """CSV of a table (the columns of the first row unless given); spreadsheet formula characters at
    the start of a text cell are prefixed with ``'`` so a hostile value cannot run as a formula."""
    columns = columns or (list(rows[0].keys()) if rows else [])
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        out = {}
        for k in columns:
            v = r.get(k)
            if v is None or (isinstance(v, float) and v != v):
                v = ""
            elif isinstance(v, (list, dict)):
                v = json.dumps(v, ensure_ascii=False, default=_json_default)
            elif isinstance(v, float):
                v = repr(round(v, 10))
            elif isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") and not _is_number(v):
                v = "'" + v
            out[k] = v
        w.writerow(out)
    return buf.getvalue()


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def safe_url(url) -> str | None:
    """``url`` when it is an absolute http(s) URL (shown as a link), else None (shown as text)."""
    if not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


class App:
    """The web app over one store (see the module docstring).

    Parameters
    ----------
    db : the store file.
    dyads : the watchlist ((a, b) pairs); default :func:`dyadwatch.serve.views.default_dyads`.
    mode : ``"file"`` (another process may write the store) or ``"shared"`` (a watch writes from
        this process); see :mod:`dyadwatch.serve.access`.
    hosts : host names the app answers (Host header), besides 127.0.0.1, localhost and ::1.
    background : where the slow parts are computed: ``"thread"`` (a thread of this process) or
        ``"process"`` (a worker process, :mod:`dyadwatch.serve.worker`: the requests keep the GIL;
        ``file`` mode only, as another process cannot read a store this one writes).

    Raises
    ------
    ValueError
        Unknown ``mode`` or ``background``, or ``background="process"`` with ``mode="shared"``.
    StoreError
        The store does not exist or is no dyadwatch store.
    """

    def __init__(self, db, *, dyads=None, mode: str = "file", hosts=(), watch_status=None,
                 background: str = "thread"):
        if background not in ("thread", "process"):
            raise ValueError(f"background must be 'thread' or 'process', not {background!r}")
        if background == "process" and mode != "file":
            raise ValueError("background='process' needs mode='file' (a store written by this process "
                             "cannot be opened by another)")
        self.access = StoreAccess(db, mode=mode)
        self.worker = None
        if background == "process":
            from dyadwatch.serve.worker import SharedGate, WorkerProcess

            gate = SharedGate()
            self.cache = StateCache(gate=gate)
            self.worker = WorkerProcess(self.access.path, gate=gate, grace=self.cache.grace,
                                        max_yield=self.cache.max_yield,
                                        preload=("dyadwatch.serve.views", "dyadwatch.serve.state",
                                                 "dyadwatch.analysis.changes", "dyadwatch.report.content"))
        else:
            self.cache = StateCache()
        self.watch_status = watch_status or (lambda: None)
        with self.access.reader() as con:
            self.dyads = list(dyads) if dyads else V.default_dyads(con)
        self.env = Environment(loader=PackageLoader("dyadwatch.serve", "templates"),
                               autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True))
        self.env.globals.update(safe_url=safe_url, urlencode=urlencode, fmt=_fmt)
        self.env.filters["script_json"] = _script_json
        routes = [Route("/", self.page_watchlist), Route("/dyad/{a}/{b}", self.page_dyad),
                  Route("/api", self.api_index), Route("/api/", self.api_index),
                  Route("/alerts", self.page_alerts),
                  Route("/api/dyad/{a}/{b}", self.api_dyad), Route("/api/events", self.api_events),
                  Route("/api/changes/{a}/{b}", self.api_changes), Route("/api/profile/{a}/{b}", self.api_profile),
                  Route("/api/report/{a}/{b}", self.api_report), Route("/api/alerts", self.api_alerts),
                  Route("/api/watchlist", self.api_watchlist), Route("/api/freshness", self.api_freshness),
                  Route("/static/{name}", self.static), Route("/healthz", self.healthz),
                  Route("/favicon.ico", lambda request: Response(status_code=204))]
        allowed = ["127.0.0.1", "localhost", "[::1]", "::1", "testserver", *hosts]
        self.asgi = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=allowed)],
                              exception_handlers={DyadwatchError: self.on_error,  # handled in place
                                                  Exception: self.on_error})  # 500: logged by the server
        self._plotly = None
        self._plotly_lock = threading.Lock()
        self.timings: list[tuple[str, float]] = []
        self._closing = False
        self.warm = threading.Thread(target=self._warm, name="dyadwatch-warm", daemon=True)
        self.warm.start()

    def _warm(self) -> None:
        """Compute the watchlist's dyad states once at start (cached per store state), so the first
        visitor of ``/`` does not wait for them; a failure here is logged and left to the request."""
        try:  # the pages' modules and templates, loaded once (~1-2 s: plotly) before the first visitor
            import dyadwatch.report.figures  # noqa: F401
            import dyadwatch.serve.figures  # noqa: F401
            import dyadwatch.serve.pages  # noqa: F401

            for name in ("watchlist.html.j2", "dyad.html.j2", "alerts.html.j2", "error.html.j2"):
                self.env.get_template(name)
        except Exception:  # noqa: BLE001 - the request loads them (and reports a failure)
            log.debug("warm-up of the templates failed", exc_info=True)
        if self.worker is not None:  # its interpreter and imports now, not in the middle of requests
            try:
                self.worker.start()
            except Exception:  # noqa: BLE001 - the first job starts it (and reports a failure)
                log.debug("start of the worker process failed", exc_info=True)
        try:
            with self.access.reader() as con:
                stored = {tuple(r) for r in con.execute("SELECT a, b FROM watch_dyads").fetchall()}
        except Exception:  # noqa: BLE001 - never watched
            stored = set()
        for a, b in self.dyads:
            if self._closing:
                return
            if (a, b) in stored or (b, a) in stored:
                continue  # the watchlist shows the state the watch stored
            try:
                with self.access.reader() as con:
                    self.state(con, a, b)
            except Exception:  # noqa: BLE001 - the page computes (and reports) it again
                log.debug("warm-up of %s-%s failed", a, b, exc_info=True)
        try:
            with self.access.reader() as con:
                self.freshness(con)
        except Exception:  # noqa: BLE001
            log.debug("warm-up of freshness failed", exc_info=True)

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            t0 = time.perf_counter()

            async def send_with_headers(message):
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    for k, v in (("content-security-policy", CSP), ("x-content-type-options", "nosniff"),
                                 ("referrer-policy", "no-referrer"), ("x-frame-options", "DENY"),
                                 ("server-timing", f"app;dur={(time.perf_counter() - t0) * 1000:.1f}")):
                        headers.append((k.encode(), v.encode()))
                    message = {**message, "headers": headers}
                await send(message)

            with self.cache.serving():  # the background gives way meanwhile (serve.cache)
                await self.asgi(scope, receive, send_with_headers)
            self.timings.append((scope.get("path", ""), time.perf_counter() - t0))
            del self.timings[:-10000]
        else:
            await self.asgi(scope, receive, send)

    def close(self, wait: float = 60.0) -> None:
        """Stop: drop the queued background computations, interrupt the running queries, wait (up to
        ``wait`` s) for the background and warm-up threads to leave DuckDB, then close the store (a
        process that exits while a thread is inside a DuckDB query aborts with "terminate called")."""
        deadline = time.monotonic() + wait
        self._closing = True
        self.cache.stop(0.0)
        self.access.interrupt()
        if self.worker is not None:  # its job ends (the background thread gets "stopping"), no child is left
            self.worker.close(min(5.0, max(0.0, deadline - time.monotonic())))
        self.cache.stop(max(0.0, deadline - time.monotonic()))
        self.warm.join(max(0.0, deadline - time.monotonic()))
        self.access.close(max(0.0, deadline - time.monotonic()))
        if self.cache.gate is not None:
            self.cache.gate.close()

    # -- helpers -------------------------------------------------------------------------
    @contextlib.contextmanager
    def background_reader(self):
        """A reader for a background job: each statement first waits while requests are served
        (:class:`dyadwatch.serve.cache.YieldingConnection`)."""
        with self.access.reader() as con:
            yield YieldingConnection(con, self.cache.yield_to_requests)

    def job(self, target: str, *args):
        """A background job: ``function(con, *args)`` for ``target`` = ``"module:function"``, run in the
        worker process (``background="process"``) or here on a :meth:`background_reader`."""
        if self.worker is not None:
            return self.worker.run(target, *args)
        import importlib

        module, _, name = target.partition(":")
        fn = getattr(importlib.import_module(module), name)
        with self.background_reader() as con:
            return fn(con, *args)

    def cached(self, con, name: str, params: tuple, compute):
        return self.cache.get(self.access.token(con), name, params, compute)

    def _pair(self, a: str, b: str) -> tuple[str, str]:
        from dyadwatch.analysis.actors import resolve_pair

        return tuple(f.label for f in resolve_pair(a, b))

    def state(self, con, a: str, b: str) -> dict:
        from dyadwatch.serve.state import dyad_state

        return self.cached(con, "state", (a, b), lambda: dyad_state(con, a, b))

    def freshness(self, con) -> list[dict]:
        """The freshness stamps (:func:`dyadwatch.serve.state.freshness`); the data sets' event-day
        ranges (a scan of the events) from the watch's store-wide part when current, else computed
        in the background (the stamps show no event days meanwhile, or the stored ones of an
        earlier state)."""
        from dyadwatch.serve import pages as P
        from dyadwatch.serve.state import freshness

        token = self.access.token(con)
        dstate, parts = self.stored_parts(con, token, *P.STORE_WIDE)
        stored = parts.get(("ranges", ""))
        if stored is not None and stored["state"] == dstate:
            ranges, source = stored["value"], ("stored", dstate)
        else:
            ranges, rstate, _ = self.cache.background(dstate, "ranges", (), lambda: self._ranges())
            source = ("computed", rstate)
            if ranges is None:
                ranges, source = (stored["value"], ("stored", stored["state"])) if stored is not None else ({}, ())
        return self.cache.get(token, "freshness", source, lambda: freshness(con, ranges))

    def stored_parts(self, con, token: str, a: str, b: str) -> tuple[str, dict]:
        """``(data state, parts)``: the store's :func:`dyadwatch.serve.pages.data_state` and the page parts the
        watch stored for dyad (a, b) (:func:`dyadwatch.serve.pages.load`; ``STORE_WIDE`` for the store-wide
        ones), both cached per store state ``token``."""
        from dyadwatch.serve import pages as P

        dstate = self.cache.get(token, "data_state", (), lambda: P.data_state(con))
        return dstate, self.cache.get(token, "pages", (a, b), lambda: P.load(con, a, b))

    def _ranges(self) -> dict:
        return self.job("dyadwatch.serve.state:dataset_ranges")

    def page_state(self, con, token: str, dstate: str, a: str, b: str) -> dict | None:
        """The dyad's state on its page: the one the watch stored (``watch_dyads``, as the watchlist
        shows it), else computed in the background (None until ready; ~1 s on 10 million events)."""
        from dyadwatch.serve.alerts import stored_state

        def stored():
            try:
                st = stored_state(con, a, b) or stored_state(con, b, a)
            except Exception:  # noqa: BLE001 - never watched (no watch_dyads table)
                st = None
            return {**st, "computed_by": "watch"} if st else None

        st = self.cache.get(token, "stored_state", (a, b), stored)
        if st is not None:
            return st
        got, _, _ = self.cache.background(dstate, "state", (a, b), lambda: self._state(a, b))
        return got

    def _state(self, a: str, b: str) -> dict:
        return self.job("dyadwatch.serve.state:dyad_state", a, b)

    def watchlist(self, con) -> list[dict]:
        """The watchlist's rows (:func:`dyadwatch.serve.views.watchlist`), cached per store state."""
        return self.cached(con, "watchlist", tuple(self.dyads),
                           lambda: V.watchlist(con, self.dyads, compute=lambda a, b: self.state(con, a, b)))

    def render(self, template: str, status: int = 200, **ctx) -> HTMLResponse:
        html = self.env.get_template(template).render(**ctx, watch=self.watch_status(), mode=self.access.mode,
                                                      now=dt.datetime.now(dt.timezone.utc))
        return HTMLResponse(html, status_code=status)

    def table(self, request: Request, payload: dict, rows: list[dict], columns: list[str] | None = None,
              name: str = "table") -> Response:
        if (request.query_params.get("format") or "json") == "csv":
            return PlainTextResponse(csv_text(rows, columns), media_type="text/csv; charset=utf-8",
                                     headers={"content-disposition": f'attachment; filename="{name}.csv"'})
        return Response(dumps(payload), media_type="application/json")

    async def on_error(self, request: Request, exc: Exception) -> Response:
        api = request.url.path.startswith("/api/")
        if isinstance(exc, DyadwatchError):
            status = 503 if isinstance(exc, StoreError) else 400
            text = exc.one_line()
        else:
            log.exception("internal error on %s", request.url.path)
            status, text = 500, f"internal error ({type(exc).__name__}); see the server log"
        if api:
            return JSONResponse({"error": text}, status_code=status)
        return self.render("error.html.j2", status=status, message=text, code=status)

    # -- pages -----------------------------------------------------------------------------
    def page_watchlist(self, request: Request):
        with self.access.reader() as con:
            rows = self.watchlist(con)
            fresh = self.freshness(con)
        return self.render("watchlist.html.j2", rows=rows, fresh=fresh, title="dyadwatch: watchlist")

    def page_alerts(self, request: Request):
        from dyadwatch.serve.alerts import list_alerts

        with self.access.reader() as con:
            rows = V._records(list_alerts(con, limit=1000))
        return self.render("alerts.html.j2", rows=rows, title="dyadwatch: alerts")

    def page_dyad(self, request: Request):
        """A dyad page from its precomputed parts (:mod:`dyadwatch.serve.pages`) when they are current;
        cheap parts (series, events, data sets: one indexed query each) computed in the request when
        not; heavy ones (change points, the report) never: a stored one of an earlier store state is
        shown marked so, and they are computed in the background (the page says so)."""
        from dyadwatch.codebooks.labels import pair_label, pair_name
        from dyadwatch.report.figures import CONFIG
        from dyadwatch.serve import pages as P
        from dyadwatch.serve.alerts import list_alerts

        a, b = self._pair(request.path_params["a"], request.path_params["b"])
        f = V.parse_filters(request.query_params)
        with self.access.reader() as con:
            token = self.access.token(con)
            dstate, pre = self.stored_parts(con, token, a, b)

            def current(name: str, params: str = ""):
                got = pre.get((name, params))
                return got["value"] if got is not None and got["state"] == dstate else None

            if (request.query_params.get("freq") or "").strip():
                freq_reason = None
            else:  # no period asked for: the one the pair's data fill (dyad-years: year)
                month = V.Filters(freq="month")  # the month series it reads is the page's when month is chosen
                freq, freq_reason = current("default_freq") or self.cache.get(
                    dstate, "default_freq", (a, b), lambda: V.default_freq(con, a, b, month=lambda: self.cache.get(
                        dstate, "series", (a, b, month.key()), lambda: V.series(con, a, b, month))))
                f = dataclasses.replace(f, freq=freq)
            plain = f == V.Filters(freq=f.freq)  # no filter but the period: the precomputed parts
            rows = (current("series", f.freq) if plain else None)
            if rows is None:
                rows = self.cache.get(dstate, "series", (a, b, f.key()), lambda: V.series(con, a, b, f))
            evs = current("events") if not (f.date_from or f.date_to or f.roots or f.datasets) else None
            if evs is None:
                evs = self.cache.get(dstate, "events", (a, b, f.date_from, f.date_to, f.roots, f.datasets),
                                     lambda: V.events(con, a, b, date_from=f.date_from, date_to=f.date_to,
                                                      roots=list(f.roots), datasets=list(f.datasets),
                                                      limit=V.EVENTS_SHOWN, order="newest"))
            datasets = current("datasets")
            if datasets is None:
                datasets = self.cache.get(dstate, "datasets", (a, b), lambda: V.dyad_datasets(con, a, b))
            state = self.page_state(con, token, dstate, a, b)
            alerts = self.cache.get(token, "alerts", (a, b), lambda: V._records(list_alerts(con, a=a, b=b, limit=50)))
        figures = {}
        # change points: precomputed, else computed in the background (an earlier result shown meanwhile)
        breaks = current("changes", f.freq) if plain else None
        breaks_status, breaks_error = "current", None
        if breaks is None:
            got, _, fresh = self.cache.background(dstate, "changes", (a, b, f.key()), lambda: self._changes(a, b, f))
            stored = pre.get(("changes", f.freq)) if plain else None
            if fresh:
                breaks = got
            elif stored is not None:
                breaks, breaks_status = stored["value"], "stale"
            elif got is not None:
                breaks, breaks_status = got, "stale"
            else:
                breaks_error = self.cache.errors.get(("changes", (a, b, f.key())))
                breaks, breaks_status = [], ("failed" if breaks_error else "computing")
        fig = current("figure.series", f.freq) if plain and breaks_status == "current" else None
        if fig is None and rows:
            fig = self.cache.get(dstate, "figure.series", (a, b, f.key(), breaks_status),
                                 lambda: P.series_figure_of(rows, f.freq, breaks, f.directed))
        if fig:
            figures["series"] = fig
        # the report: precomputed, else computed in the background
        report, report_current = self.report_of(pre.get(("report", "")), dstate, a, b)
        if current("report") is not None:  # the stored figures with it
            figures.update({k: v for k in P.REPORT_FIGURES if (v := current(f"figure.{k}")) is not None})
        elif report is not None:
            figures.update(self.cache.get(dstate, "report_figures", (a, b, str(report.get("generated"))),
                                          lambda: P.report_figures(report)))
        error = self.cache.errors.get(("report", (a, b)))
        # each figure as the page embeds it (JSON for a script block), serialised once per store state
        report_id = str(report.get("generated")) if report else None
        figures = {k: self.cache.get(dstate, "figure_json", (a, b, k, f.key(), breaks_status, report_id),
                                     lambda v=v: _script_json(v)) for k, v in figures.items()}
        q = urlencode(f.query(), doseq=True)
        eq = urlencode([("a", a), ("b", b)] + [(k, v) for k, v in f.query() if k in ("from", "to", "root", "dataset")])
        return self.render("dyad.html.j2", a=a, b=b, title=f"{pair_name(a, b)}: dyadwatch", label=pair_label(a, b),
                           f=f, q=q, eq=eq, rows=rows, breaks=breaks, breaks_status=breaks_status, breaks_error=breaks_error, evs=evs,
                           datasets=datasets, state=state, alerts=alerts, report=report,
                           report_current=report_current, report_error=error, figures=figures, plot_config=CONFIG,
                           roots=_roots(), freqs=V.FREQS, name=pair_name(a, b), freq_reason=freq_reason)

    def _changes(self, a: str, b: str, f) -> list[dict]:
        return self.job("dyadwatch.serve.views:changes", a, b, f)

    def report_of(self, stored: dict | None, dstate: str, a: str, b: str) -> tuple[dict | None, bool]:
        """``(report, current)``: the report the watch stored (``stored``, a :func:`dyadwatch.serve.pages.load`
        part) when computed on ``dstate``; else the background's (computed on ``dstate`` or an earlier state),
        else the stored one of an earlier state; ``(None, False)`` while it is first computed."""
        if stored is not None and stored["state"] == dstate:
            return stored["value"], True
        report, _, current = self.cache.background(dstate, "report", (a, b), lambda: self._report(a, b))
        if report is None and stored is not None:
            report = stored["value"]
        return report, current

    def _report(self, a: str, b: str) -> dict:
        return self.job("dyadwatch.serve.views:report", a, b)

    # -- API -------------------------------------------------------------------------------
    def api_index(self, request: Request):
        """``/api/``: the endpoints, each with its parameters and the command line that prints the same numbers."""
        return JSONResponse({"api": "dyadwatch", "version": _version(), "store": str(self.access.path),
                             "endpoints": API_ENDPOINTS})

    def api_dyad(self, request: Request):
        a, b = self._pair(request.path_params["a"], request.path_params["b"])
        f = V.parse_filters(request.query_params, default_freq="year")
        with self.access.reader() as con:
            rows = self.cached(con, "series", (a, b, f.key()), lambda: V.series(con, a, b, f))
        return self.table(request, {"a": a, "b": b, "filters": dict(f.query()), "series": rows}, rows,
                          V.SERIES_KEYS, name=f"dyad-{a}-{b}-{f.freq}")

    def api_events(self, request: Request):
        qp = request.query_params
        a, b = self._pair(qp.get("a") or "", qp.get("b") or "")
        limit = qp.get("limit")
        try:
            limit = None if not limit else int(limit)
        except ValueError:
            raise UsageError(f"limit must be a whole number, not {limit!r}") from None
        roots = [r for r in qp.getlist("root") if r.strip()]
        datasets = [d for d in qp.getlist("dataset") if d.strip()]
        order = qp.get("order") or "date"
        key = (a, b, qp.get("from"), qp.get("to"), qp.get("period"), tuple(roots), tuple(datasets), limit, order)
        with self.access.reader() as con:
            res = self.cached(con, "events_api", key, lambda: V.events(
                con, a, b, date_from=qp.get("from") or None, date_to=qp.get("to") or None,
                period=qp.get("period") or None, roots=roots, datasets=datasets, limit=limit, order=order))
        return self.table(request, {"a": a, "b": b, **res}, res["events"], name=f"events-{a}-{b}")

    def api_changes(self, request: Request):
        a, b = self._pair(request.path_params["a"], request.path_params["b"])
        f = V.parse_filters(request.query_params, default_freq="year")
        with self.access.reader() as con:
            rows = self.cached(con, "changes", (a, b, f.key()), lambda: V.changes(con, a, b, f))
        flat = [{k: v for k, v in r.items() if k not in ("events", "quad_class_shift")} for r in rows]
        return self.table(request, {"a": a, "b": b, "breaks": rows}, flat, name=f"changes-{a}-{b}")

    def api_profile(self, request: Request):
        a, b = self._pair(request.path_params["a"], request.path_params["b"])
        with self.access.reader() as con:
            rows = self.cached(con, "profile", (a, b), lambda: V.profile(con, a, b))
        return self.table(request, {"a": a, "b": b, "years": rows}, rows, name=f"profile-{a}-{b}")

    def api_report(self, request: Request):
        a, b = self._pair(request.path_params["a"], request.path_params["b"])
        with self.access.reader() as con:
            token = self.access.token(con)
            dstate, parts = self.stored_parts(con, token, a, b)
        report, current = self.report_of(parts.get(("report", "")), dstate, a, b)
        error = self.cache.errors.get(("report", (a, b)))
        status = "ready" if current else ("stale" if report else ("failed" if error else "computing"))
        return JSONResponse(json.loads(dumps({"status": status, "error": error, "report": report})),
                            status_code=200 if report else 202)

    def api_alerts(self, request: Request):
        from dyadwatch.serve.alerts import ALERT_COLUMNS, list_alerts

        qp = request.query_params
        a, b = qp.get("a"), qp.get("b")
        with self.access.reader() as con:
            rows = V._records(list_alerts(con, a=a, b=b, limit=None))
        return self.table(request, {"alerts": rows}, rows, ALERT_COLUMNS, name="alerts")

    def api_watchlist(self, request: Request):
        with self.access.reader() as con:
            rows = self.watchlist(con)
        flat = [{"a": r["a"], "b": r["b"], "arrow": r["arrow"], "rationale": r["rationale"],
                 "verdict": (r.get("verdict") or {}).get("verdict"), "verdict_year": (r.get("verdict") or {}).get("year"),
                 "confidence": (r.get("verdict") or {}).get("confidence"), "latest_date": r.get("latest_date"),
                 "alerts": r["alerts"]} for r in rows]
        return self.table(request, {"dyads": rows}, flat, name="watchlist")

    def api_freshness(self, request: Request):
        with self.access.reader() as con:
            rows = self.freshness(con)
        return self.table(request, {"sources": rows}, rows, name="freshness")

    # -- assets ----------------------------------------------------------------------------
    def static(self, request: Request):
        name = request.path_params["name"]
        if name == "plotly.min.js":
            with self._plotly_lock:
                if self._plotly is None:
                    from plotly.offline import get_plotlyjs

                    self._plotly = get_plotlyjs().encode("utf-8")
            return Response(self._plotly, media_type="text/javascript; charset=utf-8",
                            headers={"cache-control": "public, max-age=86400"})
        if name not in ("app.js", "app.css"):
            return PlainTextResponse("not found", status_code=404)
        kind = "text/javascript" if name.endswith(".js") else "text/css"
        return Response((STATIC / name).read_bytes(), media_type=f"{kind}; charset=utf-8",
                        headers={"cache-control": "no-cache"})

    def healthz(self, request: Request):
        with self.access.reader() as con:
            token = self.access.token(con)
        return JSONResponse({"ok": True, "store": str(self.access.path), "mode": self.access.mode, "state": token,
                             "background": self.cache.pending(), "warm": not self.warm.is_alive()})


#: the JSON API's endpoints as ``/api/`` lists them (every table endpoint also answers ``?format=csv``)
API_ENDPOINTS = [
    {"path": "/api/dyad/{a}/{b}", "params": "freq (day|week|month|quarter|year, default year), from, to, root, "
                                            "dataset, directed, format=csv",
     "returns": "the dyad series per period", "cli": "dyadwatch dyad A B --format json"},
    {"path": "/api/events",
     "params": "a, b, from, to, period, root, dataset, limit, order (date|newest|intensity), format=csv",
     "returns": "the events behind a figure", "cli": "dyadwatch events A B --format json"},
    {"path": "/api/changes/{a}/{b}", "params": "as /api/dyad", "returns": "change points (PELT, BIC penalty)",
     "cli": "dyadwatch changes A B --format json"},
    {"path": "/api/profile/{a}/{b}", "params": "format=csv", "returns": "verdict per year with reasons and coverage",
     "cli": "dyadwatch profile A B --format json"},
    {"path": "/api/report/{a}/{b}", "params": "", "returns": "the report's content (202 while it is computed)",
     "cli": "dyadwatch report A B --format json"},
    {"path": "/api/alerts", "params": "a, b, format=csv", "returns": "alerts, newest first", "cli": None},
    {"path": "/api/watchlist", "params": "format=csv", "returns": "the watched pairs with arrow and verdict",
     "cli": None},
    {"path": "/api/freshness", "params": "format=csv", "returns": "newest event and last store time per data set",
     "cli": None},
]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("dyadwatch")
    except PackageNotFoundError:
        return "unknown"


def _fmt(x, nd: int = 2) -> str:
    if x is None or (isinstance(x, float) and x != x):
        return "—"
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        return f"{x:,.{nd}f}"
    return str(x)


def _script_json(obj) -> str:
    """``obj`` as JSON safe inside ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped); a value
    already serialised so (a :class:`markupsafe.Markup`) is returned as it is."""
    from markupsafe import Markup

    from dyadwatch.report.build import script_json

    if isinstance(obj, Markup):
        return obj
    return Markup(script_json(json.loads(dumps(obj))))


def _roots() -> list[tuple[str, str]]:
    from dyadwatch.codebooks.labels import cameo_name

    return [(f"{i:02d}", cameo_name(f"{i:02d}") or "") for i in range(1, 21)]


def create_app(db, **kwargs) -> App:
    """The ASGI application over store ``db`` (see :class:`App`)."""
    return App(db, **kwargs)
