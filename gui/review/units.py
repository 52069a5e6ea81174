"""Sentences and tokens: the units agreement is counted over.

Sentences are those of spaCy's blank English pipeline with the rule-based ``sentencizer``: no
model to download, deterministic, the same boundaries on every machine. Running that pipeline
over 10,000 articles takes most of a minute, nearly all of it building Token objects, so this
module gets the same answer cheaper, from spaCy's own pieces:

- spaCy's tokenizer splits the text on whitespace first and tokenizes each whitespace-free
  word on its own, so a word always yields the same tokens. Each distinct word is tokenized
  once by spaCy's tokenizer and remembered.
- Whitespace other than one space after a word becomes a token of its own (``is_space``).
- The sentencizer's rule, applied to those tokens: a token that is not punctuation, coming
  after one of ``Sentencizer.default_punct_chars``, starts a sentence.

tests/unit/test_agreement_units.py checks the result against the real pipeline, on the
sample articles and on arbitrary text (hypothesis). ``word_tokens`` also gives the tokens
inside entities for the token alpha (gui/review/entity_agreement.py).
"""

from __future__ import annotations

import functools
import re
import threading

import spacy
from spacy.pipeline import Sentencizer
from spacy.tokenizer import Tokenizer

Span = tuple[int, int]
_TOKENIZER_LOCK = threading.RLock()
# (start, end, is_punct, is one of the sentencizer's sentence-final characters), in the word
WordTokens = tuple[tuple[int, int, bool, bool], ...]
_WORD = re.compile(r"\S+")
_PUNCT_CHARS = frozenset(Sentencizer.default_punct_chars)
_FINAL_CHAR = re.compile("[" + re.escape("".join(sorted(_PUNCT_CHARS))) + "]")
# Python's re scans a class holding astral characters 20 times slower; most texts have none.
_FINAL_CHAR_BMP = re.compile(
    "[" + re.escape("".join(sorted(c for c in _PUNCT_CHARS if ord(c) < 0x10000))) + "]")


@functools.cache
def tokenizer() -> Tokenizer:
    with _TOKENIZER_LOCK:
        return spacy.blank("en").tokenizer


@functools.lru_cache(maxsize=500_000)
def word_tokens(word: str) -> WordTokens:
    """spaCy's tokens of one whitespace-free word, as offsets into the word."""
    # spaCy's tokenizer updates its own caches as it goes, and two agreement jobs (two
    # dashboards) may run at once, so calls into it take turns. Only cache misses get here.
    with _TOKENIZER_LOCK:
        doc = tokenizer()(word)
    return tuple(
        (t.idx, t.idx + len(t.text), bool(t.is_punct), t.text in _PUNCT_CHARS) for t in doc
    )


def _space_token(text: str, gap_start: int, gap_end: int) -> bool:
    """Whether the whitespace between two words is a token (all but one plain space is)."""
    if gap_end <= gap_start:
        return False
    if gap_start == 0:
        return True
    return gap_end - gap_start > 1 or text[gap_start] != " "


def _within_bmp(text: str) -> bool:
    """Whether every character is in the Basic Multilingual Plane: UTF-16 then needs no
    surrogate pairs. (``max(text)`` walks the string a character at a time: 30 times slower.)"""
    return text.isascii() or len(text.encode("utf-16-le", "surrogatepass")) == 2 * len(text)


def sentence_spans(text: str) -> list[Span]:
    """Code-point ``[start, end)`` of each sentence, surrounding whitespace excluded.

    Only words holding a sentence-final character can end a sentence, so the scan jumps from
    one such word to the next and reads on token by token only until the sentence it ended
    has a successor.
    """
    if not text or text.isspace():
        return []
    starts = [0]
    resume = 0  # everything before this offset has been read
    finals = _FINAL_CHAR_BMP if _within_bmp(text) else _FINAL_CHAR
    for final in finals.finditer(text):
        word_start = final.start()
        if word_start < resume:
            continue
        while word_start > 0 and not text[word_start - 1].isspace():
            word_start -= 1
        seen_period = False
        position = word_start
        for match in _WORD.finditer(text, word_start):
            word_start = match.start()
            if seen_period and _space_token(text, position, word_start):
                starts.append(position)
                seen_period = False
            for start, _end, is_punct, ends_sentence in word_tokens(match.group()):
                if seen_period and not is_punct and not ends_sentence:
                    starts.append(word_start + start)
                    seen_period = False
                elif ends_sentence:
                    seen_period = True
            position = resume = match.end()
            if not seen_period:
                break
        else:
            if seen_period and _space_token(text, position, len(text)):
                starts.append(position)
    spans = []
    for start, end in zip(starts, [*starts[1:], len(text)], strict=True):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))
    return spans
