"""``marginalia assign`` on a large project, beside a baseline measured in the same run.

- Assign: making the plan (reading every document's hash and the sets, the balanced choice)
  and storing it in one transaction with its history entry, for 100,000 documents (5,000
  with ``quick``) among three annotators with 20% shared: what the command and the dialog's
  Assign button cost. Baseline: a bare sqlite3 ``executemany`` of the same number of rows
  into a table of the same shape, committed in one transaction in a copy of the same file.

``python -m benchmarks.bench_assign`` prints the figures as JSON.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure
from gui.core import assignment
from gui.core.store import Project

TEAM = ("ana", "ben", "cy")


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = 5_000 if quick else 100_000
    source = corpus.cached_project(n)
    with tempfile.TemporaryDirectory(prefix="bench-assign-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "assign.marginalia")
        with Project.open(path) as project:
            t0 = time.perf_counter()
            the_plan = assignment.plan(project, assignment.Request(TEAM, 1, 0.2, seed=1))
            planned = time.perf_counter() - t0
            assignment.apply(project, the_plan)
            ours = time.perf_counter() - t0
            rows = [(doc, name, "x") for doc, name in the_plan.add]
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("CREATE TABLE bare(document_id INT, annotator TEXT, assigned_at TEXT, "
                     "PRIMARY KEY(document_id, annotator))")
        t0 = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany("INSERT INTO bare VALUES (?, ?, ?)", rows)
        conn.execute("COMMIT")
        base = time.perf_counter() - t0
        conn.close()
    label = "5k" if quick else "100k"
    return {
        f"assign_{label}_documents": figure(
            ours, base, goal="< 10 s", unit="s", met=ours < 10,
            note=f"plan {planned:.2f} s + store; {len(rows)} rows, 3 annotators, 20% shared; "
                 "baseline: bare sqlite3 executemany of the same rows, one transaction"),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
