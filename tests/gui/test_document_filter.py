"""The word filter shows its first page at once and the number of matches when a worker has
counted them; a count for a filter already replaced is never shown."""

from __future__ import annotations

from pathlib import Path

from gui.core.store import Project
from gui.ui.document_list import _COUNTING, PAGE, DocIdRole, DocumentListModel, DocumentPanel


def _fill(path: Path) -> None:
    with Project.open(path) as project:
        project.add_documents(
            {"text": f"Article {i} about {'Havana' if i % 3 else 'Moscow'}.", "title": f"T{i}"}
            for i in range(PAGE * 2 + 30)
        )


def test_a_large_match_lists_at_once_and_is_counted_in_the_background(
        qtbot, project_path: Path) -> None:
    _fill(project_path)
    with Project.open(project_path) as project:
        model = DocumentListModel(project, "ana")
        panel = DocumentPanel(model)
        qtbot.addWidget(panel)
        havana = sum(1 for i in range(PAGE * 2 + 30) if i % 3)
        with qtbot.waitSignal(model.total_known, timeout=10000):
            model.set_filter("havana", None)
            assert model.rowCount() == PAGE and model.known_total is None
            assert panel.progress_label.text().startswith("counting")
        assert model.known_total == havana
        assert panel.progress_label.text().startswith(f"{havana:,} listed")
        assert model.ensure_row(havana - 1) and not model.ensure_row(havana)
        titles = {model.index(r, 0).data() for r in range(model.rowCount())}
        assert titles == {f"T{i}" for i in range(PAGE * 2 + 30) if i % 3}
        assert all(model.index(r, 0).data(DocIdRole) for r in range(model.rowCount()))


def test_a_count_for_a_replaced_filter_is_dropped(qtbot, project_path: Path) -> None:
    _fill(project_path)
    with Project.open(project_path) as project:
        model = DocumentListModel(project, "ana")
        model.set_filter("havana", None)  # its count is under way
        model.set_filter("article", None)  # this one's count is what must be shown
        qtbot.waitUntil(lambda: model.known_total is not None and not _COUNTING, timeout=10000)
        assert model.known_total == PAGE * 2 + 30
