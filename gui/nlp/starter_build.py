"""``make starter``: build the starter stance classifier from the development sets.

Run from a checkout (``python -m gui.nlp.starter_build``): it reads the sets named in
starter.SETS, never a held-out one. Each set is imported into a temporary project with the
default schema, every article is training data, and the classifier, the holder scorer and
their threshold and veto are made by ``train_stance``, the function ``train_project`` uses
(no second copy of training); the installed pipeline's entity recognizer is fine-tuned on
the same articles by ``fine_tune_ner``, as a project's is. The folder is written beside the
shipped one and renamed into place, with its manifest (``training.json``).

With the figures (the default; ``--no-figures`` skips them): leave one set out, build the
starter from the others, and measure the rules alone and the rules with that starter on the
set left out; both are recorded in the manifest and printed (docs/training.md shows them).
They cost one build per set more. The folds' starters have no recognizer of their own (one
per fold would add about 40 minutes): they measure the classifier on the installed one.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.nlp.evaluate import Counts, EvaluationReport
from gui.nlp.prefill import Prefiller
from gui.nlp.starter import (
    INFO,
    RECOGNIZER,
    SETS,
    SETTING,
    base_name,
    file_hashes,
    shipped_folder,
)
from gui.nlp.starter_data import write_development
from gui.nlp.train import (
    SEED,
    TrainedStance,
    evaluate_prefiller,
    holder_figure,
    ner_passes,
    rehearsal_texts,
    train_stance,
)
from gui.nlp.train_data import TrainingDocument, load_documents
from gui.nlp.train_ner import fine_tune_ner


def articles(checkout: Path, sets: Sequence[str]) -> list[Path]:
    """Each set's articles file (a set is a folder holding ``articles.jsonl``)."""
    return [checkout / s / "articles.jsonl" for s in sets]


def imported_project(folder: Path, name: str, files: Sequence[Path]) -> Project:
    """A fresh project of the files' articles, each with its annotations as a done set."""
    project = Project.create(folder / f"{name}.marginalia", load_schema())
    import_files(project, list(files))
    return project


@dataclass
class Built:
    """The fine-tuned recognizer's pipeline and what the manifest says of it."""

    nlp: Language
    info: dict[str, Any]


def train_on(files: Sequence[Path], tmp: Path, recognizer: bool = False
             ) -> tuple[TrainedStance, Prefiller, list[TrainingDocument], Built | None]:
    """The starter's parts trained on every article of ``files``, the rules-only pre-fill
    that parsed them, and the articles as imported: what ``write`` ships as the starter's
    development examples (starter_data.py). With ``recognizer``, also the installed
    pipeline's recognizer fine-tuned on them (train_ner.py, with the shipped sample texts
    to rehearse on, as a project with nothing untouched has) and what that took."""
    with imported_project(tmp, "train", files) as project:
        base = Prefiller(project, starter=False)
        documents = load_documents(project, "done")
        stance = train_stance(base, documents)
        if not recognizer:
            return stance, base, documents, None
        started = time.perf_counter()
        nlp = spacy.load(base.loaded.name)
        iterations = ner_passes(documents)
        rehearsal = rehearsal_texts(project, len(documents))
        fine_tune_ner(nlp, project.schema, documents, rehearsal, iterations=iterations,
                      seed=SEED, step=lambda: None, cancelled=lambda: False)
        return stance, base, documents, Built(nlp, {
            "iterations": iterations, "documents": len(documents),
            "rehearsal_texts": len(rehearsal),
            "seconds": round(time.perf_counter() - started)})


def write(stance: TrainedStance, base: Prefiller, folder: Path, manifest: dict[str, Any],
          documents: Sequence[TrainingDocument], recognizer: Built | None = None) -> None:
    """The starter's files in ``folder``: ``stance/``, ``holder.json``, the development
    examples (``documents``), the recognizer's ``ner/`` if there is one, and the manifest."""
    folder.mkdir(parents=True)
    stance.save(folder)
    write_development(documents, folder)
    if recognizer is not None:
        recognizer.nlp.get_pipe("ner").to_disk(folder / RECOGNIZER, exclude=["vocab"])
        manifest = {**manifest, "recognizer": recognizer.info}
    meta = base.loaded.nlp.meta
    info = {**stance.info(), "base": base_name(base.loaded),
            "base_version": str(meta.get("version", "")), "rules_version": base.version,
            **manifest}
    (folder / INFO).write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")


def _figures(report: EvaluationReport) -> dict[str, Any]:
    s = report.stance
    return {"tp": s.tp, "fp": s.fp, "fn": s.fn, "precision": round(s.precision, 3),
            "recall": round(s.recall, 3), "f1": round(s.f1, 3),
            "holders_right": report.holders_right, "holders_scored": report.holders_scored}


def fold(checkout: Path, train_sets: Sequence[str], test_set: str) -> dict[str, Any]:
    """Rules alone and rules + a starter built from ``train_sets``, on ``test_set``."""
    with tempfile.TemporaryDirectory(prefix="starter-fold-") as tmp:
        where = Path(tmp)
        stance, base, documents, _none = train_on(articles(checkout, train_sets), where)
        write(stance, base, where / "starter", {"sets": list(train_sets)}, documents)
        with imported_project(where, "test", articles(checkout, [test_set])) as project:
            documents = load_documents(project, "done")
            rules = evaluate_prefiller(Prefiller(project, starter=False), documents)
            project.set_setting(SETTING, str(where / "starter"))
            with_starter = Prefiller(project)
            assert with_starter.starter is not None, "the fold's starter does not fit"
            starter = evaluate_prefiller(with_starter, documents)
    return {"train": list(train_sets), "test": test_set, "threshold": stance.threshold,
            "rules": _figures(rules), "rules_starter": _figures(starter),
            "reports": (rules, starter)}


def leave_one_out(checkout: Path, sets: Sequence[str] = SETS) -> list[dict[str, Any]]:
    return [fold(checkout, [s for s in sets if s != held], held) for held in sets]


def table(folds: list[dict[str, Any]]) -> str:
    """The folds as Markdown, then their counts added up."""
    rows = ["| train → test | rules P | R | F1 | holders | rules + starter P | R | F1 | holders "
            "| threshold |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    totals = [EvaluationReport(), EvaluationReport()]
    for one in folds:
        cells = []
        for report, total in zip(one["reports"], totals, strict=True):
            s = report.stance
            cells.append(f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | "
                         f"{holder_figure(report)}")
            total.stance = Counts(total.stance.tp + s.tp, total.stance.fp + s.fp,
                                  total.stance.fn + s.fn)
            total.holders_right += report.holders_right
            total.holders_scored += report.holders_scored
        name = f"{' + '.join(Path(t).name for t in one['train'])} → {Path(one['test']).name}"
        threshold = "never" if one["threshold"] > 1 else f"{one['threshold']:g}"
        rows.append(f"| {name} | {' | '.join(cells)} | {threshold} |")
    summed = [f"{t.stance.precision:.3f} | {t.stance.recall:.3f} | {t.stance.f1:.3f} | "
              f"{holder_figure(t)}" for t in totals]
    rows.append(f"| all folds | {' | '.join(summed)} | |")
    return "\n".join(rows)


def build(checkout: Path, out: Path, sets: Sequence[str] = SETS, figures: bool = True) -> str:
    """Build the starter into ``out`` (replaced whole, by a rename); the figures' table, or
    an empty string without them."""
    started = time.perf_counter()
    folds = leave_one_out(checkout, sets) if figures else []
    with tempfile.TemporaryDirectory(prefix="starter-build-") as tmp:
        stance, base, documents, recognizer = train_on(articles(checkout, sets), Path(tmp),
                                                       recognizer=True)
    manifest = {
        "sets": file_hashes(checkout, tuple(sets)),
        "iterations": stance.iterations,
        "dev_folds": [{k: v for k, v in one.items() if k != "reports"} for one in folds],
        "build_seconds": round(time.perf_counter() - started),
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }
    staging = out.with_name(f".{out.name}.new")
    shutil.rmtree(staging, ignore_errors=True)
    write(stance, base, staging, manifest, documents, recognizer)
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)
    return table(folds) if folds else ""


def main(argv: list[str]) -> int:
    checkout = Path.cwd()
    if not all((checkout / s / "articles.jsonl").is_file() for s in SETS):
        print(f"run from a checkout: {', '.join(SETS)} not found under {checkout}",
              file=sys.stderr)
        return 1
    out = shipped_folder()
    shown = build(checkout, out, figures="--no-figures" not in argv)
    if shown:
        print(shown)
    info = json.loads((out / INFO).read_text(encoding="utf-8"))
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"starter written to {out} ({size / 1e6:.1f} MB) in {info['build_seconds']} s; "
          f"threshold {info['threshold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
