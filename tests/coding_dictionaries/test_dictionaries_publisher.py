"""The publisher's dictionaries (openeventdata/petrarch2 at a pinned commit), read from ../shared/data.

Counts are checked against the files themselves, counted here independently of
the readers (lines that open an entry, code blocks with a date restriction ...).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from dyadwatch.coding.dictionaries.load import load_dictionaries, registered_checksums
from dyadwatch.errors import InputError


@pytest.fixture(scope="module")
def phoenix(shared_data):
    from dyadwatch.codebooks.cameo import CAMEO

    return load_dictionaries([shared_data / "dictionaries" / "petrarch2"], event_codes=CAMEO,
                             trusted=registered_checksums())


def test_registry_checksums_are_the_mirror_files(shared_data):
    import hashlib

    files = sorted((shared_data / "dictionaries").rglob("*.txt"))
    sums = {hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    assert len(files) == 10 and sums == set(registered_checksums())


def test_publisher_files_strictly_refused_at_their_first_defect(shared_data):
    from dyadwatch.coding.dictionaries.actors import read_actors

    path = shared_data / "dictionaries" / "petrarch2" / "Phoenix.Countries.actors.txt"
    with pytest.raises(InputError) as err:
        read_actors(path)
    bad = next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if re.search(r"\[\w+ \d{7}-", line))  # a seven-digit date: the first malformed restriction
    assert err.value.line == bad and "is not YYYYMMDD or YYMMDD" in err.value.reason


def test_publisher_files_read_leniently_with_their_defects_listed(shared_data, phoenix):
    rows = {r["file"].rsplit("/", 1)[-1]: r for r in phoenix.summary()}
    assert set(rows) == {"CAMEO.2.0.txt", "Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                         "Phoenix.MilNonState.actors.txt", "Phoenix.agents.txt", "Phoenix.discards.txt"}
    # every refused line is a real defect of that line, and the rest of the file is read
    for err in phoenix.refused:
        line = (shared_data / "dictionaries" / "petrarch2" / err.path.rsplit("/", 1)[-1]).read_text(
            encoding="utf-8").splitlines()[err.line - 1]
        assert line.strip(), err.one_line()
    by_file = {}
    for err in phoenix.refused:
        by_file[err.path.rsplit("/", 1)[-1]] = by_file.get(err.path.rsplit("/", 1)[-1], 0) + 1
    assert by_file == {"Phoenix.Countries.actors.txt": 9, "Phoenix.International.actors.txt": 4,
                       "Phoenix.agents.txt": 2, "CAMEO.2.0.txt": 9}
    # verb blocks: one per '---' header line of the file
    verbs = (shared_data / "dictionaries" / "petrarch2" / "CAMEO.2.0.txt").read_text(encoding="utf-8")
    headers = sum(1 for line in verbs.splitlines() if line.startswith("---"))
    assert len(phoenix.verbs[0].blocks) == headers
    patterns = sum(1 for line in verbs.splitlines() if line.startswith("- ") or line.startswith("-\t"))
    assert phoenix.verbs[0].pattern_count == patterns - 9  # the 9 refused lines are patterns (unknown code, undefined synset)
    # discards: one per non-comment line
    disc = (shared_data / "dictionaries" / "petrarch2" / "Phoenix.discards.txt").read_text(encoding="utf-8")
    assert rows["Phoenix.discards.txt"]["entries"] == sum(
        1 for line in disc.splitlines() if line.split("#")[0].strip() and not line.startswith("#"))


def test_publisher_actor_codes_resolve_by_date(phoenix):
    from dyadwatch.codebooks.actors import ActorDictionary
    from dyadwatch.coding.dictionaries.bridge import actor_records

    d = ActorDictionary(actor_records(phoenix.actors, cameo=True), country_table=False)
    # Iran's president 2005-2013 and 2013-2021: government in office, elite outside it
    assert d.resolve("Ahmadinejad", dt.date(2010, 1, 1)).code == "IRNGOV"
    assert d.resolve("Ahmadinejad", dt.date(2016, 1, 1)).code == "IRNELI"
    assert d.resolve("Afghanistan").code == "AFG" and d.resolve("Afghanistan").country == "AFG"
    assert d.resolve("the United Nations").code == "IGOUNO" and d.resolve("the United Nations").kind == "igo"
    # listed in two files: a Korean minister to 2006, the UN's secretary-general from 2007
    assert d.resolve("Ban Ki-moon", dt.date(2005, 1, 1)).code == "KORGOVBUS"
    assert d.resolve("Ban Ki-moon", dt.date(2010, 1, 1)).code == "IGOUNO"
