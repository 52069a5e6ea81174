"""A popup's heading ("Stance target", "Who holds this stance?", with what is typed) is read
before the entries: it was a disabled entry, drawn in the faint grey of placeholder text
(about 2:1 on the menu). It now takes the palette's text colour, light or dark."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from tests.gui.conftest import ARTICLE, drag, popup
from tests.gui.test_popups import SENTENCE, q
from tests.gui.test_review_dark import _dark_palette, contrast


def heading_contrast(menu) -> float:
    """The contrast of the heading's most contrasting pixel with the menu's background, as
    drawn: the text's colour against the row it stands on."""
    image = menu.grab().toImage()
    rect = menu.actionGeometry(menu._heading)
    background = QColor(image.pixel(rect.left() + 1, rect.top() + 1))
    return max(contrast(QColor(image.pixel(x, y)), background)
               for x in range(rect.left(), rect.right()) for y in range(rect.top(), rect.bottom()))


def dark_palette() -> QPalette:
    """A dark palette whose disabled text is dimmed, as desktop themes dim it."""
    palette = _dark_palette()
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#5a5a5a"))
    return palette


def target_popup(qtbot, window):
    start = ARTICLE.index(SENTENCE)
    drag(qtbot, window.view, *q(window, start, start + len(SENTENCE)))
    qtbot.keyClick(popup(qtbot), Qt.Key.Key_Escape)
    qtbot.keyClick(window.view, "s")
    return popup(qtbot)


def test_the_target_popups_heading_reads_as_text_in_light_and_dark_palettes(qtbot,
                                                                           window) -> None:
    app = QApplication.instance()
    light = app.palette()
    try:
        for palette in (light, dark_palette()):
            app.setPalette(palette)
            menu = target_popup(qtbot, window)
            assert menu.title() == "Stance target" and menu._heading.font().bold()
            assert heading_contrast(menu) >= 4.5
            qtbot.keyClicks(menu, "us")  # the typed filter shows in the heading, as legibly
            assert menu._heading.text() == "Stance target: us▏"
            assert heading_contrast(menu) >= 4.5
            qtbot.keyClick(menu, Qt.Key.Key_Escape)
            qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    finally:
        app.setPalette(light)
