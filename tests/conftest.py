"""Shared fixtures: the real data directory and temporary stores."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# hermetic coder: dictionaries fetched into a user's data directory ($DYADWATCH_DATA or ./dyadwatch-data)
# would change what the coder finds; tests see none unless they ask, and cache parsed dictionaries apart
for _var, _prefix in (("DYADWATCH_DATA", "dyadwatch-test-data-"), ("DYADWATCH_CACHE", "dyadwatch-test-cache-")):
    os.environ[_var] = tempfile.mkdtemp(prefix=_prefix)
    atexit.register(shutil.rmtree, os.environ[_var], ignore_errors=True)
SHARED_DATA = Path(os.environ.get("DYADWATCH_SHARED_DATA", REPO.parent / "shared" / "data"))
SHARED_SEED = SHARED_DATA.parent / "seed"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """``../shared/data`` (real public data); skips the test when absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data directory {SHARED_DATA} is absent (set DYADWATCH_SHARED_DATA)")
    return SHARED_DATA


@pytest.fixture(scope="session")
def shared_seed() -> Path:
    """``../shared/seed`` (the flagship paper); skips the test when absent."""
    if not SHARED_SEED.is_dir():
        pytest.skip(f"seed directory {SHARED_SEED} is absent")
    return SHARED_SEED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Path of a fresh (not yet created) store file."""
    return tmp_path / "test.duckdb"


@pytest.fixture(scope="session", autouse=True)
def _isolated_data_dir(tmp_path_factory):
    """``$DYADWATCH_DATA`` points at an empty temporary directory during the tests (unless set): a
    model trained by ``make demo`` under ``./dyadwatch-data`` must not change what the tests code."""
    if os.environ.get("DYADWATCH_DATA"):
        yield
        return
    mp = pytest.MonkeyPatch()
    mp.setenv("DYADWATCH_DATA", str(tmp_path_factory.mktemp("dyadwatch-data")))
    yield
    mp.undo()
