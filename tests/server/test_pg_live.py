"""Live changes: a listener hears what other clients commit, and only when they commit."""

from __future__ import annotations

import select

import pytest

from gui.core.backend import ServerAddress
from gui.core.edits import AddEntity, SetStatus
from gui.core.live import Change, ChangeListener, ConnectionLost
from gui.core.store import Project

TEXT = "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."


def heard(listener: ChangeListener, timeout_s: float = 5.0) -> list[Change]:
    """Wait for the listener's socket as the window's event loop does, then read until a
    change of ours came (a read may find only part of what was sent)."""
    changes: list[Change] = []
    while not changes:
        readable, _, _ = select.select([listener.fileno()], [], [], timeout_s)
        if not readable:
            break
        changes += listener.read()
    return changes


def test_a_listener_hears_each_committed_edit_and_nothing_rolled_back(pg_project: str) -> None:
    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])
    listener = ChangeListener(ServerAddress(pg_project))
    try:
        with Project.open(pg_project) as ben:
            AddEntity(doc, "ben", 0, 13, "PERSON").apply(ben)
            assert Change("set", doc, "ben", "todo", "marginalia_test") in heard(listener)
            with pytest.raises(RuntimeError), ben.transaction():
                SetStatus(doc, "ben", "done").apply(ben)
                raise RuntimeError("changed their mind")
            ben.conn.execute("NOTIFY marginalia_changes, 'not ours'")  # a script's: ignored
            SetStatus(doc, "ben", "flagged", "unsure").apply(ben)
            statuses = [c.status for c in heard(listener)]
        assert statuses == ["flagged"]
    finally:
        listener.close()


def test_a_stopped_server_is_heard_at_once(pg_server, pg_project: str) -> None:
    listener = ChangeListener(ServerAddress(pg_project))
    pid = listener._conn.info.backend_pid
    pg_server.execute(f"SELECT pg_terminate_backend({pid})")
    with pytest.raises(ConnectionLost, match="lost the server"):  # its goodbye, then the end
        for _ in range(3):
            heard(listener)
    listener.close()
