"""Each document's sums (entity and stance sides) are kept between agreement runs and made
again exactly when one of its sets changes, however it changes: an edit, its undo, a status,
an import, a merge, a script's raw SQL. A cached run gives the very figures a run without the
cache gives.

The module also runs on the test server (tests/server/test_pg_parity.py), where the
revisions are the writing transaction's id instead of a stamp."""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from gui.core.edits import AddEntity, ChangeStance, RemoveEntity, SetStatus
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review import agreement_cache, document_sums
from gui.review.agreement import compute_agreement
from gui.review.columns import compared_sets
from gui.review.merge import merge_projects
from tests.unit.test_agreement_fast import NAMES, _records

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


@pytest.fixture
def three(project: Project) -> Project:
    import_files(project, [DATA / "three_annotators.jsonl"])
    return project


def computed(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The document ids each later run computes instead of reading from the cache."""
    seen: list[list[int]] = []
    compute = document_sums.compute

    def spy(sets, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(sets.document_ids.tolist())
        return compute(sets, *args, **kwargs)

    monkeypatch.setattr(document_sums, "compute", spy)
    return seen


def uncached(project: Project) -> dict:
    """The figures with the cache emptied first (every document computed)."""
    with project.transaction() as conn:
        conn.execute("DELETE FROM agreement_sums")
    return compute_agreement(project).to_json()


def documents(project: Project) -> list[int]:
    """The compared documents' ids."""
    return compared_sets(project).document_ids.tolist()


def revision(project: Project, doc_id: int, annotator: str) -> int:
    return project.conn.execute(
        "SELECT revision FROM annotation_sets WHERE document_id = ? AND annotator = ?",
        (doc_id, annotator)).fetchone()[0]


def test_a_warm_run_reads_every_document_from_the_cache(three: Project, monkeypatch):
    first = compute_agreement(three).to_json()
    assert three.conn.execute("SELECT count(*) FROM agreement_sums").fetchone()[0] == \
        first["documents"] == 2
    seen = computed(monkeypatch)
    assert compute_agreement(three).to_json() == first
    assert seen == []


def _add(project: Project, doc: int) -> None:
    AddEntity(doc, "ben", 0, 6, "ORG").apply(project)


def _undo(project: Project, doc: int) -> None:
    """An edit and its undo: the content is as before, but the set was written."""
    add = AddEntity(doc, "ben", 0, 6, "ORG")
    add.apply(project)
    add.revert(project)


def _remove(project: Project, doc: int) -> None:
    entity = project.annotation_set(doc, "cy").entities[0]
    RemoveEntity(doc, "cy", entity.id).apply(project)


def _stance(project: Project, doc: int) -> None:
    stance = project.annotation_set(doc, "ana").stances[0]
    ChangeStance(doc, "ana", stance.id, {"polarity": "favor"}).apply(project)


def _status(project: Project, doc: int) -> None:
    SetStatus(doc, "cy", "in_progress").apply(project)


def _reopened(project: Project, doc: int) -> None:
    """Reopened, corrected and accepted again."""
    SetStatus(doc, "cy", "in_progress").apply(project)
    entity = project.annotation_set(doc, "cy").entities[0]
    RemoveEntity(doc, "cy", entity.id).apply(project)
    SetStatus(doc, "cy", "done").apply(project)


def _raw_label(project: Project, doc: int) -> None:
    with project.transaction() as conn:
        conn.execute("UPDATE entities SET label = 'ORG' WHERE id = (SELECT min(e.id) FROM "
                     "entities e JOIN annotation_sets s ON s.id = e.set_id "
                     "WHERE s.document_id = ? AND s.annotator = 'ana')", (doc,))


def _raw_delete_stances(project: Project, doc: int) -> None:
    with project.transaction() as conn:
        conn.execute("DELETE FROM stances WHERE set_id IN (SELECT id FROM annotation_sets "
                     "WHERE document_id = ?)", (doc,))


def _raw_delete_set(project: Project, doc: int) -> None:
    """A set deleted and made again under the same id (SQLite reuses the largest)."""
    with project.transaction() as conn:
        row = conn.execute("SELECT id, annotator, status, created_at, updated_at "
                           "FROM annotation_sets WHERE document_id = ? AND annotator = 'ben'",
                           (doc,)).fetchone()
        conn.execute("DELETE FROM annotation_sets WHERE id = ?", (row[0],))
        conn.execute("INSERT INTO annotation_sets(id, document_id, annotator, status, "
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)", (row[0], doc, *row[1:]))
        conn.execute("INSERT INTO entities(set_id, start, \"end\", label, origin) "
                     "VALUES (?, 0, 6, 'GPE', 'manual')", (row[0],))


WRITES: dict[str, Callable[[Project, int], None]] = {
    "edit": _add, "undo": _undo, "remove": _remove, "stance": _stance, "status": _status,
    "reopened": _reopened, "raw label": _raw_label, "raw stances": _raw_delete_stances,
    "raw set": _raw_delete_set,
}


def stored_keys(project: Project) -> dict[int, str]:
    return dict(project.conn.execute("SELECT document_id, key FROM agreement_sums"))


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_recomputes_its_document_alone(three: Project, write: str):
    compute_agreement(three)
    changed, untouched = documents(three)
    before = stored_keys(three)
    WRITES[write](three, changed)
    found = compute_agreement(three).to_json()
    after = stored_keys(three)
    assert after[changed] != before[changed] and after[untouched] == before[untouched]
    assert found == uncached(three)


def test_a_changed_document_is_computed_from_its_own_entities(three: Project, monkeypatch):
    """After a write the run computes that document alone, and the next run nothing."""
    compute_agreement(three)
    changed, _untouched = documents(three)
    _add(three, changed)
    seen = computed(monkeypatch)
    compute_agreement(three)
    compute_agreement(three)
    assert seen == [[changed]]


def test_an_import_adds_its_documents_and_keeps_the_others(three: Project, tmp_path: Path,
                                                           monkeypatch):
    compute_agreement(three)
    before = set(documents(three))
    records = [r for r in _records(7, 3, list(three.schema.labels),
                                   list(three.schema.target_names), list(three.schema.polarities))
               if r["annotator"] != "dee"]  # a new annotator would change every key's layout
    source = tmp_path / "more.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                      encoding="utf-8")
    import_files(three, [source])
    seen = computed(monkeypatch)
    found = compute_agreement(three).to_json()
    assert len(seen) == 1 and not set(seen[0]) & before
    assert found == uncached(three)


def test_a_merge_recomputes_the_documents_it_changed(three: Project, tmp_path: Path,
                                                     monkeypatch):
    """A colleague's copy where ben corrected the first document: the merge keeps both
    versions or takes the newer one, and either way the figures follow."""
    compute_agreement(three)
    first, second = documents(three)
    three.close()
    theirs = tmp_path / "ben.marginalia"
    shutil.copy(three.path, theirs)
    with Project.open(theirs) as other:
        AddEntity(first, "ben", 0, 6, "ORG").apply(other)
    with Project.open(three.path) as project:
        merge_projects(project, [theirs])
        seen = computed(monkeypatch)
        found = compute_agreement(project).to_json()
        assert all(second not in some for some in seen)
        assert found == uncached(project)


def test_stamps_only_grow_and_name_one_content(three: Project):
    """In a file a changed set is odd until a run stamps it with a number above every stamp
    before, even when the set was deleted and made again under the same id."""
    doc = documents(three)[0]
    compute_agreement(three)
    stamped = revision(three, doc, "ben")
    assert stamped % 2 == 0
    _add(three, doc)
    assert revision(three, doc, "ben") == stamped + 1
    _add(three, doc)  # a second change writes nothing more
    assert revision(three, doc, "ben") == stamped + 1
    _raw_delete_set(three, doc)
    assert three.conn.execute("SELECT count(*) FROM agreement_sums WHERE document_id = ?",
                              (doc,)).fetchone()[0] == 0  # gone with the set
    compute_agreement(three)
    assert revision(three, doc, "ben") > stamped and revision(three, doc, "ben") % 2 == 0
    assert three.setting(agreement_cache.STAMP_SETTING) == revision(three, doc, "ben")


def test_every_change_gives_its_set_a_new_revision(three: Project):
    """The changed set's revision is new (and even once a run looked: stamped in a file, the
    transaction's in a server); the other sets keep theirs."""
    compute_agreement(three)
    doc = documents(three)[0]
    before = {name: revision(three, doc, name) for name in ("ana", "ben", "cy")}
    _add(three, doc)
    compute_agreement(three)
    after = {name: revision(three, doc, name) for name in ("ana", "ben", "cy")}
    assert after["ben"] != before["ben"] and after["ben"] % 2 == 0
    assert (after["ana"], after["cy"]) == (before["ana"], before["cy"])


def test_a_read_only_project_computes_without_storing(three: Project):
    _add(three, documents(three)[0])
    expected = compute_agreement(three).to_json()
    with three.transaction() as conn:
        conn.execute("DELETE FROM agreement_sums")
    three.close()
    with Project.open(three.path, readonly=True) as project:
        assert compute_agreement(project).to_json() == expected
        assert project.conn.execute("SELECT count(*) FROM agreement_sums").fetchone()[0] == 0


def _random_write(project: Project, rng: random.Random) -> None:
    sets = project.conn.execute(
        "SELECT s.id, d.length FROM annotation_sets s "
        "JOIN documents d ON d.id = s.document_id ORDER BY s.id").fetchall()
    set_id, length = rng.choice(sets)
    labels = list(project.schema.labels)
    kind = rng.randrange(5)
    with project.transaction() as conn:
        if kind == 0:
            start = rng.randrange(length - 1)
            conn.execute("INSERT INTO entities(set_id, start, \"end\", label, origin) "
                         "VALUES (?, ?, ?, ?, 'manual')",
                         (set_id, start, rng.randrange(start + 1, length + 1),
                          rng.choice(labels)))
        elif kind == 1:
            conn.execute("DELETE FROM entities WHERE id = (SELECT max(id) FROM entities "
                         "WHERE set_id = ?)", (set_id,))
        elif kind == 2:
            conn.execute("UPDATE entities SET label = ? WHERE id = (SELECT min(id) FROM "
                         "entities WHERE set_id = ?)", (rng.choice(labels), set_id))
        elif kind == 3:
            conn.execute("UPDATE annotation_sets SET status = ? WHERE id = ?",
                         (rng.choice(["done", "in_progress"]), set_id))
        else:
            conn.execute("DELETE FROM stances WHERE id = (SELECT min(id) FROM stances "
                         "WHERE set_id = ?)", (set_id,))


@pytest.mark.parametrize("seed", [1, 2])
def test_cached_figures_equal_uncached_ones_after_random_writes(project: Project,
                                                                tmp_path: Path, seed: int):
    """Generated projects (four annotators, overlapping entities, the awkward cases of
    test_agreement_fast), rounds of random raw writes, each round's cached run against a run
    with the cache emptied: the same JSON, to the last bit."""
    schema = project.schema
    source = tmp_path / "generated.jsonl"
    source.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _records(
        seed, 25, list(schema.labels), list(schema.target_names), list(schema.polarities)))
        + "\n", encoding="utf-8")
    import_files(project, [source])
    rng = random.Random(seed)
    compute_agreement(project)
    for _round in range(4):
        for _write in range(rng.randint(1, 4)):
            _random_write(project, rng)
        found = compute_agreement(project).to_json()
        assert found["annotators"] == sorted(NAMES)
        assert found == uncached(project)
    # the intervals too: alpha_u's per-document rows are built from the cached sections
    cached = compute_agreement(project)
    with project.transaction() as conn:
        conn.execute("DELETE FROM agreement_sums")
    computed = compute_agreement(project)
    for report in (cached, computed):
        report.bootstrap(draws=60)
    assert cached.to_json() == computed.to_json()
    assert cached.to_json()["entity_partial"]["alpha_u"]["ci"] is not None
