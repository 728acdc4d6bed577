"""fetch -> verify -> ingest, from the network (local server) and from the mirror ../shared/data."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb
import pytest

from dyadwatch.cli import main
from dyadwatch.errors import FetchError, UsageError
from dyadwatch.sources import formats
from dyadwatch.acquire import registry
from dyadwatch.acquire.fetch import cite, fetch, read_manifest
from dyadwatch.store import db

VETOES = "unsc/unsc_vetoes_1946_2022.csv"


def _provenance(shared_data: Path) -> dict[str, dict[str, str]]:
    with open(shared_data / "provenance.csv", newline="", encoding="utf-8") as fh:
        return {r["file"]: r for r in csv.DictReader(fh)}


def _store(path: Path):
    con = db.connect(path)
    db.ensure_schema(con)
    return con


def _need_reader(name: str):
    if name not in formats.load_builtins():
        pytest.skip(f"reader {name!r} is not built yet (sources issue)")
    return formats.get(name)


def test_fetch_unvotes_from_mirror_cli_ingests_and_cites(shared_data, tmp_path, capsys):
    _need_reader("unvotes")
    store, dest = tmp_path / "s.duckdb", tmp_path / "data"
    rc = main(["fetch", "unvotes", "--mirror", str(shared_data), "--dest", str(dest), "--ingest",
               "--db", str(store), "-o", "json"])
    assert rc == 0, capsys.readouterr().err
    prov = _provenance(shared_data)
    con = duckdb.connect(str(store), read_only=True)
    batches = con.execute("SELECT source_path, sha256, rows_read, rows_stored, rows_rejected FROM ingest_batches "
                          "ORDER BY batch_id").fetchall()
    assert len(batches) == 3
    for path, sha, read, stored, rejected in batches:
        rel = "unvotes/" + Path(path).name
        assert sha == prov[rel]["sha256"]
        assert read == int(prov[rel]["rows"])  # rows counted by the data's publisher of the mirror
        assert stored + rejected == read
    # independent count of the votes file
    n_votes = duckdb.sql(f"SELECT count(*) FROM read_parquet('{shared_data / 'unvotes/un_votes.parquet'}')").fetchall()
    stored_votes = con.execute("SELECT count(*) FROM un_votes").fetchall()
    rejected_votes = con.execute("SELECT rows_rejected FROM ingest_batches WHERE source_path LIKE '%un_votes.parquet'")
    assert stored_votes[0][0] + rejected_votes.fetchall()[0][0] == n_votes[0][0] == 870109
    rows = con.execute("SELECT dataset, checksum, origin, batch_id IS NOT NULL FROM dataset_provenance "
                       "ORDER BY file_url").fetchall()
    assert {r[1] for r in rows} == {"sha256:" + prov[f"unvotes/{n}"]["sha256"]
                                    for n in ("un_votes.parquet", "un_roll_calls.csv", "un_roll_call_issues.csv")}
    assert all(r[0] == "unvotes" and r[2] == "mirror" and r[3] for r in rows)
    con.close()
    capsys.readouterr()
    assert main(["cite", "--db", str(store), "-o", "json"]) == 0
    out = capsys.readouterr().out
    assert "Voeten" in out and "10.7910/DVN/LEJUQZ" in out
    # a second run adds nothing: files present and verified, batches already stored
    assert main(["fetch", "unvotes", "--mirror", str(shared_data), "--dest", str(dest), "--ingest",
                 "--db", str(store), "-o", "json"]) == 0
    out = capsys.readouterr().out
    assert out.count('"action": "present"') == 3 and "already stored" in out


# large ingests (by the other areas' readers) are marked slow; they still run in CI
_SLOW = {"icews-names", "atop"}
MIRRORED = [pytest.param(ds.name, marks=pytest.mark.slow) if ds.name in _SLOW else ds.name
            for ds in registry.datasets().values() if ds.mirror]


@pytest.mark.parametrize("name", MIRRORED)
def test_fetch_every_mirrored_dataset(name, shared_data, tmp_path):
    ds = registry.get(name)
    prov = _provenance(shared_data)
    res = fetch(name, dest=tmp_path / "data", mirror=shared_data)
    assert [d.sha256 for d in res.files] == [prov[m.path]["sha256"] for m in ds.mirror]
    assert all(d.action == "copied" for d in res.files)
    manifest = read_manifest(tmp_path / "data")
    assert {r["sha256"] for r in manifest.values()} == {d.sha256 for d in res.files}
    if ds.format is None:
        con = _store(tmp_path / "s.duckdb")
        with pytest.raises(UsageError, match="no dyadwatch reader yet"):
            fetch(name, dest=tmp_path / "data", mirror=shared_data, con=con)
        return
    _need_reader(ds.format)
    if name == "unvotes":
        return  # ingest checked in test_fetch_unvotes_from_mirror_cli_ingests_and_cites
    con = _store(tmp_path / "s.duckdb")
    res = fetch(name, dest=tmp_path / "data", mirror=shared_data, con=con)
    for d, b in zip(res.files, res.batches):
        rel = next(m.path for m in ds.mirror if Path(m.path).name == d.path.name)
        assert b.rows_read == int(prov[rel]["rows"]), rel
        assert b.rows_stored > 0 and b.batch_id is not None
    n = con.execute("SELECT count(*) FROM dataset_provenance WHERE dataset = ?", [name]).fetchall()[0][0]
    assert n == len(ds.mirror)


def _local_dataset(server, shared_data, files: list[str], fmt: str, name: str, wrong: bool = False) -> dict:
    prov = _provenance(shared_data)
    entries = []
    for rel in files:
        url = server.add("/pub/" + Path(rel).name, (shared_data / rel).read_bytes())
        sha = prov[rel]["sha256"] if not wrong else "0" * 64
        entries.append({"url": url, "filename": Path(rel).name, "sha256": sha})
    rec = dict(name=name, title="t", publisher="p", landing_url=server.base, version="1", licence="l",
               citation="c", format=fmt, source={"kind": "files", "files": entries},
               mirror=[{"path": rel} for rel in files])
    return rec


def _table_rows(con, tables) -> dict[str, list]:
    out = {}
    for t in tables:
        cols = [c for c, in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND column_name <> 'batch_id' "
            "ORDER BY ordinal_position", [t]).fetchall()]
        out[t] = sorted(con.execute(f"SELECT {', '.join(cols)} FROM {t}").fetchall(), key=repr)
    return out


def test_mirror_and_network_give_the_same_store(server, fast, shared_data, tmp_path):
    reader = _need_reader("unsc-vetoes")
    registry.register(_local_dataset(server, shared_data, [VETOES], "unsc-vetoes", "vetoes-local"))
    try:
        net = _store(tmp_path / "net.duckdb")
        r1 = fetch("vetoes-local", dest=tmp_path / "net", options=fast, con=net)
        mir = _store(tmp_path / "mirror.duckdb")
        r2 = fetch("vetoes-local", dest=tmp_path / "mir", mirror=shared_data, con=mir)
    finally:
        registry.unregister("vetoes-local")
    assert (r1.origin, r2.origin) == ("network", "mirror")
    assert r1.files[0].verified_by == "sha256 (publisher)"
    assert r1.files[0].sha256 == r2.files[0].sha256
    a, b = _table_rows(net, reader.tables), _table_rows(mir, reader.tables)
    assert a == b and sum(len(v) for v in a.values()) > 0
    q = "SELECT sha256, format, rows_read, rows_stored, rows_rejected FROM ingest_batches"
    assert net.execute(q).fetchall() == mir.execute(q).fetchall()


def test_wrong_checksum_nothing_ingested(server, fast, shared_data, tmp_path):
    _need_reader("unsc-vetoes")
    registry.register(_local_dataset(server, shared_data, [VETOES], "unsc-vetoes", "vetoes-bad", wrong=True))
    con = _store(tmp_path / "s.duckdb")
    try:
        with pytest.raises(FetchError, match="checksum mismatch.*nothing ingested"):
            fetch("vetoes-bad", dest=tmp_path / "d", options=fast, con=con)
    finally:
        registry.unregister("vetoes-bad")
    assert con.execute("SELECT count(*) FROM ingest_batches").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM unsc_vetoes").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM dataset_provenance").fetchall() == [(0,)]
    assert not list((tmp_path / "d").rglob("*.csv"))


def _tiny_mirror(shared_data: Path, root: Path, tamper: bool = False, with_sum: bool = True) -> None:
    (root / "unsc").mkdir(parents=True)
    data = (shared_data / VETOES).read_bytes()
    (root / VETOES).write_bytes(data + (b"1999,extra row\n" if tamper else b""))
    sha = _provenance(shared_data)[VETOES]["sha256"]
    rows = "file,sha256\n" + (f"{VETOES},{sha}\n" if with_sum else "")
    (root / "provenance.csv").write_text(rows)


def test_mirror_tampered_file_rejected(shared_data, tmp_path):
    _tiny_mirror(shared_data, tmp_path / "m", tamper=True)
    con = _store(tmp_path / "s.duckdb")
    with pytest.raises(FetchError, match="checksum mismatch.*nothing copied or ingested"):
        fetch("unsc-vetoes", dest=tmp_path / "d", mirror=tmp_path / "m", con=con)
    assert not (tmp_path / "d" / "unsc-vetoes").exists()
    assert con.execute("SELECT count(*) FROM ingest_batches").fetchall() == [(0,)]


def test_mirror_without_checksum_refused(shared_data, tmp_path):
    _tiny_mirror(shared_data, tmp_path / "m", with_sum=False)
    with pytest.raises(FetchError, match="no sha256 for unsc/unsc_vetoes_1946_2022.csv"):
        fetch("unsc-vetoes", dest=tmp_path / "d", mirror=tmp_path / "m")


def test_mirror_without_the_dataset_says_where_it_looked(tmp_path):
    (tmp_path / "m").mkdir()
    with pytest.raises(FetchError, match="holds no file of dataset atop; looked for peacesciencer/atop_alliance"):
        fetch("atop", dest=tmp_path / "d", mirror=tmp_path / "m")


def test_fetch_destination_is_itself_a_mirror(shared_data, tmp_path):
    first = fetch("unsc-vetoes", dest=tmp_path / "a", mirror=shared_data)
    second = fetch("unsc-vetoes", dest=tmp_path / "b", mirror=tmp_path / "a")
    assert second.files[0].sha256 == first.files[0].sha256
    assert (tmp_path / "b" / "unsc-vetoes" / Path(VETOES).name).read_bytes() == (shared_data / VETOES).read_bytes()


def test_cite_lists_only_what_the_store_holds(shared_data, tmp_path):
    _need_reader("unsc-vetoes")
    con = _store(tmp_path / "s.duckdb")
    assert cite(con) == []
    fetch("unsc-vetoes", dest=tmp_path / "d", mirror=shared_data, con=con)
    rows = cite(con)
    assert [r["dataset"] for r in rows] == ["unsc-vetoes"]
    assert rows[0]["files"] == 1 and rows[0]["checksums"] == "sha256:" + _provenance(shared_data)[VETOES]["sha256"]
    assert cite(con, "atop")[0]["in_store"] is False


def test_fetch_cli_errors_are_one_line(tmp_path, capsys):
    assert main(["fetch", "gdelt2", "--dest", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("error: dataset gdelt2 is published as one file per 15 minutes")
    assert main(["fetch", "gdelt1", "--from", "2015-13-01", "--to", "2015-10-01", "--dest", str(tmp_path)]) == 2
    assert "is not a date" in capsys.readouterr().err
    assert main(["fetch", "no-such", "--dest", str(tmp_path)]) == 2
    assert "known datasets:" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["fetch", "cite", "collect"])
def test_fetch_cli_commands_have_help(command, capsys):
    assert main([command, "--help"]) == 0
    assert len(capsys.readouterr().out) > 200


def test_fetch_cli_network_with_user_registry(server, shared_data, tmp_path, monkeypatch, capsys):
    _need_reader("unsc-vetoes")
    import yaml

    rec = _local_dataset(server, shared_data, [VETOES], "unsc-vetoes", "vetoes-user")
    reg = tmp_path / "my-datasets.yaml"
    reg.write_text(yaml.safe_dump([rec]))
    monkeypatch.setenv("DYADWATCH_REGISTRY", str(reg))
    store = tmp_path / "s.duckdb"
    args = ["fetch", "vetoes-user", "--dest", str(tmp_path / "d"), "--ingest", "--db", str(store),
            "--retries", "1", "--timeout", "2", "-o", "json"]
    assert main(args) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert '"action": "downloaded"' in out and '"verified_by": "sha256 (publisher)"' in out
    n = int(_provenance(shared_data)[VETOES]["rows"])
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT rows_read FROM ingest_batches").fetchall() == [(n,)]
    assert con.execute("SELECT origin, file_url FROM dataset_provenance").fetchall() == [
        ("network", server.url("/pub/unsc_vetoes_1946_2022.csv"))]
    con.close()
    # the server fails now: the verified file is present and nothing is downloaded again
    server.routes["/pub/unsc_vetoes_1946_2022.csv"].behaviours = ["status:500"]
    assert main(args) == 0
    assert '"action": "present"' in capsys.readouterr().out


def test_fetch_cli_bad_user_registry_is_one_line(tmp_path, monkeypatch, capsys):
    reg = tmp_path / "bad.yaml"
    reg.write_text("- name: x\n  title: [unclosed\n")
    monkeypatch.setenv("DYADWATCH_REGISTRY", str(reg))
    assert main(["fetch", "x", "--dest", str(tmp_path)]) == 3
    assert "bad.yaml" in capsys.readouterr().err


def test_fetch_ingest_leaves_documentation_files_out(server, fast, shared_data, tmp_path):
    _need_reader("unsc-vetoes")
    rec = _local_dataset(server, shared_data, [VETOES], "unsc-vetoes", "vetoes-doc")
    rec["source"]["files"].append({"url": server.add("/pub/codebook.pdf", b"%PDF-1.4 not data"),
                                   "filename": "codebook.pdf"})
    registry.register(rec)
    con = _store(tmp_path / "s.duckdb")
    try:
        res = fetch("vetoes-doc", dest=tmp_path / "d", options=fast, con=con)
    finally:
        registry.unregister("vetoes-doc")
    assert [b.batch_id is None for b in res.batches] == [False, True]
    assert "not ingested: documentation" in res.batches[1].message
    assert con.execute("SELECT count(*) FROM ingest_batches").fetchall() == [(1,)]
    rows = con.execute("SELECT file_url LIKE '%codebook.pdf', batch_id IS NULL FROM dataset_provenance "
                       "ORDER BY file_url").fetchall()
    assert sorted(rows) == [(False, False), (True, True)]


def test_fetch_ingests_the_named_member_of_a_zip(server, fast, shared_data, tmp_path):
    import io
    import zipfile

    _need_reader("unsc-vetoes")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("Vetoes v1/README.txt", "read me first\n")
        zf.writestr("Vetoes v1/unsc_vetoes_1946_2022.csv", (shared_data / VETOES).read_bytes())
    url = server.add("/pub/vetoes.zip", buf.getvalue())
    rec = dict(name="vetoes-zip", title="t", publisher="p", landing_url=server.base, version="1", licence="l",
               citation="c", format="unsc-vetoes",
               source={"kind": "files", "files": [{"url": url, "filename": "vetoes.zip",
                                                   "member": "unsc_vetoes_1946_2022.csv"}]})
    registry.register(rec)
    con = _store(tmp_path / "s.duckdb")
    try:
        res = fetch("vetoes-zip", dest=tmp_path / "d", options=fast, con=con)
    finally:
        registry.unregister("vetoes-zip")
    n = int(_provenance(shared_data)[VETOES]["rows"])
    assert res.batches[0].rows_read == n
    assert (tmp_path / "d" / "vetoes-zip" / "unsc_vetoes_1946_2022.csv").read_bytes() == (shared_data / VETOES).read_bytes()
    assert con.execute("SELECT file_url FROM dataset_provenance").fetchall() == [(url,)]


def test_fetch_gdelt2_masterlist_end_to_end(server, fast, shared_data, tmp_path):
    """A local master file list (size, MD5, URL) of two 15-minute exports; one day is asked for."""
    import hashlib
    import io
    import zipfile

    _need_reader("gdelt2")
    rel = "events/gdelt/gdelt2_events_sample.csv"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("20170701234500.export.CSV", (shared_data / rel).read_bytes())
    data = buf.getvalue()
    lines = []
    for stamp in ("20170701234500", "20170702000000"):
        url = server.add(f"/gdeltv2/{stamp}.export.CSV.zip", data)
        lines.append(f"{len(data)} {hashlib.md5(data).hexdigest()} {url}")
        lines.append(f"1 {'0' * 32} {server.url(f'/gdeltv2/{stamp}.mentions.CSV.zip')}")
    master = server.add("/gdeltv2/masterfilelist.txt", "\n".join(lines) + "\n", content_type="text/plain")
    rec = dict(name="gdelt2-local", title="t", publisher="p", landing_url=server.base, version="2", licence="l",
               citation="c", format="gdelt2",
               source={"kind": "masterlist", "url": master, "pattern": r"/(\d{14})\.export\.CSV\.zip$"})
    registry.register(rec)
    con = _store(tmp_path / "s.duckdb")
    try:
        import datetime as dt

        res = fetch("gdelt2-local", dest=tmp_path / "d", start=dt.date(2017, 7, 1), end=dt.date(2017, 7, 1),
                    options=fast, con=con)
    finally:
        registry.unregister("gdelt2-local")
    assert [(d.path.name, d.verified_by) for d in res.files] == [("20170701234500.export.CSV.zip", "md5 (publisher)")]
    assert res.batches[0].rows_read == int(_provenance(shared_data)[rel]["rows"]) == 50
    assert con.execute("SELECT count(*) FROM events WHERE dataset = 'gdelt2'").fetchall()[0][0] == \
        res.batches[0].rows_stored
    assert server.hits("/gdeltv2/20170702000000.export.CSV.zip") == []


def test_cite_data_ingested_without_fetch(shared_data, tmp_path):
    _need_reader("unsc-vetoes")
    from dyadwatch.store.ingest import ingest_file

    con = _store(tmp_path / "s.duckdb")
    ingest_file(con, shared_data / VETOES, format="unsc-vetoes")
    rows = cite(con)
    assert [r["dataset"] for r in rows] == ["unsc-vetoes"]
    assert rows[0]["checksums"] == "sha256:" + _provenance(shared_data)[VETOES]["sha256"]
