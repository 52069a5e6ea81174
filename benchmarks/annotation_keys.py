"""How the annotation keys fit the way people annotate: where the gold holder sits in the
holder popup (gui/core/holder_choices.py), and how often a gold stance repeats the one before
it (the same-again key, AnnotationController.repeat_stance).

Over the development sets' gold (starter.SETS: held-out sets are not read). The popup's
entries are made from each article's gold entities as the popup makes them from an
annotator's, and the gold holder's place among them is counted by its text: first (key 1),
among the first three, among the first nine (the keyed ones). A stance repeats the one before
it when, in text order, the target, the polarity and the holder's text (or both no holder)
are the same; or the target and polarity alone::

    python -m benchmarks.annotation_keys
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gui.core.holder_choices import holder_choices
from gui.core.schema import load_schema
from gui.core.store import Entity
from gui.nlp.starter import SETS

CHECKOUT = Path(__file__).resolve().parent.parent


def _records() -> Iterator[dict[str, Any]]:
    for folder in SETS:
        with (CHECKOUT / folder / "articles.jsonl").open(encoding="utf-8") as lines:
            yield from (json.loads(line) for line in lines)


def holder_places() -> str:
    schema = load_schema()
    people = schema.first_holder_label()
    held = first = three = nine = 0
    for record in _records():
        text = record["text"]
        entities = [Entity(0, s["start"], s["end"], s["label"]) for s in record.get("spans", [])]
        for stance in record.get("stances", []):
            holder = stance.get("holder")
            if not holder:
                continue
            held += 1
            names = [text[c.entity.start:c.entity.end].casefold() for c in holder_choices(
                entities, stance["start"], stance["end"], text, schema.can_hold, people)]
            wanted = text[holder["start"]:holder["end"]].casefold()
            place = names.index(wanted) + 1 if wanted in names else len(names) + 1
            first += place == 1
            three += place <= 3
            nine += place <= 9
    return (f"holder popup: {held} gold stances with a holder; the gold holder first "
            f"{first / held:.3f}, among three {three / held:.3f}, among nine {nine / held:.3f}")


def repeats() -> str:
    stances = same = same_target_polarity = 0
    for record in _records():
        text = record["text"]
        before = None
        for stance in sorted(record.get("stances", []), key=lambda s: s["start"]):
            holder = stance.get("holder")
            this = (stance["target"], stance["polarity"],
                    text[holder["start"]:holder["end"]].casefold() if holder else None)
            stances += 1
            if before is not None:
                same += this == before
                same_target_polarity += this[:2] == before[:2]
            before = this
    return (f"same again: {stances} gold stances; the one before repeated exactly "
            f"{same / stances:.3f} ({same}), its target and polarity "
            f"{same_target_polarity / stances:.3f} ({same_target_polarity})")


if __name__ == "__main__":
    print(holder_places())
    print(repeats())
