"""The schema's colours as the annotator sees them, in a light and a dark palette: the
"against" tag beside the article reads as text (it was #d62728 at 2.8:1 on the dark window),
the stance bars, underlines and the list's swatch read as marks, and the words under an
entity's highlight stay readable (displaCy's light colours left 3.3:1 under light text)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from gui.core.contrast import MARK, TEXT
from gui.ui.article_view import GUTTER_WIDTH
from tests.gui.conftest import ARTICLE, click, drag, popup
from tests.gui.test_review_dark import _dark_palette, contrast


def q(window, start: int, end: int = 0) -> tuple[int, int]:
    return window.controller.offsets.span_to_qt(start, end or start)


def _red(color: QColor) -> bool:
    return color.hslSaturation() > 90 and (color.hslHue() >= 345 or 0 <= color.hslHue() <= 12)


def _best(image: QImage, background: QColor, columns: range) -> float:
    """The strongest contrast any red pixel in ``columns`` makes with ``background``: a
    glyph's or a line's core pixels are its colour, its edges a blend."""
    seen = [contrast(color, background) for x in columns for y in range(image.height())
            if _red(color := image.pixelColor(x, y))]
    assert seen, "nothing red drawn there"
    return max(seen)


def test_polarity_and_label_colours_read_in_light_and_dark_palettes(qtbot, window) -> None:
    havana = ARTICLE.index("Havana")
    drag(qtbot, window.view, *q(window, havana, havana + len("Havana")))
    qtbot.keyClick(popup(qtbot), "2")  # GPE: displaCy's light orange
    click(qtbot, window.view, q(window, ARTICLE.index("rejects"))[0])
    qtbot.keyClick(window.view, "s")
    qtbot.keyClick(popup(qtbot), "e")
    qtbot.keyClick(popup(qtbot), "z")  # against: red
    qtbot.keyClick(popup(qtbot), "0")  # no holder (Havana, named after it, is offered)
    qtbot.waitUntil(lambda: window.side.stance_view.model().rowCount() == 1)
    window.view.clear_selection()
    window.view.setFocus()
    app = QApplication.instance()
    light = app.palette()
    view = window.view
    try:
        for palette in (light, _dark_palette()):
            app.setPalette(palette)
            qtbot.waitUntil(lambda p=palette: view.palette().color(QPalette.ColorRole.Base)
                            == p.color(QPalette.ColorRole.Base))
            window_colour = view.palette().color(QPalette.ColorRole.Window)
            page = view.palette().color(QPalette.ColorRole.Base)
            gutter = view.gutter.grab().toImage()
            assert _best(gutter, window_colour, range(0, GUTTER_WIDTH - 30)) >= TEXT  # "against"
            assert _best(gutter, window_colour, range(GUTTER_WIDTH - 30, GUTTER_WIDTH)) >= MARK
            article = view.viewport().grab().toImage()
            assert _best(article, page, range(article.width())) >= MARK  # the underline
            # The words under Havana's highlight: its fill (the commonest colour in its box)
            # against the palette's text colour.
            start, end = q(window, havana, havana + len("Havana"))
            cursor = view.textCursor()
            cursor.setPosition(start)
            left = view.cursorRect(cursor)
            cursor.setPosition(end)
            right = view.cursorRect(cursor)
            fill, _count = Counter(
                article.pixelColor(x, y).name() for x in range(left.left() + 1, right.left() - 1)
                for y in range(left.top(), left.bottom())).most_common(1)[0]
            assert fill != page.name()  # a highlight is drawn
            assert contrast(QColor(fill), view.palette().color(QPalette.ColorRole.Text)) >= TEXT
            model = window.side.stance_view.model()
            icon = model.data(model.index(0, 2, QModelIndex()), Qt.ItemDataRole.DecorationRole)
            swatch = icon.pixmap(12, 12).toImage().pixelColor(6, 6)
            assert contrast(swatch, page) >= MARK
    finally:
        app.setPalette(light)
