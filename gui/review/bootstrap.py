"""Figures as sums over documents, and their bootstrap intervals.

A ``Statistic`` holds each document's sums for one figure (gui/review/chance.py builds them)
and the function that finishes sums into the figure. The point estimate finishes the sums over
all compared documents. A bootstrap draw (Efron 1979; Efron and Tibshirani 1993, ch. 13)
resamples the documents with replacement, so a draw's sums are a weighted sum of the document
rows: one matrix product per batch of draws. The interval is the percentile interval (2.5th
and 97.5th percentiles of the draws' figures) under a fixed seed, so the same project gives
the same interval every time.

Documents, not units, are resampled: units of one document (its sentences, its entities) are
annotated together and are not independent of each other, so resampling them one by one would
make the intervals too narrow.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from gui.core.errors import MarginaliaError
from gui.review.coefficients import Figure

DRAWS = 1000
SEED = 0
BATCH = 25  # draws per matrix product: progress and cancel come between batches
Finish = Callable[[np.ndarray], np.ndarray]
Progress = Callable[[int, int], None]


class Cancelled(MarginaliaError):
    def __init__(self) -> None:
        super().__init__("agreement cancelled")


@dataclass
class Statistic:
    """One figure's per-document sums: ``rows`` for the documents ``documents`` (indices into
    the compared documents; documents whose sums are all zero are left out)."""

    documents: np.ndarray
    rows: np.ndarray
    finish: Finish
    reason: str  # why the figure is undefined, when it is
    total: np.ndarray | None = None  # the sums over every document, when ``rows`` wait
    build: Callable[[], Statistic] | None = None  # makes the rows, for the bootstrap only

    @classmethod
    def of(cls, per_document: np.ndarray, finish: Finish, reason: str) -> Statistic:
        """From a documents x columns array of sums."""
        used = np.flatnonzero(np.any(per_document != 0, axis=1))
        return cls(used, per_document[used], finish, reason)

    @classmethod
    def deferred(cls, total: np.ndarray, finish: Finish, reason: str,
                 build: Callable[[], Statistic]) -> Statistic:
        """A figure whose per-document rows are costly and only the bootstrap needs: the
        point estimate finishes ``total``, the bootstrap calls ``build`` for the rows."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, len(total))), finish, reason,
                   total, build)

    def per_document(self) -> Statistic:
        return self.build() if self.build is not None else self

    @classmethod
    def missing(cls, reason: str) -> Statistic:
        """A figure that cannot be computed at all (the schema's scale is nominal…)."""
        return cls(np.zeros(0, dtype=np.int64), np.zeros((0, 1)), _undefined, reason)

    def figure(self) -> Figure:
        if self.total is not None:
            sums = self.total
        else:
            sums = self.rows.sum(axis=0) if len(self.rows) else np.zeros(self.rows.shape[1])
        value = float(self.finish(sums[None])[0])
        return Figure(value) if np.isfinite(value) else Figure(None, self.reason)


Interval = tuple[float, float] | None


def _undefined(sums: np.ndarray) -> np.ndarray:
    return np.full(len(sums), np.nan)


def bootstrap_intervals(
    statistics: Mapping[str, Statistic],
    documents: int,
    *,
    draws: int = DRAWS,
    seed: int = SEED,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[str, Interval]:
    """The 95% percentile interval of every statistic over ``draws`` resamplings of the
    ``documents`` compared documents. ``None`` where fewer than half the draws give a value
    (the figure is then too fragile for an interval to mean anything)."""
    names = list(statistics)
    if not draws or not documents or not names:
        return {name: None for name in names}
    statistics = {name: statistic.per_document() for name, statistic in statistics.items()}
    rng = np.random.default_rng(seed)
    values = np.full((draws, len(names)), np.nan)
    for first in range(0, draws, BATCH):
        size = min(BATCH, draws - first)
        picks = rng.integers(0, documents, size=(size, documents))
        weights = np.bincount((picks + documents * np.arange(size)[:, None]).ravel(),
                              minlength=size * documents).reshape(size, documents)
        weights = weights.astype(float)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for k, name in enumerate(names):
                statistic = statistics[name]
                # most figures touch every document: their rows need no gathering of weights
                every = len(statistic.documents) == documents
                sums = (weights if every else weights[:, statistic.documents]) @ statistic.rows
                values[first:first + size, k] = statistic.finish(sums)
        if progress is not None:
            progress(first + size, draws)
        if cancelled is not None and cancelled():
            raise Cancelled()
    intervals: dict[str, Interval] = {}
    for k, name in enumerate(names):
        found = values[:, k][np.isfinite(values[:, k])]
        if len(found) * 2 < draws:
            intervals[name] = None
        else:
            low, high = np.percentile(found, [2.5, 97.5])
            intervals[name] = (float(low), float(high))
    return intervals
