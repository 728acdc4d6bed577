"""Tables of the event data sets that followed ICEWS: POLECAT, ACLED and UCDP GED.

POLECAT and ACLED events go into the canonical ``events`` table (so that every
analysis counts them like ICEWS or GDELT events); what the canonical row has
no column for is kept, one row per event and under the same ``event_id``, in
``polecat_events`` and ``acled_events`` (readers ``sources/polecat.py`` and
``sources/acled.py``). UCDP GED events are conflict-coded, with deaths and
sides rather than an event code, and keep their own table ``ucdp_ged_events``
(reader ``sources/ucdp_ged.py``).

These two tables are their readers' primary tables (``events`` follows them,
under the same key): ``row_sha1`` digests every value the reader took from
the line, canonical and native, so that a later file giving an event other
values anywhere (ACLED revises fatalities and notes of published events) is
a conflict the store settles and records in ``rejects``
(``store/conflicts.py``), never a row silently counted as already stored.

Codes (publishers' codebooks):

- POLECAT (Halterman et al. 2023, "PLOVER and POLECAT"; POLECAT codebook on
  Harvard Dataverse doi:10.7910/DVN/LMFPIP): ``event_type`` a PLOVER type
  (AGREE ... ASSAULT, upper case), ``event_mode`` its PLOVER mode (``visit``,
  ``aerial`` ...), ``contexts`` PLOVER contexts separated by ``;``,
  ``intensity`` the event's intensity on the −10..10 scale, ``quad_code`` the
  publisher's quad category (``VERBAL COOPERATION`` ...); actor and recipient
  countries as published (ISO3 codes, several joined by ``;``) and COW codes.
- ACLED (ACLED Codebook, Armed Conflict Location & Event Data, 2023/2024
  editions): ``event_type`` (6) and ``sub_event_type`` (25) as published;
  ``inter1``/``inter2`` actor type codes 1 state forces, 2 rebel groups,
  3 political militias, 4 identity militias, 5 rioters, 6 protesters,
  7 civilians, 8 external/other forces (0 no second actor); ``interaction``
  the two codes joined, lower first (``13``); ``fatalities`` reported deaths
  (≥ 0); ``time_precision`` and ``geo_precision`` 1 (exact) to 3.
- UCDP GED (UCDP Georeferenced Event Dataset Codebook, versions 20.1-25.1;
  Sundberg & Melander 2013): ``type_of_violence`` 1 state-based, 2 non-state,
  3 one-sided; ``best``/``low``/``high`` death estimates (low ≤ best ≤ high);
  ``deaths_a``/``deaths_b``/``deaths_civilians``/``deaths_unknown`` the best
  estimate split by who died; ``where_prec`` 1 (exact place) to 7, ``date_prec``
  1 (exact day) to 5, ``event_clarity`` 1 (clear) or 2; ``gwnoa``/``gwnob``
  Gleditsch–Ward codes of the states on each side (NULL for non-state sides).
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

POLECAT_EVENTS = register_table(TableSpec(
    name="polecat_events",
    columns=(
        ("event_id", "VARCHAR"),            # 'polecat:' || Event ID (the key of events)
        ("event_type", "VARCHAR"),          # PLOVER type as published (upper case)
        ("event_mode", "VARCHAR"),          # PLOVER mode
        ("contexts", "VARCHAR"),            # PLOVER contexts, ';'-separated
        ("intensity", "DOUBLE"),            # -10..10
        ("quad_code", "VARCHAR"),           # publisher's quad category
        ("actor_country", "VARCHAR"),       # as published (ISO3 codes, ';'-separated)
        ("actor_cow", "VARCHAR"),           # COW codes as published
        ("actor_sectors", "VARCHAR"),       # PLOVER agent/sector codes, ';'-separated
        ("actor_title", "VARCHAR"),
        ("recipient_country", "VARCHAR"),
        ("recipient_cow", "VARCHAR"),
        ("recipient_sectors", "VARCHAR"),
        ("recipient_title", "VARCHAR"),
        ("story_id", "VARCHAR"),            # where the release has it
        ("sentence_id", "VARCHAR"),         # where the release has it
        ("publication_date", "DATE"),
        ("publisher", "VARCHAR"),           # column 'Source'
        ("language", "VARCHAR"),
        ("version", "VARCHAR"),
        ("row_sha1", "VARCHAR"),            # sha1 of every value read from the line (see below)
    ),
    key=("event_id",),
    doc="POLECAT attributes of one event of events (PLOVER type, mode, contexts, actor codes, story)",
))

ACLED_EVENTS = register_table(TableSpec(
    name="acled_events",
    columns=(
        ("event_id", "VARCHAR"),            # 'acled:' || event_id_cnty (the key of events)
        ("event_id_cnty", "VARCHAR"),
        ("year", "INTEGER"),
        ("time_precision", "TINYINT"),
        ("disorder_type", "VARCHAR"),
        ("event_type", "VARCHAR"),
        ("sub_event_type", "VARCHAR"),
        ("actor1", "VARCHAR"),
        ("assoc_actor_1", "VARCHAR"),
        ("inter1", "TINYINT"),
        ("actor2", "VARCHAR"),
        ("assoc_actor_2", "VARCHAR"),
        ("inter2", "TINYINT"),
        ("interaction", "SMALLINT"),
        ("civilian_targeting", "VARCHAR"),
        ("country", "VARCHAR"),
        ("admin1", "VARCHAR"),
        ("admin2", "VARCHAR"),
        ("location", "VARCHAR"),
        ("geo_precision", "TINYINT"),
        ("source", "VARCHAR"),
        ("source_scale", "VARCHAR"),
        ("fatalities", "INTEGER"),
        ("crosswalk", "VARCHAR"),           # how cameo_code was chosen (sources/acled.py CROSSWALK)
        ("row_sha1", "VARCHAR"),            # sha1 of every value read from the line (see below)
    ),
    key=("event_id",),
    doc="ACLED attributes of one event of events (native types, actors, interaction codes, fatalities)",
))

UCDP_GED_EVENTS = register_table(TableSpec(
    name="ucdp_ged_events",
    columns=(
        ("id", "BIGINT"),
        ("relid", "VARCHAR"),
        ("year", "INTEGER"),
        ("active_year", "BOOLEAN"),
        ("type_of_violence", "TINYINT"),
        ("conflict_new_id", "INTEGER"),
        ("conflict_name", "VARCHAR"),
        ("dyad_new_id", "INTEGER"),
        ("dyad_name", "VARCHAR"),
        ("side_a_new_id", "INTEGER"),
        ("side_a", "VARCHAR"),
        ("side_b_new_id", "INTEGER"),
        ("side_b", "VARCHAR"),
        ("gwnoa", "VARCHAR"),
        ("gwnob", "VARCHAR"),
        ("iso3_a", "VARCHAR"),              # ISO3 of gwnoa in the event's year (first code), else NULL
        ("iso3_b", "VARCHAR"),
        ("country", "VARCHAR"),
        ("country_id", "INTEGER"),          # GW code of the country where it happened
        ("loc_iso3", "VARCHAR"),
        ("region", "VARCHAR"),
        ("adm_1", "VARCHAR"),
        ("adm_2", "VARCHAR"),
        ("where_description", "VARCHAR"),
        ("where_prec", "TINYINT"),
        ("latitude", "DOUBLE"),
        ("longitude", "DOUBLE"),
        ("priogrid_gid", "INTEGER"),
        ("event_clarity", "TINYINT"),
        ("date_prec", "TINYINT"),
        ("date_start", "DATE"),
        ("date_end", "DATE"),
        ("deaths_a", "INTEGER"),
        ("deaths_b", "INTEGER"),
        ("deaths_civilians", "INTEGER"),
        ("deaths_unknown", "INTEGER"),
        ("best", "INTEGER"),
        ("low", "INTEGER"),
        ("high", "INTEGER"),
        ("number_of_sources", "INTEGER"),
    ),
    key=("id",),
    doc="one UCDP GED event: conflict, dyad, sides, place, dates and best/low/high deaths",
))
