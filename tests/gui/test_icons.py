"""Every status shows its mark, whether Qt draws it from SVG or it is painted from Python."""

from __future__ import annotations

from gui.ui.icons import STATUS_LABELS, painted_status_icon, status_icon


def test_every_status_has_a_visible_mark_either_way(qtbot) -> None:
    for status in STATUS_LABELS:
        for icon in (status_icon(status), painted_status_icon(status)):
            image = icon.pixmap(16, 16).toImage()
            opaque = [(x, y) for x in range(16) for y in range(16)
                      if image.pixelColor(x, y).alpha() > 200]
            assert opaque, status  # the glyph is drawn
