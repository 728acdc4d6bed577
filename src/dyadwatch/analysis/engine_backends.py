"""Ibis backends for :mod:`dyadwatch.analysis.engine`: DuckDB or Spark, and the events on them.

:func:`connect` gives the backend (the store's DuckDB connection, a fresh
in-memory DuckDB, or a PySpark session in local mode or on a cluster),
:func:`register_parquet` / :func:`events_table` put the canonical events
on it (a Parquet file, or the store's table exported for local Spark), and
:func:`execute` runs an expression with a stable row order.

Needs the ``spark`` extra (``pip install 'dyadwatch[spark]'``: pyspark and
``ibis-framework[pyspark]``) and a Java 17+ runtime for Spark.
"""

from __future__ import annotations

import os

import ibis
import ibis.expr.types as ir
import pandas as pd

from dyadwatch.errors import InputError, UsageError

ENGINES = ("duckdb", "spark")
_PARQUET_HINT = "give a Parquet file or directory, e.g. from `COPY events TO 'events.parquet'`"


def check_engine(name: str) -> str:
    """Validate an engine name; raises :class:`UsageError` listing the valid ones."""
    if name not in ENGINES:
        raise UsageError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return name


def spark_master(master: str | None = None) -> str:
    """The Spark master URL used: ``master``, else ``$DYADWATCH_SPARK_MASTER``, else ``local[2]``."""
    return master or os.environ.get("DYADWATCH_SPARK_MASTER") or "local[2]"


def connect(engine: str = "duckdb", *, con=None, master: str | None = None,
            spark_conf: dict[str, str] | None = None):
    """An Ibis backend for ``engine``.

    Parameters
    ----------
    engine : ``"duckdb"`` or ``"spark"``.
    con : duckdb connection (``engine="duckdb"``); a fresh in-memory one when omitted.
    master : Spark master URL; default ``$DYADWATCH_SPARK_MASTER`` or ``local[2]``.
    spark_conf : extra Spark settings (``{"spark.executor.memory": "8g"}``).

    Raises
    ------
    UsageError
        Unknown engine, or Spark asked for but pyspark is not installed.
    """
    check_engine(engine)
    if engine == "duckdb":
        import duckdb

        return ibis.duckdb.from_connection(con if con is not None else duckdb.connect())
    try:
        from pyspark.sql import SparkSession
    except ModuleNotFoundError:
        raise UsageError("the spark engine needs pyspark",
                         hint="pip install 'dyadwatch[spark]' (and a Java 17+ runtime)") from None
    master = spark_master(master)
    if master.startswith("local"):
        # a local session talks to itself on the loopback interface only
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.master(master).appName("dyadwatch")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "8"))
    if master.startswith("local"):
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    for k, v in (spark_conf or {}).items():
        builder = builder.config(k, v)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return ibis.pyspark.connect(session)


def register_parquet(backend, name: str, path) -> ir.Table:
    """Expose the Parquet file/directory ``path`` as table ``name`` on ``backend``.

    Raises
    ------
    InputError
        ``path`` matches no file, or a file is not Parquet (Spark: checked
        before Spark reads a local path, so no Java stack trace is printed;
        other paths report Spark's own reason).
    """
    if backend.name == "pyspark":
        _check_local_parquet(path)
    return _read_parquet(backend, name, path)


def _read_parquet(backend, name: str, path) -> ir.Table:
    """:func:`register_parquet` without the local-path check (for a path already checked)."""
    if backend.name == "pyspark":
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException

        sc = backend._session.sparkContext
        sc.setLogLevel("FATAL")  # a bad file's reason is raised below, not logged as a Java stack trace
        try:
            backend._session.read.parquet(str(path)).createOrReplaceTempView(name)
        except (PySparkException, Py4JJavaError) as exc:
            raise InputError(f"cannot read events Parquet: {_spark_reason(exc)}", path=path,
                             hint=_PARQUET_HINT) from None
        finally:
            sc.setLogLevel("ERROR")
        return backend.table(name)
    import duckdb

    try:
        return backend.read_parquet(str(path), table_name=name)
    except duckdb.Error as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"cannot read events Parquet: {reason}", path=path,
                         hint=_PARQUET_HINT) from None


def check_events_parquet(path) -> None:
    """Check the values of a local events Parquet (file, directory or glob) as an ingest would.

    ``dyad --events FILE.parquet`` reads canonical events that never went
    through ``dyadwatch ingest``: each row must hold values in the plausible
    ranges of :func:`dyadwatch.ranges.table_checks` (event date 1800..next
    year, finite Goldstein in [-10, 10], QuadClass 1..4, mentions a count), or
    an infinite Goldstein breaks the JSON output and an event dated in year 25
    the period axis. One scan of those columns with DuckDB; a path with a URL
    scheme (a cluster's) is left to Spark.

    Raises
    ------
    InputError
        Naming the file, the row (1-based within its file) and the reason of
        the first bad row, and how many rows are bad.
    """
    import duckdb

    from dyadwatch import ranges

    text = str(path)
    if "://" in text:
        return
    _check_local_parquet(path)  # missing path or a file without PAR1: the same one-line reason as Spark's path
    src = os.path.join(text, "**", "*.parquet") if os.path.isdir(text) else text
    lit = "'" + src.replace("'", "''") + "'"
    con = duckdb.connect()
    try:
        cols = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet({lit})").fetchall()}
        checks = [(bad, why) for bad, why in ranges.table_checks("events")
                  if any(c in bad for c in cols & {"event_date", "goldstein", "quad_class", "mentions"})]
        if not checks:
            return
        reason = "CASE " + " ".join(f"WHEN {bad} THEN {why}" for bad, why in checks) + " END"
        n, first = con.execute(
            f"SELECT count(*), min_by((filename, file_row_number + 1, _reason), (filename, file_row_number)) FROM "
            f"(SELECT filename, file_row_number, {reason} AS _reason FROM read_parquet({lit}, filename=true, "
            f"file_row_number=true)) WHERE _reason IS NOT NULL").fetchall()[0]
    except duckdb.Error as exc:
        raise InputError(f"cannot read events Parquet: {str(exc).splitlines()[0]}", path=path,
                         hint=_PARQUET_HINT) from None
    finally:
        con.close()
    if n:
        file, row, why = first
        raise InputError(f"row {row}: {why} ({n:,} rows of the events Parquet hold values an ingest rejects)",
                         path=file, hint="ingest the events with `dyadwatch ingest`, or correct them")


def _check_local_parquet(path) -> None:
    """InputError when a local ``path`` (no URL scheme, no glob) is missing or a file without
    Parquet's ``PAR1`` magic at both ends (Apache Parquet file format specification)."""
    text = str(path)
    if "://" in text or any(ch in text for ch in "*?["):
        return
    if not os.path.exists(text):
        raise InputError("cannot read events Parquet: no such file or directory", path=path,
                         hint=_PARQUET_HINT)
    if os.path.isfile(text):
        if not _has_parquet_magic(text):
            raise InputError("cannot read events Parquet: not a Parquet file (no PAR1 magic)", path=path,
                             hint=_PARQUET_HINT)
    elif os.path.isdir(text):  # a directory of part files (Spark's and DuckDB's COPY ... TO layout)
        for root, _dirs, files in os.walk(text):
            for f in sorted(files):
                if f.endswith(".parquet") and not _has_parquet_magic(os.path.join(root, f)):
                    raise InputError(f"cannot read events Parquet: {f} is not a Parquet file (no PAR1 magic)",
                                     path=path, hint=_PARQUET_HINT)


def _has_parquet_magic(file: str) -> bool:
    """True when ``file`` starts and ends with Parquet's ``PAR1`` magic and can hold a footer."""
    size = os.path.getsize(file)
    if size < 12:
        return False
    with open(file, "rb") as fh:
        head = fh.read(4)
        fh.seek(size - 4)
        return head == b"PAR1" and fh.read(4) == b"PAR1"


def _spark_reason(exc) -> str:
    """First line of the innermost message of a Spark/py4j exception."""
    java, msg = getattr(exc, "java_exception", None), None
    while java is not None:
        msg = java.getMessage() or msg
        java = java.getCause()
    text = msg or str(exc) or type(exc).__name__
    return text.strip().splitlines()[0]


def execute(expr: ir.Table, *, order_by: list[str] | None = None) -> pd.DataFrame:
    """Run ``expr`` on its backend and return a DataFrame with a stable row order.

    Rows are sorted by ``order_by`` (default: every column that is not a
    float, in column order — the keys of the expressions here), so results
    of two engines can be compared row by row."""
    import pandas.api.types as ptypes

    df = expr.execute()
    keys = order_by if order_by is not None else [
        c for c in df.columns if not ptypes.is_float_dtype(df[c].dtype)]
    if keys and len(df):
        df = df.sort_values(keys, kind="mergesort")
    return df.reset_index(drop=True)


def events_table(backend, *, parquet=None, con=None, table: str = "events", name: str | None = None,
                 export_dir=None) -> ir.Table:
    """The canonical events as an Ibis table on ``backend``.

    DuckDB: ``parquet`` (file, glob or directory) when given, else the store
    table ``table``. Spark: ``parquet`` when given; else, in local mode only,
    the store's ``table`` (or view, e.g. ``events_dedup``) exported from
    ``con`` to a Parquet file in ``export_dir`` (default: a new temporary
    directory, left in place; a cluster needs a path all its workers can
    read). ``name`` is the table name on ``backend`` (default ``table``).

    Raises
    ------
    UsageError
        Spark without ``parquet`` and without a store connection.
    """
    name = name or table
    if parquet is not None:
        check_events_parquet(parquet)  # includes the local-path check register_parquet would repeat
        return _read_parquet(backend, name, parquet)
    if backend.name != "pyspark":
        return backend.table(table)
    if con is None:
        raise UsageError("the spark engine reads events from Parquet; none given",
                         hint="give --events PATH (e.g. from `COPY events TO 'events.parquet'`)")
    import tempfile

    tmp = str(export_dir) if export_dir is not None else tempfile.mkdtemp(prefix="dyadwatch-spark-")
    path = os.path.join(tmp, f"{table}.parquet")
    con.execute(f"COPY (SELECT * FROM {table}) TO '{path}' (FORMAT parquet)")
    return register_parquet(backend, name, path)
