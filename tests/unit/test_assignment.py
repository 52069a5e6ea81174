"""Assignment: balanced, shared in the asked share, reproducible, incremental, and never taking
started work away; stored with the database's own constraints and in the history."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gui.core import assignment, edits
from gui.core.assignment import Request, compute
from gui.core.errors import ProjectError
from gui.core.store import Project
from tests.unit.test_cli_basics import run_in_process


def _docs(n: int, start: int = 1) -> list[tuple[int, str]]:
    return [(i, f"hash-{i}") for i in range(start, start + n)]


def _state(added: set, existing: dict | None = None, removed: set = frozenset()) -> dict:
    current = {d: set(names) for d, names in (existing or {}).items()}
    for doc, name in removed:
        current[doc].discard(name)
    for doc, name in added:
        current.setdefault(doc, set()).add(name)
    return current


def _loads(current: dict, team) -> Counter:
    counts = Counter({name: 0 for name in team})
    for names in current.values():
        counts.update(n for n in names if n in team)
    return counts


@settings(max_examples=60, deadline=None)
@given(team=st.integers(2, 9), documents=st.integers(0, 300), per_document=st.integers(1, 3),
       overlap=st.floats(0, 1), seed=st.integers(0, 2**31))
def test_loads_are_within_one_and_the_share_is_as_asked(team, documents, per_document, overlap,
                                                         seed):
    names = tuple(f"a{i}" for i in range(team))
    if per_document + (overlap > 0) > team:
        with pytest.raises(assignment.AssignmentError):
            Request(names, per_document, overlap, seed)
        return
    request = Request(names, per_document, overlap, seed)
    added, removed = compute(_docs(documents), {}, set(), request)
    current = _state(added)
    assert not removed
    loads = _loads(current, names)
    assert max(loads.values()) - min(loads.values()) <= 1
    sizes = Counter(len(v) for v in current.values())
    assert set(sizes) <= {per_document, per_document + 1}
    assert sum(sizes.values()) == documents
    assert sizes[per_document + 1] == round(overlap * documents)
    shared = Counter(n for v in current.values() if len(v) > per_document for n in v)
    if per_document == 1 and sizes[2]:
        assert max(shared[n] for n in names) - min(shared[n] for n in names) <= 1


def test_the_overlap_is_spread_evenly_over_pairs():
    team = ("ana", "ben", "cy", "dee")
    added, _ = compute(_docs(1200), {}, set(), Request(team, 1, 0.25, seed=5))
    pairs = Counter(tuple(sorted(v)) for v in _state(added).values() if len(v) == 2)
    assert len(pairs) == 6  # every pair shares documents
    assert max(pairs.values()) - min(pairs.values()) <= 1


def test_same_inputs_and_seed_give_the_same_assignment_and_another_seed_another():
    request = Request(("ana", "ben", "cy"), 1, 0.2, seed=7)
    first = compute(_docs(200), {}, set(), request)
    assert compute(list(reversed(_docs(200))), {}, set(), request) == first
    assert compute(_docs(200), {}, set(), Request(("ana", "ben", "cy"), 1, 0.2, seed=8)) != first


def test_adding_documents_later_assigns_only_them_and_keeps_the_share():
    request = Request(("ana", "ben", "cy"), 1, 0.2, seed=1)
    added, _ = compute(_docs(100), {}, set(), request)
    current = _state(added)
    later, removed = compute(_docs(150), current, set(), request)
    assert not removed
    assert {doc for doc, _ in later} == set(range(101, 151))
    after = _state(later, current)
    assert sum(len(v) > 1 for v in after.values()) == 30  # 20% of all 150
    loads = _loads(after, request.annotators)
    assert max(loads.values()) - min(loads.values()) <= 1
    # One at a time, the share still comes: 5 documents at 20% share one of them.
    step = dict(after)
    for doc in range(151, 156):
        more, _ = compute(_docs(doc), step, set(), request)
        step = _state(more, step)
    assert sum(len(step[d]) > 1 for d in range(151, 156)) == 1


def test_a_new_team_takes_only_unstarted_work_and_started_work_stays():
    old = Request(("ana", "ben", "cy"), 1, 0.0)
    added, _ = compute(_docs(90), {}, set(), old)
    current = _state(added)
    cys = sorted(d for d, v in current.items() if "cy" in v)
    started = {(doc, "cy") for doc in cys[:10]}
    new = Request(("ana", "ben", "dee"), 1, 0.0)
    more, removed = compute(_docs(90), current, started, new)
    after = _state(more, current, removed)
    assert {(d, n) for d, n in removed if n == "cy"} == {(d, "cy") for d in cys[10:]}
    assert all("cy" in after[d] for d in cys[:10])  # started: never taken away
    assert all(len(v) == 1 for v in after.values())
    loads = _loads(after, new.annotators)
    assert max(loads.values()) - min(loads.values()) <= 1
    # The newcomer took cy's unstarted documents and a fair share of the others' unstarted ones.
    assert {doc for doc, name in more} == {doc for doc, _ in removed}
    assert {name for _, name in more} == {"dee"}


@settings(max_examples=60, deadline=None)
@given(first=st.sets(st.sampled_from("abcdefg"), min_size=2),
       second=st.sets(st.sampled_from("abcdefg"), min_size=2),
       documents=st.integers(1, 120), started_share=st.floats(0, 1),
       seed=st.integers(0, 1000), data=st.data())
def test_a_rerun_with_another_team_keeps_started_work_and_each_document_count(
        first, second, documents, started_share, seed, data):
    old = Request(tuple(sorted(first)), 1, 0.3 if len(first) > 1 else 0.0, seed)
    added, _ = compute(_docs(documents), {}, set(), old)
    current = _state(added)
    pairs = sorted(added)
    started = set(data.draw(st.lists(st.sampled_from(pairs), max_size=int(
        len(pairs) * started_share))) if pairs else [])
    new = Request(tuple(sorted(second)), 1, 0.0, seed)
    more, removed = compute(_docs(documents), current, started, new)
    after = _state(more, current, removed)
    assert not removed & started  # started work is never taken away
    assert {name for _, name in more} <= set(second)  # only the team is given work
    assert all(name in second or (doc, name) in started
               for doc, names in after.items() for name in names)
    for doc, names in current.items():  # a document keeps its number of annotators
        assert len(after[doc]) == len(names) or len(after[doc]) == len(
            {n for n in names if (doc, n) in started} | set(second))
    # ... and running the same again changes nothing.
    assert compute(_docs(documents), after, started, new) == (set(), set())


def test_a_newcomer_never_takes_started_work(tmp_path: Path):
    request = Request(("ana",), 1, 0.0)
    added, _ = compute(_docs(10), {}, set(), request)
    started = {(doc, "ana") for doc, _ in added}
    more, removed = compute(_docs(10), _state(added), started, Request(("ana", "ben")))
    assert (more, removed) == (set(), set())


@pytest.mark.parametrize("args, reason", [
    ((("ana", "ben"), 3, 0.0), "larger than the team"),
    ((("ana", "ben"), 2, 0.1), "needs 3 annotators"),
    ((("ana",), 1, 1.5), "between 0 and 1"),
    ((("ana", "#gold"), 1, 0.0), "not starting with '#'"),
    (((), 1, 0.0), "at least one"),
])
def test_impossible_requests_are_refused(args, reason):
    with pytest.raises(assignment.AssignmentError, match=reason):
        Request(*args)


def _filled(project: Project, n: int) -> list[int]:
    return [doc for doc, _ in project.add_documents(
        {"text": f"Article {i} about Havana.", "title": f"Doc {i}"} for i in range(n))]


def test_applied_in_one_transaction_with_history_and_foreign_keys(project: Project):
    _filled(project, 10)
    the_plan = assignment.plan(project, Request(("ana", "ben"), 1, 0.2))
    assignment.apply(project, the_plan, by="rev")
    rows = project.conn.execute("SELECT count(*) FROM assignments").fetchone()[0]
    assert rows == 12
    _action, payload = project.conn.execute(
        "SELECT action, payload FROM history WHERE action = 'assign'").fetchone()
    assert json.loads(payload)["annotators"] == ["ana", "ben"]
    with pytest.raises(sqlite3.IntegrityError):
        project.conn.execute("INSERT INTO assignments VALUES (999, 'ana', 'x')")
    with pytest.raises(sqlite3.IntegrityError):
        project.conn.execute("INSERT INTO assignments VALUES (1, 'nobody', 'x')")
    project.ensure_annotator("#gold")
    with pytest.raises(sqlite3.IntegrityError, match="gold"):
        project.conn.execute("INSERT INTO assignments VALUES (1, '#gold', 'x')")


def test_a_stale_preview_is_refused_and_nothing_changes(project: Project):
    _filled(project, 6)
    stale = assignment.plan(project, Request(("ana", "ben")))
    assignment.apply(project, assignment.plan(project, Request(("ana",))))
    before = project.conn.execute("SELECT * FROM assignments ORDER BY 1, 2").fetchall()
    with pytest.raises(ProjectError, match="preview again"):
        assignment.apply(project, stale)
    assert project.conn.execute("SELECT * FROM assignments ORDER BY 1, 2").fetchall() == before


def test_the_summary_counts_done_and_shared(project: Project):
    docs = _filled(project, 4)
    assignment.apply(project, assignment.plan(project, Request(("ana", "ben"), 1, 0.5)))
    mine = [d for d, n in project.conn.execute("SELECT document_id, annotator FROM assignments")
            if n == "ana"]
    edits.SetStatus(mine[0], "ana", "done").apply(project)
    by_name = {load.annotator: load for load in assignment.loads(project)}
    assert by_name["ana"].done == 1
    assert by_name["ana"].assigned + by_name["ben"].assigned == len(docs) + 2
    assert by_name["ana"].shared == by_name["ben"].shared == 2


# ---- the command line ---------------------------------------------------------------------

def _assigned(path: Path) -> list[tuple[int, str]]:
    with Project.open(path) as project:
        return project.conn.execute("SELECT document_id, annotator FROM assignments "
                                    "ORDER BY 1, 2").fetchall()


def test_cli_assigns_prints_the_table_and_is_idempotent(capsys, project_path: Path):
    with Project.open(project_path) as project:
        _filled(project, 10)
    code, out, _ = run_in_process(capsys, "assign", str(project_path), "--annotators",
                                  "ana,ben,cy", "--overlap", "0.2", "--seed", "3")
    assert code == 0
    assert out.splitlines()[0].split() == ["annotator", "assigned", "shared", "done", "new"]
    first = _assigned(project_path)
    assert len(first) == 12
    code, out, _ = run_in_process(capsys, "assign", str(project_path), "--annotators",
                                  "ana,ben,cy", "--overlap", "0.2", "--seed", "3")
    assert "nothing to change" in out
    assert _assigned(project_path) == first


def test_cli_dry_run_and_json_change_nothing(capsys, project_path: Path):
    with Project.open(project_path) as project:
        _filled(project, 5)
    code, out, _ = run_in_process(capsys, "assign", str(project_path), "--annotators", "ana,ben",
                                  "--dry-run", "--json")
    report = json.loads(out)
    assert code == 0 and report["applied"] is False and report["added"] == 5
    assert [a["assigned"] for a in report["annotators"]] in ([3, 2], [2, 3])
    assert _assigned(project_path) == []


@pytest.mark.parametrize("args, code, says", [
    (["--annotators", "ana,ben", "--overlap", "1.5"], 2, "between 0 and 1"),
    (["--annotators", "ana,ben", "--overlap", "-0.1"], 2, "between 0 and 1"),
    (["--annotators", "ana", "--per-document", "2"], 2, "larger than the team"),
    (["--annotators", "ana,#x"], 2, "not starting with '#'"),
    (["--annotators", "ana", "--documents", "999"], 1, "has no document 999"),
])
def test_cli_bad_input_is_one_line_and_changes_nothing(capsys, project_path: Path, args, code,
                                                       says):
    with Project.open(project_path) as project:
        _filled(project, 3)
    got, _out, err = run_in_process(capsys, "assign", str(project_path), *args)
    assert got == code
    assert len(err.strip().splitlines()) == 1 and says in err
    assert _assigned(project_path) == []


def test_cli_documents_limits_the_scope(capsys, project_path: Path):
    with Project.open(project_path) as project:
        _filled(project, 6)
    code, _, _ = run_in_process(capsys, "assign", str(project_path), "--annotators", "ana",
                                "--documents", "2,4-5")
    assert code == 0
    assert _assigned(project_path) == [(2, "ana"), (4, "ana"), (5, "ana")]
