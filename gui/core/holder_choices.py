"""Whom the holder popup offers for a stance, likeliest first: the entities inside its evidence,
then each other name of the document once.

Why: a stance's holder is often named outside its evidence. "He said the embargo must end"
is the stance of the minister named a sentence before; a statement's issuer heads the
article. Two in five gold holders of the development sets lie outside their evidence, and
the pre-fill suggests such holders, so a person correcting one must be able to pick them
(the popup once offered only the evidence's entities, in text order).

Of six orders compared on the development sets' 2,908 gold stances with a holder (their
gold entities standing for an annotator's), this one put the gold holder first most often:
the key-1 entry on 58%, one of the first three on 86%, one of the nine keyed on 98% (``python
-m benchmarks.annotation_keys``), against 38%, 59% and 84% for the evidence's entities in
text order and then the other names by distance alone (a scratch comparison):

* inside the evidence: people (the schema's first label that can hold) before the rest, each
  in text order;
* outside it, one mention per name (its text, any case, and label): people before the rest,
  then names before the evidence before those only after it (a pronoun points back; a
  quotation's speaker after it is usually inside its sentence), then nearest first, each at
  its mention that ranks so (the nearest before the evidence, else the nearest after).

A name also inside the evidence is offered there only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from gui.core.store import Entity


@dataclass(frozen=True)
class HolderChoice:
    entity: Entity
    inside: bool  # within the evidence
    earlier: bool  # outside it, named before it


def holder_choices(entities: Iterable[Entity], start: int, end: int, text: str,
                   can_hold: Callable[[str], bool], people: str | None) -> list[HolderChoice]:
    """The entities that can hold a stance on ``text[start:end]``, in the module's order;
    ``people`` is the label offered first."""
    holders = sorted((e for e in entities if can_hold(e.label)), key=lambda e: (e.start, e.end))
    inside = sorted((e for e in holders if start <= e.start and e.end <= end),
                    key=lambda e: e.label != people)  # stable: text order within each
    seen = {(text[e.start:e.end].casefold(), e.label) for e in inside}
    nearest: dict[tuple[str, str], tuple[tuple[bool, bool, int], Entity]] = {}
    for entity in holders:
        if start <= entity.start and entity.end <= end:
            continue
        earlier = entity.start < start
        distance = max(0, start - entity.end) if earlier else max(0, entity.start - end)
        name = (text[entity.start:entity.end].casefold(), entity.label)
        rank = (entity.label != people, not earlier, distance)
        if name not in seen and (name not in nearest or rank < nearest[name][0]):
            nearest[name] = (rank, entity)
    outside = sorted(nearest.values(), key=lambda found: found[0])
    return [HolderChoice(e, True, False) for e in inside] + [
        HolderChoice(e, False, e.start < start) for _rank, e in outside]
