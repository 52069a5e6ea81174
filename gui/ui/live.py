"""A window's ear on the server: change notices read as they arrive, on the GUI thread's own
event loop (a QSocketNotifier on the listening connection's socket; gui/core/live.py), never
by polling. Notices arriving together are gathered for 150 ms and handed on as one batch, so a
burst of edits (an import, a merge) refreshes a view once, well within a second."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QLabel

from gui.core.backend import ServerAddress
from gui.core.edits import Edit
from gui.core.errors import server_gone
from gui.core.gold_lock import take_gold
from gui.core.live import (
    Change,
    ChangeListener,
    ConnectionLost,
    done_by_annotator,
    server_reachable,
)

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow
    from gui.ui.review.dashboard import DashboardWindow
    from gui.ui.review.window import ReviewWindow
    from gui.ui.undo import UndoAdapter

GATHER_MS = 150
NOT_CONNECTED = "Not connected to the server: edits are not being saved"
PROBE_EVERY_MS = 1000


class LiveUpdates(QObject):
    """Emits ``changed`` with the notices of other clients' commits, ``lost`` once when the
    server goes away."""

    changed = Signal(object)  # list[Change]
    lost = Signal(str)

    def __init__(self, listener: ChangeListener, parent: QObject | None = None):
        super().__init__(parent)
        self.listener = listener
        self._pending: list[Change] = []
        self._gather = QTimer(self)
        self._gather.setSingleShot(True)
        self._gather.setInterval(GATHER_MS)
        self._gather.timeout.connect(self._hand_on)
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)

    def _read(self) -> None:
        try:
            self._pending += self.listener.read()
        except ConnectionLost as exc:
            self._notifier.setEnabled(False)
            self.lost.emit(str(exc))
            return
        if self._pending and not self._gather.isActive():
            self._gather.start()

    def _hand_on(self) -> None:
        changes, self._pending = self._pending, []
        self.changed.emit(changes)

    def follow(self, read: Callable[[list[Change]], None]) -> None:
        """Call ``read`` with each batch of changes. A server that stops while ``read`` asks
        it something (the notices were on their way when it went) is the loss ``lost`` says,
        as when the listener notices first: the window carries on and waits for the server,
        instead of an error escaping a slot."""

        def guarded(changes: list[Change]) -> None:
            try:
                read(changes)
            except Exception as exc:
                if not server_gone(exc):
                    raise
                self.lost.emit(str(exc))

        self.changed.connect(guarded)

    def close(self) -> None:
        self._notifier.setEnabled(False)
        self._gather.stop()
        self.listener.close()

    def resume(self) -> bool:
        """Listen again on a new connection (the server is back); False if it is not."""
        try:
            listener = ChangeListener(self.listener.address)
        except ConnectionLost:
            return False
        self.close()
        self.listener = listener
        self._notifier = QSocketNotifier(listener.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._read)
        return True


class _Answer(QObject):
    """Carries one probe's answer from the pool thread. The thread's closure owns it, not the
    window: a window closed while its probe is still connecting takes the probe and the
    connection to it away, and the answer then goes nowhere instead of failing in the thread."""

    given = Signal(bool)


class ServerProbe(QObject):
    """Asks, off the GUI thread, whether the server takes connections again: once a second
    while the window waits for it, so a window whose server is gone never freezes on a
    connection attempt, and the waiting edits go as soon as it is back."""

    reachable = Signal()

    def __init__(self, address: ServerAddress, parent: QObject | None = None):
        super().__init__(parent)
        self.address = address
        self._again = QTimer(self)
        self._again.setSingleShot(True)
        self._again.setInterval(PROBE_EVERY_MS)
        self._again.timeout.connect(self._probe)
        self._busy = False

    def start(self) -> None:
        if not self._busy and not self._again.isActive():
            self._probe()

    def stop(self) -> None:
        self._again.stop()

    def _probe(self) -> None:
        self._busy = True
        answer, address = _Answer(), self.address
        answer.given.connect(self._answered, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(lambda: answer.given.emit(server_reachable(address)))

    def _answered(self, up: bool) -> None:
        self._busy = False
        if up:
            self.reachable.emit()
        else:
            self._again.start()


def listen(location: Path | ServerAddress, parent: QObject) -> LiveUpdates | None:
    """Live updates for a project on a server; None for a file, or when the server will not
    take a second connection (the window then works as before, without them)."""
    if not isinstance(location, ServerAddress):
        return None
    try:
        return LiveUpdates(ChangeListener(location), parent)
    except ConnectionLost:
        return None


def keep_edits_through_outages(
    live: LiveUpdates,
    undo: UndoAdapter,
    show_waiting: Callable[[str, str], None],
    lost: Callable[[str], None],
    before_retry: Callable[[], bool] | None = None,
) -> ServerProbe:
    """A window's edits through a server's absence: say at once that it is gone, show the
    edits waiting (a line and their list), and when the probe finds the server back, listen
    again and send them in order (``before_retry`` may veto that, having said why)."""
    probe = ServerProbe(live.listener.address, live)
    said = [False]  # the loss is said once, whether the listener or an edit noticed it

    def gone(message: str) -> None:
        undo.server_away = True
        if not said[0]:
            said[0] = True
            lost(message)
        probe.start()

    def back() -> None:
        live.resume()
        if before_retry is not None and not before_retry():
            return
        if undo.retry():
            said[0] = False
            show_waiting("Connected to the server again", "")
        else:
            probe.start()

    def waiting(edits: list[Edit]) -> None:
        if edits:
            count = f"{len(edits)} edit{'s' * (len(edits) != 1)}"
            show_waiting(f"⚠ {count} not saved yet: waiting for the server",
                         "\n".join(e.description for e in edits))
            probe.start()
        elif undo.server_away:  # the last waiting edit was taken back (undone)
            show_waiting(NOT_CONNECTED, "")

    live.lost.connect(gone)
    undo.server_lost.connect(gone)
    probe.reachable.connect(back)
    undo.waiting_changed.connect(waiting)
    return probe


def follow_in_main_window(window: MainWindow) -> LiveUpdates | None:
    """What the annotator's window shows live: the team's progress in the status bar, and
    their own documents' statuses when changed in another window; the list is re-read (the
    current document staying selected and open) only when documents or assignments change."""
    live = listen(window.project_path, window)
    if live is None:
        return None
    team = QLabel()
    team.setObjectName("teamProgress")
    team.setTextFormat(Qt.TextFormat.PlainText)
    window.statusBar().addPermanentWidget(team)
    window.team_label = team

    def show_team() -> None:
        others = {name: done for name, done in done_by_annotator(window.project).items()
                  if name != window.annotator}
        team.setText("Team: " + " · ".join(f"{n} {d} done" for n, d in others.items())
                     if others else "")

    def changed(changes: list[Change]) -> None:
        own_status = False
        if any(c.kind in ("documents", "assignments") for c in changes):
            window.documents.reload()  # the current document stays open and selected
            own_status = True
        for change in changes:
            if (change.kind == "set" and change.annotator == window.annotator
                    and change.document_id is not None and change.status is not None):
                own_status |= window.documents.set_status(change.document_id, change.status)
        if own_status:
            window.doc_panel.update_progress()
        show_team()

    def show_waiting(text: str, listed: str) -> None:
        window.saved_label.setText(text)
        window.saved_label.setToolTip(listed)

    live.follow(changed)
    keep_edits_through_outages(live, window.undo, show_waiting, window.connection_lost)
    show_team()
    return live


def follow_in_review(window: ReviewWindow) -> LiveUpdates | None:
    """The reviewer's queue, re-read when an annotator's set changes (the current document and
    disagreement stay selected: ``load_queue`` keeps them)."""
    live = listen(window.project_path, window)
    if live is None:
        return None

    def show_waiting(text: str, listed: str) -> None:
        window.statusBar().showMessage(f"{text}: {listed}" if listed else text)

    def gold_still_ours() -> bool:
        """The gold lock went with the old session: take it again before sending anything,
        and drop the waiting edits if another reviewer took it meanwhile."""
        if window.document_id is None:
            return True
        holder = take_gold(window.project, window.document_id, window.reviewer)
        if holder is None:
            return True
        dropped = window.undo.drop_waiting()
        window.gold_refusal = (f"{holder} is reviewing this document's gold: you can read it, "
                               "not change it")
        window.hint(f"{holder} took this document's gold while the server was away: "
                    f"{len(dropped)} edit{'s' * (len(dropped) != 1)} not saved")
        return False

    live.follow(lambda changes: window.load_queue(again=True))
    keep_edits_through_outages(live, window.undo, show_waiting, window.hint, gold_still_ours)
    return live


def follow_in_dashboard(window: DashboardWindow) -> LiveUpdates | None:
    """The dashboard's progress and who-is-behind sections, counted again on every change;
    the agreement figures (seconds of work, with their intervals) wait for F5."""
    live = listen(window.project_path, window)
    if live is not None:
        live.follow(lambda changes: window.refresh_progress())
        live.lost.connect(window.statusBar().showMessage)
    return live
