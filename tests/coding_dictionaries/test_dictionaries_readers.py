"""Readers of the TABARI/PETRARCH dictionary formats, on small files written here.

The entries are invented (Ruritania, Freedonia ...) so that no line of a
published dictionary is copied into the repository.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dyadwatch.coding.dictionaries.actors import read_actors
from dyadwatch.coding.dictionaries.agents import read_agents, regular_plural
from dyadwatch.coding.dictionaries.codes import CodeError, DatedCode, parse_code_block, parse_date, resolve
from dyadwatch.coding.dictionaries.discards import DiscardMatcher, read_discards
from dyadwatch.coding.dictionaries.load import kind_of, load_dictionaries
from dyadwatch.coding.dictionaries.verbs import EventCodes, read_verbs
from dyadwatch.errors import InputError

ACTORS = """\
<!-- invented test dictionary -->
# a comment line
RURITANIA_  [RUR]   # in-line comment
+RURITANIAN_
+STRELSAU

RUDOLF_RASSENDYLL_
+KING_RUDOLF
\t[RURELI 600101-880301]
\t[RURGOV 880301-19921231]
\t[RURGOV >20100101]
\t[RURELI]

<!-- a comment
running over lines -->
BLACK_MICHAEL
\t[--- <19700101]
\t[RURREB]

R.U._
RURITANIAN_UNION_OFFICE [IGORUR]
"""


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_text(text, encoding=encoding)
    return p


def test_dates_two_and_four_digit_years():
    assert parse_date("880301") == dt.date(1988, 3, 1)
    assert parse_date("300101") == dt.date(2030, 1, 1)  # 00-30 -> 20YY (KEDS/TABARI rule)
    assert parse_date("310101") == dt.date(1931, 1, 1)
    assert parse_date("20121231") == dt.date(2012, 12, 31)
    for bad in ("2004017", "201005011", "20100931", "19a00101"):
        with pytest.raises(CodeError):
            parse_date(bad)


def test_code_blocks_and_their_restrictions():
    assert parse_code_block("RURGOV 20050803-20130815") == DatedCode("RURGOV", dt.date(2005, 8, 3),
                                                                     dt.date(2013, 8, 15))
    assert parse_code_block("RUR < 950601") == DatedCode("RUR", end=dt.date(1995, 6, 1))
    assert parse_code_block("RUR >950601") == DatedCode("RUR", start=dt.date(1995, 6, 1))
    assert parse_code_block("RUR") == DatedCode("RUR", default=True)
    with pytest.raises(CodeError, match="bare date"):
        parse_code_block("RURGOV 20121204")
    with pytest.raises(CodeError, match="ends before it starts"):
        parse_code_block("RURGOV 20121207-20120802")
    with pytest.raises(CodeError, match="not an actor code"):
        parse_code_block("RUR;GOV 20121207-20130802")
    with pytest.raises(CodeError, match="empty"):
        parse_code_block("  ")


def test_first_restriction_that_holds_wins_else_default():
    codes = [DatedCode("RUR", default=True), DatedCode("RURCVL", end=dt.date(2008, 1, 20)),
             DatedCode("RURMIL", dt.date(2008, 1, 20), dt.date(2012, 11, 9)),
             DatedCode("RURGOV", dt.date(2010, 1, 9), dt.date(2010, 1, 12))]
    assert resolve(codes, dt.date(2000, 1, 1)).code == "RURCVL"
    assert resolve(codes, dt.date(2010, 1, 10)).code == "RURMIL"  # listed before RURGOV
    assert resolve(codes, dt.date(2020, 1, 1)).code == "RUR"
    assert resolve(codes[1:], dt.date(2020, 1, 1)) is None  # no default: no actor then
    assert resolve(codes, None).code == "RUR"


def test_actor_file_entries_synonyms_dates_and_shared_codes(tmp_path):
    f = read_actors(write(tmp_path, "test.actors.txt", ACTORS))
    by_name = {e.phrases[0]: e for e in f.entries}
    assert [e.phrases[0] for e in f.entries] == ["RURITANIA", "RUDOLF RASSENDYLL", "BLACK MICHAEL", "R.U."]
    assert by_name["RURITANIA"].phrases == ["RURITANIA", "RURITANIAN", "STRELSAU"]
    rudolf = by_name["RUDOLF RASSENDYLL"]
    assert rudolf.phrases == ["RUDOLF RASSENDYLL", "KING RUDOLF"] and rudolf.dated
    assert [resolve(rudolf.codes, dt.date(y, 6, 1)).code for y in (1970, 1990, 2005, 2015)] == \
        ["RURELI", "RURGOV", "RURELI", "RURGOV"]
    assert by_name["BLACK MICHAEL"].codes[0].is_null
    # a primary phrase without a code shares the codes of the entry that follows (PETRARCH 1)
    assert by_name["R.U."].phrases == ["R.U.", "RURITANIAN UNION OFFICE"]
    assert [c.code for c in by_name["R.U."].codes] == ["IGORUR"]
    assert f.phrase_count == 8


@pytest.mark.parametrize("text, line, reason", [
    ("RURITANIA_ [RUR]\n\t[RURGOV 2004017-20061201]\n", 2, "is not YYYYMMDD or YYMMDD"),
    ("RURITANIA_ [RUR]\n\t[RURGOV 20121204]\n", 2, "bare date"),
    ("RURITANIA_ [RUR]\n\n+FREEDONIA]_\n", 3, "without '\\['"),
    ("+RURITANIAN_\nRURITANIA_ [RUR]\n", 1, "before any actor entry"),
    ("RURITANIA_ [RUR]\nFREEDONIA_\n", 2, "has no code"),
    ("RURITANIA_ [RUR GOV]\n", 1, "bare date|not <DATE"),
])
def test_actor_file_refused_with_file_line_reason(tmp_path, text, line, reason):
    p = write(tmp_path, "bad.actors.txt", text)
    with pytest.raises(InputError, match=reason) as err:
        read_actors(p)
    assert err.value.path == str(p) and err.value.line == line
    assert f"bad.actors.txt:{line}:" in err.value.one_line()


def test_lenient_reading_lists_refused_lines_and_keeps_the_rest(tmp_path):
    p = write(tmp_path, "x.actors.txt", "RURITANIA_ [RUR]\n\t[RURGOV 20121204]\nFREEDONIA_ [FRE]\n")
    f = read_actors(p, lenient=True)
    assert [e.phrases[0] for e in f.entries] == ["RURITANIA", "FREEDONIA"]
    assert [r.line for r in f.refused] == [2]


def test_binary_and_non_utf8_files_refused(tmp_path):
    binary = tmp_path / "b.actors.txt"
    binary.write_bytes(b"RURITANIA_ [RUR]\n\x00\x01\x02")
    with pytest.raises(InputError, match="binary file") as err:
        read_actors(binary)
    assert err.value.line == 2
    latin = write(tmp_path, "l.actors.txt", "RURITANIA_ [RUR]\nZ\u00dcRICH_ [CHE]\n", encoding="latin-1")
    with pytest.raises(InputError, match="not UTF-8") as err:
        read_actors(latin)
    assert err.value.line == 2


AGENTS = """\
!KIN! = SON, SONS, DAUGHTER
GOD!KIN! [~REL]
HARBOUR_MASTER [~GOV]   # regular plural
DEPUTY {DEPUTIES} [~LEG]
COAST_GUARD {} [~MIL]
FERRY [~BUS]
RELIEF_SOCIETY [NGO~]
"""


def test_agents_plurals_markers_and_prefix_roles(tmp_path):
    f = read_agents(write(tmp_path, "t.agents.txt", AGENTS))
    phrases = {e.phrase: e for e in f.entries}
    assert {"GODSON", "GODSONS", "GODDAUGHTER"} <= set(phrases)  # one agent per marker member, no plural
    assert "GODDAUGHTERS" not in phrases
    assert {"HARBOUR MASTER", "HARBOUR MASTERS", "DEPUTY", "DEPUTIES", "FERRY", "FERRIES"} <= set(phrases)
    assert "COAST GUARDS" not in phrases  # {} = no plural
    assert phrases["GODSON"].apply("RUR") == "RURREL"
    assert phrases["RELIEF SOCIETY"].prefix and phrases["RELIEF SOCIETY"].apply("RUR") == "NGORUR"
    assert phrases["DEPUTY"].apply("RURLEG") == "RURLEG"  # not added twice
    assert regular_plural("GLASS") == "GLASSES" and regular_plural("ARMY") == "ARMIES"


@pytest.mark.parametrize("text, reason", [
    ("HARBOUR_MASTER [GOV]\n", "not ~ROLE or ROLE~"),
    ("HARBOUR_MASTER\n", "no \\[CODE\\]"),
    ("UNCLE!KIN! [~REL]\n", "not defined"),
    ("HARBOUR_MASTER {HARBOUR_MASTERS [~GOV]\n", "without '}'"),
])
def test_agent_files_refused(tmp_path, text, reason):
    with pytest.raises(InputError, match=reason) as err:
        read_agents(write(tmp_path, "bad.agents.txt", text))
    assert err.value.line == 1


def test_discards_sentence_and_story_stems_and_whole_words(tmp_path):
    f = read_discards(write(tmp_path, "d.discards.txt", "CRICKET\n+HURRICANE_\nGRAND SLAM_  # tennis\n"))
    m = DiscardMatcher(f.entries)
    assert m.match("the cricketers met".split()).text == "cricket"  # a stem
    assert m.match("a hurricane hit".split()).story
    assert m.match("two hurricanes hit".split()) is None  # "HURRICANE_": the whole word only
    assert m.match("won the grand slam final".split()).text == "grand slam"
    assert m.match("a slam dunk".split()) is None


VERBS = """\
&MONEYS
+DOLLARS_
+GOLDEN THALERS
+PESO

&SAID_
+NOTED
+REMARKED

&BOTH
+&MONEYS
+GOLD_

--- GIVE [070] ---
GIVE {GAVE GIVEN GIVING GIVES}
DONATE
PHONE_+TAP [1711]
+SEAL_OFF {+SEALED_OFF +SEALS_OFF +SEALING_OFF} [1721]
- * &MONEYS [071]
- &SAID_+ * TO $  [072:073]
- NEVER_* [---]
- * (TO {HUMANITARIAN AGENCIES}) [073]
- * RECEIPT [:074]

--- PONDER [---] ---
PONDER
- * OFFER [0311]
"""


def test_verb_dictionary_synsets_blocks_forms_and_patterns(tmp_path):
    v = read_verbs(write(tmp_path, "t.verbs.txt", VERBS))
    # plurals made for the last word (PETRARCH's rule), not for a member ending in _
    assert v.synsets["&MONEYS"] == (("dollars",), ("golden", "thalers"), ("golden", "thalerses"), ("peso",),
                                    ("pesos",))
    assert v.synsets["&SAID"] == (("noted",), ("remarked",))  # name ends in _: no plurals
    assert ("gold",) in v.synsets["&BOTH"] and ("dollars",) in v.synsets["&BOTH"]
    give = v.blocks[0]
    assert give.meaning == "GIVE" and give.codes == EventCodes("070")
    forms = {f.base: f for f in give.verbs}
    assert forms["give"].inflections == {"give", "gave", "given", "giving", "gives"}
    assert forms["donate"].inflections == {"donate", "donates", "donated", "donating"}
    assert forms["tap"].words == ("phone", "tap") and forms["tap"].verb_at == 1
    assert forms["seal"].inflections == {"seal", "sealed", "seals", "sealing"}
    assert forms["seal"].codes == EventCodes("1721")
    pats = give.patterns
    assert [str(p.codes) for p in pats] == ["071", "072:073", "---", "073", ":074"]
    said = pats[1]
    assert [(e.kind, e.value, e.joined) for e in said.upper] == [("synset", "&SAID", False), ("target", "", True)]
    assert [(e.kind, e.value) for e in said.lower] == [("word", "to"), ("source", "")]
    assert not said.upper_joined
    assert pats[2].upper_joined and pats[2].codes.is_null
    assert [e.value for e in pats[3].lower] == ["to", "humanitarian", "agencies"]
    assert pats[4].codes == EventCodes(None, "074")
    assert v.pattern_count == 6 and v.verb_count == 5


@pytest.mark.parametrize("text, line, reason", [
    ("--- GIVE [070] ---\nGIVE\n- * GRANT [999]\n", 3, "unknown event code '999'"),
    ("--- GIVE [070] ---\nGIVE\n- GRANT [071]\n", 3, "0 '\\*'"),
    ("--- GIVE [070] ---\nGIVE\n- * GRANT\n", 3, "no \\[CODE\\]"),
    ("- * GRANT [071]\n", 1, "before any verb block"),
    ("--- GIVE [070] ---\nGIVE\n- * &NOPE [071]\n", 3, "not defined"),
    ("--- GIVE [070] ---\nGIVE {GAVE\n", 2, "without '}'"),
])
def test_verb_dictionary_refused(tmp_path, text, line, reason):
    from dyadwatch.codebooks.cameo import CAMEO

    with pytest.raises(InputError, match=reason) as err:
        read_verbs(write(tmp_path, "bad.verbs.txt", text), event_codes=CAMEO)
    assert err.value.line == line


def test_any_code_accepted_without_a_codebook(tmp_path):
    v = read_verbs(write(tmp_path, "t.verbs.txt", "--- GIVE [070] ---\nGIVE\n- * GRANT [91A]\n"))
    assert str(v.blocks[0].patterns[0].codes) == "91A"


def test_load_reads_directories_by_file_kind(tmp_path):
    write(tmp_path, "x.actors.txt", ACTORS)
    write(tmp_path, "x.agents.txt", AGENTS)
    write(tmp_path, "x.verbs.txt", VERBS)
    write(tmp_path, "notes.txt", "not a dictionary")
    write(tmp_path, "provenance.csv", "file,sha256\n")
    d = load_dictionaries([tmp_path])
    assert [len(d.actors), len(d.agents), len(d.discards), len(d.verbs)] == [1, 1, 0, 1]
    rows = {r["kind"]: r for r in d.summary()}
    assert rows["actors"]["entries"] == 4 and rows["verbs"]["patterns"] == 6
    assert "x.actors.txt (4 actors)" in d.describe()
    assert kind_of(tmp_path / "CAMEO.2.0.txt") == "verbs" and kind_of(tmp_path / "notes.txt") is None
    with pytest.raises(InputError, match="cannot tell the kind"):
        load_dictionaries([tmp_path / "notes.txt"])
    with pytest.raises(InputError, match="not found"):
        load_dictionaries([tmp_path / "missing"])


def test_trusted_checksum_reads_leniently_others_strictly(tmp_path):
    from dyadwatch.coding.dictionaries.load import sha256_of

    p = write(tmp_path, "pub.actors.txt", "RURITANIA_ [RUR]\n\t[RURGOV 20121204]\n")
    with pytest.raises(InputError, match="bare date"):
        load_dictionaries([p])
    d = load_dictionaries([p], trusted={sha256_of(p)})
    assert len(d.refused) == 1 and d.refused[0].line == 2
    assert "1 malformed publisher lines left out" in d.describe()
