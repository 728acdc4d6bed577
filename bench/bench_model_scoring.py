"""Benchmark: scoring event triggers with the event-class model, per-feature loop vs gathered rows.

What :meth:`dyadwatch.coding.model.EventModel.revise` pays for the model on real news sentences: the
trigger of every classed rule event (with the rules' code, main weights) and, in a sentence with no
classed event of a known actor, every verb (no code, the fallback's rule-free weights; revise asks only
for those its negation, hypothesis and subject tests pass, so this is a little more), each featurised
and given class probabilities.  Two ways
in this process, on the same parsed sentences, alternating rounds (best of ``--rounds``):

* **loop** (the scoring of dyadwatch up to 45185f4): a feature dict per trigger
  (:func:`~dyadwatch.coding.features.trigger_features`, the sentence's bag of words read once) and one
  numpy row of ``coef`` added per feature;
* **rows** (now): one :class:`~dyadwatch.coding.features.SentenceRows` per sentence (each token's own
  features once, the bag once) and :meth:`~dyadwatch.coding.model.EventModel.proba_rows` (one gather, one
  multiply, one running sum).

The probabilities of both must be the same bits (the script stops otherwise).  Seconds are CPU time
(``time.process_time``: less noisy on a shared machine); "per x8" scales the one pass over the sentences to
the 8 copies of issue 12's ``bench_coder.py --plv``.

Run: ``python bench/bench_model_scoring.py --plv ../shared/data/text/plv_train.tsv [--model DIR]``
(without ``--model`` the model is trained on the file first, outside the timings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# the per-feature loop EventModel.proba was up to 45185f4 (the baseline), as the tests keep it
from tests.coding.test_coding_model_scoring import _loop_proba as loop_proba  # noqa: E402


def main() -> None:
    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.features import SentenceRows, content_words, trigger_features
    from dyadwatch.coding.gold import plv_class_of_cameo, read_gold
    from dyadwatch.coding.model import EventModel, _known
    from dyadwatch.coding.training import train_model

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plv", required=True, help="a PLV TSV (../shared/data/text/plv_train.tsv)")
    ap.add_argument("--model", help="event-class model directory (default: trained on --plv first)")
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    coder = get_coder()
    records = read_gold(args.plv, layout="plv")
    model = EventModel.load(args.model) if args.model else train_model(records, coder)
    on = dt.date(2017, 6, 14)
    work = []  # (doc, [(token, rule code, fallback)])
    for doc in coder.nlp.pipe([r.text for r in records], batch_size=coder.batch_size):
        sc, raw = coder.rule_events(doc, on)
        if sc is None:
            continue
        classed = [e for e in raw if e.anchors and plv_class_of_cameo(e.code)]
        asks = [(e.anchors[0], e.code, False) for e in classed]
        if not any(_known(e.source) or _known(e.target) for e in classed):
            asks += [(v, None, True) for v in doc if v.pos_ == "VERB"]
        if asks:
            work.append((doc, sc.dict_verbs, asks))
    bag = model.meta.get("bag", True)

    def by_loop():
        out = []
        for doc, dv, asks in work:
            words = content_words(doc)
            for tok, code, fb in asks:
                roots = dv.verb_roots(tok) if dv is not None else ()
                out.append(loop_proba(model, trigger_features(tok, code, bag=bag, dict_roots=roots, words=words), fb))
        return out

    def by_rows():
        out = []
        for doc, dv, asks in work:
            rows = SentenceRows(model.index, bag=bag, dict_verbs=dv)
            for tok, code, fb in asks:
                out.append(model.proba_rows(*rows.rows(tok, code), fallback=fb))
        return out

    a, b = by_loop(), by_rows()
    assert len(a) == len(b) and all(x.tobytes() == y.tobytes() for x, y in zip(a, b)), "probabilities differ"
    best = {"loop": float("inf"), "rows": float("inf")}
    for r in range(args.rounds):
        for name, fn in (("loop", by_loop), ("rows", by_rows)) if r % 2 == 0 else (("rows", by_rows), ("loop", by_loop)):
            t0 = time.process_time()
            fn()
            best[name] = min(best[name], time.process_time() - t0)
    n = len(a)
    print(f"{len(work)} sentences, {n} triggers scored (probabilities bit-identical)")
    print(f"loop {best['loop']:.4f} s ({best['loop'] / n * 1e6:.1f} us/trigger), rows {best['rows']:.4f} s "
          f"({best['rows'] / n * 1e6:.1f} us/trigger): ratio {best['rows'] / best['loop']:.2f}; "
          f"saved per x8 {8 * (best['loop'] - best['rows']):.2f} s")


if __name__ == "__main__":
    main()
