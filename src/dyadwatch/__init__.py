"""dyadwatch — open political event data.

Collect news text and event datasets, code "who did what to whom, when,
where" in CAMEO and PLOVER, keep everything in one DuckDB file, and measure
relations between states: cooperation and conflict over time, alignment,
alliances, blocs, change points — each figure traceable to its events.

Python API (the CLI calls the same functions)::

    import dyadwatch
    dw = dyadwatch.open("dyadwatch.duckdb")
    dw.ingest(["events.tab"])
    df = dw.dyad("IRN", "RUS", freq="year")      # pandas DataFrame
"""

from __future__ import annotations

from dyadwatch.errors import DyadwatchError

__version__ = "0.1.0"
__all__ = ["open", "DyadwatchError", "__version__"]


def open(db: str | None = None, *, read_only: bool = False):  # noqa: A001 - mirrors builtins.open
    """Open (or create) a dyadwatch store and return its API object.

    Parameters
    ----------
    db : str, optional
        Path of the DuckDB file. Defaults to ``$DYADWATCH_DB``, else
        ``./dyadwatch.duckdb``.
    read_only : bool
        Open without write access (several readers may share the file).

    Returns
    -------
    dyadwatch.api.Dyadwatch

    Raises
    ------
    dyadwatch.errors.StoreError
        If the file is not a dyadwatch store or is locked by a writer.
    """
    from dyadwatch.api import Dyadwatch

    return Dyadwatch(db, read_only=read_only)
