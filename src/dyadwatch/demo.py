"""The main job: load the real data a mirror holds and write the Iran–Russia report.

This is what ``make demo`` / ``dyadwatch demo`` runs on a fresh machine:

1. every file under the mirror directory (default ``../shared/data``) that a
   registered reader recognises is ingested (one batch each; files already
   stored are skipped, so re-running is cheap); files no reader recognises
   are listed, not guessed at;
2. the event-class model is trained on the gold event files of
   ``<mirror>/text`` (:func:`find_gold`) into ``$DYADWATCH_DATA/models/event-classes``
   (:func:`dyadwatch.coding.training.train_files`), where ``dyadwatch code`` finds it;
3. the flagship paper (``<mirror>/../seed/*.txt``), when present, is coded
   into events (dataset ``text``) with document date :data:`SEED_DATE`;
4. the Iran–Russia report is written as one self-contained HTML page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dyadwatch.errors import DyadwatchError, InputError

#: document date of the seed paper: it cites itself as IJPS vol. 6 no. 2
#: (2020) and its latest source is dated 16 October 2019. The date only
#: anchors relative expressions and open terms of office; the paper's events
#: carry explicit dates.
SEED_DATE = "2020-01-01"


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


def find_gold(mirror: Path) -> list[Path]:
    """Gold event files (PLV TSV, PLOVER gold JSONL) in ``mirror/text``, sorted; other files are left out."""
    from dyadwatch.coding.gold import detect_layout

    text = Path(mirror) / "text"
    out = []
    for p in sorted(text.glob("*")) if text.is_dir() else []:
        if not p.is_file() or p.suffix.lower() not in (".tsv", ".jsonl"):
            continue
        try:
            with p.open("rb") as fh:
                if detect_layout(p, fh.read(65536)) in ("plv", "gsr"):
                    out.append(p)
        except (DyadwatchError, OSError):
            continue
    return out


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
    if db is not None:  # the demo owns its output folder: create the store's directory
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    dw = Dyadwatch(db)
    try:
        for path, fmt in found:
            say(f"ingest {path.relative_to(mirror)} ({fmt})")
            res.summaries += dw.ingest([path], format=fmt)
        gold = find_gold(mirror)
        if gold:
            from dyadwatch.coding.training import train_files

            say(f"train the event-class model on {', '.join(p.name for p in gold)}")
            model, where = train_files(gold)
            res.notes.append(f"event-class model trained on {model.meta['trained_on']['records']} gold records, "
                             f"written to {where} (`dyadwatch code` uses it)")
        seed = mirror.parent / "seed"
        papers = sorted(seed.glob("*.txt")) if seed.is_dir() else []
        if papers:
            _fetch_dictionaries(mirror, res, say)
        for paper in papers:
            say(f"code {paper.name} (spaCy)")
            res.summaries += _code_paper(dw, paper, out.parent / f"{paper.stem}.events.jsonl")
        if _has_votes(dw.con):
            say("estimate UN ideal points (Bailey, Strezhnev & Voeten 2017; about a minute)")
            dw.idealpoints(states=[a])  # fits once and stores them for align, partners and the report
        say(f"report {a}-{b}")
        res.report = _write_report(dw, a, b, out, res, claims)
    finally:
        dw.close()
    return res


def _has_votes(con) -> bool:
    import duckdb

    try:
        return bool(con.execute("SELECT EXISTS (SELECT 1 FROM un_votes)").fetchall()[0][0])
    except duckdb.CatalogException:
        return False


def _fetch_dictionaries(mirror: Path, res: DemoResult, say: Callable[[str], None]) -> None:
    """``dyadwatch fetch petrarch-dictionaries --mirror MIRROR`` into the data directory
    (checksummed copy), so that the paper is coded with them; a mirror without them
    leaves a note and the built-in dictionaries alone."""
    from dyadwatch.acquire.fetch import fetch
    from dyadwatch.errors import DyadwatchError

    say("fetch petrarch-dictionaries (from the mirror)")
    try:
        fetch("petrarch-dictionaries", mirror=mirror)
    except DyadwatchError as exc:
        res.notes.append(f"PETRARCH dictionaries not fetched, the paper is coded with the built-in ones: "
                         f"{exc.one_line()}")


def _code_paper(dw, paper: Path, jsonl: Path) -> list:
    """Code the seed paper into the store (dataset ``text``); returns its batch summary.

    Only events whose sentence carries its own date expression (explicit or
    relative, ``spans["date"]``) are stored: the paper is analysis, and its
    undated sentences ("Russia aims to create ...") are arguments, not
    events of the document date.
    """
    from dyadwatch.coding.coder import code_documents
    from dyadwatch.coding.documents import read_documents
    from dyadwatch.coding.output import ingest_events, write_events

    docs, screening = read_documents(paper, SEED_DATE)
    events, _report = code_documents(docs, screening=screening)
    dated = [e for e in events if (e.get("spans") or {}).get("date") is not None]
    if not dated:
        return []
    jsonl.parent.mkdir(parents=True, exist_ok=True)
    with jsonl.open("w", encoding="utf-8") as fh:
        write_events(dated, fh, "jsonl")
    summary = ingest_events(dw.con, dated, jsonl_path=jsonl)
    _register_paper(dw.con, paper, {e.get("doc_id") for e in dated if e.get("doc_id")})
    return [summary]


def _register_paper(con, paper: Path, doc_ids: set) -> None:
    """A ``documents`` row for the coded paper (title = its first non-empty line), so the report
    cites it by its title instead of its ``doc_id``; an existing row is left as it is."""
    import datetime as dt

    title = None
    with paper.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            if line.strip():
                title = " ".join(line.strip().strip("#*").split())[:300]
                break
    for doc_id in sorted(doc_ids):
        con.execute("INSERT INTO documents (doc_id, url, title, published) SELECT ?, NULL, ?, ? "
                    "WHERE NOT EXISTS (SELECT 1 FROM documents WHERE doc_id = ?)",
                    [doc_id, title, dt.datetime.fromisoformat(SEED_DATE), doc_id])


def _write_report(dw, a: str, b: str, out: Path, res: DemoResult, claims: Path | None) -> Path | None:
    try:
        from dyadwatch.report import build_report
    except ImportError:
        res.notes.append("report package not installed: no report written")
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    return build_report(dw, a, b, out=out, claims=claims)
