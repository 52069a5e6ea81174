"""Who holds a stance: a learned-weight choice among the sentence's entities.

Why a logistic regression in numpy: the choice depends on a handful of clues a reader uses
("the subject of 'said'", "the first name in the sentence", "inside the quotes or not", what
the rules chose) whose weights differ between kinds of coverage. A dozen weights learned from
the training split capture that, train in milliseconds, and are stored as plain JSON beside
the pipeline: nothing is unpickled. Each candidate is scored on its own; the best one is the
holder when its probability passes one half, else the stance has no holder (a pronoun).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
from spacy.tokens import Span, Token

from gui.nlp.holders import HOLDER_LABEL_ORDER as HOLDER_LABELS

_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "agent"}
_QUOTES = {'"', "“", "”", "«", "»"}
FEATURES = (
    "bias", *(f"label_{label}" for label in HOLDER_LABELS), "subject", "speaker",
    "subject_of_root", "possessor", "by_or_according", "first", "last", "position",
    "in_quotes", "rules_choice", "depth", "in_subject", "agent",
)
# How a name sits inside a noun phrase ("a US embassy spokesperson", "a subsidiary of Russian
# Railways", "Cuba's energy ministry"): the phrase, not the name, is what the verb governs.
_MODIFIERS = {"compound", "amod", "nmod", "poss", "appos"}
ITERATIONS = 400
LEARNING_RATE = 0.5
L2 = 0.01


def candidates(sent: Span, labels: Collection[str] = HOLDER_LABELS,
               ents: Sequence[Span] | None = None) -> list[Span]:
    """Entities in the sentence that can take a stance: of ``labels``, which the project's
    schema may narrow (holders.schema_holder_labels), as the holder popup is. ``ents``: the
    sentence's entities when the caller has them (``DocContext.ents_within``): ``Span.ents``
    makes a Span of every entity in the Doc to find them."""
    return [e for e in (sent.ents if ents is None else ents) if e.label_ in labels]


def phrase_head(token: Token) -> Token:
    """The noun of the phrase a name modifies: through compounds, possessives, appositions
    and "of" ("a subsidiary of Russian Railways" -> subsidiary); the name itself otherwise."""
    for _step in range(6):
        if token.dep_ in _MODIFIERS and token.head.i != token.i:
            token = token.head
        elif token.dep_ == "pobj" and token.head.lower_ == "of" and token.head.dep_ == "prep":
            token = token.head.head
        else:
            break
    return token


def features(
    entity: Span, sent: Span, found: Sequence[Span], speech_verbs: set[str],
    rules_holder: tuple[int, int] | None,
) -> list[float]:
    """The clues for one candidate, in the order of FEATURES."""
    root = entity.root
    head = root.head
    phrase = phrase_head(root)
    quotes_before = sum(1 for t in sent.doc[sent.start : entity.start] if t.text in _QUOTES)
    depth, node = 0, root
    while node.head.i != node.i and depth < 20:
        node, depth = node.head, depth + 1
    first = bool(found) and found[0].start == entity.start
    last = bool(found) and found[-1].start == entity.start
    by_or_according = head.lower_ in ("by", "to") and root.dep_ == "pobj"
    chosen = rules_holder is not None and rules_holder[0] < entity.end_char \
        and entity.start_char < rules_holder[1]
    return [
        1.0,
        *(float(entity.label_ == label) for label in HOLDER_LABELS),
        float(root.dep_ in _SUBJECTS),
        float(root.dep_ in _SUBJECTS and head.lemma_.lower() in speech_verbs),
        float(root.dep_ in _SUBJECTS and head.i == sent.root.i),
        float(root.dep_ == "poss"),
        float(by_or_according),
        float(first),
        float(last),
        (entity.start - sent.start) / max(1, len(sent)),
        float(quotes_before % 2 == 1),
        float(chosen),
        min(depth, 6) / 6,
        # part of the subject's phrase ("a US embassy spokesperson said", "a subsidiary of
        # Russian Railways runs it"): the one who speaks or acts is a member of it
        float(phrase.i != root.i and phrase.dep_ in _SUBJECTS),
        # the doer of a passive or a participle ("run by a subsidiary of Russian Railways",
        # "a letter led by Senator Whitaker"): the subject of the deed in all but form
        float(phrase.dep_ == "pobj" and phrase.head.dep_ == "agent"),
    ]


class HolderScorer:
    def __init__(self, weights: np.ndarray):
        self.weights = weights

    @classmethod
    def fit(cls, rows: list[list[float]], labels: list[int]) -> HolderScorer:
        """Logistic regression by gradient descent with a little L2 (no bias penalty)."""
        weights = np.zeros(len(FEATURES))
        if not rows or len(set(labels)) < 2:
            weights[FEATURES.index("rules_choice")] = 2.0  # nothing to learn: trust the rules
            weights[0] = -1.0
            return cls(weights)
        x = np.asarray(rows, dtype=float)
        y = np.asarray(labels, dtype=float)
        penalty = np.full(len(FEATURES), L2)
        penalty[0] = 0.0
        for _ in range(ITERATIONS):
            p = 1 / (1 + np.exp(-(x @ weights)))
            weights -= LEARNING_RATE * (x.T @ (p - y) / len(y) + penalty * weights)
        return cls(weights)

    def probabilities(self, rows: list[list[float]]) -> np.ndarray:
        if not rows:
            return np.zeros(0)
        return 1 / (1 + np.exp(-(np.asarray(rows, dtype=float) @ self.weights)))

    def choose(
        self, sent: Span, speech_verbs: set[str], rules_holder: tuple[int, int] | None,
        labels: Collection[str] = HOLDER_LABELS, ents: Sequence[Span] | None = None,
    ) -> Span | None:
        """The likeliest holder among the sentence's entities (``ents``, when the caller has
        read them: ``candidates``), or None when none passes one half."""
        found = candidates(sent, labels, ents)
        rows = [features(e, sent, found, speech_verbs, rules_holder) for e in found]
        scores = self.probabilities(rows)
        if not len(scores) or scores.max() < 0.5:
            return None
        return found[int(scores.argmax())]

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(
            {"features": list(FEATURES), "weights": [round(float(w), 6) for w in self.weights]},
            indent=1,
        ), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> HolderScorer:
        """Weights by feature name: a version trained before a clue was added scores as it
        did (the clue weighs nothing there); one naming a clue this code lacks is refused."""
        data = json.loads(path.read_text(encoding="utf-8"))
        names, weights = data.get("features", []), data.get("weights", [])
        named = dict(zip(names, weights, strict=False))
        if not named or len(names) != len(weights) or set(named) - set(FEATURES):
            raise ValueError(f"{path}: holder features differ from this version's")
        return cls(np.asarray([named.get(f, 0.0) for f in FEATURES], dtype=float))
