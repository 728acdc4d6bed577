"""What a store holds: datasets, batches, rows, date ranges, rejects."""

from __future__ import annotations

from pathlib import Path


def store_status(con, path: Path | str) -> dict:
    """Summary of the store.

    Returns
    -------
    dict with ``path``, ``size_bytes``, ``tables`` (name -> row count),
    ``datasets`` (one dict per event dataset: dataset, events, first, last,
    src_country_resolved share in [0, 1]), ``dyad_counts`` (per dataset:
    rows, first_year, last_year), ``batches`` (one dict per ingest batch) and
    ``rejects`` (reason -> count, summed over batches).
    """
    tables = {
        r[0]: con.execute(f'SELECT count(*) FROM "{r[0]}"').fetchall()[0][0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' "
            "AND table_type = 'BASE TABLE' ORDER BY table_name").fetchall()
    }
    datasets = [
        dict(zip(("dataset", "events", "first", "last", "src_country_resolved", "tgt_country_resolved"), r))
        for r in con.execute(
            "SELECT dataset, count(*), min(event_date), max(event_date), "
            "avg((src_country IS NOT NULL)::INT), avg((tgt_country IS NOT NULL)::INT) "
            "FROM events GROUP BY dataset ORDER BY dataset").fetchall()
    ] if "events" in tables else []
    counts = [
        dict(zip(("dataset", "rows", "first_year", "last_year"), r))
        for r in con.execute(
            "SELECT dataset, count(*), min(year), max(year) FROM dyad_counts GROUP BY dataset "
            "ORDER BY dataset").fetchall()
    ] if "dyad_counts" in tables else []
    batches = [
        dict(zip(("batch_id", "source_path", "format", "dataset", "rows_read", "rows_stored",
                  "rows_rejected", "rows_duplicate", "finished"), r))
        for r in con.execute(
            "SELECT batch_id, source_path, format, dataset, rows_read, rows_stored, rows_rejected, "
            "rows_duplicate, finished FROM ingest_batches ORDER BY batch_id").fetchall()
    ] if "ingest_batches" in tables else []
    rejects = {r[0]: r[1] for r in con.execute(
        "SELECT regexp_replace(reason, ' \\(.*$', '') AS r, count(*) FROM rejects GROUP BY r ORDER BY 2 DESC"
    ).fetchall()} if "rejects" in tables else {}
    p = Path(path)
    return {
        "path": str(p), "size_bytes": p.stat().st_size if p.exists() else 0, "tables": tables,
        "datasets": datasets, "dyad_counts": counts, "batches": batches, "rejects": rejects,
    }
