"""A stance's holder far from its evidence (pre-fill finds holders through reported speech,
paragraphs away) keeps its box and its joining line when something near the holder is
repainted: an edit repaints only the rectangles it changed, and the stance, whose evidence lay
outside them, was left out of the repaint, so its box vanished at the first edit nearby."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect
from PySide6.QtGui import QColor

from gui.core import edits
from gui.core.store import Project
from tests.gui.conftest import add_docs, drag, popup

TEXT = ("Moscow condemned the blockade of the island.\n\n"
        "The talks went on for two days.\n\n"
        "Trade was discussed at length.\n\n"
        "The statement was read by Maria Zakharova in Moscow on Monday.")


class PaintSpy(QObject):
    """Notes the rectangles a widget is asked to repaint."""

    def __init__(self, painted: list[QRect]):
        super().__init__()
        self.painted = painted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted.append(event.rect())
        return False


def _red_pixels(window, start: int) -> int:
    """Red pixels on the box's left edge, beside the holder's first character."""
    view = window.view
    # What the screen shows (grab() would paint the whole view anew, hiding the fault).
    viewport = view.viewport()
    origin = viewport.mapTo(window, viewport.rect().topLeft())
    image = window.screen().grabWindow(window.winId(), origin.x(), origin.y(),
                                       viewport.width(), viewport.height()).toImage()
    qt_start, _ = window.controller.offsets.span_to_qt(start, start)
    cursor = view.textCursor()
    cursor.setPosition(qt_start)
    rect = view.cursorRect(cursor)
    reds = 0
    for x in range(rect.left() - 5, rect.left() + 2):
        for y in range(rect.top() - 4, rect.bottom() + 4):
            color = QColor(image.pixel(x, y))
            if color.hslSaturation() > 90 and (color.hslHue() >= 345 or color.hslHue() <= 12):
                reds += 1
    return reds


def test_a_far_holders_box_survives_an_edit_beside_it(qtbot, make_window, project_path) -> None:
    (doc,) = add_docs(project_path, [TEXT])
    holder = TEXT.index("Maria Zakharova")
    with Project.open(project_path) as project:
        evidence_end = TEXT.index(".") + 1
        edits.AddStance(doc, "ana", 0, evidence_end, "US embargo on Cuba", "against",
                        (holder, holder + len("Maria Zakharova"))).apply(project)
    window = make_window()
    qtbot.waitUntil(lambda: window.side.stance_view.model().rowCount() == 1)
    qtbot.waitUntil(lambda: _red_pixels(window, holder) > 0)
    monday = TEXT.index("Monday")
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(monday, monday + 6))
    qtbot.keyClick(popup(qtbot), "9")  # DATE
    qtbot.waitUntil(lambda: window.side.entity_view.model().rowCount() == 1)
    view = window.view
    painted: list[QRect] = []
    spy = PaintSpy(painted)
    view.viewport().installEventFilter(spy)
    view.clear_selection()
    qtbot.waitUntil(lambda: bool(painted))
    # Then only the holder's line, as an edit there (or the cursor) repaints it.
    painted.clear()
    cursor = view.textCursor()
    cursor.setPosition(window.controller.offsets.span_to_qt(holder, holder)[0])
    line = view.cursorRect(cursor)
    view.viewport().update(0, line.top() - 6, view.viewport().width(), line.height() + 12)
    qtbot.waitUntil(lambda: bool(painted))
    assert all(rect.top() > 60 for rect in painted)  # the evidence's line was not repainted
    assert _red_pixels(window, holder) > 0
