"""GDELT: a blank actor country filled from the actor code (issue 14 item 18).

GDELT 1.0 leaves ``Actor1CountryCode`` blank on some events whose
``Actor1Code`` begins with a CAMEO country code (``SSDMIL``); such events
were stored with no country, so country dyads never found them.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from dyadwatch.sources import codemaps
from dyadwatch.store.ingest import ingest_file
from tests.sources.conftest import open_store

COLS = {"gdelt1_events_sample.csv": 58, "gdelt2_events_sample.csv": 61}


def test_country_of_actor_code_only_country_prefixes():
    assert codemaps.country_of_actor_code("SSDMIL") == "SSD"
    assert codemaps.country_of_actor_code("USAGOV") == "USA"
    assert codemaps.country_of_actor_code("ROM") == "ROU"  # CAMEO's code for Romania
    # type codes, regions and IGOs are not countries, even where a type is also a country alias
    for code in ("GOVMIL", "IGOUNO", "AFR", "MODREB", "SUNREL", "MIL", "", None, "US"):
        assert codemaps.country_of_actor_code(code) is None


def _export(src: Path, ncols: int, out: Path, *, blank: bool, bad_line: bool) -> list[list[str]]:
    with open(src, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    head, rows = rows[0], [r[:ncols] for r in rows[1:]]
    for actor in ("Actor1", "Actor2"):
        c, k = head.index(f"{actor}Code"), head.index(f"{actor}CountryCode")
        for r in rows:
            if blank and r[k] and r[c]:
                r[k] = ""
    text = "".join("\t".join(r) + "\n" for r in rows)
    if bad_line:  # a short line sends the file down the exact (line-numbered) path
        text += "123\tshort line\n"
    out.write_text(text, encoding="utf-8")
    return rows


@pytest.mark.parametrize("bad_line", [False, True], ids=["fast-path", "exact-path"])
@pytest.mark.parametrize("name", sorted(COLS))
def test_gdelt_blank_actor_country_taken_from_code(tmp_path, shared_data, name, bad_line):
    """The real sample with every actor country blanked stores, for each actor whose code begins
    with a CAMEO country code, the country the full sample stores (and NULL for the others)."""
    src = shared_data / "events" / "gdelt" / name
    full, blanked = tmp_path / "full.CSV", tmp_path / "blanked.CSV"
    _export(src, COLS[name], full, blank=False, bad_line=bad_line)
    _export(src, COLS[name], blanked, blank=True, bad_line=bad_line)
    a, b = open_store(tmp_path / "a.duckdb"), open_store(tmp_path / "b.duckdb")
    fmt = "gdelt1" if name.startswith("gdelt1") else "gdelt2"
    sa, sb = ingest_file(a, full, format=fmt), ingest_file(b, blanked, format=fmt)
    assert sb.rows_stored == sa.rows_stored > 40
    q = "SELECT native_id, src_code, src_country, tgt_code, tgt_country FROM events ORDER BY native_id"
    want, got = a.execute(q).fetchall(), b.execute(q).fetchall()
    filled = agree = 0
    for w, g in zip(want, got, strict=True):
        for code, wc, gc in ((w[1], w[2], g[2]), (w[3], w[4], g[4])):
            expected = codemaps.country_of_actor_code(code)
            assert gc == expected
            filled += gc is not None
            agree += gc is not None and gc == wc
    # the samples: every filled country but one (an actor coded with another country's prefix)
    # equals the one GDELT wrote
    assert filled >= 45 and agree >= filled - 1
