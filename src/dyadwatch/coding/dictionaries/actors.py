"""Reader of TABARI/PETRARCH actor dictionaries (``*.actors.txt``).

Layout (TABARI manual ch. 5; ``PETRreader.read_actor_dictionary`` of PETRARCH 1,
whose reading we follow):

* an entry starts with its primary phrase, optionally followed by code blocks:
  ``RURITANIA_ [RUR]``, ``JANE_ROE_ [IGOUNO 820101-911231] [ELI]``;
* ``+PHRASE`` lines add synonyms to the entry (``+RURITANIAN_``);
* lines holding only code blocks, usually indented by a tab, add codes with date
  restrictions (:mod:`dyadwatch.coding.dictionaries.codes`):
  ``\\t[RURGOV 331108-730717]``;
* a primary phrase with no code that is followed by another primary phrase
  shares the codes of the entry that follows (PETRARCH 1 keeps the code list
  open until a code is given: ``R.U._`` before ``RURITANIAN_UNION ... [IGORUR]``);
* words are joined by ``_`` or blanks; a final ``_`` marks the end of the phrase
  and is dropped; ``---STOP---`` ends the file.

Phrases are matched as whole words (PETRARCH 2; TABARI's stem matching of
phrases without a final ``_`` is not reproduced).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.coding.dictionaries.codes import ACTOR_CODE, CodeError, DatedCode, parse_code_block
from dyadwatch.coding.dictionaries.text import Line, read_lines
from dyadwatch.errors import InputError

_BLOCK = re.compile(r"\[([^\[\]]*)\]")


@dataclass
class ActorEntry:
    """One actor entry: its phrases (primary first, ``_`` turned into blanks), its
    codes in file order, and the 1-based line of its primary phrase."""

    phrases: list[str]
    codes: list[DatedCode] = field(default_factory=list)
    line: int = 0

    @property
    def dated(self) -> bool:
        """True when some code carries a date restriction (people in office, regimes)."""
        return any(not c.default for c in self.codes)


@dataclass(frozen=True)
class ActorFile:
    """An actor dictionary read: path, sha256, entries, and the lines refused (lenient reading)."""

    path: Path
    sha256: str
    entries: tuple[ActorEntry, ...]
    refused: tuple[InputError, ...] = ()

    @property
    def phrase_count(self) -> int:
        return sum(len(e.phrases) for e in self.entries)


def phrase_text(raw: str) -> str:
    """``"AL-QAEDA_"`` -> ``"AL-QAEDA"``; ``"RADAGAST THE_BROWN"`` -> ``"RADAGAST THE BROWN"``."""
    return " ".join(raw.replace("_", " ").split())


def _split_codes(line: Line, path: Path) -> tuple[str, list[DatedCode]]:
    """(text before the first code block, the code blocks of the line)."""
    text = line.text
    first = text.find("[")
    if first < 0:
        if "]" in text:
            raise InputError("']' without '['", path=path, line=line.number)
        return text, []
    head, tail = text[:first], text[first:]
    codes = []
    pos = 0
    for m in _BLOCK.finditer(tail):
        between = tail[pos:m.start()].strip()
        if between:
            raise InputError(f"unexpected text {between!r} between code blocks", path=path, line=line.number)
        try:
            codes.append(parse_code_block(m.group(1), code_pattern=ACTOR_CODE))
        except CodeError as exc:
            raise InputError(str(exc), path=path, line=line.number) from None
        pos = m.end()
    rest = tail[pos:].strip()
    if rest:
        raise InputError(f"code block not closed or text after it: {rest[:40]!r}", path=path, line=line.number)
    return head, codes


def read_actors(path: Path | str, *, lenient: bool = False) -> ActorFile:
    """Read one TABARI/PETRARCH actor dictionary.

    Parameters
    ----------
    path : the ``.actors.txt`` file.
    lenient : when True a malformed line is left out and listed in
        :attr:`ActorFile.refused` instead of raising (used only for publisher
        files whose checksum is registered, see :mod:`~dyadwatch.coding.dictionaries.load`).

    Returns
    -------
    ActorFile

    Raises
    ------
    dyadwatch.errors.InputError
        With file, line and reason: a malformed code block or date restriction
        (``[RURGOV 2004017-20061201]``, ``[RURGOV 20121204]``, ``[]``), a code
        that is not an actor code, a synonym or code line before any entry, a
        phrase with no words, an entry still without a code at the end of the
        file; also binary / non-UTF-8 / unreadable files (see :func:`read_lines`).
    """
    path = Path(path)
    doc = read_lines(path, semicolon=True)
    entries: list[ActorEntry] = []
    refused: list[InputError] = []
    current: ActorEntry | None = None
    skipping = False  # lenient: the entry whose primary line was refused

    def fail(exc: InputError) -> None:
        if not lenient:
            raise exc
        refused.append(exc)

    for line in doc.lines:
        if "---STOP---" in line.text:
            break
        try:
            head, codes = _split_codes(line, path)
        except InputError as exc:
            fail(exc)
            if not line.text.lstrip().startswith(("[", "+")):
                current, skipping = None, True  # its synonyms and codes go with it
            continue
        head = head.strip()
        if not head:  # a code line
            if current is None:
                if not skipping:
                    fail(InputError("code line before any actor entry", path=path, line=line.number))
                continue
            current.codes.extend(codes)
            continue
        if head.startswith("+"):
            phrase = phrase_text(head[1:])
            if current is None:
                if not skipping:
                    fail(InputError(f"synonym {head!r} before any actor entry", path=path, line=line.number))
                continue
            if not phrase:
                fail(InputError("synonym line '+' with no words", path=path, line=line.number))
                continue
            current.phrases.append(phrase)
            current.codes.extend(codes)
            continue
        phrase = phrase_text(head)
        if not any(ch.isalnum() for ch in phrase):
            fail(InputError(f"actor phrase {head!r} has no words", path=path, line=line.number))
            continue
        skipping = False
        if current is not None and not current.codes:
            # PETRARCH 1: an entry without a code shares the codes of the entry that follows
            current.phrases.append(phrase)
            current.codes.extend(codes)
            continue
        current = ActorEntry([phrase], list(codes), line.number)
        entries.append(current)
    if current is not None and not current.codes:
        fail(InputError(f"actor entry {current.phrases[0]!r} has no code", path=path, line=current.line,
                        hint="add [CODE] after the phrase or on a line of its own"))
        entries.pop()
    return ActorFile(path, doc.sha256, tuple(e for e in entries if e.codes), tuple(refused))
