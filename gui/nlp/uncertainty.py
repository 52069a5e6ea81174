"""Which document next: how unsure the trained model is about each untouched document.

Why uncertainty: a correction teaches the model most where it could not decide (Prodigy's
``teach`` recipes ask about the examples whose score is nearest 0.5 for the same reason).
Two signals, each from 0 (sure) to 1 (a coin toss), averaged:

- stance: per sentence and target, one minus the margin between the classifier's two most
  probable classes; a document's figure is the mean of its five least certain sentences
  (doubt.py, the measure the starter's scores recorded during pre-fill use too);
- entities: the recognizer's beam (``beam_parse`` + ``scored_ents``, four parses) gives each
  candidate entity a probability; ``2 * min(p, 1 - p)`` averaged over the candidates.

Scores are stored per document with the model they belong to (table ``document_scores``), so
the document list orders by them with one SQL join and never computes anything while painting.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from spacy.tokens import Doc

from gui.core.store import Project, now
from gui.nlp.doubt import document_doubt, sentence_doubts
from gui.nlp.models import SETTING, announce
from gui.nlp.prefill import Prefiller
from gui.nlp.train_data import untouched_texts

BEAM_WIDTH = 4
WRITE_BATCH = 50
# Untouched documents scored when a version comes into use (by training or by the Train
# dialog's switch): the head of a long queue is what "most to gain first" shows, and
# scoring costs about a parse per document.
SCORE_LIMIT = 2000


def stance_uncertainty(prefiller: Prefiller, doc: Doc) -> float:
    assert prefiller.trained is not None
    reading = prefiller.stance.read(doc)
    rules = prefiller.stance.find(doc, 0, reading)
    facts = prefiller.trained.facts(doc, reading)
    rows = [by_target for _sent, _previous, by_target
            in prefiller.trained.probabilities(doc, 0, rules, facts)]
    tables = [np.array([list(by_target[target].values()) for by_target in rows])
              for target in prefiller.trained.targets] if rows else []
    return document_doubt(sentence_doubts(tables))


def entity_uncertainty(prefiller: Prefiller, doc: Doc) -> float:
    nlp = prefiller.loaded.nlp
    if "ner" not in nlp.pipe_names:
        return 0.0
    ner = nlp.get_pipe("ner")
    fresh = Doc(doc.vocab, words=[t.text for t in doc], spaces=[bool(t.whitespace_) for t in doc])
    [scores] = ner.scored_ents(ner.beam_parse([fresh], beam_width=BEAM_WIDTH))
    if not scores:
        return 0.0
    return sum(2 * min(p, 1 - p) for p in scores.values()) / len(scores)


def score_documents(
    project: Project,
    prefiller: Prefiller,
    *,
    limit: int,
    step: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Score up to ``limit`` untouched documents with the trained model in use; how many.
    The starter's scores are pre-fill's to record (prefill.py), under its own key."""
    if prefiller.trained is None or prefiller.starter is not None:
        return 0
    row = project.conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    if row is None:
        return 0  # scores belong to the version in use; there is none
    (model,) = row
    todo = untouched_texts(project, limit)
    pending: list[tuple[int, str, float, str]] = []
    done = 0
    # A document's first piece (100,000 characters) stands for it: enough to rank by.
    texts = ((text[: prefiller.chunk_chars], doc_id) for doc_id, text in todo)
    for doc, doc_id in prefiller.loaded.nlp.pipe(texts, as_tuples=True, batch_size=32):
        if cancelled is not None and cancelled():
            break
        score = (stance_uncertainty(prefiller, doc) + entity_uncertainty(prefiller, doc)) / 2
        pending.append((doc_id, model, round(score, 5), now()))
        if len(pending) >= WRITE_BATCH:
            done += _store(project, pending)
        if step:
            step(1 / len(todo))
    done += _store(project, pending)
    if done:
        announce(project)  # open windows on a server re-read their "most to gain first" list
    return done


def _store(project: Project, rows: list[tuple[int, str, float, str]]) -> int:
    with project.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO document_scores(document_id, model, score, computed_at) "
            "VALUES (?, ?, ?, ?)", rows)
    count = len(rows)
    rows.clear()
    return count
