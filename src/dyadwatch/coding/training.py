"""Training the event-class model (:class:`dyadwatch.coding.model.EventModel`) from gold records.

Each gold record's sentence is parsed and coded by the rules (:func:`training_examples`); its trigger is
the trigger of the rule event whose actors agree best with the gold spans (as the scorer's label event),
else the verb that governs the gold source and target spans (their lowest common ancestor, raised to a
verb, :func:`tree_trigger`).  The classifier (:func:`train_model`) is scikit-learn's multinomial logistic
regression (L2, ``C`` :data:`DEFAULT_C`) over the sparse features of
:func:`dyadwatch.coding.features.trigger_features`; the standardised tensor row can be added
(``dense=True``) but lowered the cross-validated accuracy (its 96 dense columns outweigh the sparse
ones), so it is off by default.  A second weight matrix, for verbs the rules did not code, is fitted on
the same examples without the rules' features (:data:`RULE_FEATURES`; see
:attr:`dyadwatch.coding.model.EventModel.fallback_coef`).  :func:`train_files` reads gold files, trains
and saves the model where ``dyadwatch code`` finds it.

Data flows one way: this module imports :mod:`dyadwatch.coding.model` (the model it builds), never the
reverse; scoring and revising events with a trained model stays there.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import numpy as np

from dyadwatch.coding.features import trigger_features, trigger_vector
from dyadwatch.coding.gold import GoldRecord, plv_class_of_cameo
from dyadwatch.coding.model import (DEFAULT_FLOOR, DEFAULT_MARGIN, DEFAULT_THRESHOLD, EventModel,
                                    default_model_dir)
from dyadwatch.errors import InputError

#: feature-name prefixes of what the rules said about a trigger; the fallback's weights leave them out
RULE_FEATURES = ("rule=", "code=")
#: inverse L2 strength (5-fold CV on PLV with the PETRARCH dictionaries, accuracy / precision without
#: statements: C 0.3 -> 0.709 / 0.736, 1 -> 0.730 / 0.749, 3 -> 0.737 / 0.744, 10 -> 0.745 / 0.742)
DEFAULT_C = 10.0

def _span_tokens(sent, span) -> list:
    lo, hi = span
    return [t for t in sent if t.idx < hi and t.idx + len(t.text) > lo]


def _span_head(toks):
    ids = {t.i for t in toks}
    for t in toks:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return toks[0] if toks else None


def _to_verb(t):
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") or t.head.i == t.i:
            return t
        t = t.head
    return t


def tree_trigger(sent, src_span, tgt_span):
    """The verb that governs a gold source and target span (lowest common ancestor of their heads,
    raised to a verb); with one span, the verb governing it; with none, the sentence's root."""
    heads = [h for h in (_span_head(_span_tokens(sent, s)) for s in (src_span, tgt_span) if s) if h is not None]
    if not heads:
        return next((t for t in sent if t.head.i == t.i), sent[0])
    if len(heads) == 1:
        return _to_verb(heads[0].head)
    anc = [heads[0]] + list(heads[0].ancestors)
    others = {heads[1].i} | {a.i for a in heads[1].ancestors}
    lca = next((a for a in anc if a.i in others), anc[-1])
    if lca.i in (heads[0].i, heads[1].i):
        lca = lca.head
    return _to_verb(lca)


def training_examples(records: list[GoldRecord], coder, *,
                      bag: bool = True) -> list[tuple[dict, np.ndarray | None, str, str]]:
    """(features, tensor row, gold class, how the trigger was found) for each record with a trigger."""
    from dyadwatch.coding import datelines
    from dyadwatch.coding.evaluate import Predicted, agreement

    picked = []
    for rec in records:
        sents = [s for s, _ in coder.split(rec.text)]
        if not sents:
            continue
        anchor = next((s for s, _ in rec.pairs if s is not None), None) or \
            next((t for _, t in rec.pairs if t is not None), None)
        choice, base = sents[0], max(rec.text.find(sents[0]), 0)
        if anchor is not None:
            pos = 0
            for s in sents:
                at = rec.text.find(s, pos)
                if at >= 0 and at <= anchor[0] < at + len(s):
                    choice, base = s, at
                    break
                pos = max(at, pos)
        line = datelines.dateline(choice)  # the coder parses a sentence without its dateline
        skip = line.end if line is not None else 0
        picked.append((rec, choice[skip:], base + skip))
    out = []
    for (rec, text, base), parsed in zip(picked, coder.nlp.pipe([t for _, t, _ in picked],
                                                                batch_size=coder.batch_size)):
        sc, raw = coder.rule_events(parsed, rec.date)
        local = GoldRecord(rec.id, text, rec.label, rec.date, [
            (None if s is None else (s[0] - base, s[1] - base), None if t is None else (t[0] - base, t[1] - base))
            for s, t in rec.pairs], rec.source_codes, rec.target_codes)
        best, best_key = None, None
        for i, e in enumerate(raw):
            if plv_class_of_cameo(e.code) is None or not e.anchors:
                continue
            p = Predicted(e.code, e.source.span, e.target.span if e.target else None, e.source.country,
                          e.target.country if e.target else None)
            key = (agreement(p, local)[0], -i)
            if key[0] > 0 and (best_key is None or key > best_key):
                best, best_key = e, key
        if best is not None:
            trig, code, how = best.anchors[0], best.code, "rule"
        else:
            src = next((s for s, _ in local.pairs if s is not None), None)
            tgt = next((t for _, t in local.pairs if t is not None), None)
            trig = tree_trigger(parsed, src, tgt)
            code = next((e.code for e in raw if e.anchors and e.anchors[0].i == trig.i), None)
            how = "tree"
        roots = coder.dict_verbs.verb_roots(trig) if getattr(coder, "dict_verbs", None) is not None else ()
        out.append((trigger_features(trig, code, bag=bag, dict_roots=roots), trigger_vector(trig), rec.label, how))
    return out


def record_hash(text: str) -> str:
    """Short hash of a training sentence (kept in ``model.json`` so ``evaluate`` can tell records the model
    has seen; the sentence itself is not kept)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def _digest(records: list[GoldRecord]) -> dict:
    files: dict[str, int] = {}
    for r in records:
        files[Path(r.path).name if r.path else "(in memory)"] = files.get(
            Path(r.path).name if r.path else "(in memory)", 0) + 1
    h = hashlib.sha256("\x1e".join(f"{r.text}\x1f{r.label}" for r in records).encode("utf-8")).hexdigest()
    return {"files": files, "records": len(records), "sha256": h}


def train_model(records: list[GoldRecord], coder, *, c: float = DEFAULT_C,
                threshold: float = DEFAULT_THRESHOLD, margin: float = DEFAULT_MARGIN, dense: bool = False,
                bag: bool = True, floor: float = DEFAULT_FLOOR) -> EventModel:
    """Fit an :class:`EventModel` on gold records with the coder's parser, dictionaries and rules.

    Raises
    ------
    InputError
        Fewer than two classes among the records' triggers.
    """
    from scipy import sparse
    from sklearn.feature_extraction import DictVectorizer

    ex = training_examples(records, coder, bag=bag)
    labels = [y for _, _, y, _ in ex]
    if len(set(labels)) < 2:
        raise InputError(f"training needs records of at least two classes, got {sorted(set(labels))}")
    vec = DictVectorizer()
    x_sparse = vec.fit_transform([f for f, _, _, _ in ex])
    dims = {len(v) for _, v, _, _ in ex if v is not None}
    n_dense = dims.pop() if dense and len(dims) == 1 else 0
    if n_dense:
        m = np.stack([v if v is not None and len(v) == n_dense else np.zeros(n_dense, np.float32)
                      for _, v, _, _ in ex])
        mean, scale = m.mean(axis=0), m.std(axis=0) + 1e-6
        x = sparse.hstack([x_sparse, sparse.csr_matrix((m - mean) / scale)]).tocsr()
    else:
        mean = scale = np.zeros(0, np.float32)
        x = x_sparse
    names = list(vec.feature_names_)
    rule_free = np.ones(x.shape[1])  # the fallback's weights: the rules' feature columns zeroed (weights stay 0)
    rule_free[[i for i, n in enumerate(names) if n.startswith(RULE_FEATURES)]] = 0.0
    classes, coef, intercept = _fit(x, labels, c)
    _, fb_coef, fb_intercept = _fit((x @ sparse.diags(rule_free)).tocsr(), labels, c)  # same labels: same classes
    hows: dict[str, int] = {}
    for _, _, _, how in ex:
        hows[how] = hows.get(how, 0) + 1
    meta = {"trained_on": _digest(records), "record_hashes": sorted({record_hash(r.text) for r in records}),
            "triggers": hows, "c": c, "dense_features": int(n_dense), "bag": bag,
            "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "spacy_model": f"{coder.nlp.meta.get('name')}-{coder.nlp.meta.get('version')}"}
    return EventModel(classes, names, coef, intercept, mean.astype(np.float32),
                      scale.astype(np.float32), threshold, meta, margin, floor, fb_coef, fb_intercept)


def _fit(x, labels: list[str], c: float) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Multinomial logistic regression (L2, inverse strength ``c``) on sparse rows ``x`` (n, d):
    (classes, coef (d, n_classes) float32, intercept (n_classes,) float64)."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, max_iter=2000)
    clf.fit(x, labels)
    classes = [str(k) for k in clf.classes_]
    coef = clf.coef_.T.astype(np.float32)
    intercept = clf.intercept_.astype(np.float64)
    if len(classes) == 2:  # binary: sklearn keeps one column; spell out both
        coef = np.hstack([-coef / 2, coef / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    return classes, coef, intercept


def train_files(paths, out: str | Path | None = None, *, coder=None, **options) -> tuple[EventModel, Path]:
    """Train an :class:`EventModel` on gold files (PLV, PLOVER gold or coded-event JSONL, see
    :mod:`dyadwatch.coding.gold`) and save it to ``out`` (default :func:`default_model_dir`).
    ``options`` go to :func:`train_model`.  Returns the model and its directory.

    Raises
    ------
    InputError
        Bad gold files, fewer than two classes, or an ``out`` that cannot be written.
    """
    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.gold import read_gold_files

    records = read_gold_files(paths)
    out_dir = Path(out) if out is not None else default_model_dir()
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("exists and is not a directory", path=out_dir, hint="give another --out")
    model = train_model(records, coder or get_coder(), **options)
    model.save(out_dir)
    model.meta["path"] = str(out_dir)
    return model, out_dir
