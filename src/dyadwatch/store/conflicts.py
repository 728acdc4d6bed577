"""Repeated keys: which row is stored, decided by content, never by file order.

A key (``events.event_id``, the dyad-year of ``dyad_counts`` ...) may come
twice: twice in one file, or in a file and in the store. ICEWS, for one,
repeats an ``Event ID`` with another date across and within its yearly
files. Two rows with the same key are

* **identical** (every column equal): an exact re-delivery. In one file the
  later line is rejected as ``duplicate key in file (...); identical to line
  N``; against the store it is counted as *already stored*, silently.
* **conflicting** (some column differs): the row that sorts first by its
  columns in table order, NULLs last (:func:`order_sql`; for ``events`` this
  is the earliest ``event_date``) is kept, whichever file or line came
  first, and the other is a row of ``rejects`` naming both values of every
  column that differs. Against the store this means that a new row that
  sorts first *replaces* the stored one: the stored row is deleted (with the
  rows of follower tables under the same key, e.g. its ``event_evidence``),
  a reject row is written under the batch it came from (its file, line
  unknown), and that batch's ``rows_stored``/``rows_rejected`` are updated.

So ingesting A then B stores the same rows as B then A, and the conflict is
reported either way (``tests/reliability/test_reliability_conflicts.py``).
All of it runs in SQL: no row passes through Python.
"""

from __future__ import annotations

from typing import Callable

from dyadwatch.store.schema import TableSpec

#: characters of each differing value quoted in a conflict's reason
VALUE_CHARS = 80


def _values(spec: TableSpec) -> list[str]:
    return [c for c, _ in spec.columns if c not in spec.key]


def order_sql(spec: TableSpec, alias: str = "") -> str:
    """The ORDER BY list of the content order: every column in table order, ascending, NULLs last."""
    a = f"{alias}." if alias else ""
    return ", ".join(f"{a}{c} ASC NULLS LAST" for c, _ in spec.columns)


def _first_sql(spec: TableSpec, a: str, b: str) -> str:
    """SQL true when row ``a`` sorts before row ``b`` in :func:`order_sql` (the rows differ)."""
    parts = [f"WHEN {a}.{c} IS DISTINCT FROM {b}.{c} THEN ({b}.{c} IS NULL OR ({a}.{c} IS NOT NULL AND "
             f"{a}.{c} < {b}.{c}))" for c, _ in spec.columns]
    return "CASE " + " ".join(parts) + " ELSE false END"


def _same_sql(spec: TableSpec, a: str, b: str) -> str:
    vals = _values(spec)
    return " AND ".join(f"{a}.{c} IS NOT DISTINCT FROM {b}.{c}" for c in vals) if vals else "true"


def _key_match_sql(spec: TableSpec, a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} IS NOT DISTINCT FROM {b}.{k}" for k in spec.key)


def _text(expr: str) -> str:
    return f"coalesce(left({expr}::VARCHAR, {VALUE_CHARS}), 'NULL')"


def _key_text_sql(spec: TableSpec, a: str) -> str:
    return " || ', ' || ".join(f"'{k}=' || {_text(f'{a}.{k}')}" for k in spec.key)


def _diff_sql(spec: TableSpec, a: str, b: str, a_label: str, b_label: str) -> str:
    """SQL text ``col x here, y kept; ...`` of the columns in which rows ``a`` and ``b`` differ."""
    parts = [f"CASE WHEN {a}.{c} IS DISTINCT FROM {b}.{c} THEN '{c} ' || {_text(f'{a}.{c}')} || ' {a_label}, ' "
             f"|| {_text(f'{b}.{c}')} || ' {b_label}' END" for c in _values(spec)]
    return "concat_ws('; ', " + ", ".join(parts) + ")" if parts else "''"


def resolve_in_file(con, stage: str, spec: TableSpec, reject_rows: Callable[[str], int] | None,
                    line_col: str = "_line") -> int:
    """Keep one row per key of the staged rows ``stage``; the others are rejected
    through ``reject_rows`` (None: dropped silently, for follower tables) and
    deleted. Returns the number of rows removed."""
    if not spec.key:
        return 0
    key = ", ".join(spec.key)
    if not con.execute(f"SELECT 1 FROM {stage} GROUP BY {key} HAVING count(*) > 1 LIMIT 1").fetchall():
        return 0  # (a cheap parallel check first; the ordered window runs only when a key repeats)
    ranked = (f"SELECT rowid AS _rid, *, row_number() OVER (PARTITION BY {key} ORDER BY {order_sql(spec)}, "
              f"{line_col} NULLS LAST, rowid) AS _rn FROM {stage}")
    diff = _diff_sql(spec, "s", "w", "here", "kept")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dw_dups AS
        SELECT s._rid, s.{line_col} AS _line, w.{line_col} AS _kept_line, {_key_text_sql(spec, 's')} AS _key,
               {diff} AS _diff
        FROM ({ranked}) s JOIN ({ranked}) w ON {_key_match_sql(spec, 's', 'w')} AND w._rn = 1
        WHERE s._rn > 1""")
    try:
        if reject_rows is not None:
            reject_rows(
                "SELECT _line, CASE WHEN _diff = '' THEN 'duplicate key in file (' || _key || '); identical to line '"
                " || coalesce(_kept_line::VARCHAR, '?') || ', first occurrence kept' ELSE "
                "'conflicting duplicate key in file (' || _key || '): line ' || coalesce(_kept_line::VARCHAR, '?') "
                "|| ' kept (of rows that differ, the one that sorts first by its columns is kept, whatever the "
                "order of the lines); this line differs: ' || _diff END, NULL FROM _dw_dups ORDER BY _line")
        return con.execute(f"DELETE FROM {stage} WHERE rowid IN (SELECT _rid FROM _dw_dups)").fetchall()[0][0]
    finally:
        con.execute("DROP TABLE IF EXISTS _dw_dups")


def resolve_against_store(con, stage: str, table: str, spec: TableSpec, *, batch_id: int, path: str,
                          reject_rows: Callable[[str], int], followers: list[str] = (),
                          line_col: str = "_line") -> tuple[int, int]:
    """Settle staged rows whose key is stored with other values (see the module docstring).

    Staged rows that lose are rejected through ``reject_rows`` and deleted from
    ``stage``; stored rows that lose are deleted from ``table`` and from each
    follower table (same key columns), recorded in ``rejects`` under their own
    batch, and their batches' counts updated. Returns ``(staged rows rejected,
    stored rows replaced)``.
    """
    if not spec.key or not con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchall():
        return 0, 0
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _dw_conf AS
        SELECT s.rowid AS _rid, s.{line_col} AS _line, t.rowid AS _trid, t.batch_id AS _tbatch,
               {_key_text_sql(spec, 's')} AS _key, {_first_sql(spec, 's', 't')} AS _new_first,
               {_diff_sql(spec, 's', 't', 'here', 'stored')} AS _diff
        FROM {stage} s JOIN {table} t ON {_key_match_sql(spec, 's', 't')}
        WHERE NOT ({_same_sql(spec, 's', 't')})""")
    try:
        n_old, n_new = con.execute("SELECT count(*) FILTER (NOT _new_first), count(*) FILTER (_new_first) "
                                   "FROM _dw_conf").fetchall()[0]
        if n_old:  # the stored row sorts first: this line is rejected
            reject_rows(
                "SELECT c._line, 'conflicting duplicate of a stored row (' || c._key || ', batch ' || c._tbatch "
                "|| coalesce(' from ' || b.source_path, '') || '): the stored row is kept (of rows that differ, the "
                "one that sorts first by its columns is kept, whatever the order of the files); this line differs: '"
                " || c._diff, NULL FROM _dw_conf c LEFT JOIN ingest_batches b ON b.batch_id = c._tbatch "
                "WHERE NOT c._new_first ORDER BY c._line")
            con.execute(f"DELETE FROM {stage} WHERE rowid IN (SELECT _rid FROM _dw_conf WHERE NOT _new_first)")
        if n_new:  # this line sorts first: it replaces the stored row, which becomes a reject of its own batch
            con.execute(
                "INSERT INTO rejects (batch_id, file, line, reason, raw) SELECT c._tbatch, b.source_path, NULL, 'conflicting duplicate key (' || c._key "
                f"|| '): replaced by line ' || coalesce(c._line::VARCHAR, '?') || ' of ' || {_sql_text(path)} || "
                f"' (batch {int(batch_id)}), which sorts first by its columns; that line differs: ' || c._diff, NULL "
                "FROM _dw_conf c LEFT JOIN ingest_batches b ON b.batch_id = c._tbatch WHERE c._new_first")
            con.execute("UPDATE ingest_batches SET rows_stored = rows_stored - n.k, rows_rejected = rows_rejected + n.k "
                        "FROM (SELECT _tbatch, count(*) AS k FROM _dw_conf WHERE _new_first GROUP BY _tbatch) n "
                        "WHERE ingest_batches.batch_id = n._tbatch")
            keys = ", ".join(spec.key)
            con.execute(f"CREATE OR REPLACE TEMP TABLE _dw_conf_keys AS SELECT t.{keys.replace(', ', ', t.')} "
                        f"FROM {table} t WHERE t.rowid IN (SELECT _trid FROM _dw_conf WHERE _new_first)")
            for follower in [table, *followers]:
                con.execute(f"DELETE FROM {follower} f WHERE EXISTS (SELECT 1 FROM _dw_conf_keys k WHERE "
                            f"{_key_match_sql(spec, 'f', 'k')})")
            con.execute("DROP TABLE _dw_conf_keys")
        return n_old, n_new
    finally:
        con.execute("DROP TABLE IF EXISTS _dw_conf")


def direct_conflict(con, table: str, spec: TableSpec, query: str, columns: list[str], batch_id: int) -> bool:
    """Whether any row of ``query`` (rows just inserted by the direct path, keys unique, with
    ``columns``; the table's other columns are NULL) has a key stored by another batch with
    other values."""
    if not spec.key:
        return False
    same = " AND ".join(f"{'s.' + c if c in columns else 'NULL'} IS NOT DISTINCT FROM t.{c}"
                        for c in _values(spec)) or "true"
    return bool(con.execute(
        f"SELECT 1 FROM ({query}) s JOIN {table} t ON {_key_match_sql(spec, 's', 't')} "
        f"WHERE t.batch_id IS DISTINCT FROM {int(batch_id)} AND NOT ({same}) LIMIT 1").fetchall())


def _sql_text(text: str) -> str:
    return "'" + str(text).replace("'", "''") + "'"
