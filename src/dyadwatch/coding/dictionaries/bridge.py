"""TABARI/PETRARCH actor and agent entries as the coder's actor records.

The coder recognises actors through :class:`dyadwatch.codebooks.actors.ActorDictionary`
records ``(Actor, surface forms, line)``.  :func:`actor_records` and
:func:`agent_records` turn dictionary entries into such records:

* every code of an entry becomes one :class:`~dyadwatch.codebooks.actors.Actor`
  with the entry's phrases as surface forms and the code's date restriction as
  ``valid_from``/``valid_to``; restricted codes come first in file order, the
  default last, so the first restriction that holds on the event's date wins
  and the default applies when none does (the PETRARCH rule,
  :func:`dyadwatch.coding.dictionaries.codes.resolve`).  ``---`` becomes an
  actor with code ``---``, which the recogniser reads as "no actor";
* ``kind``: an entry with date restrictions is a ``person`` (one whose codes
  all have three letters: a ``country`` whose code changed); codes starting
  ``IGO``/``NGO``/``NGM``/``MNC`` are ``igo``, ``IMG`` a ``group``; a
  three-letter code a ``country``; a country code plus one known role
  (``USAGOV``) a ``country`` with that ``sector``; anything longer a ``group``;
* agents become ``kind="agent"`` actors whose ``sector`` is the role
  (``GOVFRM``; a role put before the actor code, ``NGO~``, keeps its ``~``);
* a surface form owned by an earlier layer (``taken``: the built-in
  dictionaries, when fetched ones are added) keeps its owner, except a form the
  earlier layer lists only as one person (``terms``: form -> that person's name
  and terms of office): a dated entry of this layer then fills the dates the
  earlier layer leaves open (its codes clipped to the complement of those terms,
  named like the earlier person), so "Ahmadinejad" in 2016 is still ``IRNELI``
  when the built-in list knows only his presidency; within one call
  every entry that lists a form is a candidate for it, and the event's date and
  the kind rank choose among them (a leader who later headed an IGO is listed in
  two files), two candidates that both hold being ambiguous (no actor).

``cameo=True`` (the CAMEO coder) maps the first three letters of a code to its
ISO3 country (:func:`dyadwatch.codebooks.countries.iso3`), keeps roles to their
first three letters (``GOVDEV`` -> ``GOV``, the store's ``sector`` column) and
drops the digits some publisher codes carry (``NGOCHRPRO214`` -> ``NGOCHRPRO``);
``cameo=False`` keeps every code as written (a test suite's own codes).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping

from dyadwatch.codebooks.actors import Actor, tokens
from dyadwatch.codebooks.actors.readers import SECTOR_NAMES
from dyadwatch.coding.dictionaries.actors import ActorFile
from dyadwatch.coding.dictionaries.agents import AgentFile
from dyadwatch.coding.dictionaries.codes import NULL_CODE

Record = tuple[Actor, tuple[str, ...], int]
#: a person of an earlier layer: canonical name and terms of office ``(valid_from, valid_to)``, None = open
Terms = tuple[str, tuple[tuple["dt.date | None", "dt.date | None"], ...]]
_IGO = ("IGO", "NGO", "NGM", "MNC")
_LETTERS = re.compile(r"[A-Z]+")
#: one-token forms that are common English words: matched only when written in capitals
_SHORT = 3


def _stop_words() -> frozenset[str]:
    try:
        from spacy.lang.en.stop_words import STOP_WORDS
    except ImportError:  # spaCy is a dependency; this only guards odd installs
        return frozenset()
    return frozenset(STOP_WORDS)


_STOP = _stop_words()


@functools.lru_cache(maxsize=None)
def _key(phrase: str) -> str:
    return " ".join(tokens(phrase))


def form_for(phrase: str) -> str:
    """The surface form handed to the actor dictionary: lower case (TABARI files are
    written in capitals, which would make every short name an acronym), except a
    one-word form of up to three letters or an English stop word ("US", "UN", "IT"),
    kept in capitals so that it matches only text written in capitals."""
    toks = _key(phrase).split(" ")
    if len(toks) == 1 and (len(toks[0]) <= _SHORT or toks[0] in _STOP):
        return phrase.upper()
    return phrase.lower()


def _clean(code: str, cameo: bool) -> str | None:
    if not cameo or code == NULL_CODE:
        return code
    m = _LETTERS.match(code.upper())
    if m is None or len(m.group(0)) < 3:
        return None
    letters = m.group(0)
    return letters[:min(15, len(letters) - len(letters) % 3)]


@functools.lru_cache(maxsize=None)
def _country(code: str, cameo: bool) -> str | None:
    head = code[:3]
    if head in _IGO or head == "IMG" or len(code) < 3:
        return None
    if not cameo:
        return head
    return _iso3(head)


@functools.lru_cache(maxsize=None)
def _iso3(head: str) -> str | None:
    from dyadwatch.codebooks.countries import iso3

    return iso3(head) if head.isalpha() and head.isupper() else None


def _kind(code: str, dated: bool) -> tuple[str, str | None]:
    head = code[:3]
    if dated:
        return "person", (code[3:6] or None) if len(code) >= 6 else None
    if head in _IGO:
        return "igo", None
    if head == "IMG":
        return "group", None
    if len(code) == 3:
        return "country", None
    if len(code) == 6 and code[3:] in SECTOR_NAMES:
        return "country", code[3:]
    return "group", None


def person_terms(records: Iterable[Record]) -> dict[str, Terms]:
    """Forms that ``records`` (an earlier layer) list only as one person: normalised form ->
    (the person's name, their terms of office in record order).  A form shared by two
    people, or by a person and anything else, is left out (it keeps its owner)."""
    seen: dict[str, list[Actor]] = {}
    for actor, forms, _ in records:
        for f in forms:
            seen.setdefault(_key(f), []).append(actor)
    out: dict[str, Terms] = {}
    for key, actors in seen.items():
        if key and all(a.kind == "person" for a in actors) and len({a.name for a in actors}) == 1:
            out[key] = (actors[0].name, tuple((a.valid_from, a.valid_to) for a in actors))
    return out


def _outside(start: dt.date | None, end: dt.date | None, terms) -> list[tuple[dt.date | None, dt.date | None]]:
    """The parts of ``[start, end]`` (None = open) outside every term of ``terms`` (both ends
    included), in date order."""
    parts = [(start, end)]
    for t0, t1 in terms:
        nxt = []
        for a, b in parts:
            # the piece before the term, then the piece after it
            if t0 is not None and (a is None or a < t0):
                before = t0 - dt.timedelta(days=1)
                nxt.append((a, before if b is None or b > before else b))
            if t1 is not None and (b is None or b > t1):
                after = t1 + dt.timedelta(days=1)
                nxt.append((after if a is None or a < after else a, b))
        parts = nxt
    return parts


def actor_records(files: Iterable[ActorFile], *, cameo: bool, taken: set[str] | None = None,
                  terms: Mapping[str, Terms] | None = None) -> list[Record]:
    """Actor records of the entries of ``files`` (see the module docstring).

    ``taken`` (normalised forms owned by an earlier layer) is updated in place
    with this call's forms once they are all read; ``terms`` (from
    :func:`person_terms` of that layer) names the taken forms a dated person entry
    may still fill outside the earlier person's terms.
    """
    taken = set() if taken is None else taken
    terms = terms or {}
    out: list[Record] = []
    mine: set[str] = set()
    for f in files:
        for e in f.entries:
            forms: list[str] = []
            filled: dict[Terms, list[str]] = {}  # taken person forms, by the earlier person's terms
            for p in e.phrases:
                key = _key(p)
                if not key:
                    continue
                if key not in taken:
                    mine.add(key)
                    forms.append(form_for(p))
                elif e.dated and key in terms:
                    filled.setdefault(terms[key], []).append(form_for(p))
            if not forms and not filled:
                continue
            ordered = [c for c in e.codes if not c.default] + [c for c in e.codes if c.default]
            # one kind per entry (the kind rank must not reorder its dated codes): a state whose
            # code changed (three-letter codes only: USR, then GEO) is a country, else a person
            person = e.dated and any(len(c.code) != 3 for c in e.codes if not c.is_null)
            groups = [(None, forms)] if forms else []
            if person:
                groups += list(filled.items())
            for owner, group in groups:
                for dc in ordered:
                    code = _clean(dc.code, cameo)
                    if code is None:
                        continue
                    if code == NULL_CODE:
                        kind, sector = ("person" if person else "country"), None
                    elif e.dated and not person:
                        kind, sector = "country", None
                    else:
                        kind, sector = _kind(code, person)
                    spans = [(dc.start, dc.end)] if owner is None else _outside(dc.start, dc.end, owner[1])
                    for start, end in spans:
                        actor = Actor(code=code, country=_country(code, cameo) if code != NULL_CODE else None,
                                      sector=sector, kind=kind,
                                      name=e.phrases[0].title() if owner is None else owner[0],
                                      valid_from=start, valid_to=end)
                        out.append((actor, tuple(group), e.line))
    taken |= mine
    return out


def agent_records(files: Iterable[AgentFile], *, cameo: bool, taken: set[str] | None = None) -> list[Record]:
    """Agent records (``kind="agent"``) of the entries of ``files`` (see the module docstring)."""
    taken = set() if taken is None else taken
    out: list[Record] = []
    mine: set[str] = set()
    for f in files:
        for e in f.entries:
            key = _key(e.phrase)
            if not key or key in taken or key in mine:
                continue  # an agent phrase has one role: the first listed
            if cameo:
                role = e.code[:3].upper()
                if e.prefix or not role.isalpha() or len(role) < 3:
                    continue  # NGO~-style prefixes are organisations, not sectors of a state
            else:
                role = e.code + ("~" if e.prefix else "")
            mine.add(key)
            out.append((Actor(code=role, country=None, sector=role, kind="agent", name=e.phrase.title()),
                        (form_for(e.phrase),), e.line))
    taken |= mine
    return out
