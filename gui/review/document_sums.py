"""Agreement as sums per compared document: what its cache keeps.

Every entity figure is a function of sums over documents: exact and overlap F1 and token Dice
per pair and label (``partial_credit``), the exact F1 per label of the first version (every
entity counted), the token alpha (``chance.nominal_rows``), the label confusion and each
document's disputes. Unitizing alpha is nearly so: its gap sum pairs units with gaps of every
document, so a document keeps its own four sums per label and the lengths of its units and
gaps, and the columns per unit length are built from all of them at sum time
(``unitizing.unitizing_rows_of``). The stance side's sums are ``stance_sums``'.

``compute`` makes the sums of some documents (the column code over just those documents);
``pack`` turns each document's sums into the bytes the cache stores (``agreement_cache``),
``unpack`` reads any number of documents' bytes back in a few numpy calls; ``figures``
finishes the entity sums of every compared document into the report's figures.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass

import numpy as np

from gui.core.schema import Schema
from gui.review import chance
from gui.review.bootstrap import Statistic
from gui.review.coefficients import Figure, f1, nominal_alpha_of_sums
from gui.review.columns import ComparedSets, EntityColumns, lexsort_order
from gui.review.disputes import dispute_counts_by_document
from gui.review.entity_agreement import (
    changes,
    label_confusion,
    label_counts,
    token_values,
)
from gui.review.partial_credit import (
    KINDS,
    NO_ENTITIES,
    alpha_u_statistic,
    partial_counts,
    partial_statistics,
    token_alpha_rows,
    unitizing_input,
)
from gui.review.stance_sums import stance_shapes
from gui.review.unitizing import Sections, UnitizingParts

FORMAT = 1  # raise when what a document's bytes hold changes: older rows are made again
_FIXED_PARTS = 4  # alpha_u's own sums per label: D_o, N, sum f(l), sum l(l - 1)
_CATEGORY_BITS = 32  # a unit's or a gap's bytes: label << 32 | length


@dataclass
class DocumentSums:
    """Sums of the documents ``ComparedSets`` lists, row by row."""

    per_pair: np.ndarray  # documents x pairs x kinds x (shared, first's, second's)
    per_label: np.ndarray  # documents x kinds x labels x 3
    label_totals: np.ndarray  # documents x labels x 3: exact F1 per label, every entity
    token_alpha: np.ndarray  # documents x (labels + 2): nominal_rows of the token units
    token_units: np.ndarray  # documents: how many tokens someone labelled
    confusion: np.ndarray  # documents x (labels + 1)^2
    disputes: np.ndarray  # documents x (disagreeing clusters, clusters)
    unitizing: UnitizingParts
    stance: dict[str, np.ndarray]  # stance_sums.stance_shapes' arrays

    def __len__(self) -> int:
        return len(self.token_units)


def layout(annotators: list[str], schema: Schema) -> str:
    """What the columns of a document's bytes mean: a cached row of another layout (a new
    annotator, a label, target or polarity added or reordered) is made again."""
    return json.dumps([FORMAT, annotators, list(schema.labels), list(schema.target_names),
                       list(schema.polarities)], ensure_ascii=False)


def compute(sets: ComparedSets, entities: EntityColumns, labels: int,
            tokens: tuple[np.ndarray, np.ndarray], lengths: np.ndarray,
            stance: dict[str, np.ndarray]) -> DocumentSums:
    """The sums of the documents of ``sets`` from their entity rows; ``tokens`` are the
    documents' tokens inside an entity (``entity_agreement.tokens_inside``), ``lengths`` the
    texts' lengths, ``stance`` their stance sums (``stance_sums.stance_sums``)."""
    documents = len(sets.document_ids)
    per_pair, per_label = partial_counts(sets, entities, labels, tokens)
    values, token_document = token_values(sets, entities, labels, tokens)
    return DocumentSums(
        per_pair, per_label, label_counts(sets, entities, labels),
        token_alpha_rows(values, token_document, documents, len(sets.annotators)),
        np.bincount(token_document, minlength=documents).astype(float),
        label_confusion(sets, entities, labels).astype(float),
        entity_disputes(sets, entities).astype(float),
        unitizing_input(sets, entities, lengths, labels), stance)


def entity_disputes(sets: ComparedSets, entities: EntityColumns) -> np.ndarray:
    """documents x (disagreeing entity clusters, entity clusters)."""
    return np.column_stack(dispute_counts_by_document(
        entities.document, entities.annotator, entities.start, entities.end,
        _item_numbers(entities), sets.everyone))


def _item_numbers(entities: EntityColumns) -> np.ndarray:
    """A number per entity row, equal for equal (document, start, end, label)."""
    order = lexsort_order((entities.label, entities.end, entities.start))
    numbers = np.empty(len(order), dtype=np.int64)
    numbers[order] = np.cumsum(changes(entities.start[order], entities.end[order],
                                       entities.label[order])) - 1
    return numbers


# ---- bytes ----------------------------------------------------------------------------------


def _shapes(annotators: int, schema: Schema) -> list[tuple[int, ...]]:
    """The per-document shape of each entity part, in the order of a document's sums; the
    stance arrays (``stance_shapes``) follow, then the length and the count of units."""
    pairs, labels = annotators * (annotators - 1) // 2, len(schema.labels)
    return [(pairs, len(KINDS), 3), (len(KINDS), labels, 3), (labels, 3), (labels + 2,), (),
            ((labels + 1) ** 2,), (2,), (labels, _FIXED_PARTS)]


def pack(sums: DocumentSums) -> list[tuple[bytes, bytes]]:
    """Each document's bytes: its fixed sums (float64, the same number for every document,
    the last its count of units) and its sections: its units' then its gaps'
    ``label << 32 | length`` (int64). Two values, so that reading joins each kind into one
    array with no gathering."""
    parts = sums.unitizing
    units = _codes(parts.units, len(sums))
    gaps = _codes(parts.gaps, len(sums))
    fixed = np.column_stack([
        part.reshape(len(sums), -1) for part in (
            sums.per_pair, sums.per_label, sums.label_totals, sums.token_alpha,
            sums.token_units, sums.confusion, sums.disputes, parts.fixed,
            *sums.stance.values(), parts.lengths.astype(float),
            np.array([len(mine) for mine in units], dtype=float))])
    return [(row.tobytes(), mine.tobytes() + theirs.tobytes())
            for row, mine, theirs in zip(fixed, units, gaps, strict=True)]


def _codes(sections: Sections, documents: int) -> list[np.ndarray]:
    """Each document's ``category << 32 | length`` of its sections."""
    code = (sections.category << _CATEGORY_BITS) + sections.length
    order = np.argsort(sections.document, kind="stable")
    bounds = np.searchsorted(sections.document[order], np.arange(documents + 1))
    code = code[order]
    return [code[bounds[i]:bounds[i + 1]] for i in range(documents)]


def unpack(rows: list[tuple[bytes, bytes]], annotators: int, schema: Schema
           ) -> DocumentSums:
    """The sums of documents from their bytes (``pack``), in a few numpy calls whatever
    their number: 10,000 small arrays would cost more than the figures."""
    stance = stance_shapes(annotators, schema)
    shapes = [*_shapes(annotators, schema), *stance.values(), (), ()]
    width = sum(int(np.prod(shape)) for shape in shapes)
    documents = len(rows)
    fixed = np.frombuffer(b"".join(row[0] for row in rows), dtype=np.float64).reshape(
        documents, width)
    codes = np.frombuffer(b"".join(row[1] for row in rows), dtype=np.int64)
    sizes = np.array([len(row[1]) // 8 for row in rows], dtype=np.int64)
    owner = np.repeat(np.arange(documents), sizes)
    within = np.arange(len(codes)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    columns = []
    first = 0
    for shape in shapes:
        size = int(np.prod(shape))
        columns.append(fixed[:, first:first + size].reshape(documents, *shape))
        first += size
    (per_pair, per_label, label_totals, token_alpha, token_units, confusion, disputes,
     unitizing_fixed) = columns[:8]
    lengths, unit_count = columns[-2:]
    is_unit = within < unit_count.astype(np.int64)[owner]
    gap = ~is_unit
    category = codes >> _CATEGORY_BITS
    length = codes & ((1 << _CATEGORY_BITS) - 1)
    return DocumentSums(
        per_pair, per_label, label_totals, token_alpha, token_units, confusion, disputes,
        UnitizingParts(unitizing_fixed,
                       Sections(owner[is_unit], category[is_unit], length[is_unit]),
                       Sections(owner[gap], category[gap], length[gap]), lengths, annotators),
        dict(zip(stance, columns[8:-2], strict=True)))


# ---- figures --------------------------------------------------------------------------------


@dataclass
class EntityFigures:
    """The entity figures of every compared document's sums."""

    statistics: dict[str, Statistic]  # partial_credit's names, alpha_u and exact_f1 included
    alpha_token_statistic: Statistic
    f1: Figure
    per_label: dict[str, Figure]
    pairwise_f1: dict[str, Figure]
    alpha_token: Figure
    confusion: np.ndarray  # (labels + 1) x (labels + 1), ordered pairs
    disputes: np.ndarray  # documents x (disagreeing clusters, clusters)


def figures(sums: DocumentSums, annotators: list[str], labels: list[str]) -> EntityFigures:
    statistics = partial_statistics(sums.per_pair, sums.per_label, annotators, labels)
    statistics["alpha_u"] = alpha_u_statistic(sums.unitizing)
    exact = sums.per_pair[:, :, KINDS.index("exact_f1")].sum(axis=0).astype(np.int64)
    pairwise = {
        f"{first}|{second}": f1(*exact[p].tolist())
        for p, (first, second) in enumerate(itertools.combinations(sorted(annotators), 2))
    }
    totals = sums.label_totals.sum(axis=0).astype(np.int64)
    q = len(labels)
    units = int(sums.token_units.sum())
    return EntityFigures(
        statistics,
        Statistic.of(sums.token_alpha, chance.alpha_nominal, NO_ENTITIES),
        f1(*exact.sum(axis=0).tolist()),
        {label: f1(*totals[i].tolist()) for i, label in enumerate(labels)},
        pairwise,
        nominal_alpha_of_sums(sums.token_alpha.sum(axis=0)) if units
        else Figure(None, NO_ENTITIES),
        sums.confusion.sum(axis=0).astype(np.int64).reshape(q + 1, q + 1),
        sums.disputes.astype(np.int64),
    )
