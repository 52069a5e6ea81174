"""A stance's evidence starts at a word, whatever the sentence splitter did (evidence.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gui.nlp.evidence import evidence_span


def _evidence(text: str, sentence: str, previous: str | None = None) -> str:
    start = text.index(sentence)
    before = (text.index(previous), text.index(previous) + len(previous)) if previous else None
    first, end = evidence_span(text, start, start + len(sentence), before)
    return text[first:end]


def test_a_sentence_cut_after_its_first_word_is_joined_to_it() -> None:
    text = "Partnership\n\nRussia, Cuba commit to advance strategic partnership\n\nHavana"
    assert _evidence(text, ", Cuba commit to advance strategic partnership\n\n", "Russia") == \
        "Russia, Cuba commit to advance strategic partnership"


def test_not_across_a_line_break_there_the_comma_goes() -> None:
    text = "Russia\n, Cuba commit to advance strategic partnership"
    assert _evidence(text, ", Cuba commit to advance strategic partnership", "Russia\n") == \
        "Cuba commit to advance strategic partnership"
    assert _evidence(text, ", Cuba commit to advance strategic partnership") == \
        "Cuba commit to advance strategic partnership"


def test_markdown_around_a_headline_and_a_closing_quote_left_over_go() -> None:
    text = "# *Russia rejects the blockade against Cuba*\n\n"
    assert _evidence(text, text) == "Russia rejects the blockade against Cuba"
    text = "“We are friends.” ” Lavrov praised the partnership."
    assert _evidence(text, "” Lavrov praised the partnership.") == \
        "Lavrov praised the partnership."


def test_what_belongs_to_the_words_stays() -> None:
    for sentence in ("“We reject the blockade,” Lavrov said.", "(Russia) backs Cuba.",
                     "$5 billion in aid to Cuba.", "'Never,' said Rodríguez.", "--"):
        assert _evidence(sentence, sentence) == sentence


@given(st.text(), st.integers(0, 40), st.integers(0, 40), st.booleans())
def test_evidence_lies_within_the_sentence_and_the_one_before(
        text: str, a: int, b: int, with_previous: bool) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    previous = (0, start) if with_previous else None
    first, last = evidence_span(text, start, end, previous)
    assert (0 if with_previous else start) <= first <= last <= end
    evidence = text[first:last]
    assert evidence == evidence.strip()
    if any(c.isalnum() for c in text[start:end]):
        assert evidence and not evidence[0].isspace() and evidence[0] not in ",;:#*"
