"""Tables of the alignment data: UN votes, ATOP, UCDP/PRIO ACD, UNSC vetoes.

Each table keeps the native identifiers of its source (roll-call id, COW and
Gleditsch-Ward codes, draft symbols) next to the ISO 3166-1 alpha-3 code the
analysis joins on. The Soviet Union and the Russian Federation share ``RUS``
(COW and GW code 365 for both: the Russian Federation is the continuator
state), so series run through 1991 without a break.

Readers (``sources/unvotes.py``, ``atop.py``, ``ucdp.py``, ``unsc_vetoes.py``)
fill them; rows whose country no code table can map are rejected at ingest
with the reason (``rejects`` table), never stored with a guessed code.

Provenance: the record of each data set (publisher, landing URL, version,
licence, citation) is the dataset registry's (``acquire/datasets.yaml``,
names ``unvotes``, ``atop``, ``ucdp-acd``, ``unsc-vetoes`` = the readers'
format names); the sha256 of every file ingested is in
``ingest_batches.sha256`` (``format`` = reader name), and files fetched with
``dyadwatch fetch`` also get a ``dataset_provenance`` row
(``store/tables_documents.py``). ``dyadwatch cite`` joins the three.
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

#: UN General Assembly vote codes used by the measures (Voeten's coding):
#: yes = 1, abstain = 2, no = 3; absences and non-membership are not rows.
VOTE_CODES = {"yes": 1, "abstain": 2, "no": 3}

UN_VOTES = register_table(TableSpec(
    name="un_votes",
    columns=(
        ("rcid", "BIGINT"),            # roll-call id (joins un_roll_calls)
        ("country", "VARCHAR"),        # member-state name as in the source
        ("country_code", "VARCHAR"),   # ISO 3166-1 alpha-2 as in the source (may be NULL)
        ("iso3", "VARCHAR"),           # ISO 3166-1 alpha-3 (USSR and Russia: RUS)
        ("vote", "VARCHAR"),           # yes / abstain / no
        ("vote_code", "TINYINT"),      # 1 yes, 2 abstain, 3 no
    ),
    key=("rcid", "country"),
    doc="one state's recorded vote (yes/abstain/no) on one UN General Assembly roll call",
))

UN_VOTE_COUNTRIES = register_table(TableSpec(
    name="un_vote_countries",
    columns=(
        ("country", "VARCHAR"),        # delegation name as in the votes file
        ("country_code", "VARCHAR"),   # its alpha-2 code as in the file (may be NULL)
        ("year", "INTEGER"),
        ("iso3", "VARCHAR"),
        ("cow", "SMALLINT"),           # COW state code that year (NULL: not a COW state that year)
    ),
    key=("country", "year"),
    doc="how one UN delegation maps to ISO3 and COW codes in one year it voted (from stored roll calls)",
))

UN_ROLL_CALLS = register_table(TableSpec(
    name="un_roll_calls",
    columns=(
        ("rcid", "BIGINT"),
        ("session", "INTEGER"),        # UNGA session (1 = 1946)
        ("importantvote", "TINYINT"),  # 1 = US State Department 'important vote'; NULL = not tracked
        ("date", "DATE"),
        ("year", "INTEGER"),           # calendar year of date
        ("unres", "VARCHAR"),          # resolution symbol (R/1/66, A/RES/...)
        ("amend", "TINYINT"),          # 1 = vote on an amendment
        ("para", "TINYINT"),           # 1 = vote on a paragraph
        ("short", "VARCHAR"),          # short title
        ("descr", "VARCHAR"),          # long description
    ),
    key=("rcid",),
    doc="one UN General Assembly roll call: when, which session, what was voted on",
))

UN_ROLL_CALL_ISSUES = register_table(TableSpec(
    name="un_roll_call_issues",
    columns=(
        ("rcid", "BIGINT"),
        ("short_name", "VARCHAR"),     # me, nu, di, hr, co, ec
        ("issue", "VARCHAR"),
    ),
    key=("rcid", "short_name"),
    doc="one issue code of a roll call (a roll call may carry several)",
))

#: the six issue codes of Voeten's UNGA data (short_name -> issue)
UN_ISSUES = {
    "me": "Palestinian conflict",
    "nu": "Nuclear weapons and nuclear material",
    "di": "Arms control and disarmament",
    "hr": "Human rights",
    "co": "Colonialism",
    "ec": "Economic development",
}

ATOP_ALLIANCES = register_table(TableSpec(
    name="atop_alliances",
    columns=(
        ("ccode1", "INTEGER"),         # COW code of state 1
        ("ccode2", "INTEGER"),         # COW code of state 2
        ("year", "INTEGER"),
        ("iso3_1", "VARCHAR"),
        ("iso3_2", "VARCHAR"),
        ("atop_defense", "TINYINT"),   # 1 = share an alliance with a defence obligation
        ("atop_offense", "TINYINT"),   # offence obligation
        ("atop_neutral", "TINYINT"),   # neutrality obligation
        ("atop_nonagg", "TINYINT"),    # non-aggression obligation
        ("atop_consul", "TINYINT"),    # consultation obligation
    ),
    key=("ccode1", "ccode2", "year"),
    doc="one directed dyad-year of ATOP alliance obligations in force (both orders present)",
))

UCDP_CONFLICTS = register_table(TableSpec(
    name="ucdp_conflicts",
    columns=(
        ("conflict_id", "INTEGER"),
        ("year", "INTEGER"),
        ("incompatibility", "VARCHAR"),   # territory / government / both
        ("intensity_level", "TINYINT"),   # 1 = 25-999 battle deaths, 2 = 1,000+
        ("type_of_conflict", "VARCHAR"),  # extrasystemic / interstate / intrastate / II
        ("start_date", "DATE"),
        ("start_date2", "DATE"),
        ("ep_end", "TINYINT"),
        ("ep_end_date", "DATE"),
    ),
    key=("conflict_id", "year"),
    doc="one UCDP/PRIO armed-conflict year",
))

UCDP_CONFLICT_PARTIES = register_table(TableSpec(
    name="ucdp_conflict_parties",
    columns=(
        ("conflict_id", "INTEGER"),
        ("year", "INTEGER"),
        ("side", "VARCHAR"),           # 'A' (a government) or 'B'
        ("role", "VARCHAR"),           # 'primary' (gwno_a/gwno_b) or 'secondary' (gwno_a_2nd/gwno_b_2nd)
        ("gwno", "INTEGER"),           # Gleditsch-Ward code
        ("iso3", "VARCHAR"),
    ),
    key=("conflict_id", "year", "side", "role", "gwno"),
    doc="one state taking part in a UCDP conflict-year, on side A or B, as primary or secondary party",
))

UNSC_VETOES = register_table(TableSpec(
    name="unsc_vetoes",
    columns=(
        ("draft", "VARCHAR"),            # draft resolution symbol (early years: meeting record)
        ("agenda_item", "VARCHAR"),
        ("meeting_record", "VARCHAR"),   # S/PV.nnnn (2020: letters, written procedure)
        ("date", "DATE"),
        ("year", "INTEGER"),
        ("crisis_topic", "VARCHAR"),
        ("region", "VARCHAR"),
        ("members", "VARCHAR[]"),        # vetoing members as named in member_veto1..3
        ("members_iso3", "VARCHAR[]"),   # their ISO3 (USSR -> RUS; China before 25 Oct 1971 -> TWN)
        ("n_members", "TINYINT"),
        ("flags_disagree", "BOOLEAN"),   # the source's 0/1 member flags miss a named vetoer
    ),
    key=("draft", "agenda_item"),
    doc="one draft resolution vetoed in the UN Security Council, with the vetoing permanent members",
))
