"""Small icons drawn with QPainter: status marks and label swatches, no image files needed."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap

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


@cache
def status_icon(status: str, size: int = 16) -> QIcon:
    glyph, color = _STATUS_GLYPHS.get(status, ("?", "#8a8a8a"))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont()
    font.setPixelSize(size - 2)
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QPen(QColor(color)))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return QIcon(pixmap)


@cache
def swatch_icon(color: str, size: int = 12) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(color))
    painter.setPen(QPen(QColor(color).darker(150)))
    painter.drawRoundedRect(QRectF(0.5, 0.5, size - 1, size - 1), 3, 3)
    painter.end()
    return QIcon(pixmap)
