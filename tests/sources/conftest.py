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


def open_store(path):
    """A connection to a (new) store at ``path`` with the canonical schema."""
    c = connect(path)
    ensure_schema(c)
    return c


@pytest.fixture
def paths_taken(monkeypatch):
    """Records, per ingest, whether the gdelt reader took its fast path (True) or
    the exact, line-numbered one (False)."""
    from dyadwatch.sources import gdelt

    taken: list[bool] = []
    real = gdelt.GdeltReader._read_clean

    def spy(self, con, sink, plain):
        ok = real(self, con, sink, plain)
        taken.append(ok)
        return ok

    monkeypatch.setattr(gdelt.GdeltReader, "_read_clean", spy)
    return taken


def scalar(con, sql: str, params=None):
    """First column of the first row of ``sql``."""
    return con.execute(sql, params or []).fetchall()[0][0]


def rejects(con, batch_id: int) -> list[tuple]:
    """``(line, reason)`` of a batch's rejects, by line."""
    return con.execute("SELECT line, reason FROM rejects WHERE batch_id = ? ORDER BY line, reason",
                       [batch_id]).fetchall()
