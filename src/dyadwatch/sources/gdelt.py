"""GDELT 1.0 and 2.0 event exports -> canonical ``events`` rows.

Formats (GDELT Event Codebook V1.03 and V2.0, gdeltproject.org):

``gdelt1``  daily export ``YYYYMMDD.export.CSV(.zip)``: 58 tab-separated
            fields, no header, no quoting (post-April-2013 layout with SOURCEURL);
            also the historical backfiles (1979 - March 2013, ``1979.zip`` ...
            ``200512.zip``, ``201303.zip``): the same fields without SOURCEURL,
            57 in all, ``DATEADDED`` last (codebook V1.03); their rows are
            stored as the 58-field form stores them, with ``source_url`` NULL.
``gdelt2``  15-minute export ``YYYYMMDDHHMMSS.export.CSV(.zip)``: 61 fields
            (adds ``*Geo_ADM2Code``); ``DATEADDED`` is ``YYYYMMDDHHMMSS``.

Both readers also take the comma-separated form with a header line that
tools such as gdeltPyR write (the same columns in the same order, optionally
followed by ``CAMEOCodeDescription``); the header tells which version it is.

Mapping (all in SQL, per distinct code in Python only for look-ups):

============================  ==========================================================
``event_id``                  ``<dataset>:<GLOBALEVENTID>`` (``gdelt1:635942246``)
``event_date``                ``SQLDATE`` (``YYYYMMDD``); invalid dates are rejected
``src_*`` / ``tgt_*``         ``Actor1*`` / ``Actor2*``: Name, Code, CountryCode (a CAMEO
                              country code -> ISO3 via :mod:`dyadwatch.codebooks.countries`;
                              regions such as ``AFR`` -> NULL; a blank CountryCode is taken
                              from the Code's first three letters when they are a CAMEO
                              country code, ``SSDMIL`` -> ``SSD``:
                              :func:`~dyadwatch.sources.codemaps.country_of_actor_code`),
                              Type1Code as sector
``cameo_code``                ``EventCode`` with leading zeros restored
                              (:func:`dyadwatch.codebooks.cameo.normalize_event_code`);
                              not a CAMEO code -> reject
``cameo_root``, ``plover_type``  from the CAMEO codebook and the PLOVER crosswalk
``quad_class``, ``goldstein``  the file's ``QuadClass`` (1-4) and ``GoldsteinScale``
                              ([-10, 10]); out of range -> reject
``loc_country``               ``ActionGeo_CountryCode``, which is **FIPS 10-4** -> ISO3
``loc_name``, ``lat``, ``lon``  ``ActionGeo_FullName``, ``ActionGeo_Lat``, ``ActionGeo_Long``
``mentions``, ``source_url``  ``NumMentions``, ``SOURCEURL``
============================  ==========================================================

A raw file is one layout, decided by its first data line (for ``gdelt1``:
58 or 57 fields); lines with another number of fields, or bytes that are
not UTF-8, are rejected with their line number. A raw export takes one of two paths:

* **fast** (a clean file: right field count and clean bytes on every line,
  every row valid, no repeated event id — checked by two parallel read-only
  passes): DuckDB's typed ``read_csv`` parses only the used fields in
  parallel and the mapped rows stream into ``events`` in one ``INSERT``
  (``sink.add(..., direct_rows=n)``): no staging table, no line numbers
  needed, memory that does not grow with the file;
* **exact** (any other file): DuckDB reads whole lines and splits them on
  tabs in the same pass (:func:`dyadwatch.sources.delimited.stage_lines`),
  keeping only the fields the mapping uses and the raw text only of rows
  that may be rejected, so that every rejected line gets its number; the
  mapping then runs as one SQL query into the store's staging table.

Both store the same rows (``tests/sources/test_gdelt_fast_path.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dyadwatch.errors import IngestError, is_interrupt
from dyadwatch.codebooks import cameo
from dyadwatch.sources import codemaps, formats
from dyadwatch.sources.delimited import (drop_temp, probe_clean, reject_field_counts, stage_csv, stage_lines,
                                         typed_read_sql)
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.io import materialize, read_head
from dyadwatch import ranges

_ACTOR = ["Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code",
          "Religion2Code", "Type1Code", "Type2Code", "Type3Code"]
_EVENT = ["IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
          "NumMentions", "NumSources", "NumArticles", "AvgTone"]


def _geo(prefix: str, adm2: bool) -> list[str]:
    cols = ["Type", "FullName", "CountryCode", "ADM1Code"] + (["ADM2Code"] if adm2 else []) + \
        ["Lat", "Long", "FeatureID"]
    return [f"{prefix}Geo_{c}" for c in cols]


def _layout(adm2: bool) -> tuple[str, ...]:
    return tuple(["GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate"]
                 + [f"Actor1{c}" for c in _ACTOR] + [f"Actor2{c}" for c in _ACTOR] + _EVENT
                 + _geo("Actor1", adm2) + _geo("Actor2", adm2) + _geo("Action", adm2)
                 + ["DATEADDED", "SOURCEURL"])


#: GDELT 1.0 event export fields in file order (codebook V1.03), 58 fields
GDELT1_COLUMNS: tuple[str, ...] = _layout(adm2=False)
#: GDELT 2.0 event export fields in file order (codebook V2.0), 61 fields
GDELT2_COLUMNS: tuple[str, ...] = _layout(adm2=True)
#: GDELT 1.0 historical backfile fields (1979 - March 2013): the export fields without
#: SOURCEURL, 57 fields, ``DATEADDED`` last (codebook V1.03)
GDELT1_BACKFILE_COLUMNS: tuple[str, ...] = GDELT1_COLUMNS[:-1]
#: extra trailing column some tools add to the header form
EXTRA_HEADER_COLUMNS = ("CAMEOCodeDescription",)

#: text fields kept as strings (the others are typed in the read pass)
_STRING_COLUMNS: tuple[str, ...] = (
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1Type1Code", "Actor2Code", "Actor2Name",
    "Actor2CountryCode", "Actor2Type1Code", "EventCode", "ActionGeo_FullName", "ActionGeo_CountryCode",
    "SOURCEURL")

_RAW_FIRST = re.compile(r"^\d+\t\d{8}\t")


def _header_fields(head: Head) -> list[str] | None:
    if not head.lines:
        return None
    first = head.lines[0]
    if not first.startswith("GLOBALEVENTID"):
        return None
    delim = "\t" if "\t" in first else ","
    return [f.strip().strip('"') for f in first.split(delim)]


def _matches_header(fields: list[str] | None, columns: tuple[str, ...]) -> bool:
    if not fields:
        return False
    n = len(columns)
    return tuple(fields[:n]) == columns and all(f in EXTRA_HEADER_COLUMNS for f in fields[n:])


def _present(values) -> list[str]:
    return sorted({v for v in values or () if v is not None})


def _suspect_sql(*, codes: bool) -> str:
    """SQL, over the typed columns of :meth:`GdeltReader._projection`, true for a row
    that may have to be rejected; ``codes=False`` leaves out the CAMEO code test
    (the fast path tests the distinct codes instead)."""
    code_test = ""
    if codes:
        listed = ", ".join(f"'{c}'" for c in sorted(cameo.CAMEO) if len(c) > 2)
        code_test = f'OR "EventCode" NOT IN ({listed}) '
    return (f"coalesce(NOT regexp_full_match(_gid, '[0-9]+') OR _date IS NULL OR {ranges.date_bad_sql('_date')} "
            f"{code_test}OR _qc NOT BETWEEN 1 AND 4 OR NOT (_gs BETWEEN -10 AND 10) OR _mentions_bad, true)")


#: SQL list of the distinct first three letters of actor codes whose country code is blank
_ACTOR_PREFIXES_SQL = ('list_concat(coalesce(list(DISTINCT left("Actor1Code", 3)) FILTER ("Actor1CountryCode" IS NULL), '
                       '[]::VARCHAR[]), coalesce(list(DISTINCT left("Actor2Code", 3)) '
                       'FILTER ("Actor2CountryCode" IS NULL), []::VARCHAR[]))')


@dataclass
class GdeltReader:
    """Reader for one GDELT event export version (see the module docstring)."""

    name: str
    dataset: str
    columns: tuple[str, ...]
    description: str
    tables: tuple[str, ...] = ("events",)
    #: an older raw layout the reader also takes (the same fields minus trailing ones), or None
    backfile_columns: tuple[str, ...] | None = None

    def _raw_layouts(self) -> tuple[tuple[str, ...], ...]:
        return (self.columns,) + ((self.backfile_columns,) if self.backfile_columns else ())

    def raw_columns(self, head: Head) -> tuple[str, ...]:
        """The field layout of a raw (headerless) file, decided by its first data
        line: :attr:`backfile_columns` when that line has their count, else
        :attr:`columns` (a first line of any other count is then rejected
        against the full layout)."""
        first = head.lines[0] if head.lines else ""
        nf = first.count("\t") + 1
        return next((cols for cols in self._raw_layouts() if len(cols) == nf), self.columns)

    def sniff(self, path: Path, head: Head) -> bool:
        """True for a raw export with this version's field count (for ``gdelt1``
        also the 57 fields of the backfiles), or a header line with this
        version's column names."""
        fields = _header_fields(head)
        if fields is not None:
            return _matches_header(fields, self.columns)
        if head.suffix not in (".csv", ".tsv", ".txt", ""):
            return False
        first = head.lines[0] if head.lines else ""
        nf = first.count("\t") + 1
        return bool(_RAW_FIRST.match(first)) and any(len(cols) == nf for cols in self._raw_layouts())

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's events into ``sink`` (table ``events``), rejecting
        bad lines with their reason.

        Raises
        ------
        IngestError
            The header names other columns than this GDELT version's.
        InputError
            Truncated or corrupt .gz/.zip archive.
        """

        con = sink.con
        head = read_head(path)
        fields = _header_fields(head)
        if fields is not None and not _matches_header(fields, self.columns):
            raise IngestError(
                f"header does not match the {self.name} layout ({len(self.columns)} GDELT columns "
                f"from GLOBALEVENTID to SOURCEURL); found {len(fields)} columns",
                path=path, line=1, hint="give --format gdelt1 or gdelt2 to match the file")
        try:
            with materialize(path) as plain:
                if fields is not None:
                    self._stage_header_form(con, sink, plain, head, fields)
                    self._map(con, sink)
                elif not self._read_clean(con, sink, plain):
                    self._stage_raw_form(con, sink, plain)
                    self._map(con, sink)
        finally:
            drop_temp(con, "_dw_gdelt_cameo", "_dw_gdelt_ctry", "_dw_gdelt_fips", "_dw_gdelt_raw",
                      "_dw_gdelt_csv", "_dw_gdelt_prefix")

    def _projection(self, col, columns: tuple[str, ...] | None = None) -> str:
        """SQL select list turning the raw fields (``col(name)`` -> SQL) into typed
        columns, plus ``_suspect``: true for a row that may have to be rejected (a
        superset of the reject rules in :meth:`_map`); only such rows keep their
        raw text. Uses DuckDB's references to earlier aliases of the same list.
        ``columns`` is the file's layout (default :attr:`columns`); without
        SOURCEURL (a backfile) the column is NULL."""
        columns = columns or self.columns
        strings = ", ".join(f"nullif({col(c)}, '') AS \"{c}\"" for c in _STRING_COLUMNS if c != "SOURCEURL")
        if "SOURCEURL" in columns:
            strings += f", nullif(rtrim({col('SOURCEURL')}, chr(13)), '') AS \"SOURCEURL\""  # last field: CRLF
        else:
            strings += ', NULL::VARCHAR AS "SOURCEURL"'
        return (f"nullif({col('GLOBALEVENTID')}, '') AS _gid, {strings}, "
                f"try_strptime({col('SQLDATE')}, '%Y%m%d')::DATE AS _date, "
                f"TRY_CAST({col('QuadClass')} AS INTEGER) AS _qc, "
                f"TRY_CAST({col('GoldsteinScale')} AS DOUBLE) AS _gs, "
                f"TRY_CAST({col('NumMentions')} AS INTEGER) AS _mentions, "
                f"coalesce({col('NumMentions')} <> '' AND coalesce(_mentions < 0, true), false) AS _mentions_bad, "
                f"TRY_CAST({col('ActionGeo_Lat')} AS DOUBLE) AS _lat, "
                f"TRY_CAST({col('ActionGeo_Long')} AS DOUBLE) AS _lon, {_suspect_sql(codes=True)} AS _suspect")

    def _stage_header_form(self, con, sink: Sink, plain: Path, head: Head, fields: list[str]) -> None:
        """CSV with a header (quoted, comma-separated, or tab-separated): stage
        ``_dw_gdelt_raw`` (typed used fields, ``_nf``, ``_rawline``)."""
        delim = "\t" if "\t" in head.lines[0] else ","
        names = list(self.columns) + list(fields[len(self.columns):])
        n_bad = stage_csv(con, plain, sink, "_dw_gdelt_csv", names, delim=delim,
                          quote='"' if delim == "," else "")
        raw = "concat_ws(chr(9), " + ", ".join(f'coalesce("{c}", \'\')' for c in self.columns) + ")"
        con.execute(f"CREATE OR REPLACE TEMP TABLE _dw_gdelt_raw AS SELECT _line, {len(self.columns)} AS _nf, "
                    f"{self._projection(lambda c: chr(34) + c + chr(34))}, "
                    f"CASE WHEN _suspect THEN {raw} END AS _rawline FROM _dw_gdelt_csv")
        sink.count_read(con.execute("SELECT count(*) FROM _dw_gdelt_raw").fetchall()[0][0] + n_bad)

    def _stage_raw_form(self, con, sink: Sink, plain: Path) -> None:
        """Raw export: split each line on tabs into typed used fields in one pass
        (``_dw_gdelt_raw``); lines with a wrong field count are rejected."""
        cols = self.raw_columns(read_head(plain))
        n = len(cols)
        layout = f"{self.name} backfile" if cols != self.columns else self.name
        n_bad = stage_lines(con, plain, sink, "_dw_gdelt_raw", split="\t", project=(
            f"len(f) AS _nf, {self._projection(lambda c: f'f[{cols.index(c) + 1}]', cols)}, "
            f"CASE WHEN _suspect OR _nf <> {n} THEN l END AS _rawline"))
        reject_field_counts(con, sink, "_dw_gdelt_raw", n, f"{n} tab-separated fields ({layout})",
                            "_rawline", n_bad)

    def _reason_sql(self) -> str:
        """SQL for the reject reason of a suspect row of ``t`` (NULL when it is fine)."""
        pos = {c: self.columns.index(c) + 1  # the same in the backfile layout
               for c in ("GLOBALEVENTID", "SQLDATE", "QuadClass", "GoldsteinScale", "NumMentions")}

        def raw(c: str) -> str:
            return f"coalesce(chr(39) || string_split(t._rawline, chr(9))[{pos[c]}] || chr(39), 'NULL')"

        return f"""CASE WHEN t._rawline IS NULL THEN NULL
                WHEN t._gid IS NULL OR NOT regexp_full_match(t._gid, '[0-9]+')
                  THEN 'bad GLOBALEVENTID ' || {raw('GLOBALEVENTID')}
                WHEN t._date IS NULL
                  THEN 'unparsable SQLDATE ' || {raw('SQLDATE')} || ' (expected a valid date YYYYMMDD)'
                WHEN {ranges.date_bad_sql('t._date')}
                  THEN {ranges.date_reason_sql('SQLDATE', raw('SQLDATE'))}
                WHEN c.cameo_code IS NULL
                  THEN 'EventCode ' || coalesce(chr(39) || t."EventCode" || chr(39), 'NULL')
                       || ' is not a CAMEO 1.1b3 event code'
                WHEN t._qc IS NULL OR t._qc NOT BETWEEN 1 AND 4
                  THEN 'QuadClass ' || {raw('QuadClass')} || ' not in 1..4'
                WHEN t._gs IS NULL OR isnan(t._gs) OR t._gs NOT BETWEEN -10 AND 10
                  THEN 'GoldsteinScale ' || {raw('GoldsteinScale')} || ' not in [-10, 10]'
                WHEN t._mentions_bad
                  THEN 'bad count: NumMentions ' || {raw('NumMentions')} || ' is not a count in 0..2147483647'
              END"""

    def _read_clean(self, con, sink: Sink, plain: Path) -> bool:
        """The fast path for a clean raw export; False (nothing done) for any other file.

        A file whose lines all have the right field count and clean bytes
        (:func:`~dyadwatch.sources.delimited.probe_clean`), whose rows all pass
        the checks of :meth:`_projection` (``_suspect`` false) and whose event
        ids are unique has nothing to reject, so no line numbers are needed:
        DuckDB parses it in parallel (only the used fields) and the mapped rows
        go straight into the store (``sink.add(..., direct_rows=n)``), without
        a staging copy, in memory that does not grow with the file. Any other
        file takes the exact path (:meth:`_stage_raw_form`), which gives every
        rejected line its number; both paths store the same rows
        (tests/sources/test_gdelt_reader.py compares them).
        """
        n_lines = probe_clean(con, plain)
        if n_lines is None:
            return False
        cols = self.raw_columns(read_head(plain))  # 58 fields, or 57 for a gdelt1 backfile
        typed = f"(SELECT {self._projection(lambda c: chr(34) + c + chr(34), cols)} FROM "
        cur = con.cursor()  # a read of the file only, in its own transaction: an error here changes nothing
        try:
            # the CAMEO code test of _suspect is done below on the distinct codes (cheaper than per row);
            # ids that repeat as integers ('7', '007') also send the file to the exact path
            n, n_bad, n_ids, n_codes, codes, actors, fips, prefixes = cur.execute(
                f"SELECT count(*), count(*) FILTER ({_suspect_sql(codes=False)}), "
                f"count(DISTINCT TRY_CAST(_gid AS HUGEINT)), count(\"EventCode\"), "
                f'list(DISTINCT "EventCode"), list(DISTINCT "Actor1CountryCode") || '
                f'list(DISTINCT "Actor2CountryCode"), list(DISTINCT "ActionGeo_CountryCode"), '
                f"{_ACTOR_PREFIXES_SQL} "
                f"FROM {typed}{typed_read_sql(plain, cols, rejects='_dw_gdelt_probe')})").fetchall()[0]
            rejected = cur.execute("SELECT count(*) FROM _dw_gdelt_probe").fetchall()[0][0]
        except duckdb.Error as exc:
            if is_interrupt(exc):  # Ctrl-C: an interruption, not a reason to take the exact path
                raise
            return False
        finally:
            cur.close()
        if rejected or n != n_lines or n_bad or n_ids != n or n_codes != n \
                or not all(c in cameo.CAMEO and len(c) > 2 for c in codes):
            return False
        parsed = f"{typed}{typed_read_sql(plain, cols)})"
        self._stage_maps(con, codes, actors, fips, prefixes)
        try:
            sink.add("events", self._mapped_sql(sink, parsed, lines=False), direct_rows=n)
        except formats.DirectRowsRefused:  # an id stored with other values: reported with its line
            return False
        sink.count_read(n)
        return True

    def _stage_maps(self, con, codes, actors, fips, prefixes) -> None:
        """Look-up tables for the distinct CAMEO codes, actor country codes, FIPS codes and the
        first three letters of actor codes whose country code is blank."""
        codemaps.stage_cameo(con, "_dw_gdelt_cameo", _present(codes))
        codemaps.stage_map(con, "_dw_gdelt_ctry", _present(actors), codemaps.country_iso3)
        codemaps.stage_map(con, "_dw_gdelt_fips", _present(fips), codemaps.fips_to_iso3)
        codemaps.stage_map(con, "_dw_gdelt_prefix", _present(prefixes), codemaps.country_of_actor_code)

    def _map(self, con, sink: Sink) -> None:
        """Map ``_dw_gdelt_raw`` to canonical events; invalid rows -> rejects."""
        src = "_dw_gdelt_raw"
        self._stage_maps(con, *con.execute(
            f'SELECT list(DISTINCT "EventCode"), list(DISTINCT "Actor1CountryCode") || '
            f'list(DISTINCT "Actor2CountryCode"), list(DISTINCT "ActionGeo_CountryCode"), '
            f'{_ACTOR_PREFIXES_SQL} FROM {src}').fetchall()[0])
        con.execute(f"CREATE OR REPLACE TEMP VIEW _dw_gdelt_mapped AS {self._mapped_sql(sink, src, lines=True)}")
        sink.reject_rows("SELECT _line, _reason, _rawline FROM _dw_gdelt_mapped WHERE _rawline IS NOT NULL "
                         "AND _reason IS NOT NULL ORDER BY _line")
        sink.add("events", "SELECT * EXCLUDE (_reason, _rawline) FROM _dw_gdelt_mapped WHERE _reason IS NULL")
        con.execute("DROP VIEW _dw_gdelt_mapped")

    def _mapped_sql(self, sink: Sink, src: str, *, lines: bool) -> str:
        """SELECT of canonical event rows from the typed rows ``src`` (a table or a
        parenthesised query); with ``lines`` also ``_line``, ``_rawline`` and the
        reject ``_reason`` (NULL for a row to store)."""
        ds = sink.dataset.replace("'", "''")
        extra = f", t._line AS _line, t._rawline AS _rawline, {self._reason_sql()} AS _reason" if lines else ""
        return f"""
            SELECT
              '{ds}:' || t._gid AS event_id, '{ds}' AS dataset, t._gid AS native_id, t._date AS event_date,
              t."Actor1Name" AS src_name, t."Actor1Code" AS src_code,
              CASE WHEN t."Actor1CountryCode" IS NULL THEN p1.value ELSE a1.value END AS src_country,
              t."Actor1Type1Code" AS src_sector,
              t."Actor2Name" AS tgt_name, t."Actor2Code" AS tgt_code,
              CASE WHEN t."Actor2CountryCode" IS NULL THEN p2.value ELSE a2.value END AS tgt_country,
              t."Actor2Type1Code" AS tgt_sector,
              c.cameo_code, c.cameo_root, t._qc::TINYINT AS quad_class, t._gs AS goldstein, c.plover_type,
              g.value AS loc_country, t."ActionGeo_FullName" AS loc_name, t._lat AS lat, t._lon AS lon,
              t._mentions AS mentions, t."SOURCEURL" AS source_url{extra}
            FROM {src} t
            LEFT JOIN _dw_gdelt_cameo c ON c.raw = t."EventCode"
            LEFT JOIN _dw_gdelt_ctry a1 ON a1.raw = t."Actor1CountryCode"
            LEFT JOIN _dw_gdelt_ctry a2 ON a2.raw = t."Actor2CountryCode"
            LEFT JOIN _dw_gdelt_fips g ON g.raw = t."ActionGeo_CountryCode"
            LEFT JOIN _dw_gdelt_prefix p1 ON p1.raw = left(t."Actor1Code", 3)
            LEFT JOIN _dw_gdelt_prefix p2 ON p2.raw = left(t."Actor2Code", 3)
        """


GDELT1 = formats.register(GdeltReader(
    name="gdelt1", dataset="gdelt1", columns=GDELT1_COLUMNS,
    backfile_columns=GDELT1_BACKFILE_COLUMNS,
    description="GDELT 1.0 event export: daily files (58 tab-separated fields, .export.CSV[.zip]) "
                "and 1979-2013 backfiles (57 fields, no SOURCEURL)"))
GDELT2 = formats.register(GdeltReader(
    name="gdelt2", dataset="gdelt2", columns=GDELT2_COLUMNS,
    description="GDELT 2.0 event export (61 tab-separated fields, .export.CSV[.zip])"))
