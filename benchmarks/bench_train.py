"""Training time on 500 documents, and the learning curve (F1 after 25, 50, 100, 200).

Time: a project of generated articles with gold (benchmarks/gold_corpus.py), plus a fifth as
many untouched ones for rehearsal and ranking, trained with the defaults ``marginalia train``
uses (``train_project``). The baseline measured in the same run is one bare ``nlp.pipe`` pass
of the same installed pipeline over the training texts: the ratio says how many such passes
training costs. Goal: at most 5 minutes for 500 documents on two cores.

Curve (``--curve``): training sets of 25, 50, 100 and 200 articles built from eight of the
sample articles' sentences; one fixed test set of 50 articles built from the other four, so no
test sentence was seen in training. Printed as a table for docs/training.md.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure, gold_corpus
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files

FULL = 500
QUICK = 60
GOAL_SECONDS = 300
CURVE = (25, 50, 100, 200)
CURVE_TEST = 50


def build(path: Path, gold: list[dict[str, Any]], plain: list[dict[str, Any]]) -> Path:
    source = gold_corpus.write(path.with_suffix(".jsonl"), gold + plain)
    with Project.create(path, load_schema()) as project:
        import_files(project, [source])
    source.unlink()
    return path


def _bare_pass(project: Project, ids: list[int]) -> float:
    import spacy

    from gui.nlp.train import base_pipeline

    nlp = spacy.load(base_pipeline(project))
    texts = [project.document(i).text for i in ids]
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - started


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    from gui.nlp.train import train_project

    n = QUICK if quick else FULL
    train_pool, _test_pool = gold_corpus.pools()
    gold = [gold_corpus.article(train_pool, i) for i in range(n)]
    plain = [gold_corpus.untouched(train_pool, i) for i in range(n // 5)]
    with tempfile.TemporaryDirectory(prefix="bench-train-", dir=corpus.cache_dir()) as tmp:
        path = build(Path(tmp) / "train.marginalia", gold, plain)
        with Project.open(path) as project:
            started = time.perf_counter()
            report = train_project(project)
            took = time.perf_counter() - started
            bare = _bare_pass(project, project.document_ids()[: report.train_documents])
    return {
        f"train_{n}_documents": figure(
            took, bare, goal=f"at most {GOAL_SECONDS} s for {FULL} documents", unit="s",
            met=took <= GOAL_SECONDS * n / FULL,
            note=f"{report.train_documents} training + {report.test_documents} held-out "
                 f"documents, {report.rehearsal_documents} rehearsal texts; baseline: one bare "
                 f"nlp.pipe pass over the training texts ({bare:.1f} s); held-out F1 entities "
                 f"{report.current.entities.f1:.3f} -> {report.trained.entities.f1:.3f}, stance "
                 f"{report.current.stance.f1:.3f} -> {report.trained.stance.f1:.3f}; seconds "
                 f"per step {', '.join(f'{k} {v:.0f}' for k, v in report.steps.items())}; "
                 f"{report.ner_iterations} recognizer passes",
        ),
    }


def gui_latency(n: int = 40) -> dict[str, dict[str, Any]]:
    """The GUI thread's timer gaps while training runs in a worker thread, beside the same
    timer with nothing running: whether training in a thread would freeze painting."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks import percentile
    from gui.nlp.train import train_project
    from gui.ui.workers import Job

    app = QApplication.instance() or QApplication([])
    train_pool, _test = gold_corpus.pools()
    gold = [gold_corpus.article(train_pool, i) for i in range(n)]

    def gaps(job: Job | None, seconds: float) -> list[float]:
        found: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]
        timer = QTimer()
        timer.setInterval(16)

        def tick() -> None:
            now = clock.elapsed()
            found.append(now - last[0])
            last[0] = now
            if (job is None and now > seconds * 1000) or (job is not None and job.done.is_set()):
                app.quit()

        timer.timeout.connect(tick)
        timer.start()
        if job is not None:
            job.start()
        app.exec()
        timer.stop()
        return found

    with tempfile.TemporaryDirectory(prefix="bench-gil-", dir=corpus.cache_dir()) as tmp:
        path = build(Path(tmp) / "gil.marginalia", gold, [])
        job = Job(path, lambda project, progress, cancelled: train_project(project))
        busy = gaps(job, 0)
        idle = gaps(None, 5)
    worst, p99 = max(busy), percentile(busy, 99)
    return {
        "train_gui_timer_gap_p99": figure(
            p99, percentile(idle, 99), goal="below 100 ms: painting never waits long",
            unit="ms", met=p99 < 100,
            note=f"16 ms timer on the GUI thread while training {n} documents in a worker "
                 f"thread; worst gap {worst:.0f} ms over {len(busy)} ticks; baseline: the "
                 "same timer with nothing running",
        ),
    }


def curve() -> str:
    """The learning curve as a Markdown table."""
    from gui.nlp.train import train_project
    from gui.nlp.train_data import Split, load_documents

    train_pool, test_pool = gold_corpus.pools()
    rows = ["| training documents | entities F1 (rules → trained) | stance F1 (rules → trained) "
            "| stance P / R trained | holder right (trained) | seconds |",
            "|---:|---|---|---|---|---:|"]
    test = [gold_corpus.article(test_pool, i, seed=1) for i in range(CURVE_TEST)]
    for n in CURVE:
        gold = [gold_corpus.article(train_pool, i) for i in range(n)]
        plain = [gold_corpus.untouched(train_pool, i) for i in range(max(10, n // 5))]
        with tempfile.TemporaryDirectory(prefix="bench-curve-", dir=corpus.cache_dir()) as tmp:
            path = build(Path(tmp) / "curve.marginalia", gold + test, plain)
            with Project.open(path) as project:
                documents = load_documents(project, "done")
                split = Split("done", tuple(documents[:n]), tuple(documents[n:]))
                started = time.perf_counter()
                report = train_project(project, split=split)
                took = time.perf_counter() - started
        c, t = report.current, report.trained
        holders = f"{t.holders_right}/{t.holders_scored}" if t.holders_scored else "–"
        rows.append(f"| {n} | {c.entities.f1:.3f} → {t.entities.f1:.3f} | {c.stance.f1:.3f} → "
                    f"{t.stance.f1:.3f} | {t.stance.precision:.3f} / {t.stance.recall:.3f} | "
                    f"{holders} | {took:.0f} |")
        print(rows[-1], flush=True)
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    if "--curve" in sys.argv:
        print(curve())
    elif "--gui-latency" in sys.argv:
        from benchmarks.__main__ import table

        print(table(gui_latency()))
    else:
        from benchmarks.__main__ import table

        print(table(run(quick="--quick" in sys.argv)))
