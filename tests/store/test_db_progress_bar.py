"""Our DuckDB connections print no progress bar, and setting that changes nothing global."""

from __future__ import annotations

import duckdb

from dyadwatch.store.db import connect

Q = "SELECT current_setting('enable_progress_bar')"


def test_store_connection_has_no_progress_bar_and_leaks_nothing(tmp_path, monkeypatch):
    real = duckdb.connect

    def bar_on(*args, **kwargs):  # DuckDB's default in an interactive shell: bar on
        c = real(*args, **kwargs)
        c.execute("SET enable_progress_bar = true")
        return c

    monkeypatch.setattr("dyadwatch.store.db.duckdb.connect", bar_on)
    other = bar_on()  # a connection of someone else's, bar on
    before_fresh = real().execute(Q).fetchone()[0]
    con = connect(tmp_path / "s.duckdb")
    try:
        assert con.execute(Q).fetchone()[0] is False
        assert other.execute(Q).fetchone()[0] is True  # untouched
        assert real().execute(Q).fetchone()[0] is before_fresh  # process default unchanged
    finally:
        con.close()
    ro = connect(tmp_path / "s.duckdb", read_only=True)
    try:
        assert ro.execute(Q).fetchone()[0] is False
    finally:
        ro.close()
