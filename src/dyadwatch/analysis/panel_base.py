"""The rows of a dyad-year panel, written once in Ibis: pairs of states that co-existed in a year.

Unit: the dyad-year. From the state-system spells (``state_system``: one row
per membership spell with its first and last day; COW v2016 or
Gleditsch-Ward), a state is in the system in year ``y`` when one of its
spells covers a day of ``y``. A dyad-year ``(a, b, y)`` exists when ``a``
and ``b`` were both members **on a common day** of ``y``: states that never
co-existed get no row even when both were members at some point of the year
(COW 1990: the German Federal Republic (260, to 2 October) and Germany (255,
from 3 October); Yemen Arab Republic (678, to 21 May) and Yemen (679, from
22 May)). Directed panels hold both orders (``a != b``), non-directed ones
``a < b`` (peacesciencer's convention).

``mry`` (peacesciencer's "most recent year"): a spell that ends on the
list's last day (COW v2016: 2016-12-31; G-W 2017: 2017-12-31) means "still
a member when the list was made"; with ``mry`` such spells are carried to
the last requested year, without it the panel stops at the list's end.

Code maps (:func:`code_maps`) link the panel's codes to other key systems,
per year, from :mod:`dyadwatch.codebooks.countries`: ``iso3`` (for UN votes,
ideal points and events, which are keyed by ISO3) and the other state
system's code (COW-coded sources on a G-W panel and the reverse: the code
valid at the end of the year, so G-W 260 in 1990 reads COW 255).

Reference: Miller, Steven V. 2022. "peacesciencer: An R Package for
Quantitative Peace Science Research." *Conflict Management and Peace
Science* 39(6): 755-779 (``create_dyadyears``).
"""

from __future__ import annotations

import datetime as dt

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from dyadwatch.errors import UsageError

SYSTEMS = ("cow", "gw")
KEYS = {"cow": ("ccode1", "ccode2"), "gw": ("gwcode1", "gwcode2")}


def check_system(system: str) -> str:
    """Validate a state-system name (``cow`` or ``gw``); UsageError listing them."""
    s = (system or "").lower()
    if s not in SYSTEMS:
        raise UsageError(f"unknown state system {system!r}; choose cow (Correlates of War) or gw (Gleditsch-Ward)")
    return s


def list_span(con, system: str) -> tuple[int, int, dt.date]:
    """First year, last year and last day of the stored ``system`` list.

    Raises
    ------
    UsageError
        The store holds no list of that system.
    """
    row = con.execute("SELECT min(start_date), max(end_date) FROM state_system WHERE system = ?",
                      [system]).fetchall()[0]
    if row[0] is None:
        name = "COW state list (states2016.csv)" if system == "cow" else "Gleditsch-Ward list (iisystem.dat)"
        raise UsageError(f"the store holds no {name}",
                         hint=f"dyadwatch fetch {system}-states --mirror ../shared/data --ingest")
    return row[0].year, row[1].year, row[1]


def years_table(lo: int, hi: int) -> ir.Table:
    """One row per year ``lo..hi`` (an in-memory table; both engines read it)."""
    return ibis.memtable(pa.table({"year": pa.array(range(lo, hi + 1), pa.int32())}))


def member_spells(spells: ir.Table, system: str, lo: int, hi: int, *, list_end: dt.date,
                  mry: bool) -> ir.Table:
    """``code, year, d0, d1``: each spell's days inside each year ``lo..hi`` it touches (microstates left out)."""
    s = spells.filter([spells.system == system, spells.microstate.fill_null(False) == False])  # noqa: E712
    end = s.end_date
    if mry and hi > list_end.year:
        end = ibis.ifelse(s.end_date == ibis.literal(list_end), ibis.date(hi, 12, 31), s.end_date)
    s = s.select(code=s.code.cast("int32"), start=s.start_date, end=end)
    y = years_table(lo, hi)
    j = s.cross_join(y).filter([s.start.year() <= y.year, s.end.year() >= y.year])
    jan1 = ibis.date(j.year, 1, 1)
    dec31 = ibis.date(j.year, 12, 31)
    return j.select(code=j.code, year=j.year.cast("int32"),
                    d0=ibis.greatest(j.start, jan1), d1=ibis.least(j.end, dec31))


def dyad_years_expr(spells: ir.Table, system: str, lo: int, hi: int, *, list_end: dt.date, mry: bool = True,
                    directed: bool = True) -> ir.Table:
    """The panel's rows: ``<code1>, <code2>, year`` of states that co-existed on a day of the year.

    Returns an Ibis table with the key columns of :data:`KEYS` (int32) and
    ``year`` (int32), one row per dyad-year.
    """
    m = member_spells(spells, system, lo, hi, list_end=list_end, mry=mry)
    a = m.select(c1=m.code, year=m.year, a0=m.d0, a1=m.d1)
    b = m.select(c2=m.code, year2=m.year, b0=m.d0, b1=m.d1).view()
    pair = a.c1 != b.c2 if directed else a.c1 < b.c2
    j = a.join(b, [a.year == b.year2, pair, ibis.greatest(a.a0, b.b0) <= ibis.least(a.a1, b.b1)])
    k1, k2 = KEYS[system]
    return j.select(**{k1: j.c1, k2: j.c2, "year": j.year}).distinct()


def state_years_expr(spells: ir.Table, system: str, lo: int, hi: int, *, list_end: dt.date,
                     mry: bool = True) -> ir.Table:
    """``code, year``: the states in the system in each year (a day of membership)."""
    m = member_spells(spells, system, lo, hi, list_end=list_end, mry=mry)
    return m.select("code", "year").distinct()


def code_maps(codes: list[int], system: str, lo: int, hi: int) -> pa.Table:
    """Per (code, year): ``iso3`` and ``other`` (the code in the other state system), from the country codebook.

    Returns a pyarrow table ``code, year, iso3, other``; ``other`` is -1 (never
    a state code) where the other system has no state for that year: an
    in-memory table with NULLs in an integer column reached Spark as all
    NULL (pandas turns it into floats), so the tables carry no NULL integers.
    """
    from dyadwatch.codebooks import countries

    to_iso = countries.cow_to_iso3 if system == "cow" else countries.gw_to_iso3
    to_other = countries.iso3_to_gw if system == "cow" else countries.iso3_to_cow
    rows = {"code": [], "year": [], "iso3": [], "other": []}
    cache: dict[tuple[str, int], int | None] = {}
    for code in sorted(set(codes)):
        for year in range(lo, hi + 1):
            iso = to_iso(code, year, strict=False)
            if iso is None:
                continue
            key = (iso, year)
            if key not in cache:
                try:
                    cache[key] = to_other(iso, year)
                except UsageError:
                    cache[key] = None
            rows["code"].append(code)
            rows["year"].append(year)
            rows["iso3"].append(iso)
            rows["other"].append(-1 if cache[key] is None else cache[key])
    return pa.table({"code": pa.array(rows["code"], pa.int32()), "year": pa.array(rows["year"], pa.int32()),
                     "iso3": pa.array(rows["iso3"], pa.string()), "other": pa.array(rows["other"], pa.int32())})
