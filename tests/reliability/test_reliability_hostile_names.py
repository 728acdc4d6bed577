"""Issue 14, item 1: file names with glob characters, quotes, spaces and Unicode.

DuckDB's ``read_csv``/``read_parquet`` treat ``[ ] * ?`` in a path as a
pattern: ``ev[1].csv`` read the neighbouring ``ev1.csv`` (stored under the
checksum of ``ev[1].csv``, so the real file was skipped as "already stored"
for ever) and ``ic*.csv`` read every ``ic...csv``. Every reader must read
exactly the file it is given: plain, ``.gz``, ``.zip`` and Parquet. Checked
through the real CLI: the rows stored from each file are its own, and the
neighbour is stored in its turn.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile

import duckdb
import pytest

from tests.reliability.cli import assert_clean_stderr, run
from tests.reliability.corpus import ICEWS_HEADER, gdelt_row, icews_row
from dyadwatch.sources.gdelt import GDELT1_COLUMNS


def _gdelt(ids) -> bytes:
    return ("\n".join(gdelt_row(GDELT1_COLUMNS, i) for i in ids) + "\n").encode()


def _icews(ids) -> bytes:
    return (ICEWS_HEADER + "\n" + "\n".join(icews_row(i) for i in ids) + "\n").encode()


def _dyad_year(years) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    n = len(years)
    t = pa.table({"i": ["Iran"] * n, "j": ["Russia"] * n, "year": pa.array(years, pa.int32()),
                  "verbCoop": [1] * n, "matlCoop": [0] * n, "verbConf": [0] * n, "matlConf": [0] * n,
                  "i_iso3c": ["IRN"] * n, "j_iso3c": ["RUS"] * n})
    buf = io.BytesIO()
    pq.write_table(t, buf)
    return buf.getvalue()


def _zip(member: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(member, data)
    return buf.getvalue()


#: (kind, suffix, format, content builder, table, key column, keys of the file, keys of the neighbour)
KINDS = {
    "csv": (".export.CSV", "gdelt1", lambda k: _gdelt(k), "events", "native_id", [10, 11, 12, 13], [1, 2]),
    "gz": (".export.CSV.gz", "gdelt1", lambda k: gzip.compress(_gdelt(k), mtime=0), "events", "native_id",
           [20, 21, 22], [3, 4]),
    "tab": (".tab", "icews", lambda k: _icews(k), "events", "native_id", [30, 31, 32], [5, 6]),
    "zip": (".tab.zip", "icews", None, "events", "native_id", [40, 41], [7, 8, 9]),
    "parquet": (".parquet", "icews-dyad-year", lambda k: _dyad_year(k), "dyad_counts", "year",
                [1901, 1902, 1903], [1890, 1891]),  # years + 10 per name stay before next year
}
#: names whose characters DuckDB (or a shell, or SQL quoting) could read as something else
NAMES = ("ev[1]", "ev*", "ev?", "ev{1,2}", "ev 1 'q'", "évènement ü 😀", "year=2020", "ev\\1")
NEIGHBOUR = "ev1"


def _content(kind: str, stem: str, keys) -> bytes:
    suffix, _, build, *_ = KINDS[kind]
    if kind == "zip":  # the member's name carries the hostile characters too
        return _zip(stem + ".tab", _icews(keys))
    return build(keys)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_reliability_names_glob_characters_read_exactly_the_named_file(tmp_path, kind):
    suffix, fmt, _, table, key, mine, theirs = KINDS[kind]
    neighbour = tmp_path / (NEIGHBOUR + suffix)
    neighbour.write_bytes(_content(kind, NEIGHBOUR, theirs))
    own = {}
    for n, stem in enumerate(NAMES):
        own[stem] = [k + 100 * n for k in mine] if key == "native_id" else [k + 10 * n for k in mine]
        (tmp_path / (stem + suffix)).write_bytes(_content(kind, stem, own[stem]))
    db = tmp_path / "store.duckdb"
    paths = [str(tmp_path / (stem + suffix)) for stem in NAMES]
    proc = run("ingest", *paths, "--format", fmt, "--db", str(db), "-o", "json")
    assert_clean_stderr(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    summaries = {s["file"]: s for s in json.loads(proc.stdout)}
    con = duckdb.connect(str(db), read_only=True)
    for stem, p in zip(NAMES, paths):
        s = summaries[p]
        assert (s["read"], s["stored"], s["rejected"]) == (len(own[stem]),) * 2 + (0,), (stem, s)
        got = sorted(int(r[0]) for r in con.execute(
            f"SELECT t.{key} FROM {table} t JOIN ingest_batches b USING (batch_id) WHERE b.source_path = ?",
            [str(tmp_path.resolve() / (stem + suffix))]).fetchall())
        assert got == sorted(own[stem]), (stem, got)
    con.close()
    # the neighbour a pattern would have matched is stored in its turn, not skipped as "already stored"
    proc = run("ingest", str(neighbour), "--format", fmt, "--db", str(db), "-o", "json")
    assert proc.returncode == 0, proc.stderr
    s = json.loads(proc.stdout)[0]
    assert (s["stored"], s["note"]) == (len(theirs), ""), s
