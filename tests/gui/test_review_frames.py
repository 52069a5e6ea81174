"""Review by stance frames, driven by keys: a holder disagreement is one row naming both
holders, and A takes every agreed annotation into gold as one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QTableWidget, QTreeView

from gui.core.edits import AddEntity, AddStance, SetStatus
from gui.core.store import GOLD, Project
from gui.review.disputes import HOLDER
from gui.ui.review import open_review
from gui.ui.review.models import ClusterRole

TEXT = ("Russia rejects the U.S. blockade against Cuba. "
        "Sergei Lavrov met Bruno Rodríguez in Havana on Monday. "
        "The ministers praised the strategic partnership.")
S1, S2, S3 = ("Russia rejects the U.S. blockade against Cuba.",
              "Sergei Lavrov met Bruno Rodríguez in Havana on Monday.",
              "The ministers praised the strategic partnership.")
EMBARGO, PARTNERSHIP, THAW = ("US embargo on Cuba", "Russia–Cuba partnership",
                              "US–Cuba normalization")


def span(words: str) -> tuple[int, int]:
    start = TEXT.index(words)
    return start, start + len(words)


AGREED_ENTITIES = [("Cuba", "GPE"), ("Russia", "GPE"), ("Sergei Lavrov", "PERSON")]
AGREED_STANCES = [(PARTNERSHIP, "favor", "Sergei Lavrov"), (PARTNERSHIP, "favor", "The ministers")]


@pytest.fixture
def frames_path(project_path: Path) -> Path:
    """ana and ben agree on three entities and two partnership stances; they give the
    embargo stance different holders, label Havana differently, and only ana marks Monday
    and a second target in the first sentence."""
    with Project.open(project_path) as project:
        [(doc, _)] = project.add_documents([{"text": TEXT, "title": "Lavrov in Havana"}])
        project.ensure_annotator("lee", "reviewer")
        for who, havana, embargo_holder in (("ana", "GPE", "Russia"),
                                            ("ben", "LOC", "Sergei Lavrov")):
            for words, label in [*AGREED_ENTITIES, ("Havana", havana)]:
                AddEntity(doc, who, *span(words), label).apply(project)
            AddStance(doc, who, *span(S1), EMBARGO, "against", span(embargo_holder)).apply(project)
            AddStance(doc, who, *span(S2), PARTNERSHIP, "favor",
                      span("Sergei Lavrov")).apply(project)
            AddStance(doc, who, *span(S3), PARTNERSHIP, "favor",
                      span("The ministers")).apply(project)
        AddEntity(doc, "ana", *span("Monday"), "DATE").apply(project)
        AddStance(doc, "ana", *span(S1), THAW, "neutral").apply(project)
        for who in ("ana", "ben"):
            SetStatus(doc, who, "done").apply(project)
    return project_path


def gold(path: Path) -> tuple[list, list]:
    with Project.open(path) as project:
        doc = project.document_ids()[0]
        found = project.annotation_set(doc, GOLD)
        return (sorted((TEXT[e.start:e.end], e.label) for e in found.entities),
                sorted((s.target, s.polarity, TEXT[s.holder_start:s.holder_end] if s.holder
                        else None) for s in found.stances))


def opened(qtbot, path: Path):
    window = open_review(None, path, "lee")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.document_id is not None, timeout=10000)
    return window


def test_a_takes_every_agreed_annotation_and_undo_removes_them(qtbot, frames_path: Path):
    window = opened(qtbot, frames_path)
    agreed = (AGREED_ENTITIES, AGREED_STANCES)
    assert gold(frames_path) == agreed  # opening a document without gold takes them
    tree = window.findChild(QTreeView, "disagreementList")
    tree.setFocus()
    qtbot.keyClick(tree, "z", Qt.KeyboardModifier.ControlModifier)
    assert gold(frames_path) == ([], [])
    qtbot.keyClick(tree, "a")
    assert gold(frames_path) == agreed
    qtbot.keyClick(tree, "z", Qt.KeyboardModifier.ControlModifier)
    assert gold(frames_path) == ([], [])
    qtbot.keyClick(tree, "z", Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert gold(frames_path) == agreed
    qtbot.keyClick(tree, "a")  # nothing more to take: nothing changes, and the window says so
    assert gold(frames_path) == agreed
    assert "already holds" in window.statusBar().currentMessage()


def test_a_holder_disagreement_is_one_row_naming_both_holders(qtbot, frames_path: Path):
    window = opened(qtbot, frames_path)
    stance_rows = [c for c in window.clusters if c.layer == "stance"]
    # embargo (holders differ), normalization (only ana), and the two agreed partnerships
    assert sorted((c.target, c.agreed) for c in stance_rows) == [
        (PARTNERSHIP, True), (PARTNERSHIP, True), (EMBARGO, False), (THAW, False)]
    tree = window.findChild(QTreeView, "disagreementList")
    tree.setFocus()
    while HOLDER not in window.clusters[window.current_cluster()].kinds:
        qtbot.keyClick(tree, "j")
    current = tree.currentIndex()
    assert current.data(ClusterRole) == window.current_cluster()
    assert current.siblingAtColumn(1).data() == "holder: ana: Russia · ben: Sergei Lavrov"
    qtbot.keyClick(tree, "2")  # ben's version of the embargo frame only
    _entities, stances = gold(frames_path)
    assert stances == sorted([*AGREED_STANCES, (EMBARGO, "against", "Sergei Lavrov")])
    # ana's other target in the same sentence is its own row, still undecided
    thaw = next(c for c in window.clusters if c.target == THAW)
    assert thaw.kinds and thaw.versions["ben"] == ()


def test_the_take_all_key_is_in_the_menu_and_the_keys_list(qtbot, frames_path: Path):
    window = opened(qtbot, frames_path)
    action = window.actions_by_name["take_agreed"]
    assert action.shortcut() == QKeySequence("A")
    review_menu = window.menus["Review"]
    assert action in review_menu.actions()
    assert "(A)" in action.toolTip()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: window.findChild(QTableWidget, "keysTable") is not None)
    table = window.findChild(QTableWidget, "keysTable")
    rows = [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]
    assert ("Review", "A", "Put every annotation all annotators agree on into gold") in rows
    table.window().close()
