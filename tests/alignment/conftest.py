"""Fixtures for the alignment tests: one store with the real alignment data."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.api import Dyadwatch

#: the real files (paths under ../shared/data), in the order they are ingested
REAL_FILES = {
    "roll_calls": "unvotes/un_roll_calls.csv",
    "issues": "unvotes/un_roll_call_issues.csv",
    "votes": "unvotes/un_votes.parquet",
    "atop": "peacesciencer/atop_alliance.parquet",
    "ucdp": "peacesciencer/ucdp_acd.csv",
    "vetoes": "unsc/unsc_vetoes_1946_2022.csv",
}


@pytest.fixture(scope="session")
def real_files(shared_data: Path) -> dict[str, Path]:
    """Paths of the real alignment files; skips when one is absent."""
    out = {k: shared_data / v for k, v in REAL_FILES.items()}
    missing = [str(p) for p in out.values() if not p.exists()]
    if missing:
        pytest.skip(f"real alignment data absent: {', '.join(missing)}")
    return out


@pytest.fixture(scope="session")
def real_store(real_files, tmp_path_factory):
    """(path, {name: BatchSummary}) of a store holding every real alignment file,
    ingested with format detection in one call (as `dyadwatch ingest` does)."""
    path = tmp_path_factory.mktemp("alignment") / "real.duckdb"
    with Dyadwatch(path) as dw:
        summaries = dw.ingest(list(real_files.values()))
    return path, dict(zip(real_files, summaries))


@pytest.fixture
def real_api(real_store):
    """A read-only API object on the real store."""
    with Dyadwatch(real_store[0], read_only=True) as dw:
        yield dw
