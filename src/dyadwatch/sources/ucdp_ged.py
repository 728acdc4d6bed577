"""Reader ``ucdp-ged``: UCDP Georeferenced Event Dataset (GED), the events CSV.

UCDP GED (Sundberg & Melander 2013, *Journal of Peace Research* 50(4);
columns and codes from the "UCDP Georeferenced Event Dataset Codebook",
versions 20.1-25.1; the global CSV ``GEDEvent_v<version>.csv`` inside
``ged<version>-csv.zip``) has one row per event of organised violence with at
least one death: ``id, relid, year, active_year, code_status,
type_of_violence, conflict_dset_id, conflict_new_id, conflict_name,
dyad_dset_id, dyad_new_id, dyad_name, side_a_dset_id, side_a_new_id, side_a,
side_b_dset_id, side_b_new_id, side_b, number_of_sources, source_article,
source_office, source_date, source_headline, source_original, where_prec,
where_coordinates, where_description, adm_1, adm_2, latitude, longitude,
geom_wkt, priogrid_gid, country, country_id, region, event_clarity,
date_prec, date_start, date_end, deaths_a, deaths_b, deaths_civilians,
deaths_unknown, best, high, low, gwnoa, gwnob``. Columns are found by name
(the free-text source columns are not stored).

Table ``ucdp_ged_events`` (``store/tables_newer_events.py``), one row per
``id``. ``gwnoa``/``gwnob`` keep UCDP's text (several codes may be joined by
commas); ``iso3_a``/``iso3_b`` are the ISO3 codes of their first code in the
event's year (:func:`dyadwatch.codebooks.countries.gw_to_iso3`), NULL for a
non-state side; ``loc_iso3`` that of ``country_id``. ``number_of_sources``
−1 (UCDP's "unknown") is stored as NULL.

Rejected, with line and reason: a missing or non-integer ``id``; an
impossible ``year`` or one that is not the year of ``date_start``; an
unreadable ``date_start``/``date_end`` or an end before the start; a death
count that is not a whole number ≥ 0, or ``low ≤ best ≤ high`` broken;
``type_of_violence`` outside 1..3, ``where_prec`` outside 1..7,
``date_prec`` outside 1..5, ``event_clarity`` outside 1..2; coordinates off
the globe; a malformed CSV record. A repeated ``id`` with other values is
rejected by the store (``duplicate key in file``), never merged.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import code_list, country_mapper, good_records, header_columns, require_header
from dyadwatch.sources.event_fields import BadField, Rows, date, number, text, whole, year
from dyadwatch.sources.formats import Head, Sink

DATASET = "ucdp-ged"
REQUIRED = ("id", "year", "type_of_violence", "conflict_new_id", "dyad_new_id", "side_a", "side_b",
            "date_start", "date_end", "best", "low", "high", "latitude", "longitude")
COLUMNS = ("id", "relid", "year", "active_year", "type_of_violence", "conflict_new_id", "conflict_name",
           "dyad_new_id", "dyad_name", "side_a_new_id", "side_a", "side_b_new_id", "side_b", "gwnoa", "gwnob",
           "iso3_a", "iso3_b", "country", "country_id", "loc_iso3", "region", "adm_1", "adm_2",
           "where_description", "where_prec", "latitude", "longitude", "priogrid_gid", "event_clarity",
           "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown",
           "best", "low", "high", "number_of_sources")
_INT32 = ("year", "conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id", "country_id", "priogrid_gid",
          "deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "low", "high", "number_of_sources")
TYPES = {"id": pa.int64(), **{c: pa.int32() for c in _INT32}, "active_year": pa.bool_(),
         "type_of_violence": pa.int8(), "where_prec": pa.int8(), "event_clarity": pa.int8(),
         "date_prec": pa.int8(), "latitude": pa.float64(), "longitude": pa.float64(),
         "date_start": pa.date32(), "date_end": pa.date32()}
#: codebook ranges of the coded columns
CODES = {"type_of_violence": (1, 3), "where_prec": (1, 7), "date_prec": (1, 5), "event_clarity": (1, 2)}
_MAX_ID = 2**31 - 1
_MAX_DEATHS = 10**7


def _flag(cell: str | None, column: str) -> bool | None:
    s = text(cell)
    if s is None:
        return None
    if s.upper() in ("TRUE", "1", "T"):
        return True
    if s.upper() in ("FALSE", "0", "F"):
        return False
    raise BadField(f"{column} {s[:40]!r} is not a truth value (TRUE/FALSE or 1/0)")


class UcdpGedReader:
    """Reader for the UCDP GED events CSV (see the module docstring)."""

    name = "ucdp-ged"
    dataset = DATASET
    tables = ("ucdp_ged_events",)
    description = "UCDP Georeferenced Event Dataset CSV (id, conflict_new_id, side_a, side_b, best, low, high ...)"

    def sniff(self, path: Path, head: Head) -> bool:
        """True when the header holds the GED event columns."""
        return set(REQUIRED) <= header_columns(head)

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's events into ``sink``; bad records -> rejects.

        Raises
        ------
        IngestError
            The header lacks GED columns (naming them).
        InputError
            Truncated or corrupt archive, or an unclosed quote running past the line bound.
        """
        require_header(path, REQUIRED, "UCDP GED event")
        to_iso3 = country_mapper("gw")
        rows = Rows("ucdp_ged_events", COLUMNS, TYPES)
        for line, row, raw in good_records(path, sink):
            try:
                values = self._row(row, to_iso3)
            except BadField as exc:
                sink.reject(line, str(exc), raw)
                continue
            rows.add(line, values)
            rows.flush(sink)
        rows.flush(sink, final=True)

    @staticmethod
    def _row(row: dict[str, str], to_iso3) -> dict:
        """The stored values of one record; raises :class:`BadField`."""
        eid = whole(row.get("id"), "id", 1, _MAX_ID)
        if eid is None:
            raise BadField("missing id (UCDP GED event id)")
        y = year(row.get("year"), "year")
        start, end = date(row.get("date_start"), "date_start"), date(row.get("date_end"), "date_end")
        if y is None or start is None or end is None:
            raise BadField("missing year, date_start or date_end")
        if start.year != y:
            raise BadField(f"impossible year: year {y} is not the year of date_start {start.isoformat()}")
        if end < start:
            raise BadField(f"date_end {end.isoformat()} is before date_start {start.isoformat()}")
        out: dict = {"id": eid, "year": y, "date_start": start, "date_end": end}
        for col in ("deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "low", "high"):
            out[col] = whole(row.get(col), col, 0, _MAX_DEATHS)
        if out["best"] is None:
            raise BadField("missing best (best estimate of deaths)")
        lo, hi = out["low"], out["high"]
        if (lo is not None and lo > out["best"]) or (hi is not None and hi < out["best"]):
            raise BadField(f"death estimates out of order: low {lo}, best {out['best']}, high {hi} "
                           "(the codebook has low <= best <= high)")
        for col, (a, b) in CODES.items():
            out[col] = whole(row.get(col), col, a, b)
        if out["type_of_violence"] is None:
            raise BadField("missing type_of_violence")
        for col in ("conflict_new_id", "dyad_new_id", "side_a_new_id", "side_b_new_id", "priogrid_gid", "country_id"):
            out[col] = whole(row.get(col), col, 0, _MAX_ID)
        sources = whole(row.get("number_of_sources"), "number_of_sources", -1, _MAX_DEATHS)
        out["number_of_sources"] = None if sources == -1 else sources
        out["latitude"] = number(row.get("latitude"), "latitude", -90, 90)
        out["longitude"] = number(row.get("longitude"), "longitude", -180, 180)
        out["active_year"] = _flag(row.get("active_year"), "active_year")
        for col in ("relid", "conflict_name", "dyad_name", "side_a", "side_b", "gwnoa", "gwnob", "country",
                    "region", "adm_1", "adm_2", "where_description"):
            out[col] = text(row.get(col))
        for side in ("a", "b"):
            try:
                codes = code_list(out[f"gwno{side}"])
            except ValueError:
                raise BadField(f"gwno{side} {out[f'gwno{side}'][:40]!r} is not a list of GW codes") from None
            out[f"iso3_{side}"] = to_iso3(codes[0], y) if codes else None
        out["loc_iso3"] = to_iso3(out["country_id"], y) if out["country_id"] is not None else None
        return out


READER = formats.register(UcdpGedReader())
