"""Tables behind the dyad-year panels: state systems, major powers, capabilities, IGO memberships.

Each keeps its publisher's identifiers (COW or Gleditsch-Ward codes) and
units; the panels (``analysis/panels*.py``) join on them. Readers:
``sources/state_system.py`` (``cow-states``, ``gw-states``, ``cow-majors``),
``sources/cow_nmc.py`` (``cow-nmc``), ``sources/cow_igo.py`` (``cow-igo``).
Provenance: the registry records of the same names (``acquire/datasets.yaml``).
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

STATE_SYSTEM = register_table(TableSpec(
    name="state_system",
    columns=(
        ("system", "VARCHAR"),         # 'cow' (Correlates of War) or 'gw' (Gleditsch-Ward)
        ("code", "SMALLINT"),          # ccode or gwcode
        ("stateabb", "VARCHAR"),       # three-letter abbreviation as in the list
        ("name", "VARCHAR"),
        ("start_date", "DATE"),        # first day of the membership spell
        ("end_date", "DATE"),          # last day of the spell (the list's last day: still a member)
        ("microstate", "BOOLEAN"),     # G-W microstates list (False for the main lists)
        ("version", "VARCHAR"),        # the list's version where the file gives it
    ),
    key=("system", "code", "start_date"),
    doc="one spell of one state's membership of the COW or Gleditsch-Ward state system",
))

COW_MAJORS = register_table(TableSpec(
    name="cow_majors",
    columns=(
        ("ccode", "SMALLINT"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
        ("version", "VARCHAR"),
    ),
    key=("ccode", "start_date"),
    doc="one spell of a COW major power",
))

COW_NMC = register_table(TableSpec(
    name="cow_nmc",
    columns=(
        ("ccode", "SMALLINT"),
        ("year", "SMALLINT"),
        ("milex", "DOUBLE"),           # military expenditure, thousands of current US dollars
        ("milper", "DOUBLE"),          # military personnel, thousands
        ("irst", "DOUBLE"),            # iron and steel production, thousands of tons
        ("pec", "DOUBLE"),             # primary energy consumption, thousands of coal-ton equivalents
        ("tpop", "DOUBLE"),            # total population, thousands
        ("upop", "DOUBLE"),            # urban population, thousands
        ("cinc", "DOUBLE"),            # Composite Index of National Capability, share of the system, [0, 1]
        ("version", "VARCHAR"),
    ),
    key=("ccode", "year"),
    doc="one state-year of COW National Material Capabilities (missing = NULL, the file's -9)",
))

COW_IGO_DYADS = register_table(TableSpec(
    name="cow_igo_dyads",
    columns=(
        ("ccode1", "SMALLINT"),        # the lower COW code
        ("ccode2", "SMALLINT"),        # the higher COW code
        ("year", "SMALLINT"),
        ("dyadigos", "SMALLINT"),      # IGOs in which both are full members that year
        ("n_igo_missing", "SMALLINT"), # IGOs coded -9 (missing) for the dyad that year (publisher layout; NULL otherwise)
    ),
    key=("ccode1", "ccode2", "year"),
    doc="one non-directed dyad-year of joint full IGO memberships (COW IGO v3, dyadic)",
))
