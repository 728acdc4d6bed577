"""Hostile sources for `dyadwatch collect`: a source that is not an http(s) URL is a usage error
before any request (was exit 5 "disallowed by robots.txt"); an unreachable host is reported with
the network failure, not as a robots.txt refusal."""

from __future__ import annotations

import pytest

from dyadwatch.api import Dyadwatch
from dyadwatch.cli import main
from dyadwatch.errors import FetchError
from dyadwatch.acquire.collect import CollectOptions
from dyadwatch.acquire.download import FetchOptions


@pytest.mark.parametrize("source", ["not-a-url", "ftp://example.org/feed", "/tmp/feed.xml", "http://"])
def test_cli_hostile_collect_not_a_url(tmp_path, capsys, source):
    rc = main(["collect", source, "--db", str(tmp_path / "s.duckdb")])
    err = capsys.readouterr().err
    assert rc == 2, err
    assert repr(source) in err and "http" in err and "robots" not in err


def test_cli_hostile_collect_unreachable_host_names_network(tmp_path):
    # port 9 (discard) on the loopback: refused at once, no real network needed
    opts = CollectOptions(rate_limit=0, network=FetchOptions(retries=0, backoff=0.01, connect_timeout=2.0),
                          allow_private=True)
    with Dyadwatch(tmp_path / "s.duckdb") as dw:
        with pytest.raises(FetchError) as exc:
            dw.collect(["http://127.0.0.1:9/feed"], options=opts)
    assert "robots.txt" in str(exc.value)  # says robots.txt could not be read ...
    assert "disallowed by robots.txt" not in str(exc.value)  # ... not that it forbids the page
