"""The dashboard's effort panel: what correcting the pre-fill costs, drawn from the ``effort``
object of ``marginalia stats --effort --json`` (computed in the dashboard's worker)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from gui.ui.review.charts import FAIR, GOOD, MUTED, POOR, Column, ColumnChart, StackedChart

OUTCOME_PARTS = (
    ("accepted", GOOD),
    ("relabelled", POOR),
    ("holder", QColor("#9b5de5")),
    ("resized", FAIR),
    ("deleted", MUTED),
    ("added", QColor("#3a86c8")),
)
WEEKS_SHOWN_FROM = 3  # fewer weeks than this: the timeline goes day by day


def _kept(counts: dict[str, int]) -> str:
    suggested = sum(n for kind, n in counts.items() if kind != "added")
    if not suggested:
        return f"{counts.get('added', 0)} by hand"
    return f"kept {counts.get('accepted', 0) / suggested:.0%} of {suggested}"


def _counts(figures: dict[str, Any]) -> dict[str, int]:
    return {kind: int(figures.get(kind, 0)) for kind, _ in OUTCOME_PARTS}


def plain_label(text: str = "", name: str = "") -> QLabel:
    return _plain(QLabel(text), name)


def _plain(label: QLabel, name: str) -> QLabel:
    """``label`` set to show plain text (never markup from user text), wrapped, top left."""
    if name:
        label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
    return label


class WarningLabel(QLabel):
    """A warning's plain text in amber: a dark amber on a light palette, a light one on a dark
    palette, where the dark one read at 2.6:1 (WCAG asks 4.5:1 of text), and followed when the
    palette changes. The effort panel's "kept 100%… check their sets" is what a lead reads
    this panel for."""

    ON_LIGHT = QColor("#b54708")  # 4.7:1 on #efefef
    ON_DARK = QColor("#fdb022")  # 7.7:1 on #2b2b2b

    def __init__(self, name: str):
        super().__init__()
        _plain(self, name)
        self._colour()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour()

    def _colour(self) -> None:
        palette = self.palette()
        dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
        wanted = self.ON_DARK if dark else self.ON_LIGHT
        if palette.color(QPalette.ColorRole.WindowText) != wanted:  # else a change again
            palette.setColor(QPalette.ColorRole.WindowText, wanted)
            self.setPalette(palette)


def titled(title: str, content: QWidget) -> QWidget:
    """``content`` under a bold title, as the dashboards' lists of documents are shown."""
    heading = QLabel(title)
    bold = heading.font()
    bold.setBold(True)
    heading.setFont(bold)
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 4, 0, 0)
    layout.addWidget(heading)
    layout.addWidget(content)
    return box


class EffortPanel(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("effortPanel")
        self.setAccessibleName("What correcting the pre-fill costs")
        self.headline = plain_label("Counting corrections…", "effortHeadline")
        self.warnings = WarningLabel("effortWarnings")
        self.annotator_chart = StackedChart(
            "Suggestions per annotator: kept, changed, deleted; and added by hand",
            OUTCOME_PARTS, _kept)
        self.label_chart = StackedChart(
            "Entities per label", tuple(p for p in OUTCOME_PARTS if p[0] != "holder"), _kept)
        self.target_chart = StackedChart("Stances per target", OUTCOME_PARTS, _kept)
        self.timeline = ColumnChart("Corrections per document, by week")
        self.most_corrected = plain_label("", "mostCorrected")
        documents = titled("Documents that needed the most corrections", self.most_corrected)
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(14)
        top = Qt.AlignmentFlag.AlignTop
        grid.addWidget(self.annotator_chart, 0, 0, 1, 2, top)
        grid.addWidget(self.label_chart, 1, 0, top)
        grid.addWidget(self.target_chart, 1, 1, top)
        grid.addWidget(self.timeline, 2, 0, top)
        grid.addWidget(documents, 2, 1, top)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.headline)
        layout.addWidget(self.warnings)
        layout.addLayout(grid)
        layout.addStretch(1)

    def set_effort(self, data: dict[str, Any]) -> None:
        people = data["per_annotator"]
        suggested = sum(p["suggestions"] for p in people.values())
        kept = sum(p["accepted"] for p in people.values())
        added = sum(p["added"] for p in people.values())
        corrections = sum(p["corrections"] for p in people.values())
        sets = f"{data['sets']} finished set{'s' * (data['sets'] != 1)}"
        if data["sets"] and suggested:
            self.headline.setText(
                f"{sets}. Of {suggested} suggestions, {kept} were kept "
                f"unchanged ({kept / suggested:.0%}); {added} annotations were added by hand; "
                f"{corrections / data['sets']:.1f} corrections per document.")
        elif data["sets"]:
            self.headline.setText(
                f"{sets}, none of them pre-filled: every annotation ({added}) was added by "
                "hand (Tools ▸ Pre-fill suggestions makes some).")
        else:
            self.headline.setText("No annotator has finished a document yet: nothing to count.")
        self.warnings.setText("\n".join(f"⚠ {w}" for w in data["warnings"]))
        self.warnings.setVisible(bool(data["warnings"]))
        self.annotator_chart.set_rows([(name, _counts(p)) for name, p in people.items()])
        self.label_chart.set_rows([(label, _counts(p)) for label, p in
                                   data["entities"]["per_label"].items()])
        self.target_chart.set_rows([(target, _counts(p)) for target, p in
                                    data["stances"]["per_target"].items()])
        by_week = len(data["per_week"]) >= WEEKS_SHOWN_FROM
        periods = data["per_week"] if by_week else data["per_day"]
        self.timeline.title = f"Corrections per document, by {'week' if by_week else 'day'}"
        self.timeline.set_columns([
            Column(p["period"][5:] if not by_week else p["period"], p["corrections_per_document"],
                   f"{p['documents']} documents, {p['corrections']} corrections; "
                   + ", ".join(f"{name} {f['corrections_per_document']:.1f}"
                               for name, f in p["per_annotator"].items()))
            for p in periods])
        lines = [f"{d['corrections_per_annotator']:5.1f}  {d['title'] or '#' + str(d['document'])}"
                 for d in data["most_corrected"]] or ["none"]
        self.most_corrected.setText("\n".join(lines))
