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

import itertools
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np

from gui.core.schema import Schema
from gui.core.store import DEFAULT_BUSY_TIMEOUT_MS, Project
from gui.review.agreement_cache import cached_entity_sums, stamp
from gui.review.bootstrap import DRAWS, SEED, Cancelled
from gui.review.coefficients import Figure, alpha, cohen_kappa_of_codes
from gui.review.columns import ComparedSets, EntityColumns, compared_sets, stance_rows
from gui.review.disputes import dispute_counts_by_document
from gui.review.entity_sums import EntityFigures, entity_disputes
from gui.review.entity_sums import figures as entity_figures
from gui.review.estimates import Estimates, collect
from gui.review.sentence_units import SentenceUnits, sentence_units
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
    sentence_units: SentenceUnits | None = None  # for the benchmark's baseline
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
    """Every figure at once, as numpy columns over the whole project (``progress`` and
    ``cancelled`` follow the one slow step, splitting the texts the units cache lacks).

    The entity side is read on a second connection, so it is what is committed: a write
    transaction the caller has open on ``project`` is not seen. Its sums per document come
    from the cache where the document's sets are unchanged (``agreement_cache``).
    """
    schema = project.schema
    stamp(project)
    sets = compared_sets(project)
    # SQLite lets go of the GIL while it reads, and numpy while it sorts and counts, so a
    # second thread reads the cached entity sums (computes those of changed documents) and
    # finishes the entity figures while this one builds the stance units and figures. It
    # gets the texts once this thread has stored every compared document's units.
    texts_ready: Future[list[str]] = Future()
    with ThreadPoolExecutor(max_workers=1) as pool:
        entity_side = pool.submit(_entity_figures_of, project, sets, schema,
                                  texts_ready.result)
        try:
            stances = stance_rows(project, sets)
            found = document_texts(project, sets.document_ids.tolist())
            texts = [found[int(doc_id)][0] for doc_id in sets.document_ids]
            titles = [found[int(doc_id)][1] for doc_id in sets.document_ids]
            cached = document_units(project, sets.document_ids, texts, sets.stride, progress,
                                    cancelled, with_tokens=False)
        except BaseException as exc:
            texts_ready.set_exception(exc)
            raise
        texts_ready.set_result(texts)
        units = sentence_units(sets, stances, cached.sentence_start, cached.sentence_end,
                               schema)
        return _report(schema, sets, entity_side.result(), stances, texts, titles, units)


def _entity_figures_of(project: Project, sets: ComparedSets, schema: Schema,
                       texts: Callable[[], list[str]]) -> EntityFigures:
    # the caller's patience with a locked file (a window passes a short one) is kept
    wait = project.conn.execute("PRAGMA busy_timeout").fetchone()[0] \
        if project.dialect.name == "sqlite" else DEFAULT_BUSY_TIMEOUT_MS
    with Project.open(project.path, readonly=project.readonly, busy_timeout_ms=wait) as own:
        sums = cached_entity_sums(own, sets, schema, texts)
    return entity_figures(sums, sets.annotators, list(schema.labels))


def _report(
    schema: Schema,
    sets: ComparedSets,
    entity: EntityFigures,
    stances: dict[int, dict[str, list[StanceKey]]],
    texts: list[str],
    titles: list[str],
    units: SentenceUnits,
) -> AgreementReport:
    annotators = sets.annotators
    labels = list(schema.labels)
    matrix, targets = units.matrix, units.target
    report = AgreementReport(
        documents=len(sets.document_ids),
        annotators=annotators,
        stance=stance_figures(matrix, annotators, schema),
        per_target={
            target: stance_figures(matrix[:, targets == target], annotators, schema, target)
            for target in schema.target_names
        },
        entity_f1=entity.f1 if annotators else Figure(None, "nothing to compare"),
        per_label=entity.per_label,
        pairwise_f1=entity.pairwise_f1,
        alpha_token=entity.alpha_token,
        disputed=_most_disputed(sets, entity.disputes + stance_disputes(sets, stances), titles),
        label_confusion=Confusion([*labels, MISSING_CELL], entity.confusion),
        polarity_confusion=polarity_confusion(matrix, annotators, schema),
        sentence_units=units,
        schema=schema,
    )
    report.estimates = collect(sets, stances, texts, matrix, units.document, entity.statistics,
                               entity.alpha_token_statistic, schema)
    if not len(sets.document_ids):
        report.reason = "no document has been marked done by two or more annotators"
        for figure_owner in (report.stance, *report.per_target.values()):
            figure_owner.alpha_nominal = Figure(None, report.reason)
            figure_owner.alpha_ordinal = Figure(None, report.reason)
        report.entity_f1 = Figure(None, report.reason)
        report.alpha_token = Figure(None, report.reason)
        report.per_label = {label: Figure(None, report.reason) for label in labels}
    return report


def _most_disputed(sets: ComparedSets, counts: np.ndarray, titles: list[str]
                   ) -> list[dict[str, Any]]:
    """The documents with the largest share of disagreeing clusters (entities and stances);
    ``counts`` is documents x (disagreements, clusters)."""
    disagreements, clusters = counts[:, 0], counts[:, 1]
    share = np.where(clusters > 0, disagreements / np.maximum(clusters, 1), 0.0)
    some = np.flatnonzero(disagreements)
    first = some[np.lexsort((sets.document_ids[some], -disagreements[some], -share[some]))]
    return [
        {"document": int(sets.document_ids[i]), "title": titles[i],
         "score": round(float(share[i]), 4), "disagreements": int(disagreements[i])}
        for i in first[:DISPUTED_SHOWN].tolist()
    ]


def document_disputes(
    sets: ComparedSets, entities: EntityColumns, stances: dict[int, dict[str, list[StanceKey]]]
) -> tuple[np.ndarray, np.ndarray]:
    """(disagreements, clusters) of each compared document, entities and stances together, as
    ``disputes.clusters`` finds them (tests/unit/test_adjudication.py checks that)."""
    both = entity_disputes(sets, entities) + stance_disputes(sets, stances)
    return both[:, 0], both[:, 1]


def stance_disputes(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]]
                    ) -> np.ndarray:
    """documents x (disagreeing stance clusters, stance clusters)."""
    return np.column_stack(dispute_counts_by_document(*_stance_columns(sets, stances),
                                                      sets.everyone))


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
