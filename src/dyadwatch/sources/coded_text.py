"""Reader ``text``: dyadwatch's own coded-event JSONL (the output of ``dyadwatch code``).

One event per line in the layout of :mod:`dyadwatch.coding.schema`.  Each
valid line becomes one ``events`` row (dataset ``text``; ``event_id`` is the
content hash already in the file, so coding the same text again and
ingesting it adds nothing) and one ``event_evidence`` row (sentence index,
date precision, date source, character spans as JSON).  A line that is not JSON or does not
validate against the schema is rejected with the reason.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.formats import Head, Sink

DATASET = "text"
_EVENT_COLS = ("event_id", "dataset", "native_id", "event_date", "src_name", "src_code", "src_country",
               "src_sector", "tgt_name", "tgt_code", "tgt_country", "tgt_sector", "cameo_code", "cameo_root",
               "quad_class", "goldstein", "plover_type", "loc_country", "loc_name", "lat", "lon", "mentions",
               "source_url", "doc_id", "sentence", "_line")
_EVIDENCE_COLS = ("event_id", "sentence_index", "date_precision", "date_source", "spans", "_line")
#: rows staged at a time (the file is read in chunks, never held whole)
CHUNK_ROWS = 10_000
_TYPES = {"event_date": pa.date32(), "quad_class": pa.int8(), "goldstein": pa.float64(), "lat": pa.float64(),
          "lon": pa.float64(), "mentions": pa.int32(), "_line": pa.int64(), "sentence_index": pa.int32()}


def event_rows(ev: dict, dataset: str) -> tuple[dict, dict]:
    """(events row, event_evidence row) of one validated coded event."""
    src, tgt = ev["source"], ev["target"] or {}
    row = {
        "event_id": ev["event_id"], "dataset": dataset,
        "native_id": f"{ev['doc_id']}:{ev['sentence_index']}",
        "event_date": dt.date.fromisoformat(ev["event_date"]) if ev["event_date"] else None,
        "src_name": src["text"], "src_code": src["code"], "src_country": src["country"], "src_sector": src["sector"],
        "tgt_name": tgt.get("text"), "tgt_code": tgt.get("code"), "tgt_country": tgt.get("country"),
        "tgt_sector": tgt.get("sector"),
        "cameo_code": ev["cameo_code"], "cameo_root": ev["cameo_root"], "quad_class": ev["quad_class"],
        "goldstein": ev["goldstein"], "plover_type": ev["plover_type"], "loc_country": ev["loc_country"],
        "loc_name": ev["loc_name"], "lat": ev["lat"], "lon": ev["lon"], "mentions": 1,
        "source_url": ev.get("source_url"), "doc_id": ev["doc_id"], "sentence": ev["sentence"],
    }
    evidence = {"event_id": ev["event_id"], "sentence_index": ev["sentence_index"],
                "date_precision": ev["date_precision"], "date_source": ev.get("date_source"),
                "spans": json.dumps(ev["spans"], sort_keys=True)}
    return row, evidence


def _table(rows: list[dict], cols: tuple[str, ...]) -> pa.Table:
    arrays = {c: pa.array([r.get(c) for r in rows], type=_TYPES.get(c, pa.string())) for c in cols}
    return pa.table(arrays)


class CodedTextReader:
    name = "text"
    dataset = DATASET
    tables = ("events", "event_evidence")
    description = "events coded from text by `dyadwatch code` (JSONL)"

    def sniff(self, path: Path, head: Head) -> bool:
        for line in head.lines:
            if line.strip():
                try:
                    rec = json.loads(line)
                except ValueError:
                    return False
                return isinstance(rec, dict) and {"cameo_code", "sentence_index", "spans", "event_id"} <= set(rec)
        return False

    def read(self, path: Path, sink: Sink) -> None:
        from dyadwatch.coding.schema import validate_event
        from dyadwatch.jsonl import byte_lines, file_chunks, parse_object
        from dyadwatch.sources.io import open_binary
        from dyadwatch.sources.longlines import LINE_SIZE_REASON, MAX_LINE_BYTES

        events: list[dict] = []
        evidence: list[dict] = []
        n = 0

        def flush() -> None:  # stage what was read so far: memory stays one chunk of rows
            if events:
                sink.add("events", _table(events, _EVENT_COLS))
                sink.add("event_evidence", _table(evidence, _EVIDENCE_COLS))
                events.clear()
                evidence.clear()

        def long_line(line_no: int) -> None:
            nonlocal n
            n += 1
            sink.reject(line_no, LINE_SIZE_REASON, None)

        with open_binary(path) as raw:
            # lines end at LF only (dyadwatch.jsonl): a U+2028 inside a sentence is not a line end
            for line_no, data in byte_lines(file_chunks(raw), max_line_bytes=MAX_LINE_BYTES,
                                            on_long=long_line):
                line = data.decode("utf-8", errors="replace")
                if not line.strip():
                    continue
                n += 1
                try:
                    ev = parse_object(line)
                    validate_event(ev)
                except ValueError as exc:  # JSONDecodeError is a ValueError
                    sink.reject(line_no, f"not a coded event: {exc}", line)
                    continue
                row, evi = event_rows(ev, sink.dataset)
                row["_line"] = evi["_line"] = line_no
                events.append(row)
                evidence.append(evi)
                if len(events) >= CHUNK_ROWS:
                    flush()
        sink.count_read(n)
        flush()

formats.register(CodedTextReader())
