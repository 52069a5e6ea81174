"""Long work runs in a pool thread against its own connection; a window closed while it runs
takes the job with it, and the thread's last word must then go nowhere, not fail."""

from __future__ import annotations

import threading
import weakref
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QThreadPool

from gui.core.schema import load_schema
from gui.core.store import Project
from gui.ui.workers import Job


def test_a_job_whose_window_closed_finishes_without_an_error(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "p.marginalia"
    Project.create(path, load_schema()).close()
    running, finish = threading.Event(), threading.Event()

    def work(_project: Project, progress, cancelled) -> str:
        running.set()
        finish.wait(10)
        progress(1, 1)
        return "done"

    job = Job(path, work)
    done = job.done
    with qtbot.captureExceptions() as raised:
        job.start()
        assert running.wait(10)
        shiboken6.delete(job)  # its window closed meanwhile
        finish.set()
        assert done.wait(10)
        assert QThreadPool.globalInstance().waitForDone(10_000)
        QCoreApplication.processEvents()
    assert raised == []


def test_a_job_still_reports_its_progress_and_result(qtbot, tmp_path: Path) -> None:
    path = tmp_path / "p.marginalia"
    Project.create(path, load_schema()).close()
    job = Job(path, lambda _project, progress, cancelled: (progress(2, 3), "result")[1])
    seen: list[tuple[int, int]] = []
    job.progress.connect(lambda done, total: seen.append((done, total)))
    with qtbot.waitSignal(job.succeeded, timeout=10_000) as result:
        job.start()
    assert result.args == ["result"] and seen == [(2, 3)]


def test_a_window_may_let_go_of_its_job_in_the_slot_its_end_calls(qtbot, tmp_path: Path) -> None:
    """As the dashboard does (``self._job = None`` in the slot ``succeeded`` calls): the job
    must not be deleted inside its own signal (a segmentation fault under load), and is let go
    once its slots have run."""
    path = tmp_path / "p.marginalia"
    Project.create(path, load_schema()).close()
    window: dict[str, Job] = {"job": Job(path, lambda _project, progress, cancelled: "result")}
    ended: list[str] = []

    def show(result: str) -> None:
        del window["job"]  # the window's last reference
        ended.append(result)

    window["job"].succeeded.connect(show)
    gone = weakref.ref(window["job"])
    with qtbot.captureExceptions() as raised:
        window["job"].start()
        qtbot.waitUntil(lambda: ended == ["result"], timeout=10_000)
        qtbot.waitUntil(lambda: gone() is None, timeout=10_000)
    assert raised == []
