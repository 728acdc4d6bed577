"""Actors across the sentences of one document: names, roles and pronouns.

A news story introduces a person once with a country ("Kenya's defence
minister Raychelle Omamo", "Raychelle Omamo, Kenya's defence minister") and
then says "Omamo", "the minister" or "she".  :class:`DocumentContext` keeps,
for one document, in document order:

* **names**: a person (a proper name heading a noun phrase, not itself a
  dictionary entry) whose noun phrase resolved to an actor with a country;
  the full name and the surname then denote that actor for the rest of the
  document ("Omamo said ..." -> ``KENMIL``), and a later noun phrase holding
  the name but no country ("Defence Minister Omamo") takes it;
* **roles**: the actor last introduced with a role word ("president",
  "foreign minister", "army"); a later definite description with the same
  word and no country ("the president", "the minister") is that actor;
* **the last person** (a named person or a person's title: president,
  minister, spokesman ...): a subject "he"/"she" that the sentence itself
  does not resolve (no speaker in the sentence) is that person.

The coder screens sentences before it parses them (a sentence without a
dictionary phrase is not parsed).  So that "Omamo said ..." and "He
added ..." are parsed at all, :meth:`DocumentContext.screen` also passes a
sentence holding a capitalised word seen at the end of a run of
capitalised words in an earlier actor sentence (a surname candidate), or a
"he"/"she" within :data:`PRONOUN_REACH` sentences of the last actor
sentence.  What they resolve to is decided on the parse, from what the
earlier sentences resolved to.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from dyadwatch.codebooks.actors import Actor, tokens
from dyadwatch.coding.homonyms import GeorgiaSense

#: ``tokens`` remembered (a document's names are looked up at every capitalised word)
_words = functools.lru_cache(maxsize=50_000)(tokens)

#: role words that denote one person: "he"/"she" may refer back to their holder
PERSON_ROLES = frozenset("""
president prime minister premier chancellor king queen prince emir sheikh sultan monarch leader chief commander
general admiral ambassador envoy spokesman spokeswoman spokesperson secretary governor mayor official
diplomat negotiator senator lawmaker judge prosecutor cleric ayatollah imam pope patriarch dictator
""".split())
SUBJECT_PRONOUNS = frozenset({"he", "she"})
#: sentences after the last actor sentence within which "he"/"she" is screened in
PRONOUN_REACH = 3
#: at most this many names and roles are kept per document (long texts stay bounded)
MAX_REMEMBERED = 2_000


@dataclass
class DocumentContext:
    """What the sentences of one document have established so far (see the module docstring)."""

    georgia: GeorgiaSense = field(default_factory=GeorgiaSense)
    surnames: set[str] = field(default_factory=set)
    names: dict[tuple[str, ...], Actor] = field(default_factory=dict)
    roles: dict[str, Actor] = field(default_factory=dict)
    last_person: Actor | None = None
    since_actor: int = PRONOUN_REACH + 1

    # ------------------------------------------------------------ screening (unparsed tokens)
    def screen(self, toks, has_actor: bool) -> bool:
        """Whether a sentence (unparsed tokens) is worth parsing; learns surname
        candidates from actor sentences.  ``has_actor``: it holds a dictionary phrase."""
        if has_actor:
            self.since_actor = 0
            if len(self.surnames) < MAX_REMEMBERED:
                run = 0
                for i, t in enumerate(toks):
                    if t.is_title and t.is_alpha and len(t.text) > 2:
                        run += 1
                        nxt = toks[i + 1] if i + 1 < len(toks) else None
                        if run >= 2 and (nxt is None or not (nxt.is_title and nxt.is_alpha)):
                            self.surnames.add(t.text)
                    else:
                        run = 0
            return True
        self.since_actor += 1
        for t in toks:
            if t.text in self.surnames:
                return True
            if t.lower_ in SUBJECT_PRONOUNS and self.since_actor <= PRONOUN_REACH:
                return True
        return False

    # ------------------------------------------------------------ on the parse
    def name_mentions(self, toks, taken: set[int], mention_type) -> list:
        """Mentions (``mention_type(start, end, key, actor, is_place)``) of remembered
        names among ``toks`` that no dictionary mention covers (longest first)."""
        if not self.names:
            return []
        firsts = {key[0] for key in self.names if key}
        out = []
        i = 0
        while i < len(toks):
            t = toks[i]
            if t.i in taken or not t.is_title:
                i += 1
                continue
            words = _words(t.text)
            if words and words[0] not in firsts:
                i += 1  # every name starting here would start with this word
                continue
            hit = None
            for n in (3, 2, 1):
                span = toks[i:i + n]
                if len(span) == n and not any(s.i in taken for s in span):
                    key = tuple(w for s in span for w in _words(s.text))
                    if key in self.names:
                        hit = (n, key)
                        break
            if hit is None:
                i += 1
                continue
            n, key = hit
            out.append(mention_type(toks[i].i, toks[i + n - 1].i + 1, key, self.names[key], False))
            i += n
        return out

    def pronoun_actor(self, tok) -> Actor | None:
        """The person "he"/"she" (``tok``) refers back to, or None."""
        if tok.lower_ in SUBJECT_PRONOUNS:
            return self.last_person
        return None

    def complete(self, ref, acts):
        """``ref`` (an ``ActorRef`` without a country) completed from what the document
        established: a remembered name in its span, else (a definite description with
        a remembered role and no name) the role's holder; ``ref`` itself otherwise."""
        if ref.country is not None or ref.kind not in ("agent", "person"):
            return ref
        toks = [t for t in acts.tokens if ref.span[0] <= t.idx - acts.offset < ref.span[1]]
        for t in toks:
            key = tuple(tokens(t.text))
            if t.is_title and key in self.names:
                return _as_ref(ref, self.names[key])
        if any(t.pos_ == "PROPN" for t in toks):
            return ref  # another person's name: not the one the role word last named
        for t in reversed(toks):
            m = acts.mention_at(t)
            definite = any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in t.children)
            if m is not None and m.actor.kind == "agent" and definite:
                role = " ".join(m.key)
                actor = self.roles.get(role) or self.roles.get(m.key[-1])
                if actor is not None and actor.sector == m.actor.sector:
                    return _as_ref(ref, actor)
        return ref

    def learn(self, acts) -> None:
        """Remember the names, roles and last person of a coded sentence (``acts``: its
        :class:`~dyadwatch.coding.actors.SentenceActors`)."""
        at = acts._at
        for tok in acts.tokens:
            m = at.get(tok.i)
            if m is None and tok.pos_ != "PROPN":
                continue  # neither a name (a proper noun) nor a role (a mention)
            is_name = _is_name(tok, m) and tok.dep_ not in ("compound", "flat", "appos")
            is_role = m is not None and m.actor.kind == "agent" and tok.dep_ not in ("compound", "amod")
            if not (is_name or is_role):
                continue
            ref = acts.np_actor(tok)
            if ref is None or ref.country is None or not ref.sector:
                continue
            actor = Actor(code=ref.code, country=ref.country, sector=ref.sector,
                          kind="person" if is_name else "agent", name=ref.text)
            roles = [mm for mm, _ in acts.modifier_mentions(tok, True) if mm.actor.kind == "agent"]
            if is_role:
                roles.append(m)
            if len(self.roles) < MAX_REMEMBERED:
                for r in roles:
                    self.roles[" ".join(r.key)] = actor
                    self.roles[r.key[-1]] = actor
            # the person's name: the head itself, or a name in apposition to a role ("the
            # president, Ibrahim Keita", "Brazil's foreign minister Mauro Vieira")
            heads = [tok] if is_name else [c for c in tok.children if c.dep_ in ("appos", "compound", "flat")
                                           and _is_name(c, acts.mention_at(c)) and c.i > tok.i]
            groups = []
            for h in heads:
                if h.i != tok.i and acts.mention_at(h) is not None:
                    continue
                groups.append(sorted([c for c in h.children if c.dep_ in ("compound", "flat") and c.i < h.i
                                      and _is_name(c, acts.mention_at(c)) and acts.mention_at(c) is None] + [h],
                                     key=lambda c: c.i))
            if not groups and is_role and acts.name_after(tok):
                groups.append(acts.name_after(tok))  # "the minister Tomas Ferrando" (the name parsed apart)
            if (m is None or m.actor.country is None or not is_name) and len(self.names) < MAX_REMEMBERED:
                for group in groups:
                    full = tuple(w for c in group for w in tokens(c.text))
                    for key in {full, tuple(tokens(group[-1].text))}:
                        if key:
                            self.names[key] = actor
            if is_name or groups or any(w in PERSON_ROLES for r in roles for w in r.key):
                self.last_person = actor


def _is_name(tok, mention) -> bool:
    """A capitalised proper noun that is no dictionary entry other than a person."""
    return tok.pos_ == "PROPN" and tok.is_title and tok.is_alpha and (mention is None or mention.actor.kind == "person")


def _as_ref(ref, actor: Actor):
    from dyadwatch.coding.actors import ActorRef

    return ActorRef(ref.text, actor.code, actor.country, actor.sector, ref.kind, ref.span)
