"""Entity agreement over the whole project at once, as array operations on ``EntityColumns``.

The figures are those docs/review.md defines (exact-match F1 per pair and label, the label
confusion matrix, the token alpha's value-count vectors); tests/unit/test_agreement_fast.py
checks they equal the document-by-document reference exactly. Counting with sorts and
``bincount`` instead of a set and a Counter per document is what makes 10,000 documents
take a fraction of a second instead of many.
"""

from __future__ import annotations

import itertools

import numpy as np

from gui.review.columns import ComparedSets, EntityColumns, lexsort_order


def changes(*columns: np.ndarray) -> np.ndarray:
    """True where a row of the (sorted) columns differs from the row before it."""
    if not len(columns[0]):
        return np.zeros(0, dtype=bool)
    new = np.zeros(len(columns[0]), dtype=bool)
    new[0] = True
    for column in columns:
        new[1:] |= column[1:] != column[:-1]
    return new


def label_counts(sets: ComparedSets, entities: EntityColumns, labels: int) -> np.ndarray:
    """documents x labels x (shared, first's, second's) summed over every annotator pair (a
    before b) on the documents both finished: the exact-match F1 per label. As in the
    reference, shared entities are distinct and the totals count every entity (a span
    labelled twice the same way counts twice there); the overall and per-pair figures count
    distinct entities (``partial_credit``'s exact F1)."""
    people, documents = len(sets.annotators), len(sets.document_ids)
    out = np.zeros((documents, labels, 3))
    if not people:
        return out
    cell = entities.document * people + entities.annotator
    raw = np.bincount(cell * labels + entities.label, minlength=sets.set_ids.size * labels)
    raw = raw.reshape(documents, people, labels)
    distinct = changes(entities.document, entities.annotator, entities.start, entities.end,
                       entities.label)
    has, group_label, group_document = _holders(entities, distinct, people)
    done = sets.done
    for a, b in itertools.combinations(range(people), 2):
        both = (done[:, a] & done[:, b])[:, None]
        shared = has[a] & has[b]
        out[:, :, 0] += np.bincount(group_document[shared] * labels + group_label[shared],
                                    minlength=documents * labels).reshape(documents, labels)
        out[:, :, 1] += raw[:, a] * both
        out[:, :, 2] += raw[:, b] * both
    return out


def _holders(entities: EntityColumns, distinct: np.ndarray, people: int
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each distinct (document, start, end, label): which annotators hold it, its label and
    its document."""
    start, end = entities.start[distinct], entities.end[distinct]  # global: the document too
    label, annotator = entities.label[distinct], entities.annotator[distinct]
    order = lexsort_order((annotator, label, end, start))
    group = np.cumsum(changes(start[order], end[order], label[order])) - 1
    has = np.zeros((people, group[-1] + 1 if len(group) else 0), dtype=bool)
    has[annotator[order], group] = True
    group_label = np.zeros(has.shape[1], dtype=np.int64)
    group_label[group] = label[order]
    group_document = np.zeros(has.shape[1], dtype=np.int64)
    group_document[group] = entities.document[distinct][order]
    return has, group_label, group_document


def label_confusion(sets: ComparedSets, entities: EntityColumns, labels: int) -> np.ndarray:
    """Ordered counts (first annotator's label, second's) of each document, flattened:
    documents x (labels + 1)^2, label index ``labels`` = "—".

    For each pair on a document both finished, a span one annotator labelled exactly once is
    counted against the other's single label for the same span, or against "—"; a span
    labelled more than once has no single cell and counts as not marked.
    """
    people = len(sets.annotators)
    missing = labels
    cells = (labels + 1) * (labels + 1)
    counts = np.zeros(len(sets.document_ids) * cells, dtype=np.int64)
    span = changes(entities.document, entities.annotator, entities.start, entities.end)
    size = np.diff(np.append(np.flatnonzero(span), len(span)))
    once = np.flatnonzero(span)[size == 1]
    start, end, annotator = entities.start[once], entities.end[once], entities.annotator[once]
    order = lexsort_order((annotator, end, start))
    group = np.cumsum(changes(start[order], end[order])) - 1
    if not len(group):
        return counts.reshape(-1, cells)
    table = np.full((group[-1] + 1, people), missing, dtype=np.int64)
    table[group, annotator[order]] = entities.label[once][order]
    document = np.zeros(len(table), dtype=np.int64)
    document[group] = entities.document[once][order]
    done = sets.done
    for a, b in itertools.combinations(range(people), 2):
        marked = done[document, a] & done[document, b] & \
            ((table[:, a] != missing) | (table[:, b] != missing))
        counts += np.bincount(document[marked] * cells + table[marked, a] * (labels + 1)
                              + table[marked, b], minlength=counts.size)
    return counts.reshape(-1, cells)


def clusters_of(start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chains of overlapping spans (touching ones stay apart): (order sorting the spans by
    start, cluster number of each span in that order). Global offsets keep documents apart."""
    order = np.argsort(start, kind="stable")
    reach = np.maximum.accumulate(end[order])
    new = np.ones(len(order), dtype=bool)
    new[1:] = start[order][1:] >= reach[:-1]
    return order, np.cumsum(new) - 1


def token_values(sets: ComparedSets, entities: EntityColumns, labels: int,
                 tokens: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(value counts of each token someone labelled: tokens x (labels + 1), with "O" last;
    each such token's document index). A token's value for an annotator who finished the
    document is the label of their first entity (in (start, end, label) order) covering it,
    or "O" (index ``labels``). ``tokens`` are ``tokens_inside``."""
    if not len(entities):
        return np.zeros((0, labels + 1), dtype=np.int64), np.zeros(0, dtype=np.int64)
    tokens_start, tokens_end = tokens
    first = np.searchsorted(tokens_end, entities.start, side="right")
    last = np.searchsorted(tokens_start, entities.end, side="left")
    # Each set's rows come sorted by start, so their first tokens never decrease: the tokens
    # an earlier entity of the set covers, from this one's first token on, are exactly those
    # before the largest earlier last token. Starting there leaves each token to the first
    # entity covering it, with no sort. (Sets are numbered in row order, so a running maximum
    # of set x (tokens + 1) + last never carries a value from one set into the next.)
    people = len(sets.annotators)
    scale = len(tokens_start) + 1
    base = (entities.document * people + entities.annotator) * scale
    reach = np.maximum.accumulate(base + last)
    before = np.maximum(np.concatenate(([0], reach[:-1])) - base, 0)
    begin = np.maximum(first, before)
    width = np.maximum(last - begin, 0)
    owner = np.repeat(np.arange(len(entities)), width)
    token = begin[owner] + np.arange(len(owner)) - np.repeat(np.cumsum(width) - width, width)
    label = entities.label[owner]
    width = labels + 1
    values = np.bincount(token * width + label, minlength=len(tokens_start) * width)
    values = values.reshape(-1, width)
    document = tokens_start // sets.stride
    values[:, labels] = sets.everyone[document] - values[:, :labels].sum(axis=1)
    keep = values[:, labels] < sets.everyone[document]
    return values[keep], document[keep]


def row_keys(rows: np.ndarray, base: int) -> np.ndarray:
    """One number per row, equal for equal rows: the rows' digits in ``base`` (every entry is
    below it) when that fits in 63 bits, which is one sort instead of a sort of rows."""
    if base ** rows.shape[1] < 2**63:
        return rows @ (base ** np.arange(rows.shape[1], dtype=np.int64))
    _unique, keys = np.unique(rows, axis=0, return_inverse=True)
    return keys.ravel()


def tokens_inside(entities: EntityColumns, token_start: np.ndarray, token_end: np.ndarray
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Of the sorted global tokens of the compared documents, those overlapping any entity:
    the only tokens the token figures look at. Entity i covers tokens [first_i, last_i); a
    running count of ranges opened minus ranges closed marks the covered ones."""
    first = np.searchsorted(token_end, entities.start, side="right")
    last = np.searchsorted(token_start, entities.end, side="left")
    width = last > first
    opened = np.bincount(first[width], minlength=len(token_start) + 1) - \
        np.bincount(last[width], minlength=len(token_start) + 1)
    covered = np.cumsum(opened[:-1]) > 0
    return token_start[covered], token_end[covered]
