"""The verb-pattern lexicon: lemmas and phrases -> CAMEO codes.

The lexicon is data (``data/verb_patterns.yaml``, written by us from the
CAMEO 1.1b3 category definitions; its header documents the pattern syntax).
This module loads it, matches a verb or an event noun of a parsed sentence
against it, and maps *clause-taking* verbs to CAMEO's composite codes:

* intent — "agreed to supply", "will meet", "pledged to withdraw" -> the
  CAMEO 03x "express intent" code of the complement (``036`` intent to meet,
  ``0332`` intent to provide military aid, ``0356`` intent to de-escalate …);
  intent to do harm ("vowed to strike") is a threat (``138``/``1384``);
* threaten — "threatened to impose sanctions" -> 13x (``1312``);
* demand / appeal — "demanded that Syria withdraw", "urged Iran to release"
  -> 10x / 02x of the complement (``1056``, ``0253``);
* reject — "refused to withdraw" -> 12x (``1246``);
* attempt — "tried to assassinate" -> ``185``.

:data:`FAMILY_CODES` holds those mappings (from the CAMEO 1.1b3 definitions
of 02, 03, 10, 12 and 13, whose sub-codes follow the same order as the
cooperation roots 04–08).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from dyadwatch.codebooks.cameo import CAMEO
from dyadwatch.errors import InputError

FAMILY_VERBS: dict[str, frozenset[str]] = {
    "intent": frozenset({"agree", "promise", "pledge", "vow", "offer", "plan", "intend", "undertake",
                         "commit", "hope", "prepare", "aim", "volunteer", "resolve", "consent", "propose",
                         "wish", "want"}),
    "threaten": frozenset({"threaten", "warn"}),
    "demand": frozenset({"demand", "insist", "require", "order"}),
    "appeal": frozenset({"urge", "ask", "appeal", "request", "call", "press", "encourage", "invite", "implore",
                         "beg", "plead", "exhort", "advise", "push"}),
    "reject": frozenset({"refuse", "reject", "decline"}),
    "attempt": frozenset({"try", "attempt", "seek", "struggle"}),
    "negate": frozenset({"fail", "cease", "neglect", "forget", "avoid"}),
}
#: nouns that take a clause ("its demand that Israel ease ...") -> family
FAMILY_NOUNS: dict[str, str] = {"demand": "demand", "call": "appeal", "appeal": "appeal", "request": "appeal",
                                "threat": "threaten", "warning": "threaten", "ultimatum": "threaten",
                                "promise": "intent", "pledge": "intent", "offer": "intent", "commitment": "intent",
                                "reminder": "demand", "ultimatum": "threaten", "call": "appeal", "plea": "appeal"}
#: verbs whose passive participle is a state of the subject ("Israel is opposed to ...")
STATIVE_PASSIVES = frozenset({"oppose", "commit", "determine", "prepare", "dedicate", "resolve", "engage",
                              "involve"})
FAMILY_ADJECTIVES: dict[str, frozenset[str]] = {
    "intent": frozenset({"ready", "willing", "prepared", "determined", "eager", "set", "due", "poised",
                         "going", "about", "keen"}),
    "reject": frozenset({"unwilling", "reluctant"}),
    "negate": frozenset({"unable"}),
}
INTENT_AUX = frozenset({"will", "shall", "'ll", "wo", "would"})
DEMAND_AUX = frozenset({"must", "should"})
SPECULATIVE_AUX = frozenset({"may", "might", "could", "can", "ca"})

# complement code (prefix) -> composite code, per family; the longest prefix wins.
_YIELD = {"081": "1", "0811": "1", "0812": "1", "0813": "1", "0814": "1", "082": "2", "084": "3",
          "0841": "3", "0842": "3", "085": "4", "086": "5", "0861": "5", "0862": "5", "0863": "5",
          "087": "6", "0871": "6", "0872": "6", "0873": "6", "0874": "6"}


def _build_family_codes() -> dict[str, dict[str, str]]:
    fam: dict[str, dict[str, str]] = {}
    intent = {"04": "036", "045": "039", "046": "036", "037": "037", "05": "032", "057": "030", "06": "031",
              "061": "0311", "062": "0312", "063": "0313", "064": "0314", "07": "033", "071": "0331",
              "072": "0332", "073": "0333", "074": "0334", "08": "035", "083": "034", "09": "030",
              "01": "030", "03": "030", "14": "133", "15": "138", "16": "131", "161": "1313", "162": "1311",
              "163": "1312", "164": "134", "165": "135", "166": "136", "17": "137", "172": "132",
              "1722": "1322", "1723": "1323", "1724": "1324", "18": "1383", "19": "1384", "191": "1381",
              "192": "1382", "20": "1385", "2041": "1385", "2042": "1385"}
    intent.update({k: "035" + v for k, v in _YIELD.items()})
    fam["intent"] = intent
    threaten = {k: v for k, v in intent.items() if v.startswith("13")}
    threaten.update({"04": "134", "045": "135", "08": "130", "07": "1311", "06": "130", "05": "130",
                     "01": "130", "02": "130", "10": "130", "11": "130", "12": "130", "13": "130", "09": "130"})
    fam["threaten"] = threaten
    demand = {"04": "106", "045": "108", "046": "106", "05": "102", "06": "101", "061": "1011",
              "062": "1012", "063": "1013", "064": "1014", "07": "103", "071": "1031", "072": "1032",
              "073": "1033", "074": "1034", "08": "105", "083": "104", "0833": "104"}
    demand.update({k: "105" + v for k, v in _YIELD.items()})
    fam["demand"] = demand
    appeal = {"04": "026", "045": "028", "046": "026", "05": "022", "06": "021", "061": "0211",
              "062": "0212", "063": "0213", "064": "0214", "07": "023", "071": "0231", "072": "0232",
              "073": "0233", "074": "0234", "08": "025", "083": "024"}
    appeal.update({k: "025" + v for k, v in _YIELD.items()})
    fam["appeal"] = appeal
    reject = {"04": "125", "045": "126", "046": "125", "05": "120", "057": "127", "06": "121",
              "061": "1211", "062": "1212", "07": "122", "071": "1221", "072": "1222", "073": "1223",
              "074": "1224", "08": "124", "083": "123", "0833": "123"}
    reject.update({k: "124" + v for k, v in _YIELD.items()})
    fam["reject"] = reject
    fam["attempt"] = {"186": "185", "1823": "185"}
    return fam


#: family -> {complement code prefix -> composite CAMEO code}
FAMILY_CODES: dict[str, dict[str, str]] = _build_family_codes()
#: default composite code of each family when no prefix matches (None: keep the complement's code)
FAMILY_DEFAULT = {"intent": "030", "threaten": "130", "demand": "100", "appeal": "020", "reject": "120",
                  "attempt": None}


def family_code(family: str, comp_code: str) -> str | None:
    """The composite CAMEO code of a clause-taking verb of ``family`` over a
    complement coded ``comp_code`` (``family_code("intent", "072") == "0332"``).

    Returns None for family ``negate`` ("failed to attack": no event).
    """
    if family == "negate":
        return None
    if family == "intent" and comp_code[:2] == "09":
        # CAMEO 03 is intent to *cooperate* (its sub-codes mirror 04-08); an announced investigation
        # ("will investigate Yale") stays an investigation (09, PLOVER INVESTIGATE)
        return comp_code
    if family == "intent" and "10" <= comp_code[:2] <= "13":
        # an announced demand, rebuke or rejection ("will boycott the meeting") is a threat (CAMEO 13:
        # "coercive or forceful warnings"), as an announced use of force is (138)
        return "130" if comp_code[:2] != "13" else comp_code
    table = FAMILY_CODES[family]
    for n in range(len(comp_code), 1, -1):
        hit = table.get(comp_code[:n])
        if hit:
            return hit
    default = FAMILY_DEFAULT[family]
    return default or comp_code


@dataclass(frozen=True)
class Pattern:
    """One lexicon entry: verb lemma + particles, prepositions and object lemmas."""

    verb: str
    particles: frozenset[str]
    preps: frozenset[str]
    objects: frozenset[str]
    code: str

    @property
    def weight(self) -> tuple[int, int]:
        return (len(self.particles) + len(self.preps) + 2 * len(self.objects), len(self.code))


@dataclass
class Lexicon:
    """The compiled lexicon: verb patterns by lemma, event nouns by head lemma."""

    verbs: dict[str, list[Pattern]]
    nouns: dict[str, list[tuple[str | None, str]]]
    light_verbs: frozenset[str]

    def repair_lemmas(self, tokens) -> None:
        """Give back the final "e" the rule lemmatizer takes from some verbs: spaCy's ``en_core_web_sm``
        reads "staged", "waged", "raped", "sniped" (and their -ing, -es forms) as "stag", "wag", "rap",
        "snip" (an exception-table noun or verb wins).  A verb token whose lemma the lexicon does not
        know while the lemma plus "e" is a lexicon or light verb, its word being that lemma plus "ed",
        "ing" or "es", gets that lemma (in place).  Cost: one set look-up per verb token."""
        for tok in tokens:
            if tok.pos_ != "VERB":
                continue
            lemma = tok.lemma_.lower()
            if lemma in self.verbs or lemma in self.light_verbs:
                continue
            fixed = lemma + "e"
            if (fixed in self.verbs or fixed in self.light_verbs) and tok.lower_[len(lemma):] in ("ed", "ing", "es") \
                    and tok.lower_.startswith(lemma):
                tok.lemma_ = fixed

    def match_verb(self, tok) -> tuple[str, Pattern] | None:
        """The best pattern for verb token ``tok`` given its dependents, or None."""
        pats = self.verbs.get(tok.lemma_.lower())
        if not pats:
            return None
        words = set()
        preps = set()
        objs = set()
        for c in tok.children:
            dep = c.dep_
            if dep in ("prt", "advmod", "acomp"):
                words.add(c.lower_)
            elif dep in ("prep", "agent", "dative"):
                preps.add(c.lower_)
                words.add(c.lower_)
                for g in c.children:
                    if g.dep_ in ("pobj", "pcomp"):
                        objs.add(g.lemma_.lower())
                        objs.update(x.lemma_.lower() for x in g.children if x.dep_ in ("compound", "amod"))
            elif dep in ("dobj", "nsubjpass", "attr", "oprd", "xcomp", "ccomp"):
                objs.add(c.lemma_.lower())
                joined = hyphenated(c)
                if joined:
                    objs.update((joined, joined.replace("-", "")))
                objs.update(x.lemma_.lower() for x in c.children if x.dep_ in ("compound", "amod", "prt"))
                if dep == "dobj":
                    for g in c.children:
                        if g.dep_ == "prep":
                            words.add(g.lower_)
                            preps.add(g.lower_)
                            if g.lower_ == "of":  # "allow the return of inspectors"
                                for x in g.children:
                                    if x.dep_ == "pobj":
                                        objs.add(x.lemma_.lower())
                                        objs.update(y.lemma_.lower() for y in x.children if y.dep_ == "compound")
        best = None
        for p in pats:
            if p.particles <= words and p.preps <= preps and p.objects <= objs:
                if best is None or p.weight > best.weight:
                    best = p
        return (best.code, best) if best else None

    def match_noun(self, tok) -> str | None:
        """CAMEO code of event noun ``tok`` ("air strikes" -> ``195``), or None."""
        entries = self.nouns.get(tok.lemma_.lower()) or self.nouns.get(tok.lower_)
        if not entries:
            joined = hyphenated(tok)  # "sit-in", "walk-out" as "walkout", "cease-fire"
            entries = (self.nouns.get(joined) or self.nouns.get(joined.replace("-", ""))) if joined else None
        if not entries:
            return None
        mods = {c.lemma_.lower() for c in tok.children if c.dep_ in ("compound", "amod", "nmod")}
        best = None
        for mod, code in entries:
            if mod is None:
                if best is None:
                    best = (0, code)
            elif mod in mods and (best is None or best[0] == 0):
                best = (1, code)
        return best[1] if best else None


def hyphenated(tok) -> str | None:
    """The hyphenated word a noun token ends ("sit-in", "cease-fire", "walk-out": the tokenizer splits
    them into three tokens and the parse hangs the first on the last), lower case, else None."""
    i = tok.i
    if i < 2:
        return None
    doc = tok.doc
    hy, first = doc[i - 1], doc[i - 2]
    if hy.text != "-" or hy.whitespace_ or first.whitespace_ or not first.is_alpha:
        return None
    return f"{first.lower_}-{tok.lemma_.lower()}"


def _parse_pattern(text: str, code: str, where: str) -> Pattern:
    parts = str(text).split()
    if not parts or parts[0][0] in "@+":
        raise InputError(f"pattern {text!r} for code {code} does not start with a verb lemma", path=where)
    particles, preps, objs = set(), set(), set()
    for p in parts[1:]:
        if p.startswith("@"):
            preps.add(p[1:].lower())
        elif p.startswith("+"):
            objs.add(p[1:].lower())
        else:
            particles.add(p.lower())
    return Pattern(parts[0].lower(), frozenset(particles), frozenset(preps), frozenset(objs), code)


def _lemma_variants(word: str) -> set[str]:
    out = {word}
    if word.endswith("s") and len(word) > 4 and not word.endswith("ss"):
        out.add(word[:-1])
    return out


def read_lexicon(paths: list[Path | str] | tuple = ()) -> Lexicon:
    """Compile the built-in lexicon plus the user's files (same YAML layout).

    Raises
    ------
    InputError
        A file that is not the documented layout, or a code that is not a
        CAMEO 1.1b3 code (naming file and code).
    """
    verbs: dict[str, list[Pattern]] = {}
    nouns: dict[str, list[tuple[str | None, str]]] = {}
    light: set[str] = set()
    builtin = resources.files("dyadwatch.coding") / "data" / "verb_patterns.yaml"
    sources = [(str(builtin), builtin.read_text(encoding="utf-8"))]
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise InputError("verb pattern file not found", path=p)
        if p.is_dir():
            raise InputError("is a directory, expected a verb pattern YAML file", path=p)
        sources.append((str(p), p.read_text(encoding="utf-8")))
    for where, text in sources:
        try:
            data = yaml.safe_load(text) or {}
        except yaml.YAMLError as exc:
            raise InputError(f"not valid YAML: {str(exc).splitlines()[0]}", path=where) from None
        if not isinstance(data, dict):
            raise InputError("expected a mapping with keys verbs/nouns/light_verbs", path=where)
        for code, pats in (data.get("verbs") or {}).items():
            code = str(code)
            if code not in CAMEO:
                raise InputError(f"unknown CAMEO code {code!r} in verbs", path=where)
            for text_ in pats or ():
                pat = _parse_pattern(text_, code, where)
                verbs.setdefault(pat.verb, []).append(pat)
        for code, items in (data.get("nouns") or {}).items():
            code = str(code)
            if code not in CAMEO:
                raise InputError(f"unknown CAMEO code {code!r} in nouns", path=where)
            for item in items or ():
                words = str(item).lower().split()
                head, mod = words[-1], (" ".join(words[:-1]) or None)
                if mod and " " in mod:
                    mod = mod.split()[-1]
                for h in _lemma_variants(head):
                    nouns.setdefault(h, []).append((mod, code))
        light.update(str(v).lower() for v in data.get("light_verbs") or ())
    return Lexicon(verbs, nouns, frozenset(light))


@functools.lru_cache(maxsize=4)
def lexicon(paths: tuple[str, ...] = ()) -> Lexicon:
    """:func:`read_lexicon`, cached per list of extra files."""
    return read_lexicon(list(paths))
