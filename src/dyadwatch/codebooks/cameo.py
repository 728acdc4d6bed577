"""CAMEO 1.1b3 event codes: name, root, level, QuadClass, Goldstein, PLOVER type.

Sources (``data/cameo_codes.csv`` was typed by us from these):

* Gerner, Schrodt, Yilmaz & Abu-Jabr, "CAMEO: Conflict and Mediation Event
  Observations Event and Actor Codebook", version 1.1b3, 2012 — codes and
  names (``name`` is the codebook's name; root names in sentence case).
* Goldstein, J. S. (1992), "A Conflict-Cooperation Scale for WEIS Events
  Data", Journal of Conflict Resolution 36(2), as mapped to CAMEO codes in the
  standard CAMEO Goldstein table — ``goldstein`` in [-10, +10].
* QuadClass, GDELT/ICEWS convention: roots 01-05 -> 1 verbal cooperation,
  06-08 -> 2 material cooperation, 09-13 -> 3 verbal conflict,
  14-20 -> 4 material conflict.
* PLOVER type/mode: :mod:`dyadwatch.codebooks.plover`.

Codes are strings with leading zeros kept (``"010"``, ``"0231"``). ``level``
is 0 for the twenty two-digit roots, 1 for three-digit and 2 for four-digit
codes.

Comparison with the ICEWS Dataverse code table (andybega/icews
``cameo_codes.csv``/``goldstein_mappings.csv``, checked by
``tests/codebooks/test_cameo_vs_icews.py``): the same 312 codes, the same
Goldstein weight and QuadClass for every code, and the same names
(case-insensitively) except that we keep the codebook's ", not specified
below" on residual codes (``"010"``: "Make statement, not specified
below"), which ICEWS drops. Resolved while building the table: five codes
of our first draft that are not in CAMEO 1.1b3 (``155``, ``176``, ``1834``,
``1951``, ``1952``; neither ICEWS nor the PLOVER crosswalk has them) were
left out; ``1213`` (Reject judicial cooperation) is in (ICEWS and the PLOVER
crosswalk both carry it); the Goldstein weights of ``016``, ``022``,
``0334``, ``124``-``1246`` and ``164`` were corrected to the CAMEO Goldstein
table distributed with the codebook (eventdata.parusanalytics.com, which
ICEWS reproduces); names of ``020``, ``022``, ``028``, ``032``, ``0252``,
``102``, ``103``, ``1321``, ``138`` and ``1832`` follow that codebook
text, our earlier spellings are kept as aliases (``data/cameo_aliases.csv``).
"""

from __future__ import annotations

import csv
import difflib
import math
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib import resources

from dyadwatch.codebooks.plover import crosswalk
from dyadwatch.errors import UnknownNameError

#: Field names whose values are two-digit roots; every other field is treated
#: as a three/four-digit event-code field by :func:`normalize_event_code`.
ROOT_FIELDS = frozenset({"EventRootCode", "cameo_root", "root"})


@dataclass(frozen=True)
class CameoCode:
    """One CAMEO event code.

    Attributes
    ----------
    code : str        ``"01"``-``"20"``, ``"010"``-``"204"``, ``"0211"``-``"2042"``
    name : str        codebook name (``"Fight with small arms and light weapons"``)
    root : str        two-digit root (``"19"``)
    level : int       0 root, 1 three-digit, 2 four-digit
    quad_class : int  1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    goldstein : float Goldstein weight in [-10, 10]
    plover_type : str PLOVER event type (``"ASSAULT"``; ``"OTHER"`` for 01x)
    plover_mode : str | None  PLOVER mode where the manual gives one
    """

    code: str
    name: str
    root: str
    level: int
    quad_class: int
    goldstein: float
    plover_type: str
    plover_mode: str | None = None


def _data(name: str):
    return resources.files("dyadwatch.codebooks") / "data" / name


@lru_cache(maxsize=1)
def _table() -> dict[str, CameoCode]:
    walk = crosswalk()
    out: dict[str, CameoCode] = {}
    with _data("cameo_codes.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            ptype, pmode = walk[row["code"]]
            out[row["code"]] = CameoCode(
                code=row["code"], name=row["name"], root=row["root"], level=int(row["level"]),
                quad_class=int(row["quad_class"]), goldstein=float(row["goldstein"]),
                plover_type=ptype, plover_mode=pmode)
    return out


#: Every CAMEO code: ``{code: CameoCode}`` (read-only by convention).
CAMEO: dict[str, CameoCode] = _table()


def _nearby(raw: str) -> list[str]:
    text = str(raw).strip()
    near = [c for c in CAMEO if text and (c.startswith(text[:3]) or text.startswith(c))]
    near += difflib.get_close_matches(text, list(CAMEO), n=5, cutoff=0.5)
    if not near:  # nothing similar: show the roots
        near = [c for c in CAMEO if len(c) == 2]
    return list(dict.fromkeys(near))[:20]


def normalize_event_code(raw: object, *, field: str = "EventCode") -> str | None:
    """Canonical CAMEO code string for a raw value, or ``None`` for non-codes.

    Spreadsheet and numeric parsing drop leading zeros (``"042"`` -> ``42``,
    ``"0231"`` -> ``231``). The rule, which is unambiguous for CAMEO 1.1b3
    because no root is above 20:

    * Values ``None``, NaN, ``""``, ``"NA"``, ``"---"`` and anything that is not
      a whole number of 1-4 digits (``"42.0"`` counts as ``42``) -> ``None``.
    * Root fields (``field`` in :data:`ROOT_FIELDS`, e.g. GDELT
      ``EventRootCode``): pad to two digits (``"1"`` -> ``"01"``).
    * Event-code fields (every other ``field``: GDELT ``EventCode``/
      ``EventBaseCode``, ICEWS ``CAMEO Code``): two digits are a three-digit
      code that lost its zero (``"10"`` -> ``"010"``, ``"42"`` -> ``"042"``);
      three digits are kept when they are a code (``"190"``) and otherwise
      are a four-digit code that lost its zero (``"231"`` -> ``"0231"``);
      four digits are kept (``"0231"``). A value that is already a valid code
      of any level with its zeros (``"01"`` in an event-code field) is kept.
    * The result must be a CAMEO 1.1b3 code, else ``None``.
    """
    if raw is None:
        return None
    if isinstance(raw, float):
        if math.isnan(raw) or not raw.is_integer():
            return None
        raw = int(raw)
    text = str(raw).strip()
    if re.fullmatch(r"\d+\.0+", text):
        text = text.split(".")[0]
    if not re.fullmatch(r"\d{1,4}", text):
        return None
    if field in ROOT_FIELDS:
        code = text.zfill(2) if len(text) <= 2 else text
        return code if code in CAMEO and len(code) == 2 else None
    if text in CAMEO and text[0] == "0":
        return text
    if len(text) <= 2:
        code = text.zfill(3)
    elif len(text) == 3:
        code = text if text in CAMEO else "0" + text
    else:
        code = text
    return code if code in CAMEO else None


def lookup(code: str) -> CameoCode:
    """The :class:`CameoCode` for ``code``.

    A string that is a code is taken as it is (``"10"`` is the root Demand,
    ``"010"`` the residual statement code); anything else goes through
    :func:`normalize_event_code` (``"42"`` -> ``"042"``, ``231`` -> ``"0231"``).
    Example: ``lookup("193").goldstein == -10.0``.

    Raises :class:`UnknownNameError` (also a ``KeyError``) naming the nearby
    valid codes.
    """
    if isinstance(code, str) and code in CAMEO:
        return CAMEO[code]
    norm = normalize_event_code(code)
    if norm is None and isinstance(code, str) and code.strip() in CAMEO:
        norm = code.strip()
    if norm is None:
        near = _nearby(str(code))
        raise UnknownNameError(
            f"unknown CAMEO code {code!r}; nearby codes: {', '.join(near) or 'none'}",
            hint="CAMEO codes are strings such as '010', '0231', '190'")
    return CAMEO[norm]


def quad_class_of(code: str) -> int:
    """QuadClass (1-4) of a CAMEO code; raises :class:`UnknownNameError`."""
    return lookup(code).quad_class


def goldstein_of(code: str) -> float:
    """Goldstein weight (-10..+10) of a CAMEO code; raises :class:`UnknownNameError`."""
    return lookup(code).goldstein


def root_of(code: str) -> str:
    """Two-digit CAMEO root (``"01"``-``"20"``) of a code; raises :class:`UnknownNameError`."""
    return lookup(code).root


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


_NOT_SPECIFIED = re.compile(r",?\s*not specified below\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _name_index() -> dict[str, str]:
    index: dict[str, str] = {}
    # a root name means the root's "not specified below" code (ICEWS codes
    # events at level >= 1): "Consult" -> 040, "Fight" -> 190
    for entry in sorted(CAMEO.values(), key=lambda c: c.level):
        code = entry.code + "0" if entry.level == 0 else entry.code
        index[_key(entry.name)] = code
        index[_key(_NOT_SPECIFIED.sub("", entry.name))] = code
    with _data("cameo_aliases.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["code"] not in CAMEO:
                raise UnknownNameError(f"alias {row['alias']!r} points to unknown code {row['code']!r}",
                                       path=str(_data("cameo_aliases.csv")))
            index[_key(row["alias"])] = row["code"]
    return index


def by_name(text: str) -> CameoCode | None:
    """Resolve a CAMEO event name as written by ICEWS ``event_text`` /
    ``Event Text`` (``"Make an appeal or request"``, ``"Consult"``,
    ``"fight with small arms and light weapons"``) to its code.

    Matching ignores case, punctuation and a trailing ", not specified
    below"; ICEWS spellings that differ from the codebook are in
    ``data/cameo_aliases.csv``. A bare root name resolves to the root's
    "not specified below" code (``"Consult"`` -> ``040``), which is the code
    ICEWS assigns. Returns ``None`` when the name is not known.
    """
    if not text:
        return None
    code = _name_index().get(_key(str(text)))
    return CAMEO[code] if code else None


def as_arrow():
    """The table as a ``pyarrow.Table`` (one row per code; columns code,
    name, root, level, quad_class, goldstein, plover_type, plover_mode),
    for joins in DuckDB (``con.register("cameo", as_arrow())``)."""
    import pyarrow as pa

    rows = [asdict(c) for c in CAMEO.values()]
    schema = pa.schema([("code", pa.string()), ("name", pa.string()), ("root", pa.string()),
                        ("level", pa.int8()), ("quad_class", pa.int8()),
                        ("goldstein", pa.float64()), ("plover_type", pa.string()),
                        ("plover_mode", pa.string())])
    return pa.Table.from_pylist(rows, schema=schema)
