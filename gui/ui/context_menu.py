"""A right-click on an annotation in the article: what its keys do, in a menu.

A mouse user had to click an entity, then find Annotate ▸ Label … or Edit ▸ Delete annotation
in the menu bar, and a right-click gave Qt's Copy / Select All. Now a right-click selects the
entity or stance under the mouse, as a click does, and offers the window's own actions for it:
the labels (an entity), or the targets, polarities and holder (a stance), then Delete. Each
entry shows its key, so the menu also teaches them. Off an annotation the text's own menu
(Copy, Select All) stays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMenu

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow


def install(window: MainWindow) -> None:
    view = window.view
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda point: _open(window, point))


def _open(window: MainWindow, point: QPoint) -> None:
    """``point`` is in the viewport's coordinates (a scroll area's context menu position)."""
    assert window.controller is not None  # installed by complete(), with the controller
    view = window.view
    kind = window.controller.select_at(view.cursorForPosition(point).position())
    actions = window.actions_by_name
    schema = window.project.schema
    if kind == "entity":
        names = [f"label:{entity.label}" for entity in schema.entities]
    elif kind == "stance":
        names = ([f"target:{target.name}" for target in schema.targets] + [""]
                 + [f"polarity:{polarity}" for polarity in schema.polarities] + ["holder"])
    else:
        menu = view.createStandardContextMenu()
        _show(menu, view.viewport().mapToGlobal(point))
        return
    menu = QMenu(view)
    menu.setObjectName("annotationMenu")
    for name in [*names, "", "delete"]:
        if name:
            menu.addAction(actions[name])
        else:
            menu.addSeparator()
    _show(menu, view.viewport().mapToGlobal(point))


def _show(menu: QMenu, at: QPoint) -> None:
    from gui.ui.popups import frame_menu  # the popups' own edge (imported with the first)

    frame_menu(menu)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    menu.popup(at)  # not exec(): the window's own event loop runs while it is open
