"""The panel beside the article: the legend of keys, the entity list and the stance list."""

from __future__ import annotations

from PySide6.QtCore import Qt
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
        self.legend = Legend(schema, self)
        self.entity_view = annotation_table("entityList", "Entities")
        self.stance_view = annotation_table("stanceList", "Stances")
        entities = QGroupBox("Entities")
        QVBoxLayout(entities).addWidget(self.entity_view)
        stances = QGroupBox("Stances")
        QVBoxLayout(stances).addWidget(self.stance_view)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(entities)
        split.addWidget(stances)
        split.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 6, 6)
        layout.addWidget(self.legend)
        layout.addWidget(split, 1)

    def fit_columns(self) -> None:
        """Fixed widths: ResizeToContents would read every row on each refresh (slow). The
        text columns (None) share what is left, so a narrow panel needs no scrolling."""
        widths = {self.entity_view: (None, 92, 82), self.stance_view: (None, None, 74, 72)}
        for view, columns in widths.items():
            header = view.horizontalHeader()
            for column, width in enumerate(columns):
                if width is None:
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
                else:
                    header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
                    header.resizeSection(column, width)
