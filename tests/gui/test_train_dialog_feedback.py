"""What the training dialog shows while a job runs and when it ends: a busy bar until the
first progress, Esc cancelling a running job visibly (the dialog stays until it stopped), and
a verdict in the dialog's own terms. Training itself is replaced by a function the test
releases step by step, so what is asserted is what the user sees at each moment."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.nlp import train
from gui.nlp.evaluate import EvaluationReport
from gui.ui.train_dialog import USE_ANYWAY

ROOT = Path(__file__).resolve().parents[2]


def kept_beside() -> train.TrainReport:
    """A report of a version that was not better, so it was kept beside the current one."""
    return train.TrainReport(version=1, source="gold", train_documents=10, test_documents=2,
                             rehearsal_documents=0, current_name="rules",
                             current=EvaluationReport(), trained=EvaluationReport())


def wait_or_cancel(event: threading.Event, cancelled) -> None:
    """In the worker: wait for the test's go-ahead, stopping as training does when cancelled."""
    while not event.wait(0.02):
        if cancelled():
            raise train.Cancelled("training cancelled: nothing was changed")


def dialog_with_fake_training(make_window, project_path, monkeypatch, steps):
    with Project.open(project_path) as project:
        import_files(project, [ROOT / "tests" / "data" / "sample_gold.jsonl"])

    def fake(project, source, progress, cancelled):
        wait_or_cancel(steps["loaded"], cancelled)
        progress(1, 4)
        wait_or_cancel(steps["trained"], cancelled)
        return kept_beside()

    monkeypatch.setattr(train, "train_project", fake)
    window = make_window()
    return window.files.train()


def test_the_bar_is_busy_until_the_first_progress_then_the_verdict_names_the_button(
        qtbot, make_window, project_path, monkeypatch) -> None:
    steps = {"loaded": threading.Event(), "trained": threading.Event()}
    dialog = dialog_with_fake_training(make_window, project_path, monkeypatch, steps)
    assert dialog.progress.maximum() == 100 and dialog.progress.value() == 0
    qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    # Loading spaCy reports nothing: the bar moves (busy) instead of standing at 0%.
    assert (dialog.progress.minimum(), dialog.progress.maximum()) == (0, 0)
    steps["loaded"].set()
    qtbot.waitUntil(lambda: dialog.progress.maximum() == 4)
    assert dialog.progress.value() == 1
    with qtbot.waitSignal(dialog.trained, timeout=10_000):
        steps["trained"].set()
    verdict = dialog.verdict.text()
    assert f"kept beside it ({USE_ANYWAY})" in verdict and "--use" not in verdict
    assert dialog.use_button.isEnabled()
    # The command line still says it in its own terms.
    assert "kept beside it (use it with --use or Tools ▸ Train…)" in kept_beside().summary()
    dialog.reject()


def test_escape_while_training_cancels_it_visibly_and_closes_only_once_it_stopped(
        qtbot, make_window, project_path, monkeypatch) -> None:
    steps = {"loaded": threading.Event(), "trained": threading.Event()}
    dialog = dialog_with_fake_training(make_window, project_path, monkeypatch, steps)
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.trained, timeout=10_000) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible() and dialog.verdict.text() == "Cancelling…"
    assert finished.args == [None]
    assert dialog.isVisible() and "training cancelled" in dialog.verdict.text()
    assert dialog.train_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.progress.maximum() != 0  # no longer busy once the job stopped
    with qtbot.waitSignal(dialog.rejected):  # nothing running: Esc closes, as before
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
