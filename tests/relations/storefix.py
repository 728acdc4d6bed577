"""Tiny dyadwatch stores built in code for the relations and report tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from dyadwatch.store import db as store_db
from dyadwatch.store.schema import EVENT_COLUMNS

QUAD_CODE = {1: ("040", 1.0), 2: ("061", 6.4), 3: ("111", -2.0), 4: ("190", -10.0)}


def insert_rows(con, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Insert many rows at once through a DataFrame (executemany is slow in DuckDB)."""
    df = pd.DataFrame(rows, columns=columns)
    con.register("_rows", df)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _rows")
    finally:
        con.unregister("_rows")


def make_store(path: Path, events=(), counts=()):
    """Create a store at ``path`` with event rows and dyad_counts rows.

    events: (event_id, date 'YYYY-MM-DD', src ISO3, tgt ISO3, quad_class[, goldstein, sentence, src_name, mentions])
    counts: (src ISO3, tgt ISO3, year, vc, mc, vk, mk)
    Returns an open DuckDB connection.
    """
    con = store_db.connect(Path(path))
    store_db.ensure_schema(con)
    rows = []
    for e in events:
        eid, date, src, tgt, qc = e[:5]
        code, gold = QUAD_CODE[qc]
        gold = e[5] if len(e) > 5 and e[5] is not None else gold
        sentence = e[6] if len(e) > 6 else None
        src_name = e[7] if len(e) > 7 else src
        mentions = e[8] if len(e) > 8 else 1
        rows.append((f"toy:{eid}", "toy", str(eid), dt.date.fromisoformat(date), src_name, src, src, None,
                     tgt, tgt, tgt, None, code, code[:2], qc, gold, None, None, None, None, None, mentions,
                     None, None, sentence))
    if rows:
        insert_rows(con, "events", [c for c, _ in EVENT_COLUMNS], rows)
    crow = [("icews_dyadyear", s, t, y, vc, mc, vk, mk, s, t) for s, t, y, vc, mc, vk, mk in counts]
    if crow:
        con.executemany("INSERT INTO dyad_counts (dataset, src_country, tgt_country, year, verbal_coop, "
                        "material_coop, verbal_conflict, material_conflict, src_name, tgt_name) "
                        "VALUES (" + ", ".join("?" * 10) + ")", crow)
    return con
