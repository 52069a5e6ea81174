"""Pre-fill throughput against bare ``nlp.pipe`` with the same pipeline over the same texts.

The baseline is the least any pre-fill must do: run the loaded pipeline (the same object,
with the same components, the entity ruler included) over the documents' texts with
``nlp.pipe`` and the same batch size, and look at nothing. Pre-fill on top of that reads the
texts from the project, finds stances, and writes every suggestion in transactions. The two
alternate, so drift on a shared machine hits both; each side's best run counts.

A second figure compares two processes with one over the same documents: pre-fill only uses
two when there is enough text to pay for starting the second (PARALLEL_MIN_CHARS).
"""

from __future__ import annotations

import gc
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure
from gui.core.store import Project
from gui.nlp.prefill import PIPE_BATCH, Prefiller, prefill_project

FULL = 400  # articles of about 350 words: some 140,000 words
QUICK = 60
GOAL_RATIO = 0.9


def _bare(prefiller: Prefiller, texts: list[str]) -> tuple[float, float]:
    """(wall, CPU) seconds of bare nlp.pipe."""
    started, cpu = time.perf_counter(), time.process_time()
    for _doc in prefiller.loaded.nlp.pipe(texts, batch_size=PIPE_BATCH):
        pass
    return time.perf_counter() - started, time.process_time() - cpu


def _ours(project: Project, prefiller: Prefiller, n_process: int,
          expected: int | None = None) -> tuple[float, float]:
    """(wall, CPU of this process) seconds of a forced pre-fill of every untouched document."""
    started, cpu = time.perf_counter(), time.process_time()
    report = prefill_project(project, force=True, prefiller=prefiller, n_process=n_process)
    took = time.perf_counter() - started, time.process_time() - cpu
    assert report.documents_done == (expected or project.count_documents()), report.summary()
    return took


def _trained(project: Project, quick: bool) -> Prefiller:
    """Train a small version on generated gold articles added to the project, and load it.

    The figure is about speed, so training is short; the classifier, the holder scorer and
    the fine-tuned recognizer run at pre-fill time whatever their quality.
    """
    from benchmarks import gold_corpus
    from gui.formats.importer import import_files
    from gui.nlp.train import train_project

    pool, _test = gold_corpus.pools()
    source = gold_corpus.write(project.path.with_name("gold.jsonl"),
                               [gold_corpus.article(pool, i) for i in range(20 if quick else 40)])
    import_files(project, [source])
    report = train_project(project, use=True, ner_iterations=1, stance_iterations=3)
    prefiller = Prefiller(project, trained=report.folder)
    assert prefiller.trained is not None
    # Asked for every sentence whatever cross-validation chose ("never" skips it entirely).
    prefiller.trained.threshold, prefiller.trained.veto = 0.6, 0.9
    return prefiller


def _alternate(
    project: Project, prefiller: Prefiller, texts: list[str], attempts: int,
    expected: int | None = None,
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """(wall, CPU) of pre-fill and of bare ``nlp.pipe``, alternated so drift hits both."""
    ours: list[tuple[float, float]] = []
    bare: list[tuple[float, float]] = []
    for _attempt in range(attempts):
        gc.collect()
        bare.append(_bare(prefiller, texts))
        gc.collect()
        ours.append(_ours(project, prefiller, 1, expected=expected))
    return ours, bare


def trained_figure(quick: bool) -> dict[str, dict[str, Any]]:
    """Pre-fill with a trained version (classifier and holder scorer on top of the fine-tuned
    pipeline) against bare ``nlp.pipe`` of that same pipeline, over the same texts."""
    n = QUICK if quick else FULL
    source = corpus.cached_project(n)
    with tempfile.TemporaryDirectory(prefix="bench-prefill-t-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "prefill.marginalia")
        with Project.open(path) as project:
            texts = [r[0] for r in project.conn.execute("SELECT text FROM documents ORDER BY id")]
            prefiller = _trained(project, quick)
            prefill_project(project, prefiller=prefiller)  # the gold documents, once, unmeasured
            words = sum(len(t.split()) for t in texts)
            list(prefiller.loaded.nlp.pipe(texts[:5]))
            ours, bare = _alternate(project, prefiller, texts, 2 if quick else 3,
                                    expected=len(texts))
            name = f"{prefiller.loaded.name} {prefiller.loaded.version}"
    ours_cpu, bare_cpu = min(c for _w, c in ours), min(c for _w, c in bare)
    ours_rate, bare_rate = words / ours_cpu, words / bare_cpu
    return {
        f"prefill_trained_{n}_articles_throughput": figure(
            ours_rate, bare_rate, goal=f"at least {GOAL_RATIO:g}x bare nlp.pipe", unit="words/s",
            met=ours_rate >= GOAL_RATIO * bare_rate,
            note=f"{name} (trained: fine-tuned recognizer, stance classifier, holder scorer); "
                 f"{words:,} words; CPU: pre-fill {ours_cpu:.2f} s vs bare nlp.pipe of the same "
                 f"pipeline {bare_cpu:.2f} s; best of {len(ours)}",
        ),
    }


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick else FULL
    source = corpus.cached_project(n)
    with tempfile.TemporaryDirectory(prefix="bench-prefill-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "prefill.marginalia")
        with Project.open(path) as project:
            prefiller = Prefiller(project)
            texts = [r[0] for r in project.conn.execute("SELECT text FROM documents ORDER BY id")]
            words = sum(len(t.split()) for t in texts)
            list(prefiller.loaded.nlp.pipe(texts[:5]))  # warm up both sides' caches
            ours, bare = _alternate(project, prefiller, texts, 2 if quick else 3)
            gc.collect()
            two, _cpu = _ours(project, prefiller, 2)
            name = f"{prefiller.loaded.name} {prefiller.loaded.version}"
    # CPU time is the fairer measure on a shared machine (both sides run in this process);
    # wall-clock time is reported beside it.
    ours_cpu, bare_cpu = min(c for _w, c in ours), min(c for _w, c in bare)
    one, bare_wall = min(w for w, _c in ours), min(w for w, _c in bare)
    ours_rate, bare_rate = words / ours_cpu, words / bare_cpu
    return {
        f"prefill_{n}_articles_throughput": figure(
            ours_rate, bare_rate, goal=f"at least {GOAL_RATIO:g}x bare nlp.pipe", unit="words/s",
            met=ours_rate >= GOAL_RATIO * bare_rate,
            note=f"{name}; {words:,} words; CPU: pre-fill {ours_cpu:.2f} s vs bare nlp.pipe "
                 f"{bare_cpu:.2f} s; wall: {one:.2f} s vs {bare_wall:.2f} s "
                 f"(wall ratio {bare_wall / one:.2f}); best of {len(ours)}",
        ),
        f"prefill_{n}_articles_two_processes": figure(
            two, one, goal="informational: below 1 means two processes pay", unit="s",
            met=None,
            note=f"n_process=2 {two:.2f} s vs n_process=1 {one:.2f} s on "
                 f"{len(texts)} documents",
        ),
        **trained_figure(quick),
    }


if __name__ == "__main__":
    import sys

    from benchmarks.__main__ import table

    if "--trained" in sys.argv:
        print(table(trained_figure(quick="--quick" in sys.argv)))
    else:
        print(table(run(quick="--quick" in sys.argv)))
