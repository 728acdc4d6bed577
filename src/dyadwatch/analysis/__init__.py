"""Analyse: dyads, alignment, relations, changes, blocs (reads canonical tables only)."""
