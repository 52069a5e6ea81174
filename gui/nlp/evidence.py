"""A stance's evidence span: its sentence, starting at a word and ending where the words end.

spaCy's sentences are not always where a reader's are. On a page scraped with its headline
glued to a breadcrumb, the parser ended a sentence after "Russia" and began the next at
", Cuba commit to advance strategic partnership", which the annotator saw as the evidence;
a Markdown headline ("# *Russia reiterates …*") began with its markup. So the evidence is
the sentence without the spaces around it, joined to the sentence before when it opens with
a mark that continues one (a comma, a semicolon, a colon, a closing bracket) on the same line,
and then without the marks in front of its first word (an opening quotation mark or bracket
stays: it belongs to the words; a closing one left over from the sentence before goes) and
the emphasis marks after its last.
"""

from __future__ import annotations

import unicodedata

# Marks that carry a sentence on: a sentence that opens with one was cut off the one before.
CONTINUES = frozenset(",;:)]}")
_TRAILING_MARKUP = frozenset("*_#")


def _opens_words(char: str) -> bool:
    """Whether evidence may start at ``char``: a letter, a digit, an opening quotation mark
    or bracket, a currency sign ("$5 billion")."""
    return char.isalnum() or unicodedata.category(char) in ("Ps", "Pi", "Sc") or char in "\"'"


def evidence_span(text: str, start: int, end: int,
                  previous: tuple[int, int] | None = None) -> tuple[int, int]:
    """The evidence for the sentence ``text[start:end]``; ``previous`` is the span of the
    sentence before it, if any. Never empty when the sentence has a word; never grows past
    the sentence and the one before it."""
    first = start
    while first < end and text[first].isspace():
        first += 1
    if (previous is not None and first < end and text[first] in CONTINUES
            and "\n" not in text[previous[0]:first].lstrip()):
        start = first = previous[0]
    word = first
    while word < end and not _opens_words(text[word]):
        word += 1
    if word == end:  # no word at all (a rule of dashes): only the spaces trimmed
        while first < end and text[first].isspace():
            first += 1
        while end > first and text[end - 1].isspace():
            end -= 1
        return first, end
    while end > word and (text[end - 1].isspace() or text[end - 1] in _TRAILING_MARKUP):
        end -= 1
    return word, end
