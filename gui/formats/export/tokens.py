"""Tokens for the token-based formats (Prodigy, CoNLL, spaCy), from spaCy's blank English.

``spacy.blank("en")`` has the rule-based tokenizer and no statistical model: it loads in a
fraction of a second and gives the tokens a spaCy pipeline trained on this data will see.
Annotators mark spans by characters, so a span may begin or end inside one of spaCy's tokens
("Russia-Cuba"); ``pieces`` splits such tokens at span edges so that every span covers whole
tokens and the character offsets survive the trip through a token-based format unchanged.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterable
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc


class Piece(NamedTuple):
    start: int
    end: int
    ws: bool  # followed by whitespace (Prodigy's "ws", spaCy's token.whitespace_)


@functools.cache
def blank_english() -> Language:
    import spacy

    return spacy.blank("en")


@functools.cache
def sentence_splitter() -> Language:
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def make_doc(text: str) -> Doc:
    return blank_english().make_doc(text)


def pieces(doc: Doc, edges: Iterable[int]) -> list[Piece]:
    """spaCy's tokens, each split where a span edge falls strictly inside it."""
    cuts = sorted(set(edges))
    result: list[Piece] = []
    for token in doc:
        start = token.idx
        end = start + len(token.text)
        at = bisect.bisect_right(cuts, start)
        while at < len(cuts) and cuts[at] < end:
            result.append(Piece(start, cuts[at], False))
            start = cuts[at]
            at += 1
        result.append(Piece(start, end, bool(token.whitespace_)))
    return result


def token_range(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """First and last (inclusive, as Prodigy counts) token index overlapping [start, end).

    ``starts``/``ends`` are the pieces' offsets, both ascending. A span lying wholly in the
    space between two tokens gets the token after it (or the last token).
    """
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end) - 1
    first = min(first, len(starts) - 1)
    return first, max(first, last)


def non_space_parts(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Maximal runs of non-whitespace in ``text[start:end]`` (``str.isspace``, as
    ``str.split()`` and spaCy's CoNLL reader see whitespace)."""
    parts: list[tuple[int, int]] = []
    run = -1
    for i in range(start, end):
        if text[i].isspace():
            if run >= 0:
                parts.append((run, i))
                run = -1
        elif run < 0:
            run = i
    if run >= 0:
        parts.append((run, end))
    return parts
