"""The watch configuration: one TOML file (docs/live.md gives a full example).

.. code-block:: toml

    [schedule]
    interval = "15m"           # between cycle starts: 90s, 15m, 1h, 1d (at least 10 s)

    [collect]                  # news feeds and article pages (acquire.collect: robots.txt, rate limits, caps)
    feeds = ["https://example.org/world/rss.xml"]
    pages = []
    rate_limit = 2.0           # seconds between two requests to one host
    max_size_mb = 16
    deadline = 60              # seconds for one page with its redirects and retries
    since_days = 7             # items published earlier are skipped
    allow_networks = []        # e.g. ["127.0.0.1/32"] for a feed server on this machine

    [datasets.gdelt2]          # GDELT 2.0 15-minute exports: the newest file each cycle
    dest = "dyadwatch-data"

    [datasets.icews]           # any registered data set with a reader: fetched again every `every`
    every = "1d"

    [[dyads]]
    a = "IRN"
    b = "RUS"

    [alerts]
    large = 0.25               # ACLED-style bands: > +25 % large increase,
    moderate = 0.10            #                     +10 … 25 % moderate
    min_events = 5             # a week needs this many events to raise a volume/share alert
    freq = "week"

Every key is checked: an unknown one, a wrong type or a bad value is a
:class:`~dyadwatch.errors.UsageError` naming the file, the key and the valid
options; TOML syntax errors name the line (:class:`~dyadwatch.errors.InputError`).
"""

from __future__ import annotations

import ipaddress
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import InputError, UsageError

#: the shortest interval between cycle starts, in seconds
MIN_INTERVAL = 10.0
#: data sets followed file by file (the newest 15-minute export each cycle)
LIVE_DATASETS = ("gdelt2", "gdelt2-translingual")
ALERT_FREQS = ("week", "month")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class DatasetWatch:
    """A data set the watch follows: ``name`` (registry), ``dest`` (download directory),
    ``every`` (seconds between fetches; live data sets: every cycle), ``list_url`` (GDELT: the
    ``lastupdate.txt`` to read instead of the registry's), ``mirror`` (offline mirror directory),
    ``date_from``/``date_to`` (per-day or yearly data sets)."""

    name: str
    dest: str = "dyadwatch-data"
    every: float = 0.0
    list_url: str | None = None
    mirror: str | None = None
    date_from: str | None = None
    date_to: str | None = None


@dataclass(frozen=True)
class AlertRules:
    """Alert thresholds: ``large``/``moderate`` relative increases over the norms (0.25 = +25 %),
    ``min_events`` in the period, ``freq`` of the volume/share periods (``week`` or ``month``),
    ``short``/``long`` norm windows in periods (4 and 52 weeks)."""

    large: float = 0.25
    moderate: float = 0.10
    min_events: int = 5
    freq: str = "week"
    short: int = 4
    long: int = 52


@dataclass(frozen=True)
class WatchConfig:
    """A parsed watch configuration (see the module docstring)."""

    path: str
    dyads: tuple[tuple[str, str], ...]
    interval: float = 900.0
    feeds: tuple[str, ...] = ()
    pages: tuple[str, ...] = ()
    rate_limit: float = 2.0
    max_size_mb: float = 16.0
    deadline: float = 60.0
    since_days: int = 7
    allow_networks: tuple[str, ...] = ()
    batch_size: int = 20
    datasets: tuple[DatasetWatch, ...] = ()
    alerts: AlertRules = field(default_factory=AlertRules)
    db: str | None = None

    @property
    def sources(self) -> list[str]:
        return [*self.feeds, *self.pages]


def parse_interval(value, where: str) -> float:
    """``"15m"``, ``"90s"``, ``"1h"``, ``"1d"`` or a number of seconds -> seconds (float).

    Raises UsageError for anything else, for NaN/infinite values and below :data:`MIN_INTERVAL`
    when ``where`` is the schedule.
    """
    if isinstance(value, bool):
        raise UsageError(f"{where}: expected a duration such as 15m, not {value!r}")
    if isinstance(value, (int, float)):
        seconds = float(value)
    elif isinstance(value, str) and (m := re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value)):
        seconds = float(m.group(1)) * _UNITS[m.group(2) or "s"]
    else:
        raise UsageError(f"{where}: bad duration {value!r}; write 90s, 15m, 1h or 1d")
    if not math.isfinite(seconds) or seconds < 0 or seconds > 366 * 86400:
        raise UsageError(f"{where}: duration {value!r} out of range (0 s … 366 d)")
    return seconds


def _table(doc: dict, key: str, path: Path) -> dict:
    val = doc.get(key, {})
    if not isinstance(val, dict):
        raise UsageError(f"{path}: [{key}] must be a table, not {type(val).__name__}")
    return val


def _only(tbl: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(tbl) - allowed)
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; valid keys: {', '.join(sorted(allowed))}")


def _num(tbl: dict, key: str, default, where: str, *, lo: float, hi: float, integer: bool = False):
    v = tbl.get(key, default)
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(float(v)) or not lo <= v <= hi:
        raise UsageError(f"{where}.{key}: expected a number from {lo:g} to {hi:g}, not {v!r}")
    if integer and int(v) != v:
        raise UsageError(f"{where}.{key}: expected a whole number, not {v!r}")
    return int(v) if integer else float(v)


def _urls(tbl: dict, key: str, where: str) -> tuple[str, ...]:
    from dyadwatch.acquire.web import Refused, check_url

    v = tbl.get(key, [])
    if not isinstance(v, list) or not all(isinstance(u, str) for u in v):
        raise UsageError(f"{where}.{key}: expected a list of URLs")
    for u in v:
        try:
            check_url(u)
        except Refused as exc:
            raise UsageError(f"{where}.{key}: {u!r} is not a usable http(s) URL ({exc.reason})") from None
    return tuple(dict.fromkeys(v))


def _dyads(doc: dict, path: Path) -> tuple[tuple[str, str], ...]:
    from dyadwatch.analysis.actors import resolve_pair

    raw = doc.get("dyads")
    if raw is None:
        raise UsageError(f"{path}: no dyads to watch; add [[dyads]] tables with a = \"IRN\" and b = \"RUS\"")
    if not isinstance(raw, list) or not raw:
        raise UsageError(f"{path}: dyads must be a list of [[dyads]] tables or \"A-B\" strings")
    out: list[tuple[str, str]] = []
    for i, d in enumerate(raw, 1):
        where = f"{path}: dyads[{i}]"
        if isinstance(d, str):
            parts = d.replace("–", "-").split("-")
            if len(parts) != 2:
                raise UsageError(f"{where}: write a dyad as \"A-B\", e.g. \"IRN-RUS\", not {d!r}")
            a, b = parts
        elif isinstance(d, dict):
            _only(d, {"a", "b"}, where)
            a, b = d.get("a"), d.get("b")
            if not isinstance(a, str) or not isinstance(b, str):
                raise UsageError(f"{where}: needs a = \"ISO3\" and b = \"ISO3\"")
        else:
            raise UsageError(f"{where}: expected a table or a string, not {type(d).__name__}")
        try:
            pair = tuple(f.label for f in resolve_pair(a.strip(), b.strip()))
        except UsageError as exc:
            raise UsageError(f"{where}: {exc.reason}", hint=exc.hint) from None
        if pair not in out and pair[::-1] not in out:
            out.append(pair)
    if len(out) > 500:
        raise UsageError(f"{path}: {len(out)} dyads; at most 500 can be watched")
    return tuple(out)


def _datasets(doc: dict, path: Path) -> tuple[DatasetWatch, ...]:
    from dyadwatch.acquire import registry

    tbl = _table(doc, "datasets", path)
    out = []
    for name, opts in tbl.items():
        where = f"{path}: [datasets.{name}]"
        if not isinstance(opts, dict):
            raise UsageError(f"{where} must be a table")
        try:
            ds = registry.get(name)  # UnknownNameError lists the registered names
        except UsageError as exc:
            raise UsageError(f"{where}: {exc.reason}", hint=exc.hint) from None
        if ds.format is None:
            raise UsageError(f"{where}: data set {name} has no dyadwatch reader yet, so it cannot be ingested; "
                             f"data sets with a reader: {', '.join(n for n, d in registry.datasets().items() if d.format)}")
        _only(opts, {"dest", "every", "list_url", "mirror", "from", "to"}, where)
        for k in ("dest", "list_url", "mirror", "from", "to"):
            if k in opts and not isinstance(opts[k], str):
                raise UsageError(f"{where}.{k}: expected a string")
        if "list_url" in opts and name not in LIVE_DATASETS:
            raise UsageError(f"{where}.list_url: only for {', '.join(LIVE_DATASETS)}")
        every = parse_interval(opts.get("every", 0), f"{where}.every")
        if name not in LIVE_DATASETS and every <= 0 and not opts.get("mirror"):
            every = 86400.0  # a whole data set again: once a day unless said otherwise
        out.append(DatasetWatch(name=name, dest=opts.get("dest", "dyadwatch-data"), every=every,
                                list_url=opts.get("list_url"), mirror=opts.get("mirror"),
                                date_from=opts.get("from"), date_to=opts.get("to")))
    return tuple(out)


def _alerts(doc: dict, path: Path) -> AlertRules:
    tbl = _table(doc, "alerts", path)
    where = f"{path}: [alerts]"
    _only(tbl, {"large", "moderate", "min_events", "freq", "short", "long"}, where)
    large = _num(tbl, "large", 0.25, where, lo=0.0, hi=100.0)
    moderate = _num(tbl, "moderate", 0.10, where, lo=0.0, hi=100.0)
    if moderate > large:
        raise UsageError(f"{where}: moderate ({moderate}) must not exceed large ({large})")
    freq = tbl.get("freq", "week")
    if freq not in ALERT_FREQS:
        raise UsageError(f"{where}.freq: unknown frequency {freq!r}; choose one of: {', '.join(ALERT_FREQS)}")
    short = _num(tbl, "short", 4, where, lo=1, hi=520, integer=True)
    long = _num(tbl, "long", 52, where, lo=2, hi=520, integer=True)
    if short >= long:
        raise UsageError(f"{where}: short ({short}) must be less than long ({long})")
    return AlertRules(large=large, moderate=moderate,
                      min_events=_num(tbl, "min_events", 5, where, lo=1, hi=1e9, integer=True),
                      freq=freq, short=short, long=long)


def load_config(path: str | Path) -> WatchConfig:
    """Read and check a watch configuration file.

    Raises
    ------
    InputError
        The file is missing, unreadable, not UTF-8 or not valid TOML (the
        message names the line and column).
    UsageError
        An unknown key, a value of the wrong type or out of range, an
        unknown actor or data set, no dyads (the message names the key).
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("watch configuration not found", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a TOML file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read ({exc.strerror})", path=path) from None
    if len(raw) > 4 << 20:
        raise InputError(f"{len(raw):,} bytes; a watch configuration is at most 4 MiB", path=path)
    try:
        doc = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 (byte {exc.start})", path=path) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise InputError(f"not valid TOML: {exc}", path=path, line=int(m.group(1)) if m else None) from None
    _only(doc, {"schedule", "collect", "datasets", "dyads", "alerts", "store"}, str(path))
    sched = _table(doc, "schedule", path)
    _only(sched, {"interval"}, f"{path}: [schedule]")
    interval = parse_interval(sched.get("interval", "15m"), f"{path}: [schedule].interval")
    if interval < MIN_INTERVAL:
        raise UsageError(f"{path}: [schedule].interval: at least {MIN_INTERVAL:g} s between cycles, "
                         f"not {interval:g} s")
    col = _table(doc, "collect", path)
    where = f"{path}: [collect]"
    _only(col, {"feeds", "pages", "rate_limit", "max_size_mb", "deadline", "since_days", "allow_networks",
                "batch_size"}, where)
    nets = col.get("allow_networks", [])
    if not isinstance(nets, list) or not all(isinstance(n, str) for n in nets):
        raise UsageError(f"{where}.allow_networks: expected a list of CIDR networks such as \"127.0.0.1/32\"")
    for n in nets:
        try:
            ipaddress.ip_network(n, strict=False)
        except ValueError:
            raise UsageError(f"{where}.allow_networks: {n!r} is not a network (write 127.0.0.1/32)") from None
    store = _table(doc, "store", path)
    _only(store, {"db"}, f"{path}: [store]")
    if "db" in store and not isinstance(store["db"], str):
        raise UsageError(f"{path}: [store].db: expected a path string")
    return WatchConfig(
        path=str(path), dyads=_dyads(doc, path), interval=interval,
        feeds=_urls(col, "feeds", where), pages=_urls(col, "pages", where),
        rate_limit=_num(col, "rate_limit", 2.0, where, lo=0.0, hi=3600.0),
        max_size_mb=_num(col, "max_size_mb", 16.0, where, lo=0.01, hi=1024.0),
        deadline=_num(col, "deadline", 60.0, where, lo=0.5, hi=3600.0),
        since_days=_num(col, "since_days", 7, where, lo=0, hi=36500, integer=True),
        allow_networks=tuple(nets), batch_size=_num(col, "batch_size", 20, where, lo=1, hi=1000, integer=True),
        datasets=_datasets(doc, path), alerts=_alerts(doc, path), db=store.get("db"))
