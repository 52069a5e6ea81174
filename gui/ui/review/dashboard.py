"""The agreement dashboard: the figures of ``marginalia agreement`` as charts, and progress.

Everything is computed in a pool thread (spaCy sentence splitting over thousands of
documents must not freeze the window); the charts fill in when the report arrives, and F5
computes again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMainWindow,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gui.core.backend import project_location
from gui.core.store import Project
from gui.review.agreement import compute_agreement
from gui.ui.review.charts import Bar, BarChart, HeatMap, ProgressChart
from gui.ui.workers import Job


def _bars(figures: dict[str, float | None], reasons: dict[str, str], prefix: str) -> list[Bar]:
    return [Bar(name, value, reasons.get(f"{prefix}{name}", "")) for name, value in
            figures.items()]


class DashboardWindow(QMainWindow):
    computed = Signal()

    def __init__(self, project_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.project_path = project_location(project_path)
        self.setWindowTitle(f"Agreement — {self.project_path.name}")
        self.resize(1180, 860)
        self.report: dict[str, Any] | None = None
        self._job: Job | None = None

        self.headline = QLabel("Computing agreement…")
        self.headline.setObjectName("agreementHeadline")
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)
        self.target_chart = BarChart("Stance: Krippendorff's alpha per target (nominal · ordinal)")
        self.kappa_chart = BarChart("Stance: Cohen's kappa per annotator pair")
        self.label_chart = BarChart("Entities: exact-match F1 per label", floor=0.0)
        self.pair_chart = BarChart("Entities: F1 per annotator pair", floor=0.0)
        self.label_confusion = HeatMap("Confusion of entity labels (— = not marked)")
        self.polarity_confusion = HeatMap("Confusion of stance polarities")
        self.progress_chart = ProgressChart("Progress of each annotator")
        self.disputed = QLabel("")
        self.disputed.setObjectName("disputedDocuments")
        self.disputed.setTextFormat(Qt.TextFormat.PlainText)
        self.disputed.setWordWrap(True)
        self.disputed.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        disputed_title = QLabel("Most disputed documents")
        bold = disputed_title.font()
        bold.setBold(True)
        disputed_title.setFont(bold)
        disputed_box = QWidget()
        disputed_layout = QVBoxLayout(disputed_box)
        disputed_layout.setContentsMargins(8, 4, 0, 0)
        disputed_layout.addWidget(disputed_title)
        disputed_layout.addWidget(self.disputed)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(14)
        grid.addWidget(self.target_chart, 0, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.kappa_chart, 0, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.label_chart, 1, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.pair_chart, 1, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.label_confusion, 2, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.polarity_confusion, 2, 1, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.progress_chart, 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(disputed_box, 3, 1, Qt.AlignmentFlag.AlignTop)
        body = QWidget()
        body.setObjectName("dashboardView")
        body.setAccessibleName("Agreement dashboard")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.headline)
        layout.addLayout(grid)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.setCentralWidget(scroll)
        refresh = QAction("Compute again", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.compute)
        self.addAction(refresh)
        self.compute()

    def compute(self) -> None:
        if self._job is not None:
            return
        self.statusBar().showMessage("Computing agreement…")

        def work(project: Project, progress, cancelled) -> dict[str, Any]:
            report = compute_agreement(project, progress=progress, cancelled=cancelled)
            roles = dict(project.conn.execute("SELECT name, role FROM annotators").fetchall())
            return {"report": report.to_json(), "stats": project.stats(), "roles": roles}

        job = Job(self.project_path, work)
        job.progress.connect(
            lambda done, total: self.statusBar().showMessage(f"Comparing {done}/{total} documents"))
        job.succeeded.connect(self._show)
        job.failed.connect(self._failed)
        self._job = job
        job.start()

    def _failed(self, message: str) -> None:
        self._job = None
        self.headline.setText(message)
        self.statusBar().showMessage(message)
        self.computed.emit()

    def _show(self, result: dict[str, Any]) -> None:
        self._job = None
        data = self.report = result["report"]
        stats = result["stats"]
        stance, entities = data["stance"], data["entities"]

        def fmt(value: float | None) -> str:
            return "–" if value is None else f"{value:.3f}"

        self.headline.setText(
            f"{data['documents']} documents done by two or more annotators "
            f"({', '.join(data['annotators']) or 'none yet'}).   "
            f"Stance: {stance['units']} units, alpha {fmt(stance['alpha_nominal'])} nominal, "
            f"{fmt(stance['alpha_ordinal'])} ordinal.   Entities: F1 {fmt(entities['f1'])}, "
            f"token alpha {fmt(entities['alpha_token'])}."
            + (f"\n{data['reason']}" if data.get("reason") else "")
        )
        target_bars = [Bar("all targets · nominal", stance["alpha_nominal"],
                           stance["reasons"].get("alpha_nominal", "")),
                       Bar("all targets · ordinal", stance["alpha_ordinal"],
                           stance["reasons"].get("alpha_ordinal", ""))]
        for target, figs in stance["per_target"].items():
            target_bars.append(Bar(f"{target} · nominal", figs["alpha_nominal"],
                                   figs["reasons"].get("alpha_nominal", f"{figs['units']} units")))
            if stance["alpha_ordinal"] is not None or figs["alpha_ordinal"] is not None:
                target_bars.append(Bar(f"{target} · ordinal", figs["alpha_ordinal"],
                                       figs["reasons"].get("alpha_ordinal", "")))
        self.target_chart.set_bars(target_bars)
        self.kappa_chart.set_bars(_bars(stance["cohen_kappa"], stance["reasons"], "cohen_kappa "))
        used = {k: v for k, v in entities["per_label"].items() if v is not None}
        self.label_chart.set_bars(_bars(used, entities["reasons"], "per_label "))
        self.pair_chart.set_bars(_bars(entities["pairwise_f1"], entities["reasons"],
                                       "pairwise_f1 "))
        confusion = data["confusion"]
        self.label_confusion.set_matrix(confusion["labels"]["categories"],
                                        confusion["labels"]["matrix"])
        self.polarity_confusion.set_matrix(confusion["polarities"]["categories"],
                                           confusion["polarities"]["matrix"])
        # A reviewer who never annotated has no progress to show.
        self.progress_chart.set_rows([
            (name, counts) for name, counts in stats["per_annotator"].items()
            if result["roles"].get(name) != "reviewer" or counts["todo"] < stats["documents"]
        ])
        lines = [f"{d['score']:.0%}  {d['title']}  ({d['disagreements']} disagreements)"
                 for d in data["disputed"]] or ["none"]
        self.disputed.setText("\n".join(lines))
        self.statusBar().showMessage(
            f"{stats['documents']} documents in the project; gold accepted for "
            f"{stats['gold_done']}. F5 computes again.")
        self.computed.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None:
            self._job.cancel()
        super().closeEvent(event)
