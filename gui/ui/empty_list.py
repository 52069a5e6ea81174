"""What the document list says when it lists nothing.

A word filter that matched no document left the list blank with "0 listed" in small print at
its foot, which reads as "the project is empty" or "the list is still loading". doccano and
Label Studio say "No results" where the rows would be; here the list says what found nothing
and how to list everything again. The words typed are shown as plain text (the label never
reads HTML), so a filter such as ``<b>`` appears as typed.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QListView, QVBoxLayout

from gui.ui import qt_ints
from gui.ui.icons import STATUS_LABELS


def empty_message(text: str, status: str | None) -> str:
    """The lines shown for a list that the filter ``text`` and the ``status`` left empty."""
    if not text and status is None:
        return "No documents yet.\nFile ▸ Import… (Ctrl+I) adds articles."
    label = STATUS_LABELS.get(status or "", status or "").lower()
    if text and status is not None:
        found = f"No document marked “{label}” contains “{text}”."
    elif text:
        found = f"No document contains “{text}”."
    else:
        found = f"No document is marked “{label}” for you."
    clear = []
    if text:
        clear.append("empty the word filter: the ✕ at its right, or Ctrl+F then Delete")
    if status is not None:
        clear.append("choose All in the status box")
    return f"{found}\n\nTo list every document, {'; and '.join(clear)}."


class EmptyListNote(QObject):
    """A note drawn over the list's blank area while the list has no row."""

    def __init__(self, view: QListView):
        super().__init__(view)
        self.view = view
        self.label = QLabel(view.viewport())
        self.label.setObjectName("emptyListNote")
        # Qt's settings as ints: the list is part of the first paint (qt_ints.py)
        self.label.setProperty("textFormat", qt_ints.PLAIN_TEXT)  # the words typed, never HTML
        self.label.setProperty("wordWrap", True)
        self.label.setProperty("alignment", qt_ints.ALIGN_TOP_CENTER)
        self.label.setForegroundRole(QPalette.ColorRole.Text)  # on the list's Base colour
        layout = QVBoxLayout(view.viewport())
        layout.setContentsMargins(12, 16, 12, 16)
        layout.addWidget(self.label)
        layout.addStretch(1)
        self.label.hide()

    def update(self, text: str, status: str | None) -> None:
        """Show the note when the model has no row (and nothing left to fetch), else hide it."""
        model = self.view.model()
        empty = model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
        if empty:
            self.label.setText(empty_message(text, status))
            self.label.setAccessibleName(self.label.text())
        self.label.setVisible(empty)
