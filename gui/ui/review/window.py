"""Review mode: the queue, the article with gold over it and disagreements underlined, and
every annotator's version side by side; one key takes a version into gold.

The gold set is edited with the annotation window's own controller (the same popups and keys,
writing as ``GOLD``), and every change is a command on this window's QUndoStack. The stack is
cleared when another document is opened: undo is per document, as in the annotation window's
gold-free cousin of this mode. The queue is read off the GUI thread.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QKeySequence, QTextCharFormat, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QLabel,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gui.core.backend import project_location
from gui.core.edits import Edit, RestoreKeptVersion
from gui.core.errors import MarginaliaError
from gui.core.gold_lock import release_gold, take_gold
from gui.core.kept_versions import KeptVersion, kept_versions
from gui.core.store import GOLD, Project
from gui.review.adjudication import (
    KEPT_PREFIX,
    TakeAgreed,
    TakeVersion,
    accept,
    agreed_missing,
    document_clusters,
    gold_items,
    kept_name,
    require_reviewer,
    review_queue,
    version_label,
)
from gui.review.disputes import Cluster
from gui.review.sets import item_key
from gui.ui.annotate import AnnotationController
from gui.ui.article_view import ArticleView, Mark
from gui.ui.live import LiveUpdates, follow_in_review
from gui.ui.review.models import ClusterRole, DisagreementModel, DocumentRole, QueueModel
from gui.ui.side_panel import annotation_table, fit_columns
from gui.ui.undo import UndoAdapter
from gui.ui.window_fit import DockFitter, fit_secondary
from gui.ui.workers import Job

DISPUTE_COLOR = QColor("#d62728")  # entities: a red wave under the disputed words
STANCE_DISPUTE_COLOR = QColor("#e08a00")  # stances: a dotted orange line under the evidence
TAKE_KEYS = 9


class ReviewArticleView(ArticleView):
    """The article view with each disagreement's stretch underlined in red, under gold's marks;
    its gutter only as wide as gold's stances need (the article's column is narrow here)."""

    fit_gutter = True

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("reviewArticle")
        self.setAccessibleName("Article under review")
        self._base: list[QTextEdit.ExtraSelection] = []
        self.disputes: list[tuple[str, int, int]] = []

    def set_article(self, text: str) -> None:
        self._base = []
        self.disputes = []
        super().set_article(text)

    def set_marks(self, entities: list[Mark], stances: list[Mark]) -> None:
        super().set_marks(entities, stances)
        self._base = list(self.extraSelections())
        self._draw_disputes()

    def set_disputes(self, spans: list[tuple[str, int, int]]) -> None:
        """(layer, Qt start, Qt end) of each disagreement."""
        self.disputes = list(spans)
        self._draw_disputes()

    def _draw_disputes(self) -> None:
        marks = []
        for layer, start, end in self.disputes:
            selection = QTextEdit.ExtraSelection()
            cursor = self.textCursor()
            cursor.setPosition(start)
            cursor.setPosition(end, cursor.MoveMode.KeepAnchor)
            selection.cursor = cursor
            fmt = QTextCharFormat()
            if layer == "entity":
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
                fmt.setUnderlineColor(DISPUTE_COLOR)
            else:
                fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
                fmt.setUnderlineColor(STANCE_DISPUTE_COLOR)
            selection.format = fmt
            marks.append(selection)
        self.setExtraSelections(self._base + marks)


class ReviewWindow(QMainWindow):
    queue_loaded = Signal()
    document_shown = Signal(int)

    def __init__(self, project_path: Path, reviewer: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.project_path = project_location(project_path)
        self.project = Project.open(self.project_path)
        self.reviewer = reviewer
        self.annotator = GOLD  # the controller writes as the gold set's annotator
        self.setWindowTitle(f"Review — {self.project_path.name} — {reviewer}")
        fit_secondary(self, QSize(1480, 880), parent)
        self.undo_stack = QUndoStack(self)
        self.document_id: int | None = None
        self.clusters: list[Cluster] = []
        self.annotators: list[str] = []  # compared versions: annotators, then kept versions
        self.kept: list[KeptVersion] = []
        self._job: Job | None = None
        self._queue_stale = False  # changed on the server while the queue was being read
        self.gold_refusal: str | None = None  # why this document's gold is not ours to edit
        self.live: LiveUpdates | None = None
        try:
            require_reviewer(self.project, reviewer)
        except MarginaliaError as exc:
            notice = QLabel(str(exc))
            notice.setObjectName("reviewRefused")
            notice.setTextFormat(Qt.TextFormat.PlainText)
            notice.setWordWrap(True)
            notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
            notice.setMargin(40)
            self.setCentralWidget(notice)
            self.resize(640, 240)
            close = QAction("Close", self)  # a window with no menu: closed by its keys
            close.setShortcuts([QKeySequence("Esc"), QKeySequence("Ctrl+W")])
            close.triggered.connect(self.close)
            self.addAction(close)
            return
        self._build()
        self.load_queue()
        self.live = follow_in_review(self)  # on a server: the queue follows the annotators

    # ---- building ---------------------------------------------------------------------------

    def _build(self) -> None:
        schema = self.project.schema
        self.queue_model = QueueModel(self)
        self.queue_view = QListView()
        self.queue_view.setObjectName("reviewQueue")
        self.queue_view.setAccessibleName("Documents to review, most disputed first")
        self.queue_view.setModel(self.queue_model)
        self.queue_view.setAlternatingRowColors(True)
        # A sixth of the window is narrower than "22 disagreements · 55% disputed · 4
        # annotators": each line ends in "…" (the tooltip has it whole), where the rest hid
        # behind a sideways scroll bar; two lines an entry keep a dozen in sight at 1366×768.
        self.queue_view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.queue_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.queue_view.selectionModel().currentRowChanged.connect(self._queue_row_changed)
        dock = QDockWidget("Queue", self)
        dock.setObjectName("reviewQueueDock")
        dock.setWidget(self.queue_view)
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
        # A sixth of the window, up to 290 px: at 1366×768 the article keeps a column of about
        # 40 characters beside its stance gutter (it had 30: three words a line); a wider
        # window gives the queue its lines whole (dock_width).
        self.queue_fitter = DockFitter(self, dock, self._queue_needs, "review/queueWidth")
        self.queue_fitter.fit()
        self.queue_model.modelReset.connect(self.queue_fitter.fit)

        self.header = QLabel("Loading the queue…")
        self.header.setObjectName("reviewHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        self.header.setWordWrap(True)
        self.article = ReviewArticleView()
        self.disagreement_model = DisagreementModel(schema, self)
        self.tree = QTreeView()
        self.tree.setObjectName("disagreementList")
        self.tree.setAccessibleName("Disagreements, each annotator's version side by side")
        self.tree.setModel(self.disagreement_model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.clicked.connect(self._tree_clicked)
        self.entity_view = annotation_table("goldEntities", "Gold entities")
        self.stance_view = annotation_table("goldStances", "Gold stances")
        gold_tabs = QTabWidget()
        gold_tabs.addTab(self.entity_view, "Gold entities")
        gold_tabs.addTab(self.stance_view, "Gold stances")
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.tree)
        right.addWidget(gold_tabs)
        right.setSizes([520, 260])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.article)
        split.addWidget(right)
        split.setSizes([700, 700])  # halves, shrunk alike to the window (and grown alike):
        split.setStretchFactor(0, 1)  # the article's gutter and column, and the versions
        split.setStretchFactor(1, 1)
        central = QWidget()
        central.setObjectName("reviewView")
        central.setAccessibleName("Review")
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.header)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.undo = UndoAdapter(self.project, self.undo_stack, self._stored, self.hint,
                                guard=lambda _edit: self.gold_refusal)
        self.controller = AnnotationController(
            self, self.article, self.entity_view, self.stance_view, self.undo  # type: ignore[arg-type]
        )
        self.stance_columns = fit_columns(self.entity_view, self.stance_view, schema)
        self.toolbar = QToolBar("Review")
        self.toolbar.setObjectName("reviewToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.actions_by_name: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self._build_actions()
        self.statusBar().showMessage(
            "1–9: take that annotator's version · A: take all agreed · J/K: next/previous "
            "disagreement · Ctrl+Enter: accept gold · Ctrl+Z: undo · F1: keys")

    def _queue_needs(self) -> int:
        """The queue dock's width that shows its longest line whole."""
        view = self.queue_view
        return (view.sizeHintForColumn(0) + 2 * view.frameWidth()
                + view.verticalScrollBar().sizeHint().width() + 8)

    def _action(self, name: str, text: str, keys: tuple[str, ...], slot: Callable[[], object],
                taken: set[str], toolbar: bool = False, menu: str = "Gold") -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"review:{name}")
        action.setProperty("menu", menu)
        sequences = []
        for key in keys:
            sequence = QKeySequence(key)
            if sequence.toString().lower() in taken:
                continue  # a schema key that clashes with review's own keys is left off
            taken.add(sequence.toString().lower())
            sequences.append(sequence)
        action.setShortcuts(sequences)
        shown = " or ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in sequences)
        action.setToolTip(f"{text} ({shown})" if shown else text)
        action.triggered.connect(slot)
        self.addAction(action)
        if menu not in self.menus:
            self.menus[menu] = self.menuBar().addMenu(f"&{menu}")
            self.menus[menu].setToolTipsVisible(True)
        self.menus[menu].addAction(action)
        if toolbar:
            self.toolbar.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _build_actions(self) -> None:
        taken: set[str] = set()
        c = self.controller
        self.take_actions = [
            self._action(f"take{k}", f"Take version {k}", (str(k),),
                         lambda _checked=False, k=k: self.take(k - 1), taken, toolbar=True,
                         menu="Review")
            for k in range(1, TAKE_KEYS + 1)
        ]
        take_agreed = self._action("take_agreed", "Take all agreed", ("A",), self.take_agreed,
                                   taken, toolbar=True, menu="Review")
        take_agreed.setToolTip(f"Put every annotation all annotators agree on into gold "
                               f"({take_agreed.shortcut().toString()})")
        self.toolbar.addSeparator()
        self._action("previous", "◀ Previous", ("K",), lambda: self.step_disagreement(-1), taken,
                     toolbar=True, menu="Review")
        self._action("next", "Next ▶", ("J",), lambda: self.step_disagreement(1), taken,
                     toolbar=True, menu="Review")
        self.toolbar.addSeparator()
        undo = self._action("undo", "Undo", ("Ctrl+Z",), self.undo.undo, taken, True)
        redo = self._action("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), self.undo.redo,
                            taken, True)
        self.undo.bind_actions(undo, redo)
        self.toolbar.addSeparator()
        self.restore_menu = QMenu(self)
        self.restore_button = QToolButton()
        self.restore_button.setObjectName("restoreKept")
        self.restore_button.setText("Restore kept version")
        self.restore_button.setAccessibleName("Restore a kept version as the current set")
        self.restore_button.setToolTip(
            "Make a version that a merge kept its annotator's current set again; the set it "
            "replaces is kept in its place (Ctrl+Z undoes)")
        self.restore_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.restore_button.setMenu(self.restore_menu)
        self.restore_button.setEnabled(False)
        self.toolbar.addWidget(self.restore_button)
        self.toolbar.addSeparator()
        self._action("accept", "Accept gold ✓", ("Ctrl+Return", "Ctrl+Enter"), self.accept,
                     taken, toolbar=True, menu="Review")
        self._action("next_document", "Next document", ("Alt+Down", "Ctrl+PgDown"),
                     lambda: self.step_document(1), taken, menu="Review")
        self._action("previous_document", "Previous document", ("Alt+Up", "Ctrl+PgUp"),
                     lambda: self.step_document(-1), taken, menu="Review")
        self._action("refresh", "Refresh queue", ("F5",), self.load_queue, taken, menu="View")
        self._action("dashboard", "Agreement dashboard", ("Ctrl+D",), self.open_dashboard, taken,
                     toolbar=True, menu="View")
        self._action("keys", "Keys", ("F1",), self.show_keys, taken, menu="Help")
        self._action("close", "Close review", ("Ctrl+W",), self.close, taken, menu="Review")
        # Gold is edited with the annotation window's tools and keys.
        self._action("delete", "Delete gold annotation", ("Delete", "Backspace"),
                     c.delete_selected, taken)
        self._action("label", "Label selection…", ("L", "Ctrl+L"), lambda: c.label_popup(), taken)
        self._action("stance", "Stance on sentence or selection…", ("S",),
                     lambda: c.start_stance(), taken)
        self._action("repeat_stance", "Same stance again", (".",), c.repeat_stance, taken)
        self._action("holder", "Stance holder…", ("H",), c.choose_holder, taken)
        schema = self.project.schema
        for target in schema.targets:
            self._action(f"target:{target.name}", f"Target: {target.name}",
                         (target.key,) if target.key else (),
                         lambda _checked=False, name=target.name: c.apply_target(name), taken)
        for polarity in schema.polarities:
            key = schema.polarity_keys.get(polarity, "")
            self._action(f"polarity:{polarity}", f"Polarity: {polarity}", (key,) if key else (),
                         lambda _checked=False, p=polarity: c.apply_polarity(p), taken)

    # ---- the queue --------------------------------------------------------------------------

    def load_queue(self, *, again: bool = False) -> None:
        """Read the queue in a pool thread; the current document stays open meanwhile.
        ``again``: something changed; read it once more after a reading under way."""
        if self._job is not None:
            self._queue_stale |= again
            return
        job = Job(self.project_path,
                  lambda project, progress, cancelled: review_queue(project, progress))
        job.succeeded.connect(self._queue_ready)
        job.failed.connect(self._queue_failed)
        self._job = job
        job.start()

    def _queue_ready(self, entries: list) -> None:
        self._job = None
        current = self.document_id
        self.queue_model.set_entries(entries)
        if not entries:
            self.header.setText("No document has two or more annotators' finished sets yet.")
        else:
            row = self.queue_model.row_of(current) if current is not None else None
            self.queue_view.setCurrentIndex(self.queue_model.index(row or 0))
        self.queue_loaded.emit()
        if self._queue_stale:
            self._queue_stale = False
            self.load_queue()

    def _queue_failed(self, message: str) -> None:
        self._job = None
        self.hint(message)
        self.queue_loaded.emit()

    def _queue_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            doc_id = current.data(DocumentRole)
            if doc_id != self.document_id:
                self.open_document(doc_id)

    def step_document(self, step: int) -> None:
        row = self.queue_view.currentIndex().row() + step
        if 0 <= row < self.queue_model.rowCount():
            self.queue_view.setCurrentIndex(self.queue_model.index(row))

    # ---- one document -----------------------------------------------------------------------

    def open_document(self, doc_id: int) -> None:
        self.undo_stack.clear()
        if self.document_id is not None:
            release_gold(self.project, self.document_id)
        holder = take_gold(self.project, doc_id, self.reviewer)
        self.gold_refusal = None if holder is None else (
            f"{holder} is reviewing this document's gold: you can read it, not change it")
        self.document_id = doc_id
        self.controller.show_document(doc_id)
        self._load_versions()
        self._rebuild_disagreements(None)
        self._update_header()
        if self.gold_refusal is not None:
            self.hint(self.gold_refusal)
        elif self.project.set_id(doc_id, GOLD) is None:
            # Gold starts with what everyone agrees on, as an edit the reviewer can undo.
            self.take_agreed(quiet=True)
        first = next((i for i, c in enumerate(self.clusters) if not c.agreed), None)
        if first is not None:
            self.select_cluster(first)
        self.document_shown.emit(doc_id)

    def _load_versions(self) -> None:
        """The document's versions: annotators' done sets, then the versions a merge kept."""
        assert self.document_id is not None
        self.kept = kept_versions(self.project, self.document_id)
        self.clusters = document_clusters(self.project, self.document_id, with_kept=True)
        self.annotators = sorted({n for c in self.clusters for n in c.versions},
                                 key=lambda n: (n.startswith(KEPT_PREFIX), n))
        offsets = self.controller.offsets
        self.article.set_disputes(
            [(c.layer, *offsets.span_to_qt(c.start, c.end)) for c in self.clusters
             if not c.agreed])
        for k, action in enumerate(self.take_actions):
            has = k < len(self.annotators)
            action.setVisible(has)
            action.setEnabled(has)
            if has:
                label = version_label(self.annotators[k], self.kept)
                action.setText(f"{k + 1} {label}")
                action.setToolTip(f"Take {label}'s version of the current disagreement into "
                                  f"gold ({k + 1})")
        self.restore_menu.clear()
        for kept in self.kept:
            action = self.restore_menu.addAction(
                f"{version_label(kept_name(kept), self.kept)}: {kept.content.status}, "
                f"{len(kept.content.entities)} entities, {len(kept.content.stances)} stances "
                f"— from {kept.source}")
            action.triggered.connect(lambda _checked=False, k=kept.id: self.restore(k))
        self.restore_button.setEnabled(bool(self.kept))

    def _gold_versions(self) -> list[tuple]:
        assert self.document_id is not None
        by_layer = {layer: [item for _id, item in gold_items(self.project, self.document_id,
                                                             layer)]
                    for layer in ("entity", "stance")}
        return [tuple(sorted((i for i in by_layer[c.layer] if c.holds(i)), key=item_key))
                for c in self.clusters]

    def _rebuild_disagreements(self, keep: int | None) -> None:
        text = self.controller.text
        self.disagreement_model.rebuild(
            self.clusters, self.annotators, text, self._gold_versions(),
            [version_label(n, self.kept) for n in self.annotators])
        for branch in range(self.disagreement_model.rowCount()):
            self.tree.setFirstColumnSpanned(branch, QModelIndex(), True)
        self.tree.expand(self.disagreement_model.index(0, 0))
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column in range(self.disagreement_model.columnCount()):
            self.tree.resizeColumnToContents(column)
            widest = 130 if column == 0 else 240 if column == 1 else 150
            header.resizeSection(column, min(header.sectionSize(column), widest))
        if keep is not None:
            self.select_cluster(keep, scroll=False)

    def _update_header(self) -> None:
        if self.document_id is None:
            return
        document = self.controller.document
        status = self.project.annotation_set(self.document_id, GOLD).status
        disputed = sum(not c.agreed for c in self.clusters)
        people = [n for n in self.annotators if not n.startswith(KEPT_PREFIX)]
        kept = f"  —  {len(self.kept)} kept version{'s' * (len(self.kept) != 1)}" \
            if self.kept else ""
        held = f"  —  {self.gold_refusal}" if self.gold_refusal else ""
        self.header.setText(
            f"{document.title or f'Document {document.id}'}  —  {len(people)} "
            f"annotators: {', '.join(people)}{kept}  —  {disputed} disagreements, "
            f"{len(self.clusters) - disputed} agreements  —  gold: {status.replace('_', ' ')}{held}"
        )

    def _cluster_rows(self) -> list[QModelIndex]:
        rows = []
        for branch in range(self.disagreement_model.rowCount()):
            parent = self.disagreement_model.index(branch, 0)
            rows += [self.disagreement_model.index(r, 0, parent)
                     for r in range(self.disagreement_model.rowCount(parent))]
        return rows

    def current_cluster(self) -> int | None:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None
        number = index.siblingAtColumn(0).data(ClusterRole)
        return number if isinstance(number, int) else None

    def select_cluster(self, number: int, *, scroll: bool = True) -> None:
        for index in self._cluster_rows():
            if index.data(ClusterRole) == number:
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
                if scroll:
                    cluster = self.clusters[number]
                    self.article.show_span(
                        *self.controller.offsets.span_to_qt(cluster.start, cluster.end))
                return

    def _tree_clicked(self, index: QModelIndex) -> None:
        number = index.siblingAtColumn(0).data(ClusterRole)
        if isinstance(number, int):
            self.select_cluster(number)

    def step_disagreement(self, step: int) -> None:
        """J / K: the next (previous) disagreement in text order, wrapping around."""
        disputed = [i for i, c in enumerate(self.clusters) if not c.agreed]
        if not disputed:
            self.hint("No disagreements in this document")
            return
        current = self.current_cluster()
        if current not in disputed:
            self.select_cluster(disputed[0 if step > 0 else -1])
            return
        position = disputed.index(current)
        self.select_cluster(disputed[(position + step) % len(disputed)])

    # ---- deciding ---------------------------------------------------------------------------

    def take(self, k: int) -> None:
        """Take annotator number ``k + 1``'s version of the current disagreement into gold."""
        number = self.current_cluster()
        if self.document_id is None or number is None:
            self.hint("Choose a disagreement first (J / K or a click)")
            return
        if k >= len(self.annotators):
            self.hint(f"There is no annotator number {k + 1} on this document")
            return
        cluster = self.clusters[number]
        edit = TakeVersion(self.document_id, cluster, self.annotators[k])
        if self.undo.push(edit):
            self._advance_from(number)

    def _advance_from(self, number: int) -> None:
        """After a decision, go on to the next disagreement in text order."""
        later = [i for i, c in enumerate(self.clusters) if not c.agreed and i > number]
        if later:
            self.select_cluster(later[0])
            return
        self.select_cluster(number, scroll=False)
        self.hint("That was the last disagreement; Ctrl+Enter accepts the gold set")

    def restore(self, kept_id: int) -> None:
        """Make a kept version its annotator's current set again (undoable)."""
        if self.document_id is not None:
            self.undo.push(RestoreKeptVersion(self.document_id, kept_id, self.reviewer))

    def take_agreed(self, *, quiet: bool = False) -> None:
        """A: every annotation all annotators agree on into gold, as one undoable step."""
        if self.document_id is None:
            return
        missing = agreed_missing(self.project, self.document_id, self.clusters)
        if not missing:
            if not quiet:
                self.hint("Gold already holds every annotation the annotators agree on")
            return
        if self.undo.push(TakeAgreed(self.document_id, missing, self.reviewer)) and not quiet:
            self.hint(f"Took {len(missing)} agreed annotation group"
                      f"{'s' * (len(missing) != 1)} into gold (Ctrl+Z undoes)")

    def accept(self) -> None:
        if self.document_id is None:
            return
        if self.undo.push(accept(self.document_id, self.reviewer)):
            self.step_to_open_document()

    def step_to_open_document(self) -> None:
        row = self.queue_view.currentIndex().row()
        entries = self.queue_model.entries
        for offset in range(1, len(entries) + 1):
            candidate = (row + offset) % len(entries)
            if entries[candidate].gold_status != "done":
                self.queue_view.setCurrentIndex(self.queue_model.index(candidate))
                return
        self.hint("Every document in the queue has an accepted gold set")

    def _stored(self, edit: Edit) -> None:
        """After each edit, undo or redo: redraw gold, decisions and the queue's gold status."""
        if edit.document_id != self.document_id:
            return
        keep = self.current_cluster()
        if isinstance(edit, RestoreKeptVersion):
            self._load_versions()  # the versions themselves changed places
            keep = None
        self.controller.refresh()
        self._rebuild_disagreements(keep)
        self._update_header()
        status = self.project.annotation_set(edit.document_id, GOLD).status
        self.queue_model.update_status(edit.document_id, status)

    # ---- the rest ---------------------------------------------------------------------------

    def hint(self, message: str) -> None:
        self.statusBar().showMessage(message, 8000)

    def show_keys(self) -> None:
        from gui.ui.actions import keys_table
        from gui.ui.dialogs import KeysDialog

        KeysDialog(keys_table(self.actions_by_name), self).open()

    def open_dashboard(self) -> None:
        from gui.ui.review import open_dashboard

        open_dashboard(self, self.project_path).show()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._job is not None:
            self._job.cancel()
        if self.live is not None:
            self.live.close()
        if self.document_id is not None:  # at once: the session's end frees it a moment later
            with contextlib.suppress(MarginaliaError, sqlite3.Error):
                release_gold(self.project, self.document_id)
        self.project.close()
        super().closeEvent(event)
