"""Bridges between sessions: identical resolution titles voted in different sessions share one item."""

from __future__ import annotations

import pandas as pd
import pytest

from dyadwatch.analysis.idealpoints_bridges import bridge_items, resolution_title

CUBA = "Necessity of ending the economic, commercial and financial embargo imposed by the United States"


@pytest.mark.parametrize("short, descr, want", [
    # sessions 47-57: the title is the description
    ("CUBA, U.S. EMBARGO", f"{CUBA} against Cuba", "necessity of ending the economic commercial and financial "
                                                  "embargo imposed by the united states against cuba"),
    # sessions 58-70: '... of America against Cuba : resolution / adopted by the General Assembly'
    ("x", f"{CUBA} of America against Cuba : resolution / adopted by the General Assembly",
     "necessity of ending the economic commercial and financial embargo imposed by the united states against cuba"),
    # the source's typo
    ("x", "embargo imposed by the Unites States of America against Cuba : resolution / adopted by ...",
     "embargo imposed by the united states against cuba"),
    # sessions 71-73: the title is in `short`, `descr` holds the agenda item
    (f"{CUBA} of America against Cuba : resolution / adopted by ...",
     "A/72/251 42 - Necessity of ending the economic ... - CUBA--UNITED STATES",
     "necessity of ending the economic commercial and financial embargo imposed by the united states against cuba"),
    # an agenda prefix alone is dropped
    (None, "A/71/251 39 - Question of Palestine", "question of palestine"),
    (None, None, ""),
])
def test_idealpoints_bridges_title_normalisation(short, descr, want):
    assert resolution_title(short, descr) == want


def _rc(rows):
    return pd.DataFrame(rows, columns=["rcid", "session", "short", "descr"])


def test_idealpoints_bridges_identical_titles_across_sessions_share_an_item():
    rc = _rc([
        (1, 60, "", "The occupied Syrian Golan : resolution / adopted by the General Assembly"),
        (2, 61, "", "The occupied Syrian Golan : resolution / adopted by the General Assembly"),
        (3, 61, "", "Jerusalem : resolution / adopted by the General Assembly"),   # one word: never bridges
        (4, 62, "", "Jerusalem : resolution / adopted by the General Assembly"),
        (5, 62, "", "The occupied Syrian Golan"),
    ])
    out = bridge_items(rc).set_index("rcid")
    assert out.loc[1, "item"] == out.loc[2, "item"] == out.loc[5, "item"]
    assert out.loc[[1, 2, 5], "bridged"].all()
    assert out.loc[3, "item"] != out.loc[4, "item"] and not out.loc[[3, 4], "bridged"].any()
    assert out["item"].nunique() == 3


def test_idealpoints_bridges_title_voted_twice_in_a_session_does_not_bridge_there():
    """Two roll calls under one title in a session (paragraph votes, parts A/B): which one continues
    last year's text is unknown, so neither bridges in that session; other sessions still do."""
    t = "Implementation of the Declaration on the Granting of Independence"
    rc = _rc([(1, 40, "", t), (2, 41, "", t), (3, 41, "", t), (4, 42, "", t)])
    out = bridge_items(rc).set_index("rcid")
    assert out.loc[1, "item"] == out.loc[4, "item"] and out.loc[1, "bridged"]
    assert out.loc[2, "item"] != out.loc[3, "item"]
    assert not out.loc[[2, 3], "bridged"].any()
    assert out.loc[2, "item"] != out.loc[1, "item"]


def test_idealpoints_bridges_same_session_only_is_not_a_bridge():
    rc = _rc([(1, 50, "", "Prevention of an arms race in outer space")])
    out = bridge_items(rc)
    assert not out["bridged"].any() and out["item"].tolist() == [0]
