"""Cancel in the import's progress dialog, pressed while a long file is being imported: the
window says nothing was changed, and it is so (the import reads in a thread of its own, which
must stop with it)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton

from tests.gui.conftest import add_docs


def test_cancel_during_a_long_import_leaves_the_project_as_it_was(
    qtbot, make_window, project_path: Path, tmp_path: Path
) -> None:
    window = make_window(["Already here."])
    source = tmp_path / "long.jsonl"
    with source.open("w", encoding="utf-8") as out:
        for n in range(100_000):  # seconds of work: the dialog shows before the end
            out.write(json.dumps({"text": f"Article {n} about the harbour of Havana."}) + "\n")
    window.files.import_documents([str(source)])
    dialog = window.findChild(QProgressDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=20000)
    qtbot.mouseClick(dialog.findChild(QPushButton), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "nothing was changed" in window.statusBar().currentMessage(),
                    timeout=20000)
    assert "cancelled" in window.statusBar().currentMessage()
    assert window.documents.rowCount() == 1
    assert not [t for t in threading.enumerate() if t.name == "read-ahead"]
    add_docs(project_path, ["x"])  # the project is still writable and unlocked
