"""Export of 100,000 annotated documents to native JSONL against a bare sqlite3 read.

The baseline does the least any exporter must: read the same rows (documents joined with
their annotation sets, the sets' entities and stances) with plain ``sqlite3`` and write one
``json.dumps`` line per set, holding entities and stances in dicts for the whole run. Ours
streams in chunks inside a read transaction, builds the native record (span texts, meta),
writes a temporary file, fsyncs and renames it. Each side runs in its own child process, so
its peak resident memory (VmHWM) is its own: the figure that shows the export streams.

The project is generated deterministically (benchmarks/corpus.py, one annotator) and cached
between runs. The default size is 20,000 documents: at 100,000 the first run spends about
8 minutes building the project and every run about 4.5 minutes exporting (2-core machine), too
long for ``make bench``. ``MARGINALIA_BENCH_EXPORT_N=100000`` measures the full size;
``--quick`` uses 5,000. The size used is printed and is part of the figure's name.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure

FULL = int(os.environ.get("MARGINALIA_BENCH_EXPORT_N", "20000"))
QUICK = 5_000
GOAL_RATIO = 2.0


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def ours(project_path: Path, out: Path) -> dict[str, Any]:
    from gui.core.store import Project
    from gui.formats.export import export_project

    with Project.open(project_path) as project:
        started = time.perf_counter()
        report = export_project(project, out, force=True)
        took = time.perf_counter() - started
    return {"seconds": took, "records": report.records, "rss_mb": _peak_rss_mb()}


def bare(project_path: Path, out: Path) -> dict[str, Any]:
    conn = sqlite3.connect(f"{project_path.resolve().as_uri()}?mode=ro", uri=True)
    started = time.perf_counter()
    entities: dict[int, list[dict[str, Any]]] = {}
    for set_id, start, end, label in conn.execute(
        'SELECT set_id, start, "end", label FROM entities ORDER BY set_id, start, "end", id'
    ):
        entities.setdefault(set_id, []).append({"start": start, "end": end, "label": label})
    stances: dict[int, list[dict[str, Any]]] = {}
    for set_id, start, end, target, polarity, hs, he in conn.execute(
        'SELECT set_id, start, "end", target, polarity, holder_start, holder_end FROM stances '
        'ORDER BY set_id, start, "end", id'
    ):
        stances.setdefault(set_id, []).append({
            "start": start, "end": end, "target": target, "polarity": polarity,
            "holder": None if hs is None else {"start": hs, "end": he},
        })
    records = 0
    with out.open("w", encoding="utf-8") as fh:
        for text, title, source, date, url, meta, set_id, annotator, status in conn.execute(
            "SELECT d.text, d.title, d.source, d.date, d.url, d.meta, s.id, s.annotator, s.status"
            " FROM annotation_sets s JOIN documents d ON d.id = s.document_id "
            "ORDER BY d.id, s.annotator"
        ):
            fh.write(json.dumps({
                "text": text,
                "meta": {"title": title, "source": source, "date": date, "url": url,
                         **json.loads(meta)},
                "annotator": annotator, "status": status,
                "spans": entities.get(set_id, []), "stances": stances.get(set_id, []),
            }, ensure_ascii=False) + "\n")
            records += 1
    took = time.perf_counter() - started
    conn.close()
    return {"seconds": took, "records": records, "rss_mb": _peak_rss_mb()}


def _child(side: str, project_path: Path, out: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_export", side, str(project_path), str(out)],
        check=True, capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1],
    )
    return json.loads(done.stdout)


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick or os.environ.get("MARGINALIA_BENCH_QUICK") else FULL
    print(f"   export benchmark: {n:,} documents, one annotator", file=sys.stderr, flush=True)
    project_path = corpus.cached_project(n, annotators=("ana",))
    with tempfile.TemporaryDirectory(prefix="bench-export-", dir=corpus.cache_dir()) as tmp:
        folder = Path(tmp)
        project_path.read_bytes()  # warm the page cache so neither side pays the first read
        runs: list[tuple[dict[str, Any], dict[str, Any]]] = []
        for attempt in range(2):  # alternate, so drift on a shared machine hits both sides
            mine = _child("ours", project_path, folder / f"ours{attempt}.jsonl")
            base = _child("bare", project_path, folder / f"bare{attempt}.jsonl")
            assert mine["records"] == base["records"] == n, (mine, base)
            runs.append((mine, base))
        mine = min((r[0] for r in runs), key=lambda r: r["seconds"])
        base = min((r[1] for r in runs), key=lambda r: r["seconds"])
        size_mb = (folder / "ours0.jsonl").stat().st_size / 1e6
    label = f"{n // 1000}k" if n >= 1000 else str(n)
    value, baseline = mine["seconds"], base["seconds"]
    return {
        f"export_jsonl_{label}_documents": figure(
            value, baseline, goal=f"within {GOAL_RATIO:g}x of bare sqlite3 read + json.dumps",
            unit="s", met=value <= GOAL_RATIO * baseline,
            note=f"{n / value:,.0f} records/s, {size_mb:,.0f} MB written",
        ),
        f"export_jsonl_{label}_peak_rss": figure(
            mine["rss_mb"], base["rss_mb"], goal="streams: below the bare read's peak",
            unit="MB", met=mine["rss_mb"] < base["rss_mb"],
            note="peak resident memory of each side's process (bare holds all spans in dicts)",
        ),
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] in ("ours", "bare"):
        side = ours if sys.argv[1] == "ours" else bare
        print(json.dumps(side(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        from benchmarks.__main__ import table

        print(table(run(quick="--quick" in sys.argv)))
