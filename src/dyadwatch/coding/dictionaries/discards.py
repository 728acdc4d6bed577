"""Reader of TABARI/PETRARCH discard lists (``*.discards.txt``).

A discard is a phrase whose presence means the text is not political news
(sports, entertainment, weather ...): ``CRICKET`` drops the sentence that holds
it, ``+HURRICANE`` the whole story (document).  Matching is case-insensitive on
whole words, from the start of a word; a phrase that does not end in ``_`` also
matches longer words it begins ("GOLFER" in "golfers"), one that ends in
``_`` only the word itself (``PETRreader.read_discard_list`` of PETRARCH 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.coding.dictionaries.text import read_lines
from dyadwatch.errors import InputError


#: words naming an epidemic disease or a natural hazard (written by us from the WHO disease and the
#: UNDRR hazard terminologies): a discard phrase holding one is :attr:`Discard.hazard`
HAZARD_WORDS = frozenset("""
ebola h5n1 h1n1 polio dengue chikungunya chickungunga cholera measles malaria influenza flu epidemic pandemic
fever covid coronavirus sars typhoon hurricane cyclone tsunami earthquake landslide mudslide blizzard flood
floods drought tropical
""".split())


@dataclass(frozen=True)
class Discard:
    """One discard phrase: lower-case words, whether the last may be a stem, story or sentence level."""

    words: tuple[str, ...]
    stem: bool
    story: bool
    line: int

    @property
    def text(self) -> str:
        return " ".join(self.words)

    @property
    def temporal(self) -> bool:
        """True for a time reference (a year, "YEARS AGO", "MONTHS LATER"): the Phoenix
        lists drop such sentences to keep past events out of a daily feed."""
        return all(w.isdigit() for w in self.words) or self.words[-1] in ("ago", "later", "earlier")

    @property
    def hazard(self) -> bool:
        """True for an epidemic or a natural hazard ("EBOLA", "BIRD FLU", "TYPHOON", "WIDESPREAD
        FLOOD"; a word of :data:`HAZARD_WORDS`): the Phoenix lists drop such sentences as no political
        news, but the aid states send against them (CAMEO 07: 073 humanitarian aid, 0233 its appeal)
        and the borders and movements they close (CAMEO 16, 17) are events."""
        return any(w in HAZARD_WORDS for w in self.words)


@dataclass(frozen=True)
class DiscardFile:
    """A discard list read: path, sha256, phrases."""

    path: Path
    sha256: str
    entries: tuple[Discard, ...]
    refused: tuple[InputError, ...] = ()


_WORD = re.compile(r"[^\s_]+")


def read_discards(path: Path | str, *, lenient: bool = False) -> DiscardFile:
    """Read one discard list.

    Raises
    ------
    dyadwatch.errors.InputError
        A line with a code block (``[...]``: this is an actor or verb file, not a
        discard list), a ``+`` with no phrase; and unreadable / binary / non-UTF-8 files.
    """
    path = Path(path)
    doc = read_lines(path, semicolon=True)
    out: list[Discard] = []
    refused: list[InputError] = []
    for line in doc.lines:
        text = line.text.strip()
        story = text.startswith("+")
        body = text[1:].strip() if story else text
        try:
            if "[" in body or "]" in body:
                raise InputError("a discard line holds a phrase only; '[' belongs to actor, agent or verb files",
                                 path=path, line=line.number)
            words = tuple(w.lower() for w in _WORD.findall(body))
            if not words:
                raise InputError("discard line with no phrase", path=path, line=line.number)
        except InputError as exc:
            if not lenient:
                raise
            refused.append(exc)
            continue
        out.append(Discard(words, stem=not body.endswith("_"), story=story, line=line.number))
    return DiscardFile(path, doc.sha256, tuple(out), tuple(refused))


class DiscardMatcher:
    """Finds discard phrases in token sequences (lower-cased words).

    ``match(words)`` returns the first :class:`Discard` found, or None.
    """

    def __init__(self, discards: tuple[Discard, ...] | list[Discard]):
        self._first: dict[str, list[Discard]] = {}
        self._stems: dict[str, list[Discard]] = {}
        self._has_story = any(d.story for d in discards)
        for d in discards:
            if len(d.words) == 1 and d.stem:  # one stem: keyed on its first three letters
                self._stems.setdefault(d.words[0][:3], []).append(d)
            else:  # several words (the last may be a stem) or one whole word: keyed on the first word
                self._first.setdefault(d.words[0], []).append(d)

    @property
    def has_story(self) -> bool:
        """True when some discard drops a whole story."""
        return self._has_story

    def match(self, words: list[str]) -> Discard | None:
        """The first discard whose words occur consecutively in ``words`` (lower case)."""
        n = len(words)
        for i, w in enumerate(words):
            for d in self._first.get(w, ()):
                k = len(d.words)
                if i + k <= n and all(_word_ok(words[i + j], d.words[j], d.stem and j == k - 1)
                                      for j in range(1, k)):
                    return d
            for d in self._stems.get(w[:3], ()):
                if w.startswith(d.words[0]):
                    return d
        return None


def _word_ok(word: str, want: str, stem: bool) -> bool:
    return word.startswith(want) if stem else word == want
