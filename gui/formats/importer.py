"""Import files into a project: all or nothing, streamed in batches, with progress and cancel.

The whole import is one transaction: a bad record (without ``skip_invalid``), a cancel or a
crash leaves the project exactly as it was. Files are read as they are stored, a batch at a
time, so memory follows the batch and not the file; the next batch is read in a thread of its
own while SQLite indexes the one before (read_ahead.py). With
``skip_invalid`` a file that cannot be read at all (an empty file, a page with no article) is
reported and skipped like a bad record.

A text already in the project adds no document, but the annotations a record carries are
attached to it under their annotator; a set that annotator already has is left alone and
counted, so importing a file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gui.core.errors import InputError, MarginaliaError
from gui.core.migrations import STATUSES
from gui.core.schema import Schema
from gui.core.store import GOLD, DocumentRow, Project, check_annotator_name, document_row, now
from gui.formats.read_ahead import ReadAhead
from gui.formats.readers import FileReading, Record, expand_paths

# A batch closes at this many records or this many characters of text, whichever comes first,
# so memory follows the batch even when the documents are long. Fewer, larger batches cost
# fewer hand-overs of the GIL between the reading and the storing threads (read_ahead.py).
BATCH = 2500
BATCH_CHARACTERS = 8_000_000
Progress = Callable[[int, int], None]  # (bytes read so far, bytes in all)


class Cancelled(MarginaliaError):
    def __init__(self) -> None:
        super().__init__("import cancelled; nothing was changed")


@dataclass
class ImportReport:
    files: int = 0
    documents_added: int = 0
    documents_existing: int = 0
    sets_added: int = 0
    sets_existing: int = 0
    skipped: list[str] = field(default_factory=list)  # one line per record left out
    notes: list[str] = field(default_factory=list)  # e.g. files read in a legacy encoding

    def summary(self) -> str:
        parts = [
            f"{self.documents_added} documents added",
            f"{self.documents_existing} already in the project",
        ]
        if self.sets_added or self.sets_existing:
            parts.append(f"{self.sets_added} annotation sets added")
            parts.append(f"{self.sets_existing} already there")
        if self.skipped:
            parts.append(f"{len(self.skipped)} invalid records skipped")
        return ", ".join(parts)


def validate(record: Record, schema: Schema) -> None:
    """Refuse a record whose annotations the project could not store, naming why."""
    if not record.carries_annotations and record.annotator is None:
        return  # a text alone: nothing to check
    n = len(record.text)

    def span_ok(start: int, end: int, what: str) -> None:
        if not 0 <= start < end <= n:
            raise record.error(f"{what} [{start}, {end}) is outside the text ({n} characters)")

    labels = set(schema.labels)
    for span in record.spans or ():
        span_ok(span["start"], span["end"], f"span {span['label']}")
        if span["label"] not in labels:
            raise record.error(f"label {span['label']!r} is not in the project's schema")
    targets = set(schema.target_names)
    for stance in record.stances or ():
        span_ok(stance["start"], stance["end"], "stance")
        if stance["target"] not in targets:
            raise record.error(f"stance target {stance['target']!r} is not in the schema")
        if stance["polarity"] not in schema.polarities:
            raise record.error(f"polarity {stance['polarity']!r} is not in the schema")
        if stance["holder"] is not None:
            span_ok(*stance["holder"], "stance holder")
    if record.status is not None and record.status not in STATUSES:
        raise record.error(f"unknown status {record.status!r}")
    if record.annotator is not None:
        try:
            if record.annotator != GOLD:
                check_annotator_name(record.annotator)
        except MarginaliaError as exc:
            raise record.error(exc.reason) from None


def import_files(
    project: Project,
    paths: list[str | Path],
    *,
    annotator: str | None = None,
    skip_invalid: bool = False,
    clean: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ImportReport:
    """Read, check and store ``paths``. The next batch is read in a thread of its own while
    this one takes the batch before into the word index (read_ahead.py says why then)."""
    files = expand_paths(paths)
    if annotator is not None:
        annotator = check_annotator_name(annotator)
    total = sum(f.stat().st_size for f in files)
    report = ImportReport(files=len(files))
    reading = _read_batches(files, project.schema, annotator, skip_invalid, clean, report)
    with project.transaction(), ReadAhead(reading) as batches:
        for batch in batches:
            _store(project, batch, report)
            batches.go()
            project.index_new_documents()
            if progress is not None:
                progress(batch.done, total)
            if cancelled is not None and cancelled():
                raise Cancelled()
    return report


@dataclass
class _Batch:
    """Records accepted for storing, their ``documents`` rows (hashes computed), and how many
    bytes of the input were read when the batch was closed. A file's end is a batch too,
    empty if the file left nothing to store yet, so progress and cancel follow every file."""

    records: list[Record]
    rows: list[DocumentRow]
    done: int


def _read_batches(
    files: list[Path], schema: Schema, annotator: str | None, skip_invalid: bool, clean: bool,
    report: ImportReport,
) -> Iterator[_Batch]:
    """The import's reading half: everything about a record that needs no database."""
    stamp = now()
    records: list[Record] = []
    rows: list[DocumentRow] = []
    characters = done = 0
    for number, path in enumerate(files, start=1):
        reading = FileReading(path, report.skipped if skip_invalid else None, clean)
        try:
            for record in reading:
                if not _accept(record, annotator, schema, skip_invalid, report):
                    continue
                records.append(record)
                rows.append(document_row(record.text, record.title, record.source, record.date,
                                         record.url, record.meta, stamp))
                characters += len(record.text)
                if len(records) >= BATCH or characters >= BATCH_CHARACTERS:
                    yield _Batch(records, rows, done + reading.position)
                    records, rows, characters = [], [], 0
        except InputError as exc:  # the file as a whole: empty, binary, no article…
            if not skip_invalid:
                raise
            report.skipped.append(str(exc))
        done += path.stat().st_size
        if number < len(files):
            yield _Batch([], [], done)
    yield _Batch(records, rows, done)


def _accept(
    record: Record, annotator: str | None, schema: Schema, skip_invalid: bool,
    report: ImportReport,
) -> bool:
    """Whether a record goes in; a bad one raises, or with ``skip_invalid`` is reported."""
    try:
        if record.carries_annotations and record.annotator is None:
            if annotator is None:
                raise record.error(
                    "carries annotations but names no annotator; pass --annotator NAME"
                )
            record.annotator = annotator
        validate(record, schema)
    except InputError as exc:
        if not skip_invalid:
            raise
        report.skipped.append(str(exc))
        return False
    report.notes.extend(record.notes)
    return True


def _store(project: Project, batch: _Batch, report: ImportReport) -> None:
    if not batch.rows:
        return
    ids = project.store_documents(batch.rows)
    added = sum(created for _, created in ids)
    report.documents_added += added
    report.documents_existing += len(ids) - added
    conn = project.conn
    stamp = now()
    for record, (doc_id, _) in zip(batch.records, ids, strict=True):
        if record.annotator is None:
            continue
        project.ensure_annotator(record.annotator)
        if project.set_id(doc_id, record.annotator) is not None:
            report.sets_existing += 1
            continue
        set_id = int(
            conn.execute(
                "INSERT INTO annotation_sets(document_id, annotator, status, note, created_at, "
                "updated_at, edited_at) VALUES (?, ?, ?, '', ?, ?, ?)",
                (doc_id, record.annotator, record.status or "done", stamp, stamp, stamp),
            ).lastrowid
        )
        conn.executemany(
            'INSERT INTO entities(set_id, start, "end", label, origin) VALUES (?, ?, ?, ?, ?)',
            [(set_id, s["start"], s["end"], s["label"], "import") for s in record.spans or ()],
        )
        conn.executemany(
            'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, '
            "holder_end, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'import')",
            [
                (
                    set_id,
                    s["start"],
                    s["end"],
                    s["target"],
                    s["polarity"],
                    *(s["holder"] or (None, None)),
                )
                for s in record.stances or ()
            ],
        )
        project.record(
            record.annotator, doc_id, set_id, "import", {"file": record.path, "line": record.line}
        )
        report.sets_added += 1
