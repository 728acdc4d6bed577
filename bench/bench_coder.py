"""Benchmark: sentences per second of the whole ``dyadwatch code`` path vs spaCy's parse alone.

Both run in this process on the same generated news-like sentences, with the
same model and settings (``dyadwatch.coding.nlp.load()``: ner disabled,
``batch_size=256``), once per ``--n-process`` value (1 and 2 by default: on
a busy 2-core machine two processes can be slower than one).  The coder screens every sentence and
parses only those that hold a dictionary actor; the parse-only baseline
parses every sentence.  The sentences come from templates written here
(countries, agents, people, verbs, places, dates) plus news-like sentences
with no actor (markets, weather, sport) in the share ``--no-actor-share``.

Targets (issue 3): coder >= 0.8 x parse-only, and >= 1,000 sentences/s.

Run: ``python bench/bench_coder.py [--sentences 8000] [--seed 7]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import time

ACTORS = ["Russia", "Iran", "Syria", "Turkey", "Israel", "Egypt", "Iraq", "Saudi Arabia", "France", "China",
          "Russian warplanes", "Iranian officials", "the Syrian army", "Turkish troops", "Israeli police",
          "Iran's foreign minister", "the Russian defence ministry", "Syrian rebels", "Iraqi forces",
          "the United Nations", "NATO", "Hezbollah", "the Islamic State", "Moscow", "Tehran", "Ankara",
          "Egyptian President Abdel Fattah al-Sisi", "Lavrov", "Zarif", "the European Union"]
VERBS = ["attacked", "bombed", "criticized", "met", "praised", "accused", "threatened", "visited",
         "signed an agreement with", "demanded that {t} withdraw from", "urged {t} to release prisoners held by",
         "agreed to supply weapons to", "will meet", "rejected a proposal from", "condemned", "hosted",
         "imposed sanctions on", "sent aid to", "held talks with", "warned"]
PLACES = ["near Palmyra", "in Aleppo", "in Deir ez-Zour", "in Baghdad", "near the border", "in Idlib province",
          "in Damascus", "in Geneva", ""]
WHEN = ["on Tuesday", "on Monday", "last week", "on June 7, 2017", "in July 2015", "two days later", "", ""]
TAILS = ["", ", officials said", ", state media reported", ", according to a statement",
         ", a spokesman said on Wednesday"]
NO_ACTOR = ["Oil prices rose by two percent in early trading on {w}.",
            "Heavy rain is expected across the region over the weekend.",
            "The home team won the match three to one after extra time.",
            "Shares in technology companies fell sharply as investors sold {w}.",
            "The festival drew thousands of visitors to the old city.",
            "Temperatures will climb above forty degrees in the afternoon.",
            "The new bridge is due to open to traffic next spring.",
            "Analysts expect growth to slow in the coming quarter."]


def make_sentences(n: int, no_actor_share: float, seed: int) -> list[str]:
    """``n`` news-like sentences from the templates above (seeded)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if rng.random() < no_actor_share:
            out.append(rng.choice(NO_ACTOR).format(w=rng.choice(["Monday", "Friday", "the day"])))
            continue
        s, t = rng.sample(ACTORS, 2)
        verb = rng.choice(VERBS)
        if "{t}" in verb:
            t2 = rng.choice(ACTORS)
            verb = verb.format(t=t2)
        parts = [s, verb, t, rng.choice(PLACES), rng.choice(WHEN)]
        sent = " ".join(p for p in parts if p) + rng.choice(TAILS) + "."
        out.append(sent[0].upper() + sent[1:])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=8000)
    ap.add_argument("--no-actor-share", type=float, default=0.3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--per-doc", type=int, default=20, help="sentences per generated news document")
    ap.add_argument("--n-process", type=int, nargs="+", default=[1, 2],
                    help="process counts to measure (the coder uses 2 for inputs over 4,000 sentences)")
    args = ap.parse_args()

    from dyadwatch.coding.coder import get_coder
    from dyadwatch.coding.documents import Document

    sents = make_sentences(args.sentences, args.no_actor_share, args.seed)
    coder = get_coder()
    nlp = coder.nlp
    docs = [Document(doc_id=f"d{i}", date=dt.date(2017, 6, 14), text=" ".join(sents[i:i + args.per_doc]))
            for i in range(0, len(sents), args.per_doc)]
    # warm-up (model weights, dictionaries, gazetteer, dateparser) outside the timings
    coder.code(docs[:3])
    list(nlp.pipe(sents[:200], batch_size=coder.batch_size))

    import os

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"sentences: {len(sents)} ({args.no_actor_share:.0%} without an actor), model {nlp.meta['name']} "
          f"{nlp.meta['version']}, pipes {nlp.pipe_names}, batch_size {coder.batch_size}")
    for n_process in args.n_process:
        t0 = time.perf_counter()
        n_parsed = sum(1 for _ in nlp.pipe(sents, batch_size=coder.batch_size, n_process=n_process))
        parse_s = time.perf_counter() - t0

        coder.n_process = n_process
        import dyadwatch.coding.coder as coder_mod

        coder_mod._cores_free = lambda n: True  # measure the setting asked for, busy machine or not
        t0 = time.perf_counter()
        events, report = coder.code(docs)
        code_s = time.perf_counter() - t0

        parse_rate = n_parsed / parse_s
        code_rate = report.sentences / code_s
        print(f"n_process={n_process}: parse only {parse_rate:7.0f} sentences/s ({parse_s:.2f} s); "
              f"whole coder {code_rate:7.0f} sentences/s ({code_s:.2f} s; parsed {report.sentences_parsed}, "
              f"events {report.events}); ratio {code_rate / parse_rate:.2f} (target >= 0.8); "
              f">= 1000 sentences/s: {'met' if code_rate >= 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()
