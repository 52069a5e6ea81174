"""Small pick-one popups: label, target, polarity, holder. Answered by a key, by typing, or a click.

How keys and typing share the popup (README, "keys in a popup"):
- with nothing typed yet, an entry's own key picks it at once, as it always has (1-9 for
  labels and holders, the schema's letters for targets and polarities);
- any other letter or digit starts a filter: the list keeps the entries with a word that
  starts with what is typed (ignoring case and accents: "us e" keeps "US embargo on Cuba",
  "rodr" keeps "Bruno Rodríguez"); from then on every character, space included, extends
  the filter (keys no longer pick: "us e" filters, it does not choose target e), Backspace
  shortens it;
- Enter takes the first entry listed (the highlighted one; arrows move it); Esc cancels;
- a popup may hold entries shown only to a filter (the holder popup's names past the ninth:
  the article's every name would not fit a laptop screen), which typing finds like any other.

A QMenu opened with ``popup()`` never blocks, so the annotator's next key press goes straight
to it, and tests drive it with real key clicks like any other widget.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction, QKeyEvent, QPalette
from PySide6.QtWidgets import QMenu, QWidget

from gui.core.contrast import MARK, readable
from gui.ui.icons import swatch_icon


def frame_menu(menu: QMenu) -> None:
    """A popup's edge drawn in a colour that stands out from the window behind it (WCAG's
    3:1 for a boundary): the palette's own mid tone, moved away from the window colour only
    as far as needed. Fusion outlines a menu in its window colour a little darker, which on
    a dark palette is a faint line: a popup over the article barely had an edge."""
    palette = menu.palette()
    window = palette.color(QPalette.ColorRole.Window).name()
    edge = readable(palette.color(QPalette.ColorRole.Mid).name(), window, MARK)
    # A style sheet's border is the one way to colour a menu's frame without a style of our
    # own; the colour comes from the palette, never from the sheet.
    menu.setStyleSheet(f"QMenu {{ border: 1px solid {edge}; }}")


def folded(text: str) -> str:
    """``text`` without case or accents, for matching what is typed ("rodriguez" finds
    "Rodríguez")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def starts_a_word(text: str, wanted: str) -> bool:
    """Whether ``wanted`` occurs in ``text`` at the start of a word (both folded)."""
    at = text.find(wanted)
    while at >= 0:
        if at == 0 or not text[at - 1].isalnum():
            return True
        at = text.find(wanted, at + 1)
    return False


class KeyMenu(QMenu):
    """A menu whose entries are chosen by their key, or filtered by typing (see the module)."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("keyMenu")
        self.setTitle(title)
        self._keys: dict[str, QAction] = {}
        self._entries: list[tuple[QAction, str]] = []  # with their folded text
        self._typed_only: set[QAction] = set()  # listed only while something is typed
        self.typed = ""
        self._heading = self.addAction(title)
        self._heading.setEnabled(False)  # not an entry: keys, Enter and clicks pass it by
        self._readable_heading()
        frame_menu(self)

    def _readable_heading(self) -> None:
        """Draw the heading, a disabled entry, as a heading: bold, in the palette's own text
        colour (light or dark) where styles draw disabled entries in placeholder grey. The
        heading is the menu's only disabled entry (a filter hides entries, never disables)."""
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)
        palette = self.palette()
        for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                     QPalette.ColorRole.ButtonText):
            palette.setColor(QPalette.ColorGroup.Disabled, role,
                             palette.color(QPalette.ColorGroup.Active, role))
        self.setPalette(palette)

    def add(self, key: str, text: str, value: Any, color: str | None = None, *,
            typed_only: bool = False) -> QAction:
        shown = text.replace("&", "&&")
        action = self.addAction(f"{shown}\t{key}" if key else shown)
        if color:
            action.setIcon(swatch_icon(color))
        action.setData(value)
        if key:
            self._keys[key.lower()] = action
        self._entries.append((action, folded(text)))
        if typed_only:
            self._typed_only.add(action)
            action.setVisible(False)
            self._heading.setText(self._untyped_heading())
        return action

    def _untyped_heading(self) -> str:
        """The title, with how many entries only typing lists, if any."""
        more = len(self._typed_only)
        return f"{self.title()} (type for {more} more)" if more else self.title()

    def listed(self) -> list[QAction]:
        """The entries the filter keeps, in order."""
        return [action for action, _text in self._entries if action.isVisible()]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, text = event.key(), event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            chosen = self.activeAction() if self.activeAction() in self.listed() else None
            chosen = chosen or next(iter(self.listed()), None)
            if chosen is not None:
                self._choose(chosen, event)
            else:
                event.accept()
            return
        if key == Qt.Key.Key_Backspace and self.typed:
            self._filter(self.typed[:-1])
            event.accept()
            return
        if not self.typed and text and text.lower() in self._keys:
            self._choose(self._keys[text.lower()], event)
            return
        if text and text.isprintable() and (self.typed or not text.isspace()):
            self._filter(self.typed + text)
            event.accept()
            return
        super().keyPressEvent(event)

    def _choose(self, action: QAction, event: QKeyEvent) -> None:
        event.accept()
        action.trigger()
        self.close()

    def _filter(self, typed: str) -> None:
        self.typed = typed
        wanted = folded(typed)
        for action, text in self._entries:
            action.setVisible(starts_a_word(text, wanted) if typed
                              else action not in self._typed_only)
        self._heading.setText(f"{self.title()}: {typed}▏" if typed else self._untyped_heading())
        listed = self.listed()
        self.setActiveAction(listed[0] if listed else self._heading)
        self.adjustSize()


def open_menu(
    parent: QWidget,
    title: str,
    entries: Sequence[tuple[str, str, Any, str | None]],
    at: QPoint,
    chosen: Callable[[Any], None],
    typed_only: Sequence[tuple[str, str, Any, str | None]] = (),
) -> KeyMenu:
    """Show a KeyMenu of (key, text, value, colour) entries, and ``typed_only`` ones a filter
    finds; ``chosen(value)`` on a pick."""
    menu = KeyMenu(title, parent)
    for key, text, value, color in entries:
        menu.add(key, text, value, color)
    for key, text, value, color in typed_only:
        menu.add(key, text, value, color, typed_only=True)
    menu.triggered.connect(lambda action: chosen(action.data()))
    menu.aboutToHide.connect(menu.deleteLater)
    menu.popup(at)
    return menu
