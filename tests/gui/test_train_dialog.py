"""Tools ▸ Train… from the menu: train in a worker, see the figures, switch, reorder, remove."""

from __future__ import annotations

import functools
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.nlp import train
from gui.ui.train_dialog import TrainDialog

ROOT = Path(__file__).resolve().parents[2]


def test_train_from_the_tools_menu_then_switch_and_remove(qtbot, make_window, project_path,
                                                          monkeypatch) -> None:
    with Project.open(project_path) as project:
        import_files(project, [ROOT / "resources" / "sample",
                               ROOT / "tests" / "data" / "sample_gold.jsonl"])
        project.add_documents([{"text": "Moscow sent oil to Havana, the ministry said."}])
    # Tiny training, so the test stays fast; the dialog calls the module's function.
    monkeypatch.setattr(train, "train_project", functools.partial(
        train.train_project, ner_iterations=1, stance_iterations=2))
    window = make_window()
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    [action] = [a for a in tools.actions() if a.objectName() == "action:train"]
    action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), TrainDialog))
    dialog = QApplication.activeModalWidget()
    assert "12 documents" in dialog.source_box.currentText()
    assert dialog.in_use.text() == ("the installed pipeline and the stance rules with the starter "
                                    "classifier and recognizer")

    with qtbot.waitSignal(dialog.trained, timeout=300_000) as finished:
        qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
        assert dialog.cancel_button.isEnabled() and not dialog.train_button.isEnabled()
    report = finished.args[0]
    assert report is not None and report.version == 1
    assert dialog.counts.text().startswith(f"{report.train_documents} documents to learn from, "
                                           f"{report.test_documents} held out")
    labels = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert "entities (all)" in labels and "stance (all)" in labels
    assert dialog.table.horizontalHeaderItem(4).text() == "Trained P"

    if not report.used:  # not better on the held-out split: the user switches by hand
        # (then the untouched documents are scored; Remove waits for that job)
        with qtbot.waitSignals([dialog.switched, dialog.scored], timeout=120_000):
            qtbot.mouseClick(dialog.use_button, Qt.MouseButton.LeftButton)
    assert dialog.in_use.text() == "trained version v1"
    assert window.project.setting("trained_model") == f"{project_path.stem}.models/v1"

    with qtbot.waitSignal(dialog.switched) as removed:
        qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    assert removed.args == ["rules + starter"]
    assert dialog.in_use.text().endswith("with the starter classifier and recognizer")
    assert not window.project.setting("trained_model")
    assert not (project_path.parent / f"{project_path.stem}.models" / "v1").exists()
    dialog.reject()


def test_most_to_gain_first_orders_the_list_by_stored_scores(qtbot, make_window,
                                                             project_path) -> None:
    window = make_window(["First article.", "Second article.", "Third article."])
    with Project.open(project_path) as project:
        project.set_setting("trained_model", "x.models/v1")
        with project.transaction() as conn:
            conn.executemany(
                "INSERT INTO document_scores(document_id, model, score, computed_at) "
                "VALUES (?, '\"x.models/v1\"', ?, '')", [(2, 0.9), (3, 0.4)])
    box = window.doc_panel.order_box
    assert box.currentText() == "Document order"
    box.setCurrentIndex(box.findData("gain"))
    titles = [window.documents.index(r, 0).data() for r in range(3)]
    assert titles == ["Doc 1", "Doc 2", "Doc 0"]


def test_cancel_stops_training_and_changes_nothing(qtbot, make_window, project_path) -> None:
    with Project.open(project_path) as project:
        import_files(project, [ROOT / "tests" / "data" / "sample_gold.jsonl"])
    window = make_window()
    dialog = window.files.train()
    with qtbot.waitSignal(dialog.trained, timeout=120_000) as finished:
        qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert finished.args == [None]
    assert "cancelled" in dialog.verdict.text()
    assert dialog.train_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert not (project_path.parent / f"{project_path.stem}.models").exists()
    assert not window.project.setting("trained_model")
    dialog.reject()


def test_closing_the_dialog_while_training_cancels_it(qtbot, make_window, project_path) -> None:
    from gui.ui import train_dialog

    with Project.open(project_path) as project:
        import_files(project, [ROOT / "tests" / "data" / "sample_gold.jsonl"])
    window = make_window()
    dialog = window.files.train()
    qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    [job] = [dialog.job]
    dialog.reject()
    assert job in train_dialog._LEFT_RUNNING or job.done.is_set()
    qtbot.waitUntil(job.done.is_set, timeout=120_000)
    assert not window.project.setting("trained_model")
    assert not (project_path.parent / f"{project_path.stem}.models").exists()


def two_versions(project_path: Path) -> Path:
    """Versions v1 and v2 beside the project file (no need to train for removing), v2 in use;
    returns their folder."""
    folder = project_path.parent / f"{project_path.stem}.models"
    for version in (1, 2):
        (folder / f"v{version}").mkdir(parents=True)
        (folder / f"v{version}" / "training.json").write_text("{}")
    with Project.open(project_path) as project:
        project.set_setting("trained_model", f"{folder.name}/v2")
    return folder


def test_tools_remove_trained_version_asks_then_falls_back(qtbot, make_window,
                                                            project_path) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.gui.conftest import when_modal

    folder = two_versions(project_path)
    window = make_window(["An article."])
    tools = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Tools")
    [action] = [a for a in tools.actions() if a.objectName() == "action:remove_trained"]
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.No).click())
    action.trigger()
    assert (folder / "v2").exists()  # "No" keeps it
    when_modal(QMessageBox, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    action.trigger()
    assert not (folder / "v2").exists() and (folder / "v1").exists()
    assert window.project.setting("trained_model") == f"{folder.name}/v1"
    assert "now uses v1" in window.statusBar().currentMessage()


def test_removing_a_version_another_window_is_loading_from_the_train_dialog(
        qtbot, make_window, project_path) -> None:
    """Two windows on one file: ben's pre-fill is loading v2 (it holds v2's lease, as from
    before spacy.load until loaded) when ana removes v2 in her Train dialog. The dialog says in
    one line that the folder goes when that load ends; v2 is at once neither used nor listed;
    the folder stays whole for ben, goes when his load lets go, and his window shows v1."""
    from gui.nlp import models

    folder = two_versions(project_path)
    ana = make_window(["An article."], "ana")
    ben = make_window(None, "ben")
    assert ben.prefill_in_use.text() == "Pre-fill: trained v2"
    with Project.open(project_path) as bens_prefill:  # its worker's own connection
        loading = models.lease_in_use(bens_prefill)
        dialog = ana.files.train()
        with qtbot.waitSignal(dialog.switched) as removed:
            qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
        assert removed.args == ["v1"] and dialog.in_use.text() == "trained version v1"
        assert dialog.verdict.text() == (
            "Removed v2; pre-fill now uses v1. v2 is still being loaded by another window or "
            f"command: its folder {folder.name}/v2 goes as soon as that load ends.")
        assert models.versions(ana.project) == [1]
        assert (folder / "v2" / "training.json").exists()
        loading.release()
    assert not (folder / "v2").exists() and (folder / "v1").exists()
    with qtbot.waitSignal(ben.prefill_in_use.changed) as switched:
        ben.reload_documents()
    assert switched.args == [1] and ben.prefill_in_use.text() == "Pre-fill: trained v1"
    dialog.reject()


def test_train_on_a_server_then_a_member_sees_the_version_in_use(
        qtbot, make_window, pg_project, capsys, monkeypatch) -> None:
    """The owner trains from Tools ▸ Train… on a server project; ana's window, another
    member's, shows the version the project uses and cannot train or remove one."""
    from tests.conftest import run_command
    from tests.server.test_pg_team import as_person

    with Project.open(pg_project) as project:
        import_files(project, [ROOT / "tests" / "data" / "sample_gold.jsonl"])
    for args in (("init", pg_project), ("add", pg_project, "ana")):
        assert run_command(capsys, "team", *args)[0] == 0
    monkeypatch.setattr(train, "train_project", functools.partial(
        train.train_project, ner_iterations=1, stance_iterations=2, use=True))
    owner = make_window(annotator="rev", path=pg_project)
    tools = next(a.menu() for a in owner.menuBar().actions() if a.text() == "&Tools")
    [action] = [a for a in tools.actions() if a.objectName() == "action:train"]
    action.trigger()
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), TrainDialog))
    dialog = QApplication.activeModalWidget()
    assert dialog.train_button.isEnabled()
    with qtbot.waitSignal(dialog.trained, timeout=300_000) as finished:
        qtbot.mouseClick(dialog.train_button, Qt.MouseButton.LeftButton)
    assert finished.args[0] is not None and dialog.in_use.text() == "trained version v1"
    dialog.reject()
    with Project.open(pg_project) as project:
        assert project.setting("trained_model") == "v1"

    member = make_window(annotator="ana", path=as_person(pg_project, "ana"))
    seen = member.files.train()
    assert seen.in_use.text() == "trained version v1"
    assert not seen.train_button.isEnabled() and not seen.remove_button.isEnabled()
    assert "Only the project's owner stores" in seen.counts.text()
    seen.reject()
