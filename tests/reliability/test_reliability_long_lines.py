"""Issue 14, item 3: every line is stored or rejected with its right number, however long.

DuckDB's CSV reader rejects a line over ``max_line_size`` only while the line
fits its read buffer (16 x ``max_line_size``): a line of about 256 MB or more
(with our 16 MiB bound) disappeared without a reject and every later line
number shifted by one. The test runs the same code path cheaply: with
``DYADWATCH_MAX_LINE_BYTES=2MiB`` DuckDB's buffer is 32 MiB, so a 40 MB line is
past it (it vanished before the fix) and a 3 MB line is within it (it was
rejected). After each long line a row with a bad date must be rejected at its
own line number, and the good rows after it stored.
"""

from __future__ import annotations

import gzip
import json
import re

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, run
from tests.reliability.corpus import ICEWS_HEADER, gdelt_row, icews_row
from dyadwatch.sources.gdelt import GDELT1_COLUMNS

LIMIT = "2MiB"
PAST_BUFFER = 40 * 1024 * 1024   # > 16 x 2 MiB: DuckDB's buffer
WITHIN_BUFFER = 3 * 1024 * 1024  # > 2 MiB, < 32 MiB


def _layout(kind: str):
    """(format, suffix, header or None, row(i, bad_date) -> line)."""
    if kind.startswith("gdelt"):
        return "gdelt1", ".export.CSV", None, lambda i, bad=False: gdelt_row(
            GDELT1_COLUMNS, i, "20150230" if bad else "20150930")
    if kind == "icews-tab":
        return "icews", ".tab", ICEWS_HEADER, lambda i, bad=False: icews_row(i, "2015-02-30" if bad else "2015-11-23")
    # the quoted CSV layout (stage_csv): the snake_case ICEWS export
    header = ICEWS_HEADER.lower().replace(" ", "_").replace("\t", ",")
    return "icews", ".csv", header, lambda i, bad=False: icews_row(
        i, "2015-02-30" if bad else "2015-11-23").replace("\t", ",")


@pytest.mark.parametrize("kind", ["gdelt", "gdelt-gz", "icews-tab", "icews-csv"])
def test_reliability_long_lines_every_line_stored_or_rejected_at_its_number(tmp_path, kind):
    fmt, suffix, header, row = _layout(kind)
    lines: list[bytes] = [header.encode()] if header else []
    expect_rejects: dict[int, str] = {}
    good: list[int] = []
    i = 0
    for long_size in (PAST_BUFFER, WITHIN_BUFFER):
        for _ in range(2):
            i += 1
            lines.append(row(i).encode())
            good.append(i)
        lines.append(b"x" * long_size)
        expect_rejects[len(lines)] = "line size over maximum"
        i += 1
        lines.append(row(i, bad=True).encode())
        expect_rejects[len(lines)] = "2015-?02-?30"
    for _ in range(2):
        i += 1
        lines.append(row(i).encode())
        good.append(i)
    data = b"\n".join(lines) + b"\n"
    path = tmp_path / f"long{suffix}{'.gz' if kind.endswith('gz') else ''}"
    path.write_bytes(gzip.compress(data, compresslevel=1) if kind.endswith("gz") else data)
    del data, lines
    db = tmp_path / "s.duckdb"
    proc = run("ingest", str(path), "--format", fmt, "--db", str(db), "-o", "json",
               DYADWATCH_MAX_LINE_BYTES=LIMIT)
    assert_clean_stderr(proc.stderr)
    assert proc.returncode == 0, proc.stderr[-2000:]
    s = json.loads(proc.stdout)[0]
    assert (s["read"], s["stored"], s["rejected"]) == (len(good) + len(expect_rejects), len(good),
                                                       len(expect_rejects)), s
    con = duckdb.connect(str(db), read_only=True)
    got = dict(con.execute("SELECT line, reason FROM rejects ORDER BY line").fetchall())
    raws = [r[0] for r in con.execute("SELECT length(raw) FROM rejects WHERE reason LIKE 'line size%'").fetchall()]
    stored = sorted(int(r[0]) for r in con.execute("SELECT native_id FROM events").fetchall())
    con.close()
    assert sorted(got) == sorted(expect_rejects), got
    for line, pattern in expect_rejects.items():
        assert re.search(pattern, got[line]), (line, got[line])
    assert "2097152 bytes" in got[min(expect_rejects)]
    assert raws and all(n <= 2001 for n in raws)  # the raw text kept is capped
    assert stored == good


def test_reliability_long_lines_scan_counts_every_kind_of_line_end():
    """The byte scan numbers lines as the DuckDB-staged readers do (LF, CRLF, lone CR), across chunks."""
    import io

    from dyadwatch.sources.longlines import scan

    data = b"a\r\nbb\rccc\n" + b"y" * 70 + b"\r\n" + b"z" * 10 + b"\r" + b"\n" + b"w" * 90
    for chunk in (1, 2, 3, 7, 64, 1 << 20):
        got = scan(io.BytesIO(data), 64, chunk=chunk)
        assert [(g.line, g.end - g.start) for g in got] == [(4, 70), (6, 90)], chunk
