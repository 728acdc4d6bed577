"""The runnable examples in the package docstring and the README's API names are real."""

from __future__ import annotations

import doctest
import re

from dyadwatch.codebooks import actors


def test_package_docstring_examples_run():
    result = doctest.testmod(actors, verbose=False)
    assert result.attempted >= 5 and result.failed == 0


def test_readme_documents_every_file_and_public_name():
    readme = (actors.DATA_DIR / "README.md").read_text(encoding="utf-8")
    for path in actors.builtin_files():
        stem = path.name
        assert stem in readme or re.sub(r"people_\w+", "people_*", stem) in readme or (
            stem.startswith("people_") and "people_<country>.yaml" in readme), stem
    for name in ("load", "resolve", "resolve_all", "phrases", "sector_of", "combine",
                 "case_sensitive", "tokens", "valid_from", "valid_to", "operates_in"):
        assert name in readme, name
