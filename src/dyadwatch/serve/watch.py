"""``dyadwatch watch``: keep a watchlist up to date, one cycle at a time.

A cycle (:func:`run_cycle`):

1. **collect** the configured feeds and pages (:class:`dyadwatch.acquire.collect.Collector`:
   robots.txt, per-host rate limits, size caps, deadlines, redirect checks,
   chunks of documents written in short transactions);
2. **code** every stored document the watch has not coded yet (also those a
   killed cycle left), in chunks: read with the store closed to writers,
   code, store the events (one batch), mark the documents coded;
3. **datasets**: the newest GDELT 2.0 15-minute export (``lastupdate.txt``,
   MD5- and size-checked) and, when due, the other configured data sets
   (:func:`dyadwatch.acquire.fetch.fetch`), each file one batch;
4. **analyse** each watched dyad (read only): its state
   (:func:`dyadwatch.serve.state.dyad_state`) and alerts
   (:func:`dyadwatch.serve.alerts.dyad_alerts`), stored per dyad in one
   short transaction; then its page's heavy parts (series, change points
   with their events, figures, the report's content:
   :mod:`dyadwatch.serve.pages`), recomputed only when the store's data
   changed since they were stored, and stored in one more short write.

Stopping: a stop requested while a cycle runs (``stop`` set: ``serve --watch``
shutting down) ends it at the next boundary — between sources, chunks of
documents, data sets and dyads, and between the parts of a dyad's page,
whose running query is interrupted (:func:`step_pages`) — with status
``interrupted``; what was done is stored, a page not finished is not, and
the next cycle does the rest (the dyads not analysed, their pages; pages
already current are not recomputed).

Crash safety: every write is one short transaction of something keyed
(documents by URL and text, events by ``event_id``, files by sha256,
alerts by their id, ``watch_coded`` by document), so a cycle killed at any
point leaves complete rows only, and the next cycle redoes what is missing
and adds nothing twice. A cycle that finds an earlier one still marked
``running`` marks it ``interrupted``.

Memory: between cycles the process keeps its configuration, the
collector's bounded caches (robots.txt and rate clocks of at most
``max_hosts`` hosts) and the coder's loaded model; a cycle's documents are
handled in chunks (:data:`CODE_CHUNK`) and dropped after it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from dyadwatch.errors import DyadwatchError
from dyadwatch.serve.access import writer_session
from dyadwatch.serve.config import LIVE_DATASETS, DatasetWatch, WatchConfig

#: documents coded per chunk (one events batch, one write)
CODE_CHUNK = 25
#: GDELT 2.0 publishes one export every 15 minutes
GDELT_STEP = dt.timedelta(minutes=15)

Log = Callable[[str, str], None]


def _stopping(stop: threading.Event | None) -> bool:
    """True when a stop was requested (the step ends at this boundary)."""
    return stop is not None and stop.is_set()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


class WatchStore:
    """The watch's sessions on the store: short writes (announced, see :mod:`dyadwatch.serve.access`)
    and reads — read-only when another process may serve the store (``shared=False``), or on the
    server's own in-process instance (``shared=True``, ``dyadwatch serve --watch``)."""

    def __init__(self, path: str | Path, *, shared: bool = False):
        self.path = Path(path)
        self.shared = shared

    def write(self):
        """A writing session (context manager yielding a :class:`dyadwatch.api.Dyadwatch`)."""
        return writer_session(self.path, announce=not self.shared)

    def read(self):
        """A reading session (context manager yielding a :class:`dyadwatch.api.Dyadwatch`)."""
        from dyadwatch.api import Dyadwatch

        return Dyadwatch(self.path, read_only=not self.shared)


@dataclass
class CycleSummary:
    """What one cycle did (all counts of this cycle)."""

    cycle_id: int | None = None
    seconds: float = 0.0
    resumed: int = 0                      # earlier cycles found interrupted
    documents: int = 0                    # new documents stored
    duplicates: int = 0                   # items already stored (URL or text)
    failed: int = 0                       # items that could not be used
    coded_documents: int = 0
    events_coded: int = 0
    files: int = 0                        # data-set files ingested
    dataset_events: int = 0
    dyads: int = 0
    pages: int = 0                        # dyad pages precomputed (data changed since the stored ones)
    alerts: int = 0
    alerts_large: int = 0
    problems: list[str] = field(default_factory=list)
    stopped: bool = False                 # a stop ended the cycle early (the next cycle does the rest)

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items()}

    def line(self) -> str:
        """The cycle in one line."""
        return (f"cycle {self.cycle_id} done in {self.seconds:.1f} s: {self.documents} new documents "
                f"({self.duplicates} already stored, {self.failed} failed), {self.events_coded} events coded from "
                f"{self.coded_documents} documents, {self.files} data-set files ({self.dataset_events:,} events), "
                f"{self.dyads} dyads analysed, {self.alerts} new alerts ({self.alerts_large} large), "
                f"{self.pages} dyad pages precomputed"
                + (f"; {len(self.problems)} problems" if self.problems else "")
                + ("; stopped on request (the next cycle does the rest)" if self.stopped else ""))


def begin_cycle(store: WatchStore, log: Log) -> tuple[int, int]:
    """Record a new cycle (status ``running``); earlier cycles still ``running`` become ``interrupted``.
    Returns (cycle_id, number of interrupted cycles found)."""
    import os

    with store.write() as dw:
        con = dw.con
        con.execute("BEGIN TRANSACTION")
        try:
            stale = con.execute("SELECT count(*) FROM watch_cycles WHERE status = 'running'").fetchone()[0]
            con.execute("UPDATE watch_cycles SET status = 'interrupted', reason = 'the process ended mid-cycle; "
                        "the next cycle redid what was missing' WHERE status = 'running'")
            cid = con.execute("SELECT coalesce(max(cycle_id), 0) + 1 FROM watch_cycles").fetchone()[0]
            con.execute("INSERT INTO watch_cycles (cycle_id, started, status, pid) VALUES (?, ?, 'running', ?)",
                        [cid, _now(), os.getpid()])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    if stale:
        log("resume", f"{stale} earlier cycle(s) ended mid-way; redoing what they left")
    return int(cid), int(stale)


def end_cycle(store: WatchStore, summary: CycleSummary, status: str = "done", reason: str | None = None) -> None:
    """Close the cycle's record with its status and summary."""
    with store.write() as dw:
        dw.con.execute("UPDATE watch_cycles SET finished = ?, status = ?, reason = ?, summary = ? WHERE cycle_id = ?",
                       [_now(), status, reason, json.dumps(summary.as_dict(), default=str), summary.cycle_id])


def _source_row(con, source: str, kind: str, status: str, new: int, cycle_id: int) -> None:
    now = _now()
    old = con.execute("SELECT last_new FROM watch_sources WHERE source = ?", [source]).fetchone()
    last_new = now if new else (old[0] if old else None)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("DELETE FROM watch_sources WHERE source = ?", [source])
        con.execute("INSERT INTO watch_sources VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [source, kind, now, last_new, status[:500], new, cycle_id])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


# -- 1. collect ------------------------------------------------------------------------------
def step_collect(cfg: WatchConfig, store: WatchStore, collector, summary: CycleSummary, log: Log,
                 stop: threading.Event | None = None) -> None:
    """Collect the feeds and pages, one source at a time (so each source's freshness is its own);
    a ``stop`` ends the step before the next source."""
    from dyadwatch.errors import FetchError

    if not cfg.sources:
        return
    since = dt.date.today() - dt.timedelta(days=cfg.since_days) if cfg.since_days else None
    items = stored = dup = old = failed = 0
    done = 0
    for src in cfg.sources:
        if _stopping(stop):
            summary.stopped = True
            log("collect", f"stopped on request after {done} of {len(cfg.sources)} sources")
            break
        done += 1
        kind = "feed" if src in cfg.feeds else "page"
        try:
            res = collector.run([src], open_store=store.write, since=since)
        except FetchError as exc:  # the source itself could not be read
            summary.problems.append(exc.one_line())
            failed += 1
            with store.write() as dw:
                _source_row(dw.con, src, kind, f"failed: {exc.reason}", 0, summary.cycle_id)
            continue
        items += res.items
        stored += res.stored
        dup += res.duplicate_url + res.duplicate_text
        old += res.too_old
        failed += res.failed
        for s_, item, reason in res.problems:
            summary.problems.append(f"{s_} {item}: {reason}".strip())
        status = "ok" if not res.problems else f"{len(res.problems)} problem(s), first: {res.problems[0][2]}"
        with store.write() as dw:
            _source_row(dw.con, src, kind, status, res.stored, summary.cycle_id)
    summary.documents += stored
    summary.duplicates += dup
    summary.failed += failed
    log("collect", f"{len(cfg.sources)} sources, {items} items: {stored} new, {dup} already stored, "
                   f"{old} too old, {failed} failed")


# -- 2. code ---------------------------------------------------------------------------------
def uncoded(con, limit: int) -> list[str]:
    """Documents in ``documents`` the watch has not coded (oldest fetched first)."""
    return [r[0] for r in con.execute(
        "SELECT doc_id FROM documents WHERE doc_id NOT IN (SELECT doc_id FROM watch_coded) "
        "ORDER BY fetched_at NULLS FIRST, doc_id LIMIT ?", [limit]).fetchall()]


def step_code(store: WatchStore, summary: CycleSummary, log: Log, *, chunk: int = CODE_CHUNK,
              stop: threading.Event | None = None) -> None:
    """Code every document not coded yet, chunk by chunk (module docstring); a ``stop`` ends the step
    before the next chunk (the documents not coded are coded by the next cycle). A document without
    text (a title-only row, such as the paper ``dyadwatch demo`` codes from its file) has nothing to
    code: it is marked coded with 0 events."""
    from dyadwatch.acquire.collect import _documents
    from dyadwatch.coding.coder import code_documents
    from dyadwatch.coding.output import ingest_events

    while True:
        if _stopping(stop):
            summary.stopped = True
            log("code", f"stopped on request after {summary.coded_documents} documents")
            break
        with store.read() as dw:
            ids = uncoded(dw.con, chunk)
            docs = _documents(dw.con, ids) if ids else []
        if not docs:
            break
        if summary.coded_documents == 0:
            log("code", f"coding documents not coded yet (chunks of {chunk})")
        texts = [d for d in docs if isinstance(d.text, str) and d.text.strip()]
        events = code_documents(texts)[0] if texts else []
        per_doc: dict[str, int] = {}
        for e in events:
            per_doc[e.get("doc_id")] = per_doc.get(e.get("doc_id"), 0) + 1
        with store.write() as dw:
            batch = ingest_events(dw.con, events) if events else None
            now = _now()
            dw.con.execute("BEGIN TRANSACTION")
            try:
                for d in docs:
                    dw.con.execute("INSERT INTO watch_coded SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                                   "(SELECT 1 FROM watch_coded WHERE doc_id = ?)",
                                   [d.doc_id, now, per_doc.get(d.doc_id, 0), batch.batch_id if batch else None,
                                    summary.cycle_id, d.doc_id])
                dw.con.execute("COMMIT")
            except BaseException:
                dw.con.execute("ROLLBACK")
                raise
        summary.coded_documents += len(docs)
        summary.events_coded += batch.rows_stored if batch else 0
        del docs, events
    if summary.coded_documents:
        log("code", f"{summary.coded_documents} documents coded: {summary.events_coded} new events")


# -- 3. data sets ----------------------------------------------------------------------------
def _stamp(url: str, pattern: str) -> dt.datetime | None:
    m = re.search(pattern, url)
    try:
        return dt.datetime.strptime(m.group(1), "%Y%m%d%H%M%S") if m else None
    except ValueError:
        return None


def step_live_dataset(dw_cfg: DatasetWatch, store: WatchStore, summary: CycleSummary, log: Log) -> None:
    """The newest 15-minute file(s) of a GDELT 2.0 list (``lastupdate.txt``) not ingested yet."""
    from dyadwatch.acquire import registry
    from dyadwatch.acquire.download import FetchOptions, download, get_text, make_client
    from dyadwatch.acquire.fetch import ingest_fetched
    from dyadwatch.acquire.plan import parse_masterlist

    ds = registry.get(dw_cfg.name)
    url = dw_cfg.list_url or ds.source["url"].replace("masterfilelist", "lastupdate")
    options = FetchOptions(retries=2, read_timeout=30.0, max_text_bytes=1 << 20)
    with make_client(options) as client:
        text = get_text(client, url, options)
        remotes = parse_masterlist(text, ds.source["pattern"], dt.date.min, dt.date.max)
        with store.read() as dw:
            done = {r[0] for r in dw.con.execute("SELECT url FROM watch_files WHERE dataset = ?", [ds.name]).fetchall()}
            last = dw.con.execute("SELECT max(stamp) FROM watch_files WHERE dataset = ?", [ds.name]).fetchone()[0]
        new = [r for r in remotes if r.url not in done]
        for r in new:
            stamp = _stamp(r.url, ds.source["pattern"])
            if last and stamp and stamp - last > GDELT_STEP:
                log(ds.name, f"{int((stamp - last) / GDELT_STEP) - 1} files between {last:%Y-%m-%d %H:%M} and "
                             f"{stamp:%Y-%m-%d %H:%M} UTC were not seen (the watch was not running); fetch them with "
                             f"`dyadwatch fetch {ds.name} --from {last:%Y-%m-%d} --to {stamp:%Y-%m-%d} --ingest`")
            d = download(client, r, Path(dw_cfg.dest) / ds.name / r.filename, options)
            with store.write() as dw:
                batch = ingest_fetched(dw.con, ds, [d], "network")[0]
                dw.con.execute("INSERT INTO watch_files SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                               "(SELECT 1 FROM watch_files WHERE dataset = ? AND url = ?)",
                               [ds.name, r.url, r.md5, stamp, batch.batch_id, batch.rows_stored, _now(),
                                summary.cycle_id, ds.name, r.url])
            summary.files += 1
            summary.dataset_events += batch.rows_stored
            last = max(last, stamp) if last and stamp else (stamp or last)
    with store.write() as dw:
        _source_row(dw.con, ds.name, "data set", "ok", len(new), summary.cycle_id)
    log(ds.name, f"{len(new)} new file(s) of {len(remotes)} listed in {url}"
                 + (f", {summary.dataset_events:,} events stored" if new else ""))


def step_dataset(dw_cfg: DatasetWatch, store: WatchStore, summary: CycleSummary, log: Log) -> None:
    """A whole registered data set, fetched again when ``every`` has passed (files already stored add nothing)."""
    from dyadwatch.acquire.fetch import fetch
    from dyadwatch.analysis.dyads import _as_date

    with store.read() as dw:
        row = dw.con.execute("SELECT last_checked FROM watch_sources WHERE source = ?", [dw_cfg.name]).fetchone()
    if row and row[0] and (_now() - row[0]).total_seconds() < dw_cfg.every:
        return
    res = fetch(dw_cfg.name, dest=dw_cfg.dest, mirror=dw_cfg.mirror, start=_as_date(dw_cfg.date_from, "from"),
                end=_as_date(dw_cfg.date_to, "to"), open_store=store.write)
    stored = sum(b.rows_stored for b in res.batches)
    with store.write() as dw:
        for d, b in zip(res.files, res.batches):
            dw.con.execute("INSERT INTO watch_files SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS "
                           "(SELECT 1 FROM watch_files WHERE dataset = ? AND url = ?)",
                           [dw_cfg.name, d.remote.url, d.md5, None, b.batch_id, b.rows_stored, _now(),
                            summary.cycle_id, dw_cfg.name, d.remote.url])
        _source_row(dw.con, dw_cfg.name, "data set", "ok", stored, summary.cycle_id)
    summary.files += sum(1 for b in res.batches if not b.skipped)
    summary.dataset_events += stored
    log(dw_cfg.name, f"{len(res.files)} file(s) checked ({res.origin}), {stored:,} new rows stored")


def step_datasets(cfg: WatchConfig, store: WatchStore, summary: CycleSummary, log: Log,
                  stop: threading.Event | None = None) -> None:
    """The configured data sets, one at a time; a ``stop`` ends the step before the next one."""
    for k, d in enumerate(cfg.datasets):
        if _stopping(stop):
            summary.stopped = True
            log("datasets", f"stopped on request after {k} of {len(cfg.datasets)} data sets")
            break
        try:
            (step_live_dataset if d.name in LIVE_DATASETS else step_dataset)(d, store, summary, log)
        except DyadwatchError as exc:
            summary.problems.append(f"{d.name}: {exc.one_line()}")
            log(d.name, f"failed: {exc.one_line()} (the next cycle tries again)")
            try:
                with store.write() as dw:
                    _source_row(dw.con, d.name, "data set", f"failed: {exc.one_line()}", 0, summary.cycle_id)
            except DyadwatchError:
                pass


# -- 4. analyse ------------------------------------------------------------------------------
def step_analyse(cfg: WatchConfig, store: WatchStore, summary: CycleSummary, log: Log,
                 stop: threading.Event | None = None) -> None:
    """State and alerts of every watched dyad (read only), each dyad stored in one short write, then its
    page. A ``stop`` ends the step before the next dyad: the dyads done are stored, the next cycle does
    the others (and the store-wide parts)."""
    from dyadwatch.serve.alerts import dyad_alerts, record, stored_state
    from dyadwatch.serve.state import dyad_state

    for k, (a, b) in enumerate(cfg.dyads):
        if _stopping(stop):
            summary.stopped = True
            log("analyse", f"stopped on request after {k} of {len(cfg.dyads)} dyads; the next cycle does the rest")
            return
        try:
            with store.read() as dw:
                previous = stored_state(dw.con, a, b) if _has(dw.con, "watch_dyads") else None
                state = dyad_state(dw.con, a, b, freq="month")
                found = dyad_alerts(dw.con, a, b, cfg.alerts, previous=previous, state=state)
            with store.write() as dw:
                added = record(dw.con, a, b, state, found, summary.cycle_id)
        except DyadwatchError as exc:
            summary.problems.append(f"{a}-{b}: {exc.one_line()}")
            log("analyse", f"{a}-{b} failed: {exc.one_line()}")
            continue
        summary.dyads += 1
        summary.alerts += added
        summary.alerts_large += sum(1 for al in found[:added] if al["band"] == "large")
        step_pages(store, a, b, summary, log, stop)
    _store_wide(store, summary, log)
    log("analyse", f"{summary.dyads} dyads: {summary.alerts} new alerts; {summary.pages} dyad pages precomputed")


def _store_wide(store: WatchStore, summary: CycleSummary, log: Log) -> None:
    """The store-wide page parts (the data sets' event-day ranges of the freshness stamps;
    :mod:`dyadwatch.serve.pages`): computed read only when the data changed, stored in one short write."""
    from dyadwatch.serve import pages as P
    from dyadwatch.serve.state import dataset_ranges

    t0 = time.monotonic()
    try:
        with store.read() as dw:
            state = P.data_state(dw.con)
            if P.stored_state(dw.con, *P.STORE_WIDE) == state:
                return
            parts = [("ranges", "", dataset_ranges(dw.con))]
        with store.write() as dw:
            P.store(dw.con, *P.STORE_WIDE, state, parts, cycle_id=summary.cycle_id, seconds=time.monotonic() - t0)
    except DyadwatchError as exc:
        summary.problems.append(f"freshness: {exc.one_line()}")
        log("pages", f"freshness failed: {exc.one_line()}")


@contextlib.contextmanager
def _interrupted_on(stop: threading.Event | None, con):
    """Within the block, once ``stop`` is set, interrupt ``con``'s running query (every 0.1 s, so the
    next query of a long computation is interrupted too): a dyad page's report takes seconds on the
    demo store, minutes on a large one, and is read only (an interrupted one loses nothing)."""
    if stop is None:
        yield
        return
    done = threading.Event()

    def run() -> None:
        while not done.wait(0.1):
            if stop.is_set():
                con.interrupt()

    t = threading.Thread(target=run, name="dyadwatch-watch-stop", daemon=True)
    t.start()
    try:
        yield
    finally:
        done.set()
        t.join(5)


def step_pages(store: WatchStore, a: str, b: str, summary: CycleSummary, log: Log,
               stop: threading.Event | None = None) -> None:
    """Dyad (a, b)'s page parts (:mod:`dyadwatch.serve.pages`): computed read only when the store's data
    changed since the stored ones, then stored in one short write. A failure (any exception but a store
    that cannot be opened) is a problem of the cycle, never its end: the alerts are already stored.
    A ``stop`` ends the computation between two parts, and interrupts the query running: nothing is
    stored, the next cycle computes the page."""
    from dyadwatch.serve import pages as P

    t0 = time.monotonic()
    try:
        with store.read() as dw:
            state = P.data_state(dw.con)
            if P.stored_state(dw.con, a, b) == state:
                return
            with _interrupted_on(stop, dw.con):
                parts = P.compute(dw.con, a, b, stop=stop)
        if parts is None:
            summary.stopped = True
            log("pages", f"{a}-{b}: stopped on request before the page was complete; the next cycle computes it")
            return
        seconds = time.monotonic() - t0
        with store.write() as dw:
            P.store(dw.con, a, b, state, parts, cycle_id=summary.cycle_id, seconds=seconds)
    except Exception as exc:  # noqa: BLE001 - a page that cannot be precomputed never stops the watch
        if isinstance(exc, DyadwatchError) and exc.exit_code == 4:
            raise  # the store itself
        if _stopping(stop):  # a query interrupted by the stop
            summary.stopped = True
            log("pages", f"{a}-{b}: stopped on request before the page was complete; the next cycle computes it")
            return
        text = exc.one_line() if isinstance(exc, DyadwatchError) else f"{type(exc).__name__}: {exc}"
        summary.problems.append(f"{a}-{b} page: {text}")
        log("pages", f"{a}-{b} failed: {text} (the page computes it when asked)")
        return
    summary.pages += 1
    log("pages", f"{a}-{b}: page precomputed in {seconds:.1f} s")


def _has(con, table: str) -> bool:
    return bool(con.execute("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [table]).fetchall())


# -- the cycle and the loop ------------------------------------------------------------------
def run_cycle(cfg: WatchConfig, store: WatchStore, collector, log: Log,
              stop: threading.Event | None = None) -> CycleSummary:
    """One cycle (module docstring); returns its summary. A step's failure is logged and recorded
    in the summary; the cycle goes on with the next step. ``stop`` set during the cycle ends it at
    the next boundary (between sources, chunks, data sets, dyads), recorded as ``interrupted``
    (``summary.stopped``).

    Raises
    ------
    StoreError
        The store cannot be opened at all (locked past ``DYADWATCH_LOCK_WAIT``, not a store).
    """
    t0 = time.monotonic()
    summary = CycleSummary()
    summary.cycle_id, summary.resumed = begin_cycle(store, log)
    log("cycle", f"cycle {summary.cycle_id} started: {len(cfg.sources)} feeds/pages, "
                 f"{len(cfg.datasets)} data sets, {len(cfg.dyads)} dyads")
    try:
        for name, step in (("collect", lambda: step_collect(cfg, store, collector, summary, log, stop)),
                           ("code", lambda: step_code(store, summary, log, stop=stop)),
                           ("datasets", lambda: step_datasets(cfg, store, summary, log, stop)),
                           ("analyse", lambda: step_analyse(cfg, store, summary, log, stop))):
            if _stopping(stop):
                summary.stopped = True
                break
            try:
                step()
            except DyadwatchError as exc:
                if exc.exit_code == 4:  # the store itself: the cycle cannot go on
                    raise
                summary.problems.append(f"{name}: {exc.one_line()}")
                log(name, f"failed: {exc.one_line()} (the next cycle tries again)")
    except BaseException as exc:
        summary.seconds = time.monotonic() - t0
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else f"{type(exc).__name__}: {exc}"
        try:
            end_cycle(store, summary, "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed", reason[:500])
        except Exception:  # noqa: BLE001 - the next cycle marks it interrupted
            pass
        raise
    summary.seconds = time.monotonic() - t0
    if summary.stopped:
        end_cycle(store, summary, "interrupted", f"stopped on request after {summary.dyads} of {len(cfg.dyads)} "
                                                 "dyads; the next cycle does the rest")
    else:
        end_cycle(store, summary)
    log("summary", summary.line())
    return summary


def collect_options(cfg: WatchConfig):
    """The :class:`~dyadwatch.acquire.collect.CollectOptions` of a configuration."""
    from dyadwatch.acquire.collect import CollectOptions

    return CollectOptions(rate_limit=cfg.rate_limit, max_bytes=int(cfg.max_size_mb * (1 << 20)),
                          deadline=cfg.deadline, allow_networks=cfg.allow_networks, batch_size=cfg.batch_size)


def watch(cfg: WatchConfig, db: str | Path, *, once: bool = False, log: Log | None = None,
          stop: threading.Event | None = None, shared: bool = False, max_cycles: int | None = None) -> list[CycleSummary]:
    """Run cycles every ``cfg.interval`` seconds (from start to start) until ``stop`` is set, or once.

    Parameters
    ----------
    cfg : a :class:`~dyadwatch.serve.config.WatchConfig`.
    db : the store file (created when missing).
    once : one cycle, then return (for cron).
    log : receives ``(step, line)`` for every step and the cycle summary.
    stop : an event that ends the loop: the wait between cycles at once, a cycle at its next
        boundary (between sources, chunks of documents, data sets and dyads; :func:`run_cycle`).
    shared : the store is also read by this process's web server (``serve --watch``).
    max_cycles : stop after this many cycles.

    Returns
    -------
    The summaries of the cycles run (only the last few are kept: memory is bounded).

    Raises
    ------
    StoreError
        The store cannot be opened (the loop does not go on without a store).
    """
    from dyadwatch.acquire.collect import Collector

    log = log or (lambda step, line: None)
    stop = stop or threading.Event()
    store = WatchStore(db, shared=shared)
    done: list[CycleSummary] = []
    with Collector(collect_options(cfg)) as collector:
        n = 0
        while not stop.is_set():
            started = time.monotonic()
            done.append(run_cycle(cfg, store, collector, log, stop))
            del done[:-10]
            gc.collect()
            n += 1
            if once or (max_cycles is not None and n >= max_cycles) or stop.is_set():
                break
            wait = max(0.0, cfg.interval - (time.monotonic() - started))
            log("wait", f"next cycle in {wait:.0f} s")
            stop.wait(wait)
    return done
