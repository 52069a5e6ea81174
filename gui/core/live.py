"""Live changes on a server: what other clients committed, told by PostgreSQL as it happens.

The server's triggers (gui/core/pg_schema.py, ``_change_notices``) send a ``NOTIFY`` on one
channel whenever a transaction that changed an annotation set, the assignments, the documents
or the kept versions commits. A window keeps a second connection that only ``LISTEN``s: its
socket becomes readable when a notice arrives, so the window's event loop watches that socket
(gui/ui/live.py) and reads the notices without ever waiting for one, and without polling.

A file has no such thing: one person writes it at a time, and their window already knows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from gui.core.backend import ServerAddress
from gui.core.errors import ProjectError

CHANNEL = "marginalia_changes"


@dataclass(frozen=True)
class Change:
    """One committed change: ``kind`` is ``set`` (an annotator's or the gold set: any edit
    touches it), ``assignments``, ``documents``, ``kept`` or ``trained`` (the trained version
    in use, or its scores: sent by the owner's client, gui/core/trained_versions.py)."""

    kind: str
    document_id: int | None = None
    annotator: str | None = None
    status: str | None = None
    by: str | None = None  # the server role that made it


def parse(payload: str) -> Change | None:
    """A notice our triggers sent; None for anything else on the channel (a script's NOTIFY
    is anyone's right, and must not break a window)."""
    try:
        data = json.loads(payload)
        return Change(str(data["kind"]), data.get("document_id"), data.get("annotator"),
                      data.get("status"), data.get("by"))
    except (ValueError, TypeError, KeyError):
        return None


class ConnectionLost(ProjectError):
    """The listening connection is gone: the server stopped or the network broke."""


class ChangeListener:
    """A connection of its own that listens for the project's change notices."""

    def __init__(self, address: ServerAddress):
        import psycopg  # here: a window on a file never loads it

        try:
            self._conn = psycopg.connect(address.conninfo, autocommit=True, connect_timeout=10)
            self._conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            raise ConnectionLost(f"cannot listen for changes ({exc})".splitlines()[0],
                                 path=address) from None
        self.address = address

    def fileno(self) -> int:
        """The socket to watch: readable when a notice (or the server's goodbye) arrives."""
        return self._conn.pgconn.socket

    def read(self) -> list[Change]:
        """The notices that arrived, without waiting; ConnectionLost when the server is gone."""
        import psycopg
        from psycopg import pq

        pgconn = self._conn.pgconn
        try:
            # a session the server ends sends its goodbye, then closes: the socket is readable
            # twice, and the second read fails here
            pgconn.consume_input()
            if pgconn.status != pq.ConnStatus.OK:
                raise psycopg.OperationalError("the connection was closed")
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else "closed"
            raise ConnectionLost(f"lost the server ({reason})", path=self.address) from None
        changes = []
        while (notice := pgconn.notifies()) is not None:
            change = parse(notice.extra.decode(errors="replace"))
            if change is not None:
                changes.append(change)
        return changes

    def close(self) -> None:
        self._conn.close()


def server_reachable(address: ServerAddress) -> bool:
    """Whether the server takes a connection now (asked while waiting for it to come back)."""
    import psycopg

    try:
        psycopg.connect(address.conninfo, connect_timeout=5).close()
    except psycopg.Error:
        return False
    return True


def done_by_annotator(project: object) -> dict[str, int]:
    """How many documents each person has finished (not the gold set): the team's progress a
    window shows beside its own. One indexed count, quick on 100,000 documents."""
    from gui.core.store import GOLD

    rows = project.conn.execute(  # type: ignore[attr-defined]
        "SELECT a.name, count(s.id) FROM annotators a LEFT JOIN annotation_sets s "
        "ON s.annotator = a.name AND s.status = 'done' WHERE a.name != ? "
        "GROUP BY a.name ORDER BY a.name", (GOLD,)).fetchall()
    return {name: int(done) for name, done in rows}
