"""Back-testing the verdicts against dyad-years whose relationship the literature settles.

Unit in: a CSV table of dyad-years (``a, b, year, expected, source, inputs,
note``), one literature verdict per row with the reference it rests on
(``tests/relations/backtest_dyad_years.csv`` is dyadwatch's own). Unit out:
per row the verdict dyadwatch gives, whether it is among the accepted
verdicts of the row's class, and accuracy per half and per class.

Classes and the verdicts each accepts (:data:`ACCEPTED`):

=========  =====================================  ==========================================
class      the literature says                     accepted verdicts
=========  =====================================  ==========================================
ally       a defence treaty in force, no fighting  allied
aligned    alignment, a defence pact or not        allied, aligned partners
partner    partnership without a defence pact      aligned partners, cooperative
rival      a strategic rivalry                     competitive, adversarial
enemy      at war / armed hostility                adversarial
=========  =====================================  ==========================================

The split into a tuning half and a held-out half is fixed *before* any rule
is tuned (:func:`split`): rows seen while the rules were first written (the
dyads of issue 13 and the flagship paper, ``note`` "issue 13" / "seed
paper") go to the tuning half; the others are shuffled with a fixed seed
within each class and dealt alternately, so both halves hold every class in
proportion. Rules are tuned on the tuning half only; the held-out figure is
reported as it comes.

The ``inputs`` column names the dyadwatch input data sets the reference
shares with the rules (``atop``, ``td-rivalries``, ``cow-war`` …): for such
rows the back-test checks that the rules read those data right (and that
other evidence does not override them wrongly), not an independent fact;
:func:`score` reports accuracy on the rows without shared inputs too.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

from dyadwatch.errors import InputError

ACCEPTED = {
    "ally": ("allied",),
    "aligned": ("allied", "aligned partners"),
    "partner": ("aligned partners", "cooperative"),
    "rival": ("competitive", "adversarial"),
    "enemy": ("adversarial",),
}
#: the split's seed and the notes of rows seen before the split (always in the tuning half)
SPLIT_SEED = 20240613
SEEN_BEFORE_SPLIT = ("issue 13", "seed paper")
TUNE, HELD_OUT = "tune", "held-out"
COLUMNS = ("a", "b", "year", "expected", "source", "inputs", "note")


@dataclass
class Case:
    """One back-test row and, once scored, what dyadwatch said."""

    a: str
    b: str
    year: int
    expected: str
    source: str
    inputs: str = ""
    note: str = ""
    split: str = ""
    recorded_split: str = ""
    got: str | None = None
    confidence: float | None = None

    @property
    def accepted(self) -> tuple[str, ...]:
        return ACCEPTED[self.expected]

    @property
    def ok(self) -> bool:
        return self.got in self.accepted


def read_cases(path) -> list[Case]:
    """Read a back-test table (columns :data:`COLUMNS`).

    Raises
    ------
    InputError
        Missing file or column, a year that is not a whole number, an
        unknown class (the message lists :data:`ACCEPTED`'s keys), an empty
        source, or a dyad-year given twice — naming the file and line.

    A ``split`` column, when present, is kept in :attr:`Case.recorded_split`
    (the split as written in the table, to compare with :func:`split`).
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("back-test table not found", path=p)
    with open(p, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"back-test table lacks column(s) {', '.join(missing)}", path=p, line=1)
        out, seen = [], {}
        for i, r in enumerate(reader, 2):
            try:
                year = int(r["year"])
            except ValueError:
                raise InputError(f"year {r['year']!r} is not a whole number", path=p, line=i) from None
            if r["expected"] not in ACCEPTED:
                raise InputError(f"unknown class {r['expected']!r}; valid: {', '.join(ACCEPTED)}", path=p, line=i)
            if not r["source"].strip():
                raise InputError("every row needs a source (the reference of its verdict)", path=p, line=i)
            key = (frozenset((r["a"], r["b"])), year)
            if key in seen:
                raise InputError(f"{r['a']}-{r['b']} {year} is given twice (first on line {seen[key]})", path=p, line=i)
            seen[key] = i
            out.append(Case(a=r["a"].strip(), b=r["b"].strip(), year=year, expected=r["expected"],
                            source=r["source"].strip(), inputs=(r.get("inputs") or "").strip(),
                            note=(r.get("note") or "").strip(), recorded_split=(r.get("split") or "").strip()))
    return out


def split(cases: list[Case], seed: int = SPLIT_SEED) -> list[Case]:
    """Assign each case to :data:`TUNE` or :data:`HELD_OUT` (in place; returns ``cases``).

    Rows seen before the split (:data:`SEEN_BEFORE_SPLIT`) go to the tuning
    half. The rest, per class in table order, are shuffled with
    ``random.Random(seed)`` and dealt alternately, starting with the half
    that has fewer rows of that class so far (ties: held-out first).
    """
    rng = random.Random(seed)
    for c in cases:
        c.split = TUNE if c.note in SEEN_BEFORE_SPLIT else ""
    for cls in ACCEPTED:
        rest = [c for c in cases if c.expected == cls and not c.split]
        rng.shuffle(rest)
        n_tune = sum(1 for c in cases if c.expected == cls and c.split == TUNE)
        n_held = 0
        for c in rest:
            if n_held <= n_tune:
                c.split, n_held = HELD_OUT, n_held + 1
            else:
                c.split, n_tune = TUNE, n_tune + 1
    return cases


def run(con, cases: list[Case]) -> list[Case]:
    """Give each case dyadwatch's verdict for its dyad-year (in place; returns ``cases``).

    Uses :func:`dyadwatch.analysis.profile.relationship_profile` for the one
    year, with every source the store holds.
    """
    from dyadwatch.analysis.profile import relationship_profile

    for c in cases:
        [p] = relationship_profile(con, c.a, c.b, year_from=c.year, year_to=c.year)
        c.got, c.confidence = p.verdict, p.confidence
    return cases


def score(cases: list[Case]) -> dict:
    """Accuracy (share of cases whose verdict is accepted) per half, per class and on independent rows.

    Returns
    -------
    dict
        ``{half: {"n", "correct", "accuracy", "by_class": {cls: (correct, n)},
        "independent": (correct, n)}}`` for ``tune``, ``held-out`` and ``all``;
        accuracy in [0, 1] (None for an empty half).
    """
    out = {}
    for half in (TUNE, HELD_OUT, "all"):
        rows = [c for c in cases if half == "all" or c.split == half]
        by = {}
        for cls in ACCEPTED:
            cr = [c for c in rows if c.expected == cls]
            by[cls] = (sum(c.ok for c in cr), len(cr))
        ind = [c for c in rows if not c.inputs]
        out[half] = {"n": len(rows), "correct": sum(c.ok for c in rows),
                     "accuracy": (sum(c.ok for c in rows) / len(rows)) if rows else None,
                     "by_class": by, "independent": (sum(c.ok for c in ind), len(ind))}
    return out


#: dyadwatch's own back-test table (in the source tree, next to the tests that check it)
DEFAULT_TABLE = Path(__file__).resolve().parents[3] / "tests" / "relations" / "backtest_dyad_years.csv"


def evaluate(con, path=None, *, half: str | None = None) -> tuple[list[Case], dict]:
    """Read, split, run and score a back-test table: ``(cases, score)``.

    Parameters
    ----------
    con : store connection.
    path : the table (default :data:`DEFAULT_TABLE`).
    half : only run :data:`TUNE` or :data:`HELD_OUT` rows (None: all).

    Raises
    ------
    InputError
        As :func:`read_cases`; an unknown ``half``.
    """
    if half not in (None, TUNE, HELD_OUT):
        raise InputError(f"unknown half {half!r}; choose {TUNE} or {HELD_OUT}")
    cases = split(read_cases(path or DEFAULT_TABLE))
    if half:
        cases = [c for c in cases if c.split == half]
    run(con, cases)
    return cases, score(cases)
