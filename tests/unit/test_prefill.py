"""Pre-fill as a user relies on it: suggestions stored with their model, never over a person's
work, ``force`` refreshing only untouched documents, empty and huge documents, cancel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.core.edits import AddEntity, SetStatus
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.nlp import pipeline as pipeline_module
from gui.nlp.chunks import chunks
from gui.nlp.pipeline import RULES_ONLY, PipelineError, collect_patterns, load_pipeline
from gui.nlp.prefill import Prefiller, prefill_project

TEXT = (
    "Russia reiterated its rejection of the U.S. blockade against Cuba. "
    "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."
)
OTHER = "Moscow calls for the immediate elimination of the blockade, Nebenzia said."


@pytest.fixture(scope="module")
def prefiller(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prefiller]:
    """The default pipeline, loaded once; each test passes it to prefill_project."""
    path = tmp_path_factory.mktemp("p") / "loader.marginalia"
    with Project.create(path, load_schema()) as project:
        yield Prefiller(project)


@pytest.fixture(scope="module")
def rules_prefiller(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prefiller]:
    path = tmp_path_factory.mktemp("r") / "loader.marginalia"
    with Project.create(path, load_schema()) as project:
        yield Prefiller(project, RULES_ONLY)


def add(project: Project, *texts: str) -> list[int]:
    return [doc_id for doc_id, _ in project.add_documents([{"text": t} for t in texts])]


def texts_of(project: Project, doc_id: int) -> list[tuple[str, str]]:
    text = project.document(doc_id).text
    return [(text[e.start : e.end], e.label) for e in project.prefill_entities(doc_id)]


def test_prefill_stores_entities_stances_and_the_model(project: Project, prefiller) -> None:
    [doc_id] = add(project, TEXT)
    report = prefill_project(project, prefiller=prefiller)
    assert report.documents_done == 1 and not report.rules_only
    found = texts_of(project, doc_id)
    assert ("Russia", "GPE") in found and ("Bruno Rodríguez", "PERSON") in found
    [stance] = project.prefill_stances(doc_id)
    assert (stance.target, stance.polarity) == ("US embargo on Cuba", "against")
    assert TEXT[stance.holder_start : stance.holder_end] == "Russia"
    model, version = project.conn.execute(
        "SELECT model, model_version FROM prefill_runs WHERE document_id = ?", (doc_id,)
    ).fetchone()
    assert model == report.model and version == report.model_version
    # What the annotator sees before touching anything is the pre-fill.
    shown = project.annotation_set(doc_id, "ana")
    assert shown.id is None and len(shown.entities) == len(found)
    assert "pre-filled 1 document" in report.summary()


def test_a_second_run_leaves_prefilled_documents_alone(project: Project, prefiller) -> None:
    add(project, TEXT)
    prefill_project(project, prefiller=prefiller)
    again = prefill_project(project, prefiller=prefiller)
    assert again.documents_done == 0 and again.documents_unchanged == 1
    assert "--force" in again.summary()


def test_never_overwrites_what_a_person_touched(project: Project, prefiller) -> None:
    touched, untouched, done = add(project, TEXT, OTHER, TEXT + " Granma reported.")
    prefill_project(project, prefiller=prefiller)
    AddEntity(touched, "ana", 0, 6, "ORG").apply(project)  # ana corrects Russia to ORG
    SetStatus(done, "bob", "done").apply(project)
    before = project.annotation_set(touched, "ana")
    before_prefill = project.prefill_entities(touched)
    # The pipeline now says something else: fake it by deleting one suggestion everywhere.
    project.conn.execute("UPDATE prefill_runs SET model_version = 'old'")

    report = prefill_project(project, force=True, prefiller=prefiller)

    assert report.documents_done == 1 and report.documents_skipped == 2
    after = project.annotation_set(touched, "ana")
    assert after.entities == before.entities  # the person's set is exactly as it was
    assert project.prefill_entities(touched) == before_prefill  # and what they were shown too
    versions = dict(project.conn.execute("SELECT document_id, model_version FROM prefill_runs"))
    assert versions == {touched: "old", done: "old", untouched: report.model_version}


def test_force_refreshes_an_untouched_sets_copy(project: Project, prefiller) -> None:
    [doc_id] = add(project, TEXT)
    prefill_project(project, prefiller=prefiller)
    set_id = project.ensure_set(doc_id, "ana")  # opened, copied, but never edited
    project.conn.execute("DELETE FROM prefill_entities WHERE document_id = ?", (doc_id,))
    project.conn.execute("DELETE FROM entities WHERE set_id = ?", (set_id,))
    assert project.entities(set_id) == ()

    prefill_project(project, force=True, prefiller=prefiller)

    assert len(project.entities(set_id)) == len(project.prefill_entities(doc_id)) > 0
    assert {e.origin for e in project.entities(set_id)} == {"prefill"}


def test_an_empty_document_is_prefilled_with_nothing(project: Project, prefiller) -> None:
    doc_ids = add(project, "", "   \n\n  ")
    report = prefill_project(project, prefiller=prefiller)
    assert report.documents_done == 2
    for doc_id in doc_ids:
        assert project.prefill_entities(doc_id) == () and project.prefill_stances(doc_id) == ()
    assert project.conn.execute("SELECT count(*) FROM prefill_runs").fetchone()[0] == 2


def test_pieces_keep_offsets_right(project: Project, prefiller) -> None:
    text = "\n\n".join([TEXT, OTHER] * 6)
    [doc_id] = add(project, text)
    prefill_project(project, prefiller=prefiller)
    whole_entities = project.prefill_entities(doc_id)
    whole_stances = project.prefill_stances(doc_id)
    small = prefiller.chunk_chars
    prefiller.chunk_chars = 300  # force many pieces
    try:
        prefill_project(project, force=True, prefiller=prefiller)
    finally:
        prefiller.chunk_chars = small
    pieces = project.prefill_entities(doc_id)
    assert [(e.start, e.end, e.label) for e in pieces] == [
        (e.start, e.end, e.label) for e in whole_entities
    ]
    assert [(s.start, s.end, s.polarity) for s in project.prefill_stances(doc_id)] == [
        (s.start, s.end, s.polarity) for s in whole_stances
    ]


def _huge(project: Project, prefiller: Prefiller, copies: int) -> None:
    unit = "Sergei Lavrov met Miguel Díaz-Canel in Havana; Granma reported it.\n\n"
    text = unit * copies
    assert len(text) > prefiller.loaded.nlp.max_length
    [doc_id] = add(project, text)
    report = prefill_project(project, prefiller=prefiller)
    assert report.documents_done == 1
    found = project.prefill_entities(doc_id)
    assert len(found) == copies * 4
    assert {text[e.start : e.end] for e in found} == {
        "Sergei Lavrov", "Miguel Díaz-Canel", "Havana", "Granma"
    }


def test_a_document_over_max_length_is_prefilled_in_pieces(
    project: Project, rules_prefiller: Prefiller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as a several-MB article, with the limits scaled down to stay quick."""
    monkeypatch.setattr(rules_prefiller.loaded.nlp, "max_length", 20_000)
    monkeypatch.setattr(rules_prefiller, "chunk_chars", 19_999)
    _huge(project, rules_prefiller, 1_500)  # 105,000 characters: six pieces


@pytest.mark.slow
def test_a_several_megabyte_document(project: Project, rules_prefiller: Prefiller) -> None:
    _huge(project, rules_prefiller, 45_000)  # about 3 MB, three times nlp.max_length


def test_progress_and_cancel(project: Project, prefiller, monkeypatch) -> None:
    monkeypatch.setattr("gui.nlp.prefill.WRITE_BATCH", 2)
    add(project, *(f"{TEXT} Item {i}." for i in range(7)))
    seen: list[tuple[int, int]] = []
    asked = iter(range(100))
    report = prefill_project(
        project, prefiller=prefiller, progress=lambda d, t: seen.append((d, t)),
        cancelled=lambda: next(asked) >= 4,
    )
    assert report.cancelled and report.documents_done == 4
    assert seen[0] == (0, 7) and seen[-1] == (4, 7)
    # What was finished is stored whole; the rest is simply not pre-filled yet.
    assert project.conn.execute("SELECT count(*) FROM prefill_runs").fetchone()[0] == 4
    rest = prefill_project(project, prefiller=prefiller)
    assert rest.documents_done == 3 and rest.documents_unchanged == 4


def test_rules_only_when_no_pipeline_is_installed(monkeypatch) -> None:
    monkeypatch.setattr(pipeline_module, "DEFAULT_PIPELINES", ("no_such_pipeline_a",))
    schema = load_schema()
    loaded = load_pipeline(schema, requested=None, patterns=collect_patterns(schema, None))
    assert loaded.rules_only and loaded.name == RULES_ONLY
    assert "rules and patterns only" in loaded.notes[0]
    doc = loaded.nlp("Díaz-Canel and Diaz-Canel read Granma in the Kremlin.")
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Díaz-Canel", "PERSON"), ("Diaz-Canel", "PERSON"), ("Granma", "ORG"), ("Kremlin", "ORG")
    ]


def test_a_pipeline_that_fails_to_load_is_one_clear_line(tmp_path: Path) -> None:
    schema = load_schema()
    with pytest.raises(PipelineError) as caught:
        load_pipeline(schema, requested="no_such_pipeline_xyz", patterns=[])
    assert "no_such_pipeline_xyz" in str(caught.value) and "not installed" in str(caught.value)
    folder = tmp_path / "not_a_pipeline"
    folder.mkdir()
    with pytest.raises(PipelineError) as caught:
        load_pipeline(schema, requested=str(folder), patterns=[])
    assert str(folder) in str(caught.value) and "\n" not in str(caught.value)


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(5, 60))
def test_chunks_cover_the_text_exactly(text: str, limit: int) -> None:
    pieces = list(chunks(text, limit))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= limit for _, piece in pieces)
    assert [offset for offset, _ in pieces] == [
        sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))
    ]


def test_outdated_refreshes_the_untouched_documents_another_version_made(
        project: Project, prefiller) -> None:
    """After training switches (or the rules change), Tools ▸ Pre-fill gives the untouched
    documents the new version's suggestions: never a touched one, nor one already current."""
    older, current, touched = add(project, TEXT, OTHER, TEXT + " Granma reported.")
    prefill_project(project, prefiller=prefiller)
    AddEntity(touched, "ana", 0, 6, "ORG").apply(project)
    project.conn.execute("UPDATE prefill_runs SET model = 'en_marginalia_v1' "
                         "WHERE document_id IN (?, ?)", (older, touched))

    assert prefill_project(project, prefiller=prefiller).documents_done == 0
    report = prefill_project(project, outdated=True, prefiller=prefiller)

    assert (report.documents_done, report.documents_unchanged, report.documents_skipped) == (
        1, 1, 1)
    models = dict(project.conn.execute("SELECT document_id, model FROM prefill_runs"))
    assert models == {older: report.model, current: report.model, touched: "en_marginalia_v1"}
