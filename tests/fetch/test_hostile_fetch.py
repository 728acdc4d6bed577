"""Issue 14, items 4, 5, 11 and 14 (fetch side): hostile listings, mirrors, threads and sizes.

A Dataverse listing whose file names climb out of ``--dest`` (``../``, an
absolute name) or lack a file id; a mirror used as its own destination; a
download thread that hits a full disk or a redirect loop; a mirror
``provenance.csv`` that is not UTF-8 or has a short row; ``--dest/<dataset>``
that is a file; a server that sends more bytes than any cap. Each gives a
clear one-line error naming the file, or lands inside ``dest/<dataset>/``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from dyadwatch.cli import main
from dyadwatch.errors import FetchError, OutputError, UsageError
from dyadwatch.acquire import registry
from dyadwatch.acquire.download import RemoteFile, download, download_all, make_client
from dyadwatch.acquire.fetch import fetch, read_manifest
from dyadwatch.acquire.plan import parse_dataverse

VETOES = "unsc/unsc_vetoes_1946_2022.csv"


def _entry(fid, name, body: bytes | None = None) -> dict:
    df = {"filename": name, "filesize": None if body is None else len(body)}
    if fid is not None:
        df["id"] = fid
    if body is not None:
        df["checksum"] = {"type": "MD5", "value": hashlib.md5(body).hexdigest()}
    return {"label": name, "dataFile": df}


def _listing(*entries) -> str:
    return json.dumps({"status": "OK", "data": {"latestVersion": {"files": list(entries)}}})


def _dataverse(server, name: str, entries: list[dict]):
    server.add("/api/datasets/:persistentId/?persistentId=doi%3A10.7910%2FDVN%2FHOSTILE", _listing(*entries),
               content_type="application/json")
    return registry.register(dict(name=name, title="t", publisher="p", landing_url="http://x", version="1",
                                  licence="l", citation="c", format=None,
                                  source={"kind": "dataverse", "server": server.base,
                                          "doi": "doi:10.7910/DVN/HOSTILE"}))


# -- item 4: Dataverse listings ------------------------------------------------

def test_hostile_dataverse_names_stay_inside_dest(server, fast, tmp_path):
    """``../../escape.csv`` and an absolute name land as their base name in dest/<dataset>/."""
    outside = tmp_path / "outside"
    outside.mkdir()
    bodies = {1: b"climbing out\n", 2: b"absolute\n", 3: b"plain\n"}
    for fid, body in bodies.items():
        server.add(f"/api/access/datafile/{fid}", body)
    names = {1: "../../escape.csv", 2: str(outside / "abs.csv"), 3: "plain.csv"}
    _dataverse(server, "dv-escape", [_entry(fid, names[fid], bodies[fid]) for fid in bodies])
    dest = tmp_path / "work" / "dest"
    try:
        res = fetch("dv-escape", dest=dest, options=fast)
    finally:
        registry.unregister("dv-escape")
    assert sorted(p.name for p in (dest / "dv-escape").iterdir()) == ["abs.csv", "escape.csv", "plain.csv"]
    assert (dest / "dv-escape" / "escape.csv").read_bytes() == bodies[1]
    assert [d.verified_by for d in res.files] == ["md5 (publisher)"] * 3
    assert list(outside.iterdir()) == []
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["dest"]
    assert not (tmp_path / "escape.csv").exists()
    assert set(read_manifest(dest)) == {"dv-escape/escape.csv", "dv-escape/abs.csv", "dv-escape/plain.csv"}


@pytest.mark.parametrize("entry, reason", [
    (_entry(None, "events.tab"), r"file 2 \('events.tab'\) has no numeric file id \(dataFile.id\)"),
    (_entry("../../x", "events.tab"), r"file 2 \('events.tab'\) has no numeric file id"),
    (_entry(7, ".."), r"file 2 \('..'\): no usable file name"),
    (_entry(7, "../"), r"file 2 \('../'\): no usable file name"),
    (_entry(7, ""), r"file 2 \(''\): no usable file name"),
    (_entry(7, "a\x00b.csv"), r"file 2 \('a\\x00b.csv'\): no usable file name"),
    ({"label": "x"}, r"file 2 \('x'\) has no numeric file id"),
    ("not an object", r"file 2 is not a file record"),
])
def test_hostile_dataverse_bad_entries_refused(entry, reason):
    """The second entry of a listing is broken: refused, numbered, nothing planned."""
    with pytest.raises(FetchError, match="Dataverse listing " + reason):
        parse_dataverse(_listing(_entry(5, "good.csv"), entry), "https://dv.example.org")


def test_hostile_dataverse_two_files_with_one_base_name_refused():
    with pytest.raises(FetchError, match=r"files 1 and 2 of the Dataverse listing are both named 'x.csv'"):
        parse_dataverse(_listing(_entry(1, "a/x.csv"), _entry(2, "b/x.csv")), "https://dv.example.org")


def test_hostile_dataverse_bad_entry_cli_one_line(server, tmp_path, capsys):
    _dataverse(server, "dv-noid", [_entry(None, "events.tab")])
    try:
        rc = main(["fetch", "dv-noid", "--dest", str(tmp_path / "d"), "--retries", "0"])
    finally:
        registry.unregister("dv-noid")
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 5 and len(err) == 1
    assert err[0].startswith("error: Dataverse listing file 1 ('events.tab') has no numeric file id")


# -- item 5: a mirror is not its own destination; provenance columns are kept ---

def _mirror_with_notes(shared_data: Path, root: Path) -> str:
    (root / "unsc").mkdir(parents=True)
    data = (shared_data / VETOES).read_bytes()
    (root / VETOES).write_bytes(data)
    rows = data.count(b"\n") - 1
    text = ("file,sha256,rows,licence,source,column_notes\n"
            f"{VETOES},{hashlib.sha256(data).hexdigest()},{rows},CC-BY 4.0,"
            "https://example.org/vetoes,\"year: of the veto; res: draft number\"\n")
    (root / "provenance.csv").write_text(text, encoding="utf-8")
    return text


def test_hostile_mirror_as_its_own_dest_refused(shared_data, tmp_path, capsys):
    text = _mirror_with_notes(shared_data, tmp_path / "m")
    rc = main(["fetch", "unsc-vetoes", "--mirror", str(tmp_path / "m"), "--dest", str(tmp_path / "m" / ".")])
    err = capsys.readouterr().err
    assert rc == 2 and "is the mirror" in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "m" / "provenance.csv").read_text(encoding="utf-8") == text
    assert not (tmp_path / "m" / "unsc-vetoes").exists()


def test_hostile_dest_manifest_keeps_every_column(shared_data, tmp_path):
    """A destination whose provenance.csv has more columns (a mirror's) keeps them all, row by row."""
    text = _mirror_with_notes(shared_data, tmp_path / "m")
    dest = tmp_path / "d"
    dest.mkdir()
    # the destination is itself a mirror with notes: its rows keep their licence/source/notes
    (dest / "provenance.csv").write_text(text.replace(VETOES, "other/kept.csv"), encoding="utf-8")
    fetch("unsc-vetoes", dest=dest, mirror=tmp_path / "m")
    rows = read_manifest(dest)
    assert set(rows) == {"other/kept.csv", "unsc-vetoes/unsc_vetoes_1946_2022.csv"}
    kept = rows["other/kept.csv"]
    assert (kept["licence"], kept["source"], kept["column_notes"]) == (
        "CC-BY 4.0", "https://example.org/vetoes", "year: of the veto; res: draft number")
    header = (dest / "provenance.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:6] == ["file", "sha256", "rows", "licence", "source", "column_notes"]
    assert {"bytes", "md5", "dataset", "verified_by", "fetched_at"} <= set(header)
    new = rows["unsc-vetoes/unsc_vetoes_1946_2022.csv"]
    assert new["dataset"] == "unsc-vetoes" and new["licence"] == ""


# -- item 11: errors in download threads, bad mirror provenance, dest/<dataset> a file

def test_hostile_download_all_names_each_failed_file(server, fast, tmp_path):
    """A full disk (/dev/full) and a redirect loop, each in its own thread: both named, no KeyError."""
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux) to give a real 'no space left on device'")
    good = server.add("/good.bin", b"fine\n")
    full = server.add("/full.bin", b"x" * 10000)
    loop = server.add("/loop.bin", b"", "redirect:/loop.bin")
    (tmp_path / "full.bin.part").symlink_to("/dev/full")
    items = [(RemoteFile(good, "good.bin"), tmp_path / "good.bin"),
             (RemoteFile(full, "full.bin"), tmp_path / "full.bin"),
             (RemoteFile(loop, "loop.bin"), tmp_path / "loop.bin")]
    with pytest.raises(FetchError) as info:
        download_all(items, fast)
    msg = info.value.one_line()
    assert msg.startswith("2 of 3 files failed: ")
    assert "full.bin: cannot write" in msg and "No space left on device" in msg
    assert "loop.bin: " in msg and "redirect" in msg
    assert (tmp_path / "good.bin").read_bytes() == b"fine\n"


def test_hostile_download_disk_full_is_an_output_error(server, fast, tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("needs /dev/full (Linux)")
    url = server.add("/full.bin", b"x" * 10000)
    (tmp_path / "full.bin.part").symlink_to("/dev/full")
    with make_client(fast) as client, pytest.raises(OutputError, match="cannot write.*No space left on device"):
        download(client, RemoteFile(url, "full.bin"), tmp_path / "full.bin", fast)
    assert not (tmp_path / "full.bin").exists()


def test_hostile_download_redirect_loop_not_retried(server, fast, tmp_path):
    url = server.add("/loop.bin", b"", "redirect:/loop.bin")
    with make_client(fast) as client, pytest.raises(FetchError, match="too many redirects"):
        download(client, RemoteFile(url, "loop.bin"), tmp_path / "loop.bin", fast)
    assert len(server.hits("/loop.bin")) <= 21  # one chain of redirects, not one per retry


@pytest.mark.parametrize("content, where", [
    (b"file,sha256\nunsc/x.csv,abc\n\xff\xfe bad bytes,0\n", r"provenance.csv:3: not valid UTF-8"),
    (b"file,sha256\nunsc/unsc_vetoes_1946_2022.csv\n", r"provenance.csv:2: short row: no sha256"),
])
def test_hostile_mirror_provenance_unreadable(shared_data, tmp_path, capsys, content, where):
    root = tmp_path / "m"
    (root / "unsc").mkdir(parents=True)
    (root / VETOES).write_bytes((shared_data / VETOES).read_bytes())
    (root / "provenance.csv").write_bytes(content)
    rc = main(["fetch", "unsc-vetoes", "--mirror", str(root), "--dest", str(tmp_path / "d")])
    err = capsys.readouterr().err
    assert rc == 5, err
    assert len(err.strip().splitlines()) == 1 and "internal error" not in err
    import re

    assert re.search(where, err), err


def test_hostile_dest_manifest_unreadable_named(shared_data, tmp_path, capsys):
    dest = tmp_path / "d"
    dest.mkdir()
    (dest / "provenance.csv").write_bytes(b"file,sha256\n\xff\n")
    rc = main(["fetch", "unsc-vetoes", "--mirror", str(shared_data), "--dest", str(dest)])
    err = capsys.readouterr().err
    assert rc == 3 and "provenance.csv:2: not valid UTF-8" in err and "internal error" not in err


def test_hostile_dest_dataset_is_a_file(shared_data, tmp_path, capsys):
    dest = tmp_path / "d"
    dest.mkdir()
    (dest / "unsc-vetoes").write_text("I am a file")
    rc = main(["fetch", "unsc-vetoes", "--mirror", str(shared_data), "--dest", str(dest)])
    err = capsys.readouterr().err
    assert rc == 2 and "unsc-vetoes is not a directory" in err and "internal error" not in err
    assert (dest / "unsc-vetoes").read_text() == "I am a file"


# -- item 14 (fetch side): a size cap when the server gives no size --------------

def test_hostile_download_cap_without_size(server, fast, tmp_path):
    """Chunked answer, no Content-Length, no size in the registry: stopped at the cap, nothing kept."""
    url = server.add("/endless.bin", b"0123456789abcdef", "endless:8000000")
    opts = replace(fast, max_bytes=1_000_000, retries=0)
    with make_client(opts) as client, pytest.raises(FetchError, match=r"over the cap of 1,000,000 bytes"):
        download(client, RemoteFile(url, "endless.bin"), tmp_path / "endless.bin", opts)
    assert not (tmp_path / "endless.bin").exists() and not (tmp_path / "endless.bin.part").exists()


def test_hostile_download_cap_on_announced_size(server, fast, tmp_path):
    url = server.add("/huge.bin", b"z", "huge:5000000")
    opts = replace(fast, max_bytes=1_000_000, retries=2)
    with make_client(opts) as client, pytest.raises(FetchError, match=r"announces 5,000,000 bytes"):
        download(client, RemoteFile(url, "huge.bin"), tmp_path / "huge.bin", opts)
    assert len(server.hits("/huge.bin")) == 1  # not retried
    assert not (tmp_path / "huge.bin.part").exists()


def test_hostile_download_more_than_the_listed_size(server, fast, tmp_path):
    """The publisher lists 100 bytes; a server streaming more is cut at once, not after the whole stream."""
    url = server.add("/more.bin", b"y", "endless:3000000")
    with make_client(fast) as client, pytest.raises(FetchError, match=r"more than the 100 bytes the publisher lists"):
        download(client, RemoteFile(url, "more.bin", size=100), tmp_path / "more.bin", replace(fast, retries=0))
    assert not (tmp_path / "more.bin").exists()


def test_hostile_fetch_cli_max_size(server, tmp_path, capsys):
    url = server.add("/pub/big.csv", b"a,b\n", "endless:3000000")
    registry.register(dict(name="big-local", title="t", publisher="p", landing_url=server.base, version="1",
                           licence="l", citation="c", format=None,
                           source={"kind": "files", "files": [{"url": url, "filename": "big.csv"}]}))
    try:
        rc = main(["fetch", "big-local", "--dest", str(tmp_path / "d"), "--max-size", "1", "--retries", "0"])
    finally:
        registry.unregister("big-local")
    err = capsys.readouterr().err
    assert rc == 5 and "over the cap of 1,000,000 bytes" in err and "--max-size" in err
