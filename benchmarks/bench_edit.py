"""An edit stored (``AddEntity.apply``, what one keystroke in the window does) against a bare
sqlite3 insert in the same WAL database with the same ``synchronous`` setting.

Both sides commit one transaction per operation, so both pay one WAL sync each: the ratio is
what the store adds on top (the annotation set, the history row, the triggers that keep spans
inside their text). Edits and bare inserts alternate, so the machine's noise hits both alike.
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import corpus, latency_figures
from gui.core.edits import AddEntity
from gui.core.store import Project

DOCUMENTS = 200
FULL = 1000
QUICK = 150
GOAL_MS = 50.0


def _bare_connection(path: Path, synchronous: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA synchronous = {synchronous}")
    conn.execute(
        'CREATE TABLE bench_bare(id INTEGER PRIMARY KEY, set_id INTEGER, start INTEGER, '
        '"end" INTEGER, label TEXT, origin TEXT)'
    )
    return conn


def interleave(
    project: Project, edits: int, bare_insert: Callable[[int, int, int, str], None], *,
    seed: int = 0,
) -> tuple[list[float], list[float]]:
    """Seconds per stored edit and per ``bare_insert(i, start, end, label)``, one for one, on
    random spans of the project's first documents: one loop for the file and the server."""
    rng = random.Random(seed)
    doc_ids = project.document_ids()[:20]
    lengths = {d: len(project.document(d).text) for d in doc_ids}
    labels = project.schema.labels
    ours: list[float] = []
    baseline: list[float] = []
    for i in range(edits):
        doc = rng.choice(doc_ids)
        start = rng.randrange(lengths[doc] - 10)
        end = start + rng.randint(1, 10)
        label = rng.choice(labels)
        edit = AddEntity(doc, "bench", start, end, label)
        t0 = time.perf_counter()
        edit.apply(project)
        t1 = time.perf_counter()
        bare_insert(i, start, end, label)
        t2 = time.perf_counter()
        ours.append(t1 - t0)
        baseline.append(t2 - t1)
    return ours, baseline


def measure(path: Path, edits: int, *, seed: int = 0) -> tuple[list[float], list[float]]:
    """Seconds per stored edit and per bare insert, interleaved one for one."""
    project = Project.open(path)
    try:
        synchronous = project.conn.execute("PRAGMA synchronous").fetchone()[0]
        bare = _bare_connection(path, synchronous)

        def bare_insert(i: int, start: int, end: int, label: str) -> None:
            bare.execute("BEGIN IMMEDIATE")
            bare.execute(
                'INSERT INTO bench_bare(set_id, start, "end", label, origin) '
                "VALUES (?, ?, ?, ?, ?)",
                (i, start, end, label, "manual"),
            )
            bare.execute("COMMIT")

        result = interleave(project, edits, bare_insert, seed=seed)
        bare.close()
    finally:
        project.close()
    return result


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    edits = QUICK if quick else FULL
    source = corpus.cached_project(DOCUMENTS)
    with tempfile.TemporaryDirectory(prefix="bench-edit-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "edit.marginalia")
        ours, baseline = measure(path, edits)
    return latency_figures(
        "edit_stored", ours, baseline, goal_ms=GOAL_MS,
        note=f"{edits} AddEntity.apply vs bare INSERT+COMMIT, WAL, same synchronous")


if __name__ == "__main__":
    from benchmarks.__main__ import table

    print(table(run(quick=True)))
