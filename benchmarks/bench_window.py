"""The annotation window's feel: switching documents and storing an edit, each beside a
baseline measured in the same run.

- Switch: ``MainWindow.open_document`` (read the text and the annotator's set, set the text,
  build the highlights, refresh both lists) followed by a synchronous repaint of the article,
  so the figure includes the highlights being drawn. Baseline: a bare ``QTextEdit`` doing
  ``setPlainText`` of the same text and the same repaint: what any Qt text view pays.
- Edit: one entity added through the window's undo adapter on words the annotator has on
  screen (one SQLite transaction, then the lists and highlights refreshed), followed by the
  event loop painting everything the edit scheduled: the article around the new span, the
  entity list, the status bar. The run checks that the article really was repainted inside
  each timed edit, so a repaint pushed out of the window cannot flatter the figure. Baseline:
  a bare sqlite3 insert committed in its own transaction in a WAL file with the same
  ``synchronous`` setting.
- Filter: the document list's word filter on a generated project of 100,000 documents
  (5,000 with ``quick``): ``DocumentListModel.set_filter`` (the first page, on the GUI
  thread; the number of matches is counted by a worker) for common, rare, one-letter and
  absent words. Baseline: the same list reloaded without a filter. Goal: p95 under 100 ms,
  so typing in the filter never stalls the window.
- Queue: on the same project with its documents assigned to three annotators (20% shared),
  the first page of "My queue" order (the annotator's queue, then the rest), plain and with
  the word filter; baseline: the first page in document order. Goal: p95 under 100 ms.

Runs offscreen. ``python -m benchmarks.bench_window`` prints the figures as JSON.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks import corpus, figure, percentile
from gui.core import edits
from gui.core.schema import load_schema
from gui.core.store import Project

SMALL_WORDS = 1000
SMALL_HIGHLIGHTS = 100
LARGE_WORDS = 50_000
LARGE_HIGHLIGHTS = 2000


def _words_span(text: str, rng: random.Random) -> tuple[int, int]:
    while True:
        start = rng.randrange(len(text) - 20)
        if text[start].isalpha() and (start == 0 or text[start - 1] == " "):
            end = text.find(" ", start)
            if end > start:
                return start, end


def _build(folder: Path, seed: int = 7) -> tuple[Path, list[int]]:
    """Two 1,000-word articles with 100 highlights each and one 50,000-word article."""
    rng = random.Random(seed)
    path = folder / "window.marginalia"
    labels = load_schema().labels
    with Project.create(path, load_schema()) as project:
        texts = [corpus.article_text(rng, SMALL_WORDS), corpus.article_text(rng, SMALL_WORDS),
                 corpus.article_text(rng, LARGE_WORDS)]
        ids = [doc for doc, _ in project.add_documents({"text": t} for t in texts)]
        for doc, text, count in zip(ids, texts, (SMALL_HIGHLIGHTS, SMALL_HIGHLIGHTS,
                                                 LARGE_HIGHLIGHTS), strict=True):
            set_id = project.ensure_set(doc, "bench")
            spans = sorted({_words_span(text, rng) for _ in range(count)})
            with project.transaction() as conn:
                conn.executemany(
                    'INSERT INTO entities(set_id, start, "end", label, origin) '
                    "VALUES (?, ?, ?, ?, 'manual')",
                    [(set_id, s, e, rng.choice(labels)) for s, e in spans],
                )
            for k in range(max(3, count // 50)):
                s, e = spans[k * len(spans) // max(3, count // 50)]
                edits.AddStance(doc, "bench", s, min(len(text), e + 60), "US embargo on Cuba",
                                "against", (s, e)).apply(project)
    return path, ids


def _timed(action: Any, repaint: Any) -> float:
    t0 = time.perf_counter()
    action()
    repaint()
    return time.perf_counter() - t0


def _paint_counter(widget: Any) -> Any:
    """An event filter counting ``widget``'s paint events (``.count``)."""
    from PySide6.QtCore import QEvent, QObject

    class Counter(QObject):
        count = 0

        def eventFilter(self, watched: Any, event: Any) -> bool:
            if watched is widget and event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    counter = Counter()
    widget.installEventFilter(counter)
    return counter


FILTER_WORDS = ("Havana", "embargo", "rodriguez", "h", "Havana embargo", "zzzz")


def _filter_times(quick: bool) -> tuple[list[float], list[float]]:
    """Seconds per word filter applied, and per unfiltered reload, on a large project."""
    from PySide6.QtCore import QThreadPool

    from gui.ui.document_list import DocumentListModel

    source = corpus.cached_project(5_000 if quick else 100_000)
    with tempfile.TemporaryDirectory(prefix="bench-filter-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "filter.marginalia")
        with Project.open(path) as project:  # an older cached file gets its index here, once
            model = DocumentListModel(project, "bench")
            ours, base = [], []
            for _ in range(3):
                for word in FILTER_WORDS:
                    ours.append(_timed(lambda w=word: model.set_filter(w, None), lambda: None))
                    base.append(_timed(lambda: model.set_filter("", None), lambda: None))
            QThreadPool.globalInstance().waitForDone()  # the counts, before the file goes
    return ours, base


def _queue_times(quick: bool) -> tuple[list[float], list[float]]:
    """Seconds per first page in queue order (plain, filtered), and in document order."""
    from PySide6.QtCore import QThreadPool

    from gui.core import assignment
    from gui.ui.document_list import DocumentListModel

    source = corpus.cached_project(5_000 if quick else 100_000)
    with tempfile.TemporaryDirectory(prefix="bench-queue-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "queue.marginalia")
        with Project.open(path) as project:
            assignment.apply(project, assignment.plan(project, assignment.Request(
                ("bench", "ben", "cy"), 1, 0.2, seed=1)))
            model = DocumentListModel(project, "bench")
            ours, base = [], []
            pool = QThreadPool.globalInstance()
            for _ in range(3):
                for word in ("", "Havana", "embargo"):
                    model.set_filter(word, None)
                    # Each side after the last background count is done: it competes for
                    # the two cores with whichever side it happens to overlap.
                    pool.waitForDone()
                    ours.append(_timed(lambda: model.set_order("queue"), lambda: None))
                    pool.waitForDone()
                    base.append(_timed(lambda: model.set_order("id"), lambda: None))
            pool.waitForDone()
    return ours, base


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    from PySide6.QtWidgets import QApplication, QTextEdit

    from gui.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("MarginaliaBench")
    app.setApplicationName("MarginaliaBench")
    rounds_small = 10 if quick else 40
    rounds_large = 3 if quick else 10
    rounds_edit = 20 if quick else 80
    with tempfile.TemporaryDirectory(prefix="bench-window-") as tmp:
        path, (small_a, small_b, large) = _build(Path(tmp))
        window = MainWindow(path, "bench")
        window.resize(1440, 900)
        window.show()
        app.processEvents()
        bare = QTextEdit()
        bare.resize(window.view.size())
        bare.setFont(window.view.font())
        bare.show()
        app.processEvents()
        texts = {d: window.project.document(d).text for d in (small_a, small_b, large)}
        repaint_view = window.view.viewport().repaint
        repaint_bare = bare.viewport().repaint

        def switch(doc_ids: list[int], rounds: int) -> tuple[list[float], list[float]]:
            ours, base = [], []
            for i in range(rounds):
                doc = doc_ids[i % len(doc_ids)]
                ours.append(_timed(lambda d=doc: window.open_document(d), repaint_view))
                base.append(_timed(lambda d=doc: bare.setPlainText(texts[d]), repaint_bare))
                app.processEvents()
            return ours, base

        switch([small_a, small_b], 4)  # warm up caches and fonts
        small_ours, small_base = switch([small_a, small_b], rounds_small)
        large_ours, large_base = switch([large, small_a], rounds_large * 2)
        large_ours, large_base = large_ours[::2], large_base[::2]

        window.open_document(small_a)
        app.processEvents()
        painted = _paint_counter(window.view.viewport())
        rng = random.Random(3)
        synchronous = window.project.conn.execute("PRAGMA synchronous").fetchone()[0]
        conn = sqlite3.connect(Path(tmp) / "bare.sqlite", isolation_level=None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute(f"PRAGMA synchronous = {synchronous}")
        conn.execute('CREATE TABLE t(id INTEGER PRIMARY KEY, start INT, "end" INT, label TEXT)')
        edit_ours, edit_base = [], []
        for _ in range(rounds_edit):
            start, end = _words_span(texts[small_a], rng)
            window.view.show_span(*window.controller.offsets.span_to_qt(start, end))
            app.processEvents()  # the annotator's selection, on screen
            edit = edits.AddEntity(small_a, "bench", start, end, "ORG")
            before = painted.count
            edit_ours.append(_timed(lambda e=edit: window.undo.push(e), app.processEvents))
            if painted.count == before:
                raise RuntimeError("the edit was not painted inside its timing")

            def bare_insert(s: int = start, e: int = end) -> None:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute('INSERT INTO t(start, "end", label) VALUES (?, ?, ?)', (s, e, "ORG"))
                conn.execute("COMMIT")

            edit_base.append(_timed(bare_insert, lambda: None))
            window.undo_stack.undo()
            app.processEvents()
        conn.close()
        window.close()
        bare.close()
        app.processEvents()

    filter_ours, filter_base = _filter_times(quick)
    queue_ours, queue_base = _queue_times(quick)

    ms = 1000.0
    out: dict[str, dict[str, Any]] = {}
    for name, ours, base, goal in (
        ("switch_document_1000w_100hl", small_ours, small_base, 30.0),
        ("switch_document_50000w", large_ours, large_base, 200.0),
    ):
        p50, p95 = percentile(ours, 50) * ms, percentile(ours, 95) * ms
        out[f"{name}_p50"] = figure(p50, percentile(base, 50) * ms, goal=f"< {goal:g} ms",
                                    unit="ms", met=p50 < goal,
                                    note="baseline: bare QTextEdit setPlainText + repaint")
        out[f"{name}_p95"] = figure(p95, percentile(base, 95) * ms, goal=f"< {goal:g} ms",
                                    unit="ms", met=p95 < goal)
    p50, p95 = percentile(edit_ours, 50) * ms, percentile(edit_ours, 95) * ms
    out["window_edit_stored_shown_p50"] = figure(
        p50, percentile(edit_base, 50) * ms, goal="< 10 ms", unit="ms", met=p50 < 10,
        note="baseline: bare sqlite3 insert + commit, same synchronous setting; ours includes "
             "painting all the edit scheduled")
    out["window_edit_stored_shown_p95"] = figure(
        p95, percentile(edit_base, 95) * ms, goal="< 10 ms", unit="ms", met=p95 < 10)
    label = "5k" if quick else "100k"
    p50, p95 = percentile(filter_ours, 50) * ms, percentile(filter_ours, 95) * ms
    out[f"window_filter_{label}_documents_p50"] = figure(
        p50, percentile(filter_base, 50) * ms, goal="< 100 ms", unit="ms", met=p50 < 100,
        note=f"words: {', '.join(FILTER_WORDS)}; baseline: the same list reloaded unfiltered")
    out[f"window_filter_{label}_documents_p95"] = figure(
        p95, percentile(filter_base, 95) * ms, goal="< 100 ms", unit="ms", met=p95 < 100)
    p50, p95 = percentile(queue_ours, 50) * ms, percentile(queue_ours, 95) * ms
    out[f"window_queue_first_page_{label}_documents_p50"] = figure(
        p50, percentile(queue_base, 50) * ms, goal="< 100 ms", unit="ms", met=p50 < 100,
        note="'My queue' order, unfiltered and filtered by Havana, embargo; 3 annotators, 20% "
             "shared; baseline: the same first page in document order")
    out[f"window_queue_first_page_{label}_documents_p95"] = figure(
        p95, percentile(queue_base, 95) * ms, goal="< 100 ms", unit="ms", met=p95 < 100)
    return out


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
