"""`--format json` output of the CLI tables: valid JSON, missing values null."""

from __future__ import annotations

import json


def test_emit_rows_json_nested_nan_is_null(capsys):
    """`changes --format json` on the demo store failed: a break's events held NaN sentences (ICEWS rows)."""
    from dyadwatch.cli.common import emit_rows

    emit_rows([{"break": 1, "before": float("nan"),
                "events": [{"sentence": float("nan"), "goldstein": 3.4, "tags": [float("nan"), 1.0]}]}], "json")
    assert json.loads(capsys.readouterr().out) == [
        {"break": 1, "before": None, "events": [{"sentence": None, "goldstein": 3.4, "tags": [None, 1.0]}]}]
