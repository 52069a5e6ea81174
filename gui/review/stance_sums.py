"""The stance side of agreement as sums per compared document, beside ``document_sums``'
entity side, so that a warm run reads no stance, sentence or text at all.

Per scope (every target together, then each target): the sentence units, those two or more
annotators gave a value, Krippendorff's coincidences (nominal over the polarities and "none";
ordinal over the polarities) and each annotator pair's confusion table; over every target the
multi-rater rows (``chance.chance_rows``); the frame sums (``frame_agreement.frame_sums``) and
the stance disputes. ``scope_alpha`` and ``table_kappa`` finish a scope's sums into the
figures ``coefficients.alpha`` (the ``krippendorff`` package) and ``cohen_kappa`` give over
the whole reliability matrix, with the same reasons when a figure is undefined: kappa from
integer tables (the same float), alpha from summed coincidences (within 1e-9 of the package's
sum over units; tests/unit/test_agreement_fast.py compares them).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from gui.core.schema import Schema
from gui.review import chance
from gui.review.bootstrap import Statistic
from gui.review.coefficients import Figure
from gui.review.columns import ComparedSets
from gui.review.frame_agreement import frame_shapes, frame_sums
from gui.review.sentence_units import SentenceUnits
from gui.review.sets import StanceKey


def stance_shapes(annotators: int, schema: Schema) -> dict[str, tuple[int, ...]]:
    """The per-document shape of each stance array, in a fixed order."""
    q = len(schema.polarities) + 1
    pairs = annotators * (annotators - 1) // 2
    shapes: dict[str, tuple[int, ...]] = {}
    for i in range(len(schema.target_names) + 1):
        shapes.update({f"scope.{i}.units": (), f"scope.{i}.pairable": (),
                       f"scope.{i}.nominal": (q * q,), f"scope.{i}.ordinal": ((q - 1) ** 2,),
                       f"scope.{i}.tables": (pairs, q * q)})
    shapes.update({"multi.identity": (q + 3,), "multi.ordinal": (q + 2,), "disputes": (2,)})
    shapes.update({f"frames.{name}": shape for name, shape in frame_shapes(
        pairs, len(schema.target_names), len(schema.polarities)).items()})
    return shapes


def stance_sums(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]],
                texts: list[str], units: SentenceUnits, schema: Schema,
                disputes: np.ndarray) -> dict[str, np.ndarray]:
    """The arrays of ``stance_shapes`` for the documents of ``sets``; ``disputes`` are their
    stance disputes (documents x 2)."""
    documents, polarities = len(sets.document_ids), len(schema.polarities)
    q = polarities + 1
    matrix, document = units.matrix, units.document
    counts = np.stack([(matrix == k).sum(axis=0) for k in range(q)], axis=1) \
        if matrix.size else np.zeros((0, q), dtype=np.int64)
    found: dict[str, np.ndarray] = {}
    for i, target in enumerate([None, *schema.target_names]):
        mine = np.ones(len(document), dtype=bool) if target is None else units.target == target
        values, where, shown = counts[mine], document[mine], matrix[:, mine]
        found[f"scope.{i}.units"] = np.bincount(where, minlength=documents).astype(float)
        found[f"scope.{i}.pairable"] = np.bincount(
            where[chance.pairable(values)], minlength=documents).astype(float)
        found[f"scope.{i}.nominal"] = chance.per_document(chance.coincidence_rows(values),
                                                          where, documents)
        found[f"scope.{i}.ordinal"] = chance.per_document(
            chance.coincidence_rows(values[:, :polarities]), where, documents)
        tables = []
        for a, b in itertools.combinations(range(len(sets.annotators)), 2):
            both = ~np.isnan(shown[a]) & ~np.isnan(shown[b])
            cells = where[both] * q * q + (shown[a, both] * q + shown[b, both]).astype(np.int64)
            tables.append(np.bincount(cells, minlength=documents * q * q).reshape(documents,
                                                                                  q * q))
        found[f"scope.{i}.tables"] = np.stack(tables, axis=1).astype(float) if tables \
            else np.zeros((documents, 0, q * q))
    found["multi.identity"] = chance.per_document(chance.chance_rows(counts, np.eye(q)),
                                                  document, documents)
    found["multi.ordinal"] = chance.per_document(
        chance.chance_rows(counts[:, :polarities], chance.ordinal_weights(polarities)),
        document, documents)
    found["disputes"] = disputes.astype(float)
    found.update({f"frames.{name}": array
                  for name, array in frame_sums(sets, stances, texts, schema).items()})
    return found


def frames_of(sums: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The frame arrays among the stance sums, under ``frame_sums``' names."""
    return {name.removeprefix("frames."): array for name, array in sums.items()
            if name.startswith("frames.")}


# ---- figures --------------------------------------------------------------------------------


def scope_alpha(sums: np.ndarray, annotators: int, level: str) -> Figure:
    """``coefficients.alpha`` from a scope's summed coincidences (its units exist)."""
    if annotators < 2:
        return Figure(None, "needs at least two annotators")
    q = math.isqrt(len(sums))
    margins = sums.reshape(q, q).sum(axis=1)
    if not margins.sum():
        return Figure(None, "no unit has values from two annotators")
    if np.count_nonzero(margins) < 2:
        return Figure(None, "every value is the same, so agreement beyond chance is undefined")
    value = float(chance.alpha_of_coincidences(sums[None], level)[0])
    return Figure(value) if math.isfinite(value) else Figure(None, "undefined for these values")


def table_kappa(table: np.ndarray) -> Figure:
    """``coefficients.cohen_kappa`` from the pair's confusion table: the same integers and
    divisions, so the same float."""
    q = math.isqrt(len(table))
    counts = table.astype(np.int64).reshape(q, q)
    n = int(counts.sum())
    if not n:
        return Figure(None, "the two annotators share no units")
    observed = int(np.trace(counts)) / n
    expected = int((counts.sum(axis=1) * counts.sum(axis=0)).sum()) / (n * n)
    if math.isclose(expected, 1.0):
        return Figure(None, "both annotators used a single, identical value throughout")
    return Figure((observed - expected) / (1 - expected))


def stance_statistics(sums: dict[str, np.ndarray], schema: Schema) -> dict[str, Statistic]:
    """Sentence-unit figures as ``Statistic``: the existing alphas (for their intervals) and
    the multi-rater coefficients beside them, on the same units."""
    polarities = len(schema.polarities)
    identity = np.eye(polarities + 1)
    weights = chance.ordinal_weights(polarities)
    ordinal_scale = schema.scale == "ordinal"
    reason = "no stance units, or a single value everywhere"
    nominal_scale = Statistic.missing("the schema's polarity scale is nominal")
    return {
        "stance.alpha_nominal": Statistic.of(
            sums["scope.0.nominal"], lambda s: chance.alpha_of_coincidences(s, "nominal"),
            reason),
        "stance.alpha_ordinal": Statistic.of(
            sums["scope.0.ordinal"], lambda s: chance.alpha_of_coincidences(s, "ordinal"),
            reason) if ordinal_scale else nominal_scale,
        "multi_rater.fleiss_kappa": Statistic.of(
            sums["multi.identity"], lambda s: chance.fleiss_kappa(s, identity), reason),
        "multi_rater.gwet_ac1": Statistic.of(
            sums["multi.identity"], lambda s: chance.gwet_ac(s, identity), reason),
        "multi_rater.gwet_ac2": Statistic.of(
            sums["multi.ordinal"], lambda s: chance.gwet_ac(s, weights), reason)
        if ordinal_scale else nominal_scale,
    }
