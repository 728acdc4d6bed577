"""Load a set of TABARI/PETRARCH dictionaries from files and directories.

The kind of a file is told by its name, as the publishers name them:
``*actors*`` (actor dictionary), ``*agents*``, ``*discards*``, ``*verbs*`` or
``CAMEO*`` (verb dictionary); other files in a directory (``provenance.csv``,
README, issue lists) are not dictionaries and are passed over, a file named
explicitly that is none of these is refused.

Strictness: every file is read strictly (a malformed line is an
:class:`~dyadwatch.errors.InputError` naming file, line and reason), except a
file whose sha256 is one of ``trusted`` — the publisher's files registered in
``acquire/datasets.yaml`` with their checksums, whose few known defects
(a seven-digit date, a bare date with no ``<``/``>``/``-``, an event code
``176`` that CAMEO 1.1b3 does not have ...) cannot be
fixed without changing the file.  Such a file is read leniently: the bad lines
are left out and listed in :attr:`DictionarySet.refused`, so the coder's
summary can name them.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Container, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.coding.dictionaries.actors import ActorFile, read_actors
from dyadwatch.coding.dictionaries.agents import AgentFile, read_agents
from dyadwatch.coding.dictionaries.discards import DiscardFile, read_discards
from dyadwatch.coding.dictionaries.verbs import VerbDictionary, read_verbs
from dyadwatch.errors import InputError

KINDS = ("actors", "agents", "discards", "verbs")


def kind_of(path: Path) -> str | None:
    """The dictionary kind a file name announces, or None."""
    name = path.name.lower()
    if not name.endswith(".txt"):
        return None
    for kind in ("actors", "agents", "discards", "verbs"):
        if kind in name:
            return kind
    if name.startswith("cameo"):
        return "verbs"
    return None


@dataclass
class DictionarySet:
    """Dictionaries read from files: actor, agent, discard and verb files, in load order."""

    actors: list[ActorFile] = field(default_factory=list)
    agents: list[AgentFile] = field(default_factory=list)
    discards: list[DiscardFile] = field(default_factory=list)
    verbs: list[VerbDictionary] = field(default_factory=list)

    @property
    def files(self) -> list:
        return [*self.actors, *self.agents, *self.discards, *self.verbs]

    @property
    def refused(self) -> list[InputError]:
        """Lines left out of trusted publisher files (empty for strictly read files)."""
        return [r for f in self.files for r in f.refused]

    def __bool__(self) -> bool:
        return bool(self.files)

    def summary(self) -> list[dict]:
        """One row per file: ``file``, ``kind``, ``entries`` (actor entries, agent
        phrases, discard phrases, or verbs), ``phrases``/``patterns`` where they
        apply, ``refused`` (lines left out), ``sha256``."""
        rows = []
        for f in self.actors:
            rows.append({"file": str(f.path), "kind": "actors", "entries": len(f.entries),
                         "phrases": f.phrase_count, "refused": len(f.refused), "sha256": f.sha256})
        for f in self.agents:
            rows.append({"file": str(f.path), "kind": "agents", "entries": len(f.entries),
                         "phrases": len(f.entries), "refused": len(f.refused), "sha256": f.sha256})
        for f in self.discards:
            rows.append({"file": str(f.path), "kind": "discards", "entries": len(f.entries),
                         "phrases": len(f.entries), "refused": len(f.refused), "sha256": f.sha256})
        for f in self.verbs:
            rows.append({"file": str(f.path), "kind": "verbs", "entries": f.verb_count,
                         "patterns": f.pattern_count, "refused": len(f.refused), "sha256": f.sha256})
        return rows

    def describe(self) -> str:
        """One line: ``Phoenix.Countries.actors.txt (18,352 actors), ... ; 13 lines refused``."""
        parts = []
        for row in self.summary():
            name = Path(row["file"]).name
            what = {"actors": "actors", "agents": "agent phrases", "discards": "discards",
                    "verbs": "verbs"}[row["kind"]]
            extra = f", {row['patterns']:,} patterns" if "patterns" in row else ""
            parts.append(f"{name} ({row['entries']:,} {what}{extra})")
        text = ", ".join(parts)
        n = len(self.refused)
        if n:
            text += f"; {n} malformed publisher lines left out (first: {self.refused[0].one_line()})"
        return text


def signature(paths: Iterable[str | Path]) -> tuple:
    """(file, size, modification time) of every dictionary file under ``paths``: a cache key
    that changes when a file is edited, added or removed (missing paths count as themselves)."""
    out = []
    for p in paths:
        p = Path(p)
        files = sorted(f for f in p.iterdir() if f.is_file() and kind_of(f)) if p.is_dir() else [p]
        for f in files:
            try:
                st = f.stat()
                out.append((str(f.resolve()), st.st_size, st.st_mtime_ns))
            except OSError:
                out.append((str(f), -1, -1))
    return tuple(out)


def sha256_of(path: Path) -> str:
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError as exc:
        raise InputError(f"cannot read dictionary file: {exc.strerror or exc}", path=path) from None


#: bump when a reader's output changes: cached reads of older versions are ignored
CACHE_VERSION = 1


def cache_dir() -> Path:
    """Where parsed dictionary files are cached: ``$DYADWATCH_CACHE``, else
    ``$XDG_CACHE_HOME/dyadwatch``, else ``~/.cache/dyadwatch`` (``/dictionaries`` below it)."""
    root = os.environ.get("DYADWATCH_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "dyadwatch")
    return Path(root) / "dictionaries"


def _codes_digest(event_codes: Container[str] | None) -> str:
    if event_codes is None:
        return "any"
    try:
        return hashlib.sha256("\n".join(sorted(event_codes)).encode()).hexdigest()[:12]  # type: ignore[arg-type]
    except TypeError:  # a container that cannot be listed: not cached
        return ""


def read_file(path: Path, kind: str, *, event_codes: Container[str] | None = None,
              trusted: Container[str] = ()):
    """Read one dictionary file of ``kind`` (strictly, or leniently when its sha256 is
    trusted), through the cache of parsed files (:func:`cache_dir`; keyed by the file's
    path and sha256, the reader version and the codebook; a cache that cannot be read
    or written is passed over)."""
    path = Path(path)
    digest = _codes_digest(event_codes)
    cached = None
    if digest:
        sha = sha256_of(path)
        name = hashlib.sha256(f"{path.resolve()}|{sha}|{kind}|{digest}|{CACHE_VERSION}".encode()).hexdigest()
        cached = cache_dir() / f"{kind}-{name[:32]}.pickle"
        try:
            with open(cached, "rb") as fh:
                return pickle.load(fh)  # noqa: S301 - written by this function into the user's own cache
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
    result = _read_file(path, kind, event_codes=event_codes, trusted=trusted)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            part = cached.with_name(cached.name + f".{os.getpid()}.part")
            with open(part, "wb") as fh:
                pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(part, cached)
        except OSError:
            pass
    return result


def _read_file(path: Path, kind: str, *, event_codes: Container[str] | None, trusted: Container[str]):
    readers = {"actors": read_actors, "agents": read_agents, "discards": read_discards}
    try:
        if kind == "verbs":
            return read_verbs(path, event_codes=event_codes)
        return readers[kind](path)
    except InputError:
        if sha256_of(path) not in trusted:
            raise
    if kind == "verbs":
        return read_verbs(path, event_codes=event_codes, lenient=True)
    return readers[kind](path, lenient=True)


def load_dictionaries(paths: Iterable[Path | str], *, event_codes: Container[str] | None = None,
                      trusted: Container[str] = (), kinds: Container[str] = KINDS) -> DictionarySet:
    """Read dictionary files and the dictionary files of directories.

    Parameters
    ----------
    paths : files and directories (a directory's ``*.txt`` files whose names
        announce a kind are read, sorted by name).
    event_codes : the codebook verb-dictionary codes must belong to (None: any code).
    trusted : sha256 values of publisher files read leniently (see the module docstring).
    kinds : the kinds to read (others are passed over).

    Returns
    -------
    DictionarySet

    Raises
    ------
    dyadwatch.errors.InputError
        A path that does not exist, a file named explicitly whose kind its name
        does not tell, a directory with no dictionary file, or any error of the readers.
    """
    out = DictionarySet()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.is_file() and kind_of(f))
            if not files:
                raise InputError("directory holds no dictionary file (*actors*.txt, *agents*.txt, "
                                 "*discards*.txt, *verbs*.txt or CAMEO*.txt)", path=p)
        elif p.exists():
            if kind_of(p) is None:
                raise InputError("cannot tell the kind of dictionary from the file name", path=p,
                                 hint="name it *.actors.txt, *.agents.txt, *.discards.txt or *.verbs.txt")
            files = [p]
        else:
            raise InputError("dictionary file or directory not found", path=p)
        for f in files:
            kind = kind_of(f)
            if kind not in kinds:
                continue
            getattr(out, kind).append(read_file(f, kind, event_codes=event_codes, trusted=trusted))
    return out


#: registry names of the publisher dictionaries (``dyadwatch fetch NAME``)
REGISTERED = ("petrarch-dictionaries", "petrarch-validation-dictionaries")


def registered_checksums() -> frozenset[str]:
    """sha256 of every publisher dictionary file in the registry (``acquire/datasets.yaml``):
    the files read leniently (see the module docstring)."""
    from dyadwatch.acquire import registry

    out = set()
    for name in REGISTERED:
        for f in registry.get(name).source.get("files", []):
            if f.get("sha256"):
                out.add(f["sha256"])
    return frozenset(out)


def fetched_dir(data_dir: str | Path | None = None, name: str = "petrarch-dictionaries") -> Path | None:
    """Where ``dyadwatch fetch NAME`` put the dictionaries (``$DYADWATCH_DATA/NAME``, default data
    directory of :func:`dyadwatch.acquire.fetch.resolve_dest`), or None when no dictionary file is there."""
    from dyadwatch.acquire.fetch import resolve_dest

    d = resolve_dest(data_dir) / name
    if d.is_dir() and any(kind_of(f) for f in d.iterdir() if f.is_file()):
        return d
    return None


def for_coder(extra: Iterable[str | Path] = (), *, fetched: bool = True,
              data_dir: str | Path | None = None) -> DictionarySet:
    """The dictionaries the CAMEO coder uses: the fetched publisher set (``dyadwatch fetch
    petrarch-dictionaries``, found in the data directory) when ``fetched``, then ``extra``
    files/directories (``dyadwatch code --dictionaries DIR``).  Verb codes must be CAMEO
    codes; publisher files whose checksum is registered are read leniently."""
    from dyadwatch.codebooks.cameo import CAMEO

    paths: list[str | Path] = []
    if fetched:
        d = fetched_dir(data_dir)
        if d is not None:
            paths.append(d)
    paths.extend(extra)
    if not paths:
        return DictionarySet()
    return load_dictionaries(paths, event_codes=CAMEO, trusted=registered_checksums())


#: what fetching the publisher dictionaries adds, said once when they are absent
NOT_FETCHED_NOTE = ("the PETRARCH/Phoenix dictionaries are not fetched: `dyadwatch fetch petrarch-dictionaries` "
                    "adds about 27,000 actor entries (leaders and officials since 1950 with dated codes, IGOs, "
                    "armed groups), 5,100 agent phrases and 4,600 CAMEO verb patterns to the built-in "
                    "dictionaries")


def describe_line(dset: DictionarySet | None) -> str:
    """One line on the TABARI/PETRARCH dictionaries a coder uses besides the built-in ones (files
    and entry counts: :meth:`DictionarySet.describe`), or, when it uses none, what fetching them
    adds (:data:`NOT_FETCHED_NOTE`) — printed by ``dyadwatch code`` and ``dyadwatch evaluate``."""
    if not dset:
        return "note: " + NOT_FETCHED_NOTE
    return "dictionaries: built-in + " + dset.describe()
