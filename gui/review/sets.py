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


def load_done_sets(project: Project, document_ids: Iterable[int] | None = None, *,
                   minimum: int = 2) -> Compared:
    """Documents that ``minimum`` or more annotators marked done (two: what agreement and
    review compare), with each of those sets."""
    wanted = None if document_ids is None else sorted({int(d) for d in document_ids})
    # A handful of documents (the review window) are filtered in SQL; all of them are read
    # in one sweep each.
    only = "" if wanted is None else f" AND s.document_id IN ({','.join(map(str, wanted))})"
    by_doc: dict[int, dict[str, DoneSet]] = defaultdict(dict)
    for set_id, doc_id, annotator in project.conn.execute(
        "SELECT s.id, s.document_id, s.annotator FROM annotation_sets s "
        f"WHERE s.status = 'done' AND s.annotator != ?{only} ORDER BY s.document_id, s.annotator",
        (GOLD,),
    ):
        by_doc[doc_id][annotator] = DoneSet(set_id, doc_id, annotator)
    compared = {doc: sets for doc, sets in by_doc.items() if len(sets) >= minimum}
    by_set = {s.set_id: s for sets in compared.values() for s in sets.values()}
    # No ORDER BY: sorting millions of rows in SQLite costs more than sorting each small set.
    for row in project.conn.execute(
        "SELECT e.set_id, e.start, e.\"end\", e.label FROM entities e "
        "JOIN annotation_sets s ON s.id = e.set_id WHERE s.status = 'done' AND s.annotator != ?"
        f"{only}",
        (GOLD,),
    ):
        done = by_set.get(row[0])
        if done is not None:
            done.entities.append(row[1:])
    for row in project.conn.execute(
        "SELECT t.set_id, t.start, t.\"end\", t.target, t.polarity, t.holder_start, "
        "t.holder_end FROM stances t JOIN annotation_sets s ON s.id = t.set_id "
        f"WHERE s.status = 'done' AND s.annotator != ?{only}",
        (GOLD,),
    ):
        done = by_set.get(row[0])
        if done is not None:
            done.stances.append(row[1:])
    for sets in compared.values():
        for done in sets.values():
            done.entities.sort()
            done.stances.sort(key=item_key)
    return compared


def item_key(item: tuple) -> tuple:
    """Sort key of an entity or stance tuple: text order, an absent holder (None) first."""
    return tuple(-1 if value is None else value for value in item)


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
