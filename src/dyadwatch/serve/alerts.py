"""Alerts of a watched dyad: a break at the latest period, a period outside the dyad's own norms, a changed verdict.

:func:`dyad_alerts` computes them from the store (read only) with the same
analysis functions as the CLI; :func:`record` stores them and the dyad's
new state in one short transaction. An alert is keyed by a hash of its
dyad, kind, measure, period and band (a verdict change: of the two
verdicts), so running a cycle again — after a crash, or with nothing new —
records nothing twice.

Kinds
-----
``break``
    a change point (:func:`dyadwatch.analysis.changes.series_breaks`, PELT
    with a BIC penalty) of net cooperation, conflict share or volume whose
    new level starts in one of the last two periods of the series (with
    segments of at least two periods, the newest a break can be found) and
    rests on at least ``min_events`` events, in a series where at least
    :data:`BREAK_MIN_FILLED` of the periods hold events (in a series of
    mostly empty weeks, PELT's "new level" is one busy week among zeros:
    noise, not a change of the relationship);
``volume`` / ``conflict_share``
    the latest period outside both the short (4-period) and long
    (52-period) norms of the dyad (:mod:`dyadwatch.serve.norms`,
    ACLED-style bands);
``verdict``
    the headline verdict (:func:`dyadwatch.serve.state.current_verdict`)
    differs from the one the previous cycle stored.

Each alert carries ``evidence_from``/``evidence_to``: the days whose events
it rests on (``/api/events?a=A&b=B&from=…&to=…``, ``dyadwatch events A B
--from … --to …``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pandas as pd

from dyadwatch.codebooks.labels import pair_name
from dyadwatch.serve import norms as N
from dyadwatch.serve.config import AlertRules

ALERT_COLUMNS = ["alert_id", "created", "cycle_id", "a", "b", "kind", "measure", "period", "band", "value",
                 "norm_4", "norm_52", "change_4", "change_52", "message", "evidence_from", "evidence_to"]
#: measures whose breaks are alerted (salience needs both actors' coverage: left to the report)
BREAK_MEASURES = ("net_coop", "conflict_share", "volume")
#: least share of a series' periods that must hold events for its breaks to be alerted
BREAK_MIN_FILLED = 0.5


def alert_id(*parts) -> str:
    """``al:`` + 16 hex digits of the sha256 of the parts joined by ``|``."""
    return "al:" + hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]


def period_days(freq: str, label: str) -> tuple[dt.date, dt.date]:
    """First and last day of a period label of ``freq`` (``2024-W05``, ``2024-03``, ``2024Q1``, ``2024``)."""
    from dyadwatch.analysis.evidence import period_range

    if freq == "week":
        y, w = label.split("-W")
        start = dt.date.fromisocalendar(int(y), int(w), 1)
        return start, start + dt.timedelta(days=6)
    return period_range(label)


def norm_alerts(con, a: str, b: str, rules: AlertRules, *, until: dt.date | None = None) -> tuple[list[dict], pd.DataFrame]:
    """Volume and conflict-share alerts of the dyad's latest period, and the series they were computed on."""
    from dyadwatch.serve.state import recent_series

    series = recent_series(con, a, b, freq=rules.freq, periods=rules.long + 1, until=until)
    norms = N.latest_norms(series, short=rules.short, long=rules.long)
    out = []
    for al in N.norm_alerts(norms, large=rules.large, moderate=rules.moderate, min_events=rules.min_events):
        lo, hi = period_days(rules.freq, norms["period"])
        what = "events" if al["measure"] == "volume" else "conflict share"
        val = f"{al['value']:,.0f} events" if al["measure"] == "volume" else f"{al['value']:.2f}"
        msg = (f"{pair_name(a, b)}: {al['band']} increase of {what} in {norms['period']}: {val} "
               f"({N.pct(al['change_4'])} over the {rules.short}-{rules.freq} norm, "
               f"{N.pct(al['change_52'])} over the {rules.long}-{rules.freq} norm; {norms['events']:,} events)")
        out.append({"kind": al["measure"], "measure": al["measure"], "period": norms["period"], "band": al["band"],
                    "value": al["value"], "norm_4": al["norm_4"], "norm_52": al["norm_52"],
                    "change_4": al["change_4"], "change_52": al["change_52"], "message": msg,
                    "evidence_from": lo, "evidence_to": hi})
    return out, series


def break_alerts(a: str, b: str, series: pd.DataFrame, rules: AlertRules) -> list[dict]:
    """Breaks whose new level starts in one of the last two periods of ``series`` (none when fewer than
    :data:`BREAK_MIN_FILLED` of its periods hold events: a sparse series' breaks are not alerted)."""
    from dyadwatch.analysis.changes import MEASURE_NAMES, level_text, series_breaks

    if len(series) < 4:
        return []
    if float((series["events"] > 0).mean()) < BREAK_MIN_FILLED:
        return []
    periods = series["period"].astype(str).tolist()
    recent = set(periods[-2:])
    out = []
    events = dict(zip(periods, series["events"].astype(int)))
    for br in series_breaks(series, BREAK_MEASURES).to_dict("records"):
        if str(br["period"]) not in recent:
            continue
        after = periods[periods.index(str(br["period"])):]
        if sum(events[p] for p in after) < rules.min_events:
            continue  # a new level resting on fewer events than a volume alert needs
        lo, _ = period_days(rules.freq, periods[max(0, periods.index(str(br["period"])) - 1)])
        _, hi = period_days(rules.freq, periods[-1])
        msg = (f"{pair_name(a, b)}: {MEASURE_NAMES.get(br['measure'], br['measure'])} changed from "
               f"{level_text(br['measure'], br['before'])} ({br['segment_before'].replace('..', '–')}) to "
               f"{level_text(br['measure'], br['after'])} from {br['period']} (PELT, BIC penalty)"
               + ("; the data sets change here: may be an artefact of coverage" if br["sources_differ"] else ""))
        out.append({"kind": "break", "measure": br["measure"], "period": str(br["period"]),
                    "band": "up" if br["change"] > 0 else "down", "value": br["after"], "norm_4": br["before"],
                    "norm_52": None, "change_4": br["change"], "change_52": None, "message": msg,
                    "evidence_from": lo, "evidence_to": hi})
    return out


def verdict_alert(a: str, b: str, old: dict | None, new: dict | None) -> list[dict]:
    """A ``verdict`` alert when the headline verdict changed (not on the first computation)."""
    if not old or not new or (old.get("verdict"), old.get("year")) == (new.get("verdict"), new.get("year")) \
            or old.get("verdict") == new.get("verdict"):
        return []
    year = int(new["year"])
    msg = (f"{pair_name(a, b)}: verdict changed from {old['verdict']} ({old.get('year')}) to {new['verdict']} "
           f"({year}, confidence {new['confidence']:.2f})" if new.get("confidence") is not None else
           f"{pair_name(a, b)}: verdict changed from {old['verdict']} ({old.get('year')}) to {new['verdict']} ({year})")
    return [{"kind": "verdict", "measure": f"{old['verdict']} -> {new['verdict']}", "period": str(year),
             "band": new["verdict"], "value": new.get("confidence"), "norm_4": old.get("confidence"), "norm_52": None,
             "change_4": None, "change_52": None, "message": msg, "evidence_from": dt.date(year, 1, 1),
             "evidence_to": dt.date(year, 12, 31)}]


def dyad_alerts(con, a: str, b: str, rules: AlertRules, *, previous: dict | None = None,
                state: dict | None = None) -> list[dict]:
    """Every alert of dyad (a, b) now (module docstring); ``previous``/``state`` are the dyad's stored and new
    :func:`dyadwatch.serve.state.dyad_state` (for the verdict alert). Each alert has ``a``, ``b`` and
    ``alert_id`` besides the columns of :func:`norm_alerts`."""
    found, series = norm_alerts(con, a, b, rules)
    found += break_alerts(a, b, series, rules)
    found += verdict_alert(a, b, (previous or {}).get("verdict"), (state or {}).get("verdict"))
    for al in found:
        al.update(a=a, b=b, alert_id=alert_id(a, b, al["kind"], al["measure"], al["period"], al["band"]))
    return found


def stored_state(con, a: str, b: str) -> dict | None:
    """The dyad's state the last cycle stored (``watch_dyads.state``), or None."""
    row = con.execute("SELECT state FROM watch_dyads WHERE a = ? AND b = ?", [a, b]).fetchone()
    if not row or not row[0]:
        return None
    try:
        return json.loads(row[0])
    except ValueError:
        return None


def record(con, a: str, b: str, state: dict, alerts: list[dict], cycle_id: int | None) -> int:
    """Store the dyad's new state and its alerts not stored yet, in one transaction; returns the alerts added."""
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    con.execute("BEGIN TRANSACTION")
    try:
        added = 0
        for al in alerts:
            if con.execute("SELECT 1 FROM alerts WHERE alert_id = ?", [al["alert_id"]]).fetchone():
                continue
            con.execute(f"INSERT INTO alerts ({', '.join(ALERT_COLUMNS)}) VALUES ({', '.join('?' * len(ALERT_COLUMNS))})",
                        [al.get(c) if c not in ("created", "cycle_id") else (now if c == "created" else cycle_id)
                         for c in ALERT_COLUMNS])
            added += 1
        verdict = state.get("verdict") or {}
        con.execute("DELETE FROM watch_dyads WHERE a = ? AND b = ?", [a, b])
        con.execute("INSERT INTO watch_dyads (a, b, state, verdict, verdict_year, arrow, updated, cycle_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [a, b, json.dumps(state, ensure_ascii=False, default=str), verdict.get("verdict"),
                     verdict.get("year"), state.get("arrow"), now, cycle_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return added


def list_alerts(con, *, a: str | None = None, b: str | None = None, limit: int | None = 500) -> pd.DataFrame:
    """Stored alerts, newest first (``created`` then ``alert_id``), optionally of one dyad (either order).

    Returns a DataFrame with :data:`ALERT_COLUMNS` (``evidence_from``/``evidence_to`` dates).
    """
    cond, params = "", []
    if a and b:
        from dyadwatch.analysis.actors import resolve_pair

        a, b = (f.label for f in resolve_pair(a, b))
        cond, params = " WHERE (a = ? AND b = ?) OR (a = ? AND b = ?)", [a, b, b, a]
    lim = f" LIMIT {int(limit)}" if limit else ""
    try:
        return con.execute(f"SELECT {', '.join(ALERT_COLUMNS)} FROM alerts{cond} "
                           f"ORDER BY created DESC, alert_id{lim}", params).df()
    except Exception:  # noqa: BLE001 - a store without the alerts table (never watched, opened read-only)
        return pd.DataFrame(columns=ALERT_COLUMNS)
