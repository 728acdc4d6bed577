"""The scorer (hand-computed cases built here), the gold readers and the cross-validation split."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dyadwatch.coding.evaluate import Predicted, label_event, score, stratified_folds
from dyadwatch.coding.gold import GoldRecord, plv_class_of_cameo, read_gold, strip_marks
from dyadwatch.errors import InputError


def rec(label, src=None, tgt=None, text="x" * 60, **kw):
    return GoldRecord(id=label, text=text, label=label, pairs=[(src, tgt)] if src or tgt else [], **kw)


def test_evaluate_class_of_cameo_roots():
    assert plv_class_of_cameo("0871") == "YIELD"
    assert plv_class_of_cameo("036") == "AGREE"
    assert plv_class_of_cameo("1823") == "ASSAULT" and plv_class_of_cameo("195") == "ASSAULT"
    assert plv_class_of_cameo("010") is None


def test_evaluate_label_event_prefers_actor_agreement_then_confidence():
    r = rec("ACCUSE", (0, 5), (10, 15))
    wrong_actors = Predicted("111", (20, 25), (30, 35), confidence=0.99)
    one_actor = Predicted("040", (0, 5), (30, 35), confidence=0.9)
    both = Predicted("112", (1, 3), (12, 20), confidence=0.2)
    assert label_event([wrong_actors, one_actor, both], r) is both
    assert label_event([wrong_actors, one_actor], r) is one_actor
    # a statement has no class: never the label
    assert label_event([Predicted("010", (0, 5), (10, 15))], r) is None
    # equal agreement: the more confident, then the earlier
    a, b = Predicted("111", (0, 5), None, confidence=0.5), Predicted("040", (0, 5), None, confidence=0.7)
    assert label_event([a, b], r) is b
    c = Predicted("111", (0, 5), None)
    d = Predicted("040", (0, 5), None)
    assert label_event([c, d], r) is c


def test_evaluate_scores_hand_computed():
    records = [rec("ACCUSE", (0, 5), (10, 15)),    # right class, both actors
               rec("ACCUSE", (0, 5), (10, 15)),    # wrong class (CONSULT), source only
               rec("CONSULT", (0, 5), (10, 15)),   # no event
               rec("ASSAULT", (0, 5), None)]       # right class; no gold target
    preds = [[Predicted("111", (0, 4), (11, 14)), Predicted("010", (0, 4), None)],
             [Predicted("040", (2, 6), (40, 50))],
             [],
             [Predicted("190", (3, 9), (20, 30)), Predicted("020", (3, 9), (20, 30))]]
    s = score(records, preds)
    assert s.records == 4 and s.labelled == 3
    assert s.accuracy == pytest.approx(2 / 4)
    # ACCUSE: tp 1, fn 1, fp 0 -> P 1, R .5, F 2/3; CONSULT: tp 0, fp 1, fn 1 -> F 0; ASSAULT: P=R=F=1
    assert s.per_class["ACCUSE"]["precision"] == pytest.approx(1.0)
    assert s.per_class["ACCUSE"]["recall"] == pytest.approx(0.5)
    assert s.per_class["CONSULT"]["f1"] == 0.0 and s.per_class["CONSULT"]["predicted"] == 1
    assert s.per_class["ASSAULT"]["f1"] == pytest.approx(1.0)
    assert s.macro_f1 == pytest.approx((2 / 3 + 0 + 1) / 3)
    # sources: records 1, 2, 4 agree (record 3 has no event) -> 3/4; targets: record 1 only, of 3 with a target
    assert s.source_accuracy == pytest.approx(3 / 4) and s.source_n == 4
    assert s.target_accuracy == pytest.approx(1 / 3) and s.target_n == 3
    # 5 events; without 01/02: 111 (right), 040 (wrong), 190 (right) -> 2/3; all: 111, 190 of 5
    assert s.events_per_sentence == pytest.approx(5 / 4)
    assert s.precision == pytest.approx(2 / 3)
    assert s.precision_all == pytest.approx(2 / 5)
    assert s.event_recall == pytest.approx(2 / 4)
    assert s.confusion["CONSULT"] == {"(none)": 1}


def test_evaluate_codes_when_the_gold_has_no_spans():
    r = GoldRecord(id="g", text="Russia met Iran.", label="CONSULT", source_codes=("RUS",), target_codes=("IRN",))
    s = score([r], [[Predicted("040", (0, 6), (11, 15), source_key="RUS", target_key="SYR")]])
    assert (s.accuracy, s.source_accuracy, s.target_accuracy) == (1.0, 1.0, 0.0)


def test_evaluate_pairs_must_agree_together():
    # two gold pairs A->B and C->D: an event A->D agrees with one role of each pair only
    r = GoldRecord(id="p", text="x" * 50, label="ASSAULT", pairs=[((0, 2), (10, 12)), ((20, 22), (30, 32))])
    both_wrong_pair = Predicted("190", (0, 2), (30, 32), confidence=0.9)
    right_pair = Predicted("111", (20, 22), (30, 32), confidence=0.1)
    assert label_event([both_wrong_pair, right_pair], r) is right_pair


def test_evaluate_strip_marks():
    text, s, t = strip_marks("<s>Russia</s> bombed <t>rebels in Idlib</t> today.")
    assert text == "Russia bombed rebels in Idlib today."
    assert s == [(0, 6)] and t == [(14, 29)] and text[14:29] == "rebels in Idlib"
    with pytest.raises(ValueError):
        strip_marks("<s>Russia bombed")
    with pytest.raises(ValueError):
        strip_marks("Russia</t> bombed")


PLV_HEADER = "\tsentence_id\tsentence\tmarked_sentence\tsource\ttarget\tgold_root\n"


def test_evaluate_reads_plv_rows_of_one_sentence_as_one_record(tmp_path):
    p = tmp_path / "plv.tsv"
    p.write_text(PLV_HEADER
                 + "0\t1\tA and B hit C.\t<s>A</s> and B hit <t>C</t>.\tA\tC\tASSAULT\n"
                 + "1\t1\tA and B hit C.\tA and <s>B</s> hit <t>C</t>.\tB\tC\tASSAULT\n"
                 + "2\t2\tD met E.\t<s>D</s> met <t>E</t>.\tD\tE\tCONSULT\n", encoding="utf-8")
    records = read_gold(p)
    assert [r.label for r in records] == ["ASSAULT", "CONSULT"]
    assert records[0].pairs == [((0, 1), (12, 13)), ((6, 7), (12, 13))]


@pytest.mark.parametrize("row, reason", [
    ("0\t1\tA hit C.\t<s>A</s> hit <t>C</t>.\tA\tC\tFIGHTING\n", "not a PLV class"),
    ("0\t1\tA hit C.\t<s>A hit <t>C</t>.\tA\tC\tASSAULT\n", "never closed"),
    ("0\t1\tA hit C.\t<s>A</s> hit <t>D</t>.\tA\tC\tASSAULT\n", "differs from sentence"),
    ("0\t1\tA hit C.\n", "fields"),
])
def test_evaluate_refuses_bad_plv_lines_naming_the_line(tmp_path, row, reason):
    p = tmp_path / "bad.tsv"
    p.write_text(PLV_HEADER + "0\t1\tD met E.\t<s>D</s> met <t>E</t>.\tD\tE\tCONSULT\n" + row, encoding="utf-8")
    with pytest.raises(InputError) as exc:
        read_gold(p)
    assert exc.value.line == 3 and reason in exc.value.reason


def test_evaluate_refuses_files_that_are_no_gold(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"hello": 1}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a gold file"):
        read_gold(p)
    b = tmp_path / "b.tsv"
    b.write_bytes(PLV_HEADER.encode() + b"\xff\xfe\n")
    with pytest.raises(InputError, match="UTF-8") as exc:
        read_gold(b)
    assert exc.value.line == 2


def test_evaluate_reads_our_event_jsonl(tmp_path):
    import json

    ev = {"doc_id": "d", "sentence_index": 0, "sentence": "Russia bombed Idlib.", "cameo_code": "195",
          "source": {"code": "RUS"}, "target": {"code": "SYR"}, "spans": {"source": [0, 6], "target": [14, 19]},
          "event_date": "2017-06-14"}
    stmt = dict(ev, cameo_code="010", spans={"source": [0, 6], "target": None})
    p = tmp_path / "ev.jsonl"
    p.write_text(json.dumps(ev) + "\n" + json.dumps(stmt) + "\n", encoding="utf-8")
    [r] = read_gold(p)
    assert (r.label, r.pairs, r.source_codes, str(r.date)) == ("ASSAULT", [((0, 6), (14, 19))], ("RUS",),
                                                               "2017-06-14")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from("ABCDE"), min_size=5, max_size=80), st.integers(2, 5), st.integers(0, 10))
def test_evaluate_folds_partition_and_stratify(labels, k, seed):
    if k > len(labels):
        return
    folds = stratified_folds(labels, k, seed)
    assert len(folds) == len(labels) and set(folds) <= set(range(k))
    sizes = Counter(folds)
    assert max(sizes.values()) - min(sizes.get(f, 0) for f in range(k)) <= 1
    for lab, n in Counter(labels).items():
        per = Counter(f for f, x in zip(folds, labels) if x == lab)
        assert all(n // k <= per.get(f, 0) <= n // k + 1 for f in range(k))
    assert folds == stratified_folds(labels, k, seed)  # seeded: the same split again


def test_evaluate_folds_depend_on_the_seed_and_refuse_bad_k():
    labels = ["A"] * 30 + ["B"] * 20
    assert stratified_folds(labels, 5, 1) != stratified_folds(labels, 5, 2)
    with pytest.raises(ValueError):
        stratified_folds(labels, 1)
    with pytest.raises(ValueError):
        stratified_folds(["A", "B"], 3)
