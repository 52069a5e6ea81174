"""The moment after a window's first paint, and the keys typed into it before it is complete.

``FirstPaint`` calls back in the turn of the event loop after a widget is first painted: the
start-up benchmark's ready moment, and when a staged window builds the rest of itself. A
staged window (main_window.py) is shown before its actions exist: a key pressed in that
moment, say ``a`` to accept the document, would reach the article view, which does nothing
with it, and be lost. So ``KeyHold`` keeps them until the window is complete and then replays
them in order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

_HELD_TYPES = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)


class FirstPaint(QObject):
    """Calls ``callback`` once, after ``widget``'s first paint (the whole window is painted in
    that same turn of the event loop, so the call comes when all of it is on the screen)."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]):
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


class KeyHold(QObject):
    """Holds the keys typed into ``view`` (the widget with the focus at start-up) from now
    until ``release()``, which then gives each press to the action of ``window`` whose
    shortcut it is, as Qt's shortcut map would have, or else to ``view``.

    Only that widget is watched: a Python filter on the whole application sees Qt's private
    event types too, and PySide then creates every class it has not yet (~10 ms). A click
    elsewhere works as ever meanwhile; a key typed elsewhere before the window is complete
    (within milliseconds of the first paint) reaches that widget as it would without actions.
    """

    def __init__(self, window: QWidget, view: QWidget):
        super().__init__(window)
        self.window = window
        self.view = view
        self.held: list[QKeyEvent] = []
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in _HELD_TYPES:
            self.held.append(event.clone())
            return True
        return False

    def release(self) -> None:
        """Stop holding, and deliver what was held as it would have been."""
        self.view.removeEventFilter(self)
        held, self.held = self.held, []
        for event in held:
            if event.type() == QEvent.Type.KeyPress and self._trigger_shortcut(event):
                continue
            QApplication.sendEvent(self.view, event)
        self.deleteLater()

    def _trigger_shortcut(self, event: QKeyEvent) -> bool:
        # Imported here: PySide creates a class with its enums on first import (QKeySequence's
        # StandardKey is long), ~0.7 ms that the first paint need not wait for.
        from PySide6.QtGui import QKeySequence

        sequence = QKeySequence(event.keyCombination())
        for action in self.window.actions():
            if action.isEnabled() and sequence in action.shortcuts():
                action.trigger()
                return True
        return False
