"""File and Tools menu work: new/open project, import, export, merge, pre-fill.

Import, export, merge and pre-fill run as jobs (gui/ui/workers.py) with their own connection
to the project, a progress dialog and a Cancel button; the window refreshes when they finish.
The export, merge and pre-fill modules belong to other parts of the app and are imported only
when their action is used.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from gui.core.errors import MarginaliaError
from gui.core.store import Project
from gui.ui.workers import Job, run_with_progress

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow

PROJECT_FILTER = "Marginalia projects (*.marginalia);;All files (*)"
IMPORT_FILTER = (
    "Articles (*.txt *.html *.htm *.jsonl *.json *.csv);;Web pages (*.html *.htm);;"
    "All files (*)"
)


class FileOperations(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.jobs: set[Job] = set()

    def _start_dir(self) -> str:
        return str(self.window.project_path.parent)

    # ---- projects -------------------------------------------------------------------------

    def new_project(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.window, "New project", self._start_dir(), PROJECT_FILTER
        )
        if not path:
            return
        target = Path(path)
        if target.suffix != ".marginalia":
            target = target.with_suffix(".marginalia")
        from gui.core.schema import load_schema

        try:
            Project.create(target, load_schema()).close()
        except MarginaliaError as exc:
            self.window.error(str(exc))
            return
        self.window.replace_with(target)

    def open_project(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Open project", self._start_dir(), PROJECT_FILTER
        )
        if path:
            self.window.replace_with(Path(path))

    def open_server_project(self) -> None:
        """Ask for a PostgreSQL address (a URL, ``key=value`` or ``service=NAME``); the
        password, if any, comes from libpq's own files, never from this dialog."""
        from gui.core.backend import is_server_address, project_location

        address, ok = QInputDialog.getText(
            self.window, "Open project on a server",
            "PostgreSQL address (postgresql://user@host/database, or service=NAME):",
        )
        address = address.strip()
        if not ok or not address:
            return
        if not is_server_address(address):
            self.window.error(f"{address}: is not a PostgreSQL address")
            return
        self.window.replace_with(project_location(address))

    # ---- jobs -----------------------------------------------------------------------------

    def _run(self, title: str, fn: Any, done: Any) -> Job:
        def finished(result: Any) -> None:
            self.jobs.discard(job)
            done(result)

        def failed(message: str) -> None:
            self.jobs.discard(job)
            self.window.error(message)
            self.window.reload_documents()

        job = run_with_progress(self.window, title, self.window.project_path, fn, finished,
                                failed)
        self.jobs.add(job)
        return job

    def import_documents(self, paths: list[str] | None = None) -> Job | None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self.window, "Import documents", self._start_dir(), IMPORT_FILTER
            )
        if not paths:
            return None
        annotator = self.window.annotator

        def work(project: Project, progress: Any, cancelled: Any) -> Any:
            from gui.formats.importer import import_files

            return import_files(project, list(paths), annotator=annotator, progress=progress,
                                cancelled=cancelled)

        def done(report: Any) -> None:
            self.window.reload_documents()
            self.window.hint(f"Imported: {report.summary()}")

        return self._run("Importing…", work, done)

    def export(self) -> Job | None:
        from gui.formats.export import FORMATS, export_project
        from gui.ui.dialogs import ExportDialog

        dialog = ExportDialog(FORMATS, self.window.annotator,
                              self.window.project_path.parent, self.window)
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return None
        options = dialog.options()
        annotator = None if options["all"] or options["gold"] or options["prefill"] \
            else self.window.annotator

        def work(project: Project, progress: Any, cancelled: Any) -> Any:
            return export_project(
                project, options["path"], fmt=options["fmt"], annotator=annotator,
                gold=options["gold"], prefill=options["prefill"], statuses=options["statuses"],
                force=True, progress=progress, cancelled=cancelled,
            )

        return self._run("Exporting…", work,
                         lambda report: self.window.hint(f"Exported: {report.summary()}"))

    def merge(self, paths: list[str] | None = None) -> Job | None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(
                self.window, "Merge projects into this one", self._start_dir(), PROJECT_FILTER
            )
        if not paths:
            return None

        def work(project: Project, progress: Any, cancelled: Any) -> Any:
            from gui.review.merge import merge_projects

            return merge_projects(project, [Path(p) for p in paths], progress=progress,
                                  cancelled=cancelled)

        def done(report: Any) -> None:
            self.window.reload_documents()
            self.window.hint(f"Merged: {report.summary()}")

        return self._run("Merging…", work, done)

    def prefill(self) -> Job:
        def work(project: Project, progress: Any, cancelled: Any) -> Any:
            from gui.nlp.prefill import prefill_project

            # Also the untouched documents an older version pre-filled: after training
            # switches, this is how its suggestions reach them (the Train dialog says so).
            return prefill_project(project, outdated=True, progress=progress,
                                   cancelled=cancelled)

        def done(report: Any) -> None:
            self.window.reload_documents()
            self.window.hint(report.summary())

        return self._run("Pre-filling…", work, done)


    def train(self) -> object:
        """Tools ▸ Train…: a dialog that trains in a worker; the list is reloaded when the
        version in use changes (its "most to gain first" order follows the new scores)."""
        from gui.ui.train_dialog import TrainDialog

        dialog = TrainDialog(self.window.project, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def switched(what: str) -> None:
            self.window.reload_documents()
            self.window.hint(f"Pre-fill now uses {what if what != 'rules' else 'the rules'}")

        dialog.switched.connect(switched)
        dialog.scored.connect(lambda _count: self.window.reload_documents())  # gain order
        self.window.prefill_in_use.changed.connect(dialog.show_in_use)  # another's switch
        dialog.open()
        return dialog


    def remove_trained(self) -> None:
        """Tools ▸ Remove trained version…: asks first; the folder goes, pre-fill falls back."""
        from gui.nlp import models

        version = models.current_version(self.window.project)
        if version is None:
            self.window.hint("No trained version is in use: pre-fill uses the rules")
            return
        where = models.shelf(self.window.project).describe(version)
        answer = QMessageBox.question(
            self.window, "Remove trained version",
            f"Delete trained version v{version} ({where})? Pre-fill falls back to the "
            "previous version, or to the installed pipeline and "
            "the rules. Suggestions already made stay as they are.")
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            removal = models.remove_version(self.window.project, version)
        except (MarginaliaError, OSError) as exc:
            self.window.error(str(exc))
            return
        self.window.reload_documents()
        self.window.hint(removal.summary())


def remember_project(path: Path) -> None:
    QSettings().setValue("last_project", str(path))
