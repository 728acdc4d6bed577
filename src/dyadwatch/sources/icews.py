"""ICEWS Dataverse event files -> canonical ``events`` (+ ``event_evidence``) rows.

ICEWS Coded Event Data (Boschee et al., Harvard Dataverse doi:10.7910/DVN/28075)
comes in two layouts, both accepted (the header line tells which):

* the Dataverse ``.tab`` files (``events.2018.*.tab``): tab-separated, no
  quoting, column names with spaces (``Event ID``, ``Source Country`` ...),
  missing values written as ``NA``;
* the snake_case ``.csv`` written by R tools (andybega/icews ``icews_sample``):
  comma-separated, quoted, empty field = missing, possibly with extra columns
  (``year``, ``yearmonth``), which are ignored.

Mapping:

==========================  ===============================================================
``event_id``                ``icews:<Event ID>``; ``native_id`` = Event ID
``event_date``              ``Event Date`` (``YYYY-MM-DD``); unparsable -> reject
``src_name``/``tgt_name``   ``Source Name`` / ``Target Name``
``src_country``/...         ``Source Country`` / ``Target Country`` (names) -> ISO3 at the
                            event year (:func:`dyadwatch.sources.codemaps.country_iso3`)
``src_sector``/...          ``Source Sectors`` / ``Target Sectors`` -> one CAMEO sector code
                            (:mod:`dyadwatch.sources.icews_sectors`)
``src_code``/``tgt_code``   CAMEO-style actor code built from them: ISO3 + sector
                            (``RUSGOV``), the sector alone (``IGO``) or the ISO3 alone
``cameo_code``              ``CAMEO Code`` with leading zeros restored; where the column is
                            absent or empty, or holds a code with a stray letter (``13y``),
                            the code of ``Event Text`` (a CAMEO event name, resolved by
                            :func:`dyadwatch.codebooks.cameo.by_name`) when its digits begin
                            with the field's digits (``13y`` + "Threaten with repression"
                            -> ``137``); otherwise -> reject
``cameo_root``, ``quad_class``, ``plover_type``  from the CAMEO codebook
``goldstein``               ``Intensity`` (the file's value); outside [-10, 10] -> reject
``loc_country``             ``Country`` -> ISO3; ``loc_name`` = City, District, Province, Country
``lat``/``lon``             ``Latitude`` / ``Longitude``
``doc_id``                  ``Story ID``; ``event_evidence.sentence_index`` = ``Sentence Number``
==========================  ===============================================================

Release drift (the maintainer of the ``icews`` R client documents it for the
2017 file, andybega/icews issues 57, 73, 74, 78): a yearly file without the
``CAMEO Code`` column, dates written ``1/13/2017`` (M/D/YYYY, read beside
``YYYY-MM-DD`` and ``YYYYMMDD``) and codes with a stray letter (``13y``) are
read as above; the ingest says how many codes came from ``Event Text``
(``Sink.note``).

ICEWS is known to repeat an ``Event ID`` (with another date) across and within
yearly files; the ingest engine keeps the first row of a file and rejects the
later ones (``duplicate key in file``), and a row whose id is already stored
is counted as already stored.
"""

from __future__ import annotations

import re
from pathlib import Path

from dyadwatch.errors import IngestError
from dyadwatch.sources import codemaps, formats
from dyadwatch.sources.delimited import drop_temp, stage_csv, stage_lines
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.icews_sectors import sector_of_labels
from dyadwatch.sources.io import materialize, read_head
from dyadwatch import ranges

#: the Dataverse columns (snake_case keys) in their canonical order
COLUMNS: tuple[str, ...] = (
    "event_id", "event_date", "source_name", "source_sectors", "source_country", "event_text",
    "cameo_code", "intensity", "target_name", "target_sectors", "target_country", "story_id",
    "sentence_number", "publisher", "city", "district", "province", "country", "latitude", "longitude")
#: columns without which a file is not an ICEWS event file
REQUIRED: frozenset[str] = frozenset({
    "event_id", "event_date", "source_name", "source_country", "event_text", "intensity",
    "target_name", "target_country"})  # no cameo_code: the 2017 release lacks it (taken from event_text)


def _key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.strip().strip('"').lower()).strip("_")


def _header(head: Head) -> tuple[str, list[str]] | None:
    """``(delimiter, raw column names)`` when the first line is an ICEWS header."""
    if not head.lines:
        return None
    first = head.lines[0]
    delim = "\t" if "\t" in first else ","
    names = [f.strip().strip('"') for f in first.split(delim)]
    return (delim, names) if REQUIRED <= {_key(n) for n in names} else None


class IcewsReader:
    """Reader for ICEWS Dataverse event files (see the module docstring)."""

    name = "icews"
    dataset = "icews"
    tables = ("events", "event_evidence")
    description = "ICEWS Dataverse event file (.tab with 'Event ID', 'CAMEO Code' ... or snake_case .csv)"

    def sniff(self, path: Path, head: Head) -> bool:
        """True when the header holds the ICEWS event columns."""
        return _header(head) is not None

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's events and evidence into ``sink``; bad rows -> rejects.

        Raises
        ------
        IngestError
            The header lacks ICEWS event columns (listing the missing ones).
        InputError
            Truncated or corrupt archive.
        """
        head = read_head(path)
        found = _header(head)
        if found is None:
            names = [_key(n) for n in (head.lines[0].split("\t") if head.lines else [])]
            missing = sorted(REQUIRED - set(names))
            raise IngestError(f"not an ICEWS event file: header lacks {', '.join(missing)}", path=path, line=1,
                              hint="ICEWS files start with 'Event ID<TAB>Event Date<TAB>Source Name ...'")
        delim, raw_names = found
        keys = [_key(n) for n in raw_names]
        names = [k if k in COLUMNS and keys.index(k) == i else f"_extra_{i}" for i, k in enumerate(keys)]
        con = sink.con
        try:
            with materialize(path) as plain:
                if delim == "\t":
                    n_bad = self._stage_tab(con, sink, plain, names)
                else:
                    n_bad = stage_csv(con, plain, sink, "_dw_icews_raw", names, delim=delim, quote='"',
                                      nullstr=[""])
            for col in COLUMNS:  # optional columns absent from this file
                if col not in names:
                    con.execute(f"ALTER TABLE _dw_icews_raw ADD COLUMN {col} VARCHAR")
            sink.count_read(con.execute("SELECT count(*) FROM _dw_icews_raw").fetchall()[0][0] + n_bad)
            self._map(con, sink, delim, has_code_column="cameo_code" in names)
        finally:
            drop_temp(con, "_dw_icews_mapped", "_dw_icews_raw", "_dw_icews_cameo", "_dw_icews_ctry",
                      "_dw_icews_sect", "_dw_icews_names")

    @staticmethod
    def _stage_tab(con, sink: Sink, plain: Path, names: list[str]) -> int:
        """Dataverse ``.tab``: unquoted, ``NA`` = missing. Split from whole lines so
        that every line number is exact; wrong field counts -> rejects.
        Returns the number of lines rejected before the split (bad bytes) plus
        those with a wrong field count."""
        n = len(names)
        def field(i: int) -> str:  # the last field of a CRLF file ends with \r
            return f"rtrim(f[{i + 1}], chr(13))" if i == n - 1 else f"f[{i + 1}]"

        cols = ", ".join(f"CASE WHEN {field(i)} IN ('NA', '') THEN NULL ELSE {field(i)} END AS {c}"
                         for i, c in enumerate(names) if not c.startswith("_extra_"))
        n_bad = stage_lines(con, plain, sink, "_dw_icews_raw", split="\t",
                            project=f"len(f) AS _nf, CASE WHEN len(f) <> {n} THEN l END AS _rawline, {cols}")
        con.execute("DELETE FROM _dw_icews_raw WHERE _line = 1")  # the header
        bad = sink.reject_rows(
            f"SELECT _line, 'wrong number of fields: expected {n} tab-separated fields as in the header, found ' "
            f"|| _nf, _rawline FROM _dw_icews_raw WHERE _nf <> {n} ORDER BY _line")
        con.execute(f"DELETE FROM _dw_icews_raw WHERE _nf <> {n}")
        con.execute("ALTER TABLE _dw_icews_raw DROP COLUMN _nf")
        con.execute("ALTER TABLE _dw_icews_raw DROP COLUMN _rawline")
        return n_bad + bad

    def _map(self, con, sink: Sink, delim: str, *, has_code_column: bool = True) -> None:
        src = "_dw_icews_raw"
        con.execute(f"ALTER TABLE {src} ADD COLUMN _date DATE")
        con.execute(f"UPDATE {src} SET _date = coalesce(try_strptime(event_date, '%Y-%m-%d'), "
                    f"try_strptime(event_date, '%Y%m%d'), try_strptime(event_date, '%m/%d/%Y'))::DATE")
        codes, texts, sectors, places = con.execute(
            f"SELECT list(DISTINCT cameo_code), list(DISTINCT event_text), list(DISTINCT source_sectors) || list(DISTINCT target_sectors), "
            f"list(DISTINCT (coalesce(source_country, ''), year(_date))) "
            f"|| list(DISTINCT (coalesce(target_country, ''), year(_date))) "
            f"|| list(DISTINCT (coalesce(country, ''), year(_date))) FROM {src}").fetchall()[0]
        codes, texts, sectors, places = codes or [], texts or [], sectors or [], places or []  # no data rows
        codemaps.stage_cameo(con, "_dw_icews_cameo", sorted({c for c in codes if c is not None}),
                             field="CAMEO Code")
        codemaps.stage_cameo_names(con, "_dw_icews_names", sorted({t for t in texts if t is not None}))
        codemaps.stage_map(con, "_dw_icews_sect", sorted({s for s in sectors if s is not None}),
                           sector_of_labels)
        pairs = sorted({f"{p[0]}|{p[1]}" for p in places if p[0]})
        codemaps.stage_map(con, "_dw_icews_ctry", pairs, _country_of_pair)
        ds = sink.dataset.replace("'", "''")
        raw_line = "concat_ws(chr(9), " + ", ".join(f"coalesce(r.{c}, '')" for c in COLUMNS) + ")"
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _dw_icews_mapped AS
            WITH k AS (  -- the CAMEO code from the field, or from Event Text (see _from_text_sql)
              SELECT r._line AS _k_line, {_from_text_sql('c', 'n', 'r')} AS _from_text,
                     n.cameo_code AS _text_code, c.cameo_code AS _f_code, c.cameo_root AS _f_root,
                     c.quad_class AS _f_qc, c.plover_type AS _f_plover, n.cameo_root AS _n_root,
                     n.quad_class AS _n_qc, n.plover_type AS _n_plover
              FROM {src} r
              LEFT JOIN _dw_icews_cameo c ON c.raw = r.cameo_code
              LEFT JOIN _dw_icews_names n ON n.raw = r.event_text),
            t AS (
              SELECT r.*, TRY_CAST(r.intensity AS DOUBLE) AS _gs, {raw_line} AS _raw, k._from_text,
                     k._text_code,
                     CASE WHEN k._from_text THEN k._text_code ELSE k._f_code END AS _code,
                     CASE WHEN k._from_text THEN k._n_root ELSE k._f_root END AS _root,
                     CASE WHEN k._from_text THEN k._n_qc ELSE k._f_qc END AS _qc,
                     CASE WHEN k._from_text THEN k._n_plover ELSE k._f_plover END AS _plover,
                     sc.value AS _src_iso, tc.value AS _tgt_iso, lc.value AS _loc_iso,
                     ss.value AS _src_sector, ts.value AS _tgt_sector
              FROM {src} r
              JOIN k ON k._k_line = r._line
              LEFT JOIN _dw_icews_ctry sc ON sc.raw = r.source_country || '|' || year(r._date)
              LEFT JOIN _dw_icews_ctry tc ON tc.raw = r.target_country || '|' || year(r._date)
              LEFT JOIN _dw_icews_ctry lc ON lc.raw = r.country || '|' || year(r._date)
              LEFT JOIN _dw_icews_sect ss ON ss.raw = r.source_sectors
              LEFT JOIN _dw_icews_sect ts ON ts.raw = r.target_sectors)
            SELECT
              '{ds}:' || t.event_id AS event_id, '{ds}' AS dataset, t.event_id AS native_id,
              t._date AS event_date,
              t.source_name AS src_name, nullif(coalesce(t._src_iso, '') || coalesce(t._src_sector, ''), '') AS src_code,
              t._src_iso AS src_country, t._src_sector AS src_sector,
              t.target_name AS tgt_name, nullif(coalesce(t._tgt_iso, '') || coalesce(t._tgt_sector, ''), '') AS tgt_code,
              t._tgt_iso AS tgt_country, t._tgt_sector AS tgt_sector,
              t._code AS cameo_code, t._root AS cameo_root, t._qc AS quad_class, t._gs AS goldstein,
              t._plover AS plover_type,
              t._loc_iso AS loc_country, nullif(concat_ws(', ', t.city, t.district, t.province, t.country), '') AS loc_name,
              TRY_CAST(t.latitude AS DOUBLE) AS lat, TRY_CAST(t.longitude AS DOUBLE) AS lon,
              t.story_id AS doc_id, TRY_CAST(t.sentence_number AS INTEGER) AS _sentence_number,
              t._line AS _line, t._raw AS _raw, t._from_text AS _from_text, t.cameo_code AS _raw_code,
              CASE
                WHEN t.event_id IS NULL THEN 'missing Event ID'
                WHEN t._date IS NULL
                  THEN 'unparsable Event Date ' || coalesce(chr(39) || t.event_date || chr(39), 'NULL')
                       || ' (expected YYYY-MM-DD, YYYYMMDD or M/D/YYYY)'
                WHEN {ranges.date_bad_sql('t._date')}
                  THEN {ranges.date_reason_sql('Event Date', "chr(39) || t.event_date || chr(39)")}
                WHEN t._code IS NULL
                  THEN {_code_reason_sql(has_code_column)}
                WHEN t._gs IS NULL OR isnan(t._gs) OR t._gs NOT BETWEEN -10 AND 10
                  THEN 'Intensity ' || coalesce(chr(39) || t.intensity || chr(39), 'NULL')
                       || ' not in [-10, 10]'
              END AS _reason
            FROM t
        """)
        sink.reject_rows("SELECT _line, _reason, _raw FROM _dw_icews_mapped WHERE _reason IS NOT NULL ORDER BY _line")
        _note_codes_from_text(con, sink, has_code_column)
        sink.add("events", "SELECT * EXCLUDE (_reason, _raw, _sentence_number, _from_text, _raw_code) "
                           "FROM _dw_icews_mapped "
                           "WHERE _reason IS NULL")
        sink.add("event_evidence", "SELECT event_id, _sentence_number AS sentence_index, 'day' AS date_precision, "
                                   "_line FROM _dw_icews_mapped WHERE _reason IS NULL")


def _from_text_sql(c: str, n: str, r: str) -> str:
    """SQL: true when a row's CAMEO code is to come from its ``Event Text``: the
    ``CAMEO Code`` field is not a CAMEO code (``{c}.cameo_code`` NULL), the text
    names one (``{n}.cameo_code``), and the field is empty (or the column
    absent) or is digits with a stray letter whose digits begin the text's code
    (``13y`` fits 137, ``1x`` fits 010; ``999`` or ``ABC`` fit nothing: reject)."""
    digits = f"regexp_extract({r}.cameo_code, '^[0-9]+')"
    return (f"({c}.cameo_code IS NULL AND {n}.cameo_code IS NOT NULL AND "
            f"(nullif(trim({r}.cameo_code), '') IS NULL OR "
            f"(regexp_full_match(trim({r}.cameo_code), '[0-9]+[A-Za-z]+') AND "
            f"(starts_with({n}.cameo_code, {digits}) OR "
            f"starts_with(ltrim({n}.cameo_code, '0'), ltrim({digits}, '0'))))))")


def _code_reason_sql(has_code_column: bool) -> str:
    """SQL reject reason of a row ``t`` with no usable CAMEO code (field or text)."""
    text = "coalesce(chr(39) || t.event_text || chr(39), 'NULL')"
    if not has_code_column:
        return (f"'no CAMEO Code column, and Event Text ' || {text} || ' is not a CAMEO 1.1b3 event name'")
    return (f"'CAMEO Code ' || coalesce(chr(39) || t.cameo_code || chr(39), 'NULL') "
            f"|| ' is not a CAMEO 1.1b3 event code' || CASE WHEN t._text_code IS NULL "
            f"THEN ' (nor is Event Text ' || {text} || ' a CAMEO event name)' "
            f"ELSE ' (Event Text ' || {text} || ' names ' || t._text_code || ', which does not fit it)' END")


def _note_codes_from_text(con, sink: Sink, has_code_column: bool) -> None:
    """Tell ``sink`` how many accepted rows took their code from ``Event Text``."""
    found = con.execute("SELECT _raw_code, count(*) FROM _dw_icews_mapped WHERE _reason IS NULL AND _from_text "
                        "GROUP BY ALL ORDER BY count(*) DESC, _raw_code NULLS FIRST").fetchall()
    n = sum(k for _, k in found)
    if not n:
        return
    head = f"{n:,} CAMEO code{'s' if n != 1 else ''} taken from Event Text"
    if not has_code_column:
        sink.note(f"{head} (no CAMEO Code column)")
        return
    shown = ", ".join(f"{'empty' if v is None or not v.strip() else repr(v)}: {k:,} line{'s' if k != 1 else ''}"
                      for v, k in found[:8])
    sink.note(f"{head} where CAMEO Code holds none ({shown}{', ...' if len(found) > 8 else ''})")


def _country_of_pair(pair: str) -> str | None:
    name, _, year = pair.rpartition("|")
    return codemaps.country_iso3(name, int(year) if year.isdigit() else None)


ICEWS = formats.register(IcewsReader())
