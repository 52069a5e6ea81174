"""Small pick-one popups answered by a single key (or a click): label, target, polarity, holder.

A QMenu opened with ``popup()`` never blocks, so the annotator's next key press goes straight
to it, and tests drive it with real key clicks like any other widget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import QMenu, QWidget

from gui.ui.icons import swatch_icon


class KeyMenu(QMenu):
    """A menu whose entries are chosen by their key; Esc closes it without choosing."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("keyMenu")
        self.setTitle(title)
        self._keys: dict[str, QAction] = {}
        heading = self.addAction(title)
        heading.setEnabled(False)

    def add(self, key: str, text: str, value: Any, color: str | None = None) -> QAction:
        shown = text.replace("&", "&&")
        action = self.addAction(f"{shown}\t{key}" if key else shown)
        if color:
            action.setIcon(swatch_icon(color))
        action.setData(value)
        if key:
            self._keys[key.lower()] = action
        return action

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self._keys.get(event.text().lower()) if event.text() else None
        if action is not None:
            event.accept()
            action.trigger()
            self.close()
            return
        super().keyPressEvent(event)


def open_menu(
    parent: QWidget,
    title: str,
    entries: Sequence[tuple[str, str, Any, str | None]],
    at: QPoint,
    chosen: Callable[[Any], None],
) -> KeyMenu:
    """Show a KeyMenu of (key, text, value, colour) entries; ``chosen(value)`` on a pick."""
    menu = KeyMenu(title, parent)
    for key, text, value, color in entries:
        menu.add(key, text, value, color)
    menu.triggered.connect(lambda action: chosen(action.data()))
    menu.aboutToHide.connect(menu.deleteLater)
    menu.popup(at)
    return menu
