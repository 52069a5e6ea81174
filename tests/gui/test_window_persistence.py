"""Nothing shown as saved is lost: two windows on one file, and a process killed mid-work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from PySide6.QtCore import Qt

from gui.core.store import Project
from tests.gui.conftest import ARTICLE, add_docs, drag, popup


def _label(qtbot, window, word: str, key: str) -> None:
    start = ARTICLE.index(word)
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + len(word)))
    qtbot.keyClick(popup(qtbot), key)


def test_two_windows_on_one_project_keep_each_others_edits(
    qtbot, make_window, project_path: Path
) -> None:
    add_docs(project_path, [ARTICLE])
    ana = make_window(annotator="ana")
    bob = make_window(annotator="bob")
    ana2 = make_window(annotator="ana")  # the same person in a second window
    for window, word, key in ((ana, "Lavrov", "1"), (bob, "Havana", "2"),
                              (ana2, "Cuba", "2"), (bob, "Monday", "9")):
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        _label(qtbot, window, word, key)
    ana.activateWindow()
    qtbot.waitUntil(ana.isActiveWindow)
    qtbot.keyClick(ana.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with Project.open(project_path) as project:
        mine = project.annotation_set(1, "ana")
        theirs = project.annotation_set(1, "bob")
    assert sorted(ARTICLE[e.start:e.end] for e in mine.entities) == ["Cuba", "Lavrov"]
    assert sorted(ARTICLE[e.start:e.end] for e in theirs.entities) == ["Havana", "Monday"]
    assert mine.status == "done" and theirs.status == "in_progress"
    # Going back to the second window of the same annotator shows the first window's work.
    ana.step_document(-1)
    _label(qtbot, ana, "Bruno", "1")
    ana2.activateWindow()
    qtbot.waitUntil(ana2.isActiveWindow)
    model = ana2.controller.entity_model
    assert [model.index(r, 0).data() for r in range(model.rowCount())] == [
        "Cuba", "Lavrov", "Bruno"]
    assert "done" in ana2.meta_label.text()


CHILD = textwrap.dedent(
    """
    import os, sys
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    app = QApplication([])
    from gui.ui.main_window import MainWindow
    window = MainWindow(Path(sys.argv[1]), "ana")
    window.show()
    app.processEvents()
    text = window.controller.text
    for word, label in (("Lavrov", "PERSON"), ("Havana", "GPE")):
        start = text.index(word)
        window.view.show_span(*window.controller.offsets.span_to_qt(start, start + len(word)))
        window.controller.apply_label(label)
    window.controller.start_stance("US embargo on Cuba")
    app.processEvents()
    QApplication.activePopupWidget().actions()[1].trigger()  # the first polarity: against
    app.processEvents()
    QApplication.activePopupWidget().actions()[1].trigger()  # no holder
    app.processEvents()
    print(window.saved_label.text(), flush=True)
    sys.stdin.read()  # wait to be killed
    """
)


def test_killed_process_loses_nothing_shown_as_saved(project_path: Path) -> None:
    add_docs(project_path, [ARTICLE])
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project_path)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        line = child.stdout.readline()
        assert line.startswith("Saved"), line
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    with Project.open(project_path) as project:
        aset = project.annotation_set(1, "ana")
    assert sorted((ARTICLE[e.start:e.end], e.label) for e in aset.entities) == [
        ("Havana", "GPE"), ("Lavrov", "PERSON")]
    [stance] = aset.stances
    assert (stance.target, stance.polarity) == ("US embargo on Cuba", "against")
    assert ARTICLE[stance.start:stance.end].startswith("Sergei Lavrov met")
