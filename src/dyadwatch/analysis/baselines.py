"""Baselines: what is normal for this pair, and for pairs like it.

A value of a series means little alone: net cooperation 0.9 is ordinary
between two states that deal with each other, and Cohen's kappa 0.3 is high
for UN voting. For each series of the report (events: net cooperation; UN
voting: kappa) this module gives, per year,

- the pair's **own baseline**: its mean over all its years with data and a
  band of ± one standard deviation around it (population SD of the yearly
  values); and
- the **median of comparable pairs** that year, in two comparison groups:
  every pair of states whose regions are the same pair of regions (e.g.
  Europe – Middle East for Iran–Russia; regions from the Correlates of War
  state-code blocks, :func:`dyadwatch.codebooks.labels.region_of`), and every
  pair with the same ATOP defence-pact status that year (a defence
  obligation in force or not; unknown outside ATOP's years), with the share
  of those pairs the pair is above (its percentile).

Comparable pairs count only with enough evidence that year:
:data:`MIN_EVENTS` events (the same floor as a relation label,
:data:`dyadwatch.analysis.relations.MIN_EVENTS`) or :data:`MIN_VOTES`
common roll calls (:data:`dyadwatch.analysis.profile.MIN_VOTES`).

Units in: the store's ``dyad_counts`` (yearly counts, used for the years they
cover, as the dyad series does), ``events`` (country-coded rows of the other
years), ``un_votes``/``un_roll_calls``, ``atop_alliances``. Unit out: one
row per year and series (:data:`BASELINE_COLUMNS`).
"""

from __future__ import annotations

import math

import pandas as pd

from dyadwatch.codebooks import labels

#: fewest events of a comparable pair-year (as relations.MIN_EVENTS)
MIN_EVENTS = 10
#: fewest common roll calls of a comparable pair-year (as profile.MIN_VOTES)
MIN_VOTES = 10
#: fewest comparable pairs for a median to be reported
MIN_PAIRS = 5

BASELINE_COLUMNS = ["series", "year", "value", "own_mean", "own_sd", "own_lo", "own_hi", "own_years",
                    "region_group", "region_median", "region_pairs", "region_pct",
                    "alliance_group", "alliance_median", "alliance_pairs", "alliance_pct"]


def own_baseline(values: dict[int, float]) -> dict:
    """Mean, population SD and the band mean ± SD of a pair's yearly values (NaN/None skipped).

    Returns ``{mean, sd, lo, hi, years}`` (``years`` = "2002–2018", the span of years used);
    all None when no value.
    """
    pts = {int(y): float(v) for y, v in values.items() if v is not None and v == v}
    if not pts:
        return {"mean": None, "sd": None, "lo": None, "hi": None, "years": None}
    xs = list(pts.values())
    mean = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs))
    years = sorted(pts)
    return {"mean": mean, "sd": sd, "lo": mean - sd, "hi": mean + sd,
            "years": f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}, {len(years)} years"}


def event_pairs(con, years) -> pd.DataFrame:
    """Net cooperation of every undirected country pair per year with at least :data:`MIN_EVENTS` events.

    Counts years come from ``dyad_counts`` and the other years from ``events``
    (as :func:`dyadwatch.analysis.dyads.dyad_series` does). Returns
    ``a, b, year, events, net_coop`` (a < b alphabetically).
    """
    lo, hi = min(years), max(years)
    parts, params = [], []
    has_counts = _has(con, "dyad_counts")
    if has_counts:
        parts.append("""SELECT least(src_country, tgt_country) AS a, greatest(src_country, tgt_country) AS b, year,
                               sum(verbal_coop + material_coop) AS coop, sum(verbal_conflict + material_conflict) AS conf
                        FROM dyad_counts WHERE src_country <> tgt_country AND year BETWEEN ? AND ? GROUP BY ALL""")
        params += [lo, hi]
    not_counted = "AND year(event_date) NOT IN (SELECT DISTINCT year FROM dyad_counts)" if has_counts else ""
    parts.append(f"""SELECT least(src_country, tgt_country) AS a, greatest(src_country, tgt_country) AS b,
                            year(event_date) AS year, count_if(quad_class IN (1, 2)) AS coop,
                            count_if(quad_class IN (3, 4)) AS conf
                     FROM events WHERE src_country IS NOT NULL AND tgt_country IS NOT NULL
                       AND src_country <> tgt_country AND quad_class IS NOT NULL
                       AND event_date BETWEEN make_date(?, 1, 1) AND make_date(?, 12, 31) {not_counted}
                     GROUP BY ALL""")
    params += [lo, hi]
    sql = f"""SELECT a, b, year, sum(coop + conf) AS events, (sum(coop) - sum(conf)) / sum(coop + conf) AS net_coop
              FROM ({' UNION ALL '.join(parts)}) GROUP BY a, b, year HAVING sum(coop + conf) >= ?"""
    return con.execute(sql, params + [MIN_EVENTS]).df()


def vote_pairs(con, years) -> pd.DataFrame:
    """Cohen's kappa of every undirected pair of UN members per year with at least :data:`MIN_VOTES`
    common roll calls (:func:`dyadwatch.analysis.alignment.all_dyad_years`). Returns ``a, b, year, n, kappa``."""
    from dyadwatch.analysis import alignment

    if not _has(con, "un_votes"):
        return pd.DataFrame(columns=["a", "b", "year", "n", "kappa"])
    df = alignment.all_dyad_years(con, years=(min(years), max(years)), measures=["kappa"])
    df = df[(df["a"] < df["b"]) & (df["n"] >= MIN_VOTES) & df["kappa"].notna()]
    return df[["a", "b", "year", "n", "kappa"]].reset_index(drop=True)


def _has(con, table: str) -> bool:
    try:
        return bool(con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchall()) \
            and con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0
    except Exception:
        return False


def _defence(con, years) -> tuple[dict, tuple[int, int] | None]:
    """ATOP defence pacts per (a, b, year) with a < b, and ATOP's years (None without ATOP)."""
    if not _has(con, "atop_alliances"):
        return {}, None
    lo, hi = con.execute("SELECT min(year), max(year) FROM atop_alliances").fetchone()
    rows = con.execute("""SELECT DISTINCT least(iso3_1, iso3_2), greatest(iso3_1, iso3_2), year FROM atop_alliances
                          WHERE atop_defense = 1 AND year BETWEEN ? AND ?""", [min(years), max(years)]).fetchall()
    return {(a, b, int(y)) for a, b, y in rows}, (int(lo), int(hi))


def _percentile(value: float, others: pd.Series) -> float | None:
    """Share of ``others`` strictly below ``value`` plus half of the ties, in [0, 1]."""
    if value is None or value != value or not len(others):
        return None
    return float(((others < value).sum() + 0.5 * (others == value).sum()) / len(others))


def dyad_baselines(con, a: str, b: str, years, *, own: dict[str, dict[int, float]]) -> pd.DataFrame:
    """Baselines of the pair (a, b) for each series and year (module docstring).

    Parameters
    ----------
    con : store connection.
    a, b : ISO3 codes of the pair.
    years : the years of the report (iterable of int).
    own : the pair's own values, ``{"net_coop": {year: value}, "kappa": {year: value}}``
        (the report's numbers, so the baseline is of exactly what is shown).

    Returns
    -------
    DataFrame with :data:`BASELINE_COLUMNS`, one row per series and year;
    medians are None where fewer than :data:`MIN_PAIRS` comparable pairs
    have data; ``*_pct`` is the share of comparable pairs below the pair's value (0–1).
    """
    years = sorted({int(y) for y in years})
    rows = []
    if not years:
        return pd.DataFrame(columns=BASELINE_COLUMNS)
    defence, atop_years = _defence(con, years)
    key = tuple(sorted((a, b)))
    for series, frame, col in (("net_coop", lambda: event_pairs(con, years), "net_coop"),
                               ("kappa", lambda: vote_pairs(con, years), "kappa")):
        values = own.get(series) or {}
        if not any(v is not None and v == v for v in values.values()):
            continue
        base = own_baseline(values)
        df = frame()
        if len(df):
            df = df[~((df["a"] == key[0]) & (df["b"] == key[1]))]
            regions = {c: labels.region_of(c) for c in set(df["a"]) | set(df["b"])}
            df = df.assign(region=[" – ".join(sorted((regions[x] or "?", regions[y] or "?")))
                                   for x, y in zip(df["a"], df["b"])])
            df = df.assign(defence=[(x, y, int(t)) in defence for x, y, t in zip(df["a"], df["b"], df["year"])])
        for y in years:
            v = values.get(y)
            region = labels.region_pair(a, b, y)
            in_atop = atop_years is not None and atop_years[0] <= y <= atop_years[1]
            pact = (key[0], key[1], y) in defence if in_atop else None
            row = {"series": series, "year": y, "value": v if v == v else None, "own_mean": base["mean"],
                   "own_sd": base["sd"], "own_lo": base["lo"], "own_hi": base["hi"], "own_years": base["years"],
                   "region_group": f"{region} pairs" if region else None,
                   "alliance_group": None if pact is None else ("pairs with an ATOP defence pact" if pact
                                                                else "pairs without an ATOP defence pact")}
            for grp, mask in (("region", None if region is None or not len(df) else
                               (df["year"] == y) & (df["region"] == region)),
                              ("alliance", None if pact is None or not len(df) else
                               (df["year"] == y) & (df["defence"] == pact))):
                sel = df.loc[mask, col] if mask is not None else pd.Series(dtype=float)
                enough = len(sel) >= MIN_PAIRS
                row[f"{grp}_median"] = float(sel.median()) if enough else None
                row[f"{grp}_pairs"] = int(len(sel))
                row[f"{grp}_pct"] = _percentile(v, sel) if enough and v is not None else None
            rows.append(row)
    out = pd.DataFrame(rows, columns=BASELINE_COLUMNS)
    return out.astype(object).where(out.notna(), None)  # missing is None (JSON null), not NaN


def standing(row: dict, *, name: str, fmt=lambda x: f"{x:.2f}") -> str | None:
    """One sentence: where the pair's value of a year stands against its own band and comparable pairs.

    ``row`` is a row of :func:`dyad_baselines` (as a dict); ``name`` the series' name
    (``"net cooperation"``). None when the year has no value.
    """
    v = row.get("value")
    if v is None or v != v:
        return None
    parts = []
    if row.get("own_mean") is not None:
        where = ("within" if row["own_lo"] <= v <= row["own_hi"] else
                 "above" if v > row["own_hi"] else "below")
        parts.append(f"{where} the pair's own band {fmt(row['own_lo'])}…{fmt(row['own_hi'])} "
                     f"(mean {fmt(row['own_mean'])} over {row['own_years']})")
    for grp in ("region", "alliance"):
        med = row.get(f"{grp}_median")
        if grp == "alliance" and not row.get("alliance_group"):
            parts.append(f"no comparison by alliance status (ATOP does not cover {row['year']})")
            continue
        if med is None:
            if row.get(f"{grp}_group"):
                parts.append(f"too few {row[f'{grp}_group']} with data ({row[f'{grp}_pairs']}) for a comparison")
            continue
        pct = row.get(f"{grp}_pct")
        side = "above" if v > med else "below" if v < med else "at"
        parts.append(f"{side} the median of {row[f'{grp}_pairs']} {row[f'{grp}_group']} ({fmt(med)}; "
                     f"higher than {pct * 100:.0f} % of them)")
    if not parts:
        return None
    return f"{row['year']}: {name} {fmt(v)} — " + "; ".join(parts) + "."
