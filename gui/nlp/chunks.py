"""Cutting a long text into pieces the pipeline can take, without losing an offset.

Why: spaCy refuses texts over ``nlp.max_length`` and its parser needs about a gigabyte per
100,000 characters, so a several-megabyte article is run as pieces cut at paragraph, line or
sentence ends; each piece keeps its offset in the whole text.
"""

from __future__ import annotations

from collections.abc import Iterator

CHUNK_CHARS = 100_000
# Where to cut, best first: a paragraph, a line, a sentence end, any space.
_BREAKS = ("\n\n", "\n", ". ", " ")


def chunks(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """(offset, piece) pairs that cover ``text`` exactly, each piece at most ``limit`` long.

    An empty text is one empty piece, so every document yields at least one Doc.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    if len(text) <= limit:
        yield 0, text
        return
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            window = text[start + limit // 2 : end]
            for mark in _BREAKS:
                cut = window.rfind(mark)
                if cut != -1:
                    end = start + limit // 2 + cut + len(mark)
                    break
        yield start, text[start:end]
        start = end
