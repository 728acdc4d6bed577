"""Bridging roll calls: the same resolution voted again in a later UN General Assembly session.

Bailey, Strezhnev & Voeten (2017, *JCR* 61(2): 430-456) make ideal points
comparable across sessions by constraining the item parameters of
*identical* resolutions voted in different sessions to be equal: the
Assembly adopts many resolutions again every year word for word (on the
US embargo against Cuba, Israeli practices, outer space, nuclear
disarmament...), so a state that votes differently on the same text has
moved, not the agenda.

We identify them from the roll-call titles the vote files carry (no full
texts): two roll calls of *different* sessions are one item when their
normalised titles are equal. :func:`resolution_title` normalises:

- the title is the text before ``": resolution / adopted by ..."`` in
  ``descr`` or ``short`` (sessions 58-73 carry it in one or the other),
  else ``descr``, else ``short``;
- an agenda prefix ``"A/72/251 42 - "`` is dropped;
- case, punctuation and spacing are ignored; ``"United States of America"``
  and the source's typo ``"Unites States"`` read ``"United States"``.

A title bridges only when (a) it has at least :data:`MIN_WORDS` words (a
generic ``"Korea"`` or ``"ad hoc political"`` does not name one text), and
(b) it is voted on once in each session it appears in (several roll calls
under one title in a session are paragraphs, amendments or parts A/B:
which one continues last year's text is unknown, so none bridges in that
session). In the Voeten data as packaged in ``unvotes`` (1946-2019) this
bridges about 2,300 roll calls of sessions 30-74; before session 30 the
descriptions are one-off summaries of the motion ("TO ADOPT ...") that
never repeat, so those sessions are tied to later ones by the random walk
alone (see ``docs/idealpoints.md``).
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: fewest words a normalised title needs to bridge sessions
MIN_WORDS = 4

_ADOPTED = re.compile(r"\s*:\s*resolution\b.*$", re.IGNORECASE | re.DOTALL)
_HAS_ADOPTED = re.compile(r":\s*resolution\b", re.IGNORECASE)
_AGENDA = re.compile(r"^\s*A/\d+/\d+\s+\S+\s+-\s+")
_NON_WORD = re.compile(r"[^a-z0-9]+")


def resolution_title(short: str | None, descr: str | None) -> str:
    """The normalised title of a roll call (lower-case words separated by single spaces).

    >>> resolution_title(None, "Necessity of ending the embargo imposed by the United States of America "
    ...                  "against Cuba : resolution / adopted by the General Assembly")
    'necessity of ending the embargo imposed by the united states against cuba'
    """
    short, descr = short or "", descr or ""
    text = None
    for cand in (descr, short):
        if _HAS_ADOPTED.search(cand):
            text = _ADOPTED.sub("", cand)
            break
    if text is None:
        text = descr or short
    text = _AGENDA.sub("", text).lower()
    text = text.replace("unites states", "united states").replace("united states of america", "united states")
    return _NON_WORD.sub(" ", text).strip()


def bridge_items(roll_calls: pd.DataFrame) -> pd.DataFrame:
    """Assign each roll call an item: bridged roll calls of different sessions share one.

    Parameters
    ----------
    roll_calls : DataFrame with ``rcid, session, short, descr`` (one row per roll call).

    Returns
    -------
    DataFrame ``rcid, session, item, title, bridged``: ``item`` in
    ``[0, n_items)``; ``bridged`` is True when the item spans more than one
    session; ``title`` is the normalised title.
    """
    rc = roll_calls[["rcid", "session", "short", "descr"]].copy()
    rc["title"] = [resolution_title(s, d) for s, d in zip(rc["short"], rc["descr"])]
    per_session = rc.groupby(["title", "session"])["rcid"].transform("size")
    eligible = (per_session == 1) & (rc["title"].str.count(" ") + 1 >= MIN_WORDS) & (rc["title"] != "")
    n_sessions = rc[eligible].groupby("title")["session"].nunique()
    shared = set(n_sessions[n_sessions > 1].index)
    bridged = eligible & rc["title"].isin(shared)
    key = np.where(bridged, "t:" + rc["title"], "r:" + rc["rcid"].astype(str))
    rc["item"] = pd.factorize(pd.Series(key, index=rc.index), sort=False)[0]
    rc["bridged"] = bridged.to_numpy()
    return rc[["rcid", "session", "item", "title", "bridged"]].reset_index(drop=True)
