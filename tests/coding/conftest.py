"""Fixtures for the coder tests: one loaded coder per session (spaCy loads once)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def coder():
    from dyadwatch.coding.coder import get_coder

    return get_coder()


@pytest.fixture(scope="session")
def code(coder):
    """``code(text, date)`` -> the coded events of one document."""
    from dyadwatch.coding.documents import Document, parse_date

    def run(text: str, date: str | None = "2017-06-14", doc_id: str = "t"):
        events, _ = coder.code([Document(doc_id=doc_id, date=parse_date(date), text=text)])
        return events

    return run


def triples(events, *, statements: bool = False):
    """(source code, target code or None, CAMEO code) of each event; 01x statements left out unless asked."""
    return [(e["source"]["code"], e["target"]["code"] if e["target"] else None, e["cameo_code"])
            for e in events if statements or e["cameo_root"] != "01"]
