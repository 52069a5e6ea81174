"""Issue 12's figures of reading work on a server, each beside the same work on a project
file in the same run (the file is the baseline):

- switching documents: what the window reads from the store to show another document (the
  document and the annotator's set, ``AnnotationController.show_document``), p95 over
  random documents of a large project; goal < 50 ms;
- agreement (``compute_agreement``, warm: its unit cache filled) and a JSONL export of every
  annotator's sets; goal: within 2x of the file.

The server is the test suite's throwaway one (tests/postgres_server.py): local socket, fsync
off. Sizes: ``DOCUMENTS`` documents with three annotators (2,000 with ``--quick``); the
issue's 100,000-document switching figure is ``--documents 100000 --switch-only`` (on a corpus
without annotators: agreement over 100,000 documents is another benchmark's business).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure, percentile
from gui.core.copy import copy_project
from gui.core.store import Project

DOCUMENTS = 10_000
QUICK = 2_000
ANNOTATORS = ("ana", "ben", "cy")
SWITCHES = 400
SWITCH_GOAL_MS = 50.0


def _switch_times(project: Project, rounds: int, seed: int = 3) -> list[float]:
    rng = random.Random(seed)
    ids = project.document_ids()
    times = []
    for _ in range(rounds):
        doc = rng.choice(ids)
        t0 = time.perf_counter()
        project.document(doc)
        project.annotation_set(doc, "ana")
        times.append(time.perf_counter() - t0)
    return times


def _agreement_s(project: Project) -> float:
    from gui.review.agreement import compute_agreement

    compute_agreement(project)  # fills the unit cache: the warm figure is the one a user waits
    t0 = time.perf_counter()
    compute_agreement(project)
    return time.perf_counter() - t0


def _export_s(project: Project, out: Path) -> float:
    from gui.formats.export import export_project

    t0 = time.perf_counter()
    export_project(project, out, force=True)
    return time.perf_counter() - t0


def measure(documents: int, *, switch_only: bool = False) -> dict[str, Any]:
    from tests.postgres_server import start_server

    source = corpus.cached_project(documents, annotators=() if switch_only else ANNOTATORS)
    server = start_server()
    try:
        address = server.address(server.database())
        with Project.open(source) as project:
            copy_project(project, address)
        with tempfile.TemporaryDirectory(prefix="bench-server-work-") as tmp:
            path = corpus.project_copy(source, Path(tmp) / "file.marginalia")
            results: dict[str, Any] = {}
            with Project.open(path) as on_file, Project.open(address) as on_server:
                _switch_times(on_file, 20)  # warm both sides' caches alike
                _switch_times(on_server, 20)
                results["switch"] = (_switch_times(on_server, SWITCHES),
                                     _switch_times(on_file, SWITCHES))
                if switch_only:
                    return results
                results["agreement"] = (_agreement_s(on_server), _agreement_s(on_file))
                results["export"] = (_export_s(on_server, Path(tmp) / "server.jsonl"),
                                     _export_s(on_file, Path(tmp) / "file.jsonl"))
    finally:
        server.stop()
    return results


def run(quick: bool = False, documents: int | None = None,
        switch_only: bool = False) -> dict[str, dict[str, Any]]:
    n = documents if documents is not None else QUICK if quick else DOCUMENTS
    results = measure(n, switch_only=switch_only)
    server_switch, file_switch = results["switch"]
    value, base = percentile(server_switch, 95) * 1000, percentile(file_switch, 95) * 1000
    out = {
        f"server_switch_document_{n}_p95": figure(
            value, base, goal=f"p95 < {SWITCH_GOAL_MS:g} ms", unit="ms",
            met=value < SWITCH_GOAL_MS,
            note=f"{SWITCHES} switches (document + set read) on a server vs the same file"),
    }
    for name in ("agreement", "export"):
        if name not in results:
            continue
        on_server, on_file = results[name]
        out[f"server_{name}_{n}"] = figure(
            on_server, on_file, goal="within 2x of the file", unit="s",
            met=on_server <= 2 * on_file,
            note=f"{n} documents, 3 annotators; baseline: the same on a project file")
    return out


if __name__ == "__main__":
    from benchmarks.__main__ import table

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=QUICK)
    parser.add_argument("--switch-only", action="store_true",
                        help="only the switching figure (a corpus without annotators)")
    args = parser.parse_args()
    print(table(run(documents=args.documents, switch_only=args.switch_only)))
