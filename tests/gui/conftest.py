"""Fixtures for driving the real window offscreen with real key presses and mouse events.

Per-user state (QSettings, the data folder) goes to a temporary folder, so tests never read
or write the developer's own settings.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

_USER = tempfile.mkdtemp(prefix="marginalia-gui-tests-")
os.environ["XDG_CONFIG_HOME"] = str(Path(_USER) / "config")
os.environ["XDG_DATA_HOME"] = str(Path(_USER) / "data")
# A desktop-sized screen (the offscreen platform's own is 800×600, where the window would open
# maximized): the tests' windows are 1300×800, as on a desktop.
_SCREEN = Path(_USER) / "screen.json"
_SCREEN.write_text(json.dumps({"screens": [{
    "name": "desktop", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96,
    "logicalBaseDpi": 96, "dpr": 1}]}))
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QHelpEvent, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QToolTip, QWidget  # noqa: E402

from gui.core.store import Project  # noqa: E402

ARTICLE = (
    "Russia rejects the U.S. blockade against Cuba.\n"
    "Sergei Lavrov met Bruno Rodríguez in Havana on Monday. "
    "The ministers praised the strategic partnership."
)


@pytest.fixture(autouse=True)
def _app_names(qapp: QApplication) -> None:
    qapp.setOrganizationName("MarginaliaTests")
    qapp.setApplicationName("MarginaliaTests")


def add_docs(path: Path, texts: list[str]) -> list[int]:
    with Project.open(path) as project:
        return [doc_id for doc_id, _ in project.add_documents(
            {"text": t, "title": f"Doc {i}"} for i, t in enumerate(texts))]


@pytest.fixture
def make_window(qtbot, project_path: Path) -> Iterator[Callable[..., object]]:
    from gui.ui.main_window import MainWindow

    def make(texts: list[str] | None = None, annotator: str = "ana",
             path: Path = project_path) -> MainWindow:
        if texts:
            add_docs(path, texts)
        window = MainWindow(path, annotator)
        qtbot.addWidget(window)
        window.resize(1300, 800)
        window.show()
        qtbot.waitExposed(window)
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        window.view.setFocus()
        return window

    yield make


@pytest.fixture
def window(make_window):
    return make_window([ARTICLE, "Second article about Moscow.", "Third one about Havana."])


def point_at(view, qt_position: int) -> QPoint:
    """The viewport point of the boundary before ``qt_position`` in the article view."""
    cursor = QTextCursor(view.document())
    cursor.setPosition(qt_position)
    rect = view.cursorRect(cursor)
    return QPoint(rect.left(), rect.center().y())


def drag(qtbot, view, start: int, end: int) -> None:
    """Press at ``start``, move to ``end`` and release, as a hand on a mouse would."""
    view.show_span(start, end)  # scroll both ends into view first
    view.clear_selection()
    a, b = point_at(view, start), point_at(view, end)
    viewport = view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(viewport, QPoint((a.x() + b.x()) // 2, b.y()))
    qtbot.mouseMove(viewport, b)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=b)


def click(qtbot, view, position: int) -> None:
    point = point_at(view, position) + QPoint(2, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)


def popup(qtbot):
    """The open key popup (label, target, polarity or holder menu)."""
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None, timeout=3000)
    return QApplication.activePopupWidget()


def stored(path: Path, annotator: str = "ana") -> dict:
    """What the project file holds for the annotator's first document, read anew."""
    with Project.open(path) as project:
        doc_id = project.document_ids()[0]
        aset = project.annotation_set(doc_id, annotator)
        text = project.document(doc_id).text
        return {
            "status": aset.status,
            "note": aset.note,
            "entities": [(text[e.start:e.end], e.label) for e in aset.entities],
            "spans": [(e.start, e.end, e.label) for e in aset.entities],
            "stances": [(text[s.start:s.end], s.target, s.polarity,
                         text[s.holder_start:s.holder_end] if s.holder else None)
                        for s in aset.stances],
        }


def when_modal(kind: type, answer: Callable[[object], None], tries: int = 200) -> None:
    """Answer the next modal dialog of ``kind`` once it is open (modal dialogs block the test)."""

    def attempt(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind):
            answer(dialog)
        elif left:
            QTimer.singleShot(25, lambda: attempt(left - 1))

    QTimer.singleShot(0, lambda: attempt(tries))


def tooltip(widget: QWidget) -> str:
    """The tooltip a widget shows once the mouse has rested on it (the offscreen platform
    starts no tooltip timer, so the event Qt would send is sent here)."""
    point = QPoint(5, 5)
    QApplication.sendEvent(widget, QHelpEvent(QEvent.Type.ToolTip, point,
                                              widget.mapToGlobal(point)))
    return QToolTip.text()
