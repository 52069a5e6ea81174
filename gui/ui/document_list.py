"""The document list: a lazily fetched model over the project's documents, and its panel.

Rows are fetched a page at a time (``canFetchMore``/``fetchMore``), so a project of 100,000
documents lists as fast as one of ten; the filter runs in SQLite, not in Python, on a
full-text index. Whether there is more to fetch is known from the last page being full, so a
filter shows its first page at once; how many documents it lists in all (a count over every
match, up to ~80 ms for a word in every one of 100,000 documents) is counted in a worker
thread and shown when it is known.

"My queue" order lists the annotator's queue first (documents assigned to them and not done),
then every other document, those not assigned to them dimmed. One flat list, not two
sections: next, previous and accept-and-next walk from the queue straight on into the rest,
and every row stays a document. A document finished stays where it is until the list is read
again, so rows never jump under the reader. Both parts are paged like the plain list.

"Most to gain first" lists the documents the stance model in use is least sure about first:
a trained version's scores, or before one is in use, the starter classifier's, recorded as it
pre-fills (gui/nlp/starter.py ``gain_key``); the box's tooltip names which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QTimer,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from gui.core import queue_order
from gui.core.store import Project
from gui.ui import qt_ints
from gui.ui.empty_list import EmptyListNote
from gui.ui.icons import STATUS_LABELS, status_icon

if TYPE_CHECKING:
    from gui.ui.workers import Job

PAGE = 200
_COUNTING: set[Job] = set()  # running counts, kept alive until they report (even if their
# list is gone by then: a Job deleted under its thread could not emit)
DocIdRole = qt_ints.USER_ROLE + 1
StatusRole = qt_ints.USER_ROLE + 2
AssignedRole = qt_ints.USER_ROLE + 3  # True: assigned to this annotator (queue order)
ORDERS = {"id": "Document order", "queue": "My queue", "gain": "Most to gain first"}
Index = QModelIndex | QPersistentModelIndex


class DocumentListModel(QAbstractListModel):
    """(id, title, status, length) rows for one annotator, filtered by text and status."""

    total_known = Signal()  # the number of listed documents, counted off the GUI thread

    def __init__(self, project: Project, annotator: str, parent: Any = None, *,
                 count_now: bool = True):
        """``count_now=False`` leaves the project's documents uncounted until
        ``count_documents()``: a staged window (main_window.py) counts them after its first
        paint, as ``SELECT count(*)`` over 100,000 documents reads a whole index (~5.5 ms of
        the start-up's CPU); the progress line says "counting…" until then."""
        super().__init__(parent)
        self.project = project
        self.annotator = annotator
        self.text = ""
        self.statuses: list[str] | None = None
        self.order = "queue" if queue_order.has_assignments(project, annotator) else "id"
        self._has_queue = False
        self._starter_scores: str | None = None  # the starter's key, in "gain" order
        self._queued = 0  # rows of the queue part fetched (queue order)
        self._queue_ended = False
        self._rows: list[list[Any]] = []
        self._row_of: dict[int, int] = {}
        self._total: int | None = 0  # None while a worker counts
        self._more = False  # the last page fetched was full: there may be more
        self._documents: int | None = None  # None until counted
        self._generation = 0  # a count that comes back for an older filter is dropped
        self.reload(recount=count_now)

    # ---- filtering ------------------------------------------------------------------------

    def set_filter(self, text: str, statuses: list[str] | None) -> None:
        self.text = text
        self.statuses = statuses
        self.reload(recount=False)

    def set_annotator(self, annotator: str) -> None:
        self.annotator = annotator
        self.reload(recount=False)

    def set_order(self, order: str) -> None:
        """``id`` (document order), ``queue`` (the annotator's queue first) or ``gain`` (most
        to gain first: the stance model's uncertainty)."""
        self.order = order
        self.reload(recount=False)

    def has_gain_scores(self) -> bool:
        """In "most to gain first" order, whether the model it follows has scored a document
        (else the list is in document order): the key read with the list, not asked again."""
        return self.project.has_gain_scores(self._starter_scores)

    def reload(self, *, recount: bool = True) -> None:
        """Read the list again; ``recount`` after an import or a merge added documents
        (counting 100,000 documents reads a whole index, ~8 ms, so a filter change does not)."""
        self.beginResetModel()
        if recount:
            self._documents = self.project.count_documents()
        self._generation += 1
        self._rows = []
        self._row_of = {}
        self._queued, self._queue_ended = 0, False
        self._has_queue = self.order == "queue" and queue_order.has_assignments(
            self.project, self.annotator)
        self._starter_scores = _starter_key(self.project) if self.order == "gain" else None
        self._more = len(self._append(PAGE)) == PAGE
        if not self._more:
            self._total = len(self._rows)
        elif self._unfiltered():
            self._total = self._documents  # None until count_documents()
        else:
            self._total = None
        self.endResetModel()
        if self._total is None and not (self._documents is None and self._unfiltered()):
            self._count_in_background()

    @property
    def counted(self) -> bool:
        """Whether the project's documents are counted (see ``count_now``)."""
        return self._documents is not None

    def _unfiltered(self) -> bool:
        return not self.text and self.statuses is None

    def count_documents(self) -> None:
        """Count the project's documents (``count_now=False`` left them uncounted) and say so
        with ``total_known``."""
        self._documents = self.project.count_documents()
        if self._total is None and self._unfiltered():
            self._total = self._documents
        self.total_known.emit()

    def _count_in_background(self) -> None:
        # Imported here: only a filter needs a worker, and the worker's module (a QObject
        # class with signals, the thread pool, a progress dialog) cost start-up ~0.7 ms.
        from gui.ui.workers import Job

        generation = self._generation
        annotator, statuses, text = self.annotator, self.statuses, self.text

        def count(project: Project, **_: object) -> int:
            return project.count_listed(annotator, statuses=statuses, text=text)

        job = Job(self.project.path, count)
        _COUNTING.add(job)

        def counted(total: int) -> None:
            _COUNTING.discard(job)
            if generation == self._generation and self._total is None:
                self._total = total
                self.total_known.emit()

        job.succeeded.connect(counted)
        job.failed.connect(lambda _message: _COUNTING.discard(job))
        job.start()

    def _page(self, count: int) -> list[Any]:
        """The next ``count`` rows after those fetched: in queue order, the queue's until it
        ends, then the rest's."""
        if self.order != "queue":
            return self.project.list_documents(
                self.annotator, statuses=self.statuses, text=self.text,
                offset=len(self._rows), limit=count, order=self.order,
                starter=self._starter_scores)
        rows: list[Any] = []
        if not self._queue_ended:
            rows = queue_order.list_part(self.project, self.annotator, True,
                                        statuses=self.statuses, text=self.text,
                                        offset=self._queued, limit=count)
            self._queued += len(rows)
            self._queue_ended = len(rows) < count
        if len(rows) < count:
            rows += queue_order.list_part(self.project, self.annotator, False,
                                         statuses=self.statuses, text=self.text,
                                         offset=len(self._rows) + len(rows) - self._queued,
                                         limit=count - len(rows))
        return rows

    def _append(self, count: int) -> list[list[Any]]:
        rows = self._page(count)
        for row in rows:
            self._row_of[row[0]] = len(self._rows)
            self._rows.append(list(row))
        return rows

    # ---- lazy fetching --------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        first = len(self._rows)
        rows = self._page(PAGE)
        self._more = len(rows) == PAGE
        if rows:
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            for row in rows:
                self._row_of[row[0]] = len(self._rows)
                self._rows.append(list(row))
            self.endInsertRows()
        if not self._more and self._total is None:
            self._total = len(self._rows)
            self.total_known.emit()

    # ---- model ----------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = qt_ints.DISPLAY_ROLE) -> Any:
        # Roles as the ints Qt passes: the first paint calls this (qt_ints.py).
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        doc_id, title, status, length = self._rows[index.row()][:4]
        assigned = self._assigned(index.row())
        if role == qt_ints.DISPLAY_ROLE:
            return title or f"Document {doc_id}"
        if role == qt_ints.DECORATION_ROLE:
            return status_icon(status)
        if role == qt_ints.FOREGROUND_ROLE and assigned is False:
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == qt_ints.TOOLTIP_ROLE:
            return f"{title or f'Document {doc_id}'}\n{STATUS_LABELS.get(status, status)}" \
                f" · {length:,} characters" + _ASSIGNED_NOTE.get(assigned, "")
        if role == qt_ints.ACCESSIBLE_DESCRIPTION_ROLE:
            return STATUS_LABELS.get(status, status) + _ASSIGNED_NOTE.get(assigned, "")
        if role == AssignedRole:
            return assigned
        if role == DocIdRole:
            return doc_id
        if role == StatusRole:
            return status
        return None

    def _assigned(self, row: int) -> bool | None:
        """Whether the row's document is assigned to this annotator; None in document order,
        or when nothing is assigned to them (nothing is dimmed then)."""
        values = self._rows[row]
        return bool(values[4]) if len(values) > 4 and self._has_queue else None

    # ---- lookups used by the window -------------------------------------------------------

    @property
    def total(self) -> int:
        """How many documents are listed, counted here if the worker has not said yet."""
        if self._total is None:
            self._total = self.project.count_listed(
                self.annotator, statuses=self.statuses, text=self.text)
        return self._total

    @property
    def known_total(self) -> int | None:
        """How many documents are listed, or None while that is being counted."""
        return self._total

    def row_of(self, doc_id: int) -> int | None:
        return self._row_of.get(doc_id)

    def doc_id_at(self, row: int) -> int | None:
        if 0 <= row < len(self._rows):
            return self._rows[row][0]
        return None

    def ensure_row(self, row: int) -> bool:
        """Fetch pages until ``row`` is loaded; False when the list is shorter."""
        while row >= len(self._rows) and self.canFetchMore():
            self.fetchMore()
        return row < len(self._rows)

    def next_not_done(self, row: int) -> int | None:
        """The first row after ``row`` whose document this annotator has not done, wrapping
        round to the top as a queue does (a document left behind comes up again); None when
        every listed document is done. Fetches pages as it goes, so it may read the list."""
        here = row + 1
        while self.ensure_row(here):
            if self._rows[here][2] != "done":
                return here
            here += 1
        return next((r for r in range(min(row, len(self._rows)))
                     if self._rows[r][2] != "done"), None)

    def set_status(self, doc_id: int, status: str) -> bool:
        """Show a document's new status; True when it changed (progress needs updating)."""
        row = self._row_of.get(doc_id)
        if row is None:
            return True
        if self._rows[row][2] == status:
            return False
        self._rows[row][2] = status
        index = self.index(row, 0)
        self.dataChanged.emit(index, index, [QtCore.Qt.ItemDataRole.DecorationRole, StatusRole,
                                             QtCore.Qt.ItemDataRole.ToolTipRole])
        return True

    def progress(self) -> tuple[int, int] | None:
        """(done, documents) for this annotator; None while the documents are not counted."""
        if self._documents is None:
            return None
        done = self.project.count_listed(self.annotator, statuses=["done"])
        return done, self._documents


_ASSIGNED_NOTE = {True: " · assigned to you", False: " · not assigned to you"}


class DocumentPanel(QWidget):
    """Filter box, status filter, the list and this annotator's progress."""

    document_chosen = Signal(int)
    hint = Signal(str)  # a line for the window's status bar

    def __init__(self, model: DocumentListModel, parent: QWidget | None = None):
        super().__init__(parent)
        self.model = model
        self.filter_box = QLineEdit(self)
        self.filter_box.setObjectName("documentFilter")
        self.filter_box.setPlaceholderText("Filter by words…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Filter documents by words")
        self.status_box = QComboBox(self)
        self.status_box.setObjectName("statusFilter")
        self.status_box.setAccessibleName("Filter documents by status")
        self.status_box.addItem("All", None)
        for status, label in STATUS_LABELS.items():
            self.status_box.addItem(status_icon(status), label, status)
        self.order_box = QComboBox(self)
        self.order_box.setObjectName("orderBox")
        self.order_box.setAccessibleName("Order of the documents")
        self.order_box.installEventFilter(self)  # its tooltip, written when asked for
        for order, label in ORDERS.items():
            self.order_box.addItem(label, order)
        self.order_box.setCurrentIndex(self.order_box.findData(model.order))
        self.view = QListView(self)
        self.view.setObjectName("documentList")
        self.view.setAccessibleName("Documents")
        self.view.setUniformItemSizes(True)
        self.view.setModel(model)
        # Titles elided on the right (a list view's default) and no horizontal scroll bar,
        # set as a property: the first paint does without the Qt namespace (qt_ints.py).
        self.view.setProperty("horizontalScrollBarPolicy", qt_ints.SCROLL_BAR_ALWAYS_OFF)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setMaximumHeight(6)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("progressLabel")
        self.progress_label.setProperty("textFormat", qt_ints.PLAIN_TEXT)

        for box in (self.status_box, self.order_box):
            # Side by side they must still fit the list's narrowest width (window_fit.py):
            # sized to their longest entry they made the list 255 px wide at 1280x720.
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(6)
        filters = QHBoxLayout()  # under the word filter: three boxes in a row left it no room
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.status_box, 1)
        filters.addWidget(self.order_box, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.filter_box)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress_bar)

        self._quiet = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(250)
        self._debounce.timeout.connect(self.apply_filter)
        self.filter_box.textChanged.connect(self._debounce.start)
        self.filter_box.returnPressed.connect(self.apply_filter)
        self.status_box.currentIndexChanged.connect(self.apply_filter)
        self.order_box.currentIndexChanged.connect(self._order_changed)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.empty_note = EmptyListNote(self.view)
        self.model.modelReset.connect(self._update_empty_note)
        self.model.modelReset.connect(self.update_progress)
        self.model.total_known.connect(self.update_progress)
        self._update_empty_note()
        self.update_progress()

    def _update_empty_note(self) -> None:
        self.empty_note.update(self.model.text, (self.model.statuses or [None])[0])

    def _order_changed(self) -> None:
        order = self.order_box.currentData()
        self.model.set_order(order)
        if order == "gain" and not self.model.has_gain_scores():
            # else the list stays as it was, and the choice looks broken
            self.hint.emit(
                "The starter classifier has not scored these documents yet, so they stay in "
                "document order: Tools ▸ Pre-fill suggestions… scores them"
                if _scored_by_starter(self.model.project) else
                "No trained model has scored the documents yet, so they stay in "
                "document order: Tools ▸ Train… scores them")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The order box's tooltip is written as the mouse asks for it: it names the model
        whose doubt "most to gain first" follows, which a switch or a setting changes while
        the window is open, and telling which reads the schema, which the first paint does
        without."""
        if watched is self.order_box and event.type() == QEvent.Type.ToolTip:
            self.order_box.setToolTip(_order_tip(self.model.project))
        return super().eventFilter(watched, event)

    def apply_filter(self) -> None:
        self._debounce.stop()
        status = self.status_box.currentData()
        self.model.set_filter(self.filter_box.text().strip(), [status] if status else None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        doc_id = current.data(DocIdRole) if current.isValid() else None
        if doc_id is not None and not self._quiet:
            self.document_chosen.emit(int(doc_id))

    def select_document(self, doc_id: int) -> bool:
        """Make ``doc_id`` the current row without announcing it again; False if not listed."""
        row = self.model.row_of(doc_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self._quiet = True
        try:
            self.view.setCurrentIndex(index)
        finally:
            self._quiet = False
        self.view.scrollTo(index)
        return True

    def prefer_queue(self) -> None:
        """Show the queue first once this annotator has one (after an assignment)."""
        if self.model.order != "queue" and queue_order.has_assignments(self.model.project,
                                                                      self.model.annotator):
            self.order_box.setCurrentIndex(self.order_box.findData("queue"))

    def current_row(self) -> int:
        return self.view.currentIndex().row()

    def update_progress(self) -> None:
        progress = self.model.progress()
        if progress is None:  # a staged window's first paint (DocumentListModel)
            self.progress_label.setText("counting…")
            return
        done, total = progress
        self.progress_bar.setMaximum(max(total, 1))
        self.progress_bar.setValue(done)
        listed = self.model.known_total
        shown = "counting… · " if listed is None else \
            f"{listed:,} listed · " if listed != total else ""
        self.progress_label.setText(f"{shown}{done:,} / {total:,} done")


# starter.py is imported where it is first asked for, never on the first paint's path: it
# brings hashlib's OpenSSL and importlib.resources, ~20 ms that paint does without otherwise
# (python -X importtime); the window imports it anyway once complete (trained_status.py).


def _starter_key(project: Project) -> str | None:
    """The key of the starter's scores the list reads where no trained version is in use."""
    from gui.nlp import starter

    return starter.gain_key(project)


def _scored_by_starter(project: Project) -> bool:
    """Whether "most to gain first" reads the starter classifier's scores: no trained version
    is in use and pre-fill asks the starter (starter.py)."""
    from gui.nlp import starter

    return not project.setting("trained_model") and starter.expected(project)


def _order_tip(project: Project) -> str:
    """The order box's tooltip, naming the model whose doubt "most to gain first" follows."""
    gain = ("the starter classifier is least sure about (scored as it pre-fills, until a "
            "trained version is in use)" if _scored_by_starter(project) else
            "the trained model is least sure about (scored after Tools ▸ Train…)")
    return ("My queue: the documents assigned to you and not done first, then the others, "
            f"dimmed.\nMost to gain first: the documents {gain}, then the rest in order")
