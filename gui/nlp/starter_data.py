"""The starter's development examples, shipped beside it, for a project's own training.

Why: a project's trained version learned from its corrections alone, and with a few dozen
corrected articles it rarely beat the starter, trained on hundreds of development articles: the
loop "correct → train → better suggestions" stalled for exactly the projects the starter
serves. So where the starter fits the project (starter.fits: the same targets, polarities and
base pipeline) and is not turned off, ``train_project`` trains the stance classifier and the
holder scorer on the project's training documents *plus* these examples, the project's
repeated (up to PROJECT_REPEAT times) so its own corrections count (docs/training.md, "Training on
top of the starter"). The held-out split and the comparison stay the project's own, and a
development article the project holds itself is left out (``unseen``).

What it is: ``development.jsonl`` in the starter's folder, written by ``make starter``
(starter_build.py) from the development sets it was trained on, as their import gave them:
one article a line, its text and its stances (offsets in code points, polarity, holder),
read as JSON, never unpickled, and never from the repository's tests/ folder. The articles are
Marginalia's own hand-written development text (tests/data/stance_eval*/README.md); entities
are left out: the recognizer is fine-tuned on the project's own documents only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from gui.core.store import Project, Stance
from gui.nlp.starter import DATA, fits, read_info, starter_folder
from gui.nlp.train_data import TrainingDocument

if TYPE_CHECKING:
    from gui.nlp.pipeline import LoadedPipeline

# At most how many times each of the project's training documents is seen beside the
# development articles. ``python -m benchmarks.bench_train --starter-curve`` on three pairs of
# development sets found 3 no better than once (F1 +0.005 at 5 articles, -0.015 and -0.006 at
# 10 and 20; docs/training.md, "Training on top of the starter"): to be settled on more data.
PROJECT_REPEAT = 3


def repeat(own: int, development: int) -> int:
    """How many times the project's ``own`` training documents are seen: enough for them to
    weigh about as much as the ``development`` articles, at most PROJECT_REPEAT, and once
    when there are as many of them (a project of hundreds needs no help, and each repeat
    costs training time)."""
    if not development or not own:
        return 1
    return max(1, min(PROJECT_REPEAT, round(development / own)))


def write_development(documents: Sequence[TrainingDocument], folder: Path) -> Path:
    """``folder/development.jsonl``, written under a temporary name and renamed."""
    path = folder / DATA
    tmp = path.with_name(f".{DATA}.tmp")
    with tmp.open("w", encoding="utf-8") as out:
        for document in documents:
            stances = [{"start": s.start, "end": s.end, "target": s.target,
                        "polarity": s.polarity, "holder": list(s.holder) if s.holder else None}
                       for s in document.stances]
            out.write(json.dumps({"text": document.text, "stances": stances},
                                 ensure_ascii=False) + "\n")
    os.replace(tmp, path)
    return path


def read_development(folder: Path) -> list[TrainingDocument]:
    """The examples in ``folder``, with negative document ids (never a project's)."""
    documents = []
    with (folder / DATA).open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            row = json.loads(line)
            stances = tuple(
                Stance(0, s["start"], s["end"], s["target"], s["polarity"],
                       *(s["holder"] or (None, None)), None, "gold")
                for s in row["stances"])
            documents.append(TrainingDocument(-number, row["text"], (), stances))
    return documents


def development_documents(project: Project, loaded: LoadedPipeline) -> list[TrainingDocument]:
    """The development examples this project's training adds to its own: the starter's,
    where it is on, fits the project's schema and ``loaded`` (the pipeline that parses the
    training text), and ships them; else none (the project trains on its own data)."""
    folder = starter_folder(project)
    if folder is None or not (folder / DATA).is_file():
        return []
    schema = project.schema
    if not fits(read_info(folder), list(schema.target_names), list(schema.polarities), loaded):
        return []
    return read_development(folder)


def unseen(development: Sequence[TrainingDocument], own: Sequence[TrainingDocument]
           ) -> list[TrainingDocument]:
    """The development articles whose text is none of ``own`` (the project's training and
    held-out documents, whitespace aside): a project that imported development articles
    must not learn its held-out ones (its figures would flatter the version it switches
    to) nor count its training ones twice."""
    def words(text: str) -> str:
        return " ".join(text.split())

    known = {words(d.text) for d in own}
    return [d for d in development if words(d.text) not in known]
