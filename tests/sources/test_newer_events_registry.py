"""POLECAT, ACLED and UCDP GED in the registry: reader names, honest fetch, `cite` after ingest."""

from __future__ import annotations

import pytest

from dyadwatch.acquire import registry
from dyadwatch.acquire.fetch import cite, fetch
from dyadwatch.errors import UsageError
from dyadwatch.sources import formats
from dyadwatch.store.ingest import ingest_file
from tests.sources import test_acled_reader as acled
from tests.sources import test_polecat_reader as polecat
from tests.sources import test_ucdp_ged_reader as ged


@pytest.mark.parametrize("name", ["polecat", "acled", "ucdp-ged"])
def test_registry_names_the_reader_and_no_mirror_copy(name):
    ds = registry.get(name)
    assert ds.format == name and formats.get(name).name == name
    assert ds.mirror == ()  # ../shared holds no copy; the records say so
    assert "no mirror copy" in ds.checked or "no URL" in ds.checked


def test_acled_fetch_says_why_there_is_no_download(tmp_path):
    with pytest.raises(UsageError, match="registered account"):
        fetch("acled", dest=tmp_path / "d")


def test_acled_fetch_from_a_mirror_directory_copies_and_ingests(con, tmp_path):
    """A user's own export, put in a mirror as acled/<file> with its sha256, is copied and ingested."""
    import hashlib

    src = acled.write(tmp_path, "export.csv", [acled.rec("SYR1"), acled.rec("SYR2")])
    (tmp_path / "m" / "acled").mkdir(parents=True)
    (tmp_path / "m" / "acled" / "export.csv").write_bytes(src.read_bytes())
    (tmp_path / "m" / "provenance.csv").write_text(
        f"file,sha256\nacled/export.csv,{hashlib.sha256(src.read_bytes()).hexdigest()}\n")
    res = fetch("acled", dest=tmp_path / "d", mirror=tmp_path / "m", con=con)
    assert [b.rows_stored for b in res.batches] == [2]


def test_cite_lists_the_three_after_ingest(con, tmp_path):
    ingest_file(con, polecat.write(tmp_path, "p.txt", [polecat.HEAD, polecat.row("E1")]))
    ingest_file(con, acled.write(tmp_path, "a.csv", [acled.rec("SYR1")]))
    ingest_file(con, ged.write(tmp_path, "g.csv", [ged.rec("1")]))
    rows = {r["dataset"]: r for r in cite(con)}
    assert set(rows) == {"polecat", "acled", "ucdp-ged"}
    assert rows["acled"]["cite_as"] == "ACLED (Raleigh et al. 2010)"
    assert rows["polecat"]["cite_as"] == "POLECAT (Halterman et al. 2023)"
    assert rows["ucdp-ged"]["cite_as"] == "UCDP GED (Sundberg & Melander 2013)"
    assert all(r["files"] == 1 and r["checksums"].startswith("sha256:") for r in rows.values())
