"""Pre-aggregated ICEWS directed dyad-year counts -> the ``dyad_counts`` table.

Input: the netify package's ``icews`` data (Minhas, Dorff, Gallop et al.,
netify R package, data ``icews.rda``; aggregated from ICEWS, Boschee et al.
2015), stored as Parquet: one row per directed country pair and year with

``i``, ``j``          source and target country names ("Iran, Islamic Republic Of")
``year``              calendar year
``verbCoop``, ``matlCoop``, ``verbConf``, ``matlConf``
                      numbers of ICEWS events from ``i`` to ``j`` that year in QuadClass
                      1 (verbal cooperation), 2 (material cooperation), 3 (verbal
                      conflict), 4 (material conflict)
``i_iso3c``, ``j_iso3c``  ISO3 codes of ``i`` and ``j``

The other columns (Polity, World Bank GDP/population) are not event data and
are not read. Each row becomes one ``dyad_counts`` row (dataset
``icews-dyad-year``) with the counts copied exactly, so dyad series built on
them reproduce the file's sums. ``_line`` is the 1-based row number in the
file. A row without an ISO3 code gets one from its country name
(:mod:`dyadwatch.codebooks.countries`) or is rejected. Rejected too, with the
value in the reason (:mod:`dyadwatch.ranges`): a year missing or outside
1800..next year (``99999``, ``-5``), a count missing, not a number (NaN,
infinite), not whole (``2.5`` is not rounded) or outside 0..10^9 (``9.2e18``),
and a country name over :data:`MAX_NAME_CHARS` characters.
"""

from __future__ import annotations

from pathlib import Path

from dyadwatch import ranges
from dyadwatch.errors import IngestError
from dyadwatch.sources import codemaps, formats
from dyadwatch.sources.delimited import drop_temp
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.io import materialize, read_head, sql_file

#: file column -> dyad_counts column
COUNT_COLUMNS: dict[str, str] = {
    "verbCoop": "verbal_coop", "matlCoop": "material_coop",
    "verbConf": "verbal_conflict", "matlConf": "material_conflict"}
REQUIRED: frozenset[str] = frozenset({"i", "j", "year", *COUNT_COLUMNS})
#: the longest country name read (longer: a reject; names are cut to this before staging)
MAX_NAME_CHARS = 200


class IcewsDyadYearReader:
    """Reader for netify-style ICEWS directed dyad-year counts (Parquet)."""

    name = "icews-dyad-year"
    dataset = "icews-dyad-year"
    tables = ("dyad_counts",)
    description = "ICEWS directed dyad-year QuadClass counts (Parquet: i, j, year, verbCoop ... matlConf)"

    def sniff(self, path: Path, head: Head) -> bool:
        """True for a Parquet file holding the dyad-year count columns."""
        return head.parquet_columns is not None and REQUIRED <= set(head.parquet_columns)

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's rows into ``sink`` (table ``dyad_counts``).

        Raises
        ------
        IngestError
            Not a Parquet file with the required columns (listing the missing ones).
        """
        head = read_head(path)
        cols = set(head.parquet_columns or ())
        if not REQUIRED <= cols:
            raise IngestError(f"not an ICEWS dyad-year file: missing columns {', '.join(sorted(REQUIRED - cols))}",
                              path=path, hint="expected Parquet columns i, j, year, verbCoop, matlCoop, "
                                              "verbConf, matlConf[, i_iso3c, j_iso3c]")
        con = sink.con
        iso = {side: (f'left("{side}_iso3c"::VARCHAR, 4)' if f"{side}_iso3c" in cols else "NULL")
               for side in ("i", "j")}
        # names are cut before staging: a crafted file (one long name, dictionary-encoded) must not
        # grow into gigabytes of staged text; a cut name is a reject
        name = {side: f'left("{side}"::VARCHAR, {MAX_NAME_CHARS + 1})' for side in ("i", "j")}
        counts = ", ".join(f'"{c}"' for c in COUNT_COLUMNS)
        try:
            with materialize(path) as exact:
                con.execute(
                    f"CREATE OR REPLACE TEMP TABLE _dw_dy_raw AS SELECT file_row_number + 1 AS _line, "
                    f"{name['i']} AS i, {name['j']} AS j, year, {counts}, {iso['i']} AS i_iso, "
                    f"{iso['j']} AS j_iso FROM read_parquet({sql_file(exact)}, file_row_number=true)")
            sink.count_read(con.execute("SELECT count(*) FROM _dw_dy_raw").fetchall()[0][0])
            need = con.execute(
                "SELECT DISTINCT i, TRY_CAST(year AS INTEGER) FROM _dw_dy_raw WHERE i_iso IS NULL AND i IS NOT NULL "
                "UNION SELECT DISTINCT j, TRY_CAST(year AS INTEGER) FROM _dw_dy_raw WHERE j_iso IS NULL "
                "AND j IS NOT NULL").fetchall()
            keys = sorted({f"{n}|{y}" for n, y in need if len(n) <= MAX_NAME_CHARS})
            codemaps.stage_map(con, "_dw_dy_ctry", keys, _country_of_pair)
            bad_counts = "\n".join(f'WHEN {ranges.count_bad_sql(f"r.{q(c)}")} THEN {ranges.count_reason_sql(c, f"r.{q(c)}")}'
                                   for c in COUNT_COLUMNS)
            con.execute(f"""
                CREATE OR REPLACE TEMP TABLE _dw_dy_mapped AS
                SELECT '{sink.dataset.replace("'", "''")}' AS dataset,
                       coalesce(r.i_iso, ci.value) AS src_country, coalesce(r.j_iso, cj.value) AS tgt_country,
                       TRY_CAST(r.year AS INTEGER) AS year,
                       {", ".join(f'TRY_CAST(r.{q(c)} AS BIGINT) AS {v}' for c, v in COUNT_COLUMNS.items())},
                       r.i AS src_name, r.j AS tgt_name, r._line,
                       CASE
                         WHEN length(r.i) > {MAX_NAME_CHARS} OR length(r.j) > {MAX_NAME_CHARS}
                           THEN 'country name longer than {MAX_NAME_CHARS} characters'
                         WHEN coalesce(r.i_iso, ci.value) IS NULL
                           THEN 'source country ' || coalesce(chr(39) || r.i || chr(39), 'NULL') || ' has no ISO3 code'
                         WHEN coalesce(r.j_iso, cj.value) IS NULL
                           THEN 'target country ' || coalesce(chr(39) || r.j || chr(39), 'NULL') || ' has no ISO3 code'
                         WHEN {ranges.year_bad_sql('r.year')} THEN {ranges.year_reason_sql('year', 'r.year')}
                         {bad_counts}
                       END AS _reason,
                       concat_ws(chr(9), r.i, r.j, r.year, {", ".join(f"r.{q(c)}" for c in COUNT_COLUMNS)}) AS _raw
                FROM _dw_dy_raw r
                LEFT JOIN _dw_dy_ctry ci ON ci.raw = r.i || '|' || TRY_CAST(r.year AS INTEGER)
                LEFT JOIN _dw_dy_ctry cj ON cj.raw = r.j || '|' || TRY_CAST(r.year AS INTEGER)
            """)
            sink.reject_rows("SELECT _line, _reason, _raw FROM _dw_dy_mapped WHERE _reason IS NOT NULL ORDER BY _line")
            sink.add("dyad_counts", "SELECT * EXCLUDE (_reason, _raw) FROM _dw_dy_mapped WHERE _reason IS NULL")
        finally:
            drop_temp(con, "_dw_dy_mapped", "_dw_dy_ctry", "_dw_dy_raw")


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _country_of_pair(pair: str) -> str | None:
    name, _, year = pair.rpartition("|")
    return codemaps.country_iso3(name, int(year) if year.lstrip("-").isdigit() else None)


ICEWS_DYAD_YEAR = formats.register(IcewsDyadYearReader())
