"""What to export, and the records it yields, read from the project in chunks.

Why it looks like this: a project may hold 100,000 documents, so nothing here loads them all.
Documents are walked in id order with a keyset cursor (``id > last``), a chunk at a time, and
each chunk's annotation sets, entities and stances come from three range queries over the
chunk's id range. Only one chunk of texts is in memory at any moment, and the cost per chunk
does not grow with the position in the project (unlike ``OFFSET``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from gui.core.errors import MarginaliaError
from gui.core.migrations import STATUSES
from gui.core.store import GOLD, Project

CHUNK = 500  # documents per read: small enough to stay light, large enough to be fast


class ExportError(MarginaliaError):
    """An export request the project or the file system cannot satisfy."""


class TargetExists(ExportError):
    """The output already exists: the window asks, then exports again with ``force=True``."""


@dataclass(slots=True)
class ExportRecord:
    """One document with one annotation set (or the pre-fill, or nothing: ``annotated``)."""

    document_id: int
    text: str
    title: str
    source: str
    date: str
    url: str
    meta: dict[str, Any]
    annotated: bool
    annotator: str | None = None
    status: str | None = None
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    # (start, end, target, polarity, holder_start, holder_end)
    stances: list[tuple[int, int, str, str, int | None, int | None]] = field(default_factory=list)
    model: str | None = None  # pre-fill only: what made the suggestions
    model_version: str | None = None


@dataclass(frozen=True)
class Selection:
    """A checked export request. ``mode`` is "sets" (annotators' sets) or "prefill"."""

    mode: str
    annotator: str | None  # "sets" only: one annotator (GOLD for gold), or None for all
    statuses: tuple[str, ...] | None
    include_empty: bool

    def describe(self) -> str:
        if self.mode == "prefill":
            what = "pre-fill"
        elif self.annotator == GOLD:
            what = "gold"
        elif self.annotator is None:
            what = "all annotators"
        else:
            what = f"annotator {self.annotator}"
        if self.statuses:
            what += f", status {'/'.join(self.statuses)}"
        return what


def select(
    project: Project,
    *,
    annotator: str | None = None,
    gold: bool = False,
    prefill: bool = False,
    statuses: set[str] | None = None,
    include_empty: bool = False,
) -> Selection:
    """Check a request against the project; refuse it with one line if it cannot be met."""
    if sum((annotator is not None, gold, prefill)) > 1:
        raise ExportError("choose one of an annotator, the gold set or the pre-fill")
    chosen: tuple[str, ...] | None = None
    if statuses:
        unknown = sorted(set(statuses) - set(STATUSES))
        if unknown:
            names = ", ".join(map(repr, unknown))
            raise ExportError(f"unknown status {names} (choose from {', '.join(STATUSES)})")
        chosen = tuple(s for s in STATUSES if s in statuses)
    if prefill:
        if chosen:
            raise ExportError("the pre-fill has no status; --status applies to annotators' sets")
        return Selection("prefill", None, None, include_empty)
    if gold:
        has_gold = project.conn.execute(
            "SELECT 1 FROM annotation_sets WHERE annotator = ? LIMIT 1", (GOLD,)
        ).fetchone()
        if has_gold is None:
            raise ExportError(
                "has no gold set yet (resolve disagreements in review mode first)",
                path=project.path,
            )
        return Selection("sets", GOLD, chosen, include_empty)
    if annotator is not None:
        name = annotator.strip()
        if name == GOLD:
            return select(project, gold=True, statuses=statuses, include_empty=include_empty)
        if project.annotator_role(name) is None:
            known = project.annotators()
            hint = f"annotators: {', '.join(known)}" if known else "nobody has annotated yet"
            raise ExportError(f"has no annotator {name!r} ({hint})", path=project.path)
        return Selection("sets", name, chosen, include_empty)
    return Selection("sets", None, chosen, include_empty)


def _set_filter(selection: Selection) -> tuple[str, list[Any]]:
    """SQL condition on ``annotation_sets s`` for the chosen sets."""
    if selection.annotator is None:
        clauses, params = ["s.annotator != ?"], [GOLD]  # gold is exported on its own (--gold)
    else:
        clauses, params = ["s.annotator = ?"], [selection.annotator]
    if selection.statuses:
        clauses.append(f"s.status IN ({','.join('?' * len(selection.statuses))})")
        params.extend(selection.statuses)
    return " AND ".join(clauses), params


def _document_filter(selection: Selection) -> tuple[str, list[Any]]:
    """SQL condition on ``documents d``: the documents that yield at least one record."""
    if selection.include_empty:
        return "1", []
    if selection.mode == "prefill":
        return (
            "(EXISTS (SELECT 1 FROM prefill_runs r WHERE r.document_id = d.id) "
            "OR EXISTS (SELECT 1 FROM prefill_entities p WHERE p.document_id = d.id) "
            "OR EXISTS (SELECT 1 FROM prefill_stances p WHERE p.document_id = d.id))",
            [],
        )
    condition, params = _set_filter(selection)
    return f"EXISTS (SELECT 1 FROM annotation_sets s WHERE s.document_id = d.id AND {condition})", (
        params
    )


def count_documents(project: Project, selection: Selection) -> int:
    condition, params = _document_filter(selection)
    return project.conn.execute(
        f"SELECT count(*) FROM documents d WHERE {condition}", params
    ).fetchone()[0]


def iter_records(
    project: Project,
    selection: Selection,
    *,
    chunk: int | None = None,
    on_chunk: Callable[[int], None] | None = None,
) -> Iterator[ExportRecord]:
    """Records in document order (then annotator name); ``on_chunk(documents)`` after each
    chunk, where a caller reports progress and may raise to stop."""
    chunk = chunk or CHUNK
    condition, params = _document_filter(selection)
    conn = project.conn
    last = -1
    while True:
        documents = conn.execute(
            "SELECT d.id, d.text, d.title, d.source, d.date, d.url, d.meta FROM documents d "
            f"WHERE d.id > ? AND {condition} ORDER BY d.id LIMIT ?",
            (last, *params, chunk),
        ).fetchall()
        if not documents:
            return
        first, last = documents[0][0], documents[-1][0]
        if selection.mode == "prefill":
            yield from _prefill_records(project, documents, first, last, selection.include_empty)
        else:
            yield from _set_records(project, selection, documents, first, last)
        if on_chunk is not None:
            on_chunk(len(documents))


def _document_record(row: tuple[Any, ...], **annotation: Any) -> ExportRecord:
    doc_id, text, title, source, date, url, meta = row
    return ExportRecord(
        doc_id, text, title or "", source or "", date or "", url or "", json.loads(meta or "{}"),
        **annotation,
    )


def _set_records(
    project: Project, selection: Selection, documents: list[tuple], first: int, last: int
) -> Iterator[ExportRecord]:
    conn = project.conn
    condition, params = _set_filter(selection)
    in_range = f"s.document_id BETWEEN ? AND ? AND {condition}"
    sets: dict[int, list[tuple[int, str, str]]] = {}
    for set_id, doc_id, annotator, status in conn.execute(
        f"SELECT s.id, s.document_id, s.annotator, s.status FROM annotation_sets s "
        f"WHERE {in_range} ORDER BY s.document_id, s.annotator",
        (first, last, *params),
    ):
        sets.setdefault(doc_id, []).append((set_id, annotator, status))
    entities: dict[int, list[tuple[int, int, str]]] = {}
    for set_id, start, end, label in conn.execute(
        'SELECT e.set_id, e.start, e."end", e.label FROM annotation_sets s '
        f'JOIN entities e ON e.set_id = s.id WHERE {in_range} ORDER BY e.set_id, e.start, e."end", '
        "e.id",
        (first, last, *params),
    ):
        entities.setdefault(set_id, []).append((start, end, label))
    stances: dict[int, list[tuple]] = {}
    for set_id, *stance in conn.execute(
        'SELECT t.set_id, t.start, t."end", t.target, t.polarity, t.holder_start, t.holder_end '
        f"FROM annotation_sets s JOIN stances t ON t.set_id = s.id WHERE {in_range} "
        'ORDER BY t.set_id, t.start, t."end", t.id',
        (first, last, *params),
    ):
        stances.setdefault(set_id, []).append(tuple(stance))
    for row in documents:
        chosen = sets.get(row[0])
        if not chosen:
            yield _document_record(row, annotated=False)
            continue
        for set_id, annotator, status in chosen:
            yield _document_record(
                row, annotated=True, annotator=annotator, status=status,
                entities=entities.get(set_id, []), stances=stances.get(set_id, []),
            )


def _prefill_records(
    project: Project, documents: list[tuple], first: int, last: int, include_empty: bool
) -> Iterator[ExportRecord]:
    conn = project.conn
    runs = {
        doc_id: (model, version)
        for doc_id, model, version in conn.execute(
            "SELECT document_id, model, model_version FROM prefill_runs "
            "WHERE document_id BETWEEN ? AND ?",
            (first, last),
        )
    }
    entities: dict[int, list[tuple[int, int, str]]] = {}
    models: dict[int, tuple[str, str]] = {}
    for doc_id, start, end, label, model, version in conn.execute(
        'SELECT document_id, start, "end", label, model, model_version FROM prefill_entities '
        'WHERE document_id BETWEEN ? AND ? ORDER BY document_id, start, "end", id',
        (first, last),
    ):
        entities.setdefault(doc_id, []).append((start, end, label))
        models.setdefault(doc_id, (model, version))
    stances: dict[int, list[tuple]] = {}
    for doc_id, *stance, model, version in conn.execute(
        'SELECT document_id, start, "end", target, polarity, holder_start, holder_end, model, '
        'model_version FROM prefill_stances WHERE document_id BETWEEN ? AND ? '
        'ORDER BY document_id, start, "end", id',
        (first, last),
    ):
        stances.setdefault(doc_id, []).append(tuple(stance))
        models.setdefault(doc_id, (model, version))
    for row in documents:
        doc_id = row[0]
        made_by = runs.get(doc_id) or models.get(doc_id)
        if made_by is None:
            if include_empty:
                yield _document_record(row, annotated=False)
            continue
        yield _document_record(
            row, annotated=True, entities=entities.get(doc_id, []),
            stances=stances.get(doc_id, []), model=made_by[0], model_version=made_by[1],
        )
