"""Actor dictionaries: who a name, demonym, capital, head word or acronym denotes.

Data files in this folder (written by us, documented column by column in
``README.md`` beside this file):

``countries.csv``  demonyms/adjectives, capitals and seats of government -> country (+ sector)
``sectors.csv``    agent head words and phrases -> CAMEO role code (GOV, MIL, REB ...)
``people_*.yaml``  heads of state/government, foreign and defence ministers, chiefs of staff
                   with their terms of office
``igos.yaml``      international organisations (IGOUNO, IGOWSTNAT, IGOEUREEC ...)
``groups.yaml``    non-state armed groups and special state organs (IRGC, Hezbollah, ISIS ...)
``media.yaml``     state news agencies and broadcasters (IRNA, SANA, TASS, Xinhua ...)

Country names and codes themselves come from :mod:`dyadwatch.codebooks.countries`.

Example
-------
>>> from datetime import date
>>> from dyadwatch.codebooks import actors
>>> d = actors.load()
>>> d.resolve("Rowhani", date(2015, 6, 1)).code
'IRNGOV'
>>> d.resolve("Rouhani", date(2005, 6, 1)) is None
True
>>> actors.combine(d.resolve("Russian"), d.sector_of("warplanes"))
'RUSMIL'
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from dyadwatch.codebooks.actors.dictionary import ActorDictionary
from dyadwatch.codebooks.actors.model import KINDS, Actor, combine, normalize, tokens
from dyadwatch.codebooks.actors.readers import SECTOR_NAMES, read_file

__all__ = ["Actor", "ActorDictionary", "KINDS", "SECTOR_NAMES", "builtin_files", "combine",
           "load", "normalize", "records", "tokens"]

DATA_DIR = Path(__file__).resolve().parent


def builtin_files() -> list[Path]:
    """The built-in dictionary files (``*.csv``, ``*.yaml``) in this folder, sorted."""
    return sorted(p for p in DATA_DIR.iterdir()
                  if p.suffix in (".csv", ".yaml", ".yml") and not p.name.startswith("_"))


@functools.lru_cache(maxsize=1)
def _builtin_records() -> tuple:
    records: list = []
    for path in builtin_files():
        records.extend(read_file(path))
    return tuple(records)


@functools.lru_cache(maxsize=8)
def _load_cached(extra: tuple[str, ...]) -> ActorDictionary:
    records = list(_builtin_records())
    for path in extra:
        records.extend(read_file(Path(path)))
    return ActorDictionary(records)


def records(extra_paths: Iterable[Path | str] = ()) -> tuple:
    """The ``(Actor, surface forms, line)`` records of the built-in files plus a user's own
    files (what :func:`load` builds its dictionary from), for callers that add records
    of their own (the coder adds fetched TABARI/PETRARCH dictionaries)."""
    out = list(_builtin_records())
    for path in extra_paths:
        out.extend(read_file(Path(path)))
    return tuple(out)


def load(extra_paths: Iterable[Path | str] = ()) -> ActorDictionary:
    """Load the built-in actor dictionaries plus a user's own files (cached).

    Parameters
    ----------
    extra_paths : iterable of path
        User files in one of the documented layouts (YAML entries, or CSV with
        header ``name,kind,...`` / ``iso3,type,phrase,...`` / ``sector,phrase,...``).
        Their entries are added to the built-in ones (a user alias for an
        existing name adds a candidate; it does not delete the built-in one).

    Returns
    -------
    ActorDictionary
        The same object for the same list of paths within one process.

    Raises
    ------
    dyadwatch.errors.InputError
        A missing or malformed file, with the file, the line and the reason.
    """
    return _load_cached(tuple(str(Path(p).resolve()) for p in extra_paths))
