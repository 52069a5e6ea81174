"""The ints the first paint uses in place of Qt's enums are the values of those enums."""

from __future__ import annotations

from PySide6.QtCore import Qt

from gui.ui import qt_ints


def test_each_int_is_its_enums_value() -> None:
    assert Qt.TextFormat.PlainText.value == qt_ints.PLAIN_TEXT
    assert Qt.TextInteractionFlag.TextSelectableByMouse.value == qt_ints.SELECTABLE_BY_MOUSE
    assert Qt.TextInteractionFlag.TextSelectableByKeyboard.value == \
        qt_ints.SELECTABLE_BY_KEYBOARD
    assert Qt.ScrollBarPolicy.ScrollBarAlwaysOff.value == qt_ints.SCROLL_BAR_ALWAYS_OFF
    assert (Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop).value == \
        qt_ints.ALIGN_TOP_CENTER
    assert Qt.ItemDataRole.DisplayRole.value == qt_ints.DISPLAY_ROLE
    assert Qt.ItemDataRole.DecorationRole.value == qt_ints.DECORATION_ROLE
    assert Qt.ItemDataRole.ToolTipRole.value == qt_ints.TOOLTIP_ROLE
    assert Qt.ItemDataRole.ForegroundRole.value == qt_ints.FOREGROUND_ROLE
    assert Qt.ItemDataRole.AccessibleDescriptionRole.value == qt_ints.ACCESSIBLE_DESCRIPTION_ROLE
    assert Qt.ItemDataRole.UserRole.value == qt_ints.USER_ROLE
