"""The verb-dictionary matcher and the dictionary-only coder on parsed sentences.

Dictionaries are written here (invented actors and test codes); spaCy parses.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coding.dictionaries.load import load_dictionaries

ACTORS = """\
RURITANIA_ [RUR]
+RURITANIAN_
FREEDONIA_ [FRE]
+FREEDONIAN_
SYLVANIA_ [SYL]
KLOPSTOKIA_ [KLO]
RUPERT_HENTZAU_
\t[RURREB <19990101]
\t[RURGOV 19990101-20051231]
\t[RURELI]
GRAUSTARK_PARTIES [GRA/GRB]
"""

AGENTS = """\
HARBOUR_MINISTER [~GOVHBR]
MUSKETEER [~MIL]
RELIEF_SOCIETY [NGO~]
"""

VERBS = """\
&MONEYS
+DOLLARS_
+GOLDEN THALERS

&NOTNOW_
+DID N'T
+SHALL NOT

--- PAY [910] ---
PAY {PAID PAYING PAYS}
- * &MONEYS [911]
- &NOTNOW_ * [912]
- * TRIBUTE_TO + [913]
- * COMPENSATION [---]

--- VISIT [920:921] ---
VISIT

--- SHUN [930] ---
SHUN {SHUNS SHUNNED SHUNNING}
+FREEZE_OUT {+FROZE_OUT +FROZEN_OUT +FREEZING_OUT} [931]

--- MEET [940:940] ---
MEET {MET MEETING MEETS}
- % * [941:941]
- * WITH % [942]

--- SAY [---] ---
SAY {SAID SAYS SAYING}
"""

DISCARDS = "CRICKET\n+HURRICANE_\n"


@pytest.fixture(scope="module")
def dcoder(tmp_path_factory):
    from dyadwatch.coding.dictionary_coder import DictionaryCoder

    d = tmp_path_factory.mktemp("dicts")
    (d / "t.actors.txt").write_text(ACTORS)
    (d / "t.agents.txt").write_text(AGENTS)
    (d / "t.verbs.txt").write_text(VERBS)
    (d / "t.discards.txt").write_text(DISCARDS)
    return DictionaryCoder(load_dictionaries([d]))


def coded(dcoder, text, date="2000-06-01", **kw):
    return [(e.source, e.target, e.code) for e in dcoder.code_text(text, dt.date.fromisoformat(date), **kw)]


def test_verb_alone_and_patterns_with_synsets(dcoder):
    assert coded(dcoder, "Ruritania paid Freedonia a visit.") == [("RUR", "FRE", "910")]
    assert coded(dcoder, "Ruritania paid ten million golden thalers to Freedonia.") == [("RUR", "FRE", "911")]
    assert coded(dcoder, "Ruritania paid compensation to Freedonia.") == []  # [---] pattern: no event


def test_words_are_whole_words_not_lemmas(dcoder):
    # "dollars_" lists the plural only; "dollar" does not match it (PETRARCH reads whole words)
    assert coded(dcoder, "Ruritania paid one dollar to Freedonia.") == [("RUR", "FRE", "910")]


def test_target_marker_and_negation_in_pattern(dcoder):
    assert coded(dcoder, "Ruritania paid tribute to Freedonia.") == [("RUR", "FRE", "913")]
    assert coded(dcoder, "Ruritania shall not pay Freedonia.") == [("RUR", "FRE", "912")]
    # negated with no pattern saying so: no event
    assert coded(dcoder, "Ruritania never visited Freedonia.") == []


def test_reverse_code_and_multiword_verbs(dcoder):
    assert coded(dcoder, "The Ruritanian harbour minister visited Freedonia.") == [
        ("RURGOVHBR", "FRE", "920"), ("FRE", "RURGOVHBR", "921")]
    assert coded(dcoder, "Ruritania froze out Freedonia.") == [("RUR", "FRE", "931")]
    assert coded(dcoder, "Ruritania shunned Freedonia.") == [("RUR", "FRE", "930")]


def test_compound_actor_marker(dcoder):
    assert sorted(coded(dcoder, "Ruritania and Freedonia met in Strelsau.")) == [
        ("FRE", "RUR", "941"), ("RUR", "FRE", "941")]
    assert sorted(coded(dcoder, "Sylvania met with Ruritania and Freedonia.")) == [
        ("SYL", "FRE", "942"), ("SYL", "RUR", "942")]


def test_date_restricted_actor_codes(dcoder):
    text = "Rupert Hentzau visited Freedonia."
    assert coded(dcoder, text, "1995-01-01")[0][0] == "RURREB"
    assert coded(dcoder, text, "2003-01-01")[0][0] == "RURGOV"
    assert coded(dcoder, text, "2010-01-01")[0][0] == "RURELI"


def test_agents_suffix_prefix_and_several_codes(dcoder):
    assert coded(dcoder, "Freedonian musketeers visited Klopstokia.")[0] == ("FREMIL", "KLO", "920")
    assert coded(dcoder, "Musketeers visited Klopstokia.")[0] == ("---MIL", "KLO", "920")
    assert coded(dcoder, "The Graustark parties visited Klopstokia.")[:2] == [("GRA", "KLO", "920"),
                                                                                ("KLO", "GRA", "921")]


def test_require_dyad_and_discards(dcoder):
    assert coded(dcoder, "Ruritania shunned the proposal.") == []
    assert coded(dcoder, "Ruritania shunned the proposal.", require_dyad=False) == [("RUR", "---", "930")]
    assert coded(dcoder, "Ruritania paid Freedonia after the cricket match.") == []
    assert coded(dcoder, "Ruritania paid Freedonia as a hurricane hit.") == []


def test_matcher_reports_pattern_and_markers(dcoder):
    doc = dcoder.nlp("Ruritania paid tribute to Freedonia.")
    acts = dcoder.recogniser.mentions(doc[:], dt.date(2000, 1, 1))
    m = dcoder.verbs.match(doc[1], sent=doc[:], actor_at=lambda i: (acts._at[i].start, acts._at[i].end)
                           if i in acts._at else None)
    assert str(m.codes) == "913" and m.pattern_line == 13 and m.target == 4 and m.source is None
    assert [doc[i].text for i in m.words] == ["tribute", "to"]
    assert dcoder.verbs.match(doc[2]) is None  # "tribute" is no verb of the dictionary
