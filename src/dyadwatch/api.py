"""The Python API: one object per store, for notebooks and for the CLI.

>>> import dyadwatch                                    # doctest: +SKIP
>>> dw = dyadwatch.open("dyadwatch.duckdb")
>>> dw.ingest(["../shared/data/events/icews18_renet/icews18_valid.tsv"])
>>> dw.dyad("IRN", "RUS", freq="month").head()

Every method is a thin call into the library module that does the work
(``store.ingest``, ``analysis.dyads`` ...), so the CLI and a notebook get the
same numbers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from dyadwatch.store import db as _db


class Dyadwatch:
    """A dyadwatch store (one DuckDB file) and the operations on it.

    Parameters
    ----------
    db : str or Path, optional
        Store file; default ``$DYADWATCH_DB``, else ``./dyadwatch.duckdb``.
    read_only : bool
        Open read-only (queries only; several readers may share the file).
    on_wait : callable, optional
        Called with a message if the file is locked and we wait for it.

    Raises
    ------
    StoreError
        When the file cannot be opened (see :func:`dyadwatch.store.db.connect`).
    """

    def __init__(self, db: str | Path | None = None, *, read_only: bool = False,
                 on_wait: Callable[[str], None] | None = None) -> None:
        self.path = _db.resolve_path(db)
        self.read_only = read_only
        self.con = _db.connect(self.path, read_only=read_only, on_wait=on_wait)
        if not read_only:
            _db.ensure_schema(self.con)
        else:
            _db.require_schema(self.con, self.path)

    # -- lifecycle -----------------------------------------------------------
    def close(self) -> None:
        """Close the connection (the file stays)."""
        self.con.close()

    def __enter__(self) -> "Dyadwatch":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- store ---------------------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], *, format: str = "auto", dataset: str | None = None,
               on_file: Callable | None = None):
        """Ingest files, one batch each; see :func:`dyadwatch.store.ingest.ingest_files`.

        Returns a list of :class:`~dyadwatch.store.ingest.BatchSummary`.
        """
        from dyadwatch.store.ingest import ingest_files

        return ingest_files(self.con, list(paths), format=format, dataset=dataset, on_file=on_file)

    def status(self) -> dict:
        """What the store holds; see :func:`dyadwatch.store.status.store_status`."""
        from dyadwatch.store.status import store_status

        return store_status(self.con, self.path)

    def sql(self, query: str, params: list | None = None) -> pd.DataFrame:
        """Run a read query on the store and return a DataFrame."""
        return self.con.execute(query, params or []).df()

    # -- analysis: dyads -----------------------------------------------------
    def dyad(self, a: str, b: str, *, engine: str = "duckdb", master: str | None = None, parquet=None,
             **kwargs) -> pd.DataFrame:
        """The dyad series of ``a`` and ``b`` on DuckDB (default) or Spark (``engine="spark"``,
        ``master``), events optionally from a ``parquet`` file; see
        :func:`dyadwatch.analysis.dyads.dyad_series`."""
        from dyadwatch.analysis.dyads import dyad_series

        return dyad_series(self.con, a, b, engine=engine, master=master, parquet=parquet, **kwargs)

    def top_events(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """The evidence events of each period; see :func:`dyadwatch.analysis.dyads.top_events`."""
        from dyadwatch.analysis.dyads import top_events

        return top_events(self.con, a, b, **kwargs)

    # -- other areas add one-line methods below, each in its own marked section --

    # -- collect: fetch, cite, collect (issue 6) -----------------------------
    def fetch(self, dataset: str, **kwargs):
        """Fetch a registered data set and ingest it; see :func:`dyadwatch.acquire.fetch.fetch`."""
        from dyadwatch.acquire.fetch import fetch

        return fetch(dataset, con=self.con, **kwargs)

    def cite(self, dataset: str | None = None) -> list[dict]:
        """Citations of what the store holds; see :func:`dyadwatch.acquire.fetch.cite`."""
        from dyadwatch.acquire.fetch import cite

        return cite(self.con, dataset)

    def collect(self, sources: list[str], **kwargs):
        """Collect feeds/articles into ``documents``; see :func:`dyadwatch.acquire.collect.collect`."""
        from dyadwatch.acquire.collect import collect

        return collect(self.con, sources, **kwargs)

    def dedup_report(self, **kwargs) -> pd.DataFrame:
        """Which events ``events_dedup`` merged and why; see :func:`dyadwatch.store.dedup.merge_report`."""
        from dyadwatch.store.dedup import merge_report

        return merge_report(self.con, **kwargs)

    # -- alignment: UN votes, alliances, wars, vetoes (issue 4) ----------------
    def align(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """UN voting agreement, S, kappa, pi per dyad-year; see :func:`dyadwatch.analysis.alignment.dyad_years`."""
        from dyadwatch.analysis import alignment

        return alignment.dyad_years(self.con, a, b, **kwargs)

    def align_all(self, **kwargs) -> pd.DataFrame:
        """Every directed dyad-year of UN voting similarity; see :func:`dyadwatch.analysis.alignment.all_dyad_years`."""
        from dyadwatch.analysis import alignment

        return alignment.all_dyad_years(self.con, **kwargs)

    def partners(self, a: str, **kwargs) -> pd.DataFrame:
        """A state's closest and most distant UN-voting partners; see :func:`dyadwatch.analysis.alignment.partners`."""
        from dyadwatch.analysis import alignment

        return alignment.partners(self.con, a, **kwargs)

    def kappa_matrix(self, actors, year_from=None, year_to=None, topic=None, **kwargs) -> pd.DataFrame:
        """Pairwise kappa of states over years; see :func:`dyadwatch.analysis.alignment.kappa_matrix`."""
        from dyadwatch.analysis import alignment

        return alignment.kappa_matrix(self.con, actors, year_from, year_to, topic, **kwargs)

    def alliances(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """ATOP obligations per year; see :func:`dyadwatch.analysis.alliances.alliances`."""
        from dyadwatch.analysis import alignment

        return alignment.alliances(self.con, a, b, **kwargs)

    def wars(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """UCDP conflicts both took part in, and on which sides; see :func:`dyadwatch.analysis.wars.wars`."""
        from dyadwatch.analysis import alignment

        return alignment.wars(self.con, a, b, **kwargs)

    def vetoes(self, member: str | None = None, **kwargs) -> pd.DataFrame:
        """Vetoed UNSC drafts; see :func:`dyadwatch.analysis.vetoes.vetoes`."""
        from dyadwatch.analysis import alignment

        return alignment.vetoes(self.con, member, **kwargs)

    def alignment_panel(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """UN measures, alliances, wars and vetoes of a dyad per year; see :func:`dyadwatch.analysis.alignment.dyad_panel`."""
        from dyadwatch.analysis import alignment

        return alignment.dyad_panel(self.con, a, b, **kwargs)

    # -- relations, changes, profile, blocs, claims, report (issue 5) ----------
    def relation(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """Friendly/neutral/mixed/hostile per period; see :func:`dyadwatch.analysis.relations.classify_dyad`."""
        from dyadwatch.analysis.relations import classify_dyad

        return classify_dyad(self.con, a, b, **kwargs)

    def changes(self, a: str, b: str, **kwargs) -> dict:
        """Change points of a dyad series; see :func:`dyadwatch.analysis.changes.dyad_changes`."""
        from dyadwatch.analysis.changes import dyad_changes

        return dyad_changes(self.con, a, b, **kwargs)

    def profile(self, a: str, b: str, **kwargs) -> list:
        """Verdict per year with reasons; see :func:`dyadwatch.analysis.profile.relationship_profile`."""
        from dyadwatch.analysis.profile import relationship_profile

        return relationship_profile(self.con, a, b, **kwargs)

    def blocs(self, actors, **kwargs) -> dict:
        """Structural-balance blocs; see :func:`dyadwatch.analysis.blocs.blocs`."""
        from dyadwatch.analysis.blocs import blocs

        return blocs(self.con, actors, **kwargs)

    def check_claims(self, path, **kwargs) -> list:
        """Check a claims JSONL file; see :func:`dyadwatch.analysis.claims.check_file`."""
        from dyadwatch.analysis.claims import check_file

        return check_file(self.con, path, **kwargs)

    def report(self, a: str, b: str, **kwargs):
        """Write the dyad report (HTML or JSON); see :func:`dyadwatch.report.build.build_report`."""
        from dyadwatch.report.build import build_report

        return build_report(self, a, b, **kwargs)

    # -- report: the events behind a figure, the glossary (issue 15) ----------
    def events(self, a: str, b: str, **kwargs) -> pd.DataFrame:
        """The events between ``a`` and ``b`` in a period, names beside codes; see
        :func:`dyadwatch.analysis.evidence.list_events`."""
        from dyadwatch.analysis.evidence import list_events

        return list_events(self.con, a, b, **kwargs)

    def explain(self, term: str) -> dict:
        """A glossary entry (formula, range, unit, source); see :func:`dyadwatch.report.glossary.explain`."""
        from dyadwatch.report.glossary import explain

        return explain(term, self.con)

    # -- scale: storage layout and engines (issue 7) ---------------------------
    def optimize(self):
        """Re-sort events by dyad and date; see :func:`dyadwatch.store.layout.optimize`."""
        from dyadwatch.store.layout import optimize

        return optimize(self.con)

    def quad_class_counts(self, **kwargs) -> pd.DataFrame:
        """All-dyad QuadClass counts on DuckDB or Spark; see :func:`dyadwatch.analysis.engine.quad_class_counts`."""
        from dyadwatch.analysis.engine import quad_class_counts

        return quad_class_counts(con=self.con, **kwargs)

    # -- panels and ideal points (issue 17) -------------------------------------
    def idealpoints(self, **kwargs) -> pd.DataFrame:
        """UN ideal points per state-session; see :func:`dyadwatch.analysis.idealpoints.ideal_points`."""
        from dyadwatch.analysis.idealpoints import ideal_points

        return ideal_points(self.con, **kwargs)

    def create_dyadyears(self, **kwargs):
        """A dyad-year panel to chain ``add_*`` on; see :func:`dyadwatch.analysis.panels.create_dyadyears`."""
        from dyadwatch.analysis.panels import create_dyadyears

        return create_dyadyears(self.con, **kwargs)
