"""Plotly figures of the report, built from the content dict (:mod:`.content`).

Each function returns a Plotly figure as a plain dict (``fig.to_plotly_json``
through ``plotly.io.to_json``) or ``None`` when there is nothing to draw; the
HTML page renders them with the plotly.js bundle inlined once.
"""

from __future__ import annotations

import json
import math

import plotly.graph_objects as go
import plotly.io as pio

LABEL_COLOURS = {"friendly": "#1a9850", "neutral": "#91bfdb", "mixed": "#fdae61", "hostile": "#d73027"}


def _as_dict(fig: go.Figure, height: int = 360) -> dict:
    fig.update_layout(margin=dict(l=50, r=20, t=40, b=40), height=height, template="plotly_white",
                      legend=dict(orientation="h", y=-0.2))
    return json.loads(pio.to_json(fig, validate=True))


def level(br: dict, key: str) -> str:
    """A break's level in readable units (salience is stored as a log share: shown in %)."""
    v = br[key]
    if br["measure"] == "salience":
        return f"{math.exp(v) * 100:.1f}%"
    if br["measure"] == "volume":
        return f"{math.expm1(v):.0f} ev."
    return f"{v:.2f}"


def series_figure(content: dict) -> dict | None:
    """Net cooperation (left axis) and events (bars, right axis) per year, with change points."""
    s = [r for r in content["series"]]
    if not s:
        return None
    x = [r["period"] for r in s]
    fig = go.Figure()
    fig.add_bar(x=x, y=[r["events"] for r in s], name="events", yaxis="y2", marker_color="#cccccc", opacity=0.6)
    fig.add_scatter(x=x, y=[r["net_coop"] for r in s], name="net cooperation", mode="lines+markers",
                    line=dict(color="#2c7fb8", width=3), connectgaps=False)
    for k, br in enumerate(content["changes"]):
        if br["period"] not in x:
            continue
        at = x.index(br["period"]) - 0.5  # between the last period before and the first after
        fig.add_shape(type="line", x0=at, x1=at, y0=0, y1=1, yref="paper", xref="x",
                      line=dict(color="#d73027", dash="dash"))
        fig.add_annotation(x=at, y=1 - 0.07 * k, yref="paper", showarrow=False, xanchor="left",
                           text=f"{br['measure']}: {level(br, 'before')}→{level(br, 'after')}", font=dict(size=10))
    fig.update_layout(title="Events and net cooperation per year",
                      yaxis=dict(title="net cooperation", range=[-1, 1]),
                      yaxis2=dict(title="events", overlaying="y", side="right", showgrid=False),
                      xaxis=dict(type="category"))
    return _as_dict(fig)


def classification_figure(content: dict) -> dict | None:
    """Posterior probability of each label per year (stacked bars)."""
    cls = content["classification"]
    if not cls:
        return None
    x = [r["period"] for r in cls]
    fig = go.Figure()
    for lab, colour in LABEL_COLOURS.items():
        fig.add_bar(x=x, y=[r[f"p_{lab}"] for r in cls], name=lab, marker_color=colour)
    fig.update_layout(barmode="stack", title="Classification over time: posterior probability of each label",
                      yaxis=dict(title="probability", range=[0, 1]), xaxis=dict(type="category"))
    return _as_dict(fig)


def alignment_figure(content: dict) -> dict | None:
    """UN voting kappa and agreement per year (and on the topic)."""
    from dyadwatch.analysis.profile import MIN_VOTES

    al = [r for r in content["alignment"] if r["voting"] and r["voting"]["n"] >= MIN_VOTES]
    if not al:
        return None
    x = [r["year"] for r in al]
    fig = go.Figure()
    fig.add_scatter(x=x, y=[r["voting"]["kappa"] for r in al], name="kappa (all roll calls)", mode="lines+markers")
    fig.add_scatter(x=x, y=[r["voting"]["agree"] for r in al], name="agreement", mode="lines", line=dict(dash="dot"))
    topic = [r for r in al if r["voting_topic"] and r["voting_topic"]["n"] >= 2]
    if topic:
        fig.add_scatter(x=[r["year"] for r in topic], y=[r["voting_topic"]["kappa"] for r in topic],
                        name=f"kappa on '{content['summary']['topic']}'", mode="markers", marker=dict(size=9))
    fig.update_layout(title="UN General Assembly voting", yaxis=dict(range=[-1, 1], title="kappa / agreement"))
    return _as_dict(fig)


def comparison_figure(content: dict) -> dict | None:
    """Net cooperation per year of the dyad and its comparison dyads."""
    blocks = [{"a": content["a"], "b": content["b"], "classification": content["classification"]},
              *content["comparison"]]
    if not any(b["classification"] for b in blocks):
        return None
    fig = go.Figure()
    for blk in blocks:
        c = blk["classification"]
        fig.add_scatter(x=[r["period"] for r in c], y=[r["net_coop"] for r in c], mode="lines+markers",
                        name=f"{blk['a']}–{blk['b']}")
    fig.update_layout(title="Net cooperation: comparison dyads", yaxis=dict(range=[-1, 1]),
                      xaxis=dict(type="category"))
    return _as_dict(fig)


def blocs_figure(content: dict) -> dict | None:
    """The blocs as a signed network: two columns of actors, green/red ties."""
    bl = content["blocs"]
    if not bl.get("membership"):
        return None
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
                        name="positive ties" if sign > 0 else "negative ties", hoverinfo="skip")
    for k in range(len(bl["blocs"])):
        names = [m for m in bl["blocs"][k] if m in pos]
        fig.add_scatter(x=[pos[m][0] for m in names], y=[pos[m][1] for m in names], mode="markers+text",
                        text=names, textposition="middle left" if k == 0 else "middle right",
                        marker=dict(size=[10 + 14 * max(0.0, bl["membership"][m]["strength"]) for m in names]),
                        name=f"bloc {k + 1}",
                        customdata=[bl["membership"][m]["strength"] for m in names],
                        hovertemplate="%{text}: strength %{customdata:.2f}<extra></extra>")
    fig.update_layout(title=f"Blocs (frustration {bl['frustration_normalised']:.3f} of tie weight)",
                      xaxis=dict(visible=False, range=[-1.6, 1.6]), yaxis=dict(visible=False))
    return _as_dict(fig, height=480)


FIGURES = {"series": series_figure, "classification": classification_figure, "alignment": alignment_figure,
           "comparison": comparison_figure, "blocs": blocs_figure}
