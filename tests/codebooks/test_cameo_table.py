"""CAMEO code table: structure, hand-checked codebook values, code normalisation."""

from __future__ import annotations

import pytest

from dyadwatch.codebooks import cameo
from dyadwatch.errors import UnknownNameError


def test_cameo_table_has_the_codebook_shape():
    roots = [c for c in cameo.CAMEO if len(c) == 2]
    assert roots == [f"{i:02d}" for i in range(1, 21)]
    assert len(cameo.CAMEO) == 312
    for code, entry in cameo.CAMEO.items():
        assert entry.code == code and code.isdigit()
        assert entry.root == code[:2]
        assert entry.level == len(code) - 2
        assert -10.0 <= entry.goldstein <= 10.0
        if entry.level:
            # every code's parent is in the table (0231 -> 023 -> 02)
            assert code[:-1] in cameo.CAMEO
    # the number of three-digit codes per root, counted from the codebook by hand
    per_root = {r: sum(1 for c in cameo.CAMEO if len(c) == 3 and c[:2] == r) for r in roots}
    assert per_root["01"] == 10 and per_root["04"] == 7 and per_root["19"] == 7
    assert per_root["18"] == 7 and per_root["20"] == 5 and per_root["12"] == 10


@pytest.mark.parametrize("root, quad", [("01", 1), ("05", 1), ("06", 2), ("08", 2), ("09", 3),
                                        ("13", 3), ("14", 4), ("20", 4)])
def test_cameo_quad_class_follows_the_root_convention(root, quad):
    codes = [c for c in cameo.CAMEO.values() if c.root == root]
    assert codes and {c.quad_class for c in codes} == {quad}


@pytest.mark.parametrize("code, name, goldstein, quad", [
    ("010", "Make statement, not specified below", 0.0, 1),
    ("042", "Make a visit", 1.9, 1),
    ("043", "Host a visit", 2.8, 1),
    ("057", "Sign formal agreement", 8.0, 1),
    ("0874", "Retreat or surrender militarily", 10.0, 2),
    ("072", "Provide military aid", 8.3, 2),
    ("111", "Criticize or denounce", -2.0, 3),
    ("130", "Threaten, not specified below", -4.4, 3),
    ("163", "Impose embargo, boycott, or sanctions", -8.0, 4),
    ("1823", "Kill by physical assault", -10.0, 4),
    ("193", "Fight with small arms and light weapons", -10.0, 4),
    ("204", "Use weapons of mass destruction, not specified below", -10.0, 4),
])
def test_cameo_sample_codes_match_the_codebook(code, name, goldstein, quad):
    entry = cameo.lookup(code)
    assert (entry.name, entry.goldstein, entry.quad_class) == (name, goldstein, quad)
    assert cameo.goldstein_of(code) == goldstein
    assert cameo.quad_class_of(code) == quad
    assert cameo.root_of(code) == code[:2]


@pytest.mark.parametrize("raw, field, expected", [
    ("10", "EventCode", "010"), ("42", "EventCode", "042"), (42, "EventCode", "042"),
    (42.0, "EventCode", "042"), ("42.0", "EventCode", "042"), ("0231", "EventCode", "0231"),
    ("231", "EventCode", "0231"), ("811", "EventBaseCode", "0811"), ("190", "EventCode", "190"),
    ("1823", "EventCode", "1823"), (" 036 ", "CAMEO Code", "036"), ("01", "EventCode", "01"),
    ("1", "EventRootCode", "01"), ("19", "EventRootCode", "19"), (14, "EventRootCode", "14"),
    ("999", "EventCode", None), ("21", "EventRootCode", None), ("", "EventCode", None),
    ("NA", "EventCode", None), ("---", "EventCode", None), (None, "EventCode", None),
    (float("nan"), "EventCode", None), ("04a", "EventCode", None), ("12345", "EventCode", None),
    ("190", "EventRootCode", None),
])
def test_cameo_normalize_event_code_restores_leading_zeros(raw, field, expected):
    assert cameo.normalize_event_code(raw, field=field) == expected


def test_cameo_three_digit_padding_is_unambiguous():
    # the rule "3 digits not a code -> prefix 0" must never hide a real code
    for code in cameo.CAMEO:
        if len(code) == 4 and code[0] == "0":
            assert code[1:] not in cameo.CAMEO


def test_cameo_lookup_unknown_code_lists_nearby_codes():
    with pytest.raises(UnknownNameError) as err:
        cameo.lookup("0999")
    message = str(err.value)
    assert "0999" in message and "094" in message
    with pytest.raises(KeyError):  # UnknownNameError is also a KeyError
        cameo.goldstein_of("2045")


@pytest.mark.parametrize("text, code", [
    ("Make an appeal or request", "020"),
    ("Express intent to meet or negotiate", "036"),
    ("Consult", "040"),
    ("Coerce", "170"),
    ("Use conventional military force", "190"),
    ("fight with small arms and light weapons", "193"),
    ("FIGHT WITH SMALL ARMS AND LIGHT WEAPONS.", "193"),
    ("Fight", "190"),
    ("Engage in negotiation", "046"),
    ("Meet at a 'third' location", "044"),
    ("Meet at a third location", "044"),
    ("Return, release person(s)", "0841"),
    ("Threaten with military force", "138"),
    ("Appeal to others to engage in or accept mediation", "028"),
])
def test_cameo_by_name_resolves_icews_event_text(text, code):
    found = cameo.by_name(text)
    assert found is not None and found.code == code


@pytest.mark.parametrize("text", ["", "Eat lunch", "Consult with", "010"])
def test_cameo_by_name_returns_none_for_non_names(text):
    assert cameo.by_name(text) is None


def test_cameo_as_arrow_joins_in_duckdb():
    import duckdb

    table = cameo.as_arrow()
    assert table.num_rows == len(cameo.CAMEO)
    con = duckdb.connect()
    con.register("cameo", table)
    rows = con.execute(
        "SELECT quad_class, count(*), round(avg(goldstein), 3) FROM cameo "
        "WHERE level > 0 GROUP BY 1 ORDER BY 1").fetchall()
    by_hand = {}
    for entry in cameo.CAMEO.values():
        if entry.level:
            by_hand.setdefault(entry.quad_class, []).append(entry.goldstein)
    assert rows == [(q, len(v), round(sum(v) / len(v), 3)) for q, v in sorted(by_hand.items())]
