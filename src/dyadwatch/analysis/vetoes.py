"""UN Security Council vetoes: who vetoed which draft, alone or jointly.

Unit: vetoed draft resolution (``unsc_vetoes``, filled by
``sources/unsc_vetoes.py``; members named in the source's ``member_veto*``
columns, mapped to ISO3 with the USSR and Russia as ``RUS``).

The source (Dag Hammarskjöld Library veto list) does not record a draft's
sponsors or the other members' votes, so "vetoed by one, backed by the
other" cannot be derived; the panel counts each state's vetoes and the
drafts both vetoed (joint vetoes).
"""

from __future__ import annotations

import duckdb
import pandas as pd

from dyadwatch.analysis.states import state, year_range as _years

from dyadwatch.errors import UsageError

#: ISO3 of the permanent seats of UN Charter art. 23 (USSR/Russia = RUS; TWN = Republic of China to 1971)
PERMANENT_MEMBERS = ("CHN", "FRA", "GBR", "RUS", "USA", "TWN")


def vetoes(con: duckdb.DuckDBPyConnection, member: str | None = None, *, topic: str | None = None,
           years=None) -> pd.DataFrame:
    """Vetoed Security Council drafts, newest last.

    Parameters
    ----------
    member : a permanent member (ISO3 or name, ``"Russia"``/``"USSR"`` -> RUS); None = all.
    topic : case-insensitive substring of the agenda item or crisis topic (``"Syria"``).
    years : ``(first, last)`` inclusive, an int, or None.

    Returns
    -------
    DataFrame
        ``date, year, draft, meeting_record, agenda_item, crisis_topic,
        members`` (names as in the source, comma-separated), ``members_iso3``,
        ``joint`` (True when more than one member vetoed).

    Raises
    ------
    UsageError
        Unknown state, or a state that never held a permanent seat.
    """

    iso = state(member) if member else None
    if iso is not None and iso not in PERMANENT_MEMBERS:
        raise UsageError(f"{member!r} ({iso}) is not a permanent member of the Security Council; "
                         f"choose one of {', '.join(PERMANENT_MEMBERS)}", hint="or omit it for every veto")
    lo, hi = _years(years)
    df = con.execute(
        """SELECT date, year, draft, meeting_record, agenda_item, crisis_topic,
                  array_to_string(members, ', ') AS members, array_to_string(members_iso3, ', ') AS members_iso3,
                  n_members > 1 AS joint
           FROM unsc_vetoes
           WHERE (?::VARCHAR IS NULL OR list_contains(members_iso3, ?))
             AND (?::VARCHAR IS NULL OR agenda_item ILIKE ? OR crisis_topic ILIKE ?)
             AND year >= coalesce(?, year) AND year <= coalesce(?, year)
           ORDER BY date, draft""",
        [iso, iso, topic, f"%{topic}%", f"%{topic}%", lo, hi]).df()
    df["date"] = [d.date() if hasattr(d, "date") else d for d in df["date"]]
    return df


def veto_panel(con: duckdb.DuckDBPyConnection, a: str, b: str, *, years=None) -> pd.DataFrame:
    """Per year: vetoes cast by ``a``, by ``b``, and jointly by both.

    Returns
    -------
    DataFrame
        ``year, a_vetoes, b_vetoes, joint_vetoes``; years in which neither vetoed are absent.
    """

    sa, sb = state(a), state(b)
    lo, hi = _years(years)
    return con.execute(
        """SELECT year,
                  count_if(list_contains(members_iso3, ?))::BIGINT AS a_vetoes,
                  count_if(list_contains(members_iso3, ?))::BIGINT AS b_vetoes,
                  count_if(list_contains(members_iso3, ?) AND list_contains(members_iso3, ?))::BIGINT
                    AS joint_vetoes
           FROM unsc_vetoes
           WHERE (list_contains(members_iso3, ?) OR list_contains(members_iso3, ?))
             AND year >= coalesce(?, year) AND year <= coalesce(?, year)
           GROUP BY year ORDER BY year""", [sa, sb, sa, sb, sa, sb, lo, hi]).df()
