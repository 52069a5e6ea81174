"""Which trained version pre-fill uses, in the status bar, followed live on a server.

The label ("Pre-fill: trained v3", or "Pre-fill: rules + starter" (starter.py) or
"Pre-fill: rules" once the last one in use is
removed) appears once the project has had a trained version. It reads the project's setting
again whenever the window re-reads its document list, which the window does after
everything it can do that changes the version (training, switching, removing, pre-filling,
importing, merging).

Another client's switch (the owner's, in another window or with ``train --use``) reaches an
open window on a server through the change notices it already listens to (gui/core/live.py;
trained_versions.py sends one when a switch or a removal commits). The window then shows the
new version; re-reads the list if it is in "most to gain first" order (the scores belong to
the version), keeping the current document open and selected; and tidies this user's cache of
versions (gui/core/trained_cache.py). Nothing the annotator did is touched: no set is written,
the undo history stays, and pre-fill needs no telling, as each run reads the version in use
when it starts.

A file has no notices (live.py): a second window on the same file shows the switch at its
next list re-read, and its pre-fill uses the new version anyway.

The tidy deletes folders and, on a server, reads and writes rows: on a slow disk or a distant
server that is seconds, so it runs in a pool thread on its own connection (workers.Job; a
Project belongs to the thread that opened it), never on the GUI thread, and the window opens
and answers keys meanwhile. A tidy asked for while one runs follows it, once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from gui.core.backend import ServerAddress
from gui.core.errors import MarginaliaError
from gui.core.live import Change
from gui.core.store import Project
from gui.core.trained_versions import LAST_SETTING, SETTING, named_version
from gui.nlp.starter import untrained
from gui.ui.workers import Job

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow


class PrefillInUse(QLabel):
    """The status bar's word on the version in use; ``changed`` carries the new one (None:
    the rules) when it differs from what was shown."""

    changed = Signal(object)
    tidy: VersionTidy  # set by install()

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("prefillInUse")
        self.setAccessibleName("Pre-fill uses")
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setContentsMargins(0, 0, 12, 0)  # apart from "Every edit is saved…" beside it
        self.project = project
        self.version: int | None = None
        self.refresh()

    def refresh(self) -> None:
        """Read the version in use again; a server that is away leaves the label as it was
        (the window says so elsewhere)."""
        try:
            version = named_version(self.project.setting(SETTING))
            ever = version is not None or bool(self.project.setting(LAST_SETTING))
            rules = untrained(self.project, "rules", " + starter")
            untrained_words = untrained(self.project)
        except MarginaliaError:
            return
        self.setVisible(ever)
        self.setText(f"Pre-fill: trained v{version}" if version is not None
                     else f"Pre-fill: {rules}")
        self.setToolTip("Suggestions for documents nobody has touched come from "
                        + (f"trained version v{version}" if version is not None
                           else untrained_words) + " (Tools ▸ Train…)")
        if version != self.version:
            self.version = version
            self.changed.emit(version)


def _tidy(project: Project, **_: object) -> list[str]:
    from gui.nlp.models import tidy_versions  # spaCy's side of the project, loaded in the job

    return tidy_versions(project)


class VersionTidy(QObject):
    """Versions no one needs, deleted off the GUI thread; ``finished`` carries the folders'
    names that went once no tidy is running or asked for. A failure (the server is away, the
    file is being written) is silent, as the next tidy tries again: ``finished`` then carries
    nothing."""

    finished = Signal(object)  # list[str]

    def __init__(self, location: Path | ServerAddress, parent: QObject | None = None):
        super().__init__(parent)
        self.location = location
        self._job: Job | None = None
        self._again = False
        self._gone: list[str] = []

    @property
    def running(self) -> bool:
        return self._job is not None

    def start(self) -> None:
        if self._job is not None:
            self._again = True  # what the running one read may be older than the notice
            return
        self._job = Job(self.location, _tidy, self)
        self._job.succeeded.connect(self._ended)
        self._job.failed.connect(lambda _message: self._ended([]))
        self._job.start()

    def _ended(self, gone: list[str]) -> None:
        if self._job is not None:
            self._job.deleteLater()
        self._job = None
        self._gone += gone
        if self._again:
            self._again = False
            self.start()
            return
        gone, self._gone = self._gone, []
        self.finished.emit(gone)


def install(window: MainWindow) -> PrefillInUse:
    """The label in ``window``'s status bar, re-read with its list and, on a server, when the
    owner switches or removes a version; versions no one needs are tidied now (a file's removed
    ones, a server's cached copies) and on each such notice, in the background (``tidy``)."""
    label = PrefillInUse(window.project, window)
    window.statusBar().insertPermanentWidget(0, label)
    window.documents.modelReset.connect(label.refresh)
    label.tidy = VersionTidy(window.project_path, label)

    def changed(changes: list[Change]) -> None:
        if not any(c.kind == "trained" for c in changes):
            return
        label.refresh()
        if window.documents.order == "gain":
            window.documents.reload(recount=False)  # the current document stays selected
        label.tidy.start()

    if window.live is not None:
        window.live.follow(changed)
    label.tidy.start()  # a file: removed versions a crashed reader left
    return label
