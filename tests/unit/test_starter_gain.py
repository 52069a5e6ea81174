""""Most to gain first" from a new project's first pre-fill: the starter classifier's doubt about
each untouched document is stored as pre-fill asks it, under the starter build's key, so the
list has an order before anyone trains; turning the starter off, another build of it, or a
trained version coming into use each stop its scores being read. On a file and on the server.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from gui.core.store import Project
from gui.nlp.doubt import document_doubt, sentence_doubts
from gui.nlp.prefill import Prefiller, prefill_project
from gui.nlp.starter import SETTING, fingerprint, gain_key, scores_key, shipped_folder

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "sample").glob("*.txt"))[:5]


def prefilled(address: Path | str) -> Project:
    project = Project.open(address)
    project.add_documents([{"text": p.read_text("utf-8"), "title": p.stem} for p in SAMPLES])
    report = prefill_project(project)
    assert report.scored == len(SAMPLES)
    return project


def gain_order(project: Project) -> list[int]:
    return [r[0] for r in project.list_documents(
        "ana", order="gain", starter=gain_key(project), limit=100)]


def scores(project: Project) -> dict[int, float]:
    return dict(project.conn.execute("SELECT document_id, score FROM document_scores"))


def test_a_new_projects_first_prefill_gives_most_to_gain_first_an_order(
        any_project: Path | str) -> None:
    with prefilled(any_project) as project:
        key = gain_key(project)
        assert key == scores_key(fingerprint(shipped_folder()))
        assert project.has_gain_scores(key)
        found = scores(project)
        assert set(found) == set(project.document_ids())
        assert all(0 <= score <= 1 for score in found.values())
        assert len(set(found.values())) > 1, "every article equally uncertain: no order"
        assert gain_order(project) == sorted(found, key=lambda i: (-found[i], i))
        assert gain_order(project) != project.document_ids()


def test_turning_the_starter_off_drops_its_order(any_project: Path | str) -> None:
    with prefilled(any_project) as project:
        project.set_setting(SETTING, False)
        assert gain_key(project) is None
        assert not project.has_gain_scores(gain_key(project))
        assert gain_order(project) == project.document_ids()
        project.set_setting(SETTING, True)  # on again: the same build's scores still hold
        assert gain_order(project) != project.document_ids()


def test_another_build_of_the_starter_does_not_read_this_ones_scores(
        project_path: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-starter"
    shutil.copytree(shipped_folder(), other)
    (other / "holder.json").write_text((other / "holder.json").read_text() + "\n")
    with prefilled(project_path) as project:
        project.set_setting(SETTING, str(other))
        assert gain_key(project) == scores_key(fingerprint(other)) != scores_key(
            fingerprint(shipped_folder()))
        assert not project.has_gain_scores(gain_key(project))
        assert gain_order(project) == project.document_ids()
        report = prefill_project(project, force=True)  # the other build scores anew
        assert report.scored == len(SAMPLES) and project.has_gain_scores(gain_key(project))


def test_a_trained_version_in_use_orders_by_its_own_scores(any_project: Path | str) -> None:
    with prefilled(any_project) as project:
        starter_order = gain_order(project)
        first, *rest = project.document_ids()
        with project.transaction() as conn:  # as training stores them (uncertainty.py)
            conn.execute("INSERT OR REPLACE INTO document_scores(document_id, model, score, "
                         "computed_at) VALUES (?, '\"x.models/v1\"', 0.5, '')", (first,))
        project.set_setting("trained_model", "x.models/v1")
        # its scored document first, then the rest in order: the starter's are not read
        assert gain_order(project) == [first, *rest]
        # switched to no version: the starter's again, but the first document's score is the
        # trained version's now (one score per document), so it comes last
        project.set_setting("trained_model", None)
        assert gain_order(project) == [i for i in starter_order if i != first] + [first]


def test_prefill_stores_no_starter_scores_while_a_trained_version_is_in_use(
        project_path: Path) -> None:
    with prefilled(project_path) as project:
        prefiller = Prefiller(project)  # the starter, as with a pipeline named for one run
        project.set_setting("trained_model", "x.models/v1")
        before = scores(project)
        report = prefill_project(project, force=True, prefiller=prefiller)
        assert report.documents_done == len(SAMPLES) and report.scored == 0
        assert scores(project) == before


def test_doubt_is_a_coin_toss_at_one_and_certainty_at_zero() -> None:
    sure = np.array([[0.0, 0.0, 1.0, 0.0], [0.1, 0.1, 0.1, 0.7]])
    torn = np.array([[0.5, 0.0, 0.5, 0.0], [0.1, 0.1, 0.1, 0.7]])
    # per sentence, the target it is least sure about
    assert sentence_doubts([sure, torn]) == pytest.approx([1.0, 0.4])
    assert sentence_doubts([sure[:0]]) == []
    assert document_doubt([0.9, 0.1, 0.8, 0.0, 0.7, 0.6, 0.5]) == pytest.approx(0.7)
    assert document_doubt([]) == 0.0


def test_a_document_someone_has_worked_on_gets_no_starter_score(project_path: Path) -> None:
    from gui.core import edits

    with Project.open(project_path) as project:
        [(first, _), *_rest] = project.add_documents(
            [{"text": p.read_text("utf-8"), "title": p.stem} for p in SAMPLES[:3]])
        edits.AddEntity(first, "ana", 0, 6, "GPE").apply(project)  # before any pre-fill
        report = prefill_project(project)
        assert report.documents_done == 3 and report.scored == 2
        assert first not in scores(project)
