"""The actor recogniser's phrase matching: longest match from the left over normalised words,
with a per-recogniser cache of each token's words (by its ORTH) that must not change a match."""

from __future__ import annotations

from pathlib import Path

import pytest

from dyadwatch.coding.actors import _norm

PLV = Path(__file__).resolve().parents[3] / "shared" / "data" / "text" / "plv_train.tsv"


def _reference_matches(rec, toks):
    """The matching loop written plainly (as before the word cache): every token's text
    normalised again, every word position tried."""
    flat = [(n, i) for i, tok in enumerate(toks) for n in _norm(tok.text)]
    out, j = [], 0
    while j < len(flat):
        node, best, k = rec._trie.get(flat[j][0]), None, j
        while node is not None:
            if None in node:
                best = (k, node[None])
            k += 1
            if k >= len(flat):
                break
            node = node.get(flat[k][0])
        if best is not None:
            k, key = best
            start, end = flat[j][1], flat[k][1] + 1
            if key in rec._case and not all(t.text.replace(".", "").isupper() for t in toks[start:end]
                                            if _norm(t.text)):
                j += 1
                continue
            out.append((start, end, key))
            j = k + 1
        else:
            j += 1
    return out


SENTENCES = [
    "Russian warplanes struck IS positions near Palmyra on Tuesday.",
    "The army is near Palmyra and IS is not.",  # "is" and "IS": two ORTHs, only the capitals are the group
    "Iran's foreign minister met the U.N. secretary-general in New York.",
    "Saudi Arabia expelled the Iranian ambassador after the attack on its embassy.",
    "Delegations from Japan, China and France met in Geneva.",
    "Oil prices rose by two percent in early trading.",
    "The People's Republic of China and the United States of America signed an accord.",
]


def test_matches_equal_the_plain_loop_and_keep_case(coder):
    rec = coder.recogniser
    for text in SENTENCES * 2:  # the second pass reads every token's words from the cache
        toks = list(coder.nlp.make_doc(text))
        got = rec._matches(toks)
        assert got == _reference_matches(rec, toks), text
        assert rec.has_actor(toks) == bool(got)
        assert rec._matches(toks, first=True) == got[:1]
    toks = list(coder.nlp.make_doc(SENTENCES[1]))
    keys = [key for _, _, key in rec._matches(toks)]
    assert ("is",) in keys and keys.count(("is",)) == 1  # "IS", not "is"
    # "Delegations" (an agent's plural), Japan, China, France; not Geneva
    assert [(s, e) for s, e, _ in rec._matches(list(coder.nlp.make_doc(SENTENCES[4])))] == [(0, 1), (2, 3), (4, 5),
                                                                                         (6, 7)]
    assert not rec.has_actor(list(coder.nlp.make_doc(SENTENCES[5])))


def test_matches_equal_the_plain_loop_on_news_sentences(coder):
    if not PLV.exists():
        pytest.skip(f"{PLV} absent (../shared/data/text/plv_train.tsv)")
    import csv

    with PLV.open(encoding="utf-8", newline="") as fh:
        texts = [row["sentence"] for row in csv.DictReader(fh, delimiter="\t")][:400]
    rec = coder.recogniser
    n_found = 0
    for text in texts:
        toks = list(coder.nlp.make_doc(text))
        got = rec._matches(toks)
        assert got == _reference_matches(rec, toks), text
        n_found += bool(got)
    assert n_found > 300  # news sentences mostly name an actor


PARSED = [t for t in SENTENCES if not t.startswith("Oil")] + [
    "Brazil's foreign minister Tomas Ferrando criticised the Iranian-backed militia near Damascus.",
    "Security forces in Guinea fired on French and Egyptian protesters.",
    "The ministers of Japan and France and the army of Syria met the ethnic Albanians.",
]


def _plain_modifiers(acts, tok, depth=0, agent_head=False):
    """The noun-phrase modifier walk of SentenceActors written without pruning or caching."""
    from dyadwatch.coding.actors import NP_MODIFIERS, OF_PREPS

    if depth > 3:
        return
    for child in tok.children:
        if child.dep_ in NP_MODIFIERS:
            if acts.mention_at(child) is not None:
                yield acts.mention_at(child), child
            yield from _plain_modifiers(acts, child, depth + 1, agent_head)
        elif child.dep_ == "prep" and agent_head and child.lower_ in OF_PREPS:
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    if acts.mention_at(pobj) is not None:
                        yield acts.mention_at(pobj), pobj
                    yield from _plain_modifiers(acts, pobj, depth + 1, agent_head)


def test_sentence_actors_pruned_walks_and_answers_given_once(coder):
    import datetime as dt

    n_below = n_mods = 0
    for text in PARSED:
        doc = coder.nlp(text)
        acts = coder.recogniser.mentions(doc, dt.date(2017, 6, 14))
        assert acts.mentions, text
        mention_tokens = {i for m in acts.mentions for i in range(m.start, m.end)}
        for tok in doc:
            below = any(t.i in mention_tokens for t in tok.subtree if t.i != tok.i)
            assert acts.has_mention_below(tok) == below, (text, tok.text)
            n_below += below
            for agent_head in (False, True):
                mods = acts.modifier_mentions(tok, agent_head)
                assert mods == tuple(_plain_modifiers(acts, tok, 0, agent_head)), (text, tok.text)
                n_mods += bool(mods)
            first = acts.arg_actors(tok)
            first.append(None)  # the caller's list: the next answer is unchanged
            assert acts.arg_actors(tok) == first[:-1]
            assert acts.np_actor(tok) is acts.np_actor(tok)
    assert n_below > 20 and n_mods > 5
    doc = coder.nlp(PARSED[-2])  # "French and Egyptian protesters": one actor per country
    acts = coder.recogniser.mentions(doc, dt.date(2017, 6, 14))
    head = next(t for t in doc if t.text == "protesters")
    assert [r.country for r in acts.arg_actors(head)] == ["FRA", "EGY"]


def test_np_actor_embedded_shared_only_where_it_cannot_differ(coder):
    """A head that is a mention or a proper noun has one actor whether ``embedded`` or not;
    for other heads the answers are computed apart ("the ISIS base": only embedded)."""
    import datetime as dt

    from dyadwatch.coding.actors import SentenceActors

    differ = 0
    for text in PARSED + ["Russian jets struck the ISIS base and Omamo met the Iranian delegation."]:
        doc = coder.nlp(text)
        acts = coder.recogniser.mentions(doc, dt.date(2017, 6, 14))
        for tok in doc:
            for first in (True, False):
                a = SentenceActors(doc, acts.mentions)  # fresh: nothing remembered
                got = (a.np_actor(tok, embedded=first), a.np_actor(tok, embedded=not first))
                plain = SentenceActors(doc, acts.mentions)
                want = (plain._np_actor(tok, first), plain._np_actor(tok, not first))
                assert got == want, (text, tok.text)
                differ += want[0] != want[1]
    assert differ >= 2  # "base" in "the ISIS base", both orders
