"""Entity agreement with partial credit, over the whole project (docs/review.md, "Entities
with partial credit").

For every annotator pair, on the documents both finished, each annotator's distinct entities
(start, end, label) are compared three ways, overall, per label and per pair, each as
2 shared / (first's + second's):

- exact F1: the same start, end and label;
- overlap F1: entities of the same label paired one to one when they overlap at all
  (gui/review/span_matching.py, the rule stance frames are matched by);
- token Dice: the (token, label) pairs each annotator covered, so an entity that is one token
  short still earns credit for the tokens it shares.

Krippendorff's unitizing alpha (gui/review/unitizing.py) runs over the documents every
annotator finished, each label a category. Every figure is a ``Statistic``.
"""

from __future__ import annotations

import itertools

import numpy as np

from gui.review import chance
from gui.review.bootstrap import Statistic
from gui.review.columns import ComparedSets, EntityColumns
from gui.review.entity_agreement import changes, row_keys, token_values
from gui.review.span_matching import match_span_arrays
from gui.review.unitizing import unitizing_rows

NO_ENTITIES = "no annotator marked an entity on a compared document"
KINDS = ("exact_f1", "overlap_f1", "token_dice")


def partial_statistics(sets: ComparedSets, entities: EntityColumns, labels: list[str],
                       tokens: tuple[np.ndarray, np.ndarray], lengths: np.ndarray
                       ) -> dict[str, Statistic]:
    """Statistics named "overlap_f1", "token_dice", "alpha_u", "per_label.<label>.<kind>",
    "per_pair.<a|b>.<kind>", and "exact_f1" (the existing overall F1, for its interval)."""
    documents, q = len(sets.document_ids), len(labels)
    distinct = changes(entities.document, entities.annotator, entities.start, entities.end,
                       entities.label)
    token, token_label, token_owner = _covered_tokens(entities, distinct, tokens)
    pooled = {kind: np.zeros((documents, q, 3)) for kind in KINDS}
    stats: dict[str, Statistic] = {}
    for a, b in itertools.combinations(range(len(sets.annotators)), 2):
        both = sets.done[:, a] & sets.done[:, b]
        mine = np.flatnonzero(distinct & (entities.annotator == a) & both[entities.document])
        theirs = np.flatnonzero(distinct & (entities.annotator == b) & both[entities.document])
        counts = {
            "exact_f1": _exact(entities, mine, theirs, documents, q),
            "overlap_f1": _overlapping(entities, mine, theirs, documents, q, sets.stride),
            "token_dice": _tokens_shared(token, token_label, token_owner, entities, a, b,
                                         both, tokens[0] // sets.stride, documents, q),
        }
        key = f"{sets.annotators[a]}|{sets.annotators[b]}"
        for kind, found in counts.items():
            pooled[kind] += found
            stats[f"per_pair.{key}.{kind}"] = Statistic.of(found.sum(axis=1), chance.f1,
                                                           NO_ENTITIES)
    for kind in KINDS:
        stats[kind] = Statistic.of(pooled[kind].sum(axis=1), chance.f1, NO_ENTITIES)
        for index, label in enumerate(labels):
            stats[f"per_label.{label}.{kind}"] = Statistic.of(
                pooled[kind][:, index], chance.f1,
                f"no annotator marked {label} on a compared document")
    stats["alpha_u"] = _alpha_u(sets, entities, lengths)
    return stats


def token_alpha_statistic(sets: ComparedSets, entities: EntityColumns, labels: int,
                          tokens: tuple[np.ndarray, np.ndarray]) -> Statistic:
    """The token alpha (the existing figure) as sums per document, for its interval."""
    values, document = token_values(sets, entities, labels, tokens)
    documents = len(sets.document_ids)
    if not len(values):
        return Statistic.of(np.zeros((documents, labels + 2)), chance.alpha_nominal,
                            NO_ENTITIES)
    # many tokens share a document and a value vector: count those before making rows
    vector = row_keys(values, len(sets.annotators) + 1)
    span = int(vector.max()) + 1
    keys = document * span + vector if span * documents < 2**62 else \
        row_keys(np.column_stack([document, values]), max(documents, len(sets.annotators) + 1))
    _keys, first, counts = np.unique(keys, return_index=True, return_counts=True)
    rows = chance.nominal_rows(values[first]) * counts[:, None]
    return Statistic.of(chance.per_document(rows, document[first], documents),
                        chance.alpha_nominal, NO_ENTITIES)


def _exact(entities: EntityColumns, mine: np.ndarray, theirs: np.ndarray, documents: int,
           q: int) -> np.ndarray:
    """documents x labels x (shared, first's, second's) for identical entities."""
    def keys(rows: np.ndarray) -> np.ndarray:
        return (entities.start[rows] * (entities.end.max(initial=0) + 1)
                + entities.end[rows]) * q + entities.label[rows]

    _shared, where, _ = np.intersect1d(keys(mine), keys(theirs), assume_unique=True,
                                       return_indices=True)
    return _counts(entities.document[mine[where]], entities.label[mine[where]], mine,
                   theirs, entities, documents, q)


def _overlapping(entities: EntityColumns, mine: np.ndarray, theirs: np.ndarray,
                 documents: int, q: int, stride: int) -> np.ndarray:
    """documents x labels x (paired, first's, second's) for entities of one label paired one
    to one by overlap."""
    band = entities.label * (documents * stride)  # labels never overlap each other
    first, _second = match_span_arrays(band[mine] + entities.start[mine],
                                       band[mine] + entities.end[mine],
                                       band[theirs] + entities.start[theirs],
                                       band[theirs] + entities.end[theirs])
    paired = mine[first]
    return _counts(entities.document[paired], entities.label[paired], mine, theirs, entities,
                   documents, q)


def _counts(document: np.ndarray, label: np.ndarray, mine: np.ndarray, theirs: np.ndarray,
            entities: EntityColumns, documents: int, q: int) -> np.ndarray:
    out = np.zeros((documents, q, 3))
    for column, (d, lab) in enumerate(((document, label),
                                       (entities.document[mine], entities.label[mine]),
                                       (entities.document[theirs], entities.label[theirs]))):
        out[:, :, column] = np.bincount(d * q + lab, minlength=documents * q).reshape(
            documents, q)
    return out


def _covered_tokens(entities: EntityColumns, distinct: np.ndarray,
                    tokens: tuple[np.ndarray, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(token index, label, annotator) of every token a distinct entity overlaps."""
    tokens_start, tokens_end = tokens
    rows = np.flatnonzero(distinct)
    first = np.searchsorted(tokens_end, entities.start[rows], side="right")
    last = np.searchsorted(tokens_start, entities.end[rows], side="left")
    width = np.maximum(last - first, 0)
    owner = np.repeat(rows, width)
    step = np.arange(len(owner)) - np.repeat(np.cumsum(width) - width, width)
    token = np.repeat(first, width) + step
    return token, entities.label[owner], entities.annotator[owner]


def _tokens_shared(token: np.ndarray, label: np.ndarray, owner: np.ndarray,
                   entities: EntityColumns, a: int, b: int, both: np.ndarray,
                   token_document: np.ndarray, documents: int, q: int) -> np.ndarray:
    """documents x labels x (shared, first's, second's) (token, label) pairs."""
    out = np.zeros((documents, q, 3))
    in_both = both[token_document[token]] if len(token) else np.zeros(0, dtype=bool)
    found = []
    for person in (a, b):
        keys = np.unique(token[(owner == person) & in_both] * q
                         + label[(owner == person) & in_both])
        found.append(keys)
    shared = np.intersect1d(found[0], found[1], assume_unique=True)
    for column, keys in enumerate((shared, *found)):
        document = token_document[keys // q]
        out[:, :, column] = np.bincount(document * q + keys % q,
                                        minlength=documents * q).reshape(documents, q)
    return out


def _alpha_u(sets: ComparedSets, entities: EntityColumns, lengths: np.ndarray) -> Statistic:
    """alpha_u over the documents every compared annotator finished."""
    documents, people = len(sets.document_ids), len(sets.annotators)
    everyone = np.flatnonzero(sets.everyone == people) if people >= 2 else np.zeros(0, int)
    if not len(everyone):
        return Statistic.missing("no document was finished by every annotator")
    compact = np.full(documents, -1)
    compact[everyone] = np.arange(len(everyone))
    keep = compact[entities.document] >= 0
    place = entities.document[keep] * sets.stride
    found = unitizing_rows(compact[entities.document[keep]], entities.annotator[keep],
                           entities.label[keep], entities.start[keep] - place,
                           entities.end[keep] - place, lengths[everyone], people)
    rows = np.zeros((documents, found.rows.shape[1]))
    rows[everyone] = found.rows
    reason = NO_ENTITIES if not keep.any() else "undefined for these entities"
    return Statistic.of(rows, found.finish, reason)
