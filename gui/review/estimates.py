"""The figures issue 14 adds to the agreement report, with their intervals and warnings.

``collect`` builds every new figure as a ``Statistic`` (sums per document) named by its place
in the JSON ("stance_frames.per_pair.ana|ben.frame_f1"), plus the four existing headline
figures (stance alpha nominal and ordinal, entity F1, token alpha) so those get intervals too.
The point estimates come at once; ``Estimates.bootstrap`` is the separate, slower step (with
progress and cancel) that adds the intervals, so the window can show the figures first.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gui.core.schema import Schema
from gui.review.bootstrap import (
    DRAWS,
    SEED,
    Interval,
    Progress,
    Statistic,
    bootstrap_intervals,
)
from gui.review.coefficients import Figure
from gui.review.columns import ComparedSets
from gui.review.frame_agreement import FrameStatistics

# The existing figures that get an interval, under "intervals" in the JSON.
HEADLINES = ("stance.alpha_nominal", "stance.alpha_ordinal", "entities.f1",
             "entities.alpha_token")
ALPHA_MIN = 0.8  # Krippendorff's threshold for firm conclusions
Z_05 = 1.645  # one-sided p = 0.05


@dataclass
class Estimates:
    documents: int
    statistics: dict[str, Statistic]
    figures: dict[str, Figure]  # the point estimates, by statistic name
    counts: dict[str, int]  # "stance_frames.matched", "stance_frames.per_pair.ana|ben.matched"…
    warnings: list[str] = field(default_factory=list)
    intervals: dict[str, Interval] = field(default_factory=dict)
    draws: int = 0  # 0 until ``bootstrap`` ran
    seed: int = SEED

    def bootstrap(self, *, draws: int = DRAWS, seed: int = SEED,
                  progress: Progress | None = None,
                  cancelled: Callable[[], bool] | None = None) -> None:
        """Add the 95% intervals (raises ``Cancelled`` when ``cancelled()`` says so)."""
        wanted = {name: s for name, s in self.statistics.items() if self.figures[name].ok}
        self.intervals = bootstrap_intervals(wanted, self.documents, draws=draws, seed=seed,
                                             progress=progress, cancelled=cancelled)
        self.draws, self.seed = draws, seed

    def fig(self, name: str) -> dict[str, Any]:
        """``{"value", "ci"}``, and ``"reason"`` when there is no value."""
        figure = self.figures[name]
        interval = self.intervals.get(name)
        found: dict[str, Any] = {"value": figure.value,
                                 "ci": list(interval) if interval else None}
        if not figure.ok:
            found["reason"] = figure.reason
        return found

    def to_json(self, annotators: list[str], schema: Schema) -> dict[str, Any]:
        pairs = [name.split(".")[2] for name in self.figures
                 if name.startswith("stance_frames.per_pair.") and name.endswith(".frame_f1")]
        frames: dict[str, Any] = {
            name: self.fig(f"stance_frames.{name}")
            for name in ("frame_f1", "polarity_alpha_nominal", "polarity_alpha_ordinal",
                         "polarity_kappa", "holder_agreement", "evidence_overlap")
        }
        frames["matched"] = self.counts.get("stance_frames.matched", 0)
        frames["unmatched"] = self.counts.get("stance_frames.unmatched", 0)
        frames["per_pair"] = {
            pair: {**{name: self.fig(f"stance_frames.per_pair.{pair}.{name}")
                      for name in ("frame_f1", "polarity_kappa", "holder_agreement")},
                   "matched": self.counts[f"stance_frames.per_pair.{pair}.matched"],
                   "unmatched": self.counts[f"stance_frames.per_pair.{pair}.unmatched"]}
            for pair in pairs
        }
        frames["per_target"] = {
            target: {name: self.fig(f"stance_frames.per_target.{target}.{name}")
                     for name in ("frame_f1", "polarity_alpha_nominal", "holder_agreement")}
            for target in schema.target_names
        }
        kinds = ("exact_f1", "overlap_f1", "token_dice")
        partial: dict[str, Any] = {name: self.fig(f"entity_partial.{name}")
                                   for name in ("overlap_f1", "token_dice", "alpha_u")}
        partial["per_label"] = {
            label: {kind: self.fig(f"entity_partial.per_label.{label}.{kind}") for kind in kinds}
            for label in schema.labels
        }
        partial["per_pair"] = {
            pair: {kind: self.fig(f"entity_partial.per_pair.{pair}.{kind}") for kind in kinds}
            for pair in pairs
        }
        return {
            "stance_frames": frames,
            "entity_partial": partial,
            "multi_rater": {name: self.fig(f"multi_rater.{name}")
                            for name in ("fleiss_kappa", "gwet_ac1", "gwet_ac2")},
            "intervals": {name: list(self.intervals[name]) if self.intervals.get(name)
                          else None for name in HEADLINES},
            "bootstrap": {"draws": self.draws, "seed": self.seed, "resampled": "documents"},
            "warnings": list(self.warnings),
        }


def collect(sets: ComparedSets, frames: FrameStatistics, stance: dict[str, Statistic],
            pairable: int, partial: dict[str, Statistic], alpha_token: Statistic,
            schema: Schema) -> Estimates:
    """Every new figure of the compared sets, from their sums per document
    (``document_sums``): the frame figures, the sentence-unit ``stance`` figures
    (``stance_sums.stance_statistics``) over ``pairable`` units with two or more values, the
    entity figures of ``partial_credit`` and the token alpha."""
    documents = len(sets.document_ids)
    statistics: dict[str, Statistic] = {}
    statistics.update({f"stance_frames.{k}": v for k, v in frames.statistics.items()})
    statistics.update({f"entity_partial.{k}": v for k, v in partial.items()
                       if k != "exact_f1"})
    statistics["entities.f1"] = partial["exact_f1"]
    statistics["entities.alpha_token"] = alpha_token
    statistics.update(stance)
    counts = {"stance_frames.matched": sum(frames.matched.values()),
              "stance_frames.unmatched": sum(frames.unmatched.values())}
    for pair in frames.matched:
        counts[f"stance_frames.per_pair.{pair}.matched"] = frames.matched[pair]
        counts[f"stance_frames.per_pair.{pair}.unmatched"] = frames.unmatched[pair]
    figures = {name: statistic.figure() for name, statistic in statistics.items()}
    estimates = Estimates(documents, statistics, figures, counts)
    estimates.warnings = _warnings(estimates, sets, {
        "stance.alpha_nominal": pairable,
        "stance_frames.polarity_alpha_nominal": counts["stance_frames.matched"]})
    return estimates


def minimum_units(smallest_share: float, alpha_min: float = ALPHA_MIN, z: float = Z_05
                  ) -> int:
    """Krippendorff's (2004, p. 240; after Bloch and Kraemer 1989, eq. 3.7) minimum number of
    units for telling alpha >= alpha_min from chance at the significance ``z`` stands for, when
    the rarest value has probability ``smallest_share``:
    N = 2 z^2 [(1 + a)(3 - a) / (4 (1 - a) p (1 - p)) - a]."""
    p = smallest_share
    return int(np.ceil(2 * z * z * ((1 + alpha_min) * (3 - alpha_min)
                                    / (4 * (1 - alpha_min) * p * (1 - p)) - alpha_min)))


def _warnings(estimates: Estimates, sets: ComparedSets, units: dict[str, int]) -> list[str]:
    """One sentence per alpha computed over fewer units than Krippendorff recommends, and one
    when alpha_u covers fewer documents than the other figures."""
    found = []
    for name, title in (("stance.alpha_nominal", "Stance alpha (sentence units)"),
                        ("stance_frames.polarity_alpha_nominal",
                         "Polarity alpha on matched frames")):
        if not estimates.figures[name].ok:
            continue
        sums = estimates.statistics[name].rows.sum(axis=0)
        q = math.isqrt(len(sums))
        margins = sums.reshape(q, q).sum(axis=1)
        share = float(margins[margins > 0].min() / margins.sum())
        needed = minimum_units(share)
        if units[name] < needed:
            found.append(f"{title}: {units[name]:,} units with two or more values, fewer than "
                         f"the {needed:,} Krippendorff (2004) recommends for telling alpha ≥ "
                         f"{ALPHA_MIN:.3f} from chance at p = 0.05 when the rarest value makes "
                         f"up {share:.1%} of the values.")
    people = len(sets.annotators)
    everyone = int(np.count_nonzero(sets.everyone == people)) if people >= 2 else 0
    if estimates.figures["entity_partial.alpha_u"].ok and everyone < len(sets.document_ids):
        found.append(f"Unitizing alpha covers the {everyone:,} of {len(sets.document_ids):,} "
                     "compared documents that every annotator finished.")
    return found
