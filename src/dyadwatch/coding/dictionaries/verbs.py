"""Reader of TABARI/PETRARCH verb dictionaries (``CAMEO.2.0.txt``, ``*.verbs.txt``).

Layout (``PETRreader.read_verb_dictionary`` of PETRARCH 1 and 2, the TABARI
manual ch. 5):

* **synsets** — ``&NAME`` followed by ``+MEMBER`` lines: words or phrases that
  may stand in a pattern where ``&NAME`` is written (``&MONEYS``: DOLLARS,
  SWISS FRANCS ...).  Regular plurals of the members are added unless the
  member or the name ends in ``_``; a member may itself be a synset (``+&OTHERSET``).
* **verb blocks** — ``--- MEANING [CODE] ---`` opens a block; its verb lines
  follow: ``VERB {IRREGULAR FORMS} [OWN CODE]``, multi-word verbs with ``_``
  and ``+`` before the inflected word (``+SEAL_OFF``, ``PHONE_+TAP``).  Without
  ``{...}`` the regular forms (-S, -ED, -ING) are made.  The block code (or a
  verb's own code) is the event of the verb alone; ``---`` is none.
* **patterns** — ``- UPPER * LOWER [CODE]``: words before (UPPER) and after
  (LOWER) the verb, ``*`` standing for the verb.  Words joined by ``_`` must be
  adjacent; a blank allows words between.  ``$`` marks the source actor, ``+``
  the target, ``%`` a compound actor (source and target at once), ``^`` an actor
  skipped; ``&NAME`` any member of a synset.  PETRARCH 2 patterns also group a
  prepositional phrase in ``(...)`` and a noun phrase in ``{...}``: their words
  are read in order like the others.  ``[A:B]`` codes two events: A from source
  to target and B back; ``[:B]`` only the one back ("received an invitation":
  the target invited the source).
* **transformations** — ``~ a (a b VERB1) VERB2 = a b CODE`` lines (PETRARCH 2);
  read and kept, not applied by the coder.

Event codes are checked against ``event_codes`` when it is given (CAMEO for the
CAMEO dictionaries), otherwise only their shape is (test dictionaries use their
own codes).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.coding.dictionaries.agents import regular_plural
from dyadwatch.coding.dictionaries.text import read_lines
from dyadwatch.errors import InputError

NULL_CODE = "---"
_ANY_CODE = re.compile(r"[^\s\[\]:]+")
MARKERS = {"$": "source", "+": "target", "%": "compound", "^": "skip"}
#: "---  MEANING   [---]  ---", "--- MEANING  [120]  [031:031]  ---" (the first code counts), "--- MEANING [110]--- ---"
_HEADER = re.compile(r"-{3,}\s*([^\[\]]*?)\s*(?:\[([^\[\]]*)\])?(?:\s*\[[^\[\]]*\])*[\s-]*")


@dataclass(frozen=True)
class Element:
    """One item of a pattern side.

    ``kind`` is ``word`` (``value`` lower case), ``synset`` (``value`` the name,
    ``&`` included), or a marker: ``source``, ``target``, ``compound``, ``skip``.
    ``joined`` is True when the item must follow the previous item of its side
    with no word between (the items next to the verb say it in
    :attr:`VerbPattern.upper_joined` / :attr:`VerbPattern.lower_joined`).
    """

    kind: str
    value: str = ""
    joined: bool = False


@dataclass(frozen=True)
class EventCodes:
    """The event(s) a verb or pattern codes: ``forward`` from source to target,
    ``reverse`` from target to source (``[032:033]``); None = that event is not
    coded; ``---`` (:data:`NULL_CODE`) = explicitly no event."""

    forward: str | None
    reverse: str | None = None

    @property
    def is_null(self) -> bool:
        """True when no event at all is coded (``[---]``)."""
        return self.forward in (None, NULL_CODE) and self.reverse in (None, NULL_CODE)

    def __str__(self) -> str:
        return (self.forward or "") + ("" if self.reverse is None else ":" + self.reverse)


NULL = EventCodes(NULL_CODE)


@dataclass(frozen=True)
class VerbPattern:
    """A pattern of a verb block: items before the verb (text order), after it, codes, line."""

    upper: tuple[Element, ...]
    lower: tuple[Element, ...]
    codes: EventCodes
    line: int
    upper_joined: bool = False  # the last item before the verb touches it ("IN_*")
    lower_joined: bool = False  # the first item after the verb touches it ("*_OUT")

    @property
    def size(self) -> int:
        """Number of items: the more a pattern asks for, the earlier it is tried."""
        return len(self.upper) + len(self.lower)


@dataclass(frozen=True)
class VerbForm:
    """One verb of a block: its words (lower case), which one inflects, its forms, own code."""

    words: tuple[str, ...]
    verb_at: int
    inflections: frozenset[str]
    codes: EventCodes | None
    line: int

    @property
    def base(self) -> str:
        return self.words[self.verb_at]


@dataclass
class VerbBlock:
    """A verb block: meaning, block codes (:data:`NULL` = none), verbs, patterns, header line."""

    meaning: str
    codes: EventCodes
    line: int
    verbs: list[VerbForm] = field(default_factory=list)
    patterns: list[VerbPattern] = field(default_factory=list)


@dataclass(frozen=True)
class Transformation:
    """A PETRARCH 2 verb transformation line, kept as written (``lhs = rhs``)."""

    lhs: str
    rhs: str
    line: int


@dataclass
class VerbDictionary:
    """A verb dictionary read: synsets (name -> member phrases as lower-case word
    tuples, plurals included), blocks, transformations, refused lines."""

    path: Path
    sha256: str
    synsets: dict[str, tuple[tuple[str, ...], ...]]
    blocks: list[VerbBlock]
    transformations: list[Transformation]
    refused: tuple[InputError, ...] = ()

    @property
    def style(self) -> str:
        """``petrarch2`` when patterns group phrases in ``(...)``/``{...}`` (PETRARCH 2's
        syntactic patterns: the words before ``*`` belong to the subject), else ``tabari``
        (word sequences: the words before ``*`` anywhere earlier in the sentence)."""
        return "petrarch2" if self.grouped else "tabari"

    grouped: bool = False

    @property
    def pattern_count(self) -> int:
        return sum(len(b.patterns) for b in self.blocks)

    @property
    def verb_count(self) -> int:
        return sum(len(b.verbs) for b in self.blocks)


def _codes(inner: str, where: tuple[Path, int], event_codes: Container[str] | None) -> EventCodes:
    parts = tuple(p.strip() for p in inner.split(":"))
    if len(parts) > 2 or not any(parts) or (len(parts) == 1 and not parts[0]):
        raise InputError(f"event code block [{inner}] is not [CODE], [CODE:CODE] or [:CODE]", path=where[0],
                         line=where[1])
    for p in parts:
        if p in (NULL_CODE, ""):
            continue
        if not _ANY_CODE.fullmatch(p):
            raise InputError(f"event code {p!r} has blanks or brackets", path=where[0], line=where[1])
        if event_codes is not None and p not in event_codes:
            raise InputError(f"unknown event code {p!r}: not a code of this dictionary's codebook (CAMEO)",
                             path=where[0], line=where[1], hint="use a CAMEO code such as 042 or 1823, or --- for none")
    return EventCodes(parts[0] or None, (parts[1] or None) if len(parts) > 1 else None)


def _split_code(text: str, where: tuple[Path, int], event_codes) -> tuple[str, EventCodes | None]:
    """(text before the code block, codes of a final ``[...]`` or None)."""
    if "[" not in text:
        if "]" in text:
            raise InputError("']' without '['", path=where[0], line=where[1])
        return text, None
    start = text.find("[")
    end = text.find("]", start)
    if end < 0:
        raise InputError("code block '[' not closed", path=where[0], line=where[1])
    rest = text[end + 1:].strip()
    if rest and not (rest.startswith("[") and rest.endswith("]")):
        raise InputError(f"text after the code block: {rest[:40]!r}", path=where[0], line=where[1])
    return text[:start], _codes(text[start + 1:end], where, event_codes)


def regular_verb_forms(verb: str) -> set[str]:
    """PETRARCH's regular forms: -S (-ES after S, X, Z; -IES after consonant+Y), -ED (-D after E),
    -ING (dropping a final E after a consonant)."""
    v = verb.lower()
    out = {v}
    if v.endswith(("s", "x", "z", "sh", "ch")):
        out.add(v + "es")
    elif v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou":
        out.add(v[:-1] + "ies")
    else:
        out.add(v + "s")
    if v.endswith("e"):
        out.add(v + "d")
        out.add(v[:-1] + "ing" if len(v) > 2 and v[-2] not in "aeiou" else v + "ing")
    else:
        out.add(v[:-1] + "ied" if v.endswith("y") and len(v) > 1 and v[-2] not in "aeiou" else v + "ed")
        out.add(v + "ing")
    return out


def _side(text: str, where) -> list[Element]:
    """Items of one side of a pattern (see the module docstring)."""
    text = text.replace("(", " ").replace(")", " ").replace("{", " ").replace("}", " ")
    out: list[Element] = []
    for chunk in text.split():
        pieces = chunk.split("_")
        first = True
        for piece in pieces:
            if not piece:
                continue
            joined = not first
            first = False
            if piece in MARKERS:
                out.append(Element(MARKERS[piece], "", joined))
            elif piece.startswith("&"):
                if len(piece) < 2:
                    raise InputError("'&' without a synset name", path=where[0], line=where[1])
                out.append(Element("synset", piece.upper(), joined))
            else:
                word = piece.lower()
                if any(m in word for m in "$%^") or "&" in word:
                    raise InputError(f"pattern word {piece!r} mixes a marker with letters", path=where[0],
                                     line=where[1])
                out.append(Element("word", word, joined))
    return out


def _pattern(body: str, where, event_codes) -> VerbPattern:
    text, codes = _split_code(body, where, event_codes)
    if codes is None:
        raise InputError("pattern has no [CODE]", path=where[0], line=where[1],
                         hint="end the pattern with the event code, e.g. [042], or [---] for none")
    if text.count("*") != 1:
        raise InputError(f"pattern has {text.count('*')} '*' (the verb's place): expected exactly one",
                         path=where[0], line=where[1])
    up_text, _, low_text = text.partition("*")
    upper = _side(up_text, where)
    lower = _side(low_text, where)
    if lower:  # the first item after the verb: its link to the verb is lower_joined
        lower[0] = Element(lower[0].kind, lower[0].value, False)
    return VerbPattern(tuple(upper), tuple(lower), codes, where[1],
                       upper_joined=bool(upper) and up_text.endswith("_"),
                       lower_joined=bool(lower) and low_text.startswith("_"))


def _verb_line(text: str, where, event_codes) -> VerbForm:
    text, codes = _split_code(text, where, event_codes)
    braces = None
    if "{" in text:
        if "}" not in text:
            raise InputError("'{' without '}'", path=where[0], line=where[1])
        head, _, more = text.partition("{")
        inner, _, after = more.partition("}")
        if after.strip():
            raise InputError(f"text after the verb forms: {after.strip()[:40]!r}", path=where[0], line=where[1])
        braces = inner.split()
        text = head
    main = text.strip()
    if not main:
        raise InputError("verb line with no verb", path=where[0], line=where[1])
    if "}" in main:
        raise InputError("'}' without '{'", path=where[0], line=where[1])
    raw_words = [w for w in re.split(r"[_\s]+", main) if w]
    plus = [i for i, w in enumerate(raw_words) if w.startswith("+")]
    if len(plus) > 1:
        raise InputError(f"multi-word verb {main!r} marks {len(plus)} words with '+': mark the one that inflects",
                         path=where[0], line=where[1])
    verb_at = plus[0] if plus else 0
    words = tuple(w.lstrip("+").lower() for w in raw_words)
    if not all(re.fullmatch(r"[a-z0-9'\-.]+", w) for w in words):
        raise InputError(f"verb {main!r} has characters other than letters, digits, ' - .", path=where[0],
                         line=where[1])
    base = words[verb_at]
    if braces is None:
        forms = regular_verb_forms(base)
    else:
        forms = {base}
        for b in braces:
            parts = [p for p in b.split("_") if p]
            marked = [p for p in parts if p.startswith("+")]
            forms.add((marked[0] if marked else parts[min(verb_at, len(parts) - 1)]).lstrip("+").lower())
    return VerbForm(words, verb_at, frozenset(forms), codes, where[1])


def read_verbs(path: Path | str, *, event_codes: Container[str] | None = None, lenient: bool = False
               ) -> VerbDictionary:
    """Read one verb dictionary.

    Parameters
    ----------
    path : the file.
    event_codes : the codebook its codes must belong to (e.g. the CAMEO table);
        None accepts any code without blanks.
    lenient : list malformed lines in :attr:`VerbDictionary.refused` instead of raising.

    Returns
    -------
    VerbDictionary

    Raises
    ------
    dyadwatch.errors.InputError
        With file, line and reason: an unknown event code, a pattern without
        ``[CODE]`` or without exactly one ``*``, a pattern or verb outside a
        block, an undefined synset (reported at its first use), a ``{`` without
        ``}``; and unreadable / binary / non-UTF-8 files.
    """
    path = Path(path)
    doc = read_lines(path, semicolon=True)
    synsets_raw: dict[str, list[tuple[list[str], bool, int]]] = {}
    synset_noplural: dict[str, bool] = {}
    blocks: list[VerbBlock] = []
    transformations: list[Transformation] = []
    refused: list[InputError] = []
    synset_uses: list[tuple[str, int]] = []
    current_synset: str | None = None
    block: VerbBlock | None = None
    for line in doc.lines:
        text = line.text.strip()
        where = (path, line.number)
        try:
            if current_synset is not None and text.startswith("+"):
                member = text[1:].strip()
                if not member:
                    raise InputError("synset member '+' with no words", path=path, line=line.number)
                noplural = member.endswith("_")
                words = [w for w in re.split(r"[_\s]+", member) if w]
                synsets_raw[current_synset].append((words, noplural, line.number))
                continue
            current_synset = None
            if text.startswith("---"):
                m = _HEADER.fullmatch(text)
                if m is None:
                    raise InputError("verb block header is not '--- MEANING [CODE] ---'", path=path, line=line.number)
                codes = _codes(m.group(2), where, event_codes) if m.group(2) is not None else NULL
                block = VerbBlock(m.group(1).strip() or "?", codes, line.number)
                blocks.append(block)
            elif text.startswith("-"):
                if block is None:
                    raise InputError("pattern before any verb block ('--- MEANING [CODE] ---')", path=path,
                                     line=line.number)
                pat = _pattern(text[1:], where, event_codes)
                synset_uses.extend((e.value, line.number) for e in pat.upper + pat.lower if e.kind == "synset")
                block.patterns.append(pat)
            elif text.startswith("&"):
                name = text.split()[0]
                if not re.fullmatch(r"&[A-Za-z0-9_]+", name):
                    raise InputError(f"synset name {name!r} is not &LETTERS", path=path, line=line.number)
                noplural = name.endswith("_")
                name = name.rstrip("_").upper()
                current_synset = name
                synsets_raw.setdefault(name, [])
                synset_noplural[name] = noplural
            elif text.startswith("~"):
                lhs, eq, rhs = text[1:].partition("=")
                if not eq or not lhs.strip() or not rhs.strip():
                    raise InputError("transformation line is not '~ PATTERN = RESULT'", path=path, line=line.number)
                transformations.append(Transformation(lhs.strip(), rhs.strip(), line.number))
            else:
                if block is None:
                    raise InputError(f"verb {text.split()[0]!r} before any verb block ('--- MEANING [CODE] ---')",
                                     path=path, line=line.number)
                block.verbs.append(_verb_line(text, where, event_codes))
        except InputError as exc:
            if not lenient:
                raise
            refused.append(exc)
    synsets = _expand_synsets(synsets_raw, synset_noplural, path)
    undefined = set()
    for name, number in synset_uses:
        if name.rstrip("_") not in synsets:
            exc = InputError(f"synset {name} is used but not defined", path=path, line=number,
                             hint=f"define it: a line {name} followed by +MEMBER lines")
            if not lenient:
                raise exc
            refused.append(exc)
            undefined.add(number)
    if undefined:  # lenient: the patterns that use an undefined synset are left out
        for b in blocks:
            b.patterns = [p for p in b.patterns if p.line not in undefined]
    grouped = any(line.text.lstrip().startswith("-") and ("(" in line.text or "{" in line.text)
                  for line in doc.lines)
    return VerbDictionary(path, doc.sha256, synsets, blocks, transformations, tuple(refused), grouped)


def _expand_synsets(raw: dict[str, list[tuple[list[str], bool, int]]], noplural: dict[str, bool], path: Path
                    ) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Member phrases of every synset, nested synsets expanded, plurals added."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}

    def expand(name: str, stack: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
        if name in out:
            return out[name]
        if name in stack:
            raise InputError(f"synset {name} contains itself (through {' -> '.join(stack)})", path=path)
        phrases: list[tuple[str, ...]] = []
        for words, member_noplural, number in raw.get(name, []):
            if len(words) == 1 and words[0].startswith("&"):
                inner = words[0].rstrip("_").upper()
                if inner not in raw:
                    raise InputError(f"synset {inner} is used but not defined", path=path, line=number)
                phrases.extend(expand(inner, stack + (name,)))
                continue
            phrase = tuple(w.lower() for w in words)
            phrases.append(phrase)
            if not (member_noplural or noplural.get(name)):
                phrases.append(phrase[:-1] + (regular_plural(phrase[-1]),))
        out[name] = tuple(dict.fromkeys(phrases))
        return out[name]

    for name in raw:
        expand(name, ())
    return out
