"""Alignment between states: UN votes, alliances, wars, Security Council vetoes.

The library entry points (the CLI and ``dyadwatch.api`` call these):

- :func:`dyad_years` - UN voting similarity of one dyad per year (or session):
  ``a, b, year, n, agree, exact, s, kappa, pi`` (definitions, ranges and sources in
  :mod:`dyadwatch.analysis.unvotes_measures`; prefer kappa);
- :func:`all_dyad_years` - the same for every directed dyad-year, in one
  vectorised DuckDB query;
- :func:`partners` - a state's closest and most distant partners in a year;
- :func:`kappa_matrix` - pairwise kappa of a set of states over a span of years;
- :func:`alliances`, :func:`wars`, :func:`vetoes` and :func:`dyad_panel` -
  ATOP obligations, UCDP/PRIO conflict sides and UNSC vetoes per dyad-year
  (modules :mod:`~dyadwatch.analysis.alliances`, :mod:`~dyadwatch.analysis.wars`,
  :mod:`~dyadwatch.analysis.vetoes`).

States are given as ISO3 codes or names (``"IRN"``, ``"Iran"``, ``"USSR"``)
and resolved by :mod:`dyadwatch.codebooks.countries`; the USSR and Russia
are one series (``RUS``).

Excluded data is counted, not hidden: every result frame carries
``df.attrs["excluded"]`` (see :func:`exclusions`) with the votes and roll
calls that could not enter the measures and why.

Example
-------
>>> from dyadwatch.analysis import alignment                      # doctest: +SKIP
>>> alignment.dyad_years(dw.con, "IRN", "RUS", years=(2005, 2019))
"""

from __future__ import annotations

import math

from typing import Iterable

import duckdb
import pandas as pd

from dyadwatch.analysis import unvotes_measures as um
from dyadwatch.analysis.alliances import alliances
from dyadwatch.analysis.vetoes import vetoes
from dyadwatch.analysis.wars import wars
from dyadwatch.analysis.states import state, state_pair, year_range as _years
from dyadwatch.errors import UsageError

__all__ = ["dyad_years", "all_dyad_years", "partners", "kappa_matrix", "alliances", "wars", "vetoes",
           "dyad_panel", "exclusions", "state", "MEASURES"]

MEASURES = um.MEASURES
#: fewest common roll calls for a partner to be ranked (fewer make kappa too noisy to rank)
MIN_N_RANK = 10
#: default floor of :func:`partners`: a partner must share at least this share of the roll calls the
#: state voted on that year (a partner that missed most of them is ranked on too few votes; in 2015
#: Russia voted on 87 roll calls, and 19 shared votes ranked a state beside one with 87)
MIN_SHARE_RANK = 0.5


def _require_votes(con: duckdb.DuckDBPyConnection) -> None:
    try:
        n = con.execute("SELECT count(*) FROM un_votes").fetchall()[0][0]
        m = con.execute("SELECT count(*) FROM un_roll_calls").fetchall()[0][0]
    except duckdb.CatalogException:
        n = m = 0
    if not n or not m:
        raise UsageError("the store holds no UN votes and roll calls",
                         hint="dyadwatch ingest un_roll_calls.csv un_roll_call_issues.csv un_votes.parquet")


def exclusions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """What the UN-vote measures cannot use, counted.

    Returns
    -------
    dict
        ``votes_without_roll_call``: stored votes whose roll call is not
        stored (e.g. it was rejected for having no date);
        ``rejected_votes`` / ``rejected_roll_calls``: rows refused at ingest
        (reasons in the ``rejects`` table, ``dyadwatch status``).
    """
    out = {"votes_without_roll_call": con.execute(
        "SELECT count(*) FROM un_votes v WHERE NOT EXISTS (SELECT 1 FROM un_roll_calls r WHERE r.rcid = v.rcid)"
    ).fetchall()[0][0]}
    for key, table in (("rejected_votes", "un_votes"), ("rejected_roll_calls", "un_roll_calls")):
        out[key] = con.execute(
            "SELECT count(*) FROM rejects r JOIN ingest_batches b USING (batch_id) "
            "WHERE b.format = 'unvotes' AND b.target_tables LIKE ?", [f"%{table}%"]).fetchall()[0][0]
    return out


def dyad_years(con: duckdb.DuckDBPyConnection, a: str, b: str, *, years=None, issue=None,
               important: bool = False, topic: str | None = None, measures: Iterable[str] | str | None = None,
               by: str = "year") -> pd.DataFrame:
    """UN General Assembly voting similarity of states ``a`` and ``b`` per period.

    Parameters
    ----------
    con : store connection.
    a, b : states (ISO3 or name).
    years : ``(first, last)`` inclusive, an ``int`` or a ``range``; None = all.
    issue : issue code(s) ``me, nu, di, hr, co, ec`` (any matches).
    important : only US State Department "important votes".
    topic : case-insensitive substring of the roll call's description/title.
    measures : subset of ``agree, exact, s, kappa, pi`` (list or comma string); default all.
    by : ``"year"`` (calendar year of the roll call) or ``"session"`` (UNGA session);
        ``years`` always selects roll calls by calendar year, so with sessions the
        first and last session may be partial.

    Returns
    -------
    DataFrame
        One row per period with at least one common roll call: ``a, b,
        year|session, n`` (common roll calls, >= 1) and the measures
        (agree and exact in [0, 1], exact <= agree; s in [-1, 1]; kappa, pi <= 1, NULL when undefined),
        then ``ip_distance`` (|ideal point a - ideal point b| >= 0 in the session
        of that year, Bailey, Strezhnev & Voeten 2017) from the stored
        estimates; NULL until ``dyadwatch idealpoints`` has estimated them.

    Raises
    ------
    UsageError
        Unknown state, the same state twice, unknown measure, issue or period; first year after the last;
        no UN votes in the store.
    """
    ms = um.check_measures(measures)
    sa, sb = state_pair(a, b)
    _require_votes(con)
    rc_sql, params = um.roll_call_filter(years=_years(years), issue=issue, important=important, topic=topic, by=by)
    sql, p2 = um.dyad_period_sql(rc_sql, a=sa, b=sb, measures=ms)
    df = um.run(con, sql, params + p2, by)
    df = _with_ip_distance(con, df, by)
    df.attrs["excluded"] = exclusions(con)
    return df


def _with_ip_distance(con, df: pd.DataFrame, by: str) -> pd.DataFrame:
    """``df`` with ``ip_distance`` (UN ideal-point distance, analysis/idealpoints.py) from the stored
    estimates when current (NULL otherwise; ``df.attrs["ip"]`` says which)."""
    from dyadwatch.analysis import idealpoints

    points = idealpoints.stored(con)
    out = idealpoints.add_distance(df, points, by=by)
    out.attrs["ip"] = "stored" if points is not None else "not estimated"
    return out


def all_dyad_years(con: duckdb.DuckDBPyConnection, *, years=None, issue=None, important: bool = False,
                   topic: str | None = None, measures: Iterable[str] | str | None = None,
                   by: str = "year") -> pd.DataFrame:
    """Every directed dyad-period of the UN votes with n and the measures.

    One vectorised DuckDB query: the votes are self-joined on the roll call
    once per unordered pair and mirrored (the measures are symmetric).
    Parameters and columns as :func:`dyad_years`; about 1.1 million rows for
    all states and years 1946-2019.
    """
    ms = um.check_measures(measures)
    _require_votes(con)
    rc_sql, params = um.roll_call_filter(years=_years(years), issue=issue, important=important, topic=topic, by=by)
    sql, p2 = um.dyad_period_sql(rc_sql, measures=ms)
    df = um.run(con, sql, params + p2, by)
    df.attrs["excluded"] = exclusions(con)
    return df


def partners(con: duckdb.DuckDBPyConnection, a: str, *, year: int, measure: str = "kappa", top: int = 15,
             issue=None, important: bool = False, topic: str | None = None,
             min_n: int | None = None) -> pd.DataFrame:
    """A state's closest and most distant partners in one year.

    Parameters
    ----------
    a : the state (ISO3 or name).
    year : calendar year.
    measure : the ranking measure, one of ``agree, exact, s, kappa, pi``.
    top : how many partners on each end.
    min_n : partners with fewer common roll calls are not ranked; default (None): the larger of
        :data:`MIN_N_RANK` and :data:`MIN_SHARE_RANK` of the roll calls ``a`` voted on that year
        (with these filters).

    Returns
    -------
    DataFrame
        ``side`` (``closest`` / ``most distant``), ``rank`` (1 = closest, or
        most distant), ``a, b, name, year, n, agree, exact, s, kappa, pi``; at most
        ``2 * top`` rows (fewer when fewer partners voted). ``attrs``:
        ``min_n`` (the floor applied), ``roll_calls`` (roll calls ``a`` voted on),
        ``ranked`` and ``below_min`` (partners ranked and left out).

    Raises
    ------
    UsageError
        Unknown state or measure; ``top`` < 1 or ``min_n`` < 0; ``a`` cast no
        vote that year; no partner reaches ``min_n``.
    """
    from dyadwatch.codebooks import countries

    (m,) = um.check_measures([measure])
    if top < 1:
        raise UsageError(f"--top must be at least 1, not {top}")
    if min_n is not None and min_n < 0:
        raise UsageError(f"--min-n must be 0 or more, not {min_n}")
    sa = state(a)
    _require_votes(con)
    rc_sql, params = um.roll_call_filter(years=(year, year), issue=issue, important=important, topic=topic)
    sql, p2 = um.dyad_period_sql(rc_sql, a=sa, measures=MEASURES)
    df = um.run(con, sql, params + p2, "year")
    if df.empty:
        raise UsageError(f"{sa} cast no UN General Assembly vote in {year} (with these filters)",
                         hint="try another --year, or check the store with `dyadwatch status`")
    own = con.execute(f"SELECT count(DISTINCT v.rcid) FROM un_votes v WHERE v.iso3 = ? AND v.vote_code IN (1, 2, 3) "
                      f"AND v.rcid IN (SELECT rcid FROM ({rc_sql}))", [sa] + params).fetchone()[0]
    if min_n is None:
        min_n = max(MIN_N_RANK, math.ceil(MIN_SHARE_RANK * own))
    below = int(((df["n"] < min_n) & df[m].notna()).sum())
    df = df[(df["n"] >= min_n) & df[m].notna()]
    if df.empty:
        raise UsageError(f"no partner of {sa} shares at least {min_n} roll calls with a defined {m} in {year}",
                         hint="lower --min-n")
    df.insert(2, "name", [_name(countries, b) for b in df["b"]])
    best = df.sort_values([m, "n"], ascending=[False, False]).head(top).assign(side="closest")
    worst = df.sort_values([m, "n"], ascending=[True, False]).head(top).assign(side="most distant")
    best["rank"] = range(1, len(best) + 1)
    worst["rank"] = range(1, len(worst) + 1)
    out = pd.concat([best, worst], ignore_index=True)
    cols = ["side", "rank", "a", "b", "name", "year", "n", *MEASURES]
    out = _with_ip_distance(con, out[cols], "year")
    out.attrs["excluded"] = exclusions(con)
    out.attrs.update({"min_n": int(min_n), "roll_calls": int(own), "ranked": int(len(df)), "below_min": below})
    return out


def _name(countries, iso3: str) -> str:
    try:
        return countries.name_of(iso3)
    except Exception:  # a key the country table does not name
        return iso3


def kappa_matrix(con: duckdb.DuckDBPyConnection, actors: Iterable[str], year_from: int | None = None,
                 year_to: int | None = None, topic: str | None = None, *, issue=None,
                 important: bool = False, measure: str = "kappa") -> pd.DataFrame:
    """Pairwise similarity of a set of states over a span of years (for blocs).

    The roll calls of all years from ``year_from`` to ``year_to`` are pooled
    (one n per pair, not an average of yearly values).

    Returns
    -------
    DataFrame
        Square, indexed and labelled by the states' ISO3 codes; diagonal
        1.0; NaN for pairs with no common roll call or undefined kappa.
        ``df.attrs["n"]`` holds the matching square frame of n.

    Raises
    ------
    UsageError
        Unknown state or measure; no UN votes in the store.
    """
    (m,) = um.check_measures([measure])
    isos = list(dict.fromkeys(state(x) for x in actors))
    _require_votes(con)
    rc_sql, params = um.roll_call_filter(years=(year_from, year_to), issue=issue, important=important, topic=topic)
    rc_sql = f"SELECT rcid, 0 AS period FROM ({rc_sql})"
    # restrict the votes to the chosen states before the self-join
    placeholders = ", ".join("?" * len(isos))
    sql, p2 = um.dyad_period_sql(rc_sql, measures=[m])
    anchor = "FROM un_votes v JOIN rc ON rc.rcid = v.rcid JOIN ids ON ids.iso3 = v.iso3"
    if anchor not in sql:  # pragma: no cover - guards a change of unvotes_measures
        raise RuntimeError("kappa_matrix: the votes CTE of dyad_period_sql changed")
    sql = sql.replace(anchor, f"{anchor} WHERE v.iso3 IN ({placeholders})")
    df = um.run(con, sql, params + isos + p2, "period")
    mat = pd.DataFrame(float("nan"), index=isos, columns=isos)
    nmat = pd.DataFrame(0, index=isos, columns=isos)
    for r in df.itertuples(index=False):
        mat.loc[r.a, r.b] = getattr(r, m)
        nmat.loc[r.a, r.b] = r.n
    for x in isos:
        mat.loc[x, x] = 1.0
    mat.attrs["n"] = nmat
    mat.attrs["measure"] = m
    return mat


def dyad_panel(con: duckdb.DuckDBPyConnection, a: str, b: str, *, years=None) -> pd.DataFrame:
    """Everything alignment knows about one dyad, per year.

    Returns
    -------
    DataFrame
        ``year``, the UN measures (``n, agree, exact, s, kappa, pi``; NaN without
        common votes), ATOP obligations (``defense, offense, neutrality,
        nonaggression, consultation``: 0/1), UCDP conflict counts
        (``same_side, opposite_sides, a_targets_b, b_targets_a, at_war``) and
        UNSC vetoes (``a_vetoes, b_vetoes, joint_vetoes``), for every year in
        which any of them has data.
    """
    from dyadwatch.analysis.alliances import OBLIGATIONS
    from dyadwatch.analysis.vetoes import veto_panel
    from dyadwatch.analysis.wars import RELATIONS, war_panel

    sa, sb = state(a), state(b)
    yr = _years(years)
    parts = []
    try:
        parts.append(dyad_years(con, sa, sb, years=yr).drop(columns=["a", "b"]).set_index("year"))
    except UsageError:
        pass
    al = alliances(con, sa, sb, years=yr)
    parts.append(al.drop(columns=["a", "b", "any"]).set_index("year"))
    parts.append(war_panel(con, sa, sb, years=yr).set_index("year"))
    parts.append(veto_panel(con, sa, sb, years=yr).set_index("year"))
    out = pd.concat(parts, axis=1).sort_index()
    for c in (*RELATIONS, "a_vetoes", "b_vetoes", "joint_vetoes"):
        out[c] = out[c].fillna(0).astype("int64")
    # no ATOP row = no shared alliance, within the years ATOP covers; after them: unknown (<NA>)
    atop_last = con.execute("SELECT max(year) FROM atop_alliances").fetchall()[0][0]
    for c in OBLIGATIONS:
        col = out[c].astype("Int64")
        if atop_last is not None:
            col = col.mask(col.isna() & (out.index <= atop_last), 0)
        out[c] = col
    out = out.reset_index().rename(columns={"index": "year"})
    out.insert(0, "b", sb)
    out.insert(0, "a", sa)
    return out
