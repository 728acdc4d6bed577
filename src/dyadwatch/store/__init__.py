"""Store: one DuckDB file with the canonical tables (see ``schema.py``)."""
