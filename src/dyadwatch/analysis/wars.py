"""Sides of two states in UCDP/PRIO armed conflicts, per conflict-year.

Unit: conflict-year (``ucdp_conflicts``) with its state parties
(``ucdp_conflict_parties``: side A or B, primary or secondary party; filled
by ``sources/ucdp.py``). In UCDP's coding side A is always a government;
a secondary party supports a side with troops (UCDP/PRIO ACD codebook,
"SideA2nd"/"SideB2nd").

Relation of A and B in a conflict-year where both took part:

``same_side``       on the same side (either role) - fighting together;
``a_targets_b``     opposite sides, B a primary party, A a secondary one:
                    A fights (alongside others) against B itself;
``b_targets_a``     the converse;
``at_war``          opposite sides, both primary parties: each the other's target;
``opposite_sides``  opposite sides, both secondary parties (a proxy confrontation).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dyadwatch.analysis.states import state_pair, year_range as _years

RELATIONS = ("same_side", "opposite_sides", "a_targets_b", "b_targets_a", "at_war")


def wars(con: duckdb.DuckDBPyConnection, a: str, b: str, *, years=None) -> pd.DataFrame:
    """UCDP conflict-years in which both ``a`` and ``b`` took part.

    Returns
    -------
    DataFrame
        ``a, b, year, conflict_id, type_of_conflict, incompatibility,
        intensity_level, a_side, a_role, b_side, b_role, relation`` (one of
        :data:`RELATIONS`), ``location`` (ISO3 of the side-A primary
        party(ies), comma-separated), sorted by year and conflict.

    Raises
    ------
    UsageError
        Unknown state, or the same state twice.
    """

    sa, sb = state_pair(a, b)
    lo, hi = _years(years)
    return con.execute(
        """WITH pa AS (SELECT * FROM ucdp_conflict_parties WHERE iso3 = ?),
                pb AS (SELECT * FROM ucdp_conflict_parties WHERE iso3 = ?),
                j AS (
                  SELECT pa.conflict_id, pa.year, pa.side AS a_side, pa.role AS a_role,
                         pb.side AS b_side, pb.role AS b_role
                  FROM pa JOIN pb USING (conflict_id, year)
                  WHERE pa.year >= coalesce(?, pa.year) AND pa.year <= coalesce(?, pa.year))
           SELECT ? AS a, ? AS b, j.year, j.conflict_id, c.type_of_conflict, c.incompatibility,
                  c.intensity_level, a_side, a_role, b_side, b_role,
                  CASE WHEN a_side = b_side THEN 'same_side'
                       WHEN a_role = 'primary' AND b_role = 'primary' THEN 'at_war'
                       WHEN b_role = 'primary' THEN 'a_targets_b'
                       WHEN a_role = 'primary' THEN 'b_targets_a'
                       ELSE 'opposite_sides' END AS relation,
                  (SELECT string_agg(iso3, ',' ORDER BY iso3) FROM ucdp_conflict_parties p
                    WHERE p.conflict_id = j.conflict_id AND p.year = j.year AND p.side = 'A'
                      AND p.role = 'primary') AS location
           FROM j LEFT JOIN ucdp_conflicts c USING (conflict_id, year)
           ORDER BY j.year, j.conflict_id""", [sa, sb, lo, hi, sa, sb]).df()


def war_panel(con: duckdb.DuckDBPyConnection, a: str, b: str, *, years=None) -> pd.DataFrame:
    """Per year, how many conflicts put ``a`` and ``b`` in each relation.

    Returns
    -------
    DataFrame
        ``year`` and one count column per relation in :data:`RELATIONS`
        (``opposite_sides`` counts only the both-secondary case, so the
        columns add up to the conflicts both took part in); years without
        a shared conflict are absent.
    """
    df = wars(con, a, b, years=years)
    if df.empty:
        return pd.DataFrame(columns=["year", *RELATIONS]).astype("int64")
    out = pd.crosstab(df["year"], df["relation"]).reindex(columns=list(RELATIONS), fill_value=0)
    out.columns.name = None
    return out.reset_index().astype("int64")


def conflict_names(con: duckdb.DuckDBPyConnection, ids=None) -> dict[int, str]:
    """A readable name for each UCDP conflict id, in UCDP's own style "location: incompatibility".

    The location is the primary state party or parties (side A; both sides
    for an interstate conflict), named from their ISO3 codes; the
    incompatibility is ``Government``, ``Territory`` or ``Government and
    territory``. Conflict 299 -> ``"Syria: Government"``. The peacesciencer
    copy of the UCDP/PRIO ACD has no names of non-state parties or of the
    contested territory, so a territorial conflict is ``"Ukraine: Territory"``.

    Returns ``{conflict_id: name}`` for ``ids`` (default: every conflict in the store);
    ids without parties in the store are absent.
    """
    from dyadwatch.codebooks.labels import country_name

    id_list = None if ids is None else sorted({int(i) for i in ids})
    if id_list is not None and not id_list:
        return {}
    cond = "" if id_list is None else f"WHERE p.conflict_id IN ({', '.join('?' * len(id_list))})"
    rows = con.execute(
        f"""SELECT p.conflict_id, p.side, list(DISTINCT p.iso3 ORDER BY p.iso3),
                   any_value(c.incompatibility), any_value(c.type_of_conflict)
            FROM ucdp_conflict_parties p LEFT JOIN ucdp_conflicts c USING (conflict_id, year)
            {cond}{' AND' if cond else 'WHERE'} p.role = 'primary' AND p.iso3 IS NOT NULL
            GROUP BY ALL ORDER BY 1, 2""", id_list or []).fetchall()
    parties: dict[int, dict] = {}
    for cid, side, isos, incomp, kind in rows:
        rec = parties.setdefault(int(cid), {"A": [], "B": [], "incomp": incomp, "kind": kind})
        rec[side] = list(isos)
    out = {}
    for cid, rec in parties.items():
        where = rec["A"] + (rec["B"] if str(rec["kind"] or "").startswith("inter") else [])
        place = ", ".join(dict.fromkeys(country_name(i) for i in where)) or "?"
        incomp = str(rec["incomp"] or "").strip().lower()
        what = {"government": "Government", "territory": "Territory", "both": "Government and territory"}.get(
            incomp, incomp.capitalize() or "?")
        out[cid] = f"{place}: {what}"
    return out
