"""Issue 8, part 6: coding a large text file runs in bounded memory (streaming).

``dyadwatch code`` runs in a subprocess (psutil samples its resident memory)
on a small and a three times larger input written in code
(:mod:`tests.reliability.newsgen`).
Peak memory may not grow with the input: documents are read one at a time
(plain text in ~1 MB parts), events are written as they are coded, and the
strings spaCy adds for new words are freed after each round
(docs/reliability.md, "Memory and streaming").
"""

from __future__ import annotations

import pytest

from tests.reliability.cli import peak_rss
from tests.reliability.newsgen import write_news


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
        # one process, whatever the load: with the default, the two runs could take different paths
        # (worker processes only when the machine is idle) and their summed memory would differ by ~700 MB
        peak, rc, err = peak_rss(["code", str(src), "--date", "2016-03-30", "--out", str(out), "--processes", "1"])
        assert rc == 0, err
        peaks[mb] = peak / 1e6
        events[mb] = out.read_text(encoding="utf-8").count("\n")
        assert events[mb] >= 0.8 * expected, (events[mb], expected)  # the events were coded, not skipped
    growth = peaks[large] - peaks[small]
    print(f"{layout}: peak RSS {small} MB input {peaks[small]:.0f} MB ({events[small]} events), "
          f"{large} MB input {peaks[large]:.0f} MB ({events[large]} events), growth {growth:.0f} MB")
    assert growth < 15, peaks
