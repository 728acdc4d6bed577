"""The whole coding path: documents -> coded events with their evidence.

Steps (one pass per document set):

1. **Split** each document into sentences cheaply (tokenizer + rule-based
   sentencizer; blank lines end a sentence when the line before ends one or
   is a heading).
2. **Screen** every sentence: over-long sentences (> :data:`MAX_SENTENCE_CHARS`),
   HTML left in the text (tags are removed), sentences not in English, and
   sentences with no dictionary actor are not parsed.  Bad input is counted
   in :class:`~dyadwatch.coding.documents.Screening` (never an error).
3. **Date** every sentence in document order (:mod:`dyadwatch.coding.dates`);
   in scholarly text the numbered reference list is read for its entries'
   dates, and a statement (QuadClass 1 or 3) whose sentence has no date of
   its own takes the date of the entry it cites (``date_source`` citation).
4. **Parse** the remaining sentences with ``nlp.pipe`` (two processes for
   large inputs).
5. **Code**: actor mentions at the sentence's date
   (:mod:`dyadwatch.coding.actors`), dependency rules
   (:mod:`dyadwatch.coding.events`), place (:mod:`dyadwatch.coding.places`),
   code tables (:mod:`dyadwatch.codebooks.cameo`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from dyadwatch.coding import dates as dates_mod
from dyadwatch.coding import datelines
from dyadwatch.coding import entities, places, purposes, violence
from dyadwatch.coding.actors import ActorRecogniser, ActorRef
from dyadwatch.coding.documents import Document, Screening, strip_tags
from dyadwatch.coding.events import SentenceCoder
from dyadwatch.coding.discourse import DocumentContext
from dyadwatch.coding.schema import event_id
from dyadwatch.coding.streaming import paragraph_blocks, soft_cut

MAX_SENTENCE_CHARS = 1500
#: paragraph blocks longer than this are sentence-split in pieces cut after a sentence end
MAX_BLOCK_CHARS = 200_000
#: a role word that says its holder is of another country than the other side
COUNTERPART = re.compile(r"\bcounterparts?\b", re.I)
#: CAMEO roots whose events without a named target take the place's country as target
LOCATED_TARGET_ROOTS = frozenset({"08", "13", "14", "15", "16", "17", "18", "19", "20"})
#: sectors of state organs whose concessions (08) and coercion (17) without a named
#: target are coded against their own country
DOMESTIC_SECTORS = frozenset({"GOV", "JUD", "COP", "MIL", "LEG", "SPY"})
#: QuadClasses (verbal cooperation, verbal conflict) whose events without a date of their
#: own take the date of the reference entry their sentence cites (statements in scholarly text)
CITATION_DATED_QUADS = frozenset({1, 3})
#: sectors of domestic institutions that take a dateline's country when the sentence names none
#: (armed forces and rebels are not: a bureau files about fighting abroad)
FILING_SECTORS = frozenset({"GOV", "COP", "JUD", "LEG", "OPP", "PTY"})
MIN_ALPHA_TOKENS_FOR_LANGUAGE = 6
#: rounds with more candidate sentences than this are parsed by two processes
PARALLEL_MIN_SENTENCES = 4000
#: candidate sentences parsed per round (one spaCy memory zone)
ZONE_SENTENCES = 5_000
#: sentences screened per round at most (a round ends at the next document or part after this many)
ZONE_SCREENED = 20_000
_TAGS = re.compile(r"<\s*/?\s*[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]{0,500})?/?>|&(?:[a-z]+|#\d+);")
#: distinctive function words of French, Spanish, Portuguese, Italian and German
#: (none is an English word): a sentence with more of them than English stop
#: words is not English
FOREIGN_FUNCTION_WORDS = frozenset("""
le la les des du et est une dans pour qui sont avec sur pas aux ces cette été leur selon
el los las del y que por para con una fue sus como pero está según entre
os não em uma das dos pelo pela foi são
il di che della sono nel alla gli dei delle anche
der die das und ist nicht mit ein eine dem den zu auf für sich wird nach bei
""".split())
_WORD = re.compile(r"[^\W\d_]+")
_NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")
_REFERENCES = re.compile(r"\n\s*#*\s*(references|bibliography|works cited|literature cited)\s*:?\s*\n",
                         re.IGNORECASE)


@dataclass
class CodingReport:
    """Counts of one coding run."""

    documents: int = 0
    sentences: int = 0
    sentences_parsed: int = 0
    events: int = 0
    screening: Screening = field(default_factory=Screening)
    classes_by: str = "rules only"  # what chose the event classes (Coder.describe_model)
    workers: int = 0  # worker processes that parsed and coded (coding.workers); 0: this process

    def as_dict(self) -> dict:
        return {"documents": self.documents, "sentences": self.sentences,
                "sentences_parsed": self.sentences_parsed, "events": self.events,
                "skipped": dict(self.screening.skipped)}


@dataclass
class _DocState:
    """What the parts of one document share while they are coded."""

    doc_id: str
    dates: dates_mod.DateContext
    next_index: int = 0
    in_references: bool = False
    #: reference-list entry number -> its date (scholarly text with numbered citations)
    citations: dict = field(default_factory=dict)
    #: country (ISO3) of the document's latest dateline ("TBILISI, Georgia --")
    filing: str | None = None
    #: what the document's sentences established: names, roles, last person, "Georgia"
    context: DocumentContext = field(default_factory=DocumentContext)


@dataclass
class _Candidate:
    doc: Document
    index: int
    text: str
    date: dates_mod.EventDate
    citations: dict = field(default_factory=dict)
    #: characters of a dateline opening the sentence: parsed is ``text[skip:]``
    skip: int = 0
    filing: str | None = None
    context: DocumentContext | None = None
    #: the splitter's tokens of ``parse_text`` (words, trailing spaces, NORM hashes), or None: the
    #: parser then tokenizes the text again
    tokens: tuple[list[str], list[bool], list[int]] | None = None

    @property
    def parse_text(self) -> str:
        return self.text[self.skip:]


def _split_tokens(span, text: str, toks: list) -> tuple[list[str], list[bool], list[int]] | None:
    """The tokens of ``span`` (a sentence of the splitter's ``Doc``; ``toks``: ``list(span)``, built
    once by the caller) that make up ``text`` (the stripped sentence, without a dateline), as (words,
    trailing spaces, NORM hashes: the tokenizer's exceptions set norms, "n't" -> "not", which the
    parser's features read); None when they do not spell exactly ``text`` (a dateline ending inside
    a token ...)."""
    if toks and len(text) == span.end_char - span.start_char and span.text == text:
        # the whole span (no dateline cut): every token, each with its own trailing space but the
        # last (the text between the tokens is their whitespace, so they spell ``text``)
        return ([t.text for t in toks], [bool(t.whitespace_) for t in toks[:-1]] + [False],
                [t.norm for t in toks])
    start = span.text.find(text)
    if start < 0:
        return None
    start += span.start_char
    end = start + len(text)
    words: list[str] = []
    spaces: list[bool] = []
    norms: list[int] = []
    for t in toks:
        if t.idx < start or t.idx >= end:
            continue
        words.append(t.text)
        spaces.append(bool(t.whitespace_) and t.idx + len(t.text) < end)
        norms.append(t.norm)
    if not words or "".join(w + (" " if sp else "") for w, sp in zip(words, spaces)) != text:
        return None
    return words, spaces, norms


@contextlib.contextmanager
def _collector_skips_loaded():
    """Objects alive on entry are moved out of the cyclic garbage collector's generations
    (``gc.freeze``) and moved back on exit (``gc.unfreeze``: they are scanned again from then
    on, and a cycle among them is collected by the next full collection).

    The loaded coder holds about half a million container objects (actor and verb
    dictionaries, gazetteer, model); the full collections that the parser's and the rules'
    allocations trigger would walk all of them each time (0.64 s of CPU for the one full
    collection of a PLV x8 run, 0.01 s frozen).  Nothing is left frozen: when objects were
    already frozen on entry (by the caller), this does nothing.  ``gc.unfreeze`` cannot tell
    freezes apart: a caller that freezes while an event stream is paused has its freeze undone
    when the stream ends; a stream kept open unfinished keeps the objects frozen until it is
    closed or collected."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _doc_of(vocab, tokens: tuple[list[str], list[bool], list[int]]):
    """A ``Doc`` of the splitter's tokens with their norms (what the tokenizer would give)."""
    import numpy
    from spacy.attrs import NORM
    from spacy.tokens import Doc

    doc = Doc(vocab, words=tokens[0], spaces=tokens[1])
    return doc.from_array([NORM], numpy.array(tokens[2], dtype="uint64").reshape(-1, 1))


class Coder:
    """A loaded coder: spaCy model, actor dictionary and verb lexicon (load once, code many).

    Parameters
    ----------
    actor_files : extra actor dictionary files (layouts of :mod:`dyadwatch.codebooks.actors`)
    verb_files : extra verb-pattern files (layout of ``coding/data/verb_patterns.yaml``)
    dictionaries : extra TABARI/PETRARCH dictionary files or directories
        (:mod:`dyadwatch.coding.dictionaries`; verb codes must be CAMEO)
    fetched : also use the publisher dictionaries fetched into the data directory
        (``dyadwatch fetch petrarch-dictionaries``), when there
    n_process : processes for ``nlp.pipe`` on inputs over :data:`PARALLEL_MIN_SENTENCES`
        candidate sentences (default 2: this machine's cores), used when the cores are free
    batch_size : sentences per ``nlp.pipe`` batch
    model : the event-class model (:class:`dyadwatch.coding.model.EventModel`) applied after the
        rules, or None (rules only); settable later as ``coder.model``

    How the dictionaries combine (decided by measurement, docs/coding.md): the
    built-in actor dictionaries own every phrase they list; a fetched or given
    dictionary adds the phrases they do not (leaders and officials with dated
    codes, IGOs, armed groups, agent nouns).  The built-in verb lexicon codes a
    verb first; a pattern of the verb dictionary codes the verbs it leaves
    uncoded (a verb alone, with no pattern matched, codes nothing: its block
    codes cost precision).  Discard phrases drop sentences and stories (sports,
    entertainment), except the time references (years, "... ago") that Phoenix
    uses to keep past events out of a daily feed: dyadwatch dates each event
    from its sentence instead; nor do sentence discards naming an epidemic or a
    natural hazard ("ebola", "typhoon": ``Discard.hazard``) drop a sentence: the
    aid sent against them is an event (CAMEO 07).
    """

    def __init__(self, *, actor_files: Iterable[str] = (), verb_files: Iterable[str] = (),
                 dictionaries: Iterable[str] = (), fetched: bool = True,
                 n_process: int = 2, batch_size: int = 256, model=None):
        from spacy.pipeline import Sentencizer

        from dyadwatch.codebooks import actors as actor_book
        from dyadwatch.coding import nlp as nlp_mod
        from dyadwatch.coding.dictionaries import load as dict_load
        from dyadwatch.coding.verbs import lexicon

        self.nlp = nlp_mod.load()
        self.sentencizer = Sentencizer()
        self.dictionaries = dict_load.for_coder(tuple(dictionaries), fetched=fetched)
        self.recogniser = ActorRecogniser(self._actor_dictionary(actor_book, tuple(actor_files)))
        self.dict_verbs = None
        if self.dictionaries.verbs:
            from dyadwatch.coding.dictionaries.verb_matcher import VerbMatcher

            self.dict_verbs = VerbMatcher(self.dictionaries.verbs, verb_alone=False)
        self.lex = lexicon(tuple(str(p) for p in verb_files))
        self.discards = None
        if self.dictionaries.discards:
            from dyadwatch.coding.dictionaries.discards import DiscardMatcher

            self.discards = DiscardMatcher([d for f in self.dictionaries.discards for d in f.entries
                                            if not d.temporal and (d.story or not d.hazard)])
        self.n_process = n_process
        self.batch_size = batch_size
        self.stop_words = self.nlp.Defaults.stop_words
        self.model = model  # the event-class model (dyadwatch.coding.model.EventModel) or None

    def _discards_of(self, tokens: list[list]) -> list | None:
        """The first discard phrase of the dictionaries found in each sentence (``tokens``: each
        sentence's ``list(span)``; None where there is none), or None when the coder has no
        discards: each sentence's words are read once for the story and the sentence discards."""
        if self.discards is None:
            return None
        return [self.discards.match([t.lower_ for t in toks if not t.is_punct and not t.is_space])
                for toks in tokens]

    @staticmethod
    def _story_discard(found: list | None) -> str | None:
        """The story discard phrase among a document's sentences' discards, or None."""
        if not found:
            return None
        return next((d.text for d in found if d is not None and d.story), None)

    def _actor_dictionary(self, actor_book, actor_files: tuple[str, ...]):
        """The built-in (and user) actor dictionary, plus the TABARI/PETRARCH actors and agents
        of :attr:`dictionaries` for the phrases it does not list."""
        if not (self.dictionaries.actors or self.dictionaries.agents):
            return actor_book.load(actor_files)
        from dyadwatch.codebooks.actors import ActorDictionary
        from dyadwatch.coding.dictionaries.bridge import actor_records, agent_records, person_terms

        base = actor_book.load(actor_files)
        taken = {" ".join(k) for k in base.phrases()}
        records = list(actor_book.records(actor_files))
        records += actor_records(self.dictionaries.actors, cameo=True, taken=taken,
                                 terms=person_terms(records))
        records += agent_records(self.dictionaries.agents, cameo=True, taken=taken)
        return ActorDictionary(records)

    def dictionary_summary(self) -> list[dict]:
        """Which TABARI/PETRARCH dictionaries this coder uses: one row per file (see
        :meth:`dyadwatch.coding.dictionaries.load.DictionarySet.summary`); empty when none."""
        return self.dictionaries.summary()

    def describe_model(self) -> str:
        """One line on what chooses the event classes: the rules alone, or the rules and which model."""
        if self.model is None:
            return "rules only (train a model with `dyadwatch train GOLD...`)"
        t = self.model.meta.get("trained_on", {})
        return f"rules + model {self.model.meta.get('path', '(in memory)')} ({t.get('records', '?')} training records)"

    # ------------------------------------------------------------ splitting
    def split(self, text: str) -> list[tuple[str, object]]:
        """Sentences of a text as (sentence text, tokenised span), in order."""
        out = []
        for block in paragraph_blocks(text):
            while block:  # a block over MAX_BLOCK_CHARS (lines without blank lines between) in pieces
                at = len(block) if len(block) <= MAX_BLOCK_CHARS else soft_cut(block, 0, MAX_BLOCK_CHARS)
                piece, block = block[:at], block[at:]
                doc = self.sentencizer(self.nlp.make_doc(piece))
                sents = _citations_to_previous(list(doc.sents))
                for s in sents:
                    t = piece[s.start_char:s.end_char].strip()  # = s.text (the doc's text is piece's), no token walk
                    if t:
                        out.append((t, s))
        return out

    def _english(self, text: str) -> bool:
        """False for ``text`` (a sentence) with no words, mostly non-Latin letters, or more function
        words of French/Spanish/Portuguese/Italian/German than English stop words."""
        words = _WORD.findall(text)
        if not words:
            return False
        n_letters = sum(len(w) for w in words)
        if len(_NON_LATIN.findall(text)) > 0.3 * n_letters:
            return False
        if len(words) >= MIN_ALPHA_TOKENS_FOR_LANGUAGE:
            lower = [w.lower() for w in words]
            foreign = sum(1 for w in lower if w in FOREIGN_FUNCTION_WORDS)
            if foreign >= 2 and foreign > sum(1 for w in lower if w in self.stop_words):
                return False
        return True

    def candidates(self, docs: Iterable[Document], report: CodingReport) -> Iterator[_Candidate | None]:
        """Screen and date every sentence; yield those worth parsing, in order,
        and ``None`` after each document (or part) as a checkpoint.

        The parts of one long text (``Document.part`` > 0 with the ``doc_id`` of
        the part before) continue its sentence numbering, narrated date and
        reference-list cut, and count as one document.  Candidates refer to a
        copy of their document without its text (memory stays one part).
        """
        scr = report.screening
        state: _DocState | None = None
        for doc in docs:
            yield None
            if not (doc.part and state is not None and state.doc_id == doc.doc_id):
                report.documents += 1
                state = _DocState(doc.doc_id, dates_mod.DateContext(doc.date))
            text = (doc.text.replace("\x00", " ").replace("``", '"').replace("''", '"')
                    .replace("\r\n", "\n").replace("\r", "\n"))
            if state.in_references:
                scr.skip("reference-list lines", doc.doc_id, text.count("\n"))
                continue
            if not text.strip():
                if not doc.part:
                    scr.skip("empty documents", doc.doc_id)
                continue
            if _TAGS.search(text):
                n = len(_TAGS.findall(text))
                text = strip_tags(text)
                scr.skip("HTML tags removed from text", doc.doc_id, n)
            refs = _REFERENCES.search(text)
            if refs:  # a reference list cites titles, not events
                scr.skip("reference-list lines", f"{doc.doc_id}: {refs.group(1).strip()}",
                         text[refs.start():].count("\n"))
                state.citations = dates_mod.reference_dates(text[refs.end():])
                text = text[:refs.start()]
                state.in_references = True
            ctx = state.dates
            ref = dataclasses.replace(doc, text="")
            sentences = self.split(text)
            tokens = [list(span) for _, span in sentences]  # once: each span iteration builds new Tokens
            found = self._discards_of(tokens)
            story = self._story_discard(found)
            if story is not None:  # a dictionary's story discard (sports, entertainment ...): no event
                scr.skip("documents (or parts) with a discard phrase of the dictionaries", f"{doc.doc_id}: {story}",
                         len(sentences))
                report.sentences += len(sentences)
                state.next_index += len(sentences)
                continue
            for n, (sent, span) in enumerate(sentences):
                i = state.next_index
                state.next_index += 1
                report.sentences += 1
                where = f"{doc.doc_id} sentence {i}"
                if len(sent) > MAX_SENTENCE_CHARS:
                    scr.skip(f"sentences over {MAX_SENTENCE_CHARS} characters", where)
                    continue
                if not self._english(sent):  # (the span's text stripped: same words)
                    scr.skip("sentences not in English (or without words)", where)
                    continue
                if found is not None and found[n] is not None and not found[n].story:
                    scr.skip("sentences with a discard phrase of the dictionaries (sports, entertainment ...)", where)
                    continue
                toks = tokens[n]
                if not state.context.screen(toks, self.recogniser.has_actor(toks)):
                    ctx.observe(sent)  # its explicit dates still set the narrated date
                    continue
                line = datelines.dateline(sent)
                if line is not None:
                    state.filing = line.country or state.filing
                    if line.country in ("USA", "GEO") and state.context.georgia.country is None:
                        state.context.georgia.country = line.country  # "ATLANTA, Georgia --": the story's Georgia
                skip = line.end if line is not None else 0
                yield _Candidate(ref, i, sent, ctx.date_of(sent), state.citations, skip, state.filing,
                                 state.context, _split_tokens(span, sent[skip:], toks))

    # ------------------------------------------------------------ coding
    def code(self, docs: Iterable[Document], screening: Screening | None = None) -> tuple[list[dict], CodingReport]:
        """Code documents, keeping every event in a list (see :meth:`iter_events`
        for the streaming form).

        Returns
        -------
        (events, report)
            ``events`` are dicts in the layout of :mod:`dyadwatch.coding.schema`,
            in document and sentence order; ``report`` counts documents,
            sentences, parsed sentences, events and what was skipped.
        """
        report = CodingReport(screening=screening or Screening())
        events = list(self.iter_events(docs, report))
        return events, report

    def iter_events(self, docs: Iterable[Document], report: CodingReport,
                    n_process: int | None = None) -> Iterator[dict]:
        """Code documents as a stream: events are yielded as their sentence is
        parsed, and ``report`` is filled as the stream is consumed (complete when
        it ends).

        Memory is bounded whatever the input's size: documents are read as
        they are needed, and the work runs in rounds of at most
        :data:`ZONE_SENTENCES` parsed (or :data:`ZONE_SCREENED` screened)
        sentences, ended at the next document (or part), each inside spaCy's ``Language.memory_zone`` so the strings
        the tokenizer adds to the vocabulary for new words are freed after
        each round (spaCy >= 3.8; without it the vocabulary grows with every
        new word of the input).  A round with at least
        :data:`PARALLEL_MIN_SENTENCES` sentences is parsed by two processes
        when the cores are free.  An event repeating one already found in the
        same sentence (same ``event_id``) is dropped.

        With ``n_process`` > 1 (default :attr:`n_process`, then only when the
        cores are free), large inputs of many documents are parsed *and coded* in
        that many worker processes, the events coming back in the order one
        process gives (:mod:`dyadwatch.coding.workers`); otherwise
        :meth:`code_rounds` codes in this process.
        """
        asked = n_process is not None
        n_process = n_process if asked else self.n_process
        if n_process > 1:
            from dyadwatch.coding import workers

            return workers.iter_events(self, docs, report, n_process, check_load=not asked)
        return self.code_rounds(docs, report, 1)

    def code_rounds(self, docs: Iterable[Document], report: CodingReport, n_process: int = 1) -> Iterator[dict]:
        """The rounds of :meth:`iter_events` in this process; rounds of at least
        :data:`PARALLEL_MIN_SENTENCES` candidate sentences are parsed by ``n_process``
        spaCy processes when the cores are free (the rules run here).

        While it runs, the objects that existed before (the model, the dictionaries, the
        caller's data) are out of the garbage collector's scans (:func:`_collector_skips_loaded`)."""
        with _collector_skips_loaded():
            yield from self._code_rounds(docs, report, n_process)

    def _code_rounds(self, docs: Iterable[Document], report: CodingReport, n_process: int) -> Iterator[dict]:
        cands = self.candidates(docs, report)
        more = True
        while more:
            with self.nlp.memory_zone():
                chunk: list[_Candidate] = []
                screened_from = report.sentences
                more = False
                for cand in cands:
                    if cand is not None:
                        chunk.append(cand)
                    elif len(chunk) >= ZONE_SENTENCES or report.sentences - screened_from >= ZONE_SCREENED:
                        more = True  # a round ends between documents: no token outlives its zone
                        break
                report.sentences_parsed += len(chunk)
                n_proc = (n_process if n_process > 1 and len(chunk) >= PARALLEL_MIN_SENTENCES
                          and _cores_free(n_process) else 1)  # (the parallel branch is measured in bench/bench_coder.py)
                if n_proc == 1:  # the splitter's tokens, not the text tokenized a second time
                    vocab = self.nlp.vocab
                    inputs = (_doc_of(vocab, c.tokens) if c.tokens else c.parse_text for c in chunk)
                else:  # (worker processes are sent text)
                    inputs = (c.parse_text for c in chunk)
                parsed_all = self.nlp.pipe(inputs, batch_size=self.batch_size, n_process=n_proc)
                for cand, parsed in zip(chunk, parsed_all):
                    seen: set[str] = set()
                    for ev in self.code_sentence(parsed, cand):
                        if ev["event_id"] not in seen:
                            seen.add(ev["event_id"])
                            report.events += 1
                            yield ev

    def rule_events(self, parsed, on: dt.date | None, context=None) -> tuple[SentenceCoder | None, list]:
        """The sentence's rule coder and its raw events (:class:`dyadwatch.coding.events.RawEvent`),
        before the event model, places and code tables; ``(None, [])`` without a dictionary actor.
        ``context`` is the document's actor context (see :class:`_Candidate`)."""
        acts = self.recogniser.mentions(parsed, on, context)
        if not acts:
            return None, []
        text = acts.text
        prefer = frozenset(m.actor.country for m in acts.mentions if m.actor.country)

        def place_actor(tok) -> ActorRef | None:
            if tok.pos_ != "PROPN":
                return None
            hit = places.place_of_token(tok, prefer, main_only=True)
            if hit is None or hit[0].country is None:
                return None
            place, (lo, hi) = hit
            return ActorRef(text=text[lo:hi], code=self._country_code(place.country),
                            country=place.country, sector=None, kind="place", span=(lo, hi))

        sc = SentenceCoder(parsed, acts, self.lex, place_actor, dict_verbs=self.dict_verbs)
        return sc, sc.code()

    def code_sentence(self, parsed, cand: _Candidate) -> list[dict]:
        """Events of one parsed sentence (a spaCy ``Doc`` of the sentence)."""
        from dyadwatch.codebooks.cameo import lookup

        on = cand.date.date or cand.doc.date
        sc, raw = self.rule_events(parsed, on, cand.context)
        if sc is None:
            return []
        if self.model is not None:
            raw = self.model.revise(sc, raw)
        for e in raw:  # 18x or 19x by who used force (rebels have no air force), and on what
            e.code = violence.by_perpetrator(e.code, e.source)
            e.code = purposes.by_purpose(e.code, e.anchors)  # peacekeeping and help are aid (074)
        acts = sc.acts
        text = acts.text
        prefer = frozenset(m.actor.country for m in acts.mentions if m.actor.country)

        def not_place(tok) -> bool:
            m = acts.mention_at(tok)
            return m is not None and not m.is_place and m.actor.kind != "country"

        out = []
        for e in raw:
            c = lookup(e.code)
            loc = places.find_place(e.anchors, parsed, prefer, skip=not_place, fallback=c.root != "01")
            src, tgt = e.source, e.target
            if cand.context is not None:  # a name or role an earlier sentence gave a country
                src, tgt = cand.context.complete(src, acts), tgt and cand.context.complete(tgt, acts)
            if tgt is None and c.root in LOCATED_TARGET_ROOTS and e.anchors:
                # the object no dictionary names, before the place ("arrested Tomas Ferrandez in Lima")
                tgt = next(iter(entities.entity_targets(sc, e.anchors[0], [src], c.code, core=True)), None)
            if loc is not None and loc[0].country:
                src, tgt = self._locate(src, tgt, c.root, loc, parsed, text)
            if tgt is None and c.root != "01" and e.anchors:
                # the noun phrase in the target slot, outside the dictionaries (coding.entities)
                tgt = next(iter(entities.entity_targets(sc, e.anchors[0], [src], c.code,
                                                           nouns=e.anchors[1:])), None)
            if src.kind == "entity" and (tgt is None or tgt.kind == "entity"):
                continue  # an event needs one actor the dictionaries (or the gazetteer) know
            seized = violence.seizure(c.code, src, tgt)
            if seized != c.code:  # armed forces taking a place: 192
                c = lookup(seized)
            if (tgt is None or tgt.kind == "entity") and c.root in ("08", "17") and src.country \
                    and src.sector in DOMESTIC_SECTORS:
                # a government's concession or coercion with no one named: its own country (an
                # unnamed entity it coerces is of its country)
                at = tgt or src
                tgt = ActorRef(at.text, self._country_code(src.country), src.country, None, "country", at.span)
            if cand.filing:
                src, tgt = self._filing_country(src, cand.filing), tgt and self._filing_country(tgt, cand.filing)
            date = cand.date
            if cand.citations and c.quad_class in CITATION_DATED_QUADS and date.source in ("document", None):
                # a statement in scholarly text dated only by its numbered citation
                date = dates_mod.citation_date(text, e.verb_span[1], cand.citations) or date
            k = cand.skip  # spans count in the whole sentence, dateline included
            spans = {"source": [src.span[0] + k, src.span[1] + k],
                     "target": [tgt.span[0] + k, tgt.span[1] + k] if tgt else None,
                     "verb": [e.verb_span[0] + k, e.verb_span[1] + k],
                     "date": list(date.span) if date.span else None,
                     "location": [loc[1][0] + k, loc[1][1] + k] if loc else None}
            out.append({
                "event_id": event_id(cand.doc.doc_id, cand.index, src.code, tgt.code if tgt else None, c.code),
                "doc_id": cand.doc.doc_id,
                "sentence_index": cand.index,
                "sentence": cand.text,
                "event_date": date.date.isoformat() if date.date else None,
                "date_precision": date.precision if date.date else None,
                "date_source": date.source if date.date else None,
                "source": src.as_dict(),
                "target": tgt.as_dict() if tgt else None,
                "cameo_code": c.code, "cameo_root": c.root, "quad_class": c.quad_class,
                "goldstein": c.goldstein, "plover_type": c.plover_type,
                "loc_name": loc[0].name if loc else None,
                "loc_country": loc[0].country if loc else None,
                "lat": loc[0].lat if loc else None, "lon": loc[0].lon if loc else None,
                "spans": spans,
                "source_url": cand.doc.url,
                "coded_by": e.coded_by,
                "confidence": round(e.confidence, 4),
            })
        if cand.context is not None:
            cand.context.learn(acts)  # names, roles and the last person, for the sentences after
        return out

    def _filing_country(self, ref: ActorRef, iso3: str) -> ActorRef:
        """A domestic institution without a country ("Police have arrested ...", "the
        court", "President X") in a story filed under a dateline: the dateline's country."""
        from dyadwatch.codebooks.actors import combine

        if ref.country or ref.kind != "agent" or ref.sector not in FILING_SECTORS:
            return ref
        return ActorRef(ref.text, combine(self._country_code(iso3), ref.sector), iso3, ref.sector, "agent",
                        ref.span)

    def _locate(self, src: ActorRef, tgt: ActorRef | None, root: str, loc, parsed, text: str):
        """Actors completed from the event's location (the ICEWS convention):

        * a sector actor without a country ("rebels", "police") takes the
          country of the place ("rebels attacked ... in Idlib" -> ``SYRREB``),
          unless the other side is a counterpart of that country ("President
          X met his Nigerian counterpart in Abuja": X is no Nigerian);
        * an event of roots 08 and 13-20 (concessions, threats, protests, force
          postures, sanctions, coercion, assaults, fights) without a target
          takes the place's country as target ("protested in Kirkuk" -> IRQ).
        """
        from dyadwatch.codebooks.actors import combine

        place, (lo, hi) = loc
        iso3 = place.country
        # "met his Nigerian counterpart in Abuja": the other side is not of the counterpart's country
        foreign = {r.country for r in (src, tgt) if r is not None and COUNTERPART.search(r.text)}

        def fill(ref: ActorRef) -> ActorRef:
            if ref.country or ref.kind != "agent" or not ref.sector or iso3 in foreign:
                return ref
            return ActorRef(ref.text, combine(self._country_code(iso3), ref.sector), iso3, ref.sector,
                            "agent", ref.span)

        src = fill(src)
        if tgt is not None and tgt.kind == "entity" and root in LOCATED_TARGET_ROOTS and iso3 not in foreign \
                and (place.main_name or place.population >= 100_000):
            # "arrested Tomas Ferrandez in Lima": the entity is of the place's country
            tgt = ActorRef(tgt.text, self._country_code(iso3), iso3, None, "country", tgt.span)
        elif tgt is not None:
            tgt = fill(tgt)
        elif root in LOCATED_TARGET_ROOTS and (place.main_name or place.population >= 100_000):
            off = parsed[0].idx if len(parsed) else 0
            tgt = ActorRef(text[lo - off:hi - off], self._country_code(iso3), iso3, None, "place",
                           (lo - off, hi - off))
            if tgt.code == src.code:
                tgt = None
        return src, tgt

    def _country_code(self, iso3: str) -> str:
        try:
            from dyadwatch.codebooks.actors import countries_bridge

            return countries_bridge.cameo_of(iso3) or iso3
        except Exception:  # noqa: BLE001 - the bridge is optional; ISO3 is the CAMEO code for most states
            return iso3


_CLOSERS = frozenset({"]", ")", "\u201d", "\u2019", '"', "'", ",", ";"})


def _citations_to_previous(sents: list) -> list:
    """Sentence spans with the citation marks that open a sentence ("[50]\u201d The ...",
    split off by the sentence end before them) moved back to the sentence they belong to."""
    out = [sents[0]] if sents else []
    for s in sents[1:]:
        n = 0
        while n + 2 < len(s) and s[n].text == "[" and s[n + 1].like_num and s[n + 2].text == "]":
            n += 3
            while n < len(s) and s[n].text in _CLOSERS and s[n].text != "]":
                n += 1
        if n:
            prev = out[-1]
            out[-1] = prev.doc[prev.start:s.start + n]
            if n == len(s):
                continue
            s = s.doc[s.start + n:s.end]
        out.append(s)
    return out


def _cores_free(n: int) -> bool:
    """True when ``n`` cores are idle enough for ``n`` parser processes (1-minute load
    average below ``cpu_count - n + 1.5``): on a busy machine extra processes only add
    hand-over costs (``bench/bench_coder.py`` measures both)."""
    try:
        return os.getloadavg()[0] < (os.cpu_count() or 1) - n + 1.5
    except OSError:  # no load average on this platform
        return True


_CODER: dict[tuple, Coder] = {}


def resolve_model(model_dir: str | os.PathLike | None = "auto"):
    """The event-class model to code with: ``"auto"`` loads the one under the data directory
    (:func:`dyadwatch.coding.model.default_model_dir`) when one was trained there, else None;
    a directory loads that model (:class:`~dyadwatch.errors.InputError` when it is not one);
    None means rules only."""
    from dyadwatch.coding.model import EventModel, default_model_dir

    if model_dir is None:
        return None
    if str(model_dir) == "auto":
        d = default_model_dir()
        return EventModel.load(d) if (d / "model.json").is_file() else None
    return EventModel.load(model_dir)


def get_coder(actor_files: Iterable[str] = (), verb_files: Iterable[str] = (), dictionaries: Iterable[str] = (),
              fetched: bool = True, model_dir: str | os.PathLike | None = None) -> Coder:
    """A cached :class:`Coder` (the spaCy model and dictionaries load once per process; the
    fetched dictionaries are looked up in the data directory at each call, and an edited
    dictionary file makes a new coder) with the event-class model of :func:`resolve_model`
    (``model_dir="auto"``: the trained one, if any; default None: rules only)."""
    from dyadwatch.coding.dictionaries.load import fetched_dir, signature

    where = fetched_dir() if fetched else None
    dictionaries = tuple(str(d) for d in dictionaries)
    key = (tuple(actor_files), tuple(verb_files), dictionaries,
           signature(([where] if where is not None else []) + list(dictionaries)))
    if key not in _CODER:
        _CODER[key] = Coder(actor_files=key[0], verb_files=key[1], dictionaries=dictionaries,
                            fetched=where is not None)
    coder = _CODER[key]
    coder.model = resolve_model(model_dir)
    return coder


def code_documents(docs: Iterable[Document], *, screening: Screening | None = None,
                   actor_files: Iterable[str] = (), verb_files: Iterable[str] = (),
                   dictionaries: Iterable[str] = (),
                   model_dir: str | os.PathLike | None = "auto") -> tuple[list[dict], CodingReport]:
    """Code documents with the cached coder (see :meth:`Coder.code`) and the event-class model of
    :func:`resolve_model`."""
    return get_coder(actor_files, verb_files, dictionaries, model_dir=model_dir).code(docs, screening)


def code_text(text: str, date: dt.date | str | None = None, doc_id: str = "text") -> list[dict]:
    """Code one text (convenience for tests and notebooks); returns the events."""
    from dyadwatch.coding.documents import parse_date

    events, _ = code_documents([Document(doc_id=doc_id, date=parse_date(date), text=text)])
    return events
