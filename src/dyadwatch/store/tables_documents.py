"""Tables for collected documents and for the provenance of fetched data sets.

``documents``
    one news article (or other text) collected by ``dyadwatch collect``:
    stored once per canonical URL (``doc_id`` = ``doc:`` + the first 16 hex
    digits of the sha256 of the canonical URL) and never twice with the same
    text (``content_hash`` = sha256 of the whitespace-normalised text); the
    event coder reads ``text`` and writes ``events.doc_id``.
``document_links``
    which link (a URL a feed or a user gave, canonical) led to which stored
    document, when the two differ: the link redirected to the document's
    URL, or its text was that of a stored document. ``collect`` looks links
    up here before fetching, so such a link is not fetched again.
``dataset_provenance``
    one row per file of a data set that ``dyadwatch fetch`` stored: who
    publishes it, where it came from (``file_url``: the publisher's URL, or
    ``file://...`` for a mirror copy, with ``origin`` saying which), which
    version and licence, the citation, the checksum checked
    (``md5:HEX`` when the publisher's MD5 was checked, else ``sha256:HEX``),
    and the ingest batch it went into. ``dyadwatch cite`` and the report
    footer read it; look-ups are by ``dataset``.
"""

from __future__ import annotations

from dyadwatch.store.schema import TableSpec, register_table

DOCUMENTS = register_table(TableSpec(
    name="documents",
    columns=(
        ("doc_id", "VARCHAR"),
        ("url", "VARCHAR"),
        ("title", "VARCHAR"),
        ("publisher", "VARCHAR"),
        ("published", "TIMESTAMP"),
        ("text", "VARCHAR"),
        ("fetched_at", "TIMESTAMP"),
        ("content_hash", "VARCHAR"),
        ("feed_url", "VARCHAR"),
    ),
    key=("doc_id",),
    doc="one collected article: canonical URL, title, publisher, published time (UTC), main text",
    with_batch=False,
))

DOCUMENT_LINKS = register_table(TableSpec(
    name="document_links",
    columns=(
        ("link_id", "VARCHAR"),
        ("link_url", "VARCHAR"),
        ("doc_id", "VARCHAR"),
    ),
    key=("link_id",),
    doc="a link (canonical URL, link_id = doc_id_for(link)) that led to a stored document under another URL",
    with_batch=False,
))

DATASET_PROVENANCE = register_table(TableSpec(
    name="dataset_provenance",
    columns=(
        ("dataset", "VARCHAR"),
        ("title", "VARCHAR"),
        ("publisher", "VARCHAR"),
        ("landing_url", "VARCHAR"),
        ("file_url", "VARCHAR"),
        ("local_file", "VARCHAR"),
        ("origin", "VARCHAR"),
        ("version", "VARCHAR"),
        ("licence", "VARCHAR"),
        ("citation", "VARCHAR"),
        ("checksum", "VARCHAR"),
        ("verified_by", "VARCHAR"),
        ("fetched_at", "TIMESTAMP"),
        ("batch_id", "INTEGER"),
    ),
    key=("dataset", "file_url"),
    doc="one fetched file of a data set: publisher, URL, version, licence, citation, checksum, batch",
    with_batch=False,
))
