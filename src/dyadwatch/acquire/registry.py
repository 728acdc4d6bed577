"""The dataset registry: where each data set of the field comes from.

The records are data, not code: ``acquire/datasets.yaml`` holds one record
per data set (publisher, landing URL, version, licence, citation, the reader
that parses its files, how the files are found on the network and how they
are named in an offline mirror). This module loads and checks them; the
network side is in :mod:`dyadwatch.acquire.plan` and
:mod:`dyadwatch.acquire.fetch`.

>>> from dyadwatch.acquire import registry
>>> registry.get("unvotes").format
'unvotes'
>>> "gdelt2" in registry.names()
True
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from dyadwatch.errors import InputError, UnknownNameError

#: source kinds understood by :mod:`dyadwatch.acquire.plan`
SOURCE_KINDS = ("files", "daily", "masterlist", "dataverse", "mirror-only")
_REQUIRED = ("name", "title", "publisher", "landing_url", "version", "licence", "citation", "source")


@dataclass(frozen=True)
class MirrorFile:
    """One file of a data set in the ``../shared/data`` mirror layout.

    ``path`` is relative to the mirror root; ``format`` overrides the data
    set's reader for this file (``None``: use the data set's); ``sha256`` is
    the file's checksum as the registry records it (from the mirror's
    ``provenance.csv`` when the record was written), checked as well as the
    mirror's own.
    """

    path: str
    format: str | None = None
    sha256: str | None = None


@dataclass(frozen=True)
class Dataset:
    """One registry record (see the header of ``datasets.yaml`` for the keys).

    Attributes
    ----------
    name : str
        Registry name (``gdelt1``, ``unvotes`` ...).
    format : str or None
        Reader name in :mod:`dyadwatch.sources.formats`; ``None`` when no
        reader exists yet (files are fetched but cannot be ingested).
    source : dict
        ``kind`` (one of :data:`SOURCE_KINDS`) and its parameters.
    mirror : tuple of MirrorFile
        Paths in the mirror layout of ``../shared/data``.
    """

    name: str
    title: str
    publisher: str
    landing_url: str
    version: str
    licence: str
    citation: str
    format: str | None
    source: dict[str, Any]
    mirror: tuple[MirrorFile, ...] = ()
    checked: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """The source kind (``files``, ``daily``, ``masterlist``, ``dataverse``, ``mirror-only``)."""
        return self.source["kind"]

    @property
    def needs_dates(self) -> bool:
        """True when the data set is one file per day/15 minutes and a date range picks the files."""
        return self.kind in ("daily", "masterlist")

    def provenance_row(self) -> dict[str, Any]:
        """The fields of the ``dataset_provenance`` table that the registry knows."""
        urls = [f["url"] for f in self.source.get("files", [])]
        return {
            "dataset": self.name,
            "title": self.title,
            "publisher": self.publisher,
            "landing_url": self.landing_url,
            "version": self.version,
            "licence": self.licence,
            "citation": self.citation,
            "url_rule": self.source.get("url") or self.source.get("doi") or (urls[0] if urls else None),
        }


def _parse(record: dict[str, Any], where: str) -> Dataset:
    missing = [k for k in _REQUIRED if k not in record]
    if missing:
        raise ValueError(f"{where}: registry record {record.get('name')!r} lacks {', '.join(missing)}")
    kind = record["source"].get("kind")
    if kind not in SOURCE_KINDS:
        raise ValueError(f"{where}: record {record['name']!r} has source kind {kind!r}; "
                         f"expected one of {', '.join(SOURCE_KINDS)}")
    first = record["source"].get("first_date")
    if isinstance(first, str):
        record["source"]["first_date"] = dt.date.fromisoformat(first)
    mirror = tuple(MirrorFile(path=m["path"], format=m.get("format"),
                              sha256=(str(m["sha256"]).lower() if m.get("sha256") else None))
                   for m in record.get("mirror") or [])
    known = set(_REQUIRED) | {"format", "mirror", "checked"}
    return Dataset(
        name=record["name"], title=record["title"], publisher=record["publisher"],
        landing_url=record["landing_url"], version=str(record["version"]), licence=record["licence"],
        citation=record["citation"], format=record.get("format"), source=dict(record["source"]),
        mirror=mirror, checked=record.get("checked", ""),
        extra={k: v for k, v in record.items() if k not in known},
    )


@lru_cache(maxsize=1)
def _builtin() -> dict[str, Dataset]:
    text = resources.files("dyadwatch.acquire").joinpath("datasets.yaml").read_text(encoding="utf-8")
    records = yaml.safe_load(text)
    out: dict[str, Dataset] = {}
    for rec in records:
        ds = _parse(rec, "datasets.yaml")
        if ds.name in out:
            raise ValueError(f"datasets.yaml: dataset {ds.name!r} appears twice")
        out[ds.name] = ds
    return out


_EXTRA: dict[str, Dataset] = {}

#: environment variable naming extra registry YAML files (``os.pathsep``-separated),
#: in the layout of ``datasets.yaml``: a user's own data sets or a local mirror server
ENV_REGISTRY = "DYADWATCH_REGISTRY"


@lru_cache(maxsize=8)
def _user_files(value: str) -> dict[str, Dataset]:
    out: dict[str, Dataset] = {}
    for name in filter(None, value.split(os.pathsep)):
        path = Path(name)
        try:
            records = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise InputError(f"cannot read registry file ({exc.strerror})", path=path,
                             hint=f"check ${ENV_REGISTRY}") from None
        except yaml.YAMLError as exc:
            line = getattr(getattr(exc, "problem_mark", None), "line", None)
            raise InputError(f"not valid YAML ({getattr(exc, 'problem', exc)})", path=path,
                             line=None if line is None else line + 1) from None
        if not isinstance(records, list):
            raise InputError("expected a list of dataset records", path=path)
        for rec in records:
            try:
                ds = _parse(dict(rec), str(path))
            except (ValueError, TypeError, KeyError) as exc:
                raise InputError(str(exc), path=path) from None
            out[ds.name] = ds
    return out


def register(record: dict[str, Any] | Dataset) -> Dataset:
    """Add (or replace) a registry record, as a plug-in or a test would.

    Parameters
    ----------
    record : dict with the keys of ``datasets.yaml``, or a :class:`Dataset`.

    Raises
    ------
    ValueError
        If a required key is missing or the source kind is unknown.
    """
    ds = record if isinstance(record, Dataset) else _parse(dict(record), "register()")
    _EXTRA[ds.name] = ds
    return ds


def unregister(name: str) -> None:
    """Remove a record added with :func:`register` (built-ins stay)."""
    _EXTRA.pop(name, None)


def datasets() -> dict[str, Dataset]:
    """Every registered data set, name -> :class:`Dataset`: built-ins, then the
    files named in ``$DYADWATCH_REGISTRY``, then :func:`register` calls (a later
    record replaces an earlier one of the same name).

    Raises
    ------
    InputError
        A file of ``$DYADWATCH_REGISTRY`` is missing or malformed.
    """
    return {**_builtin(), **_user_files(os.environ.get(ENV_REGISTRY, "")), **_EXTRA}


def names() -> list[str]:
    """Registry names in file order."""
    return list(datasets())


def get(name: str) -> Dataset:
    """The record called ``name``.

    Raises
    ------
    UnknownNameError
        Listing the registered names.
    """
    all_ = datasets()
    if name not in all_:
        raise UnknownNameError(f"unknown dataset {name!r}; known datasets: {', '.join(all_)}",
                               hint="see `dyadwatch fetch --help`")
    return all_[name]
