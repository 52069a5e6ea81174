"""Long work (import, pre-fill, export, merge) in a pool thread, with progress and cancel.

SQLite connections belong to one thread, so a job opens its own ``Project`` on the same file
and closes it when done; results and errors come back to the GUI thread by queued signals.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from gui.core.errors import MarginaliaError
from gui.core.store import Project

# fn(project, progress=..., cancelled=...) -> result
JobFunction = Callable[..., Any]


class _Relay(QObject):
    """Carries one run's signals out of the pool thread. The thread holds it, not only the
    job: a job deleted while it still runs takes the connections to it away, and the relay's
    signals then go nowhere instead of failing in the thread. The job holds it too, so that
    it is normally deleted in the GUI thread with the job, not in the pool thread as the run
    lets go of it while the GUI thread deletes the job it is connected to."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)


# Jobs started and not yet past their last word. A window lets go of its job in the slot the
# job's own ``succeeded`` or ``failed`` calls (``self._job = None``); were that its last
# reference, the job would be deleted inside its own signal's emission, while the pool thread
# let go of the relay connected to it: the dashboard's tests crashed at that line under load
# (a segmentation fault, not reproduced on demand). Held here, a job is let go on the event
# loop's next pass, after every slot has run, and its relay with it.
_STARTED: set[Job] = set()


class Job(QObject):
    """One function run off the GUI thread against its own connection to the project."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, project_path: Path, fn: JobFunction, parent: QObject | None = None):
        super().__init__(parent)
        self.project_path = project_path
        self.fn = fn
        self._cancel = threading.Event()
        self.done = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def start(self) -> None:
        relay = _Relay()
        relay.progress.connect(self.progress)
        relay.succeeded.connect(self.succeeded)
        relay.failed.connect(self.failed)
        relay.succeeded.connect(self._ended)
        relay.failed.connect(self._ended)
        self._relay = relay
        _STARTED.add(self)
        fn, path, cancelled, done = self.fn, self.project_path, self._cancel.is_set, self.done
        QThreadPool.globalInstance().start(lambda: _run(fn, path, cancelled, done, relay))

    def _ended(self, *_last_word: object) -> None:
        # Connected after the forwarding connections: called once the job's own signal and
        # its slots are done; the job is let go later still, outside any emission of it.
        QTimer.singleShot(0, functools.partial(_STARTED.discard, self))


def _run(fn: JobFunction, project_path: Path, cancelled: Callable[[], bool],
         done: threading.Event, relay: _Relay) -> None:
    try:
        with Project.open(project_path) as project:
            result = fn(project, progress=relay.progress.emit, cancelled=cancelled)
    except MarginaliaError as exc:
        relay.failed.emit(str(exc))
    except Exception as exc:  # a bug in a job must reach the user, not kill the thread
        relay.failed.emit(f"{type(exc).__name__}: {exc}")
    else:
        relay.succeeded.emit(result)
    finally:
        done.set()


def run_with_progress(
    parent: QWidget,
    title: str,
    project_path: Path,
    fn: JobFunction,
    on_success: Callable[[Any], None],
    on_failure: Callable[[str], None],
) -> Job:
    """Start ``fn`` in a job with a cancellable progress dialog; the dialog closes at the end."""
    dialog = QProgressDialog(title, "Cancel", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    job = Job(project_path, fn, parent)

    def report(done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000)  # QProgressDialog counts in int32
            dialog.setMaximum(total // scale)
            dialog.setValue(min(done // scale, total // scale))

    def finish() -> None:
        dialog.reset()
        dialog.close()
        dialog.deleteLater()
        job.deleteLater()

    job.progress.connect(report)
    job.succeeded.connect(lambda result: (finish(), on_success(result)))
    job.failed.connect(lambda message: (finish(), on_failure(message)))
    dialog.canceled.connect(job.cancel)
    job.start()
    return job
