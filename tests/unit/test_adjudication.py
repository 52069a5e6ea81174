"""Adjudication: disagreements found by kind, the queue ordered by dispute, versions taken into
gold as undoable commands, accept marks gold done, and only reviewers adjudicate."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.cli import main
from gui.core.errors import ProjectError
from gui.core.store import GOLD, Project
from gui.formats.importer import import_files
from gui.review import disputes
from gui.review.adjudication import (
    TakeAgreed,
    TakeVersion,
    accept,
    agreed_missing,
    document_clusters,
    gold_in,
    require_reviewer,
    review_queue,
)
from gui.review.sets import load_done_sets
from tests.unit.test_agreement_fast import document_dispute_counts

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


@pytest.fixture
def three(project: Project) -> Project:
    import_files(project, [DATA / "three_annotators.jsonl"])
    return project


def test_disagreements_are_found_by_kind(three: Project):
    doc = review_queue(three)[0].document_id
    found = document_clusters(three, doc)
    text = three.document(doc).text
    kinds = {text[c.start:c.end]: c.kinds for c in found if c.layer == "entity"}
    assert kinds["Havana"] == ()
    assert kinds["Russian delegation"] == (disputes.BOUNDARIES,)
    assert kinds["Tuesday"] == (disputes.MISSING,)
    assert kinds["Washington"] == (disputes.MISSING, disputes.LABEL)
    [stance] = [c for c in found if c.layer == "stance"]
    assert stance.kinds == (disputes.TARGET_OR_POLARITY, disputes.HOLDER)


def test_queue_has_documents_with_two_done_sets_most_disputed_first(three: Project):
    queue = review_queue(three)
    assert [e.title for e in queue] == ["Delegation in Havana", "Trade agreements"]
    assert queue[0].disagreements == 4 and queue[0].annotators == ("ana", "ben", "cy")
    assert queue[0].gold_status == "todo"


def test_gold_is_seeded_with_agreements_and_versions_are_taken_with_undo(three: Project):
    doc = review_queue(three)[0].document_id
    found = document_clusters(three, doc)
    seed = TakeAgreed(doc, agreed_missing(three, doc, found), "lee")
    seed.apply(three)
    assert agreed_missing(three, doc, found) == []
    gold = three.annotation_set(doc, GOLD)
    assert [three.document(doc).text[e.start:e.end] for e in gold.entities] == ["Havana"]
    seed.revert(three)
    assert three.annotation_set(doc, GOLD).entities == ()
    seed.apply(three)  # redo
    washington = next(c for c in found if c.layer == "entity" and c.kinds and
                      disputes.LABEL in c.kinds)
    take = TakeVersion(doc, washington, "ben")
    take.apply(three)
    assert gold_in(three, doc, washington) == washington.versions["ben"]
    assert washington.annotators_with(gold_in(three, doc, washington)) == ["ben"]
    switch = TakeVersion(doc, washington, "ana")
    switch.apply(three)
    assert [i[2] for i in gold_in(three, doc, washington)] == ["GPE"]
    switch.revert(three)
    assert [i[2] for i in gold_in(three, doc, washington)] == ["ORG"]
    switch.apply(three)  # redo
    assert [i[2] for i in gold_in(three, doc, washington)] == ["GPE"]
    stance = next(c for c in found if c.layer == "stance")
    TakeVersion(doc, stance, "ana").apply(three)
    assert three.annotation_set(doc, GOLD).stances[0].holder is not None
    accept(doc).apply(three)
    assert three.annotation_set(doc, GOLD).status == "done"
    assert review_queue(three)[0].gold_status == "done"
    # the annotators' own sets were never touched
    assert len(three.annotation_set(doc, "ana").entities) == 4


def test_only_reviewers_adjudicate_and_the_role_command_makes_one(three: Project, capsys):
    with pytest.raises(ProjectError, match=r"marginalia role .* dee reviewer"):
        require_reviewer(three, "dee")
    path = str(three.path)
    assert main(["role", path, "dee", "reviewer"]) == 0
    require_reviewer(three, "dee")
    assert main(["role", path]) == 0
    assert "dee\treviewer" in capsys.readouterr().out
    assert main(["role", path, "dee", "annotator"]) == 0
    with pytest.raises(ProjectError):
        require_reviewer(three, "dee")
    assert main(["role", path, GOLD, "reviewer"]) == 1


def test_dispute_counts_agree_with_the_clusters(three: Project):
    """Agreement counts disagreements without building clusters; both must say the same."""
    counts = document_dispute_counts(three)
    for doc_id, sets in load_done_sets(three).items():
        found = disputes.clusters(sets)
        assert counts[doc_id] == (sum(not c.agreed for c in found), len(found))
