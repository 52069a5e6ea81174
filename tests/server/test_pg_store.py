"""The store on a real PostgreSQL server: opening, creating, refusing, and the constraints the
server enforces itself."""

from __future__ import annotations

import pytest

from gui.core.edits import AddEntity, RemoveEntity, SetStatus
from gui.core.errors import ProjectError, ServerUnavailable
from gui.core.schema import load_schema
from gui.core.store import Project

TEXT = "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."


def test_a_new_project_on_a_server_opens_with_its_schema(pg_project: str) -> None:
    with Project.open(pg_project) as project:
        assert project.dialect.name == "postgresql"
        assert project.schema.labels == load_schema().labels
        assert project.count_documents() == 0


def test_an_empty_database_is_refused_with_one_line(pg_empty: str) -> None:
    with pytest.raises(ProjectError, match="holds no project yet"):
        Project.open(pg_empty)


def test_init_refuses_a_database_that_holds_a_project(pg_project: str) -> None:
    with pytest.raises(ProjectError, match="already holds a project"):
        Project.create(pg_project, load_schema())


def test_a_database_with_other_tables_is_not_taken_for_a_project(pg_server, pg_empty) -> None:
    name = pg_empty.split("dbname=")[1].split()[0]
    pg_server.execute("CREATE TABLE invoices (id integer)", name)
    with pytest.raises(ProjectError, match="not a Marginalia project"):
        Project.open(pg_empty)
    with pytest.raises(ProjectError, match="not a Marginalia project"):
        Project.create(pg_empty, load_schema())


def test_an_unreachable_server_is_one_line_without_the_password() -> None:
    address = "postgresql://ana:s3cret@127.0.0.1:9/news?connect_timeout=2"
    with pytest.raises(ProjectError) as caught:
        Project.open(address)
    assert "s3cret" not in str(caught.value)
    assert "cannot connect" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_edits_undo_and_history_on_a_server(pg_project: str) -> None:
    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT, "title": "Lavrov"}])
        add = AddEntity(doc, "ana", 0, 13, "PERSON")
        add.apply(project)
        assert [(e.start, e.end) for e in project.annotation_set(doc, "ana").entities] == [(0, 13)]
        remove = RemoveEntity(doc, "ana", add.entity_id)
        remove.apply(project)
        remove.revert(project)  # back under its old id
        assert project.annotation_set(doc, "ana").entities[0].id == add.entity_id
        SetStatus(doc, "ana", "done").apply(project)
        actions = [r[0] for r in project.conn.execute("SELECT action FROM history ORDER BY id")]
        assert actions == ["create_set", "add_entity", "remove_entity", "restore_entity",
                           "set_status"]
    with Project.open(pg_project) as again:  # committed, seen by a new connection
        assert again.annotation_set(doc, "ana").status == "done"


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("UPDATE documents SET text = 'changed'", "never changes"),
        ("DELETE FROM history", "append-only"),
        ("UPDATE history SET action = 'x'", "append-only"),
        ("UPDATE annotation_sets SET status = 'finished'", "unknown status"),
        ("UPDATE entities SET \"end\" = 10000", "span outside the text"),
        ("UPDATE entities SET start = 5, \"end\" = 5", "span outside the text"),
        ("UPDATE entities SET origin = 'guess'", "unknown origin"),
        ("UPDATE entities SET label = 'NOPE'", "foreign key"),
        ("DELETE FROM annotators", "foreign key"),
    ],
)
def test_the_server_refuses_what_the_file_refuses(pg_project: str, sql: str, message: str) -> None:
    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])
        AddEntity(doc, "ana", 0, 13, "PERSON").apply(project)
        before = project.conn.execute("SELECT count(*) FROM history").fetchone()[0]
        with pytest.raises(ProjectError, match=f"(?i){message}"), project.transaction() as conn:
            conn.execute(sql)
        assert project.conn.execute("SELECT count(*) FROM history").fetchone()[0] == before
        assert project.document(doc).text == TEXT


def test_a_batch_of_new_repeated_and_known_texts_gives_each_text_one_document(
    any_project: str
) -> None:
    """A file counts the ids of a batch whose texts are all new instead of looking them up;
    one with a text already there or repeated takes the lookups, as a server always does."""
    with Project.open(any_project) as project:
        [(known, _)] = project.add_documents([{"text": "Known text about Havana."}])
        fresh = project.add_documents([{"text": "New one on Havana."}, {"text": "New two."}])
        assert [created for _, created in fresh] == [True, True]
        mixed = project.add_documents([{"text": "New three on Havana."},
                                       {"text": "Known text about Havana."},
                                       {"text": "New three on Havana."}, {"text": "New four."}])
        assert [created for _, created in mixed] == [True, False, False, True]
        ids = [doc for doc, _ in fresh + mixed]
        assert ids[3] == known and ids[2] == ids[4] and len({known, *ids}) == 5
        assert [project.document(doc).text for doc in ids[:3]] == [
            "New one on Havana.", "New two.", "New three on Havana."]
        assert project.count_documents() == 5
        assert project.count_listed("ana", text="havana") == 3


def test_the_word_filter_uses_the_servers_full_text_index(pg_project: str) -> None:
    with Project.open(pg_project) as project:
        project.add_documents([
            {"text": TEXT, "title": "Lavrov in Havana"},
            {"text": "The blockade of the island goes on.", "title": "Blockade"},
        ])
        titles = lambda text: [r[1] for r in project.list_documents("ana", text=text)]  # noqa: E731
        assert titles("rodriguez") == ["Lavrov in Havana"]  # accents and case folded
        assert titles("Hav") == ["Lavrov in Havana"]  # the start of a word
        assert titles("block island") == ["Blockade"]
        assert titles("LOCKAD") == []  # words, not substrings
        assert titles("--") == []
        assert project.count_listed("ana", text="havana") == 1
        plan = "\n".join(r[0] for r in project.conn.execute(
            "EXPLAIN SELECT id FROM documents d WHERE "
            "d.words @@ to_tsquery('simple', 'hav:*')"
        ))
        assert "documents_words" in plan or "Seq Scan" in plan  # small tables may scan


def test_a_read_only_server_opens_as_a_read_only_project(pg_server, pg_project: str) -> None:
    """A hot standby (a read replica for dashboards) refuses writes; so does the project."""
    dbname = pg_project.split("dbname=")[1].split()[0]
    pg_server.execute(f'ALTER DATABASE "{dbname}" SET default_transaction_read_only = on')
    with Project.open(pg_project) as project:
        assert project.readonly
        assert project.count_documents() == 0
        with pytest.raises(ProjectError, match="read-only; nothing was changed"):
            project.add_documents([{"text": TEXT}])


def test_pg_dump_and_pg_restore_give_back_a_project_that_opens(pg_server, pg_project, tmp_path):
    """The backup docs/team.md describes, done for real."""
    import subprocess

    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT, "title": "Lavrov"}])
        AddEntity(doc, "ana", 0, 13, "PERSON").apply(project)
    dump = tmp_path / "news.dump"
    subprocess.run([str(pg_server.bindir / "pg_dump"), "--format=custom", f"--file={dump}",
                    pg_project], check=True, capture_output=True, timeout=60)
    restored = pg_server.address(pg_server.database())
    subprocess.run([str(pg_server.bindir / "pg_restore"), f"--dbname={restored}", str(dump)],
                   check=True, capture_output=True, timeout=60)
    with Project.open(restored) as project:
        assert [(e.start, e.end) for e in project.annotation_set(doc, "ana").entities] == [(0, 13)]
        assert project.count_listed("ana", text="rodriguez") == 1
        AddEntity(doc, "ana", 18, 33, "PERSON").apply(project)  # ids go on after the restored


def test_a_dropped_session_is_replaced_at_the_next_edit(pg_server, pg_project) -> None:
    """The server ended this client's session (a restart, an idle timeout): the next edit
    connects again and is saved, without the user doing anything."""
    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])
        pid = project.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
        pg_server.execute(f"SELECT pg_terminate_backend({pid})")
        AddEntity(doc, "ana", 0, 13, "PERSON").apply(project)
    with Project.open(pg_project) as again:
        assert [(e.start, e.end) for e in again.annotation_set(doc, "ana").entities] == [(0, 13)]


def test_an_edit_while_the_server_is_down_is_not_saved_and_goes_when_it_is_back(
    pg_server, pg_project
) -> None:
    """Refused in one line that says it may go later (ServerUnavailable), nothing half done;
    the same edit applied again once the server is back is stored once."""
    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])
        edit = AddEntity(doc, "ana", 0, 13, "PERSON")
        pg_server.pause()
        try:
            with pytest.raises(ServerUnavailable) as lost:
                edit.apply(project)
            assert "\n" not in str(lost.value) and "not saved yet" in str(lost.value)
            assert lost.value.history_id is None  # cut off before COMMIT: surely not stored
        finally:
            pg_server.start()
        edit.apply(project)
    with Project.open(pg_project) as again:
        assert len(again.annotation_set(doc, "ana").entities) == 1


def test_a_commit_cut_off_is_looked_up_before_the_edit_goes_again(pg_server, pg_project):
    """The connection breaks during COMMIT: the error names the history row the edit wrote,
    and ``committed`` says whether the server kept it (here it did not)."""
    from gui.core.postgres import committed

    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])
        # a trigger deferred to COMMIT that ends its own session, in this session only
        project.conn.execute("""
            CREATE FUNCTION die_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF current_setting('test.die_at_commit', true) = 'on' THEN
                    PERFORM pg_terminate_backend(pg_backend_pid());
                END IF;
                RETURN NULL;
            END $$;
            CREATE CONSTRAINT TRIGGER die_at_commit AFTER INSERT ON history
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION die_at_commit();
            SET test.die_at_commit = on;
        """)
        edit = AddEntity(doc, "ana", 0, 13, "PERSON")
        with pytest.raises(ServerUnavailable) as lost:
            edit.apply(project)
        assert lost.value.history_id is not None
        assert not committed(project, lost.value.history_id)  # asked on a new session
        edit.apply(project)
        saved = project.conn.execute("SELECT max(id) FROM history").fetchone()[0]
        assert committed(project, saved)
        assert len(project.annotation_set(doc, "ana").entities) == 1


def test_long_articles_import_and_are_found_by_the_word_filter(pg_project: str) -> None:
    """A 3 MB article of ordinary prose is indexed whole (no positions kept); one of 200,000
    distinct words, past what a tsvector holds, is imported and indexed on its beginning."""
    prose = "Lavrov met Rodríguez in Havana to discuss the blockade and trade. " * 45_000
    numbers = " ".join(f"row{i}" for i in range(200_000))
    with Project.open(pg_project) as project:
        project.add_documents([{"text": prose + "Finally, Nebenzya.", "title": "Long prose"},
                               {"text": numbers, "title": "Long table"}])
        assert project.count_listed("ana", text="nebenzya rodriguez") == 1
        assert project.count_listed("ana", text="row12") == 1


def test_two_annotators_editing_at_once_lose_nothing(pg_project: str) -> None:
    """Two clients, each its own connection, editing one document at the same time: every
    edit each was told was saved is on the server, with its history row."""
    from concurrent.futures import ThreadPoolExecutor

    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])

    def annotate(name: str) -> list[int]:
        with Project.open(pg_project) as mine:
            ids = []
            for i in range(40):
                edit = AddEntity(doc, name, i % 40, i % 40 + 5, "PERSON")
                edit.apply(mine)
                ids.append(edit.entity_id)
            SetStatus(doc, name, "done").apply(mine)
            return ids

    with ThreadPoolExecutor(2) as pool:
        saved = dict(zip(("ana", "ben"), pool.map(annotate, ("ana", "ben")), strict=True))
    with Project.open(pg_project) as project:
        for name, ids in saved.items():
            stored = project.annotation_set(doc, name)
            assert sorted(e.id for e in stored.entities) == sorted(ids)
            assert stored.status == "done"
        history = project.conn.execute(
            "SELECT count(*) FROM history WHERE action = 'add_entity'").fetchone()[0]
        assert history == 80


def test_a_server_address_never_goes_through_the_files_defences(
    pg_empty: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schema check, the memory of checked files and the network-filesystem refusal are
    for SQLite files: an address (which may look like a relative path, ``service=team``) never
    reaches them, whatever folder the command runs in."""
    from gui.core import store

    def not_for_a_server(*_args: object) -> None:
        raise AssertionError("a file's defence ran on a server address")

    for name in ("check_file", "remember_checked", "check_writable_location"):
        monkeypatch.setattr(store, name, not_for_a_server)
    Project.create(pg_empty, load_schema()).close()
    with Project.open(pg_empty) as project:
        project.add_documents([{"text": TEXT}])
    with Project.open(pg_empty, readonly=True) as project:
        assert project.count_documents() == 1


def waiting_on_a_lock(pg_server, pg_project: str) -> bool:
    """True once some connection to the project's database waits for a lock another holds."""
    import psycopg

    with psycopg.connect(pg_server.address(pg_project.split("dbname=")[1].split()[0])) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'").fetchone()[0] > 0


def wait_until(condition, timeout_s: float = 10.0) -> None:
    """Poll ``condition`` until true (the other thread's progress is not a Qt signal here)."""
    import time

    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "the condition never came true"
        time.sleep(0.01)


def test_two_clients_first_edits_on_one_set_at_once_both_succeed(pg_server, pg_project) -> None:
    """ana in two windows (or two reviewers on the gold) make the set's first edit at the same
    moment: the second waits for the first to commit, then adds to the same set."""
    import threading

    with Project.open(pg_project) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT}])
    first, second = Project.open(pg_project), Project.open(pg_project)
    failures: list[BaseException] = []

    def second_edit() -> None:
        try:
            AddEntity(doc, "ana", 18, 33, "PERSON").apply(second)
        except BaseException as exc:  # reported to the test's thread
            failures.append(exc)

    try:
        with first.transaction():
            AddEntity(doc, "ana", 0, 13, "PERSON").apply(first)  # the set, not yet committed
            other = threading.Thread(target=second_edit)
            other.start()
            wait_until(lambda: waiting_on_a_lock(pg_server, pg_project))
        other.join()
        assert failures == []
        stored = first.annotation_set(doc, "ana")
        assert [(e.start, e.end) for e in stored.entities] == [(0, 13), (18, 33)]
        assert first.conn.execute(
            "SELECT count(*) FROM history WHERE action = 'create_set'").fetchone()[0] == 1
    finally:
        first.close()
        second.close()
