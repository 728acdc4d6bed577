"""The evaluation on PLOVER's gold-standard development records (../shared/data/text).

The gold sentences are read from the shared data directory, never copied
here.  The figures asserted are the ones the coder reached when this test was
written (see the issue 3 closing note); the counts are checked against the raw
file read independently.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

GOLD = "text/plover_gsr_dev.jsonl"


@pytest.fixture(scope="module")
def result(shared_data, coder):
    from dyadwatch.coding.evaluate import evaluate

    return evaluate(shared_data / GOLD, coder=coder)


def test_gold_counts_match_the_raw_file(shared_data, result):
    rows = [json.loads(line) for line in (shared_data / GOLD).read_text(encoding="utf-8").splitlines() if line.strip()]
    assert result.records == len(rows)
    per_type = Counter(r["event"] for r in rows)
    assert {t: n for t, (_, n) in result.per_type.items()} == dict(per_type)
    assert sum(f for f, _ in result.per_type.values()) == round(result.recall * len(rows))


def test_gold_scores(result):
    # issue 3 targets: recall >= 0.85, precision >= 0.80, source >= 0.85, target >= 0.80
    assert result.recall >= 0.85          # reached 141/164 = 0.860
    assert result.precision >= 0.86       # reached 0.863 (PLOVER-typed events)
    assert result.source_accuracy >= 0.86  # reached 0.863
    assert result.target_accuracy >= 0.80  # reached 103/128 = 0.805 (103/127 before one more threat was
    #                                        found without its target: same hits, larger base)
