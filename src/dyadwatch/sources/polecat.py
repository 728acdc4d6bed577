"""Reader ``polecat``: POLECAT weekly event files (PLOVER-coded; ICEWS's successor from 2018).

POLECAT (Halterman, Schrodt, Beger, Bagozzi & Scarborough 2023, "PLOVER and
POLECAT: A New Political Event Ontology and Dataset"; data on Harvard
Dataverse doi:10.7910/DVN/AJGVIT, codebook doi:10.7910/DVN/LMFPIP) is
published as weekly tab-separated ``ngecEvents.*.txt`` files and yearly zip
archives of them. The header names the columns (``Event ID``, ``Event
Date``, ``Event Type``, ``Event Mode``, ``Event Intensity`` — ``Intensity``
in early releases —, ``Quad Code``, ``Contexts``, ``Actor Name``, ``Actor
Country``, ``Actor COW``, ``Primary Actor Sector``, ``Actor Sectors``,
``Actor Title``, the same for ``Recipient``, ``Placename``, ``City``,
``District``, ``Province``, ``Country``, ``Latitude``, ``Longitude``,
``Source``, ``Publication Date``, ``Language``, ``Version``; some releases
add ``Story ID``, ``Headline``, ``Feed``). Columns are found by name, so the
releases' drift is read alike; missing values are written ``None``.

Mapping into the canonical row (``store/schema.py``):

==========================  ====================================================================
``event_id``                ``polecat:<Event ID>``; ``native_id`` = Event ID
``event_date``              ``Event Date``
``src_*`` / ``tgt_*``       ``Actor *`` / ``Recipient *``: name; country = the first code of
                            ``Actor Country`` as ISO3 in the event's year
                            (:func:`dyadwatch.sources.codemaps.country_iso3`); sector =
                            ``Primary Actor Sector`` (PLOVER agent code: GOV, MIL, REB ...);
                            code = country + sector
``plover_type``             ``Event Type`` upper-cased, older names renamed as in
                            :data:`dyadwatch.codebooks.plover.LEGACY_TYPES` (ACCUSE ->
                            DISAPPROVE, REQUEST -> DEMAND); the published name is kept in
                            ``polecat_events.event_type``
``cameo_code``/``cameo_root``  by :func:`cameo_of` (below): a documented PLOVER -> CAMEO crosswalk
``quad_class``              the publisher's ``Quad Code`` (VERBAL COOPERATION = 1 ... MATERIAL
                            CONFLICT = 4); when absent, the QuadClass of ``cameo_code``
``goldstein``               ``Event Intensity`` (−10..10); when absent, the Goldstein weight of
                            ``cameo_code``
``loc_*``, ``lat``/``lon``  ``Country`` (ISO3), place names, ``Latitude``/``Longitude``
``doc_id``                  ``Story ID`` where the release has one
==========================  ====================================================================

Everything else (mode, contexts, intensity, the publisher's quad category,
actor and recipient country/COW/sector/title lists, story and sentence ids,
publication date, source, language, version) goes to ``polecat_events``.

Some published files are malformed TSV (the rpolecat client documents
trailing tabs that add empty columns, and quote characters inside names):
the file is read without quoting, empty trailing fields are dropped, and a
line with another number of fields, bad bytes, or a value that cannot be
read (date, type, intensity, coordinates) is rejected with its line number
and reason while the other lines are stored.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pyarrow as pa

from dyadwatch.codebooks import cameo
from dyadwatch.codebooks.plover import LEGACY_TYPES, crosswalk
from dyadwatch.errors import IngestError
from dyadwatch.sources import codemaps, formats
from dyadwatch.sources.alignment_support import good_records, header_columns
from dyadwatch.sources.event_fields import (EVENT_COLUMNS, EVENT_TYPES, BadField, Rows, date, number,
                                            row_sha1, text)
from dyadwatch.sources.formats import Head, Sink
from dyadwatch.sources.io import open_binary, read_head, zip_members

DATASET = "polecat"
#: columns (lower case) without which a file is not a POLECAT event file
REQUIRED = ("event id", "event date", "event type", "actor name", "recipient name")
_INTENSITY = ("event intensity", "intensity")

#: the 16 PLOVER types POLECAT codes (POLECAT codebook), with the crosswalk's names for ACCUSE/REQUEST
POLECAT_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
                           "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
                           "DEMAND", "DISAPPROVE", "SEIZE"})
QUAD_CODES = {"VERBAL COOPERATION": 1, "MATERIAL COOPERATION": 2, "VERBAL CONFLICT": 3, "MATERIAL CONFLICT": 4}

#: CAMEO code of a PLOVER type when its mode picks none: the type's CAMEO root, "not specified"
#: (PLOVER manual's crosswalk tables; RETREAT's codes 0813-087 all lie in root 08, ASSAULT's
#: unspecified codes 175, 18x, 19x, 20x in three roots: 180 "use unconventional violence" is taken)
TYPE_CODE = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
             "CONCEDE": "080", "RETREAT": "080", "DEMAND": "100", "DISAPPROVE": "110", "REJECT": "120",
             "THREATEN": "130", "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170",
             "SEIZE": "171", "ASSAULT": "180"}
#: POLECAT modes that the CAMEO -> PLOVER crosswalk names otherwise or not at all (POLECAT codebook
#: mode glosses against CAMEO 1.1b3): demo = 141 demonstrate, hunger = 142 hunger strike, strike = 143,
#: seize (a COERCE mode in POLECAT) = 171 seize property, aerial/drone = 195 employ aerial weapons,
#: massacre = 202 mass killings, abduct = 181 abduct or take hostage (the crosswalk's ASSAULT/abduct
#: is 184, human shield), cleansing = 203 ethnic cleansing, crowd-control = 175 violent repression
MODE_CODE = {("PROTEST", "demo"): "141", ("PROTEST", "hunger"): "142", ("PROTEST", "strike"): "143",
             ("COERCE", "seize"): "171", ("ASSAULT", "aerial"): "195", ("ASSAULT", "drone"): "195",
             ("ASSAULT", "massacre"): "202", ("ASSAULT", "abduct"): "181", ("ASSAULT", "cleansing"): "203",
             ("ASSAULT", "crowd-control"): "175"}

POLECAT_COLUMNS = ("event_id", "event_type", "event_mode", "contexts", "intensity", "quad_code", "actor_country",
                   "actor_cow", "actor_sectors", "actor_title", "recipient_country", "recipient_cow",
                   "recipient_sectors", "recipient_title", "story_id", "sentence_id", "publication_date",
                   "publisher", "language", "version", "row_sha1")


def plover_name(event_type: str) -> str:
    """The current PLOVER name of a published type (``ACCUSE`` -> ``DISAPPROVE``)."""
    t = event_type.strip().upper()
    renamed = LEGACY_TYPES.get(t)
    return renamed if isinstance(renamed, str) else t


@lru_cache(maxsize=4096)
def cameo_of(event_type: str, mode: str | None) -> str:
    """The CAMEO 1.1b3 code standing for a POLECAT event type and mode.

    1. :data:`MODE_CODE` when it names the pair;
    2. else the CAMEO codes the crosswalk (:func:`dyadwatch.codebooks.plover.crosswalk`)
       maps to this type *and* mode, when they share one root: the shortest
       of them (``ASSAULT``/``firearms`` -> ``193``, ``CONSULT``/``visit`` -> ``042``);
    3. else :data:`TYPE_CODE` (the type's root, "not specified").

    ``event_type`` is a PLOVER type (older names accepted); raises ``KeyError``
    for a name that is none.
    """
    t = plover_name(event_type)
    m = (mode or "").strip().lower()
    if (t, m) in MODE_CODE:
        return MODE_CODE[(t, m)]
    if m:
        codes = sorted((c for c, (pt, pm) in crosswalk().items() if pt == t and pm == m and len(c) >= 3),
                       key=lambda c: (len(c), c))
        if codes and len({c[:2] for c in codes}) == 1:
            return codes[0]
    return TYPE_CODE[t]


def _first_iso3(cell: str | None, year: int) -> str | None:
    s = text(cell)
    if s is None:
        return None
    first = s.replace(",", ";").split(";")[0].strip()
    return codemaps.country_iso3(first, year) if first else None


def _check_header(path: Path, member: str | None) -> str | None:
    """The intensity column's name of ``path`` (or of its archive file ``member``).

    Raises
    ------
    IngestError
        The header lacks POLECAT columns.
    """
    if member is None:
        cols = header_columns(read_head(path))
    else:
        with open_binary(path, member) as fh:
            first = fh.readline(1 << 16).decode("utf-8-sig", "replace").rstrip("\r\n")
        cols = {c.strip().lower() for c in first.split("\t")}
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        where = f"archive file {member}: " if member else ""
        raise IngestError(f"{where}not a POLECAT event file: header lacks {', '.join(missing)}", path=path, line=1,
                          hint="POLECAT files start with 'Event ID<TAB>Event Date<TAB>Event Type ...'")
    return next((c for c in _INTENSITY if c in cols), None)


def _count_lines(path: Path, member: str) -> int:
    """Physical lines of an archive file, counted as :func:`~dyadwatch.sources.alignment_support.csv_records`
    counts them (``\\n``, ``\\r\\n`` or a lone ``\\r`` ends a line), reading 1 MiB at a time."""
    n, open_line = 0, False
    with open_binary(path, member) as fb:
        text = io.TextIOWrapper(fb, encoding="utf-8", errors="replace", newline="")
        while piece := text.readline(1 << 20):
            open_line = not piece.endswith(("\n", "\r"))
            n += not open_line
    return n + open_line


class _MemberSink:
    """The sink seen while reading one file of an archive: rejects name the file and its own line."""

    def __init__(self, sink: Sink, member: str, offset: int) -> None:
        self.sink, self.member, self.offset = sink, member, offset

    def reject(self, line: int | None, reason: str, raw: str | None) -> None:
        where = f"{self.member} line {line - self.offset}" if line is not None else self.member
        self.sink.reject(line, f"{where}: {reason}", raw)

    def count_read(self, n: int) -> None:
        self.sink.count_read(n)


class PolecatReader:
    """Reader for POLECAT weekly event files (see the module docstring)."""

    name = "polecat"
    dataset = DATASET
    tables = ("polecat_events", "events")  # native table first: the primary (row_sha1)
    description = "POLECAT weekly event file (PLOVER; tab-separated, 'Event ID', 'Event Type', 'Event Mode' ...)"

    def sniff(self, path: Path, head: Head) -> bool:
        """True when the header holds the POLECAT event columns."""
        cols = header_columns(head)
        return set(REQUIRED) <= cols and any(c in cols for c in _INTENSITY) and "event mode" in cols

    def read(self, path: Path, sink: Sink) -> None:
        """Stage the file's events into ``sink``; bad lines -> rejects.

        A zip archive of several files (POLECAT's yearly archives of monthly
        files) is read file by file, in archive order: line numbers run on
        through the files (``rejects.line`` is unique in the batch) and each
        reason begins with the file's name and its own line number.

        Raises
        ------
        IngestError
            The header (of any file of an archive) lacks POLECAT columns (naming them).
        InputError
            Truncated or corrupt archive.
        """
        members = zip_members(path)
        events = Rows("events", EVENT_COLUMNS, EVENT_TYPES)
        extra = Rows("polecat_events", POLECAT_COLUMNS, {"intensity": pa.float64(), "publication_date": pa.date32()})
        offset = 0
        for member in (members if len(members) > 1 else [None]):
            intensity_col = _check_header(path, member)
            target = sink if member is None else _MemberSink(sink, member, offset)
            for line, row, raw in good_records(path, target, tab_unquoted=True, trailing_empty_ok=True,
                                               member=member, line_offset=offset):
                try:
                    ev, more = self._row(row, sink.dataset, intensity_col)
                except BadField as exc:
                    target.reject(line, str(exc), raw)
                    continue
                events.add(line, ev)
                extra.add(line, more)
                events.flush(sink)
                extra.flush(sink)
            if member is not None:
                offset += _count_lines(path, member)
        events.flush(sink, final=True)
        extra.flush(sink, final=True)

    @staticmethod
    def _row(row: dict[str, str], ds: str, intensity_col: str | None) -> tuple[dict, dict]:
        """The canonical and the POLECAT-only values of one record; raises :class:`BadField`."""
        eid = text(row.get("event id"))
        if eid is None:
            raise BadField("missing Event ID")
        day = date(row.get("event date"), "Event Date")
        if day is None:
            raise BadField("missing Event Date")
        published = text(row.get("event type"))
        if published is None or published.upper() not in POLECAT_TYPES:
            raise BadField(f"Event Type {(published or '')[:40]!r} is not a PLOVER event type "
                           f"({', '.join(sorted(POLECAT_TYPES))})")
        mode = text(row.get("event mode"))
        code = cameo_of(published, mode)
        entry = cameo.CAMEO[code]
        intensity = number(row.get(intensity_col) if intensity_col else None, "Event Intensity", -10, 10)
        quad_text = text(row.get("quad code"))
        quad = None
        if quad_text is not None:
            quad = QUAD_CODES.get(quad_text.upper().replace("_", " "))
            if quad is None and quad_text in ("1", "2", "3", "4"):
                quad = int(quad_text)
            if quad is None:
                raise BadField(f"Quad Code {quad_text[:40]!r} is not a quad category ({', '.join(QUAD_CODES)})")
        lat = number(row.get("latitude"), "Latitude", -90, 90)
        lon = number(row.get("longitude"), "Longitude", -180, 180)
        pub = date(row.get("publication date"), "Publication Date")
        y = day.year
        src_iso = _first_iso3(row.get("actor country"), y)
        tgt_iso = _first_iso3(row.get("recipient country"), y)
        src_sec = (text(row.get("primary actor sector")) or "").upper() or None
        tgt_sec = (text(row.get("primary recipient sector")) or "").upper() or None
        place = [text(row.get(k)) for k in ("placename", "city", "district", "province", "state", "country")]
        story = text(row.get("story id"))
        ev = {"event_id": f"{ds}:{eid}", "dataset": ds, "native_id": eid, "event_date": day,
              "src_name": text(row.get("actor name")), "src_country": src_iso, "src_sector": src_sec,
              "src_code": ((src_iso or "") + (src_sec or "")) or None,
              "tgt_name": text(row.get("recipient name")), "tgt_country": tgt_iso, "tgt_sector": tgt_sec,
              "tgt_code": ((tgt_iso or "") + (tgt_sec or "")) or None,
              "cameo_code": code, "cameo_root": entry.root, "quad_class": quad or entry.quad_class,
              "goldstein": entry.goldstein if intensity is None else intensity,
              "plover_type": plover_name(published),
              "loc_country": _first_iso3(row.get("country"), y),
              "loc_name": ", ".join(dict.fromkeys(p for p in place if p)) or None,
              "lat": lat, "lon": lon, "doc_id": story}
        more = {"event_id": ev["event_id"], "event_type": published.upper(), "event_mode": mode,
                "contexts": text(row.get("contexts")), "intensity": intensity, "quad_code": quad_text,
                "actor_country": text(row.get("actor country")), "actor_cow": text(row.get("actor cow")),
                "actor_sectors": text(row.get("actor sectors")), "actor_title": text(row.get("actor title")),
                "recipient_country": text(row.get("recipient country")),
                "recipient_cow": text(row.get("recipient cow")),
                "recipient_sectors": text(row.get("recipient sectors")),
                "recipient_title": text(row.get("recipient title")), "story_id": story,
                "sentence_id": text(row.get("sentence id") or row.get("sentence number") or row.get("sentence")),
                "publication_date": pub, "publisher": text(row.get("source")),
                "language": text(row.get("language")), "version": text(row.get("version"))}
        more["row_sha1"] = row_sha1(ev, more)
        return ev, more


READER = formats.register(PolecatReader())
