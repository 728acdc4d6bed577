"""`dyadwatch fetch`, `dyadwatch cite`, `dyadwatch collect`: get data from its publishers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import List, Optional

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import check_format, emit_rows, err, open_api
from dyadwatch.errors import UsageError


def _date(value: str | None, flag: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} {value!r} is not a date; expected YYYY-MM-DD") from None


class _Bars:
    """Rich progress bars fed by the library's ProgressEvent callback."""

    def __init__(self, progress: Progress):
        self.p = progress
        self.tasks: dict[str, int] = {}

    def __call__(self, ev) -> None:
        if ev.kind == "start":
            tid = self.tasks.get(ev.name)
            if tid is None:
                self.tasks[ev.name] = self.p.add_task(ev.name, total=ev.total, completed=ev.advance)
        elif ev.kind == "advance" and ev.name in self.tasks:
            self.p.update(self.tasks[ev.name], advance=ev.advance)
        elif ev.kind == "retry":
            self.p.console.print(f"[yellow]{ev.name}: {ev.message}[/]", markup=True, highlight=False)
        elif ev.kind == "done":
            tid = self.tasks.pop(ev.name, None)
            if tid is not None:
                self.p.remove_task(tid)


def _bars() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                    TimeRemainingColumn(), console=err, transient=True)


@app.command()
def fetch(
    dataset: str = typer.Argument(..., help="Registry name: gdelt1, gdelt2, icews, polecat, unvotes, atop, "
                                            "ucdp-acd, ucdp-ged, cow-states, gw-states, unsc-vetoes, "
                                            "icews-names, icews-dyad-year."),
    date_from: Optional[str] = typer.Option(None, "--from", help="First day YYYY-MM-DD (per-day data: GDELT)."),
    date_to: Optional[str] = typer.Option(None, "--to", help="Last day YYYY-MM-DD, inclusive."),
    mirror: Optional[Path] = typer.Option(None, "--mirror", help="Offline mirror directory (e.g. ../shared/data) "
                                                                 "used instead of the network."),
    dest: Optional[Path] = typer.Option(None, "--dest", help="Where files go (default $DYADWATCH_DATA, "
                                                             "else ./dyadwatch-data)."),
    ingest: bool = typer.Option(False, "--ingest", help="Load the verified files into the store."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    retries: int = typer.Option(5, "--retries", min=0, help="Further attempts after a failed request."),
    timeout: float = typer.Option(60.0, "--timeout", min=0.1, help="Seconds to wait for data before retrying."),
    concurrency: int = typer.Option(4, "--concurrency", min=1, help="Files downloaded at once."),
    max_size: float = typer.Option(10_000, "--max-size", min=0.001,
                                   help="Largest file in MB (10^6 bytes) accepted when the publisher lists no "
                                        "size; a listed size is itself the cap."),
    output: str = typer.Option("table", "--output", "-o", help="Summary as table, csv or json."),
) -> None:
    """Download a data set from its publisher (or copy it from a mirror), verify it, optionally ingest it.

    Downloads resume where they stopped, are checked against the publisher's
    checksums (else their sha256 is recorded) and are skipped when already
    present and verified.
    """
    from dyadwatch.acquire.download import FetchOptions
    from dyadwatch.acquire.fetch import fetch as fetch_dataset

    check_format(output)
    start, end = _date(date_from, "--from"), _date(date_to, "--to")
    options = FetchOptions(retries=retries, read_timeout=timeout, concurrency=concurrency,
                           max_bytes=int(max_size * 1_000_000))
    with _bars() as bar:  # the store is opened only after every file is verified
        result = fetch_dataset(dataset, dest=dest, mirror=mirror, start=start, end=end, options=options,
                               progress=_Bars(bar), open_store=(lambda: open_api(db)) if ingest else None)
    cols = ["file", "action", "bytes", "verified_by", "batch", "rows_stored"] if output == "table" else None
    emit_rows(result.as_rows(), output, title=f"fetch {dataset} ({result.origin}) into {result.dest}", columns=cols)


#: output formats of `dyadwatch cite`
CITE_FORMATS = ("table", "text", "bibtex", "json", "csv")


@app.command()
def cite(
    dataset: Optional[str] = typer.Argument(None, help="One registry name (default: every data set the store holds)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    format: str = typer.Option("table", "--format", help="table, text (one reference a paragraph), bibtex, json or csv."),
    output: Optional[str] = typer.Option(None, "--output", "-o", help="Same as --format (kept for scripts)."),
) -> None:
    """Print the citations (publisher, version, licence, checksums) of the data the store holds."""
    import json
    import sys

    from dyadwatch.acquire.citations import bibtex

    fmt = check_format(output or format, CITE_FORMATS)
    if dataset is not None and not _store_exists(db):  # a data set used from files: the registry's citation
        from dyadwatch.acquire.fetch import cite as cite_rows

        rows = cite_rows(None, dataset)
    else:
        with open_api(db, read_only=True) as api:
            rows = api.cite(dataset)
    if not rows:
        err.print("the store holds no data set of the registry yet (see `dyadwatch fetch --help`)")
        return
    if fmt == "text":
        sys.stdout.write("\n\n".join(f"{r['cite_as']}: {r['citation']} Version {r['version']}; "
                                       f"licence: {r['licence']}." for r in rows) + "\n")
    elif fmt == "bibtex":
        sys.stdout.write("\n\n".join(bibtex(r["dataset"]) for r in rows) + "\n")
    elif fmt == "json":
        sys.stdout.write(json.dumps([{**r, "bibtex": bibtex(r["dataset"])} for r in rows], indent=1,
                                    ensure_ascii=False) + "\n")
    else:
        emit_rows(rows, fmt, title="citations",
                  columns=["dataset", "cite_as", "citation", "publisher", "version", "licence", "files", "checksums"])


@app.command()
def collect(
    sources: List[str] = typer.Argument(..., help="RSS/Atom feed URLs and/or article URLs."),
    since: Optional[str] = typer.Option(None, "--since", help="Keep items published on or after YYYY-MM-DD."),
    rate_limit: float = typer.Option(2.0, "--rate-limit", min=0.0, help="Seconds between requests to one host."),
    max_size: float = typer.Option(16.0, "--max-size", min=0.001, help="Largest feed or page read, in MB "
                                                                       "(10^6 bytes, decoded)."),
    deadline: float = typer.Option(60.0, "--deadline", min=0.1, help="Seconds for one page, with its redirects "
                                                                     "and retries (rate-limit waits excluded)."),
    allow_private: bool = typer.Option(False, "--allow-private",
                                       help="Also fetch from loopback, private and link-local addresses (a local "
                                            "test server, an intranet); refused by default, after DNS resolution."),
    code: bool = typer.Option(False, "--code", help="Code the new articles into events and store them (dataset text)."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    output: str = typer.Option("table", "--output", "-o", help="Summary as table, csv or json."),
) -> None:
    """Collect news articles (main text) from feeds and pages into the store, once each.

    robots.txt and the rate limit are respected for every URL and redirect
    hop; the same article reached twice (two feeds, a redirect, or a
    tracking parameter in its URL) is stored once. The store is opened only
    to look up and write each chunk of articles, not while pages are fetched.
    """
    from dyadwatch.acquire.collect import CollectOptions, collect as collect_news

    check_format(output)
    options = CollectOptions(rate_limit=rate_limit, max_bytes=int(max_size * 1_000_000), deadline=deadline,
                             allow_private=allow_private)
    summary = collect_news(None, sources, since=_date(since, "--since"), options=options, code=code,
                           open_store=lambda: open_api(db))
    emit_rows([summary.as_dict()], output, title="collect")
    for src, item, reason in summary.problems:
        err.print(f"{src} {item}: {reason}".replace("  ", " "), markup=False)
    if summary.problems_not_listed:
        err.print(f"... and {summary.problems_not_listed} more problems", markup=False)
    if summary.coded is not None:
        err.print(f"coded {summary.coded} events from {summary.stored} new articles", markup=False)


def _store_exists(db: str | None) -> bool:
    from dyadwatch.store.db import resolve_path

    return resolve_path(db).exists()
