"""Tables of ``dyadwatch watch``: cycles, what was coded and ingested, sources' freshness, dyad states, alerts.

Every piece of a watch's state lives in the store, so a restart (or a
``kill -9`` mid-cycle) resumes from what is stored: nothing is lost and
nothing is ingested twice (docs/live.md).

``watch_cycles``
    one cycle of a watch: when it started and finished, its status
    (``running``; ``done``; ``failed`` with the reason; ``interrupted``: a
    later cycle found it still ``running``, i.e. the process died) and its
    summary (JSON: what was new).
``watch_coded``
    one collected document (``documents.doc_id``) the watch has coded, with
    the number of events the coder found and the ingest batch. A document
    in ``documents`` without a row here is coded by the next cycle (a
    re-coded document adds no event twice: events are keyed by their
    content-hash ``event_id``).
``watch_files``
    one data-set file (a GDELT 2.0 15-minute export, an ICEWS year …) the
    watch ingested: its URL, publisher MD5, time stamp (UTC) and batch.
``watch_sources``
    one source (feed or page URL, or data set name) and when it was last
    checked, last gave something new, and how that went: the freshness
    stamp the watchlist shows.
``watch_dyads``
    the last state computed for a watched dyad: the arrow against the
    previous period, its one-line rationale, the current verdict, the latest
    event, and the store state it was computed on.
``dyad_pages``
    the heavy parts of a watched dyad's page (:mod:`dyadwatch.serve.pages`):
    its default period, series, change points with their events, latest
    events, data sets, figures and the report's content, as JSON, each with
    the store's data state (:func:`dyadwatch.serve.pages.data_state`) it was
    computed on; the web app reads them with one indexed lookup per dyad.
``alerts``
    one alert: a break at the latest period, a week outside the dyad's own
    4-week and 52-week norms, or a verdict that changed; keyed by
    ``alert_id`` (a hash of dyad, kind, measure, period and band), so a
    cycle run again records nothing twice. ``evidence_from``/``evidence_to``
    are the days whose events the alert rests on (``/api/events?a=&b=&from=&to=``).
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

WATCH_CYCLES = register_table(TableSpec(
    name="watch_cycles",
    columns=(("cycle_id", "INTEGER"), ("started", "TIMESTAMP"), ("finished", "TIMESTAMP"), ("status", "VARCHAR"),
             ("reason", "VARCHAR"), ("summary", "VARCHAR"), ("pid", "INTEGER")),
    key=("cycle_id",),
    doc="one watch cycle: start, end, status (running|done|failed|interrupted), summary (JSON)",
    with_batch=False,
))

WATCH_CODED = register_table(TableSpec(
    name="watch_coded",
    columns=(("doc_id", "VARCHAR"), ("coded_at", "TIMESTAMP"), ("events", "INTEGER"), ("batch_id", "INTEGER"),
             ("cycle_id", "INTEGER")),
    key=("doc_id",),
    doc="a collected document the watch has coded: events found, ingest batch",
    with_batch=False,
))

WATCH_FILES = register_table(TableSpec(
    name="watch_files",
    columns=(("dataset", "VARCHAR"), ("url", "VARCHAR"), ("md5", "VARCHAR"), ("stamp", "TIMESTAMP"),
             ("batch_id", "INTEGER"), ("rows_stored", "BIGINT"), ("ingested_at", "TIMESTAMP"),
             ("cycle_id", "INTEGER")),
    key=("dataset", "url"),
    doc="a data-set file the watch ingested (URL, publisher MD5, UTC time stamp, batch)",
    with_batch=False,
))

WATCH_SOURCES = register_table(TableSpec(
    name="watch_sources",
    columns=(("source", "VARCHAR"), ("kind", "VARCHAR"), ("last_checked", "TIMESTAMP"), ("last_new", "TIMESTAMP"),
             ("last_status", "VARCHAR"), ("new_items", "BIGINT"), ("cycle_id", "INTEGER")),
    key=("source",),
    doc="a watched source (feed, page or data set): when last checked, last new, how it went",
    with_batch=False,
))

WATCH_DYADS = register_table(TableSpec(
    name="watch_dyads",
    columns=(("a", "VARCHAR"), ("b", "VARCHAR"), ("state", "VARCHAR"), ("verdict", "VARCHAR"),
             ("verdict_year", "INTEGER"), ("arrow", "VARCHAR"), ("updated", "TIMESTAMP"), ("cycle_id", "INTEGER")),
    key=("a", "b"),
    doc="the last computed state of a watched dyad (JSON in state: arrow, rationale, verdict, latest event)",
    with_batch=False,
))

DYAD_PAGES = register_table(TableSpec(
    name="dyad_pages",
    columns=(("a", "VARCHAR"), ("b", "VARCHAR"), ("part", "VARCHAR"), ("params", "VARCHAR"), ("state", "VARCHAR"),
             ("value", "VARCHAR"), ("computed", "TIMESTAMP"), ("seconds", "DOUBLE"), ("cycle_id", "INTEGER")),
    key=("a", "b", "part", "params"),
    doc="a precomputed part of a watched dyad's page (JSON), with the store data state it was computed on",
    with_batch=False,
))

ALERTS = register_table(TableSpec(
    name="alerts",
    columns=(("alert_id", "VARCHAR"), ("created", "TIMESTAMP"), ("cycle_id", "INTEGER"), ("a", "VARCHAR"),
             ("b", "VARCHAR"), ("kind", "VARCHAR"), ("measure", "VARCHAR"), ("period", "VARCHAR"),
             ("band", "VARCHAR"), ("value", "DOUBLE"), ("norm_4", "DOUBLE"), ("norm_52", "DOUBLE"),
             ("change_4", "DOUBLE"), ("change_52", "DOUBLE"), ("message", "VARCHAR"),
             ("evidence_from", "DATE"), ("evidence_to", "DATE")),
    key=("alert_id",),
    doc="one alert (break | volume | conflict_share | verdict) of a watched dyad, with the days of its evidence",
    with_batch=False,
))
