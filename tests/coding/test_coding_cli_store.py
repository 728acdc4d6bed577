"""`dyadwatch code --ingest` and `dyadwatch ingest` of coded events: dataset text, idempotent."""

from __future__ import annotations

import json

import duckdb

from dyadwatch.cli import main

TEXT = ("Russian warplanes bombed rebel positions near Palmyra on Tuesday, the Syrian army said. "
        "Iran and Russia signed an agreement in Moscow. Turkey did not attack Syria.")


def test_cli_code_ingest_is_idempotent(tmp_path, capsys):
    src = tmp_path / "news.txt"
    src.write_text(TEXT, encoding="utf-8")
    out, db = tmp_path / "events.jsonl", tmp_path / "s.duckdb"
    assert main(["code", str(src), "--date", "2017-06-14", "--out", str(out), "--ingest", "--db", str(db)]) == 0
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    # the air strike, the army's statement and the agreement both ways; the negated attack is not coded
    assert sorted(e["cameo_code"] for e in lines) == ["010", "057", "057", "195"]
    with duckdb.connect(str(db), read_only=True) as con:
        n_events = con.execute("select count(*) from events where dataset = 'text'").fetchone()[0]
        n_evidence = con.execute("select count(*) from event_evidence").fetchone()[0]
        codes = sorted(con.execute("select src_code || '>' || coalesce(tgt_code, '-') || ':' || cameo_code "
                               "from events").fetchall())
    assert n_events == n_evidence == len(lines)
    assert sorted((e["source"]["code"] + ">" + (e["target"]["code"] if e["target"] else "-") + ":" + e["cameo_code"],)
                  for e in lines) == codes
    # coding again and storing again adds nothing
    assert main(["code", str(src), "--date", "2017-06-14", "--ingest", "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:  # (same events file content: no second batch)
        assert con.execute("select source_path from ingest_batches").fetchall() == [(str(out.resolve()),)]
    db2 = tmp_path / "s2.duckdb"
    assert main(["code", str(src), "--date", "2017-06-14", "--ingest", "--db", str(db2)]) == 0
    with duckdb.connect(str(db2), read_only=True) as con:  # the batch names the text, not a deleted temporary file
        assert con.execute("select source_path from ingest_batches").fetchall() == [
            (f"{src.resolve()} (coded by dyadwatch code)",)]
    # the same events in another file (other order): read, all already stored
    other = tmp_path / "reordered.jsonl"
    other.write_text("\n".join(reversed(out.read_text(encoding="utf-8").splitlines())) + "\n", encoding="utf-8")
    assert main(["ingest", str(other), "--db", str(db), "--output", "json"]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from events").fetchone()[0] == len(lines)
        assert con.execute("select rows_stored, rows_duplicate from ingest_batches order by batch_id desc limit 1"
                       ).fetchone() == (0, len(lines))
    err = capsys.readouterr().err
    assert "coded 4 events" in err


def test_cli_code_csv_and_bad_lines_rejected(tmp_path, capsys):
    src = tmp_path / "docs.jsonl"
    src.write_text(json.dumps({"id": "d1", "date": "2016-03-01", "text": "Zarif met Lavrov in Moscow."}) + "\n",
                   encoding="utf-8")
    assert main(["code", str(src), "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("event_id,doc_id,sentence_index") and len(out) == 2
    assert ",IRNGOV,IRN,GOV," in out[1] and ",RUSGOV,RUS,GOV," in out[1]
    # a coded-event file with one broken line: the rest is stored, the line rejected with a reason
    good = tmp_path / "good.jsonl"
    assert main(["code", str(src), "--out", str(good)]) == 0
    broken = tmp_path / "broken.jsonl"
    ev = json.loads(good.read_text(encoding="utf-8").splitlines()[0])
    bad = dict(ev, cameo_code="999", event_id="text:" + "0" * 20)
    broken.write_text(json.dumps(ev) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(broken), "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("select count(*) from events").fetchone()[0] == 1
        (reason,) = con.execute("select reason from rejects").fetchone()
    assert "999" in reason


def test_cli_code_unknown_format_is_one_line_error(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_text("Turkey attacked Syria.", encoding="utf-8")
    assert main(["code", str(src), "--format", "xml"]) == 2
    assert "unknown output format 'xml'" in capsys.readouterr().err


def test_coded_events_are_staged_in_chunks(tmp_path, monkeypatch, capsys):
    """The `text` reader stages CHUNK_ROWS rows at a time: with chunks of 2 the
    store holds every event and its evidence once, and a bad line in the middle
    is rejected with its own line number."""
    from dyadwatch.sources import coded_text

    src = tmp_path / "news.txt"
    src.write_text(TEXT + " Egypt criticised Israel. Jordan praised Qatar.", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    assert main(["code", str(src), "--date", "2017-06-14", "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) >= 6
    lines.insert(3, "{broken")
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(coded_text, "CHUNK_ROWS", 2)
    db = tmp_path / "s.duckdb"
    assert main(["ingest", str(mixed), "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        ids = sorted(r[0] for r in con.execute("select event_id from events").fetchall())
        assert ids == sorted(json.loads(x)["event_id"] for x in lines if x != "{broken")
        assert con.execute("select count(distinct event_id), count(*) from event_evidence").fetchone() == (
            len(ids), len(ids))
        assert con.execute("select line, reason like 'not a coded event%' from rejects").fetchall() == [(4, True)]


def test_code_ingest_opens_the_store_only_after_coding(tmp_path, capsys):
    """A failing input creates no store; a store that cannot be opened after
    coding keeps the events in a file named by the error."""
    db = tmp_path / "s.duckdb"
    assert main(["code", str(tmp_path / "missing.txt"), "--ingest", "--db", str(db)]) == 3
    assert main(["code", str(tmp_path / "missing.txt"), "--date", "bogus", "--ingest", "--db", str(db)]) in (2, 3)
    assert not db.exists()
    src = tmp_path / "news.txt"
    src.write_text(TEXT, encoding="utf-8")
    not_a_store = tmp_path / "notes.duckdb"
    not_a_store.write_text("these are my notes, not a database\n", encoding="utf-8")
    capsys.readouterr()
    rc = main(["code", str(src), "--date", "2017-06-14", "--ingest", "--db", str(not_a_store)])
    err = capsys.readouterr().err
    assert rc == 4, err
    assert not_a_store.read_text(encoding="utf-8") == "these are my notes, not a database\n"
    kept = err.split("the coded events are kept in ")[1].split(":")[0]
    with open(kept, encoding="utf-8") as fh:
        events = [json.loads(x) for x in fh]
    import shutil
    from pathlib import Path

    shutil.rmtree(Path(kept).parent)
    assert sorted(e["cameo_code"] for e in events) == ["010", "057", "057", "195"]


def test_code_out_on_a_full_device_is_an_output_error(tmp_path, capsys):
    import os

    if not os.path.exists("/dev/full"):
        import pytest

        pytest.skip("no /dev/full on this system")
    src = tmp_path / "news.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert main(["code", str(src), "--date", "2017-06-14", "--out", "/dev/full"]) == 3
    err = capsys.readouterr().err
    assert err.startswith("error: /dev/full: cannot write the coded events: No space left on device")
    assert "Traceback" not in err and "internal error" not in err


def test_code_actors_or_verbs_directory_is_named(tmp_path, capsys):
    src = tmp_path / "news.txt"
    src.write_text(TEXT, encoding="utf-8")
    for opt in ("--actors", "--verbs"):
        assert main(["code", str(src), opt, str(tmp_path)]) == 3
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"error: {tmp_path}: is a directory, expected") and "\n" not in err


def test_cli_code_date_source_stored_and_old_store_gains_the_column(tmp_path):
    from dyadwatch.store.db import connect, ensure_schema

    db = tmp_path / "old.duckdb"
    with duckdb.connect(str(db)) as con:  # a store written before event_evidence had date_source
        con.execute("CREATE TABLE event_evidence (event_id VARCHAR, sentence_index INTEGER, "
                    "date_precision VARCHAR, spans VARCHAR, batch_id INTEGER)")
        con.execute("INSERT INTO event_evidence VALUES ('text:old', 0, 'day', '{}', 1)")
    con = connect(db)
    ensure_schema(con)
    ensure_schema(con)  # twice: nothing more to add
    assert con.execute("SELECT * FROM event_evidence").fetchall() == [("text:old", 0, "day", "{}", 1, None)]
    con.close()
    src = tmp_path / "news.txt"
    src.write_text("Chile recalled its ambassador from Peru on 3 May 2016. Peru expelled Chilean diplomats "
                   "yesterday.", encoding="utf-8")
    assert main(["code", str(src), "--date", "2016-05-09", "--ingest", "--db", str(db)]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        got = con.execute("SELECT e.event_date::VARCHAR, v.date_source FROM events e JOIN event_evidence v "
                          "USING (event_id) ORDER BY 1").fetchall()
    assert got == [("2016-05-03", "sentence"), ("2016-05-08", "relative")]


def test_code_input_without_text_is_an_error_and_keeps_the_output(tmp_path, capsys):
    """An empty file, a binary file or JSONL documents without text hold nothing to code: one line
    naming the file and why, exit 3, the existing --out file untouched and no store created."""
    out, db = tmp_path / "events.jsonl", tmp_path / "s.duckdb"
    out.write_text('{"kept": 1}\n', encoding="utf-8")
    empty, blob, nodocs = tmp_path / "empty.txt", tmp_path / "blob.dat", tmp_path / "docs.jsonl"
    empty.write_bytes(b"")
    blob.write_bytes(bytes(range(256)) * 40)
    nodocs.write_text(json.dumps({"id": "a", "text": "  "}) + "\n", encoding="utf-8")
    whys = {empty: "file is empty (0 bytes)", blob: "1 binary documents", nodocs: "1 empty documents"}
    for path, why in whys.items():
        capsys.readouterr()
        assert main(["code", str(path), "--date", "2017-06-14", "--out", str(out), "--ingest", "--db", str(db)]) == 3
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith(f"error: {path}: no text to code: ") and why in err[0]
        assert out.read_text(encoding="utf-8") == '{"kept": 1}\n' and not db.exists()
        assert not (tmp_path / "events.jsonl.partial").exists()
    # text with no event is no error: the output is replaced by the (empty) events
    calm = tmp_path / "calm.txt"
    calm.write_text("The weather stayed mild all week.", encoding="utf-8")
    assert main(["code", str(calm), "--date", "2017-06-14", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == ""


def test_code_says_how_many_events_have_no_date(tmp_path, capsys):
    src = tmp_path / "nodate.txt"
    src.write_text("Turkey attacked Syria on 3 March 2016. Iran criticized Israel.", encoding="utf-8")
    out = tmp_path / "e.jsonl"
    assert main(["code", str(src), "--out", str(out)]) == 0
    dates = [json.loads(x)["event_date"] for x in out.read_text(encoding="utf-8").splitlines()]
    assert dates == ["2016-03-03", None]
    assert "note: 1 of 2 events have no date" in capsys.readouterr().err
    assert main(["code", str(src), "--out", str(out), "--date", "2016-03-05"]) == 0
    assert "have no date" not in capsys.readouterr().err
