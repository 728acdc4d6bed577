"""`dyadwatch watch CONFIG` and `dyadwatch serve --db FILE`: the live watchlist and the local web app."""

from __future__ import annotations

import datetime as dt
import os
import sys
import threading
from pathlib import Path
from typing import List, Optional

import typer

from dyadwatch.cli.app import DB_OPTION_HELP, app
from dyadwatch.cli.common import err, out

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def _logger(console):
    def log(step: str, line: str) -> None:
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        console.print(f"[dim]{stamp}[/] [bold]{step:<8}[/] ", end="")
        console.print(line, markup=False, highlight=False)
    return log


def _db_for(config, db: Optional[str]) -> Path:
    from dyadwatch.store.db import resolve_path

    return resolve_path(db or config.db)


@app.command()
def watch(
    config: Path = typer.Argument(..., help="Watch configuration (TOML): feeds, data sets, dyads, schedule, alerts."),
    once: bool = typer.Option(False, "--once", help="Run one cycle and exit (for cron)."),
    cycles: Optional[int] = typer.Option(None, "--cycles", help="Stop after this many cycles."),
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP + " Overrides [store].db of the config."),
) -> None:
    """Keep a watchlist up to date: collect, code, ingest, recompute series, breaks, verdicts and alerts each cycle."""
    import signal

    from dyadwatch.serve.config import load_config
    from dyadwatch.serve.watch import watch as run

    cfg = load_config(config)
    path = _db_for(cfg, db)
    log = _logger(out)

    def _term(signum, frame):  # `kill PID`: end like Ctrl-C (the cycle is marked interrupted)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _term)
    log("watch", f"store {path}; {len(cfg.dyads)} dyads, {len(cfg.sources)} feeds/pages, "
                 f"{len(cfg.datasets)} data sets; every {cfg.interval:g} s" + (" (one cycle)" if once else ""))
    run(cfg, path, once=once, log=log, max_cycles=cycles)


@app.command()
def serve(
    db: Optional[str] = typer.Option(None, "--db", help=DB_OPTION_HELP),
    port: int = typer.Option(8000, "--port", help="TCP port (1-65535; 0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on (default 127.0.0.1: this machine only; another address "
                                  "lets other machines read the store, with a warning)."),
    watch_config: Optional[Path] = typer.Option(None, "--watch",
                                                help="Also run `dyadwatch watch CONFIG` in this process (its dyads "
                                                     "are the watchlist; the recommended way to run both)."),
    dyad: Optional[List[str]] = typer.Option(None, "--dyad", help="A dyad of the watchlist, A-B (repeatable; default: "
                                                                  "the watch's dyads, else Iran–Russia and its "
                                                                  "comparison pairs)."),
) -> None:
    """Serve the watchlist, dyad pages, alerts and a JSON/CSV API from the store on http://127.0.0.1:8000/."""
    import uvicorn

    from dyadwatch.errors import UsageError
    from dyadwatch.serve.app import create_app
    from dyadwatch.store.db import resolve_path

    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port; give 1-65535 (or 0 for any free port)")
    cfg = None
    dyads = None
    if watch_config is not None:
        from dyadwatch.serve.config import load_config

        cfg = load_config(watch_config)
        path = _db_for(cfg, db)
        dyads = list(cfg.dyads)
    else:
        path = resolve_path(db)
    if dyad:
        from dyadwatch.analysis.actors import resolve_pair

        dyads = []
        for d in dyad:
            parts = d.replace("–", "-").split("-")
            if len(parts) != 2:
                raise UsageError(f"--dyad {d!r}: write a dyad as A-B, e.g. IRN-RUS")
            dyads.append(tuple(f.label for f in resolve_pair(*parts)))
    if host not in LOCAL_HOSTS:
        err.print(f"[yellow]warning:[/] listening on {host}: anyone who can reach this machine on port {port} can "
                  "read the whole store (read-only, no login). Use the default --host 127.0.0.1 to keep it local.")
    status: dict = {"status": "starting", "last": None}
    stop = threading.Event()
    if cfg is not None:
        from dyadwatch.api import Dyadwatch

        Dyadwatch(path).close()  # create the store (and its tables) before the app reads it
    application = create_app(path, dyads=dyads, mode="shared" if cfg is not None else "file",
                             hosts=() if host in LOCAL_HOSTS or host in ("0.0.0.0", "::") else (host,),
                             watch_status=(lambda: status) if cfg is not None else None,
                             # read-only: the slow parts in a worker process (the requests keep the GIL)
                             background="thread" if cfg is not None else "process")
    if host in ("0.0.0.0", "::"):
        application.asgi.user_middleware.clear()  # any address: the Host header cannot be known in advance
        application.asgi.middleware_stack = None
    thread = None
    if cfg is not None:
        from dyadwatch.serve.watch import watch as run

        log = _logger(out)

        def logged(step: str, line: str) -> None:
            status["status"] = f"{step}: {line[:80]}" if step != "wait" else "waiting for the next cycle"
            if step == "summary":
                status["last"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
            log(step, line)

        def loop() -> None:
            try:
                run(cfg, path, log=logged, stop=stop, shared=True)
            except Exception as exc:  # noqa: BLE001 - the server goes on; the page says the watch stopped
                from dyadwatch.errors import DyadwatchError

                text = exc.one_line() if isinstance(exc, DyadwatchError) else f"{type(exc).__name__}: {exc}"
                status["status"] = f"stopped: {text}"
                err.print(f"error: the watch stopped: {text}", markup=False)

        thread = threading.Thread(target=loop, name="dyadwatch-watch", daemon=True)
        thread.start()
    shown = f"[{host}]" if ":" in host else host
    out.print(f"serving http://{shown}:{port}/ from {path} ({'with the watch in this process' if cfg else 'read-only'})"
              " — Ctrl-C to stop", markup=False)
    try:
        uvicorn.run(application, host=host, port=port, log_level="warning", access_log=False)
    finally:
        stop.set()
        application.close(wait=5.0)
        if thread is not None:
            thread.join(10.0)
            if thread.is_alive():
                # the watch is inside a DuckDB query: a normal exit would abort ("terminate called ...");
                # leave as after kill -9, which the watch resumes from (every write is a short keyed transaction)
                err.print("the watch was mid-step: stopped; the next start resumes it", markup=False)
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(0)
