"""Acquire: get data from its publishers (or an offline mirror) and news from the web.

``registry`` (the data-set records of ``datasets.yaml``), ``plan`` (which files
a request means), ``http`` (the shared policy: retries, back-off, caps,
deadlines), ``download`` (checksummed, resumable, capped files), ``mirror``
(copy from a local mirror directory), ``fetch`` (the three together, writing
``DEST/provenance.csv``), ``guard`` (an httpx transport that reaches public
addresses only and enforces a deadline on every byte), ``web`` (robots.txt,
per-host rate limit, redirects checked hop by hop, size cap) and
``collect`` (news feeds and pages into the ``documents`` table). Reading the
files is :mod:`dyadwatch.sources`' job.
"""
