"""Crashes and concurrent writers: an edit reported as stored is never lost.

A child process (this file run as a script) makes random edits through gui.core.edits, the
same commands the window's undo stack runs, printing ``do`` before each and ``ok`` after it is
stored. The parent replays the ``ok`` lines into a model and compares it with the file:

- crash: the child is SIGKILLed at random points, again and again on the same file; the file
  must equal the model, or the model plus the one edit in flight, pass ``integrity_check`` and
  open again;
- concurrency: two and four children write at once (different annotators on the same
  documents, or one annotator on different documents); all of them finish, none sees
  "database is locked", and the file holds every edit of every child.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from gui.core.edits import AddEntity, AddStance, ChangeEntity, RemoveEntity, SetStatus
from gui.core.errors import MarginaliaError
from gui.core.store import Project

TEXTS = [
    "Russia reiterated its rejection of the U.S. blockade against Cuba on Monday.",
    "Sergei Lavrov met Bruno Rodríguez in Havana; both praised the 🇨🇺 partnership.",
    "Washington said the sanctions would stay, while Moscow sent another oil tanker.",
    "The Cuban foreign ministry called the embargo a cruel policy that must end now.",
    "Díaz-Canel arrived in Moscow for talks on energy, trade and the debt relief plan.",
    "Analysts in Miami doubted that Russian aid could end the island's power outages.",
]

# ---- the child: random edits, each announced before and confirmed after it is stored ------


def _state(project: Project, annotator: str, docs: list[int]) -> dict[str, Any]:
    """What the file holds for one annotator on some documents, in a comparable form."""
    entities: dict[int, list[Any]] = {}
    stances: dict[int, list[Any]] = {}
    statuses: dict[int, str] = {}
    for doc in docs:
        shown = project.annotation_set(doc, annotator)
        statuses[doc] = shown.status
        for e in shown.entities:
            entities[e.id] = [doc, e.start, e.end, e.label]
        for s in shown.stances:
            stances[s.id] = [doc, s.start, s.end, s.target, s.polarity]
    return {"entities": entities, "stances": stances, "status": statuses}


def _next_edit(rng: random.Random, project: Project, annotator: str, docs: list[int],
               known: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """A random edit and its description (kind and fields, ids filled in once stored)."""
    labels = project.schema.labels
    roll = rng.random()
    if known["entities"] and roll < 0.15:
        entity_id = rng.choice(sorted(known["entities"]))
        doc = known["entities"][entity_id][0]
        return (RemoveEntity(doc, annotator, entity_id),
                {"kind": "remove_entity", "doc": doc, "id": entity_id})
    if known["entities"] and roll < 0.3:
        entity_id = rng.choice(sorted(known["entities"]))
        doc = known["entities"][entity_id][0]
        label = rng.choice(labels)
        return (ChangeEntity(doc, annotator, entity_id, {"label": label}),
                {"kind": "change_entity", "doc": doc, "id": entity_id, "label": label})
    doc = rng.choice(docs)
    length = len(project.document(doc).text)
    start = rng.randrange(length - 1)
    end = rng.randint(start + 1, min(length, start + 12))
    if roll < 0.4:
        status = rng.choice(["done", "skipped", "flagged", "in_progress"])
        return (SetStatus(doc, annotator, status), {"kind": "status", "doc": doc,
                                                     "status": status})
    if roll < 0.5:
        schema = project.schema
        target, polarity = rng.choice(schema.target_names), rng.choice(schema.polarities)
        return (AddStance(doc, annotator, start, end, target, polarity),
                {"kind": "add_stance", "doc": doc, "start": start, "end": end,
                 "target": target, "polarity": polarity})
    label = rng.choice(labels)
    return (AddEntity(doc, annotator, start, end, label),
            {"kind": "add_entity", "doc": doc, "start": start, "end": end, "label": label})


def apply_to_model(model: dict[str, Any], op: dict[str, Any]) -> None:
    kind, doc = op["kind"], op["doc"]
    # An edit of the spans makes a set still "todo" "in_progress" (the first one creates it).
    if kind != "status" and model["status"][doc] == "todo":
        model["status"][doc] = "in_progress"
    if kind == "add_entity":
        model["entities"][op["id"]] = [doc, op["start"], op["end"], op["label"]]
    elif kind == "add_stance":
        model["stances"][op["id"]] = [doc, op["start"], op["end"], op["target"], op["polarity"]]
    elif kind == "remove_entity":
        del model["entities"][op["id"]]
    elif kind == "change_entity":
        model["entities"][op["id"]][3] = op["label"]
    elif kind == "status":
        model["status"][doc] = op["status"]


def say(*words: str) -> None:
    """One line to the parent in one write: with PYTHONUNBUFFERED, ``print`` writes each word
    on its own, and a kill between them left the parent half a line ("ok" with no edit)."""
    sys.stdout.write(" ".join(words) + "\n")
    sys.stdout.flush()


def child(path: str, annotator: str, seed: int, docs: list[int], count: int) -> int:
    """Print ``ready``, wait for a line on stdin, then edit; ``count`` 0 edits until killed."""
    print("ready", flush=True)
    sys.stdin.readline()
    rng = random.Random(seed)
    project = Project.open(path)
    known = _state(project, annotator, docs)
    done = 0
    longest = 0.0
    try:
        while count == 0 or done < count:
            edit, op = _next_edit(rng, project, annotator, docs, known)
            say("do", json.dumps(op))
            began = time.perf_counter()
            edit.apply(project)
            longest = max(longest, time.perf_counter() - began)
            if op["kind"] == "add_entity":
                op["id"] = edit.entity_id
            elif op["kind"] == "add_stance":
                op["id"] = edit.stance_id
            apply_to_model(known, op)
            say("ok", json.dumps(op))
            done += 1
        say("longest", f"{longest:.3f}")
    except MarginaliaError as exc:  # what the window would show the user
        say("error", str(exc))
        return 1
    finally:
        project.close()
    return 0


# ---- the parent ------------------------------------------------------------------------


def _keys_to_int(state: dict[str, Any]) -> dict[str, Any]:
    return {part: {int(k): v for k, v in values.items()} for part, values in state.items()}


@dataclass
class Run:
    proc: subprocess.Popen
    done: list[dict[str, Any]] = field(default_factory=list)
    in_flight: dict[str, Any] | None = None
    errors: list[str] = field(default_factory=list)
    longest: float = 0.0  # the slowest edit, waiting for the lock included (for the docs)

    def take(self, line: str) -> None:
        word, _, rest = line.strip().partition(" ")
        if word == "do":
            self.in_flight = json.loads(rest)
        elif word == "ok":
            self.done.append(json.loads(rest))
            self.in_flight = None
        elif word == "error":
            self.errors.append(rest)
        elif word == "longest":
            self.longest = float(rest)


# What a user's window waits for the write lock (the tests' conftest shortens it to 2 s for
# the lock tests, which under four back-to-back writers on two busy cores is too short: the
# busy handler is not fair, and one writer can lose every retry for two seconds).
USER_BUSY_TIMEOUT_MS = "10000"


def start(path: Path, annotator: str, seed: int, docs: list[int], count: int) -> Run:
    proc = subprocess.Popen(
        [sys.executable, __file__, str(path), annotator, str(seed), json.dumps(docs), str(count)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        env={**os.environ, "MARGINALIA_BUSY_TIMEOUT_MS": USER_BUSY_TIMEOUT_MS},
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return Run(proc)


def go(run: Run) -> None:
    assert run.proc.stdin is not None
    run.proc.stdin.write("go\n")
    run.proc.stdin.flush()


def finish(run: Run) -> Run:
    # Read the rest through the same text wrapper that readline() used: communicate() reads
    # the raw pipe and would drop lines readline() had already buffered (edits reported as
    # stored that the model then never saw).
    assert run.proc.stdin is not None and run.proc.stdout is not None
    run.proc.stdin.close()
    rest = run.proc.stdout.read()
    run.proc.wait(timeout=300)
    for line in rest.splitlines(keepends=True):
        if line.endswith("\n"):  # a line cut by a kill reported nothing
            run.take(line)
    return run


def _matches_with(model: dict[str, Any], op: dict[str, Any] | None, found: dict[str, Any]) -> bool:
    """Is ``found`` the model with the in-flight ``op`` applied (its new id unknown)?"""
    if op is None:
        return False
    trial = json.loads(json.dumps(model))
    trial = _keys_to_int(trial)
    if op["kind"] in ("add_entity", "add_stance"):
        part = "entities" if op["kind"] == "add_entity" else "stances"
        new_ids = set(found[part]) - set(trial[part])
        if len(new_ids) != 1:
            return False
        op = {**op, "id": new_ids.pop()}
    apply_to_model(trial, op)
    return trial == found


def check_file(path: Path, annotator: str, docs: list[int], model: dict[str, Any],
               in_flight: dict[str, Any] | None) -> dict[str, Any]:
    """Every edit reported stored is there; returns what the file holds."""
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert project.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        found = _keys_to_int(_state(project, annotator, docs))
    assert found == model or _matches_with(model, in_flight, found), (
        f"the file lost or changed stored edits (in flight: {in_flight})"
    )
    return found


def make_project(path: Path, count: int = 4) -> list[int]:
    from gui.core.schema import load_schema

    with Project.create(path, load_schema()) as project:
        return [doc for doc, _ in project.add_documents({"text": t} for t in TEXTS[:count])]


def crash_many(path: Path, kills: int, seed: int) -> int:
    """Kill a child editing ``path`` ``kills`` times; returns the edits confirmed in all."""
    rng = random.Random(seed)
    docs = make_project(path)
    with Project.open(path) as project:
        model = _keys_to_int(_state(project, "ana", docs))
    confirmed = 0
    for round_ in range(kills):
        run = start(path, "ana", seed * 1000 + round_, docs, 0)
        go(run)
        assert run.proc.stdout is not None
        wanted = rng.randint(1, 40)
        while len(run.done) < wanted:
            line = run.proc.stdout.readline()
            assert line, "the child stopped on its own"
            run.take(line)
        time.sleep(rng.random() * 0.004)  # land anywhere inside the next transaction
        run.proc.send_signal(signal.SIGKILL)
        finish(run)
        assert run.proc.returncode == -signal.SIGKILL
        assert not run.errors, run.errors
        for op in run.done:
            apply_to_model(model, op)
        confirmed += len(run.done)
        model = check_file(path, "ana", docs, model, run.in_flight)
    return confirmed


def test_killed_editor_loses_nothing_it_reported(tmp_path: Path) -> None:
    confirmed = crash_many(tmp_path / "crash.marginalia", kills=3, seed=1)
    assert confirmed >= 3


@pytest.mark.slow
def test_killed_editor_loses_nothing_over_many_kills(tmp_path: Path) -> None:
    crash_many(tmp_path / "crash.marginalia", kills=60, seed=2)


Plan = list[tuple[str, list[int]]]


def edit_together(path: Path, plan_for: Any, edits: int, seed: int) -> list[Run]:
    """Children start editing at the same moment; ``plan_for(docs)`` gives each one's
    (annotator, documents)."""
    plan: Plan = plan_for(make_project(path, count=len(TEXTS)))
    runs = [start(path, who, seed + i, mine, edits) for i, (who, mine) in enumerate(plan)]
    for run in runs:  # all are loaded and waiting; let them go together
        go(run)
    for run in runs:
        finish(run)
    for (who, _mine), run in zip(plan, runs, strict=True):
        assert not run.errors, f"{who} was shown: {run.errors}"
        assert run.proc.returncode == 0
        assert len(run.done) == edits
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for (who, mine), run in zip(plan, runs, strict=True):
            # The file started empty for everyone: the model is the child's edits replayed.
            model: dict[str, Any] = {"entities": {}, "stances": {},
                                     "status": dict.fromkeys(mine, "todo")}
            for op in run.done:
                apply_to_model(model, op)
            found = _keys_to_int(_state(project, who, mine))
            assert found == model, f"{who}'s edits on {mine} differ from what they were told"
    return runs


@pytest.mark.parametrize("writers", [2, 4])
def test_annotators_editing_the_same_documents_at_once(tmp_path: Path, writers: int) -> None:
    edit_together(tmp_path / "together.marginalia",
                  lambda docs: [(f"annotator{i}", docs[:4]) for i in range(writers)],
                  edits=30, seed=10)


@pytest.mark.parametrize("writers", [2, 4])
def test_one_annotator_on_different_documents_at_once(tmp_path: Path, writers: int) -> None:
    edit_together(tmp_path / "shared.marginalia",
                  lambda docs: [("ana", docs[i::writers]) for i in range(writers)],
                  edits=30, seed=20)


@pytest.mark.slow
@pytest.mark.parametrize("writers", [2, 4])
def test_many_edits_from_many_writers(tmp_path: Path, writers: int) -> None:
    edit_together(tmp_path / "long.marginalia",
                  lambda docs: [(f"annotator{i}", docs) for i in range(writers)],
                  edits=400, seed=30)


def test_a_writer_held_up_too_long_gets_a_sentence_and_loses_nothing(tmp_path: Path) -> None:
    """Another process holding the write lock past the busy timeout (a long import): the
    edit is refused in one sentence, the file is unchanged, and the same edit works after."""
    import sqlite3

    path = tmp_path / "held.marginalia"
    [doc, *_] = make_project(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    edit = AddEntity(doc, "ana", 0, 6, "GPE")
    with Project.open(path, busy_timeout_ms=200) as project:
        with pytest.raises(MarginaliaError, match=r"is locked by another process .*nothing was"):
            edit.apply(project)
        assert project.annotation_set(doc, "ana").entities == ()
        other.execute("COMMIT")
        other.close()
        edit.apply(project)
        assert [e.label for e in project.annotation_set(doc, "ana").entities] == ["GPE"]


def import_child(path: str, source: str) -> int:
    """Print ``ready``, wait for a line on stdin, import ``source``, print ``done``."""
    from gui.formats.importer import import_files

    print("ready", flush=True)
    sys.stdin.readline()
    with Project.open(path) as project:
        print("started", flush=True)
        report = import_files(project, [source])
        print("done", report.documents_added, flush=True)
    return 0


def test_killed_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    path = tmp_path / "import.marginalia"
    make_project(path, count=1)
    source = tmp_path / "many.jsonl"
    source.write_text("\n".join(
        json.dumps({"text": f"Dispatch {i}: Havana and Moscow signed energy accords. " * 12})
        for i in range(3000)
    ), encoding="utf-8")
    rng = random.Random(3)
    for _ in range(3):
        proc = subprocess.Popen([sys.executable, __file__, "import", str(path), str(source)],
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert proc.stdin is not None and proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready"
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "started"
        time.sleep(rng.random() * 0.5)  # somewhere inside the import, or just after it
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate(timeout=60)
        with Project.open(path) as project:
            assert project.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            count = project.count_documents()
        assert count in (1, 3001), f"a killed import left {count - 1} of 3000 documents"
        if "done" in out:
            assert count == 3001
        if count == 3001:
            break


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if sys.argv[1] == "import":
        sys.exit(import_child(sys.argv[2], sys.argv[3]))
    sys.exit(child(sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4]),
                   int(sys.argv[5])))
