"""Streaming input: a long text read in parts codes to exactly the events of the
whole text; JSONL is read line by line; over-long lines and split UTF-8
characters are handled without holding the file."""

from __future__ import annotations

import json

import pytest

from dyadwatch.coding import streaming
from dyadwatch.coding.coder import CodingReport
from dyadwatch.coding.documents import Document, Screening, iter_documents, parse_date, read_documents
from dyadwatch.coding.output import CSV_COLUMNS, code_file
from dyadwatch.errors import InputError

# Written for this test: a narrative with explicit and relative dates, so that
# the narrated date must carry across parts, and paragraphs of several lengths.
PARAGRAPHS = [
    "On 3 March 2016 Turkey accused Greece of violating its airspace over the Aegean.",
    "Two days later the Greek foreign minister rejected the accusation in Athens.",
    "The weather over the islands stayed mild and the ferries kept their timetables "
    "through the whole week, with tourists arriving in numbers seldom seen so early.",
    "Iran and Russia signed an agreement on military cooperation in Moscow the next day.",
    "Protesters gathered outside the embassy of Israel in Amman.",
    "Nothing else of note happened in the region, and markets traded in a narrow "
    "band while analysts waited for the central banks to speak.",
    "The United States imposed sanctions on North Korea on 12 April 2016.",
]


def _long_text(n: int) -> str:
    return "\n\n".join(PARAGRAPHS[i % len(PARAGRAPHS)] + f" (Paragraph {i}.)" for i in range(n)) + "\n"


def _triples(events):
    return [(e["sentence_index"], e["source"]["code"], e["target"]["code"] if e["target"] else None,
             e["cameo_code"], e["event_date"], e["event_id"]) for e in events]


def test_parts_code_like_the_whole_text(tmp_path, coder, monkeypatch):
    text = _long_text(120)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    whole, whole_report = coder.code([Document("long", parse_date("2016-05-01"), text)])

    monkeypatch.setattr(streaming, "PART_CHARS", 2_000)
    monkeypatch.setattr(streaming, "READ_BYTES", 700)
    screening = Screening()
    parts = list(iter_documents(path, "2016-05-01", screening))
    assert len(parts) >= 5, "the test must exercise several parts"
    assert [d.part for d in parts] == list(range(len(parts)))
    assert {d.doc_id for d in parts} == {"long"}
    assert "".join(d.text for d in parts) == text
    report = CodingReport(screening=screening)
    streamed = list(coder.iter_events(iter(parts), report))
    assert _triples(streamed) == _triples(whole)
    assert len(whole) > 60
    assert (report.documents, report.sentences, report.sentences_parsed, report.events) == \
        (1, whole_report.sentences, whole_report.sentences_parsed, len(whole))


def test_narrated_date_carries_across_parts(coder):
    parts = [Document("d", parse_date("2016-05-01"), "On 3 March 2016 Turkey met Greek officials.", part=0),
             Document("d", parse_date("2016-05-01"), "Two days later Turkey accused Greece of spying.", part=1)]
    events = list(coder.iter_events(parts, CodingReport()))
    accuse = [e for e in events if e["cameo_root"] == "11"]
    assert accuse and accuse[0]["event_date"] == "2016-03-05" and accuse[0]["sentence_index"] == 1


def test_utf8_characters_split_between_reads(tmp_path, monkeypatch):
    text = "Égypte et Türkiye — 中国 and Россия met in Genève. " * 200
    path = tmp_path / "multi.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(streaming, "READ_BYTES", 7)  # cut inside most multi-byte characters
    monkeypatch.setattr(streaming, "PART_CHARS", 500)
    screening = Screening()
    parts = list(iter_documents(path, None, screening))
    assert "".join(d.text for d in parts) == text
    assert screening.total == 0


@pytest.mark.parametrize("data,cut", [(b"abc", 3), (b"ab\xc3", 2), (b"ab\xc3\xa9", 4), (b"a\xe4\xb8", 1),
                                      (b"a\xe4\xb8\xad", 4), (b"\xf0\x9f\x98", 0), (b"\xf0\x9f\x98\x80", 4)])
def test_utf8_cut(data, cut):
    assert streaming._utf8_cut(data) == cut


def test_jsonl_streams_and_skips_an_over_long_line(tmp_path, coder, monkeypatch):
    monkeypatch.setattr(streaming, "MAX_LINE_BYTES", 300)
    monkeypatch.setattr(streaming, "READ_BYTES", 64)
    lines = [json.dumps({"id": "a", "date": "2017-06-14", "text": "Turkey attacked Syria."}),
             json.dumps({"id": "big", "date": "2017-06-14", "text": "Iran criticised Israel. " * 40}),
             json.dumps({"id": "c", "date": "2017-06-15", "text": "Russia praised China."})]
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    screening = Screening()
    docs = list(iter_documents(path, None, screening))
    assert [d.doc_id for d in docs] == ["a", "c"]
    assert screening.skipped == {"lines over 300 bytes": 1}
    assert screening.examples["lines over 300 bytes"] == f"{path}:2"


def test_jsonl_line_numbers_after_lone_cr(tmp_path):
    path = tmp_path / "cr.jsonl"
    path.write_bytes(b'{"id": "a", "text": "x y"}\r{"id": "b", "text": "z"}\r\nnot json\n')
    screening = Screening()
    docs = list(iter_documents(path, None, screening))
    assert [d.doc_id for d in docs] == ["a", "b"]
    assert screening.examples["lines that are not JSON"] == f"{path}:3"


def test_whitespace_file_is_one_empty_document(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n\n   \n", encoding="utf-8")
    docs, screening = read_documents(path)
    assert docs == [] and screening.skipped == {"empty documents": 1}


def test_too_large_html_page_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(streaming, "MAX_HTML_BYTES", 1000)
    path = tmp_path / "page.html"
    path.write_text("<html><body>" + "<p>Turkey attacked Syria.</p>" * 100 + "</body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="page.html: HTML page of 2,926 bytes is over the 1,000 bytes"):
        iter_documents(path)


def test_code_file_streams_to_out_and_leaves_no_partial(tmp_path, monkeypatch, coder):
    monkeypatch.setattr(streaming, "PART_CHARS", 2_000)
    path = tmp_path / "long.txt"
    path.write_text(_long_text(60), encoding="utf-8")
    out = tmp_path / "events.csv"
    res = code_file(path, date="2016-05-01", fmt="csv", out=out)
    rows = out.read_text(encoding="utf-8").splitlines()
    assert len(rows) - 1 == res.report.events > 40
    assert rows[0].startswith("event_id,doc_id,sentence_index")
    assert not (tmp_path / "events.csv.partial").exists()


def test_code_file_without_events_writes_csv_header(tmp_path, coder):
    path = tmp_path / "calm.txt"
    path.write_text("The orchards bloomed early this year.\n", encoding="utf-8")
    out = tmp_path / "events.csv"
    res = code_file(path, fmt="csv", out=out)
    assert res.report.events == 0
    assert out.read_text(encoding="utf-8").splitlines() == [",".join(CSV_COLUMNS)]


def test_memory_zones_change_no_event(tmp_path, coder, monkeypatch):
    """Rounds of two sentences (each in its own spaCy memory zone, new words
    freed between rounds) code exactly what one round codes."""
    from dyadwatch.coding import coder as coder_mod

    text = _long_text(40)
    one_round, _ = coder.code([Document("z", parse_date("2016-05-01"), text)])
    monkeypatch.setattr(coder_mod, "ZONE_SENTENCES", 2)
    rounds, report = coder.code([Document("z", parse_date("2016-05-01"), text)])
    assert _triples(rounds) == _triples(one_round) and len(rounds) > 20
    again, _ = coder.code([Document("z", parse_date("2016-05-01"), text)])  # words freed, seen again
    assert _triples(again) == _triples(one_round)


def test_references_heading_at_the_start_of_a_part(tmp_path, coder, monkeypatch):
    """A part cut just before a ``References`` heading: the reference list is
    left out as in the whole text (the heading needs the line end before it)."""
    body = _long_text(12)  # ~1,400 characters of paragraphs ending sentences
    citations = "\n".join(f"Author{i}, J. (2015). Iran criticised Israel over the talks. Journal {i}: 1-9."
                          for i in range(40))  # one line each: no blank line to cut at
    text = body + "\nReferences\n" + citations + "\n"
    path = tmp_path / "paper.txt"
    path.write_text(text, encoding="utf-8")
    whole, _ = coder.code([Document("paper", parse_date("2016-05-01"), text)])
    monkeypatch.setattr(streaming, "PART_CHARS", 2_000)
    monkeypatch.setattr(streaming, "READ_BYTES", 700)
    parts = list(iter_documents(path, "2016-05-01", Screening()))
    assert any(d.text.lstrip().startswith("References") for d in parts[1:]), "a part must begin at the heading"
    assert "".join(d.text for d in parts) == text
    streamed = list(coder.iter_events(iter(parts), CodingReport()))
    assert not any("Journal" in e["sentence"] for e in whole)
    assert _triples(streamed) == _triples(whole)


def test_out_onto_the_input_or_a_directory_is_refused(tmp_path):
    from dyadwatch.errors import UsageError

    path = tmp_path / "news.txt"
    path.write_text("Turkey accused Greece of violating its airspace.\n", encoding="utf-8")
    with pytest.raises(UsageError, match="news.txt: it is the input file"):
        code_file(path, out=path)
    assert path.read_text(encoding="utf-8") == "Turkey accused Greece of violating its airspace.\n"
    (tmp_path / "outdir").mkdir()
    with pytest.raises(UsageError, match="outdir: it is a directory"):
        code_file(path, out=tmp_path / "outdir")
    assert sorted(tmp_path.iterdir()) == sorted([path, tmp_path / "outdir"])  # no .partial left


def test_out_onto_a_fifo_writes_into_it(tmp_path, coder):
    """--out naming a pipe or device (/dev/stdout) writes into it; it is not
    replaced by a regular file."""
    import os
    import stat
    import threading

    path = tmp_path / "news.txt"
    path.write_text("Turkey accused Greece of violating its airspace on 3 March 2016.\n", encoding="utf-8")
    fifo = tmp_path / "events.fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")), daemon=True)
    reader.start()
    res = code_file(path, out=fifo)
    reader.join(timeout=30)
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert not (tmp_path / "events.fifo.partial").exists()
    lines = got[0].splitlines()
    assert len(lines) == res.report.events == 1
    assert json.loads(lines[0])["cameo_root"] == "11"


# --- hostile-input findings (D1-D11 of the streaming review) -------------------------------------------

def test_lines_without_blank_lines_are_all_coded(coder):
    """One paragraph per line and no blank line makes one block of 250,000
    characters: it is sentence-split in pieces, nothing is cut off."""
    filler = [f"The orchards of valley {i} bloomed early this year." for i in range(5000)]
    text = "\n".join(filler + ["Turkey accused Greece of spying on 3 March 2016."]) + "\n"
    assert len(text) > 250_000
    report = CodingReport()
    events = list(coder.iter_events([Document("lines", parse_date("2016-05-01"), text)], report))
    assert report.sentences == 5001
    assert [(e["source"]["code"], e["target"]["code"], e["cameo_root"]) for e in events] == [("TUR", "GRC", "11")]


def test_lone_cr_line_ends_read_as_line_ends(tmp_path, coder):
    text = _long_text(30)
    lf, cr = tmp_path / "lf.txt", tmp_path / "cr.txt"
    lf.write_bytes(text.encode())
    cr.write_bytes(text.replace("\n", "\r").encode())
    (lf_docs, _), (cr_docs, _) = read_documents(lf, "2016-05-01"), read_documents(cr, "2016-05-01")
    assert [d.text for d in cr_docs] == [d.text for d in lf_docs]
    lf_events, _ = coder.code(lf_docs)
    cr_events, _ = coder.code(cr_docs)
    assert [x[:-1] for x in _triples(cr_events)] == [x[:-1] for x in _triples(lf_events)]  # (ids hold doc ids)
    assert len(lf_events) > 20


def test_parts_equal_whole_text_when_paragraphs_do_not_end_sentences(tmp_path, coder, monkeypatch):
    """Paragraphs of 100+ characters that end without a full stop continue in
    the next paragraph (one coder block): parts are never cut there."""
    paras = []
    for i in range(80):
        paras.append("Turkey accused Greece of holding fishermen near the island of Lesbos and of "
                     f"refusing talks, officials said in report {i} and")
        paras.append(f"Iran and Russia signed an agreement on trade in Moscow on day {i}.")
    text = "\n\n".join(paras) + "\n"
    path = tmp_path / "noend.txt"
    path.write_text(text, encoding="utf-8")
    whole, _ = coder.code([Document("noend", parse_date("2016-05-01"), text)])
    monkeypatch.setattr(streaming, "PART_CHARS", 1_500)
    parts, screening = read_documents(path, "2016-05-01")
    assert len(parts) >= 5
    streamed, _ = coder.code(parts, screening)
    assert _triples(streamed) == _triples(whole)


def test_fifo_input_loses_nothing_to_sniffing(tmp_path):
    import os
    import threading

    lines = [json.dumps({"id": f"d{i}", "date": "2017-06-14", "text": f"Turkey attacked Syria {i}."})
             for i in range(300)]
    fifo = tmp_path / "docs.jsonl"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("\n".join(lines) + "\n", encoding="utf-8"))
    writer.start()
    docs, screening = read_documents(fifo)
    writer.join()
    assert [d.doc_id for d in docs] == [f"d{i}" for i in range(300)] and screening.total == 0


def test_bom_jsonl_with_other_extension_is_jsonl_and_no_bom_is_kept(tmp_path):
    path = tmp_path / "docs.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": "Turkey attacked Syria."}).encode() + b"\n")
    docs, _ = read_documents(path)
    assert [(d.doc_id, d.text) for d in docs] == [("a", "Turkey attacked Syria.")]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xef\xbb\xbfFrance criticised Italy \xff over trade.\n")
    docs, screening = read_documents(bad)
    assert docs[0].text.startswith("France") and screening.skipped == {"non-UTF-8 byte sequences replaced": 1}


def test_jsonl_with_cr_line_ends(tmp_path):
    path = tmp_path / "cr.jsonl"
    lines = [json.dumps({"id": f"d{i}", "text": "Turkey attacked Syria."}) for i in range(5)]
    path.write_bytes("\r".join(lines).encode() + b"\r")
    docs, screening = read_documents(path)
    assert [d.doc_id for d in docs] == [f"d{i}" for i in range(5)] and screening.total == 0


def test_utf16_text_is_named(tmp_path):
    path = tmp_path / "u16.txt"
    path.write_bytes("Turkey attacked Syria.\n".encode("utf-16"))
    docs, screening = read_documents(path)
    assert docs == [] and screening.skipped == {"UTF-16 documents (convert them to UTF-8)": 1}


def test_file_cut_short_while_read_is_counted(tmp_path):
    path = tmp_path / "shrinks.txt"
    path.write_bytes(b"x" * 5000)
    screening = Screening()
    with path.open("rb") as fh:
        head = fh.read(2000)
    data = streaming.chunks(None, head, path, screening)
    path.write_bytes(b"x" * 3000)  # truncated (and rewritten) after it was opened
    assert sum(len(c) for c in data) == 3000
    assert screening.examples["files cut short while being read"] == f"{path}: 3,000 of 5,000 bytes read"


def test_texts_from_pipes_get_content_ids(tmp_path, coder):
    """A pipe's name (`63` for every <(...)) says nothing: plain text from a pipe
    gets `text-<sha256>` as doc_id, so the same text twice has the same event
    ids and two texts never share them; a regular file keeps its stem."""
    import os
    import threading

    def through_fifo(name: str, text: str):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        t = threading.Thread(target=lambda: fifo.write_text(text, encoding="utf-8"))
        t.start()
        docs, _ = read_documents(fifo, "2017-06-14")
        t.join()
        return docs

    a = "Turkey attacked Syria on Tuesday.\n"
    b = "Iran criticised Israel on Tuesday.\n"
    first, again, other = through_fifo("p1", a), through_fifo("p2", a), through_fifo("p3", b)
    assert first[0].doc_id == again[0].doc_id and first[0].doc_id.startswith("text-")
    assert other[0].doc_id != first[0].doc_id
    ids_a = {e["event_id"] for e in coder.code(first)[0]}
    assert ids_a == {e["event_id"] for e in coder.code(again)[0]} and ids_a
    assert not ids_a & {e["event_id"] for e in coder.code(other)[0]}
    named = tmp_path / "news.txt"
    named.write_text(a, encoding="utf-8")
    assert read_documents(named)[0][0].doc_id == "news"


def test_code_reads_standard_input(tmp_path):
    import subprocess
    import sys

    text = "Turkey attacked Syria on 3 March 2016.\n"
    r = subprocess.run([sys.executable, "-m", "dyadwatch", "code", "-", "--date", "2016-03-05"], input=text,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    events = [json.loads(x) for x in r.stdout.splitlines()]
    assert [(e["source"]["code"], e["target"]["code"], e["cameo_root"], e["doc_id"][:5]) for e in events] == [
        ("TUR", "SYR", "19", "text-")]


def test_coding_leaves_the_garbage_collector_as_it_found_it(coder):
    """While events stream, the objects loaded before are frozen out of the collector's scans;
    afterwards nothing is left frozen, and a caller's own freeze is left alone."""
    import datetime as dt
    import gc

    doc = Document(doc_id="g", date=dt.date(2016, 4, 20), text=" ".join(PARAGRAPHS))
    assert gc.get_freeze_count() == 0
    stream = coder.iter_events([doc], CodingReport(screening=Screening()), n_process=1)
    first = next(stream)
    assert gc.get_freeze_count() > 0  # frozen while coding
    rest = list(stream)
    assert gc.get_freeze_count() == 0 and len(rest) >= 3
    gc.freeze()  # the caller's: kept as it is
    try:
        frozen = gc.get_freeze_count()
        again = list(coder.iter_events([doc], CodingReport(screening=Screening()), n_process=1))
        assert gc.get_freeze_count() == frozen and _triples(again) == _triples([first] + rest)
    finally:
        gc.unfreeze()


def test_an_abandoned_stream_leaves_nothing_frozen(coder):
    """A caller that stops reading after the first event (closing the stream, or dropping it) gets the
    collector back as it was: the freeze is undone by the stream's own ``finally``."""
    import datetime as dt
    import gc

    doc = Document(doc_id="g", date=dt.date(2016, 4, 20), text=" ".join(PARAGRAPHS))
    assert gc.get_freeze_count() == 0
    stream = coder.iter_events([doc], CodingReport(screening=Screening()), n_process=1)
    next(stream)
    assert gc.get_freeze_count() > 0
    stream.close()
    assert gc.get_freeze_count() == 0
    stream = coder.iter_events([doc], CodingReport(screening=Screening()), n_process=1)
    next(stream)
    del stream  # dropped unfinished: CPython closes it at once
    assert gc.get_freeze_count() == 0
