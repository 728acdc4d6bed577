"""Small stores built in code for the panel tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.api import Dyadwatch

#: a COW list with the transitions that make panels differ from "both members in the year"
COW_STATES = """stateabb,ccode,statenme,styear,stmonth,stday,endyear,endmonth,endday,version
USA,2,United States of America,1816,1,1,2016,12,31,2016
GMY,255,Germany,1816,1,1,1945,5,8,2016
GMY,255,Germany,1990,10,3,2016,12,31,2016
GFR,260,German Federal Republic,1955,5,5,1990,10,2,2016
GDR,265,German Democratic Republic,1954,3,25,1990,10,2,2016
RUS,365,Russia,1816,1,1,2016,12,31,2016
IRN,630,Iran,1855,1,1,2016,12,31,2016
YAR,678,Yemen Arab Republic,1926,9,2,1990,5,21,2016
YEM,679,Yemen,1990,5,22,2016,12,31,2016
YPR,680,Yemen People's Republic,1967,11,30,1990,5,21,2016
"""

GW_STATES = """gwcode,stateabb,statename,startdate,enddate
2,USA,United States of America,1816-01-01,2017-12-31
260,GFR,German Federal Republic,1949-09-21,2017-12-31
265,GDR,German Democratic Republic,1949-10-05,1990-10-02
365,RUS,Russia (Soviet Union),1816-01-01,2017-12-31
630,IRN,Iran (Persia),1816-01-01,2017-12-31
678,YEM,Yemen (Arab Republic of Yemen),1918-10-30,2017-12-31
680,YPR,"Yemen, People's Republic of",1967-11-30,1990-05-21
"""


def write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def lists_store(tmp_path):
    """A store holding the two constructed state lists."""
    files = [write(tmp_path, "states2016.csv", COW_STATES), write(tmp_path, "gw_states.csv", GW_STATES)]
    dw = Dyadwatch(tmp_path / "s.duckdb")
    dw.ingest(files)
    yield dw, tmp_path
    dw.close()
