"""The probe that asks whether a lost server is back runs its connection attempt in a pool
thread; a window closed meanwhile must not make that thread's answer fail."""

from __future__ import annotations

import threading

import shiboken6
from PySide6.QtCore import QCoreApplication, QThreadPool

from gui.core.backend import ServerAddress
from gui.ui import live


def test_a_window_closed_while_its_probe_connects_leaves_no_error(qtbot, monkeypatch) -> None:
    connecting = threading.Event()
    answer_now = threading.Event()

    def slow_server(_address: ServerAddress) -> bool:
        connecting.set()
        answer_now.wait(10)
        return False

    monkeypatch.setattr(live, "server_reachable", slow_server)
    probe = live.ServerProbe(ServerAddress("postgresql://nobody@localhost/none"))
    with qtbot.captureExceptions() as raised:
        probe.start()
        assert connecting.wait(10)
        shiboken6.delete(probe)  # the window, and its probe with it, closed
        answer_now.set()
        assert QThreadPool.globalInstance().waitForDone(10_000)
        QCoreApplication.processEvents()  # a queued answer, if any, arrives
    assert raised == []
