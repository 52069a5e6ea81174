"""Tools ▸ Train…: learn from the project's corrections, compare, and switch.

The dialog says what training will learn from (gold or done sets, how many documents, how many
held out), runs ``train_project`` in a worker (gui/ui/workers.py: its own connection, progress
and cancel by signal), then shows the held-out figures of the current pre-fill and of the new
version side by side, with a button to switch the project to the new version when training
did not already switch it (it does when the new version is better). Switching by that button
also scores the untouched documents with the new version, in the same worker with the same
progress and cancel, as training does when it switches: without scores "Most to gain first"
stayed in document order and said to train, just after training. Removing the version in
use is here too. Why a thread and not a process: training spends its time in thinc's numpy
and Cython code and lets the GUI thread run between batches; measured with a 16 ms timer
on the GUI thread during training, see docs/training.md.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.core.errors import MarginaliaError
from gui.core.store import GOLD, Project
from gui.ui.workers import Job

# Cancelled jobs of closed dialogs, kept alive until they stop (pruned at the next close).
_LEFT_RUNNING: set[Job] = set()
# What the verdict says a version kept beside the current pre-fill can do, in the dialog's terms
# (the command line says "--use"): the button is right under it.
USE_ANYWAY = "“Use this version” switches to it anyway"
# How a version now in use reaches the documents still to do (prefill.py, ``outdated``).
REFRESH = "Tools ▸ Pre-fill suggestions gives its suggestions to the documents nobody has touched."


def _score(project: Project, progress: Any, cancelled: Any) -> int:
    """Score the untouched documents with the version now in use ("Most to gain first")."""
    from gui.nlp.prefill import Prefiller
    from gui.nlp.uncertainty import SCORE_LIMIT, score_documents

    done = [0.0]

    def step(fraction: float) -> None:
        done[0] += fraction
        progress(round(done[0] * 1000), 1000)

    return score_documents(project, Prefiller(project), limit=SCORE_LIMIT, step=step,
                           cancelled=cancelled)


def _count(project: Project, source: str) -> int:
    from gui.nlp.train_data import finished_sets

    return len(finished_sets(project, source))


class TrainDialog(QDialog):
    """The training dialog; ``trained`` carries the report when a run ends."""

    trained = Signal(object)
    switched = Signal(str)  # what pre-fill uses now
    scored = Signal(int)  # documents scored for "Most to gain first" after a switch

    def __init__(self, project: Project, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("trainDialog")
        self.setWindowTitle("Train from corrections")
        self.project = project
        self.job: Job | None = None
        self.report: Any = None
        from gui.nlp import models

        self.may_store = models.may_store(project)  # on a server, the owner alone

        self.source_box = QComboBox(self)
        self.source_box.setObjectName("trainSource")
        self.source_box.setAccessibleName("Learn from")
        has_gold = project.conn.execute(
            "SELECT 1 FROM annotation_sets WHERE annotator = ? LIMIT 1", (GOLD,)).fetchone()
        for source, text in (("gold", "Gold sets (adjudicated by reviewers)"),
                             ("done", "Every set marked done")):
            self.source_box.addItem(f"{text}: {_count(project, source):,} documents", source)
        self.source_box.setCurrentIndex(0 if has_gold else 1)
        self.counts = QLabel(self)
        self.counts.setObjectName("trainCounts")
        self.counts.setTextFormat(Qt.TextFormat.PlainText)
        self.counts.setWordWrap(True)
        self.in_use = QLabel(self)
        self.in_use.setObjectName("trainInUse")
        self.in_use.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        form.addRow("Learn from:", self.source_box)
        form.addRow("", self.counts)
        form.addRow("Pre-fill uses:", self.in_use)

        self.progress = QProgressBar(self)
        self.progress.setObjectName("trainProgress")
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.table = QTableWidget(0, 7, self)
        self.table.setObjectName("trainFigures")
        self.table.setAccessibleName("Held-out figures: current pre-fill and trained version")
        self.table.setHorizontalHeaderLabels(
            ["", "Current P", "R", "F1", "Trained P", "R", "F1"])
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(
            self.fontMetrics().height() + 8)  # a compact table of figures, not a form
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("trainVerdict")
        self.verdict.setTextFormat(Qt.TextFormat.PlainText)
        self.verdict.setWordWrap(True)

        self.train_button = QPushButton("&Train", self)
        self.train_button.setObjectName("trainButton")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("trainCancel")
        self.cancel_button.setEnabled(False)
        self.use_button = QPushButton("&Use this version", self)
        self.use_button.setObjectName("useTrainedButton")
        self.use_button.setEnabled(False)
        self.remove_button = QPushButton("&Remove version in use", self)
        self.remove_button.setObjectName("removeTrainedButton")
        close = QPushButton("Close", self)
        buttons = QHBoxLayout()
        for button in (self.train_button, self.cancel_button, self.use_button,
                       self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.verdict)
        layout.addLayout(buttons)
        self.resize(760, 600)

        self.source_box.currentIndexChanged.connect(self._describe)
        self.train_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self.use_new_version)
        self.remove_button.clicked.connect(self.remove_in_use)
        close.clicked.connect(self.reject)
        self._describe()
        self.show_in_use()

    # ---- what training will use -----------------------------------------------------------

    def _describe(self) -> None:
        from gui.nlp.models import OWNER_ONLY
        from gui.nlp.train_data import MIN_DOCUMENTS, count_split

        learn, held = count_split(self.project, self.source_box.currentData())
        if held == 0:
            self.counts.setText(f"{learn} documents: training needs at least "
                                f"{MIN_DOCUMENTS} with a finished set.")
        else:
            self.counts.setText(f"{learn:,} documents to learn from, {held:,} held out to "
                                "measure on (chosen by document, the same every time)."
                                + ("" if self.may_store else f" {OWNER_ONLY[0].upper()}"
                                   f"{OWNER_ONLY[1:]}: you can see the version in use."))
        self.train_button.setEnabled(held > 0 and self.job is None and self.may_store)

    def show_in_use(self) -> None:
        from gui.nlp import models
        from gui.nlp.starter import untrained

        version = models.current_version(self.project)
        self.in_use.setText(f"trained version v{version}" if version
                            else untrained(self.project))
        self.remove_button.setEnabled(version is not None and self.job is None
                                      and self.may_store)

    # ---- running --------------------------------------------------------------------------

    def start(self) -> None:
        source = self.source_box.currentData()

        def work(project: Project, progress: Any, cancelled: Any) -> Any:
            from gui.nlp.train import train_project

            return train_project(project, source=source, progress=progress,
                                 cancelled=cancelled)

        self._run(work, "Training… Cancel stops it; nothing changes until it finishes.",
                  self._done, self._failed)

    def _run(self, work: Any, saying: str, succeeded: Any, failed: Any) -> None:
        """``work`` in a job, its progress in the bar, Cancel stopping it, the rest waiting."""
        self.job = Job(self.project.path, work, self)
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(succeeded)
        self.job.failed.connect(failed)
        self.train_button.setEnabled(False)
        self.remove_button.setEnabled(False)
        self.use_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.source_box.setEnabled(False)
        self.verdict.setText(saying)
        # Busy until the first progress arrives: loading spaCy takes seconds and reports none,
        # and a bar standing at 0% looked stuck.
        self.progress.setRange(0, 0)
        self.job.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc while a job runs cancels it as the Cancel button does, and the dialog stays to
        say when it stopped; with nothing running Esc closes the dialog as any dialog's."""
        if event.key() == Qt.Key.Key_Escape and self.job is not None:
            self.cancel()
            event.accept()
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        """Closing while training cancels it; the job outlives the dialog until it stops (a
        QObject deleted under its thread could not report)."""
        _LEFT_RUNNING.difference_update([j for j in _LEFT_RUNNING if j.done.is_set()])
        job = self.job
        if job is not None:
            job.cancel()
            if not job.done.is_set():
                job.setParent(None)
                _LEFT_RUNNING.add(job)
            self.job = None
        super().done(result)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.verdict.setText("Cancelling…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(min(done, total))

    def _finish_job(self) -> None:
        self.job = None
        if self.progress.maximum() == 0:  # stopped before any progress: no longer busy
            self.progress.setRange(0, 100)
            self.progress.setValue(0)
        self.cancel_button.setEnabled(False)
        self.source_box.setEnabled(True)
        self._describe()
        self.show_in_use()

    def _failed(self, message: str) -> None:
        self._finish_job()
        self.verdict.setText(message)
        self.trained.emit(None)

    def _done(self, report: Any) -> None:
        self._finish_job()
        self.report = report
        self._fill(report)
        self.verdict.setText(report.summary(how_to_use=USE_ANYWAY)
                             + (f" {REFRESH}" if report.used else ""))
        self.use_button.setEnabled(not report.used)
        self.trained.emit(report)
        if report.used:
            self.switched.emit(f"v{report.version}")

    def _fill(self, report: Any) -> None:
        rows = report.rows()
        self.table.setRowCount(len(rows) + 1)
        for row, (name, current, trained) in enumerate(rows):
            values = [name, *(f"{v:.3f}" for v in (current.precision, current.recall,
                                                   current.f1, trained.precision,
                                                   trained.recall, trained.f1))]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                if column == 6 and trained.f1 > current.f1:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
        from gui.nlp.train import holder_figure

        last = len(rows)
        holders = [("holder right", 0), (holder_figure(report.current), 3),
                   (holder_figure(report.trained), 6)]
        for value, column in holders:
            self.table.setItem(last, column, QTableWidgetItem(value))
        for column in range(1, 7):
            self.table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.ResizeToContents)

    # ---- switching ------------------------------------------------------------------------

    def use_new_version(self) -> None:
        from gui.nlp import models

        if self.report is None:
            return
        version = self.report.version
        models.use_version(self.project, version)
        self.show_in_use()
        self.switched.emit(f"v{version}")
        # Bound methods, not lambdas: a dialog closed while scoring is deleted, and Qt then
        # drops its connections, where a lambda's would call into the deleted dialog.
        self._run(_score, f"Pre-fill now uses v{version}. Scoring the untouched documents "
                  "for “Most to gain first”…", self._scored, self._scoring_failed)

    def _now_in_use(self) -> str:
        assert self.report is not None
        return f"Pre-fill now uses v{self.report.version}. {REFRESH}"

    def _scored(self, count: int) -> None:
        self._finish_job()
        self.use_button.setEnabled(False)
        self.verdict.setText(f"{self._now_in_use()} {count:,} untouched documents scored for "
                             "“Most to gain first”." if count else self._now_in_use())
        self.scored.emit(count)

    def _scoring_failed(self, message: str) -> None:
        self._scored(0)
        self.verdict.setText(f"{self._now_in_use()} Scoring stopped: {message}")

    def remove_in_use(self) -> None:
        from gui.nlp import models
        from gui.nlp.starter import untrained

        try:
            removal = models.remove_version(self.project)
        except (MarginaliaError, OSError) as exc:
            self.verdict.setText(str(exc))
            return
        self.show_in_use()
        self.use_button.setEnabled(False)
        self.verdict.setText(removal.summary())
        self.switched.emit(f"v{removal.in_use}" if removal.in_use
                           else untrained(self.project, "rules", " + starter"))

