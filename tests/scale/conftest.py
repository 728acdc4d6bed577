"""One local Spark session for every Spark test of the scale area (a start-up costs 10-25 s here)."""

from __future__ import annotations

import importlib.util
import shutil

import pytest


def spark_missing() -> str | None:
    """Why Spark cannot run here (None when pyspark and a Java runtime are present)."""
    if importlib.util.find_spec("pyspark") is None:
        return "pyspark is not installed (pip install 'dyadwatch[spark]')"
    if shutil.which("java") is None:
        return "no Java runtime (scripts/install-system-deps.sh installs default-jre-headless)"
    return None


@pytest.fixture(scope="session")
def spark_backend():
    """The Ibis PySpark backend of a ``local[2]`` session, started once and stopped at the end.

    ``engine.connect("spark")`` elsewhere in the run gets this same session
    (``SparkSession.builder.getOrCreate``)."""
    reason = spark_missing()
    if reason:
        pytest.skip(reason)
    from dyadwatch.analysis import engine

    be = engine.connect("spark", master="local[2]")
    yield be
    be.disconnect()
