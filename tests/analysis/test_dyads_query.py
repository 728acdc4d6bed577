"""``dyad_series`` reads the two directions as two ``UNION ALL`` branches; the totals equal the ``OR`` form.

The ``OR`` form is still the code path of the ``events_dedup`` view, so a store whose ``events_dedup`` is
replaced by a plain ``SELECT * FROM events`` gives the reference: the same rows through the earlier SQL.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dyadwatch.analysis.dyads import dyad_series
from dyadwatch.errors import UsageError
from tests.analysis.test_evidence_query import build_store


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    con = build_store(tmp_path_factory.mktemp("dsq") / "q.duckdb")
    con.execute("DROP VIEW IF EXISTS events_dedup")
    con.execute("CREATE VIEW events_dedup AS SELECT * FROM events")
    yield con
    con.close()


CASES = [
    dict(freq="year"),
    dict(freq="year", directed=True),
    dict(freq="year", prefer="events"),
    dict(freq="month", directed=True),
    dict(freq="quarter", roots=["19"]),
    dict(freq="day", date_from="2014-07", date_to="2015-01", directed=True),
    dict(freq="week", datasets=["text"]),
    dict(freq="month", datasets=["icews14", "text"], date_from="2014"),
    dict(freq="year", datasets=["icews_dyadyear"]),
]


@pytest.mark.parametrize("kw", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("pair", [("IRN", "RUS"), ("Russia", "Iran"), ("IRNGOV", "RUS"), ("IRNGOV", "IRN")])
def test_series_union_equals_or_form(store, pair, kw):
    got = dyad_series(store, *pair, **kw)
    want = dyad_series(store, *pair, dedup=True, **kw)
    pd.testing.assert_frame_equal(got, want)


def test_series_known_values(store):
    # IRN-RUS 2014: events 1 (IRN->RUS, QC1), 2 and 3 (RUS->IRN, QC4 and QC3) + dyad_counts RUS->IRN 2014
    # (prefer counts: the year is counted from dyad_counts, 2 + 1 events); 2015: events 4 (QC2) and 5 (QC4)
    df = dyad_series(store, "IRN", "RUS", freq="year", directed=True)
    by = {(r.period, r.direction): r for r in df.itertuples()}
    assert (by["2014", "B->A"].events, by["2014", "A->B"].events) == (3, 0)
    assert (by["2015", "A->B"].events, by["2015", "A->B"].goldstein_sum) == (2, 6.4 - 10.0)
    m = dyad_series(store, "IRN", "RUS", freq="month", directed=True, date_from="2014", date_to="2014")
    jul = m[(m["period"] == "2014-07") & (m["direction"] == "B->A")].iloc[0]
    assert (jul["events"], jul["datasets"]) == (2, "icews14,text")
    # the IRNGOV -> IRNGOVMIN event matches both directions and is counted once
    both = dyad_series(store, "IRNGOV", "IRN", freq="year", date_from="2016", date_to="2016")
    assert list(both["events"]) == [2]
    with pytest.raises(UsageError, match="'nope' is not in the store; it holds: icews14, icews_dyadyear, text"):
        dyad_series(store, "IRN", "RUS", datasets=["text", "nope"])


@pytest.mark.parametrize("pair", [("IRN", "RUS"), ("IRNGOV", "RUS"), ("IRNGOV", "IRN"), ("USA", "RUS")])
def test_page_datasets_equal_or_form(store, pair):
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _dyad_condition
    from dyadwatch.serve.views import dyad_datasets

    both, params, _, _ = _dyad_condition(*resolve_pair(*pair))
    want = store.execute(f"SELECT dataset, count(*) FROM events WHERE {both} GROUP BY 1 ORDER BY 2 DESC, 1",
                         params).fetchall()
    got = dyad_datasets(store, *pair)
    assert [(r["dataset"], r["events"]) for r in got] == want
    if pair == ("IRN", "RUS"):  # events 1, 2, 5, 8 (icews14) and 3, 4 (text)
        assert want == [("icews14", 4), ("text", 2)]
