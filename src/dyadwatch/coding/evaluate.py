"""One scorer for the event coder: single-label accuracy, per-class figures, actor spans, cross-validation.

Gold records come from :mod:`dyadwatch.coding.gold` (PLV TSV, PLOVER gold
JSONL, our own coded-event JSONL); their label is one of the 15 classes of
the PLV layout (:data:`dyadwatch.coding.gold.PLV_CLASSES`).  A predicted
event's class is that of its CAMEO root (:func:`dyadwatch.coding.gold.plv_class_of_cameo`;
01x statements have none).

Definitions (every figure is a share in [0, 1] over the records scored):

* an actor of a predicted event **agrees** with the gold when its character
  span overlaps a gold span of that role (PLV, our JSONL), or — for records
  that carry gold actor codes but no span of that role (PLOVER gold
  records) — when its country (IGOs/NGOs: its code's first three letters)
  is one of the gold codes;
* the **label event** of a record is, among its predicted events that have a
  class, the one with the highest (agreement, confidence, earliest): agreement
  2 when source and target agree with one gold pair, 1 when one of them
  agrees, 0 otherwise; confidence is the event's ``confidence`` (1.0 for
  rule events without a model).  A record with no such event has no label;
* **single-label accuracy** = records whose label event's class is the gold
  class / records (no event = wrong);
* **per-class precision, recall, F1** over those single labels (a record with
  no label is a miss of its gold class); **macro-F1** = mean F1 over the
  classes that occur in the gold or the labels;
* **source accuracy** = records with a gold source whose label event's source
  agrees / records with a gold source; **target accuracy** likewise (a label
  event without a target is wrong);
* **event recall** = records with at least one predicted event of the gold
  class / records;
* **events per sentence** = predicted events (all, statements included) / records;
* **precision without statements** = predicted events of roots other than 01
  (statements) and 02 (appeals) whose class is the record's gold class / such
  events; **precision (all)** counts every predicted event (01x never
  correct).  Each record has one gold event, so an event the annotators did
  not mark counts as wrong: precision is a lower bound.

:func:`cross_validate` splits the records into ``k`` stratified folds
(:func:`stratified_folds`), trains a model on ``k - 1`` of them with
:func:`dyadwatch.coding.training.train_model`, and scores the fold left out.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from dyadwatch.coding.gold import PLV_CLASSES, GoldRecord, plv_class_of_cameo

STATEMENT_ROOTS = frozenset({"01", "02"})


@dataclass
class Predicted:
    """A predicted event as the scorer sees it (spans are character offsets into the record's text)."""

    cameo_code: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    source_key: str | None = None  # country ISO3, else the code's first three letters
    target_key: str | None = None
    confidence: float = 1.0

    @property
    def root(self) -> str:
        return self.cameo_code[:2]

    @property
    def label(self) -> str | None:
        return plv_class_of_cameo(self.cameo_code)


@dataclass
class Scores:
    """Figures of one scored set (definitions in the module docstring)."""

    records: int
    accuracy: float
    macro_f1: float
    source_accuracy: float
    target_accuracy: float
    event_recall: float
    events_per_sentence: float
    precision: float
    precision_all: float
    per_class: dict[str, dict] = field(default_factory=dict)  # class -> precision, recall, f1, support
    labelled: int = 0  # records that got a label event
    source_n: int = 0
    target_n: int = 0
    confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold -> predicted label -> n

    FIGURES = ("accuracy", "macro_f1", "precision", "precision_all", "source_accuracy", "target_accuracy",
               "event_recall", "events_per_sentence")

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _overlaps(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


def _agree(span, key, gold_spans, gold_codes) -> bool:
    if gold_spans:
        return any(_overlaps(span, g) for g in gold_spans)
    return bool(gold_codes) and key is not None and key in gold_codes


def agreement(ev: Predicted, rec: GoldRecord) -> tuple[int, bool, bool]:
    """(agreement level 0-2, source agrees, target agrees) of one event with a record's gold actors."""
    g_src, g_tgt = rec.source_spans, rec.target_spans
    src_ok = _agree(ev.source_span, ev.source_key, g_src, rec.source_codes)
    tgt_ok = _agree(ev.target_span, ev.target_key, g_tgt, rec.target_codes)
    level = int(src_ok) + int(tgt_ok)
    if level == 2 and rec.pairs and all(s is not None and t is not None for s, t in rec.pairs):
        # both must agree with the same pair
        if not any(_overlaps(ev.source_span, s) and _overlaps(ev.target_span, t) for s, t in rec.pairs):
            level = 1
    return level, src_ok, tgt_ok


def label_event(events: list[Predicted], rec: GoldRecord) -> Predicted | None:
    """The event that stands for the record's one label (see the module docstring), or None."""
    best, best_key = None, None
    for i, ev in enumerate(events):
        if ev.label is None:
            continue
        key = (agreement(ev, rec)[0], ev.confidence, -i)
        if best_key is None or key > best_key:
            best, best_key = ev, key
    return best


def score(records: list[GoldRecord], predictions: list[list[Predicted]]) -> Scores:
    """Score predicted events against gold records (same order, one list per record).

    Raises
    ------
    ValueError
        When the two lists differ in length.
    """
    if len(records) != len(predictions):
        raise ValueError(f"{len(records)} records but {len(predictions)} prediction lists")
    n = len(records)
    correct = recall_hits = 0
    src_ok = src_n = tgt_ok = tgt_n = labelled = 0
    n_events = n_typed = typed_ok = all_ok = 0
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    support: Counter = Counter()
    confusion: dict[str, Counter] = defaultdict(Counter)
    for rec, evs in zip(records, predictions):
        gold = rec.label
        support[gold] += 1
        n_events += len(evs)
        for ev in evs:
            ok = ev.label == gold
            all_ok += ok
            if ev.root not in STATEMENT_ROOTS:
                n_typed += 1
                typed_ok += ok
        recall_hits += any(ev.label == gold for ev in evs)
        lab = label_event(evs, rec)
        pred = lab.label if lab is not None else None
        confusion[gold][pred or "(none)"] += 1
        if lab is not None:
            labelled += 1
        if pred == gold:
            correct += 1
            tp[gold] += 1
        else:
            fn[gold] += 1
            if pred is not None:
                fp[pred] += 1
        has_src = bool(rec.source_spans or rec.source_codes)
        has_tgt = bool(rec.target_spans or rec.target_codes)
        _, s_ok, t_ok = agreement(lab, rec) if lab is not None else (0, False, False)
        if has_src:
            src_n += 1
            src_ok += s_ok
        if has_tgt:
            tgt_n += 1
            tgt_ok += t_ok
    per_class = {}
    classes = [c for c in PLV_CLASSES if support[c] or fp[c]]
    for c in classes:
        p = tp[c] / (tp[c] + fp[c]) if tp[c] + fp[c] else 0.0
        r = tp[c] / support[c] if support[c] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_class[c] = {"precision": p, "recall": r, "f1": f, "support": support[c], "predicted": tp[c] + fp[c]}
    return Scores(
        records=n, accuracy=correct / n if n else 0.0,
        macro_f1=sum(v["f1"] for v in per_class.values()) / len(per_class) if per_class else 0.0,
        source_accuracy=src_ok / src_n if src_n else 0.0, target_accuracy=tgt_ok / tgt_n if tgt_n else 0.0,
        event_recall=recall_hits / n if n else 0.0, events_per_sentence=n_events / n if n else 0.0,
        precision=typed_ok / n_typed if n_typed else 0.0, precision_all=all_ok / n_events if n_events else 0.0,
        per_class=per_class, labelled=labelled, source_n=src_n, target_n=tgt_n,
        confusion={g: dict(c) for g, c in confusion.items()})


# ---------------------------------------------------------------- predicting
def _key(actor: dict | None) -> str | None:
    if not actor:
        return None
    return actor.get("country") or (actor.get("code") or "")[:3] or None


def predict(records: list[GoldRecord], coder) -> list[list[Predicted]]:
    """Code every record's text with ``coder`` (a :class:`dyadwatch.coding.coder.Coder`) and return its
    events as :class:`Predicted`, spans moved from sentence to record offsets."""
    from dyadwatch.coding.documents import Document

    docs = [Document(doc_id=f"gold{i}", date=r.date, text=r.text) for i, r in enumerate(records)]
    events, _ = coder.code(docs)
    out: list[list[Predicted]] = [[] for _ in records]
    for e in events:
        i = int(e["doc_id"][4:])
        text = records[i].text
        base = text.find(e["sentence"])
        base = max(base, 0)
        spans = e.get("spans") or {}

        def shift(sp):
            return (sp[0] + base, sp[1] + base) if sp else None

        out[i].append(Predicted(cameo_code=e["cameo_code"], source_span=shift(spans.get("source")),
                                target_span=shift(spans.get("target")), source_key=_key(e["source"]),
                                target_key=_key(e["target"]), confidence=float(e.get("confidence", 1.0))))
    return out


def evaluate_records(records: list[GoldRecord], coder) -> Scores:
    """Code and score records with one coder (no training)."""
    return score(records, predict(records, coder))


# ---------------------------------------------------------------- cross-validation
def stratified_folds(labels: list[str], k: int = 5, seed: int = 0) -> list[int]:
    """Fold number (0..k-1) of each item: items of each class shuffled with ``random.Random(seed)`` and
    dealt round-robin, the deal continuing across classes, so every fold holds ``n_c // k`` or
    ``n_c // k + 1`` items of each class ``c`` and fold sizes differ by at most one.

    Raises
    ------
    ValueError
        ``k`` < 2 or more folds than items.
    """
    if k < 2:
        raise ValueError(f"cross-validation needs at least 2 folds, got {k}")
    if k > len(labels):
        raise ValueError(f"{k} folds but only {len(labels)} records")
    rng = random.Random(seed)
    by_class: dict[str, list[int]] = defaultdict(list)
    for i, lab in enumerate(labels):
        by_class[lab].append(i)
    folds = [0] * len(labels)
    j = 0
    for lab in sorted(by_class):
        idx = by_class[lab]
        rng.shuffle(idx)
        for i in idx:
            folds[i] = j % k
            j += 1
    return folds


@dataclass
class CrossValidation:
    """Per-fold scores, the scores of all held-out predictions pooled, and mean/sd per figure."""

    folds: list[Scores]
    pooled: Scores
    k: int
    seed: int

    def summary(self) -> dict[str, tuple[float, float]]:
        """figure -> (mean, sample sd) over the folds."""
        out = {}
        for name in Scores.FIGURES:
            vals = [getattr(f, name) for f in self.folds]
            m = sum(vals) / len(vals)
            sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (len(vals) - 1)) if len(vals) > 1 else 0.0
            out[name] = (m, sd)
        return out

    def as_dict(self) -> dict:
        return {"k": self.k, "seed": self.seed, "folds": [f.as_dict() for f in self.folds],
                "pooled": self.pooled.as_dict(),
                "mean_sd": {k: {"mean": m, "sd": s} for k, (m, s) in self.summary().items()}}


class ParseCache:
    """A spaCy pipeline that parses each text once and hands the same ``Doc`` back after (for
    cross-validation, where every fold parses the same sentences).  ``memory_zone`` is a no-op
    here: the cached docs must outlive a zone; the cache lives as long as the cross-validation."""

    def __init__(self, nlp):
        self._nlp = nlp
        self._docs: dict[str, object] = {}

    def __getattr__(self, name):
        return getattr(self._nlp, name)

    def memory_zone(self):
        import contextlib

        return contextlib.nullcontext()

    def pipe(self, texts, batch_size: int = 256, **_ignored):
        texts = list(texts)
        new = [t for t in dict.fromkeys(texts) if t not in self._docs]
        for t, doc in zip(new, self._nlp.pipe(new, batch_size=batch_size)):
            self._docs[t] = doc
        return (self._docs[t] for t in texts)


def cross_validate(records: list[GoldRecord], coder, *, k: int = 5, seed: int = 0, train=None,
                   extra_train: list[GoldRecord] = ()) -> CrossValidation:
    """k-fold cross-validation: for each fold, a model is trained (``train(records) -> model``, default
    :func:`dyadwatch.coding.training.train_model` with ``coder``) on the other folds plus ``extra_train``
    and the coder, using it, is scored on the fold.  With ``train=False`` nothing is trained (the
    rule coder is scored fold by fold, which shows the spread of a fixed coder)."""
    from dyadwatch.coding.training import train_model

    folds = stratified_folds([r.label for r in records], k, seed)
    preds: list[list[Predicted] | None] = [None] * len(records)
    fold_scores = []
    saved = getattr(coder, "model", None)
    saved_nlp = coder.nlp
    coder.nlp = ParseCache(saved_nlp)  # each sentence parsed once, not once per fold
    try:
        for f in range(k):
            test = [r for r, x in zip(records, folds) if x == f]
            if train is not False:
                fit = train or (lambda recs: train_model(recs, coder))
                coder.model = fit([r for r, x in zip(records, folds) if x != f] + list(extra_train))
            else:
                coder.model = None
            p = predict(test, coder)
            fold_scores.append(score(test, p))
            it = iter(p)
            for i, x in enumerate(folds):
                if x == f:
                    preds[i] = next(it)
    finally:
        coder.model = saved
        coder.nlp = saved_nlp
    return CrossValidation(fold_scores, score(records, [p or [] for p in preds]), k, seed)


# ---------------------------------------------------------------- one call for the CLI
@dataclass
class EvaluationRun:
    """What ``dyadwatch evaluate`` measured: plain scores, or a cross-validation."""

    files: list[str]
    records: int
    model: str  # what coded the events: "rules only", "rules + model DIR (...)", "rules + model trained per fold"
    scores: Scores | None = None
    cv: CrossValidation | None = None
    seen_in_training: int = 0  # records the model was trained on (plain scores only)


def run_evaluation(paths, *, folds: int | None = None, seed: int = 0, model_dir="auto",
                   coder=None) -> EvaluationRun:
    """Score the coder on gold files (:func:`dyadwatch.coding.gold.read_gold_files`).

    With ``folds`` (>= 2), a fresh model is trained on all folds but one and scored on that one
    (:func:`cross_validate`); ``model_dir`` is then ignored.  Without, the coder is scored as it
    is, with the model of :func:`dyadwatch.coding.coder.resolve_model` (``"auto"``, a directory, or
    None for rules only) and the count of records that model was trained on is reported.

    Raises
    ------
    InputError
        Bad gold files or a bad model directory.
    UsageError
        ``folds`` < 2 or more folds than records.
    """
    from dyadwatch.coding.coder import get_coder, resolve_model
    from dyadwatch.coding.gold import read_gold_files
    from dyadwatch.coding.training import record_hash
    from dyadwatch.errors import UsageError

    records = read_gold_files(paths)
    coder = coder or get_coder()
    files = [str(p) for p in paths]
    if folds is not None:
        if folds < 2 or folds > len(records):
            raise UsageError(f"--folds must be between 2 and the number of records ({len(records)}), got {folds}")
        cv = cross_validate(records, coder, k=folds, seed=seed)
        return EvaluationRun(files, len(records), "rules + model trained on the other folds", cv=cv)
    model = resolve_model(model_dir)
    saved = coder.model
    coder.model = model
    try:
        scores = evaluate_records(records, coder)
    finally:
        coder.model = saved
    seen = 0
    if model is None:
        desc = "rules only"
    else:
        trained = set(model.meta.get("record_hashes") or ())
        seen = sum(1 for r in records if record_hash(r.text) in trained)
        desc = f"rules + model {model.meta.get('path', '')} ({model.meta.get('trained_on', {}).get('records', '?')} " \
               f"training records)"
    return EvaluationRun(files, len(records), desc, scores=scores, seen_in_training=seen)
