"""Acquire: get data from its publishers (or an offline mirror) and news from the web.

``registry`` (the data-set records of ``datasets.yaml``), ``plan`` (which files
a request means), ``download`` (checksummed, resumable HTTP), ``mirror``
(copy from a local mirror directory), ``fetch`` (the three together, writing
``DEST/provenance.csv``) and ``collect`` (news feeds and pages into the
``documents`` table). Reading the files is :mod:`dyadwatch.sources`' job.
"""
