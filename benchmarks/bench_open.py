"""What opening a project costs now that every file is checked before it is read
(gui/core/integrity.py), on a 100,000-document project, against the open it replaced.

Baseline: a bare sqlite3 connection doing what ``Project.open`` did before the checks (the
pragmas, reading application_id and user_version, WAL). Ours, two ways: a file this user has
not checked yet (schema compared and ``quick_check`` over every page), and the same file
opened again unchanged (schema compared; the page check is remembered). All in this process,
alternating, with the file in the page cache; the median of each.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure, median

FULL = 100_000
QUICK = 5_000
RUNS = 5


def _bare_open(path: Path) -> float:
    started = time.perf_counter()
    conn = sqlite3.connect(str(path), isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA application_id").fetchone()
    conn.execute("PRAGMA user_version").fetchone()
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def _our_open(path: Path) -> float:
    from gui.core.store import Project

    started = time.perf_counter()
    project = Project.open(path)
    elapsed = time.perf_counter() - started
    project.close()
    return elapsed


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick else FULL
    label = f"{n // 1000}k"
    source = corpus.cached_project(n)
    size_mb = source.stat().st_size / 1e6
    saved = os.environ.get("XDG_CACHE_HOME")
    with tempfile.TemporaryDirectory(prefix="bench-open-", dir=corpus.cache_dir()) as tmp:
        project = corpus.project_copy(source, Path(tmp) / "open.marginalia")
        _our_open(project)  # upgraded once if the cached corpus is of an older format
        bare, first, again = [], [], []
        try:
            for run_number in range(1 if quick else RUNS):
                os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / f"cache-{run_number}")
                bare.append(_bare_open(project))
                first.append(_our_open(project))  # a fresh memory: checked in full
                again.append(_our_open(project))
        finally:
            if saved is None:
                os.environ.pop("XDG_CACHE_HOME", None)
            else:
                os.environ["XDG_CACHE_HOME"] = saved
    base = median(bare) * 1000
    return {
        f"open_{label}_documents_first_check": figure(
            median(first) * 1000, base, goal="informational: a file not checked before",
            unit="ms", met=None,
            note=f"schema + quick_check over {size_mb:.0f} MB; median of {len(first)}"),
        f"open_{label}_documents_again": figure(
            median(again) * 1000, base, goal="added cost < 10 ms once checked", unit="ms",
            met=median(again) * 1000 - base < 10,
            note=f"unchanged since checked: schema compared, pages not read again; added "
                 f"{median(again) * 1000 - base:.1f} ms"),
    }


if __name__ == "__main__":
    from benchmarks.__main__ import table

    print(table(run(quick=False)))
