"""events_dedup: the two-day one-a-day filter, story merges, the merge report."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from dyadwatch.errors import UsageError
from dyadwatch.store import db
from dyadwatch.store.dedup import ensure_view, merge_report
from dyadwatch.store.schema import EVENT_COLUMNS

# id, dataset, date, src, tgt, root, mentions, doc_id, source_url
EVENTS = [
    ("g1", "gdelt1", "2015-09-30", "RUS", "SYR", "19", 5, None, "http://a.example/1"),
    ("g2", "gdelt1", "2015-09-30", "RUS", "SYR", "19", 9, None, "http://a.example/2"),
    ("i1", "icews", "2015-10-01", "RUS", "SYR", "19", None, "story-9", None),     # next day, other dataset
    ("i2", "icews", "2015-10-02", "RUS", "SYR", "19", None, "story-10", None),    # starts the next window
    ("i3", "icews", "2015-10-02", "SYR", "RUS", "19", None, "story-10", None),    # other direction
    ("i4", "icews", "2015-10-05", "RUS", "SYR", "19", None, "story-11", None),    # a new run
    ("i5", "icews", "2015-10-09", "RUS", "SYR", "04", 1, "story-12", None),      # one story, two dates
    ("i6", "icews", "2015-10-20", "RUS", "SYR", "04", 3, "story-12", None),
    ("i7", "icews", "2015-10-20", None, "SYR", "04", None, "story-12", None),      # no source country
    ("i8", "icews", "2015-10-03", "RUS", "SYR", "19", None, "story-13", None),    # with i2: window 10-02..03
]


@pytest.fixture
def con():
    c = duckdb.connect()
    db.ensure_schema(c)
    for r in EVENTS:
        c.execute("INSERT INTO events (event_id, dataset, event_date, src_country, tgt_country, cameo_root, mentions, "
                  "doc_id, source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", list(r))
    yield c
    c.close()


def _groups(con) -> dict[str, tuple[int, list[str]]]:
    return {r[0]: (r[1], r[2]) for r in con.execute(
        "SELECT event_id, n_merged, merged_ids FROM events_dedup").fetchall()}


def test_dedup_two_day_window_groups_by_hand(con):
    # hand-worked: RUS->SYR root 19 report days 09-30, 10-01, 10-02, 10-03 form one run,
    # paired (09-30, 10-01) and (10-02, 10-03); 10-05 is a new run. The story-12 events
    # (root 04) are one report dated 10-09.
    assert _groups(con) == {
        "g2": (3, ["g1", "g2", "i1"]),   # g2 has the most mentions
        "i2": (2, ["i2", "i8"]),
        "i3": (1, ["i3"]),
        "i4": (1, ["i4"]),
        "i6": (2, ["i5", "i6"]),         # i6 has more mentions than i5
        "i7": (1, ["i7"]),
    }


def test_dedup_counts_add_up(con):
    total = con.execute("SELECT sum(n_merged), count(*) FROM events_dedup").fetchall()[0]
    assert total == (len(EVENTS), 6)
    # every event is in exactly one merged_ids list
    ids = con.execute("SELECT unnest(merged_ids) FROM events_dedup").fetchall()
    assert sorted(i for i, in ids) == sorted(e[0] for e in EVENTS)


def test_dedup_same_day_only(con):
    ensure_view(con, window_days=0)
    g = _groups(con)
    assert g["g2"] == (2, ["g1", "g2"]) and g["i1"] == (1, ["i1"]) and g["i2"] == (1, ["i2"])
    assert g["i6"] == (2, ["i5", "i6"])  # the story merge does not depend on the window


def test_dedup_view_has_event_columns(con):
    cols = [c for c, in con.execute("SELECT column_name FROM information_schema.columns "
                                    "WHERE table_name = 'events_dedup' ORDER BY ordinal_position").fetchall()]
    assert cols == [c for c, _ in EVENT_COLUMNS] + ["batch_id", "n_merged", "merged_ids"]


def test_dedup_representative_keeps_its_own_columns(con):
    row = con.execute("SELECT dataset, event_date, source_url FROM events_dedup WHERE event_id = 'g2'").fetchall()
    assert row == [("gdelt1", dt.date(2015, 9, 30), "http://a.example/2")]


def test_dedup_merge_report_says_why(con):
    rep = merge_report(con)
    # largest group first, then by group id (dyad, root, window)
    assert list(rep["kept_event_id"]) == ["g2", "i6", "i2"]
    first = rep.iloc[0]
    assert first["n_merged"] == 3 and list(first["datasets"]) == ["gdelt1", "icews"]
    assert first["reason"] == ("3 reports (gdelt1, icews) of RUS->SYR, CAMEO root 19 within one window "
                               "(2015-09-30 .. 2015-10-01)")
    assert rep.iloc[1]["reason"] == "one story reports 2 events of RUS->SYR, CAMEO root 04"
    assert len(merge_report(con, src_country="SYR")) == 0
    assert len(merge_report(con, limit=1)) == 1


def test_dedup_window_limits():
    with pytest.raises(UsageError, match="window_days must be 0 or 1"):
        ensure_view(duckdb.connect(), window_days=3)


def test_dedup_dyad_series_reads_the_view(con):
    from dyadwatch.analysis.dyads import dyad_series

    raw = dyad_series(con, "RUS", "SYR", freq="year", directed=True)
    ded = dyad_series(con, "RUS", "SYR", freq="year", directed=True, dedup=True)
    ab = lambda df: int(df[(df.direction == "A->B")]["events"].sum())  # noqa: E731
    assert (ab(raw), ab(ded)) == (8, 4)  # RUS->SYR rows: g1 g2 i1 i2 i4 i5 i6 i8 -> 4 groups
