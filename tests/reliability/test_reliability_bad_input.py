"""Issue 8, part 1: every reader against a corpus of bad files, through the real CLI.

For each reader one ``dyadwatch ingest`` process gets all the bad files of
:mod:`tests.reliability.corpus` at once (the command goes on past a file it
refuses). Checked for every file: the documented outcome (docs/reliability.md)
- either exactly one ``error: FILE[:LINE]: reason`` line and nothing stored, or
one batch with the expected rows stored and exactly the expected lines in
``rejects`` with their reasons - and, for the whole run, no traceback, exit
code 3 (some file refused), and read = stored + rejected + already stored in
every summary.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, run
from tests.reliability.corpus import CASES, parquet_variants, variants

#: kinds tried per reader, filled by the tests (reported by test_zz_corpus_size)
TRIED: Counter = Counter()


def _cases():
    for case in CASES:
        yield pytest.param(case, CASES[case].format, list(variants(case)), id=case)
    yield pytest.param("icews-dyad-year", "icews-dyad-year", list(parquet_variants()), id="icews-dyad-year")


@pytest.mark.parametrize("case, fmt, files", list(_cases()))
def test_reliability_bad_input_cli_outcomes(tmp_path, case, fmt, files):
    paths = []
    for kind, name, data, expected in files:
        p = tmp_path / name
        p.write_bytes(data)
        paths.append((kind, p, expected))
    db = tmp_path / "store.duckdb"
    proc = run("ingest", *[str(p) for _, p, _ in paths], "--format", fmt, "--db", str(db), "-o", "json")
    assert_clean_stderr(proc.stderr)
    n_errors = sum(exp[0] == "error" for _, _, exp in paths)
    assert proc.returncode == (3 if n_errors else 0), proc.stderr[-2000:]
    summaries = {s["file"]: s for s in json.loads(proc.stdout)}
    err_lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("error: ")]
    assert len(err_lines) == n_errors, err_lines
    assert f"{n_errors} of {len(paths)} files not ingested" in proc.stderr

    con = duckdb.connect(str(db), read_only=True)
    try:
        for kind, p, expected in paths:
            TRIED[kind] += 1
            batches = con.execute("SELECT batch_id, rows_read, rows_stored, rows_rejected FROM ingest_batches "
                                  "WHERE source_path = ?", [str(p.resolve())]).fetchall()
            if expected[0] == "error":
                mine = [ln for ln in err_lines if ln.startswith(f"error: {p}:") or ln.startswith(f"error: {p} ")]
                assert len(mine) == 1, (kind, err_lines)
                assert re.search(expected[1], mine[0]), (kind, mine[0])
                assert str(p) not in summaries and batches == [], kind
                continue
            _, stored, want_rejects = expected
            s = summaries[str(p)]
            # the files share their good rows: a row stored from an earlier file counts as already stored;
            # a variant's row that differs from an earlier file's (another CAMEO code ...) is a conflict that
            # the row sorting first wins (store/conflicts.py): a later file may replace a row of this batch,
            # which then counts as a reject of this batch without a line
            # (and a row of this file that conflicts with a stored row sorting first is rejected as such)
            replaced, conflicting = con.execute(
                "SELECT count(*) FILTER (line IS NULL), count(*) FILTER (reason LIKE 'conflicting duplicate of "
                "a stored row%') FROM rejects WHERE batch_id = ?", [batches[0][0]] if batches else [-1]).fetchall()[0]
            assert s["stored"] + s["already_stored"] + conflicting == stored, (kind, s)
            assert s["read"] == s["stored"] + s["rejected"] + s["already_stored"], (kind, s)
            assert len(batches) == 1 and batches[0][2] == s["stored"] - replaced, (kind, batches)
            got = dict(con.execute("SELECT line, reason FROM rejects WHERE batch_id = ? AND line IS NOT NULL "
                                   "AND reason NOT LIKE 'conflicting duplicate of a stored row%' ORDER BY line",
                                   [batches[0][0]]).fetchall())
            assert sorted(got) == sorted(want_rejects), (kind, got)
            for line, pattern in want_rejects.items():
                assert re.search(pattern, got[line]), (kind, line, got[line])
            if want_rejects:  # the count in the ingest summary
                assert f"{p}: {len(want_rejects) + conflicting} rows rejected" in proc.stderr, kind
            table = CASES[case].table if case in CASES else "dyad_counts"
            n = con.execute(f"SELECT count(*) FROM {table} WHERE batch_id = ?", [batches[0][0]]).fetchall()[0][0]
            assert n == s["stored"] - replaced, (kind, n)
    finally:
        con.close()


def test_reliability_bad_input_no_bom_or_cr_in_stored_values(tmp_path):
    """A BOM or CRLF line ends must not leak into the stored values."""
    for case in ("gdelt1", "icews", "unsc-vetoes", "atop", "polecat", "acled", "ucdp-ged"):
        files = {k: (n, d) for k, n, d, _ in variants(case)}
        for kind in ("bom", "crlf"):
            name, data = files[kind]
            p = tmp_path / f"{kind}-{name}"
            p.write_bytes(data)
            db = tmp_path / f"{case}-{kind}.duckdb"
            proc = run("ingest", str(p), "--format", CASES[case].format, "--db", str(db), "-o", "json")
            assert proc.returncode == 0, proc.stderr
            con = duckdb.connect(str(db), read_only=True)
            table = CASES[case].table
            cols = [c for c, t in con.execute(f"SELECT column_name, column_type FROM (DESCRIBE {table})").fetchall()
                    if t == "VARCHAR"]
            leak = " OR ".join(f"contains(coalesce({c}, ''), chr(13)) OR contains(coalesce({c}, ''), chr(65279))"
                               for c in cols)
            assert con.execute(f"SELECT count(*) FROM {table} WHERE {leak}").fetchall()[0][0] == 0, (case, kind)
            con.close()


def test_zz_corpus_size():
    """Runs last in this module: the corpus really was tried (figures for the closing note)."""
    if not TRIED:
        pytest.skip("the corpus tests did not run in this session")
    print("bad inputs tried by kind:", dict(sorted(TRIED.items())), "total", sum(TRIED.values()))
    assert sum(TRIED.values()) >= 100
