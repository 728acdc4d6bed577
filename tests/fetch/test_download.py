"""The download engine against a local server: resume, checksums, retries, time-outs, redirects."""

from __future__ import annotations

import csv
import hashlib
import time
from dataclasses import replace
from pathlib import Path

import pytest

from dyadwatch.errors import FetchError
from dyadwatch.acquire.download import RemoteFile, download, download_all, make_client

VETOES = "unsc/unsc_vetoes_1946_2022.csv"


def _provenance_sha(shared_data: Path, rel: str) -> str:
    with open(shared_data / "provenance.csv", newline="", encoding="utf-8") as fh:
        return {r["file"]: r["sha256"] for r in csv.DictReader(fh)}[rel]


def test_download_resumes_after_dropped_connection(server, fast, shared_data, tmp_path):
    body = (shared_data / VETOES).read_bytes()
    url = server.add("/vetoes.csv", body, "drop", "ok")
    want = _provenance_sha(shared_data, VETOES)
    events = []
    with make_client(fast) as client:
        d = download(client, RemoteFile(url, "vetoes.csv", sha256=want), tmp_path / "vetoes.csv", fast, events.append)
    assert d.action == "resumed"
    assert d.verified_by == "sha256 (publisher)"
    assert hashlib.sha256((tmp_path / "vetoes.csv").read_bytes()).hexdigest() == want
    # first request from byte 0; the second asked only for what was missing
    # (the server sent half the file; the client kept the whole chunks it got)
    first, second = server.hits("/vetoes.csv")
    assert first is None
    offset = int(second.removeprefix("bytes=").rstrip("-"))
    assert 0 < offset <= len(body) // 2
    assert not (tmp_path / "vetoes.csv.part").exists()
    assert [e.kind for e in events].count("retry") == 1


def test_download_resumes_partial_file_left_by_earlier_run(server, fast, shared_data, tmp_path):
    body = (shared_data / VETOES).read_bytes()
    url = server.add("/v.csv", body)
    (tmp_path / "v.csv.part").write_bytes(body[:1000])
    with make_client(fast) as client:
        d = download(client, RemoteFile(url, "v.csv", md5=hashlib.md5(body).hexdigest()), tmp_path / "v.csv", fast)
    assert d.action == "resumed" and d.verified_by == "md5 (publisher)"
    assert server.hits("/v.csv") == ["bytes=1000-"]
    assert (tmp_path / "v.csv").read_bytes() == body


def test_download_wrong_checksum_rejects_file(server, fast, tmp_path):
    url = server.add("/f.bin", b"real bytes of the file\n")
    wrong = hashlib.md5(b"other bytes").hexdigest()
    with make_client(fast) as client, pytest.raises(FetchError, match="checksum mismatch.*file rejected"):
        download(client, RemoteFile(url, "f.bin", md5=wrong), tmp_path / "f.bin", fast)
    assert not (tmp_path / "f.bin").exists()
    assert not (tmp_path / "f.bin.part").exists()


def test_download_size_mismatch_rejects_file(server, fast, tmp_path):
    url = server.add("/f.bin", b"0123456789")
    with make_client(fast) as client, pytest.raises(FetchError, match="received 10 bytes, the publisher lists 11"):
        download(client, RemoteFile(url, "f.bin", size=11), tmp_path / "f.bin", fast)
    assert not (tmp_path / "f.bin").exists()


@pytest.mark.parametrize("code", [500, 503, 429])
def test_download_retries_server_errors_then_succeeds(server, fast, tmp_path, code):
    url = server.add("/f.bin", b"payload", f"status:{code}", f"status:{code}", "ok")
    events = []
    with make_client(fast) as client:
        d = download(client, RemoteFile(url, "f.bin"), tmp_path / "f.bin", fast, events.append)
    assert d.attempts == 3
    assert (tmp_path / "f.bin").read_bytes() == b"payload"
    retries = [e.message for e in events if e.kind == "retry"]
    assert len(retries) == 2 and retries[0].startswith(f"HTTP {code}")
    # no publisher checksum: the computed sha256 is recorded
    assert d.verified_by.startswith("sha256 computed") and d.sha256 == hashlib.sha256(b"payload").hexdigest()


def test_download_gives_up_after_retries_with_clear_error(server, fast, tmp_path):
    url = server.add("/f.bin", b"x", "status:500")
    with make_client(fast) as client, pytest.raises(FetchError) as info:
        download(client, RemoteFile(url, "f.bin"), tmp_path / "f.bin", fast)
    msg = info.value.one_line()
    assert "HTTP 500" in msg and f"gave up after {fast.retries + 1} attempts" in msg and url in msg
    assert len(server.hits("/f.bin")) == fast.retries + 1


def test_download_backoff_doubles_and_is_capped(fast):
    opts = replace(fast, backoff=1.0, max_backoff=5.0)
    assert [opts.wait(k) for k in range(5)] == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert opts.wait(0, "3") == 3.0  # Retry-After is honoured within the cap
    assert opts.wait(0, "100") == 5.0


def test_download_404_fails_at_once(server, fast, tmp_path):
    with make_client(fast) as client, pytest.raises(FetchError, match="HTTP 404"):
        download(client, RemoteFile(server.url("/missing.zip"), "m.zip"), tmp_path / "m.zip", fast)
    assert len(server.hits("/missing.zip")) == 1


def test_download_slow_server_times_out(server, fast, tmp_path):
    url = server.add("/slow.bin", b"late", "slow:1.0")
    opts = replace(fast, read_timeout=0.2, retries=1)
    t0 = time.monotonic()
    with make_client(opts) as client, pytest.raises(FetchError, match="timed out.*gave up after 2 attempts"):
        download(client, RemoteFile(url, "slow.bin"), tmp_path / "slow.bin", opts)
    assert time.monotonic() - t0 < 5
    assert not (tmp_path / "slow.bin").exists()


def test_download_follows_redirect(server, fast, tmp_path):
    server.add("/new/location.csv", b"a,b\n1,2\n")
    url = server.add("/old.csv", b"", "redirect:/new/location.csv")
    with make_client(fast) as client:
        d = download(client, RemoteFile(url, "old.csv", sha256=hashlib.sha256(b"a,b\n1,2\n").hexdigest()),
                     tmp_path / "old.csv", fast)
    assert d.action == "downloaded" and (tmp_path / "old.csv").read_bytes() == b"a,b\n1,2\n"
    assert server.hits("/old.csv") == [None] and server.hits("/new/location.csv") == [None]


def test_download_skips_present_verified_file(server, fast, tmp_path):
    body = b"stable content"
    url = server.add("/s.bin", body)
    remote = RemoteFile(url, "s.bin", md5=hashlib.md5(body).hexdigest())
    with make_client(fast) as client:
        first = download(client, remote, tmp_path / "s.bin", fast)
        second = download(client, remote, tmp_path / "s.bin", fast)
        (tmp_path / "s.bin").write_bytes(b"damaged")  # a damaged copy is fetched again
        third = download(client, remote, tmp_path / "s.bin", fast)
    assert (first.action, second.action, third.action) == ("downloaded", "present", "downloaded")
    assert len(server.hits("/s.bin")) == 2


def test_download_all_bounded_and_reports_every_failure(server, fast, tmp_path):
    items = []
    for i in range(6):
        url = server.add(f"/f{i}.bin", f"file {i}".encode())
        items.append((RemoteFile(url, f"f{i}.bin"), tmp_path / f"f{i}.bin"))
    items.append((RemoteFile(server.url("/nope1"), "nope1"), tmp_path / "nope1"))
    items.append((RemoteFile(server.url("/nope2"), "nope2"), tmp_path / "nope2"))
    with pytest.raises(FetchError, match="2 of 8 files failed"):
        download_all(items, fast)
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"f{i}.bin" for i in range(6)]
    done = download_all(items[:6], fast)
    assert [d.path.read_bytes() for d in done] == [f"file {i}".encode() for i in range(6)]


def test_download_partial_of_changed_file_is_fetched_whole(server, fast, tmp_path):
    old, new = b"version one of the file, long enough", b"version two: the publisher replaced it"
    url = server.add("/c.bin", new)
    (tmp_path / "c.bin.part").write_bytes(old[:10])
    (tmp_path / "c.bin.part.validator").write_text('"' + hashlib.md5(old).hexdigest() + '"')
    with make_client(fast) as client:
        d = download(client, RemoteFile(url, "c.bin"), tmp_path / "c.bin", fast)
    assert d.action == "downloaded" and (tmp_path / "c.bin").read_bytes() == new
    assert not (tmp_path / "c.bin.part.validator").exists()


def test_download_all_keeps_concurrency_bound(server, fast, tmp_path):
    items = [(RemoteFile(server.add(f"/s{i}", f"slow {i}".encode(), "slow:0.15"), f"s{i}"), tmp_path / f"s{i}")
             for i in range(6)]
    download_all(items, replace(fast, concurrency=2))
    assert server.max_active == 2
