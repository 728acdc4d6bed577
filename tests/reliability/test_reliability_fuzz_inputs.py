"""Issue 14, fuzzing: hostile file names, extreme numbers in Parquet inputs, whole claims files.

Three hypothesis harnesses (seeded; ``DYADWATCH_FUZZ_EXAMPLES``, default 20,
bounds each; the last test prints the outcome counts that
``docs/reliability.md`` quotes):

* **file names**: stems of 1-24 characters drawn from glob and shell
  characters (``[ ] * ? { } , = ' " \\ $ ! # %``), spaces, combining marks,
  right-to-left marks, CJK and emoji, for a GDELT export (plain, ``.gz``),
  an ICEWS ``.tab`` inside a ``.zip`` and an ICEWS dyad-year Parquet file;
  beside each lie neighbours a pattern reading of the name would match
  (the name with its special characters replaced or removed). Allowed: the
  file's own rows are stored, exactly, and each neighbour is then stored in
  its turn (never "already stored");
* **extreme numbers in Parquet**: ICEWS dyad-year files whose counts and
  years are drawn from int64/uint64 extremes, NaN, infinities, -0.0,
  1e308, fractions, negatives and NULL, in integer, unsigned, float and
  decimal columns; UN votes Parquet with such roll-call ids and votes; and
  ``dyad --events FILE.parquet`` with such Goldstein scores, QuadClasses,
  mention counts and dates. Allowed: a one-line error naming the file with
  nothing stored, or a batch whose counts add up and whose stored rows all
  lie within the plausible ranges (:mod:`dyadwatch.ranges`), after which
  ``dyadwatch dyad`` runs for the pair;
* **claims files**: whole files of good and damaged claim lines joined by
  LF, CRLF, form feeds, U+2028, with a BOM, blank and ``#`` lines, invalid
  UTF-8. Allowed: the claims read, one per good line with its line number,
  or one ``InputError`` naming the file and the line (counted in LF) of the
  first bad line.
"""

from __future__ import annotations

import datetime as dt
import decimal
import gzip
import io
import json
import math
import os
import re
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch import ranges
from dyadwatch.errors import DyadwatchError, InputError
from dyadwatch.sources.gdelt import GDELT1_COLUMNS
from dyadwatch.store.db import ensure_schema
from dyadwatch.store.ingest import ingest_file
from tests.reliability.corpus import ICEWS_HEADER, gdelt_row, icews_row

N = int(os.environ.get("DYADWATCH_FUZZ_EXAMPLES", "20"))
#: kind of input -> outcome -> count (printed by the last test)
OUTCOMES: dict[str, Counter] = defaultdict(Counter)
SECONDS: Counter = Counter()
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture]
FUZZ = settings(max_examples=N, deadline=None, database=None, derandomize=True, suppress_health_check=_HEALTH)
#: each file-name example runs about five ingests: a quarter as many examples per kind
FUZZ_NAMES = settings(FUZZ, max_examples=max(2, N // 4))
#: each example runs the CLI once more (``dyad``): half as many
FUZZ_CLI = settings(FUZZ, max_examples=max(2, N // 2))


def _store() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    ensure_schema(con)
    return con


# -- file names --------------------------------------------------------------------------------------

_SPECIAL = "[]*?{},='\"\\$!#%&;()~^` "
_name_chars = st.one_of(st.sampled_from(list(_SPECIAL)), st.sampled_from(list("ev1aZ09._-+")),
                        st.sampled_from(["é", "ü", "ß", "\u0301", "\u202e", "\u200f", "\u00a0", "中", "😀",
                                         "\u2028", "Ω"]))
_stem = st.lists(_name_chars, min_size=1, max_size=24).map("".join).filter(
    lambda s: s not in (".", "..") and len(s.encode()) < 150 and not s.startswith("-"))


def _gdelt(ids) -> bytes:
    return ("\n".join(gdelt_row(GDELT1_COLUMNS, i) for i in ids) + "\n").encode()


def _icews(ids) -> bytes:
    return (ICEWS_HEADER + "\n" + "\n".join(icews_row(i) for i in ids) + "\n").encode()


def _zip(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


def _dyad_year(years) -> bytes:
    n = len(years)
    buf = io.BytesIO()
    pq.write_table(pa.table({"i": ["Iran"] * n, "j": ["Russia"] * n, "year": pa.array(years, pa.int32()),
                             "verbCoop": [1] * n, "matlCoop": [0] * n, "verbConf": [0] * n, "matlConf": [0] * n,
                             "i_iso3c": ["IRN"] * n, "j_iso3c": ["RUS"] * n}), buf)
    return buf.getvalue()


#: kind -> (suffix, format, builder(stem, keys), table, key column, key as stored)
NAME_KINDS = {
    "gdelt .CSV": (".export.CSV", "gdelt1", lambda stem, k: _gdelt(k), "events", "native_id", int),
    "gdelt .CSV.gz": (".export.CSV.gz", "gdelt1", lambda stem, k: gzip.compress(_gdelt(k), mtime=0), "events",
                      "native_id", int),
    "icews .tab.zip": (".tab.zip", "icews", lambda stem, k: _zip(stem + ".tab", _icews(k)), "events", "native_id",
                       int),
    "dyad-year .parquet": (".parquet", "icews-dyad-year", lambda stem, k: _dyad_year(k), "dyad_counts", "year",
                           int),
}


def _neighbours(stem: str) -> list[str]:
    """Names a pattern reading of ``stem`` could match: special characters replaced or removed."""
    plain = re.sub(r"[\[\]*?{},]", "", stem)
    out = {plain, re.sub(r"[\[\]*?{},]", "1", stem), plain + "1", stem.split("=")[-1] or "eq"}
    return sorted(n for n in out if n and n != stem and n not in (".", ".."))[:3]


@pytest.mark.parametrize("kind", sorted(NAME_KINDS))
def test_reliability_fuzz_file_names(kind):
    suffix, fmt, build, table, key, _ = NAME_KINDS[kind]

    @FUZZ_NAMES
    @given(stem=_stem)
    def run(stem):
        t0 = time.monotonic()
        base = 2000 if key == "year" else 10
        with tempfile.TemporaryDirectory() as d:
            names = [stem, *_neighbours(stem)]
            keys = {n: [base + 3 * i, base + 3 * i + 1] for i, n in enumerate(names)}
            for n in names:
                (Path(d) / (n + suffix)).write_bytes(build(n, keys[n]))
            con = _store()
            try:
                for n in names:  # the hostile name first, then every neighbour in its turn
                    p = Path(d) / (n + suffix)
                    s = ingest_file(con, p, format=fmt)
                    assert not s.skipped and (s.rows_read, s.rows_stored) == (2, 2), (n, s)
                    got = sorted(int(r[0]) for r in con.execute(
                        f"SELECT t.{key} FROM {table} t WHERE t.batch_id = ?", [s.batch_id]).fetchall())
                    assert got == keys[n], (stem, n, got)
            finally:
                con.close()
        OUTCOMES[f"file name ({kind})"]["read exactly, neighbours stored in turn"] += 1
        SECONDS["file names"] += time.monotonic() - t0

    run()


# -- extreme numbers in Parquet -----------------------------------------------------------------------

_I64 = (-2**63, 2**63 - 1)
_extreme_int = st.one_of(st.sampled_from([0, 1, -1, 2**31 - 1, -2**31, 2**31, 10**9, 10**9 + 1, *_I64]),
                         st.integers(*_I64))
_extreme_float = st.one_of(st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, 2.5, 1e9, 9.2e18,
                                            5e-324, -1.0]), st.floats(allow_nan=True, allow_infinity=True))


@st.composite
def _column(draw, n: int, ints: bool = True):
    """A Parquet column of ``n`` extreme numbers: int64, uint64, int8, float64, float32 or decimal."""
    typ = draw(st.sampled_from(["int64", "uint64", "int8", "float64", "float32", "decimal", "null"]))
    if typ == "null":
        return pa.array([None] * n, pa.int64())
    if typ in ("float64", "float32"):
        vals = [draw(st.one_of(_extreme_float, st.none())) for _ in range(n)]
        return pa.array(vals, pa.float64()).cast(pa.float32(), safe=False) if typ == "float32" else \
            pa.array(vals, pa.float64())
    if typ == "decimal":
        vals = [draw(st.one_of(st.decimals(min_value=-10**12, max_value=10**12, places=2, allow_nan=False),
                               st.none())) for _ in range(n)]
        return pa.array(vals, pa.decimal128(15, 2))
    lo, hi = {"int64": _I64, "uint64": (0, 2**64 - 1), "int8": (-128, 127)}[typ]
    vals = [draw(st.one_of(st.integers(lo, hi), st.sampled_from([lo, hi, 0]), st.none())) for _ in range(n)]
    return pa.array(vals, getattr(pa, typ)())


@st.composite
def _dyad_year_extreme(draw) -> pa.Table:
    n = draw(st.integers(1, 6))
    cols = {"i": pa.array(["Iran"] * n), "j": pa.array(["Russia"] * n)}
    year = draw(st.one_of(_column(n), st.just(pa.array([draw(st.integers(1990, 2020)) for _ in range(n)],
                                                            pa.int32()))))
    cols["year"] = year
    for c in ("verbCoop", "matlCoop", "verbConf", "matlConf"):
        cols[c] = draw(st.one_of(_column(n), st.just(pa.array([draw(st.integers(0, 50)) for _ in range(n)],
                                                                  pa.int64()))))
    cols["i_iso3c"], cols["j_iso3c"] = pa.array(["IRN"] * n), pa.array(["RUS"] * n)
    return pa.table(cols)


def _one_line_error(exc: DyadwatchError, path: Path) -> None:
    msg = exc.one_line()
    assert "\n" not in msg and str(path) in msg, msg


@FUZZ_CLI
@given(table=_dyad_year_extreme())
def test_reliability_fuzz_parquet_dyad_year_extremes(table):
    from dyadwatch.cli import main

    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as d:
        path, db = Path(d) / "dyad_year.parquet", Path(d) / "s.duckdb"
        pq.write_table(table, path)
        con = duckdb.connect(str(db))
        ensure_schema(con)
        try:
            s = ingest_file(con, path, format="icews-dyad-year")
        except DyadwatchError as exc:
            _one_line_error(exc, path)
            assert con.execute("SELECT count(*) FROM dyad_counts").fetchall()[0][0] == 0
            OUTCOMES["dyad-year Parquet, extreme counts and years"]["refused, one line"] += 1
        else:
            assert s.rows_read == table.num_rows == s.rows_stored + s.rows_rejected + s.rows_duplicate, s
            bad = con.execute(f"SELECT count(*) FROM dyad_counts WHERE NOT ({ranges.plausible_dyad_counts_sql()}) "
                              "OR year IS NULL").fetchall()[0][0]
            assert bad == 0
            OUTCOMES["dyad-year Parquet, extreme counts and years"][
                "stored with rejects" if s.rows_rejected else "stored"] += 1
        finally:
            con.close()
        rc = main(["dyad", "IRN", "RUS", "--format", "json", "--db", str(db)])
        assert rc == 0, rc
    SECONDS["parquet"] += time.monotonic() - t0


@st.composite
def _votes_extreme(draw) -> pa.Table:
    n = draw(st.integers(1, 6))
    rcid = draw(st.one_of(_column(n), st.just(pa.array(list(range(1, n + 1)), pa.int64()))))
    vote = draw(st.one_of(
        _column(n), st.just(pa.array([draw(st.sampled_from(["yes", "no", "abstain", "", "YES", "maybe", "1",
                                                             "9", "nan"])) for _ in range(n)]))))
    return pa.table({"rcid": rcid, "country": pa.array(["Iran"] * n), "country_code": pa.array(["IR"] * n),
                     "vote": vote})


@FUZZ
@given(table=_votes_extreme())
def test_reliability_fuzz_parquet_un_votes_extremes(table):
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "un_votes.parquet"
        pq.write_table(table, path)
        con = _store()
        try:
            s = ingest_file(con, path, format="unvotes")
        except DyadwatchError as exc:
            _one_line_error(exc, path)
            assert con.execute("SELECT count(*) FROM un_votes").fetchall()[0][0] == 0
            OUTCOMES["UN votes Parquet, extreme ids and votes"]["refused, one line"] += 1
        else:
            assert s.rows_read == table.num_rows == s.rows_stored + s.rows_rejected + s.rows_duplicate, s
            assert con.execute("SELECT count(*) FROM un_votes WHERE vote_code NOT IN (1, 2, 3) OR rcid IS NULL"
                               ).fetchall()[0][0] == 0
            OUTCOMES["UN votes Parquet, extreme ids and votes"][
                "stored with rejects" if s.rows_rejected else "stored"] += 1
        finally:
            con.close()
    SECONDS["parquet"] += time.monotonic() - t0


_EVENTS_DB: list[Path] = []


def _events_store() -> Path:
    """A store with four ICEWS events of Iran and Russia (built once per session)."""
    if not _EVENTS_DB:
        d = Path(tempfile.mkdtemp(prefix="dw_fuzz_events_"))
        src = d / "events.tab"
        src.write_text("\n".join([ICEWS_HEADER, *(icews_row(i) for i in range(1, 5))]) + "\n", encoding="utf-8")
        con = duckdb.connect(str(d / "s.duckdb"))
        ensure_schema(con)
        ingest_file(con, src)
        con.close()
        _EVENTS_DB.append(d / "s.duckdb")
    return _EVENTS_DB[0]


@FUZZ_CLI
@given(goldstein=st.one_of(_extreme_float, st.floats(-10, 10)), quad=st.one_of(_extreme_int, st.integers(1, 4)),
       mentions=st.one_of(_extreme_int, st.integers(0, 1000)),
       day=st.one_of(st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)), st.just(dt.date(2015, 6, 1))))
def test_reliability_fuzz_dyad_events_parquet_extremes(capsys, goldstein, quad, mentions, day):
    from dyadwatch.cli import main

    t0 = time.monotonic()
    db = _events_store()
    with tempfile.TemporaryDirectory() as d:
        parquet = Path(d) / "events.parquet"
        con = duckdb.connect(str(db), read_only=True)
        q = max(-2**63, min(quad, 2**63 - 1))
        m = max(-2**63, min(mentions, 2**63 - 1))
        con.execute(f"COPY (SELECT * REPLACE (CASE WHEN native_id = '2' THEN ?::DOUBLE ELSE goldstein END AS goldstein,"
                    f" CASE WHEN native_id = '2' THEN ?::BIGINT ELSE quad_class END AS quad_class,"
                    f" CASE WHEN native_id = '2' THEN ?::BIGINT ELSE mentions END AS mentions,"
                    f" CASE WHEN native_id = '2' THEN ?::DATE ELSE event_date END AS event_date)"
                    f" FROM events ORDER BY event_id) TO '{parquet}' (FORMAT parquet)", [goldstein, q, m, day])
        con.close()
        capsys.readouterr()
        rc = main(["dyad", "IRN", "RUS", "--events", str(parquet), "--format", "json", "--db", str(db)])
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err, err
        assert rc in (0, 3), (rc, err)
        if rc == 3:
            assert f"{parquet}: row " in err and len(err.strip().splitlines()) == 1, err
    OUTCOMES["dyad --events Parquet, extreme values"]["refused, one line (exit 3)" if rc else "read (exit 0)"] += 1
    SECONDS["parquet"] += time.monotonic() - t0


# -- whole claims files -------------------------------------------------------------------------------

_GOOD_CLAIMS = [
    {"kind": "relation", "actors": ["IRN", "RUS"], "year": 2015, "expected": "friendly"},
    {"kind": "veto", "actor": "RUS", "from": 2014, "to": 2015, "text": "a\u2028b \u00e9 😀"},
    {"kind": "same_side", "actors": ["IRN", "RUS"], "from": 2015, "to": 2016},
]
_BAD_CLAIMS = [
    '{"kind": "same_side", "actors": ["IRN", "RUS"], "from": 1, "to": 300000000}',
    '{"kind": "veto", "actor": ["RUS"], "from": 2014}',
    '{"kind": "relation", "actors": ["IRN", "RUS"], "year": 2015.5, "expected": "friendly"}',
    '{"kind": "relation"', "[1, 2]", '{"kind": "nope"}', "\ufeff{}",
]


@st.composite
def _claims_file(draw) -> tuple[bytes, list[int], int | None]:
    """(file bytes, LF line numbers of the good claims, LF line number of the first bad line or None)."""
    lines: list[bytes] = []
    good: list[int] = []
    first_bad = None
    for _ in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["good", "good", "good", "blank", "comment", "bad", "bytes", "ff"]))
        no = len(lines) + 1
        if kind == "good":
            c = draw(st.sampled_from(_GOOD_CLAIMS))
            lines.append(json.dumps(c, ensure_ascii=draw(st.booleans())).encode())
            good.append(no)
        elif kind == "blank":
            lines.append(draw(st.sampled_from([b"", b"   ", b"\t"])))
        elif kind == "comment":
            lines.append("# a note \u2028 with a line separator".encode())
        elif kind == "ff":  # a form feed alone: whitespace, not a line end in JSON Lines
            lines.append(b"\x0c")
        else:
            lines.append(draw(st.sampled_from(_BAD_CLAIMS)).encode() if kind == "bad" else b"\xff\xfe{")
            first_bad = first_bad or no
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    data = eol.join(lines) + (eol if draw(st.booleans()) else b"")
    if draw(st.booleans()):
        data = b"\xef\xbb\xbf" + data
    return data, good, first_bad


@FUZZ
@given(case=_claims_file())
def test_reliability_fuzz_claims_files(case):
    from dyadwatch.analysis.claims import read_claims

    data, good, first_bad = case
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "claims.jsonl"
        p.write_bytes(data)
        try:
            claims = read_claims(p)
        except InputError as exc:
            msg = exc.one_line()
            assert "\n" not in msg and str(p) in msg, msg
            if first_bad is not None:
                assert exc.line == first_bad, (msg, first_bad)
            else:
                assert not good and "holds no claims" in msg, msg
            OUTCOMES["claims file"]["refused at its first bad line" if first_bad else "refused: no claim"] += 1
        else:
            assert first_bad is None and [c["_line"] for c in claims] == good
            OUTCOMES["claims file"]["read, every claim with its line"] += 1
    SECONDS["claims"] += time.monotonic() - t0


def test_zz_fuzz_inputs_figures():
    """Runs last in the module: the outcome counts per kind of input (quoted in docs/reliability.md)."""
    if not OUTCOMES:
        pytest.skip("the fuzz tests did not run in this session")
    for kind, c in sorted(OUTCOMES.items()):
        print(f"{kind}: {sum(c.values())} inputs: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items())))
    print("seconds", {k: round(v, 1) for k, v in SECONDS.items()})
    assert all(sum(c.values()) >= 1 for c in OUTCOMES.values())
