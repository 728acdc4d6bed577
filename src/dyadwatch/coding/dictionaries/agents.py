"""Reader of TABARI/PETRARCH agent dictionaries (``*.agents.txt``).

An agent is a generic noun that adds a role to an actor: "the foreign minister"
-> ``~GOV``, "Arnor cleric" -> ``ARN`` + ``REL``.  Layout
(``PETRreader.read_agent_dictionary`` of PETRARCH 1, whose reading we follow):

* ``PHRASE {PLURAL} [CODE]``, words joined by ``_`` or blanks;
* the code has a ``~``: ``~GOV`` is appended to the actor's code
  (``IRN`` -> ``IRNGOV``), ``NGO~`` is put before it (``ARN`` -> ``NGOARN``);
* plurals: without ``{...}`` the regular plural of the last word is added
  (``Y`` -> ``IES``, ``S`` -> ``SES``, else ``+S``); ``{FORMS}`` gives it instead;
  ``{}`` means no plural (``POLICE {}``);
* substitution markers: ``!KIN! = SON, SONS, DAUGHTER`` defines a set, and
  ``GOD!KIN! [~REL]`` stands for one agent per member (no further plural is made).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.coding.dictionaries.actors import phrase_text
from dyadwatch.coding.dictionaries.text import read_lines
from dyadwatch.errors import InputError

_AGENT_CODE = re.compile(r"~[A-Za-z0-9]+|[A-Za-z0-9]+~")
_MARKER_DEF = re.compile(r"^\s*!([A-Za-z0-9_]+)!\s*=\s*(.+)$")
_MARKER_USE = re.compile(r"!([A-Za-z0-9_]+)!")


@dataclass(frozen=True)
class AgentEntry:
    """One agent phrase (``_`` turned into blanks) with its role code.

    ``code`` is the role without the ``~`` (``"GOV"``, ``"GOVFRM"``, ``"NGO"``);
    ``prefix`` is True when it goes before the actor code (``NGO~``).
    """

    phrase: str
    code: str
    prefix: bool
    line: int

    def apply(self, actor_code: str) -> str:
        """The actor code with this role: ``apply("IRN") == "IRNGOV"``; a role the code
        already ends with (or starts with, for prefixes) is not added twice."""
        if self.prefix:
            return actor_code if actor_code.startswith(self.code) else self.code + actor_code
        return actor_code if actor_code.endswith(self.code) else actor_code + self.code


@dataclass(frozen=True)
class AgentFile:
    """An agent dictionary read: path, sha256, entries (plurals and substitutions
    expanded), refused lines (lenient reading only)."""

    path: Path
    sha256: str
    entries: tuple[AgentEntry, ...]
    refused: tuple[InputError, ...] = ()


def regular_plural(phrase: str) -> str:
    """PETRARCH's regular plural of the last word: ``Y`` -> ``IES``, ``S`` -> ``SES``, else ``+S``."""
    up = phrase.upper()
    if up.endswith("Y"):
        return phrase[:-1] + ("IES" if phrase[-1].isupper() else "ies")
    if up.endswith("S"):
        return phrase + ("ES" if phrase[-1].isupper() else "es")
    return phrase + ("S" if phrase[-1:].isupper() else "s")


def read_agents(path: Path | str, *, lenient: bool = False) -> AgentFile:
    """Read one agent dictionary.

    Parameters
    ----------
    path : the ``.agents.txt`` file.
    lenient : list malformed lines in :attr:`AgentFile.refused` instead of raising.

    Returns
    -------
    AgentFile

    Raises
    ------
    dyadwatch.errors.InputError
        With file, line and reason: no ``[CODE]``, a code without ``~`` (or with
        other characters), ``{`` without ``}``, an undefined ``!MARKER!``, a
        phrase with no words; and unreadable / binary / non-UTF-8 files.
    """
    path = Path(path)
    doc = read_lines(path, semicolon=True)
    markers: dict[str, list[str]] = {}
    entries: list[AgentEntry] = []
    refused: list[InputError] = []
    for line in doc.lines:
        text = line.text.strip()
        try:
            m = _MARKER_DEF.match(text)
            if m and "[" not in text:
                items = [x.strip() for x in m.group(2).split(",") if x.strip()]
                if not items:
                    raise InputError(f"substitution marker !{m.group(1)}! has no members", path=path,
                                     line=line.number)
                markers[m.group(1)] = items
                continue
            entries.extend(_entry(text, line.number, path, markers))
        except InputError as exc:
            if not lenient:
                raise
            refused.append(exc)
    return AgentFile(path, doc.sha256, tuple(entries), tuple(refused))


def _entry(text: str, number: int, path: Path, markers: dict[str, list[str]]) -> list[AgentEntry]:
    if "[" not in text or "]" not in text:
        raise InputError("agent line has no [CODE]", path=path, line=number,
                         hint="write PHRASE [~GOV] (role after the actor) or PHRASE [NGO~] (before)")
    head, _, rest = text.partition("[")
    code, _, tail = rest.partition("]")
    code = code.replace(" ", "")
    if tail.strip():
        raise InputError(f"text after the code: {tail.strip()[:40]!r}", path=path, line=number)
    if not _AGENT_CODE.fullmatch(code):
        raise InputError(f"agent code {code!r} is not ~ROLE or ROLE~ (letters and digits)", path=path, line=number)
    prefix = code.endswith("~")
    role = code.strip("~")
    plural: str | None = None
    if "{" in head:
        if "}" not in head:
            raise InputError("'{' without '}'", path=path, line=number)
        phrase_raw, _, more = head.partition("{")
        plural_raw, _, after = more.partition("}")
        if after.strip():
            raise InputError(f"text after the plural: {after.strip()[:40]!r}", path=path, line=number)
        plural = phrase_text(plural_raw)
    else:
        phrase_raw = head
    if "}" in phrase_raw:
        raise InputError("'}' without '{'", path=path, line=number)
    forms: list[str]
    used = _MARKER_USE.findall(phrase_raw)
    if used:
        missing = [u for u in used if u not in markers]
        if missing:
            raise InputError(f"substitution marker !{missing[0]}! is not defined (define it first: "
                             f"!{missing[0]}! = A, B)", path=path, line=number)
        forms = [phrase_raw]
        for name in dict.fromkeys(used):
            forms = [f.replace(f"!{name}!", member) for f in forms for member in markers[name]]
        forms = [phrase_text(f) for f in forms]
    else:
        phrase = phrase_text(phrase_raw)
        if not any(ch.isalnum() for ch in phrase):
            raise InputError(f"agent phrase {phrase_raw.strip()!r} has no words", path=path, line=number)
        forms = [phrase]
        if plural is None:
            forms.append(regular_plural(phrase))
        elif plural:
            forms.append(plural)
    return [AgentEntry(f, role, prefix, number) for f in dict.fromkeys(forms) if any(ch.isalnum() for ch in f)]
