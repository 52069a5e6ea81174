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
from dataclasses import dataclass

import numpy as np

from gui.review import chance
from gui.review.bootstrap import Statistic
from gui.review.columns import ComparedSets, EntityColumns
from gui.review.entity_agreement import changes, row_keys
from gui.review.span_matching import match_edges, overlapping_pairs
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
    people = range(len(sets.annotators))
    rows = {person: _by_label(entities, distinct & (entities.annotator == person))
            for person in people}
    covered = {person: _token_ranges(entities, rows[person], tokens, q) for person in people}
    pooled = {kind: np.zeros((documents, q, 3)) for kind in KINDS}
    stats: dict[str, Statistic] = {}
    for a, b in itertools.combinations(people, 2):
        both = sets.done[:, a] & sets.done[:, b]
        mine = rows[a][both[entities.document[rows[a]]]]
        theirs = rows[b][both[entities.document[rows[b]]]]
        exact, overlapping = _exact_and_overlapping(entities, mine, theirs, documents, q,
                                                    sets.stride)
        counts = {"exact_f1": exact, "overlap_f1": overlapping,
                  "token_dice": _tokens_shared(covered[a], covered[b], both, documents, q)}
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


def _by_label(entities: EntityColumns, wanted: np.ndarray) -> np.ndarray:
    """Rows of ``wanted`` ordered by label, then as ``EntityColumns`` are (document, start):
    a stable sort of small numbers, after which positions within a label only grow, so the
    binary searches of the matching meet their queries in order."""
    rows = np.flatnonzero(wanted)
    return rows[np.argsort(entities.label[rows].astype(np.uint8 if len(rows) and
                                                        entities.label.max() < 256
                                                        else np.int64), kind="stable")]


def token_alpha_statistic(values: np.ndarray, document: np.ndarray, sets: ComparedSets
                          ) -> Statistic:
    """The token alpha (the existing figure) as sums per document, for its interval; its
    units are ``entity_agreement.token_values``."""
    documents = len(sets.document_ids)
    if not len(values):
        return Statistic.of(np.zeros((documents, values.shape[1] + 1)), chance.alpha_nominal,
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


def _exact_and_overlapping(entities: EntityColumns, mine: np.ndarray, theirs: np.ndarray,
                           documents: int, q: int, stride: int
                           ) -> tuple[np.ndarray, np.ndarray]:
    """documents x labels x (shared, first's, second's), for identical entities and for
    entities of one label paired one to one by overlap. Identical entities overlap, so both
    come from the same overlapping pairs (each annotator's entities are distinct, so an
    entity has at most one identical partner)."""
    band = entities.label * (documents * stride)  # labels never overlap each other
    a_start, a_end = band[mine] + entities.start[mine], band[mine] + entities.end[mine]
    b_start, b_end = band[theirs] + entities.start[theirs], band[theirs] + entities.end[theirs]
    edge_a, edge_b = overlapping_pairs(a_start, a_end, b_start, b_end)
    same = (a_start[edge_a] == b_start[edge_b]) & (a_end[edge_a] == b_end[edge_b])
    identical = mine[edge_a[same]]
    paired = mine[match_edges(edge_a, edge_b, a_start, a_end, b_start, b_end)[0]]
    return tuple(_counts(entities.document[rows], entities.label[rows], mine, theirs, entities,
                         documents, q) for rows in (identical, paired))


def _counts(document: np.ndarray, label: np.ndarray, mine: np.ndarray, theirs: np.ndarray,
            entities: EntityColumns, documents: int, q: int) -> np.ndarray:
    out = np.zeros((documents, q, 3))
    for column, (d, lab) in enumerate(((document, label),
                                       (entities.document[mine], entities.label[mine]),
                                       (entities.document[theirs], entities.label[theirs]))):
        out[:, :, column] = np.bincount(d * q + lab, minlength=documents * q).reshape(
            documents, q)
    return out


@dataclass
class _Ranges:
    """One annotator's covered (token, label) pairs as disjoint ranges of token indices,
    each range in a band of its own per label: ``label * tokens + index``."""

    start: np.ndarray
    end: np.ndarray
    document: np.ndarray
    band: int  # the width of a label's band: the number of tokens, plus one


def _token_ranges(entities: EntityColumns, rows: np.ndarray,
                  tokens: tuple[np.ndarray, np.ndarray], q: int) -> _Ranges:
    """The tokens each entity of ``rows`` (ordered by label) overlaps, as ranges [first,
    last), overlapping ranges of one label joined, so the (token, label) pairs an annotator
    covered are the ranges' union without counting a token twice."""
    tokens_start, tokens_end = tokens
    first = np.searchsorted(tokens_end, entities.start[rows], side="right")
    last = np.searchsorted(tokens_start, entities.end[rows], side="left")
    keep = last > first
    width = len(tokens_start) + 1
    band = entities.label[rows][keep] * width
    start, end = band + first[keep], band + last[keep]
    if len(start):
        reach = np.maximum.accumulate(end)
        new = np.ones(len(start), dtype=bool)
        new[1:] = start[1:] >= reach[:-1]
        firsts = np.flatnonzero(new)
        start, end = start[firsts], np.maximum.reduceat(end, firsts)
        document = entities.document[rows][keep][firsts]
    else:
        document = start
    return _Ranges(start, end, document, width)


def _tokens_shared(a: _Ranges, b: _Ranges, both: np.ndarray, documents: int, q: int
                   ) -> np.ndarray:
    """documents x labels x (shared, first's, second's) (token, label) pairs: the shared ones
    are the overlaps of the two annotators' disjoint ranges, summed."""
    out = np.zeros((documents, q, 3))
    mine, theirs = both[a.document], both[b.document]
    a_start, a_end, a_doc = a.start[mine], a.end[mine], a.document[mine]
    b_start, b_end = b.start[theirs], b.end[theirs]
    edge_a, edge_b = overlapping_pairs(a_start, a_end, b_start, b_end)
    shared = np.minimum(a_end[edge_a], b_end[edge_b]) - np.maximum(a_start[edge_a],
                                                                   b_start[edge_b])
    for column, (document, start, size) in enumerate((
            (a_doc[edge_a], a_start[edge_a], shared),
            (a_doc, a_start, a_end - a_start),
            (b.document[theirs], b_start, b_end - b_start))):
        label = start // a.band
        out[:, :, column] = np.bincount(document * q + label, size,
                                        documents * q).reshape(documents, q)
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
    units = (compact[entities.document[keep]], entities.annotator[keep], entities.label[keep],
             entities.start[keep] - place, entities.end[keep] - place, lengths[everyone],
             people)
    reason = NO_ENTITIES if not keep.any() else "undefined for these entities"
    totals = unitizing_rows(*units, per_document=False)

    def build() -> Statistic:
        found = unitizing_rows(*units)
        rows = np.zeros((documents, found.rows.shape[1]))
        rows[everyone] = found.rows
        return Statistic.of(rows, found.finish, reason)

    return Statistic.deferred(totals.rows[0], totals.finish, reason, build)
