"""The event-class model: a linear classifier over trigger features, trained on gold records.

What it does inside the coder (:meth:`EventModel.revise`, after the rules of
:mod:`dyadwatch.coding.events`):

* every rule event of a PLV class (statements 01x are left alone) is
  re-scored from its trigger's features (:mod:`dyadwatch.coding.features`,
  the rule's own code among them); when the model's most probable class is
  not the rule's and beats it by more than ``margin`` (:data:`DEFAULT_MARGIN`),
  the event takes the model's class (not an event an event noun triggers, :data:`NOUN_CLASS_KEPT`)
  (:data:`CLASS_CODES` gives its CAMEO code, ASSAULT as 18x or 19x by the
  source, see :func:`assault_code`) and ``coded_by`` ``"rules+model"``;
* a sentence in which the rules found no classed event with a known actor
  (an event whose actors are all entities does not count, see
  :data:`KNOWN_ACTOR_FALLBACK`) gets at most one event from a verb the lexicon
  does not know ("wired $1 billion to Indonesia"): the verb with a subject,
  neither negated nor under a negated, speculative, refusing or failing clause
  (:meth:`SentenceCoder._blocked`), whose class probability reaches the
  model's ``threshold`` — a verb with a dictionary (or gazetteer) source or
  target first, then the highest probability; its target is found by the
  same role rules (``coded_by`` ``"model"``).  These probabilities come from
  a second weight matrix trained on the same examples without the rules'
  features (:data:`dyadwatch.coding.training.RULE_FEATURES`): the verb is
  one the rules did not code, and in the main weights ``rule=none`` stands for the hard cases the rules
  missed, which pulled every fallback verb towards the class prior (5-fold CV
  on PLV: accuracy 0.814 -> 0.820, precision without statements 0.827 ->
  0.830, no fold lower; PLOVER GSR 5-fold 0.873 -> 0.879; see ``fallback_coef``);
* in a sentence with several classed events, an event whose class the
  model gives less than ``floor`` (:data:`DEFAULT_FLOOR`) is dropped, unless
  it is the sentence's most probable one or the act of its main verb: an act the rules assembled from a
  side clause ("... demanding Hanoi stop jailing activists" beside the
  condemnation the sentence reports) rarely survives.

Training a model from gold records is :mod:`dyadwatch.coding.training`
(:func:`~dyadwatch.coding.training.train_model`,
:func:`~dyadwatch.coding.training.train_files`), which imports this module;
this module never imports it.

Saved as a directory (:meth:`EventModel.save`): ``model.json`` (classes,
feature names, threshold, what it was trained on) and ``weights.npz``
(float32 arrays, read with ``allow_pickle=False``: a model file cannot run
code).  Weights trained on outside data stay out of the repository: the
default location is ``$DYADWATCH_DATA/models/event-classes``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dyadwatch.coding.features import SentenceRows, index_rows, trigger_vector
from dyadwatch.coding.gold import PLV_CLASSES, plv_class_of_cameo
from dyadwatch.errors import InputError

#: version 2 added the rule-free weights of the fallback for unmatched verbs (``fallback_coef``)
FORMAT = "dyadwatch-event-classes/2"
DEFAULT_THRESHOLD = 0.4
#: a rule event changes class only when the model's class is this much more probable than the rule's
#: (cross-validated on PLV: 0 -> 0.688, 0.3 -> 0.689 and the PLOVER gold records keep 0.823 of the
#: rules' 0.835 instead of 0.768; 1.0, never, -> 0.670; at C 10 with the PETRARCH dictionaries
#: 0 / 0.15 / 0.3 -> 0.742 / 0.743 / 0.745)
DEFAULT_MARGIN = 0.3
#: PLV class -> CAMEO code of an event whose class the model chose (the root's
#: unspecified code; REQUEST as CAMEO 10 "demand", the PLV data set's reading)
CLASS_CODES = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070",
               "YIELD": "080", "REQUEST": "100", "ACCUSE": "110", "REJECT": "120", "THREATEN": "130",
               "PROTEST": "140", "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170", "ASSAULT": "190"}
#: sectors of a state's own forces: their assaults are conventional military force (CAMEO 19x)
STATE_FORCE_SECTORS = frozenset({"MIL", "GOV", "COP", "SPY"})
#: a classed event the model gives less probability than this is dropped when its sentence holds a more
#: probable one (:meth:`EventModel._drop_unlikely`).  5-fold CV on PLV, C 10: floor 0 / 0.3 / 0.5 / 0.7 / 0.8
#: -> precision without statements 0.753 / 0.758 / 0.778 / 0.792 / 0.801, accuracy 0.752-0.754 throughout;
#: chosen nested (each outer fold's training records picked floor and threshold by an inner 4-fold CV
#: maximising accuracy + precision over floors 0-0.9 and thresholds 0.3/0.4): all five folds chose 0.9
#: and 0.4, outer accuracy 0.782±0.038, precision 0.814±0.020
DEFAULT_FLOOR = 0.9
#: prepositions of the circumstantial adjuncts whose event nouns the floor spares (:func:`_main_verb`)
ADJUNCT_PREPS = frozenset({"in", "during", "on", "at"})
#: an event whose actors are all entities (no dictionary or gazetteer actor, :mod:`dyadwatch.coding.entities`)
#: is dropped by the coder (unless a place gives it a target), so it does not make its sentence "classed",
#: and the fallback for unmatched verbs prefers a verb with a known source or target to a more probable
#: one whose actors are all entities (5-fold CV on PLV: accuracy 0.781 -> 0.782, precision without
#: statements 0.802 -> 0.803, source 0.901 -> 0.902, target 0.724 either way; one sentence more right)
KNOWN_ACTOR_FALLBACK = True
#: an event an event noun triggers ("in a visit to Tehran", "the air strikes on Palmyra") keeps the class
#: its noun names: the noun is the event by definition (CAMEO's event nouns, ``verb_patterns.yaml``), and the
#: model is trained on verb triggers (11 of 1,208 training triggers on PLV + GSR dev are nouns).  5-fold CV on
#: PLV: accuracy 0.807 -> 0.808, precision without statements 0.813 -> 0.816 (no fold worse); the seed paper's
#: "In a visit to Tehran in November 2017, Putin called ..." keeps its visit (042), not AGREE
NOUN_CLASS_KEPT = True
MODEL_SUBDIR = Path("models") / "event-classes"


def _known(ref) -> bool:
    """True when ``ref`` is an actor a dictionary or the gazetteer names (not an entity, not None)."""
    return ref is not None and ref.kind != "entity"


def _main_verb(tok) -> bool:
    """True when ``tok`` triggers a main act of its sentence, which the floor of
    :meth:`EventModel._drop_unlikely` spares (5-fold CV on PLV unless said otherwise):

    * the sentence's root (at floor 0.9 accuracy 0.782 either way, precision without statements
      0.814 -> 0.806, target 0.710 -> 0.723; on the PLOVER GSR dev records with a model trained on
      all of PLV, event recall 0.841 -> 0.848);
    * a verb conjoined to the root with a subject of its own ("Russia met Iran, and France attacked
      Egypt"; precision 0.806 -> 0.805, nothing else moved);
    * an event noun in a circumstantial adjunct of the root (:data:`ADJUNCT_PREPS`: "In a visit to
      Tehran, Putin called ...": the visit, 042, stays beside the statement; "after the attack on its
      embassy" names someone else's act; accuracy 0.782 -> 0.781, precision 0.805 -> 0.802, target
      0.723 -> 0.724)."""
    if tok.dep_ == "ROOT":
        return True
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.dep_ == "prep" \
            and tok.head.lower_ in ADJUNCT_PREPS and tok.head.head.dep_ == "ROOT":
        return True
    if tok.dep_ == "conj" and tok.head.dep_ == "ROOT":
        return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
    return False


def default_model_dir() -> Path:
    """``$DYADWATCH_DATA/models/event-classes`` (``./dyadwatch-data/...`` without the variable)."""
    from dyadwatch.acquire.fetch import resolve_dest

    return resolve_dest(None) / MODEL_SUBDIR


def assault_code(source) -> str:
    """CAMEO code of an ASSAULT the model found: ``190`` (conventional military force, CAMEO 19) for a
    state or its forces (:data:`STATE_FORCE_SECTORS`) and for armed groups
    (:func:`dyadwatch.coding.violence.non_state_armed`: rebels fight battles too), ``180``
    (unconventional violence, CAMEO 18) for everyone else (civilians, crowds, criminals, unknown)."""
    from dyadwatch.coding.violence import non_state_armed

    if source is None:
        return "180"
    if source.sector in STATE_FORCE_SECTORS or (source.sector is None and source.kind in ("country", "place")):
        return "190"
    if non_state_armed(source) and source.sector != "CRM":
        return "190"
    return "180"


@dataclass
class EventModel:
    """A trained event-class model (see the module docstring)."""

    classes: list[str]
    features: list[str]
    coef: np.ndarray  # (n_sparse + n_dense, n_classes) float32
    intercept: np.ndarray  # (n_classes,)
    dense_mean: np.ndarray  # (n_dense,) standardisation of the tensor row
    dense_scale: np.ndarray
    threshold: float = DEFAULT_THRESHOLD
    meta: dict = field(default_factory=dict)
    margin: float = DEFAULT_MARGIN
    floor: float = DEFAULT_FLOOR
    #: (n_sparse + n_dense, n_classes) weights for verbs the rules did not code, zero on the rules' features
    #: (:data:`dyadwatch.coding.training.RULE_FEATURES`)
    #: (None: the main weights)
    fallback_coef: np.ndarray | None = None
    fallback_intercept: np.ndarray | None = None

    def __post_init__(self):
        self.index = {f: i for i, f in enumerate(self.features)}
        self.n_sparse = len(self.features)

    # ------------------------------------------------------------ scoring
    def proba(self, feats: dict[str, float], vec: np.ndarray | None, *, fallback: bool = False) -> np.ndarray:
        """Class probabilities ((n_classes,) float64 in the order of :attr:`classes`, summing to 1) of one
        trigger: ``feats`` its sparse features with Python float values, as
        :func:`~dyadwatch.coding.features.trigger_features` gives them (names the model lacks are
        ignored), ``vec`` its tensor row or None; ``fallback`` uses the rule-free weights
        (:attr:`fallback_coef`) meant for verbs the rules did not code.  See :meth:`proba_rows`."""
        return self.proba_rows(*index_rows(feats, self.index), vec, fallback=fallback)

    def proba_rows(self, rows: list[int], vals: list[float], vec: np.ndarray | None = None, *,
                   fallback: bool = False) -> np.ndarray:
        """:meth:`proba` of a trigger given as rows of :attr:`coef` (indices into :attr:`features`, in the
        order of its feature dict) and their values (Python floats): (n_classes,) float64 summing to 1.

        The logits are the intercept plus each row times its value, in float32 as numpy multiplies a
        float32 row by a Python float, added one after the other in float64: the order and rounding of
        the per-feature loop this replaced, so probabilities are bit-identical to it (thresholds,
        margins and floors compare them), at one gather, one multiply and one running sum."""
        coef, intercept = self.coef, self.intercept
        if fallback and self.fallback_coef is not None:
            coef, intercept = self.fallback_coef, self.fallback_intercept
        acc = np.empty((len(rows) + 1, coef.shape[1]), np.float64)
        acc[0] = intercept
        if rows:
            terms = coef[rows]  # (k, n_classes) float32
            terms *= np.asarray(vals, dtype=np.float32)[:, None]  # = float32(val) * row, as val * coef[i]
            acc[1:] = terms
            z = np.add.accumulate(acc, axis=0)[-1]  # sequential: ((b + t1) + t2) + ...
        else:
            z = acc[0]
        n_dense = len(self.dense_mean)
        if n_dense and vec is not None and len(vec) == n_dense:
            z += ((vec - self.dense_mean) / self.dense_scale) @ coef[self.n_sparse:]
        z -= z.max()
        e = np.exp(z)
        return e / e.sum()

    def revise(self, sc, raw: list) -> list:
        """Rule events re-classed and, where the rules found no classed event, one model event
        (see the module docstring).  ``sc`` is the sentence's
        :class:`dyadwatch.coding.events.SentenceCoder`."""
        from dyadwatch.coding.verbs import SPECULATIVE_AUX

        rows = SentenceRows(self.index, bag=self.meta.get("bag", True), dict_verbs=sc.dict_verbs)
        memo: dict[tuple, np.ndarray] = {}  # (doc id, token, rule code, fallback) -> probabilities (read only)
        dense = len(self.dense_mean) > 0

        def probs_of(tok, code: str | None, fallback: bool = False) -> np.ndarray:
            key = (id(tok.doc), tok.i, code, fallback)
            p = memo.get(key)
            if p is None:
                p = memo[key] = self.proba_rows(*rows.rows(tok, code), trigger_vector(tok) if dense else None,
                                                fallback=fallback)
            return p

        out = []
        classed = False
        for e in raw:
            rule_class = plv_class_of_cameo(e.code)
            if rule_class is None or not e.anchors:
                out.append(e)
                continue
            probs = probs_of(e.anchors[0], e.code)
            i = int(probs.argmax())
            cls, p = self.classes[i], float(probs[i])
            p_rule = float(probs[self.classes.index(rule_class)]) if rule_class in self.classes else 0.0
            e.confidence = p_rule
            noun = NOUN_CLASS_KEPT and e.anchors[0].pos_ in ("NOUN", "PROPN")
            if cls != rule_class and p - p_rule > self.margin and not noun:
                e.confidence = p
                e.code = assault_code(e.source) if cls == "ASSAULT" else CLASS_CODES[cls]
                e.coded_by = "rules+model"
            out.append(e)
            if not KNOWN_ACTOR_FALLBACK or _known(e.source) or _known(e.target):
                classed = True
        if classed:
            return self._drop_unlikely(out)
        best = None
        for v in sc.sent:
            if v.pos_ != "VERB" or sc._negated(v) or sc._blocked(v) or sc._hypothetical(v):
                continue
            if {c.lower_ for c in v.children if c.dep_ == "aux"} & SPECULATIVE_AUX:
                continue
            sources = sc.subjects(v)
            if not sources:
                continue
            probs = probs_of(v, None, True)
            i = int(probs.argmax())
            cls, p = self.classes[i], float(probs[i])
            if p < self.threshold:
                continue
            code = assault_code(sources[0]) if cls == "ASSAULT" else CLASS_CODES[cls]
            known, targets = True, None  # (the targets, when looked up for ``known``, are kept)
            if KNOWN_ACTOR_FALLBACK and not any(_known(s) for s in sources):
                targets = sc.targets(v, code=code)
                known = any(_known(t) for t in targets)
            if best is None or (known, p) > (best[4], best[2]):
                best = (v, cls, p, sources, known, code, targets)
        if best is None:
            return out
        v, cls, p, sources, _, code, targets = best
        new: list = []
        sc._emit(new, sources, sc.targets(v, code=code) if targets is None else targets, code, sc._span(v), [v],
                 "model")
        for e in new:
            e.coded_by, e.confidence = "model", p
        return out + new

    def _drop_unlikely(self, events: list) -> list:
        """Classed events whose class the model gives less than :attr:`floor` are dropped when the sentence
        holds a classed event the model finds more probable (never the sentence's most probable one, nor
        one whose trigger is a main act of the sentence, :func:`_main_verb`)."""
        if self.floor <= 0:
            return events
        classed = [e for e in events if plv_class_of_cameo(e.code) is not None and e.anchors]
        if len(classed) < 2:
            return events
        top = max(e.confidence for e in classed)
        return [e for e in events if plv_class_of_cameo(e.code) is None or not e.anchors
                or e.confidence >= self.floor or e.confidence >= top
                or _main_verb(e.anchors[0])]

    # ------------------------------------------------------------ files
    def save(self, directory: str | Path) -> Path:
        """Write ``model.json`` and ``weights.npz`` into ``directory`` (created); returns it."""
        d = Path(directory)
        try:
            d.mkdir(parents=True, exist_ok=True)
            fb = self.coef if self.fallback_coef is None else self.fallback_coef
            fbi = self.intercept if self.fallback_intercept is None else self.fallback_intercept
            np.savez(d / "weights.npz", coef=self.coef.astype(np.float32), intercept=self.intercept,
                     dense_mean=self.dense_mean, dense_scale=self.dense_scale,
                     fallback_coef=fb.astype(np.float32), fallback_intercept=fbi)
            meta = {"format": FORMAT, "classes": self.classes, "features": self.features,
                    "threshold": self.threshold, "margin": self.margin, "floor": self.floor,
                    **{k: v for k, v in self.meta.items() if k != "path"}}
            tmp = d / "model.json.tmp"
            tmp.write_text(json.dumps(meta, indent=1), encoding="utf-8")
            os.replace(tmp, d / "model.json")
        except OSError as exc:
            raise InputError(f"cannot write the model ({exc.strerror})", path=d) from None
        return d

    @classmethod
    def load(cls, directory: str | Path) -> "EventModel":
        """Read a model directory written by :meth:`save`.

        Raises
        ------
        InputError
            Missing files, a ``model.json`` that is not this format, or
            weights whose shapes do not fit it.
        """
        d = Path(directory)
        mj, wz = d / "model.json", d / "weights.npz"
        if not mj.is_file() or not wz.is_file():
            raise InputError("not an event-class model directory (needs model.json and weights.npz)", path=d,
                             hint="train one with: dyadwatch train GOLD... --out DIR")
        try:
            meta = json.loads(mj.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"unreadable model.json ({exc})", path=mj) from None
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            found = meta.get("format") if isinstance(meta, dict) else None
            raise InputError(f"model.json is not format {FORMAT} (found {found!r}): a model of another dyadwatch "
                             "version", path=mj, hint="retrain it: dyadwatch train GOLD... --out DIR")
        classes, feats = meta.get("classes"), meta.get("features")
        if (not isinstance(classes, list) or not classes or not set(classes) <= set(PLV_CLASSES)
                or not isinstance(feats, list) or not all(isinstance(x, str) for x in feats)):
            raise InputError("model.json: classes must be PLV classes and features a list of names", path=mj)
        try:
            with np.load(wz, allow_pickle=False) as z:
                arrays = {k: np.asarray(z[k]) for k in ("coef", "intercept", "dense_mean", "dense_scale",
                                                        "fallback_coef", "fallback_intercept")}
        except (OSError, ValueError, KeyError) as exc:
            raise InputError(f"unreadable weights ({exc})", path=wz) from None
        n_dense = len(arrays["dense_mean"])
        if (arrays["coef"].shape != (len(feats) + n_dense, len(classes))
                or arrays["fallback_coef"].shape != arrays["coef"].shape
                or arrays["intercept"].shape != (len(classes),) or arrays["fallback_intercept"].shape != (len(classes),)
                or arrays["dense_scale"].shape != (n_dense,)
                or not all(np.isfinite(a).all() for a in arrays.values())):
            raise InputError("weights do not fit model.json (shapes or non-finite values)", path=wz)
        threshold = meta.get("threshold", DEFAULT_THRESHOLD)
        if not isinstance(threshold, (int, float)) or not 0 <= threshold <= 1:
            raise InputError("model.json: threshold must be in [0, 1]", path=mj)
        margin = meta.get("margin", DEFAULT_MARGIN)
        if not isinstance(margin, (int, float)) or not 0 <= margin <= 1:
            raise InputError("model.json: margin must be in [0, 1]", path=mj)
        floor = meta.get("floor", 0.0)  # models saved before the floor existed dropped nothing
        if not isinstance(floor, (int, float)) or not 0 <= floor <= 1:
            raise InputError("model.json: floor must be in [0, 1]", path=mj)
        rest = {k: v for k, v in meta.items()
                if k not in ("format", "classes", "features", "threshold", "margin", "floor", "path")}
        rest["path"] = str(d)
        return cls(classes, feats, arrays["coef"].astype(np.float32), arrays["intercept"].astype(np.float64),
                   arrays["dense_mean"].astype(np.float32), arrays["dense_scale"].astype(np.float32),
                   float(threshold), rest, float(margin), float(floor),
                   arrays["fallback_coef"].astype(np.float32), arrays["fallback_intercept"].astype(np.float64))
