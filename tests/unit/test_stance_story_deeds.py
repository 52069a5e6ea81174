"""A deed of a relation's own side with the other side named only elsewhere in the story
(docs/prefill.md, "a deed of the relation's own side"). Every sentence is written for this
file; beside each rule stands a sentence of the same shape that must stay without it."""

from __future__ import annotations

from tests.unit.test_stance_precision import targets
from tests.unit.test_stance_rules import PARTNERSHIP, suggest

STORY = "Blackouts spread across Cuba on Monday as the grid failed again.\n\n"


def test_a_russian_deed_in_a_story_about_cuba(statistical) -> None:
    found = suggest(statistical, STORY + "A technical team from Moscow will train local crews.")
    assert (PARTNERSHIP, "favor") in targets(found)
    found = suggest(statistical, STORY + "Russia has sent fuel, wheat and engineers.")
    assert (PARTNERSHIP, "favor", "Russia") in found


def test_not_without_the_other_side_in_the_story(statistical) -> None:
    text = "Blackouts spread across Chile on Monday.\n\nRussia has sent fuel, wheat and engineers."
    assert (PARTNERSHIP, "favor") not in targets(suggest(statistical, text))


def test_not_the_shared_sides_deed(statistical) -> None:
    # Cuba is a side of two relations: its deed alone says not which
    text = ("Russia and the United States traded accusations on Monday.\n\n"
            "Cuba has sent doctors to forty countries.")
    assert (PARTNERSHIP, "favor") not in targets(suggest(statistical, text))


def test_not_told_by_someone_of_no_side(statistical) -> None:
    text = STORY + '"The Russians send oil to the government," said Marta Ruiz, a teacher.'
    assert (PARTNERSHIP, "favor") not in targets(suggest(statistical, text))
