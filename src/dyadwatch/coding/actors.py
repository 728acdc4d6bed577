"""Actor mentions on the parse, from the actor dictionaries.

The dictionaries (:mod:`dyadwatch.codebooks.actors`) give every surface
phrase — country names, demonyms, capitals and seats of government used as
metonyms, sector head words, people with their terms of office, IGOs and armed
groups — as normalised token tuples.  :class:`ActorRecogniser` matches them on
spaCy tokens (longest match first; short upper-case acronyms such as "IS" only
when written in capitals) and assembles noun-phrase actors:

* a country/IGO/group/person phrase heading the noun phrase is the actor; an
  agent word among its modifiers adds the sector ("Iran's government" ->
  ``IRNGOV``);
* an agent head word takes the country from its modifiers — demonym,
  possessive, compound, or an ``of``/``from`` phrase ("Russian warplanes" ->
  ``RUSMIL``, "Iran's foreign minister" -> ``IRNGOV``, "the army of Syria" ->
  ``SYRMIL``); without one it stays a bare sector (``REB``);
* a city (capital) used as a *modifier* of a noun that is not an agent
  ("the Tehran attack") is a location, never an actor; as the head of a
  subject or object ("Moscow said") it is the country's metonym.

People resolve only inside their terms of office on the date passed in
(``ActorDictionary.resolve(name, on=date)``).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from dyadwatch.codebooks import actors as actor_book
from dyadwatch.codebooks.actors import Actor, combine, tokens
from dyadwatch.coding.homonyms import resolve_homonyms

#: dependency labels that stay inside one noun phrase
NP_MODIFIERS = frozenset({"compound", "amod", "poss", "nmod", "appos", "flat"})
#: heads that say rebellion whoever backs them ("Russian-backed separatists" stay REB)
REBEL_WORDS = frozenset({"rebel", "separatist", "insurgent", "guerrilla", "guerilla", "secessionist", "mutineer"})
#: participles after "<Country>-" that name a group's sponsor, not its nationality ("Iranian-backed militia")
SPONSOR_PARTICIPLES = frozenset({"backed", "sponsored", "supported", "funded", "financed", "armed", "trained",
                                 "allied", "aligned"})
#: order of preference among entries of one phrase (as ``ActorDictionary.resolve``)
_KIND_RANK = {"igo": 0, "group": 1, "country": 2, "person": 3, "agent": 4}
#: the TABARI/PETRARCH null actor code: a phrase known to denote no actor
NULL_ACTOR = "---"
#: prepositions whose object names the country of an agent ("the army of Syria")
OF_PREPS = frozenset({"of", "from"})
#: distinct token texts whose normalised words a recogniser keeps (memory stays bounded)
MAX_CACHED_WORDS = 200_000


@dataclass(frozen=True)
class Mention:
    """A dictionary phrase found in a sentence: tokens ``[start, end)``."""

    start: int
    end: int
    key: tuple[str, ...]
    actor: Actor
    is_place: bool  # the phrase is a city (capital) name: a location when it modifies


@dataclass(frozen=True)
class ActorRef:
    """An actor as coded on an event: text, code, country, sector, char span in the sentence."""

    text: str
    code: str
    country: str | None
    sector: str | None
    kind: str
    span: tuple[int, int]

    def as_dict(self) -> dict:
        return {"text": self.text, "code": self.code, "country": self.country, "sector": self.sector}


@functools.lru_cache(maxsize=200_000)
def _norm(text: str) -> tuple[str, ...]:
    if text in ("'s", "\u2019s", "'"):
        return ()
    return tokens(text)


class ActorRecogniser:
    """Longest-match phrase recogniser over the actor dictionaries.

    Parameters
    ----------
    dictionary : ActorDictionary, optional
        Default ``dyadwatch.codebooks.actors.load()`` (built-in files).
    plurals : bool
        Also match the regular plural of agent phrases listed only in the singular
        (:func:`_plural_agent`); False for dictionaries that state their own plurals
        (TABARI/PETRARCH agents, ``{}`` = no plural) and are to be used as written.
    """

    def __init__(self, dictionary=None, *, plurals: bool = True):
        from dyadwatch.coding import places

        self.dictionary = dictionary or actor_book.load()
        self._case = self.dictionary.case_sensitive()
        trie: dict = {}
        self._phrases = self.dictionary.phrases()
        for key in self._phrases:
            variants = [key]
            if len(key) > 1:  # "People's" is tokenised "People" + "'s": also match without the s
                variants.append(tuple(t[:-1] if t.endswith("s") and len(t) > 3 else t for t in key))
            plural = _plural_agent(key, self._phrases) if plurals else None
            if plural:  # "leaders", "militias", "foreign ministers": the role of the singular
                variants.append(plural)
            for var in variants:
                node = trie
                for t in var:
                    node = node.setdefault(t, {})
                node.setdefault(None, key)
        self._trie = trie
        self._is_city = places.is_city_name
        self._resolved: dict[tuple[tuple[str, ...], dt.date | None], Actor | None] = {}
        self._countries: dict[str, Actor] = {}
        self._static: dict[tuple[str, ...], bool] = {}
        self._words_of: dict[int, tuple[str, ...]] = {}  # token ORTH -> its normalised words

    # ----------------------------------------------------------- matching
    def _matches(self, toks, first: bool = False) -> list[tuple[int, int, tuple[str, ...]]]:
        """Dictionary phrases among ``toks`` (a list of spaCy tokens), longest first from the
        left: ``(start, end, key)`` with ``start``/``end`` indices into ``toks``; with
        ``first=True`` only the first phrase found (enough for :meth:`has_actor`)."""
        words: list[str] = []  # the normalised words of the tokens, in order
        at: list[int] = []  # the index in toks of each word's token
        cache = self._words_of
        for i, tok in enumerate(toks):
            # a token's words depend only on its text: looked up by its ORTH (the hash of its text,
            # spaCy's identity of a word), not by building the text and normalising it again
            ws = cache.get(tok.orth)
            if ws is None:
                ws = _norm(tok.text)
                if len(cache) < MAX_CACHED_WORDS:
                    cache[tok.orth] = ws
            if len(ws) == 1:
                words.append(ws[0])
                at.append(i)
            else:
                for w in ws:
                    words.append(w)
                    at.append(i)
        trie = self._trie
        n = len(words)
        out = []
        resume = 0  # words before this one belong to a phrase already found
        for j, w in enumerate(words):
            if j < resume:
                continue
            node = trie.get(w)
            if node is None:
                continue
            best = None
            k = j
            while node is not None:
                if None in node:
                    best = (k, node[None])
                k += 1
                if k >= n:
                    break
                node = node.get(words[k])
            if best is None:
                continue
            k, key = best
            start, end = at[j], at[k] + 1
            if key in self._case and not all(t.text.replace(".", "").isupper() for t in toks[start:end]
                                             if _norm(t.text)):
                continue
            out.append((start, end, key))
            if first:
                break
            resume = k + 1
        return out

    def has_actor(self, toks) -> bool:
        """Cheap pre-scan: does this token sequence (a tokenised, unparsed
        sentence) hold any dictionary phrase?"""
        return bool(self._matches(toks, first=True))

    def resolve(self, key: tuple[str, ...], on: dt.date | None) -> Actor | None:
        """The actor a matched phrase denotes on date ``on`` (people only inside their terms).

        ``ActorDictionary.resolve`` first; when it finds nothing, the entries that
        ``phrases()`` lists for the phrase (country names from the code table),
        chosen by the same rule: IGOs, groups and countries before people and
        agents; two different people on one date -> None.
        """
        static = self._static.get(key)
        if static is None:
            found = self.dictionary.resolve_all(" ".join(key), None)
            # entries without validity dates (countries, IGOs, groups, agents) resolve the same on
            # every date: look them up once
            static = bool(found) and all(a.valid_from is None and a.valid_to is None and a.kind != "person"
                                         for a in found)
            self._static[key] = static
        ck = (key, None if static else on)
        if ck not in self._resolved:
            actor = self.dictionary.resolve(" ".join(key), on)
            if actor is None:
                cands = [a for a in self._phrases.get(key, ()) if a.valid_on(on)]
                if cands:
                    best = min(_KIND_RANK.get(a.kind, 9) for a in cands)
                    cands = [a for a in cands if _KIND_RANK.get(a.kind, 9) == best]
                    if cands[0].kind != "person" or len({a.code for a in cands}) == 1:
                        actor = cands[0]
            self._resolved[ck] = actor
        return self._resolved[ck]

    def country_actor(self, iso3: str) -> Actor:
        """The country actor of an ISO3 code (its CAMEO code from the countries table)."""
        actor = self._countries.get(iso3)
        if actor is None:
            from dyadwatch.codebooks.actors import countries_bridge

            try:
                code = countries_bridge.cameo_of(iso3) or iso3
            except Exception:  # noqa: BLE001 - the bridge is optional; ISO3 is the CAMEO code for most states
                code = iso3
            actor = self._countries[iso3] = Actor(code=code, country=iso3, sector=None, kind="country", name=iso3)
        return actor

    def mentions(self, sent, on: dt.date | None, context=None) -> "SentenceActors":
        """The actor mentions of a parsed sentence (a spaCy ``Doc`` or ``Span``),
        place-name homonyms decided by context (:mod:`dyadwatch.coding.homonyms`)
        and, with the document's ``context``
        (:class:`~dyadwatch.coding.discourse.DocumentContext`), the names earlier
        sentences introduced with a country."""
        toks = list(sent)
        found = []
        queue = self._matches(toks)
        while queue:
            start, end, key = queue.pop(0)
            actor = self.resolve(key, on)
            if actor is not None and actor.code == NULL_ACTOR:
                continue  # a dictionary's null code (---): the phrase is known and is no actor
            if actor is None:
                # "President Bush" outside Bush's term: the title alone may still be an actor
                if end - start > 1:
                    sub = [(start + a, start + b, k) for a, b, k in self._matches(toks[start:end - 1])]
                    sub += [(start + 1 + a, start + 1 + b, k) for a, b, k in self._matches(toks[start + 1:end])]
                    seen = set()
                    for item in sub:
                        if item[:2] not in seen and (item[0], item[1]) != (start, end):
                            seen.add(item[:2])
                            queue.append(item)
                continue
            is_place = actor.kind == "country" and self._is_city(" ".join(key)) and \
                not actor.sector
            found.append(Mention(toks[start].i, toks[end - 1].i + 1, key, actor, is_place))
        if found:
            found = resolve_homonyms(toks, found, self.country_actor, context and context.georgia)
        if context is not None and context.names:
            taken = {i for m in found for i in range(m.start, m.end)}
            found = sorted(found + context.name_mentions(toks, taken, Mention), key=lambda m: m.start)
        return SentenceActors(sent, found, context, tokens=toks)


def _plural_agent(key: tuple[str, ...], phrases) -> tuple[str, ...] | None:
    """The plural of an agent phrase whose dictionary lists only the singular
    ("leader" -> "leaders", "militia" -> "militias", "embassy" -> "embassies",
    "gunman" -> "gunmen"), or None (not an agent-only phrase, already plural, or
    the plural is a phrase of its own).  English regular plurals and -man/-men."""
    entries = phrases.get(key) or ()
    if not entries or any(a.kind != "agent" for a in entries):
        return None
    w = key[-1]
    if w.endswith("s") or len(w) < 3 or not w.isalpha():
        return None
    if w.endswith("man"):
        p = w[:-3] + "men"
    elif w.endswith("y") and w[-2] not in "aeiou":
        p = w[:-1] + "ies"
    elif w.endswith(("x", "ch", "sh")):
        p = w + "es"
    else:
        p = w + "s"
    out = key[:-1] + (p,)
    return None if out in phrases else out


def _partisan(tok) -> bool:
    """True for the word after "pro-"/"anti-" ("pro-Iranian", "anti-government"):
    it names the side a group takes, not the group's nationality."""
    doc = tok.doc
    return tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("pro", "anti")


class SentenceActors:
    """Mentions of one parsed sentence and the noun-phrase actors built from them."""

    def __init__(self, sent, mentions: list[Mention], context=None, tokens: list | None = None):
        self.sent = sent
        self.context = context  # the document's DocumentContext (pronouns), or None
        self.offset = sent[0].idx if len(sent) else 0
        self.text = sent.text  # Doc.text re-joins the tokens on every call: keep it
        self.mentions = mentions
        self._tokens = tokens  # list(sent) when the caller has it, else listed on first use
        self._at: dict[int, Mention] = {}
        # answers already given for this sentence (its parse and mentions never change): the roles ask
        # for the actor of one noun phrase several times (subjects, targets, the event model, discourse)
        self._np: dict[tuple[int, bool], ActorRef | None] = {}
        self._args: dict[tuple[int, bool], tuple[ActorRef, ...]] = {}
        self._mods: dict[tuple[int, bool], tuple] = {}
        self._above: set[int] | None = None  # tokens with a mention token below them (listed on first use)
        for m in mentions:
            for i in range(m.start, m.end):
                self._at[i] = m

    def __bool__(self) -> bool:
        return bool(self.mentions)

    @property
    def tokens(self) -> list:
        """The sentence's tokens, in order, listed once (spaCy builds a new ``Token`` object on
        every iteration of a ``Doc``/``Span``)."""
        if self._tokens is None:
            self._tokens = list(self.sent)
        return self._tokens

    def pronoun_refs(self, tok) -> list[ActorRef]:
        """"He"/"she" as the person an earlier sentence of the document introduced
        (:meth:`~dyadwatch.coding.discourse.DocumentContext.pronoun_actor`), unless a
        person is named before it in this sentence; [] otherwise."""
        if self.context is None:
            return []
        actor = self.context.pronoun_actor(tok)
        if actor is None or any(m.start < tok.i and m.actor.kind in ("person", "agent") for m in self.mentions):
            return []
        return [self._ref([tok], actor.code, actor, actor.sector, "person")]

    def mention_at(self, tok) -> Mention | None:
        return self._at.get(tok.i)

    def _modifiers(self, tok, depth: int = 0, agent_head: bool = False):
        """(mention, token) pairs in the noun-phrase modifiers of ``tok``."""
        if depth > 3 or not self.has_mention_below(tok):
            return
        for child in tok.children:
            dep = child.dep_
            if dep in NP_MODIFIERS:
                m = self.mention_at(child)
                if m is not None:
                    yield m, child
                yield from self._modifiers(child, depth + 1, agent_head)
            elif dep == "prep" and agent_head and child.lower_ in OF_PREPS:
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        m = self.mention_at(pobj)
                        if m is not None:
                            yield m, pobj
                        yield from self._modifiers(pobj, depth + 1, agent_head)

    def has_mention_below(self, tok) -> bool:
        """True when a token of a mention is a descendant of ``tok`` (``tok`` is among its
        ancestors, the chain of its heads).  Everything the walks below ``tok`` look for
        (:meth:`_modifiers`, :meth:`_in_country`, :meth:`_conjunct_modifier_actors`) is a
        mention token reached through children, so without one they find nothing."""
        above = self._above
        if above is None:
            above = self._above = set()
            doc = self.sent.doc
            for i in self._at:
                for a in doc[i].ancestors:
                    if a.i in above:
                        break  # its own heads are in already
                    above.add(a.i)
        return tok.i in above

    def modifier_mentions(self, tok, agent_head: bool = False) -> tuple:
        """``tuple(self._modifiers(tok, agent_head=agent_head))``, computed once per token."""
        key = (tok.i, agent_head)
        mods = self._mods.get(key)
        if mods is None:
            mods = self._mods[key] = tuple(self._modifiers(tok, 0, agent_head))
        return mods

    def _ref(self, toks, code, actor: Actor | None, sector, kind, head=None) -> ActorRef:
        toks = list(toks) + ([head] if head is not None else [])
        lo = min(t.idx for t in toks) - self.offset
        hi = max(t.idx + len(t.text) for t in toks) - self.offset
        text = self.text[lo:hi]
        return ActorRef(text=text, code=code, country=actor.country if actor else None,
                        sector=sector, kind=kind, span=(lo, hi))

    def np_actor(self, tok, *, embedded: bool = False) -> ActorRef | None:
        """The actor the noun phrase headed by ``tok`` denotes, or None.

        With ``embedded=True`` a phrase whose head is not an actor word may take
        the actor of its modifiers ("the ISIS base", "Iran's parliament
        building"); cities among the modifiers of such a head stay locations.
        Computed once per token and ``embedded`` (``ActorRef`` is immutable).
        """
        key = (tok.i, embedded)
        if key in self._np:
            return self._np[key]
        other = (tok.i, not embedded)
        if other in self._np and (tok.i in self._at or tok.pos_ == "PROPN"):
            ref = self._np[other]  # ``embedded`` decides only for a head that is no mention nor proper noun
        else:
            ref = self._np_actor(tok, embedded)
        self._np[key] = ref
        return ref

    def _np_actor(self, tok, embedded: bool) -> ActorRef | None:
        m = self.mention_at(tok)
        if m is not None and m.actor.kind == "country" and any(
                c.dep_ == "amod" and c.lower_ == "ethnic" for c in tok.children):
            # "ethnic Albanians demonstrated in Serbia": an ethnic group, not the state
            # (CAMEO role ETH; the country comes from where the event happens)
            return self._ref([tok], "ETH", None, "ETH", "agent", head=tok)
        if m is not None and m.actor.kind != "agent":
            mods = [(mm, t) for mm, t in self.modifier_mentions(tok) if mm is not m]
            base = m.actor
            sector = base.sector
            used = [self.sent.doc[i] for i in range(m.start, m.end)]
            if base.kind == "country" and not sector:
                for mm, t in mods:
                    if mm.actor.kind == "agent":
                        sector = mm.actor.sector
                        used.append(t)
                        break
            code = combine(base, sector) if base.kind == "country" and sector else base.code
            return self._ref(used, code, base, sector or base.sector, base.kind, head=tok)
        agent = m.actor if m is not None else None
        if agent is None and not embedded and tok.pos_ != "PROPN":
            return None
        mods = [(mm, t) for mm, t in self.modifier_mentions(tok, True) if mm is not m]
        used = [self.sent.doc[i] for i in range(m.start, m.end)] if m is not None else []
        sector = agent.sector if agent else None
        if sector == "REB" and tok.lemma_.lower() not in REBEL_WORDS and self._sponsored(tok):
            sector = "UAF"  # "an Iranian-backed militia": armed, of unknown allegiance, not the place's rebels
        base = None
        for mm, t in mods:
            if _partisan(t):
                continue  # "pro-Iranian militias": supporters of Iran, not Iranians
            if mm.actor.kind == "agent":
                # "rebel positions" gives REB; an adjective ("official protest") does not
                if sector is None and (agent is not None or t.pos_ in ("NOUN", "PROPN") or tok.pos_ == "PROPN"):
                    sector = mm.actor.sector
                    used.append(t)
                continue
            if mm.is_place and agent is None and t.dep_ != "poss":
                continue  # "the Tehran attack": a location ("Moscow's decision", "New Mexico's judge": actors)
            if base is None:
                base = mm.actor
                used.extend(self.sent.doc[mm.start:mm.end])  # "New Mexico's governor": the whole name
        if base is None and agent is not None:
            base_t = self._in_country(tok)
            if base_t is not None:
                base, t = base_t
                used.append(t)
        if base is None and sector is None:
            return None
        if agent is not None:
            used.extend(self.name_after(tok))  # "Brazil's foreign minister Tomas Ferrando"
        if base is None:
            return self._ref(used or [tok], sector, None, sector, "agent", head=tok)
        if base.kind == "person":
            return self._ref(used, base.code, base, base.sector, "person", head=tok)
        code = combine(base, sector) if sector else base.code
        return self._ref(used, code, base, sector or base.sector, base.kind, head=tok)

    def _sponsored(self, tok) -> bool:
        """True when ``tok`` has a sponsor modifier naming a state or a partisan one:
        "Iranian-backed", "Turkish-supported", "pro-government", "pro-Iranian"."""
        for c in tok.children:
            if c.dep_ not in ("amod", "compound"):
                continue
            if _partisan(c):
                return True
            if c.lower_ in SPONSOR_PARTICIPLES and any(
                    (mm := self.mention_at(g)) is not None and mm.actor.kind == "country" for g in c.children):
                return True
        return False

    def name_after(self, tok) -> list:
        """The proper name written right after a role word ("minister Tomas Ferrando"):
        the run of capitalised proper nouns that follows ``tok`` (at most 4), none of
        them a dictionary phrase; [] when there is none."""
        doc = tok.doc
        out = []
        i = tok.i + 1
        end = self.sent[-1].i + 1 if len(self.sent) else 0
        while i < end and len(out) < 4:
            t = doc[i]
            if t.pos_ != "PROPN" or not t.is_title or not t.is_alpha or self.mention_at(t) is not None:
                break
            out.append(t)
            i += 1
        return out

    def _in_country(self, tok):
        """"security forces in Guinea": the country of an agent from an ``in`` phrase."""
        if not self.has_mention_below(tok):
            return None
        for child in tok.children:
            if child.dep_ == "prep" and child.lower_ == "in":
                for pobj in child.children:
                    m = self.mention_at(pobj)
                    if pobj.dep_ == "pobj" and m is not None and m.actor.kind == "country":
                        return m.actor, pobj
        return None

    def _conjunct_modifier_actors(self, tok, ref: ActorRef) -> list[ActorRef]:
        """The other conjoined modifiers as actors of their own: "French and Egyptian
        warships", and for an agent or group head "Delegations from Japan, China and
        France", "the ministers of Japan and France" (one actor per country)."""
        if not self.has_mention_below(tok):
            return []
        out = []
        mods = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss") and self.mention_at(c)]
        m = self.mention_at(tok)
        if m is None or m.actor.kind == "agent":
            # only the "of"/"from" country the actor was built from has conjuncts to add
            mods += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in OF_PREPS
                     for g in c.children if g.dep_ == "pobj" and self.mention_at(g) is not None
                     and self.mention_at(g).actor.country == ref.country is not None]
        for child in mods:
            for conj in child.conjuncts:
                mm = self.mention_at(conj)
                if mm is None or mm.actor.kind == "agent":
                    continue
                base = mm.actor
                code = combine(base, ref.sector) if ref.sector and base.kind == "country" else base.code
                head = tok if child.dep_ != "pobj" else None  # "German leaders"; "(delegations from) China"
                name = list(self.sent.doc[mm.start:mm.end])  # "Saudi Arabia", not its head "Arabia"
                out.append(self._ref(name, code, base, ref.sector or base.sector, base.kind, head=head))
        return out

    def arg_actors(self, tok, *, embedded: bool = True) -> list[ActorRef]:
        """Actors of an argument and its conjuncts ("Russia and Iran" -> two); a new list on
        every call (the answer is computed once per token and ``embedded``)."""
        key = (tok.i, embedded)
        refs = self._args.get(key)
        if refs is None:
            refs = self._args[key] = tuple(self._arg_actors(tok, embedded))
        return list(refs)

    def _arg_actors(self, tok, embedded: bool) -> list[ActorRef]:
        out = []
        for t in [tok, *tok.conjuncts]:
            ref = self.np_actor(t, embedded=embedded)
            if ref is not None and ref not in out:
                out.append(ref)
                for extra in self._conjunct_modifier_actors(t, ref):
                    if extra not in out:
                        out.append(extra)
        return out
