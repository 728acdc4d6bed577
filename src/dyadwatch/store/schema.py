"""Canonical tables of the dyadwatch store (DESIGN.md, "Canonical event row").

Every table the store holds is declared here or in a ``store/tables_*.py``
module as a :class:`TableSpec`: its columns with DuckDB types and the key that
makes a row unique. Readers (``sources/``) produce rows with exactly these
columns; the store merges them on the key, so a row already stored is never
stored twice.

Units and ranges of the event columns:

- ``event_date`` DATE (the day the event happened, not the report date);
- ``cameo_code`` CAMEO 1.1b3 code as a string with leading zeros (``"0231"``);
  ``cameo_root`` its two-digit root (``"01"``..``"20"``);
- ``quad_class`` 1 verbal cooperation, 2 material cooperation, 3 verbal
  conflict, 4 material conflict;
- ``goldstein`` in [-10, 10] (Goldstein 1992, as mapped to CAMEO);
- ``src_country``/``tgt_country``/``loc_country`` ISO 3166-1 alpha-3;
- ``lat``/``lon`` WGS84 degrees; ``mentions`` count of reports (>= 0).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class TableSpec:
    """A canonical table.

    Attributes
    ----------
    name : str
        Table name in the store.
    columns : tuple of (name, duckdb_type)
        Columns in order. ``batch_id`` is added by the store when
        ``with_batch`` is true.
    key : tuple of str
        Columns that identify a row; a row whose key is already stored is
        not stored again (re-ingest is a no-op).
    doc : str
        One line saying what a row is (its unit).
    """

    name: str
    columns: tuple[tuple[str, str], ...]
    key: tuple[str, ...]
    doc: str = ""
    with_batch: bool = True
    indexes: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        names = [c for c, _ in self.columns]
        return names + (["batch_id"] if self.with_batch else [])

    def ddl(self) -> str:
        cols = list(self.columns) + ([("batch_id", "INTEGER")] if self.with_batch else [])
        body = ",\n  ".join(f"{n} {t}" for n, t in cols)
        return f"CREATE TABLE IF NOT EXISTS {self.name} (\n  {body}\n)"


EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "VARCHAR"),
    ("dataset", "VARCHAR"),
    ("native_id", "VARCHAR"),
    ("event_date", "DATE"),
    ("src_name", "VARCHAR"),
    ("src_code", "VARCHAR"),
    ("src_country", "VARCHAR"),
    ("src_sector", "VARCHAR"),
    ("tgt_name", "VARCHAR"),
    ("tgt_code", "VARCHAR"),
    ("tgt_country", "VARCHAR"),
    ("tgt_sector", "VARCHAR"),
    ("cameo_code", "VARCHAR"),
    ("cameo_root", "VARCHAR"),
    ("quad_class", "TINYINT"),
    ("goldstein", "DOUBLE"),
    ("plover_type", "VARCHAR"),
    ("loc_country", "VARCHAR"),
    ("loc_name", "VARCHAR"),
    ("lat", "DOUBLE"),
    ("lon", "DOUBLE"),
    ("mentions", "INTEGER"),
    ("source_url", "VARCHAR"),
    ("doc_id", "VARCHAR"),
    ("sentence", "VARCHAR"),
)

EVENTS = TableSpec(
    name="events",
    columns=EVENT_COLUMNS,
    key=("event_id",),
    doc="one coded event: who (src) did what (cameo_code) to whom (tgt), when, where",
)

DYAD_COUNTS = TableSpec(
    name="dyad_counts",
    columns=(
        ("dataset", "VARCHAR"),
        ("src_country", "VARCHAR"),
        ("tgt_country", "VARCHAR"),
        ("year", "INTEGER"),
        ("verbal_coop", "BIGINT"),
        ("material_coop", "BIGINT"),
        ("verbal_conflict", "BIGINT"),
        ("material_conflict", "BIGINT"),
        ("src_name", "VARCHAR"),
        ("tgt_name", "VARCHAR"),
    ),
    key=("dataset", "src_country", "tgt_country", "year"),
    doc="pre-aggregated directed dyad-year event counts per QuadClass",
)

EVENT_EVIDENCE = TableSpec(
    name="event_evidence",
    columns=(
        ("event_id", "VARCHAR"),
        ("sentence_index", "INTEGER"),
        ("date_precision", "VARCHAR"),
        ("spans", "VARCHAR"),
        ("date_source", "VARCHAR"),
    ),
    key=("event_id",),
    doc="extra evidence for events coded from text: sentence index, date precision, char spans (JSON), "
        "date source (sentence|relative|document|citation)",
)

INGEST_BATCHES = TableSpec(
    name="ingest_batches",
    columns=(
        ("batch_id", "INTEGER"),
        ("source_path", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("format", "VARCHAR"),
        ("dataset", "VARCHAR"),
        ("target_tables", "VARCHAR"),
        ("rows_read", "BIGINT"),
        ("rows_stored", "BIGINT"),
        ("rows_rejected", "BIGINT"),
        ("rows_duplicate", "BIGINT"),
        ("started", "TIMESTAMP"),
        ("finished", "TIMESTAMP"),
    ),
    key=("batch_id",),
    doc="one ingest of one file: what was read, stored, rejected",
    with_batch=False,
)

REJECTS = TableSpec(
    name="rejects",
    columns=(
        ("batch_id", "INTEGER"),
        ("file", "VARCHAR"),
        ("line", "BIGINT"),
        ("reason", "VARCHAR"),
        ("raw", "VARCHAR"),
    ),
    key=(),
    doc="one input line that could not be stored, with the reason",
    with_batch=False,
)

#: name -> spec of every table the store creates. Other modules add theirs
#: with :func:`register_table` (built-ins register the same way a plug-in would).
TABLES: dict[str, TableSpec] = {}


def register_table(spec: TableSpec) -> TableSpec:
    """Register a canonical table so the store creates it.

    Raises
    ------
    ValueError
        If another spec with the same name but different columns is registered.
    """
    old = TABLES.get(spec.name)
    if old is not None and old != spec:
        raise ValueError(f"table {spec.name!r} is already registered with other columns")
    TABLES[spec.name] = spec
    return spec


for _spec in (EVENTS, DYAD_COUNTS, EVENT_EVIDENCE, INGEST_BATCHES, REJECTS):
    register_table(_spec)
