"""Plotly figures of the report, built from the content dict (:mod:`.content`).

Each function returns a Plotly figure as a plain dict (``fig.to_plotly_json``
through ``plotly.io.to_json``) or ``None`` when there is nothing to draw; the
HTML page renders them with the plotly.js bundle inlined once.

Rules every figure follows, so it reads at 1400 and at 800 px:

- years are integers on a numeric axis (no "2,015.5"), one tick per year up
  to :data:`MAX_YEAR_TICKS` years, else every second or fifth;
- the y-range is fitted to the data (with a margin, so no marker is clipped)
  and the axis title states the full scale of the measure;
- change points are numbered markers above the plot area, one per year
  (several breaks of one year share a marker: "2, 5"); the report's table
  beside the chart is their legend;
- a thin year (fewer than ``relations.MIN_EVENTS`` events, or a year whose
  event coverage the profile calls thin) is a hollow marker, named in the
  legend and the hover text: it is drawn, but does not weigh like a full year;
- the title sits in the top margin, left, and the plot toolbar (shown on
  hover) in the top margin, right: neither covers data; the legend is below
  the x axis.
"""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import plotly.io as pio

LABEL_COLOURS = {"friendly": "#1a9850", "neutral": "#91bfdb", "mixed": "#fdae61", "hostile": "#d73027"}
#: one tick per year up to this many years
MAX_YEAR_TICKS = 14
#: plotly config of every figure (the page passes it to Plotly.newPlot)
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": "hover",
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"]}


def _as_dict(fig: go.Figure, height: int = 380, top: int = 80) -> dict:
    fig.update_layout(margin=dict(l=60, r=60, t=top, b=40), height=height, template="plotly_white",
                      title=dict(x=0.01, xanchor="left", y=0.98, yanchor="top", font=dict(size=15)),
                      legend=dict(orientation="h", y=-0.14, yanchor="top", x=0, xanchor="left"),
                      font=dict(size=12), hovermode="closest")
    return json.loads(pio.to_json(fig, validate=True))


def level(br: dict, key: str) -> str:
    """A break's level in readable units (see :func:`dyadwatch.analysis.changes.level_text`)."""
    from dyadwatch.analysis.changes import level_text

    return level_text(br["measure"], br[key])


def year_axis(years: list[int]) -> dict:
    """An x axis of integer years: linear ticks every 1, 2 or 5 years, no decimals."""
    years = sorted({int(y) for y in years})
    if not years:
        return dict(tickformat="d")
    span = years[-1] - years[0] + 1
    step = 1 if span <= MAX_YEAR_TICKS else (2 if span <= 2 * MAX_YEAR_TICKS else 5)
    start = years[0] - (years[0] % step if step > 1 else 0)
    return dict(tickmode="linear", tick0=start, dtick=step, tickformat="d",
                range=[years[0] - 0.6, years[-1] + 0.6])


def value_axis(rng: list[float], title: str, **extra) -> dict:
    """A y axis over ``rng`` with round ticks (0.05, 0.1, 0.2, 0.25 or 0.5 apart) and two decimals."""
    span = rng[1] - rng[0]
    step = next((s for s in (0.05, 0.1, 0.2, 0.25, 0.5) if span / s <= 7), 1.0)
    return dict(title=title, range=rng, tickmode="linear", tick0=0, dtick=step,
                tickformat=".2f" if step < 0.1 else ".1f", **extra)


def fitted_range(values, *, lo: float, hi: float, pad: float = 0.08, min_span: float = 0.2) -> list[float]:
    """A y-range around ``values`` (None skipped) within [lo, hi], padded so markers are not clipped."""
    vs = [float(v) for v in values if v is not None and v == v]
    if not vs:
        return [lo, hi]
    a, b = min(vs), max(vs)
    if b - a < min_span:
        mid = (a + b) / 2
        a, b = mid - min_span / 2, mid + min_span / 2
    span = b - a
    a, b = a - pad * span, b + pad * span
    return [max(lo - pad * span, a), min(hi + pad * span, b)]


def _year(x) -> int | None:
    try:
        return int(str(x)[:4])
    except (TypeError, ValueError):
        return None


def _baseline_traces(fig: go.Figure, rows: list[dict], *, yaxis: str = "y", label: str) -> list[float]:
    """Own band (shaded) and comparable pairs' median (dashed) of one series; returns the values drawn."""
    if not rows:
        return []
    drawn = []
    r0 = rows[0]
    years = [r["year"] for r in rows]
    if r0.get("own_lo") is not None:
        x0, x1 = min(years) - 0.5, max(years) + 0.5
        fig.add_scatter(x=[x0, x1, x1, x0, x0], y=[r0["own_lo"], r0["own_lo"], r0["own_hi"], r0["own_hi"], r0["own_lo"]],
                        fill="toself", fillcolor="rgba(44,127,184,0.10)", line=dict(width=0), mode="lines",
                        name=f"{label}: own mean ± 1 SD", hoverinfo="skip", yaxis=yaxis)
        drawn += [r0["own_lo"], r0["own_hi"]]
    med = [(r["year"], r["region_median"]) for r in rows if r.get("region_median") is not None]
    if med:
        group = next(r["region_group"] for r in rows if r.get("region_median") is not None)
        fig.add_scatter(x=[m[0] for m in med], y=[m[1] for m in med], mode="lines+markers", name=f"median of {group}",
                        line=dict(color="#777777", dash="dash", width=1.5), marker=dict(size=5), yaxis=yaxis,
                        cliponaxis=False)
        drawn += [m[1] for m in med]
    return drawn


#: marker of a year with enough events, and of a thin one (hollow)
FULL_MARKER, THIN_MARKER = "circle", "circle-open"


def thin_years(content: dict) -> set[int]:
    """Years whose events are thin: the profile's event coverage says ``thin`` or ``presumed``
    (:mod:`dyadwatch.analysis.coverage`)."""
    out = set()
    for p in content.get("verdicts") or []:
        status = ((p.get("coverage") or {}).get("events") or {}).get("status")
        if status in ("thin", "presumed") and _year(p.get("year")) is not None:
            out.add(_year(p.get("year")))
    return out


def _is_thin(year: int, events, thin: set[int]) -> bool:
    """Fewer than :data:`dyadwatch.analysis.relations.MIN_EVENTS` events (the label threshold), or thin coverage."""
    from dyadwatch.analysis.relations import MIN_EVENTS

    return year in thin or events is None or events != events or int(events) < MIN_EVENTS


def _thin_legend(fig, colour: str, yaxis: str | None = None) -> None:
    """A legend-only entry saying what the hollow marker means."""
    from dyadwatch.analysis.relations import MIN_EVENTS

    kw = {"yaxis": yaxis} if yaxis else {}
    fig.add_scatter(x=[None], y=[None], mode="markers", name=f"hollow marker: thin year (under {MIN_EVENTS} "
                    "events, or a thin sample of the year's events)", hoverinfo="skip",
                    marker=dict(symbol=THIN_MARKER, size=10, color=colour, line=dict(width=2)), **kw)


def _thin_marker(fig, years, events, thin: set[int], colour: str, yaxis: str | None = None) -> list:
    """A legend-only entry explaining the hollow marker when any point is thin; returns the hover note
    of each point (``" — thin year: …"`` or ``""``), which also picks its symbol (:func:`_symbols`)."""
    flags = [_is_thin(y, n, thin) for y, n in zip(years, events)]
    if any(flags):
        _thin_legend(fig, colour, yaxis)
    return [" — thin year: few events, read with care" if f else "" for f in flags]


def _symbols(notes: list) -> list:
    return [THIN_MARKER if n else FULL_MARKER for n in notes]


def series_figure(content: dict) -> dict | None:
    """Net cooperation (left axis, fitted) and events (bars, right axis) per year, with the pair's own
    band, the median of comparable pairs, and numbered change points above the plot."""
    s = [r for r in content["series"] if _year(r["period"]) is not None]
    if not s:
        return None
    x = [_year(r["period"]) for r in s]
    fig = go.Figure()
    fig.add_bar(x=x, y=[r["events"] for r in s], name="events (right axis)", yaxis="y", marker_color="#d9d9d9",
                opacity=0.6, hovertemplate="%{x}: %{y:,} events<extra></extra>")
    values = [r["net_coop"] for r in s]
    drawn = _baseline_traces(fig, (content.get("baselines") or {}).get("net_coop") or [], label="net cooperation",
                             yaxis="y2")
    notes = _thin_marker(fig, x, [r["events"] for r in s], thin_years(content), "#2c7fb8", yaxis="y2")
    fig.add_scatter(x=x, y=values, name="net cooperation (left axis)", mode="lines+markers", cliponaxis=False,
                    yaxis="y2", customdata=[[r["events"], n] for r, n in zip(s, notes)],
                    line=dict(color="#2c7fb8", width=3), connectgaps=False,
                    marker=dict(symbol=_symbols(notes), size=[11 if n else 8 for n in notes], line=dict(width=2)),
                    hovertemplate="%{x}: net cooperation %{y:.2f} over %{customdata[0]:,} events"
                                  "%{customdata[1]}<extra></extra>")
    by_year: dict[int, list[int]] = {}
    for br in content["changes"]:
        y = _year(br["period"])
        if y is not None:
            by_year.setdefault(y, []).append(br.get("number") or 0)
    for y, numbers in sorted(by_year.items()):
        fig.add_shape(type="line", x0=y - 0.5, x1=y - 0.5, y0=0, y1=1, yref="paper", xref="x",
                      line=dict(color="#d73027", dash="dot", width=1.5))
        fig.add_annotation(x=y - 0.5, y=1.0, yref="paper", yanchor="bottom", showarrow=False,
                           text=", ".join(str(n) for n in numbers), font=dict(size=11, color="#ffffff"),
                           bgcolor="#d73027", bordercolor="#d73027", borderpad=2,
                           hovertext=f"change point(s) {', '.join(str(n) for n in numbers)}: see the table below")
    rng = fitted_range(values + drawn, lo=-1.0, hi=1.0)
    zoomed = rng[0] > -1.0 or rng[1] < 1.0
    fig.update_layout(title="Events and net cooperation per year" + (" · change points numbered" if by_year else ""),
                      # the bars on the first axis (drawn first, right side), the net-cooperation line on the
                      # overlaying second axis (drawn on top of the bars, left side)
                      yaxis2=value_axis(rng, "net cooperation" + (" (zoomed; −1…+1)" if zoomed else " (−1…+1)"),
                                        zeroline=True, overlaying="y", side="left"),
                      yaxis=dict(title="events per year", side="right", showgrid=False, rangemode="tozero"),
                      xaxis=year_axis(x), barmode="overlay")
    return _as_dict(fig, height=420, top=90)


def classification_figure(content: dict) -> dict | None:
    """Posterior probability of each label per year (stacked bars)."""
    cls = [r for r in content["classification"] if _year(r["period"]) is not None]
    if not cls:
        return None
    x = [_year(r["period"]) for r in cls]
    fig = go.Figure()
    for lab, colour in LABEL_COLOURS.items():
        fig.add_bar(x=x, y=[r[f"p_{lab}"] for r in cls], name=lab, marker_color=colour,
                    hovertemplate=f"%{{x}}: P({lab}) = %{{y:.2f}}<extra></extra>")
    fig.update_layout(barmode="stack", title="Relation label per year: probability of each label (blank: too few events)",
                      yaxis=dict(title="probability (0…1)", range=[0, 1.02]), xaxis=year_axis(x))
    return _as_dict(fig)


def alignment_figure(content: dict) -> dict | None:
    """UN voting kappa (fitted axis, with the pair's band and comparable pairs' median) and agreement per year."""
    from dyadwatch.analysis.profile import MIN_VOTES

    al = [r for r in content["alignment"] if r["voting"] and r["voting"]["n"] >= MIN_VOTES]
    if not al:
        return None
    x = [r["year"] for r in al]
    fig = go.Figure()
    drawn = _baseline_traces(fig, (content.get("baselines") or {}).get("kappa") or [], label="kappa")
    kappa = [r["voting"]["kappa"] for r in al]
    fig.add_scatter(x=x, y=kappa, name="kappa, all roll calls", mode="lines+markers", cliponaxis=False,
                    line=dict(color="#2c7fb8", width=3), customdata=[r["voting"]["n"] for r in al],
                    hovertemplate="%{x}: kappa %{y:.2f} over %{customdata} roll calls<extra></extra>")
    agree = [r["voting"]["agree"] for r in al]
    fig.add_scatter(x=x, y=agree, name="agreement share", mode="lines", line=dict(dash="dot", color="#e6550d"),
                    cliponaxis=False, hovertemplate="%{x}: agreement %{y:.2f}<extra></extra>")
    topic = [r for r in al if r["voting_topic"] and r["voting_topic"]["n"] >= 2]
    if topic:
        fig.add_scatter(x=[r["year"] for r in topic], y=[r["voting_topic"]["kappa"] for r in topic],
                        name=f"kappa on '{content['summary']['topic']}' (few roll calls)", mode="markers",
                        marker=dict(size=8, symbol="diamond", color="#31a354"), cliponaxis=False,
                        customdata=[r["voting_topic"]["n"] for r in topic],
                        hovertemplate="%{x}: topic kappa %{y:.2f} over %{customdata} roll calls<extra></extra>")
    tk = [r["voting_topic"]["kappa"] for r in topic]
    rng = fitted_range(kappa + agree + drawn + tk, lo=-1.0, hi=1.0)
    fig.update_layout(title="UN General Assembly voting: kappa and agreement",
                      yaxis=value_axis(rng, "kappa, agreement (zoomed)"),
                      xaxis=year_axis(x))
    return _as_dict(fig, height=400)


def comparison_figure(content: dict) -> dict | None:
    """Net cooperation per year of the pair and its comparison pairs (names in the legend)."""
    from dyadwatch.codebooks.labels import pair_name

    blocks = [{"a": content["a"], "b": content["b"], "classification": content["classification"]},
              *content["comparison"]]
    if not any(b["classification"] for b in blocks):
        return None
    fig = go.Figure()
    values, years = [], []
    thin = thin_years(content)
    any_thin = False
    for k, blk in enumerate(blocks):
        c = [r for r in blk["classification"] if _year(r["period"]) is not None]
        xs, ys = [_year(r["period"]) for r in c], [r["net_coop"] for r in c]
        values += ys
        years += xs
        # the pair's own thin years from its coverage; a comparison pair's from its event counts
        notes = [" — thin year: few events, read with care" if _is_thin(y, r["events"], thin if k == 0 else set())
                 else "" for y, r in zip(xs, c)]
        any_thin = any_thin or any(notes)
        fig.add_scatter(x=xs, y=ys, mode="lines+markers", name=pair_name(blk["a"], blk["b"]), cliponaxis=False,
                        customdata=[[r["events"], n] for r, n in zip(c, notes)],
                        marker=dict(symbol=_symbols(notes), size=[10 if n else 7 for n in notes], line=dict(width=2)),
                        hovertemplate="%{x}: net cooperation %{y:.2f} over %{customdata[0]:,} events"
                                      "%{customdata[1]}<extra></extra>")
    if any_thin:
        _thin_legend(fig, "#555555")
    rng = fitted_range(values, lo=-1.0, hi=1.0)
    fig.update_layout(title="Net cooperation of the pair and the comparison pairs",
                      yaxis=value_axis(rng, "net cooperation" + (" (zoomed; −1…+1)" if rng[0] > -1 else "")),
                      xaxis=year_axis(years))
    return _as_dict(fig, height=400)


def blocs_figure(content: dict) -> dict | None:
    """The blocs as a signed network: two columns of states (names), green/red ties."""
    bl = content["blocs"]
    if not bl.get("membership"):
        return None
    names = bl.get("names") or {}
    pos = {}
    for k, members in enumerate(bl["blocs"]):
        members = sorted(members, key=lambda m: -bl["membership"][m]["strength"])
        for i, m in enumerate(members):
            angle = math.pi * (i + 1) / (len(members) + 1)
            pos[m] = ((-1 if k == 0 else 1) * (0.4 + 0.6 * math.sin(angle)), math.cos(angle))
    fig = go.Figure()
    for sign, colour in ((1, "rgba(26,152,80,0.35)"), (-1, "rgba(215,48,39,0.25)")):
        xs, ys = [], []
        for u, v, w in bl["edges"]:
            if (w > 0) == (sign > 0) and u in pos and v in pos:
                xs += [pos[u][0], pos[v][0], None]
                ys += [pos[u][1], pos[v][1], None]
        fig.add_scatter(x=xs, y=ys, mode="lines", line=dict(color=colour, width=1),
                        name="positive ties (kappa > 0)" if sign > 0 else "negative ties (kappa < 0)",
                        hoverinfo="skip")
    for k in range(len(bl["blocs"])):
        members = [m for m in bl["blocs"][k] if m in pos]
        fig.add_scatter(x=[pos[m][0] for m in members], y=[pos[m][1] for m in members], mode="markers+text",
                        text=[names.get(m) or m for m in members],
                        textposition="middle left" if k == 0 else "middle right",
                        marker=dict(size=[10 + 14 * max(0.0, bl["membership"][m]["strength"]) for m in members]),
                        name=f"bloc {k + 1}", customdata=[[m, bl["membership"][m]["strength"]] for m in members],
                        hovertemplate="%{text} (%{customdata[0]}): strength %{customdata[1]:.2f}<extra></extra>",
                        cliponaxis=False)
    fig.update_layout(title=f"Blocs by UN voting kappa (frustration {bl['frustration_normalised']:.3f} of tie weight)",
                      xaxis=dict(visible=False, range=[-2.3, 2.3]), yaxis=dict(visible=False, range=[-1.15, 1.15]))
    return _as_dict(fig, height=500)


FIGURES = {"series": series_figure, "classification": classification_figure, "alignment": alignment_figure,
           "comparison": comparison_figure, "blocs": blocs_figure}
