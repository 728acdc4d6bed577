"""Country table: ISO/COW/GW crosswalks against the real state lists and the
names used by the UN votes, ICEWS and netify files."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import duckdb
import pycountry
import pytest

from dyadwatch.codebooks import countries as cc
from dyadwatch.errors import UnknownNameError


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --- hand-checked values -------------------------------------------------------

@pytest.mark.parametrize("ccode, year, iso", [
    (365, 1950, "RUS"), (365, 1991, "RUS"), (365, 2010, "RUS"),
    (345, 1980, "SRB"), (345, 2010, "SRB"),
    (255, 1914, "DEU"), (255, 2000, "DEU"), (260, 1970, "DEU"), (265, 1970, "DDR"),
    (678, 1980, "YEM"), (680, 1980, "YMD"), (679, 1995, "YEM"),
    (315, 1970, "CSK"), (316, 2000, "CZE"), (816, 1965, "VNM"), (817, 1965, "RVN"),
    (347, 2010, "XKX"), (626, 2012, "SSD"), (713, 2000, "TWN"), (511, 1964, "ZAN"),
    (630, 2018, "IRN"), (2, 1816, "USA"),
])
def test_countries_cow_to_iso3_hand_checked(ccode, year, iso):
    assert cc.cow_to_iso3(ccode, year) == iso


@pytest.mark.parametrize("ccode, year", [(260, 1950), (255, 1960), (265, 1995), (626, 2005),
                                         (347, 2000), (679, 1985), (999, 2000)])
def test_countries_cow_code_outside_its_years_is_none(ccode, year):
    assert cc.cow_to_iso3(ccode, year) is None


@pytest.mark.parametrize("iso, year, cow, gw", [
    ("RUS", 1980, 365, 365), ("RUS", 2018, 365, 365),
    ("DEU", 1970, 260, 260), ("DEU", 1995, 255, 260), ("DEU", 1930, 255, 255),
    ("YEM", 1980, 678, 678), ("YEM", 1995, 679, 678),
    ("SRB", 2000, 345, 345), ("SRB", 2010, 345, 340),
    ("PSE", 2010, None, None), ("XKX", 2010, 347, 347), ("TWN", 2010, 713, 713),
])
def test_countries_iso3_to_cow_and_gw_hand_checked(iso, year, cow, gw):
    assert cc.iso3_to_cow(iso, year) == cow
    assert cc.iso3_to_gw(iso, year) == gw


def test_countries_unknown_iso3_raises():
    with pytest.raises(UnknownNameError):
        cc.iso3_to_cow("QQQ", 2000)
    with pytest.raises(UnknownNameError):
        cc.name_of("QQQ")


@pytest.mark.parametrize("text, iso", [
    ("IRN", "IRN"), ("IR", "IRN"), ("Iran", "IRN"), ("iran, islamic republic of", "IRN"),
    ("Iran (Islamic Republic of)", "IRN"), ("Russian Federation", "RUS"), ("SUN", "RUS"),
    ("USSR", "RUS"), ("Soviet Union", "RUS"), ("ROM", "ROU"), ("Romania", "ROU"),
    ("Côte d'Ivoire", "CIV"), ("Cote D'Ivoire", "CIV"), ("Ivory Coast", "CIV"),
    ("St. Kitts and Nevis", "KNA"), ("Saint Kitts & Nevis", "KNA"), ("Kosovo", "XKX"),
    ("Occupied Palestinian Territory", "PSE"), ("Burma", "MMR"), ("Zaire", "COD"),
    ("Yemen Arab Republic", "YEM"), ("Federal Republic of Germany", "DEU"),
    ("German Democratic Republic", "DDR"), ("Zanzibar", "ZAN"), ("Taiwan", "TWN"),
    ("South Korea", "KOR"), ("North Korea", "PRK"), ("united states", "USA"),
])
def test_countries_resolve_names_and_codes(text, iso):
    assert cc.iso3(text) == iso


@pytest.mark.parametrize("text", ["", "Atlantis", "Foreign Affairs (Iran)", "QQ", "Hezbollah"])
def test_countries_resolve_unknown_is_none(text):
    assert cc.resolve(text) is None


def test_countries_cover_every_current_iso_country():
    for entry in pycountry.countries:
        found = cc.resolve(entry.alpha_3)
        assert found is not None and found.iso3 == entry.alpha_3
        assert cc.iso2_to_iso3(entry.alpha_2) == entry.alpha_3
        assert cc.iso3(entry.name) == entry.alpha_3


def test_countries_as_arrow_spells_agree_with_lookups():
    table = cc.as_arrow().to_pylist()
    assert {r["iso3"] for r in table} >= {"RUS", "DEU", "DDR", "YEM", "YMD", "SRB", "VNM", "RVN"}
    for row in table:
        years = [row["start_year"], row["end_year"] or row["start_year"]]
        for year in years:
            assert cc.iso3_to_cow(row["iso3"], year) == row["cow"]
            assert cc.iso3_to_gw(row["iso3"], year) == row["gw"]
    rus = [(r["start_year"], r["end_year"]) for r in table if r["iso3"] == "RUS"]
    assert rus == [(1816, 1990), (1991, None)]


# --- real state lists ----------------------------------------------------------

def _spell_years(rows, code_col, start, end):
    for row in rows:
        for year in range(int(row[start][:4]), int(row[end][:4]) + 1):
            yield int(row[code_col]), year, row


def _transition_years(system: str) -> set[tuple[str, int]]:
    """(iso3, year) where one of a state's spells ends and another starts:
    there the later spell wins (documented rule)."""
    out = set()
    for country in cc.countries().values():
        spells = [s for s in country.spells if s.system == system and s.preferred]
        for a in spells:
            for b in spells:
                if a is not b and a.code != b.code and a.end_year == b.start_year:
                    out.add((country.iso3, b.start_year))
    return out


def test_countries_every_cow_state_year_maps_and_round_trips(shared_data: Path):
    rows = _rows(shared_data / "peacesciencer" / "cow_states.csv")
    assert len(rows) == 243
    transitions = _transition_years("cow")
    unmapped, mismatched, checked = [], [], 0
    for ccode, year, row in _spell_years(rows, "ccode", "styear", "endyear"):
        checked += 1
        iso = cc.cow_to_iso3(ccode, year)
        if iso is None:
            unmapped.append((ccode, row["statenme"], year))
            continue
        back = cc.iso3_to_cow(iso, year)
        assert cc.cow_to_iso3(back, year) == iso  # iso3 -> cow -> iso3
        if back != ccode and (iso, year) not in transitions:
            mismatched.append((ccode, iso, year, back))
    assert checked > 15_000
    assert unmapped == [] and mismatched == []


def test_countries_every_gw_state_year_maps_and_round_trips(shared_data: Path):
    rows = _rows(shared_data / "peacesciencer" / "gw_states.csv")
    assert len(rows) == 216
    transitions = _transition_years("gw")
    unmapped, mismatched = [], []
    for gwcode, year, row in _spell_years(rows, "gwcode", "startdate", "enddate"):
        iso = cc.gw_to_iso3(gwcode, year)
        if iso is None:
            unmapped.append((gwcode, row["statename"], year))
            continue
        back = cc.iso3_to_gw(iso, year)
        assert cc.gw_to_iso3(back, year) == iso
        if back != gwcode and (iso, year) not in transitions:
            mismatched.append((gwcode, iso, year, back))
    assert unmapped == [] and mismatched == []


def test_countries_cow_abbreviations_match_cow_list(shared_data: Path):
    rows = _rows(shared_data / "peacesciencer" / "cow_states.csv")
    for row in rows:
        iso = cc.cow_to_iso3(int(row["ccode"]), int(row["styear"]))
        country = cc.countries()[iso]
        # continuity keys carry the abbreviation of their main COW code
        if iso not in {"DEU", "YEM", "VNM", "KOR"}:
            assert country.cow_abb == row["stateabb"], (iso, row["stateabb"])


# --- names used by the real files ----------------------------------------------

def test_countries_un_votes_names_and_codes_resolve(shared_data: Path):
    pairs = duckdb.execute(
        "SELECT country, country_code, count(*) FROM read_parquet(?) GROUP BY 1, 2",
        [str(shared_data / "unvotes" / "un_votes.parquet")]).fetchall()
    assert len({c for c, _, _ in pairs}) == 200
    unresolved = [c for c, _, _ in pairs if cc.resolve(c) is None]
    assert unresolved == []
    disagree = [(c, code) for c, code, _ in pairs
                if code is not None and cc.iso2_to_iso3(code) != cc.iso3(c)]
    assert disagree == []
    no_code = {c: n for c, code, n in pairs if code is None}
    assert sum(no_code.values()) == 5444
    assert {c: cc.iso3(c) for c in no_code} == {
        "Yemen Arab Republic": "YEM", "Federal Republic of Germany": "DEU", "Zanzibar": "ZAN"}


def test_countries_icews_country_columns_resolve(shared_data: Path):
    base = shared_data / "events" / "icews_dataverse"
    names = {r[0] for r in duckdb.execute(
        "SELECT DISTINCT c FROM (SELECT \"Source Country\" c FROM read_csv(?, delim='\t', quote='', "
        "header=true, all_varchar=true, nullstr='NA') UNION ALL SELECT \"Target Country\" FROM "
        "read_csv(?, delim='\t', quote='', header=true, all_varchar=true, nullstr='NA') UNION ALL "
        "SELECT \"Country\" FROM read_csv(?, delim='\t', quote='', header=true, all_varchar=true, "
        "nullstr='NA')) WHERE c IS NOT NULL",
        [str(base / "events.2018.sample.tab")] * 3).fetchall()}
    assert len(names) > 100
    assert sorted(n for n in names if cc.resolve(n) is None) == []
    assert cc.iso3("Russian Federation") == "RUS" and "Russian Federation" in names


def test_countries_icews_sector_country_suffixes_resolve(shared_data: Path):
    """'Sector (Country)' names in the ICEWS name triples: the part in
    parentheses is a country for most rows; those that are not must be
    organisations/regions, never a country we fail to know."""
    events = shared_data / "events"
    files = sorted(str(p) for g in ("icews18_renet/*.tsv", "icews_tkg/*.tsv",
                                    "icews14_complete/*.tsv") for p in events.glob(g))
    names = duckdb.execute(
        "SELECT n, count(*) FROM (SELECT source_name n FROM read_csv(?, delim='\t', quote='', "
        "header=true, all_varchar=true, union_by_name=true) UNION ALL SELECT target_name FROM "
        "read_csv(?, delim='\t', quote='', header=true, all_varchar=true, union_by_name=true)) "
        "GROUP BY 1", [files, files]).fetchall()
    suffix_rows = resolved_rows = 0
    missed: dict[str, int] = {}
    for name, n in names:
        match = re.search(r"\(([^()]*)\)\s*$", name)
        if not match:
            continue
        suffix_rows += n
        if cc.resolve(match.group(1)) is not None:
            resolved_rows += n
        else:
            missed[match.group(1)] = missed.get(match.group(1), 0) + n
    assert resolved_rows / suffix_rows >= 0.97, sorted(missed.items(), key=lambda kv: -kv[1])[:20]
    for region in ("Palestinian Territory, Occupied", "Vatican City State", "England", "Scotland"):
        assert region not in missed


def test_countries_netify_dyad_year_names_match_their_iso3(shared_data: Path):
    path = shared_data / "events" / "icews_dyadyear" / "icews_dyad_year_2002_2014.parquet"
    pairs = duckdb.execute(
        "SELECT DISTINCT i, i_iso3c FROM read_parquet(?) UNION SELECT DISTINCT j, j_iso3c "
        "FROM read_parquet(?)", [str(path), str(path)]).fetchall()
    assert len({n for n, _ in pairs}) == 152
    wrong = [(n, iso, cc.iso3(n)) for n, iso in pairs if iso and cc.iso3(n) != iso]
    assert wrong == []
    assert all(cc.resolve(n) is not None for n, _ in pairs)


@pytest.mark.parametrize("fips, iso", [("RS", "RUS"), ("RI", "SRB"), ("IZ", "IRQ"), ("UK", "GBR"),
                                       ("GM", "DEU"), ("AS", "AUS"), ("WE", "PSE"), ("GZ", "PSE"),
                                       ("vm", "VNM"), ("KV", "XKX"), ("ZZ", None)])
def test_countries_fips_to_iso3(fips, iso):
    assert cc.fips_to_iso3(fips) == iso


def test_countries_fips_codes_agree_with_gdelt_place_names(shared_data: Path):
    """GDELT geo fields carry a FIPS 10-4 country code and a full place name
    ending in the country's name; both must give the same ISO3."""
    checked = 0
    for path in sorted((shared_data / "events" / "gdelt").glob("gdelt*_events*.csv")):
        rel = duckdb.sql(f"SELECT * FROM read_csv('{path}', all_varchar=true)")
        for col in [c for c in rel.columns if c.endswith("Geo_CountryCode")]:
            full = col.replace("CountryCode", "FullName")
            for code, name in duckdb.sql(
                    f'SELECT "{col}", "{full}" FROM rel WHERE "{col}" IS NOT NULL').fetchall():
                checked += 1
                parts = [p.strip() for p in name.split(",")]
                # the country is the shortest tail that names one ("..., Vietnam, Republic Of")
                tails = (", ".join(parts[k:]) for k in range(len(parts) - 1, -1, -1))
                named = next((iso for iso in map(cc.iso3, tails) if iso), None)
                assert cc.fips_to_iso3(code) == named, (code, name)
    assert checked > 300


def test_countries_shared_names_use_the_year():
    assert cc.iso3("Vietnam, Republic of") == "VNM"          # GeoNames/GDELT naming
    assert cc.iso3("Vietnam, Republic of", 1970) == "RVN"    # South Vietnam
    assert cc.iso3("Vietnam, Republic of", 2016) == "VNM"


def test_countries_ucdp_gw_codes_all_map(shared_data: Path):
    """Every GW code of every state party in UCDP/PRIO ACD maps in its year
    (UCDP keeps GW 345 for Serbia after 2006 and uses microstate codes)."""
    rows = _rows(shared_data / "peacesciencer" / "ucdp_acd.csv")
    cells = [(v.strip(), int(r["year"])) for r in rows
             for col in ("gwno_a", "gwno_a_2nd", "gwno_b", "gwno_b_2nd")
             for v in r[col].split(",") if v.strip()]
    assert len(cells) > 5000
    assert [c for c in cells if cc.gw_to_iso3(int(c[0]), c[1]) is None] == []
    assert cc.gw_to_iso3(345, 2015) == "SRB" and cc.iso3_to_gw("SRB", 2015) == 340
    assert cc.gw_to_iso3(972, 2004) == "TON" and cc.gw_to_iso3(751, 1948) == "HYD"


@pytest.mark.parametrize("ccode, year, iso", [(200, 1815, "GBR"), (20, 1918, "CAN"), (260, 1954, "DEU"),
                                              (255, 1960, "DEU"), (999, 1950, None)])
def test_countries_cow_to_iso3_lenient_uses_the_nearest_spell(ccode, year, iso):
    assert cc.cow_to_iso3(ccode, year, strict=False) == iso


def test_countries_atop_and_mid_codes_map(shared_data: Path):
    """ATOP and MID dyads code states in years outside COW membership (1815,
    Canada 1918): strictly most map, leniently all do."""
    base = shared_data / "peacesciencer"
    pairs = duckdb.execute(
        "SELECT ccode1, year FROM read_parquet(?) UNION SELECT ccode2, year FROM read_parquet(?) "
        "UNION SELECT ccode1, year FROM read_csv(?) UNION SELECT ccode2, year FROM read_csv(?)",
        [str(base / "atop_alliance.parquet")] * 2 + [str(base / "cow_mid_ddydisps.csv")] * 2).fetchall()
    assert len(pairs) > 13_000
    strict = sum(cc.cow_to_iso3(int(c), int(y)) is not None for c, y in pairs)
    assert strict / len(pairs) > 0.97
    assert [p for p in pairs if cc.cow_to_iso3(int(p[0]), int(p[1]), strict=False) is None] == []
