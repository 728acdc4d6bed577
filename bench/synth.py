"""Seeded GDELT-shaped synthetic events for the scale benchmarks.

The skew of the synthetic table is estimated **at run time** from the real
event samples in ``../shared/data/events/`` (nothing copied from them is
stored in the repository):

* actor countries: counts of the countries named in the ICEWS samples
  (``Source Name``/``Target Name`` "Sector (Country)" or a bare country name,
  ``source_country``/``target_country``) and the GDELT samples
  (``Actor1CountryCode``/``Actor2CountryCode``) give the rank order of the
  top countries; a power law ``p(rank) ~ rank**-alpha`` fitted to that
  rank-frequency curve (least squares on log-log over the top 40 ranks)
  spreads the probability over every ISO 3166 country (observed ones first,
  in their real order; the unobserved rest after them, alphabetically);
* the share of domestic events (source country == target country) and of
  actors without a country (GDELT leaves ~a third of actors uncoded);
* CAMEO event codes in their observed proportions (ICEWS ``CAMEO Code`` and
  ``event_text`` names resolved with :func:`dyadwatch.codebooks.cameo.by_name`,
  GDELT ``EventCode``); Goldstein and QuadClass come from
  :mod:`dyadwatch.codebooks.cameo`;
* actor sectors (``Actor1Type1Code``) and mean ``NumMentions`` from the
  GDELT samples.

Dates are uniform over ten years (``--start-year``, default 2010).

Outputs (under ``--out``, default ``bench/data/``, git-ignored):

* ``events_<size>.parquet`` — canonical dyadwatch event rows
  (``store.schema.EVENT_COLUMNS``), row groups of 1M rows;
* ``<size>.export.CSV`` — the same events as a GDELT 1.0 daily export
  (58 tab-separated fields, no header, as published by the GDELT Project),
  for the ingest benchmark (``--tsv-rows`` caps its size).

Usage::

    python bench/synth.py --rows 10M            # Parquet + export (export capped at 1M rows)
    python bench/synth.py --rows 100M --tsv-rows 0

Memory stays bounded: rows are generated and written in chunks
(``--chunk-rows``, default 4M) with NumPy and pyarrow; the export is written
by DuckDB streaming from the Parquet.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "bench" / "data"

#: GDELT 1.0 event export fields in codebook order (GDELT 1.0 Event Database
#: codebook v1.03, "daily updates" layout from April 2013: 58 fields).
GDELT1_FIELDS = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode", "Actor1EthnicCode",
    "Actor1Religion1Code", "Actor1Religion2Code", "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode", "Actor2EthnicCode",
    "Actor2Religion1Code", "Actor2Religion2Code", "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale",
    "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)

#: ranks used to fit the power-law exponent (the head of the distribution,
#: where the countries a researcher asks about are)
TOP_K_FIT = 40

SIZES = {"1M": 1_000_000, "10M": 10_000_000, "100M": 100_000_000}


def parse_rows(text: str) -> int:
    """``"10M"`` -> 10_000_000, ``"250k"`` -> 250_000, ``"1234"`` -> 1234."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)\s*", str(text))
    if not m:
        raise ValueError(f"bad row count {text!r}; use e.g. 1M, 10M, 250k")
    mult = {"": 1, "k": 10**3, "m": 10**6, "g": 10**9}[m.group(2).lower()]
    return int(float(m.group(1)) * mult)


def size_label(n: int) -> str:
    """10_000_000 -> ``"10M"``; other counts -> plain digits or ``k``."""
    if n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n % 1000 == 0:
        return f"{n // 1000}k"
    return str(n)


# ---------------------------------------------------------------------------
# the profile estimated from the real samples
# ---------------------------------------------------------------------------

@dataclass
class Profile:
    """What the generator draws from (all estimated by :func:`estimate_profile`)."""

    countries: list[str]          # ISO3, rank order
    country_p: np.ndarray         # probabilities (sum 1), power law over rank
    country_names: dict[str, str]
    alpha: float                  # fitted power-law exponent
    observed_countries: int
    domestic_share: float         # P(tgt country == src country)
    no_country_share: float       # P(actor has no country)
    cameo_codes: list[str]
    cameo_p: np.ndarray
    quad_class: np.ndarray        # per cameo code
    goldstein: np.ndarray         # per cameo code
    sectors: list[str]            # '' = none
    sector_p: np.ndarray
    mean_mentions: float
    n_events_seen: int

    def summary(self) -> str:
        top = ", ".join(f"{c} {p:.3f}" for c, p in zip(self.countries[:8], self.country_p[:8]))
        return (f"profile from {self.n_events_seen:,} real events: {self.observed_countries} countries seen, "
                f"power-law alpha={self.alpha:.2f} over {len(self.countries)} countries (top: {top}); "
                f"{len(self.cameo_codes)} CAMEO codes; domestic share {self.domestic_share:.2f}; "
                f"no-country share {self.no_country_share:.2f}; mean mentions {self.mean_mentions:.1f}")


_PAREN = re.compile(r"\(([^()]*)\)\s*$")


def _iso3_resolver():
    import pycountry

    cache: dict[str, str | None] = {}

    def iso3(name: str | None) -> str | None:
        if not name:
            return None
        name = name.strip()
        if name in cache:
            return cache[name]
        code = None
        try:
            from dyadwatch.codebooks import countries  # the project's crosswalk, when present

            code = countries.iso3(name)
        except Exception:  # noqa: BLE001 - fall back to pycountry
            code = None
        if code is None:
            try:
                code = pycountry.countries.lookup(name).alpha_3
            except LookupError:
                code = None
        cache[name] = code
        return code

    return iso3


def estimate_profile(data_dir: Path = DEFAULT_DATA) -> Profile:
    """Estimate the generator's distributions from ``data_dir/events``.

    Raises
    ------
    FileNotFoundError
        If none of the real samples is present.
    """
    import pycountry

    from dyadwatch.codebooks import cameo

    ev = Path(data_dir) / "events"
    con = duckdb.connect()
    iso3 = _iso3_resolver()
    country_counts: Counter[str] = Counter()
    cameo_counts: Counter[str] = Counter()
    pairs = domestic = 0
    n_seen = 0

    tsvs = sorted(str(p) for p in ev.glob("icews*/*.tsv"))
    if tsvs:
        rows = con.execute(
            "SELECT source_name, target_name, event_text, count(*) FROM read_csv(?, delim='\t', quote='', "
            "header=true, union_by_name=true, all_varchar=true) GROUP BY ALL", [tsvs]).fetchall()
        for src, tgt, text, n in rows:
            n_seen += n
            code = cameo.by_name(text)
            if code is not None:
                cameo_counts[code.code] += n
            cs = [iso3(m.group(1)) if (m := _PAREN.search(x or "")) else iso3(x) for x in (src, tgt)]
            for c in cs:
                if c:
                    country_counts[c] += n
            if cs[0] and cs[1]:
                pairs += n
                domestic += n * (cs[0] == cs[1])
    sample = ev / "icews_dataverse" / "icews_sample.csv"
    if sample.exists():
        rows = con.execute(
            "SELECT source_country, target_country, cameo_code, count(*) FROM read_csv(?, all_varchar=true) "
            "GROUP BY ALL", [str(sample)]).fetchall()
        for src, tgt, code, n in rows:
            n_seen += n
            norm = cameo.normalize_event_code(code) if code else None
            if norm:
                cameo_counts[norm] += n
            cs = [iso3(src), iso3(tgt)]
            for c in cs:
                if c:
                    country_counts[c] += n
            if cs[0] and cs[1]:
                pairs += n
                domestic += n * (cs[0] == cs[1])
    gdelt = sorted(str(p) for p in ev.glob("gdelt/gdelt*_events*sample.csv"))
    actors = no_country = 0
    sectors: Counter[str] = Counter()
    mentions = []
    if gdelt:
        rows = con.execute(
            "SELECT Actor1Code, Actor1CountryCode, Actor1Type1Code, Actor2Code, Actor2CountryCode, "
            "Actor2Type1Code, EventCode, NumMentions FROM read_csv(?, all_varchar=true, union_by_name=true)",
            [gdelt]).fetchall()
        for a1, c1, t1, a2, c2, t2, code, nm in rows:
            n_seen += 1
            norm = cameo.normalize_event_code(code) if code else None
            if norm:
                cameo_counts[norm] += 1
            for actor, c, t in ((a1, c1, t1), (a2, c2, t2)):
                if actor:
                    actors += 1
                    no_country += not c
                    sectors[t or ""] += 1
                if c:
                    country_counts[c] += 1
            if nm:
                mentions.append(float(nm))
    if not country_counts or not cameo_counts:
        raise FileNotFoundError(f"no real event samples found under {ev}")

    ranked = [c for c, _ in country_counts.most_common()]
    freq = np.array([country_counts[c] for c in ranked], dtype=float)
    k = int(min(TOP_K_FIT, max(3, (freq >= 5).sum())))
    x = np.log(np.arange(1, k + 1))
    alpha = float(-np.polyfit(x, np.log(freq[:k]), 1)[0])
    names = {c.alpha_3: c.name for c in pycountry.countries}
    rest = sorted(set(names) - set(ranked))
    order = ranked + rest
    p = np.arange(1, len(order) + 1, dtype=float) ** -alpha
    p /= p.sum()

    codes = sorted(cameo_counts)
    cp = np.array([cameo_counts[c] for c in codes], dtype=float)
    cp /= cp.sum()
    sec = sorted(sectors) or [""]
    sp = np.array([sectors[s] for s in sec], dtype=float) if sectors else np.ones(1)
    sp /= sp.sum()
    return Profile(
        countries=order, country_p=p, country_names={c: names.get(c, c) for c in order}, alpha=alpha,
        observed_countries=len(ranked), domestic_share=(domestic / pairs) if pairs else 0.0,
        no_country_share=(no_country / actors) if actors else 0.0,
        cameo_codes=codes, cameo_p=cp,
        quad_class=np.array([cameo.quad_class_of(c) for c in codes], dtype=np.int8),
        goldstein=np.array([cameo.goldstein_of(c) for c in codes], dtype=np.float64),
        sectors=sec, sector_p=sp, mean_mentions=float(np.mean(mentions)) if mentions else 5.0,
        n_events_seen=n_seen)


# ---------------------------------------------------------------------------
# generation
# ---------------------------------------------------------------------------

def _dict_array(idx: np.ndarray, dictionary: pa.Array, mask: np.ndarray | None = None) -> pa.Array:
    indices = pa.array(idx.astype(np.int32), mask=mask)
    return pa.DictionaryArray.from_arrays(indices, dictionary)


def _chunk(profile: Profile, rng: np.random.Generator, first_id: int, n: int, start: dt.date,
           days: int, dicts: dict) -> pa.Table:
    n_c = len(profile.countries)
    src = rng.choice(n_c, size=n, p=profile.country_p)
    tgt = rng.choice(n_c, size=n, p=profile.country_p)
    dom = rng.random(n) < profile.domestic_share
    tgt = np.where(dom, src, tgt)
    src_none = rng.random(n) < profile.no_country_share
    tgt_none = rng.random(n) < profile.no_country_share
    n_s = len(profile.sectors)
    src_sec = rng.choice(n_s, size=n, p=profile.sector_p)
    tgt_sec = rng.choice(n_s, size=n, p=profile.sector_p)
    # actor code = country + sector (index into the product dictionary)
    src_code = src * n_s + src_sec
    tgt_code = tgt * n_s + tgt_sec
    code = rng.choice(len(profile.cameo_codes), size=n, p=profile.cameo_p)
    day = rng.integers(0, days, size=n)
    mentions = rng.geometric(1.0 / max(profile.mean_mentions, 1.0), size=n).astype(np.int64)
    ids = np.arange(first_id, first_id + n, dtype=np.int64)
    native = pa.compute.cast(pa.array(ids), pa.string())
    event_id = pa.compute.binary_join_element_wise("gdelt1:", native, "")
    date = pa.array((np.datetime64(start, "D") + day).astype("datetime64[D]"), type=pa.date32())
    n_nulls = pa.nulls(n, pa.string())
    cols = {
        "event_id": event_id,
        "dataset": pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, np.int32)), pa.array(["gdelt1"])),
        "native_id": native,
        "event_date": date,
        "src_name": _dict_array(src, dicts["name"], src_none),
        "src_code": _dict_array(src_code, dicts["code"], src_none),
        "src_country": _dict_array(src, dicts["country"], src_none),
        "src_sector": _dict_array(src_sec, dicts["sector"], src_sec == dicts["no_sector"]),
        "tgt_name": _dict_array(tgt, dicts["name"], tgt_none),
        "tgt_code": _dict_array(tgt_code, dicts["code"], tgt_none),
        "tgt_country": _dict_array(tgt, dicts["country"], tgt_none),
        "tgt_sector": _dict_array(tgt_sec, dicts["sector"], tgt_sec == dicts["no_sector"]),
        "cameo_code": _dict_array(code, dicts["cameo"]),
        "cameo_root": _dict_array(code, dicts["root"]),
        "quad_class": pa.array(profile.quad_class[code], type=pa.int8()),
        "goldstein": pa.array(profile.goldstein[code], type=pa.float64()),
        "plover_type": n_nulls,
        "loc_country": _dict_array(tgt, dicts["country"], tgt_none),
        "loc_name": _dict_array(tgt, dicts["name"], tgt_none),
        "lat": pa.array(rng.uniform(-60, 70, n).round(4)),
        "lon": pa.array(rng.uniform(-180, 180, n).round(4)),
        "mentions": pa.array(mentions),
        "source_url": n_nulls,
        "doc_id": n_nulls,
        "sentence": n_nulls,
        "batch_id": pa.nulls(n, pa.int32()),
    }
    return pa.table(cols)


def _dictionaries(profile: Profile) -> dict:
    secs = profile.sectors
    codes = [c + s for c in profile.countries for s in secs]
    # a code whose actor has no country but a sector (GDELT "GOV", "COP" ...): the sector alone
    return {
        "country": pa.array(profile.countries),
        "name": pa.array([profile.country_names[c].upper() for c in profile.countries]),
        "code": pa.array(codes),
        "sector": pa.array(secs),  # "" is masked to NULL by the indices
        "no_sector": secs.index("") if "" in secs else -1,
        "cameo": pa.array(profile.cameo_codes),
        "root": pa.array([c[:2] for c in profile.cameo_codes]),
    }


def write_parquet(path: Path, n_rows: int, *, seed: int = 20240601, profile: Profile | None = None,
                  start_year: int = 2010, years: int = 10, chunk_rows: int = 4_000_000,
                  first_id: int = 100_000_000) -> Path:
    """Write ``n_rows`` synthetic canonical event rows to ``path`` (Parquet, zstd).

    Deterministic for a given ``seed`` and profile: chunk ``i`` uses
    ``numpy.random.default_rng([seed, i])``. Peak memory is about one chunk
    (~1 GB at 4M rows).
    """
    profile = profile or estimate_profile()
    start = dt.date(start_year, 1, 1)
    days = (dt.date(start_year + years, 1, 1) - start).days
    dicts = _dictionaries(profile)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.part")
    writer = None
    try:
        done = 0
        i = 0
        while done < n_rows:
            n = min(chunk_rows, n_rows - done)
            table = _chunk(profile, np.random.default_rng([seed, i]), first_id + done, n, start, days, dicts)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table, row_group_size=1_000_000)
            done += n
            i += 1
    finally:
        if writer is not None:
            writer.close()
    tmp.replace(path)
    return path


def _fips_table() -> pa.Table | None:
    """ISO3 -> FIPS 10-4 country code from :mod:`dyadwatch.codebooks.countries` (None if absent)."""
    try:
        from dyadwatch.codebooks import countries

        rows = {c.iso3: c.fips[0] for c in countries.countries().values() if c.fips}
    except (ImportError, AttributeError):
        return None
    return pa.table({"iso3": list(rows), "fips": list(rows.values())})


def write_gdelt1_export(parquet: Path, path: Path, *, limit: int | None = None) -> Path:
    """Write the events of ``parquet`` as a GDELT 1.0 daily export (58 tab-separated
    fields, no header, no quoting) — the layout of ``YYYYMMDD.export.CSV``."""
    lim = f" LIMIT {int(limit)}" if limit else ""
    sel = {
        "GLOBALEVENTID": "native_id", "SQLDATE": "strftime(event_date, '%Y%m%d')",
        "MonthYear": "strftime(event_date, '%Y%m')", "Year": "year(event_date)",
        "FractionDate": "round(year(event_date) + (dayofyear(event_date) - 1) / 365.0, 4)",
        "Actor1Code": "src_code", "Actor1Name": "src_name", "Actor1CountryCode": "src_country",
        "Actor1Type1Code": "src_sector",
        "Actor2Code": "tgt_code", "Actor2Name": "tgt_name", "Actor2CountryCode": "tgt_country",
        "Actor2Type1Code": "tgt_sector", "IsRootEvent": "(hash(native_id) % 2)::INT",
        "EventCode": "cameo_code", "EventBaseCode": "left(cameo_code, 3)", "EventRootCode": "cameo_root",
        "QuadClass": "quad_class", "GoldsteinScale": "goldstein", "NumMentions": "mentions",
        "NumSources": "greatest(1, mentions // 2)", "NumArticles": "mentions",
        "AvgTone": "round(goldstein * 0.7 + (hash(native_id) % 1000) / 250.0 - 2, 6)",
        "ActionGeo_Type": "CASE WHEN loc_name IS NULL THEN 0 ELSE 1 END",
        "ActionGeo_FullName": "loc_name", "ActionGeo_CountryCode": "left(loc_country, 2)",
        "ActionGeo_ADM1Code": "left(loc_country, 2)",
        "ActionGeo_Lat": "CASE WHEN loc_name IS NULL THEN NULL ELSE lat END",
        "ActionGeo_Long": "CASE WHEN loc_name IS NULL THEN NULL ELSE lon END",
        "ActionGeo_FeatureID": "loc_country",
        "Actor1Geo_Type": "0", "Actor2Geo_Type": "0",
        "DATEADDED": "strftime(event_date + 1, '%Y%m%d')",
        "SOURCEURL": "'https://news.example.org/' || year(event_date) || '/story-' || native_id || '.html'",
    }
    fips = _fips_table()
    if fips is not None:  # GDELT geography uses FIPS 10-4 country codes, not ISO
        sel["ActionGeo_CountryCode"] = sel["ActionGeo_ADM1Code"] = "coalesce(f.fips, left(loc_country, 2))"
    cols = ", ".join(f"{sel.get(f, 'NULL')} AS {f}" for f in GDELT1_FIELDS)
    path = Path(path)
    con = duckdb.connect()
    join = ""
    if fips is not None:
        con.register("_fips", fips)
        join = " e LEFT JOIN _fips f ON f.iso3 = e.loc_country"
    con.execute(
        f"COPY (SELECT {cols} FROM (SELECT * FROM read_parquet('{parquet}'){lim}){join}) TO '{path}' "
        "(FORMAT csv, DELIMITER '\t', HEADER false, QUOTE '', ESCAPE '', NULLSTR '')")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", default="1M", help="rows to generate: 1M, 10M, 100M, 250k ...")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="real data directory (../shared/data)")
    ap.add_argument("--seed", type=int, default=20240601)
    ap.add_argument("--start-year", type=int, default=2010)
    ap.add_argument("--tsv-rows", default="1M", help="rows of the GDELT 1.0 export (0 = none)")
    ap.add_argument("--chunk-rows", default="4M")
    ap.add_argument("--force", action="store_true", help="regenerate even if the files exist")
    args = ap.parse_args(argv)
    n = parse_rows(args.rows)
    label = size_label(n)
    profile = estimate_profile(args.data)
    print(profile.summary())
    pq_path = args.out / f"events_{label}.parquet"
    if args.force or not pq_path.exists():
        t0 = time.perf_counter()
        write_parquet(pq_path, n, seed=args.seed, profile=profile, start_year=args.start_year,
                      chunk_rows=parse_rows(args.chunk_rows))
        print(f"wrote {pq_path} ({n:,} rows, {pq_path.stat().st_size / 1e6:.0f} MB) "
              f"in {time.perf_counter() - t0:.1f} s")
    else:
        print(f"exists: {pq_path}")
    tsv_n = min(parse_rows(args.tsv_rows), n)
    if tsv_n:
        tsv = args.out / f"synth_{size_label(tsv_n)}.export.CSV"
        if args.force or not tsv.exists():
            t0 = time.perf_counter()
            write_gdelt1_export(pq_path, tsv, limit=tsv_n)
            print(f"wrote {tsv} ({tsv_n:,} rows, {tsv.stat().st_size / 1e6:.0f} MB) "
                  f"in {time.perf_counter() - t0:.1f} s")
        else:
            print(f"exists: {tsv}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
