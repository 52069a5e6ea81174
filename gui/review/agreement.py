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
from dataclasses import dataclass
from typing import Any

import numpy as np

from gui.core.schema import Schema
from gui.core.store import Project
from gui.review.agreement_cache import cached_document_sums, stamp
from gui.review.bootstrap import DRAWS, SEED, Cancelled
from gui.review.coefficients import Figure
from gui.review.columns import ComparedSets, EntityColumns, compared_sets
from gui.review.disputes import stance_disputes
from gui.review.document_sums import DocumentSums, entity_disputes
from gui.review.document_sums import figures as entity_figures
from gui.review.estimates import Estimates, collect
from gui.review.frame_agreement import frame_statistics
from gui.review.sentence_units import SentenceUnits
from gui.review.sets import StanceKey, document_texts
from gui.review.stance_sums import frames_of, scope_alpha, stance_statistics, table_kappa

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
    # the stance units of the documents this run computed (every one on a first run)
    sentence_units: SentenceUnits | None = None
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


def stance_figures(sums: dict[str, np.ndarray], scope: int, annotators: list[str],
                   schema: Schema, target: str | None = None) -> StanceFigures:
    """The figures of one scope of the stance sums (``stance_sums``: 0 every target, then
    each target), as ``coefficients.alpha`` and ``cohen_kappa`` give them over the scope's
    sentence units."""
    units = int(sums[f"scope.{scope}.units"].sum())
    if not units:
        where = "a compared document" if target is None else f"{target!r} on a compared document"
        nominal = Figure(None, f"no stance units: no annotator marked a stance on {where}")
    else:
        nominal = scope_alpha(sums[f"scope.{scope}.nominal"].sum(axis=0), len(annotators),
                              "nominal")
    if schema.scale != "ordinal":
        ordinal = Figure(None, "the schema's polarity scale is nominal")
    elif not units:
        ordinal = Figure(None, nominal.reason)
    else:
        ordinal = scope_alpha(sums[f"scope.{scope}.ordinal"].sum(axis=0), len(annotators),
                              "ordinal")
    tables = sums[f"scope.{scope}.tables"].sum(axis=0)
    kappas = {
        pair_key(annotators[a], annotators[b]): table_kappa(tables[p])
        for p, (a, b) in enumerate(itertools.combinations(range(len(annotators)), 2))
    }
    return StanceFigures(units, nominal, ordinal, kappas)


def polarity_confusion(sums: dict[str, np.ndarray], schema: Schema) -> Confusion:
    """Every pair's values on the units both have a value for ("none" included)."""
    size = len(schema.polarities) + 1
    counts = sums["scope.0.tables"].sum(axis=(0, 1)).astype(np.int64)
    return Confusion([*schema.polarities, NONE], counts.reshape(size, size))


# ---- the whole project -----------------------------------------------------------------------


def compute_agreement(
    project: Project,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> AgreementReport:
    """Every figure at once, from each compared document's sums: stored ones where the
    document's sets are unchanged (``agreement_cache``), the others computed as numpy columns
    over just those documents (``progress`` and ``cancelled`` follow the one slow step,
    splitting the texts the units cache lacks)."""
    schema = project.schema
    stamp(project)
    sets = compared_sets(project)
    sums, units = cached_document_sums(project, sets, schema, progress, cancelled)
    return _report(project, schema, sets, sums, units)


def _report(project: Project, schema: Schema, sets: ComparedSets, sums: DocumentSums,
            units: SentenceUnits | None) -> AgreementReport:
    annotators = sets.annotators
    labels = list(schema.labels)
    entity = entity_figures(sums, annotators, labels)
    stance = sums.stance
    report = AgreementReport(
        documents=len(sets.document_ids),
        annotators=annotators,
        stance=stance_figures(stance, 0, annotators, schema),
        per_target={
            target: stance_figures(stance, i + 1, annotators, schema, target)
            for i, target in enumerate(schema.target_names)
        },
        entity_f1=entity.f1 if annotators else Figure(None, "nothing to compare"),
        per_label=entity.per_label,
        pairwise_f1=entity.pairwise_f1,
        alpha_token=entity.alpha_token,
        disputed=_most_disputed(project, sets, entity.disputes
                                + stance["disputes"].astype(np.int64)),
        label_confusion=Confusion([*labels, MISSING_CELL], entity.confusion),
        polarity_confusion=polarity_confusion(stance, schema),
        sentence_units=units,
        schema=schema,
    )
    report.estimates = collect(sets, frame_statistics(frames_of(stance), annotators, schema),
                               stance_statistics(stance, schema),
                               int(stance["scope.0.pairable"].sum()), entity.statistics,
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


def _most_disputed(project: Project, sets: ComparedSets, counts: np.ndarray
                   ) -> list[dict[str, Any]]:
    """The documents with the largest share of disagreeing clusters (entities and stances);
    ``counts`` is documents x (disagreements, clusters). Only their titles are read."""
    disagreements, clusters = counts[:, 0], counts[:, 1]
    share = np.where(clusters > 0, disagreements / np.maximum(clusters, 1), 0.0)
    some = np.flatnonzero(disagreements)
    first = some[np.lexsort((sets.document_ids[some], -disagreements[some], -share[some]))]
    shown = first[:DISPUTED_SHOWN].tolist()
    titles = document_texts(project, [int(sets.document_ids[i]) for i in shown])
    return [
        {"document": int(sets.document_ids[i]), "title": titles[int(sets.document_ids[i])][1],
         "score": round(float(share[i]), 4), "disagreements": int(disagreements[i])}
        for i in shown
    ]


def document_disputes(
    sets: ComparedSets, entities: EntityColumns, stances: dict[int, dict[str, list[StanceKey]]]
) -> tuple[np.ndarray, np.ndarray]:
    """(disagreements, clusters) of each compared document, entities and stances together, as
    ``disputes.clusters`` finds them (tests/unit/test_adjudication.py checks that)."""
    both = entity_disputes(sets, entities) + stance_disputes(sets, stances)
    return both[:, 0], both[:, 1]
