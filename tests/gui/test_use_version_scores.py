"""Tools ▸ Train…, then "Use this version" on a version training did not switch to: the
untouched documents are scored with it, with the dialog's progress, so the list's "Most to
gain first" puts them first; closing the dialog meanwhile stops the scoring; Tools ▸ Pre-fill
then gives them the version's suggestions. It switched
without scoring: the order stayed as it was, and the window said "No trained model has
scored the documents yet … Tools ▸ Train… scores them" to a user who had just trained."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication

from gui.core.store import Project
from gui.nlp import train
from gui.nlp.prefill import prefill_project
from gui.ui.train_dialog import TrainDialog
from tests.unit.test_train import fill


def test_use_this_version_scores_the_documents_most_to_gain_first_lists(
        qtbot, make_window, project_path: Path, monkeypatch) -> None:
    with Project.open(project_path) as project:
        fill(project)
        prefill_project(project)  # the starter's suggestions, before any training
    monkeypatch.setattr(train, "train_project", functools.partial(
        train.train_project, ner_iterations=1, stance_iterations=2))
    monkeypatch.setattr(train, "is_better", lambda current, trained: False)  # kept beside
    window = make_window()
    qtbot.keyClick(window.view, Qt.Key.Key_T,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), TrainDialog))
    dialog = QApplication.activeModalWidget()
    with qtbot.waitSignal(dialog.trained, timeout=300_000) as finished:
        qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    assert not finished.args[0].used and dialog.use_button.isEnabled()

    with qtbot.waitSignal(dialog.scored, timeout=120_000) as scored:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
        assert "Scoring the untouched documents" in dialog.verdict.text()
        assert dialog.cancel_button.isEnabled()  # it can be stopped, as training can
    assert scored.args[0] > 0
    assert f"{scored.args[0]} untouched documents scored" in dialog.verdict.text()
    assert dialog.in_use.text() == "trained version v1"
    assert not dialog.use_button.isEnabled() and not dialog.cancel_button.isEnabled()

    # Closed (Esc) while it scores, as after another training: the scoring stops with the
    # dialog, and its end reaches nothing (it reached the deleted dialog's buttons).
    dialog.use_button.setEnabled(True)
    with qtbot.captureExceptions() as raised:
        qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
        done = dialog.job.done
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        qtbot.waitUntil(done.is_set, timeout=120_000)
        QCoreApplication.processEvents()  # the job's last word, delivered
    assert raised == []

    box = window.doc_panel.order_box
    box.setCurrentIndex(box.findData("gain"))
    assert not window.statusBar().currentMessage().startswith("No trained model")
    scored_first = [row[0] for row in window.project.conn.execute(
        "SELECT document_id FROM document_scores WHERE model = "
        "(SELECT value FROM settings WHERE key = 'trained_model') ORDER BY score DESC")]
    assert len(scored_first) == scored.args[0]
    listed = [window.documents.doc_id_at(row) for row in range(len(scored_first))]
    assert listed == scored_first  # the least sure first, then the rest

    # As the verdict says, Tools ▸ Pre-fill then gives the version's suggestions to the
    # documents nobody has touched (before, it left every pre-filled one as it was).
    assert "Tools ▸ Pre-fill suggestions gives its suggestions" in dialog.verdict.text()
    [[by_the_starter]] = window.project.conn.execute(
        "SELECT count(*) FROM prefill_runs WHERE model != 'en_marginalia_v1'")
    assert by_the_starter == 15  # on the 12 done articles and the 3 nobody touched
    window.statusBar().clearMessage()
    window.files.prefill()
    qtbot.waitUntil(lambda: "pre-filled" in window.statusBar().currentMessage(),
                    timeout=120_000)
    assert "pre-filled 3 documents" in window.statusBar().currentMessage()
    assert "12 left alone (touched by an annotator)" in window.statusBar().currentMessage()
    models = Counter(row[0] for row in window.project.conn.execute(
        "SELECT model FROM prefill_runs"))
    assert models["en_marginalia_v1"] == 3
