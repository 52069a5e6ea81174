"""The panel beside the article: the legend of keys, the entity list and the stance list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gui.core.schema import Schema
from gui.ui.icons import swatch_icon


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _key_label(key: str) -> QLabel:
    label = _plain(key or "·")
    label.setObjectName("keyCap")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMinimumWidth(18)
    label.setStyleSheet(
        "QLabel#keyCap { border: 1px solid palette(mid); border-radius: 3px;"
        " padding: 0 3px; font-family: monospace; }"
    )
    return label


class Legend(QGroupBox):
    """Labels, targets and polarities with their colours and keys (schema text shown as is)."""

    def __init__(self, schema: Schema, parent: QWidget | None = None):
        super().__init__("Keys", parent)
        self.setObjectName("legend")
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        half = (len(schema.entities) + 1) // 2
        for i, entity in enumerate(schema.entities):
            row, col = (i, 0) if i < half else (i - half, 3)
            swatch = QLabel()
            swatch.setPixmap(swatch_icon(entity.color).pixmap(12, 12))
            label = _plain(entity.label)
            label.setToolTip(entity.description)
            grid.addWidget(_key_label(entity.key), row, col)
            grid.addWidget(swatch, row, col + 1)
            grid.addWidget(label, row, col + 2)
        row = half
        grid.addWidget(_key_label("S"), row, 0)
        grid.addWidget(_plain("Stance on the sentence or selection"), row, 1, 1, 5)
        for target in schema.targets:
            row += 1
            grid.addWidget(_key_label(target.key), row, 0)
            name = _plain(target.name)
            name.setToolTip(target.description)
            grid.addWidget(name, row, 1, 1, 5)
        row += 1
        polarities = QWidget()
        line = QHBoxLayout(polarities)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        for polarity in schema.polarities:
            swatch = QLabel()
            swatch.setPixmap(swatch_icon(schema.polarity_color(polarity)).pixmap(12, 12))
            line.addWidget(_key_label(schema.polarity_keys.get(polarity, "")))
            line.addWidget(swatch)
            line.addWidget(_plain(polarity))
            line.addSpacing(10)
        line.addStretch(1)
        grid.addWidget(polarities, row, 0, 1, 6)
        row += 1
        grid.addWidget(_key_label("H"), row, 0)
        grid.addWidget(_plain("Holder of the selected stance"), row, 1, 1, 5)
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(5, 1)


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
