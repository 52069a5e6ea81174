"""The agreement dashboard: the figures of ``marginalia agreement`` as charts, and what
correcting the pre-fill costs.

Everything is computed in pool threads (spaCy sentence splitting over thousands of documents
must not freeze the window): the point estimates first, drawn as soon as they arrive; then,
side by side, the effort counts with the anchoring figures (each finished set against its
pre-fill: seconds at 10,000 documents) and the bootstrap intervals, drawn as whiskers when
they finish (Esc stops them). F5 computes everything again.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QGridLayout,
    QMainWindow,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui.core.backend import project_location
from gui.core.store import Project
from gui.review.agreement import compute_agreement
from gui.review.anchoring import anchoring
from gui.review.corrections import read_corrections
from gui.review.effort import compute_effort
from gui.ui.live import LiveUpdates, follow_in_dashboard
from gui.ui.review.assignment_progress import AssignmentProgress
from gui.ui.review.charts import BarChart, HeatMap, ProgressChart
from gui.ui.review.effort_panel import EffortPanel, WarningLabel, plain_label, titled
from gui.ui.review.figure_bars import (
    FRAME_FIGURES,
    MULTI_FIGURES,
    PARTIAL_FIGURES,
    anchoring_bars,
    frame_note,
    pair_anchoring_bars,
    plain_bars,
    section_bars,
    target_bars,
)
from gui.ui.window_fit import fit_secondary
from gui.ui.workers import Job, JobFunction


def point_figures(project: Project, progress: Callable[[int, int], None],
                  cancelled: Callable[[], bool]) -> dict[str, Any]:
    """The first step: every figure without its interval; and under "bootstrap" the step
    that adds the intervals to the same report."""
    report = compute_agreement(project, progress=progress, cancelled=cancelled)

    def bootstrap(_project: Project, progress: Callable[[int, int], None],
                  cancelled: Callable[[], bool]) -> dict[str, Any]:
        report.bootstrap(progress=progress, cancelled=cancelled)
        return report.to_json()

    return {"report": report.to_json(), **progress_counts(project, progress, cancelled),
            "bootstrap": bootstrap if report.documents else None}


def progress_counts(project: Project, progress: Callable[[int, int], None],
                    cancelled: Callable[[], bool]) -> dict[str, Any]:
    """Only what the progress section shows: quick, so it can follow every change."""
    roles = dict(project.conn.execute("SELECT name, role FROM annotators").fetchall())
    return {"stats": project.stats(), "roles": roles}


def effort_figures(project: Project, progress: Callable[[int, int], None],
                   cancelled: Callable[[], bool]) -> dict[str, Any]:
    """What correcting the pre-fill cost, and the anchoring on it: one reading of the sets."""
    corrections = read_corrections(project)
    return {"anchoring": anchoring(corrections),
            "effort": compute_effort(project, corrections).to_json()}


class DashboardWindow(QMainWindow):
    computed = Signal()  # the point estimates are drawn
    effort_computed = Signal()  # the effort panel and the anchoring are drawn
    intervals_done = Signal()  # the whiskers are drawn, or the bootstrap stopped or failed
    progress_counted = Signal()  # the progress section was counted again (a live change)

    def __init__(self, project_path: Path, parent: QWidget | None = None, *,
                 figures: JobFunction = point_figures, effort: JobFunction = effort_figures):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.project_path = project_location(project_path)
        self.setWindowTitle(f"Agreement — {self.project_path.name}")
        fit_secondary(self, QSize(1180, 860), parent)
        self.report: dict[str, Any] | None = None
        self.anchoring: dict[str, Any] | None = None
        self._figures = figures
        self._effort = effort
        self._effort_job: Job | None = None
        self._job: Job | None = None
        self._interval_job: Job | None = None

        self.headline = plain_label("Computing agreement…", "agreementHeadline")
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.headline.setFont(font)
        self.warnings = WarningLabel("agreementWarnings")
        self.warnings.hide()
        self.frames_chart = BarChart("Stance frames (holder, target, polarity, evidence)")
        self.partial_chart = BarChart("Entities with partial credit", floor=0.0)
        self.multi_chart = BarChart("All annotators at once")
        self.anchoring_chart = BarChart("Each annotator against the pre-fill", floor=0.0)
        self.pair_anchoring_chart = BarChart(
            "Pairs: F1, and F1 on what at least one of them changed or added", floor=0.0)
        self.target_chart = BarChart("Stance: Krippendorff's alpha per target (nominal · ordinal)")
        self.kappa_chart = BarChart("Stance: Cohen's kappa per annotator pair")
        self.label_chart = BarChart("Entities: exact-match F1 per label", floor=0.0)
        self.pair_chart = BarChart("Entities: F1 per annotator pair", floor=0.0)
        self.label_confusion = HeatMap("Confusion of entity labels (— = not marked)")
        self.polarity_confusion = HeatMap("Confusion of stance polarities")
        self.progress_chart = ProgressChart("Progress of each annotator")
        self.disputed = plain_label("", "disputedDocuments")
        disputed_box = titled("Most disputed documents", self.disputed)

        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(14)
        self.assignment_progress = AssignmentProgress(self.project_path)
        for number, widget in enumerate((
            self.frames_chart, self.partial_chart, self.anchoring_chart,
            self.pair_anchoring_chart, self.target_chart, self.multi_chart, self.kappa_chart,
            self.label_chart, self.pair_chart, self.progress_chart, self.label_confusion,
            self.polarity_confusion, disputed_box, self.assignment_progress,
        )):
            grid.addWidget(widget, number // 2, number % 2, Qt.AlignmentFlag.AlignTop)
        body = QWidget()
        body.setObjectName("dashboardView")
        body.setAccessibleName("Agreement dashboard")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.headline)
        layout.addWidget(self.warnings)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.effort_panel = EffortPanel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("dashboardTabs")
        self.tabs.addTab(self._scrolled(body), "Agreement")
        self.tabs.addTab(self._scrolled(self.effort_panel), "Correcting effort")
        self.setCentralWidget(self.tabs)
        refresh = QAction("Compute again", self)
        refresh.setShortcut(QKeySequence("F5"))
        refresh.triggered.connect(self.compute)
        self.addAction(refresh)
        stop = QAction("Stop computing intervals", self)
        stop.setShortcut(QKeySequence("Esc"))
        stop.triggered.connect(self.stop_intervals)
        self.addAction(stop)
        close = QAction("Close", self)
        close.setShortcut(QKeySequence("Ctrl+W"))
        close.triggered.connect(self.close)
        self.addAction(close)
        self.compute()
        self._progress_job: Job | None = None
        self._progress_stale = False
        # on a server: the progress follows the annotators' work
        self.live: LiveUpdates | None = follow_in_dashboard(self)

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(widget)
        return scroll

    # ---- the two steps ------------------------------------------------------------------------

    def compute(self) -> None:
        if self._job is not None:
            return
        self.stop_intervals()
        self.statusBar().showMessage("Computing agreement…")
        self.assignment_progress.refresh()
        job = Job(self.project_path, self._figures)
        job.progress.connect(self._comparing)
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
        self._draw_report(result["report"])
        stats = result["stats"]
        self._draw_progress(result)
        self.statusBar().showMessage(
            f"{stats['documents']} documents in the project; gold accepted for "
            f"{stats['gold_done']}. F5 computes again.")
        self.computed.emit()
        self._start_effort()
        self._start_intervals(result["bootstrap"])

    def _draw_progress(self, result: dict[str, Any]) -> None:
        stats = result["stats"]
        # A reviewer who never annotated has no progress to show.
        self.progress_chart.set_rows([
            (name, counts) for name, counts in stats["per_annotator"].items()
            if result["roles"].get(name) != "reviewer" or counts["todo"] < stats["documents"]
        ])

    def refresh_progress(self) -> None:
        """Count each annotator's progress and the assignments again (a change on the server);
        the agreement figures stay as computed until F5."""
        self.assignment_progress.refresh()
        if self._progress_job is not None:
            self._progress_stale = True  # counted once more when this count is in
            return
        job = Job(self.project_path, progress_counts)
        job.succeeded.connect(self._progress_counted)
        job.failed.connect(self.statusBar().showMessage)
        self._progress_job = job
        job.start()

    def _progress_counted(self, result: dict[str, Any]) -> None:
        self._progress_job = None
        self._draw_progress(result)
        self.progress_counted.emit()
        if self._progress_stale:
            self._progress_stale = False
            self.refresh_progress()

    def _start_effort(self) -> None:
        if self._effort_job is not None:
            return
        job = Job(self.project_path, self._effort)
        job.succeeded.connect(self._show_effort)
        job.failed.connect(self._effort_failed)
        self._effort_job = job
        job.start()

    def _show_effort(self, result: dict[str, Any]) -> None:
        self._effort_job = None
        self.anchoring = result["anchoring"]
        self.anchoring_chart.set_bars(anchoring_bars(self.anchoring))
        self.pair_anchoring_chart.set_bars(pair_anchoring_bars(self.anchoring))
        self._draw_warnings()
        self.effort_panel.set_effort(result["effort"])
        self.effort_computed.emit()

    def _effort_failed(self, message: str) -> None:
        self._effort_job = None
        self.effort_panel.headline.setText(message)
        self.effort_computed.emit()

    def _start_intervals(self, bootstrap: JobFunction | None) -> None:
        """The second step: the bootstrap, whose intervals become the whiskers."""
        if bootstrap is None:
            self.intervals_done.emit()
            return
        job = Job(self.project_path, bootstrap)
        job.progress.connect(self._drawing)
        job.succeeded.connect(self._show_intervals)
        job.failed.connect(self._intervals_failed)
        self._interval_job = job
        job.start()

    # Methods, not lambdas: a job still running when the window closes must not reach it.
    def _comparing(self, done: int, total: int) -> None:
        self.statusBar().showMessage(f"Comparing {done}/{total} documents")

    def _drawing(self, done: int, total: int) -> None:
        self.statusBar().showMessage(f"95% intervals: bootstrap draw {done}/{total} (Esc stops)")

    def stop_intervals(self) -> None:
        if self._interval_job is not None:
            self._interval_job.cancel()

    def _show_intervals(self, report: dict[str, Any]) -> None:
        self._interval_job = None
        self._draw_report(report)
        self.statusBar().showMessage("95% bootstrap intervals drawn as whiskers. F5 computes "
                                     "again.")
        self.intervals_done.emit()

    def _intervals_failed(self, message: str) -> None:
        self._interval_job = None
        self.statusBar().showMessage(f"No intervals: {message}")
        self.intervals_done.emit()

    # ---- drawing ------------------------------------------------------------------------------

    def _draw_report(self, data: dict[str, Any]) -> None:
        self.report = data
        stance, entities = data["stance"], data["entities"]

        def fmt(value: float | None) -> str:
            return "–" if value is None else f"{value:.3f}"

        self.headline.setText(
            f"{data['documents']} document{'' if data['documents'] == 1 else 's'} done by two "
            "or more annotators "
            f"({', '.join(data['annotators']) or 'none yet'}).   "
            f"Stance: {stance['units']} units, alpha {fmt(stance['alpha_nominal'])} nominal, "
            f"{fmt(stance['alpha_ordinal'])} ordinal.   Entities: F1 {fmt(entities['f1'])}, "
            f"token alpha {fmt(entities['alpha_token'])}."
            + (f"\n{data['reason']}" if data.get("reason") else "")
        )
        self._draw_warnings()
        note = frame_note(data)
        self.frames_chart.title = ("Stance frames (holder, target, polarity, evidence)"
                                   + (f": {note}" if note else ""))
        for chart, key, figures in ((self.frames_chart, "stance_frames", FRAME_FIGURES),
                                    (self.partial_chart, "entity_partial", PARTIAL_FIGURES),
                                    (self.multi_chart, "multi_rater", MULTI_FIGURES)):
            bars = section_bars(data, key, figures)
            chart.set_bars(bars)
            chart.setVisible(bool(bars))  # a report without the section has no such figures
        self.target_chart.set_bars(target_bars(data))
        self.kappa_chart.set_bars(plain_bars(data, "stance", "cohen_kappa", "cohen_kappa "))
        labels = plain_bars(data, "entities", "per_label", "per_label ")
        self.label_chart.set_bars([bar for bar in labels if bar.value is not None])
        self.pair_chart.set_bars(plain_bars(data, "entities", "pairwise_f1", "pairwise_f1 "))
        confusion = data["confusion"]
        self.label_confusion.set_matrix(confusion["labels"]["categories"],
                                        confusion["labels"]["matrix"])
        self.polarity_confusion.set_matrix(confusion["polarities"]["categories"],
                                           confusion["polarities"]["matrix"])
        lines = [f"{d['score']:.0%}  {d['title']}  ({d['disagreements']} disagreements)"
                 for d in data["disputed"]] or ["none"]
        self.disputed.setText("\n".join(lines))

    def _draw_warnings(self) -> None:
        """The report's warnings and the anchoring's, whichever step brought them last."""
        warnings = [*(self.report or {}).get("warnings", []),
                    *(self.anchoring or {}).get("warnings", [])]
        self.warnings.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.warnings.setVisible(bool(warnings))

    def closeEvent(self, event: QCloseEvent) -> None:
        for job in (self._job, self._effort_job, self._interval_job):
            if job is not None:
                job.cancel()
        if self.live is not None:
            self.live.close()
        super().closeEvent(event)
