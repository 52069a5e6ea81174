"""The dashboard's effort panel, anchoring and whiskers: the point estimates are drawn first,
the bootstrap intervals as whiskers when they arrive, and Esc stops the bootstrap.

The stance-frame, partial-credit and several-annotator figures are given here in the JSON
shape ``marginalia agreement --json`` prints them (a FIG is ``{"value", "ci", "reason"}``)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget

from gui.core.store import Project
from gui.review.agreement import Cancelled
from gui.ui.review import DashboardWindow
from gui.ui.review.dashboard import point_figures
from tests.unit.test_effort import build_counted


def fig(value: float, ci: list[float] | None = None) -> dict[str, Any]:
    return {"value": value, "ci": ci, "reason": ""}


def new_figures(with_ci: bool) -> dict[str, Any]:
    """The new sections of the report; with their intervals or (point estimates) without."""
    def f(value: float) -> dict[str, Any]:
        return fig(value, [round(value - 0.1, 3), round(min(1.0, value + 0.05), 3)]
                   if with_ci else None)

    return {
        "stance_frames": {"frame_f1": f(0.8), "polarity_alpha_nominal": f(0.7),
                          "polarity_alpha_ordinal": f(0.75), "polarity_kappa": f(0.69),
                          "holder_agreement": f(0.5), "evidence_overlap": f(0.9),
                          "matched": 4, "unmatched": 1, "per_pair": {}, "per_target": {}},
        "entity_partial": {"overlap_f1": f(0.85), "token_dice": f(0.83), "alpha_u": f(0.8),
                           "per_label": {}, "per_pair": {}},
        "multi_rater": {"fleiss_kappa": f(0.6), "gwet_ac1": f(0.7), "gwet_ac2": f(0.72)},
        "intervals": {"stance.alpha_nominal": [0.1, 0.4]} if with_ci else {},
        "warnings": ["only 12 stance units are paired: Krippendorff recommends more"],
    }


def intervals(project: Project, progress, cancelled) -> dict[str, Any]:
    report = point_figures(project, progress, cancelled)["report"]
    progress(1000, 1000)
    return {**report, **new_figures(with_ci=True)}


def with_bootstrap(bootstrap):
    """The dashboard's first step with the given figures, and ``bootstrap`` as its second."""
    def figures(project: Project, progress, cancelled) -> dict[str, Any]:
        result = point_figures(project, progress, cancelled)
        result["report"].update(new_figures(with_ci=False))
        result["bootstrap"] = bootstrap
        return result

    return figures


@pytest.fixture
def counted_path(project_path: Path) -> Path:
    with Project.open(project_path) as project:
        build_counted(project)
    return project_path


@pytest.fixture
def counted_anywhere(any_project: Path | str) -> Path | str:
    """The counted project in a file and on the server."""
    project_path = any_project
    with Project.open(project_path) as project:
        build_counted(project)
    return project_path


def opened(qtbot, path: Path, bootstrap) -> DashboardWindow:
    window = DashboardWindow(path, figures=with_bootstrap(bootstrap))
    qtbot.addWidget(window)
    with qtbot.waitSignals([window.computed, window.effort_computed], timeout=20000):
        window.show()
    return window


def test_point_estimates_first_then_whiskers(qtbot, counted_path: Path):
    window = opened(qtbot, counted_path, intervals)
    frames = {b.name: b for b in window.frames_chart.bars}
    assert frames["frame F1 (same stance found)"].value == 0.8
    qtbot.waitUntil(lambda: window.frames_chart.bars[0].ci is not None, timeout=20000)
    frames = {b.name: b for b in window.frames_chart.bars}
    assert frames["frame F1 (same stance found)"].ci == (0.7, 0.85)
    assert "4 frames matched, 1 unmatched" in window.frames_chart.title
    assert {b.name for b in window.partial_chart.bars} == {
        "overlap F1 (any overlap)", "token Dice", "unitizing alpha (αu)"}
    assert [b.value for b in window.multi_chart.bars] == [0.6, 0.7, 0.72]
    assert window.target_chart.bars[0].ci == (0.1, 0.4)  # from "intervals"
    assert "95% bootstrap intervals" in window.statusBar().currentMessage()
    warnings = window.warnings.text()
    assert "Krippendorff recommends more" in warnings
    assert "ana and ben: their agreement is mostly suggestions" in warnings  # anchoring
    anchoring = {b.name: b.value for b in window.anchoring_chart.bars}
    assert anchoring["ben · kept unchanged (share)"] == 1.0
    pairs = {b.name: b.value for b in window.pair_anchoring_chart.bars}
    assert pairs["ana|ben · entities: on the rest"] == 0.0
    window.grab()


def test_effort_panel_counts_what_each_annotator_changed(qtbot, counted_anywhere: Path | str):
    window = opened(qtbot, counted_anywhere, None)
    tabs = window.findChild(QTabWidget, "dashboardTabs")
    tabs.setCurrentIndex(1)
    panel = window.effort_panel
    assert panel.isVisible()
    rows = dict(panel.annotator_chart.rows)
    # ana: 10 + 2 kept (entities, stances), U.S. relabelled, Lavrov resized, Monday deleted,
    # a holder changed, two added by hand; ben kept all 15
    assert rows["ana"] == {"accepted": 11, "relabelled": 1, "holder": 1, "resized": 1,
                           "deleted": 1, "added": 2}
    assert rows["ben"]["accepted"] == 15 and sum(rows["ben"].values()) == 15
    assert dict(panel.label_chart.rows)["DATE"]["deleted"] == 1
    assert "5 finished sets" in panel.headline.text()
    [column] = panel.timeline.columns
    assert column.value == pytest.approx(1.2)
    assert panel.most_corrected.text().splitlines()[0].endswith("Lavrov")
    panel.grab()


def test_esc_stops_the_bootstrap(qtbot, counted_path: Path):
    started = threading.Event()

    def endless(project: Project, progress, cancelled) -> dict[str, Any]:
        started.set()
        while not cancelled():
            started.wait(0.01)
        raise Cancelled()

    window = opened(qtbot, counted_path, endless)
    qtbot.waitUntil(started.is_set, timeout=10000)
    window.activateWindow()
    with qtbot.waitSignal(window.intervals_done, timeout=10000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.statusBar().currentMessage() == "No intervals: agreement cancelled"
    assert all(b.ci is None for b in window.frames_chart.bars)


def test_the_real_bootstrap_draws_whiskers_after_the_figures(qtbot, project_path: Path):
    from gui.formats.importer import import_files

    data = Path(__file__).resolve().parents[1] / "data" / "agreement"
    with Project.open(project_path) as project:
        import_files(project, [data / "three_annotators.jsonl"])
    window = DashboardWindow(project_path)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.computed, timeout=20000):
        window.show()
    frames = {b.name: b for b in window.frames_chart.bars}
    assert frames["frame F1 (same stance found)"].value is not None
    qtbot.waitUntil(lambda: window.report["bootstrap"]["draws"] == 1000, timeout=60000)
    whiskers = [b for chart in (window.frames_chart, window.partial_chart, window.target_chart)
                for b in chart.bars if b.ci is not None]
    assert whiskers and all(b.ci[0] <= b.value <= b.ci[1] for b in whiskers)
    window.grab()


def test_effort_without_any_prefill_says_everything_was_added_by_hand(qtbot, project_path):
    from gui.core.edits import AddEntity, SetStatus

    with Project.open(project_path) as project:
        [(doc, _)] = project.add_documents([{"text": "Lavrov met Rodríguez in Havana."}])
        AddEntity(doc, "ana", 0, 6, "PERSON").apply(project)
        SetStatus(doc, "ana", "done").apply(project)
    window = DashboardWindow(project_path)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.effort_computed, timeout=20000):
        window.show()
    assert window.effort_panel.headline.text().startswith(
        "1 finished set, none of them pre-filled: every annotation (1) was added by hand")
    assert dict(window.effort_panel.annotator_chart.rows)["ana"]["added"] == 1
