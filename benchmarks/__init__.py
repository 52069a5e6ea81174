"""Speed and memory figures, each measured beside a baseline in the same run.

Every ``bench_*.py`` module here has ``run(quick: bool = False) -> dict`` returning
``{name: {"value", "baseline", "ratio", "goal", "unit", "met"}}``; ``python -m benchmarks``
(``make bench``) runs them all, prints a table and writes ``benchmarks/results.json``.
A ratio against a baseline measured in the same run holds on a noisy, shared machine where a
bare number would not.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from typing import Any


def figure(
    value: float | None,
    baseline: float | None,
    *,
    goal: str,
    unit: str,
    met: bool | None,
    note: str = "",
) -> dict[str, Any]:
    """One row of results.json; ratio is value / baseline where both were measured."""
    ratio = round(value / baseline, 3) if value is not None and baseline else None
    row: dict[str, Any] = {
        "value": None if value is None else round(value, 4),
        "baseline": None if baseline is None else round(baseline, 4),
        "ratio": ratio,
        "goal": goal,
        "unit": unit,
        "met": met,
    }
    if note:
        row["note"] = note
    return row


def not_measured(reason: str, *, goal: str, unit: str) -> dict[str, Any]:
    """A figure that could not be taken this run, saying why instead of failing the harness."""
    return figure(None, None, goal=goal, unit=unit, met=None, note=f"not measured: {reason}")


def percentile(samples: Sequence[float], p: float) -> float:
    """The p-th percentile (0..100) by the nearest-rank method: a sample that happened."""
    ordered = sorted(samples)
    rank = max(1, min(len(ordered), math.ceil(p / 100 * len(ordered))))
    return ordered[rank - 1]


def latency_figures(name: str, ours: Sequence[float], baseline: Sequence[float], *,
                    goal_ms: float, note: str) -> dict[str, dict[str, Any]]:
    """``NAME_p50`` and ``NAME_p95`` in milliseconds from samples in seconds, beside the
    baseline's same percentile; the goal is on p95 (the median is shown, not judged)."""
    figures = {}
    for p in (50, 95):
        value, base = percentile(ours, p) * 1000, percentile(baseline, p) * 1000
        figures[f"{name}_p{p}"] = figure(
            value, base, goal=f"p95 < {goal_ms:g} ms", unit="ms",
            met=value < goal_ms if p == 95 else None, note=note,
        )
    return figures


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)
