"""Citations of the data sets: short names for tables, full text, BibTeX, JSON.

The fields come from the registry records (``datasets.yaml``: ``citation``,
``cite_as``, ``bib``), so a data set is cited the same way in the report, in
``dyadwatch cite`` and in every table that names it.

A store labels its event rows with a dataset label (``events.dataset``):
the registry name (``icews``, ``unvotes``), or a label of its own for a
file read by a registered reader (``icews14`` read by ``icews-names``), or
``text`` for events dyadwatch coded from documents. :func:`cite_as` maps
any of them to the short citation.
"""

from __future__ import annotations

import re

from dyadwatch.acquire import registry

#: the short name of events coded by dyadwatch itself from text (no registry record)
TEXT_CITE_AS = "dyadwatch coder (events coded from documents)"

#: BibTeX fields written, in this order, when a record's ``bib`` has them
BIB_FIELDS = ("author", "year", "title", "journal", "booktitle", "volume", "number", "pages", "publisher",
              "address", "doi", "url", "note")


def record_for(label: str | None, fmt: str | None = None):
    """The registry record of a dataset label (or of its reader ``fmt``), or None."""
    if not label:
        return None
    known = registry.datasets()
    if label in known:
        return known[label]
    if fmt:
        if fmt in known:
            return known[fmt]
        for rec in known.values():
            if rec.format == fmt:
                return rec
    return None


def cite_as(label: str | None, fmt: str | None = None) -> str | None:
    """Short citation of a dataset label: ``"ICEWS (Boschee et al. 2015)"``.

    ``text`` -> :data:`TEXT_CITE_AS`; a label without a registry record ->
    the label itself; None -> None.
    """
    if label is None:
        return None
    if label == "text":
        return TEXT_CITE_AS
    rec = record_for(label, fmt)
    if rec is None:
        return label
    return rec.extra.get("cite_as") or rec.title


def dataset_name(label: str, names: dict[str, str] | None = None) -> str:
    """A data set's name as dyadwatch shows it: its short citation in the store (``names``, from
    :func:`store_labels`: found through the store's own format of the label, e.g. ``icews14`` read
    by ``icews-names``), else the registry's (:func:`cite_as`), else the label itself.

    >>> dataset_name("text")
    'dyadwatch coder (events coded from documents)'
    """
    return (names or {}).get(label) or cite_as(label) or label


def store_labels(con) -> dict[str, str]:
    """Every dataset label the store holds -> its short citation (via ``ingest_batches.format``)."""
    out: dict[str, str] = {}
    try:
        rows = con.execute("SELECT DISTINCT dataset, format FROM ingest_batches WHERE dataset IS NOT NULL").fetchall()
    except Exception:  # a store without batches (tests build tables directly)
        rows = []
    for label, fmt in rows:
        out[label] = cite_as(label, fmt) or label
    return out


def _key(rec) -> str:
    bib = rec.extra.get("bib") or {}
    first = re.split(r"[ ,]", str(bib.get("author") or rec.publisher).strip("{}"))[0]
    return re.sub(r"[^A-Za-z0-9]", "", first).lower() + str(bib.get("year") or "") + "_" + \
        re.sub(r"[^A-Za-z0-9]", "", rec.name)


def _bib_value(v) -> str:
    return str(v).replace("\n", " ")


def bibtex(name: str) -> str:
    """The BibTeX entry of registry record ``name`` (from its ``bib`` fields; a ``@misc`` with the
    title, publisher, URL and the citation text as a note when the record has none).

    Raises
    ------
    UnknownNameError
        ``name`` is not in the registry.
    """
    rec = registry.get(name)
    bib = dict(rec.extra.get("bib") or {})
    kind = bib.pop("type", "misc")
    if not bib:
        bib = {"author": "{" + rec.publisher + "}", "title": rec.title, "url": rec.landing_url,
               "note": rec.citation}
    bib.setdefault("url", rec.landing_url)
    bib.setdefault("note", f"Version {rec.version}" if rec.version else None)
    lines = [f"@{kind}{{{_key(rec)},"]
    for field in BIB_FIELDS:
        if bib.get(field) not in (None, ""):
            lines.append(f"  {field} = {{{_bib_value(bib[field])}}},")
    lines.append("}")
    return "\n".join(lines)
