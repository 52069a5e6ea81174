"""What correcting costs, over 10,000 documents x 3 annotators (``marginalia stats --effort``
and the anchoring figures of ``marginalia agreement``), against bare sqlite3 reading the same
rows into Python, in the same run.

The project is the agreement benchmark's generated corpus with one more "annotator" whose
answers are stored as the pre-fill; the three annotators' sets are stored as copies of it that
they corrected (origins ``prefill`` and ``manual``), as the window would leave them. The value
is everything after opening the project: reading the sets and the suggestions, pairing each
suggestion with what was kept, and every count, share and F1 of both reports. The baseline is
the reading alone, so the ratio says what the pairing and the counting cost on top of it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure
from gui.core.store import Project
from gui.review.anchoring import anchoring
from gui.review.corrections import read_corrections
from gui.review.effort import compute_effort

FULL = 10_000
QUICK = 1_000
ANNOTATORS = ("ana", "ben", "cy")
PREFILL = "pre"  # the generated "annotator" whose answers are the suggestions
GOAL = "no target: computed off the GUI thread, beside the agreement figures"


def _build(path: Path, n: int) -> None:
    from gui.core.schema import load_schema

    with Project.create(path, load_schema()) as project, project.transaction() as conn:
        stamp = "2026-11-02T09:00:00.000+00:00"
        rows = corpus.records(n, annotators=(PREFILL, *ANNOTATORS))
        for record in rows:
            [(doc, _)] = project.add_documents([{"text": record["text"]}])
            suggested = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
            conn.executemany(
                'INSERT INTO prefill_entities(document_id, start, "end", label, model, '
                "model_version) VALUES (?, ?, ?, ?, 'bench', '1')",
                [(doc, *span) for span in sorted(suggested)])
            conn.executemany(
                'INSERT INTO prefill_stances(document_id, start, "end", target, polarity, '
                "holder_start, holder_end, model, model_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', '1')",
                [(doc, s["start"], s["end"], s["target"], s["polarity"],
                  *((s["holder"]["start"], s["holder"]["end"]) if s["holder"] else (None, None)))
                 for s in record["stances"]])
            conn.execute("INSERT INTO prefill_runs VALUES (?, 'bench', '1', ?)", (doc, stamp))
            for name in ANNOTATORS:
                record = next(rows)
                project.ensure_annotator(name)
                set_id = conn.execute(
                    "INSERT INTO annotation_sets(document_id, annotator, status, note, "
                    "created_at, updated_at, edited_at) VALUES (?, ?, 'done', '', ?, ?, ?)",
                    (doc, name, stamp, stamp, stamp)).lastrowid
                conn.executemany(
                    'INSERT INTO entities(set_id, start, "end", label, origin) '
                    "VALUES (?, ?, ?, ?, ?)",
                    [(set_id, s["start"], s["end"], s["label"],
                      "prefill" if (s["start"], s["end"], s["label"]) in suggested else "manual")
                     for s in record["spans"]])
                conn.executemany(
                    'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, '
                    "holder_end, origin) VALUES (?, ?, ?, ?, ?, ?, ?, 'manual')",
                    [(set_id, s["start"], s["end"], s["target"], s["polarity"],
                      *((s["holder"]["start"], s["holder"]["end"]) if s["holder"]
                        else (None, None)))
                     for s in record["stances"]])


def cached(n: int) -> Path:
    path = corpus.cache_dir() / f"effort-{corpus.fingerprint()}-n{n}.marginalia"
    if not path.exists():
        building = path.with_name(f".{path.name}.building")
        for leftover in (building, Path(f"{building}-wal"), Path(f"{building}-shm")):
            leftover.unlink(missing_ok=True)
        _build(building, n)
        os.replace(building, path)
    return path


def _bare(path: Path) -> float:
    """The same rows read with sqlite3 into Python tuples, and nothing else."""
    t0 = time.perf_counter()
    conn = sqlite3.connect(path)
    for query in (
        "SELECT id, document_id, annotator, coalesce(edited_at, updated_at) "
        "FROM annotation_sets WHERE status = 'done'",
        'SELECT set_id, start, "end", label FROM entities',
        'SELECT set_id, start, "end", target, polarity, holder_start, holder_end FROM stances',
        'SELECT document_id, start, "end", label FROM prefill_entities',
        'SELECT document_id, start, "end", target, polarity, holder_start, holder_end '
        "FROM prefill_stances",
    ):
        conn.execute(query).fetchall()
    conn.close()
    return time.perf_counter() - t0


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick else FULL
    path = cached(n)
    with Project.open(path) as project:
        t0, c0 = time.perf_counter(), time.process_time()
        corrections = read_corrections(project)
        effort = compute_effort(project, corrections).to_json()
        anchored = anchoring(corrections)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
    bare = _bare(path)
    suggestions = sum(p["suggestions"] for p in effort["per_annotator"].values())
    note = (f"{effort['sets']:,} sets, {suggestions:,} suggestions, "
            f"{len(anchored['per_pair'])} pairs, {cpu:.1f} s CPU")
    return {
        f"effort and anchoring over {n:,} docs x {len(ANNOTATORS)} annotators": figure(
            took, bare, goal=GOAL, unit="s", met=None, note=note),
    }


if __name__ == "__main__":
    for name, row in run().items():
        print(f"{name}: {row}")
