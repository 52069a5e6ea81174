"""The keys legend above the entity and stance lists, which the annotator can fold.

Unfolded it takes ~300 px of the side panel: at 1366×768 that left the entity and stance
lists about six rows each. Its header is a toggle (▾ Keys / ▸ Keys), and so is View ▸ Keys
legend (Ctrl+Shift+K); whether it is folded is window state, kept in QSettings. On a short
screen (less than ``SHORT_SCREEN`` px of available height) it starts folded, since there the
lists need the room more than a reader of F1 needs the reminder.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui.core.schema import Schema
from gui.ui.icons import mark_swatch, swatch_icon

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow

SHORT_SCREEN = 800  # available height, px: 1366×768 and 1280×720 laptops are short
SETTING = "window/legendFolded"
LAST_COLUMN = 6  # empty: what a wide panel leaves over


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _key_label(key: str) -> QLabel:
    label = _plain(key or "·")
    label.setObjectName("keyCap")
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setMinimumWidth(18)
    label.setStyleSheet(
        "QLabel#keyCap { border: 1px solid palette(mid); border-radius: 3px;"
        " padding: 0 3px; font-family: monospace; }"
    )
    return label


class Legend(QGroupBox):
    """Labels, targets and polarities with their colours and keys (schema text shown as is),
    under a header that folds them away."""

    folded_changed = Signal(bool)

    def __init__(self, schema: Schema, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("legend")
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("legendToggle")
        self.toggle.setText("Keys")
        self.toggle.setAccessibleName("Keys legend: fold or unfold")
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self._unfolded = True  # not a checkable button: it would look pressed while open
        self.toggle.clicked.connect(lambda: self.set_folded(self._unfolded))
        self.body = QWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(4, 2, 4, 4)
        outer.setSpacing(0)
        outer.addWidget(self.toggle, 0, Qt.AlignmentFlag.AlignLeft)
        outer.addWidget(self.body)
        self._toggled(True)
        grid = QGridLayout(self.body)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        half = (len(schema.entities) + 1) // 2
        for i, entity in enumerate(schema.entities):
            row, col = (i, 0) if i < half else (i - half, 3)
            swatch = QLabel()
            swatch.setPixmap(swatch_icon(entity.color).pixmap(12, 12))
            label = _plain(entity.label)
            label.setToolTip(entity.description)
            grid.addWidget(_key_label(entity.key), row, col)
            grid.addWidget(swatch, row, col + 1)
            grid.addWidget(label, row, col + 2)
        row = half
        steps = QWidget()
        line = QHBoxLayout(steps)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        line.addWidget(_key_label("J"))
        line.addWidget(_key_label("K"))
        line.addWidget(_plain("Next / previous sentence"))
        line.addStretch(1)
        grid.addWidget(steps, row, 0, 1, 6)
        row += 1
        grid.addWidget(_key_label("S"), row, 0)
        grid.addWidget(_plain("Stance on the sentence or selection"), row, 1, 1, 5)
        for target in schema.targets:
            row += 1
            grid.addWidget(_key_label(target.key), row, 0)
            name = _plain(target.name)
            name.setToolTip(target.description)
            grid.addWidget(name, row, 1, 1, 5)
        row += 1
        polarities = QWidget()
        line = QHBoxLayout(polarities)
        line.setContentsMargins(0, 0, 0, 0)
        line.setSpacing(4)
        for polarity in schema.polarities:
            swatch = QLabel()
            swatch.setPixmap(mark_swatch(schema.polarity_color(polarity), self.palette().color(
                QPalette.ColorRole.Window)).pixmap(12, 12))
            line.addWidget(_key_label(schema.polarity_keys.get(polarity, "")))
            line.addWidget(swatch)
            line.addWidget(_plain(polarity))
            line.addSpacing(10)
        line.addStretch(1)
        grid.addWidget(polarities, row, 0, 1, 6)
        row += 1
        grid.addWidget(_key_label("H"), row, 0)
        grid.addWidget(_plain("Holder of the selected stance"), row, 1, 1, 5)
        row += 1
        grid.addWidget(_key_label("."), row, 0)
        grid.addWidget(_plain("Same stance again (as the one before)"), row, 1, 1, 5)
        # The two columns of labels share a narrow panel's width; beyond it the room goes to
        # an empty column on the right, so that on a wide panel (1920 pixels) the second
        # column stays near the first instead of at the far edge.
        grid.setColumnStretch(2, 1)
        grid.setColumnStretch(5, 1)
        grid.setColumnStretch(LAST_COLUMN, 4)



    @property
    def folded(self) -> bool:
        return not self._unfolded

    def set_folded(self, folded: bool) -> None:
        if folded != self._unfolded:
            return
        self._toggled(not folded)

    def _toggled(self, unfolded: bool) -> None:
        self._unfolded = unfolded
        self.body.setVisible(unfolded)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if unfolded else Qt.ArrowType.RightArrow)
        self.toggle.setToolTip(("Fold" if unfolded else "Show") + " the keys legend (Ctrl+Shift+K)")
        self.folded_changed.emit(not unfolded)


def folded_by_default(available_height: int) -> bool:
    """Fold the legend at first on a short screen, where the lists need its room."""
    return available_height < SHORT_SCREEN


def install(window: MainWindow) -> None:
    """Fold the legend as the annotator left it (else as the screen suggests), keep View ▸
    Keys legend in step with its header, and remember each change."""
    legend, action = window.side.legend, window.actions_by_name["legend"]
    screen = window.screen() or QGuiApplication.primaryScreen()
    stored = QSettings().value(SETTING)
    folded = folded_by_default(screen.availableGeometry().height()) if stored is None \
        else stored in (True, "true")
    legend.set_folded(folded)
    action.setCheckable(True)
    action.setChecked(not folded)
    legend.folded_changed.connect(lambda now: action.setChecked(not now))
    legend.folded_changed.connect(lambda now: QSettings().setValue(SETTING, now))
