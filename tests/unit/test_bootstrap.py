"""Bootstrap intervals: documents resampled with replacement, the figure recomputed on each
resample, the 2.5th and 97.5th percentiles; the same seed gives the same interval."""

from __future__ import annotations

import numpy as np
import pytest

from gui.review import chance
from gui.review.bootstrap import BATCH, Statistic, bootstrap_intervals


def test_the_interval_is_the_percentile_interval_of_resampled_documents():
    """A ratio over 40 documents (each with its own total and count), against a bootstrap
    written out directly with the same random draws."""
    rng = np.random.default_rng(5)
    per_document = np.column_stack([rng.integers(0, 10, 40), rng.integers(10, 20, 40)])
    statistic = Statistic.of(per_document.astype(float), chance.mean, "")
    found = bootstrap_intervals({"ratio": statistic}, 40, draws=200, seed=3)["ratio"]
    draws = np.random.default_rng(3)
    values = []
    for first in range(0, 200, BATCH):
        for picks in draws.integers(0, 40, size=(min(BATCH, 200 - first), 40)):
            chosen = per_document[picks]
            values.append(chosen[:, 0].sum() / chosen[:, 1].sum())
    assert found == pytest.approx(tuple(np.percentile(values, [2.5, 97.5])))
    assert found == bootstrap_intervals({"ratio": statistic}, 40, draws=200, seed=3)["ratio"]
    assert found != bootstrap_intervals({"ratio": statistic}, 40, draws=200, seed=4)["ratio"]


def test_documents_without_sums_still_count_in_the_resample():
    """A figure only some documents contribute to: the others are drawn too (and add
    nothing), so the resample has as many documents as the project."""
    per_document = np.zeros((10, 2))
    per_document[0] = (1, 1)
    per_document[1] = (0, 1)
    statistic = Statistic.of(per_document, chance.mean, "no units")
    assert list(statistic.documents) == [0, 1]
    low, high = bootstrap_intervals({"m": statistic}, 10, draws=400)["m"]
    assert (low, high) == (0.0, 1.0)


def test_a_figure_undefined_in_most_draws_gets_no_interval():
    """Alpha over two documents of 200 that each hold one value twice: a resample holds both
    (and alpha has two values to compare) only about 40% of the time."""
    counts = np.zeros((200, 2))
    counts[0] = (2, 0)
    counts[1] = (0, 2)
    statistic = Statistic.of(chance.nominal_rows(counts), chance.alpha_nominal, "one value")
    assert statistic.figure().value == 1.0
    assert bootstrap_intervals({"alpha": statistic}, 200, draws=100)["alpha"] is None
