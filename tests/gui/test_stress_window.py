"""The window under stress: hundreds (``--slow``: thousands) of random edits, undos and redos
by real mouse drags, clicks and key presses on one document, each checked against a model
replayed beside it and against the project file as another reader sees it.

The model is a list of states with an index, the way QUndoStack sees history: an edit drops
the redo branch and appends, undo and redo move the index. After every step the file must hold
exactly the state at the index, and the stack must be at the same index.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.core.store import Project
from gui.nlp import snap
from tests.gui.conftest import click, drag, popup

TEXT = (
    "Sergei Lavrov met Bruno Rodríguez in Havana 🇨🇺 on Monday, and the ministers praised "
    "their partnership.\r\nWashington kept the embargo; Moscow sent another tanker to Matanzas "
    "while Díaz-Canel spoke about energy, trade and debt relief.\n\nAnalysts in Miami doubted "
    "that Russian help could end the island's power outages before winter."
)

State = Counter  # (start, end, label) -> count


def words(text: str) -> list[tuple[int, int]]:
    """Word spans the tokenizer keeps whole, so a drag over one stores exactly it."""
    return [
        (m.start(), m.end()) for m in re.finditer(r"[^\W\d_]{3,}", text)
        if snap.snap(text, m.start(), m.end()) == (m.start(), m.end())
    ]


def stored_state(reader: Project, doc_id: int) -> State:
    return Counter((e.start, e.end, e.label) for e in reader.annotation_set(doc_id, "ana").entities)


def refocus(qtbot, window) -> None:
    """What the window manager does when a popup closes (the offscreen platform does not):
    give the window back its activation, so its shortcuts (Ctrl+Z) reach it."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def stress(qtbot, make_window, path: Path, steps: int, seed: int) -> None:
    window = make_window([TEXT], path=path)
    view = window.view
    doc_id = window.current_doc
    assert doc_id is not None
    labels = [(e.label, e.key) for e in window.project.schema.entities if e.key]
    spans = words(TEXT)
    rng = random.Random(seed)
    history: list[State] = [Counter()]
    index = 0

    def push(state: State) -> None:
        nonlocal history, index
        history = [*history[: index + 1], state]
        index += 1

    refocus(qtbot, window)
    reader = Project.open(path)  # a second connection: what another process would read
    try:
        for step in range(steps):
            current = history[index]
            free = [s for s in spans if not any((s[0], s[1], lab) in current for lab, _ in labels)]
            taken = [s for s in spans if s not in free]
            roll = rng.random()
            if roll < 0.15 and index > 0:
                qtbot.keyClick(view, "z", Qt.KeyboardModifier.ControlModifier)
                index -= 1
                action = "undo"
            elif roll < 0.25 and index < len(history) - 1:
                qtbot.keyClick(view, "z", Qt.KeyboardModifier.ControlModifier
                               | Qt.KeyboardModifier.ShiftModifier)
                index += 1
                action = "redo"
            elif roll < 0.55 and taken:
                start, end = rng.choice(taken)
                [old] = [k for k in current if k[:2] == (start, end)]
                view.clear_selection()
                click(qtbot, view, window.controller.offsets.to_qt(start) + 1)
                if rng.random() < 0.5:
                    qtbot.keyClick(view, Qt.Key.Key_Delete)
                    push(current - Counter([old]))
                    action = f"delete {old}"
                else:
                    label, key = rng.choice(labels)
                    qtbot.keyClick(view, key)
                    if label != old[2]:  # its own label again changes nothing: no step
                        push(current - Counter([old]) + Counter([(start, end, label)]))
                    action = f"relabel {old} as {label}"
            elif free:
                start, end = rng.choice(free)
                label, key = rng.choice(labels)
                drag(qtbot, view, *window.controller.offsets.span_to_qt(start, end))
                qtbot.keyClick(popup(qtbot), key)
                refocus(qtbot, window)
                push(current + Counter([(start, end, label)]))
                action = f"add {(start, end, label)}"
            else:
                continue
            assert stored_state(reader, doc_id) == history[index], f"step {step}: {action}"
            assert window.undo_stack.index() == index, f"step {step}: {action}"
    finally:
        reader.close()
    with Project.open(path) as reopened:
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_random_edits_undos_and_redos_match_the_replayed_model(qtbot, make_window,
                                                               project_path: Path) -> None:
    stress(qtbot, make_window, project_path, steps=150, seed=1)


@pytest.mark.slow
def test_thousands_of_random_edits_undos_and_redos(qtbot, make_window,
                                                   project_path: Path) -> None:
    stress(qtbot, make_window, project_path, steps=3000, seed=2)
