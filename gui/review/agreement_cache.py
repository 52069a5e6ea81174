"""Each compared document's sums, kept in the project between agreement runs.

Every agreement figure is a function of sums per document (``document_sums`` for the entity
side, ``stance_sums`` for the stance side), and computing them is nearly all of agreement's
work (reading 1.6 M entity rows and 90,000 stances, splitting sentences, matching spans and
frames). So each document's sums are stored in ``agreement_sums`` under a key naming what they
were computed from: the layout (the cache's format, the compared annotators, the labels,
targets and polarities) and the id and revision of each done set of the document. A warm run
reads 10,000 rows and adds them up; after edits, only the documents whose sets changed are
computed again, from their own rows.

Revisions are kept by the database (migrations._set_revisions): a trigger on every write to
``entities`` and ``stances`` marks the set changed, whoever writes (an edit, its undo, an
import, a merge, a script), so no code path can forget to. In a file a changed set's revision
is odd until ``stamp`` gives it a new even number, larger than any given before, at the start
of a run; a document with an odd (not yet stamped) set is computed and not stored. On a server
every change sets the revision to twice its transaction's id, so nothing needs stamping.

Storing is best effort, as for the units cache: a read-only or locked project computes every
document and keeps nothing, since a cache must never stop the figures.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Callable

import numpy as np

from gui.core.errors import MarginaliaError
from gui.core.schema import Schema
from gui.core.store import Project
from gui.review import document_sums
from gui.review.bootstrap import Progress
from gui.review.columns import ComparedSets, entity_columns, stance_rows
from gui.review.disputes import stance_disputes
from gui.review.document_sums import DocumentSums
from gui.review.entity_agreement import tokens_inside
from gui.review.sentence_units import SentenceUnits, sentence_units
from gui.review.sets import document_texts
from gui.review.stance_sums import stance_sums
from gui.review.unit_cache import document_units

STAMP_SETTING = "agreement_stamp"  # the largest revision a run has given


def stamp(project: Project) -> None:
    """Give every set changed since the last stamp (odd revision) one new even revision, larger
    than every revision stamped before in this file, so a (set, even revision) names one
    content forever, even when a set is deleted and its id used again. Best effort: a
    read-only or locked file stays as it is and its changed sets are not cached."""
    if project.dialect.name != "sqlite" or project.readonly or project.conn.in_transaction:
        return
    if project.conn.execute(
            "SELECT 1 FROM annotation_sets WHERE revision % 2 = 1 LIMIT 1").fetchone() is None:
        return
    with contextlib.suppress(MarginaliaError, sqlite3.Error), project.transaction() as conn:
        highest = max(int(project.setting(STAMP_SETTING, 0)), int(conn.execute(
            "SELECT max(revision) FROM annotation_sets").fetchone()[0] or 0))
        new = highest // 2 * 2 + 2
        conn.execute("UPDATE annotation_sets SET revision = ? WHERE revision % 2 = 1", (new,))
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) "
                     "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                     (STAMP_SETTING, json.dumps(new)))


def cached_document_sums(project: Project, sets: ComparedSets, schema: Schema,
                         progress: Progress | None = None,
                         cancelled: Callable[[], bool] | None = None
                         ) -> tuple[DocumentSums, SentenceUnits | None]:
    """The sums of every compared document: stored ones whose key still holds, the others
    computed over just those documents and stored; and the stance units of the computed
    documents (None when none was). ``progress`` and ``cancelled`` follow the one slow step,
    splitting the texts of computed documents the units cache lacks."""
    keys = _keys(sets, schema)
    stored = _read(project)
    rows: list[tuple[bytes, bytes] | None] = [
        found[1] if key is not None and (found := stored.get(doc_id)) is not None
        and found[0] == key else None
        for doc_id, key in zip(sets.document_ids.tolist(), keys, strict=True)
    ]
    missing = np.array([i for i, row in enumerate(rows) if row is None], dtype=np.int64)
    units = None
    if len(missing):
        units, fresh = _computed(project, sets.subset(missing), schema,
                                 2 * len(missing) > len(sets.document_ids), progress,
                                 cancelled)
        for index, data in zip(missing.tolist(), fresh, strict=True):
            rows[index] = data
        _store(project, [(int(sets.document_ids[i]), keys[i], *data)
                         for i, data in zip(missing.tolist(), fresh, strict=True)
                         if keys[i] is not None])
    return document_sums.unpack([row for row in rows if row is not None],
                                len(sets.annotators), schema), units


def _computed(project: Project, some: ComparedSets, schema: Schema, scan: bool,
              progress: Progress | None, cancelled: Callable[[], bool] | None
              ) -> tuple[SentenceUnits, list[tuple[bytes, bytes]]]:
    """The stance units and the packed sums of the documents of ``some``; ``scan``: read
    every entity and stance of the project rather than ask by set (most documents wanted)."""
    found = document_texts(project, some.document_ids.tolist())
    texts = [found[int(doc_id)][0] for doc_id in some.document_ids]
    units = document_units(project, some.document_ids, texts, some.stride, progress,
                           cancelled)
    stances = stance_rows(project, some, scan=scan)
    sentences = sentence_units(some, stances, units.sentence_start, units.sentence_end,
                               schema)
    entities = entity_columns(project, some, schema, scan=scan)
    stance = stance_sums(some, stances, texts, sentences, schema,
                         stance_disputes(some, stances))
    sums = document_sums.compute(some, entities, len(schema.labels),
                                 tokens_inside(entities, units.token_start, units.token_end),
                                 some.lengths, stance)
    return sentences, document_sums.pack(sums)


def _keys(sets: ComparedSets, schema: Schema) -> list[str | None]:
    """Each document's key: the layout's digest, then each annotator's done set id and its
    revision (-1 for none); None when a set changed since the last stamp (its sums are not
    kept)."""
    layout = hashlib.blake2b(document_sums.layout(sets.annotators, schema).encode(),
                             digest_size=12).hexdigest() + " "
    done = sets.set_ids >= 0
    changed = np.any(done & (sets.revisions % 2 == 1), axis=1).tolist()
    named = np.ascontiguousarray(np.column_stack([sets.set_ids, sets.revisions]),
                                 dtype="<i8")
    return [None if changed[i] else layout + row.tobytes().hex()
            for i, row in enumerate(named)]


def _read(project: Project) -> dict[int, tuple[str, tuple[bytes, bytes]]]:
    """Every stored row (the table holds only documents compared at some time): one scan
    costs less than asking for 10,000 ids."""
    return {doc_id: (key, (bytes(fixed), bytes(sections)))
            for doc_id, key, fixed, sections in project.conn.execute(
                "SELECT document_id, key, sums, sections FROM agreement_sums")}


def _store(project: Project, rows: list[tuple[int, str, bytes, bytes]]) -> None:
    if not rows or project.readonly or project.conn.in_transaction:
        return
    with contextlib.suppress(MarginaliaError, sqlite3.Error), project.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO agreement_sums(document_id, key, sums, sections) "
            "VALUES (?, ?, ?, ?)", rows)
