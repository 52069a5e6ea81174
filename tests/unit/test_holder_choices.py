"""Whom the holder popup offers: the evidence's entities, then each other name once, nearest
first (gui/core/holder_choices.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gui.core.holder_choices import holder_choices
from gui.core.store import Entity

TEXT = ("Sergei Lavrov arrived in Havana on Monday. He said the embargo must end. "
        "Havana agreed, said Lavrov.")


def _entity(word: str, label: str, nth: int = 0) -> Entity:
    at = -1
    for _ in range(nth + 1):
        at = TEXT.index(word, at + 1)
    return Entity(0, at, at + len(word), label)


def _can_hold(label: str) -> bool:
    return label != "DATE"


def _offered(entities: list[Entity], sentence: str) -> list[tuple[str, bool, bool]]:
    start = TEXT.index(sentence)
    return [(TEXT[c.entity.start:c.entity.end], c.inside, c.earlier)
            for c in holder_choices(entities, start, start + len(sentence), TEXT, _can_hold,
                                  "PERSON")]


ENTITIES = [_entity("Sergei Lavrov", "PERSON"), _entity("Havana", "GPE"),
            _entity("Monday", "DATE"), _entity("Havana", "GPE", 1), _entity("Lavrov", "PERSON", 1)]


def test_a_pronoun_sentence_offers_people_first_then_names_before_it_then_nearest() -> None:
    assert _offered(ENTITIES, "He said the embargo must end.") == [
        ("Sergei Lavrov", False, True),
        ("Lavrov", False, False),  # named only after it
        ("Havana", False, True),  # at its mention before the sentence, though one after is nearer
    ]


def test_at_the_same_distance_the_earlier_name_comes_first() -> None:
    text = "Ana: yes. Bo: no."
    ana, bo = Entity(0, 0, 3, "PERSON"), Entity(0, 10, 12, "PERSON")
    offered = holder_choices([bo, ana], 5, 8, text, _can_hold, "PERSON")
    assert [c.entity for c in offered] == [ana, bo]


def test_the_evidence_s_own_entities_come_first_people_first_and_are_not_repeated() -> None:
    assert _offered(ENTITIES, "Havana agreed, said Lavrov.") == [
        ("Lavrov", True, False), ("Havana", True, False), ("Sergei Lavrov", False, True)]


def test_dates_are_no_one_s_stance() -> None:
    assert ("Monday", False, True) not in _offered(ENTITIES, "He said the embargo must end.")


@given(st.lists(st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 12),
                          st.sampled_from(["PERSON", "GPE", "DATE"])), max_size=12),
       st.integers(0, len(TEXT) - 1), st.integers(1, 40))
def test_every_name_that_can_hold_is_offered_once(spans, start, length) -> None:
    end = min(len(TEXT), start + length)
    entities = [Entity(0, s, min(len(TEXT), s + n), label) for s, n, label in spans]
    choices = holder_choices(entities, start, end, TEXT, _can_hold, "PERSON")
    names = [(TEXT[c.entity.start:c.entity.end], c.entity.label) for c in choices]
    inside = [c for c in choices if c.inside]
    assert choices[:len(inside)] == inside
    assert all(start <= c.entity.start and c.entity.end <= end for c in inside)
    wanted = {(TEXT[e.start:e.end], e.label) for e in entities if _can_hold(e.label)}
    assert set(names) == wanted
    assert len(names[len(inside):]) == len(set(names[len(inside):]))
    assert not {n for c, n in zip(choices, names, strict=True) if not c.inside} & {
        n for c, n in zip(choices, names, strict=True) if c.inside}
