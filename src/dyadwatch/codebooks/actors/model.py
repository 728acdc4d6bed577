"""The actor record, the CAMEO code combiner and the surface-form normaliser.

Codes follow the CAMEO 1.1b3 actor codebook (Schrodt 2012, ch. 2-3): a
three-letter country code (ISO 3166-1 alpha-3 in almost all cases) followed by
three-letter role codes (``GOV``, ``MIL``, ``REB`` ...), or an international
prefix (``IGO``, ``IMG``, ``NGO``) followed by a known-group code (``UNO``,
``NAT``, ``ARL`` ...).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

KINDS = ("country", "agent", "person", "igo", "group")
"""Allowed values of :attr:`Actor.kind`."""

_DROP = re.compile(r"[.'\u2019\u2018`\u02bc\u00b4]")
_TOKEN = re.compile(r"[^\W_]+")
_POSSESSIVE = re.compile(r"(?<=\w)['\u2019]s\b")


@dataclass(frozen=True)
class Actor:
    """One entry of the actor dictionary (immutable, hashable).

    Attributes
    ----------
    code : str
        CAMEO actor code, e.g. ``"IRNGOV"``, ``"RUSMIL"``, ``"IGOUNO"``,
        ``"LBNREBHEZ"``; for agents (sector head words) the bare sector, ``"MIL"``.
    country : str or None
        ISO 3166-1 alpha-3 code; ``None`` for IGOs, transnational groups and agents.
    sector : str or None
        CAMEO role/sector code (``"GOV"``, ``"MIL"``, ``"REB"`` ...) or ``None``.
    kind : str
        One of ``"country"``, ``"agent"``, ``"person"``, ``"igo"``, ``"group"``.
    name : str
        Canonical name (``"Vladimir Putin"``, ``"Russia"``, ``"Military"``).
    valid_from, valid_to : datetime.date or None
        Inclusive validity interval (term of office for people); ``None`` = open.
    office : str or None
        For people: the office held in this interval ("President").
    precision : str or None
        Precision of the dates as written in the source file:
        ``"day"``, ``"month"`` or ``"year"`` (the coarsest of the two ends).
    operates_in : tuple of str
        For armed groups: ISO3 codes of the countries where the group fights.
    """

    code: str
    country: str | None
    sector: str | None
    kind: str
    name: str
    valid_from: date | None = None
    valid_to: date | None = None
    office: str | None = None
    precision: str | None = None
    operates_in: tuple[str, ...] = field(default=())

    def valid_on(self, on: date | None) -> bool:
        """True when ``on`` lies inside ``[valid_from, valid_to]`` (``None`` = always)."""
        if on is None:
            return True
        if self.valid_from is not None and on < self.valid_from:
            return False
        if self.valid_to is not None and on > self.valid_to:
            return False
        return True


def combine(country_actor: Actor | str, sector: str | None) -> str:
    """Stack a role code on an actor code, CAMEO style.

    Parameters
    ----------
    country_actor : Actor or str
        The base actor (``Actor`` for Russia, or the code ``"RUS"``).  For a
        country actor that already carries a sector (``"RUSGOV"`` from "the
        Kremlin") the old sector is replaced; for IGOs and groups the role is
        appended to the full code (``"IGOUNO"`` + ``"MIL"`` -> ``"IGOUNOMIL"``).
    sector : str or None
        CAMEO role code (``"MIL"``; a TABARI/PETRARCH agent role may be longer,
        ``"GOVFRM"``, and one written to go *before* the actor code ends in ``~``:
        ``combine("ARN", "NGO~") == "NGOARN"``); ``None`` or ``""`` returns the base code.

    Returns
    -------
    str
        e.g. ``combine(russia, "MIL") == "RUSMIL"``.

    Raises
    ------
    dyadwatch.errors.UsageError
        When ``sector`` is not three upper-case letters.

    Source: CAMEO 1.1b3 actor codebook, ch. 2 ("codes are built by
    concatenating three-character codes").
    """
    from dyadwatch.errors import UsageError

    if isinstance(country_actor, Actor):
        if country_actor.kind == "country" and country_actor.country:
            base = country_actor.code[:3]
        else:
            base = country_actor.code
    else:
        base = str(country_actor)
    if not sector:
        return base
    if not re.fullmatch(r"[A-Z][A-Z0-9]{2,}~?", sector):
        raise UsageError(f"sector code must be three upper-case letters, got {sector!r}",
                         hint="use a CAMEO role code such as GOV, MIL, REB")
    if sector.endswith("~"):  # a role put before the actor (TABARI agents such as NGO~)
        return base if base.startswith(sector[:-1]) else sector[:-1] + base
    if base.endswith(sector):
        return base
    return base + sector


def tokens(text: str) -> tuple[str, ...]:
    """Normalised tokens of a surface form: the key used for every look-up.

    Accents are stripped (NFKD), case is folded, a possessive "'s" is dropped
    ("Iran's" -> "iran"), apostrophes and full stops are
    removed inside words ("U.N." -> "un", "Sana'a" -> "sanaa"), every other
    non-alphanumeric character separates tokens ("al-Qaeda" -> ("al", "qaeda")),
    and a leading "the" is dropped ("the Kremlin" -> ("kremlin",)).

    Returns
    -------
    tuple of str
        Possibly empty.
    """
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = t.replace("\u0131", "i").casefold()
    t = _POSSESSIVE.sub("", t)
    t = _DROP.sub("", t)
    out = tuple(_TOKEN.findall(t))
    if len(out) > 1 and out[0] == "the":
        out = out[1:]
    return out


def normalize(text: str) -> str:
    """``" ".join(tokens(text))``: the look-up key of a name."""
    return " ".join(tokens(text))
