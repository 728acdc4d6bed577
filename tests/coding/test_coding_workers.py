"""Coding in worker processes (coding.workers): the same events in the same order as one
process, the same counts, bounded batches, and errors in a worker that end the run with
their one-line message instead of a hang."""

from __future__ import annotations

import json
import multiprocessing
import os

import pytest

from dyadwatch.coding import workers
from dyadwatch.coding.documents import Document
from dyadwatch.coding.output import code_file

# Written for this test: stories whose later sentences need the earlier ones (a narrated
# date, a surname and "he" resolved from the document's context), plus sentences without
# actors and a French one (screened out), so every per-document state is exercised.
STORIES = [
    "On 3 March 2016 Turkey accused Greece of violating its airspace over the Aegean. "
    "Two days later the Greek foreign minister rejected the accusation in Athens. "
    "The ferries kept their timetables through the whole week.",
    "Kenya's defence minister Raychelle Omamo met Somali officials in Mogadishu on Tuesday. "
    "Omamo criticised the militants who attacked a base near the border. "
    "She later said Kenya would send more troops.",
    "Iran and Russia signed an agreement on military cooperation in Moscow. "
    "Le gouvernement a annoncé des mesures pour les agriculteurs et les pêcheurs de la région. "
    "Protesters gathered outside the embassy of Israel in Amman.",
    "The United States imposed sanctions on North Korea on 12 April 2016. "
    "Oil prices rose by two percent in early trading.",
    "Egyptian President Abdel Fattah al-Sisi hosted the Saudi king in Cairo. "
    "He praised Saudi Arabia for its aid.",
]


def _write_docs(path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"d{i}", "date": f"2016-05-{1 + i % 28:02d}",
                                 "text": STORIES[i % len(STORIES)]}) + "\n")
        fh.write("not json\n")  # a reading skip, counted by the parent


@pytest.fixture
def small_batches(monkeypatch):
    """Workers for a small input: a few documents decide, batches of two or three documents."""
    from dyadwatch.coding import coder as coder_mod

    monkeypatch.setattr(workers, "PARALLEL_MIN_CHARS", 1_000)
    monkeypatch.setattr(workers, "MIN_DOCUMENTS_PER_WORKER", 2)
    monkeypatch.setattr(workers, "BATCH_CHARS", 400)
    monkeypatch.setattr(coder_mod, "_cores_free", lambda n: True)
    monkeypatch.setattr(workers, "alone", lambda: True)  # (a thread left by another test changes nothing)
    used = []
    real = workers._in_workers

    def spy(*args):
        used.append(args[-1])
        return real(*args)

    monkeypatch.setattr(workers, "_in_workers", spy)
    return used


def test_workers_code_like_one_process(tmp_path, coder, small_batches):
    path = tmp_path / "docs.jsonl"
    _write_docs(path, 40)
    one = code_file(path, out=tmp_path / "one.jsonl", n_process=1)
    assert small_batches == []
    two = code_file(path, out=tmp_path / "two.jsonl", n_process=2)
    assert small_batches == [2], "the worker path must have been taken"
    assert (one.report.workers, two.report.workers) == (0, 2)
    a = (tmp_path / "one.jsonl").read_text(encoding="utf-8")
    b = (tmp_path / "two.jsonl").read_text(encoding="utf-8")
    assert a == b
    events = [json.loads(line) for line in a.splitlines()]
    assert len(events) == one.report.events == two.report.events
    # 8 documents of each story, coded alike wherever they were coded
    per_story = [[(e["sentence_index"], e["cameo_code"]) for e in events if e["doc_id"] == f"d{i}"] for i in range(5)]
    assert all(p for p in per_story)
    for i in range(5, 40):
        assert [(e["sentence_index"], e["cameo_code"]) for e in events if e["doc_id"] == f"d{i}"] == per_story[i % 5]
    # what a document's earlier sentences established, in the worker: the narrated date ("Two
    # days later" after 3 March 2016) and the surname of Kenya's defence minister
    assert {e["event_date"] for e in events if e["doc_id"] == "d25" and e["sentence_index"] == 1} == {"2016-03-05"}
    assert "KENMIL" in {e["source"]["code"] for e in events if e["doc_id"] == "d36" and e["sentence_index"] == 1}
    assert [e["doc_id"] for e in events] == sorted((e["doc_id"] for e in events), key=lambda d: int(d[1:]))
    assert one.report.as_dict() == two.report.as_dict()
    assert two.report.documents == 40 and two.report.screening.skipped["lines that are not JSON"] == 1
    assert two.report.screening.skipped["sentences not in English (or without words)"] == 8
    assert one.report.screening.warning() == two.report.screening.warning()
    assert not multiprocessing.active_children()


def test_workers_batches_keep_parts_together():
    docs = [Document("a", None, "x" * 300), Document("a", None, "y" * 300, part=1),
            Document("b", None, "z" * 100), Document("c", None, "w" * 500), Document("c", None, "v", part=1),
            Document("d", None, "u" * 10)]
    got = [[(d.doc_id, d.part) for d in b] for b in workers.batches(docs, size=250)]
    assert got == [[("a", 0), ("a", 1)], [("b", 0), ("c", 0), ("c", 1)], [("d", 0)]]
    assert [[d.doc_id for d in b] for b in workers.batches(docs, size=10_000)] == [["a", "a", "b", "c", "c", "d"]]


def test_workers_not_used_for_a_text_in_parts(coder, small_batches):
    """A plain text read in parts (one document) is coded in this process."""
    from dyadwatch.coding.coder import CodingReport

    parts = [Document("t", None, STORIES[0] + " " + STORIES[1] * 3, part=i) for i in range(3)]
    list(coder.iter_events(parts, CodingReport(), 2))
    assert small_batches == []


def test_workers_not_forked_beside_other_threads(tmp_path, coder, monkeypatch):
    """A process running other threads (a server coding in the background) codes in itself."""
    import threading

    monkeypatch.setattr(workers, "PARALLEL_MIN_CHARS", 1_000)
    monkeypatch.setattr(workers, "MIN_DOCUMENTS_PER_WORKER", 2)
    monkeypatch.setattr(workers, "_in_workers", lambda *a: pytest.fail("workers forked beside a thread"))
    stop = threading.Event()
    other = threading.Thread(target=stop.wait, daemon=True)
    other.start()
    try:
        assert not workers.alone()
        path = tmp_path / "docs.jsonl"
        _write_docs(path, 12)
        res = code_file(path, out=tmp_path / "events.jsonl", n_process=2)
        assert res.report.documents == 12 and res.report.events > 12
    finally:
        stop.set()
        other.join()


def test_workers_error_in_a_worker_is_raised_with_its_message(tmp_path, coder, small_batches, monkeypatch):
    from dyadwatch.coding.coder import Coder
    from dyadwatch.errors import InputError

    parent = os.getpid()
    real = Coder.code_sentence

    def failing(self, parsed, cand):
        if os.getpid() != parent and cand.doc.doc_id == "d23":
            raise InputError("cannot code this sentence", path="docs.jsonl", line=24)
        return real(self, parsed, cand)

    monkeypatch.setattr(Coder, "code_sentence", failing)
    path = tmp_path / "docs.jsonl"
    _write_docs(path, 40)
    with pytest.raises(InputError) as info:
        code_file(path, out=tmp_path / "events.jsonl", n_process=2)
    assert info.value.one_line() == "docs.jsonl:24: cannot code this sentence"
    assert small_batches == [2]
    assert not (tmp_path / "events.jsonl").exists() and not (tmp_path / "events.jsonl.partial").exists()
    assert not multiprocessing.active_children()


def test_workers_a_dead_worker_ends_the_run_with_one_line(tmp_path, coder, small_batches, monkeypatch):
    from dyadwatch.coding.coder import Coder

    parent = os.getpid()
    real = Coder.code_sentence

    def dying(self, parsed, cand):
        if os.getpid() != parent and cand.doc.doc_id == "d17":
            os._exit(9)  # as if killed (out of memory)
        return real(self, parsed, cand)

    monkeypatch.setattr(Coder, "code_sentence", dying)
    path = tmp_path / "docs.jsonl"
    _write_docs(path, 40)
    with pytest.raises(workers.CodingWorkerError) as info:
        code_file(path, out=tmp_path / "events.jsonl", n_process=2)
    assert info.value.one_line() == ("a coding worker process ended without returning its events (killed, or out "
                                     "of memory?) (code with one process: --processes 1)")
    assert not multiprocessing.active_children()


def test_workers_reader_that_stops_ends_the_workers(tmp_path, coder, small_batches):
    from dyadwatch.coding.coder import CodingReport
    from dyadwatch.coding.documents import iter_documents

    path = tmp_path / "docs.jsonl"
    _write_docs(path, 40)
    stream = coder.iter_events(iter_documents(path), CodingReport(), 2)
    first = next(stream)
    assert first["doc_id"] == "d0"
    stream.close()
    assert small_batches == [2]
    assert not multiprocessing.active_children()


def test_code_processes_below_one_is_refused(tmp_path):
    from dyadwatch.errors import UsageError

    path = tmp_path / "news.txt"
    path.write_text("Turkey accused Greece of violating its airspace.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="processes must be at least 1, got 0"):
        code_file(path, n_process=0)


def test_workers_cli_ctrl_c_ends_the_workers(tmp_path):
    """Ctrl-C while two workers code: exit 130 in one line, no .partial, no worker left (the
    CLI lets SIGPIPE end the process: ending the workers must not leave the pool writing to them)."""
    import time

    import psutil

    from tests.reliability.cli import assert_interrupted_code, popen
    from tests.reliability.newsgen import write_news

    src = tmp_path / "news.jsonl"
    write_news(src, 6, "jsonl")
    out = tmp_path / "events.jsonl"
    # an empty data directory: with the user's fetched dictionaries most of these made-up sentences are
    # screened out and the run ends in ~3 s, before the signal (exit 0)
    p = popen("code", str(src), "--date", "2016-03-30", "--out", str(out), "--processes", "2",
              DYADWATCH_DATA=str(tmp_path / "data"))
    deadline = time.time() + 120
    kids: list = []
    while time.time() < deadline and p.poll() is None:
        kids = psutil.Process(p.pid).children(recursive=True)
        if len(kids) == 2 and (tmp_path / "events.jsonl.partial").exists():
            break
        time.sleep(0.1)
    time.sleep(1.0)  # coding under way in the workers (the whole run takes ~12 s)
    assert p.poll() is None and len(kids) == 2, "the run ended (or had no workers) before it could be interrupted"
    assert_interrupted_code(p, out)
    time.sleep(0.2)
    assert not [k for k in kids if k.is_running() and k.status() != psutil.STATUS_ZOMBIE]
