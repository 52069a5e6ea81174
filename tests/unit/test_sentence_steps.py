"""J and K step through an article's sentences (gui/nlp/snap.py ``sentence_after`` and
``sentence_before``): every sentence once, in order, none skipped, headlines and paragraphs
apart."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gui.nlp.snap import sentence_after, sentence_at, sentence_before

ARTICLE = ("Russia backs Havana\n\nMoscow sent oil on Monday. The embassy said so. "
           "\"We will help,\" he said.\nCuba thanked Russia.")


def _forward(text: str) -> list[str]:
    found, span = [], sentence_after(text, 0)
    while span is not None:
        found.append(text[span[0]:span[1]])
        span = sentence_after(text, span[1])
    return found


def test_stepping_forward_visits_each_sentence_and_headline_once_in_order() -> None:
    assert _forward(ARTICLE) == ["Russia backs Havana", "Moscow sent oil on Monday.",
                                 "The embassy said so.", "\"We will help,\" he said.",
                                 "Cuba thanked Russia."]


def test_stepping_back_retraces_them_and_stops_at_the_first() -> None:
    last = sentence_at(ARTICLE, len(ARTICLE) - 1)
    found, span = [], last
    while span is not None:
        found.append(ARTICLE[span[0]:span[1]])
        span = sentence_before(ARTICLE, span[0])
    assert found == list(reversed(_forward(ARTICLE)))


words = st.sampled_from(["Moscow", "sent", "oil.", "Cuba", "thanked", "it!", "Why?", "\n",
                         "\n\n", "  ", "\"Yes,\"", "said", "he."])


@settings(max_examples=60, deadline=None)
@given(st.lists(words, max_size=30).map(" ".join))
def test_forward_steps_never_overlap_or_go_back_and_back_steps_mirror_them(text) -> None:
    spans, span = [], sentence_after(text, 0)
    while span is not None:
        assert not spans or span[0] >= spans[-1][1]
        assert text[span[0]:span[1]].strip() == text[span[0]:span[1]] != ""
        spans.append(span)
        span = sentence_after(text, span[1])
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == \
        "".join(text.split())
    back = [sentence_before(text, s) for s, _e in spans[1:]]
    assert back == spans[:-1]
