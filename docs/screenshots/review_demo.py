"""Build the demonstration project the review screenshots show (generated, not real work).

    python docs/screenshots/review_demo.py /tmp/demo.marginalia

The sample corpus is imported and pre-filled with the installed pipeline; then four people
work through it over four weeks, with the project's own edit commands (so the history and
every timestamp are what the window would have written). Each document has one plan of what
is wrong with its suggestions (less each week, as if the pre-fill were improving): ana makes
92% of those corrections, dee 85%, cy 8%, and ben none: he keeps every suggestion. lee is
the reviewer. A fixed seed makes the same project every time.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import gui.core.edits as edits
import gui.core.store as store
from gui.core.edits import (
    AddEntity,
    AddStance,
    ChangeEntity,
    ChangeStance,
    RemoveEntity,
    RemoveStance,
    SetStatus,
)
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.nlp.prefill import prefill_project
from gui.review.units import sentence_spans

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


class Clock:
    """Stands in for ``store.now`` so each week's work is stamped in that week."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> str:
        self.at += timedelta(seconds=7)
        return self.at.isoformat(timespec="milliseconds")


def plan(project: Project, doc: int, error: float) -> dict:
    """What a careful reader would change in a document's suggestions: the same for everyone
    (one generator per document), so careful annotators mostly agree on their corrections."""
    rng = random.Random(doc)
    schema = project.schema
    text = project.document(doc).text
    labels = list(schema.labels)
    entities = project.prefill_entities(doc)
    decided: dict[tuple, tuple] = {}
    for e in entities:
        roll = rng.random()
        if roll < error * 0.4:
            decided[(e.start, e.end, e.label)] = ("label", rng.choice(
                [label for label in labels if label != e.label]))
        elif roll < error * 0.7 and " " in text[e.start:e.end]:
            decided[(e.start, e.end, e.label)] = ("start", text.index(" ", e.start) + 1)
        elif roll < error:
            decided[(e.start, e.end, e.label)] = ("delete",)
    for s in project.prefill_stances(doc):
        roll = rng.random()
        if roll < error * 0.5:
            decided[(s.start, s.end, s.target)] = ("polarity", rng.choice(
                [p for p in schema.polarities if p != s.polarity]))
        elif roll < error * 0.9 and entities:
            holder = rng.choice(entities)
            decided[(s.start, s.end, s.target)] = ("holder", (holder.start, holder.end))
        elif roll < error:
            decided[(s.start, s.end, s.target)] = ("delete",)
    covered = [(e.start, e.end) for e in entities]
    words = [(start, start + len(w)) for start, w in _capitalised(text)
             if not any(a < start + len(w) and start < b for a, b in covered)]
    added = [(*span, rng.choice(labels)) for span in rng.sample(words, min(len(words),
                                                                         round(error * 10)))]
    sentences = sentence_spans(text)
    stance = ((*rng.choice(sentences), rng.choice(schema.target_names),
               rng.choice(schema.polarities)) if sentences and rng.random() < error * 2 else None)
    return {"decided": decided, "added": added, "stance": stance}


def correct(project: Project, doc: int, who: str, planned: dict, diligence: float,
            rng: random.Random) -> None:
    """Make each planned correction with probability ``diligence``; keep the rest as
    suggested."""
    project.ensure_set(doc, who)
    aset = project.annotation_set(doc, who)
    decided = planned["decided"]
    for entity in aset.entities:
        change = decided.get((entity.start, entity.end, entity.label))
        if change is None or rng.random() >= diligence:
            continue
        if change[0] == "delete":
            RemoveEntity(doc, who, entity.id).apply(project)
        else:
            ChangeEntity(doc, who, entity.id, {change[0]: change[1]}).apply(project)
    for stance in aset.stances:
        change = decided.get((stance.start, stance.end, stance.target))
        if change is None or rng.random() >= diligence:
            continue
        if change[0] == "delete":
            RemoveStance(doc, who, stance.id).apply(project)
        else:
            ChangeStance(doc, who, stance.id, {change[0]: change[1]}).apply(project)
    for start, end, label in planned["added"]:
        if rng.random() < diligence:
            AddEntity(doc, who, start, end, label).apply(project)
    if planned["stance"] is not None and rng.random() < diligence:
        AddStance(doc, who, *planned["stance"]).apply(project)


def _capitalised(text: str) -> list[tuple[int, str]]:
    found, position = [], 0
    for word in text.split():
        position = text.index(word, position)
        clean = word.strip(".,;:\"'()")
        if clean[:1].isupper() and len(clean) > 3:
            found.append((text.index(clean, position), clean))
        position += len(word)
    return found


def build(path: Path) -> None:
    clock = Clock()
    store.now = edits.now = clock  # the edits stamp their own time through these names
    Project.create(path, load_schema()).close()
    with Project.open(path) as project:
        import_files(project, sorted(SAMPLE.glob("*.txt")))
        prefill_project(project)
        project.ensure_annotator("lee", "reviewer")
        rng = random.Random(14)
        documents = project.document_ids()
        for number, doc in enumerate(documents):
            week = number * 4 // len(documents)
            clock.at = START + timedelta(weeks=week, days=number % 3)
            planned = plan(project, doc, error=0.4 - 0.08 * week)
            for who, diligence in (("ana", 0.92), ("dee", 0.85), ("cy", 0.08)):
                correct(project, doc, who, planned, diligence, rng)
            for who in ("ana", "dee", "ben", "cy"):
                SetStatus(doc, who, "done").apply(project)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
