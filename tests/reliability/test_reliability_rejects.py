"""Issue 14, item 7: rejected rows never pile up in Python; another format stops early.

Every rejected row used to be held in Python (a 443 MB file of bad rows
peaked at 2.5 GB; a crafted 21 MB Parquet passed 6 GB). Rejects now go from
the reader's SQL into a DuckDB staging table (bounded by the memory limit,
spilled beyond it) with the raw text capped at 2,000 characters; a file whose
first 1,000 data lines are all rejected is refused with one error ("looks
like another format"); the spill files a killed run left next to the store
are removed by the next writing run. Through the real CLI, peak memory by
psutil.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import duckdb

from dyadwatch.sources.gdelt import GDELT1_COLUMNS
from tests.reliability.cli import assert_clean_stderr, peak_rss, run
from tests.reliability.corpus import ICEWS_HEADER, gdelt_row, icews_row
from tests.reliability.gdeltgen import write_gdelt1


def test_reliability_rejects_another_format_stops_with_one_error(tmp_path):
    icews = tmp_path / "events.tab"  # an ICEWS file given as a GDELT export: every line has 20 fields
    icews.write_text("\n".join([ICEWS_HEADER, *(icews_row(i) for i in range(1, 1500))]) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    proc = run("ingest", str(icews), "--format", "gdelt1", "--db", str(db))
    assert_clean_stderr(proc.stderr)
    assert proc.returncode == 3, proc.stderr
    [line] = [ln for ln in proc.stderr.splitlines() if ln.startswith("error:")]
    assert line.startswith(f"error: {icews}: looks like another format: the first 1,500 data lines were all "
                           "rejected (most often: wrong number of fields, 1,500 lines)"), line
    assert not db.exists()  # nothing stored: the new store is not kept
    # a file whose bad lines come after good ones is a file with bad lines: stored, with its rejects
    mixed = tmp_path / "20150101.export.CSV"
    mixed.write_text("\n".join([gdelt_row(GDELT1_COLUMNS, 1)] + [gdelt_row(GDELT1_COLUMNS, 1 + i, "20150230")
                                                                 for i in range(1, 1200)]) + "\n", encoding="utf-8")
    proc = run("ingest", str(mixed), "--format", "gdelt1", "--db", str(db), "-o", "json")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)[0]
    assert (s["stored"], s["rejected"]) == (1, 1199)


def _bad_export(path, mb: int) -> None:
    """A GDELT export of about ``mb`` MB whose rows are all rejected but the first
    (so that it is a file with bad rows, not another format)."""
    import shutil

    bad = path.with_suffix(".bad")
    write_gdelt1(bad, mb * 1000 * 1000 // 300, 2, seed=3, bad_every=1)
    with open(path, "wb") as dst, open(bad, "rb") as src:
        dst.write(gdelt_row(GDELT1_COLUMNS, 1).encode() + b"\n")
        shutil.copyfileobj(src, dst)
    bad.unlink()


def test_reliability_rejects_memory_does_not_grow_with_rejected_rows(tmp_path):
    peaks = []
    for mb in (30, 60):
        f = tmp_path / f"bad{mb}.export.CSV"
        _bad_export(f, mb)
        peak, rc, err = peak_rss(["ingest", str(f), "--format", "gdelt1", "--db", str(tmp_path / f"{mb}.duckdb")],
                                 DYADWATCH_MEMORY_LIMIT="256MB")
        assert rc == 0, err[-2000:]
        assert "rows rejected" in err
        peaks.append(peak >> 20)
        f.unlink()
    print("peak RSS MB, 30 MB -> 60 MB of rejected rows:", peaks)
    # before: 384 -> 734 MB for 14 -> 59 MB (every reject a Python tuple); now the interpreter, DuckDB's
    # 256 MB limit and a margin, the same for both sizes
    assert peaks[1] < 600 and peaks[1] - peaks[0] < 120, peaks
    con = duckdb.connect(str(tmp_path / "60.duckdb"), read_only=True)
    assert con.execute("SELECT count(*), max(length(raw)) FROM rejects").fetchall()[0][0] > 150_000
    con.close()


def test_reliability_rejects_crafted_parquet_stays_small(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    n, size = 400, 1_000_000  # one 1 MB name, dictionary-encoded: a 4 KB file of 400 MB of text
    t = pa.table({"i": pa.array(["Iran" + "x" * size] * n).dictionary_encode(), "j": ["Russia"] * n,
                  "year": pa.array(range(2000, 2000 + n), pa.int32()), "verbCoop": [1] * n, "matlCoop": [0] * n,
                  "verbConf": [0] * n, "matlConf": [0] * n})
    f = tmp_path / "crafted.parquet"
    pq.write_table(t, f, use_dictionary=True, compression="zstd")
    assert f.stat().st_size < 100_000
    db = tmp_path / "s.duckdb"
    peak, rc, err = peak_rss(["ingest", str(f), "--db", str(db)])
    assert rc == 0, err
    assert peak >> 20 < 600, peak >> 20  # was 3.2 GB (then failed)
    con = duckdb.connect(str(db), read_only=True)
    got = con.execute("SELECT count(*), max(length(raw)), any_value(reason) FROM rejects").fetchall()[0]
    con.close()
    assert got[0] == n and got[1] <= 2001 and got[2] == "country name longer than 200 characters"


def test_reliability_rejects_spill_left_by_a_killed_run_is_removed(tmp_path):
    db = tmp_path / "s.duckdb"
    spill = tmp_path / "s.duckdb.tmp"
    code = (f"import duckdb\nfrom dyadwatch.store.db import connect\ncon = connect({str(db)!r})\n"
            "con.execute(\"SET memory_limit = '64MB'\")\n"
            "con.execute(\"CREATE TEMP TABLE t AS SELECT range AS i, repeat('x', 100) || range::VARCHAR AS s "
            "FROM range(6000000)\")\n"
            "con.execute('SELECT count(*) FROM (SELECT s, count(*) FROM t GROUP BY s ORDER BY s)').fetchall()\n")
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and p.poll() is None and not any(spill.glob("duckdb_temp_*storage*")):
        time.sleep(0.1)
    time.sleep(0.5)
    p.send_signal(signal.SIGKILL)
    p.wait()
    left = sum(f.stat().st_size for f in spill.glob("duckdb_temp_*"))
    assert left > 1 << 20, "the killed run spilled nothing (the test did not reproduce the leftover)"
    src = tmp_path / "events.tab"
    src.write_text("\n".join([ICEWS_HEADER, icews_row(1)]) + "\n", encoding="utf-8")
    proc = run("ingest", str(src), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert not spill.exists() or not any(spill.glob("duckdb_temp_*")), os.listdir(spill)
