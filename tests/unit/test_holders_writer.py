"""Holders, eleventh round (docs/prefill.md): in a signed opinion piece's own voice, a stance
against the line of the side its named party speaks for is the author's, who judges the party
("The Kremlin wants a foothold…": against the partnership, the writer's); a stance along the
line stays the party's, and so does the same sentence in news copy or in a quotation."""

from __future__ import annotations

import pytest

from gui.nlp.stance_findings import NEUTRAL
from gui.nlp.stance_model import NONE, sentences
from tests.unit.test_holder_background import starter
from tests.unit.test_stance_rules import _FINDERS, PARTNERSHIP, statistical, suggest
from tests.unit.test_train import answering

__all__ = ["starter", "statistical"]  # the fixtures, imported for pytest

OPINION = "Opinion: Stop feeding the regime\n\nBy Helen Okafor\n\n"
NEWS = "HAVANA, May 3 (Reuters) - Officials met on Tuesday.\n\n"
JUDGED = "The Kremlin wants a foothold ninety miles from Florida."


def judged(statistical, text: str, polarity: str) -> str | None:
    """Who holds ``polarity`` on the partnership in the text's last sentence, where the
    holder finder named the Kremlin."""
    suggest(statistical, "Moscow.")  # the finder for this pipeline, built once
    finder = _FINDERS[id(statistical)]
    doc = statistical.nlp(text)
    reading = finder.read(doc, text)
    sent = reading.context.sents[-1]
    kremlin = next(e for e in doc.ents if e.text == "Kremlin")
    found = finder.writer_judges(sent, kremlin, PARTNERSHIP, polarity, reading)
    return found.text if found is not None else None


@pytest.mark.parametrize(("text", "polarity", "holder"), [
    (OPINION + JUDGED, "against", "Helen Okafor"),
    (OPINION + JUDGED, "favor", "Kremlin"),  # along Russia's line: the party's own
    (OPINION + JUDGED, NEUTRAL, "Kremlin"),
    (NEWS + JUDGED, "against", "Kremlin"),  # news copy's own voice judges nobody
    (OPINION + f'"{JUDGED[:-1]}," a senator said.', "against", "Kremlin"),  # someone's words
])
def test_a_party_an_opinion_piece_judges_gives_the_author_the_stance(
        statistical, text: str, polarity: str, holder: str) -> None:
    assert judged(statistical, text, polarity) == holder


def test_the_classifiers_stance_against_the_partys_line_is_the_authors(
        starter, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same for a stance only the classifier found, whose answers are stood in for."""
    prefiller, model = starter
    doc = prefiller.loaded.nlp(OPINION + JUDGED)
    sure = {p: 0.0 for p in (*model.polarities, NONE)} | {"against": 0.9, NONE: 0.1}
    unsure = {p: 1 / len(sure) for p in sure}
    *before, (last, previous) = sentences(doc)
    monkeypatch.setattr(model, "threshold", 0.6)
    monkeypatch.setattr(model, "_scored", answering(model, [
        *((sent, was, {t: dict(unsure) for t in model.targets}) for sent, was in before),
        (last, previous, {t: dict(sure if t == PARTNERSHIP else unsure)
                          for t in model.targets})]))
    found = [s for s in model.combine(doc, 0, []) if s.target == PARTNERSHIP]
    assert [(s.polarity, doc.text[slice(*s.holder)]) for s in found] == [
        ("against", "Helen Okafor")]
