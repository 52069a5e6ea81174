"""An annotator's list in queue order: their queue (assigned to them, not done) first, then
every other document, each part paged and filtered like ``Project.list_documents``.

Kept apart from assignment.py, which plans and writes assignments, because the window's
first paint reads the list: importing the planner (its dataclasses and helpers) for it cost
that start ~1.6 ms of CPU that only assigning documents needs.
"""

from __future__ import annotations

from collections.abc import Iterable

from gui.core.store import Project

_MINE = "EXISTS (SELECT 1 FROM assignments a WHERE a.document_id = d.id AND a.annotator = ?)"
_QUEUED = f"({_MINE} AND coalesce(s.status, 'todo') != 'done')"


def has_assignments(project: Project, annotator: str) -> bool:
    return project.conn.execute("SELECT 1 FROM assignments WHERE annotator = ? LIMIT 1",
                                (annotator,)).fetchone() is not None


def list_part(project: Project, annotator: str, queue: bool, *,
              statuses: Iterable[str] | None = None, text: str = "", offset: int = 0,
              limit: int = 200) -> list[tuple[int, str, str, int, int]]:
    """(id, title, status, length, assigned) rows of the annotator's queue (assigned, not
    done) or of the rest, each in document order, filtered as ``Project.list_documents``.

    The queue without a word filter is read on the (annotator, document) index, so a queue
    of ten among 100,000 documents is found without walking them; the rest walks documents in
    id order and stops after one page, skipping queued ones on the primary key.
    """
    chosen = None if statuses is None else list(statuses)
    if queue and not text:
        status_clause = ("" if chosen is None else
                         f" AND coalesce(s.status, 'todo') IN ({','.join('?' * len(chosen))})")
        return project.conn.execute(
            "SELECT d.id, d.title, coalesce(s.status, 'todo'), d.length, 1 FROM assignments a "
            "JOIN documents d ON d.id = a.document_id LEFT JOIN annotation_sets s "
            "ON s.document_id = a.document_id AND s.annotator = a.annotator "
            f"WHERE a.annotator = ? AND coalesce(s.status, 'todo') != 'done'{status_clause} "
            "ORDER BY a.document_id LIMIT ? OFFSET ?",
            (annotator, *(chosen or ()), limit, offset)).fetchall()
    source, where, params, order = project._document_filter(annotator, chosen, text)
    condition = _QUEUED if queue else f"NOT {_QUEUED}"
    where = f"{where} AND {condition}" if where else f"WHERE {condition}"
    return project.conn.execute(
        f"SELECT d.id, d.title, coalesce(s.status, 'todo'), d.length, {_MINE} FROM {source} "
        f"{where} ORDER BY {order} LIMIT ? OFFSET ?",
        (annotator, *params, annotator, limit, offset)).fetchall()
