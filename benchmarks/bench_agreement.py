"""Agreement over 10,000 documents x 3 annotators (``marginalia agreement``'s work) against
the bare ``krippendorff.alpha`` call on the same stance reliability matrix, in the same run.

The value is everything the command does after opening the project, bootstrap aside: reading
every done set, the stance units (sentences from the ``document_units`` cache), alpha
(nominal and ordinal, overall and per target), kappa and F1 per pair, token alpha, the
dispute score of every document, and issue 14's figures: stance frames matched and compared,
overlap F1 and token Dice per label and pair, unitizing alpha, Fleiss' kappa and Gwet's
AC1/AC2. The baseline is the one library call a hand-written script would make once it had
the matrix, so the ratio says what the whole pipeline costs on top of the statistic itself.

Three more lines: the first run on a copy whose cache is empty (it splits every text and
stores the units), the bootstrap's 1,000 draws over documents beside 1,000 bare
``krippendorff.alpha`` calls on resampled stance matrices (timed over 50, scaled), and the
CPU seconds of the warm run. ``python -m benchmarks.bench_agreement --profile`` prints where
the time goes instead.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
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
WARM_RUNS = 3
BARE_DRAWS = 50  # bare krippendorff calls timed for the bootstrap's baseline, then scaled


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    n = QUICK if quick else FULL
    source = corpus.cached_project(n, annotators=ANNOTATORS)
    sentence_spans("Warm up. The blank pipeline loads once per process.")
    with tempfile.TemporaryDirectory(prefix="bench-agreement-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "agreement.marginalia")
        with Project.open(path) as project:  # the upgrade to this version's format, untimed
            schema = project.schema
        with Project.open(path) as project:
            t0 = time.perf_counter()
            compute_agreement(project)  # the cache is empty: every text is split and stored
            cold = time.perf_counter() - t0
            walls, cpus = [], []
            for _ in range(WARM_RUNS):
                t0, c0 = time.perf_counter(), time.process_time()
                report = compute_agreement(project)
                walls.append(time.perf_counter() - t0)
                cpus.append(time.process_time() - c0)
            t0 = time.perf_counter()
            report.bootstrap()
            bootstrap = time.perf_counter() - t0
            matrix = stance_matrix(report.units, report.annotators, schema)
    took, cpu = statistics.median(walls), statistics.median(cpus)
    domain = np.arange(len(schema.polarities) + 1, dtype=float)
    t1 = time.perf_counter()
    krippendorff.alpha(reliability_data=matrix, value_domain=domain,
                       level_of_measurement="nominal")
    bare = time.perf_counter() - t1
    bare_bootstrap = _bare_bootstrap(matrix, report.units, domain)
    goal = f"< {GOAL_S:g} s for {FULL:,} documents x {len(ANNOTATORS)}"
    data = report.to_json()
    # CPU seconds beside wall seconds: on a shared machine the wall clock also counts others.
    note = (f"{n:,} docs, {report.stance.units:,} stance units, "
            f"alpha {report.stance.alpha_nominal.value:.3f}, frame F1 "
            f"{data['stance_frames']['frame_f1']['value']:.3f}, alpha_u "
            f"{data['entity_partial']['alpha_u']['value']:.3f}; median of {WARM_RUNS} warm "
            f"runs, {cpu:.1f} s CPU")
    label = f"{n:,} docs x {len(ANNOTATORS)} annotators"
    return {
        f"agreement over {label}": figure(
            took, bare, goal=goal, unit="s", met=(took < GOAL_S) if not quick else None,
            note=note),
        f"agreement first run over {label}": figure(
            cold, took, goal="informational: the first run splits every text and stores "
            "the units (baseline: a warm run)", unit="s", met=None),
        f"agreement bootstrap over {label}": figure(
            bootstrap, bare_bootstrap, goal="informational: 1,000 draws of every figure, "
            "after the point estimates (baseline: 1,000 bare krippendorff.alpha calls on "
            f"resampled stance matrices, {BARE_DRAWS} timed and scaled)", unit="s", met=None),
    }


def _bare_bootstrap(matrix: np.ndarray, units: list, domain: np.ndarray) -> float:
    """What a script would pay for the stance alpha's interval alone: resample documents,
    gather their units' columns, call the package; per draw, scaled to 1,000."""
    rng = np.random.default_rng(0)
    document = np.array([u.document_id for u in units])
    ids, inverse = np.unique(document, return_inverse=True)
    columns = [np.flatnonzero(inverse == k) for k in range(len(ids))]
    t0 = time.perf_counter()
    for _ in range(BARE_DRAWS):
        picks = rng.integers(0, len(ids), len(ids))
        chosen = np.concatenate([columns[k] for k in picks])
        krippendorff.alpha(reliability_data=matrix[:, chosen], value_domain=domain,
                           level_of_measurement="nominal")
    return (time.perf_counter() - t0) * 1000 / BARE_DRAWS


def profile(quick: bool = False, top: int = 25) -> None:
    """Where the time goes: a warm ``compute_agreement`` under cProfile, by own time."""
    import cProfile
    import pstats

    source = corpus.cached_project(QUICK if quick else FULL, annotators=ANNOTATORS)
    sentence_spans("Warm up. The blank pipeline loads once per process.")
    with tempfile.TemporaryDirectory(prefix="bench-agreement-", dir=corpus.cache_dir()) as tmp:
        path = corpus.project_copy(source, Path(tmp) / "agreement.marginalia")
        with Project.open(path) as project:
            compute_agreement(project)  # fills the cache
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
