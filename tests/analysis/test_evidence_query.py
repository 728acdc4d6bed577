"""``list_events`` in two queries gives what the earlier five-to-eight-query version gave.

The reference below is the previous implementation's SQL (one ``count(*)``, the rows with an ``OR`` of the
two directions joined to ``documents``, ``store_labels`` and the ``dyad_counts`` note read separately),
kept here so the one-statement version is checked row for row on a small store with both directions, two
data sets, documents, aggregated counts, and actor codes whose two directions overlap.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dyadwatch.acquire.citations import store_labels
from dyadwatch.analysis.evidence import EVENT_LIST_COLUMNS, annotate, list_events, period_range
from dyadwatch.errors import UsageError
from dyadwatch.store import db as store_db
from dyadwatch.store.schema import EVENT_COLUMNS
from tests.relations.storefix import insert_rows

# (id, dataset, date, src_code, src_country, tgt_code, tgt_country, cameo, quad, goldstein, mentions, doc, sentence)
ROWS = [
    (1, "icews14", "2014-03-02", "IRNGOV", "IRN", "RUSGOV", "RUS", "040", 1, 1.0, 3, None, "Iran met Russia."),
    (2, "icews14", "2014-07-09", "RUSMIL", "RUS", "IRNGOV", "IRN", "190", 4, -10.0, 1, None, None),
    (3, "text", "2014-07-09", "RUSGOV", "RUS", "IRNMIL", "IRN", "111", 3, -2.0, 5, "d1", "Russia criticised Iran."),
    (4, "text", "2015-01-05", "IRNGOV", "IRN", "RUSGOV", "RUS", "061", 2, 6.4, 2, "d2", "They signed a deal."),
    (5, "icews14", "2015-01-05", "IRNGOV", "IRN", "RUSGOV", "RUS", "190", 4, -10.0, 9, None, None),
    (6, "icews14", "2014-05-01", "USAGOV", "USA", "IRNGOV", "IRN", "111", 3, -2.0, 1, None, None),
    (7, "text", "2016-02-03", "IRNGOV", "IRN", "IRNOPP", "IRN", "173", 4, -5.0, 1, "d3", "Police arrested."),
    (9, "text", "2016-03-01", "IRNGOV", "IRN", "IRNGOVMIN", "IRN", "040", 1, 1.0, 1, None, "A minister met."),
    (8, "icews14", None, "IRNGOV", "IRN", "RUSGOV", "RUS", "040", 1, 1.0, 1, None, None),
]


def build_store(path):
    """A store at ``path`` holding :data:`ROWS`, two documents, two ingest batches and dyad_counts for
    IRN-RUS 2013 and 2014 (an open connection)."""
    con = store_db.connect(path)
    store_db.ensure_schema(con)
    cols = [c for c, _ in EVENT_COLUMNS]
    rows = []
    for eid, ds, day, sc, scn, tc, tcn, cameo, qc, gold, ment, doc, sent in ROWS:
        r = dict.fromkeys(cols)
        r.update(event_id=f"{ds}:{eid}", dataset=ds, native_id=str(eid),
                 event_date=dt.date.fromisoformat(day) if day else None, src_name=sc, src_code=sc,
                 src_country=scn, tgt_name=tc, tgt_code=tc, tgt_country=tcn, cameo_code=cameo,
                 cameo_root=cameo[:2], quad_class=qc, goldstein=gold, mentions=ment, doc_id=doc, sentence=sent)
        rows.append(tuple(r[c] for c in cols))
    insert_rows(con, "events", cols, rows)
    insert_rows(con, "documents", ["doc_id", "url", "title"],
                [("d1", "https://example.org/1", "Russia and Iran"), ("d2", "https://example.org/2", "A deal")])
    insert_rows(con, "ingest_batches", ["batch_id", "format", "dataset"],
                [(1, "icews-names", "icews14"), (2, "text", "text")])
    con.execute("INSERT INTO dyad_counts (dataset, src_country, tgt_country, year, verbal_coop, material_coop, "
                "verbal_conflict, material_conflict) VALUES ('icews_dyadyear', 'IRN', 'RUS', 2013, 5, 0, 1, 0), "
                "('icews_dyadyear', 'RUS', 'IRN', 2014, 2, 1, 0, 0)")
    return con


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    con = build_store(tmp_path_factory.mktemp("evq") / "q.duckdb")
    yield con
    con.close()


def _reference(con, a, b, *, period=None, date_from=None, date_to=None, roots=None, datasets=None,
               limit=None, order="date"):
    """The previous ``list_events`` (count, rows with OR + documents join, labels and note apart)."""
    from dyadwatch.analysis.actors import resolve_pair
    from dyadwatch.analysis.dyads import _as_date, _check_datasets, _dyad_condition, _filters

    fa, fb = resolve_pair(a, b)
    rng = period_range(period)
    d0, d1 = rng if rng else (_as_date(date_from, "from"), _as_date(date_to, "to"))
    _check_datasets(con, datasets)
    both, p_both, ab, p_ab = _dyad_condition(fa, fb)
    fcond, fparams = _filters(datasets, roots, d0, d1)
    where = f"event_date IS NOT NULL AND {both}{fcond}"
    rank = {"date": "event_date, event_id", "newest": "event_date DESC, event_id",
            "intensity": "abs(goldstein) DESC NULLS LAST, mentions DESC NULLS LAST, event_date, event_id"}[order]
    total = con.execute(f"SELECT count(*) FROM events WHERE {where}", p_both + fparams).fetchone()[0]
    df = con.execute(
        f"""SELECT e.event_id, e.dataset, e.event_date, CASE WHEN {ab} THEN 'A->B' ELSE 'B->A' END AS direction,
                   e.src_name, e.src_country, e.tgt_name, e.tgt_country, e.cameo_code, e.quad_class, e.goldstein,
                   e.plover_type, e.sentence, e.source_url, e.doc_id, d.title AS doc_title, d.url AS doc_url
            FROM (SELECT * FROM events WHERE {where}) e LEFT JOIN documents d ON d.doc_id = e.doc_id
            ORDER BY {rank} {'LIMIT ' + str(int(limit)) if limit else ''}""", p_ab + p_both + fparams).df()
    annotate(con, df, names=store_labels(con))
    out = df.reindex(columns=EVENT_LIST_COLUMNS)
    out = out.astype(object).where(out.notna(), None)
    note = None
    if fa.column == "country" and fb.column == "country":
        yrs = con.execute("""SELECT DISTINCT year FROM dyad_counts WHERE ((src_country = ? AND tgt_country = ?)
                               OR (src_country = ? AND tgt_country = ?)) AND year >= coalesce(?, year)
                               AND year <= coalesce(?, year) ORDER BY year""",
                          [fa.value, fb.value, fb.value, fa.value, d0 and d0.year, d1 and d1.year]).fetchall()
        if yrs:
            note = [int(y[0]) for y in yrs]
    return out, int(total), note


CASES = [
    dict(),
    dict(period=2014),
    dict(period="2014-07", order="newest"),
    dict(date_from="2013", date_to="2015", roots=["19"]),
    dict(date_from="2015"),
    dict(datasets=["text"]),
    dict(datasets=["text", "icews14"], order="intensity"),
    dict(limit=1, order="intensity"),
    dict(limit=2, order="newest"),
    dict(period=2013),  # no event rows; the note still names 2013
    dict(roots=["05"]),  # no rows at all
]


@pytest.mark.parametrize("kw", CASES, ids=[str(c) for c in CASES])
@pytest.mark.parametrize("pair", [("IRN", "RUS"), ("Russia", "Iran"), ("IRNGOV", "RUS"), ("IRNGOV", "IRN")])
def test_list_events_equals_previous_queries(store, pair, kw):
    got = list_events(store, *pair, **kw)
    want, total, years = _reference(store, *pair, **kw)
    pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True))
    assert got.attrs["total"] == total
    note = got.attrs["note"]
    if years is None:
        assert note is None
    else:
        span = f"{years[0]}" if len(years) == 1 else f"{years[0]}–{years[-1]}"
        assert note.startswith(f"the yearly figures of {span} are counted from icews_dyadyear")


def test_list_events_known_values(store):
    df = list_events(store, "IRN", "RUS", period=2014, order="newest")
    # events 2 (RUS->IRN, icews14) and 3 (RUS->IRN, text, doc d1) on 2014-07-09, then 1 on 2014-03-02
    assert list(df["event_id"]) == ["icews14:2", "text:3", "icews14:1"]
    assert list(df["direction"]) == ["B->A", "B->A", "A->B"]
    assert df.iloc[1]["doc_title"] == "Russia and Iran" and df.iloc[1]["doc_url"] == "https://example.org/1"
    assert df.iloc[0]["dataset_name"].startswith("ICEWS extracts") and df.iloc[0]["doc_title"] is None
    assert df.attrs["total"] == 3 and df.attrs["note"].startswith("the yearly figures of 2014 are counted")
    # an actor code within a country: event 9 (IRNGOV -> IRNGOVMIN) is both directions, listed once as A->B
    same = list_events(store, "IRNGOV", "IRN", date_from="2016")
    assert list(same["event_id"]) == ["text:7", "text:9"] and list(same["direction"]) == ["A->B", "A->B"]
    assert same.attrs["total"] == 2
    empty = list_events(store, "IRN", "RUS", roots=["05"])
    assert empty.empty and list(empty.columns) == EVENT_LIST_COLUMNS and empty.attrs["total"] == 0
    with pytest.raises(UsageError, match="'nope' is not in the store; it holds: icews14, icews_dyadyear, text"):
        list_events(store, "IRN", "RUS", datasets=["text", "nope"])
