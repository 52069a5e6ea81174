"""Tools ▸ Assign documents…: the team, the numbers, and a preview before anything is stored.

The plan is made and applied in pool threads (gui/core/assignment.py reads every document's
hash and every assignment: about a second on 100,000 documents), and the preview is made
again at each change, the older answers dropped. Applying stores exactly what the preview
showed, or refuses if the project changed meanwhile (the core checks it in its transaction).

Who may: reviewers. Assignment decides other people's work, as adjudication does, and on a
team server row-level security will say the same; an annotator who is not a reviewer is told
the command that makes them one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui.core import assignment
from gui.core.backend import project_location
from gui.core.errors import MarginaliaError
from gui.core.store import Project, check_annotator_name
from gui.ui.workers import Job

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow

COLUMNS = ("Annotator", "Assigned", "Shared", "Done", "This run")


class AssignDialog(QDialog):
    """Choose the team and the numbers, see each annotator's counts, apply."""

    previewed = Signal()  # the preview table shows the current choices (or why it cannot)
    applied = Signal(object)  # the Plan stored

    def __init__(self, project_path: Path | str, annotators: list[str], reviewers: set[str],
                 by: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assignDialog")
        self.setWindowTitle("Assign documents")
        self.project_path = project_location(project_path)
        self.by = by
        self.plan: assignment.Plan | None = None
        self._generation = 0
        self._jobs: set[Job] = set()

        self.team = QListWidget(self)
        self.team.setObjectName("assignTeam")
        self.team.setAccessibleName("Annotators to assign documents to")
        for name in annotators:
            self._add_member(name, checked=name not in reviewers)
        self.new_names = QLineEdit(self)
        self.new_names.setObjectName("assignNewNames")
        self.new_names.setAccessibleName("Add annotators by name")
        self.new_names.setPlaceholderText("Add names, comma-separated")
        add = QPushButton("Add", self)
        add.setObjectName("assignAddButton")
        add.setAutoDefault(False)
        self.per_document = QSpinBox(self)
        self.per_document.setObjectName("assignPerDocument")
        self.per_document.setAccessibleName("Annotators per document")
        self.per_document.setRange(1, 99)
        self.overlap = QSpinBox(self)
        self.overlap.setObjectName("assignOverlap")
        self.overlap.setAccessibleName("Share of documents given to one more annotator")
        self.overlap.setRange(0, 100)
        self.overlap.setValue(20)
        self.overlap.setSuffix(" %")
        self.seed = QSpinBox(self)
        self.seed.setObjectName("assignSeed")
        self.seed.setAccessibleName("Seed")
        self.seed.setRange(0, 2**31 - 1)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("assignPreview")
        self.table.setAccessibleName("Documents per annotator after assigning")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setObjectName("assignMessage")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.apply_button = buttons.addButton("Assign", QDialogButtonBox.ButtonRole.ApplyRole)
        self.apply_button.setObjectName("assignApply")
        self.apply_button.setEnabled(False)
        for button in buttons.buttons():  # Enter in the names field adds names, nothing else
            button.setAutoDefault(False)

        adding = QHBoxLayout()
        adding.addWidget(self.new_names, 1)
        adding.addWidget(add)
        form = QFormLayout()
        form.addRow("Annotators per document:", self.per_document)
        form.addRow("Shared with one more:", self.overlap)
        form.addRow("Seed:", self.seed)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Team (documents already started stay with whoever started "
                                "them):", self))
        layout.addWidget(self.team, 1)
        layout.addLayout(adding)
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 560)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(150)
        self._debounce.timeout.connect(self.refresh_preview)
        self.team.itemChanged.connect(self._debounce.start)
        self.per_document.valueChanged.connect(self._debounce.start)
        self.overlap.valueChanged.connect(self._debounce.start)
        self.seed.valueChanged.connect(self._debounce.start)
        add.clicked.connect(self.add_names)
        self.new_names.returnPressed.connect(self.add_names)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        self.refresh_preview()

    # ---- the team -------------------------------------------------------------------------

    def _add_member(self, name: str, *, checked: bool) -> None:
        item = QListWidgetItem(name, self.team)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def chosen(self) -> list[str]:
        return [self.team.item(i).text() for i in range(self.team.count())
                if self.team.item(i).checkState() == Qt.CheckState.Checked]

    def add_names(self) -> None:
        """Names typed in the field join the team, checked; a bad one is said and kept."""
        known = {self.team.item(i).text(): self.team.item(i) for i in range(self.team.count())}
        left = []
        for raw in filter(None, (n.strip() for n in self.new_names.text().split(","))):
            try:
                name = check_annotator_name(raw)
            except MarginaliaError as exc:
                self.message.setText(exc.reason)
                left.append(raw)
                continue
            if name in known:
                known[name].setCheckState(Qt.CheckState.Checked)
            else:
                self._add_member(name, checked=True)
        self.new_names.setText(", ".join(left))
        self._debounce.start()

    # ---- preview and apply ----------------------------------------------------------------

    def request(self) -> assignment.Request:
        return assignment.Request(tuple(self.chosen()), self.per_document.value(),
                                  self.overlap.value() / 100, self.seed.value())

    def refresh_preview(self) -> None:
        self._debounce.stop()
        self._generation += 1
        generation = self._generation
        self.apply_button.setEnabled(False)
        try:
            request = self.request()
        except assignment.AssignmentError as exc:
            self.plan = None
            self.message.setText(exc.reason)
            self.previewed.emit()
            return
        self.message.setText("Working out the assignment…")
        self._run(lambda project, **kw: assignment.plan(project, request, **kw),
                  lambda result: self._show(generation, result))

    def _run(self, fn: Callable[..., object], on_success: Callable[[Any], None]) -> None:
        job = Job(self.project_path, fn)
        self._jobs.add(job)
        job.succeeded.connect(lambda result: (self._finished(job), on_success(result)))
        job.failed.connect(lambda message: (self._finished(job), self._failed(message)))
        job.start()

    def _finished(self, job: Job) -> None:
        """A closed dialog is deleted once its last job has reported (not before: the job's
        answer comes to this object)."""
        self._jobs.discard(job)
        if not self._jobs and not self.isVisible():
            self.deleteLater()

    def _failed(self, message: str) -> None:
        self.message.setText(message)
        self.previewed.emit()

    def _show(self, generation: int, result: assignment.Plan) -> None:
        if generation != self._generation:
            return  # an answer to choices changed since
        self.plan = result
        self.table.setRowCount(len(result.loads))
        for row, load in enumerate(result.loads):
            change = (f"+{load.added}" if load.added else "") + \
                (f" −{load.removed}" if load.removed else "")
            name = load.annotator if load.in_team else f"{load.annotator} (not in team)"
            for column, value in enumerate((name, load.assigned, load.shared, load.done,
                                            change.strip())):
                item = QTableWidgetItem(str(value))
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight
                                          | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self.apply_button.setEnabled(result.changes)
        self.message.setText(
            f"{len(result.add)} to assign, {len(result.remove)} unstarted to move."
            if result.changes else "Nothing to change: every document is assigned.")
        self.previewed.emit()

    def apply(self) -> None:
        the_plan = self.plan
        if the_plan is None or not the_plan.changes:
            return
        self.apply_button.setEnabled(False)
        self.message.setText("Assigning…")

        def store(project: Project, **_: object) -> assignment.Plan:
            assignment.apply(project, the_plan, by=self.by)
            return the_plan

        def stored(result: assignment.Plan) -> None:
            self.applied.emit(result)
            self.refresh_preview()

        self._run(store, stored)

    def done(self, result: int) -> None:
        for job in self._jobs:
            job.cancel()
        super().done(result)
        if not self._jobs:
            self.deleteLater()


def open_assign_dialog(window: MainWindow) -> AssignDialog | None:
    """The dialog for a reviewer of the window's project; anyone else gets one line saying how
    to become one. Applying reloads the window's list, queue first."""
    project = window.project
    roles = dict(project.conn.execute("SELECT name, role FROM annotators").fetchall())
    if roles.get(window.annotator) != "reviewer":
        window.error(f"Only reviewers assign documents; make {window.annotator} one with: "
                     f"marginalia role {window.project_path} {window.annotator} reviewer")
        return None
    reviewers = {name for name, role in roles.items() if role == "reviewer"}
    dialog = AssignDialog(window.project_path, project.annotators(), reviewers,
                          window.annotator, window)

    def after(_plan: assignment.Plan) -> None:
        window.doc_panel.prefer_queue()
        window.reload_documents()

    dialog.applied.connect(after)
    dialog.open()
    return dialog
