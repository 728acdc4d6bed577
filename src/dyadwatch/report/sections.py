"""Sections of the report content that name things and set them in context.

Each function takes the store and numbers already gathered by
:mod:`dyadwatch.report.content` and returns JSON-ready data (no HTML), so
the HTML page, the JSON output and a web app show the same content:

- :func:`named_breaks` — change points numbered 1…n, levels in their unit,
  the events around each break with names beside codes;
- :func:`events_by_period` — for every period of the report, how many event
  rows the store holds, whether the yearly figure is counted from aggregated
  counts instead, the most intense events, and the command that lists them
  all (the "events behind this figure" every table links to);
- :func:`baselines` — the pair's own band and comparable pairs' medians for
  net cooperation and UN voting kappa, with one sentence per year;
- :func:`conflict_rows`, :func:`atop_text`, :func:`dataset_names` — names
  for UCDP conflicts, ATOP obligations and data sets.
"""

from __future__ import annotations

import pandas as pd

from dyadwatch.codebooks import labels
from dyadwatch.codebooks.labels import ATOP_NAMES, atop_text  # noqa: F401  (re-exported for the report)

#: events shown per period in the report (the full list: `dyadwatch events A B --period P`)
EVENTS_PER_PERIOD = 5


def events_command(a: str, b: str, period: str | int) -> str:
    """The command that lists the events of a period: ``dyadwatch events IRN RUS --period 2014``."""
    return f"dyadwatch events {a} {b} --period {period}"


def named_breaks(breaks: list[dict]) -> list[dict]:
    """Change points numbered 1…n in time order (then by measure), each with ``number``, ``unit``, ``measure_name``,
    ``before_text``/``after_text`` (levels in the unit a reader counts in, see
    :func:`dyadwatch.analysis.changes.level_text`), ``moved_most_name`` (QuadClass name) and its
    events annotated with CAMEO names."""
    from dyadwatch.analysis.changes import level_text, readable_level

    from dyadwatch.analysis.changes import MEASURE_NAMES

    qc = {"verbal_coop": 1, "material_coop": 2, "verbal_conflict": 3, "material_conflict": 4}
    order = {m: i for i, m in enumerate(MEASURE_NAMES)}
    breaks = sorted(breaks, key=lambda br: (str(br["period"]), order.get(br["measure"], 99)))
    out = []
    for k, br in enumerate(breaks, 1):
        shift = br.get("quad_class_shift") or {}
        moved = shift.get("moved_most")
        events = []
        for e in br.get("events") or []:
            e = dict(e)
            e["cameo_name"] = labels.cameo_name(e.get("cameo_code"))
            events.append(e)
        out.append({**br, "number": k, "unit": readable_level(br["measure"], None)[1],
                    "measure_name": MEASURE_NAMES.get(br["measure"], br["measure"]),
                    "before_text": level_text(br["measure"], br.get("before")),
                    "after_text": level_text(br["measure"], br.get("after")),
                    "moved_most_name": labels.quad_class_name(qc.get(moved)) if moved else None,
                    "moved_by": shift.get(moved) if moved else None, "events": events})
    return out


def events_by_period(con, a: str, b: str, periods: list[str], top: pd.DataFrame) -> dict[str, dict]:
    """The events behind each yearly figure of the pair.

    Parameters
    ----------
    con : store connection.
    a, b : ISO3 codes (or actor arguments) of the pair.
    periods : the report's years (``"2014"`` …).
    top : the most intense events per period (:func:`dyadwatch.analysis.dyads.top_events`).

    Returns
    -------
    ``{period: {"rows": event rows the store holds, "counted_from": short citation of the
    aggregated counts the figure comes from, or None, "command": the CLI command listing them,
    "top": up to EVENTS_PER_PERIOD annotated rows}}``.
    """
    from dyadwatch.acquire.citations import store_labels
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _dyad_condition
    from dyadwatch.analysis.evidence import annotate

    fa, fb = resolve_pair(a, b)
    both, p_both, _ab, _p = _dyad_condition(fa, fb)
    n_rows = dict(con.execute(f"SELECT strftime(event_date, '%Y'), count(*) FROM events "
                              f"WHERE event_date IS NOT NULL AND {both} GROUP BY ALL", p_both).fetchall())
    counted: dict[str, str] = {}
    if fa.column == "country" and fb.column == "country":
        try:
            names = store_labels(con)
            for y, ds in con.execute(
                    """SELECT DISTINCT year::VARCHAR, dataset FROM dyad_counts
                       WHERE (src_country = ? AND tgt_country = ?) OR (src_country = ? AND tgt_country = ?)""",
                    [fa.value, fb.value, fb.value, fa.value]).fetchall():
                counted[y] = names.get(ds, ds)
        except Exception:  # a store without dyad_counts
            counted = {}
    top = annotate(con, top.copy()) if top is not None and len(top) else pd.DataFrame()
    out = {}
    for p in periods:
        rows = top[top["period"].astype(str) == str(p)].head(EVENTS_PER_PERIOD) if len(top) else top
        out[str(p)] = {"rows": int(n_rows.get(str(p), 0)), "counted_from": counted.get(str(p)),
                       "command": events_command(a, b, p), "top": rows.to_dict("records") if len(rows) else []}
    return out


def baselines(con, a: str, b: str, classification: list[dict], profiles: list[dict]) -> dict:
    """Baselines of net cooperation (years with at least ``relations.MIN_EVENTS`` events) and of UN
    voting kappa (years with at least ``profile.MIN_VOTES`` roll calls), see
    :mod:`dyadwatch.analysis.baselines`.

    Returns ``{"net_coop": [rows], "kappa": [rows], "statements": [one sentence per series: the
    latest year with a value]}``; empty lists when a series has no value.
    """
    from dyadwatch.analysis import baselines as BL
    from dyadwatch.analysis.profile import MIN_VOTES
    from dyadwatch.analysis.relations import MIN_EVENTS

    own = {"net_coop": {int(r["period"]): r["net_coop"] for r in classification
                        if r.get("events") and r["events"] >= MIN_EVENTS and r.get("net_coop") is not None},
           "kappa": {int(p["year"]): p["voting"]["kappa"] for p in profiles
                     if p.get("voting") and p["voting"].get("n", 0) >= MIN_VOTES and p["voting"].get("kappa") is not None}}
    years = sorted({y for v in own.values() for y in v})
    df = BL.dyad_baselines(con, a, b, years, own=own) if years else pd.DataFrame(columns=BL.BASELINE_COLUMNS)
    out: dict = {"net_coop": [], "kappa": [], "statements": []}
    for series, name in (("net_coop", "net cooperation"), ("kappa", "UN voting kappa")):
        rows = [r for r in df[df["series"] == series].to_dict("records") if r["year"] in own[series]]
        out[series] = rows
        if rows:
            sentence = BL.standing(rows[-1], name=name)
            if sentence:
                out["statements"].append(sentence)
    return out


def conflict_rows(con, profiles: list[dict]) -> list[dict]:
    """UCDP conflicts of the pair per year, with the conflict's name beside its id."""
    from dyadwatch.analysis.wars import conflict_names

    rows = [{"year": p["year"], "relation": rel, **c}
            for p in profiles
            for rel, key in (("same side", "conflicts_same_side"), ("opposite sides", "conflicts_opposite_sides"))
            for c in (p.get(key) or [])]
    try:
        names = conflict_names(con, {r["conflict_id"] for r in rows}) if rows else {}
    except Exception:  # no UCDP tables
        names = {}
    for r in rows:
        r["conflict_name"] = names.get(int(r["conflict_id"]))
    return rows


def dataset_names(con, labels_text: str | None, *, names: dict[str, str] | None = None) -> str | None:
    """``"icews-dyad-year,text"`` -> the short citations, comma-separated. ``names``: the store's
    :func:`~dyadwatch.acquire.citations.store_labels` when the caller has them (else read here)."""
    from dyadwatch.acquire.citations import dataset_name, store_labels

    if not labels_text:
        return None
    names = store_labels(con) if names is None else names
    # a store's own labels (icews14 read by icews-names); else the registry's; labels sharing one name
    # (icews14, icews18: ICEWS extracts) are named once
    return "; ".join(dict.fromkeys(dataset_name(d, names) for d in str(labels_text).split(",") if d))
