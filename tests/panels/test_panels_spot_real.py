"""Spot values of a real panel equal the source files, read independently with the csv module."""

from __future__ import annotations

import csv

import pytest


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_panels_spot_values_equal_the_source_files(shared_data, tmp_path):
    from dyadwatch.api import Dyadwatch

    ps = shared_data / "peacesciencer"
    files = [ps / n for n in ("cow_states.csv", "cow_nmc.csv", "cow_mid_ddydisps.csv", "td_rivalries.csv")]
    if not all(f.is_file() for f in files):
        pytest.skip("the peacesciencer mirror lacks one of " + ", ".join(f.name for f in files))
    with Dyadwatch(tmp_path / "s.duckdb") as dw:
        dw.ingest(files)
        df = dw.create_dyadyears(system="cow", years=(2010, 2010), directed=True).add("nmc,mids,rivalries").to_pandas()
    key = {(int(r.ccode1), int(r.ccode2)): r for r in df.itertuples()}

    cinc = {int(r["ccode"]): float(r["cinc"]) for r in _rows(files[1]) if r["year"] == "2010"}
    usa_irn = key[(2, 630)]
    assert usa_irn.cinc1 == pytest.approx(cinc[2], rel=1e-9) and usa_irn.cinc2 == pytest.approx(cinc[630], rel=1e-9)
    assert usa_irn.cap_ratio == pytest.approx(max(cinc[2], cinc[630]) / min(cinc[2], cinc[630]), rel=1e-9)

    # MIDs: every pair with a dispute ongoing in 2010 in the file, and no other, has cowmidongoing = 1
    mids = [r for r in _rows(files[2]) if r["year"] == "2010" and r["cowmidongoing"] == "1"]
    want = {frozenset((int(r["ccode1"]), int(r["ccode2"]))) for r in mids}
    got = {frozenset(k) for k, r in key.items() if r.cowmidongoing == 1}
    assert got == want and len(want) > 5
    hostlev: dict = {}
    for r in mids:
        p = frozenset((int(r["ccode1"]), int(r["ccode2"])))
        hostlev[p] = max(hostlev.get(p, 0), int(r["hostlev"]))
    for p, h in hostlev.items():
        a, b = sorted(p)
        assert key[(a, b)].mid_hostlev == h == key[(b, a)].mid_hostlev, p

    # rivalries ongoing in 2010 (Thompson & Dreyer, styear <= 2010 <= endyear)
    riv = [r for r in _rows(files[3]) if int(r["styear"]) <= 2010 <= int(r["endyear"])]
    want = {frozenset((int(r["ccode1"]), int(r["ccode2"]))) for r in riv}
    got = {frozenset(k) for k, r in key.items() if r.td_rival == 1}
    assert got == want and len(want) > 10
