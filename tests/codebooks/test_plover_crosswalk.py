"""CAMEO -> PLOVER crosswalk: coverage, values from the PLOVER manual, inverse."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dyadwatch.codebooks import cameo, plover
from dyadwatch.errors import UnknownNameError


def test_plover_crosswalk_covers_every_cameo_code():
    walk = plover.crosswalk()
    assert set(walk) == set(cameo.CAMEO)
    assert {t for t, _ in walk.values()} == set(plover.PLOVER_TYPES)
    for code, entry in cameo.CAMEO.items():
        assert (entry.plover_type, entry.plover_mode) == walk[code]


@pytest.mark.parametrize("code, expected", [
    ("010", ("OTHER", None)),
    ("020", ("DEMAND", None)),
    ("036", ("AGREE", None)),
    ("041", ("CONSULT", "phone")),
    ("042", ("CONSULT", "visit")),
    ("057", ("SUPPORT", None)),
    ("064", ("COOPERATE", None)),
    ("073", ("AID", None)),
    ("0811", ("CONCEDE", None)),
    ("0813", ("RETREAT", "ease")),
    ("0871", ("RETREAT", "ceasefire")),
    ("091", ("DISAPPROVE", "investigate")),
    ("1385", ("THREATEN", "violence")),
    ("141", ("PROTEST", "demonstrate")),
    ("154", ("MOBILIZE", "troops")),
    ("163", ("SANCTION", "restrict")),
    ("173", ("COERCE", "arrest")),
    ("192", ("SEIZE", "confiscate")),
    ("193", ("ASSAULT", "firearms")),
    ("2041", ("ASSAULT", "unconventional")),
    ("1411", ("PROTEST", "demonstrate")),
    ("1242", ("REJECT", "change")),
    ("1243", ("REJECT", "yield")),
    ("105", ("DEMAND", "change")),
    ("1053", ("DEMAND", "yield")),
])
def test_plover_cameo_to_plover_matches_the_manual(code, expected):
    assert plover.cameo_to_plover(code) == expected


def test_plover_cameo_to_plover_restores_leading_zeros():
    assert plover.cameo_to_plover("871") == ("RETREAT", "ceasefire")
    with pytest.raises(UnknownNameError):
        plover.cameo_to_plover("215")


@pytest.mark.parametrize("ptype, roots", [
    ("AGREE", ["03"]), ("CONSULT", ["04"]), ("RETREAT", ["08"]), ("CONCEDE", ["08"]),
    ("DEMAND", ["02", "10"]), ("DISAPPROVE", ["09", "11"]), ("PROTEST", ["14"]),
    ("ASSAULT", ["17", "18", "19", "20"]), ("SEIZE", ["17", "18", "19"]),
    ("OTHER", ["01"]), ("assault", ["17", "18", "19", "20"]),
    ("ACCUSE", ["09", "11"]), ("INVESTIGATE", ["09"]), ("FIGHT", ["19"]),
])
def test_plover_to_cameo_roots(ptype, roots):
    assert plover.plover_to_cameo_roots(ptype) == roots


def test_plover_to_cameo_codes_inverts_the_crosswalk():
    seen = set()
    for ptype in plover.PLOVER_TYPES:
        codes = plover.plover_to_cameo_codes(ptype)
        assert codes, ptype
        assert not seen & set(codes)
        seen |= set(codes)
        assert all(plover.cameo_to_plover(c)[0] == ptype for c in codes)
    assert seen == set(cameo.CAMEO)


def test_plover_unknown_type_lists_the_valid_ones():
    with pytest.raises(UnknownNameError) as err:
        plover.plover_to_cameo_roots("NEGOTIATE")
    assert "AGREE" in str(err.value) and "ASSAULT" in str(err.value)


def test_plover_gold_records_use_known_types(shared_data: Path):
    """Every event type in the PLOVER gold-standard records (dev half) must
    be one the crosswalk knows, current or legacy name."""
    path = shared_data / "text" / "plover_gsr_dev.jsonl"
    with path.open(encoding="utf-8") as handle:
        types = {json.loads(line)["event"] for line in handle if line.strip()}
    assert len(types) >= 15
    for ptype in types:
        assert plover.plover_to_cameo_roots(ptype), ptype
