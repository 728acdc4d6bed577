"""Collect: readers that turn native file formats into canonical rows.

See :mod:`dyadwatch.sources.formats` for the reader registry.
"""
