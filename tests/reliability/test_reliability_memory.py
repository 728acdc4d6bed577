"""Issue 8, part 6: ingest runs in bounded memory, by default and with DYADWATCH_MEMORY_LIMIT.

The CLI ingests GDELT-1.0-shaped files (written in code, ~1 kB a row) of two
sizes, the second four times the first, in subprocesses whose resident memory
(the process and its children) is sampled with psutil.

* Default settings (no ``DYADWATCH_MEMORY_LIMIT``; a writing connection gets
  ``store.db.default_memory_limit()``, 1 GiB at most), clean file: the
  reader's fast path streams the file into the store: 200 MB -> 800 MB of
  input adds about a quarter to a third of the added input (measured +162
  to +196 MB for +600 MB; 569-589 -> 752-780 MB), and the growth flattens
  (in-process peaks 346 / 521 / 668 / 742 MB for 50 / 200 / 800 / 1,600 MB
  files: DuckDB's row groups in flight, its buffer cache and the id check's
  hash table, all capped by the limit; docs/reliability.md). Below ~200 MB the
  growth is steeper (100 -> 400 MB: +107 to +203 MB): a row group of these
  1 kB rows is ~120 MB before compression.
* ``DYADWATCH_MEMORY_LIMIT=256MB``, a file with a bad line every 1,000 rows
  (the exact, line-numbered path that stages the rows in DuckDB): the staged
  rows spill to disk, so the growth stays small (measured +53 to +91 MB for
  +150 MB of input; +50 MB in the last run).
"""

from __future__ import annotations

import os

from dyadwatch.store.db import ENV_MEMORY_LIMIT
from tests.reliability.cli import peak_rss
from tests.reliability.gdeltgen import write_gdelt1


def _peak_rss(args: list[str], **extra_env: str) -> tuple[int, int, str]:
    """(peak RSS in bytes, exit code, stderr) of ``dyadwatch ARGS``; without
    ``DYADWATCH_MEMORY_LIMIT`` in ``extra_env`` the run gets the default,
    whatever the caller's environment says."""
    return peak_rss(args, unset=() if ENV_MEMORY_LIMIT in extra_env else (ENV_MEMORY_LIMIT,), **extra_env)


def _write(path, mb: int, bad_every: int) -> int:
    """A ~``mb`` MB GDELT 1.0 export (~1 kB a row); files past 200 MB are copies of a
    200 MB one with other event ids (faster to write). Returns its valid rows."""
    if mb <= 200:
        return write_gdelt1(path, mb * 1000, 1, pad=800, bad_every=bad_every)
    base = path.with_name("base.export.CSV")
    valid = write_gdelt1(base, 200_000, 1, pad=800, bad_every=bad_every)
    lines = base.read_text(encoding="utf-8").splitlines(keepends=True)
    base.unlink()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        for k in range(mb // 200):
            shift = k * 200_000
            fh.writelines(f"{int(line[:line.index(chr(9))]) + shift}{line[line.index(chr(9)):]}" for line in lines)
    return valid * (mb // 200)


def _growth(tmp_path, sizes: tuple[int, int], bad_every: int, **extra_env: str) -> tuple[float, dict[int, float]]:
    peaks = {}
    for mb in sizes:
        f = tmp_path / f"20150{mb:03d}.export.CSV"
        valid = _write(f, mb, bad_every)
        size_mb = f.stat().st_size / 1e6
        assert abs(size_mb - mb) < 0.05 * mb
        db = tmp_path / f"s{mb}_{bad_every}.duckdb"
        peak, rc, err = _peak_rss(["ingest", str(f), "--db", str(db)], **extra_env)
        assert rc == 0, err
        import duckdb

        with duckdb.connect(str(db), read_only=True) as con:
            assert con.execute("SELECT count(*) FROM events").fetchall()[0][0] == valid
        peaks[mb] = peak / 1e6
        f.unlink()
        for p in (db, db.with_name(db.name + ".wal")):
            if p.exists():
                os.unlink(p)
    return peaks[sizes[1]] - peaks[sizes[0]], peaks


def test_reliability_memory_ingest_growth_is_bounded_by_default(tmp_path):
    growth, peaks = _growth(tmp_path, (200, 800), 0)
    print(f"default limit, clean file: peak RSS 200 MB file {peaks[200]:.0f} MB, "
          f"800 MB file {peaks[800]:.0f} MB, growth {growth:.0f} MB")
    assert growth < 300, peaks  # 600 MB more input, less than half of it more memory


def test_reliability_memory_limit_bounds_the_staged_path(tmp_path):
    growth, peaks = _growth(tmp_path, (50, 200), 1000, DYADWATCH_MEMORY_LIMIT="256MB")
    print(f"256MB limit, bad line every 1000: peak RSS 50 MB file {peaks[50]:.0f} MB, "
          f"200 MB file {peaks[200]:.0f} MB, growth {growth:.0f} MB")
    assert growth < 120, peaks  # staged rows spill to disk: less than the 150 MB more input
