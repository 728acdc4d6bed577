"""Fixtures of the report tests: one small store and one HTML report, built once per session."""

from __future__ import annotations

import pytest

from dyadwatch.report import build_report
from tests.report.reportfix import build_store


@pytest.fixture(scope="session")
def report_store(tmp_path_factory):
    con = build_store(tmp_path_factory.mktemp("rep") / "r.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="session")
def report_html_path(report_store, tmp_path_factory):
    return build_report(report_store, "IRN", "RUS", compare=["RUS-ISR"],
                        out=tmp_path_factory.mktemp("out") / "r.html")
