"""The few Qt enum values the first paint needs, as the ints Qt defines them to be.

PySide creates the Python enum classes of its ``Qt`` namespace all at once, the first time
any of them is used: 94 classes, ~15 ms of CPU, a tenth of a bare Qt window's whole start
(docs/benchmarks.md). So the modules of the first window look ``Qt`` up only in the steps
after it (``QtCore.Qt.…``), and what the first paint needs goes through ints: widget settings
through Qt's property system (``setProperty`` takes the int, as a Designer file would), item
roles as the ints Qt passes to ``data()``. Painting from Python creates it as well (PySide
resolves ``QPainter.setPen`` and ``fillRect`` against overloads taking Qt enums), so the
first paint paints nothing in Python: the status icons are drawn by Qt from SVG (icons.py),
the stance gutter's background is filled by Qt (article_view.py).
tests/gui/test_qt_ints.py checks each value against its enum.
"""

from __future__ import annotations

PLAIN_TEXT = 0  # Qt.TextFormat.PlainText
SELECTABLE_BY_MOUSE = 1  # Qt.TextInteractionFlag.TextSelectableByMouse
SELECTABLE_BY_KEYBOARD = 2  # Qt.TextInteractionFlag.TextSelectableByKeyboard
SCROLL_BAR_ALWAYS_OFF = 1  # Qt.ScrollBarPolicy.ScrollBarAlwaysOff
ALIGN_TOP_CENTER = 0x24  # Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop

DISPLAY_ROLE = 0  # Qt.ItemDataRole.DisplayRole
DECORATION_ROLE = 1  # Qt.ItemDataRole.DecorationRole
TOOLTIP_ROLE = 3  # Qt.ItemDataRole.ToolTipRole
FOREGROUND_ROLE = 9  # Qt.ItemDataRole.ForegroundRole
ACCESSIBLE_DESCRIPTION_ROLE = 12  # Qt.ItemDataRole.AccessibleDescriptionRole
USER_ROLE = 256  # Qt.ItemDataRole.UserRole
