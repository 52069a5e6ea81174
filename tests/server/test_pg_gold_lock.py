"""Two reviewers cannot edit the gold of one document at once: the second is told who holds
it; the lock goes when its holder moves on, closes, or their connection dies."""

from __future__ import annotations

from gui.core.gold_lock import release_gold, take_gold
from gui.core.store import Project

TEXT = "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."


def test_the_second_reviewer_is_told_who_holds_the_gold(pg_server, pg_project: str) -> None:
    with Project.open(pg_project) as owner:
        owner.add_documents([{"text": TEXT}, {"text": TEXT + " Again."}])
    rev, eve = Project.open(pg_project), Project.open(pg_project)
    try:
        assert take_gold(rev, 1, "rev") is None
        assert take_gold(rev, 1, "rev") is None  # again: still hers
        assert take_gold(eve, 1, "eve") == "rev"
        assert take_gold(eve, 2, "eve") is None  # another document is free
        release_gold(rev, 1)
        assert take_gold(eve, 1, "eve") is None
        assert take_gold(rev, 1, "rev") == "eve"
        pid = eve.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        # eve's window crashed (waiting up to 5 s for her session to end)
        pg_server.execute(f"SELECT pg_terminate_backend({pid}, 5000)")
        assert take_gold(rev, 1, "rev") is None
    finally:
        rev.close()
        eve.close()


def test_a_file_has_no_gold_locks(project_path) -> None:
    with Project.open(project_path) as one, Project.open(project_path) as two:
        assert take_gold(one, 1, "rev") is None
        assert take_gold(two, 1, "eve") is None
