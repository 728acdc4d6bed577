"""Fixtures for the event source reader tests: a fresh store per test."""

from __future__ import annotations

import pytest

from dyadwatch.store.db import connect, ensure_schema


@pytest.fixture
def con(db_path):
    """A DuckDB connection to a fresh store with the canonical schema."""
    c = connect(db_path)
    ensure_schema(c)
    yield c
    c.close()


def scalar(con, sql: str, params=None):
    """First column of the first row of ``sql``."""
    return con.execute(sql, params or []).fetchall()[0][0]


def rejects(con, batch_id: int) -> list[tuple]:
    """``(line, reason)`` of a batch's rejects, by line."""
    return con.execute("SELECT line, reason FROM rejects WHERE batch_id = ? ORDER BY line, reason",
                       [batch_id]).fetchall()
