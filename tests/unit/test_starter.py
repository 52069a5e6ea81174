"""The starter stance classifier as a user meets it: a new project's first pre-fill is the
rules plus the shipped classifier, says so in its version, and can be turned off; a schema with
other targets gets the rules alone; and the shipped build still matches the development sets
it was trained on (else: ``make starter``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import spacy

from gui.cli import main
from gui.core.schema import default_schema_path, load_schema
from gui.core.store import Project
from gui.nlp.prefill import Prefiller, prefill_project
from gui.nlp.starter import (
    RECOGNIZER,
    SETS,
    SETTING,
    file_hashes,
    fingerprint,
    read_info,
    shipped_folder,
    untrained,
    use_recognizer,
)
from gui.nlp.train import pipeline_to_tune

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "sample").glob("*.txt"))


def stances(project: Project) -> set[tuple[int, int, int, str, str]]:
    return {(doc_id, s.start, s.end, s.target, s.polarity)
            for doc_id in project.document_ids() for s in project.prefill_stances(doc_id)}


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    """The sample articles pre-filled twice: as a new project is, and with the rules alone."""
    folder = tmp_path_factory.mktemp("starter")
    paths = folder / "fresh.marginalia", folder / "rules.marginalia"
    for path, starter in zip(paths, (True, False), strict=True):
        with Project.create(path, load_schema()) as project:
            project.add_documents([{"text": p.read_text("utf-8")} for p in SAMPLES])
            prefill_project(project, starter=starter)
    yield paths


def test_the_shipped_starter_is_a_folder_spacy_loads_and_nothing_is_pickled() -> None:
    folder = shipped_folder()
    classifier = spacy.load(folder / "stance")
    info = read_info(folder)
    assert [name for name, _ in classifier.pipeline] == [
        f"stance_{n}" for n in range(len(info["targets"]))]
    assert info["targets"] == load_schema().target_names
    assert not list(folder.rglob("*.pkl")) and not list(folder.rglob("*.pickle"))


def _recognizer(prefiller: Prefiller) -> bytes:
    return prefiller.loaded.nlp.get_pipe("ner").model.to_bytes()


def test_the_starters_recognizer_gives_a_new_projects_entities_and_a_versions_start(
        tmp_path: Path) -> None:
    """Where the starter is asked, entities come from its recognizer (fine-tuned on the
    development sets, loaded into the installed pipeline's ``ner``), and a trained version's
    recognizer goes on from it; with the starter off, the installed recognizer does both."""
    folder = shipped_folder()
    info = read_info(folder)["recognizer"]
    assert (folder / RECOGNIZER / "model").is_file()
    assert info["documents"] == sum(
        1 for name in SETS for _ in (ROOT / name / "articles.jsonl").open(encoding="utf-8"))
    with Project.create(tmp_path / "r.marginalia", load_schema()) as project:
        asked, alone = Prefiller(project), Prefiller(project, starter=False)
        assert asked.starter_folder == folder and alone.starter_folder is None
        assert _recognizer(asked) != _recognizer(alone)
        assert use_recognizer(alone.loaded.nlp, folder)
        assert _recognizer(asked) == _recognizer(alone)
        base_name = asked.loaded.name
        tuned = pipeline_to_tune(asked, base_name).get_pipe("ner").model.to_bytes()
        assert tuned == _recognizer(asked)
        project.set_setting(SETTING, False)
        off = Prefiller(project)
        assert pipeline_to_tune(off, base_name).get_pipe("ner").model.to_bytes() \
            == _recognizer(off) != _recognizer(asked)


def test_a_build_without_a_recognizer_leaves_the_installed_one(tmp_path: Path) -> None:
    with Project.create(tmp_path / "r.marginalia", load_schema()) as project:
        nlp = Prefiller(project, starter=False).loaded.nlp
        before = nlp.get_pipe("ner").model.to_bytes()
        assert not use_recognizer(nlp, tmp_path)
        assert nlp.get_pipe("ner").model.to_bytes() == before


def test_a_new_projects_prefill_is_rules_and_starter_and_says_so(both) -> None:
    fresh, rules = both
    with Project.open(fresh) as project, Project.open(rules) as alone:
        added = stances(project) - stances(alone)
        assert added, "the starter suggested nothing the rules alone did not"
        [version] = {v for (v,) in project.conn.execute(
            "SELECT DISTINCT model_version FROM prefill_runs")}
        [rules_version] = {v for (v,) in alone.conn.execute(
            "SELECT DISTINCT model_version FROM prefill_runs")}
    assert version == f"{rules_version}+starter.{fingerprint(shipped_folder())}"
    assert "+starter." not in rules_version


def test_the_project_setting_turns_the_starter_off(both, tmp_path: Path) -> None:
    _fresh, rules = both
    path = tmp_path / "off.marginalia"
    with Project.create(path, load_schema()) as project:
        project.add_documents([{"text": p.read_text("utf-8")} for p in SAMPLES])
        assert untrained(project).endswith("with the starter classifier and recognizer")
        project.set_setting(SETTING, False)
        assert untrained(project) == "the installed pipeline and the stance rules"
        assert Prefiller(project).starter is None
        prefill_project(project)
        with Project.open(rules) as alone:
            assert stances(project) == stances(alone)


def test_prefill_no_starter_measures_the_rules_alone(both, tmp_path: Path, capsys) -> None:
    path = tmp_path / "cli.marginalia"
    with Project.create(path, load_schema()) as project:
        project.add_documents([{"text": SAMPLES[0].read_text("utf-8")}])
    assert main(["prefill", str(path), "--no-starter", "--json"]) == 0
    assert "+starter." not in json.loads(capsys.readouterr().out)["model_version"]
    assert main(["prefill", str(path), "--force", "--json"]) == 0
    assert "+starter." in json.loads(capsys.readouterr().out)["model_version"]


def test_a_schema_with_other_targets_gets_the_rules_alone(tmp_path: Path) -> None:
    text = default_schema_path().read_text("utf-8")
    target = load_schema().target_names[0]
    schema_file = tmp_path / "other.toml"
    schema_file.write_text(text.replace(f'"{target}"', '"Arctic shipping"', 1), "utf-8")
    schema = load_schema(schema_file)
    assert "Arctic shipping" in schema.target_names
    with Project.create(tmp_path / "other.marginalia", schema) as project:
        prefiller = Prefiller(project)
        assert prefiller.starter is None and prefiller.trained is None
        assert "starter" not in untrained(project)
        assert "+starter." not in prefiller.version


def test_a_pipeline_of_rules_alone_gets_no_starter(tmp_path: Path) -> None:
    with Project.create(tmp_path / "r.marginalia", load_schema()) as project:
        assert Prefiller(project, "rules-only").starter is None


def test_the_starter_matches_the_development_sets_it_was_trained_on() -> None:
    """Fails when a set in starter.SETS was added, removed or changed since the build."""
    recorded = read_info(shipped_folder())["sets"]
    now = file_hashes(ROOT)
    changed = sorted(name for name in set(recorded) | set(now)
                     if recorded.get(name) != now.get(name))
    assert not changed, (f"the development sets differ from those the starter was built on "
                         f"({', '.join(changed)}): run make starter and commit "
                         "resources/stance/starter")
