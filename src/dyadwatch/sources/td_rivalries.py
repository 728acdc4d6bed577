"""Reader ``td-rivalries``: Thompson–Dreyer strategic rivalries, 1494–2010.

Thompson, William R. and David R. Dreyer. 2012. *Handbook of International
Rivalries, 1494–2010*. Washington, DC: CQ Press. A strategic rivalry is a
pair of states that regard each other as competitors, as a source of actual
or latent threats that pose some possibility of becoming militarised, and as
enemies (Thompson 2001, "Identifying Rivals and Rivalries in World Politics",
*International Studies Quarterly* 45(4): 557–586) — identified from the
perceptions of decision-makers in the diplomatic-historical record, not from
counts of disputes. Types: spatial, positional, ideological, interventionary.

Layout (the machine-readable copy of the Handbook's list, peacesciencer's
``td_rivalries``; the authors publish the list in the book):

``rivalryno, rivalryname, ccode1, ccode2, styear, endyear, region, type1, type2, type3``

(``rivalryno``, ``ccode1``, ``ccode2``, ``styear``, ``endyear`` required; the
others may be absent.) One row per rivalry → table ``td_rivalries``.

**Ongoing at the end of coverage.** The data end in 2010; a rivalry whose
``endyear`` equals the file's latest ``endyear`` (the data set's last year)
had not ended when the data stop. It is stored with ``ongoing = true`` and
``coverage_end`` = that year, and every output says "ongoing at the end of
coverage (2010)", never "ended in 2010". The table ``source_coverage`` gets
the file's domain (first ``styear`` to last ``endyear``).

States are COW codes; ``iso3_1``/``iso3_2`` are the ISO3 keys in the
rivalry's last year that the code names a state (from ``endyear`` back to
``styear``), else of the code's nearest state-system spell (rivalries that
began before 1816). A row is rejected, with its line and reason, when a field
is not a whole number, a year lies outside 1400–2100, ``styear > endyear``,
the two codes are equal, a type is not one of the four, a code names no state,
or the rivalry number was already read in the file.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import good_records, has_columns, require_header
from dyadwatch.sources.cow_common import BadValue, Columns, cow_iso3, cow_value, cow_year, int_types
from dyadwatch.sources.formats import Head, Sink

DATASET = "td-rivalries"
REQUIRED = ("rivalryno", "ccode1", "ccode2", "styear", "endyear")
#: the four rivalry types of Thompson & Dreyer (2012)
TYPES = ("spatial", "positional", "ideological", "interventionary")
COLUMNS = ("rivalryno", "rivalryname", "ccode1", "ccode2", "iso3_1", "iso3_2", "styear", "endyear", "region",
           "type1", "type2", "type3", "coverage_end", "ongoing")


def _iso_for_rivalry(code: int, styear: int, endyear: int) -> str | None:
    """ISO3 of ``code`` in the latest year of styear..endyear that it names a state (strict), else any."""
    from dyadwatch.codebooks import countries

    for y in range(endyear, max(styear, 1816) - 1, -1):
        try:
            got = countries.cow_to_iso3(code, y)
        except Exception:  # noqa: BLE001 - an unknown code: try the fallback below
            got = None
        if got:
            return got
    return cow_iso3(code, endyear)


class TDRivalriesReader:
    name = "td-rivalries"
    dataset = DATASET
    tables = ("td_rivalries", "source_coverage")
    description = "Thompson–Dreyer strategic rivalries (one row per rivalry: rivals, years, types)"

    def sniff(self, path: Path, head: Head) -> bool:
        return has_columns(head, *REQUIRED)

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, REQUIRED, "Thompson–Dreyer rivalry")
        rows: list[tuple[int, dict]] = []
        seen: dict[int, int] = {}
        for line, row, raw in good_records(path, sink):
            try:
                rec = {"rivalryno": cow_value(row, "rivalryno", 1, 10**6, missing_ok=False),
                       "ccode1": cow_value(row, "ccode1", 1, 999, missing_ok=False),
                       "ccode2": cow_value(row, "ccode2", 1, 999, missing_ok=False),
                       "styear": cow_year(row, "styear"), "endyear": cow_year(row, "endyear"),
                       "rivalryname": (row.get("rivalryname") or "").strip() or None,
                       "region": (row.get("region") or "").strip() or None}
                for k in ("type1", "type2", "type3"):
                    t = (row.get(k) or "").strip().lower()
                    if t and t not in TYPES:
                        raise BadValue(f"column {k!r}: unknown rivalry type {t!r}; valid types: {', '.join(TYPES)}")
                    rec[k] = t or None
                if rec["styear"] > rec["endyear"]:
                    raise BadValue(f"styear {rec['styear']} is after endyear {rec['endyear']}")
                if rec["ccode1"] == rec["ccode2"]:
                    raise BadValue(f"ccode1 and ccode2 are both {rec['ccode1']}: a rivalry needs two states")
            except BadValue as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            if rec["rivalryno"] in seen:
                sink.reject(line, f"duplicate key in file (rivalryno={rec['rivalryno']}); first occurrence kept "
                                  f"(line {seen[rec['rivalryno']]})", raw)
                continue
            unmapped = []
            for k in ("1", "2"):
                iso = _iso_for_rivalry(rec["ccode" + k], rec["styear"], rec["endyear"])
                rec["iso3_" + k] = iso
                if iso is None:
                    unmapped.append(str(rec["ccode" + k]))
            if unmapped:
                sink.reject(line, f"country not mappable: COW code {' and '.join(unmapped)} names no state in "
                                  "dyadwatch.codebooks.countries", raw)
                continue
            seen[rec["rivalryno"]] = line
            rows.append((line, rec))
        cols = Columns(COLUMNS, {**int_types(("rivalryno", "ccode1", "ccode2", "styear", "endyear",
                                              "coverage_end")), "ongoing": pa.bool_()})
        last = max((r["endyear"] for _, r in rows), default=None)
        first = min((r["styear"] for _, r in rows), default=None)
        for line, rec in rows:
            cols.add(line, {**rec, "coverage_end": last, "ongoing": rec["endyear"] == last})
        sink.add("td_rivalries", cols.table())
        if rows:
            sink.add("source_coverage", pa.table({
                "table_name": ["td_rivalries"], "dataset": [DATASET], "first_year": pa.array([first], pa.int32()),
                "last_year": pa.array([last], pa.int32()),
                "basis": [f"the file's years: first styear {first}, last endyear {last} (rivalries ending "
                          f"{last} are ongoing at the end of coverage)"]}))


READER = formats.register(TDRivalriesReader())
