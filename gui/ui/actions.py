"""Every command of the window as a QAction with its key, in the menus, tooltips and F1 list.

The schema's keys (labels, targets, polarities) become actions too, so they show in the
Annotate menu. A schema key that collides with another action's key is left off (an ambiguous
shortcut would fire neither) and the collision is reported in the status bar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow

# Keys handled by the article view itself (no QAction: they must not steal ordinary selection).
VIEW_KEYS: list[tuple[str, str, str]] = [
    ("Annotate", "Drag / double-click",
     "Select words, then pick a label in the popup or press its key"),
    ("Annotate", "Click", "Select the entity (or stance) under the mouse"),
    ("Annotate", "Drag an edge", "Move the selected annotation's start or end"),
    ("Annotate", "Shift+Right / Shift+Left",
     "Grow / shrink the selected annotation's end by a token"),
    ("Annotate", "Ctrl+Shift+Left / Ctrl+Shift+Right", "Grow / shrink its start by a token"),
    ("Annotate", "Esc", "Clear the selection (or close a popup)"),
    ("Annotate", "Letters in a popup",
     "Filter it (its keys pick at once only before you type); Enter takes the first match"),
]


@dataclass
class Command:
    menu: str
    name: str
    text: str
    keys: tuple[str, ...]
    slot: Callable[[], object]
    tip: str = ""


def _commands(w: MainWindow) -> list[Command]:
    c = w.controller
    files = w.files
    out = [
        Command("&File", "new", "&New project…", ("Ctrl+N",), files.new_project),
        Command("&File", "open", "&Open project…", ("Ctrl+O",), files.open_project),
        Command("&File", "open_server", "Open project on a &server…", ("Ctrl+Shift+O",),
                files.open_server_project, "Open a project kept in a PostgreSQL database"),
        Command("&File", "import", "&Import documents…", ("Ctrl+I",), files.import_documents,
                "Import .txt, .html, .jsonl or .csv files"),
        Command("&File", "export", "&Export…", ("Ctrl+Shift+E",), files.export,
                "Write the annotations as JSONL, Prodigy, doccano, spaCy, CoNLL or CSV"),
        Command("&File", "merge", "&Merge projects…", ("Ctrl+M",), files.merge,
                "Bring other annotators' project files into this one"),
        Command("&File", "switch_annotator", "Switch &annotator…", ("Ctrl+Shift+A",),
                w.switch_annotator),
        Command("&File", "quit", "&Quit", ("Ctrl+Q",), w.close),
        Command("&Edit", "undo", "&Undo", ("Ctrl+Z",), w.undo.undo),
        Command("&Edit", "redo", "&Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), w.undo.redo),
        Command("&Edit", "delete", "&Delete annotation", ("Delete", "Backspace"),
                c.delete_selected, "Delete the selected entity or stance"),
        Command("&Edit", "filter", "&Filter documents", ("Ctrl+F",), w.focus_filter),
        Command("&Annotate", "label_popup", "&Label selection…", ("Ctrl+L",),
                lambda: c.label_popup()),
    ]
    for entity in w.project.schema.entities:
        out.append(Command("&Annotate", f"label:{entity.label}", f"Label {entity.label}",
                           (entity.key,) if entity.key else (),
                           lambda label=entity.label: c.apply_label(label),
                           f"Label {entity.label}" + (f": {entity.description}"
                                                      if entity.description else "")))
    out.append(Command("&Annotate", "next_sentence", "Ne&xt sentence", ("J",),
                       lambda: c.step_sentence(1),
                       "Select the next sentence (or the stance on it), for S or a stance key"))
    out.append(Command("&Annotate", "previous_sentence", "Pre&vious sentence", ("K",),
                       lambda: c.step_sentence(-1),
                       "Select the previous sentence (or the stance on it)"))
    out.append(Command("&Annotate", "stance", "&Stance on sentence or selection…", ("S",),
                       lambda: c.start_stance(),
                       "Mark the selected text (or the sentence at the cursor) as stance evidence"))
    for target in w.project.schema.targets:
        out.append(Command("&Annotate", f"target:{target.name}", f"Stance target: {target.name}",
                           (target.key,) if target.key else (),
                           lambda name=target.name: c.apply_target(name),
                           f"Stance target {target.name} (starts a stance, or changes the "
                           "selected one)"))
    for polarity in w.project.schema.polarities:
        key = w.project.schema.polarity_keys.get(polarity, "")
        out.append(Command("&Annotate", f"polarity:{polarity}", f"Polarity: {polarity}",
                           (key,) if key else (), lambda p=polarity: c.apply_polarity(p),
                           f"Polarity {polarity} for the selected stance"))
    out += [
        Command("&Annotate", "repeat_stance", "Same stance &again", (".",), c.repeat_stance,
                "Give the sentence at the cursor the target, polarity and holder of the "
                "stance before it"),
        Command("&Annotate", "holder", "Stance &holder…", ("H",), c.choose_holder,
                "Pick who holds the selected stance: its evidence's names first, then the "
                "article's others"),
        Command("&Document", "accept", "&Accept and next", ("Ctrl+Return", "Ctrl+Enter"),
                w.accept_document, "Mark this document done and go to the next one not done yet"),
        Command("&Document", "skip", "&Skip and next", ("Ctrl+K",), w.skip_document),
        Command("&Document", "flag", "&Flag with a note…", ("Ctrl+Shift+F",), w.flag_document),
        Command("&Document", "next", "&Next document", ("Alt+Right", "Ctrl+PgDown"),
                lambda: w.step_document(1)),
        Command("&Document", "previous", "&Previous document", ("Alt+Left", "Ctrl+PgUp"),
                lambda: w.step_document(-1)),
        Command("&View", "zoom_in", "Zoom &in", ("Ctrl+=", "Ctrl++"), lambda: w.view.zoom(1)),
        Command("&View", "zoom_out", "Zoom &out", ("Ctrl+-",), lambda: w.view.zoom(-1)),
        Command("&View", "zoom_reset", "&Reset zoom", ("Ctrl+0",), w.view.reset_zoom),
        Command("&View", "review", "&Review mode", ("Ctrl+R",), w.open_review,
                "Compare annotators and adjudicate a gold set"),
        Command("&View", "dashboard", "Agreement &dashboard", ("Ctrl+D",), w.open_dashboard),
        Command("&View", "legend", "&Keys legend", ("Ctrl+Shift+K",),
                lambda: w.side.legend.set_folded(not w.side.legend.folded),
                "Show or fold the keys legend above the entity list"),
        Command("&Tools", "prefill", "&Pre-fill suggestions…", ("Ctrl+Shift+P",),
                files.prefill, "Suggest entities and stances for new documents, and anew for "
                "untouched ones an older version suggested for"),
        Command("&Tools", "assign", "&Assign documents…", (), lambda: _assign(w),
                "Share the documents among annotators (reviewers)"),
        Command("&Tools", "train", "&Train…", ("Ctrl+Shift+T",), files.train,
                "Learn from finished sets; compare on held-out documents; switch pre-fill to "
                "the new version"),
        Command("&Tools", "remove_trained", "&Remove trained version…", (), files.remove_trained,
                "Delete the trained version pre-fill uses; it falls back to the previous "
                "version or to the rules"),
        Command("&Help", "keys", "&Keys", ("F1",), w.show_keys),
        Command("&Help", "about", "&About Marginalia", (), w.show_about),
    ]
    return out


def _assign(window: MainWindow) -> None:
    from gui.ui.assign_dialog import open_assign_dialog

    open_assign_dialog(window)


def build_actions(window: MainWindow) -> dict[str, QAction]:
    actions: dict[str, QAction] = {}
    menus: dict[str, object] = {}
    taken: dict[str, str] = {}
    clashes: list[str] = []
    for command in _commands(window):
        menu = menus.get(command.menu)
        if menu is None:
            menu = menus[command.menu] = window.menuBar().addMenu(command.menu)
        action = QAction(command.text, window)
        action.setObjectName(f"action:{command.name}")
        action.setProperty("menu", command.menu.replace("&", ""))
        sequences = []
        for key in command.keys:
            sequence = QKeySequence(key)
            name = sequence.toString()
            if name.lower() in taken:
                clashes.append(f"{key} ({command.text} / {taken[name.lower()]})")
                continue
            taken[name.lower()] = command.text
            sequences.append(sequence)
        action.setShortcuts(sequences)
        shown = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
        tip = command.tip or command.text.replace("&", "").rstrip("…")
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(action.toolTip())
        action.triggered.connect(lambda _checked=False, slot=command.slot: slot())
        menu.addAction(action)
        window.addAction(action)
        actions[command.name] = action
        if command.name in ("quit", "filter", "holder", "switch_annotator", "zoom_reset",
                            "previous"):
            menu.addSeparator()
    for menu in menus.values():
        menu.setToolTipsVisible(True)
    if clashes:
        window.hint("Keys used twice, left off: " + "; ".join(clashes))
    return actions


def keys_table(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, keys, what) rows for the F1 dialog and the README."""
    rows = []
    for action in actions.values():
        keys = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText)
                           for s in action.shortcuts())
        if keys:
            rows.append((action.property("menu"), keys, action.toolTip().rsplit(" (", 1)[0]))
    return rows + VIEW_KEYS
