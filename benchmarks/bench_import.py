"""Import of 100,000 documents against bare ``sqlite3.executemany`` of the same rows.

The baseline does the least any importer must: read the JSONL, parse each line, hash the text
(the table's unique key) and insert the rows with one ``executemany`` in one transaction, into
a table of the same shape (the project's own CREATE TABLE and index) with the same pragmas.
The insert alone is reported too, so a reader sees how much of either side is parsing.
"""

from __future__ import annotations

import gc
import hashlib
import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure
from gui.core.schema import load_schema
from gui.core.store import Project, now
from gui.formats.importer import import_files

FULL = 100_000
QUICK = 5_000
GOAL_RATIO = 2.0


def _documents_ddl(project: Project) -> list[str]:
    return [
        sql for (sql,) in project.conn.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'documents' AND sql IS NOT NULL "
            "ORDER BY type != 'table'"  # the table before its index and trigger
        )
    ]


def _bare_rows(source: Path) -> list[tuple[Any, ...]]:
    stamp = now()
    rows = []
    with source.open(encoding="utf-8") as lines:
        for line in lines:
            obj = json.loads(line)
            text, meta = obj["text"], obj["meta"]
            rows.append((
                text,
                hashlib.sha256(text.encode("utf-8")).hexdigest(),
                len(text),
                meta["title"], meta["source"], meta["date"], meta["url"],
                "{}",
                stamp,
            ))
    return rows


def _bare_import(source: Path, database: Path, ddl: list[str]) -> tuple[float, float, int]:
    """(parse seconds, insert seconds, rows) for the baseline."""
    conn = sqlite3.connect(database, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    for sql in ddl:
        conn.execute(sql)
    started = time.perf_counter()
    rows = _bare_rows(source)
    parsed = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(
        "INSERT INTO documents(text, hash, length, title, source, date, url, meta, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("COMMIT")
    inserted = time.perf_counter()
    count = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    conn.close()
    return parsed - started, inserted - parsed, count


def _marginalia_import(source: Path, path: Path) -> tuple[float, int]:
    Project.create(path, load_schema()).close()
    with Project.open(path) as project:
        started = time.perf_counter()
        report = import_files(project, [source])
        took = time.perf_counter() - started
        count = project.count_documents()
    assert report.documents_added == count, report.summary()
    return took, count


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick else FULL
    with tempfile.TemporaryDirectory(prefix="bench-import-", dir=corpus.cache_dir()) as tmp:
        folder = Path(tmp)
        source = corpus.write_jsonl(folder / "articles.jsonl", n)
        # The DDL comes from a real project, so the baseline's table is ours, column for column.
        with Project.create(folder / "shape.marginalia", load_schema()) as shape:
            ddl = _documents_ddl(shape)
        # Warm the page cache for the source file, then alternate so drift hits both sides.
        source.read_bytes()
        ours: list[float] = []
        bare: list[tuple[float, float]] = []
        for attempt in range(1 if not quick else 2):
            gc.collect()
            took, count = _marginalia_import(source, folder / f"ours{attempt}.marginalia")
            assert count == n, f"imported {count} of {n}"
            ours.append(took)
            gc.collect()
            parse, insert, count = _bare_import(source, folder / f"bare{attempt}.sqlite", ddl)
            assert count == n
            bare.append((parse, insert))
        value = min(ours)
        parse, insert = min(bare, key=sum)
    label = f"{n // 1000}k" if n >= 1000 else str(n)
    return {
        f"import_{label}_documents": figure(
            value, parse + insert, goal=f"within {GOAL_RATIO:g}x of bare parse+executemany",
            unit="s", met=value <= GOAL_RATIO * (parse + insert),
            note=f"{n / value:,.0f} documents/s; bare: parse {parse:.2f} s + insert "
                 f"{insert:.2f} s; {value / insert:.1f}x the insert alone",
        ),
    }


if __name__ == "__main__":
    from benchmarks.__main__ import table

    print(table(run(quick=True)))
