"""File ▸ Export, File ▸ Merge and Tools ▸ Pre-fill from the window, each in a worker."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from gui.core import edits
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.ui.dialogs import ExportDialog
from tests.gui.conftest import ARTICLE, drag, popup, when_modal


def test_export_dialog_writes_my_annotations(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window([ARTICLE])
    start = ARTICLE.index("Havana")
    drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + 6))
    qtbot.keyClick(popup(qtbot), "2")
    target = tmp_path / "out.jsonl"

    def answer(dialog: ExportDialog) -> None:
        dialog.path_edit.setText(str(target))
        dialog.accept()

    when_modal(ExportDialog, answer)
    qtbot.keyClick(window.view, "e", Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: "xported" in window.statusBar().currentMessage(), timeout=30000)
    [record] = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert record["annotator"] == "ana"
    assert [(s["text"], s["label"]) for s in record["spans"]] == [("Havana", "GPE")]


def test_merge_brings_another_annotators_file_in(qtbot, make_window, tmp_path: Path) -> None:
    window = make_window([ARTICLE])
    other = tmp_path / "bob.marginalia"
    with Project.create(other, load_schema()) as project:
        [(doc, _)] = project.add_documents([{"text": ARTICLE}])
        edits.AddEntity(doc, "bob", 0, 6, "GPE").apply(project)
    window.files.merge([str(other)])
    qtbot.waitUntil(lambda: "Merged" in window.statusBar().currentMessage(), timeout=30000)
    with Project.open(window.project_path) as project:
        assert [e.label for e in project.annotation_set(1, "bob").entities] == ["GPE"]


def test_the_window_says_when_a_merge_kept_a_conflict(qtbot, make_window, tmp_path: Path
                                                       ) -> None:
    window = make_window([ARTICLE])
    laptop = tmp_path / "ana-laptop.marginalia"
    shutil.copyfile(window.project_path, laptop)
    for path, label in ((window.project_path, "GPE"), (laptop, "LOC")):
        with Project.open(path) as project:
            edits.AddEntity(1, "ana", 0, 6, label).apply(project)
    window.files.merge([str(laptop)])
    qtbot.waitUntil(lambda: "Merged" in window.statusBar().currentMessage(), timeout=30000)
    assert "1 conflict kept" in window.statusBar().currentMessage()


def test_prefill_suggestions_appear_dashed_until_accepted(qtbot, make_window) -> None:
    window = make_window([ARTICLE, "Another article."])
    window.files.prefill()
    qtbot.waitUntil(lambda: window.controller.entity_model.rowCount() > 0, timeout=60000)
    assert all(mark.suggested for mark in window.view.entity_marks)
    assert window.controller.entity_model.index(0, 2).data() == "suggested"
    # back from the progress dialog, as the user's window is (the offscreen platform leaves
    # no window active, and Ctrl+Return then reached no shortcut when pre-fill was slow)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    first = window.current_doc
    qtbot.keyClick(window.view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    window.open_document(first)
    assert window.view.entity_marks and not any(m.suggested for m in window.view.entity_marks)
    assert window.controller.entity_model.index(0, 2).data() == "accepted"


def test_tools_prefill_gives_untouched_documents_the_version_now_in_use(
        qtbot, make_window) -> None:
    """What the Train dialog promises once a version is in use: Tools ▸ Pre-fill gives its
    suggestions to the documents nobody has touched, which an older version pre-filled."""
    window = make_window([ARTICLE, "Another article about Moscow."])
    window.files.prefill()
    qtbot.waitUntil(lambda: "pre-filled 2 documents" in window.statusBar().currentMessage(),
                    timeout=60000)
    with Project.open(window.project_path) as project:
        edits.AddEntity(1, "ana", 0, 6, "ORG").apply(project)
        project.conn.execute("UPDATE prefill_runs SET model = 'en_marginalia_v1'")
    window.statusBar().clearMessage()
    window.files.prefill()
    qtbot.waitUntil(lambda: "pre-filled 1 document" in window.statusBar().currentMessage(),
                    timeout=60000)
    assert "1 left alone (touched by an annotator)" in window.statusBar().currentMessage()
    with Project.open(window.project_path) as project:
        models = dict(project.conn.execute("SELECT document_id, model FROM prefill_runs"))
    assert models[1] == "en_marginalia_v1" and models[2] != "en_marginalia_v1"
