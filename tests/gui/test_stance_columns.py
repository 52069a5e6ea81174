"""The stance list beside the article gives target and holder the room to be read: at
1366×768 they were cut to "Russia–Cub…" and "Sergei L…" while the evidence, which the article
underlines, took as much. Now the evidence gives way (hidden when only a word would show,
quoted in every cell's tooltip) and the list never scrolls sideways."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QSplitter, QTabWidget

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review.disputes import HOLDER as HOLDER_DISPUTE
from gui.ui.window_fit import panel_widths
from tests.gui.conftest import ARTICLE, click, drag, popup
from tests.gui.test_review import DATA, _loaded, _open
from tests.gui.test_window_stances import SENTENCE, q

TARGET, HOLDER = "Russia–Cuba partnership", "Bruno Rodríguez"


def read_whole(view, column: int) -> bool:
    """Whether the first row's cell in ``column`` shows its text without eliding it."""
    index = view.model().index(0, column)
    text_room = view.visualRect(index).width() - 6  # Fusion's margins around a cell's text
    return (not view.horizontalHeader().isSectionHidden(column)
            and view.fontMetrics().horizontalAdvance(index.data()) <= text_room)


def test_target_and_holder_read_whole_at_1366_and_the_evidence_returns_when_wide(
        qtbot, window) -> None:
    add_stance(qtbot, window)
    view = window.side.stance_view
    assert [view.model().index(0, c).data() for c in (1, 2, 3)] == [TARGET, "favor", HOLDER]

    window.resize(1366, 768)  # and the panels as a window opened at that size shares them
    splitter = window.side.parentWidget()
    qtbot.waitUntil(lambda: sum(splitter.sizes()) > 1300)
    splitter.setSizes(panel_widths(sum(splitter.sizes())))
    qtbot.waitUntil(lambda: read_whole(view, 1) and read_whole(view, 3))
    assert view.horizontalScrollBar().maximum() == 0
    assert view.horizontalHeader().isSectionHidden(0)  # it would have shown "Ser…"
    for column in (1, 3):  # the evidence is still a hover away
        tip = view.model().index(0, column).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == f"{view.model().index(0, column).data()}: {SENTENCE} (confirmed)"

    splitter.setSizes([200, 600, 560])  # a wide panel: room for evidence
    qtbot.waitUntil(lambda: not view.horizontalHeader().isSectionHidden(0))
    assert read_whole(view, 1) and read_whole(view, 3)
    assert view.horizontalScrollBar().maximum() == 0


def add_stance(qtbot, window) -> None:
    start = ARTICLE.index(HOLDER)
    drag(qtbot, window.view, *q(window, start, start + len(HOLDER)))
    qtbot.keyClick(popup(qtbot), "1")  # PERSON
    click(qtbot, window.view, q(window, ARTICLE.index("Havana"))[0])
    qtbot.keyClick(window.view, "s")
    for key in ("p", "c", "1"):  # Russia–Cuba partnership, favor, the holder
        qtbot.keyClick(popup(qtbot), key)


def drag_edge(qtbot, view, column: int, by: int) -> None:
    """Drag the right edge of ``column``'s header by ``by`` pixels, as a hand would."""
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) - 1
    y = header.height() // 2
    qtbot.mousePress(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, y))
    qtbot.mouseMove(header.viewport(), QPoint(x + by // 2, y))
    qtbot.mouseMove(header.viewport(), QPoint(x + by, y))
    qtbot.mouseRelease(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x + by, y))


def test_a_dragged_column_width_stays_through_documents_and_the_next_start(
        qtbot, window, make_window) -> None:
    add_stance(qtbot, window)
    window.side.parentWidget().setSizes([200, 600, 560])  # room for the evidence too
    view = window.side.stance_view
    header = view.horizontalHeader()
    qtbot.waitUntil(lambda: not header.isSectionHidden(0))
    shared = header.sectionSize(1)
    drag_edge(qtbot, view, 1, 40)
    assert header.sectionSize(1) == shared + 40
    qtbot.keyClick(window.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.title_label.text() == "Doc 1" and view.model().rowCount() == 0
    qtbot.keyClick(window.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.model().rowCount() == 1
    assert header.sectionSize(1) == shared + 40  # it sprang back to the shared width
    again = make_window()  # the next start (the widths are kept as they are dragged)
    again.side.parentWidget().setSizes([200, 600, 560])
    qtbot.waitUntil(lambda: again.side.stance_view.model().rowCount() == 1)
    again_header = again.side.stance_view.horizontalHeader()
    qtbot.waitUntil(lambda: not again_header.isSectionHidden(0))
    assert again_header.sectionSize(1) == shared + 40
    # A double-click on the edge gives the column back to the sharing.
    x = again_header.sectionViewportPosition(1) + again_header.sectionSize(1) - 1
    qtbot.mouseDClick(again_header.viewport(), Qt.MouseButton.LeftButton,
                      pos=QPoint(x, again_header.height() // 2))
    assert again_header.sectionSize(1) == shared


def test_review_modes_gold_stance_list_shares_its_width_the_same_way(qtbot,
                                                                     project_path) -> None:
    """The gold stance list had four even columns: "US embargo…", "foreign…"."""
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
        project.ensure_annotator("lee", "reviewer")
    window = _open(qtbot, project_path)
    _loaded(qtbot, window)
    window.tree.setFocus()
    for _ in range(10):
        if HOLDER_DISPUTE in window.clusters[window.current_cluster()].kinds:
            break
        qtbot.keyClick(window.tree, "j")
    qtbot.keyClick(window.tree, "1")  # ana's stance, held by "foreign minister"
    view = window.stance_view
    qtbot.waitUntil(lambda: view.model().rowCount() == 1)
    tabs = view.parentWidget().parentWidget()
    assert isinstance(tabs, QTabWidget)
    tabs.setCurrentWidget(view)
    split = tabs.parentWidget().parentWidget()
    assert isinstance(split, QSplitter)
    split.setSizes([sum(split.sizes()) - 340, 340])  # as narrow as the side panel at 1366
    assert [view.model().index(0, c).data() for c in (1, 3)] == [
        "US embargo on Cuba", "foreign minister"]
    qtbot.waitUntil(lambda: read_whole(view, 1) and read_whole(view, 3))
    assert view.horizontalScrollBar().maximum() == 0
