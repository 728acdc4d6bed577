"""Bad input: no crash, no invented events, a warning counting what was skipped."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dyadwatch.coding.documents import Document, read_documents
from dyadwatch.coding.schema import validate_event


def test_bad_input_empty_and_non_json_lines(tmp_path, coder):
    p = tmp_path / "docs.jsonl"
    p.write_text("\n".join([
        json.dumps({"id": "a", "date": "2017-06-14", "text": ""}),
        "{not json",
        json.dumps({"id": "b", "date": "2017-06-14", "text": "Turkey attacked Syria."}),
        json.dumps(["a", "list"]),
    ]) + "\n", encoding="utf-8")
    docs, scr = read_documents(p)
    assert [d.doc_id for d in docs] == ["b"]
    assert scr.skipped == {"empty documents": 1, "lines that are not JSON": 1, "lines that are not JSON objects": 1}
    events, report = coder.code(docs, scr)
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("TUR", "SYR")]
    assert report.screening.total == 3
    assert report.screening.warning().startswith("bad input skipped or repaired: 1 ")


def test_bad_input_binary_file(tmp_path, coder):
    p = tmp_path / "blob.txt"
    p.write_bytes(bytes(range(256)) * 50)
    docs, scr = read_documents(p, "2017-06-14")
    assert docs == [] and scr.skipped["binary documents"] == 1
    assert "binary documents" in scr.warning()


def test_bad_input_non_utf8_bytes_are_replaced_and_counted(tmp_path, coder):
    p = tmp_path / "latin1.txt"
    p.write_bytes("Turkey attacked Syria near Aleppo. Caf\xe9 owners protested.".encode("latin-1"))
    docs, scr = read_documents(p, "2017-06-14")
    assert scr.skipped["non-UTF-8 byte sequences replaced"] == 1
    events, _ = coder.code(docs, scr)
    assert [(e["source"]["code"], e["target"]["code"]) for e in events] == [("TUR", "SYR")]


def test_bad_input_huge_sentence_html_and_other_languages(coder):
    huge = "Russia attacked Syria " + "and more " * 12_000 + "."
    french = "La Russie et l'Iran ont signé un accord avec la Syrie dans la capitale de la Turquie."
    russian = "Россия и Иран подписали соглашение с Сирией."
    html = "<div class='x'><p>Turkey <b>attacked</b> Syria.</p><script>Iran attacked Israel</script></div>"
    docs = [Document("huge", None, huge), Document("fr", None, french), Document("ru", None, russian),
            Document("html", None, html), Document("empty", None, "   ")]
    events, report = coder.code(docs)
    skipped = report.screening.skipped
    assert skipped["sentences over 1500 characters"] == 1
    assert skipped["sentences not in English (or without words)"] == 2
    assert skipped["empty documents"] == 1
    assert skipped["HTML tags removed from text"] >= 4
    assert [(e["doc_id"], e["source"]["code"], e["target"]["code"]) for e in events] == [("html", "TUR", "SYR")]


HOSTILE = st.sampled_from(["Russia", "attacked", "Iran's", "foreign minister", "\x00", "<script>", "</p>",
                           "\u202e", "\ufffd", "'s", "—", "U.S.", "IS", "and", "by", "was bombed", ".", "\n\n",
                           "on Tuesday", "in Deir ez-Zour", "will meet", "did not", "Moscow", "Hezbollah",
                           "x" * 3000, "   ", "2017-13-45", "June 31, 2017", "[42]"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(HOSTILE, st.text(max_size=40)), max_size=25))
def test_bad_input_property_every_event_validates(coder, parts):
    text = " ".join(parts)
    events, report = coder.code([Document("h", None, text)])
    for ev in events:
        validate_event(ev)
    assert report.events == len(events)


def test_bad_input_html_page_main_text_only(tmp_path, coder):
    page = tmp_path / "page.html"
    page.write_text(
        "<!DOCTYPE html><html><head><title>x</title><script>var s = 'Iran attacked Israel';</script></head>"
        "<body><nav><a href='/'>Home</a> | <a href='/w'>World</a></nav><article><h1>Strikes near Palmyra</h1>"
        "<p>Russian warplanes bombed rebel positions near Palmyra on Tuesday, the Syrian army said in a "
        "statement issued in Damascus on the same day.</p><p>The raids destroyed several weapons depots in "
        "the desert east of the city, the army said, and the operation would go on for days.</p></article>"
        "<footer>Copyright 2017 Example News. All rights reserved.</footer></body></html>", encoding="utf-8")
    docs, _ = read_documents(page, "2017-06-14")
    assert "var s" not in docs[0].text and "Copyright" not in docs[0].text
    events, _ = coder.code(docs)
    coded = [(e["source"]["code"], e["target"]["code"] if e["target"] else None, e["cameo_code"]) for e in events
             if e["cameo_root"] != "01"]
    assert coded == [("RUSMIL", "SYRREB", "195")]  # the headline is its own sentence; "the raids" are not new
