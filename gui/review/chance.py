"""Agreement coefficients as functions of sums over units: alpha, Cohen's and Fleiss' kappa,
Gwet's AC1/AC2, F1 and means.

Every coefficient here is split in two: per-unit *rows* whose column sums are all it needs,
and a *finish* that turns the sums into the figure. The point estimate finishes the sums over
every document; a bootstrap draw finishes the sums over resampled documents (a matrix
product), so 1,000 draws cost about as much as a handful of point estimates, and the interval
is computed by the same arithmetic as the figure it brackets. Finishers take sums shaped
(draws, columns) and return one value per draw, NaN where the figure is undefined.

Formulas and references: docs/review.md. tests/unit/test_chance.py checks each against a
published example (Krippendorff 2011, Fleiss 1971, Gwet's handbook via irrCAC, Cohen 1960).
"""

from __future__ import annotations

import math

import numpy as np

# ---- rows ------------------------------------------------------------------------------------


def pairable(counts: np.ndarray) -> np.ndarray:
    """Units (rows of value counts) that hold two or more values."""
    return counts.sum(axis=1) >= 2


def coincidence_rows(counts: np.ndarray) -> np.ndarray:
    """Each unit's contribution to Krippendorff's coincidence matrix, flattened (q*q columns):
    (c c^T - diag(c)) / (m_u - 1) for a unit with value counts c and m_u values, 0 if m_u < 2."""
    counts = counts.astype(float)
    m = counts.sum(axis=1)
    scale = np.where(m >= 2, 1 / np.maximum(m - 1, 1), 0.0)
    outer = counts[:, :, None] * counts[:, None, :]
    q = counts.shape[1]
    outer[:, np.arange(q), np.arange(q)] -= counts
    return (outer * scale[:, None, None]).reshape(len(counts), q * q)


def nominal_rows(counts: np.ndarray) -> np.ndarray:
    """What nominal alpha needs of each unit, q + 1 columns: the value counts of a pairable
    unit (the coincidence matrix's margins) and its diagonal's sum, sum_k c_k (c_k - 1) /
    (m_u - 1). Far smaller than ``coincidence_rows`` when there are many values (labels)."""
    counts = counts.astype(float)
    m = counts.sum(axis=1)
    keep = m >= 2
    scale = np.where(keep, 1 / np.maximum(m - 1, 1), 0.0)
    diagonal = (counts * (counts - 1)).sum(axis=1) * scale
    return np.column_stack([counts * keep[:, None], diagonal])


def ordinal_weights(q: int) -> np.ndarray:
    """Gwet's ordinal weights: 1 - C(|k-l|+1, 2) / max over the scale (Gwet 2014, ch. 3)."""
    steps = np.abs(np.subtract.outer(np.arange(q), np.arange(q))) + 1
    pairs = steps * (steps - 1) / 2
    return 1 - pairs / pairs.max() if pairs.max() else np.ones((q, q))


def chance_rows(counts: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """What Fleiss' kappa and Gwet's AC1/AC2 need of each unit (q + 3 columns), after Gwet
    (2014), whose formulas allow units rated by fewer raters than others:

    - the unit's observed agreement sum_k r_ik (r*_ik - 1) / (r_i (r_i - 1)), r* = weighted
      counts, when r_i >= 2 (else 0), and 1 if it counts (r_i >= 2);
    - r_ik / r_i for each category, and 1, when r_i >= 1 (for the category shares pi_k).
    """
    counts = counts.astype(float)
    r = counts.sum(axis=1)
    weighted = counts @ weights.T
    two = r >= 2
    agreement = np.where(two, (counts * (weighted - 1)).sum(axis=1)
                         / np.maximum(r * (r - 1), 1), 0.0)
    one = r >= 1
    shares = counts / np.maximum(r, 1)[:, None]
    return np.column_stack([agreement, two, shares * one[:, None], one]).astype(float)


def per_document(rows: np.ndarray, document: np.ndarray, documents: int) -> np.ndarray:
    """Sum unit rows by document: documents x columns."""
    out = np.zeros((documents, rows.shape[1]))
    np.add.at(out, document, rows) if len(rows) < 64 else _add_sorted(out, document, rows)
    return out


def _add_sorted(out: np.ndarray, document: np.ndarray, rows: np.ndarray) -> None:
    order = np.argsort(document, kind="stable")
    document, rows = document[order], rows[order]
    starts = np.flatnonzero(np.diff(document, prepend=-1))
    out[document[starts]] += np.add.reduceat(rows, starts, axis=0)


# ---- finishers: sums (draws, columns) -> values (draws,) --------------------------------------


def _divide(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom != 0, top / np.where(bottom != 0, bottom, 1), np.nan)


def alpha_nominal(sums: np.ndarray) -> np.ndarray:
    """Nominal alpha from ``nominal_rows`` sums: 1 - (n - 1)(n - sum o_kk) / (n^2 - sum n_k^2)."""
    margins, diagonal = sums[:, :-1], sums[:, -1]
    n = margins.sum(axis=1)
    expected = n * n - (margins * margins).sum(axis=1)
    value = 1 - _divide((n - 1) * (n - diagonal), expected)
    return np.where((n >= 2) & (expected > 0), value, np.nan)


def alpha_of_coincidences(sums: np.ndarray, level: str) -> np.ndarray:
    """Alpha from ``coincidence_rows`` sums: 1 - (n - 1) sum o_ck d2_ck / sum n_c n_k d2_ck,
    with Krippendorff's nominal or ordinal metric; the ordinal one, (sum_{g=c..k} n_g -
    (n_c + n_k) / 2)^2, counts every category of the domain, used or not."""
    draws, cells = sums.shape
    q = math.isqrt(cells)
    o = sums.reshape(draws, q, q)
    margins = o.sum(axis=2)
    n = margins.sum(axis=1)
    if level == "nominal":
        delta = np.broadcast_to(1 - np.eye(q), (draws, q, q))
    else:
        running = np.cumsum(margins, axis=1)
        low, high = np.minimum.outer(np.arange(q), np.arange(q)), \
            np.maximum.outer(np.arange(q), np.arange(q))
        between = running[:, high] - running[:, low] + margins[:, low]
        delta = (between - (margins[:, :, None] + margins[:, None, :]) / 2) ** 2
    observed = (o * delta).sum(axis=(1, 2))
    expected = (margins[:, :, None] * margins[:, None, :] * delta).sum(axis=(1, 2))
    value = 1 - _divide((n - 1) * observed, expected)
    return np.where((n >= 2) & (expected > 0), value, np.nan)


def cohen_kappa(sums: np.ndarray) -> np.ndarray:
    """Cohen's kappa from a flattened confusion table (first annotator's value x second's):
    (p_o - p_e) / (1 - p_e), p_e from each annotator's own margins (Cohen 1960)."""
    draws, cells = sums.shape
    q = math.isqrt(cells)
    table = sums.reshape(draws, q, q)
    n = table.sum(axis=(1, 2))
    observed = _divide(np.trace(table, axis1=1, axis2=2), n)
    expected = _divide((table.sum(axis=2) * table.sum(axis=1)).sum(axis=1), n * n)
    value = _divide(observed - expected, 1 - expected)
    return np.where(np.isclose(expected, 1.0), np.nan, value)


def fleiss_kappa(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fleiss' kappa (Fleiss 1971) in Gwet's form for unequal numbers of raters:
    p_a = mean agreement of units with two or more ratings, p_e = sum w_kl pi_k pi_l."""
    p_a, pi = _agreement_and_shares(sums)
    p_e = np.einsum("dk,kl,dl->d", pi, weights, pi)
    return np.where(np.isclose(p_e, 1.0), np.nan, _divide(p_a - p_e, 1 - p_e))


def gwet_ac(sums: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Gwet's AC1 (identity weights) or AC2 (other weights): p_e = T_w sum pi_k (1 - pi_k) /
    (q (q - 1)), T_w the weights' total (Gwet 2008; 2014)."""
    p_a, pi = _agreement_and_shares(sums)
    q = pi.shape[1]
    p_e = weights.sum() * (pi * (1 - pi)).sum(axis=1) / (q * (q - 1))
    used = (pi > 0).sum(axis=1)
    return np.where(used >= 2, _divide(p_a - p_e, 1 - p_e), np.nan)


def _agreement_and_shares(sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p_a = _divide(sums[:, 0], sums[:, 1])
    pi = _divide(sums[:, 2:-1], sums[:, -1:])
    return p_a, pi


def f1(sums: np.ndarray) -> np.ndarray:
    """2 tp / (first + second) from columns (tp, first, second): F1 or Dice."""
    return _divide(2 * sums[:, 0], sums[:, 1] + sums[:, 2])


def mean(sums: np.ndarray) -> np.ndarray:
    """total / count from columns (total, count)."""
    return _divide(sums[:, 0], sums[:, 1])
