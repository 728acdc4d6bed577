"""The glossary: every measure, label and data set dyadwatch shows, with formula, range, unit and source.

The entries are data (``glossary.yaml`` beside this module). The report's
"Glossary" section lists them; ``dyadwatch explain TERM`` prints one. A term
may also be a CAMEO code (``057``), a CAMEO root (``19``), a PLOVER type
(``CONSULT``), a QuadClass (``QC4``), a country (``IRN``, ``Iran``) or a data
set label of the store (``icews14``); those are answered from the codebooks.

With a store connection, each data set entry also gets the years the store
holds (``in_store``) beside the years the full data set covers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from dyadwatch.errors import UnknownNameError

FIELDS = ("name", "what", "formula", "range", "unit", "source", "read")
DATASET_FIELDS = ("name", "cite_as", "text", "cannot", "coverage", "in_store")


@lru_cache(maxsize=1)
def _data() -> dict:
    text = resources.files("dyadwatch.report").joinpath("glossary.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z'%]+", " ", str(text).lower().replace("-", " ")).split())


def terms() -> list[dict]:
    """The measure and label entries (dicts with :data:`FIELDS` plus ``key``, ``aliases``)."""
    return [dict(t) for t in _data()["terms"]]


def datasets(con=None) -> list[dict]:
    """The data set entries with their short citation (``cite_as``, from the registry) and, with
    a store ``con``, ``in_store``: the years the store holds (e.g. ``"2005–2015"``) or None."""
    from dyadwatch.acquire.citations import cite_as

    held = _store_years(con) if con is not None else {}
    out = []
    for d in _data()["datasets"]:
        d = dict(d)
        d["cite_as"] = cite_as(d["registry"]) if d.get("registry") else cite_as("text")
        d["in_store"] = held.get(d["key"])
        out.append(d)
    return out


def _family(label: str, fmt: str | None) -> str:
    """The glossary data-set key of a store dataset label (and its reader)."""
    if label == "text" or fmt == "text":
        return "text"
    if label.startswith("gdelt"):
        return "gdelt"
    for key in ("icews-dyad-year", "icews-names", "unvotes", "atop", "ucdp-acd", "unsc-vetoes"):
        if fmt == key or label == key:
            return key
    if re.fullmatch(r"icews\d[\d-]*", label):
        return "icews-names"
    if label.startswith("icews"):
        return "icews"
    return label


def _store_years(con) -> dict[str, str]:
    """Glossary data-set key -> the years the store holds (``"2005–2015"``)."""
    spans: dict[str, list[int]] = {}
    queries = {
        "events": "SELECT e.dataset, b.format, min(year(e.event_date)), max(year(e.event_date)) FROM events e "
                  "LEFT JOIN (SELECT DISTINCT dataset, format FROM ingest_batches) b USING (dataset) GROUP BY ALL",
        "dyad_counts": "SELECT dataset, 'icews-dyad-year', min(year), max(year) FROM dyad_counts GROUP BY ALL",
        "un_roll_calls": "SELECT 'unvotes', 'unvotes', min(year), max(year) FROM un_roll_calls",
        "atop_alliances": "SELECT 'atop', 'atop', min(year), max(year) FROM atop_alliances",
        "ucdp_conflicts": "SELECT 'ucdp-acd', 'ucdp-acd', min(year), max(year) FROM ucdp_conflicts",
        "unsc_vetoes": "SELECT 'unsc-vetoes', 'unsc-vetoes', min(year), max(year) FROM unsc_vetoes",
    }
    for _table, sql in queries.items():
        try:
            rows = con.execute(sql).fetchall()
        except Exception:  # a table this store does not have
            continue
        for label, fmt, lo, hi in rows:
            if label is None or lo is None:
                continue
            key = _family(str(label), fmt)
            span = spans.setdefault(key, [int(lo), int(hi)])
            span[0], span[1] = min(span[0], int(lo)), max(span[1], int(hi))
    return {k: (f"{lo}" if lo == hi else f"{lo}–{hi}") for k, (lo, hi) in spans.items()}


def explain(term: str, con=None) -> dict:
    """The best glossary entry for ``term`` (the first of :func:`explain_all`).

    Parameters
    ----------
    term : a glossary key or alias (``kappa``, ``net cooperation``), a data
        set (``icews``, ``icews14``), a CAMEO code or root (``057``, ``19``),
        a PLOVER type (``CONSULT``), ``QC1``…``QC4``, or a country (``IRN``).
    con : optional store connection (adds the years the store holds to a data set).

    Returns
    -------
    dict with ``kind`` (``measure``, ``dataset``, ``cameo``, ``plover``,
    ``quadclass``, ``country``) and the entry's fields.

    Raises
    ------
    UnknownNameError
        Nothing matches; the message lists the glossary's terms.
    """
    return explain_all(term, con)[0]


def explain_all(term: str, con=None) -> list[dict]:
    """Every glossary entry ``term`` names, best first (a name can mean two things: ``AGREE``, PLOVER's
    event type, and ``agree``, the UN-voting agreement share).

    Matching ignores case, except that a term written in capitals that is a PLOVER type (``AGREE``,
    ``SUPPORT``) puts the PLOVER entry first; otherwise measures and data sets come first. Returns a non-empty
    list of dicts as :func:`explain`, each with its ``kind``. Raises :class:`UnknownNameError` when nothing
    matches (the message lists the glossary's terms once each).
    """
    from dyadwatch.codebooks import labels

    raw = str(term or "").strip()
    key = _norm(raw)
    found: list[dict] = []
    for t in terms():
        if key in {_norm(t["key"]), _norm(t["name"]), *(_norm(a) for a in t.get("aliases") or [])}:
            found.append({"kind": "measure", **{k: t.get(k) for k in ("key", *FIELDS)}})
            break
    fmt = None
    if con is not None:
        try:
            hit = con.execute("SELECT any_value(format) FROM ingest_batches WHERE dataset = ?", [raw]).fetchone()
            fmt = hit[0] if hit else None
        except Exception:  # a store without batches
            fmt = None
    family = _norm(_family(raw, fmt))
    for d in datasets(con):
        if key in {_norm(d["key"]), _norm(d.get("registry") or "")} or family == _norm(d["key"]):
            found.append({"kind": "dataset", "key": d["key"], **{k: d.get(k) for k in DATASET_FIELDS}})
            break
    if re.fullmatch(r"qc ?[1-4]", key):
        qc = int(key[-1])
        found.append({"kind": "quadclass", "key": f"QC{qc}", "name": labels.quad_class_name(qc),
                      "what": f"QuadClass {qc}: {labels.quad_class_name(qc)}", **_term_fields("quadclass")})
    if raw.isdigit():
        from dyadwatch.codebooks import cameo

        try:
            c = cameo.lookup(raw)
        except UnknownNameError:
            c = None
        if c is not None:
            found.append({"kind": "cameo", "key": c.code, "name": c.name,
                          "what": f"CAMEO {c.code}: {c.name} (root {c.root}: {labels.cameo_name(c.root)})",
                          "goldstein": c.goldstein,
                          "quad_class": f"{c.quad_class} {labels.quad_class_name(c.quad_class)}",
                          "plover": labels.plover_label(c.plover_type),
                          "source": "Gerner et al. (2012), CAMEO Event and Actor Codebook 1.1b3; Goldstein (1992)"})
    if raw.upper() in labels.PLOVER_GLOSS:
        from dyadwatch.codebooks.plover import plover_to_cameo_roots

        p = raw.upper()
        try:
            roots = plover_to_cameo_roots(p)
        except Exception:
            roots = []
        entry = {"kind": "plover", "key": p, "name": p, "what": labels.PLOVER_GLOSS[p],
                 "cameo_roots": ", ".join(labels.cameo_label(r) for r in roots) or "—",
                 "source": "PLOVER manual (Open Event Data Alliance); Halterman et al. (2023)"}
        if raw == p:  # written in capitals: the PLOVER type is meant first
            found.insert(0, entry)
        else:
            found.append(entry)
    if not found:
        from dyadwatch.codebooks import countries

        iso = countries.iso3(raw) if raw else None
        if iso:
            found.append({"kind": "country", "key": iso, "name": labels.country_name(iso),
                          "what": f"{labels.country_label(iso)}; region {labels.region_of(iso) or 'unknown'} "
                                  f"(Correlates of War code blocks); COW code {countries.iso3_to_cow(iso, 2015) or '—'}, "
                                  f"Gleditsch–Ward code {countries.iso3_to_gw(iso, 2015) or '—'} (2015)",
                          "source": "ISO 3166-1; Correlates of War Project (2017); Gleditsch & Ward (1999)"})
    if found:
        return found
    known = list(dict.fromkeys([t["key"] for t in terms()] + [d["key"] for d in _data()["datasets"]]))
    raise UnknownNameError(f"no glossary entry for {term!r}; terms: {', '.join(known)}",
                           hint="or a CAMEO code (057), a PLOVER type (CONSULT), QC1..QC4 or a country (IRN)")


def _term_fields(key: str) -> dict:
    t = next(t for t in terms() if t["key"] == key)
    return {k: t.get(k) for k in ("formula", "range", "unit", "source")}


def glossary(con=None) -> dict:
    """The report's glossary section: ``{"terms": [...], "datasets": [...]}`` (see :func:`terms`,
    :func:`datasets`)."""
    return {"terms": [{k: t.get(k) for k in ("key", *FIELDS)} for t in terms()], "datasets": datasets(con)}
