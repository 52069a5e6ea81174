"""Export: the dataset leaves the project in the formats people train with.

``export_project`` checks the request (who, which statuses, where to), then streams records
from the project a chunk at a time inside one read transaction (a consistent snapshot, even
while annotators keep working), hands each to the format's writer, and renames the finished
file into place. Cancelling, a failure or a full disk leave any existing file untouched.
"""

from __future__ import annotations

import contextlib
import importlib
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from gui.core.store import Project
from gui.formats.export.atomic import atomic_folder, atomic_output, check_target, stdout_output
from gui.formats.export.selection import (
    ExportError,
    Selection,
    TargetExists,
    count_documents,
    iter_records,
    select,
)
from gui.formats.export.writer import Writer

__all__ = [
    "FORMATS",
    "ExportCancelled",
    "ExportError",
    "ExportReport",
    "TargetExists",
    "export_project",
    "format_for_path",
]

# name -> human label, in the order the File ▸ Export dialog lists them
FORMATS: dict[str, str] = {
    "jsonl": "Native JSONL",
    "prodigy": "Prodigy tasks (JSONL)",
    "doccano": "doccano (JSONL)",
    "spacy": "spaCy DocBin (.spacy)",
    "conll": "CoNLL IOB",
    "csv": "CSV of stances",
}
# name -> (module, class); imported on use, so a JSONL export never waits for spaCy to load
WRITERS: dict[str, tuple[str, str]] = {
    "jsonl": ("native", "NativeWriter"),
    "prodigy": ("prodigy", "ProdigyWriter"),
    "doccano": ("doccano", "DoccanoWriter"),
    "spacy": ("docbin", "DocBinWriter"),
    "conll": ("conll", "ConllWriter"),
    "csv": ("stances_csv", "StancesCsvWriter"),
}
_BY_SUFFIX = {".spacy": "spacy", ".conll": "conll", ".iob": "conll", ".csv": "csv"}

Progress = Callable[[int, int], None]  # (documents done, documents in all)


class ExportCancelled(ExportError):
    def __init__(self, path: Path | None):
        keep = "the existing file was left as it was" if path and path.exists() else (
            "no file was written"
        )
        super().__init__(f"export cancelled; {keep}", path=path)


@dataclass
class ExportReport:
    path: Path | None  # None: standard output
    format: str
    selection: str
    records: int = 0
    documents: int = 0
    empty: int = 0  # text-only records (documents without an annotation)
    parts: int = 0  # files in the folder, for a spaCy export to a folder
    dropped: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        where = "standard output" if self.path is None else str(self.path)
        if self.parts:
            where += f" ({self.parts} part{'s' * (self.parts != 1)})"
        line = (
            f"wrote {self.records} record{'s' * (self.records != 1)} "
            f"({FORMATS[self.format]}, {self.selection}) to {where}"
        )
        if self.empty:
            line += f"; {self.empty} of them text only"
        for reason, count in self.dropped.items():
            line += f"; {count} {reason}"
        return line


def format_for_path(path: str | Path | None, default: str = "jsonl") -> str:
    """The format a file name asks for (``.spacy``, ``.conll``/``.iob``, ``.csv``)."""
    if path is None:
        return default
    return _BY_SUFFIX.get(Path(path).suffix.lower(), default)


def export_project(
    project: Project,
    path: str | Path | None,
    *,
    fmt: str = "jsonl",
    annotator: str | None = None,
    gold: bool = False,
    prefill: bool = False,
    statuses: set[str] | None = None,
    include_empty: bool = False,
    force: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportReport:
    """Write the chosen records to ``path`` (``None`` or ``"-"``: standard output).

    Refusals (unknown format or annotator, no gold yet, an existing file without ``force``,
    a folder that cannot be written, binary output to standard output) raise ``ExportError``
    before anything is written.
    """
    if fmt not in WRITERS:
        raise ExportError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    target = None if path is None or str(path) == "-" else Path(path)
    # spaCy to a name without ".spacy": a folder of parts, which streams (docbin.py)
    in_parts = fmt == "spacy" and target is not None and target.suffix.lower() != ".spacy"
    module, name = ("docbin", "DocBinFolderWriter") if in_parts else WRITERS[fmt]
    writer_class: type[Writer] = getattr(
        importlib.import_module(f"gui.formats.export.{module}"), name
    )
    if target is None and writer_class.binary:
        raise ExportError(f"{FORMATS[fmt]} is binary; give an output file with -o FILE.spacy")
    selection = select(
        project, annotator=annotator, gold=gold, prefill=prefill, statuses=statuses,
        include_empty=include_empty,
    )
    if target is not None:
        check_target(target, force=force, project_path=project.path, folder=in_parts)
    report = ExportReport(target, fmt, selection.describe())
    with _snapshot(project):
        total = count_documents(project, selection)
        if target is None:
            opened = stdout_output()
        elif in_parts:
            opened = atomic_folder(target)
        else:
            opened = atomic_output(target, binary=writer_class.binary)
        with opened as stream:
            writer = writer_class(stream, include_empty=selection.include_empty)
            _stream(project, selection, writer, report, total, progress, cancelled, target)
            writer.finish()
    report.dropped = dict(writer.dropped)
    report.parts = writer.parts
    return report


def _stream(
    project: Project,
    selection: Selection,
    writer: Writer,
    report: ExportReport,
    total: int,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    target: Path | None,
) -> None:
    def after_chunk(documents: int) -> None:
        report.documents += documents
        if progress is not None:
            progress(report.documents, total)
        if cancelled is not None and cancelled():
            raise ExportCancelled(target)

    if progress is not None:
        progress(0, total)
    if cancelled is not None and cancelled():
        raise ExportCancelled(target)
    for record in iter_records(project, selection, on_chunk=after_chunk):
        writer.write(record)
        report.records += 1
        report.empty += not record.annotated


@contextlib.contextmanager
def _snapshot(project: Project) -> Iterator[None]:
    """One read transaction, so every chunk sees the project as it was when export began."""
    conn = project.conn
    if conn.in_transaction:  # the caller's transaction is already a snapshot
        yield
        return
    try:
        conn.execute("BEGIN")
        yield
    except sqlite3.Error as exc:
        raise ExportError(f"could not be read ({exc}); the export stopped",
                          path=project.path) from None
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
