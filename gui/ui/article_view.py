"""The article: a read-only QTextEdit holding exactly the article text, with the annotations
drawn over it.

Why it is built this way:
- ``setPlainText`` only, so ``document()`` holds the article verbatim and nothing in it is ever
  read as HTML; positions are converted by ``OffsetMap`` in the controller, never here.
- Entity backgrounds are ``ExtraSelection``s (drawn under the glyphs, cheap to replace after
  each edit); label tags, dashed outlines of suggestions, stance underlines and holder boxes are
  painted over the viewport for the visible lines only, so a 50,000-word article stays quick.
- Lines are spaced out (proportional line height) to leave room under each line for the label
  tags, displaCy-style; stance evidence gets a bar and its target in a gutter on the left.
- An edit the server has not confirmed yet (gui/core/pending.py) is drawn as made but hatched
  and outlined with dashes in the palette's text colour (dark on a light page, light on a dark
  one), a removal as a hatched ghost without its fill; hovering one says it is not saved yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore
from PySide6.QtCore import (
    QEvent,
    QMargins,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSizeF,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QRegion,
    QResizeEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextEdit, QToolTip, QWidget

from gui.core.contrast import MARK, TEXT, readable
from gui.ui import qt_ints

LINE_HEIGHT_PERCENT = 165
GUTTER_WIDTH = 170
BARE_GUTTER = 12  # a fitted gutter with no stance to show: a little air left of the text
DOCUMENT_MARGIN = 14
READING_COLUMNS = 78
EDGE_GRAB_PX = 4
PARTIAL_UPDATE_LIMIT = 40  # more changed marks than this: repaint the whole viewport
TEXT_ON_LABEL = QColor("#1b1b1b")
_PROPORTIONAL = QTextBlockFormat.LineHeightTypes.ProportionalHeight.value


@dataclass(frozen=True, slots=True)
class Mark:
    """One annotation to draw, already in Qt positions."""

    kind: str  # "entity" or "stance"
    id: int
    start: int
    end: int
    color: str
    tag: str  # the label, or the stance's polarity
    suggested: bool  # a pre-fill suggestion not yet confirmed by a person
    detail: str = ""  # the stance's target
    holder: tuple[int, int] | None = None
    holder_text: str = ""
    unsaved: str = ""  # not confirmed by the server yet: what to say of it (a tooltip)
    ghost: bool = False  # removed, the removal not confirmed yet: drawn without its fill


def reading_font() -> QFont:
    font = QFont()
    font.setFamilies(["Source Serif 4", "Charter", "Georgia", "DejaVu Serif", "Noto Serif",
                      "serif"])
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPointSizeF(12.5)
    return font


def line_rects(document: QTextDocument, start: int, end: int) -> list[QRectF]:
    """One rectangle per visual line covered by ``[start, end)`` (document coordinates).

    Each rectangle covers the glyphs (ascent + descent), not the spacing below the line.
    """
    rects: list[QRectF] = []
    block = document.findBlock(start)
    while block.isValid() and block.position() <= end:
        layout = block.layout()
        origin = layout.position()
        base = block.position()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            line_start = base + line.textStart()
            line_end = line_start + line.textLength()
            lo, hi = max(start, line_start), min(end, line_end)
            if lo >= hi and not (lo == hi == start == end):
                continue
            x1 = line.cursorToX(lo - base)[0]
            x2 = line.cursorToX(hi - base)[0]
            rects.append(
                QRectF(origin.x() + min(x1, x2), origin.y() + line.y(), abs(x2 - x1),
                       line.ascent() + line.descent())
            )
        block = block.next()
    return rects


def holder_line_y(rect: QRectF) -> float:
    """Where the line joining a holder to its evidence's bar runs: just above the glyphs of
    the holder's line (through them it read as a strikethrough), meeting its box's top edge."""
    return rect.top() - 3


def plain_text_document(text: str, font: QFont, parent: QWidget | None = None) -> QTextDocument:
    """A new document holding ``text`` as plain text, as ``setPlainText`` would make it, with
    spaced-out lines.

    Inserting into a fresh document, not yet shown, with the line height set on the first
    block (new blocks inherit it) is what makes switching fast: loading into the document a
    view already shows lays the whole article out at once (~200 ms for 50,000 words) and
    styling the blocks afterwards costs as much again.
    """
    document = QTextDocument(parent)
    document.setUndoRedoEnabled(False)
    document.setDefaultFont(font)
    document.setDocumentMargin(DOCUMENT_MARGIN)
    cursor = QTextCursor(document)
    cursor.beginEditBlock()
    block_format = QTextBlockFormat()
    block_format.setLineHeight(LINE_HEIGHT_PERCENT, _PROPORTIONAL)
    cursor.setBlockFormat(block_format)
    cursor.insertText(text)
    cursor.endEditBlock()
    return document


class StanceGutter(QWidget):
    """The margin left of the text: a bar per stance over its evidence, with its target."""

    def __init__(self, view: ArticleView):
        super().__init__(view)
        self.view = view
        self.setObjectName("stanceGutter")
        # Qt fills the background (the palette's Window colour): a fill from Python would
        # cost the first paint the Qt namespace (qt_ints.py).
        self.setAutoFillBackground(True)

    def sizeHint(self) -> QSize:
        return QSize(self.view.gutter_width, 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.view.paint_gutter(self, event)


class ArticleView(QTextEdit):
    """Shows one article; reports selections and clicks in Qt positions.

    Its stance gutter is ``GUTTER_WIDTH`` wide, so that the text does not move as stances
    come and go while an annotator works; a view that sets ``fit_gutter`` (review mode, where
    the article's column is narrow) sizes the gutter to the lines it shows instead."""

    fit_gutter = False

    selection_made = Signal(int, int, QPoint)  # Qt start, end, global position for a popup
    clicked = Signal(int)  # Qt position of a click that selected nothing
    boundary_key = Signal(str, int)  # "start"/"end", -1/+1: Shift(+Ctrl)+arrow on a span
    edge_dragged = Signal(str, int)  # "start"/"end", new Qt position
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        # The viewport, found as the child it is: PySide (6.8+) answers Python's first call of
        # a scroll area's viewport() by creating every class of QtWidgets not yet used, with
        # their enums (~10 ms of start-up, docs/benchmarks.md); held, so that it stays known.
        self._viewport = self.findChild(QWidget, "qt_scrollarea_viewport")
        self.setObjectName("articleView")
        self.setAccessibleName("Article")
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setAcceptRichText(False)
        self.setProperty("textInteractionFlags",  # as an int: qt_ints.py
                         qt_ints.SELECTABLE_BY_MOUSE | qt_ints.SELECTABLE_BY_KEYBOARD)
        self.setLineWrapMode(QTextEdit.LineWrapMode.WidgetWidth)
        self.setFont(reading_font())
        self.setFrameShape(QTextEdit.Shape.NoFrame)
        self.entity_marks: list[Mark] = []
        self.stance_marks: list[Mark] = []
        self._lanes: dict[int, int] = {}
        self.span_selected: tuple[int, int] | None = None  # the selected annotation's span
        self._edge: str | None = None  # "start"/"end" while an edge is being dragged
        self._tags: dict[tuple[object, ...], QPixmap] = {}
        self._small_font: tuple[float, QFont] | None = None
        self._fresh = True  # no marks shown on this article yet
        # Line rectangles of the spans drawn, by (start, end): the layout only changes with
        # the article, the width or the font, so painting never lays out a span twice.
        self._rect_cache: dict[tuple[int, int], list[QRectF]] = {}
        self.gutter_width = GUTTER_WIDTH
        self.gutter = StanceGutter(self)
        self._update_margins()

    # ---- content --------------------------------------------------------------------------

    def set_article(self, text: str) -> None:
        self.entity_marks = []
        self.stance_marks = []
        self._fresh = True
        self.span_selected = None
        self._rect_cache = {}
        # The view owns the document (its parent), so the previous one is deleted with it.
        self.setDocument(plain_text_document(text, self.font(), self))
        layout = self.document().documentLayout()
        layout.update.connect(self._forget_layout)  # laid out again (more of it, or anew)
        layout.documentSizeChanged.connect(self._forget_layout)
        self.verticalScrollBar().setValue(0)

    def set_marks(self, entities: list[Mark], stances: list[Mark]) -> None:
        """Show these marks, repainting only where they differ from the ones shown.

        An edit changes one or two marks; repainting the whole article for it was most of an
        edit's time, so only the rectangles of the marks that appeared or went are redrawn
        (the text under them included), and the gutter only when a stance changed.
        """
        stances = sorted(stances, key=lambda m: (m.start, -m.end))
        fresh, self._fresh = self._fresh, False  # a new article: all of it is drawn anyway
        changed = set() if fresh else set(self.entity_marks).symmetric_difference(entities)
        changed_stances = set() if fresh else set(self.stance_marks).symmetric_difference(
            stances)
        self.entity_marks = entities  # in text order already (the store sorts them)
        self.stance_marks = stances
        self._lanes = _assign_lanes(self.stance_marks)
        if self.fit_gutter:
            self._fit_gutter()
        if fresh:
            self.viewport().update()
            self.gutter.update()
            return
        if any(mark.unsaved for mark in changed | changed_stances):
            QToolTip.hideText()  # it may say "not saved yet" of an edit saved now
        self._update_marks(changed | changed_stances)
        if changed_stances:
            self.gutter.update()

    def _update_marks(self, marks: set[Mark]) -> None:
        """Schedule a repaint of the viewport under ``marks`` (labels and outlines included)."""
        if not marks:
            return
        if len(marks) > PARTIAL_UPDATE_LIMIT:
            self.viewport().update()
            return
        offset = self._scroll_offset()
        visible = QRectF(self.viewport().rect())
        tag_font = self._tag_font()
        region = QRegion()
        for mark in marks:
            rects = list(self._rects(mark.start, mark.end))
            if mark.holder is not None:
                holder = self._rects(*mark.holder)
                rects += holder
                if holder:  # the line joining it to the evidence's bar
                    first = holder[0]
                    rects.append(QRectF(offset.x(), holder_line_y(first) - 1,
                                        first.left() - offset.x(), 2))
            elif mark.kind == "entity" and rects:
                size = self._tag_pixmap(mark, tag_font).deviceIndependentSize()
                first = rects[0]
                rects.append(QRectF(QPointF(first.left(), first.bottom() + 3), size))
            for rect in rects:
                shown = rect.translated(-offset).adjusted(-5, -5, 5, 6)
                if shown.intersects(visible):
                    region += shown.toAlignedRect()
        if not region.isEmpty():
            self.viewport().update(region)

    def show_span(self, start: int, end: int) -> None:
        """Put the text cursor exactly over ``[start, end)`` and scroll it into view: its end,
        then its start (a span over two lines reached from below showed only its last line,
        its first scrolled off the top), so that a span that fits is seen whole."""
        cursor = QTextCursor(self.document())
        for position in (end, start):
            cursor.setPosition(position)
            self.setTextCursor(cursor)
            self.ensureCursorVisible()
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def selection(self) -> tuple[int, int] | None:
        cursor = self.textCursor()
        if not cursor.hasSelection():
            return None
        return cursor.selectionStart(), cursor.selectionEnd()

    def clear_selection(self) -> None:
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)

    # ---- reading comfort ------------------------------------------------------------------

    def zoom(self, steps: int) -> None:
        if steps > 0:
            self.zoomIn(steps)
        elif steps < 0 and self.font().pointSizeF() > 7:
            self.zoomOut(-steps)
        self._update_margins()

    def reset_zoom(self) -> None:
        self.setFont(reading_font())
        self._update_margins()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_margins()

    def _rects(self, start: int, end: int) -> list[QRectF]:
        """``line_rects`` of ``[start, end)``, laid out once (see ``_rect_cache``)."""
        rects = self._rect_cache.get((start, end))
        if rects is None:
            rects = self._rect_cache[(start, end)] = line_rects(self.document(), start, end)
        return rects

    def _forget_layout(self, *_args: object) -> None:
        self._rect_cache = {}

    def _column(self) -> int:
        """The reading column: about 78 characters of the article's font."""
        return int(QFontMetricsF(self.font()).averageCharWidth() * READING_COLUMNS) + 28

    def comfortable_width(self) -> int:
        """The width that shows the whole column beside the gutter; beyond it, only margins."""
        frame = self.width() - self.contentsRect().width()
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        return self.gutter_width + self._column() + scroll_bar + frame

    def _update_margins(self) -> None:
        """A column of about 78 characters, centred, with the stance gutter on its left."""
        self._rect_cache = {}  # a new width or font: the text is laid out again
        column = self._column()
        available = (self.contentsRect().width() - self.gutter_width
                     - self.verticalScrollBar().width())
        extra = max(0, (available - column) // 2)
        if self.viewportMargins() != QMargins(self.gutter_width + extra, 0, extra, 0):
            self.setViewportMargins(self.gutter_width + extra, 0, extra, 0)
            # New margins narrow the viewport without a resize of the view, which is when
            # QTextEdit wraps its text anew: lines ran past the right edge on a wide window.
            self.setLineWrapColumnOrWidth(self.lineWrapColumnOrWidth())
        rect = self.contentsRect()
        self.gutter.setGeometry(QRect(rect.left() + extra, rect.top(), self.gutter_width,
                                      rect.height()))

    # ---- input ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            edge = self._edge_at(event.position().toPoint())
            if edge is not None:
                self._edge = edge
                event.accept()
                return
            if not event.modifiers() & QtCore.Qt.KeyboardModifier.ShiftModifier:
                # A press inside the selection would start a text drag; start a new one instead.
                self.setTextCursor(self.cursorForPosition(event.position().toPoint()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._edge is not None and self.span_selected is not None:
            position = self.cursorForPosition(event.position().toPoint()).position()
            start, end = self.span_selected
            if self._edge == "start":
                start = min(position, end - 1)
            else:
                end = max(position, start + 1)
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
            return
        if self.span_selected is not None and not event.buttons():
            edge = self._edge_at(event.position().toPoint())
            self.viewport().setCursor(
                QtCore.Qt.CursorShape.SizeHorCursor if edge else QtCore.Qt.CursorShape.IBeamCursor
            )
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._edge is not None:
            edge, self._edge = self._edge, None
            cursor = self.textCursor()
            position = cursor.selectionStart() if edge == "start" else cursor.selectionEnd()
            self.edge_dragged.emit(edge, position)
            return
        super().mouseReleaseEvent(event)
        if event.button() != QtCore.Qt.MouseButton.LeftButton:
            return
        cursor = self.textCursor()
        if cursor.hasSelection():
            self.selection_made.emit(
                cursor.selectionStart(), cursor.selectionEnd(), event.globalPosition().toPoint()
            )
        else:
            self.clicked.emit(cursor.position())

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        mods = event.modifiers() & ~QtCore.Qt.KeyboardModifier.KeypadModifier
        shift = QtCore.Qt.KeyboardModifier.ShiftModifier
        ctrl_shift = QtCore.Qt.KeyboardModifier.ControlModifier | shift
        if (
            key in (QtCore.Qt.Key.Key_Left, QtCore.Qt.Key.Key_Right)
            and mods in (shift, ctrl_shift)
            and self.span_selected is not None
            and self.selection() == self.span_selected
        ):
            step = 1 if key == QtCore.Qt.Key.Key_Right else -1
            self.boundary_key.emit("end" if mods == shift else "start", step)
            event.accept()
            return
        if key == QtCore.Qt.Key.Key_Escape and mods == QtCore.Qt.KeyboardModifier.NoModifier:
            self.clear_selection()
            self.cleared.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        """Hovering an edit not saved yet says so (the marks are drawn, not widgets)."""
        if event.type() == QEvent.Type.ToolTip:
            tip = self.unsaved_at(self.cursorForPosition(event.pos()).position())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().viewportEvent(event)

    def unsaved_at(self, position: int) -> str:
        """What a tooltip says at Qt ``position``: why the mark there is marked, or ''."""
        for mark in (*self.entity_marks, *self.stance_marks):
            if mark.unsaved and mark.start <= position < mark.end:
                return mark.unsaved
        return ""

    def _edge_at(self, point: QPoint) -> str | None:
        """'start'/'end' when ``point`` is on an edge of the selected annotation."""
        if self.span_selected is None:
            return None
        rects = self._rects(*self.span_selected)
        if not rects:
            return None
        offset = self._scroll_offset()
        first, last = rects[0].translated(-offset), rects[-1].translated(-offset)
        x, y = point.x(), point.y()
        if abs(x - first.left()) <= EDGE_GRAB_PX and first.top() <= y <= first.bottom():
            return "start"
        if abs(x - last.right()) <= EDGE_GRAB_PX and last.top() <= y <= last.bottom():
            return "end"
        return None

    # ---- painting -------------------------------------------------------------------------

    def _scroll_offset(self) -> QPoint:
        return QPoint(self.horizontalScrollBar().value(), self.verticalScrollBar().value())

    def _visible_range(self, area: QRect | None = None) -> tuple[int, int]:
        """Qt positions of the text in ``area`` of the viewport (all of it by default), from
        the line above it (whose label tags hang into it) to the end of its last block."""
        viewport = self.viewport().rect()
        area = viewport if area is None else area
        above = int(QFontMetricsF(self.font()).height() * LINE_HEIGHT_PERCENT / 100) + 1
        first = self.cursorForPosition(QPoint(0, area.top() - above)).position()
        last = self.cursorForPosition(QPoint(viewport.right(), area.bottom())).position()
        block = self.document().findBlock(last)
        return first, block.position() + block.length()

    def _visible(self, marks: list[Mark], window: tuple[int, int] | None = None) -> list[Mark]:
        first, last = window or self._visible_range()
        return [m for m in marks if m.start <= last and m.end >= first]

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.entity_marks and not self.stance_marks:
            super().paintEvent(event)
            return
        window = self._visible_range(event.rect())  # only the part being repainted
        offset = self._scroll_offset()
        placed = [  # each visible entity with its line rectangles, worked out once per paint
            (mark, [r.translated(-offset) for r in self._rects(mark.start, mark.end)])
            for mark in self._visible(self.entity_marks, window)
        ]
        self._paint_backgrounds(placed)
        super().paintEvent(event)
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = self._tag_font()
        low, high = window
        for mark in self.stance_marks:
            # Its evidence or its holder here: a holder paragraphs away from the evidence
            # (reported speech) lost its box and line at any repaint of its own lines.
            held = mark.holder or (-1, -1)
            if not ((mark.start <= high and mark.end >= low)
                    or (held[0] <= high and held[1] >= low)):
                continue
            color = self._shown(mark.color, QPalette.ColorRole.Base, MARK)
            pen = QPen(color, 2.2)
            if mark.unsaved:
                pen.setStyle(QtCore.Qt.PenStyle.DotLine)
            elif mark.suggested:
                pen.setStyle(QtCore.Qt.PenStyle.DashLine)
            painter.setPen(pen)
            for rect in self._rects(mark.start, mark.end):
                r = rect.translated(-offset)
                painter.drawLine(r.bottomLeft() + QPoint(0, 2), r.bottomRight() + QPoint(0, 2))
            holder = self._rects(*mark.holder) if mark.holder is not None else []
            if holder:
                painter.setPen(QPen(color, 1.6))
                painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                for rect in holder:
                    painter.drawRoundedRect(rect.translated(-offset).adjusted(-2, -2, 2, 2), 3, 3)
                # Joined to the evidence: a dotted line from the bar in the gutter (which
                # draws its own part up to here) to the holder's box.
                first = holder[0].translated(-offset)
                y = holder_line_y(first)
                painter.setPen(QPen(color, 1.4, QtCore.Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(0, y), QPointF(first.left() - 2, y))
        ink = self._ink()
        for mark, rects in placed:
            if not rects:
                continue
            color = QColor(mark.color)
            if mark.unsaved:  # not saved yet: a dashed outline in the text's own colour
                painter.setPen(QPen(ink, 1.5, QtCore.Qt.PenStyle.DashLine))
                painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                for r in rects:
                    painter.drawRect(r.adjusted(-1.5, -1.5, 1.5, 1.5))
            elif mark.suggested:
                painter.setPen(QPen(color.darker(170), 1, QtCore.Qt.PenStyle.DashLine))
                painter.setBrush(QtCore.Qt.BrushStyle.NoBrush)
                for r in rects:
                    painter.drawRect(r.adjusted(-0.5, -0.5, 0.5, 0.5))
            first = rects[0]
            painter.drawPixmap(QPointF(first.left(), first.bottom() + 3),
                               self._tag_pixmap(mark, small))
        painter.end()

    def _shown(self, color: str, role: QPalette.ColorRole, minimum: float) -> QColor:
        """A schema colour as drawn on this palette's ``role``: lightened or darkened as far
        as WCAG's ``minimum`` asks (gui/core/contrast.py), so the dark palette's red reads."""
        return QColor(readable(color, self.palette().color(role).name(), minimum))

    def _ink(self) -> QColor:
        """The text's colour on this palette: what marks an unsaved edit, legible on both a
        light and a dark page (a label's colour may be close to either)."""
        return self.palette().color(QPalette.ColorRole.Text)

    def _hatch(self, painter: QPainter, rects: list[QRectF], alpha: int) -> None:
        """Diagonal lines over ``rects`` in the text's colour: an edit not saved yet."""
        ink = self._ink()
        ink.setAlpha(alpha)
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(ink, QtCore.Qt.BrushStyle.BDiagPattern))
        for rect in rects:
            painter.drawRect(rect.adjusted(-1, -1, 1, 1))

    def _tag_font(self) -> QFont:
        """The labels' font for the current zoom, made once per size (a QFont from a family
        name costs a font lookup, a third of a millisecond, on every paint otherwise)."""
        size = self.font().pointSizeF()
        if self._small_font is None or self._small_font[0] != size:
            small = QFont(self.font().family())
            small.setPointSizeF(max(6.5, size * 0.58))
            small.setBold(True)
            self._small_font = (size, small)
        return self._small_font[1]

    def _tag_pixmap(self, mark: Mark, font: QFont) -> QPixmap:
        """A label tag, drawn once per label and size: laying out text for every tag on
        every paint is what made a repaint slow. An unsaved mark's tag has a dashed border
        in the text's colour; a removal's is faded and struck out."""
        text, color, suggested, unsaved = mark.tag, mark.color, mark.suggested, mark.unsaved
        ratio = self.devicePixelRatioF()
        ink = self._ink()
        key = (text, color, suggested, bool(unsaved), mark.ghost, ink.rgba(), font.pointSizeF(),
               ratio)
        pixmap = self._tags.get(key)
        if pixmap is not None:
            return pixmap
        if mark.ghost:
            font = QFont(font)
            font.setStrikeOut(True)
        metrics = QFontMetricsF(font)
        size = QSizeF(metrics.horizontalAdvance(text) + 6, metrics.height())
        pixmap = QPixmap((size * ratio).toSize())
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(QtCore.Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        alpha = 150 if suggested else 90 if mark.ghost else 255
        # Its dark text on the tint as seen over the page: a see-through tag over a dark page
        # is darker than the label's colour, so the tint is lightened until the text reads.
        fill = QColor(readable(color, TEXT_ON_LABEL.name(), TEXT,
                               self.palette().color(QPalette.ColorRole.Base).name(), alpha / 255))
        fill.setAlpha(alpha)
        painter.setPen(QPen(ink, 1.2, QtCore.Qt.PenStyle.DashLine) if unsaved
                       else QtCore.Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(QPointF(0, 0), size).adjusted(0.6, 0.6, -0.6, -0.6), 3, 3)
        painter.setFont(font)
        painter.setPen(TEXT_ON_LABEL)
        painter.drawText(QRectF(QPointF(0, 0), size), QtCore.Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        self._tags[key] = pixmap
        return pixmap

    def _paint_backgrounds(self, placed: list[tuple[Mark, list[QRectF]]]) -> None:
        """Entity colours under the glyphs (the text is drawn over them afterwards), and the
        hatching of edits not saved yet."""
        if not placed and not any(mark.unsaved for mark in self.stance_marks):
            return
        painter = QPainter(self.viewport())
        painter.setPen(QtCore.Qt.PenStyle.NoPen)
        page = self.palette().color(QPalette.ColorRole.Base)
        dark = page.lightness() < 128
        ink = self._ink().name()
        for mark, rects in placed:
            if not mark.ghost:  # a removal not saved yet: no fill, only its hatching
                # On a dark page the text is light: a thinner tint, darkened where the
                # label's colour is light enough to leave the text under 4.5:1.
                alpha = ((55 if dark else 110) if mark.suggested else (120 if dark else 235))
                color = QColor(readable(mark.color, ink, TEXT, page.name(), alpha / 255))
                color.setAlpha(alpha)
                painter.setBrush(color)
                painter.setPen(QtCore.Qt.PenStyle.NoPen)
                for rect in rects:
                    painter.drawRect(rect.adjusted(-1, -1, 1, 1))
            if mark.unsaved:
                self._hatch(painter, rects, 100)
        for mark in self._visible(self.stance_marks, self._visible_range()):
            if mark.unsaved:  # under the text too, lighter: evidence is a whole sentence
                offset = self._scroll_offset()
                self._hatch(painter, [r.translated(-offset) for r in
                                      self._rects(mark.start, mark.end)], 60)
        painter.end()

    def paint_gutter(self, gutter: QWidget, event: QPaintEvent) -> None:
        if not self.stance_marks:
            return  # the background is all (StanceGutter)
        painter = QPainter(gutter)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        offset = self._scroll_offset()
        top_margin = self.viewport().geometry().top() - gutter.geometry().top()
        small = self._gutter_font()
        metrics = QFontMetricsF(small, gutter)
        painter.setFont(small)
        lanes = max(self._lanes.values(), default=0) + 1
        text_right = self.gutter_width - 10 - lanes * 7
        next_free = -1e9
        for mark in self._visible(self.stance_marks):
            rects = self._rects(mark.start, mark.end)
            if not rects:
                continue
            y0 = rects[0].top() - offset.y() + top_margin
            y1 = rects[-1].bottom() - offset.y() + top_margin
            color = self._shown(mark.color, QPalette.ColorRole.Window, MARK)
            x = self.gutter_width - 8 - self._lanes.get(mark.id, 0) * 7
            style = (QtCore.Qt.PenStyle.DotLine if mark.unsaved else
                     QtCore.Qt.PenStyle.DashLine if mark.suggested else
                     QtCore.Qt.PenStyle.SolidLine)
            pen = QPen(color, 4, style)
            pen.setCapStyle(QtCore.Qt.PenCapStyle.FlatCap)
            painter.setPen(pen)
            painter.drawLine(QPoint(x, int(y0)), QPoint(x, int(y1)))
            holder = self._rects(*mark.holder) if mark.holder is not None else []
            if holder:  # the gutter's part of the line to the holder (see paintEvent)
                y = holder_line_y(holder[0]) - offset.y() + top_margin
                painter.setPen(QPen(color, 1.4, QtCore.Qt.PenStyle.DotLine))
                painter.drawLine(QPointF(x, y), QPointF(self.gutter_width, y))
            lines = _gutter_lines(mark)
            y = max(y0, next_free)
            for i, line in enumerate(lines):
                bold = _gutter_line_font(small, mark, i, len(lines))
                painter.setFont(bold)
                painter.setPen(self._shown(mark.color, QPalette.ColorRole.Window, TEXT)
                               if i == 0 else self.palette().color(QPalette.ColorRole.WindowText))
                elided = QFontMetricsF(bold, gutter).elidedText(
                    line, QtCore.Qt.TextElideMode.ElideRight, text_right - 4)
                painter.drawText(QRectF(4, y, text_right - 4, metrics.height()),
                                 QtCore.Qt.AlignmentFlag.AlignRight
                                 | QtCore.Qt.AlignmentFlag.AlignVCenter,
                                 elided)
                y += metrics.height()
            next_free = y + 4
        painter.end()

    def _gutter_font(self) -> QFont:
        """The gutter's small font: the view's own, families and all. Painting resolves a font
        against the gutter's (the view's) and so takes its first installed family, while a
        font made from ``family()`` alone measures as whatever stands in for "Source Serif 4";
        the two disagreed, and a long holder was clipped at the gutter's edge, not elided."""
        small = QFont(self.font())
        small.setPointSizeF(max(6.5, self.font().pointSizeF() * 0.62))
        return small

    def _fit_gutter(self) -> None:
        """The gutter as wide as its widest line, its bars and its margins, at most
        ``GUTTER_WIDTH`` (longer lines elide), and ``BARE_GUTTER`` with no stance: review
        mode's kept 170 pixels beside an article with no stance to show."""
        width = BARE_GUTTER
        if self.stance_marks:
            small = self._gutter_font()
            widest = max(QFontMetricsF(_gutter_line_font(small, mark, i, len(lines)),
                                       self.gutter).horizontalAdvance(line)
                         for mark in self.stance_marks
                         for lines in (_gutter_lines(mark),) for i, line in enumerate(lines))
            lanes = max(self._lanes.values(), default=0) + 1
            width = min(GUTTER_WIDTH, int(widest) + 20 + lanes * 7)
        if width != self.gutter_width:
            self.gutter_width = width
            self._update_margins()
            self.gutter.update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        self.gutter.update()


def _gutter_lines(mark: Mark) -> list[str]:
    """What the gutter says of a stance: its polarity, its target, its holder, and whether
    it is saved."""
    lines = [mark.tag, mark.detail] + ([f"holder: {mark.holder_text}"]
                                       if mark.holder_text else [])
    if mark.unsaved:
        lines.append(mark.unsaved.split(" — ")[0])
    return lines


def _gutter_line_font(small: QFont, mark: Mark, line: int, lines: int) -> QFont:
    """The polarity in bold, a ghost's first lines struck out, "not saved yet" in italics."""
    font = QFont(small)
    font.setBold(line == 0)
    font.setItalic(bool(mark.unsaved) and line == lines - 1)
    font.setStrikeOut(mark.ghost and line < 2)
    return font


def _assign_lanes(marks: list[Mark]) -> dict[int, int]:
    """Overlapping stances get side-by-side bars (interval partitioning, greedy)."""
    lanes: dict[int, int] = {}
    lane_ends: list[int] = []
    for mark in marks:
        for lane, end in enumerate(lane_ends):
            if end <= mark.start:
                lane_ends[lane] = mark.end
                lanes[mark.id] = lane
                break
        else:
            lanes[mark.id] = len(lane_ends)
            lane_ends.append(mark.end)
    return lanes
