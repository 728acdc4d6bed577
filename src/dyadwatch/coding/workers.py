"""Coding in worker processes: each worker parses *and* codes whole documents.

With ``n_process`` > 1 the coder (:meth:`dyadwatch.coding.coder.Coder.iter_events`)
hands batches of documents (about :data:`BATCH_CHARS` characters each, cut only
before a document's first part) to ``n_process`` worker processes.  A worker
screens, dates, parses and codes its batch exactly as one process would
(:meth:`~dyadwatch.coding.coder.Coder.code_rounds`: rules, event-class model,
places, code tables) and returns the events and its counts; the parent only
reads the documents, hands out the batches and yields the events, batch after
batch in input order, so the events are those of one process, in the same
order (each document is coded by one worker from its first sentence on).

* **State**: the workers are forked from the parent once per run, after the
  coder (spaCy model, dictionaries, event-class model) is loaded, so they start
  with it in memory: nothing is loaded again per batch or per worker.  Where
  ``fork`` is not available (Windows, macOS's default), and for inputs too
  small to be worth it (under :data:`PARALLEL_MIN_CHARS` characters, or fewer
  than :data:`MIN_DOCUMENTS_PER_WORKER` documents per worker among them: one
  long plain text, read in parts that share a narrated date and sentence
  numbering), and in a process running other threads (a server: see :func:`alone`),
  the coder runs in this process (parsing large rounds in ``n_process`` spaCy
  processes, as before).
* **Memory**: at most :data:`IN_FLIGHT_PER_WORKER` batches per worker are
  read ahead or waiting to be written, whatever the input's size.
* **Errors**: an error raised in a worker is raised again here (the same
  class and one-line message); a worker that dies (killed, out of memory)
  raises :class:`CodingWorkerError` instead of leaving the run waiting.  On any
  error, Ctrl-C, or when the caller stops reading the events, the workers are
  ended.  Workers ignore Ctrl-C (the parent ends them) and end themselves when
  the parent process is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain

from dyadwatch.errors import DyadwatchError

#: characters of documents read ahead before deciding: a smaller input is coded in this process
PARALLEL_MIN_CHARS = 400_000
#: fewer documents than this per worker in the first :data:`PARALLEL_MIN_CHARS` characters
#: (a long plain text read in parts, a few very long documents): coded in this process
MIN_DOCUMENTS_PER_WORKER = 4
#: characters of documents per batch handed to a worker (a batch ends before the first
#: document, or first part of a document, that starts after this many)
BATCH_CHARS = 40_000
#: batches per worker handed out and not yet written (bounds the memory read ahead)
IN_FLIGHT_PER_WORKER = 3


class CodingWorkerError(DyadwatchError):
    """A coding worker process ended without returning its events (killed, out of memory)."""


def can_fork() -> bool:
    """Whether worker processes can be forked here (start method ``fork`` and thread signal
    masks: Linux, BSD)."""
    import signal

    return "fork" in multiprocessing.get_all_start_methods() and hasattr(signal, "pthread_sigmask") \
        and hasattr(signal, "SIGPIPE")


def alone() -> bool:
    """Whether this is the process's only Python thread: forking a process whose other threads
    may hold a lock (a web server, a background job: logging, imports) can leave a worker
    waiting on it forever, so workers are forked only then."""
    import threading

    return threading.active_count() == 1


def iter_events(coder, docs: Iterable, report, n_process: int, *, check_load: bool = True) -> Iterator[dict]:
    """The events of ``docs`` coded by ``coder`` in ``n_process`` worker processes (see the
    module docstring), in the order one process gives them; ``report`` (a
    :class:`~dyadwatch.coding.coder.CodingReport`) is filled as the events are read.

    Falls back to ``coder.code_rounds(docs, report, n_process)`` (coding in this
    process) for small inputs, inputs of few long documents, without ``fork``, with other
    threads running (:func:`alone`), or, with
    ``check_load``, when the cores are busy (:func:`dyadwatch.coding.coder._cores_free`).

    Raises
    ------
    CodingWorkerError
        A worker process died (the events written so far are those of the batches
        before; the run does not hang).
    DyadwatchError (or any exception)
        Raised in a worker: raised again here with its message.
    """
    from dyadwatch.coding import coder as coder_mod

    it = iter(docs)
    head: list = []
    chars = 0
    for doc in it:
        head.append(doc)
        chars += len(doc.text)
        if chars >= PARALLEL_MIN_CHARS:
            break
    parallel = (chars >= PARALLEL_MIN_CHARS and n_process > 1 and can_fork() and alone()
                and len(head) >= MIN_DOCUMENTS_PER_WORKER * n_process and not any(d.part for d in head)
                and (not check_load or coder_mod._cores_free(n_process)))
    if not parallel:
        yield from coder.code_rounds(chain(head, it), report, n_process)
        return
    yield from _in_workers(coder, chain(head, it), report, n_process)


def batches(docs: Iterable, size: int = BATCH_CHARS) -> Iterator[list]:
    """``docs`` in lists of about ``size`` characters of text: a list ends before the first
    document that starts after ``size`` characters, never before a later part of a document
    (``part`` > 0), so each document is coded by one worker."""
    batch: list = []
    chars = 0
    for doc in docs:
        if batch and chars >= size and not doc.part:
            yield batch
            batch, chars = [], 0
        batch.append(doc)
        chars += len(doc.text)
    if batch:
        yield batch


def _in_workers(coder, docs: Iterable, report, n_process: int) -> Iterator[dict]:
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(n_process, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(coder, os.getpid()))
    pending: deque = deque()
    done = False
    report.workers = n_process
    try:
        for batch in batches(docs):
            with _sigpipe_blocked():  # (submit starts the pool's threads and processes)
                pending.append(pool.submit(_code_batch, batch))
            if len(pending) >= IN_FLIGHT_PER_WORKER * n_process:
                yield from _collect(pending.popleft(), report)
        while pending:
            yield from _collect(pending.popleft(), report)
        done = True
    finally:
        if done:
            pool.shutdown(wait=True)
        else:  # an error, Ctrl-C or a reader that stopped: no worker is left running
            for fut in pending:
                fut.cancel()
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
            pool.shutdown(wait=True, cancel_futures=True)


@contextlib.contextmanager
def _sigpipe_blocked():
    """SIGPIPE blocked in this thread inside the block (its mask restored after it), so that the
    threads and processes the pool starts there inherit it blocked.  ``dyadwatch`` lets SIGPIPE
    end the process (``| head``); the pool's queue thread writes to the workers, and a write to
    a worker ended on an error (or dead) would end the whole run instead of raising there.  The
    workers unblock it (:func:`_start_worker`)."""
    import signal

    blocked = {signal.SIGPIPE}
    old = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _collect(future, report) -> Iterator[dict]:
    """The events of one batch's future (in order), its counts added to ``report``."""
    from concurrent.futures.process import BrokenProcessPool

    try:
        events, part = future.result()
    except BrokenProcessPool:
        raise CodingWorkerError("a coding worker process ended without returning its events "
                                "(killed, or out of memory?)",
                                hint="code with one process: --processes 1") from None
    merge_report(report, part)
    yield from events


def merge_report(report, part) -> None:
    """Add the counts of ``part`` (a worker's :class:`~dyadwatch.coding.coder.CodingReport`
    of one batch) to ``report``; a skip reason's first example stays the earliest one."""
    report.documents += part.documents
    report.sentences += part.sentences
    report.sentences_parsed += part.sentences_parsed
    report.events += part.events
    scr = report.screening
    for reason, n in part.screening.skipped.items():
        scr.skipped[reason] += n
    for reason, where in part.screening.examples.items():
        scr.examples.setdefault(reason, where)


# ------------------------------------------------------------ in the worker
_WORKER_CODER = None


def _start_worker(coder, parent: int) -> None:
    """Worker start: keep the parent's coder (forked: already in memory), ignore Ctrl-C
    (the parent ends the workers), and end when the parent is gone."""
    import signal

    from dyadwatch.childproc import exit_with_parent

    global _WORKER_CODER
    _WORKER_CODER = coder
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGPIPE})  # (blocked while the parent forked)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent, 1)  # the parent died without ending this worker


def _code_batch(docs: list):
    """A worker's job: the events of ``docs`` and the counts of coding them, in one process."""
    from dyadwatch.coding.coder import CodingReport

    report = CodingReport()
    events = list(_WORKER_CODER.code_rounds(docs, report, 1))
    return events, report
