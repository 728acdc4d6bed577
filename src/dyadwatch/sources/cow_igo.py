"""Reader ``cow-igo``: COW Intergovernmental Organizations v3, dyadic (joint memberships per dyad-year).

Two layouts:

- the publisher's dyadic file (``dyadic_formatv3.csv``; Pevehouse et al.
  2020, codebook "Correlates of War IGO Data, Version 3"): ``ccode1, ccode2,
  year``, identifying columns (``dyadid, country1, country2, state1, state2,
  version``) and one column per IGO (its lower-case ``ioname``) coded
  ``1`` joint full membership, ``0`` no joint membership, ``-9`` missing,
  ``-1`` a state not a system member (an associate member or observer is not
  a joint membership). We store ``dyadigos`` = the number of IGO columns
  coded 1 and ``n_igo_missing`` = the number coded -9;
- peacesciencer's ``cow_igo_ndy`` (CSV or Parquet): ``ccode1, ccode2, year,
  dyadigos`` (the same count; ``n_igo_missing`` NULL).

Rows are stored non-directed, ``ccode1 < ccode2``: a second row of the same
dyad-year (the other order of a directed file) is rejected as a duplicate. A row without numbers in the key columns, a code
outside 1-999, a year outside 1800-2200, a state paired with itself or a
negative count is rejected with its line.
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch.sources import formats, longlines
from dyadwatch.sources.alignment_support import header_columns, require_columns
from dyadwatch.sources.delimited import MAX_LINE_BYTES, _collect_rejects, _number, _sql_ident, _sql_str, drop_temp
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.io import open_binary, sql_file

KEY = ("ccode1", "ccode2", "year")
#: columns of the publisher's dyadic file that are not IGOs
ID_COLUMNS = {"dyadid", "country1", "country2", "state1", "state2", "version", "ccode1", "ccode2", "year"}
#: IGOs every dyadic file of the data set has a column for (used to recognise the publisher layout)
MARKER_IGOS = {"un", "imf"}


def _layout(cols: set[str]) -> str | None:
    if not set(KEY) <= cols:
        return None
    if "dyadigos" in cols:
        return "peacesciencer"
    if MARKER_IGOS <= cols:
        return "publisher"
    return None


class COWIGOReader:
    name = "cow-igo"
    dataset = "cow-igo"
    tables = ("cow_igo_dyads",)
    description = "COW IGO v3 joint memberships per dyad-year (dyadic_formatv3 or peacesciencer cow_igo_ndy)"

    def sniff(self, path: Path, head: Head) -> bool:
        return _layout(header_columns(head)) is not None

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.sources.io import inner_name, materialize, read_head

        head = read_head(path)
        cols = header_columns(head)
        layout = _layout(cols)
        if layout is None:
            require_columns(path, sorted(cols), (*KEY, "dyadigos"), "COW IGO dyadic")
        con = sink.con
        with materialize(path) as plain:
            if inner_name(path).endswith(".parquet"):
                p = sql_file(plain)
                real = {c.lower(): c for c, in con.execute(
                    f"SELECT column_name FROM (DESCRIBE SELECT * FROM read_parquet({p}))").fetchall()}
                con.execute("CREATE OR REPLACE TEMP TABLE _dw_igo AS SELECT row_number() OVER () AS _line, "
                            + ", ".join(f"CAST({_sql_ident(real[c])} AS VARCHAR) AS {c}" for c in (*KEY, "dyadigos"))
                            + f", NULL::VARCHAR AS n_missing, false AS _nul FROM read_parquet({p})")
                n_bad = 0
            else:
                n_bad = _stage(con, plain, sink, _header_names(head), layout)
        try:
            self._store(con, sink, n_bad)
        finally:
            drop_temp(con, "_dw_igo", "_dw_igo2")

    def _store(self, con, sink: Sink, n_bad: int) -> None:
        n_read = con.execute("SELECT count(*) FROM _dw_igo").fetchall()[0][0]
        sink.count_read(n_read + n_bad)
        for line, raw in con.execute("SELECT _line, concat_ws(',', ccode1, ccode2, year) FROM _dw_igo "
                                     "WHERE _nul ORDER BY _line").fetchall():
            sink.reject(int(line), "NUL byte in line", raw)
        con.execute("""CREATE OR REPLACE TEMP TABLE _dw_igo2 AS SELECT _line,
              TRY_CAST(TRY_CAST(ccode1 AS DOUBLE) AS INTEGER) AS c1, TRY_CAST(TRY_CAST(ccode2 AS DOUBLE) AS INTEGER) AS c2,
              TRY_CAST(TRY_CAST(year AS DOUBLE) AS INTEGER) AS y, TRY_CAST(TRY_CAST(dyadigos AS DOUBLE) AS INTEGER) AS n,
              TRY_CAST(n_missing AS INTEGER) AS m, ccode1, ccode2, year, dyadigos
            FROM _dw_igo WHERE NOT _nul""")
        bad = """CASE WHEN c1 IS NULL OR c2 IS NULL OR y IS NULL OR n IS NULL
                        THEN 'bad number: ccode1, ccode2, year or dyadigos is not a whole number'
                      WHEN c1 NOT BETWEEN 1 AND 999 OR c2 NOT BETWEEN 1 AND 999 THEN 'state code outside 1-999'
                      WHEN y NOT BETWEEN 1800 AND 2200 THEN 'year outside 1800-2200'
                      WHEN c1 = c2 THEN 'a state paired with itself'
                      WHEN n < 0 OR n > 32767 THEN 'dyadigos is negative or too large' END"""
        for line, reason, raw in con.execute(
                f"SELECT _line, {bad} AS reason, concat_ws(',', ccode1, ccode2, year, dyadigos) FROM _dw_igo2 "
                f"WHERE reason IS NOT NULL ORDER BY _line").fetchall():
            sink.reject(int(line), reason, raw)
        # non-directed: a second row of one dyad-year (the other order of a directed file, a repeated
        # line) is left to the store's duplicate-key reject, which names the line
        sink.add("cow_igo_dyads", f"""SELECT least(c1, c2) AS ccode1, greatest(c1, c2) AS ccode2, y AS year,
                n AS dyadigos, m AS n_igo_missing, _line FROM _dw_igo2 WHERE ({bad}) IS NULL""")


def _header_names(head: Head) -> list[str]:
    import csv

    row = next(csv.reader([head.lines[0]]))
    names: list[str] = []
    for i, c in enumerate(row):
        c = c.strip().lower()
        names.append(c if c and c not in names else f"_extra_{i}")
    return names


def _stage(con, path: Path, sink: Sink, names: list[str], layout: str) -> int:
    """Read the CSV into ``_dw_igo(_line, ccode1, ccode2, year, dyadigos, n_missing, _nul)``; the
    publisher layout's IGO columns are counted in the same pass (never held as columns)."""
    rej, scan = "_dw_igo_rej", "_dw_igo_rejscan"
    cols = ", ".join(f"{_sql_str(c)}: 'VARCHAR'" for c in names)
    igos = [c for c in names if c not in ID_COLUMNS and not c.startswith("_extra_")]
    if layout == "publisher":
        count = (" + ".join(f"(TRY_CAST({_sql_ident(c)} AS INTEGER) = 1)::INTEGER" for c in igos) or "0")
        miss = (" + ".join(f"(TRY_CAST({_sql_ident(c)} AS INTEGER) = -9)::INTEGER" for c in igos) or "0")
        extra = f"CAST({count} AS VARCHAR) AS dyadigos, CAST({miss} AS VARCHAR) AS n_missing"
    else:
        extra = "dyadigos, NULL::VARCHAR AS n_missing"
    nul = " OR ".join(f"contains(coalesce({_sql_ident(c)}, ''), chr(0))" for c in names)
    # lines over the line-size limit are set aside (longlines) and rejected with their number
    with longlines.set_aside(Path(path), open_binary) as (readable, long):
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE _dw_igo AS SELECT row_number() OVER () AS _k, ccode1, ccode2, year, "
            f"{extra}, ({nul}) AS _nul FROM read_csv({sql_file(readable)}, delim=',', quote='\"', escape='\"', "
            f"header=true, columns={{{cols}}}, auto_detect=false, nullstr=[''], max_line_size={MAX_LINE_BYTES}, "
            f"store_rejects=true, rejects_table='{rej}', rejects_scan='{scan}')")
    rejected, n_rej = _collect_rejects(con, rej, scan, sink, long)
    _number(con, "_dw_igo", rejected, 2)
    if long:  # a placeholder DuckDB kept: already rejected as too long, not again as a NUL byte
        con.execute(f"DELETE FROM _dw_igo WHERE _line IN ({', '.join(str(int(n)) for n, _ in long)})")
    return n_rej


READER = formats.register(COWIGOReader())
