"""Review mode driven with real keys and clicks: a reviewer turns three annotators' sets into a
gold set, with undo, and the project file holds what the screen showed."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QTableView, QTreeView, QWidget

from gui.core.store import GOLD, Project
from gui.formats.importer import import_files
from gui.review.disputes import HOLDER, LABEL
from gui.ui.review import open_review
from gui.ui.review.models import ClusterRole

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


@pytest.fixture
def review_path(project_path: Path) -> Path:
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    return project_path


def _open(qtbot, path: Path, reviewer: str = "lee"):
    window = open_review(None, path, reviewer)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _loaded(qtbot, window) -> None:
    qtbot.waitUntil(lambda: window.queue_model.rowCount() == 2 and window.document_id is not None,
                    timeout=10000)


def _current_text(window) -> str:
    cluster = window.clusters[window.current_cluster()]
    return window.controller.text[cluster.start:cluster.end]


def _gold(path: Path, title: str) -> dict:
    with Project.open(path) as project:
        doc = next(d for d in project.document_ids() if project.document(d).title == title)
        gold = project.annotation_set(doc, GOLD)
        text = project.document(doc).text
        return {
            "status": gold.status,
            "note": gold.note,
            "entities": sorted((text[e.start:e.end], e.label) for e in gold.entities),
            "stances": [(s.target, s.polarity, text[s.holder_start:s.holder_end]
                         if s.holder else None) for s in gold.stances],
        }


def test_reviewer_makes_a_gold_set_with_keys_and_undo(qtbot, review_path: Path) -> None:
    window = _open(qtbot, review_path)
    _loaded(qtbot, window)
    view = window.findChild(QWidget, "reviewView")
    assert view is not None and view.isVisible()
    assert window.queue_model.entries[0].title == "Delegation in Havana"  # most disputed first
    # Gold starts with what everyone agrees on: Havana.
    assert _gold(review_path, "Delegation in Havana")["entities"] == [("Havana", "GPE")]
    with Project.open(review_path) as project:
        seeded = project.conn.execute(
            "SELECT payload FROM history WHERE action = 'take_agreed'").fetchone()[0]
        assert '"reviewer": "lee"' in seeded
    tree = window.findChild(QTreeView, "disagreementList")
    tree.setFocus()
    seen = [_current_text(window)]
    while _current_text(window) != "Washington":
        qtbot.keyClick(tree, "j")
        seen.append(_current_text(window))
        assert len(seen) < 10
    assert LABEL in window.clusters[window.current_cluster()].kinds
    qtbot.keyClick(tree, "2")  # ben's version: ORG
    assert ("Washington", "ORG") in _gold(review_path, "Delegation in Havana")["entities"]
    qtbot.keyClick(tree, "z", Qt.KeyboardModifier.ControlModifier)
    assert not any(t == "Washington" for t, _ in _gold(review_path,
                                                        "Delegation in Havana")["entities"])
    qtbot.keyClick(tree, "z", Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert ("Washington", "ORG") in _gold(review_path, "Delegation in Havana")["entities"]
    # after taking a version the next disagreement (the stance) is current: take ana's.
    assert HOLDER in window.clusters[window.current_cluster()].kinds
    qtbot.keyClick(tree, "1")
    # the boundary dispute: click the row, then take cy's "Russian delegation".
    for index in window._cluster_rows():
        if window.controller.text[window.clusters[index.data(ClusterRole)].start:].startswith(
                "Russian"):
            rect = tree.visualRect(index)
            qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert _current_text(window) == "Russian delegation"
    qtbot.keyClick(tree, "3")
    qtbot.keyClick(tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    gold = _gold(review_path, "Delegation in Havana")
    assert gold == {
        "status": "done",
        "note": "accepted by lee",
        "entities": [("Havana", "GPE"), ("Russian delegation", "NORP"), ("Washington", "ORG")],
        "stances": [("US embargo on Cuba", "against", "foreign minister")],
    }
    # accepting moved on to the next document still without accepted gold
    qtbot.waitUntil(lambda: window.controller.document.title == "Trade agreements")
    with Project.open(review_path) as project:  # the annotators' own sets are untouched
        doc = project.document_ids()[0]
        assert len(project.annotation_set(doc, "ben").entities) == 4


def test_gold_is_edited_with_the_annotation_tools(qtbot, review_path: Path) -> None:
    window = _open(qtbot, review_path)
    _loaded(qtbot, window)
    table = window.findChild(QTableView, "goldEntities")
    table.setFocus()
    table.selectRow(0)
    assert table.model().index(0, 0).data() == "Havana"
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert _gold(review_path, "Delegation in Havana")["entities"] == []
    qtbot.keyClick(table, "z", Qt.KeyboardModifier.ControlModifier)
    assert _gold(review_path, "Delegation in Havana")["entities"] == [("Havana", "GPE")]
    # select "Tuesday" in the article and label it from the label popup (L, then its key)
    article = window.article
    text = window.controller.text
    start = text.index("Tuesday")
    article.show_span(*window.controller.offsets.span_to_qt(start, start + len("Tuesday")))
    article.setFocus()
    qtbot.keyClick(article, "l")
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)
    qtbot.keyClick(QApplication.activePopupWidget(), "9")  # DATE
    assert ("Tuesday", "DATE") in _gold(review_path, "Delegation in Havana")["entities"]


def test_an_annotator_who_is_not_a_reviewer_is_told_how_to_become_one(
    qtbot, review_path: Path
) -> None:
    window = _open(qtbot, review_path, "ana")
    assert window.findChild(QWidget, "reviewView") is None
    notice = window.findChild(QLabel, "reviewRefused")
    assert "marginalia role" in notice.text() and "ana reviewer" in notice.text()
    with Project.open(review_path) as project:
        assert project.set_id(project.document_ids()[0], GOLD) is None


def test_review_models_pass_the_model_tester(qtbot, qtmodeltester, review_path: Path) -> None:
    window = _open(qtbot, review_path)
    _loaded(qtbot, window)
    qtmodeltester.check(window.queue_model)
    qtmodeltester.check(window.disagreement_model)


def test_main_window_opens_review_mode_and_the_dashboard(qtbot, make_window,
                                                         review_path: Path) -> None:
    from gui.ui.review import DashboardWindow, ReviewWindow

    main = make_window(annotator="lee", path=review_path)
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    qtbot.keyClick(main, "r", Qt.KeyboardModifier.ControlModifier)
    review = main.findChild(ReviewWindow)
    assert review is not None and review.isVisible()
    qtbot.waitUntil(lambda: review.document_id is not None, timeout=10000)
    assert review.findChild(QWidget, "reviewView").isVisible()
    review.close()
    main.activateWindow()
    qtbot.waitUntil(main.isActiveWindow)
    qtbot.keyClick(main, "d", Qt.KeyboardModifier.ControlModifier)
    dashboard = main.findChild(DashboardWindow)
    assert dashboard is not None
    qtbot.waitUntil(lambda: dashboard.report is not None, timeout=20000)
    dashboard.close()


@pytest.fixture
def conflict_path(review_path: Path, tmp_path: Path) -> Path:
    """ana changed "Delegation in Havana" in two copies of the project; the copy changed last
    was merged in, so the lead's own change is a kept version."""
    import shutil

    from gui.core.edits import AddEntity
    from gui.review.merge import merge_projects

    copy = tmp_path / "ana-laptop.marginalia"
    shutil.copyfile(review_path, copy)
    for path, label in ((review_path, "ORG"), (copy, "EVENT")):
        with Project.open(path) as project:
            doc = next(d for d in project.document_ids()
                       if project.document(d).title == "Delegation in Havana")
            text = project.document(doc).text
            start = text.index("Tuesday")
            AddEntity(doc, "ana", start, start + len("Tuesday"), label).apply(project)
    with Project.open(review_path) as project:
        assert merge_projects(project, [copy]).conflicts_kept == 1
    return review_path


def _cell(window, where: str, column: int) -> str:
    """What the disagreement list shows in ``column`` for the cluster over ``where``."""
    for index in window._cluster_rows():
        cluster = window.clusters[index.data(ClusterRole)]
        if window.controller.text[cluster.start:cluster.end] == where:
            return index.siblingAtColumn(column).data()
    raise AssertionError(f"no cluster over {where!r}")


def _ana_tuesday(path: Path) -> list[str]:
    with Project.open(path) as project:
        doc = next(d for d in project.document_ids()
                   if project.document(d).title == "Delegation in Havana")
        text = project.document(doc).text
        return [e.label for e in project.annotation_set(doc, "ana").entities
                if text[e.start:e.end] == "Tuesday" and e.label != "DATE"]


def test_a_kept_version_is_shown_beside_the_annotators_and_restored_with_undo(
    qtbot, conflict_path: Path
) -> None:
    window = _open(qtbot, conflict_path)
    _loaded(qtbot, window)
    assert "1 kept" in window.queue_model.index(0).data()
    assert "1 kept version" in window.header.text()
    model = window.disagreement_model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[2:5] == ["1  ana", "2  ben", "3  cy"]
    assert headers[5].startswith("4  ana (kept ")  # the lead's own ORG, kept by the merge
    assert "ORG “Tuesday”" in _cell(window, "Tuesday", 5)
    assert "EVENT “Tuesday”" in _cell(window, "Tuesday", 2)
    assert _ana_tuesday(conflict_path) == ["EVENT"]
    menu = window.restore_menu

    def choose() -> None:
        qtbot.waitUntil(menu.isVisible)
        qtbot.keyClick(menu, Qt.Key.Key_Down)
        qtbot.keyClick(menu, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose)
    qtbot.mouseClick(window.restore_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _ana_tuesday(conflict_path) == ["ORG"])
    kept_column = [model.headerData(c, Qt.Orientation.Horizontal)
                   for c in range(model.columnCount())][5]
    assert kept_column.startswith("4  ana (kept ")  # now the EVENT set, kept in its place
    assert "EVENT “Tuesday”" in _cell(window, "Tuesday", 5)
    assert window.undo_stack.undoText() == "Restore kept version"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, "z", Qt.KeyboardModifier.ControlModifier)
    assert _ana_tuesday(conflict_path) == ["EVENT"]


def test_the_same_again_key_repeats_the_gold_stance_before(qtbot, review_path: Path) -> None:
    window = _open(qtbot, review_path)
    _loaded(qtbot, window)
    article, text = window.article, window.controller.text
    offsets = window.controller.offsets
    minister = "The foreign minister called the embargo a relic of the Cold War."
    article.show_span(*offsets.span_to_qt(text.index(minister),
                                          text.index(minister) + len(minister)))
    article.setFocus()
    qtbot.keyClick(article, "s")
    qtbot.keyClick(QApplication.activePopupWidget(), "e")
    qtbot.keyClick(QApplication.activePopupWidget(), "z")
    qtbot.keyClick(QApplication.activePopupWidget(), "0")  # no holder: Havana is offered
    last = text.index("Officials")
    article.show_span(*offsets.span_to_qt(last, last + 3))
    article.clear_selection()
    qtbot.keyClick(article, ".")
    assert _gold(review_path, "Delegation in Havana")["stances"] == [
        ("US embargo on Cuba", "against", None), ("US embargo on Cuba", "against", None)]
