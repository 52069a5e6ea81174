"""Start-up: the default project with the sample corpus, the annotator's name, bad projects."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from gui.core.errors import MarginaliaError
from gui.core.store import Project
from gui.ui import launch
from tests.gui.conftest import add_docs


@pytest.fixture(autouse=True)
def _fresh_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    QSettings().clear()


def test_first_run_creates_the_default_project_with_the_sample_corpus() -> None:
    path = launch.resolve_project(None)
    assert path == launch.default_project_path() and path.is_file()
    samples = list((launch.resources_dir() / "sample").glob("*.txt"))
    with Project.open(path) as project:
        assert project.count_documents() == len(samples)
        assert project.schema.labels[0] == "PERSON"
    assert launch.resolve_project(None) == path  # the second run opens it again


def test_no_project_given_reopens_the_last_one(project_path: Path) -> None:
    QSettings().setValue("last_project", str(project_path))
    assert launch.resolve_project(None) == project_path


def test_a_bad_project_is_refused_with_its_name(tmp_path: Path) -> None:
    bad = tmp_path / "notes.marginalia"
    bad.write_text("not sqlite")
    with pytest.raises(MarginaliaError, match=r"notes\.marginalia"):
        launch.resolve_project(str(bad))
    assert launch.launch(str(bad), "ana") == 1


def test_annotator_given_is_remembered_and_reused() -> None:
    assert launch.resolve_annotator("ana ") == "ana"
    assert launch.resolve_annotator(None) == "ana"
    with pytest.raises(MarginaliaError):
        launch.resolve_annotator("#gold")


def test_window_switches_annotator_and_shows_their_own_work(
    qtbot, make_window, project_path: Path
) -> None:
    window = make_window(["One article.", "Another one."])
    window.accept_document()
    assert window.doc_panel.progress_label.text().endswith("1 / 2 done")
    window.switch_annotator("bob")
    assert window.annotator_label.text() == "Annotator: bob"
    assert window.doc_panel.progress_label.text().endswith("0 / 2 done")
    assert QSettings().value("annotator") == "bob"
    assert window.undo_stack.count() == 0


def test_import_runs_in_a_worker_and_the_list_shows_the_new_documents(
    qtbot, make_window, project_path: Path, tmp_path: Path
) -> None:
    window = make_window(["Already here."])
    (tmp_path / "a.txt").write_text("Title A\nBody of A about Havana.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Title B\nBody of B about Moscow.", encoding="utf-8")
    window.files.import_documents([str(tmp_path / "a.txt"), str(tmp_path / "b.txt")])
    qtbot.waitUntil(lambda: window.documents.rowCount() == 3, timeout=20000)
    assert "2 documents added" in window.statusBar().currentMessage()


def test_import_of_a_bad_file_changes_nothing_and_says_why(
    qtbot, make_window, project_path: Path, tmp_path: Path
) -> None:
    window = make_window(["Already here."])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok"}\n{not json\n', encoding="utf-8")
    window.files.import_documents([str(bad)])
    qtbot.waitUntil(lambda: "bad.jsonl:2" in window.statusBar().currentMessage(), timeout=20000)
    assert window.documents.rowCount() == 1
    add_docs(project_path, ["x"])  # the project is still writable and unlocked


def test_the_window_opens_without_importing_spacy(project_path: Path, tmp_path: Path) -> None:
    """spaCy takes seconds to import: it must stay off the start-up path."""
    import json
    import os
    import subprocess
    import sys

    add_docs(project_path, ["An article about Havana."])
    ready = tmp_path / "ready.json"
    code = (
        "import sys; from gui.cli import main; code = main([sys.argv[1], '--annotator', 'ana']);"
        "print('spacy' in sys.modules); sys.exit(code)"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MARGINALIA_READY_FILE": str(ready),
           "MARGINALIA_QUIT_WHEN_READY": "1", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-c", code, str(project_path)], env=env,
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
    figures = json.loads(ready.read_text())
    assert figures["ready_s"] > 0 and figures["rss_mb"] > 0


def test_the_first_start_pre_fills_the_sample_in_the_background(
    qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new user once met the sample articles bare: nothing had pre-filled them."""
    from PySide6.QtWidgets import QApplication

    from gui.ui.file_operations import FileOperations
    from gui.ui.main_window import MainWindow

    started: list[object] = []
    monkeypatch.setattr(FileOperations, "prefill", lambda self: started.append(self.window))
    monkeypatch.setattr(QApplication, "exec", lambda self: 0)

    def windows() -> list[MainWindow]:
        return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]

    before = set(windows())
    assert launch.launch(None, "ana") == 0
    for window in set(windows()) - before:
        qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(started) == 1)
    assert started[0].project_path == launch.default_project_path()

    before = set(windows())
    assert launch.launch(None, "ana") == 0  # the second start finds the project made
    for window in set(windows()) - before:
        qtbot.addWidget(window)
    # Zero-delay timers fire in order: once this marker has fired, a pre-fill would have too.
    from PySide6.QtCore import QTimer

    marker: list[int] = []
    QTimer.singleShot(0, lambda: marker.append(1))
    qtbot.waitUntil(lambda: bool(marker))
    assert len(started) == 1


def test_an_older_project_is_converted_behind_a_progress_dialog(qtbot, project_path: Path) -> None:
    """The word index over 100,000 texts took ~10 s on the GUI thread, with nothing shown;
    now a progress dialog counts it and the event loop keeps running meanwhile."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from gui.core.migrations import CURRENT_VERSION
    from tests.unit.test_migration_progress import older_project

    older_project(project_path, 6_000)
    seen: list[tuple[int, int]] = []

    def watch() -> None:  # a timer on the GUI thread: it fires only if the thread is free
        dialogs = [w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QProgressDialog) and w.objectName() == "upgradeProgress"
                   and w.isVisible()]
        if dialogs:
            seen.append((dialogs[0].value(), dialogs[0].maximum()))

    timer = QTimer()
    timer.timeout.connect(watch)
    timer.start(1)
    try:
        assert launch.resolve_project(str(project_path)) == project_path
    finally:
        timer.stop()
    assert seen, "no progress dialog was seen while converting"
    assert all(maximum in (0, 6_000) for _, maximum in seen)  # 0: busy, before the first step
    assert (6_000, 6_000) in seen
    with Project.open(project_path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert project.count_listed("ana", text="havana") == 6_000


def test_no_project_given_reopens_the_last_one_on_a_server(pg_server, pg_project: str) -> None:
    """A server address is remembered as shown (a password in it blanked) and reopened;
    one that cannot be opened now (away, the database gone, a refusal) gives the default
    project instead of no window at all."""
    QSettings().setValue("last_project", pg_project)
    assert launch.resolve_project(None) == pg_project
    QSettings().setValue("last_project", pg_project.replace("dbname=", "dbname=gone_"))
    assert launch.resolve_project(None) == launch.default_project_path()
