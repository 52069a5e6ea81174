"""The agreement dashboard: figures computed off the GUI thread arrive as charts."""

from __future__ import annotations

from pathlib import Path

import pytest

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.ui.review import open_dashboard
from gui.ui.review.charts import BarChart, HeatMap, ProgressChart

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


def test_dashboard_draws_the_agreement_figures(qtbot, any_project: Path | str) -> None:
    project_path = any_project
    with Project.open(project_path) as project:
        import_files(project, [DATA / "three_annotators.jsonl"])
    window = open_dashboard(None, project_path)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.computed, timeout=20000):
        window.show()
    assert "2 documents done by two or more annotators (ana, ben, cy)" in window.headline.text()
    kappa = window.kappa_chart
    assert isinstance(kappa, BarChart)
    assert [(b.name, b.value) for b in kappa.bars] == [
        ("ana|ben", 1.0), ("ana|cy", pytest.approx(1 / 7)), ("ben|cy", pytest.approx(1 / 7))]
    targets = {b.name: b for b in window.target_chart.bars}
    assert targets["US–Cuba normalization · nominal"].value is None
    assert "no annotator marked a stance" in targets["US–Cuba normalization · nominal"].note
    labels = window.label_confusion
    assert isinstance(labels, HeatMap)
    assert {"GPE", "ORG", "—"} <= set(labels.categories)
    gpe, org = labels.categories.index("GPE"), labels.categories.index("ORG")
    assert labels.matrix[gpe][org] == labels.matrix[org][gpe] == 1  # ana's and ben's Washington
    progress = window.progress_chart
    assert isinstance(progress, ProgressChart)
    assert dict(progress.rows)["ben"]["in_progress"] == 1
    assert "Delegation in Havana" in window.disputed.text()
    window.grab()  # every chart paints without error


def test_dashboard_on_a_project_nobody_finished_says_why(qtbot, project_path: Path) -> None:
    window = open_dashboard(None, project_path)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.computed, timeout=20000):
        window.show()
    assert "no document has been marked done by two or more annotators" in (
        window.headline.text())
    assert all(b.value is None for b in window.target_chart.bars)
    window.grab()
