"""Who is behind: each annotator's assigned documents against those done, most behind first.

A section of the agreement dashboard with its own job (the dashboard's agreement figures take
seconds; this takes milliseconds and should not wait for them). Drawn with the dashboard's
progress chart, the numbers beside it as plain text for reading and for screen readers.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.core import assignment
from gui.core.backend import project_location
from gui.ui.review.charts import ProgressChart
from gui.ui.workers import Job


class AssignmentProgress(QWidget):
    """Assigned vs done per annotator; ``refresh()`` reads the project again off the GUI
    thread and ``shown`` says the figures are on screen."""

    shown = Signal()

    def __init__(self, project_path: Path | str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("assignmentProgress")
        self.setAccessibleName("Assigned documents done, per annotator")
        self.project_path = project_location(project_path)
        self.chart = ProgressChart("Assigned documents done (most behind first)")
        self.numbers = QLabel("Reading assignments…", self)
        self.numbers.setObjectName("assignmentNumbers")
        self.numbers.setTextFormat(Qt.TextFormat.PlainText)
        self.numbers.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.chart)
        self.numbers.setContentsMargins(8, 0, 0, 0)  # in line with the chart's names
        layout.addWidget(self.numbers)
        self._job: Job | None = None
        self.loads: list[assignment.Load] = []

    def refresh(self) -> None:
        if self._job is not None:
            return
        job = self._job = Job(self.project_path,
                              lambda project, **_: assignment.loads(project), self)
        job.succeeded.connect(self._show)
        job.failed.connect(lambda message: self._done(message))
        job.start()

    def _show(self, loads: list[assignment.Load]) -> None:
        self.loads = sorted(loads, key=lambda x: (x.done / max(x.assigned, 1), x.annotator))
        self.chart.set_rows([(x.annotator, {"done": x.done, "todo": x.assigned - x.done})
                             for x in self.loads])
        self._done("\n".join(f"{x.annotator}: {x.done} of {x.assigned} done, "
                             f"{x.assigned - x.done} to go ({x.shared} shared)"
                             for x in self.loads)
                   or "No documents are assigned yet (Tools ▸ Assign documents…).")

    def _done(self, text: str) -> None:
        self._job = None
        self.numbers.setText(text)
        self.shown.emit()
