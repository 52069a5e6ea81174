"""Small icons, no image files needed: status marks (drawn by Qt from SVG) and label swatches."""

from __future__ import annotations

from functools import cache

from PySide6 import QtCore
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

from gui.core.contrast import MARK, readable

STATUS_LABELS = {
    "todo": "To do",
    "in_progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
    "flagged": "Flagged",
}
# A shape and a colour each, so the status reads without relying on colour alone.
_STATUS_GLYPHS = {
    "todo": ("○", "#8a8a8a"),
    "in_progress": ("◐", "#d08a00"),
    "done": ("✓", "#2a9d3a"),
    "skipped": ("»", "#6f7c91"),
    "flagged": ("⚑", "#d62728"),
}
_UNKNOWN = ("?", "#8a8a8a")
SELECTED_GLYPH = "#ffffff"  # on the selection's colour, dark in light and dark palettes alike


@cache
def status_icon(status: str, size: int = 16) -> QIcon:
    """The status's glyph, bold, centred, in its colour, drawn by Qt from SVG: the first
    paint shows these (the list's rows, the status filter), and painting them from Python
    would cost it the Qt namespace (qt_ints.py). Glyph and colour are ours, never user text.
    """
    glyph, color = _STATUS_GLYPHS.get(status, _UNKNOWN)
    icon = QIcon()
    # White on a selected row: the green ✓ (or grey ○) on the selection's blue hardly showed.
    for fill, mode in ((color, QIcon.Mode.Normal), (SELECTED_GLYPH, QIcon.Mode.Selected)):
        svg = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}">'
               f'<text x="{size / 2}" y="{size * 0.8:.1f}" text-anchor="middle" '
               f'font-size="{size - 2}" font-weight="bold" fill="{fill}">&#x{ord(glyph):x};'
               "</text></svg>")
        pixmap = QPixmap()
        if not pixmap.loadFromData(svg.encode("ascii"), "SVG"):  # a Qt without SVG plugin
            return painted_status_icon(status, size)
        icon.addPixmap(pixmap, mode)
    return icon


def painted_status_icon(status: str, size: int = 16) -> QIcon:
    """The same icon painted from Python, where Qt cannot read SVG."""
    glyph, color = _STATUS_GLYPHS.get(status, _UNKNOWN)
    pixmap = QPixmap(size, size)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(size - 2)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QPen(QColor(color)))
    painter.drawText(QRectF(0, 0, size, size), QtCore.Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


@cache
def swatch_icon(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QPen(QColor(color).darker(150)))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return QIcon(pixmap)


def mark_swatch(color: str, background: QColor) -> QIcon:
    """A polarity's swatch on ``background``, at least 3:1 against it (gui/core/contrast.py):
    the schema's red was 2.8:1 on a dark window. (A label's swatch keeps its own colour: it
    is the key to the highlights drawn in that colour.)"""
    return swatch_icon(readable(color, background.name(), MARK))


UNSAVED_COLOR = "#d08a00"  # amber, as "in progress": legible on light and dark rows


@cache
def unsaved_icon(size: int = 14) -> QIcon:
    """A clock: an edit waiting for the server (drawn, so no glyph a font may lack)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(QtCore.Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(UNSAVED_COLOR), 1.6)
    painter.setPen(pen)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    centre = size / 2
    painter.drawLine(QtCore.QPointF(centre, centre), QtCore.QPointF(centre, 3.5))
    painter.drawLine(QtCore.QPointF(centre, centre), QtCore.QPointF(size - 4, centre))
    painter.end()
    return QIcon(pixmap)
