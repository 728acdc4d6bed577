"""Reader ``acled``: ACLED export files (Armed Conflict Location & Event Data).

ACLED (Raleigh, Linke, Hegre & Karlsen 2010, *Journal of Peace Research*
47(5); columns and codes from the ACLED Codebook, 2023 and 2024 editions) is
exported as a comma-separated file with a header (the export tool and the
API's ``_format=csv``): ``event_id_cnty, event_date, year, time_precision,
disorder_type, event_type, sub_event_type, actor1, assoc_actor_1, inter1,
actor2, assoc_actor_2, inter2, interaction, civilian_targeting, iso, region,
country, admin1, admin2, admin3, location, latitude, longitude,
geo_precision, source, source_scale, notes, fatalities, tags, timestamp``.
Older exports add ``data_id``/``event_id_no_cnty`` and lack
``disorder_type``/``civilian_targeting``; columns are found by name.
``event_date`` is ``YYYY-MM-DD`` (API) or ``16 February 2023`` (export tool).

Mapping into the canonical row: ``event_id`` = ``acled:<event_id_cnty>``;
``src_name``/``tgt_name`` = ``actor1``/``actor2`` (ACLED's actor order is not
a direction: the codebook says actor 1 and 2 do not imply who attacked);
``src_sector``/``tgt_sector`` from the ``inter`` codes (:data:`INTER_SECTOR`);
``src_country``/``tgt_country`` only for state forces named ``Military Forces
of X (…)`` or ``Police Forces of X (…)``, where X names the state;
``loc_country`` from ``country``, ``loc_name`` = location, admin2, admin1,
country; ``lat``/``lon``; ``sentence`` = ``notes`` (ACLED's event summary);
``source_url`` stays NULL (ACLED gives source names, not links).

CAMEO and PLOVER: ACLED's own types are kept (``acled_events``) and each
sub-event type is mapped to one CAMEO 1.1b3 code by :data:`CROSSWALK`
(written by us from the codebook's definition of each sub-event type against
the CAMEO 1.1b3 manual); ``cameo_root``, ``quad_class`` and ``goldstein``
follow from that code (:mod:`dyadwatch.codebooks.cameo`) and ``plover_type``
from the CAMEO -> PLOVER crosswalk (:mod:`dyadwatch.codebooks.plover`).
Sub-event types with no CAMEO counterpart (change to group/activity,
disrupted weapons use, headquarters or base established, non-violent
transfer of territory, other) keep NULL codes; a sub-event type the table
does not know (a later codebook) is stored with NULL codes and counted in a
note.

Rejected, with line and reason: a missing ``event_id_cnty``; an impossible
``year`` (not a whole number in 1800..next year, or not the year of
``event_date``); an unreadable ``event_date``; ``fatalities`` not a whole
number ≥ 0; an ``inter`` code outside 0..8; coordinates outside the globe;
a malformed CSV record. A repeated ``event_id_cnty`` is settled by the
store (``duplicate key in file`` when the rows differ), never merged.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pyarrow as pa

from dyadwatch.codebooks import cameo
from dyadwatch.sources import codemaps, formats
from dyadwatch.sources.alignment_support import good_records, header_columns, require_header
from dyadwatch.sources.event_fields import (EVENT_COLUMNS, EVENT_TYPES, BadField, Rows, date, number,
                                            row_sha1, text, whole, year)
from dyadwatch.sources.formats import Head, Sink

DATASET = "acled"
REQUIRED = ("event_id_cnty", "event_date", "year", "event_type", "sub_event_type", "actor1", "actor2",
            "fatalities")

#: ACLED sub-event type (lower case) -> CAMEO 1.1b3 code, or None when CAMEO has no counterpart.
#: Battles: armed clash = 190 use conventional military force; government regains / non-state actor
#: overtakes territory = 192 occupy territory. Explosions/remote violence: chemical weapon = 2041 use
#: chemical, biological or radiological weapons; air/drone strike = 195 employ aerial weapons; suicide
#: bomb = 1831 carry out suicide bombing; shelling/artillery/missile attack = 194 fight with artillery
#: and tanks; remote explosive/landmine/IED = 183 conduct non-military bombing; grenade = 190.
#: Violence against civilians: sexual violence = 1821 sexually assault; attack = 180 use unconventional
#: violence; abduction/forced disappearance = 181 abduct, take hostage. Protests: peaceful protest and
#: protest with intervention = 141 demonstrate or rally; excessive force against protesters = 175 use
#: tactics of violent repression. Riots: violent demonstration and mob violence = 145 protest violently,
#: riot. Strategic developments: agreement = 057 sign formal agreement; arrests = 173 arrest, detain;
#: looting/property destruction = 171 seize or damage property; the rest have no CAMEO event.
CROSSWALK: dict[str, str | None] = {
    "armed clash": "190", "government regains territory": "192", "non-state actor overtakes territory": "192",
    "chemical weapon": "2041", "air/drone strike": "195", "suicide bomb": "1831",
    "shelling/artillery/missile attack": "194", "remote explosive/landmine/ied": "183", "grenade": "190",
    "sexual violence": "1821", "attack": "180", "abduction/forced disappearance": "181",
    "peaceful protest": "141", "protest with intervention": "141", "excessive force against protesters": "175",
    "violent demonstration": "145", "mob violence": "145",
    "agreement": "057", "arrests": "173", "looting/property destruction": "171",
    "change to group/activity": None, "disrupted weapons use": None, "headquarters or base established": None,
    "non-violent transfer of territory": None, "other": None,
}
#: ACLED actor type ('inter') codes and the labels of the 2024 exports (ACLED Codebook, "Actors")
INTER_LABELS = {"state forces": 1, "rebel group": 2, "political militia": 3, "identity militia": 4,
                "rioters": 5, "protesters": 6, "civilians": 7, "external/other forces": 8}
#: inter code -> CAMEO-style sector (CAMEO 1.1b3 actor types): state forces GOV (military, police and
#: officials alike), rebels REB, militias UAF (unaligned armed forces), civilians/rioters/protesters CVL
INTER_SECTOR = {1: "GOV", 2: "REB", 3: "UAF", 4: "UAF", 5: "CVL", 6: "CVL", 7: "CVL"}
_STATE_FORCES = re.compile(r"^(?:Military|Police) Forces of (.+?)\s*\(")

ACLED_COLUMNS = ("event_id", "event_id_cnty", "year", "time_precision", "disorder_type", "event_type",
                 "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
                 "interaction", "civilian_targeting", "country", "admin1", "admin2", "location", "geo_precision",
                 "source", "source_scale", "fatalities", "crosswalk", "row_sha1")
_TYPES = {"year": pa.int32(), "time_precision": pa.int8(), "inter1": pa.int8(), "inter2": pa.int8(),
          "interaction": pa.int16(), "geo_precision": pa.int8(), "fatalities": pa.int32()}


def _inter(cell: str | None, column: str) -> int | None:
    s = text(cell)
    if s is None:
        return None
    label = INTER_LABELS.get(s.lower().rstrip("s")) or INTER_LABELS.get(s.lower())
    return label if label is not None else whole(s, column, 0, 8)


def _interaction(cell: str | None, i1: int | None, i2: int | None) -> int | None:
    s = text(cell)
    if s is not None and s.replace(".", "", 1).isdigit():
        v = whole(s, "interaction", 0, 88)
        if v % 10 > 8:
            raise BadField(f"interaction {s!r} is not two actor type codes 0..8")
        return v
    if i1 is None:  # a text label ('State forces-Rebel group') or nothing: from the two codes
        return None
    a, b = sorted((i1, i2 or 0))
    return a * 10 + b if a else b * 10


def _state_of(actor: str | None, y: int) -> str | None:
    hit = _STATE_FORCES.match(actor or "")
    return codemaps.country_iso3(hit.group(1), y) if hit else None


class AcledReader:
    """Reader for ACLED export CSV files (see the module docstring)."""

    name = "acled"
    dataset = DATASET
    tables = ("acled_events", "events")  # native table first: the primary (row_sha1)
    description = "ACLED export CSV (event_id_cnty, event_date, event_type, sub_event_type, actor1 ...)"

    def sniff(self, path: Path, head: Head) -> bool:
        """True when the header holds the ACLED columns."""
        return set(REQUIRED) <= header_columns(head)

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's events into ``sink``; bad records -> rejects.

        Raises
        ------
        IngestError
            The header lacks ACLED columns (naming them).
        InputError
            Truncated or corrupt archive, or an unclosed quote running past the line bound.
        """
        require_header(path, REQUIRED, "ACLED export")
        events = Rows("events", (*EVENT_COLUMNS, "sentence"), EVENT_TYPES)
        extra = Rows("acled_events", ACLED_COLUMNS, _TYPES)
        unknown: Counter = Counter()
        for line, row, raw in good_records(path, sink):
            try:
                ev, more = self._row(row, sink.dataset)
            except BadField as exc:
                sink.reject(line, str(exc), raw)
                continue
            if more["crosswalk"] == "unknown":
                unknown[more["sub_event_type"]] += 1
            events.add(line, ev)
            extra.add(line, more)
            events.flush(sink)
            extra.flush(sink)
        if unknown:
            shown = ", ".join(f"{k!r}: {n:,}" for k, n in unknown.most_common(5))
            sink.note(f"{sum(unknown.values()):,} events of sub-event types the ACLED -> CAMEO crosswalk does "
                      f"not know stored without CAMEO code ({shown})")
        events.flush(sink, final=True)
        extra.flush(sink, final=True)

    @staticmethod
    def _row(row: dict[str, str], ds: str) -> tuple[dict, dict]:
        """The canonical and the ACLED-only values of one record; raises :class:`BadField`."""
        eid = text(row.get("event_id_cnty"))
        if eid is None:
            raise BadField("missing event_id_cnty (ACLED event id)")
        y = year(row.get("year"), "year")
        if y is None:
            raise BadField("missing year")
        day = date(row.get("event_date"), "event_date")
        if day is None:
            raise BadField("missing event_date")
        if day.year != y:
            raise BadField(f"impossible year: year {y} is not the year of event_date {day.isoformat()}")
        fatalities = whole(row.get("fatalities"), "fatalities", 0, 10**7)
        i1, i2 = _inter(row.get("inter1"), "inter1"), _inter(row.get("inter2"), "inter2")
        interaction = _interaction(row.get("interaction"), i1, i2)
        lat = number(row.get("latitude"), "latitude", -90, 90)
        lon = number(row.get("longitude"), "longitude", -180, 180)
        sub = text(row.get("sub_event_type"))
        key = (sub or "").lower()
        code = CROSSWALK.get(key)
        basis = "unknown" if key not in CROSSWALK else ("sub_event_type" if code else "none")
        entry = cameo.CAMEO.get(code) if code else None
        a1, a2 = text(row.get("actor1")), text(row.get("actor2"))
        s1, s2 = INTER_SECTOR.get(i1), INTER_SECTOR.get(i2)
        c1, c2 = _state_of(a1, y), _state_of(a2, y)
        country = text(row.get("country"))
        place = [text(row.get(k)) for k in ("location", "admin2", "admin1", "country")]
        ev = {"event_id": f"{ds}:{eid}", "dataset": ds, "native_id": eid, "event_date": day,
              "src_name": a1, "src_country": c1, "src_sector": s1, "src_code": ((c1 or "") + (s1 or "")) or None,
              "tgt_name": a2, "tgt_country": c2, "tgt_sector": s2, "tgt_code": ((c2 or "") + (s2 or "")) or None,
              "cameo_code": code, "cameo_root": entry.root if entry else None,
              "quad_class": entry.quad_class if entry else None, "goldstein": entry.goldstein if entry else None,
              "plover_type": entry.plover_type if entry else None,
              "loc_country": codemaps.country_iso3(country, y) if country else None,
              "loc_name": ", ".join(dict.fromkeys(p for p in place if p)) or None, "lat": lat, "lon": lon,
              "sentence": text(row.get("notes"))}
        more = {"event_id": ev["event_id"], "event_id_cnty": eid, "year": y,
                "time_precision": whole(row.get("time_precision"), "time_precision", 1, 3),
                "disorder_type": text(row.get("disorder_type")), "event_type": text(row.get("event_type")),
                "sub_event_type": sub, "actor1": a1, "assoc_actor_1": text(row.get("assoc_actor_1")),
                "inter1": i1, "actor2": a2, "assoc_actor_2": text(row.get("assoc_actor_2")), "inter2": i2,
                "interaction": interaction, "civilian_targeting": text(row.get("civilian_targeting")),
                "country": country, "admin1": text(row.get("admin1")), "admin2": text(row.get("admin2")),
                "location": text(row.get("location")),
                "geo_precision": whole(row.get("geo_precision"), "geo_precision", 1, 3),
                "source": text(row.get("source")), "source_scale": text(row.get("source_scale")),
                "fatalities": fatalities, "crosswalk": basis}
        more["row_sha1"] = row_sha1(ev, more)
        return ev, more


READER = formats.register(AcledReader())
