"""`dyadwatch explain`: a name that means two things shows both, labelled; the term list names each term once."""

from __future__ import annotations

import json

import pytest

from dyadwatch.cli import main
from dyadwatch.errors import UnknownNameError
from dyadwatch.report.glossary import explain, explain_all


def test_explain_all_capitals_put_the_plover_type_first():
    kinds = [(e["kind"], e["key"]) for e in explain_all("AGREE")]
    assert kinds == [("plover", "AGREE"), ("measure", "agree")]
    assert [(e["kind"], e["key"]) for e in explain_all("agree")] == [("measure", "agree"), ("plover", "AGREE")]
    assert explain("AGREE")["what"] == "promise or offer to cooperate, including a promise to sign an agreement"
    assert explain("kappa")["kind"] == "measure" and len(explain_all("kappa")) == 1


def test_explain_cli_shows_every_entry_labelled(capsys, tmp_path):
    db = str(tmp_path / "none.duckdb")
    assert main(["explain", "AGREE", "--db", db]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0] == "'AGREE' names 2 entries: plover AGREE; measure agree"
    assert lines[1] == "AGREE [plover: AGREE]"
    assert "agreement share (UN voting) [measure: agree]" in lines
    assert lines.index("agreement share (UN voting) [measure: agree]") > lines.index("AGREE [plover: AGREE]")
    assert main(["explain", "AGREE", "--format", "json", "--db", db]) == 0
    e = json.loads(capsys.readouterr().out)
    assert (e["kind"], e["key"]) == ("plover", "AGREE")
    assert [(x["kind"], x["key"], x["unit"]) for x in e["also"]] == [("measure", "agree", "share of roll calls")]
    assert main(["explain", "kappa", "--format", "json", "--db", db]) == 0
    assert "also" not in json.loads(capsys.readouterr().out)


def test_explain_unknown_lists_each_term_once(capsys):
    with pytest.raises(UnknownNameError) as e:
        explain("notaterm")
    listed = str(e.value).split("terms: ", 1)[1].split(", ")
    assert listed.count("atop") == 1 and "kappa" in listed and len(listed) == len(set(listed))
    assert main(["explain", "notaterm"]) == 2
    assert capsys.readouterr().err.count("atop") == 1


def test_explain_057_signing_is_support_promising_is_agree():
    """PLOVER crosswalk (openeventdata/PLOVER CAMEO2PLOVER-2021.txt): 057 Sign formal agreement -> SUPPORT;
    036 Express intent to meet or negotiate -> AGREE."""
    from dyadwatch.codebooks.plover import cameo_to_plover, plover_to_cameo_roots

    assert cameo_to_plover("057") == ("SUPPORT", None)
    assert cameo_to_plover("036")[0] == "AGREE"
    assert plover_to_cameo_roots("AGREE") == ["03"]
    e = explain("057")
    assert e["plover"] == "SUPPORT (express support, praise or diplomatic recognition, or sign an agreement)"
    assert "sign" in explain("SUPPORT")["what"] and "promise" in explain("AGREE")["what"]

