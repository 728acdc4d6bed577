"""The coded-event record: what ``dyadwatch code`` writes, one per line.

Fields (JSONL; CSV flattens ``source``/``target`` to ``source_code`` …):

=================  =========================================================
``event_id``       ``text:`` + sha256 (20 hex) of doc_id, sentence_index,
                   source code, target code and cameo_code (stable: re-coding
                   the same text gives the same id)
``doc_id``         id of the document
``sentence_index`` 0-based index of the sentence in the document
``sentence``       the sentence (the evidence)
``event_date``     ``YYYY-MM-DD`` or null; ``date_precision`` day|month|year|null;
                   ``date_source`` sentence|relative|document|citation|null
                   (an explicit date in the sentence, a relative expression
                   resolved, the document date, the dated reference entry
                   the sentence cites; optional: files written before it
                   was added validate without it)
``source``         ``{text, code, country, sector}`` (country ISO3 or null)
``target``         same, or null
``cameo_code``     CAMEO 1.1b3 code (string, leading zeros); ``cameo_root``
``quad_class``     1-4; ``goldstein`` -10..10; ``plover_type`` (PLOVER)
``loc_name``       place name or null; ``loc_country`` ISO3; ``lat``/``lon``
``spans``          ``{source: [start, end], target: [start, end] | null,
                   verb: [start, end], date: [start, end] | null,
                   location: [start, end] | null}`` — character offsets in
                   ``sentence``, end exclusive
``source_url``     the document's url or null
=================  =========================================================
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from typing import Any

FIELDS = ("event_id", "doc_id", "sentence_index", "sentence", "event_date", "date_precision", "source",
          "target", "cameo_code", "cameo_root", "quad_class", "goldstein", "plover_type", "loc_name",
          "loc_country", "lat", "lon", "spans", "source_url")
PRECISIONS = ("day", "month", "year")
#: values of the optional ``date_source`` field (``dyadwatch.coding.dates.DATE_SOURCES``)
DATE_SOURCES = ("sentence", "relative", "document", "citation")
_ISO3 = re.compile(r"^[A-Z]{3}$")


def event_id(doc_id: str, sentence_index: int, source_code: str, target_code: str | None, cameo_code: str) -> str:
    """The content hash that identifies a coded event (see the module docstring)."""
    raw = "\x1f".join([str(doc_id), str(sentence_index), source_code, target_code or "", cameo_code])
    return "text:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _actor_ok(a: Any, name: str) -> None:
    if not isinstance(a, dict):
        raise ValueError(f"{name} must be an object")
    if set(a) != {"text", "code", "country", "sector"}:
        raise ValueError(f"{name} must have exactly text, code, country, sector")
    if not isinstance(a["text"], str) or not a["text"].strip():
        raise ValueError(f"{name}.text must be non-empty text")
    if not isinstance(a["code"], str) or not re.fullmatch(r"[A-Z]{3,15}", a["code"]):
        raise ValueError(f"{name}.code must be 3-15 upper-case letters, got {a['code']!r}")
    if a["country"] is not None and not (isinstance(a["country"], str) and _ISO3.match(a["country"])):
        raise ValueError(f"{name}.country must be ISO3 or null")
    if a["sector"] is not None and not (isinstance(a["sector"], str) and re.fullmatch(r"[A-Z]{3}", a["sector"])):
        raise ValueError(f"{name}.sector must be a 3-letter code or null")


def _span_ok(span: Any, name: str, n: int, required: bool) -> None:
    if span is None:
        if required:
            raise ValueError(f"spans.{name} is required")
        return
    if (not isinstance(span, (list, tuple)) or len(span) != 2 or not all(isinstance(x, int) for x in span)
            or not 0 <= span[0] < span[1] <= n):
        raise ValueError(f"spans.{name} must be [start, end] inside the sentence, got {span!r}")


def validate_event(ev: dict[str, Any]) -> None:
    """Check one coded event against the schema above.

    Raises
    ------
    ValueError
        Naming the first field that does not conform.
    """
    from dyadwatch.codebooks.cameo import CAMEO

    missing = [f for f in FIELDS if f not in ev]
    if missing:
        raise ValueError(f"missing fields: {', '.join(missing)}")
    if not isinstance(ev["event_id"], str) or not re.fullmatch(r"text:[0-9a-f]{20}", ev["event_id"]):
        raise ValueError("event_id must be text:<20 hex>")
    if not isinstance(ev["doc_id"], str) or not ev["doc_id"]:
        raise ValueError("doc_id must be non-empty text")
    if not isinstance(ev["sentence_index"], int) or ev["sentence_index"] < 0:
        raise ValueError("sentence_index must be an integer >= 0")
    sent = ev["sentence"]
    if not isinstance(sent, str) or not sent.strip():
        raise ValueError("sentence must be non-empty text")
    if ev["event_date"] is not None:
        dt.date.fromisoformat(ev["event_date"])
        if ev["date_precision"] not in PRECISIONS:
            raise ValueError("date_precision must be day, month or year")
    elif ev["date_precision"] is not None:
        raise ValueError("date_precision without event_date")
    source = ev.get("date_source")
    if source is not None and (source not in DATE_SOURCES or ev["event_date"] is None):
        raise ValueError(f"date_source must be one of {', '.join(DATE_SOURCES)} (with an event_date) or null, "
                         f"got {source!r}")
    _actor_ok(ev["source"], "source")
    if ev["target"] is not None:
        _actor_ok(ev["target"], "target")
    code = ev["cameo_code"]
    if code not in CAMEO:
        raise ValueError(f"cameo_code {code!r} is not a CAMEO 1.1b3 code")
    c = CAMEO[code]
    if ev["cameo_root"] != c.root or ev["quad_class"] != c.quad_class or ev["goldstein"] != c.goldstein \
            or ev["plover_type"] != c.plover_type:
        raise ValueError(f"cameo_root/quad_class/goldstein/plover_type disagree with the code table for {code}")
    if ev["loc_country"] is not None and not _ISO3.match(str(ev["loc_country"])):
        raise ValueError("loc_country must be ISO3 or null")
    for k, lo, hi in (("lat", -90, 90), ("lon", -180, 180)):
        if ev[k] is not None and not (isinstance(ev[k], (int, float)) and lo <= ev[k] <= hi):
            raise ValueError(f"{k} must be in [{lo}, {hi}] or null")
    spans = ev["spans"]
    if not isinstance(spans, dict):
        raise ValueError("spans must be an object")
    n = len(sent)
    _span_ok(spans.get("source"), "source", n, True)
    _span_ok(spans.get("verb"), "verb", n, True)
    _span_ok(spans.get("target"), "target", n, ev["target"] is not None)
    _span_ok(spans.get("date"), "date", n, False)
    _span_ok(spans.get("location"), "location", n, False)
    if ev["target"] is None and spans.get("target") is not None:
        raise ValueError("spans.target given for an event without target")
