"""The main job: load the real data a mirror holds and write the Iran–Russia report.

This is what ``make demo`` / ``dyadwatch demo`` runs on a fresh machine:

1. every file under the mirror directory (default ``../shared/data``) that a
   registered reader recognises is ingested (one batch each; files already
   stored are skipped, so re-running is cheap); files no reader recognises
   are listed, not guessed at;
2. the flagship paper (``<mirror>/../seed/*.txt``), when present and the event
   coder is installed, is coded into events (dataset ``text``);
3. the Iran–Russia report is written as one self-contained HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dyadwatch.errors import DyadwatchError, InputError


@dataclass
class DemoResult:
    """What the demo did: batch summaries, skipped files, report path, notes."""

    summaries: list = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    report: Path | None = None
    notes: list[str] = field(default_factory=list)


def find_ingestible(mirror: Path) -> tuple[list[tuple[Path, str]], list[tuple[str, str]]]:
    """Files under ``mirror`` with the reader that recognises each.

    Returns ``(found, skipped)``: ``found`` as (path, format name), ``skipped``
    as (path, reason), both sorted by path.
    """
    from dyadwatch.sources import formats

    found, skipped = [], []
    for p in sorted(mirror.rglob("*")):
        if not p.is_file() or p.name.startswith(".") or p.suffix.lower() in (".md",):
            continue
        try:
            found.append((p, formats.detect(p).name))
        except DyadwatchError as exc:
            skipped.append((str(p), exc.reason))
    return found, skipped


def run_demo(mirror: Path, db: Path | str | None, out: Path, *, a: str = "IRN", b: str = "RUS",
             claims: Path | None = None, on_step: Callable[[str], None] | None = None) -> DemoResult:
    """Ingest the mirror's data, code the seed paper, write the ``a``–``b`` report.

    ``claims`` (a claims JSONL, see :mod:`dyadwatch.analysis.claims`) adds a
    "Claims" section to the report.

    Raises
    ------
    InputError
        If ``mirror`` is not a directory or holds no data file a reader
        recognises, or ``claims`` is not a valid claims file.
    UsageError
        Unknown actor ``a`` or ``b`` (checked before anything is ingested).
    """
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.claims import read_claims
    from dyadwatch.api import Dyadwatch

    mirror = Path(mirror)
    if not mirror.is_dir():
        raise InputError("mirror directory not found", path=mirror, hint="give --mirror DIR")
    resolve_actor(a), resolve_actor(b)  # fail in a second, not after the ingest
    if claims is not None:
        read_claims(claims)
    say = on_step or (lambda _m: None)
    res = DemoResult()
    found, res.skipped = find_ingestible(mirror)
    if not found:
        raise InputError("mirror holds no data file a reader recognises", path=mirror,
                         hint="give --mirror DIR with the data sets, e.g. ../shared/data")
    dw = Dyadwatch(db)
    try:
        for path, fmt in found:
            say(f"ingest {path.relative_to(mirror)} ({fmt})")
            res.summaries += dw.ingest([path], format=fmt)
        seed = mirror.parent / "seed"
        papers = sorted(seed.glob("*.txt")) if seed.is_dir() else []
        for paper in papers:
            try:
                from dyadwatch.coding.pipeline import code_file_into_store  # noqa: F401
            except ImportError:
                res.notes.append("event coder not installed: the seed paper was not coded")
                break
            say(f"code {paper.name}")
            res.summaries += _code_paper(dw, paper)
        say(f"report {a}-{b}")
        res.report = _write_report(dw, a, b, out, res, claims)
    finally:
        dw.close()
    return res


def _code_paper(dw, paper: Path) -> list:
    """Code the seed paper into the store (dataset ``text``)."""
    from dyadwatch.coding.pipeline import code_file_into_store

    return code_file_into_store(dw.con, paper)


def _write_report(dw, a: str, b: str, out: Path, res: DemoResult, claims: Path | None) -> Path | None:
    try:
        from dyadwatch.report import build_report
    except ImportError:
        res.notes.append("report package not installed: no report written")
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    return build_report(dw, a, b, out=out, claims=claims)
