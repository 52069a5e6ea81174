"""Every status shows its mark, whether Qt draws it from SVG or it is painted from Python, and
the selected row's mark is white on the selection."""

from __future__ import annotations

from gui.ui.icons import STATUS_LABELS, painted_status_icon, status_icon


def test_every_status_has_a_visible_mark_either_way(qtbot) -> None:
    for status in STATUS_LABELS:
        for icon in (status_icon(status), painted_status_icon(status)):
            image = icon.pixmap(16, 16).toImage()
            opaque = [(x, y) for x in range(16) for y in range(16)
                      if image.pixelColor(x, y).alpha() > 200]
            assert opaque, status  # the glyph is drawn


def test_the_selected_documents_mark_is_drawn_white_on_the_selection(qtbot, window) -> None:
    from PySide6.QtCore import Qt

    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    view = window.doc_panel.view
    rect = view.visualRect(window.documents.index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.title_label.text() == "Doc 0"  # done, and the selected row
    image = view.viewport().grab(rect).toImage()
    colours = [image.pixelColor(x, y) for x in range(min(24, rect.width()))
               for y in range(rect.height())]
    white = sum(1 for c in colours if c.lightness() > 200)
    green = sum(1 for c in colours if c.green() > c.red() + 60 and c.green() > c.blue() + 40)
    # the ✓ in white, not green on the selection's blue
    assert white >= 4 and green == 0, (white, green)
