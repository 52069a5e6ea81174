"""Agreement figures for a project: stance alpha and kappa, entity F1 and token alpha.

Stance. A unit is (document, sentence, target) over documents two or more annotators marked
done. An annotator's value for a unit is the polarity of their stance on that target that
overlaps the sentence (the one overlapping most, if several), or "none"; an annotator who has
not finished the document has no value. Units where every value is "none" are left out.
Alpha is nominal over polarities plus "none"; where the schema's scale is ordinal it is also
computed on the ordinal metric with "none" as missing.

Entities. Exact-match F1 of each pair (start, end and label must all match; one annotator is
the reference, and the figure is the same either way round), micro-averaged over documents
and pairs, overall and per label. Token alpha: the units are spaCy tokens inside anyone's
entity, each annotator's value the label of their entity covering it or "O"; tokens everyone
left as "O" are left out, as stance units are.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gui.core.schema import Schema
from gui.core.store import Project
from gui.review.bootstrap import DRAWS, SEED, Cancelled, Statistic
from gui.review.coefficients import (
    Figure,
    alpha,
    cohen_kappa_of_codes,
    f1,
    nominal_alpha_of_counts,
)
from gui.review.columns import (
    ComparedSets,
    EntityColumns,
    compared_sets,
    entity_columns,
    stance_rows,
)
from gui.review.disputes import dispute_counts_by_document
from gui.review.entity_agreement import (
    changes,
    label_confusion,
    pair_counts,
    token_value_counts,
    token_values,
    tokens_inside,
)
from gui.review.estimates import Estimates, collect
from gui.review.partial_credit import partial_statistics
from gui.review.sets import StanceKey, document_texts
from gui.review.unit_cache import document_units

NONE = "none"
OUTSIDE = "O"
MISSING_CELL = "—"  # the confusion matrices' row/column for "did not mark it"
DISPUTED_SHOWN = 10
Progress = Callable[[int, int], None]
__all__ = ["Cancelled", "compute_agreement"]


def pair_key(a: str, b: str) -> str:
    """``"ana|ben"``: the two names in sorted order, as the JSON output keys pairs."""
    first, second = sorted((a, b))
    return f"{first}|{second}"


@dataclass
class StanceUnit:
    document_id: int
    sentence: tuple[int, int]
    target: str
    values: dict[str, str]  # annotator (done on the document) -> polarity or "none"


@dataclass
class Confusion:
    categories: list[str]
    counts: np.ndarray  # ordered pairs: [first annotator's category, second's]

    def matrix(self) -> list[list[int]]:
        """Each pair read both ways round (no annotator is the reference)."""
        return (self.counts + self.counts.T).tolist()

    def to_json(self) -> dict[str, Any]:
        return {"categories": self.categories, "matrix": self.matrix()}


@dataclass
class StanceFigures:
    units: int
    alpha_nominal: Figure
    alpha_ordinal: Figure
    cohen_kappa: dict[str, Figure]

    def to_json(self) -> dict[str, Any]:
        reasons = {
            name: fig.reason
            for name, fig in (("alpha_nominal", self.alpha_nominal),
                              ("alpha_ordinal", self.alpha_ordinal))
            if not fig.ok
        }
        reasons.update(
            {f"cohen_kappa {k}": fig.reason for k, fig in self.cohen_kappa.items() if not fig.ok}
        )
        return {
            "units": self.units,
            "alpha_nominal": self.alpha_nominal.value,
            "alpha_ordinal": self.alpha_ordinal.value,
            "cohen_kappa": {k: fig.value for k, fig in self.cohen_kappa.items()},
            "reasons": reasons,
        }


@dataclass
class AgreementReport:
    documents: int
    annotators: list[str]
    stance: StanceFigures
    per_target: dict[str, StanceFigures]
    entity_f1: Figure
    per_label: dict[str, Figure]
    pairwise_f1: dict[str, Figure]
    alpha_token: Figure
    disputed: list[dict[str, Any]]
    label_confusion: Confusion
    polarity_confusion: Confusion
    reason: str = ""  # why nothing could be compared, when that is so
    units: list[StanceUnit] = field(default_factory=list)  # for the benchmark's baseline
    estimates: Estimates | None = None  # frames, partial credit, multi-rater, intervals
    schema: Schema | None = None

    def bootstrap(self, *, draws: int = DRAWS, seed: int = SEED,
                  progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> None:
        """The 95% bootstrap intervals, the slow step after the point estimates: the window
        runs it in its worker after showing the figures, the command prints them after the
        table. Raises ``Cancelled`` when ``cancelled()`` turns true between batches."""
        if self.estimates is not None:
            self.estimates.bootstrap(draws=draws, seed=seed, progress=progress,
                                     cancelled=cancelled)

    def to_json(self) -> dict[str, Any]:
        """The shape ``marginalia agreement --json`` prints (see docs/review.md)."""
        entity_reasons = {
            name: fig.reason
            for name, fig in (("f1", self.entity_f1), ("alpha_token", self.alpha_token))
            if not fig.ok
        }
        entity_reasons.update(
            {f"per_label {k}": fig.reason for k, fig in self.per_label.items() if not fig.ok}
        )
        entity_reasons.update(
            {f"pairwise_f1 {k}": fig.reason for k, fig in self.pairwise_f1.items() if not fig.ok}
        )
        stance = self.stance.to_json()
        stance["per_target"] = {t: figs.to_json() for t, figs in self.per_target.items()}
        result: dict[str, Any] = {
            "documents": self.documents,
            "annotators": self.annotators,
            "stance": stance,
            "entities": {
                "f1": self.entity_f1.value,
                "per_label": {k: fig.value for k, fig in self.per_label.items()},
                "pairwise_f1": {k: fig.value for k, fig in self.pairwise_f1.items()},
                "alpha_token": self.alpha_token.value,
                "reasons": entity_reasons,
            },
            "disputed": self.disputed,
            "confusion": {
                "labels": self.label_confusion.to_json(),
                "polarities": self.polarity_confusion.to_json(),
            },
        }
        if self.reason:
            result["reason"] = self.reason
        if self.estimates is not None and self.schema is not None:
            result.update(self.estimates.to_json(self.annotators, self.schema))
        return result


# ---- stance ----------------------------------------------------------------------------------


def stance_units(document_id: int, sentences: list[tuple[int, int]], names: list[str],
                 stances: dict[str, list[StanceKey]]) -> list[StanceUnit]:
    """The (sentence, target) units of one document that at least one annotator filled.

    ``sentences`` are the document's (``units.sentence_spans``), ``names`` the annotators
    who finished it, ``stances`` their stances.
    """
    if not any(stances.values()):
        return []
    starts = [s for s, _ in sentences]
    best: dict[tuple[int, str], dict[str, tuple[int, str]]] = defaultdict(dict)
    for name, found in stances.items():
        for start, end, target, polarity, *_holder in found:
            first = bisect.bisect_right(starts, start) - 1
            # comparisons, not min()/max(): this runs for every stance of the project
            for index in range(first if first > 0 else 0, len(sentences)):
                s_start, s_end = sentences[index]
                if s_start >= end:
                    break
                shared = (end if end < s_end else s_end) - (start if start > s_start else s_start)
                if shared <= 0:
                    continue
                cell = best[(index, target)]
                if name not in cell or shared > cell[name][0]:
                    cell[name] = (shared, polarity)
    units = []
    for (index, target), cell in sorted(best.items()):
        values = {name: cell[name][1] if name in cell else NONE for name in names}
        units.append(StanceUnit(document_id, sentences[index], target, values))
    return units


def stance_matrix(units: list[StanceUnit], annotators: list[str], schema: Schema) -> np.ndarray:
    """The reliability matrix: annotators x units, polarity index or len(polarities) for
    "none", NaN where the annotator has not finished the document."""
    code = {p: float(i) for i, p in enumerate(schema.polarities)}
    code[NONE] = float(len(schema.polarities))
    matrix = np.full((len(annotators), len(units)), np.nan)
    row = {name: i for i, name in enumerate(annotators)}
    for j, unit in enumerate(units):
        for name, value in unit.values.items():
            matrix[row[name], j] = code[value]
    return matrix


def stance_figures(
    matrix: np.ndarray, annotators: list[str], schema: Schema, target: str | None = None
) -> StanceFigures:
    """The figures of the units that are ``matrix``'s columns (see ``stance_matrix``)."""
    polarities = list(schema.polarities)
    units = matrix.shape[1]
    if not units:
        where = "a compared document" if target is None else f"{target!r} on a compared document"
        nominal = Figure(None, f"no stance units: no annotator marked a stance on {where}")
    else:
        nominal = alpha(matrix, len(polarities) + 1, "nominal")
    if schema.scale != "ordinal":
        ordinal = Figure(None, "the schema's polarity scale is nominal")
    elif not units:
        ordinal = Figure(None, nominal.reason)
    else:
        ordered = np.where(matrix == len(polarities), np.nan, matrix)
        ordinal = alpha(ordered, len(polarities), "ordinal")
    kappas = {
        pair_key(annotators[a], annotators[b]): cohen_kappa_of_codes(matrix[a], matrix[b])
        for a, b in itertools.combinations(range(len(annotators)), 2)
    }
    return StanceFigures(units, nominal, ordinal, kappas)


def polarity_confusion(matrix: np.ndarray, annotators: list[str], schema: Schema) -> Confusion:
    """Every pair's values on the units both have a value for ("none" included)."""
    size = len(schema.polarities) + 1
    counts = np.zeros(size * size, dtype=np.int64)
    for a, b in itertools.combinations(range(len(annotators)), 2):
        both = ~np.isnan(matrix[a]) & ~np.isnan(matrix[b])
        cells = matrix[a, both].astype(np.int64) * size + matrix[b, both].astype(np.int64)
        counts += np.bincount(cells, minlength=size * size)
    return Confusion([*schema.polarities, NONE], counts.reshape(size, size))


# ---- the whole project -----------------------------------------------------------------------


def compute_agreement(
    project: Project,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AgreementReport:
    """Every figure at once: entities as numpy columns over the whole project, stance units
    document by document (they need each document's sentences).

    The entity rows are read on a second connection, so they are what is committed: a write
    transaction the caller has open on ``project`` is not seen.
    """
    schema = project.schema
    sets = compared_sets(project)
    # SQLite lets go of the GIL while it scans, and numpy while it sorts and counts, so a
    # second thread reads the entity rows on a connection of its own and then computes the
    # partial-credit figures, while this one builds the stance units and the other figures.
    with ThreadPoolExecutor(max_workers=1) as pool:
        reading = pool.submit(_entities_of, project.path, sets, schema)
        stances = stance_rows(project, sets)
        found = document_texts(project, sets.document_ids.tolist())
        texts = [found[int(doc_id)][0] for doc_id in sets.document_ids]
        titles = [found[int(doc_id)][1] for doc_id in sets.document_ids]
        cached = document_units(project, sets.document_ids, texts, sets.stride)
        lengths = np.array([len(text) for text in texts], dtype=np.int64)
        tokens = pool.submit(lambda: tokens_inside(reading.result(), cached.token_start,
                                                   cached.token_end))
        partial = pool.submit(lambda: partial_statistics(
            sets, reading.result(), list(schema.labels), tokens.result(), lengths))
        units = _all_stance_units(sets, stances, cached.sentences, progress, cancelled)
        entities = reading.result()
        return _report(schema, sets, entities, stances, texts, titles, units,
                       tokens.result(), partial.result)


def _entities_of(path: Path, sets: ComparedSets, schema: Schema) -> EntityColumns:
    with Project.open(path) as project:
        return entity_columns(project, sets, schema)


def _all_stance_units(
    sets: ComparedSets,
    stances: dict[int, dict[str, list[StanceKey]]],
    sentences: list[list[tuple[int, int]]],
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> list[StanceUnit]:
    units: list[StanceUnit] = []
    total = len(sentences)
    done = sets.done
    for index, spans in enumerate(sentences):
        if index in stances:
            names = [sets.annotators[a] for a in np.flatnonzero(done[index])]
            units.extend(stance_units(int(sets.document_ids[index]), spans, names,
                                      stances[index]))
        count = index + 1
        if progress is not None and (count % 100 == 0 or count == total):
            progress(count, total)
        if cancelled is not None and count % 100 == 0 and cancelled():
            raise Cancelled()
    return units


def _report(
    schema: Schema,
    sets: ComparedSets,
    entities: EntityColumns,
    stances: dict[int, dict[str, list[StanceKey]]],
    texts: list[str],
    titles: list[str],
    units: list[StanceUnit],
    tokens: tuple[np.ndarray, np.ndarray],
    partial: Callable[[], dict[str, Statistic]],
) -> AgreementReport:
    annotators = sets.annotators
    labels = list(schema.labels)
    counts = pair_counts(sets, entities, len(labels))
    overall = _Counts()
    per_label = {label: _Counts() for label in labels}
    per_pair = {}
    for (a, b), pair in counts.items():
        per_pair[pair_key(annotators[a], annotators[b])] = _Counts(pair.tp, pair.first,
                                                                   pair.second)
        overall.add(_Counts(pair.tp, pair.first, pair.second))
        for i, label in enumerate(labels):
            per_label[label].add(_Counts(int(pair.tp_per_label[i]), int(pair.first_per_label[i]),
                                         int(pair.second_per_label[i])))
    matrix = stance_matrix(units, annotators, schema)
    targets = np.array([unit.target for unit in units], dtype=object)
    token_units = token_values(sets, entities, len(labels), tokens)
    token_groups = token_value_counts(token_units[0], len(annotators))
    alpha_token = (
        nominal_alpha_of_counts(token_groups)
        if token_groups else Figure(None, "no annotator marked an entity on a compared document")
    )
    report = AgreementReport(
        documents=len(sets.document_ids),
        annotators=annotators,
        stance=stance_figures(matrix, annotators, schema),
        per_target={
            target: stance_figures(matrix[:, targets == target], annotators, schema, target)
            for target in schema.target_names
        },
        entity_f1=overall.figure() if annotators else Figure(None, "nothing to compare"),
        per_label={label: c.figure() for label, c in per_label.items()},
        pairwise_f1={key: c.figure() for key, c in per_pair.items()},
        alpha_token=alpha_token,
        disputed=_most_disputed(sets, entities, stances, titles),
        label_confusion=Confusion([*labels, MISSING_CELL],
                                  label_confusion(sets, entities, len(labels))),
        polarity_confusion=polarity_confusion(matrix, annotators, schema),
        units=units,
        schema=schema,
    )
    unit_documents = np.searchsorted(sets.document_ids,
                                     np.array([u.document_id for u in units], dtype=np.int64))
    report.estimates = collect(sets, stances, texts, matrix, unit_documents, token_units,
                               partial(), schema)
    if not len(sets.document_ids):
        report.reason = "no document has been marked done by two or more annotators"
        for figure_owner in (report.stance, *report.per_target.values()):
            figure_owner.alpha_nominal = Figure(None, report.reason)
            figure_owner.alpha_ordinal = Figure(None, report.reason)
        report.entity_f1 = Figure(None, report.reason)
        report.alpha_token = Figure(None, report.reason)
        report.per_label = {label: Figure(None, report.reason) for label in labels}
    return report


@dataclass
class _Counts:
    tp: int = 0
    first: int = 0
    second: int = 0

    def add(self, other: _Counts) -> None:
        self.tp += other.tp
        self.first += other.first
        self.second += other.second

    def figure(self) -> Figure:
        return f1(self.tp, self.first, self.second)


def _most_disputed(
    sets: ComparedSets,
    entities: EntityColumns,
    stances: dict[int, dict[str, list[StanceKey]]],
    titles: list[str],
) -> list[dict[str, Any]]:
    """The documents with the largest share of disagreeing clusters (entities and stances)."""
    disputed, clusters = document_disputes(sets, entities, stances)
    scores = [
        (count / found if found else 0.0, count, int(sets.document_ids[i]), titles[i])
        for i, (count, found) in enumerate(zip(disputed.tolist(), clusters.tolist(),
                                               strict=True))
        if count
    ]
    scores.sort(key=lambda s: (-s[0], -s[1], s[2]))
    return [
        {"document": doc_id, "title": title, "score": round(score, 4), "disagreements": count}
        for score, count, doc_id, title in scores[:DISPUTED_SHOWN]
    ]


def document_disputes(
    sets: ComparedSets, entities: EntityColumns, stances: dict[int, dict[str, list[StanceKey]]]
) -> tuple[np.ndarray, np.ndarray]:
    """(disagreements, clusters) of each compared document, entities and stances together, as
    ``disputes.clusters`` finds them (tests/unit/test_adjudication.py checks that)."""
    everyone = sets.everyone
    disputed, clusters = dispute_counts_by_document(
        entities.document, entities.annotator, entities.start, entities.end,
        _entity_item_numbers(entities), everyone)
    stance_disputed, stance_clusters = dispute_counts_by_document(
        *_stance_columns(sets, stances), everyone)
    return disputed + stance_disputed, clusters + stance_clusters


def _entity_item_numbers(entities: EntityColumns) -> np.ndarray:
    """A number per entity row, equal for equal (document, start, end, label)."""
    order = np.lexsort((entities.label, entities.end, entities.start))
    numbers = np.empty(len(order), dtype=np.int64)
    numbers[order] = np.cumsum(changes(entities.start[order], entities.end[order],
                                       entities.label[order])) - 1
    return numbers


def _stance_columns(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]]
                    ) -> tuple[np.ndarray, ...]:
    """(document, annotator, global start, global end, item number) of every stance."""
    who = {name: i for i, name in enumerate(sets.annotators)}
    numbers: dict[tuple, int] = {}
    rows = [
        (document, who[name], document * sets.stride + stance[0],
         document * sets.stride + stance[1], numbers.setdefault((document, *stance), len(numbers)))
        for document, by_name in stances.items()
        for name, found in by_name.items()
        for stance in found
    ]
    columns = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return tuple(columns.T)
