"""The project file's tables, as ordered migrations keyed by ``PRAGMA user_version``.

Each migration runs inside the transaction that also bumps ``user_version``, so a project is
always at exactly one version. Append new migrations; never edit a released one.
Constraints live in the database itself (foreign keys and triggers), so no code path, ours or
a script's, can store a span outside its text or a label the schema lacks.

A migration that takes long (an index over every text) reports its progress through
``report_progress``; whoever opens the project says where it goes with ``reporting`` (a bar
on the terminal, a progress dialog in the window), so no signature changes for it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils (and the numpy it imports) only when a migration runs
    from sqlite_utils import Database
    from sqlite_utils.db import ForeignKey

Progress = Callable[[int, int], None]  # (done, total)
_progress: ContextVar[Progress | None] = ContextVar("migration_progress", default=None)


@contextlib.contextmanager
def reporting(progress: Progress) -> Iterator[None]:
    """Send the progress of the migrations run in this block (this thread) to ``progress``."""
    token = _progress.set(progress)
    try:
        yield
    finally:
        _progress.reset(token)


def report_progress(done: int, total: int) -> None:
    progress = _progress.get()
    if progress is not None:
        progress(done, total)


STATUSES = ("todo", "in_progress", "done", "skipped", "flagged")
ORIGINS = ("prefill", "manual", "import", "gold")


def _fk(
    table: str, column: str, other: str, other_column: str, on_delete: str = "NO ACTION"
) -> ForeignKey:
    from sqlite_utils.db import ForeignKey
    return ForeignKey(table, column, other, other_column, on_delete=on_delete)


def _span_guard(table: str, length_sql: str, extra: str = "") -> str:
    """A trigger body that refuses spans that are empty, reversed or outside the text."""
    return f"""
        SELECT RAISE(ABORT, 'span outside the text')
        WHERE NEW.start < 0 OR NEW."end" <= NEW.start OR NEW."end" > ({length_sql}) {extra};
    """


def _create_v1(db: Database) -> None:
    db["settings"].create({"key": str, "value": str}, pk="key", not_null=["value"])
    db["labels"].create(
        {"name": str, "key": str, "color": str, "description": str, "position": int}, pk="name"
    )
    db["targets"].create({"name": str, "key": str, "description": str, "position": int}, pk="name")
    db["polarities"].create({"name": str, "position": int}, pk="name")
    # The text comes last: SQLite reads a row's columns in order, so a column after a long
    # text is reached only by walking its overflow pages, and the span triggers read `length`
    # on every insert (1 ms per entity on a 3 MB document when the text came first).
    db["documents"].create(
        {
            "id": int,
            "hash": str,
            "length": int,
            "title": str,
            "source": str,
            "date": str,
            "url": str,
            "meta": str,
            "created_at": str,
            "text": str,
        },
        pk="id",
        not_null=["text", "hash", "length", "meta", "created_at"],
        defaults={"meta": "{}"},
    )
    db["documents"].create_index(["hash"], unique=True)
    db["annotators"].create(
        {"name": str, "role": str, "created_at": str},
        pk="name",
        not_null=["role", "created_at"],
        defaults={"role": "annotator"},
    )
    db["annotation_sets"].create(
        {
            "id": int,
            "document_id": int,
            "annotator": str,
            "status": str,
            "note": str,
            "created_at": str,
            "updated_at": str,
            "edited_at": str,
        },
        pk="id",
        not_null=["document_id", "annotator", "status", "created_at", "updated_at"],
        defaults={"status": "todo"},
        foreign_keys=[
            _fk("annotation_sets", "document_id", "documents", "id", "CASCADE"),
            _fk("annotation_sets", "annotator", "annotators", "name"),
        ],
    )
    db["annotation_sets"].create_index(["document_id", "annotator"], unique=True)
    db["annotation_sets"].create_index(["annotator", "status"])
    db["entities"].create(
        {"id": int, "set_id": int, "start": int, "end": int, "label": str, "origin": str},
        pk="id",
        not_null=["set_id", "start", "end", "label", "origin"],
        foreign_keys=[
            _fk("entities", "set_id", "annotation_sets", "id", "CASCADE"),
            _fk("entities", "label", "labels", "name"),
        ],
    )
    db["entities"].create_index(["set_id"])
    db["stances"].create(
        {
            "id": int,
            "set_id": int,
            "start": int,
            "end": int,
            "target": str,
            "polarity": str,
            "holder_start": int,
            "holder_end": int,
            "confidence": float,
            "origin": str,
        },
        pk="id",
        not_null=["set_id", "start", "end", "target", "polarity", "origin"],
        foreign_keys=[
            _fk("stances", "set_id", "annotation_sets", "id", "CASCADE"),
            _fk("stances", "target", "targets", "name"),
            _fk("stances", "polarity", "polarities", "name"),
        ],
    )
    db["stances"].create_index(["set_id"])
    for kind, columns, fks in (
        ("prefill_entities", {"label": str}, [("label", "labels")]),
        (
            "prefill_stances",
            {"target": str, "polarity": str, "holder_start": int, "holder_end": int},
            [("target", "targets"), ("polarity", "polarities")],
        ),
    ):
        db[kind].create(
            {
                "id": int,
                "document_id": int,
                "start": int,
                "end": int,
                **columns,
                "confidence": float,
                "model": str,
                "model_version": str,
            },
            pk="id",
            not_null=["document_id", "start", "end", "model", "model_version"],
            foreign_keys=[
                _fk(kind, "document_id", "documents", "id", "CASCADE"),
                *(_fk(kind, col, table, "name") for col, table in fks),
            ],
        )
        db[kind].create_index(["document_id"])
    db["prefill_runs"].create(
        {"document_id": int, "model": str, "model_version": str, "created_at": str},
        pk="document_id",
        not_null=["model", "model_version", "created_at"],
        foreign_keys=[_fk("prefill_runs", "document_id", "documents", "id", "CASCADE")],
    )
    db["history"].create(
        {
            "id": int,
            "at": str,
            "annotator": str,
            "document_id": int,
            "set_id": int,
            "action": str,
            "payload": str,
        },
        pk="id",
        not_null=["at", "action", "payload"],
    )
    db["history"].create_index(["document_id"])

    set_length = (
        "SELECT d.length FROM documents d JOIN annotation_sets s ON s.document_id = d.id "
        "WHERE s.id = NEW.set_id"
    )
    doc_length = "SELECT length FROM documents WHERE id = NEW.document_id"
    holder = (
        "OR (NEW.holder_start IS NULL) <> (NEW.holder_end IS NULL) "
        "OR (NEW.holder_start IS NOT NULL AND (NEW.holder_start < 0 "
        "OR NEW.holder_end <= NEW.holder_start OR NEW.holder_end > ({length})))"
    )
    guards = {
        "entities": (set_length, ""),
        "stances": (set_length, holder.format(length=set_length)),
        "prefill_entities": (doc_length, ""),
        "prefill_stances": (doc_length, holder.format(length=doc_length)),
    }
    for table, (length_sql, extra) in guards.items():
        body = _span_guard(table, length_sql, extra)
        db.execute(f"CREATE TRIGGER {table}_span_insert BEFORE INSERT ON {table} BEGIN {body} END")
        db.execute(f"CREATE TRIGGER {table}_span_update BEFORE UPDATE ON {table} BEGIN {body} END")
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    origins = ", ".join(f"'{o}'" for o in ORIGINS)
    for event in ("INSERT", "UPDATE"):
        db.execute(
            f"CREATE TRIGGER annotation_sets_status_{event.lower()} BEFORE {event} "
            "ON annotation_sets BEGIN SELECT RAISE(ABORT, 'unknown status') "
            f"WHERE NEW.status NOT IN ({statuses}); END"
        )
        for table in ("entities", "stances"):
            db.execute(
                f"CREATE TRIGGER {table}_origin_{event.lower()} BEFORE {event} ON {table} "
                "BEGIN SELECT RAISE(ABORT, 'unknown origin') "
                f"WHERE NEW.origin NOT IN ({origins}); END"
            )
        db.execute(
            f"CREATE TRIGGER annotators_role_{event.lower()} BEFORE {event} ON annotators BEGIN "
            "SELECT RAISE(ABORT, 'unknown role') "
            "WHERE NEW.role NOT IN ('annotator', 'reviewer', 'gold'); END"
        )
    db.execute(
        "CREATE TRIGGER documents_text_fixed BEFORE UPDATE OF text, hash, length ON documents "
        "BEGIN SELECT RAISE(ABORT, 'a document''s text never changes after import'); END"
    )
    db.execute(
        "CREATE TRIGGER history_no_update BEFORE UPDATE ON history "
        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
    )
    db.execute(
        "CREATE TRIGGER history_no_delete BEFORE DELETE ON history "
        "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END"
    )


def _documents_fts_v2(db: Database) -> None:
    """A full-text index of titles and texts for the document list's word filter.

    ``LIKE '%word%'`` read every text: 0.5-1.2 s for 100,000 documents, on the GUI thread.
    External content (no second copy of the texts), words folded for case and accents, and
    ``detail=none``: the filter asks only which documents hold words starting with the ones
    typed, so positions are not stored (a smaller index, built faster). No prefix index: it
    doubled the indexing an import pays; words under three letters are matched whole instead
    (see ``backend.match_query``). Texts never change and documents are never deleted, so
    ``Project.add_documents`` indexing each batch it inserts keeps it whole; a trigger would
    too, but FTS5 flushes its buffer at every statement inside a trigger, which made an
    import of 5,000 documents 7x slower.
    """
    db.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', detail=none, "
        "columnsize=0)"
    )
    # By ranges of ids, to report progress: 100,000 texts take seconds to index.
    low, high = db.execute("SELECT min(id), max(id) FROM documents").fetchone()
    if low is None:
        return
    step = 2_000
    for first in range(low, high + 1, step):
        db.execute(
            "INSERT INTO documents_fts(rowid, title, text) SELECT id, title, text FROM documents "
            "WHERE id >= ? AND id < ?", [first, first + step]
        )
        report_progress(min(first + step, high + 1) - low, high + 1 - low)


def _kept_versions(db: Database) -> None:
    """Versions of an annotation set that a merge kept instead of dropping.

    When the same annotator changed the same document in two copies of a project, the newer
    set stays current and the other is stored here whole (status, note, entities, stances
    with their holders as JSON, its timestamps) with where it came from, for a reviewer to
    look at, restore or take into gold. ``digest`` is the content's fingerprint: the same
    version is kept once however often a file is merged.
    """
    db["kept_versions"].create(
        {
            "id": int,
            "document_id": int,
            "annotator": str,
            "status": str,
            "note": str,
            "entities": str,
            "stances": str,
            "digest": str,
            "created_at": str,
            "updated_at": str,
            "edited_at": str,
            "source": str,
            "kept_at": str,
        },
        pk="id",
        not_null=["document_id", "annotator", "status", "entities", "stances", "digest",
                  "source", "kept_at"],
        foreign_keys=[
            _fk("kept_versions", "document_id", "documents", "id", "CASCADE"),
            _fk("kept_versions", "annotator", "annotators", "name"),
        ],
    )
    db["kept_versions"].create_index(["document_id", "annotator", "digest"], unique=True)
    statuses = ", ".join(f"'{s}'" for s in STATUSES)
    for event in ("INSERT", "UPDATE"):
        db.execute(
            f"CREATE TRIGGER kept_versions_status_{event.lower()} BEFORE {event} "
            "ON kept_versions BEGIN SELECT RAISE(ABORT, 'unknown status') "
            f"WHERE NEW.status NOT IN ({statuses}); END"
        )


def _document_units(db: Database) -> None:
    """A cache of each document's sentence and token offsets, which agreement reads instead of
    splitting 10,000 texts on every run (gui/review/unit_cache.py fills it the first time a
    document is compared). Texts never change, so a row stays true; ``version`` names the
    spaCy version and splitting rules that made it, and a row of another version is made
    again. Empty here: nothing is computed while a project is upgraded."""
    db.execute(
        "CREATE TABLE IF NOT EXISTS document_units (document_id INTEGER PRIMARY KEY "
        "REFERENCES documents(id) ON DELETE CASCADE, version TEXT NOT NULL, "
        "sentences BLOB NOT NULL, tokens BLOB NOT NULL)"
    )


def _assignments(db: Database) -> None:
    """Which documents each annotator is asked to do (``marginalia assign``).

    One row per document and annotator: the document's queue entry for that person. Foreign
    keys to the document (gone with it) and to the annotator; the reserved ``#gold``
    annotator is refused, so no code path can give a person's queue to the gold set.
    """
    db["assignments"].create(
        {"document_id": int, "annotator": str, "assigned_at": str},
        pk=("document_id", "annotator"),
        not_null=["assigned_at"],
        foreign_keys=[
            _fk("assignments", "document_id", "documents", "id", "CASCADE"),
            _fk("assignments", "annotator", "annotators", "name"),
        ],
    )
    db["assignments"].create_index(["annotator", "document_id"], unique=True)
    for event in ("INSERT", "UPDATE"):
        db.execute(
            f"CREATE TRIGGER assignments_person_{event.lower()} BEFORE {event} ON assignments "
            "BEGIN SELECT RAISE(ABORT, 'documents are assigned to people, not to the gold set') "
            "WHERE substr(NEW.annotator, 1, 1) = '#'; END"
        )


def _document_scores(db: Database) -> None:
    """How much a person's correction of each document would teach the trained model in use
    ("which document next"), computed off the GUI thread after training (gui/nlp/uncertainty.py).

    ``model`` is the project's ``trained_model`` setting as stored (its JSON text) when the
    score was computed, so the document list orders by the scores of the model in use alone,
    with one join and no Python on the paint path. ``IF NOT EXISTS``: a file whose version
    number was set back by hand (as the word-filter test does) may still hold the table.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS document_scores (document_id INTEGER PRIMARY KEY REFERENCES "
        "documents(id), model TEXT NOT NULL, score REAL NOT NULL, computed_at TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX IF NOT EXISTS document_scores_order "
               "ON document_scores(model, score DESC)")


def _trained_versions(db: Database) -> None:
    """Trained versions of the pre-fill held in the project itself, for a project on a server
    (gui/core/trained_versions.py): each version's spaCy ``to_disk`` files as bytes per relative
    path, never a pickle. A project file keeps its versions in a folder beside it, so in a file
    these tables stay empty; they exist so both engines hold the same tables (one body of SQL,
    one ``copy``). ``content_hash`` names the version's files (a client's cache folder is keyed
    by it), ``metrics`` its held-out figures.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS trained_versions (version INTEGER PRIMARY KEY, "
        "content_hash TEXT NOT NULL, metrics TEXT NOT NULL, created_by TEXT, "
        "created_at TEXT NOT NULL)"
    )
    db.execute(
        "CREATE TABLE IF NOT EXISTS trained_version_files (version INTEGER NOT NULL REFERENCES "
        "trained_versions(version) ON DELETE CASCADE, path TEXT NOT NULL, data BLOB NOT NULL, "
        "PRIMARY KEY (version, path))"
    )
def _set_revisions(db: Database) -> None:
    """Agreement's cache of each document's sums (gui/review/agreement_cache.py), and
    the revision of each annotation set it is keyed by, kept by the database itself so that no
    writer (an edit, its undo, an import, a merge, a script's raw SQL) can forget it.

    ``revision`` is even when an agreement run has stamped the set since its last change, odd
    when it changed after: a trigger on every insert, update and delete of an entity or a
    stance turns an even revision odd (only the first change after a stamp writes; later ones
    find it odd and write nothing, so an import of many entities costs a lookup per row). A run
    stamps the odd sets with a number larger than any stamp before it (the ``agreement_stamp``
    setting), so a (set, even revision) names one content of the set forever. A document's
    cached sums go when one of its sets is deleted or moved. Existing sets start odd."""
    db.execute("ALTER TABLE annotation_sets ADD COLUMN revision INTEGER NOT NULL DEFAULT 1")
    db.execute(
        "CREATE TABLE IF NOT EXISTS agreement_sums (document_id INTEGER PRIMARY KEY "
        "REFERENCES documents(id) ON DELETE CASCADE, key TEXT NOT NULL, sums BLOB NOT NULL, "
        "sections BLOB NOT NULL)"
    )
    for table in ("entities", "stances"):
        for event, rows in (("INSERT", ("NEW",)), ("UPDATE", ("OLD", "NEW")),
                            ("DELETE", ("OLD",))):
            body = " ".join(f"UPDATE annotation_sets SET revision = revision + 1 "
                            f"WHERE id = {row}.set_id AND revision % 2 = 0;" for row in rows)
            db.execute(f"CREATE TRIGGER {table}_revision_{event.lower()} AFTER {event} "
                       f"ON {table} BEGIN {body} END")
    db.execute("CREATE TRIGGER annotation_sets_sums_delete AFTER DELETE ON annotation_sets "
               "BEGIN DELETE FROM agreement_sums WHERE document_id = OLD.document_id; END")
    db.execute("CREATE TRIGGER annotation_sets_sums_move AFTER UPDATE OF id, document_id, "
               "annotator ON annotation_sets BEGIN DELETE FROM agreement_sums "
               "WHERE document_id IN (OLD.document_id, NEW.document_id); END")


MIGRATIONS: list[Callable[[Database], None]] = [
    _create_v1, _documents_fts_v2, _kept_versions, _document_units, _assignments,
    _document_scores, _trained_versions, _set_revisions,
]
CURRENT_VERSION = len(MIGRATIONS)
