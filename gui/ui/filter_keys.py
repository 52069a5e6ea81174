"""Keys that take the annotator out of the word filter and the list's boxes, back to the article.

Ctrl+F puts the cursor in the filter box; before this, nothing took it out again but the
mouse: Esc did nothing and a label key pressed next was typed into the filter (``embargo1``),
emptying the list. Prodigy, doccano and Label Studio all hand the keyboard back after a search.
Here Esc goes back to the article (the filter stays), Enter applies the filter, opens the
first listed document if the one shown is no longer listed, and goes back to the article, and
↓ goes down into the list, where ↑/↓ open documents.

The status and order boxes beside it are chosen with the mouse without taking the keyboard:
a click gave them the focus, so the next label key went to the box (nothing happened) and "m"
or "d" changed the order by the box's own type-ahead. They take the focus by Tab alone, and
Esc or Enter there goes back to the article, as from the filter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow

_TO_ARTICLE = (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter)
_HANDLED = (*_TO_ARTICLE, Qt.Key.Key_Down)


class FilterKeys(QObject):
    """An event filter on the window's filter box (installed by ``install``)."""

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        window.doc_panel.filter_box.installEventFilter(self)
        self.boxes = (window.doc_panel.status_box, window.doc_panel.order_box)
        for box in self.boxes:
            box.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        handled = _TO_ARTICLE if watched in self.boxes else _HANDLED  # ↓ steps through a box
        if event.key() not in handled or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # a key for the box, not a window shortcut (Esc clears a selection)
            return True
        if watched in self.boxes:
            self.window.view.setFocus()
        else:
            self._leave(event.key())
        return True

    def _leave(self, key: int) -> None:
        window, panel = self.window, self.window.doc_panel
        if key == Qt.Key.Key_Down:
            panel.view.setFocus()
            if not panel.view.currentIndex().isValid() and panel.model.rowCount():
                panel.view.setCurrentIndex(panel.model.index(0, 0))  # opens it
            return
        if key != Qt.Key.Key_Escape:
            panel.apply_filter()
            shown = window.current_doc
            first = panel.model.doc_id_at(0)
            if first is not None and (shown is None or panel.model.row_of(shown) is None):
                window.open_document(first)
        window.view.setFocus()


def install(window: MainWindow) -> FilterKeys:
    return FilterKeys(window)
