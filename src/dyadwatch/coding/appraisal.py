"""Verbs of calling and describing: a telephone call, or a judgement whose class is in its complement.

"call" is three verbs in the news, and the verb lexicon (:mod:`dyadwatch.coding.verbs`) codes
none of them well alone:

* **an appeal** — "called on Iran to release ...", "called for talks" (CAMEO 02x; left to
  the lexicon and the appeal family);
* **a telephone call** — "Putin called Rouhani on Tuesday", "called his counterpart to
  discuss ...", "called Erdogan to congratulate him": CAMEO 041 *discuss by telephone*; when
  the call's stated purpose is an act of CAMEO root 05 (congratulate, thank, express support,
  apologise: 051 *praise or endorse*, 055 *apologize*), the purpose is the event, as CAMEO
  codes the act a contact is made for (:func:`phone_call`);
* **a judgement** — "Putin called the collaboration with Iran 'productive'", "called the
  ambassador a very stupid guy", and likewise "described / termed / labelled / branded X
  (as) Y": the event is the judgement of X, whose class lives in the complement Y — praise,
  CAMEO 051 *praise or endorse* (PLOVER SUPPORT), or criticism, CAMEO 111 *criticize or
  denounce* (PLOVER DISAPPROVE); a complement of neither kind is a statement, 010
  (:func:`judgement`).

The polarity of a complement is read from two short word lists (:data:`PRAISE_WORDS`,
:data:`CRITICISM_WORDS`), written from the CAMEO 1.1b3 definitions of 051 and 111 and
ordinary English evaluative adjectives and nouns, not from any gold data; a negation ("not
productive") turns praise into criticism.
"""

from __future__ import annotations

#: verbs that are a telephone call when their object is an actor ("called Rouhani")
PHONE_VERBS = frozenset({"call", "phone", "telephone", "ring"})
#: verbs of judging: "called X Y", "described X as Y"
JUDGING_VERBS = frozenset({"call", "describe", "term", "label", "brand", "dub", "characterize", "characterise",
                           "deem"})
#: prepositions after which "call" is an appeal or something else, never a telephone call
#: ("call for", "call off", "call in"; "call on X" has no object)
NOT_PHONE_PREPS = frozenset({"for", "off", "in", "out", "up", "into", "at"})
#: purposes of a call that are talk between the two sides (the call is the event, CAMEO 041)
#: or an act of diplomatic support (the purpose is the event, CAMEO 05x)
CALL_PURPOSES = frozenset({"discuss", "talk", "consult", "confer", "explain", "inform", "brief", "update",
                           "review", "exchange", "coordinate", "congratulate", "thank", "express", "convey",
                           "offer", "extend", "apologize", "apologise", "condole", "greet", "wish", "assure",
                           "reassure", "welcome", "praise", "commend"})
TELEPHONE = "041"
PRAISE = "051"
CRITICISM = "111"
STATEMENT = "010"
#: complements that praise what they qualify (CAMEO 051)
PRAISE_WORDS = frozenset("""
productive constructive fruitful useful positive successful good great excellent important valuable
friendly warm cordial brotherly close historic effective helpful beneficial encouraging promising
significant vital crucial essential strategic reliable trustworthy wise brave courageous outstanding
remarkable exemplary sincere responsible reasonable pragmatic sensible balanced landmark breakthrough
milestone success achievement victory partner friend ally hero model example step
""".split())
#: complements that criticise what they qualify (CAMEO 111)
CRITICISM_WORDS = frozenset("""
illegal unlawful illegitimate unacceptable provocative provocation dangerous irresponsible reckless
stupid absurd ridiculous hostile aggressive unjust unfair baseless groundless false lie liar
hypocritical hypocrisy shameful outrageous disgraceful destabilizing destabilising criminal unconstitutional
racist terrorist terrorism threat enemy failure mistake blunder disaster catastrophe violation aggression
crime farce sham insult insulting bad worst wrong incompetent corrupt pathetic regrettable deplorable
counterproductive meaningless useless worthless nonsense propaganda fake dishonest arrogant idiotic
nutter lunatic puppet dictator tyrant thug murderer killer undemocratic divisive inhumane barbaric
cowardly treacherous betrayal disgrace scandal scandalous fraud fraudulent invalid null void dangerous
extremist fascist nazi genocidal brutal cruel illogical irrational unreasonable unhelpful unproductive
""".split())


#: modifiers that make an "attack" verbal ("a scathing attack on the government")
VERBAL_ATTACK_ADJECTIVES = frozenset({"scathing", "blistering", "stinging", "withering", "verbal", "vitriolic",
                                      "bitter", "sharp", "personal", "rhetorical", "furious", "veiled",
                                      "scornful"})
#: verbs of saying and judging whose participle makes an attack verbal ("attacked ..., calling them ...")
SAYING_VERBS = frozenset({"call", "accuse", "say", "describe", "brand", "label", "term", "dub", "charge", "claim",
                          "blame", "denounce", "criticize", "criticise", "question", "slam", "tell", "write"})


def verbal_attack(trigger, noun) -> bool:
    """True when an attack (a light verb's event noun, "launched an attack on X") is made of words:
    the noun has a modifier of :data:`VERBAL_ATTACK_ADJECTIVES` ("a scathing attack") or the clause
    goes on with a participle of saying or judging ("..., calling them nutters").  Such an attack is
    CAMEO 111 *criticize or denounce*, not force (18-20)."""
    if any(c.dep_ == "amod" and c.lower_ in VERBAL_ATTACK_ADJECTIVES for c in noun.children):
        return True
    heads = (trigger, noun)
    return any(c.dep_ in ("advcl", "xcomp", "acl", "conj") and c.pos_ == "VERB" and c.tag_ == "VBG"
               and c.lemma_.lower() in SAYING_VERBS for h in heads for c in h.children)


def _object(v):
    return next((c for c in v.children if c.dep_ == "dobj"), None)


def complement(v):
    """The complement of a verb of judging: "called X *Y*" (``oprd``, or an ``xcomp``/``ccomp`` that
    is an adjective or noun) or "described X *as Y*"; None when there is none."""
    for c in v.children:
        if c.dep_ in ("oprd", "xcomp", "ccomp") and c.pos_ in ("ADJ", "NOUN", "PROPN"):
            return c
        if c.dep_ == "prep" and c.lower_ == "as":
            return next((g for g in c.children if g.dep_ in ("pobj", "amod", "acomp", "pcomp")), None)
    return None


def polarity(tok) -> int:
    """+1 when the complement ``tok`` praises, -1 when it criticises, 0 when it does neither (its
    own word, its modifiers and conjuncts; "anti-..." criticises; a negation turns praise round)."""
    sub = list(tok.subtree)  # walked once
    words = [tok] + [t for t in sub if t.dep_ in ("amod", "conj", "compound", "advmod", "neg", "acomp")]
    lemmas = {t.lemma_.lower().strip("“”\"'") for t in words} | {t.lower_.strip("“”\"'") for t in words}
    if lemmas & CRITICISM_WORDS or any(t.lower_ == "anti" for t in sub):
        return -1
    if lemmas & PRAISE_WORDS:
        return -1 if any(t.dep_ == "neg" or t.lower_ in ("not", "never", "hardly") for t in words) else 1
    return 0


def judgement(v) -> tuple[str, object] | None:
    """(CAMEO code, complement) when verb ``v`` judges its object: 051 praise, 111 criticism, 010 a
    judgement of neither kind; None when ``v`` is no verb of judging or has no complement."""
    if v.lemma_.lower() not in JUDGING_VERBS:
        return None
    comp = complement(v)
    if comp is None or (v.lemma_.lower() == "call" and _object(v) is None):
        return None  # "Merkel called Putin" (parsed as a bare complement) is a call
    p = polarity(comp)
    return (PRAISE if p > 0 else CRITICISM if p < 0 else STATEMENT), comp


def phone_call(v, is_actor, lex) -> tuple[str, object] | None:
    """(CAMEO code, purpose verb or None) when ``v`` is a telephone call to an actor: a verb of
    :data:`PHONE_VERBS`, active, with an actor as direct object (``is_actor(token) -> bool``), no
    appeal preposition (:data:`NOT_PHONE_PREPS`), no judging complement, and no purpose clause other
    than talk or support (:data:`CALL_PURPOSES`).  The code is the purpose's own (lexicon ``lex``)
    when it is of CAMEO root 05 ("called Erdogan to congratulate him" -> 051), else 041."""
    if v.lemma_.lower() not in PHONE_VERBS or v.tag_ == "VBN" and any(c.dep_ == "auxpass" for c in v.children):
        return None
    obj = _object(v)
    bare = obj is None  # "Merkel called Putin.": the parser may make the callee a complement
    if bare:
        obj = next((c for c in v.children if c.dep_ == "oprd"), None)
    if obj is None or not is_actor(obj):
        return None
    purpose = None
    for c in v.children:
        if c.dep_ in ("prt", "prep") and c.lower_ in NOT_PHONE_PREPS:
            return None
        if (c.dep_ == "oprd" and not bare) or c.dep_ == "ccomp":
            return None
        if c.dep_ in ("xcomp", "advcl") and c.pos_ == "VERB":
            if c.lemma_.lower() not in CALL_PURPOSES:
                return None
            purpose = c
    if purpose is not None:
        m = lex.match_verb(purpose)
        if m and m[0][:2] == "05":
            return m[0], purpose
    return TELEPHONE, purpose
