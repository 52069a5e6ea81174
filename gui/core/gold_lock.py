"""One reviewer at a time on the gold of a document, on a server.

A PostgreSQL session-level advisory lock per document, taken by the review window's own
connection when it opens the document and given back when it moves on or closes. The server
gives it back by itself when that connection ends, a crash included, so a lock never outlives
its holder. Whoever asks second is told who holds it: the holder's session carries its
reviewer's name as its ``application_name``, which every role may read in
``pg_stat_activity``. A file has one writer at a time already: there, nothing is locked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gui.core.store import Project

# The first of the two keys of every gold lock (``pg_try_advisory_lock(int, int)``): "gold"
# in ASCII, so other uses of advisory locks in the same database do not collide with ours.
GOLD_LOCKS = 0x676F6C64
_NAME_PREFIX = "marginalia reviewer "


def _on_server(project: Project) -> bool:
    return project.dialect.name == "postgresql"


def take_gold(project: Project, document_id: int, reviewer: str) -> str | None:
    """Hold the gold of ``document_id`` for ``reviewer``: None when it is theirs now (or was
    already: a session's advisory locks count up, so it is taken once), else the name of the
    reviewer who holds it."""
    if not _on_server(project):
        return None
    conn = project.conn
    conn.execute("SELECT set_config('application_name', ?, false)",
                 (f"{_NAME_PREFIX}{reviewer}"[:63],))
    holder = _holder(project, document_id)
    if holder is None and conn.execute(
            "SELECT pg_try_advisory_lock(?, ?)", (GOLD_LOCKS, int(document_id))).fetchone()[0]:
        return None
    if holder is None:  # taken by someone else between the two questions
        holder = _holder(project, document_id)
    if holder is None:  # and given back meanwhile: ask again
        return take_gold(project, document_id, reviewer)
    if holder[0]:
        return None
    name = holder[1] or ""
    return name.removeprefix(_NAME_PREFIX) if name.startswith(_NAME_PREFIX) else \
        "another reviewer"


def _holder(project: Project, document_id: int) -> tuple[bool, str | None] | None:
    """Whether this session holds the document's gold lock and the holder's session name;
    None when nobody holds it."""
    return project.conn.execute(
        "SELECT l.pid = pg_backend_pid(), a.application_name FROM pg_locks l "
        "JOIN pg_stat_activity a ON a.pid = l.pid "
        "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2 "
        "AND l.classid::bigint = ? AND l.objid::bigint = ? "
        "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        (GOLD_LOCKS, int(document_id))).fetchone()


def release_gold(project: Project, document_id: int) -> None:
    """Give the document's gold back (nothing happens if this session does not hold it)."""
    if _on_server(project):
        project.conn.execute("SELECT pg_advisory_unlock(?, ?)", (GOLD_LOCKS, int(document_id)))
