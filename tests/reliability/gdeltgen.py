"""Large GDELT-1.0-shaped export files written in code (seeded), for crash and memory tests."""

from __future__ import annotations

import random
from pathlib import Path

from dyadwatch.sources.gdelt import GDELT1_COLUMNS

_ACTORS = ("IRN", "RUS", "SYR", "USA", "TUR", "ISR", "IRQ", "CHN", "GBR", "FRA")
_CODES = (("010", "0.0", "1"), ("042", "1.9", "1"), ("051", "3.4", "1"), ("070", "7.0", "2"),
          ("112", "-2.0", "3"), ("130", "-4.4", "3"), ("190", "-10.0", "4"), ("0231", "3.4", "1"))


def write_gdelt1(path: Path, n_rows: int, first_id: int, *, seed: int = 0, bad_every: int = 0,
                 pad: int = 0) -> int:
    """Write ``n_rows`` raw GDELT 1.0 export lines (58 tab-separated fields, no header).

    Event ids are ``first_id .. first_id + n_rows - 1``; each row is a function of
    ``seed`` and its event id, so two files written with the same seed hold the
    same row for an id they share (an exact re-delivery), and with another seed
    (most likely) a conflicting one. With ``bad_every`` > 0
    every ``bad_every``-th row has an impossible SQLDATE (a reject). ``pad``
    adds that many characters to the source URL (to reach a file size).
    Returns the number of rows that are valid (not meant to be rejected).
    """
    rng = random.Random(seed)
    idx = {c: i for i, c in enumerate(GDELT1_COLUMNS)}
    template = [""] * len(GDELT1_COLUMNS)
    valid = 0
    filler = "p" * pad
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        buf = []
        for k in range(n_rows):
            rng.seed(seed * 1_000_003 + first_id + k)
            a1, a2 = rng.sample(_ACTORS, 2)
            code, gold, quad = rng.choice(_CODES)
            day = 1 + rng.randrange(28)
            month = 1 + rng.randrange(12)
            date = f"2015{month:02d}{day:02d}"
            bad = bad_every and k % bad_every == bad_every - 1
            row = list(template)
            row[idx["GLOBALEVENTID"]] = str(first_id + k)
            row[idx["SQLDATE"]] = "20150230" if bad else date
            row[idx["MonthYear"]] = date[:6]
            row[idx["Year"]] = "2015"
            row[idx["Actor1Code"]], row[idx["Actor1Name"]], row[idx["Actor1CountryCode"]] = a1, a1, a1
            row[idx["Actor2Code"]], row[idx["Actor2Name"]], row[idx["Actor2CountryCode"]] = a2, a2, a2
            row[idx["IsRootEvent"]] = "1"
            row[idx["EventCode"]], row[idx["EventBaseCode"]], row[idx["EventRootCode"]] = code, code, code[:2]
            row[idx["QuadClass"]], row[idx["GoldsteinScale"]] = quad, gold
            row[idx["NumMentions"]] = str(1 + rng.randrange(20))
            row[idx["ActionGeo_CountryCode"]] = "SY"
            row[idx["ActionGeo_FullName"]] = "Damascus, Dimashq, Syria"
            row[idx["ActionGeo_Lat"]], row[idx["ActionGeo_Long"]] = "33.5", "36.3"
            row[idx["DATEADDED"]] = date
            row[idx["SOURCEURL"]] = f"https://news.example.org/{first_id + k}/{filler}"
            buf.append("\t".join(row))
            valid += not bad
            if len(buf) >= 10000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")
    return valid
