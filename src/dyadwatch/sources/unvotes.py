"""Reader ``unvotes``: UN General Assembly roll-call votes (Voeten et al.).

Three files, each recognised by its columns and each ingested as its own
batch into its own table (the layout of the ``unvotes`` R package, which
re-packages Erik Voeten's "United Nations General Assembly Voting Data",
Harvard Dataverse hdl:1902.1/12379):

=====================  ===============================================  =======================
file                   columns                                          table
=====================  ===============================================  =======================
votes (.parquet/.csv)  rcid, country, country_code, vote                ``un_votes``
roll calls (.csv)      rcid, session, importantvote, date, unres,       ``un_roll_calls``
                       amend, para, short, descr
issues (.csv)          rcid, short_name, issue                          ``un_roll_call_issues``
joined (.csv/.tab/     rcid, ccode, vote (+ session, date, member,      ``un_votes``,
.parquet)              importantvote, unres): Voeten's own layout       ``un_roll_calls``,
                       (:mod:`dyadwatch.sources.unvotes_joined`)        ``un_vote_countries``
=====================  ===============================================  =======================

Votes are coded yes = 1, abstain = 2, no = 3 (``vote_code``; the numeric
codes 1/2/3 of Voeten's original files are accepted too). Countries are
mapped to ISO 3166-1 alpha-3 by their alpha-2 code, or by name where the code
is empty (Federal Republic of Germany, Yemen Arab Republic, Zanzibar have
none in the source), through :mod:`dyadwatch.codebooks.countries`. The
Soviet Union votes as ``RU`` in the source and becomes ``RUS``. Each
delegation's ISO3 and COW code per year it voted go to ``un_vote_countries``
when the roll calls are already in the store - ingest the roll-call file
first (``dyadwatch ingest un_roll_calls.csv ... un_votes.parquet``; a shell
glob of the directory sorts them that way).

Rejected with the reason (``rejects``), never stored: a vote whose value is
not yes/abstain/no, whose roll-call id is not a number, whose country no
table can map, or whose ISO3 code is already taken on that roll call by
another delegation (in the file, or in the store under another name, e.g.
from Voeten's joined layout); a roll call without a (valid) date; an issue row with an
unknown issue code.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa

from dyadwatch.errors import IngestError
from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import (country_mapper, good_records,
                                                  has_columns, header_columns, require_columns, require_header, to_int)
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.unvotes_joined import JOINED_COLUMNS, read_joined
from dyadwatch.store.tables_alignment import UN_ISSUES

DATASET = "unvotes"
VOTE_COLUMNS = ("rcid", "country", "vote")
ROLL_CALL_COLUMNS = ("rcid", "session", "date")
ISSUE_COLUMNS = ("rcid", "short_name", "issue")
_ROLL_CALL_OPTIONAL = ("importantvote", "unres", "amend", "para", "short", "descr")


def _kind(head: Head) -> str | None:
    if has_columns(head, *JOINED_COLUMNS):  # Voeten's joined file also has rcid, session, date
        return "joined"
    if has_columns(head, *VOTE_COLUMNS):
        return "votes"
    if has_columns(head, *ROLL_CALL_COLUMNS):
        return "roll_calls"
    if has_columns(head, *ISSUE_COLUMNS):
        return "issues"
    return None


class UNVotesReader:
    name = "unvotes"
    dataset = DATASET
    tables = ("un_votes", "un_roll_calls", "un_roll_call_issues", "un_vote_countries")
    description = ("UN General Assembly votes (Voeten/unvotes layout): votes, roll calls, "
                   "roll-call issues or Voeten's joined votes, recognised by their columns")

    def sniff(self, path: Path, head: Head) -> bool:
        return _kind(head) is not None

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.sources.io import read_head

        kind = _kind(read_head(path))
        if kind is None:
            cols = sorted(header_columns(read_head(path)))
            raise IngestError(
                "not a UN votes file: expected the columns of votes (rcid, country, vote), roll calls "
                "(rcid, session, date ...), issues (rcid, short_name, issue) or Voeten's joined votes "
                f"(rcid, ccode, vote, date ...); found {', '.join(cols[:15])}",
                path=path, line=1)
        {"votes": _read_votes, "roll_calls": _read_roll_calls, "issues": _read_issues,
         "joined": read_joined}[kind](path, sink)


# -- votes --------------------------------------------------------------------

def _stage_votes(con, path: Path, sink: Sink) -> tuple[str, int]:
    """Stage the votes file as temp table ``_dw_unv`` with ``_line``; returns (table, lines
    rejected while staging: bad bytes or a wrong number of fields, handed to ``sink``)."""
    from dyadwatch.sources.delimited import stage_csv
    from dyadwatch.sources.io import inner_name, materialize, read_head, sql_file

    parquet = inner_name(path).endswith(".parquet")
    n_bad = 0
    with materialize(path) as plain:
        if parquet:
            con.execute("CREATE OR REPLACE TEMP TABLE _dw_unv_raw AS "
                        f"SELECT row_number() OVER () AS _line, * FROM read_parquet({sql_file(plain)})")
        else:  # explicit layout from the header (no sniffing): bad lines -> rejects with their line
            import csv

            names: list[str] = []
            for i, c in enumerate(next(csv.reader([read_head(path).lines[0]]))):
                c = c.strip().lower()
                names.append(c if c and c not in names else f"_extra_{i}")
            n_bad = stage_csv(con, plain, sink, "_dw_unv_raw", names)
    cols = [c for c, in con.execute("SELECT column_name FROM (DESCRIBE _dw_unv_raw)").fetchall() if c != "_line"]
    lower = {c.lower(): c for c in cols}
    require_columns(path, list(lower), VOTE_COLUMNS, "UN votes")
    code = f'"{lower["country_code"]}"' if "country_code" in lower else "NULL"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _dw_unv AS
        SELECT _line,
               CAST("{lower['rcid']}" AS VARCHAR) AS rcid_raw,
               TRY_CAST(TRY_CAST("{lower['rcid']}" AS DOUBLE) AS BIGINT) AS rcid,
               CAST("{lower['country']}" AS VARCHAR) AS country,
               NULLIF(trim(CAST({code} AS VARCHAR)), '') AS country_code,
               CAST("{lower['vote']}" AS VARCHAR) AS vote_raw
        FROM _dw_unv_raw""")
    con.execute("DROP TABLE _dw_unv_raw")
    return "_dw_unv", n_bad


def _read_votes(path: Path, sink: Sink) -> None:
    con = sink.con
    table, n_bad = _stage_votes(con, path, sink)
    n = con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    sink.count_read(n + n_bad)
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dw_unv2 AS SELECT *,
        CASE lower(trim(vote_raw)) WHEN 'yes' THEN 1 WHEN '1' THEN 1 WHEN 'abstain' THEN 2
             WHEN '2' THEN 2 WHEN 'no' THEN 3 WHEN '3' THEN 3 END::TINYINT AS vote_code
        FROM {table}""")
    # years of each delegation (from roll calls already stored), to resolve names in their time
    years = {}
    if con.execute("SELECT count(*) FROM un_roll_calls").fetchall()[0][0]:
        years = {(c, k): y for c, k, y in con.execute(
            "SELECT v.country, v.country_code, min(r.year) FROM _dw_unv2 v JOIN un_roll_calls r "
            "ON r.rcid = v.rcid GROUP BY ALL").fetchall()}
    to_iso3 = country_mapper("iso2")
    pairs = con.execute("SELECT DISTINCT country, country_code FROM _dw_unv2").fetchall()
    mapping = pa.table({
        "country": pa.array([p[0] for p in pairs], pa.string()),
        "country_code": pa.array([p[1] for p in pairs], pa.string()),
        "iso3": pa.array([to_iso3(p[1], p[0], years.get((p[0], p[1]))) for p in pairs], pa.string()),
    })
    con.register("_dw_unv_map", mapping)
    try:
        # _stored_as: the name under which another file's vote of this ISO3 on this roll call is stored
        # (Voeten's joined layout names states by COW code): a second vote of one state is a collision
        con.execute("""CREATE OR REPLACE TEMP TABLE _dw_unv3 AS SELECT v.*, m.iso3,
            row_number() OVER (PARTITION BY v.rcid, m.iso3 ORDER BY v._line) AS _dup,
            (SELECT min(s.country) FROM un_votes s WHERE s.rcid = v.rcid AND s.iso3 = m.iso3
               AND s.country IS DISTINCT FROM v.country) AS _stored_as
            FROM _dw_unv2 v LEFT JOIN _dw_unv_map m
              ON m.country IS NOT DISTINCT FROM v.country AND m.country_code IS NOT DISTINCT FROM v.country_code""")
    finally:
        con.unregister("_dw_unv_map")
    # each delegation's ISO3 and COW code per year, where the roll calls are already stored
    from dyadwatch.codebooks import countries

    keys = con.execute("""SELECT DISTINCT v.country, v.country_code, r.year, v.iso3
        FROM _dw_unv3 v JOIN un_roll_calls r ON r.rcid = v.rcid
        WHERE v.iso3 IS NOT NULL AND v.vote_code IS NOT NULL AND v._dup = 1 AND v._stored_as IS NULL
        ORDER BY ALL""").fetchall()
    if keys:
        sink.add("un_vote_countries", pa.table({
            "country": pa.array([k[0] for k in keys], pa.string()),
            "country_code": pa.array([k[1] for k in keys], pa.string()),
            "year": pa.array([k[2] for k in keys], pa.int32()),
            "iso3": pa.array([k[3] for k in keys], pa.string()),
            "cow": pa.array([_cow(countries, k[3], k[2]) for k in keys], pa.int16())}))
    def q(col: str) -> str:  # the value quoted as Python's repr() would, for the reason
        return f"coalesce(chr(39) || {col} || chr(39), 'None')"

    sink.reject_rows(f"""SELECT b._line,
        CASE WHEN b.rcid IS NULL THEN 'bad roll-call id: ' || {q('b.rcid_raw')} || ' is not a number'
             WHEN b.vote_code IS NULL THEN 'unknown vote value: ' || {q('b.vote_raw')}
                  || '; expected yes, abstain or no (or 1, 2, 3)'
             WHEN b.iso3 IS NULL THEN 'country not mappable: ' || {q('b.country')} || ' (code '
                  || coalesce(nullif(b.country_code, ''), 'empty')
                  || ') maps to no ISO3 code in the country tables (dyadwatch.codebooks.countries)'
             WHEN b._stored_as IS NOT NULL
               THEN 'ISO3 collision: ' || b.iso3 || ' already votes on roll call ' || b.rcid || ' as '
                  || {q('b._stored_as')} || ' in the store (another file); two delegations cannot share one code'
             ELSE 'ISO3 collision: ' || b.iso3 || ' already votes on roll call ' || b.rcid || ' as '
                  || coalesce({q('f.country')}, '?') || ' (line ' || coalesce(f._line::VARCHAR, 'None')
                  || '); two delegations cannot share one code' END,
        'rcid=' || coalesce(b.rcid_raw, 'None') || ', country=' || coalesce(b.country, 'None')
            || ', country_code=' || coalesce(b.country_code, 'None') || ', vote=' || coalesce(b.vote_raw, 'None')
        FROM _dw_unv3 b LEFT JOIN (SELECT rcid, iso3, country, _line FROM _dw_unv3 WHERE _dup = 1) f
          ON b._dup > 1 AND f.rcid = b.rcid AND f.iso3 = b.iso3
        WHERE b.rcid IS NULL OR b.vote_code IS NULL OR b.iso3 IS NULL OR b._dup > 1 OR b._stored_as IS NOT NULL
        ORDER BY b._line""")
    sink.add("un_votes",
             "SELECT rcid, country, country_code, iso3, "
             "CASE vote_code WHEN 1 THEN 'yes' WHEN 2 THEN 'abstain' ELSE 'no' END AS vote, vote_code, _line "
             "FROM _dw_unv3 WHERE rcid IS NOT NULL AND vote_code IS NOT NULL AND iso3 IS NOT NULL AND _dup = 1 "
             "AND _stored_as IS NULL")
    for t in ("_dw_unv", "_dw_unv2", "_dw_unv3"):
        con.execute(f"DROP TABLE IF EXISTS {t}")


def _cow(countries, iso3: str, year: int) -> int | None:
    try:
        return countries.iso3_to_cow(iso3, year)
    except (LookupError, ValueError):
        return None


# -- roll calls ---------------------------------------------------------------

def _parse_date(text: str) -> dt.date | None:
    s = (text or "").strip()
    if not s or s.upper() in ("NA", "NULL"):
        return None
    for fmt in ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%Y/%m/%d"):
        try:
            return dt.datetime.strptime(s[:10] if fmt == "%Y-%m-%d" else s, fmt).date()
        except ValueError:
            continue
    return None


def _read_roll_calls(path: Path, sink: Sink) -> None:
    cols: dict[str, list] = {c: [] for c in ("rcid", "session", "importantvote", "date", "year", "unres",
                                               "amend", "para", "short", "descr", "_line")}
    require_header(path, ROLL_CALL_COLUMNS, "UN roll-call")
    for line, row, raw in good_records(path, sink):
        try:
            rcid = to_int(row["rcid"])
            session = to_int(row.get("session"))
            flags = {k: to_int(row.get(k)) for k in ("importantvote", "amend", "para")}
            if any(v is not None and not -128 <= v <= 127 for v in flags.values()):  # stored as TINYINT
                raise ValueError(f"flag out of range: {flags}")
        except ValueError as exc:
            sink.reject(line, f"bad number in roll call ({exc})", raw)
            continue
        if rcid is None:
            sink.reject(line, "roll call without an id (rcid)", raw)
            continue
        date = _parse_date(row.get("date", ""))
        if date is None:
            what = "without a date" if not (row.get("date") or "").strip() else f"with an unreadable date {row['date']!r}"
            sink.reject(line, f"roll call without a date: roll call {rcid} {what}; its votes cannot be placed in a year", raw)
            continue
        for k, v in (("rcid", rcid), ("session", session), ("date", date), ("year", date.year),
                     ("unres", row.get("unres") or None), ("short", row.get("short") or None),
                     ("descr", row.get("descr") or None), ("_line", line), *flags.items()):
            cols[k].append(v)
    types = {"rcid": pa.int64(), "session": pa.int32(), "importantvote": pa.int8(), "date": pa.date32(),
             "year": pa.int32(), "amend": pa.int8(), "para": pa.int8(), "_line": pa.int64()}
    sink.add("un_roll_calls", pa.table({k: pa.array(v, types.get(k, pa.string())) for k, v in cols.items()}))


# -- issues -------------------------------------------------------------------

def _read_issues(path: Path, sink: Sink) -> None:
    cols: dict[str, list] = {"rcid": [], "short_name": [], "issue": [], "_line": []}
    require_header(path, ISSUE_COLUMNS, "UN roll-call issues")
    for line, row, raw in good_records(path, sink):
        try:
            rcid = to_int(row["rcid"])
        except ValueError as exc:
            sink.reject(line, f"bad roll-call id ({exc})", raw)
            continue
        code = (row.get("short_name") or "").strip().lower()
        if rcid is None or code not in UN_ISSUES:
            reason = ("issue row without a roll-call id" if rcid is None else
                      f"unknown issue code {code!r}; expected one of {', '.join(UN_ISSUES)}")
            sink.reject(line, reason, raw)
            continue
        cols["rcid"].append(rcid)
        cols["short_name"].append(code)
        cols["issue"].append((row.get("issue") or "").strip() or UN_ISSUES[code])
        cols["_line"].append(line)
    sink.add("un_roll_call_issues", pa.table({
        "rcid": pa.array(cols["rcid"], pa.int64()), "short_name": pa.array(cols["short_name"], pa.string()),
        "issue": pa.array(cols["issue"], pa.string()), "_line": pa.array(cols["_line"], pa.int64())}))


READER = formats.register(UNVotesReader())
