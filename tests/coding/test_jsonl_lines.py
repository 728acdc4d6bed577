"""One JSONL line reader for every JSONL input (dyadwatch.jsonl): lines end at LF only, so a
U+2028 (or form feed, \\x1c, U+0085 ...) inside a JSON string neither cuts the record nor shifts the
line numbers of the records after it."""

from __future__ import annotations

import json

import duckdb
import pytest

from dyadwatch.errors import InputError
from dyadwatch.jsonl import byte_lines, parse_object, read_text_lines

#: characters str.splitlines breaks at that JSON may hold unescaped inside a string
SPLITLINES_ONLY = "\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"


def test_jsonl_byte_lines_end_at_lf_only_whatever_the_chunks():
    rec = json.dumps({"text": f"a{SPLITLINES_ONLY}b"}, ensure_ascii=False).encode()
    data = rec + b"\r\n\n" + b'{"n": 3}\r\n' + b'{"n": 4}'
    want = [(1, rec), (2, b""), (3, b'{"n": 3}'), (4, b'{"n": 4}')]
    for size in (1, 2, 3, 7, len(data)):  # a CRLF split across two chunks too
        chunks = [data[i:i + size] for i in range(0, len(data), size)]
        assert list(byte_lines(chunks)) == want, size


def test_jsonl_byte_lines_long_line_is_reported_not_held():
    long = []
    data = [b'{"n": 1}\n', b"x" * 50, b"x" * 50, b"\r\n", b'{"n": 3}\n']
    got = list(byte_lines(data, max_line_bytes=60, on_long=long.append))
    assert got == [(1, b'{"n": 1}'), (3, b'{"n": 3}')] and long == [2]


def test_jsonl_byte_lines_lone_cr_only_when_asked():
    data = [b'{"n": 1}\r{"n": 2}\r']
    assert list(byte_lines(data)) == [(1, b'{"n": 1}\r{"n": 2}')]
    assert list(byte_lines(data, lone_cr=True)) == [(1, b'{"n": 1}'), (2, b'{"n": 2}')]


def test_jsonl_read_text_lines_bom_utf8_and_long_errors(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_bytes(b'\xef\xbb\xbf{"a": 1}\n{"b": "\xff"}\n')
    lines = read_text_lines(p, what="the test file")
    assert next(lines) == (1, '{"a": 1}')
    with pytest.raises(InputError, match="not UTF-8 text \\(save the test file as UTF-8\\)") as err:
        next(lines)
    assert err.value.line == 2
    p.write_bytes(b'{"a": 1}\n' + b"y" * 100 + b"\n")
    with pytest.raises(InputError, match="line longer than 64 bytes") as err:
        list(read_text_lines(p, max_line_bytes=64))
    assert err.value.line == 2


def test_jsonl_parse_object_reasons():
    assert parse_object(' {"a": [1]} ') == {"a": [1]}
    with pytest.raises(ValueError, match=r"^not valid JSON \(Expecting"):
        parse_object("{broken")
    with pytest.raises(ValueError, match="^not a JSON object$"):
        parse_object("[1, 2]")


def _gsr(i: int, text: str) -> str:
    return json.dumps({"id": f"g{i}", "date": "2019-01-02", "text": text, "event": "ACCUSE",
                       "source_codes": ["IRN"], "target_codes": ["USA"]}, ensure_ascii=False)


def test_jsonl_gold_record_with_u2028_is_one_record_and_the_next_line_is_right(tmp_path):
    from dyadwatch.coding.gold import read_gold

    p = tmp_path / "gold.jsonl"
    text = f"Iran accused the United States.{SPLITLINES_ONLY}It denied it."
    p.write_text("\n".join([_gsr(1, text), _gsr(2, "Iran criticised the United States."), "",
                            _gsr(4, "Iran blamed the United States.")]) + "\n", encoding="utf-8")
    recs = read_gold(p)
    assert [(r.id, r.line, r.text) for r in recs] == [
        ("g1", 1, text), ("g2", 2, "Iran criticised the United States."), ("g4", 4, "Iran blamed the United States.")]
    p.write_text(_gsr(1, text) + "\n" + _gsr(2, "fine.") + "\n{broken\n", encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON") as err:
        read_gold(p)
    assert err.value.line == 3  # splitlines made it line 11


def test_jsonl_petrarch_records_with_u2028(tmp_path):
    from dyadwatch.coding.petrarch_validation import is_petrarch_layout, read_records

    def rec(i, text):
        return json.dumps({"id": f"r{i}", "date": "2019-01-02", "category": "DEMO", "text": text,
                           "expected_events": []}, ensure_ascii=False)

    p = tmp_path / "val.jsonl"
    p.write_text(rec(1, "Iran\u2028accused Israel.") + "\n" + rec(2, "Iran met Russia.") + "\n[1]\n",
                 encoding="utf-8")
    assert is_petrarch_layout(p)
    with pytest.raises(InputError, match="not a JSON object") as err:
        read_records(p)
    assert err.value.line == 3
    p.write_text(rec(1, "Iran\u2028accused Israel.") + "\n" + rec(2, "Iran met Russia.") + "\n", encoding="utf-8")
    assert [(r["id"], r["_line"], r["text"]) for r in read_records(p)] == [
        ("r1", 1, "Iran\u2028accused Israel."), ("r2", 2, "Iran met Russia.")]


def test_jsonl_claims_line_numbers_after_u2028(tmp_path):
    from dyadwatch.analysis.claims import read_claims

    p = tmp_path / "claims.jsonl"
    veto = {"kind": "veto", "actor": "RUS", "from": 2010, "text": f"x{SPLITLINES_ONLY}y"}
    p.write_text(json.dumps(veto, ensure_ascii=False) + "\n" + json.dumps({"kind": "veto", "actor": "USA", "from": 2010})
                 + "\n", encoding="utf-8")
    assert [(c["_line"], c["actor"]) for c in read_claims(p)] == [(1, "RUS"), (2, "USA")]


def test_jsonl_coded_text_ingest_keeps_u2028_sentence_and_line_numbers(tmp_path, code):
    from dyadwatch.cli import main

    events = [e for e in code("Turkey attacked Syria.") if e["cameo_root"] != "01"]
    assert events
    ids = ["text:" + "a" * 20, "text:" + "b" * 20]
    ev = dict(events[0], sentence=events[0]["sentence"] + "\u2028", event_id=ids[0])
    ev2 = dict(events[0], event_id=ids[1])
    p = tmp_path / "coded.jsonl"
    p.write_text(json.dumps(ev, ensure_ascii=False) + "\n{broken\n" + json.dumps(ev2) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(p), "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select event_id, sentence from events order by 1").fetchall() == [
            (ids[0], ev["sentence"]), (ids[1], ev2["sentence"])]
        assert con.execute("select line, reason like 'not a coded event: not valid JSON%' from rejects").fetchall() == [
            (2, True)]
