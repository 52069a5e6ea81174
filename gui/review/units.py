"""Sentences and tokens: the units agreement is counted over.

Sentences come from spaCy's blank English pipeline with the rule-based ``sentencizer``: no
model to download, deterministic, and the same boundaries on every machine, so two people
computing agreement on the same project get the same figures. Tokens come from the same
tokenizer. Tokens are only needed inside entity spans (every other token is "O" for everyone
and is left out), and spaCy splits on whitespace before applying its rules, so tokenizing a
whitespace-delimited stretch gives exactly the tokens the whole text would have there.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import spacy
from spacy.language import Language

Span = tuple[int, int]


@functools.cache
def _pipeline() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_spans(text: str) -> list[Span]:
    """Code-point ``[start, end)`` of each sentence, surrounding whitespace excluded."""
    if not text.strip():
        return []
    nlp = _pipeline()
    doc = nlp.get_pipe("sentencizer")(nlp.make_doc(text))
    spans = []
    for sent in doc.sents:
        start, end = sent.start_char, sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans


def merge_intervals(spans: Iterable[Span]) -> list[Span]:
    """The union of spans as sorted, disjoint intervals (touching ones stay apart)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def tokens_within(text: str, spans: Iterable[Span]) -> list[Span]:
    """spaCy's tokens of ``text`` that overlap any of ``spans``, in order, without repeats.

    Each stretch is widened to whitespace on both sides before tokenizing, which is where the
    tokenizer itself starts and stops a chunk, so the tokens equal those of the whole text.
    """
    tokenizer = _pipeline().tokenizer
    n = len(text)
    regions = []
    for start, end in merge_intervals(spans):
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        while end < n and not text[end].isspace():
            end += 1
        regions.append((start, end))
    tokens: list[Span] = []
    for region_start, region_end in merge_intervals(regions):
        for token in tokenizer(text[region_start:region_end]):
            if token.is_space:
                continue
            start = region_start + token.idx
            tokens.append((start, start + len(token.text)))
    wanted = merge_intervals(spans)
    return [t for t in tokens if _overlaps_any(t, wanted)]


def _overlaps_any(span: Span, intervals: list[Span]) -> bool:
    # Linear is fine: both lists are short and sorted per document.
    return any(span[0] < end and start < span[1] for start, end in intervals)


def overlap(a: Span, b: Span) -> int:
    """How many code points two spans share (0 when they only touch or are apart)."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))
