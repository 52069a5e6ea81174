"""Agreement over 10,000 documents x 3 annotators (``marginalia agreement``'s work) against
the bare ``krippendorff.alpha`` call on the same stance reliability matrix, in the same run.

The value is everything the command does after opening the project: reading every done set,
splitting sentences and tokens with spaCy, building units, alpha (nominal and ordinal, overall
and per target), kappa and F1 per pair, token alpha, and the dispute score of every document.
The baseline is the one library call a hand-written script would make once it had the matrix,
so the ratio says what the whole pipeline costs on top of the statistic itself.
``python -m benchmarks.bench_agreement --profile`` prints where the time goes instead.
"""

from __future__ import annotations

import time
from typing import Any

import krippendorff
import numpy as np

from benchmarks import corpus, figure
from gui.core.store import Project
from gui.review.agreement import compute_agreement, stance_matrix
from gui.review.units import sentence_spans

FULL = 10_000
QUICK = 1_000
ANNOTATORS = ("ana", "ben", "cy")
GOAL_S = 2.0


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick else FULL
    path = corpus.cached_project(n, annotators=ANNOTATORS)
    sentence_spans("Warm up. The blank pipeline loads once per process.")
    with Project.open(path) as project:
        t0, c0 = time.perf_counter(), time.process_time()
        report = compute_agreement(project)
        took, cpu = time.perf_counter() - t0, time.process_time() - c0
        matrix = stance_matrix(report.units, report.annotators, project.schema)
    domain = np.arange(len(project.schema.polarities) + 1, dtype=float)
    t1 = time.perf_counter()
    krippendorff.alpha(reliability_data=matrix, value_domain=domain,
                       level_of_measurement="nominal")
    bare = time.perf_counter() - t1
    goal = f"< {GOAL_S:g} s for {FULL:,} documents x {len(ANNOTATORS)}"
    # CPU seconds beside wall seconds: on a shared machine the wall clock also counts others.
    note = (f"{n:,} docs, {report.stance.units:,} stance units, "
            f"alpha {report.stance.alpha_nominal.value:.3f}, {cpu:.1f} s CPU")
    return {
        f"agreement over {n:,} docs x {len(ANNOTATORS)} annotators": figure(
            took, bare, goal=goal, unit="s", met=(took < GOAL_S) if not quick else None,
            note=note),
    }


def profile(quick: bool = False, top: int = 25) -> None:
    """Where the time goes: ``compute_agreement`` under cProfile, by own time."""
    import cProfile
    import pstats

    path = corpus.cached_project(QUICK if quick else FULL, annotators=ANNOTATORS)
    sentence_spans("Warm up. The blank pipeline loads once per process.")
    with Project.open(path) as project:
        profiler = cProfile.Profile()
        profiler.runcall(compute_agreement, project)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


if __name__ == "__main__":
    import json
    import sys

    if "--profile" in sys.argv:
        profile(quick="--quick" in sys.argv)
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
