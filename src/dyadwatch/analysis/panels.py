"""Dyad-year panels: ``create_dyadyears()`` and ``add_*`` (peacesciencer's vocabulary), on DuckDB or Spark.

>>> import dyadwatch                                              # doctest: +SKIP
>>> dw = dyadwatch.open("out/dyadwatch.duckdb")
>>> p = dw.create_dyadyears(system="cow", years=(1946, 2014)).add_atop().add_nmc().add_unvotes()
>>> df = p.to_pandas()          # ccode1, ccode2, year, atop_defense, ..., cinc1, cinc2, ..., kappa
>>> p.write("panel.parquet")    # streamed by the engine, not through pandas

Rows: :mod:`dyadwatch.analysis.panel_base` (states that co-existed on a day
of the year; directed or not; COW or Gleditsch-Ward). Columns: the
measures of :mod:`dyadwatch.analysis.panel_measures` (``majors, nmc, igos,
atop, ucdp``), :mod:`~dyadwatch.analysis.panel_votes_events` (``unvotes,
idealpoints, events``) and :mod:`~dyadwatch.analysis.panel_conflict`
(``mids, wars, rivalries``), each documented column by column
(:meth:`DyadYears.columns`) and cited (:meth:`DyadYears.citations`).

One definition, two engines: every step is an Ibis expression. On DuckDB
(default) it runs in the store; on Spark (``engine="spark"``, local or a
cluster ``master``) the store tables it needs are exported to Parquet (in
``export_dir``, a temporary directory by default) and the same expressions
run there.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import ibis
import ibis.expr.types as ir
import pandas as pd

from dyadwatch.analysis import panel_base as base
from dyadwatch.analysis import panel_measures as pm
from dyadwatch.analysis.engine_backends import check_engine, connect
from dyadwatch.analysis.states import year_range
from dyadwatch.errors import OutputError, UsageError

OUT_FORMATS = (".parquet", ".csv")


class DyadYears:
    """A dyad-year panel being built: rows from :func:`create_dyadyears`, columns from ``add_*``.

    Attributes
    ----------
    system : ``"cow"`` or ``"gw"``.
    directed : both orders of every dyad (True) or ``code1 < code2``.
    lo, hi : first and last year.
    keys : the key columns, ``("ccode1", "ccode2")`` or ``("gwcode1", "gwcode2")``, then ``year``.
    added : names of the measures added, in order.
    """

    def __init__(self, con, *, system: str = "cow", years=None, directed: bool = False, mry: bool = True,
                 engine: str = "duckdb", master: str | None = None, export_dir=None) -> None:
        self.con = con
        self.system = base.check_system(system)
        self.directed = bool(directed)
        self.mry = bool(mry)
        self.engine = check_engine(engine)
        first, last, self.list_end = base.list_span(con, self.system)
        lo, hi = year_range(years)
        self.lo = first if lo is None else lo
        self.hi = (last if hi is None else hi)
        if not self.mry:
            self.hi = min(self.hi, last)
        if self.lo > self.hi:
            raise UsageError(f"no years to build: --from {self.lo} is after the last year {self.hi}",
                             hint=f"the {system.upper()} list covers {first}-{last} (mry carries it further)")
        self.keys = (*base.KEYS[self.system], "year")
        self.added: list[str] = []
        self._tmp = None
        if self.engine == "spark":
            self._tmp = export_dir or tempfile.mkdtemp(prefix="dyadwatch-panel-")
        self.backend = connect(self.engine, con=con if self.engine == "duckdb" else None, master=master)
        self._tables: dict[str, ir.Table] = {}
        spells = self.table("state_system")
        rows = base.dyad_years_expr(spells, self.system, self.lo, self.hi, list_end=self.list_end,
                                    mry=self.mry, directed=self.directed)
        self.expr = self._with_maps(rows)

    # -- tables and code maps ------------------------------------------------------------------
    def table(self, name: str) -> ir.Table:
        """The store table ``name`` on this panel's engine (exported to Parquet for Spark)."""
        if name not in self._tables:
            if self.engine == "duckdb":
                self._tables[name] = self.backend.table(name)
            else:
                from dyadwatch.analysis.engine_backends import register_parquet

                path = os.path.join(self._tmp, f"{name}.parquet")
                self.con.execute(f"COPY (SELECT * FROM {name}) TO '{path}' (FORMAT parquet)")
                self._tables[name] = register_parquet(self.backend, f"dw_{name}", path)
        return self._tables[name]

    def years_table(self) -> ir.Table:
        return base.years_table(self.lo, self.hi)

    def _with_maps(self, rows: ir.Table) -> ir.Table:
        codes = [r[0] for r in self.con.execute("SELECT DISTINCT code FROM state_system WHERE system = ?",
                                                [self.system]).fetchall()]
        maps = ibis.memtable(base.code_maps(codes, self.system, self.lo, self.hi))
        k1, k2 = base.KEYS[self.system]
        out = rows
        for side, k in ((1, k1), (2, k2)):
            m = maps.select(**{f"_mc{side}": maps.code, f"_my{side}": maps.year, f"_iso{side}": maps.iso3,
                               f"_alt{side}": maps.other}).view()
            j = out.left_join(m, [out[k] == m[f"_mc{side}"], out.year == m[f"_my{side}"]])
            out = j.select(*out.columns, j[f"_iso{side}"], j[f"_alt{side}"])
        return out

    def code_col(self, system: str, side: int) -> str:
        """Name of the column holding side ``side``'s code in ``system`` (``cow``, ``gw`` or ``iso3``)."""
        if system == "iso3":
            return f"_iso{side}"
        if system == self.system:
            return base.KEYS[self.system][side - 1]
        return f"_alt{side}"

    # -- adding measures -----------------------------------------------------------------------
    def add(self, *names: str) -> "DyadYears":
        """Add measures by name (``"atop"``, ``"nmc"``, ...; a comma-separated string works too)."""
        flat = [n.strip().lower() for name in names for n in str(name).split(",") if n.strip()]
        for name in flat:
            m = pm.get(name)
            if name in self.added:
                continue
            missing = [t for t in m.tables if not _has_rows(self.con, t)]
            if missing:
                raise UsageError(f"measure {name!r} needs table(s) {', '.join(missing)}, which the store does not hold",
                                 hint=f"dyadwatch fetch {m.dataset[0]} --mirror ../shared/data --ingest")
            self.expr = m.add(self, self.expr)
            self.added.append(name)
        return self

    def add_majors(self): return self.add("majors")          # noqa: E704
    def add_nmc(self): return self.add("nmc")                # noqa: E704
    def add_igos(self): return self.add("igos")              # noqa: E704
    def add_atop(self): return self.add("atop")              # noqa: E704
    def add_ucdp(self): return self.add("ucdp")              # noqa: E704
    def add_unvotes(self): return self.add("unvotes")        # noqa: E704
    def add_idealpoints(self): return self.add("idealpoints")  # noqa: E704
    def add_events(self): return self.add("events")          # noqa: E704
    def add_mids(self): return self.add("mids")              # noqa: E704
    def add_wars(self): return self.add("wars")              # noqa: E704
    def add_rivalries(self): return self.add("rivalries")    # noqa: E704

    # -- output -------------------------------------------------------------------------------
    def expression(self) -> ir.Table:
        """The finished Ibis expression: keys, then the added columns, sorted by year and dyad."""
        cols = [c for c in self.expr.columns if not c.startswith("_")]
        return self.expr.select(*cols).order_by(["year", *self.keys[:2]])

    def to_pandas(self) -> pd.DataFrame:
        """The panel as a pandas DataFrame (nullable integer columns keep NULL as <NA>)."""
        df = self.expression().to_pyarrow().to_pandas(types_mapper=_nullable)
        df.attrs["columns"] = self.columns()
        return df

    def to_arrow(self):
        """The panel as a pyarrow Table."""
        return self.expression().to_pyarrow()

    def write(self, path) -> int:
        """Write the panel to ``path`` (``.parquet`` or ``.csv``, atomically); returns the row count.

        Raises
        ------
        UsageError
            Another file extension.
        OutputError
            The file cannot be written.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in OUT_FORMATS:
            raise UsageError(f"unknown output format {path.suffix or path.name!r}; give a .parquet or .csv file")
        part = path.with_name(path.name + ".part")
        try:
            table = self.to_arrow()
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                pq.write_table(table, part, compression="zstd")
            else:
                import pyarrow.csv as pcsv

                pcsv.write_csv(table, part)
            os.replace(part, path)
        except OSError as exc:
            try:
                part.unlink()
            except OSError:
                pass
            raise OutputError(f"cannot write the panel: {exc.strerror or exc}", path=path) from None
        return table.num_rows

    def columns(self) -> list[dict]:
        """Every column of the panel: ``name, type, coding, source`` (registry data set), ``citation``."""
        from dyadwatch.acquire import registry

        k1, k2 = base.KEYS[self.system]
        sysname = "Correlates of War state code" if self.system == "cow" else "Gleditsch-Ward state code"
        src = f"{self.system}-states"
        out = [{"name": k1, "type": "int32", "coding": f"{sysname} of the first state", "source": src},
               {"name": k2, "type": "int32", "coding": f"{sysname} of the second state", "source": src},
               {"name": "year", "type": "int32", "coding": "calendar year; both states members of the system on "
                                                          "a common day of it", "source": src}]
        for name in self.added:
            m = pm.get(name)
            for c in m.columns:
                out.append({"name": c.name, "type": c.type, "coding": c.coding, "source": ", ".join(m.dataset)})
        cites = {}
        for row in out:
            for ds in row["source"].split(", "):
                if ds not in cites:
                    try:
                        cites[ds] = registry.get(ds).citation
                    except Exception:  # a data set the registry does not know (a plug-in's)
                        cites[ds] = None
            row["citation"] = " | ".join(c for c in (cites[d] for d in row["source"].split(", ")) if c)
        return out

    def close(self) -> None:
        """Remove the Spark export directory (when this object made it)."""
        if self._tmp and self._tmp.startswith(tempfile.gettempdir()):
            import shutil

            shutil.rmtree(self._tmp, ignore_errors=True)


def _nullable(t):
    import pyarrow as pa

    mapping = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
               pa.int64(): pd.Int64Dtype()}
    return mapping.get(t)


def _has_rows(con, table: str) -> bool:
    import duckdb

    try:
        return bool(con.execute(f"SELECT EXISTS (SELECT 1 FROM {table})").fetchall()[0][0])
    except duckdb.CatalogException:
        return False


def create_dyadyears(con, *, system: str = "cow", years=None, directed: bool = False, mry: bool = True,
                     engine: str = "duckdb", master: str | None = None) -> DyadYears:
    """Start a dyad-year panel (peacesciencer's ``create_dyadyears``).

    Parameters
    ----------
    con : the store's DuckDB connection (holding ``state_system``).
    system : ``"cow"`` (keys ``ccode1, ccode2, year``) or ``"gw"`` (``gwcode1, gwcode2, year``).
    years : ``(first, last)`` inclusive, an int or None (the list's years).
    directed : both orders of every dyad, or ``code1 < code2`` (default; peacesciencer defaults to directed).
    mry : carry states still members at the list's end to the last requested year.
    engine : ``"duckdb"`` (default) or ``"spark"``; ``master`` a Spark master URL.

    Returns
    -------
    :class:`DyadYears` - chain ``.add_*()`` then ``.to_pandas()`` / ``.write(path)``.

    Raises
    ------
    UsageError
        Unknown system or engine; no state list of that system in the store;
        first year after the last.
    """
    return DyadYears(con, system=system, years=years, directed=directed, mry=mry, engine=engine, master=master)
