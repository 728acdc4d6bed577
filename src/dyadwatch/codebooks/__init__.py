"""Reference code tables written by dyadwatch from the codebooks.

* :mod:`dyadwatch.codebooks.cameo` — CAMEO 1.1b3 event codes (name, root,
  QuadClass, Goldstein, PLOVER type).
* :mod:`dyadwatch.codebooks.plover` — the CAMEO -> PLOVER crosswalk.
* :mod:`dyadwatch.codebooks.countries` — ISO 3166-1 / CAMEO / COW /
  Gleditsch-Ward country codes with the years each code is valid.

Not a pipeline stage: every stage may import it. The tables live in
``codebooks/data/*.csv`` and are loaded once (``functools.lru_cache``).
"""
