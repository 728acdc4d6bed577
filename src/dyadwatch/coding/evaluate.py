"""Scores of the coder against gold event records (PLOVER gold-standard layout).

Gold file: JSONL with ``id``, ``date``, ``text``, ``event`` (PLOVER type),
``source_codes`` and ``target_codes`` (lists of country codes or
``IGO``/``NGO``), as in the PLOVER gold-standard records.

Definitions (one gold event per record):

* a predicted event **matches** the gold event when its ``plover_type`` is the
  gold type or its ``cameo_root`` is one of the roots of that type
  (:func:`dyadwatch.codebooks.plover.plover_to_cameo_roots`; the older PLOVER
  types ``FIGHT`` and ``INVESTIGATE``, absent from our crosswalk, take roots
  19-20 and 09, see :data:`EXTRA_TYPE_ROOTS`);
* **event recall** = records with at least one matching predicted event /
  records;
* **event precision** = matching predicted events / predicted events, counted
  over PLOVER-typed predictions (CAMEO 01x statements have no PLOVER type and
  are left out; :attr:`Evaluation.precision_all` counts them too);
* **source accuracy** = matched records whose matching events include one
  with the gold source / matched records with a gold source; an actor agrees
  when its country (or, for IGOs/NGOs, its first three code letters) is one of
  the gold codes; **target accuracy** likewise over records with a gold target;
* **per-type recall** = event recall by gold type.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.coding.documents import Document, parse_date
from dyadwatch.errors import InputError

#: PLOVER types of older gold files that our crosswalk does not hold -> CAMEO roots
EXTRA_TYPE_ROOTS = {"FIGHT": ("19", "20"), "INVESTIGATE": ("09",)}


@dataclass
class Evaluation:
    """Scores of one evaluation run (shares in [0, 1])."""

    records: int
    recall: float
    precision: float
    precision_all: float
    source_accuracy: float
    target_accuracy: float
    per_type: dict[str, tuple[int, int]] = field(default_factory=dict)  # type -> (found, total)
    predicted: int = 0
    misses: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d.pop("misses")
        return d


def type_roots(plover_type: str) -> tuple[str, ...]:
    """CAMEO roots of a PLOVER type (see the module docstring)."""
    from dyadwatch.codebooks.plover import plover_to_cameo_roots

    key = plover_type.strip().upper()
    if key in EXTRA_TYPE_ROOTS:
        return EXTRA_TYPE_ROOTS[key]
    return tuple(plover_to_cameo_roots(key))


def _actor_key(actor: dict | None) -> str | None:
    if not actor:
        return None
    return actor.get("country") or (actor.get("code") or "")[:3] or None


def read_gold(path: str | Path) -> list[dict]:
    """Gold records of a JSONL file.

    Raises
    ------
    InputError
        Missing file or a directory, a line that is not UTF-8, or a line that
        is not a JSON object with ``text`` and ``event`` (naming the line).
    """
    path = Path(path)
    if not path.exists():
        raise InputError("gold file not found", path=path)
    if path.is_dir():
        raise InputError("is a directory, expected a gold JSONL file", path=path)
    out = []
    with path.open("rb") as fh:
        for n, raw in enumerate(fh, start=1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InputError("not UTF-8 text (save the gold file as UTF-8)", path=path, line=n) from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"not JSON ({exc.msg})", path=path, line=n) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not rec.get("event"):
                raise InputError("expected an object with text and event", path=path, line=n)
            rec["_line"] = n
            out.append(rec)
    return out


def evaluate(path: str | Path, *, coder=None) -> Evaluation:
    """Code every gold sentence and score it (definitions in the module docstring)."""
    from dyadwatch.coding.coder import get_coder

    gold = read_gold(path)
    coder = coder or get_coder()
    docs = [Document(doc_id=str(g.get("id") or f"line{g['_line']}") + f"@{g['_line']}",
                     date=parse_date(g.get("date")), text=g["text"]) for g in gold]
    events, _ = coder.code(docs)
    by_doc: dict[str, list[dict]] = {}
    for e in events:
        by_doc.setdefault(e["doc_id"], []).append(e)
    found = 0
    predicted = predicted_all = correct = correct_all = 0
    src_ok = src_n = tgt_ok = tgt_n = 0
    per_type: dict[str, list[int]] = {}
    misses = []
    for g, d in zip(gold, docs):
        gtype = g["event"].strip().upper()
        roots = type_roots(gtype)
        evs = by_doc.get(d.doc_id, [])
        typed = [e for e in evs if e["plover_type"] != "OTHER"]

        def hit(e):
            return e["plover_type"] == gtype or e["cameo_root"] in roots

        matching = [e for e in typed if hit(e)]
        predicted += len(typed)
        correct += len(matching)
        predicted_all += len(evs)
        correct_all += len([e for e in evs if hit(e)])
        pt = per_type.setdefault(gtype, [0, 0])
        pt[1] += 1
        if not matching:
            misses.append({"id": g.get("id"), "event": gtype, "predicted": [
                (e["source"]["code"], e["target"]["code"] if e["target"] else None, e["cameo_code"]) for e in evs]})
            continue
        found += 1
        pt[0] += 1
        gsrc = set(g.get("source_codes") or ())
        gtgt = set(g.get("target_codes") or ())
        if gsrc:
            src_n += 1
            src_ok += any(_actor_key(e["source"]) in gsrc for e in matching)
        if gtgt:
            tgt_n += 1
            tgt_ok += any(_actor_key(e["target"]) in gtgt for e in matching)
    n = len(gold)
    return Evaluation(
        records=n, recall=found / n if n else 0.0,
        precision=correct / predicted if predicted else 0.0,
        precision_all=correct_all / predicted_all if predicted_all else 0.0,
        source_accuracy=src_ok / src_n if src_n else 0.0,
        target_accuracy=tgt_ok / tgt_n if tgt_n else 0.0,
        per_type={k: (v[0], v[1]) for k, v in sorted(per_type.items())},
        predicted=predicted, misses=misses)


def type_counts(path: str | Path) -> Counter:
    """Gold records per PLOVER type (for reports and tests)."""
    return Counter(g["event"].strip().upper() for g in read_gold(path))
