"""Tables of the rivalry and interstate-conflict data: Thompson–Dreyer rivalries, COW MIDs, COW wars.

Column names follow peacesciencer's vocabulary (Miller 2022, ``td_rivalries``,
``cow_mid_ddydisps``, ``cow_mid_disps``, ``cow_war_inter``) so that dyad-year
panels (``add_rivalries``, ``add_mids``, ``add_wars``) read them directly;
the publisher's own layouts (COW MIDA/MIDB 5.0, Inter-State War Data 4.0)
are mapped onto the same columns by the readers (``sources/td_rivalries.py``,
``sources/cow_mid.py``, ``sources/cow_war.py``).

Conventions, for every table here:

- states keep their COW code (``ccode``, ``ccode1``, ``ccode2``) next to the
  ISO 3166-1 alpha-3 key the analysis joins on, mapped *for the year* by
  :func:`dyadwatch.codebooks.countries.cow_to_iso3` (365 → ``RUS`` for the
  USSR and Russia, 260 → ``DEU``, 265 → ``DDR``, 678 → ``YEM``, 680 → ``YMD``);
  a row whose state no table maps in that year is rejected with the reason;
- COW's missing-value codes (−9 unknown, −8 not applicable) are stored as
  NULL: a number in a column is always a real value;
- directed dyad-year tables hold both orders of each dyad (as peacesciencer's);
- ``source_coverage`` holds, per table and ingested file, the first and last
  year the data set covers (its temporal domain), so that an analysis can
  tell "no dispute" (a covered year without a row) from silence (a year past
  the data set's end).

Codes (COW MID codebook v5.0, Palmer et al. 2022; COW war codebook v4.0,
Sarkees & Wayman 2010):

- ``hostlev`` hostility level: 1 no militarized action, 2 threat to use
  force, 3 display of force, 4 use of force, 5 war;
- ``fatality`` fatality band: 0 none, 1 1–25 deaths, 2 26–100, 3 101–250,
  4 251–500, 5 501–999, 6 > 999;
- ``hiact`` highest action 0–23 (0 no militarized action … 20 begin
  interstate war, 21 join interstate war; 22–23 as in the codebook);
- ``sidea`` 1 = on side A (the side that took the first militarized action);
- ``orig`` 1 = originator (involved on the first day), 0 = joiner;
- ``revstate`` 1 = revisionist (seeks to change the status quo), with
  ``revtype1/2`` 1 territory, 2 policy, 3 regime, 4 other;
- war ``outcome``: 1 winner, 2 loser, 3 compromise/tied, 4 transformed into
  another type of war, 5 ongoing at the end of the data, 6 stalemate,
  7 continues below war level, 8 changed sides; ``batdeath`` battle deaths;
- rivalry types (Thompson & Dreyer 2012): *spatial* (over territory),
  *positional* (over relative position/status in a region or the system),
  *ideological* (over political/economic systems), *interventionary* (over
  interference in the other's internal affairs).
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

TD_RIVALRIES = register_table(TableSpec(
    name="td_rivalries",
    columns=(
        ("rivalryno", "INTEGER"),       # Thompson–Dreyer rivalry number
        ("rivalryname", "VARCHAR"),     # e.g. 'India-Pakistan'
        ("ccode1", "INTEGER"),          # COW codes of the two rivals (ccode1 < ccode2 in the source)
        ("ccode2", "INTEGER"),
        ("iso3_1", "VARCHAR"),          # their ISO3 in the rivalry's last year (endyear, or the last
        ("iso3_2", "VARCHAR"),          #   year the code names a state); the analysis maps per year
        ("styear", "INTEGER"),          # first year of the rivalry
        ("endyear", "INTEGER"),         # last year (= coverage_end: ongoing at the end of coverage)
        ("region", "VARCHAR"),
        ("type1", "VARCHAR"),           # spatial / positional / ideological / interventionary
        ("type2", "VARCHAR"),
        ("type3", "VARCHAR"),
        ("coverage_end", "INTEGER"),    # the data set's last year (the file's latest endyear)
        ("ongoing", "BOOLEAN"),         # endyear = coverage_end: ongoing at the end of coverage
    ),
    key=("rivalryno",),
    doc="one Thompson–Dreyer strategic rivalry: the two rivals, first and last year, types",
))

COW_MID_DYAD_YEARS = register_table(TableSpec(
    name="cow_mid_dyad_years",
    columns=(
        ("dispnum", "INTEGER"),         # COW MID dispute number
        ("ccode1", "INTEGER"),          # focal state
        ("ccode2", "INTEGER"),          # other state (on the other side of the dispute)
        ("year", "INTEGER"),
        ("iso3_1", "VARCHAR"),
        ("iso3_2", "VARCHAR"),
        ("cowmidongoing", "TINYINT"),   # 1: the dispute is ongoing for the dyad this year
        ("cowmidonset", "TINYINT"),     # 1: the dispute (or the dyad's entry into it) began this year
        ("sidea1", "TINYINT"),          # 1: ccode1 on side A
        ("sidea2", "TINYINT"),
        ("revstate1", "TINYINT"),       # 1: ccode1 revisionist (NULL when the layout lacks it)
        ("revstate2", "TINYINT"),
        ("fatality1", "TINYINT"),       # fatality band of ccode1 in the dispute (0-6)
        ("fatality2", "TINYINT"),
        ("fatalpre1", "INTEGER"),       # precise fatalities of ccode1, when known
        ("fatalpre2", "INTEGER"),
        ("hiact1", "TINYINT"),          # highest action of ccode1 (0-23)
        ("hiact2", "TINYINT"),
        ("hostlev1", "TINYINT"),        # hostility level of ccode1 (1-5)
        ("hostlev2", "TINYINT"),
        ("orig1", "TINYINT"),           # 1: ccode1 an originator, 0 a joiner
        ("orig2", "TINYINT"),
        ("fatality", "TINYINT"),        # dispute-level fatality band
        ("hostlev", "TINYINT"),         # dispute-level hostility level (2-5)
        ("mindur", "INTEGER"),          # dispute duration bounds, days
        ("maxdur", "INTEGER"),
        ("recip", "TINYINT"),           # 1: reciprocated (both sides took militarized action)
        ("stmon", "TINYINT"),           # start month of the dispute
    ),
    key=("dispnum", "ccode1", "ccode2", "year"),
    doc="one directed dyad-year of a COW militarized interstate dispute (both orders present)",
))

COW_MID_DISPUTES = register_table(TableSpec(
    name="cow_mid_disputes",
    columns=(
        ("dispnum", "INTEGER"),
        ("stday", "TINYINT"), ("stmon", "TINYINT"), ("styear", "INTEGER"),
        ("endday", "TINYINT"), ("endmon", "TINYINT"), ("endyear", "INTEGER"),
        ("outcome", "TINYINT"),         # 1/2 victory A/B, 3/4 yield by A/B, 5 stalemate, 6 compromise,
                                        # 7 released, 8 unclear, 9 joins war
        ("settle", "TINYINT"),          # 1 negotiated, 2 imposed, 3 none, 4 unclear
        ("fatality", "TINYINT"),
        ("fatalpre", "INTEGER"),
        ("mindur", "INTEGER"), ("maxdur", "INTEGER"),
        ("hiact", "TINYINT"),
        ("hostlev", "TINYINT"),
        ("recip", "TINYINT"),
        ("numa", "SMALLINT"),           # states on side A / side B
        ("numb", "SMALLINT"),
        ("ongoing_end", "TINYINT"),     # 1: ongoing at the end of the data (MIDA's ongo2014)
        ("version", "VARCHAR"),
    ),
    key=("dispnum",),
    doc="one COW militarized interstate dispute (dispute level: dates, outcome, hostility, fatalities)",
))

COW_MID_PARTICIPANTS = register_table(TableSpec(
    name="cow_mid_participants",
    columns=(
        ("dispnum", "INTEGER"),
        ("ccode", "INTEGER"),
        ("iso3", "VARCHAR"),            # ISO3 in the participant's start year
        ("stabb", "VARCHAR"),           # COW state abbreviation
        ("stday", "TINYINT"), ("stmon", "TINYINT"), ("styear", "INTEGER"),
        ("endday", "TINYINT"), ("endmon", "TINYINT"), ("endyear", "INTEGER"),
        ("sidea", "TINYINT"),
        ("revstate", "TINYINT"),
        ("revtype1", "TINYINT"),
        ("revtype2", "TINYINT"),
        ("fatality", "TINYINT"),
        ("fatalpre", "INTEGER"),
        ("hiact", "TINYINT"),
        ("hostlev", "TINYINT"),
        ("orig", "TINYINT"),
        ("version", "VARCHAR"),
    ),
    key=("dispnum", "ccode", "styear", "stmon", "stday"),
    doc="one state's participation spell in a COW MID (MIDB: side, revisionism, actions, fatalities)",
))

COW_WAR_DYAD_YEARS = register_table(TableSpec(
    name="cow_war_dyad_years",
    columns=(
        ("warnum", "INTEGER"),          # COW war number
        ("ccode1", "INTEGER"),
        ("ccode2", "INTEGER"),          # always on the other side of the war
        ("year", "INTEGER"),
        ("iso3_1", "VARCHAR"),
        ("iso3_2", "VARCHAR"),
        ("cowinterongoing", "TINYINT"),  # 1 (a war-year)
        ("cowinteronset", "TINYINT"),    # 1: the war (or a resumed episode) began this year
        ("sidea1", "TINYINT"),           # side of ccode1 in the war: 1 or 2
        ("sidea2", "TINYINT"),
        ("initiator1", "TINYINT"),       # 1: ccode1 initiated the war
        ("initiator2", "TINYINT"),
        ("outcome1", "TINYINT"),         # war outcome for ccode1 (1-8, module docstring)
        ("outcome2", "TINYINT"),
        ("batdeath1", "INTEGER"),        # battle deaths of ccode1 in the war
        ("batdeath2", "INTEGER"),
        ("resume", "TINYINT"),           # 1: a resumed episode of the war (a second row for the year)
    ),
    key=("warnum", "ccode1", "ccode2", "year", "resume"),
    doc="one directed dyad-year (episode) of a COW inter-state war, the states on opposite sides (both orders)",
))

COW_WAR_PARTICIPANTS = register_table(TableSpec(
    name="cow_war_participants",
    columns=(
        ("warnum", "INTEGER"),
        ("warname", "VARCHAR"),
        ("wartype", "TINYINT"),          # 1 inter-state war
        ("ccode", "INTEGER"),
        ("iso3", "VARCHAR"),             # ISO3 in the participant's start year
        ("statename", "VARCHAR"),
        ("side", "TINYINT"),             # 1 or 2
        ("startyear1", "INTEGER"), ("startmonth1", "TINYINT"), ("startday1", "TINYINT"),
        ("endyear1", "INTEGER"), ("endmonth1", "TINYINT"), ("endday1", "TINYINT"),
        ("startyear2", "INTEGER"), ("startmonth2", "TINYINT"), ("startday2", "TINYINT"),  # a second spell
        ("endyear2", "INTEGER"), ("endmonth2", "TINYINT"), ("endday2", "TINYINT"),
        ("initiator", "TINYINT"),
        ("outcome", "TINYINT"),
        ("batdeath", "INTEGER"),
        ("wherefought", "TINYINT"),      # region code of the fighting
        ("transfrom", "SMALLINT"),       # war number this one transformed from
        ("transto", "SMALLINT"),
        ("version", "VARCHAR"),
    ),
    key=("warnum", "ccode", "side"),
    doc="one state's participation in a COW inter-state war (side, dates, outcome, battle deaths)",
))

SOURCE_COVERAGE = register_table(TableSpec(
    name="source_coverage",
    columns=(
        ("table_name", "VARCHAR"),       # the table the rows went to (td_rivalries, cow_mid_dyad_years …)
        ("dataset", "VARCHAR"),
        ("first_year", "INTEGER"),       # the data set's temporal domain
        ("last_year", "INTEGER"),
        ("basis", "VARCHAR"),            # how the domain was found (file's years, codebook's domain)
    ),
    key=("table_name", "first_year", "last_year"),
    doc="the years one ingested file of a conflict data set covers (rows absent within them mean 'none')",
))
