"""`dyadwatch fetch petrarch-dictionaries`, `dyadwatch code --dictionaries`, `dyadwatch evaluate` on
PETRARCH's validation records: end to end through the CLI."""

from __future__ import annotations

import datetime as dt
import json

from dyadwatch.cli import main

ACTORS = "RURITANIA_ [RUR]\nFREEDONIA_ [FRE]\n"
VERBS = "--- LAMPOON [---] ---\nLAMPOON\n- * (AT {STATE BANQUET}) [1246]\n"  # a verb the built-in lexicon lacks


def test_fetch_from_mirror_then_code_uses_them(shared_data, tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("DYADWATCH_DATA", str(data))
    text = tmp_path / "news.txt"
    text.write_text("Ruritania praised Freedonia.\n", encoding="utf-8")
    assert main(["code", str(text), "--date", "2010-01-01", "--out", str(tmp_path / "a.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "dyadwatch fetch petrarch-dictionaries" in err and "4,600 CAMEO verb patterns" in err

    assert main(["fetch", "petrarch-dictionaries", "--mirror", str(shared_data), "-o", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == 6 and all(r["verified_by"].startswith("sha256") for r in rows)
    assert (data / "petrarch-dictionaries" / "CAMEO.2.0.txt").is_file()

    assert main(["code", str(text), "--date", "2010-01-01", "--out", str(tmp_path / "b.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "dictionaries: built-in + Phoenix.Countries.actors.txt (18,352 actors)" in err
    assert "CAMEO.2.0.txt (1,817 verbs, 4,659 patterns)" in err
    assert "malformed publisher lines left out" in err

    # the event's date picks the code: Iran's president 2005-2013 (built-in list), then an elite
    # (the fetched entry fills the dates the built-in list leaves open; before: no actor)
    text.write_text("Mahmoud Ahmadinejad visited Moscow.\n", encoding="utf-8")
    codes = {}
    for day in ("2010-01-01", "2016-01-01"):
        out = tmp_path / f"c{day}.jsonl"
        assert main(["code", str(text), "--date", day, "--out", str(out)]) == 0
        codes[day] = [(e["source"]["code"], e["target"]["code"], e["cameo_code"])
                      for e in map(json.loads, out.read_text().splitlines())]
    assert codes == {"2010-01-01": [("IRNGOV", "RUS", "042")], "2016-01-01": [("IRNELI", "RUS", "042")]}


def test_code_with_given_dictionaries_and_bad_ones_refused(tmp_path, capsys):
    d = tmp_path / "mine"
    d.mkdir()
    (d / "mine.actors.txt").write_text(ACTORS, encoding="utf-8")
    (d / "mine.verbs.txt").write_text(VERBS, encoding="utf-8")
    text = tmp_path / "news.txt"
    text.write_text("Ruritania lampooned Freedonia at a state banquet.\n", encoding="utf-8")
    out = tmp_path / "ev.jsonl"
    assert main(["code", str(text), "--date", "2010-01-01", "--dictionaries", str(d), "--out", str(out)]) == 0
    events = [json.loads(line) for line in out.read_text().splitlines()]
    assert [(e["source"]["code"], e["target"]["code"], e["cameo_code"]) for e in events] == [("RUR", "FRE", "1246")]
    assert "mine.verbs.txt (1 verbs, 1 patterns)" in capsys.readouterr().err

    db = tmp_path / "s.duckdb"
    assert main(["code", str(text), "--date", "2010-01-01", "--dictionaries", str(d), "--ingest", "--db", str(db)]) == 0
    capsys.readouterr()

    (d / "mine.verbs.txt").write_text(VERBS.replace("1246", "9999"), encoding="utf-8")
    other = tmp_path / "more.txt"
    other.write_text("Freedonia lampooned Ruritania at a state banquet.\n", encoding="utf-8")
    rc = main(["code", str(other), "--date", "2011-01-01", "--dictionaries", str(d), "--ingest", "--db", str(db)])
    err = capsys.readouterr().err
    assert rc == 3 and "mine.verbs.txt:3: unknown event code '9999'" in err
    assert len(err.strip().splitlines()) == 1  # one line, no traceback
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:  # the events coded before are all still there, once
        assert con.execute("select src_code, tgt_code, cameo_code, event_date from events").fetchall() == [
            ("RUR", "FRE", "1246", dt.date(2010, 1, 1))]


def test_evaluate_prints_the_validation_table(shared_data, capsys):
    records = shared_data / "text" / "petrarch_unittest_records.jsonl"
    assert main(["evaluate", str(records)]) == 2
    assert "--dictionaries" in capsys.readouterr().err
    assert main(["evaluate", str(records), "--dictionaries", str(shared_data / "dictionaries" / "petrarch2-validate"),
                 "-o", "json"]) == 0
    res = json.loads(capsys.readouterr().out)
    total = res["categories"][-1]
    assert total["category"] == "Total" and total["records"] == 278
    assert total["TP"] > res["ud_petrarch"]["tp"] and total["FP"] < res["ud_petrarch"]["fp"]


def test_cite_the_dictionaries_without_a_store(tmp_path, capsys):
    db = tmp_path / "none.duckdb"
    assert main(["cite", "petrarch-dictionaries", "--db", str(db), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["dataset"] for r in rows] == ["petrarch-dictionaries"] and rows[0]["licence"].startswith("MIT")
    assert "676801cd9cb2924bbbad09f86d15c9323e7097bf" in rows[0]["version"] and not rows[0]["in_store"]
    assert not db.exists()


def test_evaluate_names_the_dictionaries_its_scores_rest_on(shared_data, tmp_path, monkeypatch, capsys):
    """The same gold scores differently with and without the fetched dictionaries: evaluate says which."""
    from pathlib import Path

    gold = Path(__file__).resolve().parents[1] / "data" / "fresh_news_dev.jsonl"
    monkeypatch.setenv("DYADWATCH_DATA", str(tmp_path / "data"))
    assert main(["evaluate", str(gold), "--no-model"]) == 0
    assert "note: the PETRARCH/Phoenix dictionaries are not fetched" in capsys.readouterr().err
    assert main(["fetch", "petrarch-dictionaries", "--mirror", str(shared_data), "-o", "json"]) == 0
    capsys.readouterr()
    assert main(["evaluate", str(gold), "--no-model"]) == 0
    assert "dictionaries: built-in + Phoenix.Countries.actors.txt (18,352 actors)" in capsys.readouterr().err
    assert main(["evaluate", str(gold), "--no-model", "--format", "json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["records"] == 60 and len(body["dictionaries"]) == 6
