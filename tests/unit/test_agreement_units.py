"""The fast sentence and token units give exactly what spaCy's blank English pipeline with the
sentencizer gives, on the sample articles and on arbitrary text."""

from __future__ import annotations

from pathlib import Path

import spacy
from hypothesis import given, settings
from hypothesis import strategies as st

from gui.review.units import sentence_spans
from tests.unit.agreement_reference import tokens_within

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "resources" / "sample").glob("*.txt"))
_NLP = spacy.blank("en")
_NLP.add_pipe("sentencizer")


def spacy_sentences(text: str) -> list[tuple[int, int]]:
    """The reference: the pipeline itself, with surrounding whitespace trimmed the same way."""
    spans = []
    for sent in _NLP(text).sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def spacy_tokens(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [(t.idx, t.idx + len(t.text)) for t in _NLP.make_doc(text) if not t.is_space
            and any(t.idx < e and s < t.idx + len(t.text) for s, e in spans)]


def test_sentences_of_the_sample_articles_match_spacy():
    assert SAMPLES
    for path in SAMPLES:
        text = path.read_text(encoding="utf-8")
        assert sentence_spans(text) == spacy_sentences(text), path.name


def test_a_few_tricky_cases_match_spacy():
    for text in ['He said "Hi." Then left.', "a.  b", "a.\n\nb", " Lead.\tNext",
                 "U.S. blockade. Next", "No period at all", "Wow!!! Really?! Yes…", "", "   ",
                 "Ends with. ", "¿Qué? Sí."]:
        assert sentence_spans(text) == spacy_sentences(text), repr(text)


# "𑁇" is a sentence-final character outside the Basic Multilingual Plane
PIECES = [*"ab.!?\"'( )-\n\t ,;:", "U.S.", "Mr.", "e.g.", "🇨🇺", "é", "Cuba", "  ", "…", "𑁇"]
TEXT = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_sentences_match_spacy_on_arbitrary_text(text: str):
    assert sentence_spans(text) == spacy_sentences(text)


@settings(max_examples=100, deadline=None)
@given(TEXT, st.lists(st.tuples(st.integers(0, 80), st.integers(1, 10)), max_size=4))
def test_tokens_within_spans_match_spacy(text: str, raw: list[tuple[int, int]]):
    spans = [(s, min(len(text), s + w)) for s, w in raw if s < len(text)]
    assert tokens_within(text, spans) == spacy_tokens(text, spans)
