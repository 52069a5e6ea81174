"""Chance-corrected agreement coefficients, each returning a figure or a reason why not.

Krippendorff's alpha comes from the ``krippendorff`` package (Castro's implementation, checked
against Krippendorff's own examples): ``alpha`` is the figure over a whole reliability matrix,
and the reference the report's alphas are tested against; the report itself finishes alpha
from coincidences summed per document (``chance``, ``stance_sums``, ``nominal_alpha_of_sums``),
which its cache of per-document sums can add up. Cohen's kappa is three lines of textbook
arithmetic over a confusion table, so it needs no library. A figure that cannot be computed
(one coder, no pairable units, a single value everywhere) is ``Figure(None, reason)``, never
an exception: the dashboard and ``--json`` print the reason beside the empty figure.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import krippendorff
import numpy as np


@dataclass(frozen=True)
class Figure:
    value: float | None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.value is not None


def alpha(matrix: np.ndarray, categories: int, level: str = "nominal") -> Figure:
    """Krippendorff's alpha of a coders x units matrix of category codes (NaN = no value).

    ``categories`` fixes the value domain to 0..categories-1, which matters for the ordinal
    metric: a category nobody used still sits between its neighbours on the scale.
    """
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return Figure(None, "needs at least two annotators")
    if matrix.shape[1] == 0:
        return Figure(None, "no units to compare")
    pairable = (~np.isnan(matrix)).sum(axis=0) >= 2
    if not pairable.any():
        return Figure(None, "no unit has values from two annotators")
    values = matrix[:, pairable]
    present = np.unique(values[~np.isnan(values)])
    if present.size < 2:
        return Figure(None, "every value is the same, so agreement beyond chance is undefined")
    try:
        value = krippendorff.alpha(
            reliability_data=values,
            value_domain=np.arange(categories, dtype=float),
            level_of_measurement=level,
        )
    except (ValueError, ZeroDivisionError) as exc:
        return Figure(None, str(exc))
    if value is None or math.isnan(value):
        return Figure(None, "undefined for these values")
    return Figure(float(value))


def nominal_alpha_of_sums(sums: np.ndarray) -> Figure:
    """Nominal alpha from the column sums of ``chance.nominal_rows`` (each pairable unit's
    value counts and its coincidences' diagonal), with the package's reasons when it is
    undefined. The token alpha's form: its units (a million tokens of a large project) are
    summed per document, which the cache of per-document sums keeps, instead of building the
    package's units x values x values array. tests/unit/test_agreement.py checks it against
    the package."""
    margins, diagonal = sums[:-1], float(sums[-1])
    n = float(margins.sum())
    if n == 0:
        return Figure(None, "no unit has values from two annotators")
    if np.count_nonzero(margins) < 2:
        return Figure(None, "every value is the same, so agreement beyond chance is undefined")
    expected = (n * n - float((margins * margins).sum())) / (n - 1)
    return Figure(float(1 - (n - diagonal) / expected))


def cohen_kappa(first: Sequence[object], second: Sequence[object]) -> Figure:
    """Cohen's kappa of two coders' values for the same items (``None`` = no value).

    kappa = (p_o - p_e) / (1 - p_e), with p_e from each coder's own marginals (Cohen 1960).
    """
    pairs = [(a, b) for a, b in zip(first, second, strict=True) if a is not None and b is not None]
    if not pairs:
        return Figure(None, "the two annotators share no units")
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left: dict[object, int] = {}
    right: dict[object, int] = {}
    for a, b in pairs:
        left[a] = left.get(a, 0) + 1
        right[b] = right.get(b, 0) + 1
    expected = sum(left[c] * right.get(c, 0) for c in left) / (n * n)
    if math.isclose(expected, 1.0):
        return Figure(None, "both annotators used a single, identical value throughout")
    return Figure((observed - expected) / (1 - expected))


def f1(true_positives: int, first_total: int, second_total: int) -> Figure:
    """Exact-match F1 with one side as reference: 2 tp / (|A| + |B|), the same either way."""
    if first_total + second_total == 0:
        return Figure(None, "neither annotator marked any entity")
    return Figure(2 * true_positives / (first_total + second_total))
