"""Plotly figures of the web app's dyad page (plain dicts; the page draws them with the local plotly.js).

The report's own figures (:mod:`dyadwatch.report.figures`: classification,
alignment, comparison) are reused as they are; the series figure here is the
report's at any frequency: events per period (bars, right axis) and net
cooperation (line, left axis, −1…+1) on a date axis, with the change points
numbered above the plot as in the report.
"""

from __future__ import annotations

import plotly.graph_objects as go

from dyadwatch.report.figures import _as_dict, fitted_range, value_axis


def series_figure(rows: list[dict], starts: list[str], freq: str, breaks: list[dict], title: str) -> dict | None:
    """Events (bars) and net cooperation (line) per period, breaks as numbered dotted lines.

    ``rows``: :func:`dyadwatch.serve.views.series` rows (one direction); ``starts``: each row's
    first day (ISO); ``breaks``: :func:`dyadwatch.serve.views.changes` rows. None without rows.
    """
    if not rows:
        return None
    label = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}[freq]
    fig = go.Figure()
    fig.add_bar(x=starts, y=[r["events"] for r in rows], name="events (right axis)", marker_color="#cfcfcf",
                customdata=[r["period"] for r in rows], hovertemplate="%{customdata}: %{y:,} events<extra></extra>")
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
                      xaxis=dict(type="date"), barmode="overlay")
    return _as_dict(fig, height=400, top=90)
