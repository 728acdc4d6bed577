"""Gold event records in three layouts, read into one shape for the scorer and the trainer.

Layouts (detected from the file's first bytes; ``layout=`` forces one):

``plv``
    The PLV data set of Hu et al. (ACL 2024, arXiv 2308.07876): a TSV with
    columns ``sentence``, ``marked_sentence`` (the source span between
    ``<s>`` and ``</s>``, the target span between ``<t>`` and ``</t>``; either
    may be missing or repeated) and ``gold_root`` (one of :data:`PLV_CLASSES`).
    One row per (sentence, source, target); rows of one sentence form one
    record with every span pair.
``gsr``
    The PLOVER gold-standard records: JSONL with ``id``, ``date``, ``text``,
    ``event`` (a PLOVER type, current or older name), ``source_codes`` and
    ``target_codes`` (country codes or ``IGO``/``NGO``), optionally
    ``source_texts``/``target_texts`` (the spans' words, located in the text
    when they occur there once).
``events``
    dyadwatch's own coded-event JSONL (:mod:`dyadwatch.coding.schema`), e.g. an
    output of ``dyadwatch code`` corrected by hand: every line is a gold event;
    lines of one ``(doc_id, sentence_index)`` form one record whose text is
    ``sentence`` and whose spans are the events' ``spans.source``/``spans.target``.

Labels are the 15 classes of the PLV layout (:data:`PLV_CLASSES`, the PLOVER
types with CONCEDE and RETREAT merged into YIELD, and the older names REQUEST
and ACCUSE): :func:`plv_class_of_type` maps a PLOVER type, :func:`plv_class_of_cameo`
a CAMEO code (roots 03-08 and 10-20 as in the PLV data set's own description;
01 statements and 02 appeals, 09 investigations: see there).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import InputError

#: the 15 event classes of the PLV layout, cooperation -> conflict
PLV_CLASSES: tuple[str, ...] = ("AGREE", "CONSULT", "SUPPORT", "COOPERATE", "AID", "YIELD", "REQUEST", "ACCUSE",
                                "REJECT", "THREATEN", "PROTEST", "MOBILIZE", "SANCTION", "COERCE", "ASSAULT")
#: CAMEO root -> PLV class (PLV description in ../shared/data/PROVENANCE.md: roots 03-08, 10-17, 18-20;
#: 02 appeals join REQUEST and 09 investigations join ACCUSE as in the PLOVER crosswalk,
#: dyadwatch.codebooks.plover; 01 statements have no class)
ROOT_CLASS: dict[str, str] = {
    "02": "REQUEST", "03": "AGREE", "04": "CONSULT", "05": "SUPPORT", "06": "COOPERATE", "07": "AID",
    "08": "YIELD", "09": "ACCUSE", "10": "REQUEST", "11": "ACCUSE", "12": "REJECT", "13": "THREATEN",
    "14": "PROTEST", "15": "MOBILIZE", "16": "SANCTION", "17": "COERCE", "18": "ASSAULT", "19": "ASSAULT",
    "20": "ASSAULT"}
#: PLOVER type names (current and older) -> PLV class
TYPE_CLASS: dict[str, str] = {
    **{c: c for c in PLV_CLASSES}, "CONCEDE": "YIELD", "RETREAT": "YIELD", "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT", "SEIZE": "COERCE",
    "COOPERATION": "COOPERATE"}
MAX_FIELD_CHARS = 100_000
_MARK = re.compile(r"</?[st]>")

Span = tuple[int, int]


@dataclass
class GoldRecord:
    """One gold sentence (or short text) with its gold event.

    ``pairs`` are the gold (source span, target span) pairs as character
    offsets ``[start, end)`` into ``text`` (None where the gold has no span);
    ``source_codes``/``target_codes`` the gold actor codes where the layout
    gives codes instead of spans (GSR).  ``label`` is a class of
    :data:`PLV_CLASSES`.
    """

    id: str
    text: str
    label: str
    date: dt.date | None = None
    pairs: list[tuple[Span | None, Span | None]] = field(default_factory=list)
    source_codes: tuple[str, ...] = ()
    target_codes: tuple[str, ...] = ()
    path: str = ""
    line: int = 0

    @property
    def source_spans(self) -> list[Span]:
        return [s for s, _ in self.pairs if s is not None]

    @property
    def target_spans(self) -> list[Span]:
        return [t for _, t in self.pairs if t is not None]


def plv_class_of_type(plover_type: str) -> str | None:
    """PLV class of a PLOVER type name (``"RETREAT"`` -> ``"YIELD"``), None when it has none."""
    return TYPE_CLASS.get(str(plover_type).strip().upper())


def plv_class_of_cameo(code: str | None) -> str | None:
    """PLV class of a CAMEO code by its root (``"0871"`` -> ``"YIELD"``); None for 01x and unknown codes."""
    return ROOT_CLASS.get(str(code or "")[:2])


def detect_layout(path: Path, head: bytes) -> str:
    """``plv``, ``gsr`` or ``events`` from a file's first bytes.

    Raises
    ------
    InputError
        When the first line is neither a PLV header nor a JSON object of one
        of the JSON layouts.
    """
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
    cols = first.rstrip("\r").split("\t")
    if "marked_sentence" in cols and "gold_root" in cols:
        return "plv"
    try:
        obj = json.loads(first)
    except json.JSONDecodeError:
        obj = None
    if isinstance(obj, dict):
        if "event" in obj and "text" in obj:
            return "gsr"
        if "cameo_code" in obj and "sentence" in obj:
            return "events"
    raise InputError("not a gold file: expected a PLV TSV (marked_sentence, gold_root), PLOVER gold JSONL "
                     "(text, event) or coded-event JSONL (sentence, cameo_code)", path=path, line=1)


def read_gold(path: str | Path, layout: str | None = None) -> list[GoldRecord]:
    """Gold records of one file (layouts in the module docstring).

    Raises
    ------
    InputError
        A missing file or a directory, text that is not UTF-8, a line that is
        not of the layout (naming file, line and reason), an unknown class.
    """
    path = Path(path)
    if not path.exists():
        raise InputError("gold file not found", path=path)
    if path.is_dir():
        raise InputError("is a directory, expected a gold file (PLV TSV or JSONL)", path=path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise InputError("not UTF-8 text (save the gold file as UTF-8)", path=path, line=line) from None
    if "\x00" in text:
        raise InputError("binary file (NUL bytes), expected a gold text file", path=path,
                         line=text[:text.index("\x00")].count("\n") + 1)
    layout = layout or detect_layout(path, text[:65536].encode("utf-8"))
    reader = {"plv": _read_plv, "gsr": _read_gsr, "events": _read_events}.get(layout)
    if reader is None:
        raise InputError(f"unknown gold layout {layout!r} (valid: plv, gsr, events)", path=path)
    records = reader(path, text)
    if not records:
        raise InputError("no gold records in the file", path=path)
    return records


def read_gold_files(paths) -> list[GoldRecord]:
    """Records of several gold files, in order (see :func:`read_gold`)."""
    out: list[GoldRecord] = []
    for p in paths:
        out.extend(read_gold(p))
    return out


def strip_marks(marked: str) -> tuple[str, list[Span], list[Span]]:
    """Text of a PLV ``marked_sentence`` and its source and target spans.

    Raises
    ------
    ValueError
        Unbalanced or nested marks.
    """
    out: list[str] = []
    pos = 0
    n = 0
    opened: dict[str, int] = {}
    spans: dict[str, list[Span]] = {"s": [], "t": []}
    for m in _MARK.finditer(marked):
        out.append(marked[pos:m.start()])
        n += m.start() - pos
        pos = m.end()
        tag = m.group()
        kind = tag.strip("</>")
        if tag.startswith("</"):
            if kind not in opened:
                raise ValueError(f"{tag} without its opening mark")
            lo = opened.pop(kind)
            spans[kind].append(_trim(marked, lo, n, out))
        else:
            if kind in opened:
                raise ValueError(f"<{kind}> opened twice")
            opened[kind] = n
    if opened:
        raise ValueError(f"<{next(iter(opened))}> never closed")
    out.append(marked[pos:])
    return "".join(out), spans["s"], spans["t"]


def _trim(_marked: str, lo: int, hi: int, parts: list[str]) -> Span:
    text = "".join(parts)
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    return lo, hi


def _read_plv(path: Path, text: str) -> list[GoldRecord]:
    # the csv field limit is process-wide: set ours for this read only, so
    # other readers' limits (alignment_support's 16 MiB) are left as found
    previous = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        return _read_plv_rows(path, text)
    finally:
        csv.field_size_limit(previous)


def _read_plv_rows(path: Path, text: str) -> list[GoldRecord]:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    try:
        header = next(rows)
    except (StopIteration, csv.Error):
        raise InputError("empty PLV file", path=path, line=1) from None
    need = ("sentence", "marked_sentence", "gold_root")
    idx = {}
    for col in need:
        if col not in header:
            raise InputError(f"PLV header lacks column {col!r} (has: {', '.join(c for c in header if c)})",
                             path=path, line=1)
        idx[col] = header.index(col)
    id_col = header.index("sentence_id") if "sentence_id" in header else None
    by_text: dict[str, GoldRecord] = {}
    line = 1
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            raise InputError(f"malformed TSV ({exc})", path=path, line=rows.line_num) from None
        line = rows.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) < len(header):
            raise InputError(f"{len(row)} fields, the header has {len(header)}", path=path, line=line)
        label = row[idx["gold_root"]].strip().upper()
        if label not in PLV_CLASSES:
            raise InputError(f"gold_root {label!r} is not a PLV class (valid: {', '.join(PLV_CLASSES)})",
                             path=path, line=line)
        try:
            plain, srcs, tgts = strip_marks(row[idx["marked_sentence"]])
        except ValueError as exc:
            raise InputError(f"marked_sentence: {exc}", path=path, line=line) from None
        sentence = row[idx["sentence"]]
        if plain != sentence:
            raise InputError("marked_sentence without its marks differs from sentence", path=path, line=line)
        pairs = [(s, t) for s in (srcs or [None]) for t in (tgts or [None])]
        rec = by_text.get(sentence)
        if rec is None:
            rid = row[id_col].strip() if id_col is not None and row[id_col].strip() else f"line{line}"
            rec = by_text[sentence] = GoldRecord(id=rid, text=sentence, label=label, path=str(path), line=line)
        elif rec.label != label:
            raise InputError(f"sentence of line {rec.line} again with another class ({rec.label} / {label})",
                             path=path, line=line)
        for p in pairs:
            if p not in rec.pairs:
                rec.pairs.append(p)
    return list(by_text.values())


def _json_lines(path: Path, text: str):
    """``(line number, object)`` of each non-blank line of a JSONL gold text; lines end at LF
    only (:mod:`dyadwatch.jsonl`: a U+2028 inside a string is not a line end)."""
    from dyadwatch.jsonl import byte_lines, parse_object

    for n, raw in byte_lines([text.encode("utf-8")], max_line_bytes=len(text) * 4 + 1):
        line = raw.decode("utf-8")
        if not line.strip():
            continue
        try:
            yield n, parse_object(line)
        except ValueError as exc:
            raise InputError(str(exc), path=path, line=n) from None


def _date(value, path: Path, line: int) -> dt.date | None:
    from dyadwatch.coding.documents import parse_date

    if value in (None, ""):
        return None
    try:
        return parse_date(str(value))
    except Exception:  # noqa: BLE001 - any bad date is the same one-line input error
        raise InputError(f"date {str(value)[:40]!r} is not YYYY-MM-DD", path=path, line=line) from None


def _codes(obj, key: str, path: Path, line: int) -> tuple[str, ...]:
    val = obj.get(key) or []
    if not isinstance(val, list) or not all(isinstance(v, str) for v in val):
        raise InputError(f"{key} must be a list of code strings", path=path, line=line)
    return tuple(v.strip().upper() for v in val if v.strip())


def _locate(text: str, words) -> list[Span]:
    out = []
    for w in words or ():
        if isinstance(w, str) and w.strip() and text.count(w) == 1:
            lo = text.index(w)
            out.append((lo, lo + len(w)))
    return out


def _read_gsr(path: Path, text: str) -> list[GoldRecord]:
    out = []
    for n, obj in _json_lines(path, text):
        if not isinstance(obj.get("text"), str) or not obj.get("event"):
            raise InputError("expected an object with text and event", path=path, line=n)
        label = plv_class_of_type(str(obj["event"]))
        if label is None:
            raise InputError(f"event {str(obj['event'])[:40]!r} is not a PLOVER type", path=path, line=n)
        srcs = _locate(obj["text"], obj.get("source_texts"))
        tgts = _locate(obj["text"], obj.get("target_texts"))
        pairs = [(s, t) for s in (srcs or [None]) for t in (tgts or [None])] if srcs or tgts else []
        out.append(GoldRecord(id=str(obj.get("id") or f"line{n}"), text=obj["text"], label=label,
                              date=_date(obj.get("date"), path, n), pairs=pairs,
                              source_codes=_codes(obj, "source_codes", path, n),
                              target_codes=_codes(obj, "target_codes", path, n), path=str(path), line=n))
    return out


def _span(val, text: str, path: Path, line: int, what: str) -> Span | None:
    if val is None:
        return None
    if (not isinstance(val, list) or len(val) != 2 or not all(isinstance(v, int) and not isinstance(v, bool)
                                                              for v in val)
            or not 0 <= val[0] <= val[1] <= len(text)):
        raise InputError(f"spans.{what} must be [start, end] inside the sentence", path=path, line=line)
    return val[0], val[1]


def _read_events(path: Path, text: str) -> list[GoldRecord]:
    by_key: dict[tuple, GoldRecord] = {}
    for n, obj in _json_lines(path, text):
        sent = obj.get("sentence")
        if not isinstance(sent, str) or not sent.strip():
            raise InputError("expected a coded event with a sentence", path=path, line=n)
        label = plv_class_of_cameo(str(obj.get("cameo_code") or ""))
        if label is None:
            continue  # 01x statements have no class: not a gold event of the PLV layout
        spans = obj.get("spans") if isinstance(obj.get("spans"), dict) else {}
        pair = (_span(spans.get("source"), sent, path, n, "source"), _span(spans.get("target"), sent, path, n,
                                                                               "target"))
        codes = [(obj.get(k) or {}).get("code") if isinstance(obj.get(k), dict) else None
                 for k in ("source", "target")]
        key = (str(obj.get("doc_id")), obj.get("sentence_index"), sent)
        rec = by_key.get(key)
        if rec is None:
            rec = by_key[key] = GoldRecord(id=f"{key[0]}#{key[1]}", text=sent, label=label,
                                           date=_date(obj.get("event_date"), path, n), path=str(path), line=n)
        elif rec.label != label:
            continue  # one label per sentence: the first event's class
        rec.pairs.append(pair)
        rec.source_codes += tuple(c for c in codes[:1] if c)
        rec.target_codes += tuple(c for c in codes[1:] if c)
    return list(by_key.values())
