"""Training on top of the starter, as a user meets it: where the starter fits the project, a
trained version learns from the project's corrections plus the starter's development articles
(shipped as JSON, read without the repository's tests/ folder) and says so; a project with
other targets, or with the starter turned off, learns from its own corrections alone; and the
switch is still decided on the project's own held-out documents, never on development text.

The trainings here are tiny and, as in every test (tests/conftest.py), add only the first
few development articles."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui.core.schema import default_schema_path, load_schema
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.nlp import starter_data, train
from gui.nlp.prefill import Prefiller
from gui.nlp.starter import DATA, SETS, SETTING, fingerprint, shipped_folder
from gui.nlp.starter_data import read_development, repeat
from gui.nlp.train_stance import StanceData
from tests.conftest import DEVELOPMENT_IN_TESTS
from tests.unit.test_train import build, tiny

ROOT = Path(__file__).resolve().parents[2]


def trained_with_spies(path: Path) -> tuple[train.TrainReport, list[list[int]], list[list[int]]]:
    """Train the project once; the document ids each stance collection learned from, and
    those each evaluation measured on. With a cache folder of its own: the development
    articles another test's training parsed are parsed again (development_cache.py)."""
    learned: list[list[int]] = []
    measured: list[list[int]] = []
    collect, evaluate = train.collect, train.evaluate_prefiller

    def collect_spy(prefiller, classifier, targets, documents, step):
        learned.append([d.doc_id for d in documents])
        return collect(prefiller, classifier, targets, documents, step)

    def evaluate_spy(prefiller, documents, step=None):
        measured.append([d.doc_id for d in documents])
        return evaluate(prefiller, documents, step)

    train.collect, train.evaluate_prefiller = collect_spy, evaluate_spy
    try:
        with (tempfile.TemporaryDirectory() as cache, pytest.MonkeyPatch.context() as patch,
              Project.open(path) as project):
            patch.setenv("XDG_CACHE_HOME", cache)
            report = tiny(project)
    finally:
        train.collect, train.evaluate_prefiller = collect, evaluate
    return report, learned, measured


@pytest.fixture(scope="module")
def fitting(tmp_path_factory: pytest.TempPathFactory) -> Iterator[
        tuple[Path, train.TrainReport, list[list[int]], list[list[int]]]]:
    path = build(tmp_path_factory.mktemp("fitting") / "study.marginalia")
    yield path, *trained_with_spies(path)


def test_the_shipped_development_articles_are_the_sets_the_starter_learned_from() -> None:
    documents = read_development(shipped_folder())
    articles = [json.loads(line) for name in SETS
                for line in (ROOT / name / "articles.jsonl").read_text("utf-8").splitlines()
                if line.strip()]
    # the nine development sets' articles, in order, and no other (no held-out set's)
    assert [d.text for d in documents] == [a["text"] for a in articles]

    def gold(stances: list[dict]) -> list[tuple]:
        return sorted((s["start"], s["end"], s["target"], s["polarity"],
                       (s["holder"]["start"], s["holder"]["end"]) if s.get("holder") else None)
                      for s in stances)

    for document, article in zip(documents, articles, strict=True):
        assert document.doc_id < 0  # never one of a project's
        shipped = sorted((s.start, s.end, s.target, s.polarity, s.holder)
                         for s in document.stances)
        assert shipped == gold(article["stances"])
    targets = set(load_schema().target_names)
    stances = [s for d in documents for s in d.stances]
    assert len(stances) > 1000 and {s.target for s in stances} == targets


def test_a_fitting_project_is_given_every_shipped_development_article(
        project_path: Path) -> None:
    """The real ``development_documents``, not the tests' cut of it (tests/conftest.py)."""
    every = starter_data.development_documents.__wrapped__
    with Project.open(project_path) as project:
        loaded = Prefiller(project, starter=False).loaded
        given = every(project, loaded)
    assert [d.text for d in given] == [d.text for d in read_development(shipped_folder())]
    assert len(given) > 100


def test_the_development_articles_leave_the_starters_version_alone(tmp_path: Path) -> None:
    """Suggestions record the starter's fingerprint; the examples change no suggestion."""
    folder = tmp_path / "starter"
    folder.mkdir()
    for name in ("holder.json", "training.json"):
        (folder / name).write_bytes((shipped_folder() / name).read_bytes())
    before = fingerprint(folder)
    (folder / DATA).write_text("{}\n", encoding="utf-8")
    assert fingerprint(folder) == before


def test_a_fitting_projects_training_adds_the_development_articles_and_says_so(
        fitting) -> None:
    _path, report, learned, _measured = fitting
    assert report.development_documents == DEVELOPMENT_IN_TESTS
    [development, own] = learned
    assert development == [-n for n in range(1, DEVELOPMENT_IN_TESTS + 1)]
    assert len(own) == report.train_documents and all(i > 0 for i in own)
    said = f"your {report.train_documents} documents + the starter's " \
           f"{DEVELOPMENT_IN_TESTS} development articles"
    assert said in report.summary() and said in report.table()
    assert report.as_dict()["development_documents"] == DEVELOPMENT_IN_TESTS
    info = json.loads((report.folder / "training.json").read_text("utf-8"))
    assert info["development_documents"] == DEVELOPMENT_IN_TESTS


def test_the_switch_is_decided_on_the_projects_own_held_out_documents(fitting) -> None:
    path, report, learned, measured = fitting
    with Project.open(path) as project:
        project_ids = set(project.document_ids())
    held_out = set(json.loads((report.folder / "training.json").read_text("utf-8"))[
        "test_documents"])
    # both sides measured on the same held-out documents: the project's, none learned from
    assert [set(m) for m in measured[:2]] == [held_out, held_out]
    assert held_out <= project_ids and not held_out & {i for ids in learned for i in ids}
    assert report.better == train.is_better(report.current, report.trained)


def other_targets(tmp_path: Path) -> Path:
    """The sample project under a schema with a fourth target the starter never learned."""
    schema_file = tmp_path / "other.toml"
    schema_file.write_text(default_schema_path().read_text("utf-8") + (
        '\n[[stance.target]]\nname = "Arctic shipping"\nkey = "k"\ncues = ["Arctic"]\n'),
        "utf-8")
    path = tmp_path / "other.marginalia"
    Project.create(path, load_schema(schema_file)).close()
    from tests.unit.test_train import fill

    with Project.open(path) as project:
        fill(project)
    return path


def test_a_project_with_other_targets_trains_on_its_own_corrections_alone(
        tmp_path: Path) -> None:
    report, learned, _measured = trained_with_spies(other_targets(tmp_path))
    assert report.development_documents == 0
    assert all(i > 0 for ids in learned for i in ids)
    assert f"on your {report.train_documents} documents in" in report.summary()
    assert "development" not in report.summary() + report.table()


def test_development_articles_the_project_holds_are_not_added_again(tmp_path: Path) -> None:
    """A project that imported two development articles: whichever side of its split they
    are on, training does not learn them from the starter's copy (a held-out one learned
    would flatter the version), and learns the other development articles."""
    articles = (ROOT / SETS[0] / "articles.jsonl").read_text("utf-8").splitlines()[:2]
    two = tmp_path / "two.jsonl"
    two.write_text("\n".join(articles) + "\n", "utf-8")
    path = build(tmp_path / "holds.marginalia")
    with Project.open(path) as project:
        import_files(project, [two])
    report, learned, _measured = trained_with_spies(path)
    assert report.development_documents == DEVELOPMENT_IN_TESTS - 2
    assert learned[0] == [-n for n in range(3, DEVELOPMENT_IN_TESTS + 1)]


def test_a_project_that_turned_the_starter_off_trains_on_its_own_corrections_alone(
        tmp_path: Path) -> None:
    path = build(tmp_path / "off.marginalia")
    with Project.open(path) as project:
        project.set_setting(SETTING, False)
    report, learned, _measured = trained_with_spies(path)
    assert report.development_documents == 0 and all(i > 0 for ids in learned for i in ids)


def test_a_few_corrections_are_repeated_to_count_and_hundreds_are_not() -> None:
    assert repeat(10, 191) == 3 and repeat(37, 191) == 3
    assert repeat(100, 191) == 2 and repeat(400, 191) == 1
    assert repeat(10, 0) == 1


def test_repeated_examples_stay_in_their_fold() -> None:
    """A project's sentence and its copies on one side of every cross-validation split."""
    development = StanceData([["d0", "d1"]], folds=[0, 1], truths=[["none", "favor"]],
                             rules=[["none", "none"]], holder_rows=[[0.1]], holder_truths=[0])
    own = StanceData([["p0"]], folds=[3], truths=[["against"]], rules=[["none"]],
                     holder_rows=[[0.9]], holder_truths=[1])
    development.extend(own, 3)
    assert development.examples == [["d0", "d1", "p0", "p0", "p0"]]
    assert development.folds == [0, 1, 3, 3, 3]
    assert development.truths == [["none", "favor", "against", "against", "against"]]
    assert development.holder_truths == [0, 1, 1, 1]
