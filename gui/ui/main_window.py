"""The annotation window: documents on the left, the article in the middle, lists on the right.

This module only assembles the parts (document_list, article_view, side_panel, annotate,
actions, file_operations) and handles document-level steps (accept, skip, flag, next).

It is assembled in two steps. The first builds what the first paint shows: the document list
with its first page and the first article, plain. ``complete()`` then imports and builds the
rest (side panel, controller and highlights, undo, actions, menus, toolbar): at once for a
window made in code, or right after the first paint when the launcher asks for a ``staged``
window, with the keys typed meanwhile held and replayed (first_paint.py). Importing and building
those parts was most of the start-up beyond a bare Qt window (docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QByteArray, QEvent, QSettings, QTimer
from PySide6.QtGui import QCloseEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.core.backend import project_location
from gui.core.errors import MarginaliaError, server_gone
from gui.core.store import AnnotationSet, Document, Project
from gui.ui import qt_ints
from gui.ui.article_view import ArticleView
from gui.ui.document_list import DocumentListModel, DocumentPanel
from gui.ui.first_paint import FirstPaint, KeyHold
from gui.ui.window_fit import PanelFitter, fit_window

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from gui.core.edits import Edit
    from gui.ui.annotate import AnnotationController
    from gui.ui.file_operations import FileOperations
    from gui.ui.live import LiveUpdates
    from gui.ui.side_panel import SidePanel
    from gui.ui.undo import UndoAdapter

_open_windows: set[MainWindow] = set()


def _plain_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setProperty("textFormat", qt_ints.PLAIN_TEXT)  # never read as HTML (qt_ints.py)
    label.setProperty("textInteractionFlags", qt_ints.SELECTABLE_BY_MOUSE)
    return label


class MainWindow(QMainWindow):
    side: SidePanel
    undo: UndoAdapter
    files: FileOperations
    actions_by_name: dict[str, QAction]

    def __init__(self, project_path: Path, annotator: str, *, staged: bool = False):
        super().__init__()
        self.project_path = project_location(project_path)
        self.project = Project.open(self.project_path)
        self.annotator = annotator
        self.undo_stack = QUndoStack(self)
        self.current_doc: int | None = None
        self.controller: AnnotationController | None = None  # built by complete()
        self.live: LiveUpdates | None = None  # on a server, from complete()
        self._held: KeyHold | None = None

        self.documents = DocumentListModel(self.project, annotator, self, count_now=not staged)
        self.doc_panel = DocumentPanel(self.documents, self)
        self.title_label = _plain_label("articleTitle")
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.meta_label = _plain_label("articleMeta")
        self.meta_label.setWordWrap(True)
        self.view = ArticleView(self)
        center = QWidget(self)
        column = QVBoxLayout(center)
        column.setContentsMargins(0, 8, 0, 0)
        column.setSpacing(2)
        header = QVBoxLayout()
        header.setContentsMargins(16, 0, 16, 6)
        header.addWidget(self.title_label)
        header.addWidget(self.meta_label)
        column.addLayout(header)
        column.addWidget(self.view, 1)

        # Side by side, a splitter's default orientation; made without a parent (it becomes
        # the central widget's), as QSplitter(parent) is resolved against QSplitter(Qt.…).
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.doc_panel)
        self.splitter.addWidget(center)
        self.splitter.addWidget(QWidget(self))  # the side panel's place until complete()
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 740, 420])
        self.setCentralWidget(self.splitter)

        self.annotator_label = _plain_label("annotatorLabel")
        self.saved_label = _plain_label("savedLabel")
        self.saved_label.setText("Every edit is saved as you make it")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.statusBar().addPermanentWidget(self.annotator_label)

        self.doc_panel.document_chosen.connect(self.open_document)
        self.doc_panel.hint.connect(self.hint)
        self.documents.modelReset.connect(self._after_list_reset)
        self._show_annotator()
        self._restore_settings()
        _open_windows.add(self)
        if staged:
            self._held = KeyHold(self, self.view)
        else:
            self.complete()
        self._first_paint = FirstPaint(self.view.viewport(), self._after_first_paint)
        self._open_first_document()
        self.view.setFocus()  # label keys work at once, not typed into the filter box

    def complete(self) -> None:
        """Build the parts the first paint does without (see the module's docstring); their
        modules are imported here, so a staged start loads them only after that paint."""
        from gui.ui import context_menu, filter_keys, legend, trained_status
        from gui.ui.actions import build_actions
        from gui.ui.annotate import AnnotationController
        from gui.ui.file_operations import FileOperations
        from gui.ui.live import follow_in_main_window
        from gui.ui.side_panel import SidePanel
        from gui.ui.undo import UndoAdapter

        if self.controller is not None:
            return
        # Here, not in __init__: it needs the Qt namespace (qt_ints.py), and a staged window
        # is complete in the turn after its first paint, before a click could close it.
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        if not self.documents.counted:  # a staged window counts them after its first paint
            self.documents.count_documents()
        self.side = SidePanel(self.project.schema, self)
        self.splitter.replaceWidget(2, self.side).deleteLater()
        self.undo = UndoAdapter(self.project, self.undo_stack, self._stored, self.error)
        self.controller = AnnotationController(
            self, self.view, self.side.entity_view, self.side.stance_view, self.undo
        )
        self.side.fit_columns()
        self.files = FileOperations(self)
        self.actions_by_name = build_actions(self)
        self.undo.bind_actions(self.actions_by_name["undo"], self.actions_by_name["redo"])
        self.undo.waiting_changed.connect(lambda _edits: self._update_meta())  # once redrawn
        self._add_toolbar()
        filter_keys.install(self)  # Esc / Enter in the word filter go back to the article
        legend.install(self)  # folded as the annotator left it
        context_menu.install(self)  # a right-click on an annotation: its actions
        if self.current_doc is not None:
            self.open_document(self.current_doc)  # now with its highlights and lists
        self.live = follow_in_main_window(self)  # on a server: others' progress as it happens
        self.prefill_in_use = trained_status.install(self)  # followed live on a server
        if self._held is not None:
            self._held.release()
            self._held = None

    def _add_toolbar(self) -> None:
        """The document steps as buttons for the mouse (their tooltips give the keys)."""
        toolbar = self.addToolBar("Document")
        toolbar.setObjectName("documentToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(QtCore.Qt.ToolButtonStyle.ToolButtonTextOnly)
        for name in ("previous", "next", None, "accept", "skip", "flag", None, "undo", "redo",
                     None, "stance", "repeat_stance", "keys"):
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(self.actions_by_name[name])

    # ---- documents ------------------------------------------------------------------------

    def _open_first_document(self) -> None:
        first = self.documents.doc_id_at(0)
        if first is None:
            self.title_label.setText("No documents yet")
            self.meta_label.setText("Import articles with File ▸ Import (Ctrl+I).")
            self.view.set_article("")
        else:
            self.open_document(first)

    def open_document(self, doc_id: int) -> None:
        try:
            if self.controller is None:  # before complete(): the text, plain
                self.view.set_article(self.project.document(doc_id).text)
            else:
                self.controller.show_document(doc_id)
        except (MarginaliaError, sqlite3.Error) as exc:
            if not server_gone(exc):
                raise
            # the article shown stays, with the edits kept for it
            self.hint(f"Document {doc_id} cannot be opened while the server is away")
            if self.current_doc is not None:
                self.doc_panel.select_document(self.current_doc)
            return
        self.current_doc = doc_id
        document, _ = self._shown()
        assert document is not None
        self.title_label.setText(document.title or f"Document {doc_id}")
        self._update_meta()
        self.doc_panel.select_document(doc_id)

    def _shown(self) -> tuple[Document | None, AnnotationSet | None]:
        """The document shown and this annotator's set of it (read here before complete())."""
        if self.controller is not None:
            return self.controller.document, self.controller.aset
        if self.current_doc is None:
            return None, None
        return (self.project.document(self.current_doc),
                self.project.annotation_set(self.current_doc, self.annotator))

    def _update_meta(self) -> None:
        document, aset = self._shown()
        if document is None:
            return
        meta = [part for part in (document.source, document.date, document.url) if part]
        status = aset.status if aset else "todo"
        note = aset.note if aset else ""
        unsaved = self.controller is not None and self.controller.status_unsaved
        meta.append(status.replace("_", " ") + (" (not saved yet)" if unsaved else "")
                    + (f" — note: {note}" if note else ""))
        self.meta_label.setText(" · ".join(meta))

    def reload_documents(self) -> None:
        self.documents.reload()
        if self.current_doc is None:
            self._open_first_document()
        else:
            self.open_document(self.current_doc)

    def _after_list_reset(self) -> None:
        if self.current_doc is not None:
            self.doc_panel.select_document(self.current_doc)

    def step_document(self, step: int) -> bool:
        """Go to the next (1) or previous (-1) listed document; False at either end."""
        row = self.documents.row_of(self.current_doc) if self.current_doc is not None else None
        target = 0 if row is None else row + step
        if target < 0 or not self.documents.ensure_row(target):
            self.hint("That was the last document in the list" if step > 0
                      else "This is the first document in the list")
            return False
        doc_id = self.documents.doc_id_at(target)
        assert doc_id is not None
        self.open_document(doc_id)
        return True

    def _set_status(self, status: str, note: str | None = None) -> bool:
        from gui.core.edits import SetStatus

        if self.current_doc is None:
            return False
        return self.undo.push(SetStatus(self.current_doc, self.annotator, status, note))

    def accept_document(self) -> None:
        if self._set_status("done"):
            self._next_not_done()

    def skip_document(self) -> None:
        if self._set_status("skipped"):
            self._next_not_done()

    def _next_not_done(self) -> None:
        """After accept or skip: the next listed document not done yet, as a queue goes on."""
        row = self.documents.row_of(self.current_doc) if self.current_doc is not None else None
        target = self.documents.next_not_done(-1 if row is None else row)
        if target is None:
            self.hint("No other document in this list is left to do: all are done")
        else:
            doc_id = self.documents.doc_id_at(target)
            assert doc_id is not None
            self.open_document(doc_id)

    def flag_document(self) -> None:
        from PySide6.QtWidgets import QInputDialog  # see error()

        if self.current_doc is None:
            return
        _, aset = self._shown()
        current = aset.note if aset else ""
        note, ok = QInputDialog.getText(self, "Flag document",
                                        "What is wrong with this document?", text=current)
        if ok:
            self._set_status("flagged", note.strip())

    # ---- edits ----------------------------------------------------------------------------

    def _stored(self, edit: Edit) -> None:
        """After every stored edit, undo or redo: show the result and say it is saved."""
        from gui.ui.undo import saved_message  # imported by complete(), which edits follow

        assert self.controller is not None  # edits come from the parts complete() builds
        if edit.document_id != self.current_doc and self.undo.retrying:
            return  # sent again once the server was back: the annotator has moved on since
        if edit.document_id != self.current_doc:
            self.open_document(edit.document_id)
        else:
            self.controller.refresh()
        status = self.controller.aset.status if self.controller.aset else "todo"
        if self.documents.set_status(edit.document_id, status):
            self.doc_panel.update_progress()
        self._update_meta()
        self.saved_label.setText(f"Saved ✓ {time.strftime('%H:%M:%S')}")
        self.statusBar().showMessage(saved_message(edit, self.undo.last_step), 4000)

    def hint(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def connection_lost(self, message: str) -> None:
        """The server went away: said at once, where the window says what was saved, and
        without a dialog: the annotator carries on, the edits kept and marked."""
        from gui.ui.live import NOT_CONNECTED

        self.saved_label.setText(NOT_CONNECTED)
        self.statusBar().showMessage(message, 10000)

    def error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)
        if QApplication.platformName() != "offscreen":
            # Imported here, as launch._fail does: a class PySide would create at start-up.
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Marginalia", message)

    # ---- annotator, other windows ---------------------------------------------------------

    def _show_annotator(self) -> None:
        self.annotator_label.setText(f"Annotator: {self.annotator}")
        self.setWindowTitle(f"{self.project_path.name} — {self.annotator} — Marginalia")

    def switch_annotator(self, name: str | None = None) -> None:
        from gui.ui.launch import ask_annotator

        name = name or ask_annotator(self, self.annotator)
        if not name or name == self.annotator:
            return
        self.annotator = name
        QSettings().setValue("annotator", name)
        self.undo_stack.clear()
        self._show_annotator()
        self.documents.set_annotator(name)
        self.doc_panel.update_progress()
        if self.current_doc is not None:
            self.open_document(self.current_doc)

    def replace_with(self, path: Path) -> None:
        """Open another project in a new window, then close this one."""
        from gui.ui.file_operations import remember_project
        from gui.ui.upgrade import upgrade_if_needed

        try:
            upgrade_if_needed(path, self)
            window = MainWindow(path, self.annotator)
        except MarginaliaError as exc:
            self.error(str(exc))
            return
        remember_project(path)
        window.show()
        self.close()

    def focus_filter(self) -> None:
        self.doc_panel.filter_box.setFocus()
        self.doc_panel.filter_box.selectAll()

    def open_review(self) -> None:
        self._open_review_part("open_review", self.project_path, self.annotator)

    def open_dashboard(self) -> None:
        self._open_review_part("open_dashboard", self.project_path)

    def _open_review_part(self, name: str, *args: object) -> None:
        try:
            from gui.ui import review

            opener = getattr(review, name)
        except (ImportError, AttributeError) as exc:
            self.error(f"Review tools are not available in this build ({exc})")
            return
        widget = opener(self, *args)
        if widget is not None and not widget.isVisible():
            widget.show()

    def show_keys(self) -> None:
        from gui.ui.actions import keys_table
        from gui.ui.dialogs import KeysDialog

        KeysDialog(keys_table(self.actions_by_name), self).open()

    def show_about(self) -> None:
        from gui.ui.dialogs import show_about

        show_about(self)

    # ---- settings and start-up ------------------------------------------------------------

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        self._maximize = fit_window(
            self, isinstance(geometry, QByteArray) and self.restoreGeometry(geometry))
        state = settings.value("window/splitter")
        if isinstance(state, QByteArray):
            self.splitter.restoreState(state)
        PanelFitter(self.splitter, self.view.comfortable_width)

    def show(self) -> None:
        """Shown maximized when the screen is smaller than the window (fit_window)."""
        if self._maximize:
            self.showMaximized()
        else:
            super().show()

    def changeEvent(self, event: QEvent) -> None:
        """Coming back to this window shows what other windows or processes stored meanwhile
        (another annotator, or the same one in a second window)."""
        super().changeEvent(event)
        if (event.type() == QEvent.Type.ActivationChange and self.isActiveWindow()
                and self.controller is not None and self.current_doc is not None
                and QApplication.activePopupWidget() is None):
            self.controller.refresh()
            self._update_meta()

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        super().closeEvent(event)
        if self.live is not None:
            self.live.close()
        self.project.close()
        _open_windows.discard(self)

    def _after_first_paint(self) -> None:
        """Contract 4: tell the start-up benchmark the window is usable (the list and the first
        article are painted), then complete a staged window in this same turn of the event
        loop (the keys typed meanwhile are held)."""
        path = os.environ.get("MARGINALIA_READY_FILE")
        if path:
            Path(path).write_text(json.dumps({"ready_s": _process_age(), "rss_mb": _rss_mb()}))
            if os.environ.get("MARGINALIA_QUIT_WHEN_READY") == "1":
                QApplication.instance().exit(0)
                return
        self.complete()
        QTimer.singleShot(1500, _warm_up_tokenizer)


def _warm_up_tokenizer() -> None:
    """Load spaCy's tokenizer in the background once the window is up (never at start-up)."""
    import threading

    from gui.nlp import snap

    threading.Thread(target=snap.warm_up, name="warm-up-spacy", daemon=True).start()


def _process_age() -> float:
    """Seconds since this process started, from /proc (Linux), else since import of this."""
    try:
        stat = Path("/proc/self/stat").read_text()
        start_ticks = int(stat.rsplit(")", 1)[1].split()[19])
        boot = next(
            float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime")
        )
        return time.time() - (boot + start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, StopIteration):
        return time.perf_counter() - _IMPORTED_AT


def _rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_IMPORTED_AT = time.perf_counter()
