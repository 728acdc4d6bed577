"""ICEWS name-triple files -> canonical ``events`` rows.

The temporal-knowledge-graph benchmarks built from ICEWS (ICEWS14 and
ICEWS05-15: García-Durán, Dumančić & Niepert 2018; ICEWS18: Jin et al. 2020,
RE-Net) keep only ``source_name, event_text, target_name, event_date`` of
each ICEWS event (tab-separated, header line, no quoting: names hold literal
``"``), sometimes followed by extra columns (benchmark ids, time offsets),
which are ignored.

Mapping:

* ``cameo_code`` from ``event_text``, an ICEWS CAMEO event name, through
  :func:`dyadwatch.codebooks.cameo.by_name`; ``cameo_root``, ``quad_class``,
  ``goldstein`` and ``plover_type`` from the CAMEO codebook (these files carry
  no intensity). A text that is not a CAMEO name is rejected.
* ``src_*``/``tgt_*`` from the actor name, tried in this order:

  1. ``"Sector (Country)"`` (``"Foreign Affairs (Russia)"``): the country in
     brackets -> ISO3, the agent -> CAMEO sector (:mod:`dyadwatch.sources.icews_sectors`);
     code ``RUSGOV``. When the brackets name an armed group or IGO of the
     actor dictionaries instead (``"Militant (Taliban)"``), that entry's
     country and code are used;
  2. a country name (``"Iran"``) -> ISO3 at the event year
     (:mod:`dyadwatch.codebooks.countries`);
  3. a person, organisation or group of the actor dictionaries
     (:mod:`dyadwatch.codebooks.actors`), resolved *at the event date* (people
     by their terms of office): ``"Sergey Viktorovich Lavrov"`` -> RUS, GOV;
  4. otherwise the name is kept with country, sector and code NULL.

* ``event_id``: these files have no native id, so the id is
  ``icews-names:`` + md5 of (source_name, event_text, target_name, ISO event
  date, occurrence index of that same quadruple earlier in the file), joined
  with the unit separator U+001F. Why the occurrence index: in raw ICEWS the
  same quadruple on the same day is often several distinct events (different
  stories: 515 of the 3,705 rows of the Dataverse sample ``events.2018.sample.tab``
  repeat an earlier row's quadruple), so a name-triple file derived from raw
  data must keep each repetition as its own event. The benchmark files at
  hand are sets of facts: none repeats a quadruple (checked on all nine
  files), so their index is always 0 and the same fact in two files (ICEWS14
  in ``icews14_complete/`` and ``icews_tkg/``) gets the same id and is stored
  once. The id is stable: re-ingesting the file, or the same fact in another
  file at the same position among its repeats, gives the same id.
* ``dataset``: ``icews18``, ``icews14`` or ``icews05-15`` when the file or
  folder name says so, else ``icews-names`` (an explicit ``--dataset`` wins).
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from dyadwatch.errors import IngestError
from dyadwatch.sources import codemaps, formats
from dyadwatch.sources.delimited import drop_temp, reject_field_counts, stage_lines
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.icews_sectors import sector_of_agent
from dyadwatch.sources.io import materialize, read_head
from dyadwatch import ranges

REQUIRED: tuple[str, ...] = ("source_name", "event_text", "target_name", "event_date")
#: columns that make a file an ICEWS Dataverse file instead (``icews`` reader)
_DATAVERSE_MARKERS = {"cameo_code", "event_id", "CAMEO Code", "Event ID"}
_SECTOR_FORM = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
#: (pattern on the file's folder/name, dataset label)
DATASET_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"icews[-_]?18", "icews18"),
    (r"icews[-_]?(05[-_]15|2005[-_]2015)", "icews05-15"),
    (r"icews[-_]?(14|2014)", "icews14"),
)


def dataset_of(path: Path) -> str | None:
    """Dataset label recognised from ``path``'s name or folder, else None.

    >>> dataset_of(Path("icews18_renet/icews18_test.tsv")), dataset_of(Path("x/icews_2005-2015_test.tsv"))
    ('icews18', 'icews05-15')
    """
    for text in (Path(path).name.lower(), Path(path).parent.name.lower()):
        for pattern, label in DATASET_PATTERNS:
            if re.search(pattern, text):
                return label
    return None


def _header(head: Head) -> list[str] | None:
    if not head.lines:
        return None
    fields = [f.strip() for f in head.lines[0].split("\t")]
    if all(c in fields for c in REQUIRED) and not _DATAVERSE_MARKERS & set(fields):
        return fields
    return None


@lru_cache(maxsize=1)
def _actor_dictionary():
    """The actor dictionaries, or None while :mod:`dyadwatch.codebooks.actors` is absent."""
    try:
        from dyadwatch.codebooks import actors
    except ModuleNotFoundError as exc:
        if exc.name != "dyadwatch.codebooks.actors":
            raise
        return None
    return actors.load()


def resolve_static(name: str, year: int | None) -> tuple[str | None, str | None, str | None, bool]:
    """``(iso3, sector, code, needs_dated_lookup)`` of an ICEWS actor name by
    rules 1-2 of the module docstring; ``needs_dated_lookup`` is True when the
    actor dictionary knows the name (rule 3 must be applied per event date)."""
    d = _actor_dictionary()
    m = _SECTOR_FORM.match(name)
    if m:
        sector = sector_of_agent(m.group(1))
        iso = codemaps.country_iso3(m.group(2), year)
        if iso:
            return iso, sector, iso + (sector or ""), False
        group = d.resolve(m.group(2)) if d is not None else None
        if group is not None and group.kind in ("group", "igo"):  # "Militant (Taliban)": per date
            return None, None, None, True
    iso = codemaps.country_iso3(name, year)
    if iso:
        return iso, None, iso, False
    return None, None, None, bool(d is not None and d.resolve(name) is not None)


def resolve_dated(name: str, on: dt.date) -> tuple[str | None, str | None, str | None]:
    """``(iso3, sector, code)`` of a person/organisation name on date ``on``
    (rule 3), or NULLs when the dictionary has no entry valid on that date."""
    d = _actor_dictionary()
    if d is None:
        return None, None, None
    actor = d.resolve(name, on)
    if actor is not None:
        return actor.country, actor.sector, actor.code
    m = _SECTOR_FORM.match(name)
    group = d.resolve(m.group(2), on) if m else None
    if group is not None and group.kind in ("group", "igo"):
        return group.country, group.sector or sector_of_agent(m.group(1)), group.code
    return None, None, None


class IcewsNamesReader:
    """Reader for ICEWS name-triple files (see the module docstring)."""

    name = "icews-names"
    dataset = "icews-names"
    tables = ("events",)
    description = "ICEWS name triples (source_name, event_text, target_name, event_date [...]; tab-separated)"

    def sniff(self, path: Path, head: Head) -> bool:
        """True when the tab-separated header holds the four name-triple columns
        (and not the Dataverse event columns)."""
        return _header(head) is not None

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's events into ``sink``; bad lines -> rejects.

        Raises
        ------
        IngestError
            The header lacks the name-triple columns.
        InputError
            Truncated or corrupt archive.
        """
        head = read_head(path)
        fields = _header(head)
        if fields is None:
            raise IngestError("not an ICEWS name-triple file: the tab-separated header must hold "
                              + ", ".join(REQUIRED), path=path, line=1)
        if sink.dataset == self.dataset:
            sink.dataset = dataset_of(path) or self.dataset
        con = sink.con
        try:
            with materialize(path) as plain:
                n_bad = stage_lines(con, plain, sink, "_dw_names_lines", project="rtrim(l, chr(13)) AS line")
            self._split(con, sink, fields, n_bad)
            self._map(con, sink)
        finally:
            drop_temp(con, "_dw_names_mapped", "_dw_names_raw", "_dw_names_lines", "_dw_names_cameo",
                      "_dw_names_static", "_dw_names_dated")

    def _split(self, con, sink: Sink, fields: list[str], n_bad: int) -> None:
        n = len(fields)
        cols = ", ".join(f"f[{fields.index(c) + 1}] AS {c}" for c in REQUIRED)
        con.execute(f"CREATE OR REPLACE TEMP TABLE _dw_names_raw AS SELECT _line, line, len(f) AS _nf, {cols} "
                    f"FROM (SELECT _line, line, string_split(line, chr(9)) AS f FROM _dw_names_lines "
                    f"WHERE _line > 1 AND line <> '')")
        reject_field_counts(con, sink, "_dw_names_raw", n, f"{n} tab-separated fields as in the header",
                            "line", n_bad)
        con.execute("ALTER TABLE _dw_names_raw ADD COLUMN _date DATE")
        con.execute("UPDATE _dw_names_raw SET _date = try_strptime(event_date, '%Y-%m-%d')::DATE")

    def _map(self, con, sink: Sink) -> None:
        texts, pairs = con.execute(
            "SELECT list(DISTINCT event_text), list(DISTINCT (source_name, year(_date))) "
            "|| list(DISTINCT (target_name, year(_date))) FROM _dw_names_raw").fetchall()[0]
        texts, pairs = texts or [], pairs or []  # NULL lists when the file holds no data rows
        codemaps.stage_cameo_names(con, "_dw_names_cameo", sorted({t for t in texts if t is not None}))
        static = {"name": [], "year": [], "iso3": [], "sector": [], "code": [], "dated": []}
        for name, year in {(p[0], p[1]) for p in pairs if p[0] is not None}:
            iso, sector, code, dated = resolve_static(name, year)
            for k, v in zip(static, (name, year, iso, sector, code, dated)):
                static[k].append(v)
        self._stage(con, "_dw_names_static", pa.table(
            static, schema=pa.schema([("name", pa.string()), ("year", pa.int64()), ("iso3", pa.string()),
                                      ("sector", pa.string()), ("code", pa.string()), ("dated", pa.bool_())])))
        dated_pairs = con.execute(
            "SELECT DISTINCT n, _date FROM (SELECT source_name AS n, _date FROM _dw_names_raw UNION ALL "
            "SELECT target_name, _date FROM _dw_names_raw) r JOIN _dw_names_static s "
            "ON s.name = r.n AND s.year IS NOT DISTINCT FROM year(r._date) WHERE s.dated AND r._date IS NOT NULL"
        ).fetchall()
        dated = {"name": [], "on": [], "iso3": [], "sector": [], "code": []}
        for name, on in dated_pairs:
            for k, v in zip(dated, (name, on, *resolve_dated(name, on))):
                dated[k].append(v)
        self._stage(con, "_dw_names_dated", pa.table(
            dated, schema=pa.schema([("name", pa.string()), ("on", pa.date32()), ("iso3", pa.string()),
                                     ("sector", pa.string()), ("code", pa.string())])))
        ds = sink.dataset.replace("'", "''")
        actor = {}
        for side, col in (("src", "source_name"), ("tgt", "target_name")):
            actor[side] = (f"LEFT JOIN _dw_names_static {side}s ON {side}s.name = t.{col} "
                           f"AND {side}s.year IS NOT DISTINCT FROM year(t._date) "
                           f"LEFT JOIN _dw_names_dated {side}d ON {side}d.name = t.{col} AND {side}d.on = t._date")
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _dw_names_mapped AS
            WITH t AS (
              SELECT r.*, row_number() OVER (PARTITION BY source_name, event_text, target_name, _date
                                             ORDER BY _line) - 1 AS _occ
              FROM _dw_names_raw r)
            SELECT
              '{ds}:' || md5(concat_ws(chr(31), t.source_name, t.event_text, t.target_name,
                                       strftime(t._date, '%Y-%m-%d'), t._occ::VARCHAR)) AS event_id,
              '{ds}' AS dataset, t._date AS event_date,
              t.source_name AS src_name, coalesce(srcs.code, srcd.code) AS src_code,
              coalesce(srcs.iso3, srcd.iso3) AS src_country, coalesce(srcs.sector, srcd.sector) AS src_sector,
              t.target_name AS tgt_name, coalesce(tgts.code, tgtd.code) AS tgt_code,
              coalesce(tgts.iso3, tgtd.iso3) AS tgt_country, coalesce(tgts.sector, tgtd.sector) AS tgt_sector,
              c.cameo_code, c.cameo_root, c.quad_class, c.goldstein, c.plover_type,
              t._line AS _line, t.line AS _raw,
              CASE
                WHEN t._date IS NULL
                  THEN 'unparsable event_date ' || coalesce(chr(39) || t.event_date || chr(39), 'NULL')
                       || ' (expected YYYY-MM-DD)'
                WHEN {ranges.date_bad_sql('t._date')}
                  THEN {ranges.date_reason_sql('event_date', "chr(39) || t.event_date || chr(39)")}
                WHEN c.cameo_code IS NULL
                  THEN 'event_text ' || coalesce(chr(39) || t.event_text || chr(39), 'NULL')
                       || ' is not a CAMEO 1.1b3 event name'
                WHEN coalesce(t.source_name, '') = '' OR coalesce(t.target_name, '') = ''
                  THEN 'empty source_name or target_name'
              END AS _reason
            FROM t LEFT JOIN _dw_names_cameo c ON c.raw = t.event_text
            {actor['src']} {actor['tgt']}
        """)
        sink.reject_rows("SELECT _line, _reason, _raw FROM _dw_names_mapped WHERE _reason IS NOT NULL ORDER BY _line")
        sink.add("events", "SELECT * EXCLUDE (_reason, _raw) FROM _dw_names_mapped WHERE _reason IS NULL")

    @staticmethod
    def _stage(con, table: str, arrow: pa.Table) -> None:
        con.register("_dw_names_src", arrow)
        try:
            con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _dw_names_src")
        finally:
            con.unregister("_dw_names_src")


ICEWS_NAMES = formats.register(IcewsNamesReader())
