"""The window on the screen it opens on, and its width shared among the three panels.

The most common laptop screen is 1366×768; the window used to open at 1440×900 there, with its
right panel and status bar off the screen, and at the same 1440×900 on a 1920×1080 desktop,
a small window in a big screen. On a first start it takes a share of the screen instead
(``first_geometry``), centred. The geometry the window opens with (that share on a first
start, or the one saved on a bigger screen) is fitted into the
screen's *available* geometry (without the desktop's panels), and a window that cannot be shown
whole at its size takes the whole available area, maximized (the window manager then fits the
frame too). When the window is narrow, the panels give way before the article does: the side
panel first, then the document list, each down to its minimum, so the article keeps a readable
column (about 65 characters beside the stance gutter) down to 1280×720. When it is wide, the
article grows up to a comfortable reading width and the side panel takes the rest (its stance
list's evidence read ~7 characters at 1920 pixels, beside an article with wide empty margins),
unless the user has dragged the panel to a width of their own: that width is kept, and
restored at the next start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSettings, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QWidget

SHARE = 0.85  # of the available width and height, on a first start
SMALLEST = QSize(1280, 720)  # below this share of a screen the window takes all of it
LARGEST = QSize(2048, 1350)  # on a very big screen: more would only widen the margins
FRAME_GUESS = QMargins(0, 30, 0, 0)  # a title bar, until the window manager has framed it
DOCUMENT_LIST = (190, 280)  # minimum and preferred width
SIDE_PANEL = (330, 420)
ARTICLE = 720  # the stance gutter and a reading column of about 65 characters
DRAGGED_SIDE = "window/sidePanelWidth"  # the side panel's width as the user dragged it


def fitted(wanted: QRect, available: QRect, frame: QMargins = FRAME_GUESS) -> QRect | None:
    """``wanted`` moved so that it and its frame lie within ``available``; None when it is
    too big for that (the window should then take the whole available area)."""
    room = available.marginsRemoved(frame)
    if wanted.width() > room.width() or wanted.height() > room.height():
        return None
    left = min(max(wanted.left(), room.left()), room.right() + 1 - wanted.width())
    top = min(max(wanted.top(), room.top()), room.bottom() + 1 - wanted.height())
    return QRect(QPoint(left, top), wanted.size())


def first_geometry(available: QRect, frame: QMargins = FRAME_GUESS) -> QRect | None:
    """``SHARE`` of the available area (at most ``LARGEST``) centred on it, or None (take the
    whole of it, maximized) when that share is smaller than ``SMALLEST``: on a 1366×768 laptop
    a window a little smaller than the screen would only waste its edges."""
    share = QSize(round(available.width() * SHARE), round(available.height() * SHARE))
    if share.width() < SMALLEST.width() or share.height() < SMALLEST.height():
        return None
    rect = QRect(QPoint(0, 0), share.boundedTo(LARGEST))
    rect.moveCenter(available.marginsRemoved(frame).center())
    return fitted(rect, available, frame)


def fit_window(window: QMainWindow, restored: bool) -> bool:
    """Fit ``window`` (restored from settings or not) into its screen's available geometry;
    True when it is to be shown maximized (the caller shows it with ``showMaximized()``:
    setting its state here would cost the first paint the Qt namespace, qt_ints.py)."""
    screen = QGuiApplication.screenAt(window.geometry().center()) if restored else None
    available = (screen or window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    if restored and window.isMaximized():
        return False  # Qt maximizes it on the screen it is on, whatever its size elsewhere
    rect = fitted(window.geometry(), available) if restored else first_geometry(available)
    if rect is None:
        window.setGeometry(available)
        return True
    window.setGeometry(rect)
    return False


def fit_secondary(window: QWidget, wanted: QSize, near: QWidget | None = None) -> None:
    """Give a window of its own (review mode, the dashboard) ``wanted``, centred on the screen
    of ``near`` (the window it was opened from), or the whole of a screen too small for it,
    maximized, as ``fit_window`` does. Sized by a bare ``resize`` they were 1480×880 and
    1180×860 on a 1366×768 laptop: review mode's version columns, gold lists and status bar
    lay off the screen."""
    screen = (near.screen() if near is not None else None) or window.screen() \
        or QGuiApplication.primaryScreen()
    available = screen.availableGeometry()
    rect = QRect(QPoint(0, 0), wanted)
    rect.moveCenter(available.marginsRemoved(FRAME_GUESS).center())
    fitted_rect = fitted(rect, available)
    if fitted_rect is None:
        window.setGeometry(available)
        # (QtCore.Qt: not looked up at import, for the first paint: qt_ints.py)
        window.setWindowState(window.windowState() | QtCore.Qt.WindowState.WindowMaximized)
    else:
        window.setGeometry(fitted_rect)


def kept_width(key: str) -> int | None:
    """The width the user last dragged a panel to, kept under ``key`` (window state)."""
    kept = QSettings().value(key)
    return int(kept) if kept is not None else None


def panel_widths(total: int, current: Sequence[int] | None = None,
                 comfortable: int | None = None, dragged: int | None = None) -> list[int]:
    """Widths of the document list, the article and the side panel in ``total`` pixels.

    The document list keeps its ``current`` width (the preferred one by default; 0 stays
    folded). The side panel has the width the user ``dragged`` it to; else, when the
    article's ``comfortable`` reading width is given, whatever is left beyond it (at least
    its preferred width); else its current width. Below an article of ``ARTICLE`` pixels the
    side panel gives way first, then the document list, each down to its minimum; what is
    left is the article's.
    """
    docs, side = (current[0], current[2]) if current else (DOCUMENT_LIST[1], SIDE_PANEL[1])
    if dragged is not None:
        side = dragged if side else 0
    elif comfortable is not None and side:
        side = max(SIDE_PANEL[1], total - docs - comfortable)
    short = ARTICLE - (total - docs - side)
    given = max(0, min(short, side - SIDE_PANEL[0]))
    side -= given
    docs -= max(0, min(short - given, docs - DOCUMENT_LIST[0]))
    return [docs, max(0, total - docs - side), side]


class PanelFitter(QObject):
    """Shares the splitter's width as the window changes size (see ``panel_widths``).

    The splitter gives all of a resize to the article (the only part that stretches), which is
    right up to a comfortable reading width and wrong below a reading column or beyond that
    width; so after each resize the widths are shared again. A drag of the side panel's
    handle (``splitterMoved``: the user's hand, never ``setSizes``) makes its width the
    user's, kept through resizes and starts (QSettings: window state).
    """

    def __init__(self, splitter: QSplitter, comfortable: Callable[[], int]):
        super().__init__(splitter)
        self.splitter = splitter
        self.comfortable = comfortable
        self.dragged = kept_width(DRAGGED_SIDE)
        splitter.installEventFilter(self)
        splitter.splitterMoved.connect(self._moved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.splitter and event.type() == QEvent.Type.Resize:
            # The filter sees the resize before the splitter lays its parts out for it.
            QTimer.singleShot(0, self, self.fit)  # dropped if the splitter is gone by then
        return False

    def _moved(self, _position: int, index: int) -> None:
        side = self.splitter.sizes()[-1]
        if index == self.splitter.count() - 1 and side > 0:
            self.dragged = side
            QSettings().setValue(DRAGGED_SIDE, side)

    def fit(self) -> None:
        sizes = self.splitter.sizes()
        if len(sizes) != 3 or sum(sizes) == 0:
            return
        wanted = panel_widths(sum(sizes), sizes, self.comfortable(), self.dragged)
        if wanted != sizes:
            self.splitter.setSizes(wanted)


def dock_width(window_width: int, needed: int, cap: int = 290) -> int:
    """A side dock's width in a window ``window_width`` wide: a sixth of it (at most ``cap``)
    as on a laptop, plus three quarters of every pixel beyond 1366, until it has the
    ``needed`` width of its lines. At 1366×768 it is what it was; review mode's queue was
    290 px at most, and cut its lines on a 1920-pixel screen."""
    base = min(cap, window_width // 6)
    return max(base, min(needed, base + max(0, window_width - 1366) * 3 // 4))


class DockFitter(QObject):
    """Gives ``dock`` its ``dock_width`` as its window changes size, ``needed`` asked anew each
    time (what its lines take). A drag of the dock's separator (a mouse release on the window
    itself: its separators are the only part of it not covered by a child) makes the width
    the user's, kept through resizes and starts under the settings ``key`` (window state)."""

    def __init__(self, window: QMainWindow, dock: QWidget, needed: Callable[[], int],
                 key: str):
        super().__init__(window)
        self.window, self.dock, self.needed, self.key = window, dock, needed, key
        self.dragged = kept_width(key)
        self.given = -1  # the width last given: another one after a release is the user's
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            if event.type() == QEvent.Type.Resize:
                QTimer.singleShot(0, self, self.fit)  # once the window has laid itself out
            elif (event.type() == QEvent.Type.MouseButtonRelease and self.given > 0
                  and self.dock.width() != self.given):
                self.dragged = self.given = self.dock.width()
                QSettings().setValue(self.key, self.dragged)
        return False

    def fit(self) -> None:
        width = self.dragged or dock_width(self.window.width(), self.needed())
        self.window.resizeDocks([self.dock], [width], QtCore.Qt.Orientation.Horizontal)
        self.given = width
