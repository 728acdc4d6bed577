"""Issue 8, part 7: a hypothesis fuzzing harness over every reader and the coder's sentence path.

Readers: files built from a reader's good rows with hypothesis-chosen damage
(a field replaced by arbitrary text, bytes inserted, fields dropped or
repeated, rows duplicated, blank lines) go through the ingest engine into an
in-memory store. The only allowed failure is a :class:`DyadwatchError` whose
message is one line naming the file; on success the counts add up (read =
stored + rejected + already stored, stored = rows in the table) and every
rejected line is a line of the file.

Coder: arbitrary text (with English event words and actor names mixed in)
is coded; no exception, every event validates against the coding schema.

Bounded in CI: ``DYADWATCH_FUZZ_EXAMPLES`` inputs per reader (default 20) and
4x that for the coder; the module prints how many inputs ran and how long.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.errors import DyadwatchError
from dyadwatch.store.db import ensure_schema
from dyadwatch.store.ingest import ingest_file
from tests.reliability.corpus import CASES

N = int(os.environ.get("DYADWATCH_FUZZ_EXAMPLES", "20"))
RUNS: Counter = Counter()
SECONDS: Counter = Counter()

_text = st.text(st.characters(codec="utf-8"), max_size=40)
_field_damage = st.one_of(
    _text,
    st.sampled_from(["", "NA", "-1", "0", "99999999999999999999", "1e309", "nan", "2015-02-30", "00000000",
                     "10", "0231", "ABC", "\"", "\"\"", ",", "\t", "\\", "'; DROP TABLE events; --"]),
)


@st.composite
def damaged_file(draw, case: str) -> bytes:
    c = CASES[case]
    sep = "\t" if "\t" in (c.header or c.row(1)) else ","
    rows = [c.row(i + 1) for i in range(draw(st.integers(1, 6)))]
    out = []
    for r in rows:
        fields = r.split(sep)
        op = draw(st.sampled_from(["keep", "field", "drop", "repeat", "bytes", "dup", "blank"]))
        if op == "field":
            fields[draw(st.integers(0, len(fields) - 1))] = draw(_field_damage)
        elif op == "drop":
            del fields[draw(st.integers(0, len(fields) - 1))]
        elif op == "repeat":
            fields.append(fields[draw(st.integers(0, len(fields) - 1))])
        line = sep.join(fields).encode("utf-8", "surrogatepass")
        if op == "bytes":
            at = draw(st.integers(0, len(line)))
            line = line[:at] + draw(st.binary(min_size=1, max_size=6)) + line[at:]
        out.append(line)
        if op == "dup":
            out.append(line)
        if op == "blank":
            out.append(b"")
    head = [c.header.encode()] if c.header else []
    eol = draw(st.sampled_from([b"\n", b"\r\n"]))
    return eol.join(head + out) + eol


def _check_one(case: str, data: bytes) -> None:
    c = CASES[case]
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"fuzz{c.suffix}"
        path.write_bytes(data)
        con = duckdb.connect(":memory:")
        ensure_schema(con)
        try:
            s = ingest_file(con, path, format=c.format)
        except DyadwatchError as exc:
            msg = exc.one_line()
            assert "\n" not in msg and str(path) in msg, msg
            assert con.execute(f"SELECT count(*) FROM {c.table}").fetchall()[0][0] == 0
        else:
            if case == "ucdp-acd":  # rows of one conflict-year are pooled into one conflict, and a
                # party with an unmappable code is rejected while its conflict-year is stored (by design)
                assert s.rows_read >= s.rows_stored + s.rows_duplicate, s
            else:
                assert s.rows_read == s.rows_stored + s.rows_rejected + s.rows_duplicate, s
            assert con.execute(f"SELECT count(*) FROM {c.table}").fetchall()[0][0] == s.rows_stored
            # DuckDB-staged readers count a lone CR as a line end too (docs/reliability.md)
            n_lines = len(re.split(rb"\r\n|\r|\n", data)) - 1
            lines = [r[0] for r in con.execute("SELECT line FROM rejects").fetchall()]
            assert all(line is not None and 1 <= line <= n_lines for line in lines), (lines, n_lines)
        finally:
            con.close()
    RUNS[case] += 1
    SECONDS[case] += time.monotonic() - t0


FUZZ = settings(max_examples=N, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.mark.parametrize("case", sorted(CASES))
def test_reliability_fuzz_reader(case):
    @FUZZ
    @given(data=damaged_file(case))
    def run(data):
        _check_one(case, data)

    run()


_WORDS = st.sampled_from(["Russia", "Iran", "Syria", "Turkey", "attacked", "met", "condemned", "praised",
                          "signed", "an", "agreement", "with", "in", "Damascus", "on", "Tuesday", ".", ",",
                          "not", "will", "said", "<b>", "&amp;", "\u202e", "\u200f", "Mr.", "U.N.", "\n\n"])
_sentence = st.one_of(
    st.lists(_WORDS, max_size=30).map(" ".join),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=300),
    st.lists(st.one_of(_WORDS, st.text(max_size=12)), max_size=40).map(" ".join),
)


@settings(max_examples=4 * N, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_sentence)
def test_reliability_fuzz_coder_sentence_path(text):
    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.documents import Document, parse_date
    from dyadwatch.coding.schema import validate_event

    t0 = time.monotonic()
    events, report = get_coder().code([Document(doc_id="fuzz", date=parse_date("2017-06-14"), text=text)])
    for ev in events:
        validate_event(ev)
    RUNS["coder"] += 1
    SECONDS["coder"] += time.monotonic() - t0


def test_zz_fuzz_figures():
    """Runs last in the module: how many inputs the harness ran, and for how long."""
    if not RUNS:
        pytest.skip("the fuzz tests did not run in this session")
    print("fuzz inputs run:", dict(RUNS), "total", sum(RUNS.values()),
          "seconds", {k: round(v, 1) for k, v in SECONDS.items()}, "total", round(sum(SECONDS.values()), 1))
    assert sum(RUNS.values()) >= N * len(CASES)
