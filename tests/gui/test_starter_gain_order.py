""""Most to gain first" in a new project's window: after Tools ▸ Pre-fill suggestions… (the
rules and the starter classifier), choosing the order puts the documents the starter was least
sure about first, and says nothing is missing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from gui.core.store import Project
from tests.gui.conftest import tooltip

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = sorted((ROOT / "resources" / "sample").glob("*.txt"))[:4]


def listed(window) -> list[str]:
    return [window.documents.index(r, 0).data() for r in range(window.documents.rowCount())]


def test_most_to_gain_first_orders_a_freshly_prefilled_project(qtbot, make_window) -> None:
    window = make_window([p.read_text("utf-8") for p in SAMPLES])
    in_order = listed(window)
    assert in_order == [f"Doc {i}" for i in range(len(SAMPLES))]
    window.files.prefill()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith("pre-filled"),
                    timeout=120_000)
    box = window.doc_panel.order_box
    box.setFocus()
    while box.currentData() != "gain":
        qtbot.keyClick(box, Qt.Key.Key_Down)
    with Project.open(window.project_path) as project:
        scores = dict(project.conn.execute("SELECT document_id, score FROM document_scores"))
    assert len(scores) == len(SAMPLES)
    expected = [f"Doc {i - 1}" for i in sorted(scores, key=lambda i: (-scores[i], i))]
    assert listed(window) == expected != in_order
    assert window.statusBar().currentMessage().startswith("pre-filled")  # no "not scored" hint
    assert "Most to gain first: the documents the starter classifier is least sure" in tooltip(box)
