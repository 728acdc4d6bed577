"""A dyad's own norms and the bands an alert is raised in (pure functions, no store).

ACLED's early-warning pages compare the latest period's events with the
same area's recent average and call an increase of more than 25 % "large"
and one of 10–25 % "moderate" (ACLED, *Conflict Alert System (CAST)* and
*Regional Overviews* methodology notes). dyadwatch applies the same bands
to a dyad, on two measures of the latest period (week by default):

- ``volume`` — events between the two, either direction;
- ``conflict_share`` — (QuadClass 3 + 4) / events, in [0, 1].

Norms: the **short norm** is the mean of the ``short`` periods before the
latest one (4 weeks), the **long norm** the mean of the ``long`` periods
before it (52 weeks); periods without events count as 0 events. For the
conflict share the norm is pooled, Σ(QC3 + QC4) / Σ events over the window
(periods without events add nothing). The relative change is
``(value − norm) / norm``.

An alert is raised only when the latest period leaves **both** norms (a
week that is high for the last month but ordinary for the year is not
news), its band is the lower of the two bands (``large`` only when it is
more than +25 % over both), and the period holds at least ``min_events``
events (three events against a norm of one is noise). A norm of 0 (no
event, or no conflict, in the window) with a period at ``min_events`` is
a large increase ("new activity"). Only increases are alerted: a fall in
volume is usually a fall in news coverage.
"""

from __future__ import annotations

import math

import pandas as pd

#: the bands, strongest first
BANDS = ("large", "moderate")
MEASURES = ("volume", "conflict_share")


def band(change: float | None, *, large: float = 0.25, moderate: float = 0.10) -> str | None:
    """The band of a relative change: ``"large"`` (> ``large``), ``"moderate"`` (> ``moderate``), else None.

    ``change`` = (value − norm) / norm; ``math.inf`` (a norm of 0) is large; None/NaN is None.

    >>> band(0.30), band(0.25), band(0.12), band(0.05), band(float("inf"))
    ('large', 'moderate', 'moderate', None, 'large')
    """
    if change is None or change != change:
        return None
    if change > large:
        return "large"
    if change > moderate:
        return "moderate"
    return None


def relative_change(value: float, norm: float | None) -> float | None:
    """(value − norm) / norm; ``inf`` when norm is 0 and value > 0; 0.0 when both are 0; None without a norm."""
    if norm is None or norm != norm:
        return None
    if norm == 0:
        return math.inf if value > 0 else 0.0
    return (value - norm) / norm


def latest_norms(series: pd.DataFrame, *, short: int = 4, long: int = 52) -> dict | None:
    """Volume and conflict share of the last row of a dyad series and their short and long norms.

    Parameters
    ----------
    series : :func:`dyadwatch.analysis.dyads.dyad_series` rows (one direction, ``both``), in time
        order, empty periods included; the last row is the latest period.
    short, long : norm windows in periods (the rows before the last).

    Returns
    -------
    ``{"period", "events", "conflict", "history": periods before the latest available,
    "volume": {value, norm_4, norm_52, change_4, change_52}, "conflict_share": {...}}``
    (keys ``norm_4``/``norm_52`` are the short and long norms whatever their lengths), or None
    for an empty series. A norm whose window has fewer than ``short`` periods of history is None.
    """
    if series is None or not len(series):
        return None
    s = series.reset_index(drop=True)
    last = s.iloc[-1]
    before = s.iloc[:-1]
    ev = float(last["events"])
    conf = float(last["verbal_conflict"] + last["material_conflict"])
    out = {"period": str(last["period"]), "events": int(ev), "conflict": int(conf), "history": len(before)}
    for measure in MEASURES:
        value = ev if measure == "volume" else (conf / ev if ev > 0 else None)
        entry = {"value": value}
        for key, n in (("4", short), ("52", long)):
            win = before.iloc[-n:] if n else before.iloc[0:0]
            if len(win) < min(short, n):
                norm = None
            elif measure == "volume":
                norm = float(win["events"].mean())
            else:
                tot = float(win["events"].sum())
                norm = float((win["verbal_conflict"] + win["material_conflict"]).sum()) / tot if tot > 0 else 0.0
            entry[f"norm_{key}"] = norm
            entry[f"change_{key}"] = None if value is None else relative_change(value, norm)
        out[measure] = entry
    return out


def norm_alerts(norms: dict | None, *, large: float = 0.25, moderate: float = 0.10,
                min_events: int = 5) -> list[dict]:
    """The alerts of :func:`latest_norms` output: ``[{measure, band, value, norm_4, norm_52, change_4,
    change_52}]`` for each measure over both norms (see the module docstring)."""
    if not norms or norms["events"] < min_events:
        return []
    out = []
    for measure in MEASURES:
        e = norms[measure]
        if e["value"] is None or e["norm_4"] is None or e["norm_52"] is None:
            continue
        if measure == "conflict_share" and norms["conflict"] < 1:
            continue
        b4 = band(e["change_4"], large=large, moderate=moderate)
        b52 = band(e["change_52"], large=large, moderate=moderate)
        if b4 is None or b52 is None:
            continue
        out.append({"measure": measure, "band": "large" if b4 == b52 == "large" else "moderate", **e})
    return out


def pct(change: float | None) -> str:
    """``+31 %``, ``−4 %``, ``new`` (from a norm of 0), ``—`` (None)."""
    if change is None or change != change:
        return "—"
    if math.isinf(change):
        return "new"
    return f"{change * 100:+.0f} %".replace("-", "−")
