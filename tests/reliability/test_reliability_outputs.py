"""Issue 14, item 2: an output onto the store, the claims file or an input is refused.

``report --out X --db X`` replaced the store with HTML (exit 0) and ``code
--out X --ingest --db X`` replaced it with JSONL. Every ``--out`` that is the
store (or its ``.wal``), the claims file or an input is refused before any
work with exit code 2 and the store is untouched; ``report --out`` writes a
temporary file and renames it, so a failed write leaves the old file whole.
The CLI runs in-process (``dyadwatch.cli.main``: the same entry point as the
console script) to keep the module fast.
"""

from __future__ import annotations

import hashlib
import json
import os

import pytest

from dyadwatch.cli import main
from tests.reliability.cli import assert_clean_stderr
from tests.reliability.corpus import ICEWS_HEADER, icews_row


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("outputs")
    src = tmp_path / "events.tab"
    src.write_text(ICEWS_HEADER + "\n" + "\n".join(icews_row(i) for i in range(1, 4)) + "\n", encoding="utf-8")
    db = tmp_path / "store.duckdb"
    assert main(["ingest", str(src), "--db", str(db)]) == 0
    return db


def _claims(tmp_path):
    p = tmp_path / "claims.jsonl"
    p.write_text(json.dumps({"kind": "relation", "actors": ["IRN", "RUS"], "year": 2015,
                             "expected": "friendly"}) + "\n", encoding="utf-8")
    return p


@pytest.mark.parametrize("target", ["store", "wal", "claims", "claims-symlink"])
def test_reliability_outputs_report_refuses_store_and_claims(tmp_path, store, target, capsys):
    claims = _claims(tmp_path)
    out = {"store": store, "wal": store.with_name(store.name + ".wal"), "claims": claims,
           "claims-symlink": tmp_path / "link.jsonl"}[target]
    if target == "claims-symlink":
        os.symlink(claims, out)
    before = {p: _digest(p) for p in (store, claims)}
    rc = main(["report", "IRN", "RUS", "--out", str(out), "--db", str(store), "--claims", str(claims)])
    err = capsys.readouterr().err
    assert_clean_stderr(err)
    assert rc == 2, err
    assert "--out" in err and ("the store" in err or "the claims file" in err)
    assert {p: _digest(p) for p in (store, claims)} == before


def test_reliability_outputs_code_ingest_refuses_store(tmp_path, store, capsys):
    text = tmp_path / "news.txt"
    text.write_text("Iran's foreign minister met Russia's foreign minister in Moscow on Tuesday.\n",
                    encoding="utf-8")
    before = _digest(store)
    rc = main(["code", str(text), "--date", "2016-05-03", "--out", str(store), "--ingest", "--db", str(store)])
    err = capsys.readouterr().err
    assert_clean_stderr(err)
    assert rc == 2, err
    assert "the store" in err
    assert _digest(store) == before
    assert main(["status", "--db", str(store)]) == 0  # the store still opens
    assert "events" in capsys.readouterr().out


def test_reliability_outputs_counts_refuses_store(tmp_path, store, capsys):
    before = _digest(store)
    out = tmp_path / "store.duckdb.csv"
    os.symlink(store, out)  # a name that passes the suffix check but is the store
    rc = main(["counts", "--out", str(out), "--db", str(store)])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert "the store" in err and _digest(store) == before


def test_reliability_outputs_report_written_whole(tmp_path, store, capsys):
    out = tmp_path / "r.json"
    out.write_text("old report\n", encoding="utf-8")
    assert main(["report", "IRN", "RUS", "--out", str(out), "--format", "json", "--db", str(store)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))  # the new report, whole
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_reliability_outputs_atomic_path_keeps_old_file_on_failure(tmp_path):
    from dyadwatch.errors import OutputError
    from dyadwatch.outfiles import atomic_path

    target = tmp_path / "r.html"
    target.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half a rep", encoding="utf-8")
            raise RuntimeError("killed mid-write")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]
    with pytest.raises(OutputError, match="No space left on device"):
        with atomic_path(target):
            raise OSError(28, "No space left on device")
    assert target.read_text(encoding="utf-8") == "old\n"
