"""Measurement: what the TABARI/PETRARCH dictionaries add to the coder, and how they combine.

Codes the PLV sentences (``plv_train.tsv``: 1,050 news sentences with a gold
PLOVER class, which the built-in rules were not written on) and the
development half of the PLOVER gold records with the built-in dictionaries
alone and with the publisher dictionaries under several combinations:

* ``built-in``      no fetched dictionary;
* ``dictionaries``  the coder's default with them (built-in first, verb patterns only,
                    discards without time references);
* ``+verb alone``   also a verb's block code when none of its patterns matches;
* ``+time discards`` also Phoenix's time-reference discards (years, "... ago");
* ``-actors``       without the fetched actor and agent entries.

PLV scores: **first-label accuracy** (the first PLOVER-typed event of a
sentence has its gold class), **recall** (some event has it), **precision**
(events with it / PLOVER-typed events); our types are mapped to PLV's classes
(DISAPPROVE -> ACCUSE, CONCEDE and RETREAT -> YIELD, DEMAND -> REQUEST,
SEIZE -> COERCE).  Development records: :func:`dyadwatch.coding.evaluate.evaluate`.

Run: ``python bench/bench_dictionaries.py [--data ../shared/data]`` (a few minutes).
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
from collections import defaultdict
from pathlib import Path

PLV_MAP = {"DISAPPROVE": "ACCUSE", "CONCEDE": "YIELD", "RETREAT": "YIELD", "DEMAND": "REQUEST", "SEIZE": "COERCE"}


def plv_scores(coder, path: Path) -> dict:
    from dyadwatch.coding.documents import Document, parse_date

    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    docs = [Document(doc_id=f"p{i}", date=parse_date("2018-01-01"), text=r["sentence"]) for i, r in enumerate(rows)]
    events, _ = coder.code(docs)
    labels: dict[str, list[str]] = defaultdict(list)
    for e in events:
        if e["plover_type"] != "OTHER":
            labels[e["doc_id"]].append(PLV_MAP.get(e["plover_type"], e["plover_type"]))
    first = found = right = typed = 0
    for i, r in enumerate(rows):
        got, gold = labels.get(f"p{i}", []), r["gold_root"]
        first += bool(got) and got[0] == gold
        found += gold in got
        right += sum(g == gold for g in got)
        typed += len(got)
    n = len(rows)
    return {"plv_accuracy": round(first / n, 3), "plv_recall": round(found / n, 3),
            "plv_precision": round(right / typed, 3) if typed else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    args = ap.parse_args()

    from dyadwatch.coding.coder import Coder
    from dyadwatch.coding.dictionaries.discards import DiscardMatcher
    from dyadwatch.coding.evaluate import evaluate

    dicts = args.data / "dictionaries" / "petrarch2"
    plv = args.data / "text" / "plv_train.tsv"
    gsr = args.data / "text" / "plover_gsr_dev.jsonl"

    def variants():
        yield "built-in", Coder(fetched=False)
        coder = Coder(dictionaries=[str(dicts)], fetched=False)
        yield "dictionaries", coder
        coder.dict_verbs.verb_alone = True
        yield "+verb alone", coder
        coder.dict_verbs.verb_alone = False
        kept = coder.discards
        coder.discards = DiscardMatcher([d for f in coder.dictionaries.discards for d in f.entries])
        yield "+time discards", coder
        coder.discards = kept
        bare = Coder(dictionaries=[str(dicts)], fetched=False)
        bare.dictionaries = dataclasses.replace(bare.dictionaries, actors=[], agents=[])
        from dyadwatch.codebooks import actors as actor_book
        from dyadwatch.coding.actors import ActorRecogniser

        bare.recogniser = ActorRecogniser(actor_book.load())
        yield "-actors", bare

    print("variant          dev recall  dev precision  dev source  dev target  PLV accuracy  PLV recall  PLV precision")
    for name, coder in variants():
        dev = evaluate(gsr, coder=coder)
        p = plv_scores(coder, plv)
        print(f"{name:16s} {dev.recall:10.3f} {dev.precision:14.3f} {dev.source_accuracy:11.3f} "
              f"{dev.target_accuracy:11.3f} {p['plv_accuracy']:13.3f} {p['plv_recall']:11.3f} "
              f"{p['plv_precision']:14.3f}", flush=True)


if __name__ == "__main__":
    main()
