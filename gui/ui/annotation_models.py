"""Item models for the entity and stance lists beside the article.

They hold what the annotator currently sees (their set, or the pre-fill). After an edit the
new rows are compared with the shown ones and only the rows that differ are removed, inserted
or changed: a reset makes the views lay out and read every row again, which was a large part
of an edit's time. A new document (or its acceptance, which changes every row's origin) still
resets. Text is returned as plain strings; Qt's item views never read a DisplayRole as HTML.

A row whose edit the server has not confirmed yet (gui/core/pending.py) is shown as made, in
italics with a clock in its first column and the tooltip "not saved yet — waiting for the
server"; a removal not confirmed yet stays listed, struck out, until it is.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication, QPalette

from gui.core.errors import SchemaError
from gui.core.pending import REMOVED, unsaved_tip
from gui.core.schema import Schema
from gui.core.store import Entity, Stance
from gui.ui.icons import mark_swatch, swatch_icon, unsaved_icon

IdRole = Qt.ItemDataRole.UserRole + 1
Index = QModelIndex | QPersistentModelIndex
ORIGIN_NAMES = {"prefill": "suggested", "manual": "confirmed"}
RESET_LIMIT = 16  # more rows coming or going than this (a set copied from the pre-fill): reset


def snippet(text: str, limit: int = 90) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class _SpanModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    def __init__(self, schema: Schema, parent: Any = None):
        super().__init__(parent)
        self.schema = schema
        self.text = ""
        self.accepted = False
        self._items: list[Any] = []
        self._unsaved: dict[int, str] = {}  # id -> "added", "changed" or "removed"

    def set_items(self, items: list[Any], text: str, *, accepted: bool,
                  unsaved: dict[int, str] | None = None) -> None:
        """Show ``items`` (sorted by start, end as the store returns them); ``unsaved``: the
        rows whose edit is not confirmed yet, and how."""
        items = list(items)
        old_unsaved, self._unsaved = self._unsaved, dict(unsaved or {})
        if (text != self.text or accepted != self.accepted or not self._items
                or len({item.id for item in self._items}.symmetric_difference(
                    item.id for item in items)) > RESET_LIMIT):
            self.beginResetModel()
            self._items = items
            self.text = text
            self.accepted = accepted
            self.endResetModel()
            return
        self._update_rows(items, old_unsaved)

    def _update_rows(self, items: list[Any], old_unsaved: dict[int, str]) -> None:
        """Turn the shown rows into ``items`` by single-row removals, insertions and changes.

        Rows that went, or whose span moved (and so maybe their place), are removed first;
        the rows left keep their order, so they are a subsequence of ``items`` and one walk
        inserts what is missing and refreshes what changed in place.
        """
        wanted = {item.id: item for item in items}
        for row in range(len(self._items) - 1, -1, -1):
            old = self._items[row]
            new = wanted.get(old.id)
            if new is None or (new.start, new.end) != (old.start, old.end):
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._items[row]
                self.endRemoveRows()
        last_column = len(self.HEADERS) - 1
        for row, item in enumerate(items):
            if row < len(self._items) and self._items[row].id == item.id:
                if (self._items[row] != item
                        or old_unsaved.get(item.id) != self._unsaved.get(item.id)):
                    self._items[row] = item
                    self.dataChanged.emit(self.index(row, 0), self.index(row, last_column))
                continue
            self.beginInsertRows(QModelIndex(), row, row)
            self._items.insert(row, item)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def item(self, row: int) -> Any:
        return self._items[row]

    def row_of(self, item_id: int) -> int | None:
        for row, item in enumerate(self._items):
            if item.id == item_id:
                return row
        return None

    def _origin(self, origin: str) -> str:
        if self.accepted:
            return "accepted"
        return ORIGIN_NAMES.get(origin, origin)

    def _unsaved_data(self, item_id: int, column: int, role: int) -> Any:
        """What an unsaved row shows differently (None: as any row): its tooltip in every
        column, italics (struck out for a removal), a clock in the first column."""
        state = self._unsaved.get(item_id)
        if state is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return unsaved_tip(state)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setItalic(True)
            font.setStrikeOut(state == REMOVED)
            return font
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return unsaved_icon()
        return None


class EntityListModel(_SpanModel):
    HEADERS = ("Text", "Label", "Origin")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        entity: Entity = self._items[index.row()]
        column = index.column()
        unsaved = self._unsaved_data(entity.id, column, role)
        if unsaved is not None:
            return unsaved
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if column == 0:
                return snippet(self.text[entity.start:entity.end])
            if column == 1:
                return entity.label
            if column == 2:
                return "not saved" if entity.id in self._unsaved else \
                    self._origin(entity.origin)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            try:
                return swatch_icon(self.schema.label(entity.label).color)
            except SchemaError:
                return None
        if role == IdRole:
            return entity.id
        return None


class StanceListModel(_SpanModel):
    HEADERS = ("Evidence", "Target", "Polarity", "Holder")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        stance: Stance = self._items[index.row()]
        column = index.column()
        unsaved = self._unsaved_data(stance.id, column, role)
        if unsaved is not None:
            return unsaved
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return snippet(self.text[stance.start:stance.end], 60)
            if column == 1:
                return stance.target
            if column == 2:
                return stance.polarity
            if column == 3:
                holder = stance.holder
                return self.text[holder[0]:holder[1]] if holder else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            # The evidence in every cell: a narrow list hides its column (side_panel.py), and
            # a target or holder cut short is there in full.
            suggested = "" if self.accepted else f" ({self._origin(stance.origin)})"
            evidence = snippet(self.text[stance.start:stance.end], 400) + suggested
            shown = self.data(index, Qt.ItemDataRole.DisplayRole) if column else ""
            return f"{shown}: {evidence}" if shown else evidence
        if role == Qt.ItemDataRole.DecorationRole and column == 2:
            return mark_swatch(self.schema.polarity_color(stance.polarity),
                               QGuiApplication.palette().color(QPalette.ColorRole.Base))
        if role == IdRole:
            return stance.id
        return None
