"""Plotly figures of the web app's dyad page (plain dicts; the page draws them with the local plotly.js).

The report's own figures (:mod:`dyadwatch.report.figures`: classification,
alignment, comparison) are reused as they are; the series figure here is the
report's at any frequency: events per period (bars, right axis) and net
cooperation (line, left axis, −1…+1) on a date axis, with the change points
numbered above the plot as in the report. A short series gets one tick per
period in its frequency's format, and a single period an explicit range
around it (:func:`x_axis`).

:func:`series_figure` writes the figure's dict directly (~1 ms) instead of
building a ``plotly.graph_objects.Figure`` and validating it (40–400 ms for
a monthly series on a loaded machine: too slow for a page's request);
:func:`series_figure_plotly` is the same figure through plotly, the
reference it is tested equal to.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import threading

import plotly.graph_objects as go

from dyadwatch.report.figures import _as_dict, fitted_range, value_axis


_TEMPLATE: dict | None = None
_TEMPLATE_LOCK = threading.Lock()


def _template() -> dict:
    """The ``plotly_white`` template as plotly writes it into a figure's layout (computed once)."""
    global _TEMPLATE
    with _TEMPLATE_LOCK:
        if _TEMPLATE is None:
            import plotly.io as pio

            _TEMPLATE = json.loads(pio.to_json(go.Figure(layout=dict(template="plotly_white")), validate=True))[
                "layout"]["template"]
    return _TEMPLATE


#: the x axis' tick format per frequency (d3-time-format, as plotly.js uses it)
TICK_FORMATS = {"year": "%Y", "quarter": "%b %Y", "month": "%b %Y", "week": "%Y-%m-%d", "day": "%Y-%m-%d"}
#: up to this many periods, one tick per period (at its first day) in the frequency's format (unrotated at 800 px);
#: more: plotly's automatic ticks
MAX_PERIOD_TICKS = 6
#: a bar's share of its period (plotly's default gap between bars: 0.2)
BAR_SHARE = 0.8


def _next_start(start: dt.date, freq: str) -> dt.date:
    """The first day of the period after the one starting on ``start``."""
    if freq in ("day", "week"):
        return start + dt.timedelta(days=1 if freq == "day" else 7)
    months = {"month": 1, "quarter": 3, "year": 12}[freq]
    m = start.month - 1 + months
    return dt.date(start.year + m // 12, m % 12 + 1, 1)


def x_axis(starts: list[str], freq: str) -> tuple[dict, int | None]:
    """The date x axis of a series figure, and the bars' width (ms; None: plotly's own).

    ``starts``: each period's first day (ISO), one x per period. Up to :data:`MAX_PERIOD_TICKS`
    distinct periods get one tick each, in :data:`TICK_FORMATS` of ``freq`` ("2018", "Apr 2018",
    "2018-06-04"); more are left to plotly's automatic ticks. A single period (every point at one
    x) gets an explicit range of ± half its period around its first day, and a bar
    :data:`BAR_SHARE` of the period wide: plotly's automatic range of one date spans a millisecond
    and labels it "23:59:59.9996 Dec 31, 2017".
    """
    axis: dict = {"type": "date"}
    xs = sorted(set(starts))
    if not xs or len(xs) > MAX_PERIOD_TICKS:
        return axis, None
    axis.update({"tickformat": TICK_FORMATS[freq], "tickmode": "array", "tickvals": xs})
    if len(xs) > 1:
        return axis, None
    start = dt.date.fromisoformat(xs[0][:10])
    length = dt.datetime.combine(_next_start(start, freq), dt.time()) - dt.datetime.combine(start, dt.time())
    at = dt.datetime.combine(start, dt.time())
    axis["range"] = [(at - length / 2).isoformat(sep=" "), (at + length / 2).isoformat(sep=" ")]
    return axis, round(BAR_SHARE * length.total_seconds() * 1000)


def series_figure(rows: list[dict], starts: list[str], freq: str, breaks: list[dict], title: str) -> dict | None:
    """Events (bars) and net cooperation (line) per period, breaks as numbered dotted lines: the dict of
    :func:`series_figure_plotly` written directly (same arguments and result, without plotly's validation)."""
    if not rows:
        return None
    label = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}[freq]
    periods = [r["period"] for r in rows]
    values = [r["net_coop"] for r in rows]
    xaxis, width = x_axis(starts, freq)
    bar = {"customdata": list(periods), "hovertemplate": "%{customdata}: %{y:,} events<extra></extra>",
           "marker": {"color": "#cfcfcf"}, "name": "events (right axis)", "x": list(starts),
           "y": [r["events"] for r in rows], "type": "bar"}
    if width is not None:
        bar["width"] = width
    data = [bar,
            {"cliponaxis": False, "connectgaps": False, "customdata": list(periods),
             "hovertemplate": "%{customdata}: net cooperation %{y:.2f}<extra></extra>",
             "line": {"color": "#2c7fb8", "width": 2.5}, "mode": "lines+markers",
             "name": "net cooperation (left axis)", "x": list(starts), "y": values, "yaxis": "y2", "type": "scatter"}]
    where = {str(r["period"]): s for r, s in zip(rows, starts)}
    by_period: dict[str, list[int]] = {}
    for br in breaks:
        if str(br["period"]) in where:
            by_period.setdefault(str(br["period"]), []).append(br["number"])
    layout: dict = {}
    if by_period:
        layout["shapes"] = [{"line": {"color": "#d73027", "dash": "dot", "width": 1.5}, "type": "line",
                             "x0": where[p], "x1": where[p], "xref": "x", "y0": 0, "y1": 1, "yref": "paper"}
                            for p in sorted(by_period)]
        layout["annotations"] = [{"bgcolor": "#d73027", "bordercolor": "#d73027", "borderpad": 2,
                                  "font": {"color": "#ffffff", "size": 11}, "showarrow": False,
                                  "text": ", ".join(str(n) for n in by_period[p]), "x": where[p], "y": 1.0,
                                  "yanchor": "bottom", "yref": "paper"} for p in sorted(by_period)]
    axis = value_axis(fitted_range(values, lo=-1.0, hi=1.0), "net cooperation (−1…+1)", zeroline=True,
                      overlaying="y", side="left")
    axis["title"] = {"text": axis["title"]}
    layout.update({
        "yaxis2": axis,
        "yaxis": {"title": {"text": f"events per {label}"}, "side": "right", "showgrid": False, "rangemode": "tozero"},
        "xaxis": xaxis,
        "title": {"text": title + (" · change points numbered" if by_period else ""), "font": {"size": 15},
                  "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top"},
        "barmode": "overlay", "margin": {"l": 60, "r": 60, "t": 90, "b": 40},
        "legend": {"orientation": "h", "y": -0.14, "yanchor": "top", "x": 0, "xanchor": "left"},
        "font": {"size": 12}, "height": 400, "hovermode": "closest", "template": copy.deepcopy(_template())})
    return {"data": data, "layout": layout}


def series_figure_plotly(rows: list[dict], starts: list[str], freq: str, breaks: list[dict],
                         title: str) -> dict | None:
    """Events (bars) and net cooperation (line) per period, breaks as numbered dotted lines.

    ``rows``: :func:`dyadwatch.serve.views.series` rows (one direction); ``starts``: each row's
    first day (ISO); ``breaks``: :func:`dyadwatch.serve.views.changes` rows. None without rows.
    """
    if not rows:
        return None
    label = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}[freq]
    xaxis, width = x_axis(starts, freq)
    fig = go.Figure()
    fig.add_bar(x=starts, y=[r["events"] for r in rows], name="events (right axis)", marker_color="#cfcfcf",
                customdata=[r["period"] for r in rows], hovertemplate="%{customdata}: %{y:,} events<extra></extra>",
                **({"width": width} if width is not None else {}))
    values = [r["net_coop"] for r in rows]
    fig.add_scatter(x=starts, y=values, yaxis="y2", name="net cooperation (left axis)", mode="lines+markers",
                    line=dict(color="#2c7fb8", width=2.5), connectgaps=False, cliponaxis=False,
                    customdata=[r["period"] for r in rows],
                    hovertemplate="%{customdata}: net cooperation %{y:.2f}<extra></extra>")
    where = {str(r["period"]): s for r, s in zip(rows, starts)}
    by_period: dict[str, list[int]] = {}
    for br in breaks:
        if str(br["period"]) in where:
            by_period.setdefault(str(br["period"]), []).append(br["number"])
    for p, numbers in sorted(by_period.items()):
        fig.add_shape(type="line", x0=where[p], x1=where[p], y0=0, y1=1, yref="paper", xref="x",
                      line=dict(color="#d73027", dash="dot", width=1.5))
        fig.add_annotation(x=where[p], y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=", ".join(str(n) for n in numbers), font=dict(size=11, color="#ffffff"),
                           bgcolor="#d73027", bordercolor="#d73027", borderpad=2)
    rng = fitted_range(values, lo=-1.0, hi=1.0)
    fig.update_layout(title=title + (" · change points numbered" if by_period else ""),
                      yaxis2=value_axis(rng, "net cooperation (−1…+1)", zeroline=True, overlaying="y", side="left"),
                      yaxis=dict(title=f"events per {label}", side="right", showgrid=False, rangemode="tozero"),
                      xaxis=xaxis, barmode="overlay")
    return _as_dict(fig, height=400, top=90)
