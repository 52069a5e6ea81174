"""Pre-fill's shortcuts give what the plain readings of a Doc give.

Why: pre-fill runs the stance rules on every document after the parser, and its throughput
beside bare ``nlp.pipe`` (benchmarks/bench_prefill.py) comes from reading a Doc once: the
entities read once and cut per sentence by bisection, the sentences a quotation or a page's
navigation line covers found by bisection, a word table looked up by string id. A shortcut
that answered differently from the reading it replaces would change which suggestions a
reviewer sees.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Doc, Span

from gui.nlp.context import DocContext
from gui.nlp.holder import candidates
from gui.nlp.lexicon import load_lexicon
from gui.nlp.pipeline import LoadedPipeline
from gui.nlp.stance_model import trimmed
from gui.nlp.targets import KINDS, TargetFinder, _named
from gui.nlp.words import WordTable
from tests.unit.test_stance_rules import SCHEMA

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"

NLP = spacy.blank("en")
WORDS = ["Sanctions", "sanctions", "said", "say", "Russia", "russia", "support", "supports",
         "the", "Embargo", "lifted", "lift", "U.S.", "aid", "Aid"]
LEMMAS = ["sanction", "sanctions", "say", "say", "Russia", "russia", "support", "support", "the",
          "Embargo", "lift", "lift", "U.S.", "aid", "", "Say", "SUPPORT"]
POS = ["NOUN", "VERB", "PROPN", "ADJ", "AUX", "X"]


@st.composite
def entity_layouts(draw: st.DrawFn) -> tuple[Doc, int, int]:
    """A Doc with entities anywhere (in order, not overlapping), and a span of it."""
    length = draw(st.integers(min_value=1, max_value=30))
    doc = Doc(NLP.vocab, words=[f"w{i}" for i in range(length)])
    cuts = sorted(draw(st.sets(st.integers(min_value=0, max_value=length), max_size=12)))
    pairs = [(a, b) for a, b in zip(cuts[::2], cuts[1::2], strict=False) if a < b]
    doc.ents = [Span(doc, a, b, label="ORG") for a, b in pairs]
    start = draw(st.integers(min_value=0, max_value=length - 1))
    end = draw(st.integers(min_value=start + 1, max_value=length))
    return doc, start, end


@settings(max_examples=200, deadline=None)
@given(entity_layouts())
def test_entities_within_a_span_are_those_spacy_gives(layout: tuple[Doc, int, int]) -> None:
    doc, start, end = layout
    context = DocContext([doc[:]])
    context.ents = doc.ents
    context.ent_starts = [ent.start for ent in doc.ents]
    span = doc[start:end]
    assert [(e.start, e.end) for e in context.ents_within(span)] == [
        (e.start, e.end) for e in span.ents]
    # the holder scorer's candidates from them, as the trained version's pre-fill asks
    assert candidates(span, {"ORG"}, context.ents_within(span)) == candidates(span, {"ORG"})


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Havana", "said", ".", "\n\n", "\n", " ", "\""]),
                          st.booleans()), min_size=1, max_size=15),
       st.integers(min_value=0, max_value=14), st.integers(min_value=1, max_value=15))
def test_a_sentence_trimmed_from_the_text_is_trimmed_from_its_tokens(
    tokens: list[tuple[str, bool]], start: int, width: int,
) -> None:
    """Spaces and line breaks as tokens or after them, at either end of the span."""
    words, spaces = zip(*tokens, strict=True)
    doc = Doc(NLP.vocab, words=list(words), spaces=list(spaces))
    start = min(start, len(doc) - 1)
    span = doc[start : min(len(doc), start + width)]
    assert trimmed(span, doc.text) == trimmed(span)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=20),
    st.integers(min_value=0, max_value=900), st.integers(min_value=0, max_value=200),
)
def test_sentences_a_range_overlaps_are_those_a_scan_finds(
    lengths: list[int], start: int, width: int,
) -> None:
    """Sentences in order, with gaps (the spaces between paragraphs) or none between them."""
    context = DocContext([])
    at = 0
    for n, length in enumerate(lengths):
        at += n % 3  # a gap before some
        context.char_starts.append(at)
        at += length
        context.char_ends.append(at)
    end = start + width
    scan = [n for n, (s, e) in enumerate(zip(context.char_starts, context.char_ends,
                                              strict=True)) if s < end and start < e]
    assert list(context.overlapping(start, end)) == scan


TABLE = {"sanction": "s", "say": "speech", "support": "f", "russia": "side", "aid": "deed",
         "embargo": "e"}
SHARED = {(lemmas, pos): WordTable(TABLE, lemmas, pos) for lemmas in (False, True)
          for pos in (frozenset(), frozenset({"VERB", "AUX"}), frozenset({"NOUN"}))}


def _by_strings(table: WordTable, token: spacy.tokens.Token) -> object:
    """The word table's lookup as it was, by the token's strings."""
    if table.pos and token.pos_ and token.pos_ not in table.pos:
        return None
    key = token.lemma_.lower() if table.use_lemmas and token.lemma_ else token.lower_
    found = table.table.get(key)
    return found if found is not None else table.table.get(token.lower_)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(LEMMAS), st.sampled_from(POS)),
             min_size=1, max_size=8),
    st.booleans(), st.sampled_from([frozenset(), frozenset({"VERB", "AUX"}),
                                    frozenset({"NOUN"})]), st.booleans(),
)
def test_word_table_by_ids_finds_what_it_finds_by_strings(
    tokens: list[tuple[str, str, str]], use_lemmas: bool, pos: frozenset[str], tagged: bool,
) -> None:
    """Lemmas that are the lower-case form or not, in capitals, empty; tags or none."""
    words, lemmas, tags = zip(*tokens, strict=True)
    doc = Doc(NLP.vocab, words=list(words), lemmas=list(lemmas),
              pos=list(tags) if tagged else None)
    table = WordTable(TABLE, use_lemmas, pos)
    shared = SHARED[(use_lemmas, pos)]  # asked across examples: its lemma answers are kept
    for token in doc:
        assert table.get(token) == _by_strings(table, token)
        assert shared.get(token) == _by_strings(shared, token)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Havana", "said", ".", "\n\n", "\n", " ", "Cuba"]),
                          st.booleans()), min_size=1, max_size=20),
       st.lists(st.integers(min_value=0, max_value=19), max_size=30))
def test_a_paragraph_start_or_headline_kept_is_what_the_sentence_says(
    tokens: list[tuple[str, bool]], asked: list[int],
) -> None:
    """Sentences cut at every full stop and line break, asked in any order, twice or more."""
    words, spaces = zip(*tokens, strict=True)
    doc = Doc(NLP.vocab, words=list(words), spaces=list(spaces),
              sent_starts=[i == 0 or words[i - 1] in (".", "\n", "\n\n")
                           for i in range(len(words))])
    context = DocContext(list(doc.sents))
    for number in [n % len(context.sents) for n in asked] + list(range(len(context.sents))):
        sent = context.sents[number]
        before = doc[sent.start - 1] if sent.start else None
        plain = number == 0 or (before is not None and before.is_space and "\n" in before.text)
        assert context.paragraph_start(number) == plain
        assert context.headline(number) == context._headline(number)


def test_target_words_with_their_keys_kept_are_those_the_match_ids_name(
    rules: LoadedPipeline,
) -> None:
    """``TargetFinder`` keeps each match id's (kind, name) as its key is added; on every Doc,
    ``matches`` gives what splitting each match id's string gives."""
    finder = TargetFinder(rules.nlp, SCHEMA, load_lexicon())
    texts = [p.read_text(encoding="utf-8") for p in sorted(SAMPLE.glob("*.txt"))]
    for doc in rules.nlp.pipe(texts + texts[:2]):
        plain: dict[str, list[tuple[str, int, int]]] = {kind: [] for kind in KINDS}
        for matcher in (finder.lower, finder.lemma):
            for match_id, start, end in matcher(doc) if len(matcher) else ():
                kind, name = doc.vocab.strings[match_id].split("\t", 1)
                plain[kind].append((name, start, end))
        assert finder.matches(doc) == plain
    assert finder.keys  # the schema's targets and the lexicon's words were added


def _named_by_tokens(tokens: list[spacy.tokens.Token], sides: dict) -> Counter:
    """The side count as it was, over Token objects."""
    counts: Counter = Counter()
    last: tuple[int, set] = (-2, set())
    for t in sorted(tokens, key=lambda t: t.i):
        found = sides.get(t.i, set())
        counts.update(found - last[1] if last[0] == t.i - 1 else found)
        last = (t.i, found)
    return counts


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=11), max_size=16),
       st.dictionaries(st.integers(min_value=0, max_value=11),
                       st.sets(st.tuples(st.sampled_from(["ties", "embargo"]),
                                         st.integers(min_value=0, max_value=1)), max_size=2)))
def test_sides_counted_by_index_are_those_counted_by_token(
    picked: list[int], sides: dict[int, set[tuple[str, int]]],
) -> None:
    """Any tokens in any order, some twice (a phrase and its subtree), names of several words."""
    doc = Doc(NLP.vocab, words=[f"w{i}" for i in range(12)])
    tokens = [doc[i] for i in picked]
    assert _named(picked, sides) == _named_by_tokens(tokens, sides)
    assert _named(range(3, 9), sides) == _named_by_tokens(list(doc[3:9]), sides)
