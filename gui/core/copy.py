"""A whole project, or an annotator's part of it, from one store to another (file or server).

Rows keep their ids, so history entries, undo and a later ``merge`` still name the same
documents and sets; the history, the model runs, the versions a merge kept and the assignments
come along (agreement's sentence cache is left to refill). So do the trained versions, with
the one in use and its "most to gain first" scores: from a file's folder into the server's
database, or out of it into the new file's folder (trained_versions.py). The destination must
be new: a file that does not exist yet (nor its versions' folder), or a database without
tables. The copy is all or nothing: on a server it is one transaction; a file is written
under a temporary name and renamed into place when complete, its versions' folder removed if
anything failed.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from gui.core.backend import is_server_address
from gui.core.errors import ProjectError
from gui.core.store import Project
from gui.core.trained_versions import FolderShelf, ServerShelf, carry_versions

BATCH = 1000
# In the order foreign keys need them.
TABLES = ("documents", "annotators", "annotation_sets", "entities", "stances",
          "prefill_entities", "prefill_stances", "prefill_runs", "history", "kept_versions",
          "assignments")


@dataclass
class CopyReport:
    counts: dict[str, int]

    def summary(self) -> str:
        c = self.counts
        return (f"{c['documents']} documents, {c['annotation_sets']} annotation sets, "
                f"{c['entities'] + c['stances']} annotations, {c['history']} history entries, "
                f"{c['prefill_runs']} model runs, {c['trained_versions']} trained versions")


def _columns(project: Project, table: str) -> list[str]:
    """The table's stored columns that a copy carries (a server's generated search column is
    its own affair; so is a set's revision, which names its content in the source's agreement
    cache alone: the destination gives copied sets revisions of its own)."""
    if project.dialect.name == "sqlite":
        names = [r[1] for r in project.conn.execute(f"PRAGMA table_info({table})")]
    else:
        names = [r[0] for r in project.conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "AND table_schema = current_schema() AND is_generated = 'NEVER' "
            "ORDER BY ordinal_position", (table,))]
    return [name for name in names if not (table == "annotation_sets" and name == "revision")]


def _subset(annotators: list[str] | None, documents: list[int] | None) -> dict[str, str]:
    """The WHERE clause choosing each table's rows for the chosen annotators and documents."""
    docs = f"IN ({','.join(str(int(d)) for d in documents)})" if documents is not None else None
    names = ",".join("'" + a.replace("'", "''") + "'" for a in annotators or [])
    clauses: dict[str, list[str]] = {t: [] for t in TABLES}
    if docs:
        clauses["documents"].append(f"id {docs}")
        for table in ("annotation_sets", "prefill_entities", "prefill_stances", "prefill_runs",
                      "history", "kept_versions", "assignments"):
            clauses[table].append(f"document_id {docs}")
    if annotators is not None:
        clauses["annotators"].append(f"name IN ({names})")
        clauses["annotation_sets"].append(f"annotator IN ({names})")
        for table in ("history", "kept_versions", "assignments"):
            clauses[table].append(f"annotator IN ({names})")
    chosen_sets = " AND ".join(clauses["annotation_sets"])
    if chosen_sets:
        for table in ("entities", "stances"):
            clauses[table].append(
                f"set_id IN (SELECT id FROM annotation_sets WHERE {chosen_sets})"
            )
    return {t: ("WHERE " + " AND ".join(c)) if c else "" for t, c in clauses.items()}


def _fill(source: Project, dest: Project, where: dict[str, str],
          progress: Callable[[str, int], None] | None) -> dict[str, int]:
    counts: dict[str, int] = {}
    dest.conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                      ("copied_from", json.dumps(str(source.path), ensure_ascii=False)))
    for table in TABLES:
        columns = _columns(source, table)
        if set(columns) != set(_columns(dest, table)):
            raise ProjectError(f"the destination's {table} table differs from the source's; "
                               "nothing was copied", path=dest.path)
        quoted = ", ".join(f'"{c}"' for c in columns)
        order = "id" if "id" in columns else columns[0]
        rows = source.conn.execute(f"SELECT {quoted} FROM {table} {where[table]} ORDER BY {order}")
        insert = (f"INSERT INTO {table}({quoted}) VALUES ({', '.join('?' * len(columns))})")
        counts[table] = 0
        for batch in _batches(rows):
            dest.conn.executemany(insert, batch)
            counts[table] += len(batch)
            if progress is not None:
                progress(table, counts[table])
    dest.dialect.index_documents(dest.conn, 0)
    if dest.dialect.name == "postgresql":
        from gui.core.postgres import reset_identities

        reset_identities(dest)
    return counts


def _batches(rows: Iterable[tuple]) -> Iterable[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(tuple(row))
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def copy_project(
    source: Project,
    destination: str | Path,
    *,
    annotators: list[str] | None = None,
    documents: list[int] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> CopyReport:
    """Copy ``source`` (all of it, or the chosen annotators' sets of the chosen documents with
    their pre-fill and history) into a new project at ``destination``."""
    where = _subset(annotators, documents)
    counts: dict[str, int] = {}

    def fill(dest: Project, shelf: FolderShelf | ServerShelf) -> None:
        counts.update(_fill(source, dest, where, progress))
        counts["trained_versions"] = carry_versions(source, dest, shelf)

    if is_server_address(destination):
        from gui.core.postgres import create_project

        create_project(Project, str(destination), source.schema,
                       fill=lambda dest: fill(dest, ServerShelf(dest))).close()
        return CopyReport(counts)
    path = Path(destination)
    shelf = FolderShelf.beside(path)
    for taken in (path, shelf.folder):
        if taken.exists():
            raise ProjectError("already exists; copy writes only a new project", path=taken)
    tmp = path.with_name(f".{path.name}.copy-{os.getpid()}")
    try:
        with Project.create(tmp, source.schema) as dest, dest.transaction():
            fill(dest, shelf)
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()
        shutil.rmtree(shelf.folder, ignore_errors=True)
        raise
    return CopyReport(counts)


def parse_documents(text: str) -> list[int]:
    """``1,4,10-12`` as [1, 4, 10, 11, 12]; anything else is a one-line usage error."""
    ids: list[int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        low, _, high = part.partition("-")
        if not low.isdigit() or (high and not high.isdigit()):
            raise ValueError(f"{part!r} is not a document id or a range like 10-12")
        ids.extend(range(int(low), int(high or low) + 1))
    return ids


__all__ = ["CopyReport", "copy_project", "parse_documents"]
