"""``train_project``: learn from people's corrections, measure on held-out documents, switch.

The steps, and why:
1. The finished sets (gold, or done) are split by document (train_data.py); the held-out
   fifth is never seen by any step that learns.
2. The *current* pre-fill (whatever the project uses now: the installed pipeline and rules, or
   an earlier trained version) runs on the held-out documents, in memory, so both sides of the
   comparison are measured on the same text the same day.
3. The installed pipeline parses the training documents once: the stance classifier learns
   from those sentences (with the rules' verdicts as features), its thresholds are chosen by
   cross-validation over the training sentences, and the holder scorer learns from the gold
   holders among their entities (train_stance.py). Where the starter fits the project, both
   also learn from its development articles, the project's own repeated so they count
   (starter_data.py), minus any the project holds. The entity recognizer is then fine-tuned
   with pseudo-rehearsal (train_ner.py), from the starter's recognizer where the starter is
   used (it learned from the development articles: a version starts where pre-fill is).
4. The new version is written to a temporary folder, loaded back with ``spacy.load`` the way
   pre-fill will load it, and run on the held-out documents: the figures are those of the
   folder on disk, not of an object in memory.
5. It is renamed into place as ``vN`` and becomes the project's pipeline only when it is better
   on the held-out split (``is_better``), or when the user says so (``use``).
6. When it is in use, the documents nobody has touched are ranked by its uncertainty
   (uncertainty.py) for the document list's "most to gain first" order.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from gui.core.errors import MarginaliaError
from gui.core.store import Project, Stance
from gui.nlp import development_cache, models, starter_data
from gui.nlp.evaluate import Counts, EvaluationReport
from gui.nlp.holder import HolderScorer
from gui.nlp.pipeline import DEFAULT_PIPELINES
from gui.nlp.prefill import Prefiller, _requested_pipeline
from gui.nlp.stance import StanceSuggestion
from gui.nlp.stance_model import INPUTS, OVERRULE, build_classifier
from gui.nlp.starter import use_recognizer
from gui.nlp.train_data import (
    Split,
    TrainingDocument,
    TrainingError,
    default_source,
    load_documents,
    split_documents,
    untouched_texts,
)
from gui.nlp.train_ner import fine_tune_ner
from gui.nlp.train_stance import StanceData, calibrate, collect, train_classifier
from gui.nlp.uncertainty import SCORE_LIMIT, score_documents

NER_ITERATIONS = 6
# Passes over the training text are capped by words: six over a few dozen articles, fewer
# over hundreds (the recognizer has seen enough examples per label by then, and 500 articles
# must train within five minutes on two cores).
NER_WORD_BUDGET = 300_000
# The same for the stance classifier, counted in sentences: a bag-of-words model has seen
# enough after a few passes over thousands of sentences.
STANCE_SENTENCE_BUDGET = 24_000
STANCE_ITERATIONS = 12
SEED = 0
# Shares of the progress bar, by how long each step takes on a typical project.
_WEIGHTS = {"current": 10, "parse": 15, "stance": 5, "ner": 50, "trained": 10, "score": 10}


class Cancelled(MarginaliaError):
    """The user cancelled training; nothing was written."""


@dataclass
class TrainReport:
    version: int
    source: str
    train_documents: int
    test_documents: int
    rehearsal_documents: int
    current_name: str
    current: EvaluationReport
    trained: EvaluationReport
    better: bool = False
    used: bool = False
    scored: int = 0
    seconds: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    ner_iterations: int = 0
    folder: Path | None = None
    notes: list[str] = field(default_factory=list)
    # the starter's development articles the stance classifier learned from too
    # (starter_data.py); 0 where the starter does not fit the project or is off
    development_documents: int = 0

    def trained_on(self) -> str:
        """What the version learned from, in a user's words."""
        own = f"your {self.train_documents} document{'s' * (self.train_documents != 1)}"
        if not self.development_documents:
            return own
        return f"{own} + the starter's {self.development_documents} development articles"

    def rows(self) -> list[tuple[str, Counts, Counts]]:
        """(what, current, trained) for every label, polarity and target either side has."""
        a, b = self.current, self.trained
        out: list[tuple[str, Counts, Counts]] = []
        for name in sorted(set(a.entity_labels) | set(b.entity_labels)):
            out.append((f"entity {name}", a.entity_labels[name], b.entity_labels[name]))
        out.append(("entities (all)", a.entities, b.entities))
        for name in sorted(set(a.stance_polarities) | set(b.stance_polarities)):
            out.append((f"stance {name}", a.stance_polarities[name], b.stance_polarities[name]))
        for name in sorted(set(a.stance_by_target) | set(b.stance_by_target)):
            out.append((f"target {name}", a.stance_by_target[name], b.stance_by_target[name]))
        out.append(("stance (all)", a.stance, b.stance))
        return out

    def table(self) -> str:
        head = (f"v{self.version}: trained on {self.trained_on()} ({self.source} sets), "
                f"measured on your {self.test_documents} held-out documents")
        lines = [head, f"{'':<34}{'current P':>10}{'R':>7}{'F1':>7}   {'trained P':>10}"
                 f"{'R':>7}{'F1':>7}"]
        for name, c, t in self.rows():
            lines.append(f"{name[:33]:<34}{c.precision:>10.3f}{c.recall:>7.3f}{c.f1:>7.3f}   "
                         f"{t.precision:>10.3f}{t.recall:>7.3f}{t.f1:>7.3f}")
        lines.append(f"{'holder right':<34}{holder_figure(self.current):>24}   "
                     f"{holder_figure(self.trained):>24}")
        return "\n".join(lines)

    def summary(self, how_to_use: str = "use it with --use or Tools ▸ Train…") -> str:
        """One line; ``how_to_use`` says how to switch to a version that was kept beside the
        current pre-fill, in the terms of whoever shows it (the command's options here, the
        training dialog's button there)."""
        verdict = ("better than the current pre-fill" if self.better
                   else "not better than the current pre-fill")
        state = "now in use" if self.used else f"kept beside it ({how_to_use})"
        return (f"trained v{self.version} on {self.trained_on()} in {self.seconds:.0f} s: "
                f"{verdict} on the held-out "
                f"split (F1 entities {self.current.entities.f1:.3f} → "
                f"{self.trained.entities.f1:.3f}, stance {self.current.stance.f1:.3f} → "
                f"{self.trained.stance.f1:.3f}); {state}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "version": self.version, "folder": str(self.folder) if self.folder else None,
            "source": self.source, "train_documents": self.train_documents,
            "test_documents": self.test_documents,
            "development_documents": self.development_documents,
            "rehearsal_documents": self.rehearsal_documents,
            "current_pipeline": self.current_name, "current": self.current.as_dict(),
            "trained": self.trained.as_dict(), "better": self.better, "used": self.used,
            "scored_documents": self.scored, "seconds": round(self.seconds, 1),
            "ner_iterations": self.ner_iterations,
            "step_seconds": {k: round(v, 1) for k, v in self.steps.items()},
        }


def is_better(current: EvaluationReport, trained: EvaluationReport) -> bool:
    """Better: neither entity nor stance F1 lower on the held-out split, and one higher. A
    version that buys better entities with worse stances is kept, not switched to."""
    pairs = [(current.entities.f1, trained.entities.f1), (current.stance.f1, trained.stance.f1)]
    return all(t >= c - 1e-9 for c, t in pairs) and any(t > c + 1e-9 for c, t in pairs)


def holder_figure(report: EvaluationReport) -> str:
    if not report.holders_scored:
        return "–"
    return f"{report.holders_right}/{report.holders_scored} " \
           f"({100 * report.holders_right / report.holders_scored:.0f}%)"


class _Progress:
    def __init__(self, report: Callable[[int, int], None] | None,
                 cancelled: Callable[[], bool] | None):
        self.report = report
        self.is_cancelled = cancelled
        self.done = 0.0
        self.seconds: dict[str, float] = {}  # time spent per step, for the report
        self._phase, self._since = "", time.perf_counter()

    def advance(self, phase: str, fraction: float, *, check: bool = True) -> None:
        """Move the bar; ``check`` raises Cancelled if asked to stop (not once the new
        version is in place: cancelling the ranking after that keeps the version)."""
        if phase != self._phase:
            self.close()
            self._phase = phase
        self.done += _WEIGHTS[phase] * fraction
        if self.report:
            self.report(int(self.done), sum(_WEIGHTS.values()))
        if check:
            self.check()

    def close(self) -> None:
        """Stop the current step's clock."""
        now = time.perf_counter()
        if self._phase:
            self.seconds[self._phase] = self.seconds.get(self._phase, 0) + now - self._since
        self._phase, self._since = "", now

    def check(self) -> None:
        if self.is_cancelled is not None and self.is_cancelled():
            raise Cancelled("training cancelled: nothing was changed")

    def cancelled(self) -> bool:
        return self.is_cancelled is not None and self.is_cancelled()


def base_pipeline(project: Project) -> str:
    """The installed pipeline a version starts from (never an earlier trained version: each
    version learns from all the corrections, from the same start)."""
    requested = _requested_pipeline(project, None)
    if requested and requested != "rules-only":
        return requested
    for name in DEFAULT_PIPELINES:
        if spacy.util.is_package(name):
            return name
    raise TrainingError(
        "training needs an installed spaCy pipeline (one of "
        f"{', '.join(DEFAULT_PIPELINES)}); this one runs on rules only"
    )


def as_stance(s: StanceSuggestion) -> Stance:
    """A suggestion as the stored kind of stance, so it can be scored against a set."""
    return Stance(0, s.start, s.end, s.target, s.polarity,
                  s.holder[0] if s.holder else None, s.holder[1] if s.holder else None,
                  s.confidence, "prefill")


def evaluate_prefiller(
    prefiller: Prefiller, documents: Sequence[TrainingDocument],
    step: Callable[[float], None] | None = None,
) -> EvaluationReport:
    """The pre-fill's suggestions for ``documents``, made in memory, against their sets."""
    report = EvaluationReport()
    by_id = {d.doc_id: d for d in documents}
    for result in prefiller.run(iter((d.doc_id, d.text) for d in documents)):
        document = by_id[result.doc_id]
        report.add(set(document.entities), set(result.entities), list(document.stances),
                   [as_stance(s) for s in result.stances])
        if step:
            step(1 / len(documents))
    return report


def rehearsal_texts(project: Project, count: int) -> list[str]:
    """Text nobody corrected: the project's untouched documents, else the shipped samples."""
    texts = [text for _id, text in untouched_texts(project, count)]
    if not texts:
        folder = Path(str(files("gui.resources").joinpath("sample")))
        texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    return texts


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


@dataclass
class TrainedStance:
    """What training makes for stance: the classifier, the holder scorer, and when to trust
    the classifier (``calibrate``). A trained version and the starter (starter_build.py) are
    both made by ``train_stance`` and written by ``save``."""

    classifier: Language
    holder: HolderScorer
    targets: list[str]
    polarities: list[str]
    threshold: float
    veto: float
    iterations: int

    def save(self, folder: Path) -> None:
        """``stance/`` as spaCy writes it and ``holder.json``: what StanceModel.load reads
        beside the folder's training.json (whose stance part is ``info``)."""
        self.classifier.to_disk(folder / "stance")
        self.holder.save(folder / "holder.json")

    def info(self) -> dict[str, Any]:
        return {"targets": self.targets, "polarities": self.polarities,
                "threshold": self.threshold, "veto": self.veto, "overrule": OVERRULE,
                "inputs": INPUTS}


def _development_data(
    base: Prefiller, classifier: Language, targets: list[str], polarities: list[str],
    development: Sequence[TrainingDocument], step: Callable[[float], None],
) -> StanceData:
    """``collect`` of the development articles, read from this user's cache where the same
    articles were parsed by the same pipeline, rules and code before (development_cache.py),
    else parsed and kept for the next training."""
    if not development:
        return collect(base, classifier, targets, development, step)
    key = development_cache.key(base, development)
    data = development_cache.read(key, classifier.vocab, targets, polarities)
    if data is not None:
        step(1.0)
        return data
    data = collect(base, classifier, targets, development, step)
    development_cache.write(key, data, targets)
    return data


def train_stance(
    base: Prefiller, documents: Sequence[TrainingDocument], iterations: int | None = None,
    steps: _Progress | None = None, development: Sequence[TrainingDocument] = (),
    repeat: int | None = None,
) -> TrainedStance:
    """The stance classifier and the holder scorer learned from ``documents``, parsed by
    ``base`` (the installed pipeline and the rules; train_stance.py), with the threshold and
    veto chosen by cross-validation over them. ``iterations`` None: as many passes as
    STANCE_SENTENCE_BUDGET allows, at most STANCE_ITERATIONS.

    ``development``: the starter's development examples (starter_data.py) learned from too,
    with ``documents`` seen ``repeat`` times (None: starter_data.repeat) so that a few dozen
    of the project's own corrections are not drowned by them."""
    steps = steps or _Progress(None, None)
    schema = base.schema
    targets, polarities = list(schema.target_names), list(schema.polarities)
    classifier = build_classifier(targets, polarities)
    share = len(development) / max(1, len(development) + len(documents))
    data = _development_data(base, classifier, targets, polarities, development,
                             lambda f: steps.advance("parse", f * share))
    own = collect(base, classifier, targets, documents,
                  lambda f: steps.advance("parse", f * (1 - share)))
    if repeat is None:
        repeat = starter_data.repeat(len(documents), len(development))
    data.extend(own, repeat if development else 1)
    if iterations is None:
        iterations = max(3, min(STANCE_ITERATIONS,
                                STANCE_SENTENCE_BUDGET // max(1, len(data.folds))))
    steps.advance("stance", 0)  # cross-validation and the classifier itself
    threshold, veto = calibrate(data, targets, polarities, iterations, steps.check)
    train_classifier(classifier, data.examples, data.truths, iterations, steps.check,
                     lambda f: steps.advance("stance", f))
    holder = HolderScorer.fit(data.holder_rows, data.holder_truths)
    return TrainedStance(classifier, holder, targets, polarities, threshold, veto, iterations)


def ner_passes(documents: Sequence[TrainingDocument]) -> int:
    """How many passes the recognizer's fine-tuning makes over ``documents``: NER_ITERATIONS,
    fewer as the words grow past NER_WORD_BUDGET, never below two."""
    words = sum(len(d.text.split()) for d in documents)
    return max(2, min(NER_ITERATIONS, NER_WORD_BUDGET // max(1, words)))


def pipeline_to_tune(base: Prefiller, base_name: str) -> Language:
    """The pipeline whose recognizer a new version fine-tunes: the installed one, with the
    starter's recognizer where ``base`` uses the starter, so a version starts from the
    entities pre-fill gives now and does not fall behind what the development articles
    taught."""
    nlp = spacy.load(base_name)
    if base.starter_folder is not None:
        use_recognizer(nlp, base.starter_folder)
    return nlp


def train_project(
    project: Project,
    *,
    source: str | None = None,
    use: bool = False,
    ner_iterations: int | None = None,
    stance_iterations: int | None = None,
    score_limit: int = SCORE_LIMIT,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    split: Split | None = None,
) -> TrainReport:
    """Train a new version from the project's finished sets (see the module docstring).

    ``split`` replaces the project's own held-out split (the learning-curve benchmark holds
    out whole source articles instead).
    """
    started = time.perf_counter()
    steps = _Progress(progress, cancelled)
    source = split.source if split else source or default_source(project)
    split = split or split_documents(project, load_documents(project, source), source)
    base_name = base_pipeline(project)
    models.check_may_store(project)
    steps.advance("current", 0)

    current = Prefiller(project)
    current_report = evaluate_prefiller(
        current, split.test, lambda f: steps.advance("current", f))
    # the installed pipeline parses the training text (with the starter's recognizer where
    # the starter is used): the current one, unless it is a trained version
    base = current if current.trained is None or current.starter else \
        Prefiller(project, base_name)

    schema = project.schema
    steps.advance("parse", 0)  # each step's clock starts where the step does
    development = starter_data.unseen(starter_data.development_documents(project, base.loaded),
                                      [*split.train, *split.test])
    stance = train_stance(base, split.train, stance_iterations, steps, development)

    if ner_iterations is None:
        ner_iterations = ner_passes(split.train)
    steps.advance("ner", 0)
    nlp = pipeline_to_tune(base, base_name)
    rehearsal = rehearsal_texts(project, len(split.train))
    fine_tune_ner(nlp, schema, split.train, rehearsal, iterations=ner_iterations, seed=SEED,
                  step=lambda: steps.advance("ner", 1 / max(1, ner_iterations)),
                  cancelled=steps.cancelled)
    steps.check()

    steps.advance("trained", 0)
    where = models.shelf(project)
    version, build = models.new_build(project)
    with build as building:  # held until kept: no tidy takes it; deleted if this fails
        nlp.meta["name"] = f"marginalia_v{version}"
        nlp.meta["description"] = (f"{base_name} with its entity recognizer fine-tuned on "
                                   f"{project.path.name} ({source} sets)")
        nlp.to_disk(building / "pipeline")
        stance.save(building)
        info: dict[str, Any] = {
            "version": version, "base": base_name, "source": source, **stance.info(),
            "train_documents": [d.doc_id for d in split.train],
            "development_documents": len(development),
            "test_documents": [d.doc_id for d in split.test],
            "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _write_json(building / "training.json", info)
        trained = Prefiller(project, trained=building)
        trained_report = evaluate_prefiller(
            trained, split.test, lambda f: steps.advance("trained", f))
        report = TrainReport(
            version, source, len(split.train), len(split.test), len(rehearsal),
            f"{current.loaded.name} {current.version}", current_report, trained_report,
            development_documents=len(development),
        )
        report.better = is_better(current_report, trained_report)
        _write_json(building / "training.json", {**info, "figures": report.as_dict()})
        with project.transaction():  # on a server: the version's rows and its number at once
            final = where.keep(version, building)
            models.record_issued(project, version)
    report.folder = final
    if report.better or use:
        models.use_version(project, version)
        report.used = True
        steps.advance("score", 0, check=False)
        report.scored = score_documents(
            project, Prefiller(project), limit=score_limit,
            step=lambda f: steps.advance("score", f, check=False), cancelled=steps.cancelled)
    steps.close()
    report.steps = steps.seconds
    report.ner_iterations = ner_iterations
    report.seconds = time.perf_counter() - started
    if progress:
        progress(sum(_WEIGHTS.values()), sum(_WEIGHTS.values()))
    return report
