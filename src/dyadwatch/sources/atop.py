"""Reader ``atop``: ATOP alliance obligations as directed dyad-years.

Alliance Treaty Obligations and Provisions (Leeds, Ritter, Mitchell & Long
2002; atopdata.org), in either layout:

- peacesciencer's ``atop_alliance`` (ATOP v5): ``ccode1, ccode2, year,
  atop_defense, atop_offense, atop_neutral, atop_nonagg, atop_consul``;
- ATOP's own directed dyad-year file (``atop5_1ddyr.csv``): ``stateA,
  stateB, year, defense, offense, neutral, nonagg, consul``.

Each obligation is 1 when the two states share at least one alliance with
that obligation in force that year (ATOP codebook v5.1, "Dyad-year data").
States are COW codes; they are mapped to ISO3 for the year
(:func:`dyadwatch.codebooks.countries.cow_to_iso3`; the USSR and Russia are
both 365 -> ``RUS``). A dyad-year with a state no table can map in that year
(pre-1945 German and Italian states, for example) is rejected with the
reason, not stored.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import country_mapper, header_columns, require_columns
from dyadwatch.sources.delimited import stage_csv
from dyadwatch.sources.formats import Head, Sink

DATASET = "atop"
OBLIGATIONS = ("defense", "offense", "neutral", "nonagg", "consul")
_LAYOUTS = {
    "peacesciencer": {"ccode1": "ccode1", "ccode2": "ccode2", "year": "year",
                      **{f"atop_{o}": f"atop_{o}" for o in OBLIGATIONS}},
    "atop": {"ccode1": "statea", "ccode2": "stateb", "year": "year", **{f"atop_{o}": o for o in OBLIGATIONS}},
}


def _layout(cols: set[str]) -> str | None:
    for name, m in _LAYOUTS.items():
        if set(m.values()) <= cols:
            return name
    return None


class ATOPReader:
    name = "atop"
    dataset = DATASET
    tables = ("atop_alliances",)
    description = "ATOP alliance obligations, directed dyad-years (peacesciencer or ATOP ddyr layout)"

    def sniff(self, path: Path, head: Head) -> bool:
        return _layout(header_columns(head)) is not None

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.sources.io import inner_name, materialize, read_head, sql_file

        head = read_head(path)
        cols = header_columns(head)
        layout = _layout(cols)
        if layout is None:
            require_columns(path, sorted(cols), tuple(_LAYOUTS["peacesciencer"].values()), "ATOP dyad-year")
        m = _LAYOUTS[layout]
        con = sink.con
        parquet = inner_name(path).endswith(".parquet")
        n_bad = 0
        with materialize(path) as plain:
            if parquet:
                con.execute("CREATE OR REPLACE TEMP TABLE _dw_atop_raw AS "
                            f"SELECT row_number() OVER () AS _line, * FROM read_parquet({sql_file(plain)})")
            else:  # explicit layout (no sniffing): bad lines -> rejects with their line number
                n_bad = stage_csv(con, plain, sink, "_dw_atop_raw", _header_names(head))
        real = {c.lower(): c for c, in con.execute("SELECT column_name FROM (DESCRIBE _dw_atop_raw)").fetchall()
                if c != "_line"}
        sel = ", ".join(f'TRY_CAST(TRY_CAST("{real[v]}" AS DOUBLE) AS INTEGER) AS {k}' for k, v in m.items())
        raw_cols = ", ".join(f'CAST("{real[v]}" AS VARCHAR) AS raw_{k}' for k, v in m.items()
                             if k in ("ccode1", "ccode2", "year"))
        con.execute(f"CREATE OR REPLACE TEMP TABLE _dw_atop AS SELECT _line, "
                    f"{sel}, {raw_cols} FROM _dw_atop_raw")
        con.execute("DROP TABLE _dw_atop_raw")
        sink.count_read(con.execute("SELECT count(*) FROM _dw_atop").fetchall()[0][0] + n_bad)
        to_iso3 = country_mapper("cow")
        keys = con.execute("SELECT DISTINCT c, year FROM (SELECT ccode1 c, year FROM _dw_atop UNION "
                           "SELECT ccode2, year FROM _dw_atop) WHERE c IS NOT NULL AND year IS NOT NULL").fetchall()
        con.register("_dw_atop_map", pa.table({
            "c": pa.array([k[0] for k in keys], pa.int32()), "year": pa.array([k[1] for k in keys], pa.int32()),
            "iso3": pa.array([to_iso3(k[0], k[1]) for k in keys], pa.string())}))
        try:
            con.execute("""CREATE OR REPLACE TEMP TABLE _dw_atop2 AS
                SELECT a.*, m1.iso3 AS iso3_1, m2.iso3 AS iso3_2 FROM _dw_atop a
                LEFT JOIN _dw_atop_map m1 ON m1.c = a.ccode1 AND m1.year = a.year
                LEFT JOIN _dw_atop_map m2 ON m2.c = a.ccode2 AND m2.year = a.year""")
        finally:
            con.unregister("_dw_atop_map")
        unmapped = con.execute("SELECT count(*) FROM _dw_atop2 WHERE ccode1 IS NOT NULL AND ccode2 IS NOT NULL "
                               "AND year IS NOT NULL AND (iso3_1 IS NULL OR iso3_2 IS NULL)").fetchall()[0][0]
        sink.reject_rows(
            "SELECT _line, CASE WHEN ccode1 IS NULL OR ccode2 IS NULL OR year IS NULL "
            "THEN 'bad number: state code or year is not a number' "
            "ELSE 'country not mappable: COW code ' || concat_ws(' and ', CASE WHEN iso3_1 IS NULL THEN ccode1::VARCHAR END, "
            "CASE WHEN iso3_2 IS NULL THEN ccode2::VARCHAR END) || ' has no country spell in ' || year || "
            "' (no ISO3 state for that code that year in dyadwatch.codebooks.countries)' END, "
            "'ccode1=' || coalesce(raw_ccode1, 'None') || ', ccode2=' || coalesce(raw_ccode2, 'None') || ', year=' || "
            "coalesce(raw_year, 'None') FROM _dw_atop2 WHERE iso3_1 IS NULL OR iso3_2 IS NULL ORDER BY _line")
        sink.add("atop_alliances", "SELECT ccode1, ccode2, year, iso3_1, iso3_2, atop_defense, atop_offense, "
                 "atop_neutral, atop_nonagg, atop_consul, _line FROM _dw_atop2 "
                 "WHERE iso3_1 IS NOT NULL AND iso3_2 IS NOT NULL")
        if unmapped:  # (a note opening with the reject reason explains it in the ingest summary's rejects line)
            sink.note("country not mappable: a state's COW code has no ISO3 state in that year (pre-1945 German and "
                      "Italian states, for example; dyadwatch.codebooks.countries), so the obligation cannot be "
                      "tied to a country")
        con.execute("DROP TABLE IF EXISTS _dw_atop")
        con.execute("DROP TABLE IF EXISTS _dw_atop2")


def _header_names(head: Head) -> list[str]:
    """Column names of the CSV header line in file order, lower-cased; a repeated
    or empty name becomes ``_extra_<i>`` (not read)."""
    import csv

    row = next(csv.reader([head.lines[0]]))
    names: list[str] = []
    for i, c in enumerate(row):
        c = c.strip().lower()
        names.append(c if c and c not in names else f"_extra_{i}")
    return names


READER = formats.register(ATOPReader())
