"""Checking dated claims against the store: supported, contradicted, or no data.

Unit in: a JSON Lines file, one claim per line — a dated statement in
structured form. Unit out: one :class:`ClaimResult` per claim with the
answer and the evidence (numbers and rows) behind it.

Claim kinds (``kind``) and their fields:

``veto``       ``actor``, ``date`` (YYYY-MM-DD) *or* ``from``/``to`` years,
               ``topic`` (text in the draft's agenda item), ``min_count`` (1):
               the actor vetoed a UNSC draft on that topic then.
``trend``      ``actors`` [A, B], ``measure`` (``net_coop`` | ``coop_events`` |
               ``conflict_events`` | ``events``), ``before`` and ``after``
               [first, last year], ``direction`` (``up`` | ``down``): the
               yearly mean of the measure moved that way.
``same_side``  ``actors`` [A, B], ``from``, ``to`` years, optional ``country``
               (ISO3 of a primary party of the conflict): both fought on the
               same side of a UCDP conflict in every year.
``relation``   ``actors``, ``year``, ``expected`` label (friendly, neutral,
               mixed, hostile): the event-based label of that year.
``alliance``   ``actors``, ``year``, ``obligation`` (defense, offense,
               neutral, nonagg, consul), ``expected`` (true/false).
``event``      ``actors``, ``date``, ``window_days`` (3), optional
               ``quad_class`` (1..4): at least one such event between them
               near the date.
``blocs``      ``actors``, ``camps`` (list of lists of ISO3), ``topic``,
               ``from``, ``to``: UN-vote blocs separate the camps.

Every claim may carry ``id``, ``text`` (the statement in words),
``source`` (where it comes from) and ``document`` (the ``doc_id`` of the
coded document the claim is taken from, e.g. the flagship paper's
``000_2d8aae18d5243fb5``). "no data" means the store does not cover the date
or the actors (the data are silent), never that the claim is false.

**Independent evidence.** Events coded from the claim's own document are not
independent support: an ``event`` claim is checked on the other events, and
when the claim's document was the only thing that matched, the answer is
``self-sourced`` — never ``supported``. A ``trend`` or ``relation`` claim
whose years' events all come from that document is ``self-sourced`` too;
when they come in part from it, the result says how many. Every result lists
the ``datasets`` and the ``documents`` (coded texts) behind it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dyadwatch.errors import DyadwatchError, InputError, UsageError

SUPPORTED, CONTRADICTED, NO_DATA, SELF_SOURCED = "supported", "contradicted", "no data", "self-sourced"
KINDS = ("veto", "trend", "same_side", "relation", "alliance", "event", "blocs")
TREND_MEASURES = ("net_coop", "coop_events", "conflict_events", "events")
#: the trend measures as the claims table names them
TREND_NAMES = {"net_coop": "net cooperation", "coop_events": "cooperative events",
               "conflict_events": "conflictual events", "events": "events"}
#: An ``event`` claim is contradicted only if the store holds at least this many
#: events of *each* actor (with anyone) in the window; below, the absence of the
#: claimed event says nothing (full ICEWS coverage has hundreds of events a week
#: for Russia or Iran; the benchmark extracts in ../shared/data have a handful).
EVENT_CLAIM_MIN_COVERAGE = 20


@dataclass
class ClaimResult:
    """The answer to one claim, with its evidence."""

    id: str
    kind: str
    text: str
    answer: str
    why: str
    evidence: list = field(default_factory=list)
    source: str | None = None
    document: str | None = None                       # the claim's own document (doc_id), if given
    datasets: list = field(default_factory=list)      # data sets behind the answer
    documents: list = field(default_factory=list)     # coded documents (doc_id) among them

    def to_dict(self) -> dict:
        return asdict(self)


def read_claims(path) -> list[dict]:
    """Read a claims JSONL file (blank lines and ``#`` lines skipped).

    Raises
    ------
    InputError
        Missing file or a directory, not UTF-8, no claim at all, a line that
        is not a JSON object, an unknown ``kind``, a missing field, or a field
        unknown to the kind, of the wrong type or out of range
        (:mod:`dyadwatch.analysis.claim_fields`: years within 1800..next year,
        exactly two actors for a dyad claim, camps among the actors ...) —
        naming the file, the line and the field.
    """
    p = Path(path)
    if p.is_dir():
        raise InputError("is a directory, expected a claims file (JSON Lines)", path=p)
    if not p.is_file():
        raise InputError("claims file not found", path=p)
    from dyadwatch.jsonl import parse_object

    claims = []
    for i, line in _lines(p):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            c = parse_object(line)
        except ValueError as exc:
            raise InputError(f"{exc}; a claim is one JSON object per line", path=p, line=i) from None
        if c.get("kind") not in KINDS:
            raise InputError(f"unknown claim kind {c.get('kind')!r}; valid kinds: {', '.join(KINDS)}", path=p, line=i)
        need = {"veto": ["actor"], "trend": ["actors", "before", "after", "direction"],
                "same_side": ["actors", "from"], "relation": ["actors", "year", "expected"],
                "alliance": ["actors", "year", "obligation", "expected"], "event": ["actors", "date"],
                "blocs": ["actors", "camps"]}[c["kind"]]
        miss = [k for k in need if k not in c]
        if miss:
            raise InputError(f"{c['kind']} claim lacks field(s) {', '.join(miss)}", path=p, line=i)
        _check_values(c, p, i)
        c.setdefault("id", f"line{i}")
        c["_line"] = i
        c["_path"] = str(p)
        claims.append(c)
    if not claims:
        raise InputError("holds no claims (one JSON object per line)", path=p)
    return claims


#: longest claims line read (a claim is a few hundred bytes; a longer line is refused, not held)
MAX_CLAIM_LINE = 1 << 20


def _lines(p: Path):
    """``(line number, text)`` of the claims file (:func:`dyadwatch.jsonl.read_text_lines`: lines end
    at LF only — a U+2028 or form feed inside a JSON string shifted every later line number once,
    found by the claims-file fuzz — a leading BOM is dropped).

    Raises
    ------
    InputError
        A line that is not UTF-8 or is over :data:`MAX_CLAIM_LINE` bytes, naming it.
    """
    from dyadwatch.jsonl import read_text_lines

    return read_text_lines(p, max_line_bytes=MAX_CLAIM_LINE, what="the claims file")


def _check_values(c: dict, p: Path, i: int) -> None:
    """InputError (file, line) for a field that is unknown to the claim's kind, of the wrong type
    or out of range (:func:`dyadwatch.analysis.claim_fields.check_fields`), which would otherwise
    be checked as a claim about nothing, fail inside the check, or run away (a year range of
    1 to 300,000,000)."""
    from dyadwatch.analysis.claim_fields import ClaimFieldError, check_fields

    try:
        check_fields(c)
    except ClaimFieldError as exc:
        raise InputError(f"{c['kind']} claim: malformed field {exc.field}: {exc.reason}", path=p, line=i) from None


def _years(c, key_from="from", key_to="to"):
    lo = int(c[key_from])
    hi = int(c.get(key_to, lo))
    return list(range(lo, hi + 1))


def _veto(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.profile import _years_covered

    actor = resolve_actor(c["actor"]).label
    cov = _years_covered(con, "unsc_vetoes")
    if "date" in c:
        d0 = d1 = dt.date.fromisoformat(c["date"])
    else:
        d0, d1 = dt.date(int(c["from"]), 1, 1), dt.date(int(c.get("to", c["from"])), 12, 31)
    if cov is None or d1.year < cov[0] or d0.year > cov[1]:
        return NO_DATA, f"the store holds no UNSC vetoes for {d0.year}–{d1.year}", []
    topic = c.get("topic") or ""
    rows = con.execute("""SELECT date, draft, meeting_record, agenda_item, members_iso3 FROM unsc_vetoes
                          WHERE list_contains(members_iso3, ?) AND date BETWEEN ? AND ?
                            AND (coalesce(agenda_item, '') || ' ' || coalesce(crisis_topic, '')) ILIKE ?
                          ORDER BY date""", [actor, d0, d1, f"%{topic}%"]).fetchall()
    ev = [{"date": str(r[0]), "draft": r[1], "meeting_record": r[2], "agenda_item": r[3],
           "vetoed_by": list(r[4])} for r in rows]
    need = int(c.get("min_count", 1))
    span = str(d0) if d0 == d1 else f"{d0}..{d1}"
    from dyadwatch.codebooks.labels import country_name

    n = len(ev)
    said = (f"{country_name(actor)} cast {n} veto{'' if n == 1 else 'es'} on drafts about {topic or 'any topic'} "
            f"{'on ' + span if d0 == d1 else 'from ' + str(d0) + ' to ' + str(d1)}")
    if n >= need:
        return SUPPORTED, f"{said}; the claim needs at least {need}.", ev
    return CONTRADICTED, f"{said}, fewer than the {need} the claim needs.", ev


def _trend(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.dyads import dyad_series

    a, b = c["actors"][:2]
    measure = c.get("measure", "net_coop")
    if measure not in TREND_MEASURES:
        raise UsageError(f"unknown trend measure {measure!r}; choose one of: {', '.join(TREND_MEASURES)}")
    (b0, b1), (a0, a1) = c["before"], c["after"]
    s = dyad_series(con, a, b, freq="year", date_from=str(min(b0, a0)), date_to=str(max(b1, a1)))
    s = s.assign(year=s["period"].astype(int))
    s["coop_events"] = s["verbal_coop"] + s["material_coop"]
    s["conflict_events"] = s["verbal_conflict"] + s["material_conflict"]
    s = s[s["events"] > 0]
    before = s[(s.year >= b0) & (s.year <= b1)]
    after = s[(s.year >= a0) & (s.year <= a1)]
    ev = s[["year", "events", "coop_events", "conflict_events", "net_coop"]].to_dict("records")
    if before.empty or after.empty:
        return NO_DATA, f"no {a}–{b} events in {b0}–{b1} or {a0}–{a1}", ev
    if measure == "net_coop":  # pooled, not a mean of yearly ratios
        mb = (before.coop_events.sum() - before.conflict_events.sum()) / before.events.sum()
        ma = (after.coop_events.sum() - after.conflict_events.sum()) / after.events.sum()
    else:
        mb, ma = before[measure].mean(), after[measure].mean()
    moved = "up" if ma > mb else "down" if ma < mb else "flat"
    why = (f"{TREND_NAMES[measure]} {b0}–{b1}: {_trend_level(before, measure, mb)} → {a0}–{a1}: "
           f"{_trend_level(after, measure, ma)}: {moved}")
    answer = SUPPORTED if moved == c["direction"] else CONTRADICTED
    own = _own_events(con, c, a, b, min(b0, a0), max(b1, a1))
    if own and answer == SUPPORTED:
        used = int(before.events.sum() + after.events.sum())
        if own >= used:
            return SELF_SOURCED, why + f"; all {used} events coded from {c['document']}, the claim's own document", ev
        why += f"; {own} of the {used} events coded from {c['document']}, the claim's own document"
    return answer, why, ev


def _trend_level(rows, measure: str, value: float) -> str:
    """A trend claim's level over some years, as a reader counts it: net cooperation pooled over the
    events (``0.912, pooled over 7,826 events in 3 years``); a count measure as whole events and a
    mean that says it is one (``7,826 in 3 years, a mean of 2,608.7 a year``), never ``2608.667``."""
    years = f"{len(rows)} year{'s' if len(rows) != 1 else ''} with data"
    if measure == "net_coop":
        return f"{value:.3f}, pooled over {int(rows.events.sum()):,} events in {years}"
    return f"{int(rows[measure].sum()):,} in {years}, a mean of {value:,.1f} a year"


def _same_side(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.profile import conflict_sides

    a, b = (resolve_actor(x).label for x in c["actors"][:2])
    years = _years(c)
    sides = conflict_sides(con, a, b, years)
    country = c.get("country")
    ev, silent, missing, opposite = [], [], [], []
    for y in years:
        if sides[y] is None:
            silent.append(y)
            continue
        same, opp = sides[y]
        if country:
            same = [x for x in same if country in (x["primary_a"] + "+" + x["primary_b"]).split("+")]
            opp = [x for x in opp if country in (x["primary_a"] + "+" + x["primary_b"]).split("+")]
        ev += [{"year": y, "relation": "same side", **x} for x in same]
        ev += [{"year": y, "relation": "opposite sides", **x} for x in opp]
        if opp:
            opposite.append(y)
        if not same:
            missing.append(y)
    where = f" in a conflict of {country}" if country else ""
    if len(silent) == len(years):
        return NO_DATA, f"UCDP data in the store do not cover {years[0]}–{years[-1]}", ev
    if opposite:
        return CONTRADICTED, f"{a} and {b} on opposite sides{where} in {opposite}", ev
    if missing:
        return CONTRADICTED, f"{a} and {b} not on the same side{where} in {missing}", ev
    note = f" (no UCDP data for {silent})" if silent else ""
    covered = [y for y in years if y not in silent]
    return SUPPORTED, f"{a} and {b} on the same side{where} in every year {covered[0]}–{covered[-1]}{note}", ev


def _relation(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.relations import INSUFFICIENT, classify_dyad, label_basis

    a, b = c["actors"][:2]
    y = int(c["year"])
    out = classify_dyad(con, a, b, freq="year", date_from=str(y), date_to=str(y))
    if out.empty or out.iloc[0]["events"] == 0:
        return NO_DATA, f"no {a}–{b} events in {y}", []
    r = out.iloc[0]
    ev = [{k: r[k] for k in ("period", "events", "label", "probability", "net_coop")}]
    if r["label"] == INSUFFICIENT:
        return NO_DATA, f"{int(r['events'])} events in {y}: insufficient evidence for a label", ev
    basis = label_basis(r["label"], r["net_coop"], r.get("share_material_conflict"))
    why = (f"{y}: {r['label']} (p = {r['probability']:.2f}, net cooperation {r['net_coop']:.2f}, {int(r['events']):,} events"
           + (f"; {basis}" if basis else "") + ")")
    answer = SUPPORTED if r["label"] == c["expected"] else CONTRADICTED
    own = _own_events(con, c, a, b, y, y)
    if own and answer == SUPPORTED:
        if own >= int(r["events"]):
            return SELF_SOURCED, why + f"; all coded from {c['document']}, the claim's own document", ev
        why += f"; {own} of them coded from {c['document']}, the claim's own document"
    return answer, why, ev


def _alliance(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.profile import atop_obligations

    a, b = (resolve_actor(x).label for x in c["actors"][:2])
    y = int(c["year"])
    ob = atop_obligations(con, a, b, [y])[y]
    if ob is None:
        return NO_DATA, f"ATOP data in the store do not cover {y}", []
    has = bool(ob.get(c["obligation"]))
    from dyadwatch.codebooks.labels import ATOP_NAMES, atop_text, country_name

    why = (f"ATOP: in {y} {country_name(a)} and {country_name(b)} had {'a' if has else 'no'} "
           f"{ATOP_NAMES.get(c['obligation'], c['obligation'])} obligation in force "
           f"(obligations in force: {atop_text(ob)}).")
    return (SUPPORTED if has == bool(c["expected"]) else CONTRADICTED), why, [ob]


def _event(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.actors import resolve_actor
    from dyadwatch.analysis.dyads import top_events

    a, b = c["actors"][:2]
    d = dt.date.fromisoformat(c["date"])
    w = int(c.get("window_days", 3))
    d0, d1 = d - dt.timedelta(days=w), d + dt.timedelta(days=w)
    ev = top_events(con, a, b, freq="year", n=50, date_from=str(d0), date_to=str(d1))
    if c.get("quad_class"):
        ev = ev[ev["quad_class"] == int(c["quad_class"])]
    own = c.get("document")
    mine = ev[ev["doc_id"] == own] if own else ev.iloc[0:0]
    ev = ev[ev["doc_id"] != own] if own else ev
    if len(ev):
        note = f" ({len(mine)} more coded from the claim's own document not counted)" if len(mine) else ""
        return SUPPORTED, f"{len(ev)} matching {a}–{b} event(s) within ±{w} days of {d}{note}", \
            ev.head(10).to_dict("records")
    if len(mine):
        return SELF_SOURCED, (f"the only matching {a}–{b} event(s) within ±{w} days of {d} ({len(mine)}) were coded "
                              f"from {own}, the document the claim comes from: no independent support"), \
            mine.head(10).to_dict("records")
    # the store sees an actor in the window only if it holds events of that actor with anyone
    cover = {}
    for x in (a, b):
        fx = resolve_actor(x)
        src, p_src = fx.sql("src")
        tgt, p_tgt = fx.sql("tgt")
        cover[fx.label] = con.execute(f"SELECT count(*) FROM events WHERE event_date BETWEEN ? AND ? "
                                      f"AND ({src} OR {tgt})", [d0, d1] + p_src + p_tgt).fetchall()[0][0]
    blind = [f"{x} ({n})" for x, n in cover.items() if n < EVENT_CLAIM_MIN_COVERAGE]
    if blind:
        return NO_DATA, (f"the event data barely see {' and '.join(blind)} within ±{w} days of {d}: fewer than "
                         f"{EVENT_CLAIM_MIN_COVERAGE} events with anyone, so an absence proves nothing"), []
    counts = ", ".join(f"{x}: {n}" for x, n in cover.items())
    return CONTRADICTED, (f"within ±{w} days of {d} the store covers both actors ({counts} events with anyone) "
                          f"but holds no {a}–{b} event of the kind claimed"), []


def _blocs(con, c) -> tuple[str, str, list]:
    from dyadwatch.analysis.blocs import blocs

    try:
        r = blocs(con, c["actors"], measure=c.get("measure", "kappa"), topic=c.get("topic"),
                  year_from=c.get("from"), year_to=c.get("to"))
    except UsageError as exc:
        return NO_DATA, exc.reason, []
    where = {a: m["bloc"] for a, m in r["membership"].items()}
    camps = c["camps"]
    ok = all(len({where.get(x) for x in camp}) == 1 and None not in {where.get(x) for x in camp} for camp in camps)
    ok = ok and len({where.get(camp[0]) for camp in camps}) == len(camps)
    from dyadwatch.codebooks.labels import country_label

    camps_text = "; ".join(f"bloc {k}: {', '.join(country_label(x) for x in members)}"
                           for k, members in enumerate(r["blocs"], 1))
    why = f"{camps_text} (frustration {r['frustration_normalised']:.3f} of the total tie weight; 0 = perfect camps)"
    return (SUPPORTED if ok else CONTRADICTED), why, [{"blocs": r["blocs"], "membership": r["membership"]}]


def _own_events(con, c, a, b, y0: int, y1: int) -> int:
    """Events between ``a`` and ``b`` in years y0..y1 coded from the claim's own document (0 without one).

    Counted only for years the dyad series reads from event rows (years of the
    dyad-year counts do not use them)."""
    own = c.get("document")
    if not own:
        return 0
    from dyadwatch.analysis.actors import resolve_actor

    fa, fb = resolve_actor(a), resolve_actor(b)
    sa, psa = fa.sql("src")
    tb, ptb = fb.sql("tgt")
    sb, psb = fb.sql("src")
    ta, pta = fa.sql("tgt")
    try:
        counted = {y for y, in con.execute("SELECT DISTINCT year FROM dyad_counts").fetchall()}
    except Exception:  # noqa: BLE001 - no counts table
        counted = set()
    rows = con.execute(f"SELECT year(event_date), count(*) FROM events WHERE doc_id = ? AND year(event_date) "
                       f"BETWEEN ? AND ? AND (({sa} AND {tb}) OR ({sb} AND {ta})) GROUP BY 1",
                       [own, y0, y1] + psa + ptb + psb + pta).fetchall()
    return sum(int(n) for y, n in rows if y not in counted)


#: the data sets each kind of claim is checked against (event-based kinds: read from the evidence)
_KIND_DATASETS = {"veto": ["unsc-vetoes"], "same_side": ["ucdp-acd"], "alliance": ["atop"], "blocs": ["unvotes"]}


def _sources(con, c, ev: list) -> tuple[list[str], list[str]]:
    """(datasets, documents) behind a claim's answer."""
    if c["kind"] in _KIND_DATASETS:
        return list(_KIND_DATASETS[c["kind"]]), []
    if c["kind"] == "event":
        return (sorted({str(r.get("dataset")) for r in ev if r.get("dataset")}),
                sorted({str(r.get("doc_id")) for r in ev if r.get("doc_id")}))
    # trend, relation: the data sets of the years judged (the dyad series' datasets column)
    from dyadwatch.analysis.dyads import dyad_series

    a, b = c["actors"][:2]
    if c["kind"] == "trend":
        y0, y1 = min(c["before"][0], c["after"][0]), max(c["before"][1], c["after"][1])
    else:
        y0 = y1 = int(c["year"])
    s = dyad_series(con, a, b, freq="year", date_from=str(y0), date_to=str(y1))
    ds = sorted({d for v in s.get("datasets", []) for d in str(v or "").split(",") if d})
    docs = []
    if "text" in ds:
        from dyadwatch.analysis.actors import resolve_actor

        fa, fb = resolve_actor(a), resolve_actor(b)
        sa, psa = fa.sql("src")
        tb, ptb = fb.sql("tgt")
        sb, psb = fb.sql("src")
        ta, pta = fa.sql("tgt")
        docs = [d for d, in con.execute(
            f"SELECT DISTINCT doc_id FROM events WHERE dataset = 'text' AND doc_id IS NOT NULL AND year(event_date) "
            f"BETWEEN ? AND ? AND (({sa} AND {tb}) OR ({sb} AND {ta})) ORDER BY 1",
            [y0, y1] + psa + ptb + psb + pta).fetchall()]
    return ds, docs


_CHECKS = {"veto": _veto, "trend": _trend, "same_side": _same_side, "relation": _relation,
           "alliance": _alliance, "event": _event, "blocs": _blocs}


def _claim_error(c: dict, reason: str, hint: str | None) -> DyadwatchError:
    """The error of a claim that cannot be checked: InputError at its file and line when it came
    from :func:`read_claims`, else UsageError naming its id."""
    if c.get("_path"):
        return InputError(f"claim {c.get('id')}: {reason}", path=c["_path"], line=c.get("_line"), hint=hint)
    return UsageError(f"claim {c.get('id')}: {reason}", hint=hint)


def check_claims(con, claims) -> list[ClaimResult]:
    """Check each claim (dicts as :func:`read_claims` returns) against the store.

    Returns
    -------
    list of :class:`ClaimResult`, in order; ``answer`` is ``supported``,
    ``self-sourced`` (only evidence coded from the claim's own document),
    ``contradicted`` or ``no data``; ``datasets`` and ``documents`` name
    what the answer rests on.

    Raises
    ------
    InputError
        A claim read from a file names an unknown actor or measure, or has a
        malformed value (the message names file, line and claim id).
    UsageError
        The same for a claim built in code (no file).
    """
    out = []
    for c in claims:
        try:
            answer, why, ev = _CHECKS[c["kind"]](con, c)
        except UsageError as exc:
            raise _claim_error(c, exc.reason, exc.hint) from None
        except (ValueError, TypeError, KeyError) as exc:
            raise _claim_error(c, f"malformed field ({exc})", None) from None
        datasets, documents = _sources(con, c, ev) if answer != NO_DATA or ev else ([], [])
        out.append(ClaimResult(id=str(c.get("id")), kind=c["kind"], text=c.get("text", ""), answer=answer,
                               why=why, evidence=ev, source=c.get("source"), document=c.get("document"),
                               datasets=datasets, documents=documents))
    return out


def check_file(con, path) -> list[ClaimResult]:
    """:func:`read_claims` then :func:`check_claims`."""
    return check_claims(con, read_claims(path))
