"""Plausible ranges of stored values: the one definition every reader and the store use.

Numbers from outside are hostile (a dyad-year count of 9.2e18, a year 99999
or −5, an ICEWS date ``0025-02-11`` or ``2099-02-11``, a GDELT SQLDATE
``00250606``, a NaN count, a negative mention count): a row holding one is
rejected at ingest with the value and the range in its reason, never stored
(where it made ``dyad``, ``relation``, ``changes``, ``profile`` and
``report`` crash, or sums overflow). The ranges:

* **dates and years** of events and dyad-years: from :data:`EARLIEST_DATE`
  (1 January 1800: before the Correlates of War state system begins in 1816,
  and long before any event data set) to 31 December of the year after the
  current one (:func:`latest_date`: a file dated a few hours ahead of the
  clock is not refused);
* **counts** (events per dyad-year and QuadClass, GDELT mentions): whole
  numbers from 0 to :data:`MAX_COUNT` (10^9 — ICEWS holds about 2×10^7
  events in all, GDELT 1.0 about 4×10^8 — so that any sum of them fits a
  64-bit integer);
* **Goldstein** scores: finite, in [−10, 10] (Goldstein 1992);
* **QuadClass**: 1 to 4.

:data:`TABLE_CHECKS` applies them to the rows a reader hands the store
(``store.ingest``), as a last line for readers that do not check them
themselves; the built-in readers reject such rows with their raw line.
Not a pipeline stage (like :mod:`dyadwatch.errors`): readers, the store and
the analysis all import it.
"""

from __future__ import annotations

import datetime as dt

EARLIEST_DATE = dt.date(1800, 1, 1)
#: the largest count a row may hold (events in a dyad-year and QuadClass, mentions of an event)
MAX_COUNT = 10**9


def latest_date(today: dt.date | None = None) -> dt.date:
    """31 December of the year after ``today`` (default: the current date)."""
    today = today or dt.date.today()
    return dt.date(today.year + 1, 12, 31)


def year_bounds() -> tuple[int, int]:
    """``(1800, next year)``: the plausible years of a dyad-year or an event."""
    return EARLIEST_DATE.year, latest_date().year


def date_bad_sql(expr: str) -> str:
    """SQL true when the DATE ``expr`` lies outside the plausible range (NULL stays NULL)."""
    return f"({expr} NOT BETWEEN DATE '{EARLIEST_DATE}' AND DATE '{latest_date()}')"


def date_reason_sql(label: str, raw: str) -> str:
    """SQL text of the reason for a date outside the range; ``raw`` is SQL of the value as written."""
    return f"'implausible date: {label} ' || {raw} || ' outside {date_range_text()}'"


def date_range_text() -> str:
    """``1800-01-01..2027-12-31`` (the range, for reasons)."""
    return f"{EARLIEST_DATE}..{latest_date()}"


def _num(expr: str) -> str:
    return f"TRY_CAST({expr} AS DOUBLE)"


def year_bad_sql(expr: str) -> str:
    """SQL true when ``expr`` is not a whole year in the plausible range (also missing or not a number)."""
    lo, hi = year_bounds()
    d = _num(expr)
    return f"coalesce(NOT isfinite({d}) OR {d} <> round({d}) OR {d} NOT BETWEEN {lo} AND {hi}, true)"


def year_reason_sql(label: str, expr: str) -> str:
    """SQL text of the reason for a bad year ``expr`` (named ``label``)."""
    lo, hi = year_bounds()
    return (f"CASE WHEN {expr} IS NULL THEN 'missing {label}' ELSE 'implausible year: {label} ' || {_num_text(expr)} "
            f"|| ' outside {lo}..{hi}' END")


def count_bad_sql(expr: str) -> str:
    """SQL true when ``expr`` is not a whole count in 0..:data:`MAX_COUNT` (also missing or not a number)."""
    d = _num(expr)
    return f"coalesce(NOT isfinite({d}) OR {d} <> round({d}) OR {d} NOT BETWEEN 0 AND {MAX_COUNT}, true)"


def count_reason_sql(label: str, expr: str) -> str:
    """SQL text of the reason for a bad count ``expr`` (named ``label``)."""
    d = _num(expr)
    return (f"CASE WHEN {expr} IS NULL THEN 'missing count: {label}' "
            f"WHEN {d} IS NULL OR NOT isfinite({d}) THEN 'bad count: {label} ' || {_num_text(expr)} || ' is not a number' "
            f"WHEN {d} <> round({d}) THEN 'bad count: {label} ' || {_num_text(expr)} || ' is not a whole number' "
            f"WHEN {d} < 0 THEN 'bad count: {label} ' || {_num_text(expr)} || ' is negative' "
            f"ELSE 'implausible count: {label} ' || {_num_text(expr)} || ' outside 0..{MAX_COUNT:,}' END")


def _num_text(expr: str) -> str:
    """SQL text of a value as written: whole numbers in full, other numbers as DOUBLE
    (``inf``, ``nan``, ``2.5``), anything else quoted."""
    d = _num(expr)
    return (f"CASE WHEN {d} IS NOT NULL AND isfinite({d}) AND {d} = round({d}) AND abs({d}) < 1e30 "
            f"THEN {d}::HUGEINT::VARCHAR WHEN {d} IS NOT NULL THEN {d}::VARCHAR "
            f"ELSE coalesce(chr(39) || left({expr}::VARCHAR, 40) || chr(39), 'NULL') END")


def plausible_dyad_counts_sql() -> str:
    """SQL true for a ``dyad_counts`` row whose year and counts lie in the plausible ranges.

    Ingest rejects other rows; a store filled before it did may hold some (a
    count of 9.2e18, a year 99999). Queries over ``dyad_counts`` add this
    condition so that such rows are left out: sums cannot overflow and every
    period stays a date."""
    counts = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
    return "NOT (" + " OR ".join([year_bad_sql("year"), *(count_bad_sql(c) for c in counts)]) + ")"


def _checks() -> dict[str, list[tuple[str, str]]]:
    counts = ("verbal_coop", "material_coop", "verbal_conflict", "material_conflict")
    return {
        "events": [
            (date_bad_sql("event_date"), date_reason_sql("event_date", "event_date::VARCHAR")),
            ("(goldstein IS NOT NULL AND (NOT isfinite(goldstein) OR goldstein NOT BETWEEN -10 AND 10))",
             "'goldstein ' || goldstein::VARCHAR || ' not in [-10, 10]'"),
            ("(quad_class IS NOT NULL AND quad_class NOT BETWEEN 1 AND 4)",
             "'quad_class ' || quad_class::VARCHAR || ' not in 1..4'"),
            (f"(mentions IS NOT NULL AND {count_bad_sql('mentions')})", count_reason_sql("mentions", "mentions")),
        ],
        "dyad_counts": [
            (year_bad_sql("year"), year_reason_sql("year", "year")),
            *[(count_bad_sql(c), count_reason_sql(c, c)) for c in counts],
        ],
    }


def table_checks(table: str) -> list[tuple[str, str]]:
    """``[(SQL true for a bad row, SQL of its reason)]`` over the canonical columns of ``table``."""
    return _checks().get(table, [])


#: the tables :func:`table_checks` knows
TABLE_CHECKS = ("events", "dyad_counts")
