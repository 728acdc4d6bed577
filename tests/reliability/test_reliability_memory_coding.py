"""Issue 8, part 6: coding a large text file runs in bounded memory (streaming).

``dyadwatch code`` runs in a subprocess (psutil samples its resident memory)
on a small and a four times larger input, written here in code: news-like
documents with one event sentence among sentences without actors, and
invented names so that the vocabulary keeps growing as it would in real news.
Peak memory may not grow with the input: documents are read one at a time
(plain text in ~1 MB parts), events are written as they are coded, and the
strings spaCy adds for new words are freed after each round
(docs/reliability.md, "Memory and streaming").
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from tests.reliability.cli import peak_rss

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


@pytest.mark.parametrize("layout,small,large", [("jsonl", 2, 6), ("txt", 2, 6)])
def test_reliability_memory_coding_growth_is_bounded(tmp_path, layout, small, large):
    """Peak memory of a large input may exceed a small one's by < 15 MB.

    Measured before streaming: +24 MB for JSONL 1 -> 4 MB and +73 MB for text
    1 -> 4 MB.  After: peak memory reaches a plateau once the input holds more
    than one round of the coder (20,000 sentences, ~1.5 MB) or one 1 MB part
    of a text: JSONL 337 / 357 / 359 MB for 1 / 4 / 8 MB, text 354 / 364 / 370 MB
    — so both sizes here are past the first round."""
    peaks, events = {}, {}
    for mb in (small, large):
        src = tmp_path / f"news{mb}.{layout}"
        expected = write_news(src, mb, layout)
        out = tmp_path / f"events{mb}.jsonl"
        peak, rc, err = peak_rss(["code", str(src), "--date", "2016-03-30", "--out", str(out)])
        assert rc == 0, err
        peaks[mb] = peak / 1e6
        events[mb] = out.read_text(encoding="utf-8").count("\n")
        assert events[mb] >= 0.8 * expected, (events[mb], expected)  # the events were coded, not skipped
    growth = peaks[large] - peaks[small]
    print(f"{layout}: peak RSS {small} MB input {peaks[small]:.0f} MB ({events[small]} events), "
          f"{large} MB input {peaks[large]:.0f} MB ({events[large]} events), growth {growth:.0f} MB")
    assert growth < 15, peaks
