"""Training time on 500 documents, and the learning curve (F1 after 25, 50, 100, 200).

Time: a project of generated articles with gold (benchmarks/gold_corpus.py), plus a fifth as
many untouched ones for rehearsal and ranking, trained with the defaults ``marginalia train``
uses (``train_project``). The baseline measured in the same run is one bare ``nlp.pipe`` pass
of the same installed pipeline over the training texts: the ratio says how many such passes
training costs. Goal: at most 5 minutes for 500 documents on two cores.

Curve (``--curve``): training sets of 25, 50, 100 and 200 articles built from eight of the
sample articles' sentences; one fixed test set of 50 articles built from the other four, so no
test sentence was seen in training. Printed as a table for docs/training.md.

Real-style curve (``--real-curve [SET_A SET_B]``): two hand-annotated sets of real-style news
(by default the development sets ``tests/data/stance_eval`` and ``tests/data/stance_eval2``),
two folds: train on the first 6, 12, all… articles of one set and measure on the whole other
set, then the other way round. Each point is a fresh project, so "rules" is always the
installed pipeline with the stance rules, measured on the same articles as the trained version.
A set is a folder holding ``articles.jsonl`` or the JSONL file itself.

Leave-one-set-out folds (``--real-folds [SET …] [--test SET]``): leave one hand-annotated set
out, train on every article of the others and measure on it, for each set in turn (by default
the development sets the starter is built from, ``starter.SETS``: its build prints the same
folds), then the folds' counts added up; with ``--test SET``, train on all the named (or
default) sets and measure on ``SET`` alone, e.g. a new held-out set. The current pre-fill in
the folds is what a new project has, the rules and the starter classifier, but a starter built
from the fold's training sets (gui/nlp/starter_build.py; the shipped one was trained on all
of them); in the curves it is the rules alone.

Training on top of the starter (``--starter-curve [SET_A SET_B …]``): per pair of development
sets left out of a starter built from the others (by default 7 + 8 and 11 + 12), the pair's
articles as a project's corrections (5, 10, 20 of them) and held-out articles (the last 20),
a classifier trained on the corrections alone against one trained on the other development
sets plus the corrections seen once or three times (gui/nlp/starter_data.py).
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import corpus, figure, gold_corpus
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files
from gui.nlp.starter import SETS

FULL = 500
QUICK = 60
GOAL_SECONDS = 300
CURVE = (25, 50, 100, 200)
CURVE_TEST = 50
REAL_SETS = ("tests/data/stance_eval", "tests/data/stance_eval2")
REAL_POINTS = (6, 12, 24)
# --starter-curve: development sets left out of the starter's data in pairs, each pair a
# project whose first articles are its corrections and whose last STARTER_TEST are measured on
STARTER_PAIRS = (("tests/data/stance_eval7", "tests/data/stance_eval8"),
                 ("tests/data/stance_eval11", "tests/data/stance_eval12"))
STARTER_POINTS = (5, 10, 20)
STARTER_REPEATS = (1, 3)
STARTER_TEST = 20


def build(path: Path, gold: list[dict[str, Any]], plain: list[dict[str, Any]]) -> Path:
    source = gold_corpus.write(path.with_suffix(".jsonl"), gold + plain)
    with Project.create(path, load_schema()) as project:
        import_files(project, [source])
    source.unlink()
    return path


def _bare_pass(project: Project, ids: list[int]) -> float:
    import spacy

    from gui.nlp.train import base_pipeline

    nlp = spacy.load(base_pipeline(project))
    texts = [project.document(i).text for i in ids]
    started = time.perf_counter()
    for _doc in nlp.pipe(texts, batch_size=32):
        pass
    return time.perf_counter() - started


def run(quick: bool = False) -> dict[str, dict[str, Any]]:
    from gui.nlp.train import train_project

    n = QUICK if quick else FULL
    train_pool, _test_pool = gold_corpus.pools()
    gold = [gold_corpus.article(train_pool, i) for i in range(n)]
    plain = [gold_corpus.untouched(train_pool, i) for i in range(n // 5)]
    with tempfile.TemporaryDirectory(prefix="bench-train-", dir=corpus.cache_dir()) as tmp:
        path = build(Path(tmp) / "train.marginalia", gold, plain)
        with Project.open(path) as project:
            started = time.perf_counter()
            report = train_project(project)
            took = time.perf_counter() - started
            bare = _bare_pass(project, project.document_ids()[: report.train_documents])
    return {
        f"train_{n}_documents": figure(
            took, bare, goal=f"at most {GOAL_SECONDS} s for {FULL} documents", unit="s",
            met=took <= GOAL_SECONDS * n / FULL,
            note=f"{report.train_documents} training + {report.test_documents} held-out "
                 f"documents, {report.rehearsal_documents} rehearsal texts, "
                 f"{report.development_documents} of the starter's development articles "
                 f"(starter_data.py); baseline: one bare "
                 f"nlp.pipe pass over the training texts ({bare:.1f} s); held-out F1 entities "
                 f"{report.current.entities.f1:.3f} -> {report.trained.entities.f1:.3f}, stance "
                 f"{report.current.stance.f1:.3f} -> {report.trained.stance.f1:.3f}; seconds "
                 f"per step {', '.join(f'{k} {v:.0f}' for k, v in report.steps.items())}; "
                 f"{report.ner_iterations} recognizer passes",
        ),
    }


def gui_latency(n: int = 40) -> dict[str, dict[str, Any]]:
    """The GUI thread's timer gaps while training runs in a worker thread, beside the same
    timer with nothing running: whether training in a thread would freeze painting."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QTimer
    from PySide6.QtWidgets import QApplication

    from benchmarks import percentile
    from gui.nlp.train import train_project
    from gui.ui.workers import Job

    app = QApplication.instance() or QApplication([])
    train_pool, _test = gold_corpus.pools()
    gold = [gold_corpus.article(train_pool, i) for i in range(n)]

    def gaps(job: Job | None, seconds: float) -> list[float]:
        found: list[float] = []
        clock = QElapsedTimer()
        clock.start()
        last = [clock.elapsed()]
        timer = QTimer()
        timer.setInterval(16)

        def tick() -> None:
            now = clock.elapsed()
            found.append(now - last[0])
            last[0] = now
            if (job is None and now > seconds * 1000) or (job is not None and job.done.is_set()):
                app.quit()

        timer.timeout.connect(tick)
        timer.start()
        if job is not None:
            job.start()
        app.exec()
        timer.stop()
        return found

    with tempfile.TemporaryDirectory(prefix="bench-gil-", dir=corpus.cache_dir()) as tmp:
        path = build(Path(tmp) / "gil.marginalia", gold, [])
        job = Job(path, lambda project, progress, cancelled: train_project(project))
        busy = gaps(job, 0)
        idle = gaps(None, 5)
    worst, p99 = max(busy), percentile(busy, 99)
    return {
        "train_gui_timer_gap_p99": figure(
            p99, percentile(idle, 99), goal="below 100 ms: painting never waits long",
            unit="ms", met=p99 < 100,
            note=f"16 ms timer on the GUI thread while training {n} documents in a worker "
                 f"thread; worst gap {worst:.0f} ms over {len(busy)} ticks; baseline: the "
                 "same timer with nothing running",
        ),
    }


def curve() -> str:
    """The learning curve as a Markdown table."""
    from gui.nlp.train import train_project
    from gui.nlp.train_data import Split, load_documents

    train_pool, test_pool = gold_corpus.pools()
    rows = ["| training documents | entities F1 (rules → trained) | stance F1 (rules → trained) "
            "| stance P / R trained | holder right (trained) | seconds |",
            "|---:|---|---|---|---|---:|"]
    test = [gold_corpus.article(test_pool, i, seed=1) for i in range(CURVE_TEST)]
    for n in CURVE:
        gold = [gold_corpus.article(train_pool, i) for i in range(n)]
        plain = [gold_corpus.untouched(train_pool, i) for i in range(max(10, n // 5))]
        with tempfile.TemporaryDirectory(prefix="bench-curve-", dir=corpus.cache_dir()) as tmp:
            path = build(Path(tmp) / "curve.marginalia", gold + test, plain)
            with Project.open(path) as project:
                documents = load_documents(project, "done")
                split = Split("done", tuple(documents[:n]), tuple(documents[n:]))
                started = time.perf_counter()
                report = train_project(project, split=split)
                took = time.perf_counter() - started
        c, t = report.current, report.trained
        holders = f"{t.holders_right}/{t.holders_scored}" if t.holders_scored else "–"
        rows.append(f"| {n} | {c.entities.f1:.3f} → {t.entities.f1:.3f} | {c.stance.f1:.3f} → "
                    f"{t.stance.f1:.3f} | {t.stance.precision:.3f} / {t.stance.recall:.3f} | "
                    f"{holders} | {took:.0f} |")
        print(rows[-1], flush=True)
    return "\n".join(rows)


def _jsonl(path: str) -> Path:
    found = Path(path)
    return found / "articles.jsonl" if found.is_dir() else found


def _fold(train_files: list[Path], test_file: Path, n: int, tmp: Path,
          starter: bool = False) -> Any:
    """One point: a fresh project of the files, trained on the first ``n`` articles of
    ``train_files`` (in their order), measured on every article of ``test_file``.

    The current pre-fill it is measured against is the rules alone, or with ``starter`` the
    rules and a starter classifier built from ``train_files`` (gui/nlp/starter_build.py),
    never the shipped one: that one was trained on the set measured here.
    """
    from gui.nlp.starter import SETTING
    from gui.nlp.starter_build import train_on, write
    from gui.nlp.train import train_project
    from gui.nlp.train_data import Split, load_documents

    path = tmp / f"real-{n}.marginalia"
    if starter:
        stance, base, documents, _none = train_on(train_files, tmp)
        write(stance, base, tmp / "starter", {"sets": [str(f) for f in train_files]},
              documents)
    with Project.create(path, load_schema()) as project:
        project.set_setting(SETTING, str(tmp / "starter") if starter else False)
        import_files(project, train_files)
        train_ids = set(project.document_ids())
        import_files(project, [test_file])
        documents = load_documents(project, "done")
        train = [d for d in documents if d.doc_id in train_ids][:n]
        test = [d for d in documents if d.doc_id not in train_ids]
        return train_project(project, split=Split("done", tuple(train), tuple(test)))


def _cells(counts: Any, right: int, scored: int) -> str:
    holders = f"{right}/{scored}" if scored else "–"
    return (f"{counts.precision:.3f} | {counts.recall:.3f} | {counts.f1:.3f} | {holders}")


def _head(current: str) -> list[str]:
    return [f"| train → test | articles | {current} P | R | F1 | holders | trained P | R | F1 "
            "| holders | threshold / veto | s |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|"]


def _point(train_files: list[Path], test_file: Path, n: int, name: str,
           totals: list[Any], starter: bool = False) -> str:
    """One trained point as a table row; its counts are added to ``totals`` (rules' counts,
    holders right and scored, then the trained version's)."""
    with tempfile.TemporaryDirectory(prefix="bench-real-", dir=corpus.cache_dir()) as tmp:
        started = time.perf_counter()
        report = _fold(train_files, test_file, n, Path(tmp), starter)
        took = time.perf_counter() - started
        assert report.folder is not None
        meta = json.loads((report.folder / "training.json").read_text("utf-8"))
        chosen = " / ".join("never" if meta[k] > 1 else f"{meta[k]:g}"
                            for k in ("threshold", "veto"))
    c, t = report.current, report.trained
    for i, (counts, right, scored) in enumerate((
            (c.stance, c.holders_right, c.holders_scored),
            (t.stance, t.holders_right, t.holders_scored))):
        added = totals[3 * i]
        added.tp, added.fp, added.fn = (added.tp + counts.tp, added.fp + counts.fp,
                                        added.fn + counts.fn)
        totals[3 * i + 1] += right
        totals[3 * i + 2] += scored
    row = (f"| {name} | {n} | {_cells(c.stance, c.holders_right, c.holders_scored)} | "
           f"{_cells(t.stance, t.holders_right, t.holders_scored)} | {chosen} | {took:.0f} |")
    print(row, flush=True)
    return row


def _totals() -> list[Any]:
    from gui.nlp.evaluate import Counts

    return [Counts(), 0, 0, Counts(), 0, 0]


def _summed(name: str, totals: list[Any]) -> str:
    rc, rr, rs, tc, tr, ts = totals
    return f"| {name} | | {_cells(rc, rr, rs)} | {_cells(tc, tr, ts)} | | |"


def _articles(file: Path) -> int:
    return sum(1 for line in file.open(encoding="utf-8") if line.strip())


def real_curve(sets: list[str], points: tuple[int, ...] = REAL_POINTS) -> str:
    """The 2-fold learning curve on two hand-annotated sets, as a Markdown table: per fold
    and point, then both folds' counts added up per point."""
    files = [_jsonl(s) for s in sets]
    rows = _head("rules")
    totals: dict[int, list[Any]] = {}
    for train_file, test_file in (files, files[::-1]):
        available = _articles(train_file)
        done: set[int] = set()
        for point in points:
            n = min(point, available)
            if n in done:
                continue
            done.add(n)
            rows.append(_point([train_file], test_file, n,
                               f"{train_file.parent.name} → {test_file.parent.name}",
                               totals.setdefault(point, _totals())))
    rows += [_summed(f"both folds, up to {n}", added) for n, added in sorted(totals.items())]
    return "\n".join(rows)


def _stance_row(report: Any) -> str:
    s = report.stance
    holders = (f"{report.holders_right}/{report.holders_scored}" if report.holders_scored
               else "–")
    return f"{s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {holders}"


def _with_classifier(project: Project, stance: Any, base: Any, folder: Path,
                     documents: Any, test: list[Any]) -> Any:
    """The rules with ``stance`` as the project's classifier (written as a starter folder and
    named by the project's setting, as the folds do), measured on ``test``."""
    from gui.nlp.prefill import Prefiller
    from gui.nlp.starter import SETTING
    from gui.nlp.starter_build import write
    from gui.nlp.train import evaluate_prefiller

    write(stance, base, folder, {}, documents)
    project.set_setting(SETTING, str(folder))
    prefiller = Prefiller(project)
    assert prefiller.starter is not None, "the classifier does not fit the project"
    return evaluate_prefiller(prefiller, test)


def starter_curve(pairs: list[tuple[str, str]], points: tuple[int, ...] = STARTER_POINTS,
                  repeats: tuple[int, ...] = STARTER_REPEATS) -> str:
    """Training on top of the starter (gui/nlp/starter_data.py), per pair of development sets
    left out of the starter's data: the pair is the project; its articles alternate (one of
    each set in turn), the first ones are its corrections, the last ``STARTER_TEST`` are
    measured on, the same ones at every point. At each point k: the rules with a classifier
    trained on the k articles alone (what training did before), and on the other development
    sets plus the k articles, these repeated ``r`` times; k = 0 is the starter built from the
    other sets. Stance figures only (the recognizer is the installed one throughout)."""
    from gui.nlp.prefill import Prefiller
    from gui.nlp.starter_build import train_on
    from gui.nlp.train import train_stance
    from gui.nlp.train_data import load_documents

    head = ["| project (left out) | k | trained on | P | R | F1 | holders | s |",
            "|---|---:|---|---:|---:|---:|---:|---:|"]
    rows = list(head)
    totals: dict[tuple[int, str], Any] = {}

    def add(name: str, k: int, what: str, report: Any, took: float) -> None:
        from gui.nlp.evaluate import EvaluationReport

        # one total per point and kind: the starter's row names its pair's article count
        total = totals.setdefault((k, what.split(" (")[0]), EvaluationReport())
        total.stance.tp += report.stance.tp
        total.stance.fp += report.stance.fp
        total.stance.fn += report.stance.fn
        total.holders_right += report.holders_right
        total.holders_scored += report.holders_scored
        rows.append(f"| {name} | {k} | {what} | {_stance_row(report)} | {took:.0f} |")
        print(rows[-1], flush=True)

    for pair in pairs:
        files = [_jsonl(s) for s in pair]
        others = [_jsonl(s) for s in SETS if _jsonl(s) not in files]
        name = " + ".join(f.parent.name for f in files)
        with tempfile.TemporaryDirectory(prefix="bench-starter-", dir=corpus.cache_dir()) as t:
            tmp = Path(t)
            started = time.perf_counter()
            starter, _base, development, _none = train_on(others, tmp)
            built = time.perf_counter() - started
            with Project.create(tmp / "project.marginalia", load_schema()) as project:
                import_files(project, [files[0]])
                first = set(project.document_ids())
                import_files(project, [files[1]])
                documents = load_documents(project, "done")
                a = [d for d in documents if d.doc_id in first]
                b = [d for d in documents if d.doc_id not in first]
                mixed = [d for two in zip(a, b, strict=False) for d in two]
                mixed += a[len(b):] + b[len(a):]
                pool, test = mixed[:-STARTER_TEST], mixed[-STARTER_TEST:]
                rules = Prefiller(project, starter=False)
                report = _with_classifier(project, starter, rules, tmp / "k0", development,
                                          test)
                add(name, 0, f"the starter ({len(development)} development articles)",
                    report, built)
                for k in points:
                    own = pool[:k]
                    choices = [(f"the {k} alone", (), 1)] + [
                        (f"development + the {k} ×{r}", development, r) for r in repeats]
                    for what, extra, r in choices:
                        started = time.perf_counter()
                        stance = train_stance(rules, own, development=extra, repeat=r)
                        took = time.perf_counter() - started
                        folder = tmp / f"k{k}-{len(extra)}-{r}"
                        add(name, k, what, _with_classifier(project, stance, rules, folder,
                                                            development, test), took)
    for (k, what), total in totals.items():
        rows.append(f"| all pairs | {k} | {what} | {_stance_row(total)} | |")
    return "\n".join(rows)


def real_folds(sets: list[str], test: str | None = None) -> str:
    """Leave one set out: train on every article of the other sets, measure on the one left
    out, for each set in turn (or only for ``test``, a set not among ``sets``: train on all
    of ``sets``, measure on it), then the folds' counts added up."""
    files = [_jsonl(s) for s in sets]
    folds = [([f for f in files if f != held], held) for held in files] if test is None \
        else [(files, _jsonl(test))]
    rows = _head("rules + starter")
    totals = _totals()
    for train_files, test_file in folds:
        n = sum(_articles(f) for f in train_files)
        name = f"{' + '.join(f.parent.name for f in train_files)} → {test_file.parent.name}"
        rows.append(_point(train_files, test_file, n, name, totals, starter=True))
    if len(folds) > 1:
        rows.append(_summed("all folds", totals))
    return "\n".join(rows)


if __name__ == "__main__":
    import sys

    if "--starter-curve" in sys.argv:
        named = [a for a in sys.argv[sys.argv.index("--starter-curve") + 1:]
                 if not a.startswith("--")]
        if len(named) % 2:
            sys.exit("usage: python -m benchmarks.bench_train --starter-curve [SET_A SET_B ...]")
        print(starter_curve(list(zip(named[::2], named[1::2], strict=True))
                            or list(STARTER_PAIRS)))
    elif "--real-folds" in sys.argv:
        named = [a for a in sys.argv[sys.argv.index("--real-folds") + 1:]
                 if not a.startswith("--")]
        held = sys.argv[sys.argv.index("--test") + 1] if "--test" in sys.argv else None
        named = [a for a in named if a != held]
        if held is None and len(named) == 1:
            sys.exit("usage: python -m benchmarks.bench_train --real-folds [SET ...] "
                     "[--test SET]")
        print(real_folds(named or list(SETS), held))
    elif "--real-curve" in sys.argv:
        named = [a for a in sys.argv[sys.argv.index("--real-curve") + 1:]
                 if not a.startswith("--")]
        if named and len(named) != 2:
            sys.exit("usage: python -m benchmarks.bench_train --real-curve [SET_A SET_B]")
        print(real_curve(named or list(REAL_SETS)))
    elif "--curve" in sys.argv:
        print(curve())
    elif "--gui-latency" in sys.argv:
        from benchmarks.__main__ import table

        print(table(gui_latency()))
    else:
        from benchmarks.__main__ import table

        print(table(run(quick="--quick" in sys.argv)))
