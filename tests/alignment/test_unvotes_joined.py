"""Voeten's joined roll-call layout (issue 14 item 17) and exact agreement.

``rcid, session, vote, ccode, member, importantvote, date, unres`` with votes
1 yes / 2 abstain / 3 no / 8 absent / 9 not a member and M/D/YYYY dates was
detected as a roll-call file, every line after the first of a roll call was a
"duplicate key" and no vote was stored.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dyadwatch.analysis import alignment
from dyadwatch.api import Dyadwatch
from dyadwatch.codebooks import countries
from dyadwatch.sources import formats

HEADER = "rcid,session,vote,ccode,member,importantvote,date,unres\n"
# Iran (COW 630), Russia (365), United States (2), France (220)
JOINED = HEADER + """\
1,70,1,630,1,1,3/1/2015,R/70/1
1,70,1,365,1,1,3/1/2015,R/70/1
1,70,3,2,1,1,3/1/2015,R/70/1
1,70,8,220,1,1,3/1/2015,R/70/1
2,70,3,630,1,0,6/12/2015,R/70/2
2,70,2,365,1,0,6/12/2015,R/70/2
2,70,3,2,1,0,6/12/2015,R/70/2
2,70,9,220,0,0,6/12/2015,R/70/2
3,70,2,630,1,0,10/5/2015,R/70/3
3,70,2,365,1,0,10/5/2015,R/70/3
3,70,7,2,1,0,10/5/2015,R/70/3
3,70,1,999,1,0,10/5/2015,R/70/3
3,70,1,220,1,0,10/6/2015,R/70/3
3,70,1,365,1,0,10/5/2015,R/70/3
"""


@pytest.fixture
def joined(tmp_path, db_path):
    path = tmp_path / "UNVotes_joined.csv"
    path.write_text(JOINED, encoding="utf-8")
    with Dyadwatch(db_path) as dw:
        (s,) = dw.ingest([path])
        yield dw, s


def test_unvotes_joined_layout_votes_stored_8_9_not_votes(joined):
    dw, s = joined
    assert s.format == "unvotes"
    # 14 lines: 8 votes stored, 4 rejected; the 8 and the 9 are neither stored nor rejected
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (14, 8, 4)
    assert s.reject_reasons == {"unknown vote value": 1, "country not mappable": 1,
                                "roll call 3 described differently than on line 10": 1, "duplicate vote": 1}
    lines = dict(dw.con.execute("SELECT line, reason FROM rejects").fetchall())
    assert sorted(lines) == [12, 13, 14, 15]  # the header is line 1
    assert lines[12].startswith("unknown vote value: '7'")
    assert lines[13] == "country not mappable: COW code 999 names no state in 2015 (dyadwatch.codebooks.countries)"
    assert "date 2015-10-06 here, 2015-10-05 there" in lines[14]
    assert lines[15] == "duplicate vote: RUS (COW 365) votes twice on roll call 3"
    assert s.notes == ["1 line absent (vote 8) and 1 not a member (vote 9): not votes, counted and not stored"]
    votes = dw.con.execute("SELECT rcid, iso3, vote, vote_code FROM un_votes ORDER BY rcid, iso3").fetchall()
    assert votes == [(1, "IRN", "yes", 1), (1, "RUS", "yes", 1), (1, "USA", "no", 3),
                     (2, "IRN", "no", 3), (2, "RUS", "abstain", 2), (2, "USA", "no", 3),
                     (3, "IRN", "abstain", 2), (3, "RUS", "abstain", 2)]
    rc = dw.con.execute("SELECT rcid, session, importantvote, date::VARCHAR, year, unres FROM un_roll_calls "
                        "ORDER BY rcid").fetchall()
    assert rc == [(1, 70, 1, "2015-03-01", 2015, "R/70/1"), (2, 70, 0, "2015-06-12", 2015, "R/70/2"),
                  (3, 70, 0, "2015-10-05", 2015, "R/70/3")]
    cow = dict(dw.con.execute("SELECT iso3, cow FROM un_vote_countries WHERE year = 2015").fetchall())
    assert cow == {"IRN": 630, "RUS": 365, "USA": 2}


def test_unvotes_exact_agreement_beside_three_point(joined):
    """IRN-RUS on 3 common roll calls: (yes, yes), (no, abstain), (abstain, abstain).
    Three-point agreement = 1 - (0 + 1 + 0) / (2 * 3) = 5/6; exact = 2/3."""
    dw, _ = joined
    df = alignment.dyad_years(dw.con, "IRN", "RUS", years=(2015, 2015))
    row = df.iloc[0]
    assert int(row["n"]) == 3
    assert row["agree"] == pytest.approx(5 / 6)
    assert row["exact"] == pytest.approx(2 / 3)
    # IRN-USA: (yes, no), (no, no): agree = 1 - (2 + 0) / 4 = 0.5, exact = 1/2; S = 1 - 2/2 = 0
    row = alignment.dyad_years(dw.con, "IRN", "USA", years=(2015, 2015)).iloc[0]
    assert (int(row["n"]), row["agree"], row["exact"], row["s"]) == (2, 0.5, 0.5, 0.0)


def test_unvotes_joined_real_votes_same_as_unvotes_package(tmp_path, shared_data):
    """The real unvotes-package votes of 150 roll calls, rewritten in Voeten's joined layout
    (COW codes, M/D/YYYY dates, each missing member as an 8 or 9 line), store the same
    (roll call, state, vote) triples and the same kappa as the package layout."""
    rc_path = shared_data / "unvotes" / "un_roll_calls.csv"
    votes_path = shared_data / "unvotes" / "un_votes.parquet"
    rcs = pd.read_csv(rc_path).dropna(subset=["date"])
    rcs = rcs[rcs["date"].str[:4].astype(int) >= 1990].head(150)
    votes = pd.read_parquet(votes_path)
    votes = votes[votes["rcid"].isin(rcs["rcid"])]
    package = tmp_path / "package"
    package.mkdir()
    rcs.to_csv(package / "un_roll_calls.csv", index=False)
    votes.to_parquet(package / "un_votes.parquet")
    with Dyadwatch(tmp_path / "package.duckdb") as dw:
        dw.ingest([package / "un_roll_calls.csv", package / "un_votes.parquet"])
        want = set(dw.con.execute("SELECT rcid, iso3, vote_code FROM un_votes").fetchall())
        want_kappa = alignment.dyad_years(dw.con, "USA", "RUS", years=(1990, 2030))
    years = dict(zip(rcs["rcid"], rcs["date"].str[:4].astype(int)))
    code = {1: 1, 2: 2, 3: 3}  # vote_code as in Voeten's codes
    lines, n_absent, n_nonmember = [HEADER.strip()], 0, 0
    states = sorted({i for _, i, _ in want})
    for rcid, date, session, imp, unres in rcs[["rcid", "date", "session", "importantvote", "unres"]].itertuples(index=False):
        y, m, d = (int(x) for x in date.split("-"))
        voted = {i: v for r, i, v in want if r == rcid}
        for iso in states:
            cow = countries.iso3_to_cow(iso, y)
            if cow is None:
                continue
            v = code.get(voted.get(iso), 8 if (n_absent + n_nonmember) % 2 else 9)
            n_absent += v == 8
            n_nonmember += v == 9
            lines.append(f"{rcid},{session},{v},{cow},{int(v != 9)},{int(imp)},{m}/{d}/{y},{unres}")
    joined_path = tmp_path / "UNVotes.csv"
    joined_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Dyadwatch(tmp_path / "joined.duckdb") as dw:
        (s,) = dw.ingest([joined_path])
        got = set(dw.con.execute("SELECT rcid, iso3, vote_code FROM un_votes").fetchall())
        got_kappa = alignment.dyad_years(dw.con, "USA", "RUS", years=(1990, 2030))
    with_cow = {t for t in want if countries.iso3_to_cow(t[1], years[t[0]]) is not None}
    assert len(with_cow) > 10_000
    assert got == with_cow
    assert (s.rows_read, s.rows_stored, s.rows_rejected) == (len(lines) - 1, len(with_cow), 0)
    assert n_absent > 100 and n_nonmember > 100
    assert s.notes == [f"{n_absent:,} lines absent (vote 8) and {n_nonmember:,} not a member (vote 9): "
                       "not votes, counted and not stored"]
    pd.testing.assert_frame_equal(got_kappa.reset_index(drop=True), want_kappa.reset_index(drop=True))


def test_unvotes_package_votes_after_joined_layout_never_double_a_state(joined, tmp_path):
    """The same votes in the unvotes-package layout after the joined file: a state already voting on a
    roll call under another name is an ISO3 collision (before: stored again, so IRN voted twice on
    roll call 1 and every measure counted it twice); a new state's vote is stored; the same name with
    other values is a conflict settled by the store's rule (one row kept, the other a reject)."""
    dw, _ = joined
    votes = tmp_path / "un_votes.csv"
    votes.write_text("rcid,country,country_code,vote\n"
                     "1,Iran (Islamic Republic of),IR,yes\n"
                     "1,France,FR,no\n"
                     "2,Russian Federation,RU,abstain\n"
                     "2,Iran,IR,no\n", encoding="utf-8")
    (s,) = dw.ingest([votes])
    # France on roll call 1, and 'Iran' on roll call 2 (same key as the joined row, which had no alpha-2
    # code: the row that sorts first by its columns is kept, the other becomes a reject of its batch)
    assert (s.rows_read, s.rows_stored, s.rows_rejected, s.rows_replaced) == (4, 2, 2, 1)
    reasons = dict(dw.con.execute("SELECT line, reason FROM rejects WHERE batch_id = ?", [s.batch_id]).fetchall())
    assert reasons[2] == ("ISO3 collision: IRN already votes on roll call 1 as 'Iran' in the store (another "
                          "file); two delegations cannot share one code")
    assert reasons[4].startswith("ISO3 collision: RUS already votes on roll call 2 as 'Russia' in the store")
    per_state = dw.con.execute("SELECT rcid, iso3, count(*) FROM un_votes GROUP BY ALL HAVING count(*) > 1").fetchall()
    assert per_state == []
    assert dw.con.execute("SELECT vote FROM un_votes WHERE rcid = 1 AND iso3 = 'FRA'").fetchall() == [("no",)]
