"""Agreement over 10,000 documents x 3 annotators (``marginalia agreement``'s work) against
the bare ``krippendorff.alpha`` call on the same stance reliability matrix, in the same run.

The value is everything the command does after opening the project, bootstrap aside, warm:
each document's sums read from the cache (``agreement_sums``) and finished into alpha
(nominal and ordinal, overall and per target), kappa and F1 per pair, token alpha, the
dispute score of every document, and issue 14's figures: stance frames matched and compared,
overlap F1 and token Dice per label and pair, unitizing alpha, Fleiss' kappa and Gwet's
AC1/AC2. The baseline is the one library call a hand-written script would make once it had
the matrix, so the ratio says what the whole pipeline costs on top of the statistic itself.

More lines, each with its CPU seconds: the first run on a copy whose caches are empty (it
splits every text and stores the units, and stores every document's sums) beside a warm run;
a run after one entity was deleted from 1% of the documents, beside a warm run; a run with the
sums cache emptied (every run's cost before that cache), beside a warm run; the bootstrap's
1,000 draws over documents beside 1,000 bare ``krippendorff.alpha`` calls on resampled stance
matrices (timed over 50, scaled). The CPU seconds matter on a shared machine, whose wall
clock also counts the neighbours. ``python -m benchmarks.bench_agreement --profile`` prints
where the time goes instead.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import krippendorff
import numpy as np

from benchmarks import corpus, figure
from gui.core.store import Project
from gui.review.agreement import compute_agreement
from gui.review.units import sentence_spans

FULL = 10_000
QUICK = 1_000
ANNOTATORS = ("ana", "ben", "cy")
GOAL_S = 2.0
WARM_RUNS = 3
T = TypeVar("T")
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
            # the cache is empty: every text is split and stored
            (cold, cold_cpu), first = _timed(compute_agreement, project)
            warm = [_timed(compute_agreement, project) for _ in range(WARM_RUNS)]
            report = warm[-1][1]
            deleted = _edit_one_percent(project)
            (edited, edited_cpu), _report = _timed(compute_agreement, project)
            with project.transaction() as conn:  # what every run cost before the sums cache
                conn.execute("DELETE FROM agreement_sums")
            (uncached, uncached_cpu), _report = _timed(compute_agreement, project)
            (bootstrap, _cpu), _none = _timed(report.bootstrap)
    # a run that computes every document holds every stance unit: the baseline's matrix
    assert first.sentence_units is not None
    matrix = first.sentence_units.matrix
    took = statistics.median(wall for (wall, _cpu), _report in warm)
    cpu = statistics.median(cpu for (_wall, cpu), _report in warm)
    domain = np.arange(len(schema.polarities) + 1, dtype=float)
    t1 = time.perf_counter()
    krippendorff.alpha(reliability_data=matrix, value_domain=domain,
                       level_of_measurement="nominal")
    bare = time.perf_counter() - t1
    bare_bootstrap = _bare_bootstrap(matrix, first.sentence_units.document, domain)
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
            "the units (baseline: a warm run)", unit="s", met=None,
            note=f"{cold_cpu:.1f} s CPU"),
        f"agreement after editing 1% of documents over {label}": figure(
            edited, took, goal="informational: a run after one entity of one set of every "
            "hundredth document was deleted (baseline: a warm run)", unit="s", met=None,
            note=f"{edited_cpu:.1f} s CPU, {deleted} documents edited"),
        f"agreement without the sums cache over {label}": figure(
            uncached, took, goal="informational: a run after the cache of each document's "
            "sums was emptied, which is what every run cost before it (baseline: a warm "
            "run)", unit="s", met=None, note=f"{uncached_cpu:.1f} s CPU"),
        f"agreement bootstrap over {label}": figure(
            bootstrap, bare_bootstrap, goal="informational: 1,000 draws of every figure, "
            "after the point estimates (baseline: 1,000 bare krippendorff.alpha calls on "
            f"resampled stance matrices, {BARE_DRAWS} timed and scaled)", unit="s", met=None),
    }


def _timed(work: Callable[..., T], *args: Any) -> tuple[tuple[float, float], T]:
    """((wall seconds, CPU seconds of every thread), what ``work`` returned)."""
    t0, c0 = time.perf_counter(), time.process_time()
    result = work(*args)
    return (time.perf_counter() - t0, time.process_time() - c0), result


def _edit_one_percent(project: Project) -> int:
    """Delete one entity of one done set of every hundredth document, as an annotator's
    correction would; how many were deleted."""
    with project.transaction() as conn:
        return conn.execute(
            "DELETE FROM entities WHERE id IN (SELECT min(e.id) FROM entities e "
            "JOIN annotation_sets s ON s.id = e.set_id WHERE s.status = 'done' "
            "AND s.document_id % 100 = 0 GROUP BY s.document_id)").rowcount


def _bare_bootstrap(matrix: np.ndarray, document: np.ndarray, domain: np.ndarray) -> float:
    """What a script would pay for the stance alpha's interval alone: resample documents,
    gather their units' columns, call the package; per draw, scaled to 1,000."""
    rng = np.random.default_rng(0)
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
