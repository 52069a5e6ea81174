"""Token and sentence boundaries for the annotation view, from spaCy's own tokenizer.

A drag rarely lands exactly on word boundaries; annotators expect the span to grow to whole
tokens, as Prodigy does. spaCy's ``Doc.char_span(..., alignment_mode="expand")`` does exactly
that with the same tokenization the pre-fill and the exported training data use, so a span
snapped here never splits a token a model will see.

spaCy takes a second or more to import, so nothing here imports it until first asked (the
window warms it up in a background thread once it is shown): the start-up path stays light.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from functools import lru_cache
from typing import Any

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def warm_up() -> None:
    """Import spaCy and build the tokenizer now, so the first snap does not wait for it."""
    with _lock:
        _pipeline()


@lru_cache(maxsize=4)
def _analysis(text: str) -> tuple[Any, list[int], list[int], list[tuple[int, int]]]:
    """The tokenized doc, token starts, token ends and sentence spans of one article.

    Cached per text (Python caches a string's hash, so the lookup is cheap): switching back and
    forth between documents does not tokenize again.
    """
    with _lock:
        doc = _pipeline()(text)
    starts = [t.idx for t in doc if not t.is_space]
    ends = [t.idx + len(t.text) for t in doc if not t.is_space]
    return doc, starts, ends, _quotes_opened(text, [(s.start_char, s.end_char) for s in doc.sents])


_OPENING = "\"“«‘'"


def _quotes_opened(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentencizer leaves a quotation's opening mark on the sentence before it ('The
    embassy said so. "' then 'We will help," he said.'); a mark with a space before it and
    the sentence's end after it opens the next sentence, so it goes there."""
    moved = list(sentences)
    for i in range(len(moved) - 1):
        start, end = moved[i]
        at = end - 1  # the sentence's last character that is not a space
        while at > start and text[at].isspace():
            at -= 1
        if at > start and text[at] in _OPENING and text[at - 1].isspace():
            moved[i] = (start, at)
            moved[i + 1] = (at, moved[i + 1][1])
    return moved


def snap(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Grow ``[start, end)`` to whole tokens; None when it holds only whitespace."""
    start, end = min(start, end), max(start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return None
    doc = _analysis(text)[0]
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return start, end
    return span.start_char, span.end_char


def next_token_end(text: str, end: int) -> int | None:
    """The end of the first token that ends after ``end`` (Shift+Right grows a span by one)."""
    ends = _analysis(text)[2]
    i = bisect_right(ends, end)
    return ends[i] if i < len(ends) else None


def previous_token_end(text: str, end: int) -> int | None:
    """The end of the last token that ends before ``end`` (Shift+Left shrinks a span by one)."""
    ends = _analysis(text)[2]
    i = bisect_left(ends, end)
    return ends[i - 1] if i > 0 else None


def previous_token_start(text: str, start: int) -> int | None:
    starts = _analysis(text)[1]
    i = bisect_left(starts, start)
    return starts[i - 1] if i > 0 else None


def next_token_start(text: str, start: int) -> int | None:
    starts = _analysis(text)[1]
    i = bisect_right(starts, start)
    return starts[i] if i < len(starts) else None


def sentence_at(text: str, position: int) -> tuple[int, int] | None:
    """The sentence holding ``position``, kept inside its paragraph and without outer spaces."""
    if not text:
        return None
    position = max(0, min(position, len(text) - 1))
    sentences = _analysis(text)[3]
    i = bisect_right([s for s, _e in sentences], position) - 1
    start, end = sentences[max(i, 0)]
    line_start = text.rfind("\n", 0, position) + 1
    line_end = text.find("\n", position)
    start = max(start, line_start)
    end = min(end, line_end if line_end != -1 else len(text))
    return snap(text, start, end)


def sentence_after(text: str, end: int) -> tuple[int, int] | None:
    """The first sentence (as ``sentence_at`` gives it) starting at or after ``end``; None
    past the last one."""
    position = end
    while position < len(text) and text[position].isspace():
        position += 1
    return sentence_at(text, position) if position < len(text) else None


def sentence_before(text: str, start: int) -> tuple[int, int] | None:
    """The last sentence ending at or before ``start``; None before the first one."""
    position = min(start, len(text)) - 1
    while position >= 0 and text[position].isspace():
        position -= 1
    return sentence_at(text, position) if position >= 0 else None
