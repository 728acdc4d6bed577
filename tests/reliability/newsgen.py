"""Generated news text for the coder's memory test and benchmark (written here,
no outside text): documents of 14 sentences without actors (invented place
and product names, so the vocabulary keeps growing as in real news), every
second one with one event sentence between two actors of the dictionary."""

from __future__ import annotations

import json
import random
from pathlib import Path

SYLLABLES = ["ka", "lo", "mir", "ta", "ven", "do", "ras", "ul", "bek", "sha", "nor", "ti", "gan", "pe"]
EVENTS = ["Russia criticised Iran over the {w} dispute on {d} March 2016.",
          "Turkey accused Greece of holding {w} fishermen.",
          "The foreign minister of Egypt met {W} officials from Jordan in Cairo.",
          "Protesters in Baghdad denounced the government over the {w} shortages."]
FILLER = ["The {w} valley saw mild weather and the {w} orchards bloomed early.",
          "Local markets in {W} traded {n} crates of {w} produce before noon.",
          "A festival of {w} music drew {n} visitors to the old town of {W}.",
          "Engineers repaired the {w} bridge after {n} days of work."]


def _sentence(rnd: random.Random, template: str) -> str:
    def word() -> str:
        return "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4)))
    return template.format(w=word(), W=word().title(), n=rnd.randint(2, 9999), d=rnd.randint(1, 28))


def _document(rnd: random.Random, with_event: bool) -> str:
    sents = [_sentence(rnd, rnd.choice(FILLER)) for _ in range(14)]
    if with_event:
        sents.insert(rnd.randrange(len(sents)), _sentence(rnd, rnd.choice(EVENTS)))
    return " ".join(sents[:5]) + "\n\n" + " ".join(sents[5:10]) + "\n\n" + " ".join(sents[10:])


def write_news(path: Path, megabytes: float, layout: str, seed: int = 8) -> int:
    """Write about ``megabytes`` MB of generated news as JSONL documents or one
    plain text; returns the number of event sentences (one in every second document)."""
    rnd = random.Random(seed)
    n = events = 0
    with path.open("w", encoding="utf-8") as fh:
        while fh.tell() < megabytes * 1e6:
            doc = _document(rnd, with_event=n % 2 == 0)
            events += n % 2 == 0
            n += 1
            if layout == "jsonl":
                fh.write(json.dumps({"id": f"n{n}", "date": "2016-03-30", "text": doc}) + "\n")
            else:
                fh.write(doc + "\n\n")
    return events
