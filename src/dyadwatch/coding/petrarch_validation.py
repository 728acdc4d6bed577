"""PETRARCH's validation suite, scored like UD-PETRARCH's ``validation.py``.

The suite (openeventdata/petrarch2 ``PETR.UnitTest.records.xml``, in our mirror as
``text/petrarch_unittest_records.jsonl``) gives sentences about fictional
actors with the events its own dictionaries (``PETR.Validate.*.txt``) should
produce; its event codes are test codes, not CAMEO.  :func:`validate` codes
every record with :class:`~dyadwatch.coding.dictionary_coder.DictionaryCoder`
loaded with those dictionaries only, and counts per record (Schrodt's
``validation.py`` for UD-PETRARCH, 2018):

* **correct** — expected events coded (source, target and event code all equal;
  each expected event counts once), or 1 for a record expecting no event that
  gets none;
* **uncoded** — expected events not coded (1 for a no-event record that got events);
* **extra** — coded events not expected.

Per category: TP = correct / (correct + uncoded), FN = uncoded / (correct +
uncoded) = 1 - TP, FP = extra / records (UD-PETRARCH's definitions, so the
figures sit beside its published 68.06 % / 31.94 % / 23.05 % over 243 records).

Records are left out, with the reason counted, when the suite's own
environment excludes their category (``category_in_include_list`` false), when
they test reading a supplied parse tree (``expected_error`` =
``bad_input_parse``: we parse the text ourselves), or when they state no
expectation at all.  A record expecting an error that stops coding
(``dateline``, ``storydiscard``, ``sentencediscard``) expects no event.  The
record's ``config_in_effect`` option ``require_dyad`` is honoured.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from dyadwatch.errors import InputError

#: UD-PETRARCH's published validation totals (README of openeventdata/UniversalPetrarch, May 2018)
UD_PETRARCH = {"records": 243, "tp": 0.6806, "fn": 0.3194, "fp": 0.2305}
#: expected errors whose records expect no event; ``bad_input_parse`` records are left out
NO_EVENT_ERRORS = frozenset({"dateline", "storydiscard", "sentencediscard"})


@dataclass
class CategoryScore:
    """Counts of one category (or the total)."""

    records: int = 0
    correct: int = 0
    uncoded: int = 0
    extra: int = 0

    @property
    def tp(self) -> float:
        """correct / (correct + uncoded), in [0, 1]."""
        n = self.correct + self.uncoded
        return self.correct / n if n else 0.0

    @property
    def fn(self) -> float:
        """uncoded / (correct + uncoded) = 1 - TP."""
        n = self.correct + self.uncoded
        return self.uncoded / n if n else 0.0

    @property
    def fp(self) -> float:
        """extra coded events per record (UD-PETRARCH's FP)."""
        return self.extra / self.records if self.records else 0.0

    def add(self, other: "CategoryScore") -> None:
        self.records += other.records
        self.correct += other.correct
        self.uncoded += other.uncoded
        self.extra += other.extra


@dataclass
class ValidationResult:
    """Scores per category (first-seen order) and in total, plus what was left out and each record's outcome."""

    categories: dict[str, CategoryScore]
    total: CategoryScore
    skipped: Counter = field(default_factory=Counter)
    records: list[dict] = field(default_factory=list)

    def rows(self) -> list[dict]:
        """The per-category table (and a ``Total`` row), shares rounded to 4 decimals."""
        out = []
        for name, s in [*self.categories.items(), ("Total", self.total)]:
            out.append({"category": name, "records": s.records, "correct": s.correct, "uncoded": s.uncoded,
                        "extra": s.extra, "TP": round(s.tp, 4), "FN": round(s.fn, 4), "FP": round(s.fp, 4)})
        return out


def read_records(path: str | Path) -> list[dict]:
    """Records of the suite (JSONL: ``id, date, category, text, expected_events, expects_no_events ...``).

    Raises
    ------
    InputError
        Unreadable file, a line that is not a JSON object, a record without
        ``id``/``text``/``category``/``expected_events`` or with a bad date.
    """
    from dyadwatch.jsonl import parse_object, read_text_lines

    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory, expected validation records (JSONL)", path=path)
    out = []
    for i, line in read_text_lines(path, what="the validation records"):
        if not line.strip():
            continue
        try:
            rec = parse_object(line)
        except ValueError as exc:
            raise InputError(str(exc), path=path, line=i) from None
        if not all(k in rec for k in ("id", "text", "category", "expected_events")):
            raise InputError("record needs id, text, category and expected_events (PETRARCH unit-test layout)",
                             path=path, line=i)
        try:
            rec["_date"] = dt.date.fromisoformat(rec["date"]) if rec.get("date") else None
        except (TypeError, ValueError):
            raise InputError(f"date {rec.get('date')!r} is not YYYY-MM-DD", path=path, line=i) from None
        rec["_line"] = i
        out.append(rec)
    return out


def is_petrarch_layout(path: str | Path) -> bool:
    """True when the first record of a JSONL file has the unit-test fields (``expected_events``, ``category``)."""
    from dyadwatch.jsonl import parse_object, read_text_lines

    try:
        for _, line in read_text_lines(path):
            if line.strip():
                rec = parse_object(line)
                return "expected_events" in rec and "category" in rec
    except (OSError, ValueError):  # InputError is a ValueError: unreadable, not UTF-8, not a JSON object
        return False
    return False


def _skip_reason(rec: dict) -> str | None:
    if rec.get("category_in_include_list") is False:
        return "category excluded by the suite's <Include> list"
    if rec.get("expected_error") == "bad_input_parse":
        return "tests reading a supplied parse tree (dyadwatch parses the text itself)"
    if not rec["expected_events"] and not rec.get("expects_no_events") and not rec.get("expected_error"):
        return "no expectation stated"
    return None


def score_record(expected: list[tuple[str, str, str]], coded: list[tuple[str, str, str]], no_events: bool
                 ) -> CategoryScore:
    """Counts of one record (see the module docstring); ``expected``/``coded`` are (source, target, code)."""
    if no_events:
        return CategoryScore(1, 1 if not coded else 0, 0 if not coded else 1, len(coded))
    left = list(expected)
    correct = 0
    for c in coded:
        if c in left:
            left.remove(c)
            correct += 1
    return CategoryScore(1, correct, len(expected) - correct, len(coded) - correct)


def validate(records_path: str | Path, dictionaries: list[str | Path], *, coder=None) -> ValidationResult:
    """Run the suite: code every record with the given dictionaries only and score it.

    Parameters
    ----------
    records_path : the suite's JSONL records.
    dictionaries : files/directories of the suite's dictionaries (``PETR.Validate.*.txt``).
    coder : a :class:`~dyadwatch.coding.dictionary_coder.DictionaryCoder` to reuse.

    Returns
    -------
    ValidationResult
    """
    from dyadwatch.coding.dictionary_coder import DictionaryCoder

    recs = read_records(records_path)
    coder = coder or DictionaryCoder(dictionaries)
    cats: dict[str, CategoryScore] = {}
    total = CategoryScore()
    skipped: Counter = Counter()
    outcomes = []
    for rec in recs:
        reason = _skip_reason(rec)
        if reason:
            skipped[reason] += 1
            continue
        require_dyad = str(rec.get("config_in_effect", {}).get("require_dyad", "true")).lower() != "false"
        events = coder.code_text(rec["text"], rec["_date"], require_dyad=require_dyad)
        coded = [(e.source, e.target, e.code) for e in events]
        expected = [(e["source"], e["target"], e["event"]) for e in rec["expected_events"]]
        no_events = bool(rec.get("expects_no_events")) or rec.get("expected_error") in NO_EVENT_ERRORS
        s = score_record(expected, coded, no_events and not expected)
        cats.setdefault(rec["category"], CategoryScore()).add(s)
        total.add(s)
        outcomes.append({"id": rec["id"], "category": rec["category"], "expected": expected, "coded": coded,
                         "correct": s.correct, "uncoded": s.uncoded, "extra": s.extra})
    return ValidationResult(cats, total, skipped, outcomes)
