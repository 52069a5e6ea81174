"""The starter's development articles parsed once, not on every training: a second training
reads what the first one parsed (gui/nlp/development_cache.py) and learns the same, while a
change of what the parse depends on (the articles, the rules, their threshold) parses again,
and a damaged cache file is parsed again and rewritten, never an error.

As in every test (tests/conftest.py), training adds only the first few development articles.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from gui.core.store import Project
from gui.nlp import development_cache, starter_data, train
from gui.nlp.prefill import Prefiller
from gui.nlp.train_data import TrainingDocument, default_source, load_documents
from tests.conftest import DEVELOPMENT_IN_TESTS
from tests.unit.test_train import build, tiny


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of this test's own: nothing an earlier test parsed."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "marginalia" / "development"


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """The document ids of every stance collection (the parse), in order."""
    collections: list[list[int]] = []
    collect = train.collect

    def spy(prefiller, classifier, targets, documents, step):
        collections.append([d.doc_id for d in documents])
        return collect(prefiller, classifier, targets, documents, step)

    monkeypatch.setattr(train, "collect", spy)
    return collections


def development_parses(collections: list[list[int]]) -> int:
    return sum(1 for ids in collections if ids and all(i < 0 for i in ids))


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    with Project.open(build(tmp_path / "study.marginalia")) as opened:
        yield opened


def stance_training(project: Project, development: list[TrainingDocument] | None = None
                    ) -> tuple[float, list[float], list[bytes]]:
    """The stance part of a training alone: its threshold, the holder scorer's weights and
    the classifier's."""
    base = Prefiller(project)
    if development is None:
        development = starter_data.development_documents(project, base.loaded)
    own = load_documents(project, default_source(project))
    stance = train.train_stance(base, own, 2, development=development)
    return (stance.threshold, [float(w) for w in stance.holder.weights],
            [pipe.model.to_bytes() for _name, pipe in stance.classifier.pipeline])


def stance_files(folder: Path) -> dict[str, bytes]:
    """What a version's stance part is, as written (TrainedStance.save)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in [folder / "holder.json", *sorted((folder / "stance").rglob("*"))]
            if p.is_file()}


def test_a_second_training_reads_the_parsed_development_articles_and_learns_the_same(
        cache: Path, parsed: list[list[int]], project: Project) -> None:
    first = tiny(project)
    second = tiny(project)
    assert first.development_documents == second.development_documents == DEVELOPMENT_IN_TESTS
    # parsed by the first training only; the project's own documents by both
    assert development_parses(parsed) == 1
    assert sum(1 for ids in parsed if ids and all(i > 0 for i in ids)) == 2
    assert len(list(cache.glob("*.json"))) == 1
    # the same stance classifier, threshold and holder scorer, byte for byte (the entity
    # recognizer's fine-tuning is not repeatable to the byte, so the figures are not compared)
    assert stance_files(second.folder) == stance_files(first.folder)
    kept = [json.loads((r.folder / "training.json").read_text("utf-8")) for r in (first, second)]
    assert kept[0]["threshold"] == kept[1]["threshold"] and kept[0]["veto"] == kept[1]["veto"]


def test_a_change_of_the_articles_or_the_rules_parses_again(
        cache: Path, parsed: list[list[int]], project: Project,
        monkeypatch: pytest.MonkeyPatch) -> None:
    base = Prefiller(project)
    development = starter_data.development_documents(project, base.loaded)
    stance_training(project, development)
    stance_training(project, development)
    assert development_parses(parsed) == 1

    # a stance of one article relabelled: the development data changed
    first = development[0]
    flipped = replace(first.stances[0], polarity="favor" if first.stances[0].polarity
                      != "favor" else "against")
    changed = [replace(first, stances=(flipped, *first.stances[1:])), *development[1:]]
    stance_training(project, changed)
    assert development_parses(parsed) == 2

    # other rules (their code or lexicon: the version pre-fill records)
    load = Prefiller.__init__

    def other_rules(self: Prefiller, *args: object, **kwargs: object) -> None:
        load(self, *args, **kwargs)
        self.version += "+changed"

    monkeypatch.setattr(Prefiller, "__init__", other_rules)
    stance_training(project, development)
    assert development_parses(parsed) == 3

    # the project's own threshold for the rules
    base = Prefiller(project)
    before = development_cache.key(base, development)
    base.stance.threshold += 0.1
    assert development_cache.key(base, development) != before


def damaged(whole: str, damage: str) -> str:
    if damage == "truncated":
        return whole[: len(whole) // 2]
    if damage == "unknown class":
        kept = json.loads(whole)
        kept["truths"][0][0] = "maybe"
        return json.dumps(kept)
    return damage


@pytest.fixture(scope="module")
def first_training(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple, str, str]:
    """A project, what its stance training learned, and the cache file that training wrote
    (its name and its text), in a cache folder of its own: the undamaged reference."""
    folder = tmp_path_factory.mktemp("first")
    path = build(folder / "study.marginalia")
    with pytest.MonkeyPatch.context() as patch, Project.open(path) as project:
        patch.setenv("XDG_CACHE_HOME", str(folder / "cache"))
        learned = stance_training(project)
    [kept] = (folder / "cache" / "marginalia" / "development").glob("*.json")
    return path, learned, kept.name, kept.read_text("utf-8")


@pytest.mark.parametrize("damage", ["", "{not json", '{"format": 1}', "[1, 2]", "truncated",
                                    "unknown class"])
def test_a_damaged_cache_file_is_parsed_again_and_rewritten(
        first_training: tuple[Path, tuple, str, str], cache: Path, parsed: list[list[int]],
        tmp_path: Path, damage: str) -> None:
    """The first training's cache file, damaged, in this test's empty cache folder."""
    path, learned, name, whole = first_training
    copy = tmp_path / "copy.marginalia"
    shutil.copyfile(path, copy)
    cache.mkdir(parents=True)
    kept = cache / name
    kept.write_text(damaged(whole, damage), "utf-8")
    with Project.open(copy) as project:
        assert stance_training(project) == learned
        assert development_parses(parsed) == 1
        assert json.loads(kept.read_text("utf-8")) == json.loads(whole)
        assert stance_training(project) == learned  # and read again
        assert development_parses(parsed) == 1
