"""Annotators' finished sets, read in bulk: what agreement and review compare.

Only sets marked ``done`` count: a set still in progress is not an annotator's answer yet.
The gold set is never one of the compared sets. Reading every set with four queries (not one
per document) is what keeps agreement over 10,000 documents quick.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from gui.core.store import GOLD, Project

EntityKey = tuple[int, int, str]  # start, end, label
StanceKey = tuple[int, int, str, str, int | None, int | None]  # + target, polarity, holder


@dataclass
class DoneSet:
    set_id: int
    document_id: int
    annotator: str
    entities: list[EntityKey] = field(default_factory=list)
    stances: list[StanceKey] = field(default_factory=list)


Compared = dict[int, dict[str, DoneSet]]  # document id -> annotator -> set


def load_done_sets(project: Project, document_ids: Iterable[int] | None = None) -> Compared:
    """Documents that two or more annotators marked done, with each of those sets."""
    wanted = None if document_ids is None else sorted({int(d) for d in document_ids})
    # A handful of documents (the review window) are filtered in SQL; all of them are read
    # in one sweep each.
    only = "" if wanted is None else f" AND s.document_id IN ({','.join(map(str, wanted))})"
    by_doc: dict[int, dict[str, DoneSet]] = defaultdict(dict)
    by_set: dict[int, DoneSet] = {}
    for set_id, doc_id, annotator in project.conn.execute(
        "SELECT s.id, s.document_id, s.annotator FROM annotation_sets s "
        f"WHERE s.status = 'done' AND s.annotator != ?{only} ORDER BY s.document_id, s.annotator",
        (GOLD,),
    ):
        done = DoneSet(set_id, doc_id, annotator)
        by_doc[doc_id][annotator] = done
        by_set[set_id] = done
    compared = {doc: sets for doc, sets in by_doc.items() if len(sets) >= 2}
    kept = {s.set_id for sets in compared.values() for s in sets.values()}
    for set_id, start, end, label in project.conn.execute(
        "SELECT e.set_id, e.start, e.\"end\", e.label FROM entities e "
        "JOIN annotation_sets s ON s.id = e.set_id WHERE s.status = 'done' AND s.annotator != ?"
        f"{only} ORDER BY e.set_id, e.start, e.\"end\", e.label",
        (GOLD,),
    ):
        if set_id in kept:
            by_set[set_id].entities.append((start, end, label))
    for set_id, *row in project.conn.execute(
        "SELECT t.set_id, t.start, t.\"end\", t.target, t.polarity, t.holder_start, "
        "t.holder_end FROM stances t JOIN annotation_sets s ON s.id = t.set_id "
        f"WHERE s.status = 'done' AND s.annotator != ?{only} "
        "ORDER BY t.set_id, t.start, t.\"end\"",
        (GOLD,),
    ):
        if set_id in kept:
            by_set[set_id].stances.append(tuple(row))  # type: ignore[arg-type]
    return compared


def document_texts(project: Project, document_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(text, title) of each document, fetched in chunks of 500 ids."""
    ids = list(document_ids)
    found: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, text, title in project.conn.execute(
            f"SELECT id, text, title FROM documents WHERE id IN ({marks})", chunk
        ):
            found[doc_id] = (text, title)
    return found
