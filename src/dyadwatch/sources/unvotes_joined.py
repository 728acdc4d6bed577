"""Voeten's UN roll-call votes in the published *joined* layout (one line per state and roll call).

Erik Voeten's "United Nations General Assembly Voting Data" (Harvard
Dataverse hdl:1902.1/12379; Bailey, Strezhnev & Voeten 2017, JCR 61(2))
publishes the votes joined to their roll calls: columns ``rcid, session,
vote, ccode, member, importantvote, date, unres`` (the full file adds
``Country``, ``Countryname``, ``year``, ``amend``, ``para``, ``short``,
``descr`` and issue dummies, which are read where named below and otherwise
ignored). ``ccode`` is the Correlates of War state code; ``vote`` is coded

====  ===================  ==========================================
code  meaning (codebook)   here
====  ===================  ==========================================
1     yes                  a vote, ``vote_code`` 1
2     abstain              a vote, ``vote_code`` 2
3     no                   a vote, ``vote_code`` 3
8     absent               not a vote and not an error: counted, not stored
9     not a member         not a vote and not an error: counted, not stored
====  ===================  ==========================================

Dates are ``YYYY-MM-DD`` or ``M/D/YYYY``. A file is recognised by
``rcid``, ``ccode`` and ``vote`` in its header (before the ``unvotes``
package layouts, whose roll-call file also has ``rcid, session, date``).

One file fills three tables: ``un_votes`` (the yes/abstain/no votes; the
state by its COW code in the roll call's year, :func:`dyadwatch.codebooks.
countries.cow_to_iso3`, nearest spell of the code when the year lies
outside COW membership; ``country`` is its common name), ``un_roll_calls``
(one row per roll call, from its first line; a roll call already stored,
e.g. from the ``unvotes`` package's richer roll-call file, is kept as it
is) and ``un_vote_countries`` (each state's ISO3 and COW code per year).

Rejected with the reason, never stored: a line whose roll-call id or COW
code is not a whole number, whose date is missing, unreadable or outside
the plausible range (:mod:`dyadwatch.ranges`), whose vote is not 1, 2, 3, 8
or 9, whose roll-call fields (session, date, importantvote, unres) differ
from the roll call's first line, whose COW code names no state, or that
repeats a state's vote on one roll call. A vote of a state already stored
for that roll call from another file (another layout of the same data) is
left out and counted, so no roll call holds one state twice.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from dyadwatch import ranges
from dyadwatch.sources.alignment_support import require_columns
from dyadwatch.sources.formats import Sink

#: columns that make a file the joined layout
JOINED_COLUMNS = ("rcid", "ccode", "vote")
#: required to read it (besides JOINED_COLUMNS)
_REQUIRED = (*JOINED_COLUMNS, "date")
#: roll-call fields repeated on every line of a roll call
_RC_FIELDS = ("session", "date", "importantvote", "unres")
#: Voeten's vote codes: votes, and the two codes that are not votes
VOTE_NAMES = {1: "yes", 2: "abstain", 3: "no"}
NOT_VOTES = {8: "absent", 9: "not a member"}

_TEMP = ("_dw_unj_raw", "_dw_unj", "_dw_unj2", "_dw_unj_ctry")


def _stage(con, path: Path, sink: Sink) -> int:
    """Stage the file as ``_dw_unj_raw`` (lower-case column names, ``_line``); returns the
    number of lines rejected while staging (bad bytes, wrong field counts)."""
    from dyadwatch.sources.delimited import stage_csv
    from dyadwatch.sources.io import inner_name, materialize, read_head, sql_file

    with materialize(path) as plain:
        if inner_name(path).endswith(".parquet"):
            con.execute("CREATE OR REPLACE TEMP TABLE _dw_unj_raw AS "
                        f"SELECT row_number() OVER () AS _line, * FROM read_parquet({sql_file(plain)})")
            return 0
        first = read_head(path).lines[0]
        delim = "\t" if first.count("\t") > first.count(",") else ","
        names: list[str] = []
        for i, c in enumerate(next(csv.reader([first], delimiter=delim))):
            c = c.strip().strip('"').lower()
            names.append(c if c and c not in names and c != "_line" else f"_extra_{i}")
        return stage_csv(con, plain, sink, "_dw_unj_raw", names, delim=delim,
                         nullstr=["", "NA"])


def read_joined(path: Path, sink: Sink) -> None:
    """Read a joined roll-call file into ``un_votes``, ``un_roll_calls`` and
    ``un_vote_countries`` (see the module docstring); bad lines -> rejects.

    Raises
    ------
    IngestError
        A required column (rcid, ccode, vote, date) is missing.
    InputError
        Truncated or corrupt archive or Parquet file.
    """
    con = sink.con
    try:
        n_bad = _stage(con, path, sink)
        cols = [c for c, in con.execute("SELECT column_name FROM (DESCRIBE _dw_unj_raw)").fetchall()
                if c != "_line"]
        lower = {c.lower(): c for c in cols}
        require_columns(path, list(lower), _REQUIRED, "UN roll-call votes (joined layout)")
        sink.count_read(con.execute("SELECT count(*) FROM _dw_unj_raw").fetchall()[0][0] + n_bad)
        _normalise(con, lower)
        _map_countries(con)
        _classify(con)
        _reject(sink)
        _store(con, sink)
        _notes(con, sink)
    finally:
        from dyadwatch.sources.delimited import drop_temp

        drop_temp(con, *_TEMP)


def _col(lower: dict[str, str], name: str) -> str:
    return f'CAST("{lower[name]}" AS VARCHAR)' if name in lower else "NULL::VARCHAR"


def _whole(expr: str, typ: str) -> str:
    """SQL: ``expr`` (text) as a whole number of type ``typ``, NULL when it is not one."""
    d = f"TRY_CAST(trim({expr}) AS DOUBLE)"
    return f"CASE WHEN {d} = floor({d}) THEN TRY_CAST({d} AS {typ}) END"


def _normalise(con, lower: dict[str, str]) -> None:
    date = _col(lower, "date")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dw_unj AS
        SELECT _line,
               {_col(lower, 'rcid')} AS rcid_raw, {_whole(_col(lower, 'rcid'), 'BIGINT')} AS rcid,
               {_col(lower, 'ccode')} AS ccode_raw, {_whole(_col(lower, 'ccode'), 'SMALLINT')} AS ccode,
               {_col(lower, 'vote')} AS vote_raw, {_whole(_col(lower, 'vote'), 'TINYINT')} AS vote_int,
               {_col(lower, 'session')} AS session_raw, {_whole(_col(lower, 'session'), 'INTEGER')} AS session,
               {_col(lower, 'importantvote')} AS importantvote_raw,
               {_whole(_col(lower, 'importantvote'), 'TINYINT')} AS importantvote,
               {date} AS date_raw,
               coalesce(try_strptime(trim({date}), '%Y-%m-%d'), try_strptime(trim({date}), '%m/%d/%Y'),
                        try_strptime(trim({date}), '%Y-%m-%d %H:%M:%S'))::DATE AS date,
               nullif(trim({_col(lower, 'unres')}), '') AS unres,
               nullif(trim({_col(lower, 'short')}), '') AS short,
               nullif(trim({_col(lower, 'descr')}), '') AS descr,
               {_whole(_col(lower, 'amend'), 'TINYINT')} AS amend,
               {_whole(_col(lower, 'para'), 'TINYINT')} AS para
        FROM _dw_unj_raw""")
    con.execute("DROP TABLE _dw_unj_raw")


def _map_countries(con) -> None:
    """``_dw_unj_ctry(ccode, year, iso3, name)`` for each distinct COW code and year."""
    from dyadwatch.codebooks import countries

    pairs = con.execute("SELECT DISTINCT ccode, year(date) FROM _dw_unj WHERE ccode IS NOT NULL "
                        "AND date IS NOT NULL AND vote_int IN (1, 2, 3)").fetchall()
    iso = []
    for ccode, year in pairs:
        try:
            iso.append(countries.cow_to_iso3(int(ccode), int(year), strict=False))
        except (LookupError, ValueError):
            iso.append(None)
    names = []
    for i in iso:
        try:
            names.append(countries.name_of(i) if i else None)
        except LookupError:
            names.append(i)
    table = pa.table({"ccode": pa.array([p[0] for p in pairs], pa.int16()),
                      "year": pa.array([p[1] for p in pairs], pa.int32()),
                      "iso3": pa.array(iso, pa.string()), "name": pa.array(names, pa.string())})
    con.register("_dw_unj_ctry_src", table)
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _dw_unj_ctry AS SELECT * FROM _dw_unj_ctry_src")
    finally:
        con.unregister("_dw_unj_ctry_src")


def _q(col: str) -> str:
    return f"coalesce(chr(39) || {col} || chr(39), 'empty')"


def _classify(con) -> None:
    """``_dw_unj2``: each line with its ``_kind`` (vote / absent / nonmember / reject) and ``_reason``."""
    differs = " OR ".join(f"{f} IS DISTINCT FROM first_{f}" for f in ("session", "date", "importantvote", "unres"))
    firsts = ", ".join(f"first_value({f}) OVER w AS first_{f}" for f in ("session", "date", "importantvote", "unres"))
    which = " || ".join(
        f"CASE WHEN {f} IS DISTINCT FROM first_{f} THEN '{f} ' || coalesce({f}::VARCHAR, 'empty') || ' here, ' "
        f"|| coalesce(first_{f}::VARCHAR, 'empty') || ' there; ' ELSE '' END" for f in ("session", "date", "importantvote", "unres"))
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dw_unj2 AS
        WITH a AS (
          SELECT u.*, c.iso3, c.name,
                 -- the roll call's fields as on its first readable line
                 {firsts}, first_value(_line) OVER w AS first_line
          FROM _dw_unj u LEFT JOIN _dw_unj_ctry c ON c.ccode = u.ccode AND c.year = year(u.date)
          WINDOW w AS (PARTITION BY u.rcid, (u.date IS NULL) ORDER BY u._line)),
        b AS (
          SELECT *,
            CASE
              WHEN rcid IS NULL THEN 'bad roll-call id: rcid ' || {_q('rcid_raw')} || ' is not a whole number'
              WHEN date IS NULL THEN 'roll call without a date: roll call ' || rcid || ' date '
                   || {_q('date_raw')} || ' (expected YYYY-MM-DD or M/D/YYYY); its vote cannot be placed in a year'
              WHEN {ranges.date_bad_sql('date')} THEN {ranges.date_reason_sql('date', _q('date_raw'))}
              WHEN vote_int IS NULL OR vote_int NOT IN (1, 2, 3, 8, 9)
                THEN 'unknown vote value: ' || {_q('vote_raw')}
                     || '; expected 1 yes, 2 abstain, 3 no, 8 absent or 9 not a member'
              WHEN {differs} THEN 'roll call ' || rcid || ' described differently than on line ' || first_line
                   || ': ' || rtrim({which}, '; ')
              WHEN vote_int IN (8, 9) THEN NULL
              WHEN ccode IS NULL THEN 'bad COW code: ccode ' || {_q('ccode_raw')} || ' is not a whole number'
              WHEN iso3 IS NULL THEN 'country not mappable: COW code ' || ccode || ' names no state in '
                   || year(date) || ' (dyadwatch.codebooks.countries)'
            END AS _reason
          FROM a)
        SELECT *,
          CASE WHEN _reason IS NOT NULL THEN 'reject' WHEN vote_int = 8 THEN 'absent'
               WHEN vote_int = 9 THEN 'nonmember' ELSE 'vote' END AS _kind,
          CASE WHEN _reason IS NULL AND vote_int IN (1, 2, 3)
               THEN row_number() OVER (PARTITION BY rcid, iso3, (_reason IS NULL AND vote_int IN (1, 2, 3))
                                       ORDER BY _line) END AS _dup,
          coalesce(EXISTS (SELECT 1 FROM un_votes s WHERE s.rcid = b.rcid AND s.iso3 = b.iso3), false) AS _stored
        FROM b""")
    # a state's second vote on one roll call
    con.execute("""UPDATE _dw_unj2 SET _kind = 'reject',
        _reason = 'duplicate vote: ' || iso3 || ' (COW ' || ccode || ') votes twice on roll call ' || rcid
        WHERE _kind = 'vote' AND _dup > 1""")


def _reject(sink: Sink) -> None:
    sink.reject_rows("""SELECT _line, _reason,
        'rcid=' || coalesce(rcid_raw, '') || ', session=' || coalesce(session_raw, '') || ', vote='
        || coalesce(vote_raw, '') || ', ccode=' || coalesce(ccode_raw, '') || ', importantvote='
        || coalesce(importantvote_raw, '') || ', date=' || coalesce(date_raw, '') || ', unres=' || coalesce(unres, '')
        FROM _dw_unj2 WHERE _kind = 'reject' ORDER BY _line""")


def _store(con, sink: Sink) -> None:
    from dyadwatch.codebooks import countries

    names = " ".join(f"WHEN {k} THEN '{v}'" for k, v in VOTE_NAMES.items())
    sink.add("un_votes", f"""SELECT rcid, name AS country, NULL::VARCHAR AS country_code, iso3,
        CASE vote_int {names} END AS vote, vote_int AS vote_code, _line
        FROM _dw_unj2 WHERE _kind = 'vote' AND NOT _stored""")
    # one row per roll call not yet stored: its fields from its first stored line
    sink.add("un_roll_calls", """SELECT rcid, any_value(session) AS session, any_value(importantvote) AS importantvote,
        any_value(date) AS date, year(any_value(date)) AS year, any_value(unres) AS unres,
        any_value(amend) AS amend, any_value(para) AS para, any_value(short) AS short,
        any_value(descr) AS descr, min(_line) AS _line
        FROM _dw_unj2 WHERE _kind <> 'reject'
          AND rcid NOT IN (SELECT rcid FROM un_roll_calls) GROUP BY rcid""")
    keys = con.execute("""SELECT DISTINCT name, year(date), iso3, ccode FROM _dw_unj2
        WHERE _kind = 'vote' AND NOT _stored ORDER BY ALL""").fetchall()
    if keys:
        sink.add("un_vote_countries", pa.table({
            "country": pa.array([k[0] for k in keys], pa.string()),
            "country_code": pa.array([None] * len(keys), pa.string()),
            "year": pa.array([k[1] for k in keys], pa.int32()),
            "iso3": pa.array([k[2] for k in keys], pa.string()),
            "cow": pa.array([_cow(countries, k[2], k[1], k[3]) for k in keys], pa.int16())}))


def _cow(countries, iso3: str, year: int, ccode: int) -> int:
    """The COW code of ``iso3`` that year by the codebook, else the file's own ``ccode``."""
    try:
        return countries.iso3_to_cow(iso3, year) or ccode
    except (LookupError, ValueError):
        return ccode


def _notes(con, sink: Sink) -> None:
    absent, nonmember, stored_elsewhere, kept_rc = con.execute("""SELECT
        count(*) FILTER (_kind = 'absent'), count(*) FILTER (_kind = 'nonmember'),
        count(*) FILTER (_kind = 'vote' AND _stored),
        count(DISTINCT rcid) FILTER (_kind <> 'reject' AND rcid IN (SELECT rcid FROM un_roll_calls))
        FROM _dw_unj2""").fetchall()[0]
    if absent or nonmember:
        sink.note(f"{absent:,} line{'s' if absent != 1 else ''} absent (vote 8) and {nonmember:,} not a member "
                  f"(vote 9): not votes, counted and not stored")
    if stored_elsewhere:
        sink.note(f"{stored_elsewhere:,} votes left out: the store already holds that state's vote on that "
                  "roll call (from another file)")
    if kept_rc:
        sink.note(f"{kept_rc:,} roll calls already in the store kept as they were")
