"""Names beside codes, the glossary, `dyadwatch explain`, `dyadwatch events` and `cite --format`."""

from __future__ import annotations

import json

import pytest

from dyadwatch.acquire.citations import bibtex, cite_as
from dyadwatch.analysis.evidence import list_events, period_range
from dyadwatch.cli import main
from dyadwatch.codebooks import labels
from dyadwatch.errors import UnknownNameError, UsageError
from dyadwatch.report.glossary import explain, glossary
from tests.relations.storefix import make_store


def test_labels_countries_events_regions():
    assert labels.country_label("IRN") == "Iran (IRN)"
    assert labels.country_name("RUS") == "Russia"
    assert labels.country_label("IGOUNO") == "IGOUNO"  # not a country: the code alone
    assert labels.cameo_label("057") == "Sign formal agreement (057)"
    assert labels.cameo_label("1622") == "Reduce or stop military assistance (1622)"
    assert labels.cameo_label("999") == "999"
    # COW code blocks: Iran 630 Middle East, Russia 365 Europe, USA 2 Americas, China 710 Asia
    assert [labels.region_of(c) for c in ("IRN", "RUS", "USA", "CHN", "NGA")] == [
        "Middle East", "Europe", "Americas", "Asia and Oceania", "Africa"]
    assert labels.region_pair("RUS", "IRN") == labels.region_pair("IRN", "RUS") == "Europe – Middle East"
    assert labels.quad_class_name(4) == "material conflict"


def test_citations_short_names_and_bibtex():
    assert cite_as("icews") == "ICEWS (Boschee et al. 2015)"
    assert cite_as("icews14", "icews-names").startswith("ICEWS extracts (Boschee et al. 2015")
    assert cite_as("text") == "dyadwatch coder (events coded from documents)"
    assert cite_as("my-own") == "my-own"
    bib = bibtex("ucdp-acd")
    assert bib.startswith("@article{gleditsch2002_ucdpacd,") and "journal = {Journal of Peace Research}" in bib
    assert bib.rstrip().endswith("}")
    with pytest.raises(UnknownNameError):
        bibtex("no-such-data")


def test_citations_dataset_name_store_then_registry_then_label():
    from dyadwatch.acquire.citations import dataset_name

    names = {"icews14": "ICEWS extracts (as stored)", "mine": ""}
    assert dataset_name("icews14", names) == "ICEWS extracts (as stored)"  # the store's own name first
    assert dataset_name("icews", names) == "ICEWS (Boschee et al. 2015)"  # then the registry's
    assert dataset_name("icews") == dataset_name("icews", {}) == "ICEWS (Boschee et al. 2015)"
    assert dataset_name("mine", names) == "mine"  # an empty stored name is not shown
    assert dataset_name("my-own", names) == "my-own"  # neither: the label itself


def test_every_registry_record_has_short_citation_and_bibtex():
    from dyadwatch.acquire import registry

    for name, rec in registry.datasets().items():
        assert rec.extra.get("cite_as"), name
        assert (rec.extra.get("bib") or {}).get("author"), name
    assert cite_as("cow-war") == "COW Inter-State War 4.0 (Sarkees & Wayman 2010)"
    assert cite_as("td-rivalries") == "Thompson-Dreyer rivalries (Thompson & Dreyer 2012)"
    bib = bibtex("cow-mid")
    assert bib.startswith("@article{palmer2022_cowmid,")
    assert "journal = {Conflict Management and Peace Science}," in bib and "pages = {470--482}," in bib
    assert bibtex("td-rivalries").startswith("@book{thompson2012_tdrivalries,")


def test_cite_cli_bibtex_for_all(capsys):
    for name in ("td-rivalries", "cow-mid", "cow-mid-disputes", "cow-war"):
        assert main(["cite", name, "--format", "bibtex"]) == 0
        out = capsys.readouterr().out
        assert out.lstrip().startswith("@") and "author = {" in out and "year = {20" in out, name


@pytest.mark.parametrize("term, key, unit_word", [
    ("kappa", "kappa", "chance-corrected"), ("Net cooperation", "net_coop", "share"),
    ("S-score", "s", "similarity"), ("salience", "salience", "share"), ("frustration", "bloc", "tie weight")])
def test_glossary_explain_measures(term, key, unit_word):
    e = explain(term)
    assert e["kind"] == "measure" and e["key"] == key
    assert unit_word in e["unit"] and e["formula"] and e["range"] and e["source"]


def test_glossary_sources_cited():
    text = json.dumps(glossary(), ensure_ascii=False)
    for ref in ("Goldstein, J. S. (1992)", "Signorino", "Häge", "Bailey, M. A., Strezhnev, A. & Voeten, E. (2017)",
                "PLOVER manual", "1.1b3"):
        assert ref in text, ref


def test_glossary_explain_codes_and_datasets():
    c = explain("057")
    assert (c["kind"], c["name"], c["goldstein"]) == ("cameo", "Sign formal agreement", 8.0)
    assert explain("CONSULT")["cameo_roots"] == "Consult (04)"
    assert explain("qc3")["name"] == "verbal conflict"
    assert explain("Iran")["key"] == "IRN"
    d = explain("icews14")  # a store label of the ICEWS extracts
    assert d["kind"] == "dataset" and d["key"] == "icews-names" and d["text"].startswith("none")
    with pytest.raises(UnknownNameError, match="terms: net_coop"):
        explain("no-such-term")


def test_explain_cli(capsys, tmp_path):
    assert main(["explain", "kappa", "--db", str(tmp_path / "none.duckdb")]) == 0
    text = capsys.readouterr().out
    assert "Cohen's kappa" in text and "formula: 1 − D_obs / D_exp" in text and "Häge" in text
    assert main(["explain", "1622", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "Reduce or stop military assistance"
    assert main(["explain", "zzz"]) == 2


@pytest.fixture()
def ev_store(tmp_path):
    events = [(1, "2014-03-02", "IRN", "RUS", 1, None, "Iran and Russia met in Moscow."),
              (2, "2014-07-09", "RUS", "IRN", 4, None, None),
              (3, "2015-01-05", "RUS", "IRN", 3),
              (4, "2014-05-01", "USA", "IRN", 3)]
    con = make_store(tmp_path / "ev.duckdb", events=events, counts=[("IRN", "RUS", 2013, 5, 0, 1, 0)])
    yield con
    con.close()


def test_events_list_period_names_and_filters(ev_store):
    df = list_events(ev_store, "Iran", "RUS", period=2014)
    assert df.attrs["total"] == 2 and list(df["event_date"].astype(str)) == ["2014-03-02", "2014-07-09"]
    first = df.iloc[0]
    assert (first["src_country_name"], first["cameo_code"], first["cameo_name"]) == ("Iran", "040", "Consult, not specified below")
    assert first["sentence"] == "Iran and Russia met in Moscow." and first["text_note"] is None
    assert df.iloc[1]["direction"] == "B->A" and df.iloc[1]["text_note"] == "no sentence in this data set"
    assert df.attrs["note"] is None  # 2014 has no aggregated counts
    assert len(list_events(ev_store, "IRN", "RUS", date_from="2013", date_to="2015", roots=["19"])) == 1
    assert list_events(ev_store, "IRN", "RUS", date_from="2013").attrs["note"].startswith(
        "the yearly figures of 2013 are counted from")
    lim = list_events(ev_store, "IRN", "RUS", limit=1, order="intensity")
    assert lim.attrs["total"] == 3 and len(lim) == 1 and lim.iloc[0]["goldstein"] == -10.0


def test_events_bad_arguments(ev_store):
    with pytest.raises(UsageError, match="period"):
        list_events(ev_store, "IRN", "RUS", period="2014-13")
    with pytest.raises(UsageError, match="not both"):
        list_events(ev_store, "IRN", "RUS", period=2014, date_from="2014")
    with pytest.raises(UsageError, match="not in the store"):
        list_events(ev_store, "IRN", "RUS", datasets=["nope"])
    assert period_range("2014Q4")[1].isoformat() == "2014-12-31"
    assert period_range("2016-02")[1].isoformat() == "2016-02-29"


def test_events_cli_formats(ev_store, tmp_path, capsys):
    db = ev_store.execute("SELECT path FROM duckdb_databases() WHERE NOT internal").fetchone()[0]
    ev_store.close()
    assert main(["events", "IRN", "RUS", "--period", "2014", "--db", db, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["cameo_name"] for r in rows] == ["Consult, not specified below",
                                              "Use conventional military force, not specified below"]
    assert main(["events", "IRN", "RUS", "--from", "2014", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "events IRN–RUS" in text and "3 in the store" in text and "Iran and Russia met in Moscow." in text
    assert main(["events", "IRN", "RUS", "--period", "20x4", "--db", db]) == 2
