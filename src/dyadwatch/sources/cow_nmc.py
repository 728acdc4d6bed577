"""Reader ``cow-nmc``: COW National Material Capabilities, state-years.

Layout of the publisher's ``NMC-60-abridged.csv`` (Singer, Bremer & Stuckey
1972; Greig & Enterline, NMC codebook v6.0): ``stateabb, ccode, year, milex,
milper, irst, pec, tpop, upop, cinc, version``; the peacesciencer copy drops
``stateabb`` and ``version``. Units (codebook): ``milex`` thousands of
current US dollars (pounds sterling before 1914 in early versions, converted
in v6), ``milper`` thousands of personnel, ``irst`` thousands of tons,
``pec`` thousands of coal-ton equivalents, ``tpop`` / ``upop`` thousands of
people, ``cinc`` the state's share of the system's summed capabilities
(0-1; the mean of its six component shares).

``-9`` (the codebook's missing value) and empty cells are stored as NULL. A
negative value other than -9, a CINC outside [0, 1], a year outside
1800-2200 or a ccode outside 1-999 is rejected with its line; a repeated
state-year rejects the later line.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from dyadwatch.sources import formats
from dyadwatch.sources.alignment_support import good_records, header_columns, require_header, to_int
from dyadwatch.sources.formats import Head, Sink

COMPONENTS = ("milex", "milper", "irst", "pec", "tpop", "upop")
REQUIRED = ("ccode", "year", *COMPONENTS, "cinc")


def _value(text, name: str) -> float | None:
    s = (text or "").strip()
    if s == "" or s.upper() in ("NA", "NAN", "NULL"):
        return None
    v = float(s)
    if v != v or v in (float("inf"), float("-inf")):
        raise ValueError(f"{name} {s!r} is not a number")
    if v == -9:
        return None
    if v < 0:
        raise ValueError(f"{name} {s!r} is negative (only -9, missing, may be)")
    return v


class COWNMCReader:
    name = "cow-nmc"
    dataset = "cow-nmc"
    tables = ("cow_nmc",)
    description = "COW National Material Capabilities (NMC-60-abridged.csv layout)"

    def sniff(self, path: Path, head: Head) -> bool:
        return set(REQUIRED) <= header_columns(head)

    def read(self, path: Path, sink: Sink) -> None:
        require_header(path, REQUIRED, "COW NMC")
        rows: dict[str, list] = {k: [] for k in ("ccode", "year", *COMPONENTS, "cinc", "version", "_line")}
        seen: dict[tuple[int, int], tuple[int, tuple]] = {}
        for line, r, raw in good_records(path, sink):
            try:
                ccode, year = to_int(r["ccode"]), to_int(r["year"])
                if ccode is None or not 1 <= ccode <= 999:
                    raise ValueError(f"ccode {r['ccode']!r} is not a number in 1-999")
                if year is None or not 1800 <= year <= 2200:
                    raise ValueError(f"year {r['year']!r} outside 1800-2200")
                vals = tuple(_value(r[c], c) for c in (*COMPONENTS, "cinc"))
                if vals[-1] is not None and vals[-1] > 1:
                    raise ValueError(f"cinc {r['cinc']!r} above 1 (it is a share of the system)")
            except ValueError as exc:
                sink.reject(line, f"bad value: {exc}", raw)
                continue
            version = (r.get("version") or "").strip() or None
            old = seen.get((ccode, year))
            if old is not None:
                what = "values differ from" if old[1] != vals else "same values as"
                sink.reject(line, f"duplicate state-year ccode {ccode} {year}: {what} line {old[0]}; "
                                  "first occurrence kept", raw)
                continue
            seen[(ccode, year)] = (line, vals)
            for k, v in zip(("ccode", "year", *COMPONENTS, "cinc", "version", "_line"),
                            (ccode, year, *vals, version, line)):
                rows[k].append(v)
        types = {"ccode": pa.int16(), "year": pa.int16(), "version": pa.string(), "_line": pa.int64()}
        sink.add("cow_nmc", pa.table({k: pa.array(v, types.get(k, pa.float64())) for k, v in rows.items()}))


READER = formats.register(COWNMCReader())
