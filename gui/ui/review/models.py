"""Item models of review mode: the queue of documents and the table of disagreements.

Both hold plain strings (names, labels and article snippets are never read as HTML) and are
rebuilt as a whole when their data changes: a queue is read once per refresh off the GUI
thread, and a document has at most a few hundred clusters.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QStandardItem, QStandardItemModel

from gui.core.schema import Schema
from gui.review.adjudication import QueueEntry
from gui.review.disputes import Cluster
from gui.review.frame_review import difference
from gui.ui.annotation_models import snippet
from gui.ui.icons import status_icon

Index = QModelIndex | QPersistentModelIndex
ClusterRole = Qt.ItemDataRole.UserRole + 10
DocumentRole = Qt.ItemDataRole.UserRole + 11
CHOSEN = QColor("#d9f2dc")  # the annotator whose version gold now holds
CHOSEN_TEXT = QColor("#1a1a1a")  # dark on that light green in any palette: a dark palette's
# own light text vanished into it


class QueueModel(QAbstractListModel):
    """Documents two or more annotators finished, most disputed first."""

    def __init__(self, parent: Any = None):
        super().__init__(parent)
        self.entries: list[QueueEntry] = []

    def set_entries(self, entries: list[QueueEntry]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            count = entry.disagreements
            kept = f"{entry.kept} kept · " if entry.kept else ""  # first: it needs a look
            return (f"{entry.title}\n{kept}{count} disagreement{'s' * (count != 1)} · "
                    f"{entry.score:.0%} disputed · {len(entry.annotators)} annotators")
        if role == Qt.ItemDataRole.ToolTipRole:  # the lines whole (the list cuts them)
            return f"{self.data(index)}\nannotators: {', '.join(entry.annotators)}\n" \
                   f"gold: {entry.gold_status.replace('_', ' ')}"
        if role == Qt.ItemDataRole.DecorationRole:
            return status_icon(entry.gold_status)
        if role == DocumentRole:
            return entry.document_id
        return None

    def row_of(self, doc_id: int) -> int | None:
        for row, entry in enumerate(self.entries):
            if entry.document_id == doc_id:
                return row
        return None

    def update_status(self, doc_id: int, status: str) -> None:
        row = self.row_of(doc_id)
        if row is None:
            return
        self.entries[row] = dataclasses.replace(self.entries[row], gold_status=status)
        index = self.index(row)
        self.dataChanged.emit(index, index)


def describe(cluster_layer: str, items: tuple, text: str) -> str:
    """One annotator's version of a cluster, as a short line of plain text."""
    if not items:
        return "— none"
    parts = []
    for item in items:
        if cluster_layer == "entity":
            start, end, label = item
            parts.append(f"{label} “{snippet(text[start:end], 30)}”")
        else:
            _start, _end, target, polarity, h_start, h_end = item
            holder = f" · by “{snippet(text[h_start:h_end], 24)}”" if h_start is not None else ""
            parts.append(f"{polarity} · {target}{holder}")
    return "; ".join(parts)


class DisagreementModel(QStandardItemModel):
    """Two branches: disagreements (expanded by the view) and agreements (collapsed).

    Columns: where, what differs, one per annotator (their version), and what gold holds.
    """

    def __init__(self, schema: Schema, parent: Any = None):
        super().__init__(parent)
        self.schema = schema
        self.annotators: list[str] = []

    def rebuild(self, clusters: list[Cluster], annotators: list[str], text: str,
                gold: list[tuple], labels: list[str] | None = None) -> None:
        """``annotators``: the versions' names in column order; ``labels``: how their columns
        are headed (a kept version's name is not a person's)."""
        self.clear()
        self.annotators = list(annotators)
        self.setHorizontalHeaderLabels(
            ["Where", "What differs",
             *[f"{i}  {name}" for i, name in enumerate(labels or annotators, 1)], "Gold"]
        )
        disputed = QStandardItem(f"Disagreements ({sum(not c.agreed for c in clusters)})")
        agreed = QStandardItem(f"Agreements ({sum(c.agreed for c in clusters)})")
        bold = QFont()
        bold.setBold(True)
        for branch in (disputed, agreed):
            branch.setEditable(False)
            branch.setFont(bold)
            self.appendRow([branch, *[self._cell("") for _ in range(len(annotators) + 2)]])
        for number, (cluster, gold_items) in enumerate(zip(clusters, gold, strict=True)):
            chosen = cluster.annotators_with(gold_items)
            where = self._cell(snippet(text[cluster.start:cluster.end], 40))
            where.setData(number, ClusterRole)
            where.setToolTip(text[cluster.start:cluster.end])
            row = [where, self._cell(difference(cluster, text))]
            for name in annotators:
                cell = self._cell(describe(cluster.layer, cluster.versions.get(name, ()), text))
                if name in chosen and not cluster.agreed:
                    cell.setBackground(QBrush(CHOSEN))
                    cell.setForeground(QBrush(CHOSEN_TEXT))
                    cell.setToolTip(f"gold holds {name}'s version")
                row.append(cell)
            row.append(self._cell(describe(cluster.layer, gold_items, text)))
            (agreed if cluster.agreed else disputed).appendRow(row)

    @staticmethod
    def _cell(text: str) -> QStandardItem:
        item = QStandardItem(text)
        item.setEditable(False)
        if not item.toolTip():
            item.setToolTip(text)
        return item
