"""The panel beside the article: the legend of keys, the entity list and the stance list."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.core.schema import Schema
from gui.ui.legend import Legend

PADDING = 10  # a cell's margins around its text (6 in Fusion), and a little air
MIN_EVIDENCE = 60  # below this the evidence column shows a word or less: it is hidden


def annotation_table(name: str, accessible: str) -> QTableView:
    """A read-only, row-selecting list of annotations, alike wherever annotations are listed
    (the annotation window's panels and review mode's gold lists)."""
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(22)
    view.setShowGrid(False)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.horizontalHeader().setHighlightSections(False)
    # Tab leaves the list for the next part of the window (↑/↓ move between rows): a table's
    # Tab walks its cells, three to a row, so the keyboard was caught in a long list.
    view.setTabKeyNavigation(False)
    return view


class SidePanel(QWidget):
    def __init__(self, schema: Schema, parent: QWidget | None = None):
        super().__init__(parent)
        self.schema = schema
        self.legend = Legend(schema, self)
        self.entity_view = annotation_table("entityList", "Entities")
        self.stance_view = annotation_table("stanceList", "Stances")
        entities = QGroupBox("Entities")
        stances = QGroupBox("Stances")
        for box, view in ((entities, self.entity_view), (stances, self.stance_view)):
            inside = QVBoxLayout(box)
            inside.setContentsMargins(0, inside.contentsMargins().top(), 0, 0)  # lists' room
            inside.addWidget(view)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(entities)
        split.addWidget(stances)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.addWidget(self.legend)
        layout.addWidget(split, 1)

    def fit_columns(self) -> None:
        self.stance_columns = fit_columns(self.entity_view, self.stance_view, self.schema)


def fit_columns(entity_view: QTableView, stance_view: QTableView, schema: Schema
                ) -> StanceColumns:
    """The columns of an entity list and a stance list, the annotation window's and review
    mode's gold lists alike (the gold lists had even shares: "Russia–Cub…"). Fixed widths:
    ResizeToContents would read every row on each refresh (slow). The entity text takes what
    is left, so a narrow panel needs no scrolling; the stance list shares its width by what
    its columns hold (StanceColumns). Called once the views have their models."""
    header = entity_view.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column, width in ((1, 92), (2, 82)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    return StanceColumns(stance_view, schema)


class StanceColumns(QObject):
    """The stance list's widths: target, polarity and holder as wide as their text, the
    evidence the rest. At 1366 pixels the list is about 330 wide, and an even share cut
    "Russia–Cuba partnership" and "Sergei Lavrov" to a few letters while the evidence kept
    as much room. The evidence is the column that gives way: the article underlines it and
    selects it with the row, and every cell's tooltip quotes it; when fewer than
    MIN_EVIDENCE pixels are left for it, it is hidden rather than shown as "Lav…". Should
    target and holder still not fit, the shorter keeps its width when it needs no more than
    half of the room, the other elides (tooltips hold the whole text). Targets and
    polarities come from the schema, holders from the rows shown (a document's stances:
    tens), measured again when the rows or the width change.

    A column the annotator drags to a width keeps it, in place of its measured one, through
    every later share, document and start (QSettings, by the list's object name: the widths
    used to spring back at the next document); double-clicking its edge gives it back to
    the sharing. The kept widths still give way when the list is narrower than them."""

    def __init__(self, view: QTableView, schema: Schema):
        super().__init__(view)
        self.view = view
        metrics = view.fontMetrics()
        self.target_width = max(metrics.horizontalAdvance(name) for name in
                                 (*schema.target_names, "Target")) + PADDING
        self.polarity_width = max(metrics.horizontalAdvance(name) for name in
                                  (*schema.polarities, "Polarity")) + PADDING
        self.polarity_width += view.iconSize().width() if view.iconSize().isValid() else 16
        self.key = f"{view.objectName()}/columnWidths"
        kept = QSettings().value(self.key)
        self.kept: dict[int, int] = {int(c): int(w) for c, w in kept.items()} \
            if isinstance(kept, dict) else {}
        self._sharing = False
        header = view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._dragged)
        header.sectionHandleDoubleClicked.connect(self._released)
        model = view.model()
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved,
                       model.dataChanged):
            signal.connect(self.share)
        view.viewport().installEventFilter(self)
        self.share()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.share()
        return False

    def holder_width(self) -> int:
        model, metrics = self.view.model(), self.view.fontMetrics()
        texts = [model.index(row, 3).data() or "" for row in range(model.rowCount())]
        return max(metrics.horizontalAdvance(text) for text in (*texts, "Holder")) + PADDING

    def _dragged(self, column: int, _old: int, width: int) -> None:
        if self._sharing or column not in (1, 2, 3) or width <= 0:
            return  # the sharing's own widths, the stretched evidence, or hidden
        self.kept[column] = width
        self._store()

    def _released(self, column: int) -> None:
        if self.kept.pop(column, None) is not None:
            self._store()
            self.share()

    def _store(self) -> None:
        QSettings().setValue(self.key, {str(c): w for c, w in self.kept.items()})

    def share(self, *_changed: object) -> None:
        self._sharing = True
        try:
            self._share()
        finally:
            self._sharing = False

    def _share(self) -> None:
        target = self.kept.get(1, self.target_width)
        holder = self.kept.get(3) or self.holder_width()
        polarity = self.kept.get(2, self.polarity_width)
        room = self.view.viewport().width() - polarity
        header = self.view.horizontalHeader()
        hide_evidence = target + holder + MIN_EVIDENCE > room
        header.setSectionHidden(0, hide_evidence)
        if hide_evidence:
            holder = max(holder, room - target)  # what is left goes to the last column
        else:
            room -= MIN_EVIDENCE
        if target + holder > room > 0:
            half = room // 2
            target, holder = ((room - holder, holder) if holder <= half else
                              (target, room - target) if target <= half else (half, room - half))
        for column, width in ((1, target), (2, polarity), (3, holder)):
            header.resizeSection(column, width)
