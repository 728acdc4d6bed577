"""ATOP alliance obligations between two states, per year.

Unit: directed dyad-year (``atop_alliances``, filled by ``sources/atop.py``).
An obligation is 1 when the two states share at least one alliance with that
obligation in force in the year (Leeds et al. 2002, ATOP codebook v5.1):

``defense``        come to the partner's military aid if it is attacked;
``offense``        aid in an offensive war;
``neutrality``     stay out of a conflict the partner is in;
``nonaggression``  not attack the partner;
``consultation``   consult in a crisis.

A defence pact is the strongest form of alignment the data record; a
"strategic partnership" with neutrality, non-aggression and consultation
but no defence obligation (Iran-Russia since 2001) is alignment short of an
alliance in the narrow sense.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dyadwatch.analysis.states import state_pair, year_range as _years

#: output column -> ATOP column
OBLIGATIONS = {"defense": "atop_defense", "offense": "atop_offense", "neutrality": "atop_neutral",
               "nonaggression": "atop_nonagg", "consultation": "atop_consul"}


def alliances(con: duckdb.DuckDBPyConnection, a: str, b: str, *, years=None) -> pd.DataFrame:
    """ATOP obligations in force between ``a`` and ``b``, one row per year with data.

    Parameters
    ----------
    a, b : states (ISO3 or name; resolved by :func:`dyadwatch.analysis.states.state`).
    years : ``(first, last)`` inclusive, an int, or None for all.

    Returns
    -------
    DataFrame
        ``a, b, year, defense, offense, neutrality, nonaggression,
        consultation`` (0/1) and ``any`` (1 if any obligation); years in
        which the data record no shared alliance are absent.

    Raises
    ------
    UsageError
        Unknown state, or the same state twice.
    """

    sa, sb = state_pair(a, b)
    lo, hi = _years(years)
    cols = ", ".join(f"max({src})::INTEGER AS {dst}" for dst, src in OBLIGATIONS.items())
    df = con.execute(
        f"""SELECT ? AS a, ? AS b, year, {cols}
            FROM atop_alliances WHERE iso3_1 = ? AND iso3_2 = ?
              AND year >= coalesce(?, year) AND year <= coalesce(?, year)
            GROUP BY year ORDER BY year""", [sa, sb, sa, sb, lo, hi]).df()
    df["any"] = (df[list(OBLIGATIONS)].sum(axis=1) > 0).astype("int64")
    return df
