"""Review mode shares its width by what its parts show: the queue grows with a wide window
until its lines are whole (at most 290 px, it cut them on a 1920-pixel screen), a width the
reviewer drags it to stays theirs, and the article's stance gutter is as wide as the stances
it shows (it kept 170 px beside an article with none)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review.disputes import HOLDER
from gui.ui.article_view import BARE_GUTTER, GUTTER_WIDTH
from tests.gui.test_review import _loaded, _open

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"
KEY = "review/queueWidth"


@pytest.fixture
def review_path(project_path: Path) -> Iterator[Path]:
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    QSettings().remove(KEY)  # no width dragged by another test, and none left for the next
    yield project_path
    QSettings().remove(KEY)


def _lines_whole(window) -> bool:
    queue = window.queue_view
    return queue.sizeHintForColumn(0) <= queue.viewport().width()


def _on_a_laptop(qtbot, review_path: Path):
    """The review window opened and sized as on a 1366-wide laptop, and its queue dock."""
    window = _open(qtbot, review_path)
    _loaded(qtbot, window)
    dock = window.queue_view.parentWidget()
    window.resize(1366, 740)
    qtbot.waitUntil(lambda: dock.width() == 1366 // 6)  # a laptop: as it was
    return window, dock


def test_the_queue_grows_with_the_window_until_its_lines_are_whole(
        qtbot, review_path: Path) -> None:
    window, dock = _on_a_laptop(qtbot, review_path)
    assert not _lines_whole(window)
    window.resize(1920, 1040)
    qtbot.waitUntil(lambda: _lines_whole(window))
    assert dock.width() < 1920 // 4  # no more than its lines need
    assert window.queue_view.horizontalScrollBar().maximum() == 0


def test_a_queue_width_the_reviewer_drags_stays_through_resizes_and_starts(
        qtbot, review_path: Path) -> None:
    window, dock = _on_a_laptop(qtbot, review_path)
    # the separator between the queue and the rest: the window's own, beside the dock
    # (pressed through the window system's side, as the separator is not a widget)
    separator = QPoint(dock.geometry().right() + 3, dock.geometry().center().y())
    screen_side = window.windowHandle()
    qtbot.mousePress(screen_side, Qt.MouseButton.LeftButton, pos=separator)
    for step in range(10, 90, 10):
        qtbot.mouseMove(screen_side, separator + QPoint(step, 0))
    qtbot.mouseRelease(screen_side, Qt.MouseButton.LeftButton, pos=separator + QPoint(80, 0))
    dragged = dock.width()
    assert dragged >= 1366 // 6 + 60
    window.resize(1920, 1040)  # wider: the queue would take more, but the hand's width stays
    qtbot.waitUntil(lambda: window.article.width() > 600)
    QApplication.processEvents()  # the sharing that follows a resize
    assert dock.width() == dragged
    again = _open(qtbot, review_path)  # the next start
    _loaded(qtbot, again)
    qtbot.waitUntil(lambda: again.queue_view.parentWidget().width() == dragged)


def _gutter_text_width(article) -> float:
    metrics = QFontMetricsF(article._gutter_font(), article.gutter)
    return max(metrics.horizontalAdvance(line) for mark in article.stance_marks
               for line in (mark.tag, mark.detail))


def test_the_stance_gutter_is_as_wide_as_what_it_shows(qtbot, review_path: Path) -> None:
    window = _open(qtbot, review_path)
    _loaded(qtbot, window)
    article = window.article
    assert not article.stance_marks  # gold starts with no stance: no gutter to speak of
    assert article.gutter.width() == BARE_GUTTER
    assert article.viewportMargins().left() <= BARE_GUTTER + article.viewportMargins().right()
    tree = window.tree
    tree.setFocus()
    for _ in range(10):
        if HOLDER in window.clusters[window.current_cluster()].kinds:
            break
        qtbot.keyClick(tree, "j")
    qtbot.keyClick(tree, "2")  # ben's stance (no holder) into gold: the gutter makes room
    qtbot.waitUntil(lambda: len(article.stance_marks) == 1)
    width = article.gutter.width()
    assert _gutter_text_width(article) + 14 < width < GUTTER_WIDTH
    qtbot.keyClick(tree, "z", Qt.KeyboardModifier.ControlModifier)  # and gives it back
    qtbot.waitUntil(lambda: article.gutter.width() == BARE_GUTTER)


def test_a_disagreement_reached_from_below_is_shown_from_its_first_line(
        qtbot, project_path: Path, tmp_path: Path) -> None:
    """A stance over a long first sentence, reached from the last disagreement far below:
    only its last line was scrolled into view, its first hidden above the article's top."""
    first = ("The foreign minister said in a long statement on Tuesday that the embargo, "
             "which has lasted for more than six decades, is a relic of another age that "
             "harms ordinary families and should end without further delay.")
    filler = " ".join(["Officials met again in the capital to discuss trade."] * 60)
    text = f"{first}\n\n{filler}\n\nThe talks ended in Moscow."
    moscow = text.index("Moscow")
    rows = [{"text": text, "meta": {"title": "Long"}, "annotator": name, "status": "done",
             "spans": [{"start": moscow, "end": moscow + 6, "label": label}],
             "stances": stances}
            for name, label, stances in (
                ("ana", "GPE", [{"start": 0, "end": len(first), "target": "US embargo on Cuba",
                                 "polarity": "against"}]),
                ("ben", "ORG", []))]
    source = tmp_path / "long.jsonl"
    source.write_text("\n".join(json.dumps(row) for row in rows))
    with Project.open(project_path) as project:
        import_files(project, [source])
        project.ensure_annotator("lee", "reviewer")
    window = _open(qtbot, project_path)
    qtbot.waitUntil(lambda: window.document_id is not None, timeout=10000)
    window.resize(1366, 740)
    article, tree = window.article, window.tree
    qtbot.waitUntil(lambda: article.width() < 700)
    tree.setFocus()
    for _ in range(4):
        if window.clusters[window.current_cluster()].start == moscow:
            break
        qtbot.keyClick(tree, "j")
    assert window.clusters[window.current_cluster()].start == moscow
    assert article.verticalScrollBar().value() > 0  # far down the article
    qtbot.keyClick(tree, "j")  # round to the first: the stance, above
    assert window.clusters[window.current_cluster()].start == 0
    start, end = window.controller.offsets.span_to_qt(0, len(first))
    shown = article.viewport().rect()
    for position in (start, end):
        cursor = article.textCursor()
        cursor.setPosition(position)
        assert shown.contains(article.cursorRect(cursor).center()), position
