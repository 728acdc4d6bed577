"""Tests of the reference code tables (CAMEO, PLOVER, countries)."""
