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
from gui.review.unitizing import UnitizingParts, unitizing_parts, unitizing_rows_of

NO_ENTITIES = "no annotator marked an entity on a compared document"
KINDS = ("exact_f1", "overlap_f1", "token_dice")


def partial_counts(sets: ComparedSets, entities: EntityColumns, q: int,
                   tokens: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The three kinds' counts (shared, first's, second's) of each document: per annotator
    pair (documents x pairs x kinds x 3) and per label, every pair together (documents x
    kinds x labels x 3). ``partial_statistics`` makes the figures of their sums."""
    documents = len(sets.document_ids)
    distinct = changes(entities.document, entities.annotator, entities.start, entities.end,
                       entities.label)
    people = range(len(sets.annotators))
    pairs = list(itertools.combinations(people, 2))
    rows = {person: _by_label(entities, distinct & (entities.annotator == person))
            for person in people}
    covered = {person: _token_ranges(entities, rows[person], tokens, q) for person in people}
    per_pair = np.zeros((documents, len(pairs), len(KINDS), 3))
    per_label = np.zeros((documents, len(KINDS), q, 3))
    for p, (a, b) in enumerate(pairs):
        both = sets.done[:, a] & sets.done[:, b]
        mine = rows[a][both[entities.document[rows[a]]]]
        theirs = rows[b][both[entities.document[rows[b]]]]
        exact, overlapping = _exact_and_overlapping(entities, mine, theirs, documents, q,
                                                    sets.stride)
        shared = _tokens_shared(covered[a], covered[b], both, documents, q)
        for k, found in enumerate((exact, overlapping, shared)):
            per_pair[:, p, k] = found.sum(axis=1)
            per_label[:, k] += found
    return per_pair, per_label


def partial_statistics(per_pair: np.ndarray, per_label: np.ndarray, annotators: list[str],
                       labels: list[str]) -> dict[str, Statistic]:
    """Statistics named "overlap_f1", "token_dice", "per_label.<label>.<kind>",
    "per_pair.<a|b>.<kind>", and "exact_f1" (the existing overall F1, for its interval), of
    ``partial_counts``' rows."""
    stats: dict[str, Statistic] = {}
    for p, (a, b) in enumerate(itertools.combinations(range(len(annotators)), 2)):
        key = f"{annotators[a]}|{annotators[b]}"
        for k, kind in enumerate(KINDS):
            stats[f"per_pair.{key}.{kind}"] = Statistic.of(per_pair[:, p, k], chance.f1,
                                                           NO_ENTITIES)
    for k, kind in enumerate(KINDS):
        stats[kind] = Statistic.of(per_label[:, k].sum(axis=1), chance.f1, NO_ENTITIES)
        for index, label in enumerate(labels):
            stats[f"per_label.{label}.{kind}"] = Statistic.of(
                per_label[:, k, index], chance.f1,
                f"no annotator marked {label} on a compared document")
    return stats


def _by_label(entities: EntityColumns, wanted: np.ndarray) -> np.ndarray:
    """Rows of ``wanted`` ordered by label, then as ``EntityColumns`` are (document, start):
    a stable sort of small numbers, after which positions within a label only grow, so the
    binary searches of the matching meet their queries in order."""
    rows = np.flatnonzero(wanted)
    return rows[np.argsort(entities.label[rows].astype(np.uint8 if len(rows) and
                                                        entities.label.max() < 256
                                                        else np.int64), kind="stable")]


def token_alpha_rows(values: np.ndarray, document: np.ndarray, documents: int,
                     annotators: int) -> np.ndarray:
    """The token alpha's ``chance.nominal_rows`` summed per document (documents x (labels +
    2)); its units are ``entity_agreement.token_values``."""
    if not len(values):
        return np.zeros((documents, values.shape[1] + 1))
    # many tokens share a document and a value vector: count those before making rows
    vector = row_keys(values, annotators + 1)
    span = int(vector.max()) + 1
    keys = document * span + vector if span * documents < 2**62 else \
        row_keys(np.column_stack([document, values]), max(documents, annotators + 1))
    _keys, first, counts = np.unique(keys, return_index=True, return_counts=True)
    rows = chance.nominal_rows(values[first]) * counts[:, None]
    return chance.per_document(rows, document[first], documents)


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


def unitizing_input(sets: ComparedSets, entities: EntityColumns, lengths: np.ndarray,
                    q: int) -> UnitizingParts:
    """alpha_u's parts of each compared document: those every compared annotator finished
    hold their units and gaps, the others nothing (their length counts as 0)."""
    people = len(sets.annotators)
    everyone = sets.everyone == people if people >= 2 else \
        np.zeros(len(sets.document_ids), dtype=bool)
    keep = everyone[entities.document]
    place = entities.document[keep] * sets.stride
    return unitizing_parts(entities.document[keep], entities.annotator[keep],
                           entities.label[keep], entities.start[keep] - place,
                           entities.end[keep] - place, np.where(everyone, lengths, 0), people,
                           q)


def alpha_u_statistic(parts: UnitizingParts) -> Statistic:
    """alpha_u over the documents every compared annotator finished (``unitizing_input``):
    the point estimate from one row of totals, the per-document rows only for the
    bootstrap."""
    if not parts.lengths.any():
        return Statistic.missing("no document was finished by every annotator")
    used = len(parts.units.length) > 0
    reason = "undefined for these entities" if used else NO_ENTITIES
    totals = unitizing_rows_of(parts, per_document=False)

    def build() -> Statistic:
        found = unitizing_rows_of(parts)
        return Statistic.of(found.rows, found.finish, reason)

    return Statistic.deferred(totals.rows[0], totals.finish, reason, build)
