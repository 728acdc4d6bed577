"""Scoring a trigger with the event-class model: probabilities by hand, bit for bit the per-feature loop
they replaced (thresholds, margins and floors compare them), and a sentence's sparse rows equal to its
feature dicts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dyadwatch.coding.features import BAG_WEIGHT, SentenceRows, content_words, trigger_features
from dyadwatch.coding.model import CLASS_CODES, EventModel

NO_DENSE = np.zeros(0, np.float32)


def _model(names, coef, intercept, fallback_coef=None, fallback_intercept=None) -> EventModel:
    classes = list(CLASS_CODES)[:coef.shape[1]]
    return EventModel(classes, names, coef, intercept, NO_DENSE, NO_DENSE,
                      fallback_coef=fallback_coef, fallback_intercept=fallback_intercept)


def _loop_proba(model: EventModel, feats: dict[str, float], fallback: bool = False) -> np.ndarray:
    """:meth:`EventModel.proba` as it was written up to 45185f4: one row of ``coef`` added per feature."""
    coef, intercept = model.coef, model.intercept
    if fallback and model.fallback_coef is not None:
        coef, intercept = model.fallback_coef, model.fallback_intercept
    z = intercept.astype(np.float64).copy()
    for name, val in feats.items():
        i = model.index.get(name)
        if i is not None:
            z += val * coef[i]
    z -= z.max()
    e = np.exp(z)
    return e / e.sum()


def test_model_proba_by_hand():
    coef = np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.0], [2.0, 0.0, 0.0]], np.float32)
    model = _model(["l=meet", "w=talk", "rule=04"], coef, np.array([0.0, 0.1, -0.1]))
    p = model.proba({"l=meet": 1.0, "w=talk": 0.3, "o=unknown": 1.0}, None)
    z = [0.0 + 1.0 + 0.3 * 0.5, 0.1 + 0.0 + 0.3 * 0.5, -0.1 - 1.0 + 0.0]
    want = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
    assert p == pytest.approx(want, abs=1e-7) and p.dtype == np.float64
    assert p == pytest.approx([0.6614, 0.2689, 0.0697], abs=1e-4)
    # no known feature: the intercept alone
    b = [math.exp(v) / sum(math.exp(u) for u in (0.0, 0.1, -0.1)) for v in (0.0, 0.1, -0.1)]
    assert model.proba({"o=unknown": 1.0}, None) == pytest.approx(b, abs=1e-12)
    assert model.proba_rows([], [], None) == pytest.approx(b, abs=1e-12)


@pytest.mark.parametrize("seed", range(4))
def test_model_proba_is_bit_identical_to_the_per_feature_loop(seed):
    rng = np.random.default_rng(seed)
    n, k = 400, 15
    names = [f"f{i}" for i in range(n)]
    coef = (rng.normal(size=(n, k)) * 4).astype(np.float32)
    fb = (rng.normal(size=(n, k)) * 4).astype(np.float32)
    model = _model(names, coef, rng.normal(size=k), fb, rng.normal(size=k))
    differs = 0
    for _ in range(300):
        feats = {f"f{int(i)}": float(rng.choice([1.0, BAG_WEIGHT, rng.uniform(0.01, 2.0)]))
                 for i in rng.integers(0, n + 40, size=int(rng.integers(0, 70)))}  # f400+ are unknown
        for fallback in (False, True):
            want = _loop_proba(model, feats, fallback)
            assert model.proba(feats, None, fallback=fallback).tobytes() == want.tobytes()
            # a float64 dot product (another summation order and rounding) is not the same bits
            rows = [model.index[f] for f in feats if f in model.index]
            c = fb if fallback else coef
            z = (model.fallback_intercept if fallback else model.intercept) + \
                np.array([v for f, v in feats.items() if f in model.index]) @ c[rows].astype(np.float64) \
                if rows else None
            if z is not None:
                e = np.exp(z - z.max())
                differs += (e / e.sum()).tobytes() != want.tobytes()
    assert differs > 100  # the test can tell a reordered sum from the loop


SENTENCES = ["Russia met Iran and Russia signed a deal with Iran in Moscow on Monday.",  # lemmas repeated
             "France will not send troops to Mali, the defence minister said."]  # every lemma once


@pytest.mark.parametrize("text", SENTENCES)
def test_sentence_rows_are_the_feature_dicts_in_the_index(coder, text):
    doc = coder.nlp(text)
    feats = [(t, code, trigger_features(t, code)) for t in doc for code in (None, "040", "173")]
    every = sorted({n for _, _, f in feats for n in f})
    words = content_words(doc)
    assert all(n.startswith("w=") for _, n in words) and len(words) >= 5
    if text.startswith("Russia"):
        assert len({n for _, n in words}) < len(words)  # the dedup path is exercised
    for index in ({n: i for i, n in enumerate(every)},  # every feature known
                  {n: i for i, n in enumerate(every[::2])}):  # half of them unknown to the model
        rows = SentenceRows(index, dict_verbs=coder.dict_verbs)
        for _ in range(2):  # asked twice: the cached own features give the same rows
            for t, code, f in feats:
                want = ([index[n] for n in f if n in index], [v for n, v in f.items() if n in index])
                assert rows.rows(t, code) == want, (t.text, code)
        no_bag = SentenceRows(index, bag=False)
        t = doc[1]
        f = trigger_features(t, "040", bag=False)
        assert no_bag.rows(t, "040") == ([index[n] for n in f if n in index], [v for n, v in f.items() if n in index])


def test_sentence_rows_start_afresh_on_another_doc(coder):
    a, b = coder.nlp(SENTENCES[0]), coder.nlp(SENTENCES[1])
    index = {n: i for i, n in enumerate(sorted(set(trigger_features(a[1], None)) | set(trigger_features(b[3], None))))}
    rows = SentenceRows(index)
    for tok in (a[1], b[3], a[1]):  # "met", "send", "met": same token index 1 vs 3, different docs
        f = trigger_features(tok, None)
        assert rows.rows(tok, None) == ([index[n] for n in f if n in index], [v for n, v in f.items() if n in index])
    assert "w=mali" in trigger_features(b[3], None) and "w=mali" not in trigger_features(a[1], None)
