"""How far down the holder popup the gold holder sits (gui/core/holder_choices.py).

Over the development sets' gold stances with a holder (starter.SETS: held-out sets are not
read), the popup's entries are made from the article's gold entities as the popup makes them
from an annotator's, and the gold holder's place among them is counted by its text: first
(key 1), among the first three, among the first nine (the keyed ones)::

    python -m benchmarks.holder_popup
"""

from __future__ import annotations

import json
from pathlib import Path

from gui.core.holder_choices import holder_choices
from gui.core.schema import load_schema
from gui.core.store import Entity
from gui.nlp.starter import SETS

CHECKOUT = Path(__file__).resolve().parent.parent


def main() -> None:
    schema = load_schema()
    people = next((e.label for e in schema.entities if schema.can_hold(e.label)), None)
    held = first = three = nine = 0
    for folder in SETS:
        for line in (CHECKOUT / folder / "articles.jsonl").open(encoding="utf-8"):
            record = json.loads(line)
            text = record["text"]
            entities = [Entity(0, s["start"], s["end"], s["label"])
                        for s in record.get("spans", [])]
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
    print(f"{held} gold stances with a holder: first {first / held:.3f}, "
          f"among three {three / held:.3f}, among nine {nine / held:.3f}")


if __name__ == "__main__":
    main()
